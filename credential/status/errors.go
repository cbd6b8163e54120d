package status

import "errors"

// Sentinel errors. Callers branch on them with [errors.Is]; the messages
// carry details (sizes, indices) but are not part of the contract.
var (
	// ErrMalformed reports a status list token or bit array that is not
	// well formed: bad CBOR, a missing or wrong claim, a wrong typ header,
	// bits other than 1, 2, 4 or 8, a corrupt zlib stream.
	ErrMalformed = errors.New("status: malformed status list")

	// ErrTooLarge reports a token over [limits.MaxStatusList] bytes, or a
	// zlib stream that decompresses to more than the status list cap
	// (decompression bomb).
	ErrTooLarge = errors.New("status: status list too large")

	// ErrAlgorithm reports that the algorithm passed to [Signed.Verify] is
	// not allowed (ES256, EdDSA), does not fit the key, or differs from the
	// token's protected alg header.
	ErrAlgorithm = errors.New("status: algorithm not allowed for this key")

	// ErrSignature reports a signature that does not verify. It is the only
	// error a failed cryptographic check returns.
	ErrSignature = errors.New("status: signature does not verify")

	// ErrOutOfRange reports an index at or beyond the end of a list, or
	// beyond an allocator's size.
	ErrOutOfRange = errors.New("status: index out of range")

	// ErrWrongList reports a [Reference] looked up in a list with another
	// issuer or list id.
	ErrWrongList = errors.New("status: reference names another list")

	// ErrFull reports that an [Allocator] has no free index left.
	ErrFull = errors.New("status: no free index")

	// ErrRollback reports a [Cache.Put] of a list issued before the one the
	// cache already holds.
	ErrRollback = errors.New("status: older status list refused")

	// ErrNotCached reports a [Cache.Get] for a list the cache does not hold.
	ErrNotCached = errors.New("status: status list not cached")
)
