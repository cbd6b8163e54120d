package keys_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"math/big"
	"testing"

	"github.com/ikdgo/ikd/keys"
)

func TestAlgorithmString(t *testing.T) {
	for a, want := range map[keys.Algorithm]string{
		keys.ES256: "ES256", keys.EdDSA: "EdDSA", -99: "Algorithm(-99)", 0: "Algorithm(0)",
	} {
		if got := a.String(); got != want {
			t.Errorf("Algorithm(%d).String() = %q, want %q", int(a), got, want)
		}
	}
	if keys.ES256 != -7 || keys.EdDSA != -8 {
		t.Error("algorithms are not numbered as in the COSE registry")
	}
}

func TestGenerateKey(t *testing.T) {
	for _, alg := range []keys.Algorithm{keys.ES256, keys.EdDSA} {
		t.Run(alg.String(), func(t *testing.T) {
			k, err := keys.GenerateKey(alg, nil)
			must(t, err)
			got, err := keys.AlgorithmOf(k.Public())
			must(t, err)
			if got != alg {
				t.Fatalf("AlgorithmOf = %v", got)
			}
			// The key signs, and the signature verifies.
			msg := sha256.Sum256([]byte("KTP"))
			var sig []byte
			if alg == keys.ES256 {
				sig, err = k.Sign(rand.Reader, msg[:], crypto.SHA256)
				must(t, err)
				if !ecdsa.VerifyASN1(k.Public().(*ecdsa.PublicKey), msg[:], sig) {
					t.Error("signature does not verify")
				}
			} else {
				sig, err = k.Sign(nil, msg[:], crypto.Hash(0))
				must(t, err)
				if !ed25519.Verify(k.Public().(ed25519.PublicKey), msg[:], sig) {
					t.Error("signature does not verify")
				}
			}
		})
		t.Run(alg.String()+"/deterministic_from_rand", func(t *testing.T) {
			a := testKey(t, alg, "seed")
			b := testKey(t, alg, "seed")
			c := testKey(t, alg, "other seed")
			if !a.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(b.Public()) {
				t.Error("same seed, different keys")
			}
			if a.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(c.Public()) {
				t.Error("different seeds, same key")
			}
		})
	}
	t.Run("unsupported_algorithm", func(t *testing.T) {
		_, err := keys.GenerateKey(-35, nil) // ES384
		wantErr(t, err, keys.ErrWrongAlgorithm, false)
	})
	t.Run("failing_rand", func(t *testing.T) {
		_, err := keys.GenerateKey(keys.ES256, bytes.NewReader(nil))
		if err == nil {
			t.Fatal("no error from an empty reader")
		}
	})
	t.Run("rand_with_no_valid_scalar", func(t *testing.T) {
		// All-ones is above the group order, every time.
		_, err := keys.GenerateKey(keys.ES256, bytes.NewReader(bytes.Repeat([]byte{0xff}, 32*16)))
		if err == nil {
			t.Fatal("no error from a reader that never yields a scalar")
		}
	})
}

func TestAlgorithmOf(t *testing.T) {
	es := testKey(t, keys.ES256, "a").Public().(*ecdsa.PublicKey)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), nil)
	must(t, err)
	offCurve := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).Set(es.X), Y: new(big.Int).Add(es.Y, big.NewInt(1))}
	// A small-order Ed25519 point: the identity, encoded as y = 1.
	identity := make(ed25519.PublicKey, 32)
	identity[0] = 1
	for _, tc := range []struct {
		name string
		pub  crypto.PublicKey
		want keys.Algorithm
		err  error
	}{
		{"P-256", es, keys.ES256, nil},
		{"Ed25519", testKey(t, keys.EdDSA, "a").Public(), keys.EdDSA, nil},
		{"P-384", &p384.PublicKey, 0, keys.ErrInvalidKey},
		{"point_not_on_curve", offCurve, 0, keys.ErrInvalidKey},
		{"Ed25519_31_bytes", make(ed25519.PublicKey, 31), 0, keys.ErrInvalidKey},
		{"Ed25519_small_order", identity, 0, keys.ErrInvalidKey},
		{"private_key", testKey(t, keys.ES256, "a"), 0, keys.ErrInvalidKey},
		{"HMAC_secret", []byte("0123456789abcdef0123456789abcdef"), 0, keys.ErrInvalidKey},
		{"nil", nil, 0, keys.ErrInvalidKey},
		{"nil_ecdsa", (*ecdsa.PublicKey)(nil), 0, keys.ErrInvalidKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := keys.AlgorithmOf(tc.pub)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("AlgorithmOf = %v, want %v", got, tc.want)
			}
		})
	}
}
