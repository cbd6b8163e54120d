package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// fixedEnv runs the issuer at testkit.Now.
var fixedEnv = exampleutil.Env{Now: func() time.Time { return testkit.Now }}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, runEnv(fixedEnv, args, &out), "issuer %v", args)
	return out.String()
}

func exitCode(args ...string) (int, error) {
	err := runEnv(fixedEnv, args, &bytes.Buffer{})
	return exampleutil.ExitCode(err, &bytes.Buffer{}), err
}

// setup makes root and issuer keys, a trust list and a device key in dir.
func setup(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	runOK(t, "keygen", "-alg", "ES256", "-key", p("root.key"), "-pub", p("root.jwk"))
	runOK(t, "keygen", "-alg", "EdDSA", "-key", p("issuer.key"), "-pub", p("issuer.jwk"))
	runOK(t, "trustlist", "-root-key", p("root.key"), "-issuer", "3273,"+p("issuer.jwk")+",Disdukcapil Kota Bandung",
		"-out", p("trust.jws"), "-jwks", p("issuers.jwks"))
	dev := testkit.Device("issuer test")
	require.NoError(t, keys.SavePublicKey(p("device.pem"), dev.Public()))
	writePerson(t, p("siti.json"), testkit.Woman())
	return dir
}

func writePerson(t *testing.T, path string, k credential.KTP) {
	t.Helper()
	b, err := json.Marshal(k)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

func TestKeysAndTrustList(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }

	for _, name := range []string{"root.key", "issuer.key"} {
		st, err := os.Stat(p(name))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "%s is private", name)
		_, err = keys.LoadPrivateKey(p(name))
		assert.NoError(t, err)
	}
	root, err := keys.LoadPublicKey(p("root.jwk"))
	require.NoError(t, err)
	jws, err := os.ReadFile(p("trust.jws"))
	require.NoError(t, err)
	tl, err := keys.ParseTrustList(jws, root, keys.WithClock(func() time.Time { return testkit.Now }))
	require.NoError(t, err)
	require.Len(t, tl.Issuers(), 1)
	assert.Equal(t, "3273", tl.Issuers()[0].ID)
	assert.Equal(t, "Disdukcapil Kota Bandung", tl.Issuers()[0].Name)
	assert.Equal(t, keys.EdDSA, tl.Issuers()[0].Keys[0].Algorithm)
	ks, err := keys.LoadJWKSet(p("issuers.jwks"))
	require.NoError(t, err)
	assert.Len(t, ks, 1)

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".tmp", "no temporary file left behind")
	}
}

func TestIssueRevokePublish(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	issue := func(out string) {
		runOK(t, "issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-state", p("state.json"),
			"-person", p("siti.json"), "-device", p("device.pem"), "-out", p(out))
	}
	issue("creds")
	issue("creds2") // a second device of the same person gets its own index

	issuerPub, err := keys.LoadPublicKey(p("issuer.jwk"))
	require.NoError(t, err)
	var indices []uint32
	for _, d := range []string{"creds", "creds2"} {
		for _, prof := range credential.Profiles {
			data, err := os.ReadFile(filepath.Join(p(d), "credential-"+prof.String()+".cbor"))
			require.NoError(t, err)
			signed, err := credential.Parse(data)
			require.NoError(t, err)
			c, err := signed.Verify(issuerPub)
			require.NoError(t, err, "signed by the issuer key")
			assert.Equal(t, prof, c.Profile)
			assert.Equal(t, "3273", c.Issuer)
			assert.True(t, testkit.Device("issuer test").PublicKey.Equal(c.DeviceKey))
			assert.Equal(t, testkit.Now.Truncate(time.Second).Unix(), c.IssuedAt.Unix())
			if prof == credential.ProfileFull {
				indices = append(indices, c.Status.Index)
			}
		}
	}
	require.Len(t, indices, 2)
	assert.NotEqual(t, indices[0], indices[1], "every issuance gets its own index")

	st, err := os.Stat(p("state.json"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	lookup := func() (status.Status, status.Status) {
		runOK(t, "publish", "-key", p("issuer.key"), "-state", p("state.json"), "-out", p("status.cbor"))
		data, err := os.ReadFile(p("status.cbor"))
		require.NoError(t, err)
		signed, err := status.Parse(data)
		require.NoError(t, err)
		l, err := signed.Verify(-8, issuerPub)
		require.NoError(t, err)
		assert.Equal(t, "3273", l.IssuerID())
		a, err := l.Get(indices[0])
		require.NoError(t, err)
		b, err := l.Get(indices[1])
		require.NoError(t, err)
		return a, b
	}
	a, b := lookup()
	assert.Equal(t, status.StatusValid, a)
	assert.Equal(t, status.StatusValid, b)

	runOK(t, "revoke", "-state", p("state.json"), "-credential", filepath.Join(p("creds"), "credential-kai.cbor"))
	runOK(t, "revoke", "-state", p("state.json"), "-index", itoa(indices[1]), "-suspend")
	a, b = lookup()
	assert.Equal(t, status.StatusRevoked, a, "revoked by credential file")
	assert.Equal(t, status.StatusSuspended, b, "suspended by index")

	runOK(t, "revoke", "-state", p("state.json"), "-index", itoa(indices[1]), "-reinstate")
	_, b = lookup()
	assert.Equal(t, status.StatusValid, b, "a suspension can be lifted")

	code, _ := exitCode("revoke", "-state", p("state.json"), "-index", itoa(indices[0]), "-reinstate")
	assert.Equal(t, 2, code, "a revocation is for good")
	code, _ = exitCode("revoke", "-state", p("state.json"), "-index", "99999")
	assert.Equal(t, 2, code, "an index never issued")
	code, _ = exitCode("issue", "-key", p("issuer.key"), "-issuer-id", "3171", "-state", p("state.json"),
		"-person", p("siti.json"), "-device", p("device.pem"), "-out", p("x"))
	assert.Equal(t, 2, code, "the state file belongs to another issuer")
}

func itoa(i uint32) string { return string(must(json.Marshal(i))) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestIssueReportsEveryProblem(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	issue := func(record string) error {
		require.NoError(t, os.WriteFile(p("bad.json"), []byte(record), 0o644))
		return runEnv(fixedEnv, []string{"issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-state", p("state.json"),
			"-person", p("bad.json"), "-device", p("device.pem"), "-out", p("creds")}, &bytes.Buffer{})
	}
	good := must(json.Marshal(testkit.Woman()))
	var rec map[string]any
	require.NoError(t, json.Unmarshal(good, &rec))

	tests := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string
		expect []string
	}{
		{
			name: "decoding and validation problems together",
			edit: func(m map[string]any) {
				m["sex"] = "male"              // contradicts the NIK (+40 day)
				m["blood_type"] = "A+"         // not a value
				m["rt"] = 5                    // unknown member
				m["name"] = 42                 // wrong JSON type
				m["birth_date"] = "1990-03-06" // contradicts the NIK
				delete(m, "religion")          // missing
			},
			expect: []string{"rt: unknown member", "name: wrong JSON type number", "blood_type:"},
		},
		{name: "not JSON", raw: "{nik:", expect: []string{"not a JSON object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			record := tt.raw
			if tt.edit != nil {
				m := map[string]any{}
				for k, v := range rec {
					m[k] = v
				}
				tt.edit(m)
				record = string(must(json.Marshal(m)))
			}
			err := issue(record)
			var pe *PersonError
			require.True(t, errors.As(err, &pe), "%v", err)
			for _, want := range tt.expect {
				found := false
				for _, prob := range pe.Problems {
					if len(prob) >= len(want) && prob[:len(want)] == want {
						found = true
					}
				}
				assert.True(t, found, "problem %q in %q", want, pe.Problems)
			}
			if tt.edit != nil {
				assert.GreaterOrEqual(t, len(pe.Problems), 6, "every problem at once: %q", pe.Problems)
			}
			_, statErr := os.Stat(p("creds"))
			assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing issued")
		})
	}
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		nil, {"nope"}, {"keygen"}, {"keygen", "-alg", "RS256", "-key", "a", "-pub", "b"},
		{"trustlist", "-root-key", filepath.Join(dir, "missing"), "-out", "x", "-issuer", "1,a,b"},
		{"trustlist", "-root-key", "r", "-out", "x"}, {"trustlist", "-root-key", "r", "-out", "x", "-issuer", "nocommas"},
		{"issue", "-key", "k"}, {"revoke", "-state", "s"}, {"publish", "-key", "k"},
		{"issue", "-key", "k", "-issuer-id", "1", "-state", "s", "-person", "p", "-device", "d", "-out", "o", "-profiles", "nope"},
	} {
		code, err := exitCode(args...)
		assert.Equal(t, 2, code, "%v: %v", args, err)
	}
}
