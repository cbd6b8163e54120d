package verify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// TestFailClosedKeyWithdrawn is the outside review's stolen-key case: a
// thief with one of Jakarta's keys signs an "all valid" status list dated
// after the genuine one, and scanners take it. Dukcapil withdraws the key
// and the scanner gets the new trust list. The forged list must stop
// counting at once: before the fix it stayed in force, a revoked
// credential signed by the issuer's other key was accepted, and the
// genuine list was refused as a rollback.
func TestFailClosedKeyWithdrawn(t *testing.T) {
	f := newFixture(t)
	stolen := f.jakarta // its key is the one stolen
	second := newIssuerWithKey(t, "3171", stolen.name, testkit.P256("jakarta second key"))
	second.key.IssuerID, second.key.IssuerName = "3171", stolen.name
	both := f.trustList(t, 2, stolen.key, second.key, f.bandung.key)
	v, err := verify.New(both, verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
	require.NoError(t, err)

	// A holder issued with the second key, then revoked by the issuer.
	h := f.issue(t, second, f.man.person, "victim of revocation")
	beforeRevocation := second.statusList(t, f.clock.Now().Add(-2*time.Hour))
	require.NoError(t, second.list.Set(h.index, status.StatusRevoked))
	genuine := second.statusList(t, f.clock.Now().Add(-time.Hour))
	require.NoError(t, v.AddStatusList(genuine))
	req := qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline}
	_, err = v.VerifyText(present(t, h, req))
	require.ErrorIs(t, err, verify.ReasonRevoked)

	// The thief's list: all valid, newer, signed by the stolen key.
	allValid, err := status.NewList(1 << 16)
	require.NoError(t, err)
	forged := signStatusRaw(t, stolen.signer, stolen.alg, stolen.kid, "3171",
		status.Token{ListID: 1, IssuedAt: f.clock.Now().Add(-time.Minute)}, allValid)
	require.NoError(t, v.AddStatusList(forged), "the stolen key is still trusted")
	_, err = v.VerifyText(present(t, h, req))
	require.NoError(t, err, "while the key is trusted the forged list counts: that is what a stolen key can do")

	// The key is withdrawn: the forged list goes with it, and the newest
	// list of a key still trusted, the genuine one, is in force again.
	require.NoError(t, v.SetTrustList(f.trustList(t, 3, second.key, f.bandung.key)))
	_, err = v.VerifyText(present(t, h, req))
	assert.ErrorIs(t, err, verify.ReasonRevoked, "the genuine list is back in force")
	require.NoError(t, v.AddStatusList(genuine), "the same list again changes nothing")

	// The genuine list is also the floor again: an older genuine list, from
	// before the revocation, cannot undo it (the outside review's second
	// run found this open when only the newest list was kept).
	var verr *verify.Error
	require.ErrorAs(t, v.AddStatusList(beforeRevocation), &verr)
	assert.Equal(t, verify.ReasonStatusRollback, verr.Reason)
	_, err = v.VerifyText(present(t, h, req))
	assert.ErrorIs(t, err, verify.ReasonRevoked)

	// Lists signed by keys still trusted survive a trust-list change.
	require.NoError(t, v.AddStatusList(f.bandung.statusList(t, f.clock.Now().Add(-time.Hour))))
	require.NoError(t, v.SetTrustList(f.trustList(t, 4, second.key, f.bandung.key)))
	_, err = v.VerifyText(present(t, f.woman, req))
	assert.NoError(t, err, "Bandung's list, signed by a key still trusted, stays")
}

// TestStockPoliciesTrustListGrace: every ready-made policy uses the trust
// list for 7 days past its next update, and no longer (the age check had
// none, and refused every code a second after the next update).
func TestStockPoliciesTrustListGrace(t *testing.T) {
	for _, p := range []verify.Policy{verify.AirlineCheckIn(), verify.KAIGate(verify.Ticket{}), verify.ShareReceiver(), verify.AgeCheck()} {
		assert.Equal(t, 7*24*time.Hour, p.TrustListGrace, p.Name)
	}
}

// TestNewRefusesUnverifiedTrustList: the zero keys.TrustList was never
// verified; a verifier is not built on it, and it does not replace a
// verified one.
func TestNewRefusesUnverifiedTrustList(t *testing.T) {
	_, err := verify.New(&keys.TrustList{}, verify.AirlineCheckIn())
	assert.Error(t, err)
	f := newFixture(t)
	v := f.verifier(t, verify.AirlineCheckIn())
	assert.Error(t, v.SetTrustList(&keys.TrustList{}))
	_, err = v.VerifyText(present(t, f.man, qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline}))
	assert.NoError(t, err, "the verified list stays")
}
