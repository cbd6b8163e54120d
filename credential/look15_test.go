package credential_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
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

// schoolKK is the kk-school projection of testkit.Family(4) for its first
// child, as the issuer signs it.
func schoolKK() credential.KK {
	f := testkit.Family(4)
	c, h, w := f.Members[2], f.Members[0], f.Members[1]
	parent := func(m credential.Member) credential.Member {
		return credential.Member{Name: m.Name, NIK: m.NIK, Relationship: m.Relationship}
	}
	return credential.KK{Number: f.Number, Head: f.Head, Address: f.Address, Members: []credential.Member{{
		Name: c.Name, NIK: c.NIK, Sex: c.Sex, BirthPlace: c.BirthPlace, BirthDate: c.BirthDate,
		Relationship: c.Relationship, Father: c.Father, Mother: c.Mother,
	}, parent(h), parent(w)}}
}

// TestKKSchoolPerMember: look 15, attacker 7. The school profile carries
// the child's columns for the child only; a head or spouse with a birth
// date, a sex, a birth place or parents' names is refused, and so is a
// spouse whose NIK's sex does not fit the relationship.
func TestKKSchoolPerMember(t *testing.T) {
	base := schoolKK()
	require.NoError(t, base.Validate(credential.ProfileKKSchool))
	f := testkit.Family(4)
	tests := []struct {
		name string
		edit func(k *credential.KK)
	}{
		{"head_with_a_birth_date", func(k *credential.KK) { k.Members[1].BirthDate = f.Members[0].BirthDate }},
		{"head_with_a_sex", func(k *credential.KK) { k.Members[1].Sex = f.Members[0].Sex }},
		{"spouse_with_a_birth_place", func(k *credential.KK) { k.Members[2].BirthPlace = f.Members[1].BirthPlace }},
		{"spouse_with_parents_names", func(k *credential.KK) { k.Members[2].Father, k.Members[2].Mother = "X", "Y" }},
		{"a_husband_beside_a_male_head", func(k *credential.KK) {
			k.Members[2].Relationship = credential.RelationshipSuami
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := schoolKK()
			k.Members = append([]credential.Member(nil), k.Members...)
			tt.edit(&k)
			err := k.Validate(credential.ProfileKKSchool)
			assert.ErrorIs(t, err, credential.ErrInvalidValue)
		})
	}
}

// TestKKTooManyMembersStops: look 15, attacker 10. Past 24 members
// Validate reports that alone.
func TestKKTooManyMembersStops(t *testing.T) {
	k := testkit.Family(4)
	for len(k.Members) < 1000 {
		k.Members = append(k.Members, k.Members[3])
	}
	err := k.Validate(credential.ProfileKKFull)
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 1, "%v", err)
}
