package redisreplay_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/ikdgo/ikd/internal/redistest"
)

// The tests run against real redis-server processes (Debian's package,
// which .ci/run installs) that internal/redistest starts on loopback ports
// with temporary directories of their own and kills at cleanup; where the
// binary is missing they skip with redistest.MissingServer.

// readyWait bounds the waits of these tests for a server to come back.
const readyWait = redistest.ReadyWait

var startRedis = redistest.Start

// client returns a new client of s, closed at cleanup.
var adminOf = client

func client(tb testing.TB, s *redistest.Server) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr()})
	tb.Cleanup(func() { c.Close() })
	return c
}
