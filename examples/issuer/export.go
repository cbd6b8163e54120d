package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
)

// maxOutputLine is the longest batch output line export reads: four
// profiles of a KTP credential are about 1.3 KB; a line of 1 MiB is not
// one the batch wrote.
const maxOutputLine = 1 << 20

// export writes the credentials of a batch output as the files the
// wallet imports: DIR/<nik>-<device_kid>/credential-<profile>.cbor, one
// folder per output line (one person on one phone), mode 0700 and 0600.
// -nik keeps the lines of one person. Every line is checked before
// anything is written: its members, the NIK, the kid and that each
// credential parses and is bound to that NIK and device.
func export(_ env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stdout)
	inPath := fs.String("in", "", "a batch output (JSONL, as batch -out writes it)")
	outDir := fs.String("out", "", "the folder to write the credential folders into (made if missing)")
	nikFlag := fs.String("nik", "", "only this person's lines")
	force := fs.Bool("force", false, "replace credential files already there")
	if err := parse(fs, args, "in", "out"); err != nil {
		return err
	}
	var only credential.NIK
	if *nikFlag != "" {
		n, err := credential.ParseNIK(*nikFlag)
		if err != nil {
			return &exampleutil.UsageError{Err: err}
		}
		only = n
	}
	f, err := os.Open(*inPath)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	defer f.Close()
	type file struct {
		path string
		data []byte
	}
	var files []file
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxOutputLine)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		l, err := parseOutputLine(raw)
		if err != nil {
			return exampleutil.Usagef("export: %s line %d: %v", *inPath, line, err)
		}
		if only != "" && l.nik != only {
			continue
		}
		dir := filepath.Join(*outDir, string(l.nik)+"-"+hex.EncodeToString(l.kid))
		for _, c := range l.creds {
			files = append(files, file{filepath.Join(dir, "credential-"+c.profile.String()+".cbor"), c.data})
		}
	}
	if err := sc.Err(); err != nil {
		return exampleutil.Usagef("export: %s: %v (a line is at most %d bytes)", *inPath, err, maxOutputLine)
	}
	if len(files) == 0 {
		return exampleutil.Usagef("export: no credential in %s for that", *inPath)
	}
	for _, fl := range files {
		if _, err := os.Lstat(fl.path); err == nil && !*force {
			return exampleutil.Usagef("export: %s exists; it is not replaced without -force", fl.path)
		}
	}
	dirs := 0
	for i, fl := range files {
		if i == 0 || filepath.Dir(fl.path) != filepath.Dir(files[i-1].path) {
			if err := os.MkdirAll(filepath.Dir(fl.path), 0o700); err != nil {
				return err
			}
			dirs++
		}
		if err := exampleutil.WriteFile(fl.path, fl.data, 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "exported %d credential file(s) in %d folder(s) under %s; give each folder's files to its holder's wallet (wallet import)\n", len(files), dirs, *outDir)
	return nil
}

// batchLine is one line of a batch output, checked.
type batchLine struct {
	nik   credential.NIK
	kid   []byte
	creds []exportedCredential
}

type exportedCredential struct {
	profile credential.Profile
	data    []byte
}

// parseOutputLine reads one batch output line (see batchRun.sign).
func parseOutputLine(raw []byte) (*batchLine, error) {
	if err := strictJSON(raw); err != nil {
		return nil, err
	}
	var l struct {
		Row         int               `json:"row"`
		Kind        string            `json:"kind"`
		NIK         string            `json:"nik"`
		DeviceKID   string            `json:"device_kid"`
		List        uint32            `json:"list"`
		Index       uint32            `json:"index"`
		Credentials map[string]string `json:"credentials"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the line's object")
	}
	if l.Kind != "ktp" {
		return nil, fmt.Errorf("kind %q: export knows ktp", truncateText(l.Kind))
	}
	nik, err := credential.ParseNIK(l.NIK)
	if err != nil {
		return nil, err
	}
	kid, err := hex.DecodeString(l.DeviceKID)
	if err != nil || len(kid) != 8 {
		return nil, fmt.Errorf("device_kid %q is not 8 bytes of hex", truncateText(l.DeviceKID))
	}
	if len(l.Credentials) == 0 {
		return nil, errors.New("no credentials")
	}
	out := &batchLine{nik: nik, kid: kid}
	for _, p := range []string{"full", "travel", "kai", "age"} {
		b64, ok := l.Credentials[p]
		if !ok {
			continue
		}
		delete(l.Credentials, p)
		data, err := base64.RawURLEncoding.Strict().DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("credential %s: not unpadded base64url", p)
		}
		signed, err := credential.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("credential %s: %v", p, err)
		}
		// SAFETY: not verified here; the wallet verifies on import. The
		// checks only keep a line from filing one person's credential
		// under another's name.
		c := signed.UnverifiedCredential()
		ckid, err := keys.KeyID(c.DeviceKey)
		if err != nil || !bytes.Equal(ckid, kid) || c.Profile.String() != p || (c.Claims.NIK != "" && c.Claims.NIK != nik) ||
			c.Status.List != l.List || c.Status.Index != l.Index {
			return nil, fmt.Errorf("credential %s is not this line's (profile, NIK, device or status index differ)", p)
		}
		out.creds = append(out.creds, exportedCredential{c.Profile, data})
	}
	for p := range l.Credentials {
		return nil, fmt.Errorf("unknown profile %q", truncateText(p))
	}
	return out, nil
}
