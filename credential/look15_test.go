package credential_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ikdgo/ikd/credential"
)

// TestNilRecords: look 15, attacker 9. A nil KTP, KK, Member or
// BirthCertificate has no claims, displays nothing and does not validate;
// none panics (a scanner reading Result.KK of a KTP gets nil).
func TestNilRecords(t *testing.T) {
	var (
		k *credential.KTP
		f *credential.KK
		m *credential.Member
		b *credential.BirthCertificate
		c *credential.Credential
	)
	assert.Empty(t, k.Claims())
	assert.False(t, k.Has(credential.ClaimName))
	id, en := k.Display(credential.ClaimName)
	assert.Equal(t, [2]string{}, [2]string{id, en})
	assert.ErrorIs(t, k.Validate(credential.ProfileKAI), credential.ErrMissingClaim)

	assert.Empty(t, f.Claims())
	id, en = f.Display(credential.ClaimKKNumber)
	assert.Equal(t, [2]string{}, [2]string{id, en})
	assert.ErrorIs(t, f.Validate(credential.ProfileKKFull), credential.ErrMissingClaim)

	id, en = m.Display(credential.ClaimMemberName)
	assert.Equal(t, [2]string{}, [2]string{id, en})

	assert.Empty(t, b.Claims())
	id, en = b.Display(credential.ClaimAktaNumber)
	assert.Equal(t, [2]string{}, [2]string{id, en})
	assert.ErrorIs(t, b.Validate(credential.ProfileAktaFull), credential.ErrMissingClaim)

	assert.False(t, c.About("3171011708850003"))
}
