package keys

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error this package returns for untrusted input
// wraps exactly one of them, so that callers branch with [errors.Is]; trust
// list failures are additionally a [*TrustListError] that says where in the
// list the problem is.
var (
	// ErrMalformed reports input that is not what ikd accepts: bad JSON,
	// bad base64url, a JWS that is not compact, a missing or unknown member,
	// a validity window that ends before it starts, an unsupported format
	// version.
	ErrMalformed = errors.New("keys: malformed input")

	// ErrTooLarge reports input over its size limit (for a trust list,
	// [limits.MaxTrustList]); it is refused before any parsing.
	ErrTooLarge = errors.New("keys: input too large")

	// ErrBadSignature reports a signature that does not verify, or a JWS
	// signed by a key that is not trusted (wrong root). It is the only error
	// a failed cryptographic check returns, so that a caller cannot tell
	// why (no oracle).
	ErrBadSignature = errors.New("keys: signature does not verify")

	// ErrWrongAlgorithm reports an algorithm that is not allowed where it
	// appears: "none", an HMAC or any other algorithm in a JWS header that
	// is not the algorithm of the trusted key, or a key whose declared alg
	// does not fit the key.
	ErrWrongAlgorithm = errors.New("keys: algorithm not allowed for this key")

	// ErrInvalidKey reports key material that ikd refuses: an EC point not
	// on P-256, an Ed25519 key that is not 32 bytes or has low order, an
	// RSA, HMAC or other key where only ES256 and EdDSA keys belong,
	// private key material where a public key belongs, or a weak key in a
	// verification key set.
	ErrInvalidKey = errors.New("keys: invalid or unsupported key")

	// ErrDuplicateKeyID reports the same key listed twice where that is
	// ambiguous: the same key material (same RFC 7638 thumbprint) twice in
	// one JWK set, twice for one issuer in a trust list (even with another
	// window: which one would hold?), or two keys with the same kid in a
	// JWS verification key set. One key listed for two issuers is not a
	// duplicate, and neither are two keys whose 8-byte COSE kids collide:
	// Lookup returns them all.
	ErrDuplicateKeyID = errors.New("keys: duplicate key id")

	// ErrRollback reports a trust list whose sequence number is lower than
	// the one already held (or, for [Store.Update], not higher and not the
	// same list).
	ErrRollback = errors.New("keys: trust list sequence number went back")

	// ErrExpired reports a trust list whose next-update time passed longer
	// ago than the grace period allows (see [WithGrace]).
	ErrExpired = errors.New("keys: trust list expired")
)

// TrustListError is the error every trust list failure returns: from
// [ParseTrustList], [NewTrustList], [SignTrustList], [ParseJWKSet] and the
// [Store]. Err wraps one of the sentinels (ErrMalformed, ErrBadSignature,
// ErrWrongAlgorithm, ErrInvalidKey, ErrDuplicateKeyID, ErrRollback,
// ErrExpired, ErrTooLarge); Issuer and KeyID say which entry it is about
// when it is about one.
type TrustListError struct {
	// Issuer is the issuer id the error is about, "" if none.
	Issuer string
	// KeyID is the JWK kid (base64url RFC 7638 thumbprint) the error is
	// about, "" if none.
	KeyID string
	// Err wraps one of the package's sentinel errors.
	Err error
}

// Error returns "keys: trust list", the issuer and kid when known, and the
// reason.
func (e *TrustListError) Error() string {
	var b strings.Builder
	b.WriteString("keys: trust list")
	if e.Issuer != "" {
		b.WriteString(": issuer ")
		b.WriteString(e.Issuer)
	}
	if e.KeyID != "" {
		b.WriteString(": key ")
		b.WriteString(e.KeyID)
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "keys: "))
	return b.String()
}

// Unwrap returns e.Err.
func (e *TrustListError) Unwrap() error { return e.Err }

// listErr wraps err into a *TrustListError unless it already is one.
func listErr(err error) error {
	if err == nil {
		return nil
	}
	var tle *TrustListError
	if errors.As(err, &tle) {
		return err
	}
	return &TrustListError{Err: err}
}
