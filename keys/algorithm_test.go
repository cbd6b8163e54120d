package keys_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

func TestAlgorithmString(t *testing.T) {
	for a, want := range map[keys.Algorithm]string{
		keys.ES256: "ES256", keys.EdDSA: "EdDSA", -99: "Algorithm(-99)", 0: "Algorithm(0)",
	} {
		assert.Equal(t, want, a.String(), "Algorithm(%d)", int(a))
	}
	assert.Equal(t, keys.Algorithm(-7), keys.ES256, "numbered as in the COSE registry")
	assert.Equal(t, keys.Algorithm(-8), keys.EdDSA, "numbered as in the COSE registry")
}

func TestGenerateKey(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run(alg.String()+"/signs_and_verifies", func(t *testing.T) {
			k, err := keys.GenerateKey(alg, nil)
			require.NoError(t, err)
			got, err := keys.AlgorithmOf(k.Public())
			require.NoError(t, err)
			require.Equal(t, alg, got)
			msg := sha256.Sum256([]byte("KTP"))
			if alg == keys.ES256 {
				sig, err := k.Sign(rand.Reader, msg[:], crypto.SHA256)
				require.NoError(t, err)
				assert.True(t, ecdsa.VerifyASN1(k.Public().(*ecdsa.PublicKey), msg[:], sig))
			} else {
				sig, err := k.Sign(nil, msg[:], crypto.Hash(0))
				require.NoError(t, err)
				assert.True(t, ed25519.Verify(k.Public().(ed25519.PublicKey), msg[:], sig))
			}
		})
		t.Run(alg.String()+"/deterministic_from_rand", func(t *testing.T) {
			a := testKey(t, alg, "seed")
			b := testKey(t, alg, "seed")
			c := testKey(t, alg, "other seed")
			assert.True(t, sameKey(a.Public(), b.Public()), "same seed, different keys")
			assert.False(t, sameKey(a.Public(), c.Public()), "different seeds, same key")
		})
	}
	t.Run("unsupported_algorithm", func(t *testing.T) {
		_, err := keys.GenerateKey(-35, nil) // ES384
		wantErr(t, err, keys.ErrInvalidKey, false)
	})
	t.Run("failing_rand", func(t *testing.T) {
		_, err := keys.GenerateKey(keys.ES256, bytes.NewReader(nil))
		assert.Error(t, err)
	})
	t.Run("rand_with_no_valid_scalar", func(t *testing.T) {
		// All-ones is above the group order, every time.
		_, err := keys.GenerateKey(keys.ES256, bytes.NewReader(bytes.Repeat([]byte{0xff}, 32*16)))
		assert.Error(t, err)
	})
}

func TestAlgorithmOf(t *testing.T) {
	es := testKey(t, keys.ES256, "a").Public().(*ecdsa.PublicKey)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), nil)
	require.NoError(t, err)
	//lint:ignore SA1019 an off-curve key can only be built from raw coordinates, which is the point of the test.
	offCurve := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Set(es.X), Y: new(big.Int).Add(es.Y, big.NewInt(1))}
	// A small-order Ed25519 point: the identity, encoded as y = 1.
	identity := make(ed25519.PublicKey, 32)
	identity[0] = 1
	for _, tc := range []struct {
		name string
		pub  crypto.PublicKey
		want keys.Algorithm
	}{
		{"P-256", es, keys.ES256},
		{"Ed25519", testKey(t, keys.EdDSA, "a").Public(), keys.EdDSA},
		{"P-384", &p384.PublicKey, 0},
		{"point_not_on_curve", offCurve, 0},
		{"Ed25519_31_bytes", make(ed25519.PublicKey, 31), 0},
		{"Ed25519_small_order", identity, 0},
		{"private_key", testKey(t, keys.ES256, "a"), 0},
		{"HMAC_secret", []byte("0123456789abcdef0123456789abcdef"), 0},
		{"nil", nil, 0},
		{"nil_ecdsa", (*ecdsa.PublicKey)(nil), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := keys.AlgorithmOf(tc.pub)
			assert.Equal(t, tc.want, got)
			if tc.want != 0 {
				assert.NoError(t, err)
				return
			}
			wantErr(t, err, keys.ErrInvalidKey, false)
			assert.ErrorIs(t, err, keys.ErrMalformed)
		})
	}
}
