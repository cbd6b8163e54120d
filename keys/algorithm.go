package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	cryptorand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/go-jose/go-jose/v4"
)

// Algorithm is a signature algorithm, numbered as in the IANA COSE
// Algorithms registry (RFC 9053). ikd signs with exactly two: [ES256] and
// [EdDSA]. The zero value is no algorithm.
type Algorithm int

const (
	// ES256 is ECDSA on P-256 with SHA-256 (RFC 9053 §2.1; JOSE "ES256",
	// RFC 7518 §3.4). It is the default: Android Keystore and the iOS
	// Secure Enclave support P-256 only.
	ES256 Algorithm = -7
	// EdDSA is Ed25519 (RFC 9053 §2.2; JOSE "EdDSA", RFC 8037).
	EdDSA Algorithm = -8
)

// String returns the JOSE name of a ("ES256", "EdDSA"), or "Algorithm(-99)"
// for any other value.
func (a Algorithm) String() string {
	switch a {
	case ES256:
		return "ES256"
	case EdDSA:
		return "EdDSA"
	}
	return "Algorithm(" + strconv.Itoa(int(a)) + ")"
}

// jose returns the JOSE "alg" value of a, "" if a is not supported.
func (a Algorithm) jose() jose.SignatureAlgorithm {
	switch a {
	case ES256:
		return jose.ES256
	case EdDSA:
		return jose.EdDSA
	}
	return ""
}

// algorithmFromJOSE returns the Algorithm named by a JOSE "alg" value.
func algorithmFromJOSE(s string) (Algorithm, bool) {
	switch jose.SignatureAlgorithm(s) {
	case jose.ES256:
		return ES256, true
	case jose.EdDSA:
		return EdDSA, true
	}
	return 0, false
}

// GenerateKey returns a new key pair for alg: an *ecdsa.PrivateKey on P-256
// for ES256, an ed25519.PrivateKey for EdDSA. Both are crypto.Signers.
//
// rand is the source of randomness; nil means crypto/rand. Unlike
// ecdsa.GenerateKey (which since Go 1.26 ignores its reader), the key is a
// function of the bytes read, so that tests and examples can use fixed
// keys: ES256 reads 32-byte candidates until one is a valid scalar in
// [1, n-1] (FIPS 186-5 §A.2.2, rejection sampling), EdDSA reads a 32-byte
// seed (RFC 8032 §5.1.5). Pass crypto/rand.Reader, or nil, for real keys.
//
// It returns an error wrapping [ErrMalformed] for any other alg, and the
// reader's error if rand fails.
func GenerateKey(alg Algorithm, rand io.Reader) (crypto.Signer, error) {
	if rand == nil {
		rand = cryptorand.Reader
	}
	switch alg {
	case ES256:
		var b [32]byte
		// A candidate is out of range with probability about 2^-32, so
		// 16 tries fail only if rand is broken.
		for range 16 {
			if _, err := io.ReadFull(rand, b[:]); err != nil {
				return nil, fmt.Errorf("keys: generating key: %w", err)
			}
			if k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b[:]); err == nil {
				return k, nil
			}
		}
		return nil, fmt.Errorf("keys: generating key: random source returns no valid P-256 scalar")
	case EdDSA:
		_, k, err := ed25519.GenerateKey(rand)
		if err != nil {
			return nil, fmt.Errorf("keys: generating key: %w", err)
		}
		return k, nil
	}
	return nil, fmt.Errorf("%w: cannot generate a key for %v", errInvalidKey, alg)
}

// AlgorithmOf returns the algorithm that pub is used with: ES256 for an
// *ecdsa.PublicKey on P-256, EdDSA for an ed25519.PublicKey. It checks the
// key: a P-256 point must be on the curve, an Ed25519 key must be 32 bytes
// and not of small order. It returns an error wrapping [ErrMalformed] for
// anything else, including RSA keys, other curves and private keys.
func AlgorithmOf(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k == nil || k.Curve != elliptic.P256() {
			return 0, fmt.Errorf("%w: not a P-256 public key", errInvalidKey)
		}
		// pointBytes fails unless the key is a point on the curve (and not
		// the point at infinity).
		if _, err := pointBytes(k); err != nil {
			return 0, fmt.Errorf("%w: P-256 point is not on the curve", errInvalidKey)
		}
		return ES256, nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return 0, fmt.Errorf("%w: Ed25519 public key is %d bytes, not 32", errInvalidKey, len(k))
		}
		// go-jose refuses the small-order encodings that Go's verifier
		// would accept; computing the thumbprint runs that check.
		if _, err := (&jose.JSONWebKey{Key: k}).Thumbprint(crypto.SHA256); err != nil {
			return 0, fmt.Errorf("%w: %v", errInvalidKey, err)
		}
		return EdDSA, nil
	}
	return 0, fmt.Errorf("%w: %T is not an ES256 or EdDSA public key", errInvalidKey, pub)
}

// signerAlgorithm returns the algorithm of signer's public key: the
// algorithm it signs with.
func signerAlgorithm(signer crypto.Signer) (Algorithm, error) {
	if signer == nil {
		return 0, fmt.Errorf("%w: nil signer", errInvalidKey)
	}
	return AlgorithmOf(signer.Public())
}

// pointBytes returns the uncompressed encoding of k, or an error for a key
// that is not a point on its curve. ecdsa.PublicKey.Bytes panics on a key
// built with nil coordinates (a caller's &ecdsa.PublicKey{Curve: ...});
// pointBytes turns that into an error instead, without reading the
// deprecated X and Y fields itself.
func pointBytes(k *ecdsa.PublicKey) (b []byte, err error) {
	defer func() {
		if recover() != nil {
			b, err = nil, errors.New("not a point")
		}
	}()
	return k.Bytes()
}
