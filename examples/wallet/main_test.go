package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampletest"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// fakeClock is a clock that Sleep advances: the tests never sleep.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps int
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps++
}

// allProfiles are the profiles an issuer signs by default.
var allProfiles = []credential.Profile{credential.ProfileFull, credential.ProfileTravel, credential.ProfileKAI, credential.ProfileAge}

func TestWallet(t *testing.T) {
	w := exampletest.Setup(t, false) // the issuer made the credentials; this test imports them
	start := time.Now().Truncate(time.Second)
	clock := &fakeClock{t: start}
	env := exampleutil.Env{Now: clock.Now, Sleep: clock.Sleep}
	dir := w.Budi.Wallet
	out := t.TempDir()
	wallet := func(args ...string) (string, error) {
		var b bytes.Buffer
		err := runEnv(env, args, &b)
		return b.String(), err
	}
	verifier := func(p verify.Policy) *verify.Verifier { return w.Verifier(t, p, clock.Now) }

	t.Run("import", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join(w.Budi.Creds, "*.cbor"))
		require.NoError(t, err)
		require.Len(t, files, 4)
		got, err := wallet(append([]string{"import", "-dir", dir}, files...)...)
		require.NoError(t, err)
		assert.Contains(t, got, "imported kai credential of BUDI SANTOSO (issuer 3171")
		for _, p := range allProfiles {
			st, err := os.Stat(filepath.Join(dir, "credential-"+p.String()+".cbor"))
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
		}
	})

	t.Run("import refuses a credential bound to another device", func(t *testing.T) {
		_, err := wallet("import", "-dir", dir, filepath.Join(w.Siti.Creds, "credential-kai.cbor"))
		require.ErrorIs(t, err, qr.ErrDevice)
		_, err = os.Stat(filepath.Join(dir, "credential-kai.cbor"))
		require.NoError(t, err, "Budi's own kai credential is still there")
	})

	t.Run("png for the airline", func(t *testing.T) {
		png, txt := filepath.Join(out, "airline.png"), filepath.Join(out, "airline.txt")
		_, err := wallet("png", "-dir", dir, "-for-airline", "-out", png, "-text", txt)
		require.NoError(t, err)
		text, err := os.ReadFile(txt)
		require.NoError(t, err)
		scanned := exampletest.ScanFile(t, png)
		assert.Equal(t, string(text), scanned)
		res, err := verifier(verify.AirlineCheckIn()).VerifyText(scanned)
		require.NoError(t, err)
		assert.Equal(t, credential.ProfileTravel, res.Profile, "the smallest profile an airline needs")
		assert.Equal(t, verify.AudienceAirline, res.Audience)
		assert.Equal(t, "BUDI SANTOSO", res.Claims.Name)
	})

	t.Run("png of a named profile", func(t *testing.T) {
		png, txt := filepath.Join(out, "full.png"), filepath.Join(out, "full.txt")
		_, err := wallet("png", "-dir", dir, "-profile", "full", "-out", png, "-text", txt)
		require.NoError(t, err)
		text, err := os.ReadFile(txt)
		require.NoError(t, err)
		res, err := verifier(verify.ShareReceiver()).VerifyText(string(text))
		require.NoError(t, err)
		assert.Equal(t, credential.ProfileFull, res.Profile)
		assert.Nil(t, res.Claims.Address, "a receiver sees only the claims its policy names")
		p := verify.ShareReceiver()
		p.AllowedClaims = []credential.Claim{credential.ClaimAddress}
		res, err = verifier(p).VerifyText(string(text))
		require.NoError(t, err)
		require.NotNil(t, res.Claims.Address)
	})

	t.Run("share for five minutes", func(t *testing.T) {
		prefix := filepath.Join(out, "share")
		_, err := wallet("share", "-dir", dir, "-for", "5m", "-claims", "name,nik", "-out", prefix)
		require.NoError(t, err)
		text, err := os.ReadFile(prefix + ".txt")
		require.NoError(t, err)
		scanned := exampletest.ScanFile(t, prefix+".png")
		assert.Equal(t, string(text), scanned)
		v := verifier(verify.ShareReceiver())
		res, err := v.VerifyText(scanned)
		require.NoError(t, err)
		assert.Equal(t, 5*time.Minute, res.Expires.Sub(res.IssuedAt))
		assert.Equal(t, credential.ProfileKAI, res.Profile)

		_, err = verifier(verify.KAIGate(verify.Ticket{})).VerifyText(scanned)
		assert.ErrorIs(t, err, verify.ReasonLifetimeTooLong, "a gate takes live codes only")
	})

	t.Run("share link for one hour", func(t *testing.T) {
		prefix := filepath.Join(out, "link")
		got, err := wallet("share", "-dir", dir, "-for", "1h", "-link", "https://verify.example.id/S/", "-out", prefix)
		require.NoError(t, err)
		link, err := os.ReadFile(prefix + ".link")
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(link), "HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:"), "%s", link)
		assert.Contains(t, got, strings.TrimSpace(string(link)), "the link is printed")
		res, err := verifier(verify.ShareReceiver()).VerifyText(string(link))
		require.NoError(t, err, "a receiver reads the link as it was written, line ending and all")
		assert.Equal(t, time.Hour, res.Expires.Sub(res.IssuedAt))

		_, err = verifier(verify.AirlineCheckIn()).VerifyText(string(link))
		assert.ErrorIs(t, err, verify.ReasonLifetimeTooLong, "a desk takes live codes, not links")

		bad := filepath.Join(out, "badlink")
		_, err = wallet("share", "-dir", dir, "-for", "5m", "-link", "http://verify.example.id/", "-out", bad)
		var uerr *exampleutil.UsageError
		assert.ErrorAs(t, err, &uerr, "plain http is a usage error")
		assert.NoFileExists(t, bad+".png", "a bad link writes nothing")
	})

	t.Run("show rotates codes with a countdown", func(t *testing.T) {
		before := clock.Now()
		got, err := wallet("show", "-dir", dir, "-for-kai", "-count", "3", "-refresh", "30s")
		require.NoError(t, err)
		assert.Equal(t, 90*time.Second, clock.Now().Sub(before), "three codes of 30 s on the fake clock")
		assert.Contains(t, got, "Code 3: profil/profile kai")
		assert.NotContains(t, got, "Code 4")
		assert.Contains(t, got, "new code in 30 s")
		assert.Contains(t, got, "new code in  1 s")
		assert.Contains(t, got, "█")
	})

	t.Run("usage errors", func(t *testing.T) {
		for _, args := range [][]string{
			nil, {"nope"}, {"show"}, {"show", "-dir", dir, "-refresh", "2m"}, {"share", "-dir", dir, "-for", "10m", "-out", "x"},
			{"png", "-dir", dir}, {"png", "-dir", dir, "-out", "x.png", "-claims", "shoe_size"},
			{"png", "-dir", dir, "-out", "x.png", "-for-airline", "-for-kai"},
			{"init", "-dir", dir}, {"show", "-dir", t.TempDir(), "-count", "1"},
		} {
			_, err := wallet(args...)
			assert.Equal(t, 2, exampleutil.ExitCode(err, &bytes.Buffer{}), "%v: %v", args, err)
		}
	})

	t.Run("init prints the public JWK", func(t *testing.T) {
		got, err := wallet("init", "-dir", filepath.Join(t.TempDir(), "new"))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(got, "{") && strings.Contains(got, `"crv":"P-256"`), got)
		assert.NotContains(t, got, `"d"`, "no private key material")
	})
}
