package presentation

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// Fixtures shared by the wallet-side tests: the three sample people, both
// issuer algorithms, and realistic wire sizes (a 4-digit issuer id, an
// 8-byte kid as keys.KeyID makes, a status index that needs 4 bytes).

// testHolders are the sample people, each with its own device key.
var testHolders = testkit.Holders

// issuerAlgs are the issuer algorithms; the device key is always P-256.
var issuerAlgs = []string{"ES256", "EdDSA"}

// allProfiles are the disclosure profiles, largest first.
var allProfiles = []credential.Profile{credential.ProfileFull, credential.ProfileTravel, credential.ProfileKAI, credential.ProfileAge}

// issueCreds is testkit.IssueAll for a test.
func issueCreds(t testing.TB, alg, label string, ktp credential.KTP, profiles ...credential.Profile) (map[credential.Profile][]byte, *ecdsa.PrivateKey) {
	t.Helper()
	m, dev, err := testkit.IssueAll(alg, label, ktp, profiles...)
	require.NoError(t, err)
	return m, dev
}

// fixedClock returns a clock that always says t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// testOptions gives a deterministic presentation at testkit.Now.
func testOptions(label string) *Options {
	return &Options{Now: fixedClock(testkit.Now), Rand: testkit.NewReader("presentation " + label)}
}

// manKAI returns a real presentation of the man's kai credential (ES256
// issuer), its credential and device key.
func manKAI(t testing.TB) (pres, cred []byte, dev *ecdsa.PrivateKey) {
	t.Helper()
	creds, dev := issueCreds(t, "ES256", "man", testkit.Man())
	cred = creds[credential.ProfileKAI]
	pres, err := New(cred, dev, testOptions("man kai"))
	require.NoError(t, err)
	return pres, cred, dev
}

// cborArray concatenates already-encoded CBOR items under a definite array
// header, so that tests can build payloads the encoder would refuse (tags,
// non-shortest integers).
func cborArray(items ...[]byte) []byte {
	out := []byte{0x80 | byte(len(items))}
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

func mustCBOR(t testing.TB, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	return b
}

// signPayload signs payload as an untagged presentation with dev.
func signPayload(t testing.TB, dev *ecdsa.PrivateKey, kid, payload []byte) []byte {
	t.Helper()
	msg, err := sign1.SignUntagged(testkit.NewReader("hand-built"), dev, sign1.ES256, kid, payload)
	require.NoError(t, err)
	return msg
}

// malleate returns the ECDSA twin of an untagged presentation: the same
// message with signature (r, n−s). The signature is the last item, a
// 64-byte r‖s, so s is the last 32 bytes.
func malleate(t testing.TB, pres []byte) []byte {
	t.Helper()
	twin := bytes.Clone(pres)
	s := new(big.Int).SetBytes(twin[len(twin)-32:])
	require.NotZero(t, s.Sign())
	ns := new(big.Int).Sub(elliptic.P256().Params().N, s)
	ns.FillBytes(twin[len(twin)-32:])
	require.NotEqual(t, pres, twin)
	return twin
}

func TestPresentationRoundTripAgeHidesNIK(t *testing.T) {
	creds, dev := issueCreds(t, "EdDSA", "woman", testkit.Woman())
	pres, err := New(creds[credential.ProfileAge], dev, testOptions("age"))
	require.NoError(t, err)
	p, err := Parse(pres)
	require.NoError(t, err)
	claims := p.Credential().UnverifiedCredential().Claims
	for c := credential.ClaimNIK; c < credential.ClaimOver17; c++ {
		assert.False(t, claims.Has(c), "age profile carries %v", c)
	}
	require.NotNil(t, claims.Over17)
	assert.True(t, *claims.Over17)
}

func TestPresentationExpiry(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "man", testkit.Man(), credential.ProfileKAI)
	cred := creds[credential.ProfileKAI]
	// A clock with a fractional second: the wire carries whole seconds and
	// IssuedAt is truncated, never rounded up into the future.
	now := testkit.Now.Add(700 * time.Millisecond)
	tests := []struct {
		name     string
		lifetime time.Duration
		want     time.Duration
		err      error
	}{
		{"zero_means_default_60s", 0, 60 * time.Second, nil},
		{"default", DefaultLifetime, 60 * time.Second, nil},
		{"share_5_min", 5 * time.Minute, 5 * time.Minute, nil},
		{"share_1_h", time.Hour, time.Hour, nil},
		{"one_second", time.Second, time.Second, nil},
		{"max_24_h", MaxLifetime, 24 * time.Hour, nil},
		{"half_second_rejected", 500 * time.Millisecond, 0, ErrOptions},
		{"25_h_rejected", 25 * time.Hour, 0, ErrOptions},
		{"fractional_seconds_rejected", 90*time.Second + time.Millisecond, 0, ErrOptions},
		{"negative_rejected", -time.Minute, 0, ErrOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pres, err := New(cred, dev, &Options{Lifetime: tt.lifetime, Now: fixedClock(now), Rand: testkit.NewReader(tt.name)})
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, pres)
				return
			}
			require.NoError(t, err)
			p, err := Parse(pres)
			require.NoError(t, err)
			assert.True(t, p.IssuedAt().Equal(testkit.Now), "IssuedAt %v", p.IssuedAt())
			assert.Equal(t, tt.want, p.Lifetime())
			assert.True(t, p.Expires().Equal(testkit.Now.Add(tt.want)), "Expires %v", p.Expires())
			assert.Equal(t, p.IssuedAt().Add(p.Lifetime()), p.Expires())
			assert.Equal(t, time.UTC, p.IssuedAt().Location())
		})
	}
}

func TestNewPresentationErrors(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "man", testkit.Man(), credential.ProfileKAI)
	cred := creds[credential.ProfileKAI]
	tests := []struct {
		name string
		cred []byte
		opts *Options
		err  error
	}{
		{"other_device", cred, nil, ErrDevice},
		{"audience_65_bytes", cred, &Options{Audience: strings.Repeat("A", 65)}, ErrOptions},
		{"audience_not_utf8", cred, &Options{Audience: "\xff"}, ErrOptions},
		{"clock_before_1970", cred, &Options{Now: fixedClock(time.Unix(-5, 0))}, ErrOptions},
		{"clock_at_epoch", cred, &Options{Now: fixedClock(time.Unix(0, 0))}, ErrOptions},
		{"garbage_credential", []byte("not a credential"), nil, credential.ErrMalformed},
		{"empty_credential", nil, nil, credential.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dev
			if tt.name == "other_device" {
				d = testkit.Device("woman")
			}
			pres, err := New(tt.cred, d, tt.opts)
			assert.ErrorIs(t, err, tt.err)
			assert.Nil(t, pres)
		})
	}

	t.Run("audience_64_bytes_accepted", func(t *testing.T) {
		pres, err := New(cred, dev, &Options{Audience: strings.Repeat("A", 64)})
		require.NoError(t, err)
		p, err := Parse(pres)
		require.NoError(t, err)
		assert.Equal(t, strings.Repeat("A", 64), p.Audience())
	})
	t.Run("nil_device", func(t *testing.T) {
		_, err := New(cred, nil, nil)
		assert.ErrorIs(t, err, ErrDevice)
	})
	t.Run("ed25519_device", func(t *testing.T) {
		_, err := New(cred, testkit.Ed25519("device man"), nil)
		assert.ErrorIs(t, err, ErrDevice)
	})
	t.Run("p384_device", func(t *testing.T) {
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P384(), bytes.Repeat([]byte{7}, 48))
		require.NoError(t, err)
		_, err = New(cred, k, nil)
		assert.ErrorIs(t, err, ErrDevice)
	})
	t.Run("failing_rand", func(t *testing.T) {
		_, err := New(cred, dev, &Options{Rand: failingReader{}})
		assert.ErrorIs(t, err, errNoEntropy)
	})
	t.Run("zero_options_use_system_clock", func(t *testing.T) {
		before := time.Now().Truncate(time.Second)
		pres, err := New(cred, dev, nil)
		require.NoError(t, err)
		p, err := Parse(pres)
		require.NoError(t, err)
		assert.False(t, p.IssuedAt().Before(before))
		assert.NoError(t, p.VerifyDevice())
	})
}

var errNoEntropy = errors.New("no entropy")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errNoEntropy }

// TestParsePresentationStructure builds presentations by hand, each signed
// by the right device key so that only the structure is wrong.
func TestParsePresentationStructure(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "man", testkit.Man(), credential.ProfileKAI)
	cred := creds[credential.ProfileKAI][1:] // untagged, as embedded
	iat := testkit.Now.Unix()
	nonce := []byte{1, 2, 3, 4, 5, 6}
	enc := func(v any) []byte { return mustCBOR(t, v) }
	// A non-shortest iat: 0x1b with 8 bytes instead of 0x1a with 4.
	nonShortIAT := []byte{0x1b, 0, 0, 0, 0, byte(iat >> 24), byte(iat >> 16), byte(iat >> 8), byte(iat)}
	good := func(extra ...[]byte) []byte {
		return cborArray(append([][]byte{cred, enc(iat), enc(60), enc(nonce)}, extra...)...)
	}
	tests := []struct {
		name    string
		payload []byte
		kid     []byte
		ok      bool
	}{
		{"control_4_items", good(), nil, true},
		{"control_with_audience", good(enc("KAI")), nil, true},
		{"control_ttl_max", cborArray(cred, enc(iat), enc(86400), enc(nonce)), nil, true},
		{"tagged_credential", cborArray(append([]byte{0xd2}, cred...), enc(iat), enc(60), enc(nonce)), nil, false},
		{"credential_as_bstr", cborArray(enc(cred), enc(iat), enc(60), enc(nonce)), nil, false},
		{"nonce_5_bytes", cborArray(cred, enc(iat), enc(60), enc(nonce[:5])), nil, false},
		{"nonce_7_bytes", cborArray(cred, enc(iat), enc(60), enc(append(bytes.Clone(nonce), 7))), nil, false},
		{"nonce_empty", cborArray(cred, enc(iat), enc(60), enc([]byte{})), nil, false},
		{"nonce_as_text", cborArray(cred, enc(iat), enc(60), enc("abcdef")), nil, false},
		{"ttl_0", cborArray(cred, enc(iat), enc(0), enc(nonce)), nil, false},
		{"ttl_negative", cborArray(cred, enc(iat), enc(-60), enc(nonce)), nil, false},
		{"ttl_over_max", cborArray(cred, enc(iat), enc(86401), enc(nonce)), nil, false},
		{"ttl_float", cborArray(cred, enc(iat), enc(60.5), enc(nonce)), nil, false},
		{"iat_0", cborArray(cred, enc(0), enc(60), enc(nonce)), nil, false},
		{"iat_negative", cborArray(cred, enc(-1), enc(60), enc(nonce)), nil, false},
		{"iat_as_text", cborArray(cred, enc("2026-11-23"), enc(60), enc(nonce)), nil, false},
		{"audience_65_bytes", good(enc(strings.Repeat("A", 65))), nil, false},
		{"audience_empty", good(enc("")), nil, false},
		{"audience_as_bytes", good(enc([]byte("KAI"))), nil, false},
		{"extra_item", good(enc("KAI"), enc(1)), nil, false},
		{"three_items", cborArray(cred, enc(iat), enc(60)), nil, false},
		{"empty_array", cborArray(), nil, false},
		{"map_not_array", enc(map[int]any{1: iat}), nil, false},
		{"non_canonical_ttl", cborArray(cred, enc(iat), []byte{0x19, 0x00, 0x3c}, enc(nonce)), nil, false},
		{"non_canonical_iat", cborArray(cred, nonShortIAT, enc(60), enc(nonce)), nil, false},
		{"non_canonical_array_header", append([]byte{0x98, 0x04}, good()[1:]...), nil, false},
		{"trailing_byte", append(good(), 0x00), nil, false},
		{"kid_in_header", good(), []byte("dev"), false},
		{"credential_garbage", cborArray(enc([]int{1, 2, 3, 4}), enc(iat), enc(60), enc(nonce)), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := signPayload(t, dev, tt.kid, tt.payload)
			p, err := Parse(msg)
			if tt.ok {
				require.NoError(t, err)
				assert.NoError(t, p.VerifyDevice(), "hand-built control must verify")
				return
			}
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Nil(t, p)
		})
	}
}

func TestParsePresentationRejects(t *testing.T) {
	pres, cred, _ := manKAI(t)
	tests := []struct {
		name string
		data []byte
	}{
		{"nil", nil},
		{"empty", []byte{}},
		{"tagged_presentation", append([]byte{0xd2}, pres...)},
		{"the_credential_itself", cred},
		{"untagged_credential", cred[1:]},
		{"truncated", pres[:len(pres)-1]},
		{"truncated_half", pres[:len(pres)/2]},
		{"trailing_byte", append(bytes.Clone(pres), 0)},
		{"over_max_message", bytes.Repeat([]byte{0x84}, 2865)},
		{"cbor_null", []byte{0xf6}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.data)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Nil(t, p)
		})
	}
}

func TestParsePresentationProtectedHeader(t *testing.T) {
	// A presentation whose protected header is EdDSA (signed by an Ed25519
	// key over the right payload) must be refused: device keys are P-256.
	pres, _, _ := manKAI(t)
	p, err := Parse(pres)
	require.NoError(t, err)
	msg, err := sign1.SignUntagged(nil, testkit.Ed25519("x"), sign1.EdDSA, nil, p.msg.Payload)
	require.NoError(t, err)
	_, err = Parse(msg)
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestVerifyDevice(t *testing.T) {
	pres, cred, dev := manKAI(t)
	p, err := Parse(pres)
	require.NoError(t, err)
	require.NoError(t, p.VerifyDevice())

	t.Run("signed_by_another_device", func(t *testing.T) {
		// The right credential and a well-formed payload, signed by the
		// woman's device key: the structure parses, the signature fails.
		other := signPayload(t, testkit.Device("woman"), nil, p.msg.Payload)
		q, err := Parse(other)
		require.NoError(t, err)
		assert.ErrorIs(t, q.VerifyDevice(), ErrDeviceSignature)
	})
	t.Run("signature_bit_flipped", func(t *testing.T) {
		bad := bytes.Clone(pres)
		bad[len(bad)-10] ^= 0x01
		q, err := Parse(bad)
		require.NoError(t, err)
		assert.ErrorIs(t, q.VerifyDevice(), ErrDeviceSignature)
	})
	t.Run("signature_zero", func(t *testing.T) {
		bad := bytes.Clone(pres)
		clear(bad[len(bad)-64:])
		q, err := Parse(bad)
		require.NoError(t, err)
		assert.ErrorIs(t, q.VerifyDevice(), ErrDeviceSignature)
	})
	t.Run("credential_swapped", func(t *testing.T) {
		// The man's payload re-wrapped around the woman's credential, signed
		// by the man's device: the key in the embedded credential is the
		// woman's, so the signature does not verify.
		wcreds, _ := issueCreds(t, "ES256", "woman", testkit.Woman(), credential.ProfileKAI)
		var items []cbor.RawMessage
		require.NoError(t, codec.Unmarshal(p.msg.Payload, &items))
		items[0] = wcreds[credential.ProfileKAI][1:]
		payload := cborArray(items[0], items[1], items[2], items[3])
		q, err := Parse(signPayload(t, dev, nil, payload))
		require.NoError(t, err)
		assert.ErrorIs(t, q.VerifyDevice(), ErrDeviceSignature)
	})
	_ = cred
}

func TestReplayKey(t *testing.T) {
	pres, cred, dev := manKAI(t)
	p1, err := Parse(pres)
	require.NoError(t, err)
	p2, err := Parse(bytes.Clone(pres))
	require.NoError(t, err)
	assert.Equal(t, p1.ReplayKey(), p2.ReplayKey(), "same bytes, same key")
	assert.Equal(t, sha256.Sum256(p1.msg.Payload), p1.ReplayKey())

	t.Run("ecdsa_malleated_twin", func(t *testing.T) {
		twin := malleate(t, pres)
		pt, err := Parse(twin)
		require.NoError(t, err)
		// The twin is a different byte string that still verifies: this is
		// why the replay key must not cover the signature.
		require.NoError(t, pt.VerifyDevice())
		assert.NotEqual(t, p1.Bytes(), pt.Bytes())
		assert.Equal(t, p1.ReplayKey(), pt.ReplayKey())
	})
	t.Run("fresh_presentation_differs", func(t *testing.T) {
		other, err := New(cred, dev, testOptions("another"))
		require.NoError(t, err)
		po, err := Parse(other)
		require.NoError(t, err)
		assert.NotEqual(t, p1.ReplayKey(), po.ReplayKey())
	})
	t.Run("resigned_same_payload_same_key", func(t *testing.T) {
		again := signPayload(t, dev, nil, p1.msg.Payload)
		pa, err := Parse(again)
		require.NoError(t, err)
		require.NoError(t, pa.VerifyDevice())
		assert.Equal(t, p1.ReplayKey(), pa.ReplayKey())
	})
}

// TestAudienceIsPrintableASCII: an audience is shown to operators and
// logged, so a newline, an escape sequence or a bidi override in it could
// print a fake verdict; the wallet refuses to make one and the parser to
// read one.
func TestAudienceIsPrintableASCII(t *testing.T) {
	creds, dev := issueCreds(t, "ES256", "man", testkit.Man(), credential.ProfileKAI)
	cred := creds[credential.ProfileKAI]
	for name, aud := range map[string]string{
		"newline_fake_verdict": "X\n\x1b[32mDITERIMA / ACCEPTED\x1b[0m",
		"bidi_override":        "KAI\u202e",
		"non_ascii":            "GAMBİR",
		"leading_space":        " KAI",
		"trailing_space":       "KAI ",
		"tab":                  "K\tAI",
	} {
		t.Run(name, func(t *testing.T) {
			opts := testOptions(name)
			opts.Audience = aud
			_, err := New(cred, dev, opts)
			assert.ErrorIs(t, err, ErrOptions, "the wallet refuses it")

			// Hand-built, signed by the right device: the parser refuses it.
			body := cborArray(untagged(cred), mustCBOR(t, testkit.Now.Unix()), mustCBOR(t, int64(60)),
				mustCBOR(t, []byte{1, 2, 3, 4, 5, 6}), mustCBOR(t, aud))
			_, err = Parse(signPayload(t, dev, nil, body))
			assert.ErrorIs(t, err, ErrMalformed, "the parser refuses it")
		})
	}
	// The same hand-built payload with a good audience parses: the cases
	// above fail for their audience alone.
	good := cborArray(untagged(cred), mustCBOR(t, testkit.Now.Unix()), mustCBOR(t, int64(60)),
		mustCBOR(t, []byte{1, 2, 3, 4, 5, 6}), mustCBOR(t, "KAI"))
	_, err := Parse(signPayload(t, dev, nil, good))
	require.NoError(t, err)

	opts := testOptions("fine")
	opts.Audience = "GA-CGK 1/2"
	pres, err := New(cred, dev, opts)
	require.NoError(t, err)
	p, err := Parse(pres)
	require.NoError(t, err)
	assert.Equal(t, "GA-CGK 1/2", p.Audience())
}
