package verify

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingStore fails every call after the first ok ones and records the
// keys it was given.
type countingStore struct {
	mu   sync.Mutex
	ok   int
	keys [][32]byte
}

func (s *countingStore) CheckAndMark(key [32]byte, _, _ time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.keys) >= s.ok {
		return false, errors.New("down again")
	}
	s.keys = append(s.keys, key)
	return false, nil
}

func (w *writeBack) state() (int, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.pending), w.running
}

// TestWriteBack: the queue of codes accepted during an outage is bounded
// (the oldest dropped), skips expired codes, and keeps what a failing
// store did not take for the next flush, in order.
func TestWriteBack(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	now := func() time.Time { return t0 }
	key := func(i int) [32]byte { return [32]byte{byte(i), byte(i >> 8), byte(i >> 16)} }

	t.Run("bounded: the oldest are dropped", func(t *testing.T) {
		var w writeBack
		for i := range maxPendingWriteBack + 2 {
			w.add(key(i), t0.Add(time.Minute))
		}
		n, _ := w.state()
		assert.Equal(t, maxPendingWriteBack, n)
		assert.Equal(t, key(2), w.pending[0].key)
	})
	t.Run("a failing store keeps the rest; expired codes are skipped", func(t *testing.T) {
		var w writeBack
		w.add(key(1), t0.Add(-time.Second)) // expired: skipped
		for i := 2; i <= 6; i++ {
			w.add(key(i), t0.Add(time.Minute))
		}
		store := &countingStore{ok: 2}
		w.flush(store, now)
		// The flush runs in a goroutine: wait until it stopped (10 s is
		// far above the expected microseconds; it bounds a failure only).
		require.Eventually(t, func() bool { _, running := w.state(); return !running }, 10*time.Second, time.Millisecond)
		assert.Equal(t, [][32]byte{key(2), key(3)}, store.keys)
		n, _ := w.state()
		assert.Equal(t, 3, n, "key 4 (failed), 5 and 6 kept")
		store.mu.Lock()
		store.ok = 10
		store.mu.Unlock()
		w.flush(store, now)
		require.Eventually(t, func() bool { n, running := w.state(); return !running && n == 0 }, 10*time.Second, time.Millisecond)
		assert.Equal(t, [][32]byte{key(2), key(3), key(4), key(5), key(6)}, store.keys)
	})
}
