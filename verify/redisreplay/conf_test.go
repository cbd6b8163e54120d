package redisreplay_test

// Issue 17, newcomer's item 5: the redis.conf of docs/replay-store.md is
// complete and works as written, and its gate user survives a restart
// (users given at run time with ACL SETUSER do not).

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/redistest"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// confFile is the configuration docs/replay-store.md shows, verbatim.
const confFile = "testdata/redis.conf"

// TestDocConfIsTestdata: the ```conf block of docs/replay-store.md, "A
// complete redis.conf", is testdata/redis.conf byte for byte.
func TestDocConfIsTestdata(t *testing.T) {
	doc, err := os.ReadFile("../../docs/replay-store.md")
	require.NoError(t, err)
	want, err := os.ReadFile(confFile)
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "\n## A complete redis.conf\n")
	require.True(t, ok, "no section \"A complete redis.conf\"")
	_, block, ok := strings.Cut(section, "\n```conf\n")
	require.True(t, ok, "no ```conf block in the section")
	block, _, ok = strings.Cut(block, "\n```\n")
	require.True(t, ok, "the ```conf block does not end")
	assert.Equal(t, string(want), block+"\n", "docs/replay-store.md and %s differ", confFile)
}

// confServer is a redis-server started on testdata/redis.conf, with only
// its port and directory given on the command line (a free port, a
// temporary directory).
type confServer struct {
	bin, dir, conf string
	port           int
	cmd            *exec.Cmd
	exited         chan error
}

func (s *confServer) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// start starts the server and waits until the gate's user can write.
func (s *confServer) start(t *testing.T) {
	t.Helper()
	require.NoError(t, s.tryStart(t))
}

// tryStart is start, returning an error when the server exits before it
// is ready (its port taken meanwhile, say).
func (s *confServer) tryStart(t *testing.T) error {
	t.Helper()
	s.cmd = exec.Command(s.bin, s.conf, "--port", strconv.Itoa(s.port), "--dir", s.dir,
		"--daemonize", "no", "--logfile", filepath.Join(s.dir, "redis.log"))
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	require.NoError(t, s.cmd.Start())
	s.exited = make(chan error, 1)
	go func(cmd *exec.Cmd, exited chan error) { exited <- cmd.Wait() }(s.cmd, s.exited)
	gate := s.client("gate", "CHANGE-ME-gate-password")
	defer gate.Close()
	deadline := time.Now().Add(redistest.ReadyWait)
	for {
		select {
		case err := <-s.exited:
			s.cmd = nil
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server exited (%v): %s", err, log)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := gate.Do(ctx, "set", "ikd:replay:gambir:ready", "1", "px", 1000).Err()
		cancel()
		if err == nil {
			return nil
		}
		require.True(t, time.Now().Before(deadline), "redis-server not ready after %v: %v", redistest.ReadyWait, err)
		time.Sleep(10 * time.Millisecond)
	}
}

// stop shuts the server down as systemd does (SIGTERM) and waits.
func (s *confServer) stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(redistest.ReadyWait):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

func (s *confServer) client(user, password string) *redis.Client {
	return redis.NewClient(&redis.Options{Addr: s.addr(), Username: user, Password: password, MaxRetries: -1})
}

// TestDocConf: redis-server started on the documented configuration
// serves the site's gates with exactly the documented permissions, never
// evicts, and after a restart still knows the gate's user and the codes
// it marked.
func TestDocConf(t *testing.T) {
	bin := redistest.Binary(t)
	dir := t.TempDir()
	conf, err := filepath.Abs(confFile)
	require.NoError(t, err)
	// A free port, tried again when another process takes it between
	// the probe and the server's start.
	s := &confServer{bin: bin, dir: dir, conf: conf}
	for attempt := 1; ; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		s.port = l.Addr().(*net.TCPAddr).Port
		require.NoError(t, l.Close())
		err = s.tryStart(t)
		if err == nil {
			break
		}
		require.Less(t, attempt, 5, "%v", err)
	}
	t.Cleanup(s.stop)
	ctx := context.Background()

	admin := s.client("admin", "CHANGE-ME-admin-password")
	t.Cleanup(func() { admin.Close() })
	for name, want := range map[string]string{"maxmemory-policy": "noeviction", "maxmemory": strconv.Itoa(64 << 20), "appendonly": "yes", "appendfsync": "everysec"} {
		got, err := admin.ConfigGet(ctx, name).Result()
		require.NoError(t, err)
		assert.Equal(t, want, got[name], name)
	}
	anonymous := s.client("", "")
	t.Cleanup(func() { anonymous.Close() })
	assert.Error(t, anonymous.Set(ctx, "ikd:replay:gambir:x", "1", time.Minute).Err(), "the default user is off")

	gateClient := s.client("gate", "CHANGE-ME-gate-password")
	t.Cleanup(func() { gateClient.Close() })
	store, err := redisreplay.New(gateClient, redisreplay.WithPrefix("ikd:replay:gambir:"), relaxed)
	require.NoError(t, err)
	t0 := time.Now()
	seen, err := store.CheckAndMark([32]byte{7}, t0.Add(time.Hour), t0)
	require.NoError(t, err)
	assert.False(t, seen)
	other, err := redisreplay.New(gateClient, redisreplay.WithPrefix("ikd:replay:gambir2:"), relaxed)
	require.NoError(t, err)
	_, err = other.CheckAndMark([32]byte{7}, t0.Add(time.Hour), t0)
	assert.ErrorContains(t, err, "NOPERM", "another site's keys")
	assert.True(t, redis.IsPermissionError(gateClient.FlushAll(ctx).Err()), "no FLUSHALL")

	s.stop()
	s.start(t)
	// The same clients reconnect: the gate's user is still there, and so
	// is the code it marked (appendonly).
	seen, err = store.CheckAndMark([32]byte{7}, t0.Add(time.Hour), t0)
	require.NoError(t, err, "the gate's user after the restart")
	assert.True(t, seen, "the code marked before the restart")
	_, err = s.client("gate", "wrong").Ping(ctx).Result()
	assert.True(t, err != nil && !errors.Is(err, context.DeadlineExceeded) && strings.HasPrefix(err.Error(), "WRONGPASS"), "a wrong password: %v", err)
}
