package status

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"sync"
)

// maxDraws is how many uniformly random indices [Allocator.Allocate] draws
// before it falls back to scanning for a free one. Below 90% full, 64 draws
// all hit a used index with probability under 0.1%.
const maxDraws = 64

// Allocator hands out status list indices for an issuer: at random, so that
// an index says nothing about when, where or in which order a credential was
// issued (draft-ietf-oauth-status-list §13.3, "linkability"), and never the
// same index twice while it is held. Give every device its own index, even
// for the same citizen: revoking a lost phone's index then leaves the
// citizen's new phone working.
//
// The Allocator lives in memory; an issuer that restarts rebuilds it from its
// own database with [Allocator.Reserve]. It is safe for concurrent use.
type Allocator struct {
	mu   sync.Mutex
	rand io.Reader
	size int
	used []uint64 // bitmap, 1 = held
	n    int      // number held
	mask uint32   // smallest 2^k-1 >= size-1, for unbiased draws
}

// NewAllocator returns an allocator of indices 0..size-1 that draws them
// from rand (use crypto/rand.Reader; tests and examples pass a fixed
// stream). size is the size given to [NewList], between 1 and the largest
// list (134,217,728 entries); otherwise, or with a nil rand, NewAllocator
// returns an error. The allocator needs size/8 bytes.
func NewAllocator(size int, rand io.Reader) (*Allocator, error) {
	if size < 1 || size > maxEntries {
		return nil, fmt.Errorf("status: allocator size %d outside 1..%d", size, maxEntries)
	}
	if rand == nil {
		return nil, fmt.Errorf("status: allocator needs a random source")
	}
	return &Allocator{
		rand: rand,
		size: size,
		used: make([]uint64, (size+63)/64),
		mask: uint32(1<<bits.Len32(uint32(size-1)) - 1),
	}, nil
}

// Allocate returns a free index chosen uniformly at random and marks it
// held. When the allocator is nearly full (64 random draws all held) it
// takes the first free index after a random one instead, which is slightly
// less uniform but never slow. It returns [ErrFull] when every index is held
// and an error when the random source fails.
func (a *Allocator) Allocate() (uint32, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n == a.size {
		return 0, ErrFull
	}
	for range maxDraws {
		i, err := a.draw()
		if err != nil {
			return 0, err
		}
		if !a.held(i) {
			a.mark(i)
			return i, nil
		}
	}
	start, err := a.draw()
	if err != nil {
		return 0, err
	}
	// Scan a word at a time from start, wrapping once. Bits past size in
	// the last word are never marked, so they are skipped by the bound.
	w0 := int(start) / 64
	for k := 0; k <= len(a.used); k++ {
		w := (w0 + k) % len(a.used)
		free := ^a.used[w]
		if k == 0 {
			free &= ^uint64(0) << (start % 64) // from start on
		}
		if free != 0 {
			if i := uint32(w*64 + bits.TrailingZeros64(free)); int(i) < a.size {
				a.mark(i)
				return i, nil
			}
		}
	}
	return 0, ErrFull // unreachable: n < size
}

// Reserve marks index as held, for rebuilding an allocator from the
// issuer's records after a restart. It returns an error beyond the
// allocator's size and when the index is already held.
func (a *Allocator) Reserve(index uint32) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if uint64(index) >= uint64(a.size) {
		return fmt.Errorf("%w: %d >= %d", errOutOfRange, index, a.size)
	}
	if a.held(index) {
		return fmt.Errorf("status: index %d already held", index)
	}
	a.mark(index)
	return nil
}

// release frees index for reuse. Release an index only once no unexpired
// credential refers to it, and set its status back to [StatusValid] in the
// list before handing it out again (draft-ietf-oauth-status-list §13.4).
// It returns an error beyond the allocator's size and when the index is not
// held.
//
// It is not exported (issue 11): reusing indices needs the issuer to know
// which credentials have expired, and an index reused too early revokes or
// revives the wrong phone. Lists are cheap; a full one is replaced by a new
// list id.
func (a *Allocator) release(index uint32) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if uint64(index) >= uint64(a.size) {
		return fmt.Errorf("%w: %d >= %d", errOutOfRange, index, a.size)
	}
	if !a.held(index) {
		return fmt.Errorf("status: index %d not held", index)
	}
	a.used[index/64] &^= 1 << (index % 64)
	a.n--
	return nil
}

// draw returns a uniformly random index below size: a 32-bit random number
// masked to the next power of two, redrawn when too large (no modulo bias).
func (a *Allocator) draw() (uint32, error) {
	var b [4]byte
	for {
		if _, err := io.ReadFull(a.rand, b[:]); err != nil {
			return 0, fmt.Errorf("status: random source: %w", err)
		}
		if i := binary.LittleEndian.Uint32(b[:]) & a.mask; int(i) < a.size {
			return i, nil
		}
	}
}

func (a *Allocator) held(i uint32) bool { return a.used[i/64]&(1<<(i%64)) != 0 }

func (a *Allocator) mark(i uint32) {
	a.used[i/64] |= 1 << (i % 64)
	a.n++
}
