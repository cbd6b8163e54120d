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
			[]problem{{credential.ClaimBirthDate, credential.ErrNIKMismatch}}},
		{"NIK vs birth year", testkit.Man, credential.ProfileTravel, func(k *credential.KTP) {
			*k = credential.Project(credential.ProfileTravel, k, credential.Date{})
			k.BirthDate = mustDate("1975-08-17")
		}, []problem{{credential.ClaimBirthDate, credential.ErrNIKMismatch}}},
		{"NIK vs sex (man claims female)", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Sex = credential.SexFemale },
			[]problem{{credential.ClaimSex, credential.ErrNIKMismatch}}},
		{"NIK vs sex (woman claims male)", testkit.Woman, credential.ProfileFull, func(k *credential.KTP) { k.Sex = credential.SexMale },
			[]problem{{credential.ClaimSex, credential.ErrNIKMismatch}}},
		{"NIK vs province", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.Province = "JAWA BARAT" },
			[]problem{{credential.ClaimAddress, credential.ErrNIKMismatch}}},
		{"province name spelt differently is fine", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Address.Province = "Provinsi D.K.I. Jakarta" }, nil},
		{"WNA without nationality", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Nationality = "" },
			[]problem{{credential.ClaimNationality, credential.ErrMissingClaim}}},
		{"WNA with lifetime validity", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Validity = credential.Validity{Lifetime: true} },
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
			[]problem{{credential.ClaimNIK, credential.ErrNIKSerial}}},
		{"NIK with a space", testkit.Man, credential.ProfileKAI, func(k *credential.KTP) { *k = credential.KTP{NIK: "3171 11708850003", Name: k.Name} },
			[]problem{{credential.ClaimNIK, credential.ErrNIKNonDigit}}},
		{"birth date that does not exist", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.BirthDate = credential.Date{Year: 1985, Month: 2, Day: 30} },
			[]problem{{credential.ClaimBirthDate, credential.ErrInvalidValue}, {credential.ClaimBirthDate, credential.ErrNIKMismatch}}},
		{"issue date in month 13", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.IssueDate = credential.Date{Year: 2019, Month: 13, Day: 1} },
			[]problem{{credential.ClaimIssueDate, credential.ErrInvalidValue}}},
		{"validity date before 1800", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Validity.Until = credential.Date{Year: 1799, Month: 12, Day: 31} },
			[]problem{{credential.ClaimValidity, credential.ErrInvalidValue}, {credential.ClaimValidity, credential.ErrInvalidValue}}},
		{"validity for life and dated", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Validity.Until = mustDate("2030-01-01") },
			[]problem{{credential.ClaimValidity, credential.ErrInvalidValue}}},
		{"unknown sex", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Sex = 3 },
			[]problem{{credential.ClaimSex, credential.ErrInvalidValue}}},
		{"unknown blood type", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.BloodType = 6 },
			[]problem{{credential.ClaimBloodType, credential.ErrInvalidValue}}},
		{"unknown marital status", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.MaritalStatus = 5 },
			[]problem{{credential.ClaimMaritalStatus, credential.ErrInvalidValue}}},
		{"unknown citizenship", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.Citizenship = 3 },
			[]problem{{credential.ClaimCitizenship, credential.ErrInvalidValue}}},
		{"issued before birth", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { k.IssueDate = mustDate("1980-01-01") },
			[]problem{{credential.ClaimIssueDate, credential.ErrInvalidValue}}},
		{"valid until before issue", testkit.Foreigner, credential.ProfileFull, func(k *credential.KTP) { k.Validity = credential.Validity{Until: mustDate("2024-01-01")} },
			[]problem{{credential.ClaimValidity, credential.ErrInvalidValue}}},
		{"over_17 in the full profile", testkit.Man, credential.ProfileFull, func(k *credential.KTP) { b := true; k.Over17 = &b },
			[]problem{{credential.ClaimOver17, credential.ErrInvalidValue}}},
		{"claim not in the KAI profile", testkit.Man, credential.ProfileKAI, func(k *credential.KTP) {
			*k = credential.KTP{NIK: k.NIK, Name: k.Name, Religion: k.Religion}
		}, []problem{{credential.ClaimReligion, credential.ErrInvalidValue}}},
		{"KAI profile without a name", testkit.Man, credential.ProfileKAI, func(k *credential.KTP) { *k = credential.KTP{NIK: k.NIK} },
			[]problem{{credential.ClaimName, credential.ErrMissingClaim}}},
		{"age profile with a NIK", testkit.Man, credential.ProfileAge, func(k *credential.KTP) { b := true; *k = credential.KTP{NIK: k.NIK, Over17: &b} },
			[]problem{{credential.ClaimNIK, credential.ErrInvalidValue}}},
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
	for _, sentinel := range []error{credential.ErrMissingClaim, credential.ErrNIKMismatch, credential.ErrInvalidValue} {
		assert.ErrorIs(t, err, sentinel)
	}
	for _, reason := range credential.NIKReasons {
		assert.NotErrorIs(t, err, reason, "the NIK itself is fine")
	}
	claims := map[credential.Claim]int{}
	for _, p := range ve.Problems {
		claims[p.Claim]++
	}
	assert.Equal(t, map[credential.Claim]int{
		credential.ClaimName: 1, credential.ClaimBirthDate: 1, credential.ClaimSex: 1, credential.ClaimAddress: 2,
		credential.ClaimNationality: 1, credential.ClaimOccupation: 1, credential.ClaimBirthPlace: 1, credential.ClaimIssueDate: 1,
	}, claims)

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
