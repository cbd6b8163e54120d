package keys_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// TestJWKRoundTrip converts each kind of key crypto → JWK → JSON → crypto
// → JWK and checks that nothing changed on the way.
func TestJWKRoundTrip(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run(alg.String(), func(t *testing.T) {
			pub := testKey(t, alg, "round trip").Public()
			jwk, err := keys.ToJWK(pub)
			require.NoError(t, err)
			assert.Equal(t, alg.String(), jwk.Algorithm)
			assert.Equal(t, "sig", jwk.Use)
			assert.True(t, jwk.IsPublic())
			js, err := keys.MarshalPublicJWK(pub)
			require.NoError(t, err)
			back, err := keys.ParsePublicJWK(js)
			require.NoError(t, err)
			require.True(t, sameKey(pub, back), "JWK round trip changed the key")
			js2, err := keys.MarshalPublicJWK(back)
			require.NoError(t, err)
			assert.Equal(t, string(js), string(js2), "JWK changed")
		})
	}
}

func TestParsePublicJWK(t *testing.T) {
	es, err := keys.MarshalPublicJWK(testKey(t, keys.ES256, "a").Public())
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(es, &m))
	edit := func(f func(m map[string]any)) []byte {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		f(c)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		return b
	}
	priv, err := jose.JSONWebKey{Key: testKey(t, keys.ES256, "a")}.MarshalJSON()
	require.NoError(t, err)
	var rsa map[string]any
	require.NoError(t, json.Unmarshal([]byte(rfc7638Key), &rsa))
	rsaJSON, err := json.Marshal(rsa)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"valid", es, nil},
		{"without_kid_alg_use", edit(func(m map[string]any) { delete(m, "kid"); delete(m, "alg"); delete(m, "use") }), nil},
		{"wrong_kid", edit(func(m map[string]any) { m["kid"] = "2011-04-29" }), keys.ErrMalformed},
		{"alg_EdDSA_on_EC_key", edit(func(m map[string]any) { m["alg"] = "EdDSA" }), keys.ErrInvalidKey},
		{"alg_HS256_on_EC_key", edit(func(m map[string]any) { m["alg"] = "HS256" }), keys.ErrInvalidKey},
		{"use_enc", edit(func(m map[string]any) { m["use"] = "enc" }), keys.ErrInvalidKey},
		{"P-384", edit(func(m map[string]any) { m["crv"] = "P-384" }), keys.ErrInvalidKey},
		{"off_curve", edit(func(m map[string]any) { m["y"] = m["x"] }), keys.ErrInvalidKey},
		{"private_d", priv, keys.ErrInvalidKey},
		{"RSA", rsaJSON, keys.ErrInvalidKey},
		{"oct", []byte(`{"kty":"oct","k":"c2VjcmV0"}`), keys.ErrInvalidKey},
		{"unknown_member", edit(func(m map[string]any) { m["x5u"] = "https://example.com" }), keys.ErrMalformed},
		{"duplicate_member", []byte(strings.Replace(string(es), `"kty":"EC"`, `"kty":"EC","kty":"OKP"`, 1)), keys.ErrMalformed},
		{"not_json", []byte("-----BEGIN PUBLIC KEY-----"), keys.ErrMalformed},
		{"array", []byte(`[]`), keys.ErrMalformed},
		{"trailing_data", append(bytes.Clone(es), []byte(" {}")...), keys.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pub, err := keys.ParsePublicJWK(tc.in)
			if tc.err == nil {
				require.NoError(t, err)
				assert.NotNil(t, pub)
				return
			}
			assert.Nil(t, pub)
			wantErr(t, err, tc.err, false)
			assert.Equal(t, tc.err, knownSentinel(err), "most precise reason of %v", err)
		})
	}
}

func TestMarshalJWKSet(t *testing.T) {
	a := issuerKey(t, keys.ES256, "a")
	a.IssuerID = "3171"
	b := issuerKey(t, keys.EdDSA, "b")
	b.IssuerID = "3171"
	b.NotBefore = b.NotBefore.Add(500 * time.Millisecond) // truncated to seconds
	shared := a
	shared.IssuerID = "00" // the same key serving the national issuer too

	data, err := keys.MarshalJWKSet(a, b, shared)
	require.NoError(t, err)

	t.Run("go-jose_reads_the_keys", func(t *testing.T) {
		var set jose.JSONWebKeySet
		require.NoError(t, json.Unmarshal(data, &set))
		require.Len(t, set.Keys, 2, "the shared key once")
		for _, k := range set.Keys {
			assert.Equal(t, "sig", k.Use)
			assert.NotEmpty(t, k.Algorithm)
			assert.NotEmpty(t, k.KeyID)
		}
	})
	t.Run("round_trip", func(t *testing.T) {
		got, err := keys.ParseJWKSet(data)
		require.NoError(t, err)
		require.Len(t, got, 3)
		for i, want := range []keys.IssuerKey{a, b, shared} {
			g := got[i]
			assert.Equal(t, want.IssuerID, g.IssuerID, "key %d", i)
			assert.True(t, sameKey(want.PublicKey, g.PublicKey), "key %d", i)
			assert.True(t, g.NotBefore.Equal(want.NotBefore.Truncate(time.Second)), "key %d: NotBefore %v", i, g.NotBefore)
			assert.True(t, g.NotAfter.Equal(want.NotAfter), "key %d: NotAfter %v", i, g.NotAfter)
			wantAlg, err := keys.AlgorithmOf(want.PublicKey)
			require.NoError(t, err)
			wantKID, err := keys.KeyID(want.PublicKey)
			require.NoError(t, err)
			assert.Equal(t, wantAlg, g.Algorithm, "key %d", i)
			assert.Equal(t, wantKID, g.KeyID, "key %d", i)
		}
	})
	t.Run("same_key_twice_for_one_issuer", func(t *testing.T) {
		_, err := keys.MarshalJWKSet(a, a)
		wantErr(t, err, keys.ErrDuplicateKeyID, true)
		issuer, kid, ok := keys.TrustListErrorAbout(err)
		require.True(t, ok)
		assert.Equal(t, "3171", issuer)
		want, err := keys.JWKKeyID(a.PublicKey)
		require.NoError(t, err)
		assert.Equal(t, want, kid)
	})
	t.Run("empty_window", func(t *testing.T) {
		bad := a
		bad.NotAfter = bad.NotBefore
		_, err := keys.MarshalJWKSet(bad)
		wantErr(t, err, keys.ErrMalformed, true)
	})
	t.Run("issuer_id_over_32_bytes", func(t *testing.T) {
		bad := a
		bad.IssuerID = strings.Repeat("3", 33)
		_, err := keys.MarshalJWKSet(bad)
		wantErr(t, err, keys.ErrMalformed, true)
	})

	mutate := func(f func(keys, validity []any) map[string]any) []byte {
		var d map[string]any
		require.NoError(t, json.Unmarshal(data, &d))
		out, err := json.Marshal(f(d["keys"].([]any), d["validity"].([]any)))
		require.NoError(t, err)
		return out
	}
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"duplicate_JWK", mutate(func(k, v []any) map[string]any {
			return map[string]any{"keys": append(k, k[0]), "validity": v}
		}), keys.ErrDuplicateKeyID},
		{"duplicate_window", mutate(func(k, v []any) map[string]any {
			return map[string]any{"keys": k, "validity": append(v, v[0])}
		}), keys.ErrDuplicateKeyID},
		{"key_without_window", mutate(func(k, v []any) map[string]any {
			return map[string]any{"keys": k, "validity": v[:1]}
		}), keys.ErrMalformed},
		{"window_without_key", mutate(func(k, v []any) map[string]any {
			return map[string]any{"keys": k[:1], "validity": v}
		}), keys.ErrMalformed},
		{"window_without_exp", mutate(func(k, v []any) map[string]any {
			delete(v[0].(map[string]any), "exp")
			return map[string]any{"keys": k, "validity": v}
		}), keys.ErrMalformed},
		{"unknown_member", mutate(func(k, v []any) map[string]any {
			return map[string]any{"keys": k, "validity": v, "x": 1}
		}), keys.ErrMalformed},
		{"too_large", bytes.Repeat([]byte(" "), 4<<20+1), keys.ErrTooLarge},
	} {
		t.Run("parse/"+tc.name, func(t *testing.T) {
			_, err := keys.ParseJWKSet(tc.in)
			wantErr(t, err, tc.err, true)
			assert.Equal(t, tc.err, knownSentinel(err), "most precise reason of %v", err)
		})
	}
}
