package redisreplay

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ikdgo/ikd/verify"
)

const (
	// defaultPrefix is the prefix of every key the Cache writes.
	defaultPrefix = "ikd:replay:"
	// maxPrefix bounds the prefix: every key carries it, and the server
	// holds it once per live code.
	maxPrefix = 64
	// defaultTimeout is the longest a call waits for the server. A
	// round trip on a station's LAN is well under a millisecond and a
	// verification about 150 µs; 50 ms is invisible at a gate and long
	// enough for a busy server.
	defaultTimeout = 50 * time.Millisecond
	// defaultClockMargin is added to every time to live for the
	// difference between the clocks of the gates sharing the store.
	defaultClockMargin = time.Minute
	// maxClockMargin bounds WithClockMargin: more would only hold codes
	// for no one.
	maxClockMargin = time.Hour
	// maxInFlight bounds the calls waiting for the server at once; beyond
	// it calls fail at once instead of piling up while the server is
	// unreachable.
	maxInFlight = 1024
	// minTimeout and maxTimeout bound WithTimeout: below a millisecond
	// every call on a real network fails; above ten seconds a queue at
	// the gate would stand still behind a store that does not answer.
	minTimeout = time.Millisecond
	maxTimeout = 10 * time.Second
	// downAfter is how many calls in a row must fail to reach the server
	// (no answer within the timeout, a connection refused or cut) before
	// the Cache checks its health.
	downAfter = 3
	// minProbeTimeout is the least a health check waits for the server
	// (and at least twice the call timeout): a server that answers
	// within it is slow, not down.
	minProbeTimeout = time.Second
	// probeInterval is the pause between the health checks of a server
	// found down.
	probeInterval = 100 * time.Millisecond
	// keyBytes is how much of the replay key (a SHA-256 digest) names the
	// Redis key.
	keyBytes = 16
)

// Cache is a verify.ReplayCache on Redis. It is safe for concurrent use.
type Cache struct {
	client       redis.UniversalClient
	prefix       string
	timeout      time.Duration
	probeTimeout time.Duration
	margin       time.Duration
	slots        chan struct{}
	// failures counts the calls in a row that did not reach the server;
	// at downAfter a health check starts (probing), which sets down
	// while the server cannot be reached at all.
	failures atomic.Int32
	probing  atomic.Bool
	down     atomic.Bool
	// unreached is the last error of a call or health check that failed
	// to reach the server (a dial error such as "connection refused"),
	// shown with the timeouts and the outage; nil once the server answers.
	unreached atomic.Pointer[string]
}

var _ verify.ReplayCache = (*Cache)(nil)

// Option configures a Cache.
type Option func(*config) error

type config struct {
	prefix  string
	timeout time.Duration
	margin  time.Duration
}

// WithPrefix sets the prefix of the keys (default "ikd:replay:"). It must
// be 2 to 64 bytes of A-Z, a-z, 0-9, '.', '_', '-' and ':', and end with
// ':' (no '{' or '}', which would make a Cluster put every key in one
// slot; no glob characters, which would widen an ACL key pattern; no
// spaces or control characters). Gates that share a store must use the
// same prefix; sites that share a server each use their own, such as
// "ikd:replay:gambir:" (docs/replay-store.md, "Access control").
func WithPrefix(p string) Option {
	return func(c *config) error {
		if !validPrefix(p) {
			return fmt.Errorf("redisreplay: prefix %q: want 2 to %d bytes of A-Z a-z 0-9 . _ - :, ending with ':'", p, maxPrefix)
		}
		c.prefix = p
		return nil
	}
}

// validPrefix reports whether p is a prefix WithPrefix accepts.
func validPrefix(p string) bool {
	if len(p) < 2 || len(p) > maxPrefix || p[len(p)-1] != ':' {
		return false
	}
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9', b == '.', b == '_', b == '-', b == ':':
		default:
			return false
		}
	}
	return true
}

// WithTimeout sets how long one call waits for the server (default 50 ms)
// before it returns an error: 1 ms to 10 s.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < minTimeout || d > maxTimeout {
			return fmt.Errorf("redisreplay: timeout %v: want %v to %v", d, minTimeout, maxTimeout)
		}
		c.timeout = d
		return nil
	}
}

// WithClockMargin sets how much longer than the verifier asks a code is
// held (default one minute): at least how far the clocks of the gates
// sharing the store may differ from each other. It must be between 0 and
// one hour.
func WithClockMargin(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > maxClockMargin {
			return fmt.Errorf("redisreplay: clock margin %v: want 0 to %v", d, maxClockMargin)
		}
		c.margin = d
		return nil
	}
}

// New returns a Cache that keeps its keys on the server (or servers) of
// client: a *redis.Client, a Sentinel *redis.Client from
// redis.NewFailoverClient, a *redis.ClusterClient, or what
// redis.NewUniversalClient returns. It does not contact the server: a gate
// that starts while the server is down refuses codes
// (verify.ReasonReplayCheckFailed) until it is back. It returns an error
// for a nil client, a bad option, and a *redis.Client or
// *redis.ClusterClient whose socket waits are unbounded (a read or write
// timeout of -1 or -2) without ContextTimeoutEnabled: its connections
// stuck on a network cut would never end, and the gate would refuse every
// code after the network is back (see the package documentation,
// "Failure").
func New(client redis.UniversalClient, opts ...Option) (*Cache, error) {
	if client == nil {
		return nil, errors.New("redisreplay: New: nil client")
	}
	var bounded, ctxTimeout bool
	switch cl := client.(type) {
	case *redis.Client:
		o := cl.Options()
		bounded, ctxTimeout = o.ReadTimeout > 0 && o.WriteTimeout > 0, o.ContextTimeoutEnabled
	case *redis.ClusterClient:
		o := cl.Options()
		bounded, ctxTimeout = o.ReadTimeout > 0 && o.WriteTimeout > 0, o.ContextTimeoutEnabled
	default:
		bounded = true // another client: its own business
	}
	if !bounded && !ctxTimeout {
		return nil, errors.New("redisreplay: New: the client's read or write timeout is unbounded and ContextTimeoutEnabled is off: a connection stuck on a network cut would never end")
	}
	c := config{prefix: defaultPrefix, timeout: defaultTimeout, margin: defaultClockMargin}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("redisreplay: nil Option")
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	return &Cache{
		client: client, prefix: c.prefix, timeout: c.timeout, probeTimeout: max(minProbeTimeout, 2*c.timeout),
		margin: c.margin, slots: make(chan struct{}, maxInFlight),
	}, nil
}

// key returns the Redis key under which the Cache records replay key k:
// the prefix followed by the first 16 bytes of k in unpadded base64url.
func (c *Cache) key(k [32]byte) string {
	return c.prefix + base64.RawURLEncoding.EncodeToString(k[:keyBytes])
}

// ttl returns the time to live the Cache gives a code to be remembered
// until expires, asked at now: expires − now + the clock margin, rounded up
// to a whole millisecond, and at least one millisecond.
func (c *Cache) ttl(expires, now time.Time) time.Duration {
	ttl := expires.Sub(now) + c.margin
	if r := ttl % time.Millisecond; r != 0 {
		ttl += time.Millisecond - r
	}
	return max(ttl, time.Millisecond)
}

// The errors of CheckAndMark that the package itself decides; the
// verifier treats every error alike (fail closed) but ErrReplayStoreDown,
// so they are not exported.
var (
	errTimeout        = errors.New("redisreplay: no answer within the timeout")
	errTooManyWaiting = fmt.Errorf("redisreplay: %d calls already waiting for the server", maxInFlight)
	errDown           = fmt.Errorf("redisreplay: %w: a health check could not reach the server", verify.ErrReplayStoreDown)
)

// downError is errDown with the health check's own error, such as
// "dial tcp 10.0.0.5:6379: connect: connection refused".
type downError struct{ cause string }

func (e downError) Error() string {
	if e.cause == "" {
		return errDown.Error()
	}
	return errDown.Error() + ": " + e.cause
}

func (e downError) Unwrap() error { return errDown }

// refusal is an error reply of the server explained for the operator: the
// reply says what the server refused, what names the fault (a
// configuration fault unless transient), so that a verdict's detail never
// leaves "try again" as the only advice. It unwraps to the reply.
type refusal struct {
	err  error
	what string
}

func (e refusal) Error() string { return e.what + ": " + e.err.Error() }
func (e refusal) Unwrap() error { return e.err }

// refusals are the error replies the Cache explains, by prefix, and what
// each means. Every one but LOADING and OOM is a configuration fault that
// no retry mends.
var refusals = []struct{ prefix, what string }{
	{"WRONGPASS", "replay store refused the gate's credentials (configuration fault: check the gate's user name and password; retrying does not help)"},
	{"NOAUTH", "replay store wants a password and the gate gave none (configuration fault: give the gate's user and password; retrying does not help)"},
	{"NOPERM", "replay store refused the gate's user the command or key (configuration fault: check the user's ACL and the key prefix; retrying does not help)"},
	{"READONLY", "replay store is a read-only replica (configuration fault: point the gate at the master, or at Sentinel with master_name; retrying does not help)"},
	{"MOVED", "replay store is a Cluster node behind a single-server client (configuration fault: give every node; retrying does not help)"},
	{"ASK", "replay store is a Cluster node behind a single-server client (configuration fault: give every node; retrying does not help)"},
	{"ERR DB index is out of range", "replay store has no such database (configuration fault: check the URL's /DB; retrying does not help)"},
	{"LOADING", "replay store is loading its data after a restart (transient: it answers once loaded)"},
	{"OOM", "replay store is full at its maxmemory (the operator must raise maxmemory; new codes are refused until keys expire)"},
}

// explain wraps an error reply of the server in a refusal saying what it
// means; other errors are returned as they are.
func explain(err error) error {
	var rerr redis.Error
	if !errors.As(err, &rerr) {
		return err
	}
	for _, r := range refusals {
		if strings.HasPrefix(rerr.Error(), r.prefix) {
			return refusal{err, r.what}
		}
	}
	return refusal{err, "replay store answered with an error (a fault of the server or its configuration, not an outage)"}
}

// unexpectedReply is the error of a reply to SET NX that is neither the
// status OK nor nil.
type unexpectedReply struct{ v any }

func (e unexpectedReply) Error() string {
	return fmt.Sprintf("redisreplay: SET NX: unexpected reply %T %q", e.v, fmt.Sprint(e.v))
}

type answer struct {
	stored bool
	err    error
}

// CheckAndMark implements verify.ReplayCache with one SET NX PX: it
// reports whether key was already recorded, and records it otherwise, for
// expires − now plus the clock margin (see the package documentation,
// "Expiry"). The reply must be the status OK (recorded: not seen) or nil
// (seen); anything else is an error. It returns an error, and no answer,
// when the server cannot be asked, refuses the command (an error reply:
// READONLY, NOPERM, WRONGPASS, NOAUTH, MOVED, LOADING, ...) or does not
// answer within the timeout, and when 1,024 calls are already waiting for
// it. Only while the server is known down (see the package documentation,
// "Failure") is the error one wrapping verify.ErrReplayStoreDown. A server
// full under maxmemory-policy noeviction refuses every write: a second
// command (EXISTS) then still answers "seen" for a code it holds, and a
// new code is an error.
func (c *Cache) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	if c.down.Load() {
		return false, c.downErr()
	}
	select {
	case c.slots <- struct{}{}:
	default:
		c.failed()
		return false, errTooManyWaiting
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	// The command runs in its own goroutine so that the timeout holds
	// whatever the client's settings: a client without
	// ContextTimeoutEnabled ignores the context's deadline on the socket
	// and waits its own ReadTimeout (5 s by default). The goroutine ends
	// with the client's own timeouts; the slot it holds until then bounds
	// how many can wait.
	done := make(chan answer, 1)
	k, ttl := c.key(key), c.ttl(expires, now)
	go func() {
		defer func() { <-c.slots }()
		stored, err := c.setNX(ctx, k, ttl)
		c.noteUnreached(err)
		if redis.IsOOMError(err) {
			// A server at its maxmemory under noeviction refuses every
			// write, even of a key it holds, but still reads: a code it
			// holds is still answered as seen, as the in-memory store
			// does when full; a new one cannot be recorded (the error).
			if n, xerr := c.client.Exists(ctx, k).Result(); xerr == nil && n == 1 {
				stored, err = false, nil
			}
		}
		done <- answer{stored, err}
	}()
	var a answer
	select {
	case a = <-done:
	case <-ctx.Done():
		// The answer may have come while this goroutine waited for a CPU
		// (a busy process): take it rather than fail a code it answered.
		select {
		case a = <-done:
		default:
			a.err = fmt.Errorf("%w (%v)", errTimeout, c.timeout)
		}
	}
	switch {
	case a.err == nil:
		c.answered()
		return !a.stored, nil
	case reached(a.err):
		// The server answered: it is up, and refuses (a configuration
		// or permission error, fail closed under every policy).
		c.answered()
		return false, fmt.Errorf("redisreplay: SET NX: %w", explain(a.err))
	default:
		c.failed()
	}
	if errors.Is(a.err, errTimeout) {
		if u := c.unreached.Load(); u != nil {
			return false, fmt.Errorf("%w; the last attempt to reach the server: %s", a.err, *u)
		}
		return false, a.err
	}
	return false, fmt.Errorf("redisreplay: SET NX: %w", a.err)
}

// answered records a call answered by the server.
func (c *Cache) answered() {
	c.failures.Store(0)
	c.unreached.Store(nil)
}

// noteUnreached records err, of a command that did not reach the server,
// for the errors of the calls that time out meanwhile; a deadline or
// cancellation says nothing the timeout does not.
func (c *Cache) noteUnreached(err error) {
	if err == nil || reached(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.Is(err, errTimeout) {
		return
	}
	msg := err.Error()
	c.unreached.Store(&msg)
}

// downErr is the error of a call while the server is down.
func (c *Cache) downErr() error {
	if u := c.unreached.Load(); u != nil {
		return downError{*u}
	}
	return downError{}
}

// setNX sends SET key 1 PX ttl NX and reads its reply exactly: the status
// OK is "stored", nil is "not stored", anything else an error.
func (c *Cache) setNX(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	v, err := c.client.Do(ctx, "set", key, "1", "px", ttl.Milliseconds(), "nx").Result()
	switch {
	case err == redis.Nil:
		return false, nil
	case err != nil:
		return false, err
	case v == "OK":
		return true, nil
	default:
		return false, unexpectedReply{v}
	}
}

// reached reports whether err is an answer of the server (an error reply
// or an unexpected reply) rather than a failure to reach it.
func reached(err error) bool {
	var rerr redis.Error
	var odd unexpectedReply
	return errors.As(err, &rerr) || errors.As(err, &odd)
}

// failed counts a call that did not reach the server and, at downAfter in
// a row, starts the health check unless one runs.
func (c *Cache) failed() {
	if c.failures.Add(1) >= downAfter && c.probing.CompareAndSwap(false, true) {
		go c.probe()
	}
}

// probe is the health check: a PING with probeTimeout, repeated every
// probeInterval while it does not reach the server. The Cache is down (its
// calls fail at once with verify.ErrReplayStoreDown) from the first PING
// that fails to the first that reaches the server; any answer, even an
// error reply (a gate's ACL user may lack PING), counts as reaching it.
// A server that answers within probeTimeout is slow, never down.
func (c *Cache) probe() {
	defer c.probing.Store(false)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), c.probeTimeout)
		done := make(chan error, 1)
		go func() { done <- c.client.Ping(ctx).Err() }()
		var err error
		select {
		case err = <-done:
		case <-ctx.Done():
			err = errTimeout
		}
		cancel()
		if err == nil || reached(err) || errors.Is(err, redis.ErrClosed) {
			// Up (or the client closed: no outage to report).
			c.answered()
			c.down.Store(false)
			return
		}
		c.noteUnreached(err)
		c.down.Store(true)
		time.Sleep(probeInterval)
	}
}
