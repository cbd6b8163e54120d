package mobile

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/qr"
)

func TestWalletListsCredentials(t *testing.T) {
	f := newFixture(t, nil)
	require.Equal(t, int64(4), f.wallet.Count())
	for i, want := range []string{"full", "travel", "kai", "age"} {
		c := f.wallet.At(int64(i))
		require.NotNil(t, c)
		assert.Equal(t, want, c.Profile, "profile order")
		assert.Equal(t, "3171", c.IssuerID)
		assert.Equal(t, testkit.Now.AddDate(0, 0, -30).Unix(), c.IssuedAt)
		assert.Equal(t, testkit.Now.AddDate(1, 0, 0).Unix(), c.Expires)
	}
	assert.Nil(t, f.wallet.At(4))
	assert.Nil(t, f.wallet.At(-1))

	full := f.wallet.At(0).Claims
	assert.Equal(t, int64(14), full.Count(), "every claim but nationality (a citizen has none)")
	name := full.Get("name")
	require.NotNil(t, name)
	assert.Equal(t, Claim{Key: "name", IndonesianLabel: "Nama", EnglishLabel: "Name", IndonesianValue: "BUDI SANTOSO", EnglishValue: "BUDI SANTOSO"}, *name)
	born := full.Get("birth_date")
	require.NotNil(t, born)
	assert.Equal(t, "17-08-1985", born.IndonesianValue)
	assert.Equal(t, "1985-08-17", born.EnglishValue)
	assert.Equal(t, "nik", full.At(0).Key, "key order: NIK first")
	assert.Nil(t, full.At(14))
	assert.Nil(t, full.Get("over_17"), "the full profile has no age flag")
	assert.Equal(t, "nik,name", f.wallet.At(2).Claims.Keys())
	assert.Equal(t, "over_17", f.wallet.At(3).Claims.Keys())

	// A copy: changing what At returned changes nothing held.
	full.At(0).IndonesianValue = "x"
	name.IndonesianValue = "x"
	assert.Equal(t, "BUDI SANTOSO", f.wallet.At(0).Claims.Get("name").IndonesianValue)
}

// corrupt returns cred with the last byte of its issuer signature changed:
// it still parses, and only a verifier sees the signature is wrong.
func corrupt(cred []byte) []byte {
	out := bytes.Clone(cred)
	out[len(out)-1] ^= 1
	return out
}

func TestAddCredential(t *testing.T) {
	f := newFixture(t, nil)
	var renewed []byte
	t.Run("a renewal replaces the credential of its profile", func(t *testing.T) {
		f.clock.add(time.Hour)
		renewed = f.office.issueAt(t, &f.signer.key.PublicKey, testkit.Now, testkit.Now.AddDate(2, 0, 0))["kai"]
		c, err := f.wallet.AddCredential(renewed)
		require.NoError(t, err)
		assert.Equal(t, "kai", c.Profile)
		assert.Equal(t, testkit.Now.AddDate(2, 0, 0).Unix(), c.Expires)
		assert.Equal(t, testkit.Now.AddDate(2, 0, 0).Unix(), f.wallet.At(2).Expires)
		assert.Equal(t, int64(4), f.wallet.Count())
		code, err := f.wallet.NextCode("", AudienceKAI)
		require.NoError(t, err)
		assert.Equal(t, "kai", code.Profile)
	})
	other := f.office.issue(t, &testkit.Device("someone else").PublicKey)["kai"]
	for _, tc := range []struct {
		name string
		in   []byte
		code string
	}{
		{"garbage", []byte{1, 2, 3}, codeMalformed},
		{"empty", nil, codeMalformed},
		{"truncated", f.creds["kai"][:len(f.creds["kai"])-1], codeMalformed},
		{"over 4096 bytes", bytes.Repeat([]byte{0xd2}, 4097), codeMalformed},
		{"bound to another phone", other, codeDevice},
		// The held kai credential is now the renewal above.
		{"the credential the renewal replaced", f.creds["kai"], codeRollback},
		{"an older credential", f.office.issueAt(t, &f.signer.key.PublicKey, testkit.Now.AddDate(0, -6, 0), testkit.Now.AddDate(0, 6, 0))["kai"], codeRollback},
		// Newer than the one held, but expired by the phone's clock (testkit.Now + 1 h).
		{"an expired credential", f.office.issueAt(t, &f.signer.key.PublicKey, testkit.Now.Add(30*time.Minute), testkit.Now.Add(time.Hour))["kai"], codeExpired},
		{"a credential of the renewal's issue time with other bytes", corrupt(f.office.issueAt(t, &f.signer.key.PublicKey, testkit.Now, testkit.Now.AddDate(2, 0, 0))["kai"]), codeRollback},
	} {
		t.Run(tc.name+" is refused and changes nothing", func(t *testing.T) {
			c, err := f.wallet.AddCredential(tc.in)
			assert.Nil(t, c)
			wantCode(t, err, tc.code)
			assert.Equal(t, int64(4), f.wallet.Count())
		})
	}
	t.Run("the same credential again changes nothing", func(t *testing.T) {
		held := f.wallet.At(2)
		c, err := f.wallet.AddCredential(renewed)
		require.NoError(t, err)
		assert.Equal(t, held, c)
		assert.Equal(t, int64(4), f.wallet.Count())
	})
	t.Run("the bytes are copied", func(t *testing.T) {
		w, err := NewWallet(&goSigner{key: f.signer.key})
		require.NoError(t, err)
		b := bytes.Clone(f.creds["kai"])
		_, err = w.AddCredential(b)
		require.NoError(t, err)
		clear(b)
		_, err = w.NextCode("", AudienceKAI)
		assert.NoError(t, err)
	})
}

func TestProfileFor(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct{ claims, want string }{
		{"", "kai"},
		{"name,nik", "kai"},
		{" nik , name ", "kai"},
		{"name,nik,birth_date", "travel"},
		{"sex", "travel"},
		{"address", "full"},
		{"religion,nik", "full"},
		{"over_17", "age"},
	} {
		t.Run(tc.claims, func(t *testing.T) {
			got, err := f.wallet.ProfileFor(tc.claims)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			code, err := f.wallet.NextCode(tc.claims, "")
			require.NoError(t, err)
			assert.Equal(t, tc.want, code.Profile, "NextCode shows what ProfileFor says")
		})
	}
	for _, tc := range []struct{ claims, code string }{
		{"over_17,name", codeNoProfile},
		{"religon", codeInvalidArgument},
		{"name,", codeInvalidArgument},
		{"Name", codeInvalidArgument},
		{strings.Repeat("nik,", 300), codeInvalidArgument},
	} {
		t.Run(tc.claims+" is refused", func(t *testing.T) {
			_, err := f.wallet.ProfileFor(tc.claims)
			wantCode(t, err, tc.code)
		})
	}
	t.Run("an empty wallet has nothing to show", func(t *testing.T) {
		w, err := NewWallet(f.signer)
		require.NoError(t, err)
		assert.Equal(t, int64(0), w.Count())
		_, err = w.ProfileFor("")
		wantCode(t, err, codeNoProfile)
		_, err = w.NextCode("", "")
		wantCode(t, err, codeNoProfile)
		_, err = w.ShareCode("", ShareOneHour)
		wantCode(t, err, codeNoProfile)
		_, err = w.ShareCode("full", ShareOneHour)
		wantCode(t, err, codeNoProfile)
	})
}

func TestNextCode(t *testing.T) {
	f := newFixture(t, nil)
	before := f.signer.calls
	code, err := f.wallet.NextCode("", AudienceKAI)
	require.NoError(t, err)
	assert.Equal(t, before+1, f.signer.calls, "one signature per code")
	assert.True(t, strings.HasPrefix(code.Text, "IKD1:"))
	assert.Equal(t, "kai", code.Profile)
	assert.Equal(t, testkit.Now.Unix(), code.IssuedAt)
	assert.Equal(t, testkit.Now.Unix()+60, code.Expires)
	assert.Equal(t, int64(30), code.RefreshIn)

	img, err := png.Decode(bytes.NewReader(code.PNG))
	require.NoError(t, err)
	text, err := qr.Scan(img)
	require.NoError(t, err)
	assert.Equal(t, code.Text, text, "the PNG reads back to the text")

	again, err := f.wallet.NextCode("", AudienceKAI)
	require.NoError(t, err)
	assert.NotEqual(t, code.Text, again.Text, "every code differs")

	for _, tc := range []struct{ name, audience string }{
		{"audience over 64 bytes", strings.Repeat("A", 65)},
		{"audience not printable ASCII", "KAI\n"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := f.wallet.NextCode("", tc.audience)
			wantCode(t, err, codeInvalidArgument)
		})
	}
}

func TestShareCode(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		profile, want string
		lifetime      int64
	}{
		{"", "kai", ShareFiveMinutes},
		{"", "kai", ShareOneHour},
		{"full", "full", ShareOneHour},
		{"travel", "travel", ShareFiveMinutes},
	} {
		code, err := f.wallet.ShareCode(tc.profile, tc.lifetime)
		require.NoError(t, err)
		assert.Equal(t, tc.want, code.Profile)
		assert.Equal(t, tc.lifetime, code.Expires-code.IssuedAt)
		assert.Equal(t, tc.lifetime/2, code.RefreshIn)
	}
	for _, tc := range []struct {
		name, profile string
		lifetime      int64
	}{
		{"a live lifetime", "", 60},
		{"ten minutes", "", 600},
		{"zero", "", 0},
		{"negative", "", -300},
		{"an unknown profile", "kk", ShareOneHour},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := f.wallet.ShareCode(tc.profile, tc.lifetime)
			wantCode(t, err, codeInvalidArgument)
		})
	}
}

func TestDeviceSigner(t *testing.T) {
	o := newOffice(t)
	key := testkit.Device("signer formats")
	creds := o.issue(t, &key.PublicKey)
	sc, err := newScanner(o.trustList(t, 1, "Disdukcapil"), o.rootPEM(t), &Policy{Name: PolicyShare}, func() time.Time { return testkit.Now })
	require.NoError(t, err)
	require.NoError(t, sc.AddStatusList(o.statusList(t, 0, time.Hour)))
	for _, pub := range []string{"spki", "point", "compressed"} {
		for _, sig := range []string{"der", "raw"} {
			t.Run(pub+"/"+sig+" is accepted", func(t *testing.T) {
				w, err := NewWallet(&goSigner{key: key, pubForm: pub, sigForm: sig})
				require.NoError(t, err)
				w.now = func() time.Time { return testkit.Now }
				_, err = w.AddCredential(creds["kai"])
				require.NoError(t, err)
				for range 3 {
					code, err := w.NextCode("", "")
					require.NoError(t, err)
					res := sc.VerifyText(code.Text)
					assert.True(t, res.Accepted, res.Reason)
				}
			})
		}
	}

	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	p384SPKI, err := x509.MarshalPKIXPublicKey(&p384.PublicKey)
	require.NoError(t, err)
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edSPKI, err := x509.MarshalPKIXPublicKey(edPub)
	require.NoError(t, err)
	offCurve, err := key.PublicKey.Bytes()
	require.NoError(t, err)
	offCurve[64] ^= 1
	for _, tc := range []struct {
		name string
		pub  []byte
		err  error
		code string
	}{
		{"P-384 key", p384SPKI, nil, codeDevice},
		{"Ed25519 key", edSPKI, nil, codeDevice},
		{"point off the curve", offCurve, nil, codeDevice},
		{"compressed point off the curve", append([]byte{0x02}, bytes.Repeat([]byte{0xff}, 32)...), nil, codeDevice},
		{"empty", []byte{}, nil, codeDevice},
		{"garbage", []byte("not a key"), nil, codeDevice},
		{"over 256 bytes", bytes.Repeat([]byte{0x30}, 257), nil, codeDevice},
		{"PublicKey fails", nil, errors.New("keystore gone"), codeSigner},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			w, err := NewWallet(&fixedPublicKey{pub: tc.pub, err: tc.err})
			assert.Nil(t, w)
			wantCode(t, err, tc.code)
		})
	}
	t.Run("nil signer is refused", func(t *testing.T) {
		_, err := NewWallet(nil)
		wantCode(t, err, codeInvalidArgument)
	})

	other := testkit.Device("another")
	for _, tc := range []struct {
		name   string
		signer DeviceSigner
		detail string
	}{
		{"a failing signer", &goSigner{key: key, fail: errors.New("user authentication required")}, "user authentication required"},
		{"another key's signature", &otherKeySigner{goSigner{key: key}, other}, "does not verify"},
		{"garbage signature", &garbageSigner{goSigner{key: key}}, "does not verify"},
	} {
		t.Run(tc.name+" is a signer error", func(t *testing.T) {
			w, err := NewWallet(tc.signer)
			require.NoError(t, err)
			_, err = w.AddCredential(creds["kai"])
			require.NoError(t, err)
			_, err = w.NextCode("", "")
			wantCode(t, err, codeSigner)
			assert.Contains(t, err.Error(), tc.detail)
			_, err = w.ShareCode("", ShareOneHour)
			wantCode(t, err, codeSigner)
		})
	}
	t.Run("the adapter refuses digests", func(t *testing.T) {
		d, err := newDeviceKey(&goSigner{key: key})
		require.NoError(t, err)
		_, err = d.Sign(rand.Reader, make([]byte, 32), nil)
		wantCode(t, err, codeSigner)
		_, err = d.SignMessage(rand.Reader, []byte("m"), nil)
		wantCode(t, err, codeSigner)
	})
}

// fixedPublicKey is a signer whose PublicKey returns pub, err.
type fixedPublicKey struct {
	pub []byte
	err error
}

func (f *fixedPublicKey) PublicKey() ([]byte, error)  { return f.pub, f.err }
func (f *fixedPublicKey) Sign([]byte) ([]byte, error) { return nil, errors.New("unused") }

// otherKeySigner claims one key and signs with another.
type otherKeySigner struct {
	goSigner
	other *ecdsa.PrivateKey
}

func (s *otherKeySigner) Sign(m []byte) ([]byte, error) {
	return (&goSigner{key: s.other}).Sign(m)
}

// garbageSigner returns 64 bytes that are no signature.
type garbageSigner struct{ goSigner }

func (s *garbageSigner) Sign([]byte) ([]byte, error) { return bytes.Repeat([]byte{0x30}, 64), nil }

// blockingSigner signs only when released, as a key store waiting for the
// user's fingerprint does.
type blockingSigner struct {
	goSigner
	entered, release chan struct{}
}

func (s *blockingSigner) Sign(m []byte) ([]byte, error) {
	s.entered <- struct{}{}
	<-s.release
	return s.goSigner.Sign(m)
}

// TestSignerRunsWithoutTheLock checks that the wallet can be listed and
// changed while a signature waits for the user (the test would deadlock
// otherwise).
func TestSignerRunsWithoutTheLock(t *testing.T) {
	f := newFixture(t, nil)
	s := &blockingSigner{goSigner{key: f.signer.key}, make(chan struct{}), make(chan struct{})}
	w, err := NewWallet(s)
	require.NoError(t, err)
	_, err = w.AddCredential(f.creds["kai"])
	require.NoError(t, err)
	for name, call := range map[string]func() (*Code, error){
		"NextCode":  func() (*Code, error) { return w.NextCode("", "") },
		"ShareCode": func() (*Code, error) { return w.ShareCode("", ShareFiveMinutes) },
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan error)
			go func() { _, err := call(); done <- err }()
			<-s.entered
			assert.GreaterOrEqual(t, w.Count(), int64(1))
			_, err := w.AddCredential(f.creds["age"])
			assert.NoError(t, err)
			close(s.release)
			require.NoError(t, <-done)
			s.release = make(chan struct{})
		})
	}
}
