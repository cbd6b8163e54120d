package conformance

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dir is where the vectors live, relative to the repository root.
const Dir = "testdata/vectors"

// SpecRevision is the revision of docs/wire-format.md the vectors follow
// (its "Changelog"); every vector carries it as spec_revision.
const SpecRevision = "2026-12-01.3"

// ManifestName is the file beside the vectors that lists the SHA-256 of
// each, in the format of sha256sum (so `sha256sum -c MANIFEST.sha256`
// checks a copy).
const ManifestName = "MANIFEST.sha256"

// Manifest returns the manifest of files: one line "<hex sha256>  <name>"
// per file, sorted by name.
func Manifest(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	for _, n := range names {
		fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(files[n]), n)
	}
	return b.Bytes()
}

// Files returns the file name and content of every vector Build makes,
// sorted by name.
func Files() (map[string][]byte, error) {
	vs, err := Build()
	if err != nil {
		return nil, err
	}
	out := make(map[string][]byte, len(vs))
	for _, v := range vs {
		b, err := v.Marshal()
		if err != nil {
			return nil, err
		}
		out[v.ID+".json"] = b
	}
	return out, nil
}

// Write replaces the vectors in dir with those Build makes: each file is
// written to a temporary file and renamed, and vector files Build no
// longer makes are removed.
func Write(dir string) error {
	files, err := Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, ok := files[filepath.Base(p)]; !ok {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	names = append(names, ManifestName)
	files[ManifestName] = Manifest(files)
	for _, n := range names {
		if cur, err := os.ReadFile(filepath.Join(dir, n)); err == nil && bytes.Equal(cur, files[n]) {
			continue
		}
		tmp, err := os.CreateTemp(dir, ".tmp-*")
		if err != nil {
			return err
		}
		_, werr := tmp.Write(files[n])
		cerr := tmp.Close()
		if werr != nil || cerr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("conformance: writing %s: %v %v", n, werr, cerr)
		}
		if err := os.Rename(tmp.Name(), filepath.Join(dir, n)); err != nil {
			os.Remove(tmp.Name())
			return err
		}
	}
	return nil
}

// Summary counts the vectors by reason, profile, algorithm and feature, as
// lines "reason revoked 2".
func Summary(vs []*Vector) string {
	counts := map[string]int{}
	for _, v := range vs {
		for _, r := range v.Covers.Reasons {
			counts["reason "+r]++
		}
		for _, p := range v.Covers.Profiles {
			counts["profile "+p]++
		}
		for _, e := range v.Covers.TrustListErrors {
			counts["trust_list_error "+e]++
		}
		for _, a := range v.Covers.Algorithms {
			counts["algorithm "+a]++
		}
		for _, f := range v.Covers.Features {
			counts["feature "+f]++
		}
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "vectors %d\n", len(vs))
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %d\n", k, counts[k])
	}
	return b.String()
}
