package keys_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
)

func TestTrustListValid(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run("root_"+alg.String(), func(t *testing.T) {
			root := testKey(t, alg, "root")
			issuers := testIssuers(t, 3, 2, keys.ES256)
			issuers[2].Keys[1] = issuerKey(t, keys.EdDSA, "an EdDSA issuer key")
			l, err := keys.NewTrustList(7, t0, t0.AddDate(0, 0, 7), issuers)
			must(t, err)
			jws, err := keys.SignTrustList(l, root, alg)
			must(t, err)

			hdr, _ := splitJWS(t, jws)
			wantHdr := rootHeader(t, root, alg)
			if len(hdr) != 3 || hdr["alg"] != wantHdr["alg"] || hdr["kid"] != wantHdr["kid"] || hdr["typ"] != keys.TrustListType {
				t.Errorf("header %v", hdr)
			}

			got, err := keys.ParseTrustList(append(jws, '\n'), root.Public(), clockAt(t0))
			must(t, err)
			if got.Sequence() != 7 || !got.IssuedAt().Equal(t0) || !got.NextUpdate().Equal(t0.AddDate(0, 0, 7)) {
				t.Errorf("seq %d issued %v next %v", got.Sequence(), got.IssuedAt(), got.NextUpdate())
			}
			if !bytes.Equal(got.JWS(), jws) || !got.Root().(equaler).Equal(root.Public()) || got.NextRoot() != nil {
				t.Error("JWS, Root or NextRoot wrong")
			}
			gotIssuers := got.Issuers()
			if len(gotIssuers) != 3 {
				t.Fatalf("%d issuers", len(gotIssuers))
			}
			for i, is := range gotIssuers {
				if is.ID != issuers[i].ID || is.Name != issuers[i].Name || len(is.Keys) != 2 {
					t.Fatalf("issuer %d: %+v", i, is)
				}
				for j, k := range is.Keys {
					want := issuers[i].Keys[j]
					if !k.PublicKey.(equaler).Equal(want.PublicKey) || !k.NotBefore.Equal(want.NotBefore) ||
						!k.NotAfter.Equal(want.NotAfter) || k.IssuerID != is.ID || k.IssuerName != is.Name {
						t.Errorf("issuer %d key %d: %+v", i, j, k)
					}
					c := got.Lookup(k.KeyID)
					if len(c) != 1 || !c[0].PublicKey.(equaler).Equal(k.PublicKey) {
						t.Errorf("Lookup(%x) = %d keys", k.KeyID, len(c))
					}
				}
			}
			if got.Lookup([]byte("12345678")) != nil || got.Lookup([]byte("short")) != nil {
				t.Error("Lookup of an unknown kid found something")
			}
			var none *keys.TrustList // what Store.Current returns with no list
			if none.Lookup(gotIssuers[0].Keys[0].KeyID) != nil || none.Candidates(gotIssuers[0].Keys[0].KeyID, keys.ES256, t0) != nil {
				t.Error("a nil list found something")
			}
			// The issuer side's list finds the same keys.
			if len(l.Lookup(gotIssuers[0].Keys[0].KeyID)) != 1 {
				t.Error("the unsigned list does not find its own key")
			}
			// Callers cannot change the list through what it returns.
			gotIssuers[0].Keys[0].IssuerID = "changed"
			got.Lookup(gotIssuers[0].Keys[0].KeyID)[0].IssuerID = "changed"
			if got.Issuers()[0].Keys[0].IssuerID == "changed" || got.Lookup(gotIssuers[0].Keys[0].KeyID)[0].IssuerID == "changed" {
				t.Error("the list changed through a returned slice")
			}
		})
	}
}

// TestTrustListRejects is the table of every way a trust list must fail,
// each with its own error.
func TestTrustListRejects(t *testing.T) {
	root := testKey(t, keys.ES256, "root")
	edRoot := testKey(t, keys.EdDSA, "ed root")
	good := smallList(t, root, keys.ES256, 5)
	_, payload := splitJWS(t, good)
	parts := strings.Split(string(good), ".")

	// change returns the good payload changed by f, signed by the root.
	change := func(f func(p map[string]any)) []byte {
		var p map[string]any
		must(t, json.Unmarshal(mustJSON(t, payload), &p))
		f(p)
		return resign(t, root, keys.ES256, p)
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
	rootPub := root.Public().(*ecdsa.PublicKey)
	rootPoint, err := rootPub.Bytes()
	must(t, err)
	rsaKey := func() map[string]any {
		var m map[string]any
		must(t, json.Unmarshal([]byte(rfc7638Key), &m))
		m["use"] = "sig"
		return m
	}

	for _, tc := range []struct {
		name string
		jws  []byte
		opts []keys.Option
		want error
	}{
		{"wrong_root", smallList(t, testKey(t, keys.ES256, "not the root"), keys.ES256, 5), nil, keys.ErrBadSignature},
		{"wrong_root_same_kid", signRaw(t, testKey(t, keys.ES256, "impostor"), rootHeader(t, root, keys.ES256), mustJSON(t, payload)), nil, keys.ErrBadSignature},
		{"tampered_payload", []byte(parts[0] + "." + b64.EncodeToString(bytes.Replace(mustJSON(t, payload), []byte(`"sequence":5`), []byte(`"sequence":9`), 1)) + "." + parts[2]), nil, keys.ErrBadSignature},
		{"tampered_signature", []byte(parts[0] + "." + parts[1] + "." + flipChar(parts[2])), nil, keys.ErrBadSignature},
		{"alg_none", signRaw(t, nil, map[string]any{"alg": "none", "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_none_with_kid", signRaw(t, nil, map[string]any{"alg": "none", "kid": rootHeader(t, root, keys.ES256)["kid"], "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		// The classic confusion: HMAC keyed with the public key bytes.
		{"alg_HS256_keyed_with_root_public_key", signRaw(t, rootPoint, map[string]any{"alg": "HS256", "kid": rootHeader(t, root, keys.ES256)["kid"], "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_HS256_keyed_with_root_JWK", signRaw(t, mustJSON(t, rootHeader(t, root, keys.ES256)), map[string]any{"alg": "HS256", "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_EdDSA_for_ES256_root", signRaw(t, edRoot, map[string]any{"alg": "EdDSA", "kid": rootHeader(t, root, keys.ES256)["kid"], "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"alg_ES384", signRaw(t, nil, map[string]any{"alg": "ES384", "typ": keys.TrustListType}, mustJSON(t, payload)), nil, keys.ErrWrongAlgorithm},
		{"rollback", good, []keys.Option{keys.WithMinSequence(6)}, keys.ErrRollback},
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
		{"key_alg_EdDSA_on_EC_key", change(func(p map[string]any) { firstJWK(p)["alg"] = "EdDSA" }), nil, keys.ErrWrongAlgorithm},
		{"key_alg_HS256_on_EC_key", change(func(p map[string]any) { firstJWK(p)["alg"] = "HS256" }), nil, keys.ErrWrongAlgorithm},
		{"key_alg_ES384_on_P-256_key", change(func(p map[string]any) { firstJWK(p)["alg"] = "ES384" }), nil, keys.ErrWrongAlgorithm},
		{"key_without_alg", change(func(p map[string]any) { delete(firstJWK(p), "alg") }), nil, keys.ErrWrongAlgorithm},
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
		{"typ_missing", signRaw(t, root, map[string]any{"alg": "ES256", "kid": rootHeader(t, root, keys.ES256)["kid"]}, mustJSON(t, payload)), nil, keys.ErrMalformed},
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
			if l != nil {
				t.Error("a list came back with the error")
			}
			wantErr(t, err, tc.want, true)
			if got := knownSentinel(err); got != tc.want {
				t.Errorf("error %v wraps %v first, want %v", err, got, tc.want)
			}
		})
	}
	t.Run("the_good_list_passes", func(t *testing.T) {
		_, err := keys.ParseTrustList(good, root.Public(), clockAt(t0), keys.WithMinSequence(5))
		must(t, err)
	})
	t.Run("expired_within_grace_passes", func(t *testing.T) {
		_, err := keys.ParseTrustList(good, root.Public(), clockAt(t0.AddDate(0, 0, 7).Add(keys.DefaultGrace)))
		must(t, err)
	})
	t.Run("every_prefix_fails_with_a_typed_error", func(t *testing.T) {
		for n := range len(good) {
			_, err := keys.ParseTrustList(good[:n], root.Public(), clockAt(t0))
			if err == nil || knownSentinel(err) == nil {
				t.Fatalf("prefix of %d bytes: %v", n, err)
			}
		}
	})
	t.Run("bad_root_argument", func(t *testing.T) {
		rsaPub := &rsa.PublicKey{}
		_, err := keys.ParseTrustList(good, rsaPub)
		wantErr(t, err, keys.ErrInvalidKey, true)
		_, err = keys.ParseTrustList(good, root.Public(), keys.WithGrace(-1))
		if err == nil {
			t.Error("negative grace accepted")
		}
	})
}

// resignRaw signs payload bytes as they are (the root's header).
func resignRaw(t testing.TB, root crypto.Signer, payload []byte) []byte {
	return signRaw(t, root, rootHeader(t, root, keys.ES256), payload)
}

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := b64.DecodeString(s)
	must(t, err)
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
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

func TestNewTrustListRejects(t *testing.T) {
	k := issuerKey(t, keys.ES256, "k")
	p384, err := ecdsa.GenerateKey(elliptic.P384(), nil)
	must(t, err)
	withKeys := func(ks ...keys.IssuerKey) []keys.Issuer {
		return []keys.Issuer{{ID: "3171", Name: "Kota Jakarta Pusat", Keys: ks}}
	}
	mod := func(f func(k *keys.IssuerKey)) keys.IssuerKey {
		c := k
		f(&c)
		return c
	}
	for _, tc := range []struct {
		name    string
		seq     uint64
		next    time.Time
		issuers []keys.Issuer
		want    error
	}{
		{"sequence_0", 0, t0.Add(time.Hour), withKeys(k), keys.ErrMalformed},
		{"next_update_not_after_issue", 1, t0, withKeys(k), keys.ErrMalformed},
		{"same_key_twice", 1, t0.Add(time.Hour), withKeys(k, k), keys.ErrDuplicateKeyID},
		{"same_key_twice_other_window", 1, t0.Add(time.Hour), withKeys(k, mod(func(k *keys.IssuerKey) { k.NotAfter = k.NotAfter.AddDate(1, 0, 0) })), keys.ErrDuplicateKeyID},
		{"algorithm_mismatch", 1, t0.Add(time.Hour), withKeys(mod(func(k *keys.IssuerKey) { k.Algorithm = keys.EdDSA })), keys.ErrWrongAlgorithm},
		{"wrong_key_id", 1, t0.Add(time.Hour), withKeys(mod(func(k *keys.IssuerKey) { k.KeyID = []byte("12345678") })), keys.ErrMalformed},
		{"P-384_key", 1, t0.Add(time.Hour), withKeys(mod(func(k *keys.IssuerKey) { k.PublicKey = &p384.PublicKey })), keys.ErrInvalidKey},
		{"RSA_key", 1, t0.Add(time.Hour), withKeys(mod(func(k *keys.IssuerKey) { k.PublicKey = &rsa.PublicKey{} })), keys.ErrInvalidKey},
		{"no_window", 1, t0.Add(time.Hour), withKeys(mod(func(k *keys.IssuerKey) { k.NotBefore = time.Time{} })), keys.ErrMalformed},
		{"key_of_other_issuer", 1, t0.Add(time.Hour), withKeys(mod(func(k *keys.IssuerKey) { k.IssuerID = "3172" })), keys.ErrMalformed},
		{"issuer_id_with_space", 1, t0.Add(time.Hour), []keys.Issuer{{ID: "31 71", Name: "x"}}, keys.ErrMalformed},
		{"issuer_without_name", 1, t0.Add(time.Hour), []keys.Issuer{{ID: "3171"}}, keys.ErrMalformed},
		{"issuer_twice", 1, t0.Add(time.Hour), []keys.Issuer{{ID: "3171", Name: "a"}, {ID: "3171", Name: "b"}}, keys.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keys.NewTrustList(tc.seq, t0, tc.next, tc.issuers)
			wantErr(t, err, tc.want, true)
		})
	}
	t.Run("same_key_for_two_issuers_is_allowed", func(t *testing.T) {
		l, err := keys.NewTrustList(1, t0, t0.Add(time.Hour), []keys.Issuer{
			{ID: "00", Name: "Ditjen Dukcapil", Keys: []keys.IssuerKey{k}},
			{ID: "3171", Name: "Kota Jakarta Pusat", Keys: []keys.IssuerKey{k}},
		})
		must(t, err)
		root := testKey(t, keys.EdDSA, "root")
		jws, err := keys.SignTrustList(l, root, keys.EdDSA)
		must(t, err)
		got, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
		must(t, err)
		kid, _ := keys.KeyID(k.PublicKey)
		c := got.Lookup(kid)
		if len(c) != 2 || c[0].IssuerID != "00" || c[1].IssuerID != "3171" {
			t.Errorf("Lookup = %+v", c)
		}
	})
	t.Run("sign_with_wrong_algorithm", func(t *testing.T) {
		l, err := keys.NewTrustList(1, t0, t0.Add(time.Hour), nil)
		must(t, err)
		_, err = keys.SignTrustList(l, testKey(t, keys.ES256, "root"), keys.EdDSA)
		wantErr(t, err, keys.ErrWrongAlgorithm, true)
		_, err = keys.SignTrustList(l, nil, keys.EdDSA)
		wantErr(t, err, keys.ErrInvalidKey, true)
	})
}

// TestKeyIDCollision makes what no real list can show (two different keys
// whose 8-byte kids are equal) and checks that Lookup returns both and that
// a verifier trying each candidate accepts a message signed by either.
func TestKeyIDCollision(t *testing.T) {
	a := issuerKey(t, keys.ES256, "a")
	b := issuerKey(t, keys.ES256, "b")
	kidA, _ := keys.KeyID(a.PublicKey)
	a.KeyID, a.Algorithm, a.IssuerID = kidA, keys.ES256, "3171"
	b.KeyID, b.Algorithm, b.IssuerID = kidA, keys.ES256, "3172" // forced collision
	l := keys.NewListUnchecked(1, t0, t0.Add(time.Hour), []keys.Issuer{
		{ID: "3171", Name: "a", Keys: []keys.IssuerKey{a}},
		{ID: "3172", Name: "b", Keys: []keys.IssuerKey{b}},
	}, nil)
	if c := l.Lookup(kidA); len(c) != 2 {
		t.Fatalf("Lookup found %d candidates, want 2", len(c))
	}
	msg, err := sign1.Sign(nil, testKey(t, keys.ES256, "b"), cose.AlgorithmES256, kidA, []byte("credential"))
	must(t, err)
	if got := verifyWith(t, l, msg, t0); got != "3172" {
		t.Errorf("verified as issuer %q, want 3172", got)
	}
}

// verifyWith is what the verifier does: parse, look up every candidate for
// the kid, alg and issue time, accept if one verifies. It returns the
// issuer of the key that verified, "" if none did.
func verifyWith(t testing.TB, l *keys.TrustList, msg []byte, issuedAt time.Time) string {
	t.Helper()
	m, err := sign1.Parse(msg)
	must(t, err)
	for _, k := range l.Candidates(m.KeyID, keys.Algorithm(m.Alg), issuedAt) {
		if m.Verify(cose.Algorithm(k.Algorithm), k.PublicKey, nil) == nil {
			return k.IssuerID
		}
	}
	return ""
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
	l, err := keys.NewTrustList(2, t0, t0.AddDate(0, 0, 7), []keys.Issuer{{
		ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
		Keys: []keys.IssuerKey{
			{PublicKey: oldKey.Public(), NotBefore: jan(2025), NotAfter: jan(2026)},
			{PublicKey: newKey.Public(), NotBefore: jan(2026).AddDate(0, -1, 0), NotAfter: jan(2027)},
			{PublicKey: edKey.Public(), NotBefore: jan(2025), NotAfter: jan(2027)},
		},
	}})
	must(t, err)
	jws, err := keys.SignTrustList(l, root, keys.EdDSA)
	must(t, err)
	list, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
	must(t, err)

	credential := func(signer crypto.Signer, alg keys.Algorithm) []byte {
		kid, err := keys.KeyID(signer.Public())
		must(t, err)
		msg, err := sign1.Sign(nil, signer, cose.Algorithm(alg), kid, []byte("KTP"))
		must(t, err)
		return msg
	}
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
		{"unlisted_key", testKey(t, keys.ES256, "stranger"), keys.ES256, jan(2026), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := verifyWith(t, list, credential(tc.signer, tc.alg), tc.issuedAt)
			if (got == "3171") != tc.ok {
				t.Errorf("verified = %q, want ok %v", got, tc.ok)
			}
		})
	}
	t.Run("alg_of_message_must_match_key", func(t *testing.T) {
		kid, _ := keys.KeyID(oldKey.Public())
		if c := list.Candidates(kid, keys.EdDSA, jan(2025).AddDate(0, 6, 0)); len(c) != 0 {
			t.Errorf("an ES256 key is a candidate for EdDSA")
		}
	})
}

// TestRootRotationInParse: a list signed by the old root announces the new
// one; the next list, signed by the new root, verifies against it.
func TestRootRotationInParse(t *testing.T) {
	oldRoot := testKey(t, keys.ES256, "root 1")
	newRoot := testKey(t, keys.EdDSA, "root 2")
	l, err := keys.NewTrustList(10, t0, t0.AddDate(0, 0, 7), testIssuers(t, 1, 1, keys.ES256))
	must(t, err)
	announcing, err := l.WithNextRoot(newRoot.Public())
	must(t, err)
	jws, err := keys.SignTrustList(announcing, oldRoot, keys.ES256)
	must(t, err)
	got, err := keys.ParseTrustList(jws, oldRoot.Public(), clockAt(t0))
	must(t, err)
	if got.NextRoot() == nil || !got.NextRoot().(equaler).Equal(newRoot.Public()) {
		t.Fatal("next root not announced")
	}
	_, err = l.WithNextRoot(&rsa.PublicKey{})
	wantErr(t, err, keys.ErrInvalidKey, true)
}

// TestTrustListErrorMessage checks the error text a log shows.
func TestTrustListErrorMessage(t *testing.T) {
	err := &keys.TrustListError{Issuer: "3171", KeyID: "abc", Err: fmt.Errorf("%w: alg x", keys.ErrWrongAlgorithm)}
	want := "keys: trust list: issuer 3171: key abc: algorithm not allowed for this key: alg x"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, keys.ErrWrongAlgorithm) {
		t.Error("errors.Is fails")
	}
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
		l, err := keys.NewTrustList(1, t0, t0.AddDate(0, 0, 7), testIssuers(tb, 514, 2, keys.ES256))
		must(tb, err)
		jws, err := keys.SignTrustList(l, root, keys.ES256)
		must(tb, err)
		p, err := keys.MarshalPayload(l)
		must(tb, err)
		big514.root, big514.jws, big514.payload = root, jws, p
	}
	return big514.root, big514.jws, big514.payload
}

func TestTrustList514x2Size(t *testing.T) {
	root, jws, payload := list514(t)
	t.Logf("514 issuers × 2 ES256 keys: payload %d bytes, signed JWS %d bytes (limit %d)", len(payload), len(jws), limits.MaxTrustList)
	if len(jws) > limits.MaxTrustList/4 {
		t.Errorf("the national list uses over a quarter of MaxTrustList: %d bytes", len(jws))
	}
	l, err := keys.ParseTrustList(jws, root.Public(), clockAt(t0))
	must(t, err)
	if n := len(l.Issuers()); n != 514 {
		t.Errorf("%d issuers", n)
	}
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
	must(b, err)
	kid := l.Issuers()[300].Keys[1].KeyID
	for b.Loop() {
		if len(l.Candidates(kid, keys.ES256, t0)) != 1 {
			b.Fatal("not found")
		}
	}
}
