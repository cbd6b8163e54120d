package main

import (
	"bytes"
	"crypto"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// start is the demo's fixed start time in tests.
var start = testkit.Now

func TestStory(t *testing.T) {
	var out bytes.Buffer
	steps, err := story(start, "", &out)
	require.NoError(t, err)

	// The story, step by step: who, where, and the outcome.
	want := []struct {
		scanner string
		reason  verify.Reason // 0: accepted
		name    string        // accepted: the disclosed name
		profile credential.Profile
	}{
		{"airline", 0, "BUDI SANTOSO", credential.ProfileTravel},
		{"airline", 0, "SITI RAHMAWATI", credential.ProfileTravel},
		{"airline", 0, "TANAKA HIROSHI", credential.ProfileTravel},
		{"airline", verify.ReasonReplayed, "", 0},
		{"airline", verify.ReasonWrongAudience, "", 0},
		{"kai", 0, "BUDI SANTOSO", credential.ProfileKAI},
		{"kai", verify.ReasonTicketMismatch, "", 0},
		{"kai", verify.ReasonBadIssuerSignature, "", 0}, // a hostile wallet edits its own credential
		{"kai", verify.ReasonPresentationExpired, "", 0},
		{"airline", verify.ReasonRevoked, "", 0},
		{"airline", 0, "TANAKA HIROSHI", credential.ProfileTravel},
		// The school enrolment: a KK and an Akta carry no KTP claims.
		{"school", 0, "", credential.ProfileKKSchool},
		{"school", 0, "", credential.ProfileAktaSchool},
		{"school", 0, "RIZKY PRATAMA SANTOSO", credential.ProfileAktaSchool}, // the same child in both
		{"school", verify.ReasonPolicyUnmet, "", 0},                          // a KTP at the school
		{"kai", verify.ReasonPolicyUnmet, "", 0},                             // a KK at the gate
		{"school", verify.ReasonBadIssuerSignature, "", 0},                   // an edited Akta
	}
	require.Len(t, steps, len(want))
	for i, w := range want {
		s := steps[i]
		t.Run(s.Title, func(t *testing.T) {
			assert.Equal(t, w.scanner, s.Scanner)
			assert.Equal(t, w.reason, s.Want, "the story's expectation")
			assert.Equal(t, w.reason, s.Got, "the actual outcome")
			assert.True(t, s.OK())
			if w.reason == 0 {
				require.True(t, s.Verdict.Accepted)
				require.NotNil(t, s.Verdict.Claims)
				assert.Equal(t, w.name, s.Verdict.Claims.Name)
				assert.Equal(t, w.profile.String(), s.Verdict.Profile)
				assert.Empty(t, s.Verdict.Reason)
			} else {
				assert.False(t, s.Verdict.Accepted)
				assert.Equal(t, w.reason.String(), s.Verdict.Reason)
				assert.Equal(t, w.reason.Indonesian(), s.Verdict.MessageID)
				assert.Equal(t, w.reason.English(), s.Verdict.MessageEN)
				assert.Contains(t, out.String(), "DITOLAK / REJECTED: "+w.reason.Indonesian()+" / "+w.reason.English()+" ("+w.reason.String()+")")
			}
		})
	}
	assert.Contains(t, out.String(), "DITERIMA / ACCEPTED: BUDI SANTOSO, NIK 3171011708850003")
	assert.Contains(t, out.String(), "ANAK/Child RIZKY PRATAMA SANTOSO NIK 3171012107140002 lahir/born 2014-07-21; "+
		"KEPALA KELUARGA/Head of the family BUDI SANTOSO NIK 3171011708850003; ISTRI/Wife DEWI LESTARI")
	assert.NotContains(t, out.String(), "AYU LESTARI SANTOSO NIK", "the school never sees Rizky's sister")
	assert.Contains(t, out.String(), "SAMA / SAME: RIZKY PRATAMA SANTOSO")
}

func TestSameChild(t *testing.T) {
	kk, akta := household(), rizkysBirth()
	school := &credential.KK{Members: []credential.Member{kk.Members[2]}}
	tests := []struct {
		name string
		edit func(m *credential.Member, a *credential.BirthCertificate)
		ok   bool
	}{
		{"same", func(*credential.Member, *credential.BirthCertificate) {}, true},
		{"another_nik", func(m *credential.Member, _ *credential.BirthCertificate) { m.NIK = "3171014309170001" }, false},
		{"another_name", func(_ *credential.Member, a *credential.BirthCertificate) { a.ChildName = "AYU" }, false},
		{"another_birth_date", func(m *credential.Member, _ *credential.BirthCertificate) { m.BirthDate.Day = 22 }, false},
		{"another_mother", func(_ *credential.Member, a *credential.BirthCertificate) { a.Mother = "HARTATI" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := *school
			k.Members = []credential.Member{school.Members[0]}
			a := akta
			tt.edit(&k.Members[0], &a)
			err := sameChild(&k, &a)
			assert.Equal(t, tt.ok, err == nil, "%v", err)
		})
	}
	assert.Error(t, sameChild(nil, &akta))
	kkHousehold := household()
	assert.NoError(t, kkHousehold.Validate(credential.ProfileKKFull), "the demo's household is a valid KK")
	birth := rizkysBirth()
	assert.NoError(t, birth.Validate(credential.ProfileAktaFull))
}

func TestRun(t *testing.T) {
	t.Run("exits cleanly when the story goes as expected", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run([]string{"-now", start.Format(time.RFC3339)}, &out))
		assert.Contains(t, out.String(), "17 steps, 17 as expected")
	})
	t.Run("runs at the current time by default", func(t *testing.T) {
		var out bytes.Buffer
		require.NoError(t, run(nil, &out))
	})
	t.Run("bad flags are usage errors", func(t *testing.T) {
		for _, args := range [][]string{{"-now", "yesterday"}, {"extra"}, {"-nope"}} {
			err := run(args, &bytes.Buffer{})
			var u *exampleutil.UsageError
			assert.ErrorAs(t, err, &u, "%v", args)
			assert.Equal(t, 2, exampleutil.ExitCode(err, &bytes.Buffer{}))
		}
	})
}

// contractFiles are the names outside checks read from -out.
var contractFiles = []string{
	"trust.jws", "root.jwk", "issuers.jwks", "status.cbor",
	"credential-full.cbor", "credential-travel.cbor", "credential-kai.cbor",
	"presentation-full.txt", "presentation-travel.txt", "presentation-kai.txt",
	"presentation-full.png", "presentation-travel.png", "presentation-kai.png",
	"reference-time",
	// The family documents shared with the school (issue 15).
	"credential-kk-school.cbor", "credential-akta-school.cbor",
	"presentation-kk-school.txt", "presentation-akta-school.txt",
	"presentation-kk-school.png", "presentation-akta-school.png",
}

// writeDemo runs the demo with -out into a fresh directory.
func writeDemo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, run([]string{"-out", dir, "-now", start.Format(time.RFC3339)}, &bytes.Buffer{}))
	return dir
}

func TestOut(t *testing.T) {
	dir := writeDemo(t)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, contractFiles, names, "exactly the contract files, no temporary files left")

	now := func() time.Time { return start }
	// verifier is made from the written files alone, as a scanner is.
	verifier := func(t *testing.T, policy verify.Policy) *verify.Verifier {
		return exampletest.Verifier(t, filepath.Join(dir, "trust.jws"), filepath.Join(dir, "root.jwk"),
			[]string{filepath.Join(dir, "status.cbor")}, policy, now)
	}

	// issuerKeys reads issuers.jwks, a standard JWK set with a validity
	// member, and returns each issuer's public key: every JWK of the set is
	// loaded with keys.LoadPublicKey, as a single-key file.
	issuerKeys := func(t *testing.T) map[string]crypto.PublicKey {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, "issuers.jwks"))
		require.NoError(t, err)
		var set struct {
			Keys     []json.RawMessage `json:"keys"`
			Validity []struct{ Kid, Iss string }
		}
		require.NoError(t, json.Unmarshal(data, &set))
		require.Len(t, set.Validity, len(set.Keys), "one validity window per key")
		pubs := map[string]crypto.PublicKey{}
		for i, raw := range set.Keys {
			var jwk struct{ Kid string }
			require.NoError(t, json.Unmarshal(raw, &jwk))
			assert.Equal(t, jwk.Kid, set.Validity[i].Kid)
			path := filepath.Join(t.TempDir(), "key.jwk")
			require.NoError(t, os.WriteFile(path, raw, 0o644))
			pub, err := keys.LoadPublicKey(path)
			require.NoError(t, err, "JWK %d of issuers.jwks", i)
			pubs[set.Validity[i].Iss] = pub
		}
		return pubs
	}

	t.Run("the reference time is when the codes were made", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "reference-time"))
		require.NoError(t, err)
		require.True(t, strings.HasSuffix(string(data), "Z\n"), "one RFC 3339 line in UTC")
		at, err := time.Parse(time.RFC3339, strings.TrimSuffix(string(data), "\n"))
		require.NoError(t, err)
		assert.True(t, at.Equal(start), "reference time %v, story start %v", at, start)
		v := verifier(t, verify.KAIGate(verify.Ticket{}))
		txt, err := os.ReadFile(filepath.Join(dir, "presentation-kai.txt"))
		require.NoError(t, err)
		_, err = v.VerifyText(string(txt))
		assert.NoError(t, err, "the KAI code verifies at the reference time")
	})

	t.Run("the issuer keys file holds both issuers", func(t *testing.T) {
		pubs := issuerKeys(t)
		assert.Len(t, pubs, 2)
		assert.Contains(t, pubs, "3171")
		assert.Contains(t, pubs, "3273")
	})

	t.Run("the status list is signed by an issuer of the trust list", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "status.cbor"))
		require.NoError(t, err)
		v := exampletest.Verifier(t, filepath.Join(dir, "trust.jws"), filepath.Join(dir, "root.jwk"), nil, verify.AirlineCheckIn(), now)
		assert.NoError(t, v.AddStatusList(data))
		assert.NoError(t, v.AddStatusList(data), "the same list again is no rollback")
	})

	for _, p := range profilesOut {
		t.Run(p.String(), func(t *testing.T) {
			cred, err := os.ReadFile(filepath.Join(dir, "credential-"+p.String()+".cbor"))
			require.NoError(t, err)
			signed, err := credential.Parse(cred)
			require.NoError(t, err)
			assert.Equal(t, p, signed.UnverifiedCredential().Profile)
			pub, ok := issuerKeys(t)[signed.UnverifiedCredential().Issuer]
			require.True(t, ok, "the credential's issuer is in issuers.jwks")
			c, err := signed.Verify(pub)
			require.NoError(t, err, "the issuer key in issuers.jwks verifies the credential")
			assert.Equal(t, "3171", c.Issuer)
			assert.Equal(t, "BUDI SANTOSO", c.Claims.Name)

			txt, err := os.ReadFile(filepath.Join(dir, "presentation-"+p.String()+".txt"))
			require.NoError(t, err)
			text := string(txt)
			assert.False(t, strings.HasSuffix(text, "\n"), "no trailing newline")
			assert.True(t, strings.HasPrefix(text, presentation.Prefix))

			scanned := exampletest.ScanFile(t, filepath.Join(dir, "presentation-"+p.String()+".png"))
			assert.Equal(t, text, scanned, "the PNG reads back to the text")

			raw, err := presentation.Decode(text)
			require.NoError(t, err)
			parsed, err := presentation.Parse(raw)
			require.NoError(t, err)
			assert.Equal(t, signed.UnverifiedCredential(), parsed.Credential().UnverifiedCredential(),
				"the code shows the written credential")
			assert.True(t, bytes.HasSuffix(cred, parsed.Credential().Bytes()), "same bytes, tag 18 aside")

			// A verifier made from the written files alone accepts it,
			// at the time it was made.
			policy := verify.AirlineCheckIn()
			switch p {
			case credential.ProfileKAI:
				policy = verify.KAIGate(verify.Ticket{Name: "BUDI SANTOSO", NIK: "3171011708850003"})
			case credential.ProfileFull:
				policy = verify.ShareReceiver()
			}
			res, err := verifier(t, policy).VerifyText(text)
			require.NoError(t, err)
			assert.Equal(t, p, res.Profile)
			assert.Equal(t, "BUDI SANTOSO", res.Claims.Name)
			assert.Equal(t, "3171", res.IssuerID)
		})
	}
}

// TestOutFamily checks the family files -out writes: each credential
// verifies with the issuer key of issuers.jwks and is bound to the device
// key and status entry of Budi's KTP, each code reads back from its PNG,
// and a school receiver made from the written files alone accepts it.
func TestOutFamily(t *testing.T) {
	dir := writeDemo(t)
	now := func() time.Time { return start }
	ktp, err := os.ReadFile(filepath.Join(dir, "credential-full.cbor"))
	require.NoError(t, err)
	ktpSigned, err := credential.Parse(ktp)
	require.NoError(t, err)
	school := exampletest.Verifier(t, filepath.Join(dir, "trust.jws"), filepath.Join(dir, "root.jwk"),
		[]string{filepath.Join(dir, "status.cbor")}, verify.SchoolEnrolment(), now)
	for _, p := range docsOut {
		t.Run(p.String(), func(t *testing.T) {
			cred, err := os.ReadFile(filepath.Join(dir, "credential-"+p.String()+".cbor"))
			require.NoError(t, err)
			signed, err := credential.Parse(cred)
			require.NoError(t, err)
			c := signed.UnverifiedCredential()
			assert.Equal(t, p, c.Profile)
			assert.True(t, c.DeviceKey.Equal(ktpSigned.UnverifiedCredential().DeviceKey), "the KTP's device key")
			assert.Equal(t, ktpSigned.UnverifiedCredential().Status, c.Status, "the KTP's status entry")
			assert.True(t, c.About(rizky), "about Rizky")

			txt, err := os.ReadFile(filepath.Join(dir, "presentation-"+p.String()+".txt"))
			require.NoError(t, err)
			text := string(txt)
			assert.Equal(t, text, exampletest.ScanFile(t, filepath.Join(dir, "presentation-"+p.String()+".png")))
			res, err := school.VerifyText(text)
			require.NoError(t, err)
			assert.Equal(t, p, res.Profile)
			assert.Equal(t, qr.ShareOneHour, res.Expires.Sub(res.IssuedAt))
			switch p.Document() {
			case credential.DocumentKK:
				require.NotNil(t, res.KK)
				assert.Equal(t, "RIZKY PRATAMA SANTOSO", res.KK.Members[0].Name)
			case credential.DocumentBirthCertificate:
				require.NotNil(t, res.BirthCertificate)
				assert.Equal(t, "RIZKY PRATAMA SANTOSO", res.BirthCertificate.ChildName)
			}
		})
	}
}

// TestOutZbar reads every PNG the demo writes with Debian's zbarimg, an
// independent decoder, and compares with the matching text file.
func TestOutZbar(t *testing.T) {
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian: apt-get install zbar-tools); skipping the independent decoder check")
	}
	dir := writeDemo(t)
	for _, p := range append(append([]credential.Profile(nil), profilesOut...), docsOut...) {
		t.Run(p.String(), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, "presentation-"+p.String()+".txt"))
			require.NoError(t, err)
			got, err := exec.Command(zbar, "--raw", "-q", filepath.Join(dir, "presentation-"+p.String()+".png")).Output()
			require.NoError(t, err)
			assert.Equal(t, string(want), strings.TrimSuffix(string(got), "\n"))
		})
	}
}
