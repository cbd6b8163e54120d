package credential_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/statuslist"
	"github.com/ikdgo/ikd/internal/testkit"
)

// TestSignStatusList signs a list with each test issuer and reads it back
// as a scanner does: the token names the issuer, carries its kid and
// verifies with its key only.
func TestSignStatusList(t *testing.T) {
	for _, alg := range algs {
		t.Run(alg, func(t *testing.T) {
			iss, err := credential.NewIssuer("3171", issuerSigner(alg))
			require.NoError(t, err)
			l, err := status.NewList(1024)
			require.NoError(t, err)
			require.NoError(t, l.Set(7, status.StatusRevoked))
			require.NoError(t, l.Set(8, status.StatusSuspended))
			tok := status.Token{ListID: 3, IssuedAt: testkit.Now, Expiry: testkit.Now.Add(24 * time.Hour), TTL: time.Hour}
			data, err := iss.SignStatusList(tok, l)
			require.NoError(t, err)

			s, err := statuslist.Parse(data)
			require.NoError(t, err)
			kid, err := keys.KeyID(issuerPublic(alg))
			require.NoError(t, err)
			assert.Equal(t, kid, s.KeyID())
			got, err := s.Verify(issuerPublic(alg))
			require.NoError(t, err)
			assert.Equal(t, "3171", got.IssuerID())
			assert.Equal(t, uint32(3), got.ListID())
			assert.True(t, got.IssuedAt().Equal(testkit.Now))
			assert.Equal(t, time.Hour, got.TTL())
			for i, want := range map[uint32]status.Status{6: status.StatusValid, 7: status.StatusRevoked, 8: status.StatusSuspended} {
				st, err := got.Get(i)
				require.NoError(t, err)
				assert.Equal(t, want, st, "entry %d", i)
			}
			_, err = s.Verify(issuerPublic(otherAlg(alg)))
			assert.ErrorIs(t, err, statuslist.ErrSignature)
		})
	}
	t.Run("refusals", func(t *testing.T) {
		iss := testIssuer("EdDSA")
		l, err := status.NewList(16)
		require.NoError(t, err)
		ok := status.Token{ListID: 1, IssuedAt: testkit.Now}
		_, err = iss.SignStatusList(ok, l)
		require.NoError(t, err)
		for name, tc := range map[string]struct {
			t status.Token
			l *status.List
		}{
			"nil list":        {ok, nil},
			"no issue time":   {status.Token{ListID: 1}, l},
			"expiry at issue": {status.Token{ListID: 1, IssuedAt: testkit.Now, Expiry: testkit.Now}, l},
			"negative TTL":    {status.Token{ListID: 1, IssuedAt: testkit.Now, TTL: -time.Second}, l},
			"fractional TTL":  {status.Token{ListID: 1, IssuedAt: testkit.Now, TTL: 1500 * time.Millisecond}, l},
		} {
			data, err := iss.SignStatusList(tc.t, tc.l)
			assert.Error(t, err, name)
			assert.Nil(t, data, name)
		}
		var zero *credential.Issuer
		_, err = zero.SignStatusList(ok, l)
		assert.ErrorIs(t, err, credential.ErrIssuer)
	})
}
