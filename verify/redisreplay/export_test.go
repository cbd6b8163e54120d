package redisreplay

import "time"

// Test hooks: the external test package reaches unexported parts through
// these names, which exist only in test builds.

// Key is the Redis key of a replay key.
func (c *Cache) Key(k [32]byte) string { return c.key(k) }

// TTL is the time to live of a code to be remembered until expires.
func (c *Cache) TTL(expires, now time.Time) time.Duration { return c.ttl(expires, now) }

// MaxInFlight bounds the calls waiting for the server.
const MaxInFlight = maxInFlight

// ErrTimeout and ErrTooManyWaiting are the errors the Cache decides itself.
var (
	ErrTimeout        = errTimeout
	ErrTooManyWaiting = errTooManyWaiting
)

// SetProbeTimeout sets how long a health check waits for the server.
func (c *Cache) SetProbeTimeout(d time.Duration) { c.probeTimeout = d }

// Down reports whether the Cache holds its server for down.
func (c *Cache) Down() bool { return c.down.Load() }

// Waiting is how many calls hold a slot, waiting for the server.
func (c *Cache) Waiting() int { return len(c.slots) }
