package conformance_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/conformance"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors from conformance.Build")

// root is the repository root, from this package's directory.
const root = "../.."

func vectorDir() string { return filepath.Join(root, conformance.Dir) }

// TestVectorsUpToDate fails when the committed vectors differ from what
// Build makes: regenerate with `go run ./internal/conformance/gen` (or
// this test with -update) and commit the result.
func TestVectorsUpToDate(t *testing.T) {
	if *update {
		require.NoError(t, conformance.Write(vectorDir()))
	}
	want, err := conformance.Files()
	require.NoError(t, err)
	got, err := filepath.Glob(filepath.Join(vectorDir(), "*.json"))
	require.NoError(t, err)
	var names []string
	for _, p := range got {
		names = append(names, filepath.Base(p))
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		w, ok := want[filepath.Base(p)]
		if assert.True(t, ok, "%s is committed but not generated", p) {
			assert.True(t, bytes.Equal(w, b), "%s differs from what the generator makes: run go run ./internal/conformance/gen", p)
		}
	}
	assert.Len(t, names, len(want), "generated vectors missing from %s", vectorDir())
	m, err := os.ReadFile(filepath.Join(vectorDir(), conformance.ManifestName))
	require.NoError(t, err)
	assert.Equal(t, string(conformance.Manifest(want)), string(m), "%s is stale: run go run ./internal/conformance/gen", conformance.ManifestName)
	for name, b := range want {
		var v conformance.Vector
		require.NoError(t, json.Unmarshal(b, &v))
		assert.Equal(t, conformance.SpecRevision, v.SpecRevision, name)
	}
}

// TestBuildIsDeterministic builds twice and compares.
func TestBuildIsDeterministic(t *testing.T) {
	a, err := conformance.Files()
	require.NoError(t, err)
	b, err := conformance.Files()
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

// TestCoverage holds the vectors to the floor: every reason, every
// profile, both issuer algorithms, and the named features.
func TestCoverage(t *testing.T) {
	vs := loadAll(t)
	covered := map[string]bool{}
	for _, v := range vs {
		for _, r := range v.Covers.Reasons {
			covered["reason "+r] = true
		}
		for _, p := range v.Covers.Profiles {
			covered["profile "+p] = true
		}
		for _, a := range v.Covers.Algorithms {
			covered["algorithm "+a] = true
		}
		for _, f := range v.Covers.Features {
			covered["feature "+f] = true
		}
	}
	for r := verify.Reason(1); r.String() != "Reason("+itoa(int(r))+")"; r++ {
		assert.True(t, covered["reason "+r.String()], "no vector expects %v", r)
	}
	for _, k := range []string{"profile full", "profile travel", "profile kai", "profile age",
		"algorithm ES256", "algorithm EdDSA", "feature share_mode", "feature window_edge",
		"feature kid_collision", "feature trust_list_rotation", "feature envelope"} {
		assert.True(t, covered[k], "no vector covers %s", k)
	}
	t.Log("\n" + conformance.Summary(vs))
}

func itoa(n int) string { return json.Number(fmtInt(n)).String() }

func fmtInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func loadAll(t *testing.T) []*conformance.Vector {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(vectorDir(), "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths, "no vectors in %s", vectorDir())
	sort.Strings(paths)
	var vs []*conformance.Vector
	for _, p := range paths {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		v, err := conformance.Parse(b)
		require.NoError(t, err, p)
		require.Equal(t, filepath.Base(p), v.ID+".json")
		vs = append(vs, v)
	}
	return vs
}

// TestVectors runs every committed vector through the public API: keys.Store
// for trust lists, verify.Verifier for status lists and codes.
func TestVectors(t *testing.T) {
	for _, v := range loadAll(t) {
		t.Run(v.ID, func(t *testing.T) {
			t.Parallel()
			run(t, v)
		})
	}
}

// unavailable is a replay store that knows its server is down, the one
// error under which a fallback policy checks locally (verify.ErrReplayStoreDown).
type unavailable struct{}

func (unavailable) CheckAndMark([32]byte, time.Time, time.Time) (bool, error) {
	return false, fmt.Errorf("replay store unreachable: %w", verify.ErrReplayStoreDown)
}

func run(t *testing.T, v *conformance.Vector) {
	dir := t.TempDir()
	rootPath := filepath.Join(dir, "root.jwk")
	require.NoError(t, os.WriteFile(rootPath, v.Root, 0o600))
	rootKey, err := keys.LoadPublicKey(rootPath)
	require.NoError(t, err)
	var now time.Time
	clock := func() time.Time { return now }
	store, err := keys.OpenStore(filepath.Join(dir, "trust-store.json"), rootKey, keys.WithClock(clock))
	require.NoError(t, err)
	pol, ok := v.Policy.VerifyPolicy()
	require.True(t, ok, "policy: a claim, document or profile unknown")
	opts := []verify.Option{verify.WithClock(clock)}
	if v.ReplayStore == "unavailable" {
		opts = append(opts, verify.WithReplayCache(unavailable{}))
	}
	var ver *verify.Verifier
	for i, s := range v.Steps {
		now = time.Unix(s.Now, 0).UTC()
		switch s.Op {
		case conformance.OpTrustList:
			err := store.Update([]byte(s.JWS))
			if s.Expect.Result == conformance.Refused {
				assert.Equal(t, s.Expect.Error, trustError(err), "step %d: trust list", i)
				continue
			}
			require.NoError(t, err, "step %d: trust list", i)
			if ver == nil {
				ver, err = verify.New(store.Current(), pol, opts...)
				require.NoError(t, err)
			} else {
				require.NoError(t, ver.SetTrustList(store.Current()))
			}
		case conformance.OpStatusList:
			require.NotNil(t, ver, "step %d: no trust list yet", i)
			tok, err := hex.DecodeString(s.Hex)
			require.NoError(t, err)
			checkReason(t, i, s.Expect, ver.AddStatusList(tok))
		case conformance.OpVerifyText, conformance.OpVerifyImage:
			require.NotNil(t, ver, "step %d: no trust list yet", i)
			var res *verify.Result
			if s.Op == conformance.OpVerifyText {
				res, err = ver.VerifyText(s.Text)
			} else {
				b, derr := hex.DecodeString(s.Hex)
				require.NoError(t, derr)
				img, derr := png.Decode(bytes.NewReader(b))
				require.NoError(t, derr)
				res, err = ver.VerifyImage(img)
			}
			if !checkReason(t, i, s.Expect, err) || err != nil {
				continue
			}
			assert.Equal(t, compact(t, s.Expect), compact(t, outcome(t, res)), "step %d: accepted result", i)
		}
	}
}

// checkReason compares err with the expected outcome and reports whether
// they agree.
func checkReason(t *testing.T, i int, e conformance.Expect, err error) bool {
	t.Helper()
	if e.Result == conformance.Accepted {
		return assert.NoError(t, err, "step %d", i)
	}
	var ve *verify.Error
	if !assert.ErrorAs(t, err, &ve, "step %d: want %s", i, e.Reason) {
		return false
	}
	return assert.Equal(t, e.Reason, ve.Reason.String(), "step %d: %v", i, err)
}

func trustError(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, keys.ErrBadSignature):
		return "bad_signature"
	case errors.Is(err, keys.ErrRollback):
		return "rollback"
	case errors.Is(err, keys.ErrExpired):
		return "expired"
	case errors.Is(err, keys.ErrMalformed):
		return "malformed"
	}
	return "other: " + err.Error()
}

// compact returns e with its claim values in compact JSON, so that the
// indentation of the vector file does not matter.
func compact(t *testing.T, e conformance.Expect) conformance.Expect {
	t.Helper()
	out := e
	claims := func(cs []conformance.Claim) []conformance.Claim {
		var res []conformance.Claim
		for _, c := range cs {
			var b bytes.Buffer
			require.NoError(t, json.Compact(&b, c.Value))
			c.Value = b.Bytes()
			res = append(res, c)
		}
		return res
	}
	out.Claims = claims(e.Claims)
	out.Members = nil
	for _, m := range e.Members {
		out.Members = append(out.Members, conformance.Member{Claims: claims(m.Claims)})
	}
	return out
}

// outcome is the vector form of an accepted result.
func outcome(t *testing.T, res *verify.Result) conformance.Expect {
	t.Helper()
	e := conformance.Expect{Result: conformance.Accepted, Profile: res.Profile.String(),
		IssuerID: res.IssuerID, IssuerName: res.IssuerName, Audience: res.Audience}
	for _, w := range res.Warnings {
		e.Warnings = append(e.Warnings, w.String())
	}
	if res.KK != nil || res.BirthCertificate != nil {
		// The result is minimised already: show all it holds.
		conformance.DocumentOutcome(&e, res.KK, res.BirthCertificate, func(credential.Claim) bool { return true })
		return e
	}
	all, err := json.Marshal(res.Claims)
	require.NoError(t, err)
	var values map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(all, &values))
	for _, c := range res.Claims.Claims() {
		id, en := res.Claims.Display(c)
		e.Claims = append(e.Claims, conformance.Claim{Claim: c.String(),
			Label: conformance.Text{ID: c.Indonesian(), EN: c.English()}, Value: values[c.String()],
			Display: conformance.Text{ID: id, EN: en}})
	}
	return e
}
