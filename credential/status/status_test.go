package status

import (
	mrand "math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// chacha returns a deterministic random source for tests.
func chacha(seed byte) *mrand.ChaCha8 {
	var s [32]byte
	s[0] = seed
	return mrand.NewChaCha8(s)
}

func TestStatusString(t *testing.T) {
	for _, tc := range []struct {
		s    Status
		want string
	}{
		{StatusValid, "valid"}, {StatusRevoked, "revoked"}, {StatusSuspended, "suspended"}, {3, "Status(3)"}, {255, "Status(255)"},
	} {
		assert.Equal(t, tc.want, tc.s.String())
	}
}

func TestStatusValuesAreTheDrafts(t *testing.T) {
	// draft-ietf-oauth-status-list §7.1: VALID 0x00, INVALID 0x01,
	// SUSPENDED 0x02. Scanners of other implementations read these bits.
	assert.Equal(t, Status(0), StatusValid)
	assert.Equal(t, Status(1), StatusRevoked)
	assert.Equal(t, Status(2), StatusSuspended)
}
