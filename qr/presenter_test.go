package qr

import (
	"crypto"
	"crypto/ecdsa"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
)

// credList returns the credentials of creds for the given profiles, in that
// order (all four, largest first, when none are named).
func credList(creds map[credential.Profile][]byte, profiles ...credential.Profile) [][]byte {
	if len(profiles) == 0 {
		profiles = allProfiles
	}
	out := make([][]byte, 0, len(profiles))
	for _, p := range profiles {
		out = append(out, creds[p])
	}
	return out
}

// testWallet returns a deterministic wallet for the man with all four
// profiles, whose clock reads testkit.Now.
func testWallet(t testing.TB, alg string) *Wallet {
	t.Helper()
	creds, dev := issueCreds(t, alg, "man", testkit.Man())
	w, err := NewWallet(dev, credList(creds), WithClock(fixedClock(testkit.Now)), WithRand(testkit.NewReader("wallet "+alg)))
	require.NoError(t, err)
	return w
}

func TestNewWallet(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "man", testkit.Man())
	womanCreds, _ := issueCreds(t, "ES256", "woman", testkit.Woman(), credential.ProfileKAI)

	t.Run("all_profiles", func(t *testing.T) {
		w, err := NewWallet(dev, credList(creds))
		require.NoError(t, err)
		assert.Equal(t, allProfiles, w.profiles())
	})
	tests := []struct {
		name  string
		creds [][]byte
		opts  []Option
		err   error
	}{
		{"credential_of_another_device", [][]byte{creds[credential.ProfileKAI], womanCreds[credential.ProfileKAI]}, nil, ErrDevice},
		{"garbage_bytes", [][]byte{creds[credential.ProfileKAI], []byte("garbage")}, nil, credential.ErrMalformed},
		{"empty_credential", [][]byte{nil}, nil, credential.ErrMalformed},
		{"no_credentials", nil, nil, errOptions},
		{"nil_clock", credList(creds), []Option{WithClock(nil)}, errOptions},
		{"nil_rand", credList(creds), []Option{WithRand(nil)}, errOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWallet(dev, tt.creds, tt.opts...)
			assert.ErrorIs(t, err, tt.err)
			assert.Nil(t, w)
		})
	}
	t.Run("nil_device", func(t *testing.T) {
		_, err := NewWallet(nil, credList(creds))
		assert.ErrorIs(t, err, ErrDevice)
	})
	t.Run("wrong_device", func(t *testing.T) {
		_, err := NewWallet(testkit.Device("woman"), credList(creds))
		assert.ErrorIs(t, err, ErrDevice)
	})
}

func TestWalletPresentChoosesSmallestProfile(t *testing.T) {
	w := testWallet(t, "ES256")
	c := func(cs ...credential.Claim) []credential.Claim { return cs }
	tests := []struct {
		name   string
		claims []credential.Claim
		want   credential.Profile
	}{
		{"nothing_asked_gives_kai", nil, credential.ProfileKAI},
		{"name_and_nik_give_kai", c(credential.ClaimName, credential.ClaimNIK), credential.ProfileKAI},
		{"nik_alone_gives_kai", c(credential.ClaimNIK), credential.ProfileKAI},
		{"birth_date_gives_travel", c(credential.ClaimName, credential.ClaimNIK, credential.ClaimBirthDate), credential.ProfileTravel},
		{"sex_gives_travel", c(credential.ClaimSex), credential.ProfileTravel},
		{"religion_gives_full", c(credential.ClaimReligion), credential.ProfileFull},
		{"address_gives_full", c(credential.ClaimName, credential.ClaimAddress), credential.ProfileFull},
		{"over_17_gives_age", c(credential.ClaimOver17), credential.ProfileAge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := w.Present(Request{Claims: tt.claims})
			require.NoError(t, err)
			assert.Equal(t, tt.want, code.Profile)
			p := parseText(t, code.Text)
			cred := p.Credential().UnverifiedCredential()
			assert.Equal(t, tt.want, cred.Profile)
			for _, claim := range tt.claims {
				assert.True(t, cred.Claims.Has(claim), "%v shown", claim)
			}
			assert.NoError(t, p.VerifyDevice())
		})
	}
	t.Run("over_17_and_name_has_no_profile", func(t *testing.T) {
		// The age profile carries nothing identifying and the others no
		// over-17 flag: no single credential satisfies both.
		_, err := w.Present(Request{Claims: c(credential.ClaimOver17, credential.ClaimName)})
		assert.ErrorIs(t, err, ErrNoProfile)
	})
}

func TestWalletPresentOnlyKAI(t *testing.T) {
	creds, dev := issueCreds(t, "EdDSA", "wna", testkit.Foreigner(), credential.ProfileKAI)
	w, err := NewWallet(dev, credList(creds, credential.ProfileKAI), WithClock(fixedClock(testkit.Now)))
	require.NoError(t, err)
	assert.Equal(t, []credential.Profile{credential.ProfileKAI}, w.profiles())

	code, err := w.Present(Request{Claims: []credential.Claim{credential.ClaimName, credential.ClaimNIK}})
	require.NoError(t, err)
	assert.Equal(t, credential.ProfileKAI, code.Profile)

	for _, claim := range []credential.Claim{credential.ClaimAddress, credential.ClaimBirthDate, credential.ClaimOver17} {
		code, err := w.Present(Request{Claims: []credential.Claim{claim}})
		assert.ErrorIs(t, err, ErrNoProfile, "%v", claim)
		assert.Nil(t, code)
	}
	_, err = w.Present(Request{Profile: credential.ProfileFull})
	assert.ErrorIs(t, err, ErrNoProfile)
	_, _, err = w.PresentImage(Request{Claims: []credential.Claim{credential.ClaimAddress}})
	assert.ErrorIs(t, err, ErrNoProfile)
}

func TestWalletPresentProfile(t *testing.T) {
	w := testWallet(t, "EdDSA")
	for _, prof := range allProfiles {
		t.Run(prof.String(), func(t *testing.T) {
			code, err := w.Present(Request{Profile: prof, Audience: "GA-CGK"})
			require.NoError(t, err)
			assert.Equal(t, prof, code.Profile)
			p := parseText(t, code.Text)
			assert.Equal(t, prof, p.Credential().UnverifiedCredential().Profile)
			assert.Equal(t, "GA-CGK", p.Audience())
			assert.NoError(t, p.VerifyDevice())
		})
	}
	for _, prof := range []credential.Profile{credential.ProfileKKSchool, credential.Profile(10)} {
		_, err := w.Present(Request{Profile: prof})
		assert.ErrorIs(t, err, ErrNoProfile, "%v is not held", prof)
	}
}

func TestWalletCodeTimes(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "woman", testkit.Woman())
	// A clock with a fractional second, advanced by the test.
	now := testkit.Now.Add(250 * time.Millisecond)
	w, err := NewWallet(dev, credList(creds), WithClock(func() time.Time { return now }), WithRand(testkit.NewReader("times")))
	require.NoError(t, err)
	tests := []struct {
		name     string
		lifetime time.Duration
		want     time.Duration
	}{
		{"live_default", 0, 60 * time.Second},
		{"share_5_min", ShareFiveMinutes, 5 * time.Minute},
		{"share_1_h", ShareOneHour, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := w.Present(Request{Lifetime: tt.lifetime})
			require.NoError(t, err)
			assert.True(t, code.IssuedAt.Equal(testkit.Now), "IssuedAt %v", code.IssuedAt)
			assert.True(t, code.Expires.Equal(testkit.Now.Add(tt.want)), "Expires %v", code.Expires)
			p := parseText(t, code.Text)
			assert.True(t, p.IssuedAt().Equal(code.IssuedAt))
			assert.True(t, p.Expires().Equal(code.Expires))
			assert.Equal(t, tt.want, p.Lifetime())
		})
	}
	for _, bad := range []time.Duration{500 * time.Millisecond, 25 * time.Hour, 61500 * time.Millisecond} {
		code, err := w.Present(Request{Lifetime: bad})
		assert.ErrorIs(t, err, errOptions, "%v", bad)
		assert.Nil(t, code)
	}
	code, err := w.Present(Request{Audience: strings.Repeat("x", 65)})
	assert.ErrorIs(t, err, errOptions)
	assert.Nil(t, code)

	t.Run("clock_moves", func(t *testing.T) {
		now = testkit.Now.Add(31 * time.Second)
		code, err := w.Present(Request{})
		require.NoError(t, err)
		assert.True(t, code.IssuedAt.Equal(testkit.Now.Add(31*time.Second)))
		assert.True(t, code.Expires.Equal(testkit.Now.Add(91*time.Second)))
	})
}

func TestWalletFreshNonce(t *testing.T) {
	w := testWallet(t, "ES256")
	a, err := w.Present(Request{})
	require.NoError(t, err)
	b, err := w.Present(Request{})
	require.NoError(t, err)
	assert.NotEqual(t, a.Text, b.Text)
	assert.Equal(t, a.IssuedAt, b.IssuedAt, "same clock")
	pa, pb := parseText(t, a.Text), parseText(t, b.Text)
	assert.NotEqual(t, pa.Nonce(), pb.Nonce())
	assert.NotEqual(t, pa.ReplayKey(), pb.ReplayKey())
	assert.Equal(t, pa.IssuedAt(), pb.IssuedAt())
}

func TestWalletPresentImage(t *testing.T) {
	for _, alg := range issuerAlgs {
		w := testWallet(t, alg)
		for _, tc := range []struct {
			claims []credential.Claim
			want   credential.Profile
		}{
			{nil, credential.ProfileKAI},
			{[]credential.Claim{credential.ClaimBirthDate}, credential.ProfileTravel},
			{[]credential.Claim{credential.ClaimReligion}, credential.ProfileFull},
			{[]credential.Claim{credential.ClaimOver17}, credential.ProfileAge},
		} {
			t.Run(alg+"/"+tc.want.String(), func(t *testing.T) {
				code, img, err := w.PresentImage(Request{Claims: tc.claims})
				require.NoError(t, err)
				require.NotNil(t, img)
				assert.Equal(t, tc.want, code.Profile)
				got, err := Scan(img)
				require.NoError(t, err)
				assert.Equal(t, code.Text, got)
				v, err := version(code.Text, eccMedium)
				require.NoError(t, err)
				side := (21 + 4*(v-1) + 2*defaultQuietZone) * defaultModuleSize
				assert.Equal(t, side, img.Bounds().Dx())
				assert.Equal(t, side, img.Bounds().Dy())
				assert.NoError(t, parseText(t, got).VerifyDevice())
			})
		}
	}
}

// parseText decodes and parses a QR text.
func parseText(t testing.TB, text string) *presentation.Presentation {
	t.Helper()
	data, err := presentation.Decode(text)
	require.NoError(t, err)
	p, err := presentation.Parse(data)
	require.NoError(t, err)
	return p
}

// TestLifetimesAgree pins the wallet's default lifetime to the wire
// format's, which internal/presentation defines on its own.
func TestLifetimesAgree(t *testing.T) {
	assert.Equal(t, presentation.DefaultLifetime, DefaultLifetime)
}

// TestRequestProfileAndClaims: a request naming both a profile and claims
// is refused rather than one silently winning.
func TestRequestProfileAndClaims(t *testing.T) {
	w := testWallet(t, "ES256")
	_, err := w.Present(Request{Profile: credential.ProfileKAI, Claims: []credential.Claim{credential.ClaimReligion}})
	assert.ErrorIs(t, err, errOptions)
	_, _, err = w.PresentImage(Request{Profile: credential.ProfileFull, Claims: []credential.Claim{credential.ClaimName}})
	assert.ErrorIs(t, err, errOptions)
}

// nilKeySigner is a crypto.Signer whose Public returns a typed nil key.
type nilKeySigner struct{ crypto.Signer }

func (nilKeySigner) Public() crypto.PublicKey { return (*ecdsa.PublicKey)(nil) }

// TestNewWalletNilDeviceKey: a signer reporting a nil P-256 key is
// ErrDevice, not a panic.
func TestNewWalletNilDeviceKey(t *testing.T) {
	creds, _ := issueCreds(t, "ES256", "man", testkit.Man(), credential.ProfileKAI)
	var err error
	require.NotPanics(t, func() { _, err = NewWallet(nilKeySigner{}, credList(creds, credential.ProfileKAI)) })
	assert.ErrorIs(t, err, ErrDevice)
}
