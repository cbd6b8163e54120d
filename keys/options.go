package keys

import (
	"errors"
	"fmt"
	"time"
)

// defaultGrace is how long after its next-update time a trust list is still
// accepted unless WithGrace says otherwise: 7 days. Scanners at small
// stations can be offline for days, and issuer keys are rotated months
// ahead, so a week-old list still holds every key in use; what a stale
// list can miss is a key withdrawn in an emergency, and a week bounds that.
const defaultGrace = 7 * 24 * time.Hour

// Option configures [ParseTrustList] and [OpenStore]. An Option checks its
// own argument: a bad one makes ParseTrustList or OpenStore fail, and so
// does a nil Option.
type Option func(*config) error

type config struct {
	now   func() time.Time
	grace time.Duration
	// minSeq refuses lists below it with ErrRollback: a Store sets it to
	// the sequence number of the list it holds.
	minSeq uint64
	// anyAge skips the expiry check: a Store loading its own file keeps
	// an expired list (Current hides it) so that its sequence number still
	// guards against rollback.
	anyAge bool
}

func newConfig(opts []Option) (config, error) {
	c := config{now: time.Now, grace: defaultGrace}
	for _, o := range opts {
		if o == nil {
			return config{}, errors.New("keys: nil Option")
		}
		if err := o(&c); err != nil {
			return config{}, err
		}
	}
	return c, nil
}

// WithClock sets the clock that expiry is checked against (default
// time.Now). Tests and replays pass a fixed clock; nothing in this package
// sleeps or reads the time any other way. A nil now is an error.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("keys: WithClock(nil)")
		}
		c.now = now
		return nil
	}
}

// WithGrace sets how long after its next-update time a trust list is still
// accepted (default 7 days: scanners at small stations can be offline for
// days, and a week bounds how long a stale list can miss a key withdrawn in
// an emergency). Zero refuses any list past its next update. A negative
// grace is an error.
func WithGrace(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("keys: WithGrace(%v): negative", d)
		}
		c.grace = d
		return nil
	}
}
