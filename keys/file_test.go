package keys_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ikdgo/ikd/keys"
)

func TestPrivateKeyFiles(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		for _, name := range []string{"issuer.pem", "issuer.key", "issuer.jwk", "issuer.json"} {
			t.Run(alg.String()+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, name)
				k := testKey(t, alg, "file")
				must(t, keys.SavePrivateKey(path, k))
				fi, err := os.Stat(path)
				must(t, err)
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("mode %v, want 0600", fi.Mode().Perm())
				}
				data, _ := os.ReadFile(path)
				isJWK := strings.HasSuffix(name, ".jwk") || strings.HasSuffix(name, ".json")
				if isJWK != strings.HasPrefix(string(data), "{") {
					t.Errorf("wrong format for %s: %.20q", name, data)
				}
				back, err := keys.LoadPrivateKey(path)
				must(t, err)
				if !back.Public().(equaler).Equal(k.Public()) {
					t.Error("loaded a different key")
				}
				// Overwriting keeps 0600 and leaves no temporary file.
				must(t, keys.SavePrivateKey(path, testKey(t, alg, "file 2")))
				if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) != 0 {
					t.Errorf("temporary files left: %v", m)
				}
				if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
					t.Errorf("mode after overwrite %v", fi.Mode().Perm())
				}
			})
		}
	}
	t.Run("OpenSSL_EC_PRIVATE_KEY", func(t *testing.T) {
		k := testKey(t, keys.ES256, "openssl").(*ecdsa.PrivateKey)
		der, err := x509.MarshalECPrivateKey(k)
		must(t, err)
		path := filepath.Join(t.TempDir(), "ec.pem")
		must(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600))
		back, err := keys.LoadPrivateKey(path)
		must(t, err)
		if !back.Public().(equaler).Equal(k.Public()) {
			t.Error("loaded a different key")
		}
	})
	p384, err := ecdsa.GenerateKey(elliptic.P384(), nil)
	must(t, err)
	p384DER, _ := x509.MarshalPKCS8PrivateKey(p384)
	pubDER, _ := x509.MarshalPKIXPublicKey(testKey(t, keys.ES256, "a").Public())
	es := testKey(t, keys.ES256, "a")
	esJWK := filepath.Join(t.TempDir(), "k.jwk")
	must(t, keys.SavePrivateKey(esJWK, es))
	jwk, _ := os.ReadFile(esJWK)
	otherJWK := filepath.Join(t.TempDir(), "k.jwk")
	must(t, keys.SavePrivateKey(otherJWK, testKey(t, keys.ES256, "b")))
	other, _ := os.ReadFile(otherJWK)
	// d of one key with x and y of another.
	mismatched := strings.Replace(string(jwk), jsonMember(t, jwk, "d"), jsonMember(t, other, "d"), 1)
	for name, tc := range map[string]struct {
		content string
		want    error
	}{
		"P-384":             {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p384DER})), keys.ErrInvalidKey},
		"public_key_block":  {string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), keys.ErrMalformed},
		"not_a_key":         {"hello", keys.ErrMalformed},
		"bad_DER":           {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})), keys.ErrMalformed},
		"JWK_public_only":   {string(mustMarshalJWK(t, es)), keys.ErrInvalidKey},
		"JWK_d_mismatch":    {mismatched, keys.ErrInvalidKey},
		"JWK_wrong_alg":     {strings.Replace(string(jwk), `"alg":"ES256"`, `"alg":"HS256"`, 1), keys.ErrWrongAlgorithm},
		"JWK_duplicate_key": {strings.Replace(string(jwk), `"kty":"EC"`, `"kty":"EC","kty":"EC"`, 1), keys.ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k")
			must(t, os.WriteFile(path, []byte(tc.content), 0o600))
			_, err := keys.LoadPrivateKey(path)
			wantErr(t, err, tc.want, false)
		})
	}
	t.Run("cannot_save_RSA", func(t *testing.T) {
		r := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: big.NewInt(3233), E: 17}}
		wantErr(t, keys.SavePrivateKey(filepath.Join(t.TempDir(), "r.pem"), r), keys.ErrInvalidKey, false)
	})
	t.Run("missing_file", func(t *testing.T) {
		if _, err := keys.LoadPrivateKey(filepath.Join(t.TempDir(), "none")); !os.IsNotExist(err) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("oversized_file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "big.pem")
		must(t, os.WriteFile(path, make([]byte, 1<<20), 0o600))
		_, err := keys.LoadPrivateKey(path)
		wantErr(t, err, keys.ErrTooLarge, false)
	})
}

func mustMarshalJWK(t *testing.T, k crypto.Signer) []byte {
	t.Helper()
	j, err := keys.MarshalPublicJWK(k.Public())
	must(t, err)
	return j
}

// jsonMember returns the text `"name":"value"` of a string member.
func jsonMember(t *testing.T, data []byte, name string) string {
	t.Helper()
	s := string(data)
	i := strings.Index(s, `"`+name+`":"`)
	if i < 0 {
		t.Fatalf("no member %q in %s", name, data)
	}
	j := strings.Index(s[i+len(name)+4:], `"`)
	return s[i : i+len(name)+4+j+1]
}

func TestPublicKeyFiles(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		for _, name := range []string{"root.jwk", "root.pem"} {
			t.Run(alg.String()+"/"+name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), name)
				pub := testKey(t, alg, "root").Public()
				must(t, keys.SavePublicKey(path, pub))
				if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
					t.Errorf("mode %v", fi.Mode().Perm())
				}
				back, err := keys.LoadPublicKey(path)
				must(t, err)
				if !back.(equaler).Equal(pub) {
					t.Error("loaded a different key")
				}
			})
		}
	}
	t.Run("JWK_set", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "issuers.jwks")
		k := issuerKey(t, keys.ES256, "a")
		k.IssuerID = "3171"
		must(t, keys.SaveJWKSet(path, k))
		got, err := keys.LoadJWKSet(path)
		must(t, err)
		if len(got) != 1 || got[0].IssuerID != "3171" || !got[0].PublicKey.(equaler).Equal(k.PublicKey) {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("private_key_is_not_a_public_key", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "root.jwk")
		must(t, keys.SavePrivateKey(path, testKey(t, keys.EdDSA, "root")))
		_, err := keys.LoadPublicKey(path)
		wantErr(t, err, keys.ErrInvalidKey, false)
	})
	t.Run("garbage", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "root.pem")
		must(t, os.WriteFile(path, []byte("not a key"), 0o644))
		_, err := keys.LoadPublicKey(path)
		wantErr(t, err, keys.ErrMalformed, false)
	})
}
