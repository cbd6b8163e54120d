package verify

import (
	"container/heap"
	"sync"
	"time"
)

// ReplayCache remembers presentations until they expire. Gates of one
// airport or station can share one through this interface (for example in
// a database with a unique key); the default is a bounded in-process store
// of 100,000 codes.
type ReplayCache interface {
	// CheckAndMark records key until expires and reports whether it was
	// already recorded and unexpired at now. It must be atomic: two gates
	// asking at once for the same key get one false and one true. An error
	// makes the verifier refuse the presentation (fail closed).
	CheckAndMark(key [32]byte, expires, now time.Time) (seen bool, err error)
}

// defaultReplayCapacity is the default number of presentations a
// memoryReplayCache holds: at one scan a second per gate and 60 s
// lifetimes, room for about 1,600 gates.
const defaultReplayCapacity = 100_000

// memoryReplayCache is a bounded in-process ReplayCache. Entries leave when
// they expire. When it is full of unexpired entries, it drops the one that
// expires soonest: that is the entry with the shortest replay window left.
// It is safe for concurrent use.
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
	// Drop what has expired.
	for len(c.byExpiry) > 0 && !c.byExpiry[0].expires.After(now) {
		e := heap.Pop(&c.byExpiry).(expiryEntry)
		if t, ok := c.entries[e.key]; ok && t.Equal(e.expires) {
			delete(c.entries, e.key)
		}
	}
	if t, ok := c.entries[key]; ok && t.After(now) {
		return true, nil
	}
	for len(c.entries) >= c.capacity && len(c.byExpiry) > 0 {
		e := heap.Pop(&c.byExpiry).(expiryEntry)
		if t, ok := c.entries[e.key]; ok && t.Equal(e.expires) {
			delete(c.entries, e.key)
		}
	}
	c.entries[key] = expires
	heap.Push(&c.byExpiry, expiryEntry{key: key, expires: expires})
	return false, nil
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
