package keys

import (
	"crypto"
	"os"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Internals for the tests in package keys_test.

// VerifyJWS is the package's one JWS check (verifyJWS): it returns the
// payload and the kid of the key that verified it.
func VerifyJWS(compact string, set []jose.JSONWebKey) ([]byte, string, error) {
	payload, _, k, err := verifyJWS(compact, set)
	if err != nil {
		return nil, "", err
	}
	return payload, k.KeyID, nil
}

var (
	HasROCAFingerprint = hasROCAFingerprint
	CheckJSON          = checkJSON
)

// DecodePayload decodes a trust list payload without a signature.
func DecodePayload(payload []byte) (*TrustList, error) { return decodePayload(payload) }

// MarshalPayload returns the payload of l.
func MarshalPayload(l *TrustList) ([]byte, error) { return l.marshalPayload() }

// NewListUnchecked builds a list without checking anything, so that tests
// can make what a valid list cannot hold: two different keys with the same
// 8-byte kid.
func NewListUnchecked(seq uint64, issuedAt, nextUpdate time.Time, issuers []Issuer, nextRoot crypto.PublicKey) *TrustList {
	return newList(seq, issuedAt, nextUpdate, issuers, nextRoot)
}

// SetStoreWrite replaces the function the store writes its file with.
func SetStoreWrite(s *Store, write func(path string, data []byte, perm os.FileMode) error) {
	s.write = write
}

// WriteFileAtomic is writeFileAtomic.
var WriteFileAtomic = writeFileAtomic
