package keys_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
)

func TestTrustListValid(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run("root_"+alg.String(), func(t *testing.T) {
			root := testKey(t, alg, "root")
			issuers := testIssuers(t, 3, 2, keys.ES256)
			issuers[2].Keys[1] = issuerKey(t, keys.EdDSA, "an EdDSA issuer key")
			c := content(7, issuers)
			jws := sign(t, root, c)

			hdr, _ := splitJWS(t, jws)
			assert.Equal(t, rootHeader(t, root), hdr, "the header is exactly alg, kid, typ; alg from the root's key")
			// SignTrustList fills in a copy, not the caller's content.
			assert.Nil(t, c.Issuers[0].Keys[0].KeyID)
			assert.Empty(t, c.Issuers[0].Keys[0].IssuerID)
			assert.Zero(t, c.Issuers[0].Keys[0].Algorithm)

			got, err := keys.ParseTrustList(append(jws, '\n'), root.Public(), clockAt(t0))
			require.NoError(t, err)
			assert.Equal(t, uint64(7), got.Sequence())
			assert.True(t, keys.IssuedAt(got).Equal(t0))
			assert.True(t, got.NextUpdate().Equal(t0.AddDate(0, 0, 7)))
			assert.Equal(t, time.UTC, got.NextUpdate().Location())
			assert.Equal(t, jws, keys.JWS(got))
			assert.True(t, sameKey(root.Public(), keys.Root(got)))
			assert.Nil(t, keys.NextRoot(got))

			gotIssuers := keys.Issuers(got)
			require.Len(t, gotIssuers, 3)
			for i, is := range gotIssuers {
				require.Equal(t, issuers[i].ID, is.ID)
				require.Equal(t, issuers[i].Name, is.Name)
				require.Len(t, is.Keys, 2)
				for j, k := range is.Keys {
					want := issuers[i].Keys[j]
					wantAlg, err := keys.AlgorithmOf(want.PublicKey)
					require.NoError(t, err)
					assert.True(t, sameKey(want.PublicKey, k.PublicKey), "issuer %d key %d", i, j)
					assert.True(t, k.NotBefore.Equal(want.NotBefore), "issuer %d key %d", i, j)
					assert.True(t, k.NotAfter.Equal(want.NotAfter), "issuer %d key %d", i, j)
					assert.Equal(t, is.ID, k.IssuerID)
					assert.Equal(t, is.Name, k.IssuerName)
					assert.Equal(t, wantAlg, k.Algorithm)
					c := got.Lookup(k.KeyID)
					require.Len(t, c, 1, "Lookup(%x)", k.KeyID)
					assert.True(t, sameKey(k.PublicKey, c[0].PublicKey))
				}
			}
			assert.Nil(t, got.Lookup([]byte("12345678")), "unknown kid")
			assert.Nil(t, got.Lookup([]byte("short")), "kid of the wrong length")
			var none *keys.TrustList // what Store.Current returns with no list
			assert.Nil(t, none.Lookup(gotIssuers[0].Keys[0].KeyID), "a nil list finds nothing")

			// Callers cannot change the list through what it returns.
			kid := gotIssuers[0].Keys[0].KeyID
			got.Lookup(kid)[0].IssuerID = "changed"
			assert.Equal(t, gotIssuers[0].ID, got.Lookup(kid)[0].IssuerID, "the list changed through a returned slice")
		})
	}
}

// goldenContent is the trust list of testdata/golden/trustlist.jws: every
// feature of the format (a key shared by two issuers, an EdDSA key with
// its Algorithm given, a window that is truncated to the second and given
// in another zone, an announced next root), with keys from counterRand.
func goldenContent(t testing.TB) (crypto.Signer, *keys.TrustListContent) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	shared := goldenKey(t, keys.EdDSA, "golden shared").Public()
	return goldenKey(t, keys.EdDSA, "golden root"), &keys.TrustListContent{
		Sequence:   42,
		IssuedAt:   at,
		NextUpdate: at.AddDate(0, 0, 7),
		Issuers: []keys.TrustedIssuer{
			{ID: "00", Name: "Ditjen Dukcapil", Keys: []keys.IssuerKey{
				{PublicKey: shared, NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(4, 0, 0)},
			}},
			{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat", Keys: []keys.IssuerKey{
				{PublicKey: goldenKey(t, keys.ES256, "golden 3171 es").Public(), NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(1, 0, 0)},
				{PublicKey: goldenKey(t, keys.EdDSA, "golden 3171 ed").Public(), Algorithm: keys.EdDSA, NotBefore: at.AddDate(0, 11, 0), NotAfter: at.AddDate(3, 0, 0)},
				{PublicKey: shared, NotBefore: at, NotAfter: at.AddDate(2, 0, 0)},
			}},
			{ID: "3273", Name: "Disdukcapil Kota Bandung", Keys: []keys.IssuerKey{
				{PublicKey: goldenKey(t, keys.ES256, "golden 3273").Public(), NotBefore: at.Add(-1500 * time.Millisecond).In(t0.Location()), NotAfter: at.AddDate(1, 0, 0)},
			}},
		},
		NextRoot: goldenKey(t, keys.ES256, "golden next root").Public(),
	}
}

// TestSignTrustListGolden pins the wire format: the JWS that SignTrustList
// makes (an Ed25519 root signs deterministically) is byte for byte the one
// in testdata/golden/trustlist.jws, which the previous API
// (NewTrustList, WithNextRoot, SignTrustList(list, root, alg)) made.
func TestSignTrustListGolden(t *testing.T) {
	root, c := goldenContent(t)
	jws := sign(t, root, c)
	golden(t, "trustlist.jws", append(bytes.Clone(jws), '\n'))

	l, err := keys.ParseTrustList(jws, root.Public(), clockAt(c.IssuedAt))
	require.NoError(t, err)
	assert.Equal(t, uint64(42), l.Sequence())
	assert.True(t, sameKey(c.NextRoot, keys.NextRoot(l)))
	shared, err := keys.KeyID(c.Issuers[0].Keys[0].PublicKey)
	require.NoError(t, err)
	found := l.Lookup(shared)
	require.Len(t, found, 2, "the shared key, once per issuer")
	assert.Equal(t, "00", found[0].IssuerID)
	assert.Equal(t, "3171", found[1].IssuerID)
	bandung := keys.Issuers(l)[2].Keys[0]
	assert.Equal(t, int64(1767225598), bandung.NotBefore.Unix(), "truncated to the second")

	t.Run("ES256_root_signs_the_same_payload", func(t *testing.T) {
		es := goldenKey(t, keys.ES256, "golden ES256 root")
		jws := sign(t, es, c)
		hdr, payload := splitJWS(t, jws)
		assert.Equal(t, "ES256", hdr["alg"])
		_, want := splitJWS(t, bytes.TrimSpace(mustRead(t, "testdata/golden/trustlist.jws")))
		assert.Equal(t, want, payload)
		_, err := keys.ParseTrustList(jws, es.Public(), clockAt(c.IssuedAt))
		require.NoError(t, err)
	})
}

// TestTrustListRejects is the table of every way a trust list must fail,
// each with its own reason.
func TestTrustListRejects(t *testing.T) {
	root := testKey(t, keys.ES256, "root")
	edRoot := testKey(t, keys.EdDSA, "ed root")
	good := smallList(t, root, 5)
	_, payload := splitJWS(t, good)
	parts := strings.Split(string(good), ".")

	// change returns the good payload changed by f, signed by the root.
	change := func(f func(p map[string]any)) []byte {
		var p map[string]any
		require.NoError(t, json.Unmarshal(mustJSON(t, payload), &p))
		f(p)
		return resign(t, root, p)
	}
	jwks := func(p map[string]any) (ks, vs []any) {
		j := p["jwks"].(map[string]any)
		return j["keys"].([]any), j["validity"].([]any)
	}
	setJWKS := func(p map[string]any, ks, vs []any) {
		p["jwks"] = map[string]any{"keys": ks, "validity": vs}
	}
	firstJWK := func(p map[string]any) map[string]any {
		ks, _ := jwks(p)
		return ks[0].(map[string]any)
	}
	rootPoint, err := root.Public().(*ecdsa.PublicKey).Bytes()
	require.NoError(t, err)
	rsaKey := func() map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(rfc7638Key), &m))
		m["use"] = "sig"
		return m
	}
	rootKID := rootHeader(t, root)["kid"]
	long := strings.Repeat("3", 33)

	for _, tc := range []struct {
		name string
		jws  []byte
		opts []keys.Option
		want error
	}{
		{"wrong_root", smallList(t, testKey(t, keys.ES256, "not the root"), 5), nil, keys.ErrBadSignature},
		{"wrong_root_same_kid", signRaw(t, testKey(t, keys.ES256, "impostor"), rootHeader(t, root), mustJSON(t, payload)), nil, keys.ErrBadSignature},
		{"tampered_payload", []byte(parts[0] + "." + b64.EncodeToString(bytes.Replace(mustJSON(t, payload), []byte(`"sequence":5`), []byte(`"sequence":9`), 1)) + "." + parts[2]), nil, keys.ErrBadSignature},
		{"tampered_signature", []byte(parts[0] + "." + parts[1] + "." + flipChar(parts[2])), nil, keys.ErrBadSignature},
		{"alg_none", signRaw(t, nil, map[string]any{"alg": "none", "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_none_with_kid", signRaw(t, nil, map[string]any{"alg": "none", "kid": rootKID, "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		// The classic confusion: HMAC keyed with the public key bytes.
		{"alg_HS256_keyed_with_root_public_key", signRaw(t, rootPoint, map[string]any{"alg": "HS256", "kid": rootKID, "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_HS256_keyed_with_root_JWK", signRaw(t, mustJSON(t, rootHeader(t, root)), map[string]any{"alg": "HS256", "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_EdDSA_for_ES256_root", signRaw(t, edRoot, map[string]any{"alg": "EdDSA", "kid": rootKID, "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_ES384", signRaw(t, nil, map[string]any{"alg": "ES384", "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"expired", good, []keys.Option{clockAt(t0.AddDate(0, 0, 7).Add(keys.DefaultGrace + time.Second))}, keys.ErrExpired},
		{"expired_no_grace", good, []keys.Option{clockAt(t0.AddDate(0, 0, 7).Add(time.Second)), keys.WithGrace(0)}, keys.ErrExpired},
		{"duplicate_kid_same_issuer", change(func(p map[string]any) {
			ks, vs := jwks(p)
			setJWKS(p, ks, append(vs, vs[0]))
		}), nil, keys.ErrDuplicateKeyID},
		{"duplicate_JWK_in_set", change(func(p map[string]any) {
			ks, vs := jwks(p)
			setJWKS(p, append(ks, ks[0]), vs)
		}), nil, keys.ErrDuplicateKeyID},
		{"key_alg_EdDSA_on_EC_key", change(func(p map[string]any) { firstJWK(p)["alg"] = "EdDSA" }), nil, keys.ErrInvalidKey},
		{"key_alg_HS256_on_EC_key", change(func(p map[string]any) { firstJWK(p)["alg"] = "HS256" }), nil, keys.ErrInvalidKey},
		{"key_alg_ES384_on_P-256_key", change(func(p map[string]any) { firstJWK(p)["alg"] = "ES384" }), nil, keys.ErrInvalidKey},
		{"key_without_alg", change(func(p map[string]any) { delete(firstJWK(p), "alg") }), nil, keys.ErrInvalidKey},
		{"key_use_enc", change(func(p map[string]any) { firstJWK(p)["use"] = "enc" }), nil, keys.ErrInvalidKey},
		{"key_off_curve", change(func(p map[string]any) { firstJWK(p)["y"] = firstJWK(p)["x"] }), nil, keys.ErrInvalidKey},
		{"key_P-384", change(func(p map[string]any) { firstJWK(p)["crv"] = "P-384" }), nil, keys.ErrInvalidKey},
		{"key_with_private_d", change(func(p map[string]any) { firstJWK(p)["d"] = "AAAA" }), nil, keys.ErrInvalidKey},
		{"key_RSA", change(func(p map[string]any) {
			ks, vs := jwks(p)
			ks[0] = rsaKey()
			setJWKS(p, ks, vs)
		}), nil, keys.ErrInvalidKey},
		{"key_HMAC", change(func(p map[string]any) {
			ks, vs := jwks(p)
			ks[0] = map[string]any{"kty": "oct", "k": b64.EncodeToString(rootPoint), "alg": "HS256", "use": "sig", "kid": firstJWK(p)["kid"]}
			setJWKS(p, ks, vs)
		}), nil, keys.ErrInvalidKey},
		{"key_kid_not_thumbprint", change(func(p map[string]any) { firstJWK(p)["kid"] = "kid-ec-sign" }), nil, keys.ErrMalformed},
		{"key_unknown_member", change(func(p map[string]any) { firstJWK(p)["x5u"] = "https://example.com/x" }), nil, keys.ErrMalformed},
		{"key_without_window", change(func(p map[string]any) {
			ks, vs := jwks(p)
			setJWKS(p, ks, vs[1:])
		}), nil, keys.ErrMalformed},
		{"window_nbf_after_exp", change(func(p map[string]any) {
			_, vs := jwks(p)
			v := vs[0].(map[string]any)
			v["nbf"], v["exp"] = v["exp"], v["nbf"]
		}), nil, keys.ErrMalformed},
		{"key_of_unlisted_issuer", change(func(p map[string]any) {
			_, vs := jwks(p)
			vs[0].(map[string]any)["iss"] = "9999"
		}), nil, keys.ErrMalformed},
		{"issuer_twice", change(func(p map[string]any) {
			is := p["issuers"].([]any)
			p["issuers"] = append(is, is[0])
		}), nil, keys.ErrMalformed},
		{"issuer_id_over_32_bytes", change(func(p map[string]any) {
			p["issuers"].([]any)[0].(map[string]any)["id"] = long
			_, vs := jwks(p)
			vs[0].(map[string]any)["iss"] = long
			vs[1].(map[string]any)["iss"] = long
		}), nil, keys.ErrMalformed},
		{"issuer_id_with_colon", change(func(p map[string]any) {
			p["issuers"].([]any)[0].(map[string]any)["id"] = "31:71"
		}), nil, keys.ErrMalformed},
		{"issuer_name_with_control_character", change(func(p map[string]any) {
			p["issuers"].([]any)[0].(map[string]any)["name"] = "Jakarta\x00Pusat"
		}), nil, keys.ErrMalformed},
		{"sequence_0", change(func(p map[string]any) { p["sequence"] = 0 }), nil, keys.ErrMalformed},
		{"sequence_negative", change(func(p map[string]any) { p["sequence"] = -1 }), nil, keys.ErrMalformed},
		{"next_update_before_issue", change(func(p map[string]any) { p["next_update"] = p["issued_at"] }), nil, keys.ErrMalformed},
		{"version_2", change(func(p map[string]any) { p["version"] = 2 }), nil, keys.ErrMalformed},
		{"unknown_payload_member", change(func(p map[string]any) { p["extra"] = true }), nil, keys.ErrMalformed},
		{"next_root_RSA", change(func(p map[string]any) { p["next_root"] = rsaKey() }), nil, keys.ErrInvalidKey},
		{"duplicate_payload_member", resignRaw(t, root, bytes.Replace(mustJSON(t, payload), []byte(`"sequence":5`), []byte(`"sequence":5,"sequence":9`), 1)), nil, keys.ErrMalformed},
		{"payload_not_JSON", resignRaw(t, root, []byte("sequence=5")), nil, keys.ErrMalformed},
		{"payload_too_deep", resignRaw(t, root, []byte(strings.Repeat("[", 20)+strings.Repeat("]", 20))), nil, keys.ErrMalformed},
		{"typ_missing", signRaw(t, root, map[string]any{"alg": "ES256", "kid": rootKID}, mustJSON(t, payload)), nil, keys.ErrMalformed},
		{"typ_JWT", signRaw(t, root, map[string]any{"alg": "ES256", "typ": "JWT"}, mustJSON(t, payload)), nil, keys.ErrMalformed},
		{"header_embeds_jwk", signRaw(t, root, map[string]any{"alg": "ES256", "typ": keys.TrustListType, "jwk": map[string]any{"kty": "EC"}}, mustJSON(t, payload)), nil, keys.ErrMalformed},
		{"header_crit", signRaw(t, root, map[string]any{"alg": "ES256", "typ": keys.TrustListType, "crit": []string{"b64"}, "b64": false}, mustJSON(t, payload)), nil, keys.ErrMalformed},
		{"header_duplicate_alg", []byte(b64.EncodeToString([]byte(`{"alg":"ES256","alg":"none"}`)) + "." + parts[1] + "." + parts[2]), nil, keys.ErrMalformed},
		{"truncated_no_signature", []byte(parts[0] + "." + parts[1]), nil, keys.ErrMalformed},
		{"truncated_half", good[:len(good)/2], nil, keys.ErrMalformed},
		{"short_signature", []byte(parts[0] + "." + parts[1] + "." + b64.EncodeToString(mustB64(t, parts[2])[:63])), nil, keys.ErrBadSignature},
		{"empty", nil, nil, keys.ErrMalformed},
		{"many_dots", bytes.Repeat([]byte("."), 1<<20), nil, keys.ErrMalformed},
		{"padded_base64", []byte(parts[0] + "." + parts[1] + "." + parts[2] + "=="), nil, keys.ErrMalformed},
		{"JSON_serialization", []byte(fmt.Sprintf(`{"protected":%q,"payload":%q,"signature":%q}`, parts[0], parts[1], parts[2])), nil, keys.ErrMalformed},
		{"oversized", append(bytes.Repeat([]byte("A"), limits.MaxTrustList-len(good)+1), good...), nil, keys.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]keys.Option{clockAt(t0)}, tc.opts...)
			l, err := keys.ParseTrustList(tc.jws, root.Public(), opts...)
			assert.Nil(t, l, "a list came back with the error")
			wantErr(t, err, tc.want, true)
			assert.Equal(t, tc.want, knownSentinel(err), "most precise reason of %v", err)
		})
	}
	t.Run("the_good_list_passes", func(t *testing.T) {
		_, err := keys.ParseTrustList(good, root.Public(), clockAt(t0))
		require.NoError(t, err)
	})
	t.Run("expired_within_grace_passes", func(t *testing.T) {
		_, err := keys.ParseTrustList(good, root.Public(), clockAt(t0.AddDate(0, 0, 7).Add(keys.DefaultGrace)))
		require.NoError(t, err)
	})
	t.Run("every_prefix_fails_with_a_typed_error", func(t *testing.T) {
		for n := range len(good) {
			_, err := keys.ParseTrustList(good[:n], root.Public(), clockAt(t0))
			require.Error(t, err, "prefix of %d bytes", n)
			require.Equal(t, 1, publicSentinelCount(err), "prefix of %d bytes: %v", n, err)
		}
	})
	t.Run("bad_root_argument", func(t *testing.T) {
		_, err := keys.ParseTrustList(good, &rsa.PublicKey{})
		wantErr(t, err, keys.ErrInvalidKey, true)
	})
	t.Run("bad_options", func(t *testing.T) {
		for name, opt := range map[string]keys.Option{
			"negative_grace": keys.WithGrace(-1),
			"nil_clock":      keys.WithClock(nil),
			"nil_option":     nil,
		} {
			l, err := keys.ParseTrustList(good, root.Public(), opt)
			assert.Error(t, err, name)
			assert.Nil(t, l, name)
		}
	})
}

// resignRaw signs payload bytes as they are (the root's header).
func resignRaw(t testing.TB, root crypto.Signer, payload []byte) []byte {
	return signRaw(t, root, rootHeader(t, root), payload)
}

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	require.NoError(t, err)
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// flipChar changes the middle character of a base64url string to another
// one of the alphabet.
func flipChar(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestSignTrustListRejects(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	k := issuerKey(t, keys.ES256, "k")
	p384, err := ecdsa.GenerateKey(elliptic.P384(), testRand("p384"))
	require.NoError(t, err)
	withKeys := func(ks ...keys.IssuerKey) []keys.TrustedIssuer {
		return []keys.TrustedIssuer{{ID: "3171", Name: "Kota Jakarta Pusat", Keys: ks}}
	}
	mod := func(f func(k *keys.IssuerKey)) keys.IssuerKey {
		c := k
		f(&c)
		return c
	}
	at := func(seq uint64, next time.Time, issuers []keys.TrustedIssuer) *keys.TrustListContent {
		return &keys.TrustListContent{Sequence: seq, IssuedAt: t0, NextUpdate: next, Issuers: issuers}
	}
	hour := t0.Add(time.Hour)
	for _, tc := range []struct {
		name  string
		root  crypto.Signer
		c     *keys.TrustListContent
		want  error
		about string // the issuer the error names
	}{
		{"nil_content", root, nil, keys.ErrMalformed, ""},
		{"nil_root", nil, at(1, hour, nil), keys.ErrInvalidKey, ""},
		{"P-384_root", p384, at(1, hour, nil), keys.ErrInvalidKey, ""},
		{"sequence_0", root, at(0, hour, withKeys(k)), keys.ErrMalformed, ""},
		{"next_update_not_after_issue", root, at(1, t0, withKeys(k)), keys.ErrMalformed, ""},
		{"same_key_twice", root, at(1, hour, withKeys(k, k)), keys.ErrDuplicateKeyID, "3171"},
		{"same_key_twice_other_window", root, at(1, hour, withKeys(k, mod(func(k *keys.IssuerKey) { k.NotAfter = k.NotAfter.AddDate(1, 0, 0) }))), keys.ErrDuplicateKeyID, "3171"},
		{"algorithm_mismatch", root, at(1, hour, withKeys(mod(func(k *keys.IssuerKey) { k.Algorithm = keys.EdDSA }))), keys.ErrInvalidKey, "3171"},
		{"wrong_key_id", root, at(1, hour, withKeys(mod(func(k *keys.IssuerKey) { k.KeyID = []byte("12345678") }))), keys.ErrMalformed, "3171"},
		{"P-384_key", root, at(1, hour, withKeys(mod(func(k *keys.IssuerKey) { k.PublicKey = &p384.PublicKey }))), keys.ErrInvalidKey, "3171"},
		{"RSA_key", root, at(1, hour, withKeys(mod(func(k *keys.IssuerKey) { k.PublicKey = &rsa.PublicKey{} }))), keys.ErrInvalidKey, "3171"},
		{"no_window", root, at(1, hour, withKeys(mod(func(k *keys.IssuerKey) { k.NotBefore = time.Time{} }))), keys.ErrMalformed, "3171"},
		{"key_of_other_issuer", root, at(1, hour, withKeys(mod(func(k *keys.IssuerKey) { k.IssuerID = "3172" }))), keys.ErrMalformed, "3171"},
		{"issuer_id_with_space", root, at(1, hour, []keys.TrustedIssuer{{ID: "31 71", Name: "x"}}), keys.ErrMalformed, ""},
		{"issuer_id_over_32_bytes", root, at(1, hour, []keys.TrustedIssuer{{ID: strings.Repeat("a", 33), Name: "x"}}), keys.ErrMalformed, ""},
		{"issuer_without_name", root, at(1, hour, []keys.TrustedIssuer{{ID: "3171"}}), keys.ErrMalformed, "3171"},
		{"issuer_twice", root, at(1, hour, []keys.TrustedIssuer{{ID: "3171", Name: "a"}, {ID: "3171", Name: "b"}}), keys.ErrMalformed, "3171"},
		{"next_root_RSA", root, &keys.TrustListContent{Sequence: 1, IssuedAt: t0, NextUpdate: hour, NextRoot: &rsa.PublicKey{}}, keys.ErrInvalidKey, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jws, err := keys.SignTrustList(tc.root, tc.c)
			assert.Nil(t, jws)
			wantErr(t, err, tc.want, true)
			assert.Equal(t, tc.want, knownSentinel(err), "most precise reason of %v", err)
			issuer, _, _ := keys.TrustListErrorAbout(err)
			assert.Equal(t, tc.about, issuer, "the issuer the error is about")
		})
	}
	t.Run("issuer_id_of_32_bytes_is_allowed", func(t *testing.T) {
		id := strings.Repeat("a", 32)
		jws := sign(t, root, at(1, hour, []keys.TrustedIssuer{{ID: id, Name: "x", Keys: []keys.IssuerKey{k}}}))
		l, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
		require.NoError(t, err)
		assert.Equal(t, id, keys.Issuers(l)[0].ID)
	})
	t.Run("same_key_for_two_issuers_is_allowed", func(t *testing.T) {
		jws := sign(t, root, at(1, hour, []keys.TrustedIssuer{
			{ID: "00", Name: "Ditjen Dukcapil", Keys: []keys.IssuerKey{k}},
			{ID: "3171", Name: "Kota Jakarta Pusat", Keys: []keys.IssuerKey{k}},
		}))
		got, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
		require.NoError(t, err)
		kid, err := keys.KeyID(k.PublicKey)
		require.NoError(t, err)
		c := got.Lookup(kid)
		require.Len(t, c, 2)
		assert.Equal(t, "00", c[0].IssuerID)
		assert.Equal(t, "3171", c[1].IssuerID)
	})
	t.Run("over_the_size_limit", func(t *testing.T) {
		// Names of 256 bytes and one key per issuer: about 600 bytes each.
		issuers := make([]keys.TrustedIssuer, 0, 10000)
		for i := range cap(issuers) {
			issuers = append(issuers, keys.TrustedIssuer{ID: fmt.Sprintf("i%d", i), Name: strings.Repeat("n", 256), Keys: []keys.IssuerKey{k}})
		}
		_, err := keys.SignTrustList(root, at(1, hour, issuers))
		wantErr(t, err, keys.ErrTooLarge, true)
	})
}

// TestTrustListErrorSaysWhere: a trust list error carries the issuer and
// kid it is about, and wraps its reason.
func TestTrustListErrorSaysWhere(t *testing.T) {
	err := keys.NewTrustListError("3171", "abc", fmt.Errorf("%w: alg x", keys.ErrInvalidKey))
	issuer, kid, ok := keys.TrustListErrorAbout(err)
	require.True(t, ok)
	assert.Equal(t, "3171", issuer)
	assert.Equal(t, "abc", kid)
	assert.ErrorIs(t, err, keys.ErrInvalidKey)
	assert.ErrorIs(t, err, keys.ErrMalformed)
	assert.NotErrorIs(t, err, keys.ErrBadSignature)
}

// TestSentinelsNest: each finer reason wraps exactly one public sentinel.
func TestSentinelsNest(t *testing.T) {
	for sub, public := range map[error]error{
		keys.ErrTooLarge:       keys.ErrMalformed,
		keys.ErrInvalidKey:     keys.ErrMalformed,
		keys.ErrDuplicateKeyID: keys.ErrMalformed,
		keys.ErrWrongAlgorithm: keys.ErrBadSignature,
	} {
		assert.ErrorIs(t, sub, public)
		assert.Equal(t, 1, publicSentinelCount(sub), "%v", sub)
	}
}

// sig is a signature made by a test key, as a verifier would check it.
type sig struct {
	msg, sig []byte
}

func signWith(t testing.TB, k crypto.Signer, msg string) sig {
	t.Helper()
	switch k := k.(type) {
	case ed25519.PrivateKey:
		return sig{[]byte(msg), ed25519.Sign(k, []byte(msg))}
	case *ecdsa.PrivateKey:
		d := sha256.Sum256([]byte(msg))
		s, err := ecdsa.SignASN1(testRand(msg), k, d[:])
		require.NoError(t, err)
		return sig{[]byte(msg), s}
	}
	t.Fatalf("signWith: %T", k)
	return sig{}
}

func (s sig) verifies(k keys.IssuerKey) bool {
	switch k.Algorithm {
	case keys.EdDSA:
		pub, ok := k.PublicKey.(ed25519.PublicKey)
		return ok && ed25519.Verify(pub, s.msg, s.sig)
	case keys.ES256:
		pub, ok := k.PublicKey.(*ecdsa.PublicKey)
		d := sha256.Sum256(s.msg)
		return ok && ecdsa.VerifyASN1(pub, d[:], s.sig)
	}
	return false
}

// verifyWith is what the verifier does: look up every candidate for the
// kid, algorithm and issue time, accept if one verifies. It returns the
// issuer of the key that verified, "" if none did.
func verifyWith(l *keys.TrustList, kid []byte, alg keys.Algorithm, issuedAt time.Time, s sig) string {
	for _, k := range candidates(l, kid, alg, issuedAt) {
		if s.verifies(k) {
			return k.IssuerID
		}
	}
	return ""
}

// TestKeyIDCollision makes what no real list can show (two different keys
// whose 8-byte kids are equal) and checks that Lookup returns both and that
// a verifier trying each candidate accepts a message signed by either.
func TestKeyIDCollision(t *testing.T) {
	ka, kb := testKey(t, keys.ES256, "a"), testKey(t, keys.ES256, "b")
	a, b := issuerKey(t, keys.ES256, "a"), issuerKey(t, keys.ES256, "b")
	kidA, err := keys.KeyID(a.PublicKey)
	require.NoError(t, err)
	a.KeyID, a.Algorithm, a.IssuerID = kidA, keys.ES256, "3171"
	b.KeyID, b.Algorithm, b.IssuerID = kidA, keys.ES256, "3172" // forced collision
	l := keys.NewListUnchecked(1, t0, t0.Add(time.Hour), []keys.TrustedIssuer{
		{ID: "3171", Name: "a", Keys: []keys.IssuerKey{a}},
		{ID: "3172", Name: "b", Keys: []keys.IssuerKey{b}},
	})
	require.Len(t, l.Lookup(kidA), 2)
	assert.Equal(t, "3171", verifyWith(l, kidA, keys.ES256, t0, signWith(t, ka, "credential")))
	assert.Equal(t, "3172", verifyWith(l, kidA, keys.ES256, t0, signWith(t, kb, "credential")))
}

// TestIssuerKeyRotation: an issuer adds a new key while the old one stays
// valid for what it signed; a credential signed by the old key with an
// issue time after its NotAfter does not verify.
func TestIssuerKeyRotation(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	oldKey := testKey(t, keys.ES256, "3171 2025")
	newKey := testKey(t, keys.ES256, "3171 2026")
	edKey := testKey(t, keys.EdDSA, "3171 ed")
	jan := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	jws := sign(t, root, content(2, []keys.TrustedIssuer{{
		ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
		Keys: []keys.IssuerKey{
			{PublicKey: oldKey.Public(), NotBefore: jan(2025), NotAfter: jan(2026)},
			{PublicKey: newKey.Public(), NotBefore: jan(2026).AddDate(0, -1, 0), NotAfter: jan(2027)},
			{PublicKey: edKey.Public(), NotBefore: jan(2025), NotAfter: jan(2027)},
		},
	}}))
	list, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
	require.NoError(t, err)

	for _, tc := range []struct {
		name     string
		signer   crypto.Signer
		alg      keys.Algorithm
		issuedAt time.Time
		ok       bool
	}{
		{"old_key_inside_its_window", oldKey, keys.ES256, jan(2025).AddDate(0, 6, 0), true},
		{"old_key_last_second", oldKey, keys.ES256, jan(2026).Add(-time.Second), true},
		{"old_key_at_not_after", oldKey, keys.ES256, jan(2026), false},
		{"old_key_after_not_after", oldKey, keys.ES256, jan(2026).AddDate(0, 2, 0), false},
		{"old_key_before_not_before", oldKey, keys.ES256, jan(2024), false},
		{"new_key_in_the_overlap", newKey, keys.ES256, jan(2026).AddDate(0, 0, -10), true},
		{"new_key", newKey, keys.ES256, jan(2026).AddDate(0, 6, 0), true},
		{"EdDSA_key", edKey, keys.EdDSA, jan(2026), true},
		{"alg_of_message_must_match_key", oldKey, keys.EdDSA, jan(2025).AddDate(0, 6, 0), false},
		{"unlisted_key", testKey(t, keys.ES256, "stranger"), keys.ES256, jan(2026), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kid, err := keys.KeyID(tc.signer.Public())
			require.NoError(t, err)
			got := verifyWith(list, kid, tc.alg, tc.issuedAt, signWith(t, tc.signer, "KTP"))
			assert.Equal(t, tc.ok, got == "3171", "verified by %q", got)
		})
	}
}

// TestRootRotationInParse: a list signed by the old root announces the new
// one; the next list, signed by the new root, verifies against it.
func TestRootRotationInParse(t *testing.T) {
	oldRoot := testKey(t, keys.ES256, "root 1")
	newRoot := testKey(t, keys.EdDSA, "root 2")
	c := content(10, testIssuers(t, 1, 1, keys.ES256))
	c.NextRoot = newRoot.Public()
	got, err := keys.ParseTrustList(sign(t, oldRoot, c), oldRoot.Public(), clockAt(t0))
	require.NoError(t, err)
	require.NotNil(t, keys.NextRoot(got), "next root not announced")
	assert.True(t, sameKey(newRoot.Public(), keys.NextRoot(got)))

	c2 := content(11, c.Issuers)
	_, err = keys.ParseTrustList(sign(t, newRoot, c2), keys.NextRoot(got), clockAt(t0))
	require.NoError(t, err)
}

// The 514 × 2 trust list: every regency and city of Indonesia, two keys
// each (current and next), ES256 issuer keys, ES256 root.

var big514 struct {
	root    crypto.Signer
	jws     []byte
	payload []byte
}

func list514(tb testing.TB) (crypto.Signer, []byte, []byte) {
	if big514.jws == nil {
		root := testKey(tb, keys.ES256, "root")
		c := content(1, testIssuers(tb, 514, 2, keys.ES256))
		jws := sign(tb, root, c)
		p, err := keys.ContentPayload(c)
		require.NoError(tb, err)
		big514.root, big514.jws, big514.payload = root, jws, p
	}
	return big514.root, big514.jws, big514.payload
}

func TestTrustList514x2Size(t *testing.T) {
	root, jws, payload := list514(t)
	t.Logf("514 issuers × 2 ES256 keys: payload %d bytes, signed JWS %d bytes (limit %d)", len(payload), len(jws), limits.MaxTrustList)
	assert.LessOrEqual(t, len(jws), limits.MaxTrustList/4, "the national list uses over a quarter of MaxTrustList")
	l, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
	require.NoError(t, err)
	assert.Len(t, keys.Issuers(l), 514)
}

// BenchmarkParseTrustList514x2 measures what a scanner pays to load and
// verify the national list: one ES256 verification, JSON decoding, 1,028
// key checks (point on curve, thumbprint) and the index.
func BenchmarkParseTrustList514x2(b *testing.B) {
	root, jws, _ := list514(b)
	b.ReportMetric(float64(len(jws)), "bytes")
	b.SetBytes(int64(len(jws)))
	for b.Loop() {
		if _, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseTrustList514x2_baselineJSON is the baseline: decoding the
// same payload into generic Go values with encoding/json, no checks at all.
func BenchmarkParseTrustList514x2_baselineJSON(b *testing.B) {
	_, _, payload := list514(b)
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(payload, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseTrustList514x2_baselineGoJose is the other baseline:
// go-jose parsing and verifying the JWS alone, nothing decoded.
func BenchmarkParseTrustList514x2_baselineGoJose(b *testing.B) {
	root, jws, _ := list514(b)
	for b.Loop() {
		obj, err := jose.ParseSignedCompact(string(jws), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := obj.Verify(root.Public()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup is the per-scan cost: one map access and a copy.
func BenchmarkLookup(b *testing.B) {
	root, jws, _ := list514(b)
	l, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
	require.NoError(b, err)
	kid := keys.Issuers(l)[300].Keys[1].KeyID
	for b.Loop() {
		if len(l.Lookup(kid)) != 1 {
			b.Fatal("not found")
		}
	}
}
