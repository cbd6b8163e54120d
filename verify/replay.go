package verify

import (
	"container/heap"
	"errors"
	"sync"
	"time"
)

// ReplayCache remembers presentations until they expire. Gates of one
// airport or station can share one through this interface
// (verify/redisreplay keeps it on Redis); the default is a bounded
// in-process store of 100,000 codes.
type ReplayCache interface {
	// CheckAndMark records key until expires, inclusive, and reports
	// whether it was already recorded at now: a key recorded with expires
	// t is still seen at now == t and forgotten after (the verifier's
	// time check accepts a presentation up to and including its expiry
	// plus skew; see the package documentation, "Presentation lifetime").
	// It must be atomic: two gates asking at once for the same key get one
	// false and one true. The verifier calls it only for a presentation
	// that passed every other check, so every key marked is one accepted.
	// An error makes the verifier refuse the presentation (fail closed);
	// a store that cannot keep a key until it expires must return one
	// rather than forget another live key.
	//
	// A shared store that knows it is down (not one slow or refused
	// answer: it cannot reach its server at all) returns an error wrapping
	// ErrReplayStoreDown; only such an error lets a policy with
	// Policy.WarnOnReplayStoreDown fall back to the verifier's memory.
	CheckAndMark(key [32]byte, expires, now time.Time) (seen bool, err error)
}

// ErrReplayStoreDown is what a shared ReplayCache wraps in the error of
// CheckAndMark when it knows its server is down, as opposed to one call
// that failed: verify/redisreplay returns it once consecutive calls failed
// to reach the server and a health check failed too, until a health check
// reaches it again. It is the only error under which
// Policy.WarnOnReplayStoreDown accepts a code; any other error (a timeout,
// a refused command, an unexpected reply) refuses it under every policy.
var ErrReplayStoreDown = errors.New("verify: shared replay store down")

// maxPendingWriteBack bounds the codes a verifier accepted with only its
// own memory (ReasonReplayCheckedLocally) and still has to write to the
// shared store: at one accepted scan a second, a day of outage.
const maxPendingWriteBack = 100_000

// writeBack holds the codes accepted during an outage of the shared store,
// to be marked there once it answers again, so that a gate that never saw
// them refuses them after the outage too (best effort: a code whose
// lifetime ended first is dropped, and beyond maxPendingWriteBack the
// oldest are dropped; the accepting verifier itself still refuses them
// from its own memory).
type writeBack struct {
	mu      sync.Mutex
	pending []expiryEntry
	running bool
}

// add queues key, dropping the oldest beyond maxPendingWriteBack.
func (w *writeBack) add(key [32]byte, expires time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) >= maxPendingWriteBack {
		w.pending = w.pending[1:]
	}
	w.pending = append(w.pending, expiryEntry{key: key, expires: expires})
}

// flush writes the queued codes to store in a goroutine of its own (one at
// a time), called after store answered: it stops at the first error,
// keeping what is left for the next flush, and skips the codes expired at
// now().
func (w *writeBack) flush(store ReplayCache, now func() time.Time) {
	w.mu.Lock()
	if w.running || len(w.pending) == 0 {
		w.mu.Unlock()
		return
	}
	w.running = true
	w.mu.Unlock()
	go func() {
		for {
			w.mu.Lock()
			if len(w.pending) == 0 {
				w.running = false
				w.mu.Unlock()
				return
			}
			e := w.pending[0]
			w.pending = w.pending[1:]
			w.mu.Unlock()
			t := now()
			if e.expires.Before(t) {
				continue
			}
			if _, err := store.CheckAndMark(e.key, e.expires, t); err != nil {
				w.mu.Lock()
				w.pending = append([]expiryEntry{e}, w.pending...)
				w.running = false
				w.mu.Unlock()
				return
			}
		}
	}()
}

// defaultReplayCapacity is the default number of presentations a
// memoryReplayCache holds. An entry lives for the code's lifetime plus
// maxClockSkew: 60 s + 5 min for a live code, so at one accepted scan a
// second per gate there is room for about 270 gates sharing one verifier;
// larger deployments share a store of their own (WithReplayCache).
const defaultReplayCapacity = 100_000

// errReplayFull is the error of a memoryReplayCache full of live entries.
var errReplayFull = errors.New("verify: replay store full of unexpired codes")

// memoryReplayCache is a bounded in-process ReplayCache. Entries leave when
// they expire. When it is full of unexpired entries it refuses to record
// another (an error, so the verifier refuses the code: fail closed) rather
// than forget a live entry: forgetting one would let the screenshot of a
// code accepted a minute ago in again. Only accepted codes are recorded,
// so filling it takes that many people passing the gate within a code's
// lifetime. It is safe for concurrent use.
type memoryReplayCache struct {
	mu       sync.Mutex
	capacity int
	entries  map[[32]byte]time.Time
	byExpiry expiryHeap
}

var _ ReplayCache = (*memoryReplayCache)(nil)

// newMemoryReplayCache returns a cache holding at most capacity entries
// (defaultReplayCapacity when capacity <= 0).
func newMemoryReplayCache(capacity int) *memoryReplayCache {
	if capacity <= 0 {
		capacity = defaultReplayCapacity
	}
	return &memoryReplayCache{capacity: capacity, entries: make(map[[32]byte]time.Time)}
}

// CheckAndMark implements ReplayCache.
func (c *memoryReplayCache) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Drop what has expired: an entry is live up to and including its
	// expiry.
	for len(c.byExpiry) > 0 && c.byExpiry[0].expires.Before(now) {
		e := heap.Pop(&c.byExpiry).(expiryEntry)
		if t, ok := c.entries[e.key]; ok && t.Equal(e.expires) {
			delete(c.entries, e.key)
		}
	}
	if _, ok := c.entries[key]; ok {
		return true, nil // live: the expired ones are gone
	}
	if len(c.entries) >= c.capacity {
		return false, errReplayFull
	}
	c.entries[key] = expires
	heap.Push(&c.byExpiry, expiryEntry{key: key, expires: expires})
	return false, nil
}

// seen reports whether key is held and live at now, without marking it.
func (c *memoryReplayCache) seen(key [32]byte, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.entries[key]
	return ok && !t.Before(now)
}

// len returns the number of entries held.
func (c *memoryReplayCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

type expiryEntry struct {
	key     [32]byte
	expires time.Time
}

type expiryHeap []expiryEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiryEntry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
