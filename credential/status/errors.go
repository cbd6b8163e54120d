package status

import "errors"

// ErrFull reports that an [Allocator] has no free index left: the issuer
// needs another list (a new list id).
var ErrFull = errors.New("status: no free index")

// errOutOfRange reports an index at or beyond the end of a list or an
// allocator. It is a programming error on the issuer's side, so callers
// have nothing to branch on and it is not exported.
var errOutOfRange = errors.New("status: index out of range")
