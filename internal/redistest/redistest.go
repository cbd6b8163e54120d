// Package redistest starts real redis-server processes for tests: on a
// free loopback port, with a temporary directory of their own and no
// persistence, killed at the test's cleanup. Tests that need a server skip
// with [MissingServer] where the binary is not installed (.ci/run installs
// Debian's redis-server). It is for tests only.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// MissingServer is the message of a test skipped for want of the binary.
const MissingServer = "redis-server not found on PATH: install it (apt-get install redis-server) to run this test against a real server"

// ReadyWait bounds how long a starting server may take to answer PING. It
// is a wait, not an assertion on speed.
const ReadyWait = 20 * time.Second

// Server is one redis-server process.
type Server struct {
	bin, dir string
	port     int
	args     []string
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan error
}

// Addr is the server's loopback address, host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// Port is the server's port.
func (s *Server) Port() int { return s.port }

// Binary returns the path of redis-server, or skips tb with MissingServer.
func Binary(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip(MissingServer)
	}
	return bin
}

// Start starts a server for tb with extra arguments (configuration
// directives such as "--maxmemory", "1mb"; a configuration file, such as a
// Sentinel's, first) and kills it at cleanup. It skips tb where the binary
// is missing.
func Start(tb testing.TB, extra ...string) *Server {
	tb.Helper()
	s, err := Launch(Binary(tb), tb.TempDir(), extra...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Kill)
	return s
}

// Launch starts bin on a free loopback port with its files in dir and
// waits until it answers. The caller kills it.
func Launch(bin, dir string, extra ...string) (*Server, error) {
	var last error
	for range 5 { // the free port can be taken between the probe and the bind
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &Server{bin: bin, dir: dir, port: port, args: extra}
		if last = s.Restart(); last == nil {
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

// Restart starts the server again on its port (after Kill) and waits
// until it answers PING.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return errors.New("redistest: server already running")
	}
	args := []string{
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--logfile", filepath.Join(s.dir, "redis.log"),
		// Active expiry ten times as often as the default, so that tests
		// waiting for keys to leave wait less.
		"--hz", "100",
	}
	extra := s.args
	if len(extra) > 0 && !strings.HasPrefix(extra[0], "--") {
		args = append([]string{extra[0]}, args...) // a configuration file comes first
		extra = extra[1:]
	}
	cmd := exec.Command(s.bin, append(args, extra...)...)
	// The server dies with the test process, even one that panics before
	// its cleanup runs (Linux).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(ReadyWait)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redistest: redis-server exited (%v): %s", err, log)
		default:
		}
		err := ping(s.Addr())
		if err == nil {
			s.cmd, s.exited = cmd, exited
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redistest: redis-server on %s not answering after %v: %v", s.Addr(), ReadyWait, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ping sends PING in the protocol's inline form and wants +PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(time.Second)); err != nil {
		return err
	}
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("redistest: PING answered %q", line)
	}
	return nil
}

// Kill stops the server at once (SIGKILL: no goodbye to its clients, as in
// a crash or a pulled cable) and waits for it to exit. It may be called
// more than once, and on a paused server.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Pause stops the process without closing its sockets (SIGSTOP): the
// server accepts connections and never answers. Resume undoes it.
func (s *Server) Pause() error { return s.signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() error { return s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig os.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return errors.New("redistest: server not running")
	}
	return s.cmd.Process.Signal(sig)
}
