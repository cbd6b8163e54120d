package redisreplay

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
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
	// keyBytes is how much of the replay key (a SHA-256 digest) names the
	// Redis key.
	keyBytes = 16
)

// Cache is a verify.ReplayCache on Redis. It is safe for concurrent use.
type Cache struct {
	client  redis.UniversalClient
	prefix  string
	timeout time.Duration
	margin  time.Duration
	slots   chan struct{}
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
// be 1 to 64 bytes without '{' or '}' (a Cluster hash tag would put every
// key in one slot). Gates that share a store must use the same prefix.
func WithPrefix(p string) Option {
	return func(c *config) error {
		if p == "" || len(p) > maxPrefix || strings.ContainsAny(p, "{}") {
			return fmt.Errorf("redisreplay: prefix %q: want 1 to %d bytes without '{' or '}'", p, maxPrefix)
		}
		c.prefix = p
		return nil
	}
}

// WithTimeout sets how long one call waits for the server (default 50 ms)
// before it returns an error. It must be positive.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("redisreplay: timeout %v: want > 0", d)
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
// for a nil client or a bad option.
func New(client redis.UniversalClient, opts ...Option) (*Cache, error) {
	if client == nil {
		return nil, errors.New("redisreplay: New: nil client")
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
	return &Cache{client: client, prefix: c.prefix, timeout: c.timeout, margin: c.margin, slots: make(chan struct{}, maxInFlight)}, nil
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
// verifier treats every error alike (fail closed), so they are not
// exported.
var (
	errTimeout        = errors.New("redisreplay: no answer within the timeout")
	errTooManyWaiting = fmt.Errorf("redisreplay: %d calls already waiting for the server", maxInFlight)
)

type answer struct {
	stored bool
	err    error
}

// CheckAndMark implements verify.ReplayCache with one SET NX PX: it
// reports whether key was already recorded, and records it otherwise, for
// expires − now plus the clock margin (see the package documentation,
// "Expiry"). It returns an error, and no answer, when the server cannot be
// asked, refuses the command or does not answer within the timeout, and
// when 1,024 calls are already waiting for it. A server full under
// maxmemory-policy noeviction refuses every write: a second command
// (EXISTS) then still answers "seen" for a code it holds, and a new code is
// an error.
func (c *Cache) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	select {
	case c.slots <- struct{}{}:
	default:
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
		stored, err := c.client.SetNX(ctx, k, "1", ttl).Result()
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
	select {
	case a := <-done:
		if a.err != nil {
			return false, fmt.Errorf("redisreplay: SET NX: %v", a.err)
		}
		return !a.stored, nil
	case <-ctx.Done():
		// The answer may have come while this goroutine waited for a CPU
		// (a busy process): take it rather than fail a code it answered.
		select {
		case a := <-done:
			if a.err == nil {
				return !a.stored, nil
			}
		default:
		}
		return false, fmt.Errorf("%w (%v)", errTimeout, c.timeout)
	}
}
