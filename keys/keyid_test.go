package keys_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/hex"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// rfc7638Key is the RSA key of RFC 7638 §3.1, whose SHA-256 thumbprint the
// RFC gives.
const rfc7638Key = `{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}`

func TestThumbprint(t *testing.T) {
	t.Run("RFC_7638_section_3.1_RSA_example", func(t *testing.T) {
		var k jose.JSONWebKey
		require.NoError(t, k.UnmarshalJSON([]byte(rfc7638Key)))
		got, err := keys.Thumbprint(k.Key.(*rsa.PublicKey))
		require.NoError(t, err)
		assert.Equal(t, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", b64.EncodeToString(got))
	})
	t.Run("RFC_8037_appendix_A.3_Ed25519_example", func(t *testing.T) {
		x, err := b64.DecodeString("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
		require.NoError(t, err)
		got, err := keys.JWKKeyID(ed25519.PublicKey(x))
		require.NoError(t, err)
		assert.Equal(t, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", got)
		kid, err := keys.KeyID(ed25519.PublicKey(x))
		require.NoError(t, err)
		full, err := b64.DecodeString(got)
		require.NoError(t, err)
		assert.Equal(t, full[:keys.KeyIDSize], kid, "the COSE kid is the first 8 bytes of the thumbprint")
	})
	t.Run("RSA_key_has_a_thumbprint_but_no_ikd_kid", func(t *testing.T) {
		var k jose.JSONWebKey
		require.NoError(t, k.UnmarshalJSON([]byte(rfc7638Key)))
		_, err := keys.KeyID(k.Key)
		wantErr(t, err, keys.ErrInvalidKey, false)
	})
	t.Run("no_thumbprint_for_a_secret", func(t *testing.T) {
		_, err := keys.Thumbprint([]byte("secret"))
		wantErr(t, err, keys.ErrInvalidKey, false)
	})
}

func TestKeyIDIsStable(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run(alg.String(), func(t *testing.T) {
			k := testKey(t, alg, "stable")
			a, err := keys.KeyID(k.Public())
			require.NoError(t, err)
			require.Len(t, a, keys.KeyIDSize)
			// The same public key reached another way has the same kid.
			j, err := keys.MarshalPublicJWK(k.Public())
			require.NoError(t, err)
			pub, err := keys.ParsePublicJWK(j)
			require.NoError(t, err)
			b, err := keys.KeyID(pub)
			require.NoError(t, err)
			assert.Equal(t, a, b, "kid changed after a JWK round trip")
			// And the kid is pinned: a change in the thumbprint input
			// would change every credential's kid.
			want := map[keys.Algorithm]string{keys.ES256: "4abbcb5703a19692", keys.EdDSA: "80c7c88042d3279a"}[alg]
			assert.Equal(t, want, hex.EncodeToString(a))
		})
	}
}

func TestKeyIDRefusesBadKeys(t *testing.T) {
	p384, err := ecdsa.GenerateKey(elliptic.P384(), nil)
	require.NoError(t, err)
	for name, pub := range map[string]any{
		"P-384":         &p384.PublicKey,
		"short_Ed25519": ed25519.PublicKey(make([]byte, 31)),
		"nil":           nil,
		"private_key":   testKey(t, keys.EdDSA, "x"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := keys.KeyID(pub)
			wantErr(t, err, keys.ErrInvalidKey, false)
		})
	}
}
