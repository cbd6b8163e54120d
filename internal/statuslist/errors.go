package statuslist

import "errors"

// Sentinel errors. Callers branch on them with [errors.Is]; the messages
// carry details (sizes, indices) but are not part of the contract.
var (
	// ErrMalformed reports a status list token that is not well formed:
	// bad CBOR, a missing or wrong claim, a wrong typ header, bits other
	// than 1, 2, 4 or 8, a sub that is not an ikd status list URN, a
	// corrupt zlib stream.
	ErrMalformed = errors.New("statuslist: malformed status list token")

	// ErrTooLarge reports a token over limits.MaxStatusList bytes, or a
	// zlib stream that decompresses to more than the status list cap
	// (decompression bomb).
	ErrTooLarge = errors.New("statuslist: status list too large")

	// ErrSignature reports a token that does not verify with the trusted
	// key: a bad signature, a protected alg that is not the key's
	// algorithm, or a key that is not an ES256 or EdDSA public key. It is
	// the only error a failed cryptographic check returns, so that a
	// forger learns nothing from which check failed.
	ErrSignature = errors.New("statuslist: signature does not verify")

	// ErrOutOfRange reports an index at or beyond the end of a list.
	ErrOutOfRange = errors.New("statuslist: index out of range")

	// ErrRollback reports a [Cache.Put] of a list issued before the one the
	// cache already holds.
	ErrRollback = errors.New("statuslist: older status list refused")

	// ErrConflict reports a [Cache.Put] of a list issued in the same second
	// as the one the cache holds but with other content.
	ErrConflict = errors.New("statuslist: another status list with the same issue time refused")

	// ErrNotCached reports a [Cache.Get] for a list the cache does not hold.
	ErrNotCached = errors.New("statuslist: status list not cached")
)
