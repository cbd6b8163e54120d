package verify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/verify"
)

// TestStatusLists checks that a verifier reports the lists in force, one
// per issuer and list id, newest first replacing older, in issuer order,
// with the dates the issuer signed.
func TestStatusLists(t *testing.T) {
	f := newFixture(t)
	v, err := verify.New(f.trust, verify.AirlineCheckIn(), verify.WithClock(f.clock.Now))
	require.NoError(t, err)
	assert.Empty(t, v.StatusLists(), "a new verifier holds none")

	now := f.clock.Now().Truncate(time.Second).UTC()
	older, newer := now.Add(-2*time.Hour), now.Add(-time.Hour)
	require.NoError(t, v.AddStatusList(f.bandung.signStatus(t, status.Token{ListID: 1, IssuedAt: older, TTL: 6 * time.Hour})))
	require.NoError(t, v.AddStatusList(f.jakarta.statusList(t, older)))
	require.NoError(t, v.AddStatusList(f.jakarta.signStatus(t, status.Token{ListID: 1, IssuedAt: newer, Expiry: now.Add(24 * time.Hour)})))

	assert.Equal(t, []verify.StatusList{
		{Issuer: "3171", List: 1, IssuedAt: newer, Expiry: now.Add(24 * time.Hour)},
		{Issuer: "3273", List: 1, IssuedAt: older, TTL: 6 * time.Hour},
	}, v.StatusLists())
}
