package exampleutil

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify"
)

func TestReplayFlags(t *testing.T) {
	parse := func(t *testing.T, args ...string) (*ReplayFlags, error) {
		t.Helper()
		fs := flag.NewFlagSet("scanner", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		r := RegisterReplay(fs)
		t.Cleanup(func() { r.Close() })
		return r, fs.Parse(args)
	}
	for _, tc := range []struct {
		name   string
		url    string
		client any // the client's type
	}{
		{"one server", "redis://127.0.0.1:6379/0", &redis.Client{}},
		{"one server with TLS", "rediss://replay.example:6380", &redis.Client{}},
		// redis.ParseURL refuses master_name: only the failover parser
		// takes it, and its client is a *redis.Client too.
		{"sentinel", "redis://127.0.0.1:26379?master_name=ikd&addr=127.0.0.1:26380", &redis.Client{}},
		{"cluster", "redis://127.0.0.1:7000?addr=127.0.0.1:7001&addr=127.0.0.1:7002", &redis.ClusterClient{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parse(t, "-replay", tc.url)
			require.NoError(t, err)
			assert.IsType(t, tc.client, r.client)
			assert.Len(t, r.Options(verify.WithClock(time.Now)), 2, "the clock and the store")
		})
	}
	for _, tc := range []struct{ name, url string }{
		{"unknown scheme", "http://127.0.0.1:6379"},
		{"unknown parameter", "redis://127.0.0.1:6379?bogus=1"},
		{"not a URL", "redis://[::1"},
	} {
		t.Run(tc.name+" is a flag error", func(t *testing.T) {
			_, err := parse(t, "-replay", tc.url)
			assert.Error(t, err)
		})
	}
	t.Run("twice is a flag error", func(t *testing.T) {
		_, err := parse(t, "-replay", "redis://127.0.0.1:1", "-replay", "redis://127.0.0.1:2")
		assert.Error(t, err)
	})
	t.Run("timeout must be positive", func(t *testing.T) {
		_, err := parse(t, "-replay", "redis://127.0.0.1:1", "-replay-timeout", "0s")
		assert.Error(t, err)
		r, err := parse(t, "-replay-timeout", "2s", "-replay", "redis://127.0.0.1:1")
		require.NoError(t, err)
		assert.Equal(t, 2*time.Second, r.Timeout)
	})
	t.Run("no -replay: the verifier's own store and the policy as given", func(t *testing.T) {
		r, err := parse(t, "-replay-fallback")
		require.NoError(t, err)
		assert.Len(t, r.Options(verify.WithClock(time.Now)), 1)
		assert.True(t, r.Policy(verify.AirlineCheckIn()).WarnOnReplayStoreDown)
		assert.NoError(t, r.Close())
	})
	t.Run("the policy is strict without -replay-fallback", func(t *testing.T) {
		r, err := parse(t, "-replay", "redis://127.0.0.1:1")
		require.NoError(t, err)
		assert.False(t, r.Policy(verify.AirlineCheckIn()).WarnOnReplayStoreDown)
	})
}
