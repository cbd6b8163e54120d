package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"

	"github.com/veraison/go-cose"
)

// COSEKey returns pub as a COSE_Key (RFC 9052 §7, RFC 9053 §7): kty EC2
// with crv P-256 and 32-byte x and y for an ES256 key, kty OKP with crv
// Ed25519 for an EdDSA key, with alg set and kid set to [KeyID]. Callers
// that need the smallest encoding (a device key inside a credential) may
// clear ID. It returns an error wrapping [ErrInvalidKey] if pub is not an
// ES256 or EdDSA key.
func COSEKey(pub crypto.PublicKey) (*cose.Key, error) {
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return nil, err
	}
	kid, err := KeyID(pub)
	if err != nil {
		return nil, err
	}
	var k *cose.Key
	switch alg {
	case ES256:
		b, _ := pub.(*ecdsa.PublicKey).Bytes() // 0x04 || x || y, checked by AlgorithmOf
		k, err = cose.NewKeyEC2(cose.AlgorithmES256, b[1:33], b[33:], nil)
	case EdDSA:
		k, err = cose.NewKeyOKP(cose.AlgorithmEdDSA, []byte(pub.(ed25519.PublicKey)), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidKey, err)
	}
	k.ID = kid
	return k, nil
}

// PublicKeyFromCOSE returns the public key in a COSE_Key: an
// *ecdsa.PublicKey for kty EC2 with crv P-256 (y as a 32-byte bstr, or as
// the sign bit of a compressed point, RFC 9053 §7.1.1), an
// ed25519.PublicKey for kty OKP with crv Ed25519. The key is checked as by
// [AlgorithmOf]; a private key parameter (d) is refused, and so is an alg
// that is not the key's. The kid is not checked: COSE_Keys from elsewhere
// carry their own.
//
// It returns an error wrapping [ErrInvalidKey] or [ErrWrongAlgorithm].
func PublicKeyFromCOSE(k *cose.Key) (crypto.PublicKey, error) {
	if k == nil {
		return nil, fmt.Errorf("%w: nil COSE_Key", ErrInvalidKey)
	}
	var pub crypto.PublicKey
	switch k.Type {
	case cose.KeyTypeEC2:
		crv, x, y, d := k.EC2()
		if crv != cose.CurveP256 {
			return nil, fmt.Errorf("%w: EC2 curve %v, only P-256", ErrInvalidKey, crv)
		}
		if _, ok := k.Params[cose.KeyLabelEC2D]; ok || d != nil {
			return nil, fmt.Errorf("%w: COSE_Key has private parameter d", ErrInvalidKey)
		}
		if len(x) != 32 {
			return nil, fmt.Errorf("%w: EC2 x is %d bytes, not 32", ErrInvalidKey, len(x))
		}
		if sign, ok := k.ParamBool(cose.KeyLabelEC2Y); ok {
			point := append([]byte{2}, x...)
			if sign {
				point[0] = 3
			}
			px, py := elliptic.UnmarshalCompressed(elliptic.P256(), point)
			if px == nil {
				return nil, fmt.Errorf("%w: compressed EC2 point not on P-256", ErrInvalidKey)
			}
			pub = &ecdsa.PublicKey{Curve: elliptic.P256(), X: px, Y: py}
		} else {
			if len(y) != 32 {
				return nil, fmt.Errorf("%w: EC2 y is %d bytes, not 32", ErrInvalidKey, len(y))
			}
			p, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
			if err != nil {
				return nil, fmt.Errorf("%w: EC2 point not on P-256", ErrInvalidKey)
			}
			pub = p
		}
	case cose.KeyTypeOKP:
		crv, x, d := k.OKP()
		if crv != cose.CurveEd25519 {
			return nil, fmt.Errorf("%w: OKP curve %v, only Ed25519", ErrInvalidKey, crv)
		}
		if _, ok := k.Params[cose.KeyLabelOKPD]; ok || d != nil {
			return nil, fmt.Errorf("%w: COSE_Key has private parameter d", ErrInvalidKey)
		}
		pub = ed25519.PublicKey(append([]byte(nil), x...))
	default:
		return nil, fmt.Errorf("%w: COSE key type %v, only EC2 and OKP", ErrInvalidKey, k.Type)
	}
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return nil, err
	}
	if k.Algorithm != 0 && k.Algorithm != cose.Algorithm(alg) {
		return nil, fmt.Errorf("%w: COSE_Key alg %v on a %v key", ErrWrongAlgorithm, k.Algorithm, alg)
	}
	return pub, nil
}
