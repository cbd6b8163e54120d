package sign1_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
)

// TestSigStructure checks the hand-written Sig_structure against
// codec.Marshal of ["Signature1", protected, external, payload] at every
// length where the bstr head grows, and that it allocates once.
func TestSigStructure(t *testing.T) {
	for _, n := range []int{0, 1, 23, 24, 255, 256, 65535, 65536} {
		field := bytes.Repeat([]byte{0x5a}, n)
		m := &sign1.Message{Protected: field, Payload: field}
		for _, external := range [][]byte{nil, {}, field} {
			got, err := m.SigStructure(external)
			require.NoError(t, err)
			ext := external
			if ext == nil {
				ext = []byte{}
			}
			want, err := codec.Marshal([]any{"Signature1", field, ext, field})
			require.NoError(t, err)
			assert.Equal(t, want, got, "length %d", n)
			assert.Equal(t, len(got), cap(got), "sized exactly")
		}
	}
	m := &sign1.Message{Protected: []byte{0xa1, 0x01, 0x26}, Payload: make([]byte, 300)}
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _, _ = m.SigStructure(nil) }))
}
