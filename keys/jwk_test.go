package keys_test

import (
	"bytes"
	"crypto"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/go-jose/go-jose/v4"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/keys"
)

type equaler interface{ Equal(crypto.PublicKey) bool }

// TestRoundTrip converts each kind of key crypto → JWK → COSE_Key (through
// CBOR) → crypto → JWK and checks that nothing changed on the way.
func TestRoundTrip(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run(alg.String(), func(t *testing.T) {
			pub := testKey(t, alg, "round trip").Public()
			kid, err := keys.KeyID(pub)
			must(t, err)

			// crypto → JWK (go-jose) → JSON → crypto
			jwk, err := keys.PublicJWK(pub, alg)
			must(t, err)
			if jwk.Algorithm != alg.String() || jwk.Use != "sig" || !jwk.IsPublic() {
				t.Fatalf("JWK alg %q use %q public %v", jwk.Algorithm, jwk.Use, jwk.IsPublic())
			}
			js, err := jwk.MarshalJSON()
			must(t, err)
			fromJWK, err := keys.ParsePublicJWK(js)
			must(t, err)
			if !pub.(equaler).Equal(fromJWK) {
				t.Fatal("JWK round trip changed the key")
			}

			// crypto → COSE_Key → CBOR → COSE_Key → crypto
			ck, err := keys.COSEKey(fromJWK)
			must(t, err)
			if !bytes.Equal(ck.ID, kid) || ck.Algorithm != cose.Algorithm(alg) {
				t.Fatalf("COSE_Key kid %x alg %v", ck.ID, ck.Algorithm)
			}
			enc, err := ck.MarshalCBOR()
			must(t, err)
			var back cose.Key
			must(t, back.UnmarshalCBOR(enc))
			fromCOSE, err := keys.PublicKeyFromCOSE(&back)
			must(t, err)
			if !pub.(equaler).Equal(fromCOSE) {
				t.Fatal("COSE_Key round trip changed the key")
			}

			// and back to the same JWK, byte for byte
			jwk2, err := keys.PublicJWK(fromCOSE, alg)
			must(t, err)
			js2, err := jwk2.MarshalJSON()
			must(t, err)
			if !bytes.Equal(js, js2) {
				t.Errorf("JWK changed:\n%s\n%s", js, js2)
			}
			if jwk2.KeyID != jwk.KeyID {
				t.Errorf("JWK kid changed: %s, %s", jwk.KeyID, jwk2.KeyID)
			}
		})
	}
}

func TestPublicJWKWrongAlgorithm(t *testing.T) {
	_, err := keys.PublicJWK(testKey(t, keys.ES256, "a").Public(), keys.EdDSA)
	wantErr(t, err, keys.ErrWrongAlgorithm, false)
}

func TestParsePublicJWK(t *testing.T) {
	es, err := keys.MarshalPublicJWK(testKey(t, keys.ES256, "a").Public())
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(es, &m))
	edit := func(f func(m map[string]any)) []byte {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		f(c)
		b, err := json.Marshal(c)
		must(t, err)
		return b
	}
	priv, err := jose.JSONWebKey{Key: testKey(t, keys.ES256, "a")}.MarshalJSON()
	must(t, err)
	var rsa map[string]any
	must(t, json.Unmarshal([]byte(rfc7638Key), &rsa))
	rsaJSON, _ := json.Marshal(rsa)
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"valid", es, nil},
		{"without_kid_alg_use", edit(func(m map[string]any) { delete(m, "kid"); delete(m, "alg"); delete(m, "use") }), nil},
		{"wrong_kid", edit(func(m map[string]any) { m["kid"] = "2011-04-29" }), keys.ErrMalformed},
		{"alg_EdDSA_on_EC_key", edit(func(m map[string]any) { m["alg"] = "EdDSA" }), keys.ErrWrongAlgorithm},
		{"alg_HS256_on_EC_key", edit(func(m map[string]any) { m["alg"] = "HS256" }), keys.ErrWrongAlgorithm},
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
		{"trailing_data", append(append([]byte{}, es...), []byte(" {}")...), keys.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.ParsePublicJWK(tc.in)
			if tc.err == nil {
				must(t, err)
				return
			}
			wantErr(t, err, tc.err, false)
		})
	}
}

func TestJWKSet(t *testing.T) {
	a := issuerKey(t, keys.ES256, "a")
	a.IssuerID = "3171"
	b := issuerKey(t, keys.EdDSA, "b")
	b.IssuerID = "3171"
	b.NotBefore = b.NotBefore.Add(500 * time.Millisecond) // truncated to seconds
	shared := a
	shared.IssuerID = "00" // the same key serving the national issuer too

	data, err := keys.MarshalJWKSet(a, b, shared)
	must(t, err)

	t.Run("go-jose_reads_the_keys", func(t *testing.T) {
		var set jose.JSONWebKeySet
		must(t, json.Unmarshal(data, &set))
		if len(set.Keys) != 2 {
			t.Fatalf("%d keys, want 2 (the shared key once)", len(set.Keys))
		}
		for _, k := range set.Keys {
			if k.Use != "sig" || k.Algorithm == "" || k.KeyID == "" {
				t.Errorf("key %q: use %q alg %q", k.KeyID, k.Use, k.Algorithm)
			}
		}
		plain, err := keys.JWKSet(a, b, shared)
		must(t, err)
		if len(plain.Keys) != 2 || plain.Keys[0].KeyID != set.Keys[0].KeyID {
			t.Errorf("JWKSet and MarshalJWKSet disagree")
		}
	})
	t.Run("round_trip", func(t *testing.T) {
		got, err := keys.ParseJWKSet(data)
		must(t, err)
		if len(got) != 3 {
			t.Fatalf("%d keys, want 3", len(got))
		}
		for i, want := range []keys.IssuerKey{a, b, shared} {
			g := got[i]
			if g.IssuerID != want.IssuerID || !g.PublicKey.(equaler).Equal(want.PublicKey) ||
				!g.NotBefore.Equal(want.NotBefore.Truncate(time.Second)) || !g.NotAfter.Equal(want.NotAfter) {
				t.Errorf("key %d: got %+v", i, g)
			}
			wantAlg, _ := keys.AlgorithmOf(want.PublicKey)
			wantKID, _ := keys.KeyID(want.PublicKey)
			if g.Algorithm != wantAlg || !bytes.Equal(g.KeyID, wantKID) {
				t.Errorf("key %d: alg %v kid %x", i, g.Algorithm, g.KeyID)
			}
		}
	})
	t.Run("same_key_twice_for_one_issuer", func(t *testing.T) {
		_, err := keys.MarshalJWKSet(a, a)
		wantErr(t, err, keys.ErrDuplicateKeyID, true)
	})
	t.Run("empty_window", func(t *testing.T) {
		bad := a
		bad.NotAfter = bad.NotBefore
		_, err := keys.MarshalJWKSet(bad)
		wantErr(t, err, keys.ErrMalformed, true)
	})

	var doc map[string]any
	must(t, json.Unmarshal(data, &doc))
	mutate := func(f func(keys, validity []any) map[string]any) []byte {
		var d map[string]any
		must(t, json.Unmarshal(data, &d))
		out, err := json.Marshal(f(d["keys"].([]any), d["validity"].([]any)))
		must(t, err)
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
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.ParseJWKSet(tc.in)
			wantErr(t, err, tc.err, true)
		})
	}
}

func TestPublicKeyFromCOSE(t *testing.T) {
	es := testKey(t, keys.ES256, "cose")
	ck, err := keys.COSEKey(es.Public())
	must(t, err)
	_, x, y, _ := ck.EC2()

	t.Run("compressed_point", func(t *testing.T) {
		for _, sign := range []bool{false, true} {
			k := &cose.Key{Type: cose.KeyTypeEC2, Params: map[any]any{
				cose.KeyLabelEC2Curve: cose.CurveP256, cose.KeyLabelEC2X: x, cose.KeyLabelEC2Y: sign,
			}}
			pub, err := keys.PublicKeyFromCOSE(k)
			must(t, err)
			if got := es.Public().(equaler).Equal(pub); got != (sign == (y[31]&1 == 1)) {
				t.Errorf("sign bit %v: same key = %v", sign, got)
			}
		}
	})
	t.Run("from_CBOR", func(t *testing.T) {
		// A COSE_Key as another implementation might write it: integer
		// labels, no kid, no alg.
		enc, err := cbor.Marshal(map[int]any{1: 2, -1: 1, -2: x, -3: y})
		must(t, err)
		var k cose.Key
		must(t, k.UnmarshalCBOR(enc))
		pub, err := keys.PublicKeyFromCOSE(&k)
		must(t, err)
		if !es.Public().(equaler).Equal(pub) {
			t.Error("different key")
		}
	})
	priv, err := cose.NewKeyFromPrivate(es)
	must(t, err)
	badY := bytes.Clone(y)
	badY[31] ^= 1
	offCurve := &cose.Key{Type: cose.KeyTypeEC2, Params: map[any]any{cose.KeyLabelEC2Curve: cose.CurveP256, cose.KeyLabelEC2X: x, cose.KeyLabelEC2Y: badY}}
	wrongAlg := &cose.Key{Type: cose.KeyTypeEC2, Algorithm: cose.AlgorithmEdDSA, Params: map[any]any{cose.KeyLabelEC2Curve: cose.CurveP256, cose.KeyLabelEC2X: x, cose.KeyLabelEC2Y: y}}
	p384 := &cose.Key{Type: cose.KeyTypeEC2, Params: map[any]any{cose.KeyLabelEC2Curve: cose.CurveP384, cose.KeyLabelEC2X: x, cose.KeyLabelEC2Y: y}}
	shortOKP := &cose.Key{Type: cose.KeyTypeOKP, Params: map[any]any{cose.KeyLabelOKPCurve: cose.CurveEd25519, cose.KeyLabelOKPX: x[:31]}}
	for _, tc := range []struct {
		name string
		k    *cose.Key
		err  error
	}{
		{"nil", nil, keys.ErrInvalidKey},
		{"private", priv, keys.ErrInvalidKey},
		{"off_curve", offCurve, keys.ErrInvalidKey},
		{"wrong_alg", wrongAlg, keys.ErrWrongAlgorithm},
		{"P-384", p384, keys.ErrInvalidKey},
		{"short_Ed25519", shortOKP, keys.ErrInvalidKey},
		{"symmetric", cose.NewKeySymmetric(x), keys.ErrInvalidKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.PublicKeyFromCOSE(tc.k)
			wantErr(t, err, tc.err, false)
		})
	}
}
