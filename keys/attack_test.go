package keys_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
)

// Attacks on the trust list, the document that says which issuer keys a
// scanner trusts: whoever slips a key into it can issue identities. Each
// case checks the specific sentinel ParseTrustList must wrap. The root is
// killRoot (kill_test.go), an Ed25519 key.

var atkB64 = base64.RawURLEncoding

// atkParts returns the header JSON, payload JSON and signature of a
// compact JWS.
func atkParts(t testing.TB, jws []byte) (hdr, payload, sig []byte) {
	t.Helper()
	p := strings.Split(string(jws), ".")
	require.Len(t, p, 3)
	var err error
	hdr, err = atkB64.DecodeString(p[0])
	require.NoError(t, err)
	payload, err = atkB64.DecodeString(p[1])
	require.NoError(t, err)
	sig, err = atkB64.DecodeString(p[2])
	require.NoError(t, err)
	return hdr, payload, sig
}

func atkCompact(hdr, payload, sig []byte) []byte {
	return []byte(atkB64.EncodeToString(hdr) + "." + atkB64.EncodeToString(payload) + "." + atkB64.EncodeToString(sig))
}

// atkSignEd signs header and payload JSON with an Ed25519 key exactly as
// given (any header members).
func atkSignEd(key ed25519.PrivateKey, hdr, payload []byte) []byte {
	input := atkB64.EncodeToString(hdr) + "." + atkB64.EncodeToString(payload)
	return atkCompact(hdr, payload, ed25519.Sign(key, []byte(input)))
}

// atkHeader returns the root's honest header with extra members.
func atkHeader(t testing.TB, extra map[string]any) []byte {
	t.Helper()
	kid, err := keys.JWKKeyID(killRoot().Public())
	require.NoError(t, err)
	h := map[string]any{"alg": "EdDSA", "kid": kid, "typ": keys.TrustListType}
	for k, v := range extra {
		if v == nil {
			delete(h, k)
		} else {
			h[k] = v
		}
	}
	b, err := json.Marshal(h)
	require.NoError(t, err)
	return b
}

// atkPayload returns list seq's payload with edit applied to its JSON
// object.
func atkPayload(t testing.TB, seq int, edit func(m map[string]any)) []byte {
	t.Helper()
	_, payload, _ := atkParts(t, killList(t, seq))
	var m map[string]any
	require.NoError(t, json.Unmarshal(payload, &m))
	edit(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestAttackTrustList(t *testing.T) {
	root := killRoot()
	good := killList(t, 5)
	hdr, payload, sig := atkParts(t, good)
	cases := []struct {
		name string
		jws  func(t *testing.T) []byte
		opts []keys.Option
		want error
	}{
		{"control_genuine_list_is_accepted", func(*testing.T) []byte { return good }, nil, nil},
		{"alg_none", func(t *testing.T) []byte {
			return atkCompact(atkHeader(t, map[string]any{"alg": "none"}), payload, nil)
		}, nil, keys.ErrWrongAlgorithm},
		{"alg_HS256_keyed_with_root_public_key", func(t *testing.T) []byte {
			h := atkHeader(t, map[string]any{"alg": "HS256"})
			mac := hmac.New(sha256.New, root.Public().(ed25519.PublicKey))
			mac.Write([]byte(atkB64.EncodeToString(h) + "." + atkB64.EncodeToString(payload)))
			return atkCompact(h, payload, mac.Sum(nil))
		}, nil, keys.ErrWrongAlgorithm},
		{"alg_ES256_by_attacker_key", func(t *testing.T) []byte {
			k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			require.NoError(t, err)
			s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k}, (&jose.SignerOptions{}).WithType(keys.TrustListType))
			require.NoError(t, err)
			obj, err := s.Sign(payload)
			require.NoError(t, err)
			c, err := obj.CompactSerialize()
			require.NoError(t, err)
			return []byte(c)
		}, nil, keys.ErrWrongAlgorithm},
		{"signed_by_another_root", func(t *testing.T) []byte {
			_, other, err := ed25519.GenerateKey(rand.Reader)
			require.NoError(t, err)
			return atkSignEd(other, hdr, payload)
		}, nil, keys.ErrBadSignature},
		{"attacker_issuer_key_added_signature_kept", func(t *testing.T) []byte {
			p := atkPayload(t, 5, func(m map[string]any) {
				jwks := m["jwks"].(map[string]any)
				ks := jwks["keys"].([]any)
				evil := map[string]any{}
				for k, v := range ks[0].(map[string]any) {
					evil[k] = v
				}
				evil["x"] = atkB64.EncodeToString(killIssuerKey(666).(ed25519.PublicKey))
				jwks["keys"] = append(ks, evil)
			})
			return atkCompact(hdr, p, sig)
		}, nil, keys.ErrBadSignature},
		{"sequence_raised_signature_kept", func(t *testing.T) []byte {
			return atkCompact(hdr, atkPayload(t, 5, func(m map[string]any) { m["sequence"] = 99 }), sig)
		}, nil, keys.ErrBadSignature},
		{"signature_truncated", func(*testing.T) []byte { return atkCompact(hdr, payload, sig[:63]) }, nil, keys.ErrBadSignature},
		{"typ_missing", func(t *testing.T) []byte {
			return atkSignEd(root, atkHeader(t, map[string]any{"typ": nil}), payload)
		}, nil, keys.ErrMalformed},
		{"typ_of_another_document", func(t *testing.T) []byte {
			return atkSignEd(root, atkHeader(t, map[string]any{"typ": "JWT"}), payload)
		}, nil, keys.ErrMalformed},
		{"embedded_jwk_header", func(t *testing.T) []byte {
			return atkSignEd(root, atkHeader(t, map[string]any{"jwk": map[string]any{"kty": "OKP", "crv": "Ed25519", "x": atkB64.EncodeToString(root.Public().(ed25519.PublicKey))}}), payload)
		}, nil, keys.ErrMalformed},
		{"jku_header", func(t *testing.T) []byte {
			return atkSignEd(root, atkHeader(t, map[string]any{"jku": "https://evil.example/keys"}), payload)
		}, nil, keys.ErrMalformed},
		{"crit_header", func(t *testing.T) []byte {
			return atkSignEd(root, atkHeader(t, map[string]any{"crit": []string{"exp"}, "exp": 1}), payload)
		}, nil, keys.ErrMalformed},
		{"duplicate_member_in_payload", func(t *testing.T) []byte {
			p := strings.Replace(string(payload), `"sequence":5`, `"sequence":5,"sequence":99`, 1)
			require.NotEqual(t, string(payload), p)
			return atkSignEd(root, hdr, []byte(p))
		}, nil, keys.ErrMalformed},
		// Outside review, F6: encoding/json matches names without regard
		// to case or Unicode folding, so these would fill Sequence.
		{"case_variant_duplicate_in_payload", func(t *testing.T) []byte {
			p := strings.Replace(string(payload), `"sequence":5`, `"sequence":5,"SEQUENCE":77`, 1)
			require.NotEqual(t, string(payload), p)
			return atkSignEd(root, hdr, []byte(p))
		}, nil, keys.ErrMalformed},
		{"case_variant_name_in_payload", func(t *testing.T) []byte {
			p := strings.Replace(string(payload), `"sequence":5`, `"Sequence":5`, 1)
			require.NotEqual(t, string(payload), p)
			return atkSignEd(root, hdr, []byte(p))
		}, nil, keys.ErrMalformed},
		{"unicode_fold_variant_in_payload", func(t *testing.T) []byte {
			p := strings.Replace(string(payload), `"sequence":5`, `"sequence":5,"\u017fequence":77`, 1)
			require.NotEqual(t, string(payload), p)
			return atkSignEd(root, hdr, []byte(p))
		}, nil, keys.ErrMalformed},
		{"unicode_fold_variant_raw_in_payload", func(t *testing.T) []byte {
			p := strings.Replace(string(payload), `"sequence":5`, "\"\u017fequence\":5", 1)
			require.NotEqual(t, string(payload), p)
			return atkSignEd(root, hdr, []byte(p))
		}, nil, keys.ErrMalformed},
		{"kelvin_sign_in_jwk", func(t *testing.T) []byte {
			p := strings.Replace(string(payload), `"kid"`, "\"\u212aid\"", 1)
			require.NotEqual(t, string(payload), p)
			return atkSignEd(root, hdr, []byte(p))
		}, nil, keys.ErrMalformed},
		{"unknown_member_in_payload", func(t *testing.T) []byte {
			return atkSignEd(root, hdr, atkPayload(t, 5, func(m map[string]any) { m["trust_everyone"] = true }))
		}, nil, keys.ErrMalformed},
		{"private_key_in_jwk_set", func(t *testing.T) []byte {
			seed := sha256.Sum256([]byte("ikd kill test issuer 5"))
			d := ed25519.NewKeyFromSeed(seed[:]).Seed()
			return atkSignEd(root, hdr, atkPayload(t, 5, func(m map[string]any) {
				m["jwks"].(map[string]any)["keys"].([]any)[0].(map[string]any)["d"] = atkB64.EncodeToString(d)
			}))
		}, nil, keys.ErrInvalidKey},
		{"small_order_ed25519_issuer_key", func(t *testing.T) []byte {
			id := make([]byte, 32)
			id[0] = 1 // the identity point: verifies signatures for any message
			return atkSignEd(root, hdr, atkPayload(t, 5, func(m map[string]any) {
				m["jwks"].(map[string]any)["keys"].([]any)[0].(map[string]any)["x"] = atkB64.EncodeToString(id)
			}))
		}, nil, keys.ErrInvalidKey},
		{"expired_beyond_grace", func(*testing.T) []byte { return good },
			[]keys.Option{keys.WithClock(func() time.Time { return time.Now().AddDate(0, 2, 0) })}, keys.ErrExpired},
		{"over_size_limit", func(*testing.T) []byte { return append(good, make([]byte, limits.MaxTrustList)...) }, nil, keys.ErrTooLarge},
		{"json_serialization_instead_of_compact", func(t *testing.T) []byte {
			p := strings.Split(string(good), ".")
			b, err := json.Marshal(map[string]string{"protected": p[0], "payload": p[1], "signature": p[2]})
			require.NoError(t, err)
			return b
		}, nil, keys.ErrMalformed},
		{"four_parts", func(*testing.T) []byte { return append(good, []byte(".AAAA")...) }, nil, keys.ErrMalformed},
		{"padded_base64", func(*testing.T) []byte {
			return []byte(base64.URLEncoding.EncodeToString(hdr) + "." + base64.URLEncoding.EncodeToString(payload) + "." + base64.URLEncoding.EncodeToString(sig))
		}, nil, keys.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := keys.ParseTrustList(tc.jws(t), root.Public(), tc.opts...)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, uint64(5), l.Sequence())
				return
			}
			assert.Nil(t, l)
			wantErr(t, err, tc.want, true)
			assert.Equal(t, tc.want, knownSentinel(err), "most precise reason of %v", err)
		})
	}
}

// TestAttackTrustStore: a scanner's Store keeps its last good list when
// fed a rollback, a replayed older list, a tampered list, or a file
// swapped on disk for an older one.
func TestAttackTrustStore(t *testing.T) {
	root := killRoot()
	open := func(t *testing.T) (*keys.Store, string) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s, err := keys.OpenStore(path, root.Public())
		require.NoError(t, err)
		require.NoError(t, s.Update(killList(t, 7)))
		return s, path
	}
	hdr, _, sig := atkParts(t, killList(t, 7))
	cases := []struct {
		name   string
		attack func(t *testing.T, s *keys.Store, path string) error
		want   error
	}{
		{"older_list_offered", func(t *testing.T, s *keys.Store, _ string) error { return s.Update(killList(t, 6)) }, keys.ErrRollback},
		{"rolled_back_below_held_sequence", func(t *testing.T, s *keys.Store, _ string) error { return s.Update(killList(t, 1)) }, keys.ErrRollback},
		{"same_sequence_different_content", func(t *testing.T, s *keys.Store, _ string) error {
			return s.Update(atkSignEd(root, hdr, atkPayload(t, 7, func(m map[string]any) { m["next_update"] = m["next_update"].(float64) + 1 })))
		}, keys.ErrRollback},
		{"tampered_newer_list", func(t *testing.T, s *keys.Store, _ string) error {
			return s.Update(atkCompact(hdr, atkPayload(t, 8, func(map[string]any) {}), sig))
		}, keys.ErrBadSignature},
		{"file_swapped_for_older_list_on_disk", func(t *testing.T, s *keys.Store, path string) error {
			oldPath := filepath.Join(t.TempDir(), "old.json")
			other, err := keys.OpenStore(oldPath, root.Public())
			require.NoError(t, err)
			require.NoError(t, other.Update(killList(t, 3)))
			old, err := os.ReadFile(oldPath)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(path, old, 0o644))
			return keys.Reload(s)
		}, keys.ErrRollback},
		{"file_corrupted_on_disk", func(t *testing.T, s *keys.Store, path string) error {
			require.NoError(t, os.WriteFile(path, []byte(`{"format":"ikd-trust-store/1","trust_list":"x.y.z"`), 0o644))
			return keys.Reload(s)
		}, keys.ErrMalformed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, path := open(t)
			err := tc.attack(t, s, path)
			wantErr(t, err, tc.want, true)
			require.NotNil(t, s.Current(), "the last good list stays")
			assert.Equal(t, uint64(7), s.Current().Sequence())
		})
	}
}
