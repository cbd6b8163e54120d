package verify_test

// Issue 12, fail closed: see failclosed_test.go.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/verify"
)

// TestFailClosedStatusList: status lists dated in the future, two lists of
// one second, and lists that cannot answer for a credential.
func TestFailClosedStatusList(t *testing.T) {
	revokeMan := func(t *testing.T, f *fixture) {
		require.NoError(t, f.jakarta.list.Set(f.man.index, status.StatusRevoked))
	}
	warn := func() verify.Policy {
		p := verify.AirlineCheckIn()
		p.WarnOnStaleStatus = true
		return p
	}
	cases := []attackCase{
		{"future_dated_list_cannot_freeze_revocation", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			// Signed with the real key (a careless issuer, or a stolen
			// key) a day ahead, before the man's phone was reported lost.
			future := f.jakarta.statusList(t, f.clock.Now().Add(24*time.Hour))
			err := v.AddStatusList(future)
			require.ErrorIs(t, err, verify.ReasonStatusInvalid)
			revokeMan(t, f)
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now())), "the real list is not a rollback")
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"list_dated_one_second_beyond_max_skew_is_refused", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			err := v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(verify.MaxClockSkew+time.Second)))
			require.ErrorIs(t, err, verify.ReasonStatusInvalid)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, 0, nil},
		{"list_dated_max_skew_ahead_is_accepted", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			revokeMan(t, f)
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(verify.MaxClockSkew))))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"same_second_list_cannot_unrevoke", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			iat := f.clock.Now().Add(-time.Minute)
			before := f.jakarta.statusList(t, iat) // the man still valid
			revokeMan(t, f)
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, iat)))
			err := v.AddStatusList(before)
			require.ErrorIs(t, err, verify.ReasonStatusRollback)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"same_bytes_again_is_a_no_op", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			revokeMan(t, f)
			b := f.jakarta.statusList(t, f.clock.Now().Add(-time.Minute))
			require.NoError(t, v.AddStatusList(b))
			require.NoError(t, v.AddStatusList(b))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonRevoked, nil},
		{"index_outside_fresh_list_refused_under_warn_policy", func(t *testing.T, f *fixture) attackScan {
			v := f.verifier(t, warn())
			require.GreaterOrEqual(t, f.man.index, uint32(4))
			short, err := status.NewList(4) // the issuer published a list too short
			require.NoError(t, err)
			require.NoError(t, v.AddStatusList(signStatusRaw(t, f.jakarta.signer, f.jakarta.alg, f.jakarta.kid, f.jakarta.id,
				status.Token{ListID: 1, IssuedAt: f.clock.Now().Add(-time.Minute)}, short)))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusInvalid, nil},
		{"index_beyond_list_in_credential_refused_under_warn_policy", func(t *testing.T, f *fixture) attackScan {
			m := credPayload(t, f.man.cred(credential.ProfileTravel))
			m[-2] = []any{int64(1), int64(1 << 30)}
			s := withCredential(t, f, signPayload(t, f.jakarta, m))
			s.v = f.verifier(t, warn())
			return s
		}, verify.ReasonStatusInvalid, nil},
		{"undefined_status_value_refused_under_warn_policy", func(t *testing.T, f *fixture) attackScan {
			v := f.verifier(t, warn())
			require.NoError(t, f.jakarta.list.Set(f.man.index, 3)) // no meaning in ikd
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Minute))))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusInvalid, nil},
		{"undefined_status_value_refused", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			require.NoError(t, f.jakarta.list.Set(f.man.index, 3))
			require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, f.clock.Now().Add(-time.Minute))))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusInvalid, nil},
		{"list_at_its_exact_exp_is_stale", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			exp := f.clock.Now().Add(time.Hour)
			require.NoError(t, v.AddStatusList(f.jakarta.signStatus(t, status.Token{ListID: 1, IssuedAt: f.clock.Now().Add(-time.Minute), Expiry: exp})))
			f.clock.Set(exp)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonStatusStale, nil},
		{"list_one_second_before_exp_is_current", func(t *testing.T, f *fixture) attackScan {
			v := airline(t, f)
			exp := f.clock.Now().Add(time.Hour)
			require.NoError(t, v.AddStatusList(f.jakarta.signStatus(t, status.Token{ListID: 1, IssuedAt: f.clock.Now().Add(-time.Minute), Expiry: exp})))
			f.clock.Set(exp.Add(-time.Second))
			return attackScan{v, present(t, f.man, airlineReq)}
		}, 0, nil},
	}
	runAttacks(t, cases)

	t.Run("skew_above_the_maximum_is_refused", func(t *testing.T) {
		f := newFixture(t)
		p := verify.ShareReceiver()
		p.ClockSkew = verify.MaxClockSkew + time.Second
		_, err := verify.New(f.trust, p)
		assert.Error(t, err)
		v := airline(t, f)
		_, err = v.WithPolicy(p)
		assert.Error(t, err)
		p.ClockSkew = verify.MaxClockSkew
		_, err = v.WithPolicy(p)
		assert.NoError(t, err)
	})
}
