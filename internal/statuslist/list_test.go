package statuslist

import (
	"bytes"
	"compress/zlib"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/limits"
)

// zlibZeros returns a zlib stream of n zero bytes, written in 1 MiB pieces.
func zlibZeros(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	require.NoError(t, err)
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		_, err := w.Write(chunk[:k])
		require.NoError(t, err)
		n -= k
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// TestDecompressionBomb checks that a small zlib stream that expands past
// the cap fails with ErrTooLarge, both alone and inside a token signed by a
// trusted issuer (the only way a bomb reaches the decompressor).
func TestDecompressionBomb(t *testing.T) {
	bomb := zlibZeros(t, 2*limits.MaxStatusListBytes) // 64 MiB of zeros
	t.Logf("bomb: %d bytes of zlib expand to %d bytes; cap %d bytes", len(bomb), 2*limits.MaxStatusListBytes, limits.MaxStatusListBytes)
	require.Less(t, len(bomb), 1<<20)
	for _, bits := range []int{1, 2, 4, 8} {
		_, err := decompress(bits, bomb)
		assert.ErrorIs(t, err, ErrTooLarge, "bits %d", bits)
	}
	// Exactly at the cap is accepted.
	a, err := decompress(2, zlibZeros(t, limits.MaxStatusListBytes))
	require.NoError(t, err)
	assert.Equal(t, limits.MaxStatusListBytes*4, a.size)

	// One byte more, signed by a trusted key: status.NewList refuses to
	// build it, so it is signed through the unexported path.
	k := testKeys(t)[1]
	tok, err := sign(k.signer, k.alg, []byte("k"), testIssuer, testToken(), 2, make([]byte, limits.MaxStatusListBytes+1))
	require.NoError(t, err)
	s, err := Parse(tok)
	require.NoError(t, err, "the bomb is not inflated before the signature checks")
	_, err = s.Verify(k.public())
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestDecompressRejects(t *testing.T) {
	good, err := compress([]byte{0x41})
	require.NoError(t, err)
	badSum := bytes.Clone(good)
	badSum[len(badSum)-1] ^= 1
	for _, tc := range []struct {
		name string
		bits int
		lst  []byte
	}{
		{"bits 0", 0, good},
		{"bits 3", 3, good},
		{"bits 16", 16, good},
		{"empty", 2, nil},
		{"truncated", 2, good[:len(good)-1]},
		{"bad checksum", 2, badSum},
		{"trailing bytes", 2, append(bytes.Clone(good), 1)},
		{"empty bit array", 2, zlibZeros(t, 0)},
		{"raw deflate, no zlib header", 2, good[2:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decompress(tc.bits, tc.lst)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
	a, err := decompress(2, good)
	require.NoError(t, err)
	s, err := a.get(0)
	require.NoError(t, err)
	assert.Equal(t, status.StatusRevoked, s)
}

// TestGetWidths reads one byte, 0b1110_0100, at every width the draft
// allows: entries come least significant first.
func TestGetWidths(t *testing.T) {
	for _, tc := range []struct {
		bits int
		want []status.Status
	}{
		{1, []status.Status{0, 0, 1, 0, 0, 1, 1, 1}},
		{2, []status.Status{0, 1, 2, 3}},
		{4, []status.Status{4, 14}},
		{8, []status.Status{0xe4}},
	} {
		a := bitArray{bits: tc.bits, size: 8 / tc.bits, data: []byte{0xe4}}
		for i, w := range tc.want {
			got, err := a.get(uint32(i))
			require.NoError(t, err)
			assert.Equal(t, w, got, "bits %d index %d", tc.bits, i)
		}
		for _, i := range []uint32{uint32(a.size), 1 << 31, ^uint32(0)} {
			_, err := a.get(i)
			assert.ErrorIs(t, err, ErrOutOfRange, "bits %d index %d", tc.bits, i)
		}
	}
	var zero List
	_, err := zero.Get(0)
	assert.ErrorIs(t, err, ErrOutOfRange, "a zero List is empty, not a panic")
}
