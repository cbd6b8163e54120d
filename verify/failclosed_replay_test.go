package verify_test

// Issue 12, fail closed: see failclosed_test.go.

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// TestFailClosedReplay: what the replay store records, when, and for how
// long; and that a full store refuses rather than forgets.
func TestFailClosedReplay(t *testing.T) {
	small := func(f *fixture, t *testing.T, n int) *verify.Verifier {
		return f.verifier(t, verify.AirlineCheckIn(), verify.WithReplayCache(verify.NewMemoryReplayCache(n)))
	}
	accept := func(t *testing.T, v *verify.Verifier, text string) {
		t.Helper()
		_, err := v.VerifyText(text)
		require.NoError(t, err)
	}
	refuse := func(t *testing.T, v *verify.Verifier, text string, want verify.Reason) {
		t.Helper()
		_, err := v.VerifyText(text)
		require.ErrorIs(t, err, want)
	}
	cases := []attackCase{
		{"revoked_codes_do_not_evict_a_live_entry", func(t *testing.T, f *fixture) attackScan {
			v := small(f, t, 2)
			victim := present(t, f.woman, airlineReq)
			accept(t, v, victim) // a screenshot of it is taken
			require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Minute))))
			for range 5 { // the flood: codes that expire later than the victim's
				f.clock.Add(time.Second)
				refuse(t, v, present(t, f.man, airlineReq), verify.ReasonRevoked)
			}
			return attackScan{v, victim}
		}, verify.ReasonReplayed, nil},
		{"wrong_audience_codes_do_not_evict_a_live_entry", func(t *testing.T, f *fixture) attackScan {
			v := small(f, t, 2)
			victim := present(t, f.woman, airlineReq)
			accept(t, v, victim)
			for range 5 {
				f.clock.Add(time.Second)
				refuse(t, v, present(t, f.man, qr.Request{Claims: airlineReq.Claims, Audience: verify.AudienceKAI}), verify.ReasonWrongAudience)
			}
			return attackScan{v, victim}
		}, verify.ReasonReplayed, nil},
		{"full_cache_of_live_entries_fails_closed", func(t *testing.T, f *fixture) attackScan {
			v := small(f, t, 1)
			accept(t, v, present(t, f.woman, airlineReq))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonReplayCheckFailed, nil},
		{"full_cache_keeps_the_live_entry", func(t *testing.T, f *fixture) attackScan {
			v := small(f, t, 1)
			victim := present(t, f.woman, airlineReq)
			accept(t, v, victim)
			refuse(t, v, present(t, f.man, airlineReq), verify.ReasonReplayCheckFailed)
			return attackScan{v, victim}
		}, verify.ReasonReplayed, nil},
		{"full_cache_has_room_again_once_entries_expire", func(t *testing.T, f *fixture) attackScan {
			v := small(f, t, 1)
			accept(t, v, present(t, f.woman, airlineReq))
			f.clock.Add(qr.DefaultLifetime + verify.MaxClockSkew + time.Second)
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Minute))))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, 0, nil},
		{"ticket_mismatch_at_one_gate_is_accepted_at_the_right_gate", func(t *testing.T, f *fixture) attackScan {
			wrong := f.verifier(t, verify.KAIGate(verify.Ticket{Name: "SITI AMINAH"}))
			right, err := wrong.WithPolicy(verify.KAIGate(verify.Ticket{Name: f.man.person.Name, NIK: string(f.man.person.NIK)}))
			require.NoError(t, err)
			text := present(t, f.man, kaiReq)
			refuse(t, wrong, text, verify.ReasonTicketMismatch)
			return attackScan{right, text}
		}, 0, nil},
		{"accepted_at_the_right_gate_then_replayed", func(t *testing.T, f *fixture) attackScan {
			wrong := f.verifier(t, verify.KAIGate(verify.Ticket{Name: "SITI AMINAH"}))
			right, err := wrong.WithPolicy(verify.KAIGate(verify.Ticket{Name: f.man.person.Name, NIK: string(f.man.person.NIK)}))
			require.NoError(t, err)
			text := present(t, f.man, kaiReq)
			refuse(t, wrong, text, verify.ReasonTicketMismatch)
			accept(t, right, text)
			return attackScan{right, text}
		}, verify.ReasonReplayed, nil},
		{"entry_outlives_the_sibling_with_the_largest_skew", func(t *testing.T, f *fixture) attackScan {
			gate := airline(t, f) // 30 s of skew
			// A share receiver that takes airline codes: ShareReceiver
			// itself refuses them (wrong_audience) before the replay check.
			sp := verify.ShareReceiver()
			sp.Audiences = []string{verify.AudienceAirline}
			share, err := gate.WithPolicy(sp)
			require.NoError(t, err)
			require.Greater(t, verify.ShareReceiver().ClockSkew, verify.AirlineCheckIn().ClockSkew)
			text := present(t, f.man, airlineReq)
			accept(t, gate, text)
			// Past the gate's window, inside the share receiver's (2 min).
			f.clock.Add(qr.DefaultLifetime + verify.AirlineCheckIn().ClockSkew + time.Second)
			return attackScan{share, text}
		}, verify.ReasonReplayed, nil},
		{"replayed_at_exactly_expiry_plus_skew", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			text := present(t, f.man, airlineReq)
			accept(t, v, text)
			f.clock.Add(qr.DefaultLifetime + verify.AirlineCheckIn().ClockSkew) // still live: both ends inclusive
			return attackScan{v, text}
		}, verify.ReasonReplayed, nil},
		{"replayed_at_exactly_expiry_plus_max_skew", func(t *testing.T, f *fixture) attackScan {
			p := verify.AirlineCheckIn()
			p.ClockSkew = verify.MaxClockSkew
			v := f.verifier(t, p)
			text := present(t, f.man, airlineReq)
			accept(t, v, text)
			f.clock.Add(qr.DefaultLifetime + verify.MaxClockSkew)
			return attackScan{v, text}
		}, verify.ReasonReplayed, nil},
		{"one_second_after_expiry_plus_max_skew_is_expired", func(t *testing.T, f *fixture) attackScan {
			p := verify.AirlineCheckIn()
			p.ClockSkew = verify.MaxClockSkew
			v := f.verifier(t, p)
			text := present(t, f.man, airlineReq)
			accept(t, v, text)
			f.clock.Add(qr.DefaultLifetime + verify.MaxClockSkew + time.Second)
			return attackScan{v, text}
		}, verify.ReasonPresentationExpired, nil},
	}
	runAttacks(t, cases)

	t.Run("replay_expiry_is_presentation_expiry_plus_max_skew", func(t *testing.T) {
		f := newFixture(t)
		rec := &recordingReplay{}
		v := f.verifier(t, verify.AirlineCheckIn(), verify.WithReplayCache(rec))
		text := present(t, f.man, airlineReq)
		res, err := v.VerifyText(text)
		require.NoError(t, err)
		require.Len(t, rec.expires, 1)
		assert.Equal(t, res.Expires.Add(verify.MaxClockSkew), rec.expires[0])
	})
	t.Run("refused_codes_are_not_marked", func(t *testing.T) {
		f := newFixture(t)
		rec := &recordingReplay{}
		v := f.verifier(t, verify.KAIGate(verify.Ticket{Name: "SITI AMINAH"}), verify.WithReplayCache(rec))
		_, err := v.VerifyText(present(t, f.man, kaiReq))
		require.ErrorIs(t, err, verify.ReasonTicketMismatch)
		_, err = v.VerifyText(present(t, f.man, airlineReq))
		require.ErrorIs(t, err, verify.ReasonWrongAudience)
		assert.Empty(t, rec.expires)
	})
	t.Run("two_gates_at_once_one_accepts_one_replayed", func(t *testing.T) {
		f := newFixture(t)
		gate1 := airline(t, f)
		gate2, err := gate1.WithPolicy(verify.AirlineCheckIn())
		require.NoError(t, err)
		text := present(t, f.man, airlineReq)
		const tries = 16
		errs := make([]error, tries)
		var wg sync.WaitGroup
		for i := range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				g := gate1
				if i%2 == 1 {
					g = gate2
				}
				_, errs[i] = g.VerifyText(text)
			}()
		}
		wg.Wait()
		accepted := 0
		for _, err := range errs {
			if err == nil {
				accepted++
				continue
			}
			assert.ErrorIs(t, err, verify.ReasonReplayed)
		}
		assert.Equal(t, 1, accepted)
	})
}

// recordingReplay is a ReplayCache that records the expiry of every mark
// and never reports a code as seen.
type recordingReplay struct {
	mu      sync.Mutex
	expires []time.Time
}

func (r *recordingReplay) CheckAndMark(_ [32]byte, expires, _ time.Time) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expires = append(r.expires, expires)
	return false, nil
}

// TestFailClosedMemoryReplayCache: the default store at its limits.
func TestFailClosedMemoryReplayCache(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	key := func(b byte) [32]byte { return [32]byte{b} }
	t.Run("full_of_live_entries_is_an_error", func(t *testing.T) {
		c := verify.NewMemoryReplayCache(2)
		for b := byte(1); b <= 2; b++ {
			seen, err := c.CheckAndMark(key(b), now.Add(time.Minute), now)
			require.NoError(t, err)
			require.False(t, seen)
		}
		_, err := c.CheckAndMark(key(3), now.Add(time.Hour), now)
		assert.Error(t, err)
		for b := byte(1); b <= 2; b++ {
			seen, err := c.CheckAndMark(key(b), now.Add(time.Minute), now)
			require.NoError(t, err, "a key held is still answered when full")
			assert.True(t, seen, "no live entry was forgotten")
		}
		assert.Equal(t, 2, verify.MemoryReplayCacheLen(c))
	})
	t.Run("entry_held_at_its_exact_expiry", func(t *testing.T) {
		c := verify.NewMemoryReplayCache(2)
		_, err := c.CheckAndMark(key(1), now.Add(time.Minute), now)
		require.NoError(t, err)
		seen, err := c.CheckAndMark(key(1), now.Add(2*time.Minute), now.Add(time.Minute))
		require.NoError(t, err)
		assert.True(t, seen, "inclusive: recorded until and at expires")
	})
	t.Run("entry_gone_one_nanosecond_after_expiry", func(t *testing.T) {
		c := verify.NewMemoryReplayCache(1)
		_, err := c.CheckAndMark(key(1), now.Add(time.Minute), now)
		require.NoError(t, err)
		seen, err := c.CheckAndMark(key(2), now.Add(2*time.Minute), now.Add(time.Minute+time.Nanosecond))
		require.NoError(t, err, "the expired entry made room")
		assert.False(t, seen)
		assert.Equal(t, 1, verify.MemoryReplayCacheLen(c))
	})
}
