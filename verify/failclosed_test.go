package verify_test

// Issue 12, fail closed: what the verifier cannot establish (a current
// trust list, a sane and current status list, a replay store with room)
// is a refusal with its own reason. Each case here reproduced a wrong
// "accepted" (or a wrong reason) before its fix; docs/threat-model.md
// catalogues them in "Fail closed (issue 12)".

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

// trustNextUpdate is when the fixture's trust list says the next one is
// due (see signedTrustList).
func trustNextUpdate(f *fixture) time.Time { return f.trust.NextUpdate() }

// verifierAt sets the clock to when and returns a verifier with policy p
// holding status lists signed an hour before when: everything is current
// but, perhaps, the trust list. (The lists go in under a policy with a
// year's grace: an expired trust list refuses them too.)
func verifierAt(t *testing.T, f *fixture, when time.Time, p verify.Policy) *verify.Verifier {
	t.Helper()
	f.clock.Set(when)
	lenient := p
	lenient.TrustListGrace = 365 * 24 * time.Hour
	v, err := f.verifier(t, lenient).WithPolicy(p)
	require.NoError(t, err)
	return v
}

// TestFailClosedTrustList: a verifier refuses every presentation once its
// trust list is past NextUpdate plus the policy's TrustListGrace, whatever
// gave it the list.
func TestFailClosedTrustList(t *testing.T) {
	grace := verify.AirlineCheckIn().TrustListGrace
	cases := []attackCase{
		{"stock_policies_have_a_grace", func(t *testing.T, f *fixture) attackScan {
			for _, p := range []verify.Policy{verify.AirlineCheckIn(), verify.KAIGate(verify.Ticket{}), verify.ShareReceiver()} {
				assert.Equal(t, 7*24*time.Hour, p.TrustListGrace, p.Name)
			}
			return attackScan{airline(t, f), present(t, f.man, airlineReq)}
		}, 0, nil},
		{"accepted_at_next_update_plus_grace", func(t *testing.T, f *fixture) attackScan {
			v := verifierAt(t, f, trustNextUpdate(f).Add(grace), verify.AirlineCheckIn())
			return attackScan{v, present(t, f.man, airlineReq)}
		}, 0, nil},
		{"expired_trust_list_refuses_every_presentation", func(t *testing.T, f *fixture) attackScan {
			v := verifierAt(t, f, trustNextUpdate(f).Add(grace+time.Second), verify.AirlineCheckIn())
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonTrustListExpired, nil},
		{"sixty_days_past_next_update", func(t *testing.T, f *fixture) attackScan {
			v := verifierAt(t, f, trustNextUpdate(f).Add(60*24*time.Hour), verify.AirlineCheckIn())
			return attackScan{v, present(t, f.woman, airlineReq)}
		}, verify.ReasonTrustListExpired, nil},
		{"expired_trust_list_set_by_SetTrustList", func(t *testing.T, f *fixture) attackScan {
			v := verifierAt(t, f, trustNextUpdate(f).Add(grace+time.Second), verify.AirlineCheckIn())
			setTrust(t, v, f.trustList(t, 5, f.jakarta.key, f.bandung.key)) // verified back when it was fresh
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonTrustListExpired, nil},
		{"zero_grace_refuses_one_second_past_next_update", func(t *testing.T, f *fixture) attackScan {
			p := verify.AirlineCheckIn()
			p.TrustListGrace = 0
			v := verifierAt(t, f, trustNextUpdate(f).Add(time.Second), p)
			return attackScan{v, present(t, f.man, airlineReq)}
		}, verify.ReasonTrustListExpired, nil},
		{"sibling_with_longer_grace_still_accepts", func(t *testing.T, f *fixture) attackScan {
			v := verifierAt(t, f, trustNextUpdate(f).Add(grace+time.Second), verify.AirlineCheckIn())
			p := verify.AirlineCheckIn()
			p.TrustListGrace = 30 * 24 * time.Hour
			w, err := v.WithPolicy(p)
			require.NoError(t, err)
			return attackScan{w, present(t, f.man, airlineReq)}
		}, 0, nil},
	}
	runAttacks(t, cases)

	t.Run("status_list_refused_on_expired_trust_list", func(t *testing.T) {
		f := newFixture(t)
		v := airline(t, f)
		f.clock.Set(trustNextUpdate(f).Add(grace + time.Second))
		err := v.AddStatusList(f.jakarta.statusList(t, f.clock.Now()))
		assert.ErrorIs(t, err, verify.ReasonTrustListExpired)
	})
	t.Run("negative_grace_is_refused", func(t *testing.T) {
		f := newFixture(t)
		p := verify.AirlineCheckIn()
		p.TrustListGrace = -time.Second
		_, err := verify.New(f.trust, p)
		assert.Error(t, err)
	})
	t.Run("fresh_list_brings_the_verifier_back", func(t *testing.T) {
		f := newFixture(t)
		v := verifierAt(t, f, trustNextUpdate(f).Add(grace+time.Second), verify.AirlineCheckIn())
		_, err := v.VerifyText(present(t, f.man, airlineReq))
		require.ErrorIs(t, err, verify.ReasonTrustListExpired)
		setTrust(t, v, signedTrustListAt(t, f, f.clock.Now()))
		_, err = v.VerifyText(present(t, f.man, airlineReq))
		assert.NoError(t, err)
	})
}

// signedTrustListAt signs and verifies, at now, a trust list of the
// fixture's two issuers issued a day before now, next update a month
// after: the download that brings a scanner back.
func signedTrustListAt(t *testing.T, f *fixture, now time.Time) *keys.TrustList {
	t.Helper()
	var issuers []keys.TrustedIssuer
	for _, ti := range []*testIssuer{f.jakarta, f.bandung} {
		issuers = append(issuers, keys.TrustedIssuer{ID: ti.id, Name: ti.name, Keys: []keys.IssuerKey{ti.key}})
	}
	jws, err := keys.SignTrustList(trustRoot, &keys.TrustListContent{
		Sequence: 9, IssuedAt: now.AddDate(0, 0, -1), NextUpdate: now.AddDate(0, 1, 0), Issuers: issuers,
	})
	require.NoError(t, err)
	l, err := keys.ParseTrustList(jws, trustRoot.Public(), keys.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	return l
}
