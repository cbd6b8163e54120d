package credential_test

import (
	"testing"
	"time"

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

// TestKKValidatePlausible: look 15, attacker 5. Dates are in order with
// the card's issue date, children are checked against both parents with
// a plausible gap, a marriage has one date and a plausible age, and the
// KK number is no member's NIK.
func TestKKValidatePlausible(t *testing.T) {
	d := func(y, m, day int) credential.Date { return credential.Date{Year: y, Month: time.Month(m), Day: day} }
	tests := []struct {
		name string
		edit func(k *credential.KK)
	}{
		{"a_member_born_after_the_issue_date", func(k *credential.KK) { k.IssueDate = d(2018, 1, 1) }},
		{"a_child_born_a_day_after_the_head", func(k *credential.KK) {
			k.Members[0].BirthDate, k.Members[0].NIK = d(2014, 7, 20), "3171012007140003"
			k.Members[0].MarriageDate, k.Members[1].MarriageDate = credential.Date{}, credential.Date{}
		}},
		{"a_child_born_before_its_mother_could_be", func(k *credential.KK) {
			k.Members[1].BirthDate, k.Members[1].NIK = d(2008, 4, 12), "3171015204080004"
		}},
		{"a_grandchild_a_year_after_the_head", func(k *credential.KK) {
			k.Members[2].Relationship = credential.RelationshipCucu
			k.Members[2].BirthDate, k.Members[2].NIK = d(1986, 7, 21), "3171012107860002"
		}},
		{"a_marriage_after_the_issue_date", func(k *credential.KK) {
			k.Members[0].MarriageDate, k.Members[1].MarriageDate = d(2025, 1, 1), d(2025, 1, 1)
		}},
		{"spouses_married_on_different_days", func(k *credential.KK) { k.Members[1].MarriageDate = d(2012, 2, 12) }},
		{"a_two_year_old_married", func(k *credential.KK) {
			k.Members[3].MaritalStatus = credential.MaritalKawin
		}},
		{"married_the_day_after_birth", func(k *credential.KK) {
			k.Members[0].MarriageDate, k.Members[1].MarriageDate = d(1988, 4, 13), d(1988, 4, 13)
		}},
		{"the_kk_number_is_the_heads_nik", func(k *credential.KK) { k.Number = string(k.Members[0].NIK) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := testkit.Family(5)
			k.Members = append([]credential.Member(nil), k.Members...)
			if tt.name == "a_two_year_old_married" {
				k.IssueDate = d(2019, 9, 3) // Ayu is two
				k.Members = k.Members[:4]
			}
			require.NoError(t, (&credential.KK{Number: k.Number, Head: k.Head, Address: k.Address, IssuingOffice: k.IssuingOffice,
				IssueDate: testkit.Family(5).IssueDate, Members: testkit.Family(5).Members}).Validate(credential.ProfileKKFull))
			tt.edit(&k)
			assert.ErrorIs(t, k.Validate(credential.ProfileKKFull), credential.ErrInvalidValue)
		})
	}
}

// TestBirthCertificatePlausible: look 15, attacker 6.
func TestBirthCertificatePlausible(t *testing.T) {
	base := testkit.Birth()
	require.NoError(t, base.Validate(credential.ProfileAktaFull))
	tests := []struct {
		name string
		edit func(b *credential.BirthCertificate)
		want error
	}{
		{"the_child_has_the_mothers_nik", func(b *credential.BirthCertificate) { b.MotherNIK = b.ChildNIK }, credential.ErrInvalidValue},
		{"the_father_has_the_childs_nik", func(b *credential.BirthCertificate) { b.FatherNIK = b.ChildNIK }, credential.ErrInvalidValue},
		{"a_fathers_nik_without_his_name", func(b *credential.BirthCertificate) { b.Father = "" }, credential.ErrMissingClaim},
		// A NIK has no century: a father whose NIK says '95 cannot have
		// a child born in 1990 (1995 is after, 2095 too).
		{"a_father_born_after_the_child", func(b *credential.BirthCertificate) {
			b.ChildNIK, b.BirthDate = "", credential.Date{Year: 1990, Month: 7, Day: 21}
			b.IssueDate, b.Number = credential.Date{Year: 1990, Month: 8, Day: 5}, "3171-LT-05081990-0123"
			b.FatherNIK = "3171011708950003"
		}, credential.ErrInvalidValue},
		{"a_number_x", func(b *credential.BirthCertificate) { b.Number = "X" }, credential.ErrInvalidValue},
		{"a_number_registered_before_the_birth", func(b *credential.BirthCertificate) { b.Number = "3171-LT-05082013-0123" }, credential.ErrInvalidValue},
		{"a_number_of_an_unknown_region", func(b *credential.BirthCertificate) { b.Number = "9971-LT-05082014-0123" }, credential.ErrInvalidValue},
		{"a_number_with_serial_0000", func(b *credential.BirthCertificate) { b.Number = "3171-LU-05082014-0000" }, credential.ErrInvalidValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testkit.Birth()
			tt.edit(&b)
			assert.ErrorIs(t, b.Validate(credential.ProfileAktaFull), tt.want)
		})
	}
	t.Run("a_certificate_from_the_future_is_not_signed", func(t *testing.T) {
		b := testkit.Birth()
		b.BirthDate, b.ChildNIK = credential.Date{Year: 2099, Month: 7, Day: 21}, "3171012107990002"
		b.IssueDate, b.Number = credential.Date{Year: 2099, Month: 8, Day: 5}, "3171-LT-05082099-0123"
		b.FatherNIK, b.MotherNIK = "", ""
		require.NoError(t, b.Validate(credential.ProfileAktaFull))
		_, _, err := testkit.IssueDocument("EdDSA", "holder", nil, &b)
		assert.ErrorIs(t, err, credential.ErrInvalidValue)
	})
}

// TestKKProblemsReadable: look 15, newcomer 9. Problems come member by
// member, each once, and a full record checked against kk-school gets one
// "not in profile" line per member rather than one per claim.
func TestKKProblemsReadable(t *testing.T) {
	k := testkit.Family(4)
	err := k.Validate(credential.ProfileKKSchool)
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	perMember := map[int]int{}
	seen := map[string]bool{}
	last := 0
	for _, p := range ve.Problems {
		assert.GreaterOrEqual(t, p.Member, last, "sorted by member: %v", err)
		last = p.Member
		assert.False(t, seen[p.Error()], "said twice: %v", p)
		seen[p.Error()] = true
		perMember[p.Member]++
	}
	assert.Less(t, len(ve.Problems), 15, "%d problems: %v", len(ve.Problems), err)
	assert.NotContains(t, err.Error(), "; member 2: member_religion: credential:", "credential: said once")
}

// TestEnumErrorsSayWhatIsValid: look 15, newcomer 10. A bad enum value
// names the valid ones (or their range).
func TestEnumErrorsSayWhatIsValid(t *testing.T) {
	var k credential.KK
	err := k.UnmarshalJSON([]byte(`{"members":[{"member_education":"phd"}]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bachelor")
	k = testkit.Family(4)
	k.Members = append([]credential.Member(nil), k.Members...)
	k.Members[2].Education = 42
	err = k.Validate(credential.ProfileKKFull)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 to 10")
}
