package verify_test

// Issue 17: a shared replay store that goes down, and the policy that
// falls back to the verifier's own memory (Policy.WarnOnReplayStoreDown).

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify"
)

// switchableReplay is a shared store (a memory store behind a switch) that
// can be taken down and brought back, as a Redis server can.
type switchableReplay struct {
	down atomic.Bool
	// fault, when set, is the error of every call while the store is up:
	// one that does not say "down" (a timeout, a refused command).
	fault atomic.Pointer[error]
	store verify.ReplayCache
	// marked counts the calls that recorded a new code.
	marked atomic.Int64
}

func newSwitchableReplay() *switchableReplay {
	return &switchableReplay{store: verify.NewMemoryReplayCache(0)}
}

func (s *switchableReplay) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	if s.down.Load() {
		return false, fmt.Errorf("store unreachable: %w", verify.ErrReplayStoreDown)
	}
	if err := s.fault.Load(); err != nil {
		return false, *err
	}
	seen, err := s.store.CheckAndMark(key, expires, now)
	if err == nil && !seen {
		s.marked.Add(1)
	}
	return seen, err
}

// TestReplayStoreDown: the verdicts while a shared store is down, with and
// without the fallback, and after it comes back.
func TestReplayStoreDown(t *testing.T) {
	lenient := verify.AirlineCheckIn()
	lenient.WarnOnReplayStoreDown = true
	gate := func(t *testing.T, f *fixture, store verify.ReplayCache, p verify.Policy) *verify.Verifier {
		return f.verifier(t, p, verify.WithReplayCache(store))
	}
	verdict := func(t *testing.T, v *verify.Verifier, text string) (verify.Reason, []verify.Reason) {
		t.Helper()
		res, err := v.VerifyText(text)
		if err != nil {
			var verr *verify.Error
			require.ErrorAs(t, err, &verr)
			require.Nil(t, res)
			return verr.Reason, nil
		}
		return 0, res.Warnings
	}

	t.Run("strict policy refuses while the store is down", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		v := gate(t, f, store, verify.AirlineCheckIn())
		store.down.Store(true)
		r, _ := verdict(t, v, present(t, f.man, airlineReq))
		assert.Equal(t, verify.ReasonReplayCheckFailed, r)
	})
	t.Run("fallback accepts with a warning while the store is down", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		v := gate(t, f, store, lenient)
		store.down.Store(true)
		r, warnings := verdict(t, v, present(t, f.man, airlineReq))
		assert.Zero(t, r)
		assert.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, warnings)
	})
	t.Run("fallback refuses a code accepted here during the outage", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		v := gate(t, f, store, lenient)
		store.down.Store(true)
		text := present(t, f.man, airlineReq)
		_, warnings := verdict(t, v, text)
		require.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, warnings)
		r, _ := verdict(t, v, text)
		assert.Equal(t, verify.ReasonReplayed, r)
	})
	t.Run("fallback refuses a code accepted here before the outage", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		v := gate(t, f, store, lenient)
		text := present(t, f.man, airlineReq)
		r, warnings := verdict(t, v, text)
		require.Zero(t, r)
		require.Empty(t, warnings, "the store answered: no warning")
		store.down.Store(true)
		r, _ = verdict(t, v, text)
		assert.Equal(t, verify.ReasonReplayed, r)
	})
	t.Run("code accepted during the outage is replayed once the store is back", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		v := gate(t, f, store, lenient)
		strict, err := v.WithPolicy(verify.AirlineCheckIn())
		require.NoError(t, err)
		text := present(t, f.man, airlineReq)
		store.down.Store(true)
		_, warnings := verdict(t, v, text)
		require.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, warnings)
		store.down.Store(false)
		r, _ := verdict(t, strict, text)
		assert.Equal(t, verify.ReasonReplayed, r, "a strict sibling asks the local memory too")
		r, _ = verdict(t, v, text)
		assert.Equal(t, verify.ReasonReplayed, r)
	})
	t.Run("after the outage the store answers again without a warning", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		v := gate(t, f, store, lenient)
		store.down.Store(true)
		_, warnings := verdict(t, v, present(t, f.man, airlineReq))
		require.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, warnings)
		store.down.Store(false)
		r, warnings := verdict(t, v, present(t, f.woman, airlineReq))
		assert.Zero(t, r)
		assert.Empty(t, warnings)
	})
	t.Run("the cost of the fallback: another gate accepts the code once", func(t *testing.T) {
		// Two gates (two New, as two scanner programs) share the store.
		// While it is down each knows only its own codes: the documented
		// cost that the warning announces.
		f := newFixture(t)
		store := newSwitchableReplay()
		gate1, gate2 := gate(t, f, store, lenient), gate(t, f, store, lenient)
		text := present(t, f.man, airlineReq)
		store.down.Store(true)
		_, w1 := verdict(t, gate1, text)
		_, w2 := verdict(t, gate2, text)
		assert.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, w1)
		assert.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, w2)
		r, _ := verdict(t, gate1, text)
		assert.Equal(t, verify.ReasonReplayed, r)
	})
	t.Run("with the store up two gates accept a code once", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		gate1, gate2 := gate(t, f, store, lenient), gate(t, f, store, verify.AirlineCheckIn())
		text := present(t, f.man, airlineReq)
		r, _ := verdict(t, gate1, text)
		require.Zero(t, r)
		r, _ = verdict(t, gate2, text)
		assert.Equal(t, verify.ReasonReplayed, r)
	})
	t.Run("fallback keeps the other warnings", func(t *testing.T) {
		f := newFixture(t)
		store := newSwitchableReplay()
		p := lenient
		p.WarnOnStaleStatus = true
		v, err := verify.New(f.trust, p, verify.WithClock(f.clock.Now), verify.WithReplayCache(store))
		require.NoError(t, err) // no status list: status unknown
		store.down.Store(true)
		r, warnings := verdict(t, v, present(t, f.man, airlineReq))
		assert.Zero(t, r)
		assert.Equal(t, []verify.Reason{verify.ReasonStatusUnknown, verify.ReasonReplayCheckedLocally}, warnings)
	})
	t.Run("fallback refuses on an error that does not say the store is down", func(t *testing.T) {
		// A timeout or a refused command (READONLY, NOPERM, ...) is no
		// outage: falling back on one would accept a code another gate
		// accepted while the store's "seen" was on its way.
		for _, e := range []error{errors.New("no answer within the timeout"), errors.New("READONLY You can't write against a read only replica.")} {
			f := newFixture(t)
			store := newSwitchableReplay()
			v := gate(t, f, store, lenient)
			store.fault.Store(&e)
			r, _ := verdict(t, v, present(t, f.man, airlineReq))
			assert.Equal(t, verify.ReasonReplayCheckFailed, r, "%v", e)
		}
	})
	t.Run("codes accepted during the outage are written to the store when it is back", func(t *testing.T) {
		// Two gates, two New: gate2 never saw the code gate1 accepted
		// with its own memory; once the store answers again gate1 writes
		// it there, and gate2 (strict) refuses it.
		f := newFixture(t)
		store := newSwitchableReplay()
		gate1, gate2 := gate(t, f, store, lenient), gate(t, f, store, verify.AirlineCheckIn())
		held := []string{present(t, f.man, airlineReq), present(t, f.woman, airlineReq)}
		store.down.Store(true)
		for _, text := range held {
			_, w := verdict(t, gate1, text)
			require.Equal(t, []verify.Reason{verify.ReasonReplayCheckedLocally}, w)
		}
		store.down.Store(false)
		r, w := verdict(t, gate1, present(t, f.man, airlineReq)) // the store answers: the write-back starts
		require.Zero(t, r)
		require.Empty(t, w)
		// The write-back runs in the background: wait until the store
		// recorded the fresh code and the two held ones (10 s is far
		// above the expected microseconds; it bounds a failure only).
		require.Eventually(t, func() bool { return store.marked.Load() == 3 }, 10*time.Second, time.Millisecond,
			"the codes accepted in the outage were not written to the store")
		for _, text := range held {
			r, _ := verdict(t, gate2, text)
			assert.Equal(t, verify.ReasonReplayed, r, "gate2 accepted a code gate1 accepted in the outage")
		}
	})
}
