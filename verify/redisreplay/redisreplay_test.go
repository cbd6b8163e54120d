package redisreplay_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// hangBound is what "within the timeout" is checked against: far more
// than the Cache's 50 ms default (so that a loaded machine cannot fail the
// test), far less than the minute the client itself would wait.
const hangBound = 20 * time.Second

// relaxed is the timeout of the tests whose subject is not the timeout: a
// loaded machine under -race can take longer than the default 50 ms to
// schedule a goroutine, and those tests must not fail for it.
var relaxed = redisreplay.WithTimeout(5 * time.Second)

func TestNew(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never contacted
	defer client.Close()
	cases := []struct {
		name string
		opts []redisreplay.Option
		ok   bool
	}{
		{"defaults", nil, true},
		{"all options", []redisreplay.Option{redisreplay.WithPrefix("gambir:"), redisreplay.WithTimeout(20 * time.Millisecond), redisreplay.WithClockMargin(0)}, true},
		{"prefix of 64 bytes", []redisreplay.Option{redisreplay.WithPrefix(strings.Repeat("p", 63) + ":")}, true},
		{"prefix of every allowed character", []redisreplay.Option{redisreplay.WithPrefix("AZaz09._-:")}, true},
		{"prefix not ending with a colon", []redisreplay.Option{redisreplay.WithPrefix("ikd:replay")}, false},
		{"prefix of one colon", []redisreplay.Option{redisreplay.WithPrefix(":")}, false},
		{"prefix with a NUL", []redisreplay.Option{redisreplay.WithPrefix("ikd\x00:")}, false},
		{"prefix with CR LF", []redisreplay.Option{redisreplay.WithPrefix("ikd\r\nFLUSHALL:")}, false},
		{"prefix with a tab", []redisreplay.Option{redisreplay.WithPrefix("ikd\t:")}, false},
		{"prefix with a space", []redisreplay.Option{redisreplay.WithPrefix("ikd replay:")}, false},
		{"prefix of invalid UTF-8", []redisreplay.Option{redisreplay.WithPrefix("ikd\xff:")}, false},
		{"prefix with a glob star", []redisreplay.Option{redisreplay.WithPrefix("ikd:*:")}, false},
		{"prefix with a glob class", []redisreplay.Option{redisreplay.WithPrefix("ikd:[a]:")}, false},
		{"prefix with a glob question mark", []redisreplay.Option{redisreplay.WithPrefix("ikd:?:")}, false},
		{"timeout of 1 ms", []redisreplay.Option{redisreplay.WithTimeout(time.Millisecond)}, true},
		{"timeout of 10 s", []redisreplay.Option{redisreplay.WithTimeout(10 * time.Second)}, true},
		{"timeout under 1 ms", []redisreplay.Option{redisreplay.WithTimeout(time.Millisecond - 1)}, false},
		{"timeout over 10 s", []redisreplay.Option{redisreplay.WithTimeout(10*time.Second + 1)}, false},
		{"timeout of a year", []redisreplay.Option{redisreplay.WithTimeout(365 * 24 * time.Hour)}, false},
		{"empty prefix", []redisreplay.Option{redisreplay.WithPrefix("")}, false},
		{"prefix of 65 bytes", []redisreplay.Option{redisreplay.WithPrefix(strings.Repeat("p", 64) + ":")}, false},
		{"prefix with a hash tag", []redisreplay.Option{redisreplay.WithPrefix("{gambir}:")}, false},
		{"prefix with a closing brace", []redisreplay.Option{redisreplay.WithPrefix("gambir}:")}, false},
		{"zero timeout", []redisreplay.Option{redisreplay.WithTimeout(0)}, false},
		{"negative timeout", []redisreplay.Option{redisreplay.WithTimeout(-time.Millisecond)}, false},
		{"negative margin", []redisreplay.Option{redisreplay.WithClockMargin(-time.Second)}, false},
		{"margin over an hour", []redisreplay.Option{redisreplay.WithClockMargin(time.Hour + time.Second)}, false},
		{"nil option", []redisreplay.Option{nil}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := redisreplay.New(client, tc.opts...)
			if tc.ok {
				require.NoError(t, err)
				assert.NotNil(t, c)
				return
			}
			assert.Error(t, err)
			assert.Nil(t, c)
		})
	}
	t.Run("a client that can wait forever", func(t *testing.T) {
		// NewClient changes the options it is given: each client its own.
		for _, o := range []func() *redis.Options{
			func() *redis.Options { return &redis.Options{Addr: "127.0.0.1:1", ReadTimeout: -1} },
			func() *redis.Options { return &redis.Options{Addr: "127.0.0.1:1", ReadTimeout: -2} },
			func() *redis.Options { return &redis.Options{Addr: "127.0.0.1:1", WriteTimeout: -1} },
		} {
			rc := redis.NewClient(o())
			defer rc.Close()
			c, err := redisreplay.New(rc)
			assert.Error(t, err, "%+v", o())
			assert.Nil(t, c)
			// With ContextTimeoutEnabled the store's deadline ends the wait.
			withCtx := o()
			withCtx.ContextTimeoutEnabled = true
			rc2 := redis.NewClient(withCtx)
			defer rc2.Close()
			require.True(t, rc2.Options().ReadTimeout <= 0 || rc2.Options().WriteTimeout <= 0, "still unbounded")
			_, err = redisreplay.New(rc2)
			assert.NoError(t, err)
		}
		cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, ReadTimeout: -1})
		defer cc.Close()
		_, err := redisreplay.New(cc)
		assert.Error(t, err)
	})
	t.Run("nil client", func(t *testing.T) {
		c, err := redisreplay.New(nil)
		assert.Error(t, err)
		assert.Nil(t, c)
	})
}

func TestKeyAndTTL(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer client.Close()
	c, err := redisreplay.New(client)
	require.NoError(t, err)
	var a, b [32]byte
	a[0], b[0] = 1, 2
	var tail [32]byte
	tail[31] = 9 // differs from the zero key only beyond the 16 bytes used
	t.Run("keys", func(t *testing.T) {
		assert.Equal(t, "ikd:replay:AQAAAAAAAAAAAAAAAAAAAA", c.Key(a))
		assert.Len(t, c.Key(b), len("ikd:replay:")+22, "fixed length")
		assert.NotEqual(t, c.Key(a), c.Key(b))
		assert.Equal(t, c.Key([32]byte{}), c.Key(tail), "only the first 16 bytes name the key")
		p, err := redisreplay.New(client, redisreplay.WithPrefix("gambir:"))
		require.NoError(t, err)
		assert.Equal(t, "gambir:AQAAAAAAAAAAAAAAAAAAAA", p.Key(a))
	})
	t0 := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		name          string
		expires, want time.Duration // after t0
		margin        time.Duration
	}{
		{"live code: 60 s + 5 min, plus the margin", 6 * time.Minute, 7 * time.Minute, time.Minute},
		{"rounded up to the millisecond", 6*time.Minute + time.Nanosecond, 6*time.Minute + time.Millisecond, 0},
		{"expiring now is held a millisecond", 0, time.Millisecond, 0},
		{"in the past is held a millisecond", -time.Hour, time.Millisecond, 0},
		{"margin added to a past expiry", -time.Second, 59 * time.Second, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := redisreplay.New(client, redisreplay.WithClockMargin(tc.margin))
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.TTL(t0.Add(tc.expires), t0))
		})
	}
}

// TestCheckAndMark: the store's contract on a real server.
func TestCheckAndMark(t *testing.T) {
	s := startRedis(t)
	admin := client(t, s)
	c, err := redisreplay.New(client(t, s), relaxed)
	require.NoError(t, err)
	t0 := time.Unix(1_800_000_000, 0)
	k1, k2 := [32]byte{1}, [32]byte{2}

	seen, err := c.CheckAndMark(k1, t0.Add(6*time.Minute), t0)
	require.NoError(t, err)
	assert.False(t, seen, "new")
	seen, err = c.CheckAndMark(k1, t0.Add(6*time.Minute), t0.Add(time.Second))
	require.NoError(t, err)
	assert.True(t, seen, "marked")
	seen, err = c.CheckAndMark(k2, t0.Add(6*time.Minute), t0)
	require.NoError(t, err)
	assert.False(t, seen, "another key")

	ctx := context.Background()
	assert.Equal(t, int64(2), admin.DBSize(ctx).Val())
	// On the server: the key, its value, its time to live (7 min for a
	// live code: its expiry plus 5 min plus the 1 min margin, counted by
	// the server from the SET).
	v, err := admin.Get(ctx, c.Key(k1)).Result()
	require.NoError(t, err)
	assert.Equal(t, "1", v)
	ttl, err := admin.PTTL(ctx, c.Key(k1)).Result()
	require.NoError(t, err)
	assert.LessOrEqual(t, ttl, 7*time.Minute)
	assert.Greater(t, ttl, 6*time.Minute, "the margin is there")
}

// TestTwoGatesOneServer: two gates (two verifiers with their own client,
// as two scanner programs) share one server; each verifies the same code
// from many goroutines at once. Every code is accepted exactly once in
// total, and every other attempt is replayed.
func TestTwoGatesOneServer(t *testing.T) {
	s := startRedis(t)
	w := newWorld(t)
	gate := func() *verify.Verifier {
		c, err := redisreplay.New(client(t, s), relaxed)
		require.NoError(t, err)
		return w.gate(t, c, verify.AirlineCheckIn())
	}
	gates := []*verify.Verifier{gate(), gate()}
	oncePerCode(t, gates, w.codes(t, 20), 16)
	assert.Equal(t, int64(20), client(t, s).DBSize(context.Background()).Val(), "one key per code")
}

// verdicts verifies texts from several goroutines (gates in a queue) and
// returns what each ended in, and the longest a verification took.
func verdicts(v *verify.Verifier, texts []string) (errs []error, warnings [][]verify.Reason, longest time.Duration) {
	errs = make([]error, len(texts))
	warnings = make([][]verify.Reason, len(texts))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, text := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			res, err := v.VerifyText(text)
			d := time.Since(start)
			errs[i] = err
			if res != nil {
				warnings[i] = res.Warnings
			}
			mu.Lock()
			longest = max(longest, d)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return errs, warnings, longest
}

// awaitDown verifies fresh codes until v accepts one with the fallback's
// warning, which it does only once c holds its server for down, for at
// most readyWait. Every code before is refused (replay_check_failed). It
// returns how many were refused.
func awaitDown(t *testing.T, w *world, v *verify.Verifier, c *redisreplay.Cache) int {
	t.Helper()
	deadline := time.Now().Add(readyWait)
	for refused := 0; ; refused++ {
		res, err := v.VerifyText(w.code(t))
		if err == nil {
			require.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, res.Warnings)
			require.True(t, c.Down())
			return refused
		}
		require.ErrorIs(t, err, verify.ReasonReplayCheckFailed)
		require.True(t, time.Now().Before(deadline), "not down %v after the server was killed", readyWait)
		time.Sleep(10 * time.Millisecond)
	}
}

// awaitAccepting verifies fresh codes until v accepts one on the store's
// answer (no warning), for at most readyWait: the client reconnects by
// itself. It returns how many were refused, or accepted by the fallback,
// first.
func awaitAccepting(t *testing.T, w *world, v *verify.Verifier) int {
	t.Helper()
	deadline := time.Now().Add(readyWait)
	for refused := 0; ; refused++ {
		res, err := v.VerifyText(w.code(t))
		if err == nil && len(res.Warnings) == 0 {
			return refused
		}
		if err == nil {
			require.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, res.Warnings)
		} else {
			require.ErrorIs(t, err, verify.ReasonReplayCheckFailed)
		}
		require.True(t, time.Now().Before(deadline), "no acceptance %v after the restart", readyWait)
		time.Sleep(10 * time.Millisecond)
	}
}

// TestServerStopped: the server is killed in the middle of a run. Every
// verification while it is down ends in replay_check_failed (or, under
// the fallback policy, is accepted with its warning), within the timeout;
// after a restart on the same port verification resumes by itself, with
// the same verifier, store and client.
func TestServerStopped(t *testing.T) {
	lenient := verify.AirlineCheckIn()
	lenient.WarnOnReplayStoreDown = true
	for _, tc := range []struct {
		name   string
		policy verify.Policy
	}{
		{"strict", verify.AirlineCheckIn()},
		{"fallback", lenient},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startRedis(t)
			w := newWorld(t)
			// The client's own timeouts are a minute: only the Cache's
			// (1 s here, so that a loaded machine accepts the codes before
			// and after) can bound a call.
			client := redis.NewClient(&redis.Options{Addr: s.Addr(), DialTimeout: time.Minute, ReadTimeout: time.Minute, WriteTimeout: time.Minute})
			t.Cleanup(func() { client.Close() })
			c, err := redisreplay.New(client, redisreplay.WithTimeout(time.Second))
			require.NoError(t, err)
			v := w.gate(t, c, tc.policy)

			before := w.codes(t, 8)
			errs, warnings, _ := verdicts(v, before)
			for i := range errs {
				require.NoError(t, errs[i])
				require.Empty(t, warnings[i])
			}

			s.Kill()
			if tc.policy.WarnOnReplayStoreDown {
				// The fallback waits until the Cache knows the server
				// down (calls in a row that failed, then a failed
				// health check): until then it refuses.
				refused := awaitDown(t, w, v, c)
				t.Logf("server killed: %d refused before the fallback", refused)
			}
			during := w.codes(t, 32)
			errs, warnings, longest := verdicts(v, during)
			for i, err := range errs {
				if tc.policy.WarnOnReplayStoreDown {
					require.NoError(t, err)
					assert.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, warnings[i])
					continue
				}
				var verr *verify.Error
				require.ErrorAs(t, err, &verr)
				assert.Equal(t, verify.ReasonReplayCheckFailed, verr.Reason, "never an acceptance: %v", err)
			}
			assert.Less(t, longest, hangBound)
			t.Logf("server down: %d verifications, the longest took %v", len(during), longest)
			if tc.policy.WarnOnReplayStoreDown {
				// A code accepted before the outage is still refused here.
				_, err := v.VerifyText(before[0])
				assert.ErrorIs(t, err, verify.ReasonReplayed)
			}

			require.NoError(t, s.Restart())
			refused := awaitAccepting(t, w, v)
			t.Logf("after the restart: %d refused before the first acceptance", refused)
			errs, warnings, _ = verdicts(v, w.codes(t, 8))
			for i := range errs {
				assert.NoError(t, errs[i])
				assert.Empty(t, warnings[i], "the store answers again")
			}
			if tc.policy.WarnOnReplayStoreDown {
				// Accepted during the outage, unknown to the restarted
				// server: still refused here.
				_, err := v.VerifyText(during[0])
				assert.ErrorIs(t, err, verify.ReasonReplayed)
				// And written back to the server once it answered
				// again, so that another gate (its own client, its own
				// verifier, strict) refuses them too. The write-back
				// runs in the background: wait for the keys (10 s is far
				// above the expected milliseconds).
				admin := adminOf(t, s)
				keys := make([]string, len(during))
				for i, text := range during {
					keys[i] = c.Key(replayKey(t, text))
				}
				require.Eventually(t, func() bool {
					n, err := admin.Exists(context.Background(), keys...).Result()
					return err == nil && n == int64(len(keys))
				}, 10*time.Second, 5*time.Millisecond, "the codes accepted in the outage were not written back")
				other, err := redisreplay.New(adminOf(t, s), relaxed)
				require.NoError(t, err)
				gate2 := w.gate(t, other, verify.AirlineCheckIn())
				for _, text := range during {
					_, err := gate2.VerifyText(text)
					assert.ErrorIs(t, err, verify.ReasonReplayed)
				}
			}
		})
	}
}

// TestServerHangs: the server accepts connections and never answers (the
// process is stopped, its sockets open). Every call ends at the Cache's
// timeout with an error, never waiting for the client's minute.
func TestServerHangs(t *testing.T) {
	s := startRedis(t)
	w := newWorld(t)
	client := redis.NewClient(&redis.Options{Addr: s.Addr(), DialTimeout: time.Minute, ReadTimeout: time.Minute, WriteTimeout: time.Minute})
	t.Cleanup(func() { client.Close() })
	c, err := redisreplay.New(client, redisreplay.WithTimeout(time.Second))
	require.NoError(t, err)
	v := w.gate(t, c, verify.AirlineCheckIn())
	_, err = v.VerifyText(w.code(t))
	require.NoError(t, err)

	require.NoError(t, s.Pause())
	t.Cleanup(func() { _ = s.Resume() })
	errs, _, longest := verdicts(v, w.codes(t, 16))
	for _, err := range errs {
		assert.ErrorIs(t, err, verify.ReasonReplayCheckFailed)
		assert.ErrorIs(t, err, redisreplay.ErrTimeout, "the Cache's own bound ended it")
	}
	assert.Less(t, longest, hangBound)
	t.Logf("server hung: the longest verification took %v (timeout 1 s)", longest)

	require.NoError(t, s.Resume())
	refused := awaitAccepting(t, w, v)
	t.Logf("after the server resumed: %d refused before the first acceptance", refused)
}

// TestEntriesExpire: keys carry the time to live the verifier needs, and
// the server drops them by itself once it has passed: no unbounded growth.
func TestEntriesExpire(t *testing.T) {
	s := startRedis(t)
	admin := client(t, s)
	ctx := context.Background()

	t.Run("a verified code is held for its expiry plus 5 min plus the margin", func(t *testing.T) {
		w := newWorld(t)
		c, err := redisreplay.New(client(t, s), relaxed, redisreplay.WithPrefix("verified:"))
		require.NoError(t, err)
		v := w.gate(t, c, verify.AirlineCheckIn())
		res, err := v.VerifyText(w.code(t))
		require.NoError(t, err)
		want := res.Expires.Add(5*time.Minute + time.Minute).Sub(now()) // verify's largest skew, the margin
		keys, err := admin.Keys(ctx, "verified:*").Result()
		require.NoError(t, err)
		require.Len(t, keys, 1)
		ttl, err := admin.PTTL(ctx, keys[0]).Result()
		require.NoError(t, err)
		assert.LessOrEqual(t, ttl, want)
		assert.Greater(t, ttl, want-time.Minute)
	})

	t.Run("expired keys leave the server", func(t *testing.T) {
		c, err := redisreplay.New(client(t, s), relaxed, redisreplay.WithPrefix("short:"), redisreplay.WithClockMargin(0))
		require.NoError(t, err)
		t0 := time.Unix(1_800_000_000, 0)
		const n = 500
		for i := range n {
			seen, err := c.CheckAndMark([32]byte{byte(i), byte(i >> 8), 7}, t0.Add(time.Duration(1+i%50)*time.Millisecond), t0)
			require.NoError(t, err)
			require.False(t, seen)
		}
		held := func() int {
			keys, err := admin.Keys(ctx, "short:*").Result()
			require.NoError(t, err)
			return len(keys)
		}
		// KEYS, unlike DBSIZE, leaves out keys past their time that active
		// expiry has not reclaimed yet; both must reach zero.
		deadline := time.Now().Add(readyWait)
		for held() > 0 || admin.DBSize(ctx).Val() > 1 { // the verified code above is still held
			require.True(t, time.Now().Before(deadline), "keys still held %v later: %d", readyWait, admin.DBSize(ctx).Val())
			time.Sleep(20 * time.Millisecond)
		}
		info, err := admin.Info(ctx, "stats").Result()
		require.NoError(t, err)
		assert.Contains(t, info, "expired_keys:", "the server counted them")
		seen, err := c.CheckAndMark([32]byte{0, 0, 7}, t0.Add(time.Minute), t0)
		require.NoError(t, err)
		assert.False(t, seen, "an expired code is not seen")
	})
}

// TestServerFull: a server at its maxmemory with noeviction (the setting
// docs/replay-store.md asks for) refuses new keys rather than evict live
// ones; the verifier refuses the code (replay_check_failed) and every code
// already held is still replayed.
func TestServerFull(t *testing.T) {
	s := startRedis(t, "--maxmemory", "2mb", "--maxmemory-policy", "noeviction")
	admin := client(t, s)
	ctx := context.Background()
	c, err := redisreplay.New(client(t, s), relaxed)
	require.NoError(t, err)
	t0 := time.Unix(1_800_000_000, 0)
	var held int
	var full error
	for i := 0; i < 1_000_000 && full == nil; i++ {
		var seen bool
		seen, full = c.CheckAndMark([32]byte{byte(i), byte(i >> 8), byte(i >> 16), 1}, t0.Add(time.Hour), t0)
		if full == nil {
			require.False(t, seen)
			held++
		}
	}
	require.Error(t, full, "the server filled up")
	assert.Equal(t, int64(held), admin.DBSize(ctx).Val(), "nothing evicted")
	for i := range held {
		seen, err := c.CheckAndMark([32]byte{byte(i), byte(i >> 8), byte(i >> 16), 1}, t0.Add(time.Hour), t0)
		require.NoError(t, err, "a key held is still answered when full")
		require.True(t, seen, "key %d forgotten", i)
	}
	w := newWorld(t)
	_, err = w.gate(t, c, verify.AirlineCheckIn()).VerifyText(w.code(t))
	assert.ErrorIs(t, err, verify.ReasonReplayCheckFailed)
	t.Logf("2 MB of maxmemory held %d codes", held)
}

// TestTooManyWaiting: while the server hangs, calls beyond the bound on
// those waiting fail at once instead of piling up.
func TestTooManyWaiting(t *testing.T) {
	s := startRedis(t)
	// Long client timeouts, so that a call holds its slot until the
	// Cache's own timeout ends it (not a dial or read timeout before).
	client := redis.NewClient(&redis.Options{
		Addr:        s.Addr(),
		DialTimeout: time.Minute,
		ReadTimeout: time.Minute,
		PoolSize:    2 * redisreplay.MaxInFlight,
	})
	t.Cleanup(func() { client.Close() })
	c, err := redisreplay.New(client, redisreplay.WithTimeout(10*time.Second))
	require.NoError(t, err)
	t0 := time.Unix(1_800_000_000, 0)
	_, err = c.CheckAndMark([32]byte{1}, t0.Add(time.Minute), t0)
	require.NoError(t, err)
	require.NoError(t, s.Pause())
	t.Cleanup(func() { _ = s.Resume() })
	var wg sync.WaitGroup
	for i := range redisreplay.MaxInFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.CheckAndMark([32]byte{2, byte(i), byte(i >> 8)}, t0.Add(time.Minute), t0)
		}()
	}
	// Wait until every slot is taken: each call holds its slot for the
	// 10 s timeout, so the next call finds none free.
	require.Eventually(t, func() bool { return c.Waiting() == redisreplay.MaxInFlight },
		readyWait, time.Millisecond, "the calls never took every slot")
	_, err = c.CheckAndMark([32]byte{3}, t0.Add(time.Minute), t0)
	assert.ErrorIs(t, err, redisreplay.ErrTooManyWaiting)
	assert.False(t, c.Down(), "turned away is not down")
	require.NoError(t, s.Resume())
	wg.Wait()
}
