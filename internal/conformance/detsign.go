package conformance

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
)

// deterministicSigner is a P-256 crypto.Signer whose signatures depend only
// on the key and the digest: the nonce k is drawn from HMAC-SHA256 keyed
// with the private scalar over the digest and a counter (in the spirit of
// RFC 6979, not byte-compatible with it). Go 1.26's ecdsa ignores a
// caller's randomness, so this is how the vectors' ECDSA signatures stay
// reproducible. The signatures are ordinary ECDSA: any verifier checks
// them.
type deterministicSigner struct {
	priv *ecdsa.PrivateKey
	d    []byte // 32-byte big-endian scalar
}

// NewDeterministicSigner returns a crypto.Signer for priv (P-256 only) whose
// ECDSA signatures are reproducible. It is for test vectors: the rand
// argument of Sign is ignored.
func NewDeterministicSigner(priv *ecdsa.PrivateKey) (crypto.Signer, error) {
	if priv == nil || priv.Curve != elliptic.P256() {
		return nil, errors.New("conformance: deterministic signer needs a P-256 key")
	}
	d, err := priv.Bytes()
	if err != nil {
		return nil, err
	}
	return &deterministicSigner{priv: priv, d: d}, nil
}

// Public returns the *ecdsa.PublicKey.
func (s *deterministicSigner) Public() crypto.PublicKey { return &s.priv.PublicKey }

// Sign returns the ASN.1 DER ECDSA signature of digest, a SHA-256 hash
// (opts may be nil, as go-cose passes it, or name SHA-256).
func (s *deterministicSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if (opts != nil && opts.HashFunc() != crypto.SHA256) || len(digest) != sha256.Size {
		return nil, errors.New("conformance: deterministic signer signs SHA-256 digests only")
	}
	n := elliptic.P256().Params().N
	e := new(big.Int).SetBytes(digest)
	d := new(big.Int).SetBytes(s.d)
	for counter := byte(0); ; counter++ {
		mac := hmac.New(sha256.New, s.d)
		mac.Write(digest)
		mac.Write([]byte{counter})
		kb := mac.Sum(nil)
		k := new(big.Int).SetBytes(kb)
		if k.Sign() == 0 || k.Cmp(n) >= 0 {
			continue
		}
		// k·G through crypto/ecdh: the public key of the scalar k.
		kp, err := ecdh.P256().NewPrivateKey(kb)
		if err != nil {
			continue
		}
		pt := kp.PublicKey().Bytes() // 0x04 ‖ x ‖ y
		r := new(big.Int).SetBytes(pt[1:33])
		r.Mod(r, n)
		if r.Sign() == 0 {
			continue
		}
		kinv := new(big.Int).ModInverse(k, n)
		sv := new(big.Int).Mul(r, d)
		sv.Add(sv, e)
		sv.Mul(sv, kinv)
		sv.Mod(sv, n)
		if sv.Sign() == 0 {
			continue
		}
		return asn1.Marshal(struct{ R, S *big.Int }{r, sv})
	}
}
