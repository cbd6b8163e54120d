package sign1_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

func TestSignWithHeaderAndParseLarge(t *testing.T) {
	key := testkit.Ed25519("large")
	payload := bytes.Repeat([]byte{7}, 3*limits.MaxMessage)
	msg, err := sign1.SignWithHeader(nil, key, sign1.EdDSA, []byte("kid"), map[int]any{16: "application/example"}, payload)
	require.NoError(t, err)

	_, err = sign1.Parse(msg, allLabels)
	assert.ErrorIs(t, err, sign1.ErrMalformed, "over the QR-sized cap")

	m, err := sign1.ParseLarge(msg, len(msg), allLabels)
	require.NoError(t, err)
	assert.True(t, m.Tagged)
	assert.Equal(t, []byte("kid"), m.KeyID)
	require.NoError(t, m.Verify(sign1.EdDSA, key.Public(), nil))
	var hdr map[int64]any
	require.NoError(t, codec.Unmarshal(m.Protected, &hdr))
	assert.Equal(t, "application/example", hdr[16])

	_, err = sign1.ParseLarge(msg, len(msg)-1, allLabels)
	assert.ErrorIs(t, err, sign1.ErrMalformed, "one byte over the caller's cap")

	for _, label := range []int{1, 2, 4} {
		_, err := sign1.SignWithHeader(nil, key, sign1.EdDSA, nil, map[int]any{label: int64(1)}, []byte("x"))
		assert.Error(t, err, "label %d is reserved", label)
	}
}
