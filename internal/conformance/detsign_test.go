package conformance

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/testkit"
)

func TestDeterministicSigner(t *testing.T) {
	s, err := NewDeterministicSigner(testkit.P256("det"))
	require.NoError(t, err)
	for _, msg := range []string{"", "a", "ikd conformance"} {
		h := sha256.Sum256([]byte(msg))
		a, err := s.Sign(nil, h[:], crypto.SHA256)
		require.NoError(t, err)
		b, err := s.Sign(nil, h[:], crypto.SHA256)
		require.NoError(t, err)
		assert.Equal(t, a, b, "same digest, same signature")
		assert.True(t, ecdsa.VerifyASN1(s.Public().(*ecdsa.PublicKey), h[:], a), "signature verifies")
		other := sha256.Sum256([]byte(msg + "x"))
		assert.False(t, ecdsa.VerifyASN1(s.Public().(*ecdsa.PublicKey), other[:], a))
	}
	_, err = s.Sign(nil, []byte("short"), crypto.SHA256)
	assert.Error(t, err)
	_, err = NewDeterministicSigner(nil)
	assert.Error(t, err)
}
