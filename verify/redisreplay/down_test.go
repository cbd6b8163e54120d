package redisreplay_test

// Issue 17, second look: the store is "down" (verify.ErrReplayStoreDown,
// the only error under which Policy.WarnOnReplayStoreDown falls back) only
// when calls in a row failed to reach the server and a health check failed
// too; a slow answer, an error reply and an unexpected reply refuse under
// every policy.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

func fallbackPolicy() verify.Policy {
	p := verify.AirlineCheckIn()
	p.WarnOnReplayStoreDown = true
	return p
}

// TestErrorRepliesNeverDown: a server that answers with an error (a
// read-only replica, a user without the permission, a wrong password, no
// password, a database that does not exist) is up and misconfigured: the
// fallback gate refuses every code, however many, and never holds the
// store for down.
func TestErrorRepliesNeverDown(t *testing.T) {
	primary := startRedis(t)
	ctx := context.Background()
	admin := client(t, primary)
	require.NoError(t, admin.Do(ctx, append([]any{"ACL", "SETUSER", "other-site"}, fields("on >pw ~other:* resetchannels -@all +set +exists")...)...).Err())
	replica := startRedis(t, "--replicaof", "127.0.0.1", strconv.Itoa(primary.Port()))
	locked := startRedis(t)
	require.NoError(t, client(t, locked).ConfigSet(ctx, "requirepass", "secret").Err())
	for _, tc := range []struct {
		name  string
		opts  *redis.Options
		reply string // the start of the error reply
		what  string // what the detail says is wrong
	}{
		{"read-only replica", &redis.Options{Addr: replica.Addr()}, "READONLY", "replay store is a read-only replica (configuration fault"},
		{"no permission on the keys", &redis.Options{Addr: primary.Addr(), Username: "other-site", Password: "pw"}, "NOPERM", "replay store refused the gate's user the command or key (configuration fault"},
		{"wrong password", &redis.Options{Addr: primary.Addr(), Username: "other-site", Password: "wrong"}, "WRONGPASS", "replay store refused the gate's credentials (configuration fault"},
		{"no password", &redis.Options{Addr: locked.Addr()}, "NOAUTH", "replay store wants a password and the gate gave none (configuration fault"},
		{"no such database", &redis.Options{Addr: primary.Addr(), DB: 99}, "ERR DB index is out of range", "replay store has no such database (configuration fault"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			rc := redis.NewClient(tc.opts)
			t.Cleanup(func() { rc.Close() })
			c, err := redisreplay.New(rc, relaxed)
			require.NoError(t, err)
			v := w.gate(t, c, fallbackPolicy())
			// Ten times downAfter calls in a row: each is refused on the
			// server's own answer.
			for i := range 30 {
				_, err := v.VerifyText(w.code(t))
				require.ErrorIs(t, err, verify.ReasonReplayCheckFailed, "call %d accepted", i)
				assert.NotErrorIs(t, err, verify.ErrReplayStoreDown)
				assert.Contains(t, err.Error(), tc.reply)
				assert.Contains(t, err.Error(), tc.what)
				var rerr redis.Error
				assert.ErrorAs(t, err, &rerr, "the server's reply stays reachable")
			}
			assert.False(t, c.Down())
		})
	}
}

// TestSlowAnswerNeverDown: the server answers late (stopped, then resumed
// before the health check gives up). A gate with the fallback refuses
// every code meanwhile, among them one another gate accepted, and never
// holds the store for down; once the server answers again the code is
// refused as replayed. Before the fix a timed-out call fell back and the
// code was accepted twice.
func TestSlowAnswerNeverDown(t *testing.T) {
	s := startRedis(t)
	w := newWorld(t)
	a, err := redisreplay.New(client(t, s), relaxed)
	require.NoError(t, err)
	gateA := w.gate(t, a, verify.AirlineCheckIn())
	slow := redis.NewClient(&redis.Options{Addr: s.Addr(), DialTimeout: time.Minute, ReadTimeout: time.Minute, WriteTimeout: time.Minute})
	t.Cleanup(func() { slow.Close() })
	b, err := redisreplay.New(slow, redisreplay.WithTimeout(50*time.Millisecond))
	require.NoError(t, err)
	// The health check waits longer than the test keeps the server
	// stopped: the server is slow, not down.
	b.SetProbeTimeout(hangBound)
	gateB := w.gate(t, b, fallbackPolicy())
	// Warm B's connection on a code of its own (a loaded machine may take
	// more than 50 ms: retried on fresh codes until one is accepted).
	awaitAccepting(t, w, gateB)

	held := w.code(t)
	_, err = gateA.VerifyText(held)
	require.NoError(t, err)

	require.NoError(t, s.Pause())
	t.Cleanup(func() { _ = s.Resume() })
	texts := append([]string{held}, w.codes(t, 15)...)
	errs, _, _ := verdicts(gateB, texts)
	for i, err := range errs {
		require.ErrorIs(t, err, verify.ReasonReplayCheckFailed, "code %d accepted on a late answer", i)
		assert.NotErrorIs(t, err, verify.ErrReplayStoreDown)
	}
	assert.False(t, b.Down())
	require.NoError(t, s.Resume())
	awaitAccepting(t, w, gateB)
	_, err = gateB.VerifyText(held)
	assert.ErrorIs(t, err, verify.ReasonReplayed)
}

// fakeServer answers every SET with reply (raw RESP) and the commands a
// client sends on connecting as an old server would; it returns its
// address.
func fakeServer(t *testing.T, reply string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					args, err := readCommand(r)
					if err != nil {
						return
					}
					out := "+OK\r\n"
					switch strings.ToUpper(args[0]) {
					case "HELLO":
						out = "-ERR unknown command 'HELLO'\r\n"
					case "PING":
						out = "+PONG\r\n"
					case "SET":
						out = reply
					}
					if _, err := io.WriteString(conn, out); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// readCommand reads one RESP array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "*")))
	if err != nil || n < 1 || n > 64 {
		return nil, fmt.Errorf("bad array header %q", line)
	}
	args := make([]string, n)
	for i := range args {
		if _, err := r.ReadString('\n'); err != nil { // $len
			return nil, err
		}
		v, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		args[i] = strings.TrimSuffix(v, "\r\n")
	}
	return args, nil
}

// TestOddReplies: only the status OK is "not seen" and only nil "seen";
// every other reply to SET NX is an error (replay_check_failed), never an
// acceptance and never "down".
func TestOddReplies(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		name, reply string
		seen, ok    bool
	}{
		{"status OK", "+OK\r\n", false, true},
		{"nil bulk", "$-1\r\n", true, true},
		{"integer 1", ":1\r\n", false, false},
		{"integer 0", ":0\r\n", false, false},
		{"QUEUED", "+QUEUED\r\n", false, false},
		{"lower-case ok", "+ok\r\n", false, false},
		{"empty bulk", "$0\r\n\r\n", false, false},
		{"bulk OKK", "$3\r\nOKK\r\n", false, false},
		{"array of OK", "*1\r\n+OK\r\n", false, false},
		{"error reply", "-ERR no\r\n", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := redis.NewClient(&redis.Options{Addr: fakeServer(t, tc.reply), Protocol: 2})
			t.Cleanup(func() { rc.Close() })
			c, err := redisreplay.New(rc, relaxed)
			require.NoError(t, err)
			seen, err := c.CheckAndMark([32]byte{1}, t0.Add(time.Minute), t0)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, tc.seen, seen)
				return
			}
			require.Error(t, err)
			assert.False(t, seen)
			assert.NotErrorIs(t, err, verify.ErrReplayStoreDown)
		})
	}
}

// TestStoppedServerSaysWhy: with the server stopped (its port closed), the
// detail of a refused code names the dial error, not only the timeout,
// both while the calls fail and once the store is down.
func TestStoppedServerSaysWhy(t *testing.T) {
	s := startRedis(t)
	w := newWorld(t)
	c, err := redisreplay.New(client(t, s), relaxed)
	require.NoError(t, err)
	v := w.gate(t, c, verify.AirlineCheckIn())
	awaitAccepting(t, w, v)
	s.Kill()
	deadline := time.Now().Add(hangBound)
	for !c.Down() {
		require.True(t, time.Now().Before(deadline), "never down")
		_, err := v.VerifyText(w.code(t))
		require.ErrorIs(t, err, verify.ReasonReplayCheckFailed)
		time.Sleep(10 * time.Millisecond)
	}
	_, err = v.VerifyText(w.code(t))
	require.ErrorIs(t, err, verify.ErrReplayStoreDown)
	assert.Contains(t, err.Error(), "connection refused")
	assert.Contains(t, err.Error(), s.Addr())
}
