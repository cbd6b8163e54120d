package keys

import (
	"crypto"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Internals for the tests in package keys_test.

// The finer reasons behind the public sentinels, for precise assertions.
var (
	ErrTooLarge       = errTooLarge
	ErrInvalidKey     = errInvalidKey
	ErrDuplicateKeyID = errDuplicateKeyID
	ErrWrongAlgorithm = errWrongAlgorithm
)

const (
	KeyIDSize     = keyIDSize
	TrustListType = trustListType
	DefaultGrace  = defaultGrace
	FloorSuffix   = floorSuffix
)

var (
	Thumbprint         = thumbprint
	JWKKeyID           = jwkKeyID
	ToJWK              = toJWK
	ParsePublicJWK     = parsePublicJWK
	MarshalPublicJWK   = marshalPublicJWK
	HasROCAFingerprint = hasROCAFingerprint
	CheckJSON          = checkJSON
	WriteFileAtomic    = writeFileAtomic
)

// TrustListError is the type of every trust list failure.
type TrustListError = trustListError

// NewTrustListError returns the error a trust list failure about issuer
// and kid returns.
func NewTrustListError(issuer, kid string, err error) error {
	return &trustListError{issuer: issuer, kid: kid, err: err}
}

// TrustListErrorAbout returns the issuer and kid a trust list error is
// about; ok is false if err is not one.
func TrustListErrorAbout(err error) (issuer, kid string, ok bool) {
	var tle *trustListError
	if !errors.As(err, &tle) {
		return "", "", false
	}
	return tle.issuer, tle.kid, true
}

// VerifyJWS is the package's one JWS check (verifyJWS): it returns the
// payload and the kid of the key that verified it.
func VerifyJWS(compact string, set []jose.JSONWebKey) ([]byte, string, error) {
	payload, _, k, err := verifyJWS(compact, set)
	if err != nil {
		return nil, "", err
	}
	return payload, k.KeyID, nil
}

// ParseJWKSet reads a JWK set in the form MarshalJWKSet writes (the
// issuers.jwks file) as the trust list decoder reads its "jwks" member,
// and returns one IssuerKey per validity entry (IssuerName empty: names
// live in the trust list).
func ParseJWKSet(data []byte) ([]IssuerKey, error) {
	if len(data) > maxTrustList {
		return nil, listErr(fmt.Errorf("%w: JWK set is %d bytes, limit %d", errTooLarge, len(data), maxTrustList))
	}
	var w jwkSetWire
	if err := decodeStrict(data, &w); err != nil {
		return nil, listErr(err)
	}
	keys, err := decodeKeySet(w, nil)
	return keys, listErr(err)
}

// DecodePayload decodes a trust list payload without a signature.
func DecodePayload(payload []byte) (*TrustList, error) { return decodePayload(payload) }

// MarshalPayload returns the payload of l.
func MarshalPayload(l *TrustList) ([]byte, error) { return l.marshalPayload() }

// ContentPayload returns the payload SignTrustList signs for c.
func ContentPayload(c *TrustListContent) ([]byte, error) {
	l, err := checkContent(c)
	if err != nil {
		return nil, err
	}
	return l.marshalPayload()
}

// NewListUnchecked builds a list without checking anything, so that tests
// can make what a valid list cannot hold: two different keys with the same
// 8-byte kid.
func NewListUnchecked(seq uint64, issuedAt, nextUpdate time.Time, issuers []TrustedIssuer) *TrustList {
	return newList(seq, issuedAt, nextUpdate, issuers, nil)
}

// Issuers returns l's issuers in list order, each with its keys, as copies.
func Issuers(l *TrustList) []TrustedIssuer {
	out := make([]TrustedIssuer, len(l.issuers))
	for i, is := range l.issuers {
		out[i] = TrustedIssuer{ID: is.ID, Name: is.Name, Keys: slices.Clone(is.Keys)}
	}
	return out
}

// IssuedAt returns when l was issued.
func IssuedAt(l *TrustList) time.Time { return l.issuedAt }

// NextRoot returns the root l announces, nil if none.
func NextRoot(l *TrustList) crypto.PublicKey { return l.nextRoot }

// Root returns the root key that verified l.
func Root(l *TrustList) crypto.PublicKey { return l.root }

// JWS returns the compact JWS l was parsed from.
func JWS(l *TrustList) []byte { return slices.Clone(l.jws) }

// SetStoreWrite replaces the function the store writes its file with.
func SetStoreWrite(s *Store, write func(path string, data []byte, perm os.FileMode) error) {
	s.write = write
}

// Reload reads s's file again, as OpenStore does, and takes its list if it
// is newer than the one held (another process may have replaced it).
func Reload(s *Store) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loadErr = s.reload()
	return s.loadErr
}

// Last returns the last good list s holds, expired or not.
func Last(s *Store) *TrustList { return s.cur.Load() }

// Roots returns s's pinned root and announced next root (nil if none).
func Roots(s *Store) (root, next crypto.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.root, s.next
}
