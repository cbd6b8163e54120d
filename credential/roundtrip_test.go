package credential_test

import (
	"bytes"
	"crypto"
	"errors"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

func otherAlg(alg string) string {
	if alg == "ES256" {
		return "EdDSA"
	}
	return "ES256"
}

func TestIssueParseVerify(t *testing.T) {
	for _, alg := range algs {
		for _, p := range people {
			k := p.ktp()
			issued := issueAll(t, alg, k)
			for _, cred := range issued {
				t.Run(alg+"/"+p.name+"/"+cred.Profile.String(), func(t *testing.T) {
					s, err := credential.Parse(cred.Bytes)
					require.NoError(t, err)
					assert.Equal(t, cred.Bytes, s.Bytes())
					assert.Equal(t, kidFor(alg), s.UnverifiedKeyID())
					want := keys.ES256
					if alg == "EdDSA" {
						want = keys.EdDSA
					}
					assert.Equal(t, want, s.UnverifiedAlgorithm())

					got, err := s.Verify(issuerPublic(alg))
					require.NoError(t, err)
					assert.Equal(t, "3171", got.Issuer)
					assert.True(t, got.IssuedAt.Equal(testkit.Now))
					assert.True(t, got.Expiry.Equal(testkit.Now.AddDate(5, 0, 0)))
					assert.True(t, got.DeviceKey.Equal(&testkit.Device("holder").PublicKey), "device key")
					assert.Equal(t, credential.StatusRef{List: 7, Index: 123456}, got.Status)
					assert.Equal(t, cred.Profile, got.Profile)
					assert.Equal(t, credential.Project(cred.Profile, &k, credential.DateOf(testkit.Now)), got.Claims)
					assert.Equal(t, got, s.UnverifiedCredential())

					// Every wrong key is the one opaque ErrBadSignature.
					for name, pub := range map[string]any{
						"another key of the same algorithm": testkit.IssuerSigner("9999", alg).Public(),
						"a key of the other algorithm":      issuerPublic(otherAlg(alg)),
						"a P-384 key":                       &p384Key(t).PublicKey,
						"a private key":                     issuerSigner(alg),
						"no key":                            nil,
					} {
						got, err := s.Verify(pub)
						assert.Equal(t, credential.ErrBadSignature, err, name)
						assert.Nil(t, got, name)
					}
				})
			}
		}
	}
}

// TestIssuedBoundToOneDevice checks that every credential of a request
// carries the same device key and status entry.
func TestIssuedBoundToOneDevice(t *testing.T) {
	for _, alg := range algs {
		issued := issueAll(t, alg, testkit.Woman())
		dev := &testkit.Device("holder").PublicKey
		profiles := map[credential.Profile]bool{}
		for _, cred := range issued {
			s, err := credential.Parse(cred.Bytes)
			require.NoError(t, err)
			c := s.UnverifiedCredential()
			assert.True(t, c.DeviceKey.Equal(dev), "%v: device key", cred.Profile)
			assert.Equal(t, credential.StatusRef{List: 7, Index: 123456}, c.Status)
			profiles[cred.Profile] = true
		}
		assert.Len(t, profiles, 4)
	}
}

// TestTampering flips a byte of the payload, swaps the protected alg and
// swaps the kid of a signed credential: every change is refused.
func TestTampering(t *testing.T) {
	for _, alg := range algs {
		for _, cred := range issueAll(t, alg, testkit.Man()) {
			t.Run(alg+"/"+cred.Profile.String(), func(t *testing.T) {
				m, err := sign1.Parse(cred.Bytes, sign1.LabelAlg|sign1.LabelKID)
				require.NoError(t, err)
				pub := issuerPublic(alg)

				// Payload: change one text byte (the issuer id "3171" → "3172"),
				// which keeps the payload well formed.
				i := bytes.Index(cred.Bytes, []byte("3171"))
				require.Positive(t, i)
				bad := bytes.Clone(cred.Bytes)
				bad[i+3] = '2'
				s, err := credential.Parse(bad)
				require.NoError(t, err, "still well formed")
				_, err = s.Verify(pub)
				assert.ErrorIs(t, err, credential.ErrBadSignature)

				// Any single-byte change of the payload is refused one way
				// or the other.
				off := bytes.Index(cred.Bytes, m.Payload)
				for j := 0; j < len(m.Payload); j += 7 {
					bad := bytes.Clone(cred.Bytes)
					bad[off+j] ^= 0x01
					if s, err := credential.Parse(bad); err == nil {
						_, err = s.Verify(pub)
						assert.Error(t, err, "byte %d", j)
					}
				}

				// Protected alg swapped ES256 ↔ EdDSA (-7 = 0x26, -8 = 0x27).
				pi := bytes.Index(cred.Bytes, m.Protected)
				require.Positive(t, pi)
				swapped := bytes.Clone(cred.Bytes)
				require.Equal(t, []byte{0x01}, swapped[pi+1:pi+2])
				swapped[pi+2] ^= 0x01 // 0x26 ↔ 0x27
				s, err = credential.Parse(swapped)
				require.NoError(t, err)
				_, err = s.Verify(pub)
				assert.ErrorIs(t, err, credential.ErrBadSignature, "header alg is not the key's")
				_, err = s.Verify(issuerPublic(otherAlg(alg)))
				assert.ErrorIs(t, err, credential.ErrBadSignature, "key of the swapped alg")

				// kid swapped for another 8-byte kid.
				kid := kidFor(alg)
				ki := bytes.Index(cred.Bytes, kid)
				require.Positive(t, ki)
				kidSwapped := bytes.Clone(cred.Bytes)
				copy(kidSwapped[ki:], "zzzzzzzz")
				s, err = credential.Parse(kidSwapped)
				require.NoError(t, err)
				assert.Equal(t, []byte("zzzzzzzz"), s.UnverifiedKeyID())
				_, err = s.Verify(pub)
				assert.ErrorIs(t, err, credential.ErrBadSignature)

				// Signature byte.
				sigBad := bytes.Clone(cred.Bytes)
				sigBad[len(sigBad)-1] ^= 0x80
				s, err = credential.Parse(sigBad)
				require.NoError(t, err)
				_, err = s.Verify(pub)
				assert.ErrorIs(t, err, credential.ErrBadSignature)
			})
		}
	}
}

// claimKeys returns the keys of the KTP claims map (-3) of a payload.
func claimKeys(t *testing.T, payload []byte) (top map[int64]cbor.RawMessage, claims []int64) {
	t.Helper()
	require.NoError(t, cbor.Unmarshal(payload, &top))
	var m map[int64]cbor.RawMessage
	require.NoError(t, cbor.Unmarshal(top[-3], &m))
	for k := range m {
		claims = append(claims, k)
	}
	return top, claims
}

// TestProfileProjection decodes each payload and checks the exact set of
// claim keys it carries.
func TestProfileProjection(t *testing.T) {
	want := map[credential.Profile][]int64{
		credential.ProfileTravel: {int64(credential.ClaimNIK), int64(credential.ClaimName), int64(credential.ClaimBirthDate), int64(credential.ClaimSex)},
		credential.ProfileKAI:    {int64(credential.ClaimNIK), int64(credential.ClaimName)},
		credential.ProfileAge:    {int64(credential.ClaimOver17)},
	}
	for _, p := range people {
		k := p.ktp()
		for _, cred := range issueAll(t, "EdDSA", k) {
			t.Run(p.name+"/"+cred.Profile.String(), func(t *testing.T) {
				payload := payloadOf(t, cred.Bytes)
				top, claims := claimKeys(t, payload)
				assert.ElementsMatch(t, []int64{1, 4, 6, 8, -1, -2, -3}, keysOf(top), "CWT claims")
				if cred.Profile == credential.ProfileFull {
					var full []int64
					for _, c := range credential.ClaimsOf(&k) {
						full = append(full, int64(c))
					}
					assert.ElementsMatch(t, full, claims)
					assert.NotContains(t, claims, int64(credential.ClaimOver17))
					return
				}
				assert.ElementsMatch(t, want[cred.Profile], claims)
				if cred.Profile == credential.ProfileAge {
					// Nothing identifying anywhere in the payload.
					assert.NotContains(t, string(payload), k.Name)
					n, err := credential.NIKToWire(k.NIK)
					require.NoError(t, err)
					nik, err := codec.Marshal(n)
					require.NoError(t, err)
					assert.False(t, bytes.Contains(payload, nik), "NIK bytes in the age payload")
					assert.NotContains(t, string(payload), string(k.NIK))
					s, err := credential.Parse(cred.Bytes)
					require.NoError(t, err)
					c := s.UnverifiedCredential().Claims
					assert.Empty(t, c.NIK)
					assert.Empty(t, c.Name)
					assert.Equal(t, []credential.Claim{credential.ClaimOver17}, credential.ClaimsOf(&c))
				}
			})
		}
	}
}

func keysOf(m map[int64]cbor.RawMessage) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestAgeFlagAroundBirthday issues the age profile to holders born one day
// either side of 17 years before the issue date (testkit.Now is
// 2026-11-23 in WIB).
func TestAgeFlagAroundBirthday(t *testing.T) {
	tests := []struct {
		born string
		nik  credential.NIK
		want bool
	}{
		{"2009-11-22", "3171012211090001", true},  // 17 yesterday
		{"2009-11-23", "3171012311090001", true},  // 17 today
		{"2009-11-24", "3171012411090001", false}, // 17 tomorrow
		{"2008-02-29", "3171012902080001", true},  // leap day, long past
		{"1985-08-17", "3171011708850003", true},
	}
	for _, tc := range tests {
		t.Run(tc.born, func(t *testing.T) {
			k := testkit.Man()
			k.NIK, k.BirthDate, k.IssueDate = tc.nik, mustDate(tc.born), mustDate("2026-11-01")
			req := testRequest(k, "teen")
			req.Profiles = []credential.Profile{credential.ProfileAge}
			out, err := testIssuer("EdDSA").Issue(req)
			require.NoError(t, err)
			require.Len(t, out, 1)
			s, err := credential.Parse(out[0].Bytes)
			require.NoError(t, err)
			c, err := s.Verify(issuerPublic("EdDSA"))
			require.NoError(t, err)
			require.NotNil(t, c.Claims.Over17)
			assert.Equal(t, tc.want, *c.Claims.Over17)
		})
	}
}

// TestNewIssuer checks that the key decides the algorithm and the kid.
func TestNewIssuer(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			signer := issuerSigner(alg)
			iss, err := credential.NewIssuer("3171", signer)
			require.NoError(t, err)
			kid, err := keys.KeyID(signer.Public())
			require.NoError(t, err)
			assert.Equal(t, kid, credential.IssuerKeyID(iss))
			assert.Equal(t, testkit.IssuerKeyID("3171", alg), kid)

			req := testRequest(testkit.Man(), "holder")
			req.Profiles = []credential.Profile{credential.ProfileKAI}
			out, err := iss.Issue(req)
			require.NoError(t, err)
			s, err := credential.Parse(out[0].Bytes)
			require.NoError(t, err)
			assert.Equal(t, kid, s.UnverifiedKeyID())
			want, err := keys.AlgorithmOf(signer.Public())
			require.NoError(t, err)
			assert.Equal(t, want, s.UnverifiedAlgorithm())
			_, err = s.Verify(signer.Public())
			require.NoError(t, err)

			// testkit's issuer is the same.
			out, err = testkit.Issuer("3171", alg).Issue(req)
			require.NoError(t, err)
			s, err = credential.Parse(out[0].Bytes)
			require.NoError(t, err)
			assert.Equal(t, kid, s.UnverifiedKeyID())
		})
	}
	t.Run("ids", func(t *testing.T) {
		for _, id := range []string{"3171", "00", "disdukcapil-3171", "a.b_c-D", string(bytes.Repeat([]byte("a"), 32))} {
			_, err := credential.NewIssuer(id, issuerSigner("EdDSA"))
			assert.NoError(t, err, id)
		}
	})
	tests := []struct {
		name   string
		id     string
		signer crypto.Signer
	}{
		{"empty id", "", issuerSigner("EdDSA")},
		{"id over 32 bytes", string(bytes.Repeat([]byte("a"), 33)), issuerSigner("EdDSA")},
		{"id with a colon", "urn:3171", issuerSigner("EdDSA")},
		{"id with a space", "3171 ", issuerSigner("EdDSA")},
		{"id not ASCII", "pusat\u00e9", issuerSigner("EdDSA")},
		{"nil signer", "3171", nil},
		{"P-384 key", "3171", p384Key(t)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			iss, err := credential.NewIssuer(tc.id, tc.signer)
			assert.ErrorIs(t, err, credential.ErrIssuer)
			assert.Nil(t, iss)
		})
	}
	t.Run("zero Issuer refuses to sign", func(t *testing.T) {
		for _, iss := range []*credential.Issuer{nil, {}} {
			out, err := iss.Issue(testRequest(testkit.Man(), "holder"))
			assert.ErrorIs(t, err, credential.ErrIssuer)
			assert.Nil(t, out)
		}
	})
}

// TestIssueRequests covers Issue's refusals other than invalid claims.
func TestIssueRequests(t *testing.T) {
	ok := func() *credential.Request { return testRequest(testkit.Man(), "holder") }
	tests := []struct {
		name string
		req  func() *credential.Request
	}{
		{"nil request", func() *credential.Request { return nil }},
		{"no device key", func() *credential.Request { r := ok(); r.DeviceKey = nil; return r }},
		{"device key not P-256", func() *credential.Request {
			r := ok()
			r.DeviceKey = &p384Key(t).PublicKey
			return r
		}},
		{"device key without a curve", func() *credential.Request {
			r := ok()
			r.DeviceKey = &testkit.P256("x").PublicKey
			r.DeviceKey.Curve = nil
			return r
		}},
		{"expiry at issue", func() *credential.Request { r := ok(); r.Expiry = r.IssuedAt; return r }},
		{"expiry before issue", func() *credential.Request { r := ok(); r.Expiry = r.IssuedAt.Add(-time.Second); return r }},
		{"zero issue time", func() *credential.Request { r := ok(); r.IssuedAt = time.Time{}; return r }},
		{"issue time before 1970", func() *credential.Request { r := ok(); r.IssuedAt = r.IssuedAt.AddDate(-3000, 0, 0); return r }},
		{"unknown profile", func() *credential.Request { r := ok(); r.Profiles = []credential.Profile{9}; return r }},
		{"profile zero", func() *credential.Request { r := ok(); r.Profiles = []credential.Profile{0}; return r }},
		{"repeated profile", func() *credential.Request {
			r := ok()
			r.Profiles = []credential.Profile{credential.ProfileKAI, credential.ProfileKAI}
			return r
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := testIssuer("EdDSA").Issue(tc.req())
			assert.ErrorIs(t, err, credential.ErrRequest)
			var ve *credential.ValidationError
			assert.False(t, errors.As(err, &ve), "not a claims problem")
			assert.Nil(t, out)
		})
	}
	t.Run("profiles in the order requested", func(t *testing.T) {
		r := ok()
		r.Profiles = []credential.Profile{credential.ProfileKAI, credential.ProfileFull}
		out, err := testIssuer("EdDSA").Issue(r)
		require.NoError(t, err)
		require.Len(t, out, 2)
		assert.Equal(t, credential.ProfileKAI, out[0].Profile)
		assert.Equal(t, credential.ProfileFull, out[1].Profile)
	})
	t.Run("no profiles means all four", func(t *testing.T) {
		for _, profiles := range [][]credential.Profile{nil, {}} {
			r := ok()
			r.Profiles = profiles
			out, err := testIssuer("EdDSA").Issue(r)
			require.NoError(t, err)
			var got []credential.Profile
			for _, c := range out {
				got = append(got, c.Profile)
			}
			assert.Equal(t, credential.AllProfiles, got)
		}
	})
}
