package status

import (
	"bytes"
	"crypto/rand"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllocator(t *testing.T) {
	t.Run("every index once, then ErrFull", func(t *testing.T) {
		const size = 5000
		a, err := NewAllocator(size, chacha(1))
		require.NoError(t, err)
		seen := make(map[uint32]bool, size)
		for range size {
			i, err := a.Allocate()
			require.NoError(t, err)
			require.Less(t, i, uint32(size))
			require.False(t, seen[i], "index %d handed out twice", i)
			seen[i] = true
		}
		_, err = a.Allocate()
		assert.ErrorIs(t, err, ErrFull)
		require.NoError(t, a.release(17))
		i, err := a.Allocate()
		require.NoError(t, err)
		assert.Equal(t, uint32(17), i, "the only free index")
	})
	t.Run("random, not sequential", func(t *testing.T) {
		const size, n, buckets = 100_000_000, 20_000, 10
		a, err := NewAllocator(size, chacha(2))
		require.NoError(t, err)
		got := make([]uint32, n)
		count := make([]int, buckets)
		for k := range got {
			got[k], err = a.Allocate()
			require.NoError(t, err)
			count[int(got[k])/(size/buckets)]++
		}
		assert.False(t, slices.IsSorted(got))
		adjacent := 0
		for k := 1; k < n; k++ {
			if d := int64(got[k]) - int64(got[k-1]); d >= -1 && d <= 1 {
				adjacent++
			}
		}
		assert.Zero(t, adjacent, "consecutive allocations next to each other")
		for b, c := range count { // expect 2000 each; 5 sigma is about 210
			assert.InDelta(t, n/buckets, c, 300, "bucket %d", b)
		}
	})
	t.Run("size not a power of two is never exceeded", func(t *testing.T) {
		a, err := NewAllocator(3, chacha(3))
		require.NoError(t, err)
		for range 3 {
			i, err := a.Allocate()
			require.NoError(t, err)
			assert.Less(t, i, uint32(3))
		}
	})
	t.Run("reserve and release", func(t *testing.T) {
		a, err := NewAllocator(10, chacha(4))
		require.NoError(t, err)
		require.NoError(t, a.Reserve(3))
		assert.Error(t, a.Reserve(3))
		assert.ErrorIs(t, a.Reserve(10), errOutOfRange)
		assert.ErrorIs(t, a.release(10), errOutOfRange)
		assert.Error(t, a.release(4))
		require.NoError(t, a.release(3))
		for range 10 {
			_, err := a.Allocate()
			require.NoError(t, err)
		}
		_, err = a.Allocate()
		assert.ErrorIs(t, err, ErrFull)
	})
	t.Run("bad arguments", func(t *testing.T) {
		_, err := NewAllocator(0, rand.Reader)
		assert.Error(t, err)
		_, err = NewAllocator(maxEntries+1, rand.Reader)
		assert.Error(t, err)
		_, err = NewAllocator(10, nil)
		assert.Error(t, err)
		_, err = NewAllocator(maxEntries, rand.Reader)
		assert.NoError(t, err, "as large as the largest list")
	})
	t.Run("failing random source", func(t *testing.T) {
		a, err := NewAllocator(10, bytes.NewReader(nil))
		require.NoError(t, err)
		_, err = a.Allocate()
		assert.Error(t, err)
	})
	t.Run("concurrent allocations are unique", func(t *testing.T) {
		a, err := NewAllocator(4000, rand.Reader)
		require.NoError(t, err)
		var mu sync.Mutex
		seen := map[uint32]bool{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 1000 {
					i, err := a.Allocate()
					assert.NoError(t, err)
					mu.Lock()
					assert.False(t, seen[i])
					seen[i] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		assert.Len(t, seen, 4000)
	})
}
