package redistest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServerLifecycle: a started server answers; paused, it accepts but
// does not answer; killed, it refuses; restarted, it answers on its port.
func TestServerLifecycle(t *testing.T) {
	s := Start(t)
	port := s.Port()
	require.NoError(t, ping(s.Addr()))
	require.NoError(t, s.Pause())
	assert.Error(t, ping(s.Addr()), "paused: no answer")
	require.NoError(t, s.Resume())
	assert.NoError(t, ping(s.Addr()))
	s.Kill()
	assert.Error(t, ping(s.Addr()), "killed: refused")
	assert.Error(t, s.Pause(), "nothing to pause")
	s.Kill() // again: a no-op
	require.NoError(t, s.Restart())
	assert.Equal(t, port, s.Port())
	assert.NoError(t, ping(s.Addr()))
	assert.Error(t, s.Restart(), "already running")
}
