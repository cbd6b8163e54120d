package credential_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

type problem struct {
	claim credential.Claim
	err   error
}

// TestValidate checks that each kind of problem is reported exactly once,
// on the right claim, with the right sentinel.
func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		base    func() credential.KTP
		profile credential.Profile
		edit    func(k *credential.KTP)
		want    []problem // nil: valid
	}{
		{"man is valid", testkit.Man, credential.ProfileFull, func(*credential.KTP) {}, nil},
		{"woman is valid", testkit.Woman, credential.ProfileFull, func(*credential.KTP) {}, nil},
		{"WNA is valid", testkit.Foreigner, credential.ProfileFull, func(*credential.KTP) {}, nil},
		{"missing name", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Name = "" },
			[]problem{{credential.ClaimName, credential.ErrMissingClaim}}},
		{"missing address", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address = nil },
			[]problem{{credential.ClaimAddress, credential.ErrMissingClaim}}},
		{"missing address line", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.Kecamatan = "" },
			[]problem{{credential.ClaimAddress, credential.ErrMissingClaim}}},
		{"empty address", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address = &credential.Address{} },
			[]problem{{credential.ClaimAddress, credential.ErrMissingClaim}, {credential.ClaimAddress, credential.ErrInvalidValue}}},
		{"missing validity", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Validity = credential.Validity{} },
			[]problem{{credential.ClaimValidity, credential.ErrMissingClaim}}},
		{"NIK vs birth date", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.BirthDate = mustDate("1985-08-18") },
			[]problem{{credential.ClaimBirthDate, credential.ErrNIKBirthDateMismatch}}},
		{"NIK vs birth year", testkit.Man, credential.ProfileTravel, func(k *credential.KTP) {
			*k = credential.Profile.Select(credential.ProfileTravel, k, credential.Date{})
			k.BirthDate = mustDate("1975-08-17")
		}, []problem{{credential.ClaimBirthDate, credential.ErrNIKBirthDateMismatch}}},
		{"NIK vs sex (man claims female)", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Sex = credential.SexFemale },
			[]problem{{credential.ClaimSex, credential.ErrNIKSexMismatch}}},
		{"NIK vs sex (woman claims male)", testkit.Woman, credential.ProfileFull, func(k *credential.KTP) { k.Sex = credential.SexMale },
			[]problem{{credential.ClaimSex, credential.ErrNIKSexMismatch}}},
		{"NIK vs province", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.Province = "JAWA BARAT" },
			[]problem{{credential.ClaimAddress, credential.ErrNIKProvinceMismatch}}},
		{"province name spelt differently is fine", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.Province = "Provinsi D.K.I. Jakarta" }, nil},
		{"WNA without nationality", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Nationality = "" },
			[]problem{{credential.ClaimNationality, credential.ErrMissingClaim}}},
		{"WNA with lifetime validity", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Validity = credential.Lifetime },
			[]problem{{credential.ClaimValidity, credential.ErrInvalidValue}}},
		{"WNI with a nationality", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Nationality = "JPN" },
			[]problem{{credential.ClaimNationality, credential.ErrInvalidValue}}},
		{"nationality IDN", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Nationality = "IDN" },
			[]problem{{credential.ClaimNationality, credential.ErrInvalidValue}}},
		{"nationality not alpha-3", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Nationality = "jp" },
			[]problem{{credential.ClaimNationality, credential.ErrInvalidValue}}},
		{"RT over 999", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.RT = 1000 },
			[]problem{{credential.ClaimAddress, credential.ErrInvalidValue}}},
		{"RW over 999", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.RW = 65535 },
			[]problem{{credential.ClaimAddress, credential.ErrInvalidValue}}},
		{"control character in name", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Name = "BUDI\x00SANTOSO" },
			[]problem{{credential.ClaimName, credential.ErrInvalidValue}}},
		{"newline in street", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.Street = "JL. A\nJL. B" },
			[]problem{{credential.ClaimAddress, credential.ErrInvalidValue}}},
		{"bidi override in occupation", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Occupation = "PNS\u202e" },
			[]problem{{credential.ClaimOccupation, credential.ErrInvalidValue}}},
		{"invalid UTF-8", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.BirthPlace = "JAKARTA\xff" },
			[]problem{{credential.ClaimBirthPlace, credential.ErrInvalidValue}}},
		{"leading space", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Name = " BUDI" },
			[]problem{{credential.ClaimName, credential.ErrInvalidValue}}},
		{"too-long text", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Occupation = strings.Repeat("A", 121) },
			[]problem{{credential.ClaimOccupation, credential.ErrInvalidValue}}},
		{"text at the limit", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Occupation = strings.Repeat("A", 120) }, nil},
		{"unknown enum value", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Religion = 200 },
			[]problem{{credential.ClaimReligion, credential.ErrInvalidValue}}},
		{"invalid NIK", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.NIK = "3171011708850000" },
			[]problem{{credential.ClaimNIK, credential.ErrInvalidNIK}}},
		{"issued before birth", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.IssueDate = mustDate("1980-01-01") },
			[]problem{{credential.ClaimIssueDate, credential.ErrInconsistentDates}}},
		{"valid until before issue", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Validity = credential.ValidUntil(mustDate("2024-01-01")) },
			[]problem{{credential.ClaimValidity, credential.ErrInconsistentDates}}},
		{"over_17 in the full profile", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { b := true; k.Over17 = &b },
			[]problem{{credential.ClaimOver17, credential.ErrClaimNotInProfile}}},
		{"claim not in the KAI profile", testkit.Man, credential.ProfileKAI, func(k *credential.KTP) {
			*k = credential.KTP{NIK: k.NIK, Name: k.Name, Religion: k.Religion}
		}, []problem{{credential.ClaimReligion, credential.ErrClaimNotInProfile}}},
		{"KAI profile without a name", testkit.Man, credential.ProfileKAI, func(k *credential.KTP) { *k = credential.KTP{NIK: k.NIK} },
			[]problem{{credential.ClaimName, credential.ErrMissingClaim}}},
		{"age profile with a NIK", testkit.Man, credential.ProfileAge, func(k *credential.KTP) { b := true; *k = credential.KTP{NIK: k.NIK, Over17: &b} },
			[]problem{{credential.ClaimNIK, credential.ErrClaimNotInProfile}}},
		{"age profile without the flag", testkit.Man, credential.ProfileAge, func(k *credential.KTP) { *k = credential.KTP{} },
			[]problem{{credential.ClaimOver17, credential.ErrMissingClaim}}},
		{"unknown profile", testkit.Man, credential.Profile(9), func(*credential.KTP) {},
			[]problem{{0, credential.ErrInvalidValue}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.base()
			tc.edit(&k)
			err := k.Validate(tc.profile)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			var ve *credential.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Problems, len(tc.want), "problems: %v", err)
			for i, w := range tc.want {
				assert.Equal(t, w.claim, ve.Problems[i].Claim, "problem %d", i)
				assert.ErrorIs(t, ve.Problems[i], w.err, "problem %d", i)
				assert.ErrorIs(t, err, w.err)
			}
		})
	}
}

// TestValidateReportsEveryProblem breaks a record in many ways at once and
// expects every problem back in one error.
func TestValidateReportsEveryProblem(t *testing.T) {
	k := testkit.Man()
	k.Name = ""                             // missing
	k.BirthDate = mustDate("1985-08-18")    // NIK birth date
	k.Sex = credential.SexFemale            // NIK sex
	k.Address.Province = "BALI"             // NIK province
	k.Address.RT = 1234                     // RT
	k.Nationality = "JPN"                   // WNI with a nationality
	k.Occupation = "A\tB"                   // control character
	k.BirthPlace = strings.Repeat("X", 200) // too long
	k.IssueDate = mustDate("1970-01-01")    // before birth
	err := k.Validate(credential.ProfileFull)
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 9, "%v", err)
	for _, sentinel := range []error{
		credential.ErrMissingClaim, credential.ErrNIKBirthDateMismatch, credential.ErrNIKSexMismatch,
		credential.ErrNIKProvinceMismatch, credential.ErrInvalidValue, credential.ErrInconsistentDates,
	} {
		assert.ErrorIs(t, err, sentinel)
	}
	assert.NotErrorIs(t, err, credential.ErrClaimNotInProfile)
	assert.NotErrorIs(t, err, credential.ErrInvalidNIK)
	claims := map[credential.Claim]int{}
	for _, p := range ve.Problems {
		claims[p.Claim]++
		assert.True(t, strings.HasPrefix(p.Error(), p.Claim.String()+": "))
	}
	assert.Equal(t, map[credential.Claim]int{
		credential.ClaimName: 1, credential.ClaimBirthDate: 1, credential.ClaimSex: 1, credential.ClaimAddress: 2,
		credential.ClaimNationality: 1, credential.ClaimOccupation: 1, credential.ClaimBirthPlace: 1, credential.ClaimIssueDate: 1,
	}, claims)
	assert.True(t, strings.HasPrefix(err.Error(), "credential: "))

	// Issue refuses the record with the same error.
	_, err = testIssuer("EdDSA").Issue(testRequest(k, "holder"))
	var ie *credential.ValidationError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, ve.Problems, ie.Problems)
}

// TestIssueRefusesInvalidClaims checks that Issue returns a
// *ValidationError, signing nothing, for each kind of problem.
func TestIssueRefusesInvalidClaims(t *testing.T) {
	for _, edit := range []func(k *credential.KTP){
		func(k *credential.KTP) { k.Sex = credential.SexFemale },
		func(k *credential.KTP) { k.Name = "" },
		func(k *credential.KTP) { b := true; k.Over17 = &b },
	} {
		k := testkit.Man()
		edit(&k)
		out, err := testIssuer("ES256").Issue(testRequest(k, "holder"))
		var ve *credential.ValidationError
		assert.True(t, errors.As(err, &ve), "%v", err)
		assert.Nil(t, out)
	}
}
