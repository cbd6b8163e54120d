package redisreplay_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify/redisreplay"
)

// gateACL is the ACL rule docs/replay-store.md gives for a gate's user:
// SET and EXISTS on the prefix's keys, nothing else but what a client
// needs to connect.
const gateACL = "on >gate-password ~ikd:replay:* resetchannels -@all +set +exists"

// clusterGateACL adds what a Cluster client asks each node for: the slots
// and the commands' key positions.
const clusterGateACL = gateACL + " +cluster|slots +command"

// TestGateACL: a gate's user with only gateACL checks and marks codes, and
// can do nothing else.
func TestGateACL(t *testing.T) {
	s := startRedis(t)
	ctx := context.Background()
	require.NoError(t, client(t, s).Do(ctx, append([]any{"ACL", "SETUSER", "gate"}, fields(gateACL)...)...).Err())
	gate := redis.NewClient(&redis.Options{Addr: s.Addr(), Username: "gate", Password: "gate-password"})
	t.Cleanup(func() { gate.Close() })
	c, err := redisreplay.New(gate, relaxed)
	require.NoError(t, err)
	t0 := time.Unix(1_800_000_000, 0)
	seen, err := c.CheckAndMark([32]byte{1}, t0.Add(time.Minute), t0)
	require.NoError(t, err)
	assert.False(t, seen)
	seen, err = c.CheckAndMark([32]byte{1}, t0.Add(time.Minute), t0)
	require.NoError(t, err)
	assert.True(t, seen)
	assert.True(t, redis.IsPermissionError(gate.FlushAll(ctx).Err()), "no FLUSHALL")
	assert.True(t, redis.IsPermissionError(gate.Get(ctx, c.Key([32]byte{1})).Err()), "no GET")
	assert.True(t, redis.HasErrorPrefix(gate.Set(ctx, "other:key", "1", time.Minute).Err(), "NOPERM"), "no keys outside the prefix")
	assert.True(t, redis.IsPermissionError(gate.Del(ctx, c.Key([32]byte{1})).Err()), "no DEL")
}

func fields(s string) []any {
	var out []any
	for _, f := range strings.Fields(s) {
		out = append(out, f)
	}
	return out
}
