package redisreplay_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"
)

// The tests run against a real redis-server (Debian's package, which
// .ci/run installs), started by the tests themselves on a loopback port
// with a temporary directory of its own, and killed at cleanup. Where the
// binary is missing they skip with this message.
const missingServer = "redis-server not found on PATH: install it (apt-get install redis-server) to run the tests of verify/redisreplay against a real server"

// readyWait bounds how long a starting server may take to answer PING.
// It is a wait, not an assertion on speed.
const readyWait = 20 * time.Second

// redisServer is one redis-server process.
type redisServer struct {
	bin, dir string
	port     int
	args     []string
	mu       sync.Mutex
	cmd      *exec.Cmd
	waited   chan error
}

// Addr is the server's loopback address.
func (s *redisServer) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// redisBinary returns the path of redis-server, or skips tb.
func redisBinary(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip(missingServer)
	}
	return bin
}

// startRedis starts a server for tb with extra configuration arguments
// ("--maxmemory", "1mb", ...) and kills it at cleanup.
func startRedis(tb testing.TB, extra ...string) *redisServer {
	tb.Helper()
	bin := redisBinary(tb)
	s, err := launchRedis(bin, tb.TempDir(), extra...)
	require.NoError(tb, err)
	tb.Cleanup(s.Kill)
	return s
}

// launchRedis starts a server on a free loopback port with its files in
// dir, no persistence, and waits until it answers.
func launchRedis(bin, dir string, extra ...string) (*redisServer, error) {
	var last error
	for range 5 { // the free port can be taken between the probe and the bind
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &redisServer{bin: bin, dir: dir, port: port, args: extra}
		if last = s.Start(); last == nil {
			return s, nil
		}
	}
	return nil, last
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start starts (or restarts) the server on its port and waits for PING.
func (s *redisServer) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	args := append([]string{
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--logfile", filepath.Join(s.dir, "redis.log"),
		// Active expiry ten times as often as the default, so that the
		// expiry test sees DBSIZE fall soon.
		"--hz", "100",
	}, s.args...)
	if len(s.args) > 0 && !strings.HasPrefix(s.args[0], "--") {
		// A configuration file (a Sentinel's) comes first.
		args = append([]string{s.args[0]}, slices.Delete(args, len(args)-len(s.args), len(args)-len(s.args)+1)...)
	}
	cmd := exec.Command(s.bin, args...)
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1, DialTimeout: time.Second})
	defer c.Close()
	deadline := time.Now().Add(readyWait)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server exited (%v): %s", err, log)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			s.cmd = cmd
			// Wait is running in the goroutine above: Kill only signals
			// and then waits on the channel.
			s.waited = exited
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server on %s not answering after %v: %v", s.Addr(), readyWait, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Kill stops the server at once (SIGKILL: no goodbye to the clients, as in
// a crash or a cable pulled) and waits for it to exit. It may be called
// more than once.
func (s *redisServer) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.waited
	s.cmd = nil
}

// Pause stops the process without closing its sockets (SIGSTOP): the
// server accepts connections and never answers. Resume undoes it.
func (s *redisServer) Pause() error  { return s.signal(syscall.SIGSTOP) }
func (s *redisServer) Resume() error { return s.signal(syscall.SIGCONT) }

func (s *redisServer) signal(sig os.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return errors.New("server not running")
	}
	return s.cmd.Process.Signal(sig)
}

// Client returns a new client of the server, closed at cleanup.
func (s *redisServer) Client(tb testing.TB) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr()})
	tb.Cleanup(func() { c.Close() })
	return c
}
