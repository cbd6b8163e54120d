package sign1

import (
	"encoding/asn1"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppendDERSignature checks the r‖s to DER conversion against
// encoding/asn1 at the edges: leading zero bytes, high bits that need a
// zero byte in front, zero, and the largest values.
func TestAppendDERSignature(t *testing.T) {
	scalar := func(first byte, fill byte) []byte {
		b := make([]byte, p256ScalarSize)
		for i := range b {
			b[i] = fill
		}
		b[0] = first
		return b
	}
	scalars := [][]byte{
		scalar(0x00, 0x00), scalar(0x00, 0x01), scalar(0x01, 0x00), scalar(0x7f, 0xff),
		scalar(0x80, 0x00), scalar(0xff, 0xff), scalar(0x00, 0x80),
		append(make([]byte, p256ScalarSize-1), 0x80), append(make([]byte, p256ScalarSize-1), 0x7f),
	}
	for _, r := range scalars {
		for _, s := range scalars {
			want, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(r), new(big.Int).SetBytes(s)})
			require.NoError(t, err)
			var buf [derSignatureMax]byte
			got := appendDERSignature(buf[:0], append(append([]byte{}, r...), s...))
			assert.Equal(t, want, got, "r=%x s=%x", r, s)
			assert.LessOrEqual(t, len(got), derSignatureMax)
		}
	}
}
