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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

func TestPrivateKeyFiles(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		for _, name := range []string{"issuer.pem", "issuer.key", "issuer.jwk", "issuer.json"} {
			t.Run(alg.String()+"/"+name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, name)
				k := testKey(t, alg, "file")
				require.NoError(t, keys.SavePrivateKey(path, k))
				fi, err := os.Stat(path)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
				data := mustRead(t, path)
				isJWK := strings.HasSuffix(name, ".jwk") || strings.HasSuffix(name, ".json")
				assert.Equal(t, isJWK, strings.HasPrefix(string(data), "{"), "format for %s: %.20q", name, data)
				back, err := keys.LoadPrivateKey(path)
				require.NoError(t, err)
				assert.True(t, sameKey(k.Public(), back.Public()), "loaded a different key")
				// Overwriting keeps 0600 and leaves no temporary file.
				require.NoError(t, keys.SavePrivateKey(path, testKey(t, alg, "file 2")))
				m, err := filepath.Glob(filepath.Join(dir, ".*"))
				require.NoError(t, err)
				assert.Empty(t, m, "temporary files left")
				fi, err = os.Stat(path)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "mode after overwrite")
			})
		}
	}
	t.Run("OpenSSL_EC_PRIVATE_KEY", func(t *testing.T) {
		k := testKey(t, keys.ES256, "openssl").(*ecdsa.PrivateKey)
		der, err := x509.MarshalECPrivateKey(k)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "ec.pem")
		require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), 0o600))
		back, err := keys.LoadPrivateKey(path)
		require.NoError(t, err)
		assert.True(t, sameKey(k.Public(), back.Public()), "loaded a different key")
	})
	p384, err := ecdsa.GenerateKey(elliptic.P384(), testRand("p384"))
	require.NoError(t, err)
	p384DER, err := x509.MarshalPKCS8PrivateKey(p384)
	require.NoError(t, err)
	pubDER, err := x509.MarshalPKIXPublicKey(testKey(t, keys.ES256, "a").Public())
	require.NoError(t, err)
	es := testKey(t, keys.ES256, "a")
	esJWK := filepath.Join(t.TempDir(), "k.jwk")
	require.NoError(t, keys.SavePrivateKey(esJWK, es))
	jwk := mustRead(t, esJWK)
	otherJWK := filepath.Join(t.TempDir(), "k.jwk")
	require.NoError(t, keys.SavePrivateKey(otherJWK, testKey(t, keys.ES256, "b")))
	other := mustRead(t, otherJWK)
	// d of one key with x and y of another.
	mismatched := strings.Replace(string(jwk), jsonMember(t, jwk, "d"), jsonMember(t, other, "d"), 1)
	publicOnly, err := keys.MarshalPublicJWK(es.Public())
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		content string
		want    error
	}{
		"P-384":             {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p384DER})), keys.ErrInvalidKey},
		"public_key_block":  {string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), keys.ErrMalformed},
		"not_a_key":         {"hello", keys.ErrMalformed},
		"bad_DER":           {string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})), keys.ErrMalformed},
		"JWK_public_only":   {string(publicOnly), keys.ErrInvalidKey},
		"JWK_d_mismatch":    {mismatched, keys.ErrInvalidKey},
		"JWK_wrong_alg":     {strings.Replace(string(jwk), `"alg":"ES256"`, `"alg":"HS256"`, 1), keys.ErrInvalidKey},
		"JWK_duplicate_key": {strings.Replace(string(jwk), `"kty":"EC"`, `"kty":"EC","kty":"EC"`, 1), keys.ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "k")
			require.NoError(t, os.WriteFile(path, []byte(tc.content), 0o600))
			k, err := keys.LoadPrivateKey(path)
			assert.Nil(t, k)
			wantErr(t, err, tc.want, false)
			assert.Equal(t, tc.want, knownSentinel(err), "most precise reason of %v", err)
		})
	}
	t.Run("cannot_save_RSA", func(t *testing.T) {
		r := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: big.NewInt(3233), E: 17}}
		wantErr(t, keys.SavePrivateKey(filepath.Join(t.TempDir(), "r.pem"), r), keys.ErrInvalidKey, false)
	})
	t.Run("cannot_save_an_opaque_signer", func(t *testing.T) {
		wantErr(t, keys.SavePrivateKey(filepath.Join(t.TempDir(), "hsm.pem"), opaque{es}), keys.ErrInvalidKey, false)
	})
	t.Run("missing_file", func(t *testing.T) {
		_, err := keys.LoadPrivateKey(filepath.Join(t.TempDir(), "none"))
		assert.ErrorIs(t, err, os.ErrNotExist)
	})
	t.Run("oversized_file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "big.pem")
		require.NoError(t, os.WriteFile(path, make([]byte, 1<<20), 0o600))
		_, err := keys.LoadPrivateKey(path)
		wantErr(t, err, keys.ErrTooLarge, false)
	})
}

// opaque is a signer whose key cannot be exported, as an HSM's.
type opaque struct{ crypto.Signer }

// jsonMember returns the text `"name":"value"` of a string member.
func jsonMember(t *testing.T, data []byte, name string) string {
	t.Helper()
	s := string(data)
	i := strings.Index(s, `"`+name+`":"`)
	require.GreaterOrEqual(t, i, 0, "no member %q in %s", name, data)
	j := strings.Index(s[i+len(name)+4:], `"`)
	return s[i : i+len(name)+4+j+1]
}

func TestPublicKeyFiles(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		for _, name := range []string{"root.jwk", "root.pem"} {
			t.Run(alg.String()+"/"+name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), name)
				pub := testKey(t, alg, "root").Public()
				require.NoError(t, keys.SavePublicKey(path, pub))
				fi, err := os.Stat(path)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
				back, err := keys.LoadPublicKey(path)
				require.NoError(t, err)
				assert.True(t, sameKey(pub, back), "loaded a different key")
			})
		}
	}
	t.Run("golden_root.jwk", func(t *testing.T) {
		root, _ := goldenContent(t)
		path := filepath.Join(t.TempDir(), "root.jwk")
		require.NoError(t, keys.SavePublicKey(path, root.Public()))
		golden(t, "root.jwk", mustRead(t, path))
	})
	t.Run("private_key_is_not_a_public_key", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "root.jwk")
		require.NoError(t, keys.SavePrivateKey(path, testKey(t, keys.EdDSA, "root")))
		_, err := keys.LoadPublicKey(path)
		wantErr(t, err, keys.ErrInvalidKey, false)
	})
	t.Run("garbage", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "root.pem")
		require.NoError(t, os.WriteFile(path, []byte("not a key"), 0o644))
		_, err := keys.LoadPublicKey(path)
		wantErr(t, err, keys.ErrMalformed, false)
	})
	t.Run("cannot_save_RSA", func(t *testing.T) {
		err := keys.SavePublicKey(filepath.Join(t.TempDir(), "r.pem"), &rsa.PublicKey{N: big.NewInt(3233), E: 17})
		wantErr(t, err, keys.ErrInvalidKey, false)
	})
}

func TestParsePublicKey(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		for _, name := range []string{"root.jwk", "root.pem"} {
			t.Run(alg.String()+"/"+name+"_bytes_read_as_the_file", func(t *testing.T) {
				path := filepath.Join(t.TempDir(), name)
				pub := testKey(t, alg, "root").Public()
				require.NoError(t, keys.SavePublicKey(path, pub))
				back, err := keys.ParsePublicKey(mustRead(t, path))
				require.NoError(t, err)
				assert.True(t, sameKey(pub, back), "parsed a different key")
			})
		}
	}
	priv := filepath.Join(t.TempDir(), "root.jwk")
	require.NoError(t, keys.SavePrivateKey(priv, testKey(t, keys.EdDSA, "root")))
	rsaDER, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: big.NewInt(3233), E: 17})
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		data   []byte
		target error
	}{
		{"private_key", mustRead(t, priv), keys.ErrInvalidKey},
		{"garbage", []byte("not a key"), keys.ErrMalformed},
		{"empty", nil, keys.ErrMalformed},
		{"RSA_key", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: rsaDER}), keys.ErrInvalidKey},
		{"certificate_block", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rsaDER}), keys.ErrMalformed},
		{"over_64_KiB", append([]byte("{"), make([]byte, 64<<10)...), keys.ErrMalformed},
	} {
		t.Run(tc.name+"_is_refused", func(t *testing.T) {
			pub, err := keys.ParsePublicKey(tc.data)
			assert.Nil(t, pub)
			wantErr(t, err, tc.target, false)
		})
	}
}
