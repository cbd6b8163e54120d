package status

import (
	mrand "math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/limits"
)

// entry reads entry i of a 2-bit bit array the way the draft defines it
// (§4.1), independently of the code under test.
func entry(b []byte, i int) Status {
	return Status(b[i/4]>>(2*(i%4))) & 3
}

func TestNewList(t *testing.T) {
	for _, tc := range []struct {
		name  string
		size  int
		bytes int
		ok    bool
	}{
		{"one entry", 1, 1, true},
		{"four entries fill a byte", 4, 1, true},
		{"five entries need two bytes", 5, 2, true},
		{"100 million", 100_000_000, 25_000_000, true},
		{"the byte cap", limits.MaxStatusListBytes * 4, limits.MaxStatusListBytes, true},
		{"past the byte cap", limits.MaxStatusListBytes*4 + 1, 0, false},
		{"empty list", 0, 0, false},
		{"negative size", -1, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewList(tc.size)
			if !tc.ok {
				assert.Error(t, err)
				assert.Nil(t, l)
				return
			}
			require.NoError(t, err)
			b, err := l.MarshalBinary()
			require.NoError(t, err)
			assert.Len(t, b, tc.bytes)
			for _, x := range b[:min(len(b), 1<<10)] {
				require.Zero(t, x, "a new list is all valid")
			}
		})
	}
}

func TestListSet(t *testing.T) {
	const size = 1001 // not a multiple of 4: the last byte is partly padding
	l, err := NewList(size)
	require.NoError(t, err)
	want := make([]Status, size)
	r := mrand.New(chacha(2))
	for range 4000 { // overwrite entries repeatedly: neighbours must not change
		i := r.IntN(size)
		s := Status(r.IntN(4))
		require.NoError(t, l.Set(uint32(i), s))
		want[i] = s
	}
	b, err := l.MarshalBinary()
	require.NoError(t, err)
	require.Len(t, b, (size+3)/4)
	for i, w := range want {
		assert.Equal(t, w, entry(b, i), "index %d", i)
	}
	assert.Zero(t, b[len(b)-1]>>2, "padding bits stay zero")

	t.Run("rejects", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			index uint32
			s     Status
		}{
			{"index at the end", size, StatusRevoked},
			{"index past the end", size + 1, StatusRevoked},
			{"index 2^31", 1 << 31, StatusRevoked},
			{"largest index", ^uint32(0), StatusValid},
			{"status wider than two bits", 0, 4},
			{"status 255", 0, 255},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before, err := l.MarshalBinary()
				require.NoError(t, err)
				err = l.Set(tc.index, tc.s)
				assert.Error(t, err)
				if tc.index >= size {
					assert.ErrorIs(t, err, errOutOfRange)
				}
				after, err := l.MarshalBinary()
				require.NoError(t, err)
				assert.Equal(t, before, after, "a refused Set changes nothing")
			})
		}
	})
}

// TestMarshalBinaryLayout pins the bit layout of draft-ietf-oauth-status-list
// §4.1 with the draft's own 2-bit example (§4.1, "status[0] = 1 ...
// status[11] = 3"): bytes c9 44 f9.
func TestMarshalBinaryLayout(t *testing.T) {
	l, err := NewList(12)
	require.NoError(t, err)
	for i, s := range []Status{1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3} {
		require.NoError(t, l.Set(uint32(i), s))
	}
	b, err := l.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, []byte{0xc9, 0x44, 0xf9}, b)
}

func TestMarshalBinaryIsACopy(t *testing.T) {
	l, err := NewList(8)
	require.NoError(t, err)
	b, err := l.MarshalBinary()
	require.NoError(t, err)
	b[0] = 0xff
	again, err := l.MarshalBinary()
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 0}, again, "the caller's copy does not alias the list")
	require.NoError(t, l.Set(0, StatusRevoked))
	assert.Equal(t, byte(0xff), b[0], "nor does the list alias the copy")
}
