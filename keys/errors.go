package keys

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error this package returns for untrusted input
// wraps exactly one of them, so that callers branch with [errors.Is]. They
// are the reasons a caller acts on: fix the input (ErrMalformed), distrust
// it (ErrBadSignature), keep the list held (ErrRollback), fetch a newer one
// (ErrExpired).
var (
	// ErrMalformed reports input that is not what ikd accepts: bad JSON,
	// bad base64url, a JWS that is not compact, a missing or unknown member,
	// a validity window that ends before it starts, an unsupported format
	// version, input over its size limit, a key that is invalid or of an
	// unsupported type (an EC point not on P-256, a small-order Ed25519
	// key, an RSA or HMAC key, private key material where a public key
	// belongs, a key whose declared alg does not fit it), or the same key
	// listed twice where that is ambiguous.
	ErrMalformed = errors.New("keys: malformed input")

	// ErrBadSignature reports a trust list that does not verify: signed by
	// a key that is not the pinned root (wrong root), altered after
	// signing, or with a header alg that is not the algorithm of the pinned
	// root ("none", an HMAC, another curve). It is the only error a failed
	// cryptographic check returns, so that a caller cannot tell why (no
	// oracle).
	ErrBadSignature = errors.New("keys: signature does not verify")

	// ErrRollback reports a trust list whose sequence number is lower than
	// the one a [Store] holds, or the same sequence number for a different
	// list.
	ErrRollback = errors.New("keys: trust list sequence number went back")

	// ErrExpired reports a trust list whose next-update time passed longer
	// ago than the grace period allows (see [WithGrace]).
	ErrExpired = errors.New("keys: trust list expired")
)

// Finer reasons, each wrapping one public sentinel so that errors.Is
// matches both. They are unexported because no caller acts differently on
// them; the tests use them (export_test.go) to check the precise reason.
var (
	// errTooLarge: input over its size limit (for a trust list,
	// limits.MaxTrustList), refused before any parsing.
	errTooLarge = fmt.Errorf("%w: input too large", ErrMalformed)

	// errInvalidKey: key material ikd refuses (see ErrMalformed), or an
	// algorithm it cannot make a key for.
	errInvalidKey = fmt.Errorf("%w: invalid or unsupported key", ErrMalformed)

	// errDuplicateKeyID: the same key material (same RFC 7638 thumbprint)
	// twice in one JWK set, twice for one issuer in a trust list (even with
	// another window: which one would hold?), or two keys with the same kid
	// in a JWS verification key set. One key listed for two issuers is not
	// a duplicate, and neither are two keys whose 8-byte COSE kids collide:
	// Lookup returns them all.
	errDuplicateKeyID = fmt.Errorf("%w: duplicate key id", ErrMalformed)

	// errWrongAlgorithm: a JWS header alg that is not the algorithm of a
	// trusted key ("none", an HMAC, another curve): the classic algorithm
	// confusion. To the caller it is a signature that does not verify.
	errWrongAlgorithm = fmt.Errorf("%w: algorithm not allowed for this key", ErrBadSignature)
)

// trustListError is the error every trust list failure returns (from
// ParseTrustList, SignTrustList, MarshalJWKSet and the Store): err wraps
// one of the sentinels, issuer and kid say which entry it is about when it
// is about one, so that a log line points at the entry to fix.
type trustListError struct {
	issuer string // the issuer id, "" if none
	kid    string // the JWK kid (base64url RFC 7638 thumbprint), "" if none
	err    error
}

// Error returns "keys: trust list", the issuer and kid when known, and the
// reason.
func (e *trustListError) Error() string {
	var b strings.Builder
	b.WriteString("keys: trust list")
	if e.issuer != "" {
		b.WriteString(": issuer ")
		b.WriteString(e.issuer)
	}
	if e.kid != "" {
		b.WriteString(": key ")
		b.WriteString(e.kid)
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.err.Error(), "keys: "))
	return b.String()
}

// Unwrap returns the reason, which wraps a sentinel.
func (e *trustListError) Unwrap() error { return e.err }

// listErr wraps err into a *trustListError unless it already is one.
func listErr(err error) error {
	if err == nil {
		return nil
	}
	var tle *trustListError
	if errors.As(err, &tle) {
		return err
	}
	return &trustListError{err: err}
}
