package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// keyIDSize is the length in bytes of a COSE kid (KeyID).
const keyIDSize = 8

// thumbprint returns the RFC 7638 JWK thumbprint of pub with SHA-256: the
// hash of the key's required JWK members in lexicographic order with no
// whitespace (RFC 7638 §3; RFC 8037 §2 for Ed25519). It accepts RSA keys
// as well as ES256 and EdDSA keys, so that it can be checked against
// RFC 7638's own example, although ikd signs with EC and Ed25519 only.
// It returns an error wrapping errInvalidKey for other key types.
func thumbprint(pub crypto.PublicKey) ([]byte, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k == nil {
			return nil, fmt.Errorf("%w: nil EC key", errInvalidKey)
		}
		if _, err := pointBytes(k); err != nil {
			return nil, fmt.Errorf("%w: EC key is not a point on its curve", errInvalidKey)
		}
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return nil, fmt.Errorf("%w: nil RSA key", errInvalidKey)
		}
	case ed25519.PublicKey:
	default:
		return nil, fmt.Errorf("%w: no thumbprint for %T", errInvalidKey, pub)
	}
	t, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errInvalidKey, err)
	}
	return t, nil
}

// KeyID returns the COSE kid of pub (RFC 9052 §3.1, label 4): the first 8
// bytes of its RFC 7638 SHA-256 JWK thumbprint. It depends on the public
// key alone, so an issuer and every scanner compute the same kid without
// coordinating. Eight bytes keep the credential small; they can collide (a
// birthday bound of 2^32 keys, or an issuer grinding for a collision),
// which is why [TrustList.Lookup] returns every candidate and verifiers
// try each.
//
// pub must be an ES256 or EdDSA key ([AlgorithmOf]); otherwise the error
// wraps [ErrMalformed].
func KeyID(pub crypto.PublicKey) ([]byte, error) {
	t, err := checkedThumbprint(pub)
	if err != nil {
		return nil, err
	}
	return t[:keyIDSize], nil
}

// jwkKeyID returns the JWK kid of pub: the base64url (no padding) form of
// its full RFC 7638 SHA-256 thumbprint, 43 characters. Its first 8 bytes
// are the COSE kid (KeyID). pub must be an ES256 or EdDSA key.
func jwkKeyID(pub crypto.PublicKey) (string, error) {
	t, err := checkedThumbprint(pub)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(t), nil
}

func checkedThumbprint(pub crypto.PublicKey) ([]byte, error) {
	if _, err := AlgorithmOf(pub); err != nil {
		return nil, err
	}
	return thumbprint(pub)
}
