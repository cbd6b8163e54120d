package main

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/hex"
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
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

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
	now := func() time.Time { return testkit.Now }
	tl, err := keys.ParseTrustList(jws, root, keys.WithClock(now))
	require.NoError(t, err)
	assert.Equal(t, uint64(1), tl.Sequence())
	assert.True(t, testkit.Now.AddDate(0, 0, 30).Equal(tl.NextUpdate()), "next update in 30 days: %v", tl.NextUpdate())

	issuerPub, err := keys.LoadPublicKey(p("issuer.jwk"))
	require.NoError(t, err)
	_, err = keys.ParseTrustList(jws, issuerPub, keys.WithClock(now))
	assert.ErrorIs(t, err, keys.ErrBadSignature, "signed by the root key, not any key")
	kid, err := keys.KeyID(issuerPub)
	require.NoError(t, err)
	ks := tl.Lookup(kid)
	require.Len(t, ks, 1, "the issuer key is in the list")
	assert.Equal(t, "3273", ks[0].IssuerID)
	assert.Equal(t, "Disdukcapil Kota Bandung", ks[0].IssuerName)
	assert.Equal(t, keys.EdDSA, ks[0].Algorithm)
	assert.True(t, ks[0].ValidAt(testkit.Now))
	assert.True(t, ks[0].ValidAt(testkit.Now.Add(-time.Hour)), "-key-not-before 1h")
	assert.False(t, ks[0].ValidAt(testkit.Now.Add(-2*time.Hour)))
	assert.True(t, ks[0].ValidAt(testkit.Now.AddDate(4, 11, 0)), "-key-valid 5 years")
	assert.False(t, ks[0].ValidAt(testkit.Now.AddDate(5, 0, 1)))

	// issuers.jwks is a standard JWK set holding the issuer's public JWK,
	// with the key's validity window beside it.
	var set struct {
		Keys     []map[string]any `json:"keys"`
		Validity []struct {
			Kid, Iss string
			Nbf, Exp int64
		} `json:"validity"`
	}
	require.NoError(t, json.Unmarshal(must(os.ReadFile(p("issuers.jwks"))), &set))
	var pubJWK map[string]any
	require.NoError(t, json.Unmarshal(must(os.ReadFile(p("issuer.jwk"))), &pubJWK))
	require.Len(t, set.Keys, 1)
	assert.Equal(t, pubJWK, set.Keys[0])
	assert.Equal(t, "EdDSA", set.Keys[0]["alg"])
	require.Len(t, set.Validity, 1)
	assert.Equal(t, "3273", set.Validity[0].Iss)
	assert.Equal(t, set.Keys[0]["kid"], set.Validity[0].Kid)
	assert.Equal(t, testkit.Now.Add(-time.Hour).Unix(), set.Validity[0].Nbf)
	assert.Equal(t, ks[0].NotAfter.Unix(), set.Validity[0].Exp)
	assert.NotContains(t, set.Keys[0], "d", "no private key material")

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), ".tmp", "no temporary file left behind")
	}
}

func TestIssueRevokePublish(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	require.NoError(t, keys.SavePublicKey(p("device2.pem"), testkit.Device("issuer test 2").Public()))
	issueArgs := func(device, out string) []string {
		return []string{"issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
			"-person", p("siti.json"), "-device", p(device), "-out", p(out)}
	}
	runOK(t, issueArgs("device.pem", "creds")...)
	runOK(t, issueArgs("device2.pem", "creds2")...) // a second device of the same person gets its own index
	code, err := exitCode(issueArgs("device.pem", "creds3")...)
	assert.Equal(t, 2, code, "the same person and device again: %v", err)
	assert.ErrorContains(t, err, "already issued to this NIK and device key")
	code, err = exitCode(issueArgs("device2.pem", "creds")...)
	assert.Equal(t, 2, code, "another holder's files are not overwritten: %v", err)
	assert.ErrorContains(t, err, "exists")
	st, err := os.Stat(filepath.Join(p("creds"), "credential-full.cbor"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "a credential holds personal data")
	devices := map[string]*ecdsa.PublicKey{"creds": &testkit.Device("issuer test").PublicKey, "creds2": &testkit.Device("issuer test 2").PublicKey}

	issuerPub, err := keys.LoadPublicKey(p("issuer.jwk"))
	require.NoError(t, err)
	var indices []uint32
	for _, d := range []string{"creds", "creds2"} {
		for _, prof := range allProfiles {
			data, err := os.ReadFile(filepath.Join(p(d), "credential-"+prof.String()+".cbor"))
			require.NoError(t, err)
			signed, err := credential.Parse(data)
			require.NoError(t, err)
			c, err := signed.Verify(issuerPub)
			require.NoError(t, err, "signed by the issuer key")
			assert.Equal(t, prof, c.Profile)
			assert.Equal(t, "3273", c.Issuer)
			assert.True(t, devices[d].Equal(c.DeviceKey))
			assert.Equal(t, testkit.Now.Truncate(time.Second).Unix(), c.IssuedAt.Unix())
			if prof == credential.ProfileFull {
				indices = append(indices, c.Status.Index)
			}
		}
	}
	require.Len(t, indices, 2)
	assert.NotEqual(t, indices[0], indices[1], "every issuance gets its own index")

	st, err = os.Stat(p("issuer.db"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	// The database records each index with the holder's NIK and the
	// device's COSE kid.
	db, err := issuerdb.Open(p("issuer.db"))
	require.NoError(t, err)
	assert.Equal(t, "3273", db.IssuerID())
	kid1, err := keys.KeyID(testkit.Device("issuer test").Public())
	require.NoError(t, err)
	kid2, err := keys.KeyID(testkit.Device("issuer test 2").Public())
	require.NoError(t, err)
	entries, err := db.Find(issuerdb.Query{NIK: testkit.Woman().NIK})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.Len(t, entries, 2)
	var dbIndices []uint32
	for _, e := range entries {
		dbIndices = append(dbIndices, e.Ref.Index)
		assert.Equal(t, status.StatusValid, e.Status)
		assert.Contains(t, []string{hex.EncodeToString(kid1), hex.EncodeToString(kid2)}, hex.EncodeToString(e.Device))
		assert.Equal(t, "ktp", e.Kind)
		assert.True(t, testkit.Now.Truncate(time.Second).Equal(e.IssuedAt))
	}
	assert.ElementsMatch(t, indices, dbIndices)

	e, clock := testEnv("")
	lookup := func() (status.Status, status.Status) {
		clock.advance(time.Second) // each publication is dated after the last
		runWith(t, e, "publish", "-key", p("issuer.key"), "-db", p("issuer.db"), "-out", p("status.cbor"),
			"-trust", p("trust.jws"), "-root", p("root.jwk"))
		data, err := os.ReadFile(p("status.cbor"))
		require.NoError(t, err)
		signed, err := statuslist.Parse(data)
		require.NoError(t, err)
		l, err := signed.Verify(issuerPub)
		require.NoError(t, err, "signed by the issuer key")
		assert.Equal(t, uint32(1), l.ListID())
		assert.Equal(t, 24*time.Hour, l.TTL())
		assert.True(t, clock.now().AddDate(0, 0, 30).Equal(l.Expiry()))
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

	// A credential file selects its index only when it verifies, and
	// only if its holder is the one recorded there.
	code, err = exitCode("revoke", "-db", p("issuer.db"), "-credential", filepath.Join(p("creds"), "credential-kai.cbor"), "-yes")
	assert.Equal(t, 2, code, "an unverified file selects nothing: %v", err)
	runOK(t, "keygen", "-alg", "EdDSA", "-key", p("forger.key"), "-pub", p("forger.jwk"))
	forged := forgeCredential(t, p("forger.key"), indices[1])
	require.NoError(t, os.WriteFile(p("forged.cbor"), forged, 0o600))
	for _, verify := range [][]string{{"-issuer-pub", p("issuer.jwk")}, {"-trust", p("trust.jws"), "-root", p("root.jwk")}} {
		code, err = exitCode(append([]string{"revoke", "-db", p("issuer.db"), "-credential", p("forged.cbor"), "-yes"}, verify...)...)
		assert.Equal(t, 2, code, "a file signed by another key: %v", err)
		assert.ErrorContains(t, err, "does not verify")
	}
	// Signed by the issuer's key, but for another device than the one
	// recorded at that index (another office's database, an old copy).
	require.NoError(t, os.WriteFile(p("other.cbor"), forgeCredential(t, p("issuer.key"), indices[1]), 0o600))
	code, err = exitCode("revoke", "-db", p("issuer.db"), "-credential", p("other.cbor"), "-issuer-pub", p("issuer.jwk"), "-yes")
	assert.Equal(t, 2, code, "%v", err)
	assert.ErrorContains(t, err, "is not the one recorded")
	runOK(t, "revoke", "-db", p("issuer.db"), "-credential", filepath.Join(p("creds"), "credential-kai.cbor"), "-trust", p("trust.jws"), "-root", p("root.jwk"), "-yes")
	runOK(t, "suspend", "-db", p("issuer.db"), "-index", itoa(indices[1]), "-yes")
	a, b = lookup()
	assert.Equal(t, status.StatusRevoked, a, "revoked by credential file")
	assert.Equal(t, status.StatusSuspended, b, "suspended by index")

	runOK(t, "reinstate", "-db", p("issuer.db"), "-index", itoa(indices[1]), "-yes")
	_, b = lookup()
	assert.Equal(t, status.StatusValid, b, "a suspension can be lifted")

	runOK(t, issueArgs("device.pem", "renewed")...) // its entry revoked, the device can be issued again
	code, _ = exitCode("reinstate", "-db", p("issuer.db"), "-index", itoa(indices[0]), "-yes")
	assert.Equal(t, 2, code, "a revocation is for good")
	code, _ = exitCode("suspend", "-db", p("issuer.db"), "-index", itoa(indices[0]), "-yes")
	assert.Equal(t, 2, code, "a revoked entry is not suspended")
	for _, cmd := range []string{"revoke", "reinstate"} {
		idx := map[string]uint32{"revoke": indices[0], "reinstate": indices[1]}[cmd]
		code, err = exitCode(cmd, "-db", p("issuer.db"), "-index", itoa(idx), "-yes")
		assert.Equal(t, 0, code, "%s: already so, nothing to change: %v", cmd, err)
	}
	code, err = exitCode("revoke", "-db", p("issuer.db"), "-index", "-5", "-dry-run")
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "-index -5 is not a status index")
	code, _ = exitCode("revoke", "-db", p("issuer.db"), "-index", "99999", "-yes")
	assert.Equal(t, 2, code, "an index never issued")
	code, _ = exitCode("issue", "-key", p("issuer.key"), "-issuer-id", "3171", "-db", p("issuer.db"),
		"-person", p("siti.json"), "-device", p("device.pem"), "-out", p("x"))
	assert.Equal(t, 2, code, "the database belongs to another issuer")
	code, _ = exitCode("issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
		"-person", p("siti.json"), "-device", p("issuer.jwk"), "-out", p("x"))
	assert.Equal(t, 2, code, "a device key must be P-256")
	_, err = os.Stat(p("x"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing issued")
}

// forgeCredential signs, with key (not the issuer's), a credential of
// issuer 3273 naming status index idx of list 1 for another device.
func forgeCredential(t *testing.T, keyPath string, idx uint32) []byte {
	t.Helper()
	signer, err := keys.LoadPrivateKey(keyPath)
	require.NoError(t, err)
	iss, err := credential.NewIssuer("3273", signer)
	require.NoError(t, err)
	issued, err := iss.Issue(&credential.Request{Claims: testkit.Woman(), DeviceKey: testkit.Device("forged").Public().(*ecdsa.PublicKey),
		Status: credential.StatusRef{List: 1, Index: idx}, IssuedAt: testkit.Now, Expiry: testkit.Now.Add(time.Hour), Profiles: []credential.Profile{credential.ProfileKAI}})
	require.NoError(t, err)
	return issued[0].Bytes
}

// allProfiles are the profiles issue signs by default.
var allProfiles = []credential.Profile{credential.ProfileFull, credential.ProfileTravel, credential.ProfileKAI, credential.ProfileAge}

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
		return runEnv(fixedEnv, []string{"issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
			"-person", p("bad.json"), "-device", p("device.pem"), "-out", p("creds")}, &bytes.Buffer{})
	}
	good := must(json.Marshal(testkit.Woman()))
	var rec map[string]any
	require.NoError(t, json.Unmarshal(good, &rec))

	// problem is what the test expects of one credential.Problem.
	type problem struct {
		claim credential.Claim // 0: no claim (unknown member, not JSON)
		kind  error            // the sentinel it wraps
	}
	tests := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string
		expect []problem // exactly these, in this order
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
			expect: []problem{
				// decoding, in the record's order
				{credential.ClaimBloodType, credential.ErrInvalidValue},
				{credential.ClaimName, credential.ErrInvalidValue},
				{0, credential.ErrInvalidValue},
				// validation of the members that decoded, in Validate's
				// order; name and blood_type are not reported missing too
				{credential.ClaimReligion, credential.ErrMissingClaim},
				{credential.ClaimBirthDate, credential.ErrNIKMismatch},
				{credential.ClaimSex, credential.ErrNIKMismatch},
			},
		},
		{
			name:   "a missing claim alone",
			edit:   func(m map[string]any) { delete(m, "occupation") },
			expect: []problem{{credential.ClaimOccupation, credential.ErrMissingClaim}},
		},
		{name: "not JSON", raw: "{nik:", expect: []problem{{0, credential.ErrInvalidValue}}},
		{name: "not an object", raw: "[1, 2]", expect: []problem{{0, credential.ErrInvalidValue}}},
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
			require.ErrorAs(t, err, &pe)
			var got []problem
			for _, prob := range pe.Problems {
				kind := error(nil)
				for _, k := range []error{credential.ErrInvalidValue, credential.ErrMissingClaim, credential.ErrNIKMismatch} {
					if errors.Is(prob, k) {
						kind = k
					}
				}
				got = append(got, problem{prob.Claim, kind})
			}
			assert.Equal(t, tt.expect, got, "every problem at once: %v", err)
			for _, want := range tt.expect {
				assert.ErrorIs(t, err, want.kind, "the kinds are visible through the PersonError")
			}
			assert.Equal(t, 1, exampleutil.ExitCode(err, &bytes.Buffer{}))
			_, statErr := os.Stat(p("creds"))
			assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing issued")
			_, statErr = os.Stat(p("issuer.db"))
			assert.ErrorIs(t, statErr, os.ErrNotExist, "no index handed out, no database made")
		})
	}

	t.Run("a syntax error is kept for errors.As", func(t *testing.T) {
		var se *json.SyntaxError
		assert.ErrorAs(t, issue("{nik:"), &se)
	})
}

func TestUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		nil, {"nope"}, {"keygen"}, {"keygen", "-alg", "RS256", "-key", "a", "-pub", "b"},
		{"trustlist", "-root-key", filepath.Join(dir, "missing"), "-out", "x", "-issuer", "1,a,b"},
		{"trustlist", "-root-key", "r", "-out", "x"}, {"trustlist", "-root-key", "r", "-out", "x", "-issuer", "nocommas"},
		{"issue", "-key", "k"}, {"revoke", "-db", "s"}, {"publish", "-key", "k"},
		{"issue", "-key", "k", "-issuer-id", "1", "-state", "s", "-person", "p", "-device", "d", "-out", "o", "-profiles", "nope"},
	} {
		code, err := exitCode(args...)
		assert.Equal(t, 2, code, "%v: %v", args, err)
	}
}

// TestIssueRollsOver: once every index of a status list is handed out,
// the next issue opens the next list id instead of failing.
func TestIssueRollsOver(t *testing.T) {
	dir := setup(t)
	p := func(n string) string { return filepath.Join(dir, n) }
	args := func(out string) []string {
		return []string{"issue", "-key", p("issuer.key"), "-issuer-id", "3273", "-db", p("issuer.db"),
			"-person", p("siti.json"), "-device", p("device.pem"), "-out", p(out)}
	}
	runOK(t, append(args("first"), "-list-size", "1")...)
	runOK(t, "revoke", "-db", p("issuer.db"), "-index", "0", "-yes") // a renewal
	runOK(t, args("second")...)
	issuerPub := mustLoad(t, p("issuer.jwk"))
	for out, want := range map[string]credential.StatusRef{"first": {List: 1, Index: 0}, "second": {List: 2, Index: 0}} {
		signed, err := credential.Parse(must(os.ReadFile(filepath.Join(p(out), "credential-kai.cbor"))))
		require.NoError(t, err)
		c, err := signed.Verify(issuerPub)
		require.NoError(t, err)
		assert.Equal(t, want, c.Status, out)
	}
	code, err := exitCode(append(args("third"), "-list-size", "2")...)
	assert.Equal(t, 2, code, "-list-size is fixed when the database is made: %v", err)
	for _, size := range []string{"0", "134217729", "200000000"} {
		code, err := exitCode("init", "-db", p("other.db"), "-issuer-id", "3273", "-list-size", size)
		assert.Equal(t, 2, code, "list size %s refused up front: %v", size, err)
	}
	_, statErr := os.Stat(p("other.db"))
	assert.ErrorIs(t, statErr, os.ErrNotExist)
	_, statErr = os.Stat(p("third"))
	assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing written for a refused issue")
}
