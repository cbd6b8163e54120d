package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/verify"
)

// TestFamilyDocuments runs issue 15 end to end through the programs: the
// issuer signs Budi's household KK and his son's Akta for the phone that
// holds his KTP (issuer family), the wallet imports them beside the KTP and
// shares the son's entries with the school, and a school receiver made from
// the files alone accepts both codes.
func TestFamilyDocuments(t *testing.T) {
	w := exampletest.Setup(t, true)
	clock := time.Now().Truncate(time.Second)
	env := exampleutil.Env{Now: func() time.Time { return clock }}
	wallet := func(args ...string) (string, error) {
		var b bytes.Buffer
		err := runEnv(env, args, &b)
		return b.String(), err
	}
	records := map[string]any{"kk": testkit.Family(4), "akta": testkit.Birth()}
	for flagName, rec := range records {
		data, err := json.Marshal(rec)
		require.NoError(t, err)
		path := filepath.Join(w.Dir, flagName+".json")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		out := exampletest.MustRun(t, w.Issuer, "family", "-key", w.Budi.IssuerKey, "-issuer-id", "3171",
			"-db", w.Budi.State, "-device", filepath.Join(w.Budi.Wallet, "device.jwk"), "-"+flagName, path,
			"-out", filepath.Join(w.Dir, "family"))
		assert.Contains(t, out, "(the KTP's)")
	}
	files, err := filepath.Glob(filepath.Join(w.Dir, "family", "*.cbor"))
	require.NoError(t, err)
	require.Len(t, files, 6, "kk-full, kk-members, two kk-school (two children), akta-full, akta-school")
	out, err := wallet(append([]string{"import", "-dir", w.Budi.Wallet}, files...)...)
	require.NoError(t, err)
	assert.Contains(t, out, "the family card of BUDI SANTOSO, for AYU LESTARI SANTOSO")
	assert.Contains(t, out, "the birth certificate of RIZKY PRATAMA SANTOSO")

	school := w.Verifier(t, verify.SchoolEnrolment(), func() time.Time { return clock })
	for _, tt := range []struct {
		args    []string
		profile credential.Profile
	}{
		{[]string{"-profile", "kk-school", "-subject", "3171012107140002"}, credential.ProfileKKSchool},
		{[]string{"-document", "akta_kelahiran"}, credential.ProfileAktaSchool},
		{[]string{"-claims", "member_name,member_nik,member_relationship,member_birth_date", "-subject", "3171012107140002"}, credential.ProfileKKSchool},
		// Look 15, newcomer 2: -for-school, and a KK asked for one child
		// without claims, give the child's entry, never the household.
		{[]string{"-for-school", "-subject", "3171012107140002"}, credential.ProfileKKSchool},
		{[]string{"-for-school", "-document", "akta_kelahiran", "-subject", "3171012107140002"}, credential.ProfileAktaSchool},
		{[]string{"-document", "kk", "-subject", "3171012107140002"}, credential.ProfileKKSchool},
	} {
		// Newcomer 8: the folder of -out is created.
		prefix := filepath.Join(t.TempDir(), "codes", "share")
		_, err := wallet(append([]string{"share", "-dir", w.Budi.Wallet, "-for", "1h", "-out", prefix}, tt.args...)...)
		require.NoError(t, err, "%v", tt.args)
		text, err := os.ReadFile(prefix + ".txt")
		require.NoError(t, err)
		res, err := school.VerifyText(string(text))
		require.NoError(t, err, "%v", tt.args)
		assert.Equal(t, tt.profile, res.Profile)
		switch res.Profile.Document() {
		case credential.DocumentKK:
			require.NotNil(t, res.KK)
			assert.Equal(t, "RIZKY PRATAMA SANTOSO", res.KK.Members[0].Name, "the child asked for")
		case credential.DocumentBirthCertificate:
			assert.Equal(t, "RIZKY PRATAMA SANTOSO", res.BirthCertificate.ChildName)
		}
	}

	// The KTP codes still come from the KTP.
	prefix := filepath.Join(t.TempDir(), "kai")
	_, err = wallet("share", "-dir", w.Budi.Wallet, "-for", "5m", "-out", prefix)
	require.NoError(t, err)
	text, err := os.ReadFile(prefix + ".txt")
	require.NoError(t, err)
	res, err := w.Verifier(t, verify.ShareReceiver(), func() time.Time { return clock }).VerifyText(string(text))
	require.NoError(t, err)
	assert.Equal(t, "BUDI SANTOSO", res.Claims.Name)

	// Newcomer 3: a second child's birth certificate is a file of its
	// own, and importing the same file twice says so.
	ayu := testkit.Birth()
	ayu.Number, ayu.ChildNIK, ayu.ChildName, ayu.Sex = "3171-LT-10092017-0045", "3171014309170001", "AYU LESTARI SANTOSO", credential.SexFemale
	ayu.BirthDate, ayu.IssueDate, ayu.BirthOrder = credential.Date{Year: 2017, Month: 9, Day: 3}, credential.Date{Year: 2017, Month: 9, Day: 10}, 2
	data, err := json.Marshal(ayu)
	require.NoError(t, err)
	ayuPath := filepath.Join(w.Dir, "ayu.json")
	require.NoError(t, os.WriteFile(ayuPath, data, 0o644))
	exampletest.MustRun(t, w.Issuer, "family", "-key", w.Budi.IssuerKey, "-issuer-id", "3171",
		"-db", w.Budi.State, "-device", filepath.Join(w.Budi.Wallet, "device.jwk"), "-akta", ayuPath,
		"-out", filepath.Join(w.Dir, "ayu"))
	ayuFiles, err := filepath.Glob(filepath.Join(w.Dir, "ayu", "*.cbor"))
	require.NoError(t, err)
	require.NotEmpty(t, ayuFiles)
	_, err = wallet(append([]string{"import", "-dir", w.Budi.Wallet}, ayuFiles...)...)
	require.NoError(t, err)
	held, err := filepath.Glob(filepath.Join(w.Budi.Wallet, "credential-akta-school-*.cbor"))
	require.NoError(t, err)
	assert.Len(t, held, 2, "one akta-school per child")
	out, err = wallet(append([]string{"import", "-dir", w.Budi.Wallet}, ayuFiles[0])...)
	require.NoError(t, err)
	assert.Contains(t, out, "already imported")

	// Usage errors.
	for _, args := range [][]string{{"-document", "passport"}, {"-for-school"}, {"-for-school", "-for-kai", "-subject", "3171012107140002"}} {
		_, err := wallet(append([]string{"share", "-dir", w.Budi.Wallet, "-for", "1h", "-out", prefix}, args...)...)
		var u *exampleutil.UsageError
		assert.ErrorAs(t, err, &u, "%v", args)
	}
}
