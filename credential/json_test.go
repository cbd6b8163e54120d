package credential_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// manJSON is the person record of testkit.Man, byte for byte: members in
// Claim order, enums by key.
const manJSON = `{"nik":"3171011708850003","name":"BUDI SANTOSO","birth_place":"JAKARTA",` +
	`"birth_date":"1985-08-17","sex":"male","blood_type":"o","address":{"street":"JL. MERDEKA SELATAN NO. 10",` +
	`"rt":5,"rw":2,"kelurahan":"GAMBIR","kecamatan":"GAMBIR","regency":"JAKARTA PUSAT","province":"DKI JAKARTA"},` +
	`"religion":"islam","marital_status":"married","occupation":"KARYAWAN SWASTA","citizenship":"indonesian",` +
	`"validity":"SEUMUR HIDUP","issuing_office":"JAKARTA PUSAT","issue_date":"2019-03-12"}`

func TestKTPJSON_pinned(t *testing.T) {
	b, err := json.Marshal(testkit.Man())
	require.NoError(t, err)
	assert.Equal(t, manJSON, string(b))

	b, err = json.Marshal(testkit.Foreigner())
	require.NoError(t, err)
	assert.JSONEq(t, `{"nik":"5103012211780007","name":"TANAKA HIROSHI","birth_place":"OSAKA",
		"birth_date":"1978-11-22","sex":"male","blood_type":"unknown","address":{"street":"JL. PANTAI KUTA NO. 8",
		"rt":1,"rw":4,"kelurahan":"KUTA","kecamatan":"KUTA","regency":"BADUNG","province":"BALI"},
		"religion":"buddhist","marital_status":"married","occupation":"WIRASWASTA","citizenship":"foreign",
		"nationality":"JPN","validity":"2030-06-30","issuing_office":"BADUNG","issue_date":"2025-07-01"}`, string(b))

	over := false
	b, err = json.Marshal(credential.KTP{Over17: &over, Address: &credential.Address{}})
	require.NoError(t, err)
	assert.Equal(t, `{"address":{},"over_17":false}`, string(b))

	b, err = json.Marshal(credential.KTP{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))
}

// TestKTPJSON_roundTrip round-trips the sample records, and a pointer to
// one, through encoding/json.
func TestKTPJSON_roundTrip(t *testing.T) {
	for _, p := range people {
		k := p.ktp()
		for _, v := range []any{k, &k} {
			b, err := json.Marshal(v)
			require.NoError(t, err)
			var got credential.KTP
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, k, got, p.name)
		}
	}
	// Inside another document.
	type record struct {
		Person credential.KTP  `json:"person"`
		Other  *credential.KTP `json:"other,omitempty"`
	}
	in := record{Person: testkit.Woman()}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var out record
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)
}

func TestKTPJSON_merge(t *testing.T) {
	addr := &credential.Address{Street: "JL. A", Province: "BALI"}
	k := credential.KTP{Name: "BUDI", Sex: credential.SexMale, Address: addr}
	require.NoError(t, json.Unmarshal([]byte(`{"sex":"P","religion":"islam","address":{"rt":5,"province":"JAWA BARAT"},"name":null}`), &k))
	assert.Equal(t, credential.KTP{
		Name: "BUDI", Sex: credential.SexFemale, Religion: credential.ReligionIslam,
		Address: &credential.Address{Street: "JL. A", RT: 5, Province: "JAWA BARAT"},
	}, k)
	assert.Equal(t, &credential.Address{Street: "JL. A", Province: "BALI"}, addr, "the old address is not written to")

	// "" clears a member; null leaves it; top-level null does nothing.
	require.NoError(t, json.Unmarshal([]byte(`{"name":"","sex":"","religion":null}`), &k))
	assert.Empty(t, k.Name)
	assert.Zero(t, k.Sex)
	assert.Equal(t, credential.ReligionIslam, k.Religion)
	before := k
	require.NoError(t, json.Unmarshal([]byte(`null`), &k))
	require.NoError(t, k.UnmarshalJSON([]byte(` null `)))
	assert.Equal(t, before, k)
}

func TestKTPJSON_validity(t *testing.T) {
	for _, s := range []string{"SEUMUR HIDUP", "seumur hidup", "Seumur Hidup", " SEUMUR HIDUP ", "lifetime", "LIFETIME", "For life"} {
		var k credential.KTP
		require.NoError(t, json.Unmarshal([]byte(`{"validity":"`+s+`"}`), &k), s)
		assert.Equal(t, credential.Validity{Lifetime: true}, k.Validity, s)
	}
	var k credential.KTP
	require.NoError(t, json.Unmarshal([]byte(`{"validity":"2030-06-30"}`), &k))
	assert.Equal(t, credential.Validity{Until: mustDate("2030-06-30")}, k.Validity)
	require.NoError(t, json.Unmarshal([]byte(`{"validity":""}`), &k))
	assert.Equal(t, credential.Validity{}, k.Validity)

	for _, s := range []string{`"2023-02-29"`, `"forever"`, `"20230101"`, `17`, `true`, `{}`} {
		var k credential.KTP
		err := json.Unmarshal([]byte(`{"validity":`+s+`,"issue_date":`+s+`}`), &k)
		var ve *credential.ValidationError
		require.ErrorAs(t, err, &ve, s)
		require.Len(t, ve.Problems, 2, s)
		assert.Equal(t, credential.ClaimValidity, ve.Problems[0].Claim)
		assert.Equal(t, credential.ClaimIssueDate, ve.Problems[1].Claim)
		assert.ErrorIs(t, err, credential.ErrInvalidValue)
	}
}

func TestKTPJSON_NIK(t *testing.T) {
	var k credential.KTP
	require.NoError(t, json.Unmarshal([]byte(`{"nik":"`+nikFemale+`"}`), &k))
	assert.Equal(t, credential.NIK(nikFemale), k.NIK)

	for in, reason := range map[string]error{
		`"3171011708850000"`:   credential.ErrNIKSerial,
		`""`:                   credential.ErrNIKLength,
		`"317101170885000١"`:   credential.ErrNIKLength,
		`"3171 11708850001"`:   credential.ErrNIKNonDigit,
		`3171011708850001`:     credential.ErrInvalidValue,
		`["3171011708850001"]`: credential.ErrInvalidValue,
		`"31710117088500010"`:  credential.ErrNIKLength,
		`"9901011708850001"`:   credential.ErrNIKProvince,
		`"3171013102850001"`:   credential.ErrNIKBirthDate,
		`"3100011708850001"`:   credential.ErrNIKRegency,
		`"3171001708850001"`:   credential.ErrNIKDistrict,
		`"３１７１０１１７０８８５０００１"`: credential.ErrNIKLength,
	} {
		var k credential.KTP
		err := json.Unmarshal([]byte(`{"nik":`+in+`}`), &k)
		var ve *credential.ValidationError
		require.ErrorAs(t, err, &ve, in)
		require.Len(t, ve.Problems, 1, in)
		assert.Equal(t, credential.ClaimNIK, ve.Problems[0].Claim, in)
		assert.ErrorIs(t, err, reason, in)
		assert.ErrorIs(t, err, credential.ErrInvalidValue, in)
		assert.Empty(t, k.NIK, in)
	}
}

// TestKTPJSON_everyProblemAtOnce breaks a record in every way at once and
// expects each problem, on its claim, in one error, and the KTP untouched.
func TestKTPJSON_everyProblemAtOnce(t *testing.T) {
	doc := `{
		"nik": "3171011708850000",
		"name": 42,
		"birth_date": "1985-02-30",
		"sex": "X",
		"blood_type": "A+",
		"address": {"street": "JL. A", "rt": 1000000, "zip": "10110"},
		"religion": true,
		"marital_status": "JANDA",
		"citizenship": "dual",
		"validity": "forever",
		"issue_date": "12-03-2019",
		"over_17": "yes",
		"NIK": "3171011708850003",
		"photo": "...",
		"occupation": "PNS",
		"occupation": "PNS"
	}`
	k := testkit.Man()
	before := testkit.Man()
	err := json.Unmarshal([]byte(doc), &k)
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	var claims []credential.Claim
	for _, p := range ve.Problems {
		claims = append(claims, p.Claim)
		assert.ErrorIs(t, p, credential.ErrInvalidValue, "%v", p)
	}
	assert.Equal(t, []credential.Claim{
		credential.ClaimNIK, credential.ClaimName, credential.ClaimBirthDate, credential.ClaimSex,
		credential.ClaimBloodType, credential.ClaimAddress, credential.ClaimAddress, credential.ClaimReligion,
		credential.ClaimMaritalStatus, credential.ClaimCitizenship, credential.ClaimValidity, credential.ClaimIssueDate,
		credential.ClaimOver17, 0, 0, credential.ClaimOccupation,
	}, claims, "%v", err)
	assert.ErrorIs(t, err, credential.ErrNIKSerial)
	// Every member in the record failed except occupation's first
	// occurrence: that one is set, the rest keep their values, so that
	// Validate can check what did decode.
	want := before
	want.Occupation = "PNS"
	assert.Equal(t, want, k, "the members that decode are set")
}

func TestKTPJSON_notAnObject(t *testing.T) {
	for _, in := range []string{``, `[]`, `"x"`, `1`, `true`, `{`, `{"name":"A"`, `{"name":"A"} {}`, `{"name":"A"}x`, `{"name" "A"}`} {
		k := credential.KTP{Name: "B"}
		err := k.UnmarshalJSON([]byte(in))
		var ve *credential.ValidationError
		require.ErrorAs(t, err, &ve, "%q", in)
		assert.Zero(t, ve.Problems[len(ve.Problems)-1].Claim, "%q", in)
		assert.ErrorIs(t, err, credential.ErrInvalidValue, "%q", in)
		assert.Equal(t, credential.KTP{Name: "B"}, k, "%q", in)
	}
	// The address must be an object too.
	var k credential.KTP
	err := json.Unmarshal([]byte(`{"address":"JL. A"}`), &k)
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, credential.ClaimAddress, ve.Problems[0].Claim)
}

// TestKTPJSON_marshalRefuses checks that MarshalJSON reports, all at once,
// every value UnmarshalJSON could not read back.
func TestKTPJSON_marshalRefuses(t *testing.T) {
	k := credential.KTP{
		NIK:           "123",
		BirthDate:     credential.Date{Year: 1985, Month: 2, Day: 30},
		Sex:           9,
		BloodType:     6,
		Religion:      8,
		MaritalStatus: 5,
		Citizenship:   3,
		Validity:      credential.Validity{Lifetime: true, Until: mustDate("2030-01-01")},
		IssueDate:     credential.Date{Year: 2019, Month: 13, Day: 1},
	}
	_, err := json.Marshal(k)
	var ve *credential.ValidationError
	require.ErrorAs(t, err, &ve)
	var claims []credential.Claim
	for _, p := range ve.Problems {
		claims = append(claims, p.Claim)
	}
	assert.Equal(t, []credential.Claim{
		credential.ClaimNIK, credential.ClaimBirthDate, credential.ClaimSex, credential.ClaimBloodType,
		credential.ClaimReligion, credential.ClaimMaritalStatus, credential.ClaimCitizenship,
		credential.ClaimValidity, credential.ClaimIssueDate,
	}, claims)
	assert.ErrorIs(t, err, credential.ErrNIKLength)
	assert.ErrorIs(t, err, credential.ErrInvalidValue)

	_, err = json.Marshal(credential.KTP{Validity: credential.Validity{Until: credential.Date{Year: 2030, Month: 2, Day: 30}}})
	assert.ErrorIs(t, err, credential.ErrInvalidValue)
}

// TestKTPJSON_memberNames checks that every claim's member name is its
// String, and that names are exact.
func TestKTPJSON_memberNames(t *testing.T) {
	k := testkit.Foreigner()
	over := true
	k.Over17 = &over
	b, err := json.Marshal(k)
	require.NoError(t, err)
	var members map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &members))
	for c := credential.ClaimNIK; c <= credential.ClaimOver17; c++ {
		_, ok := members[c.String()]
		assert.True(t, ok, "%v", c)
	}
	assert.Len(t, members, 16)

	for _, name := range []string{"NIK", "Name", "birthDate", "birth-date", " name"} {
		var k credential.KTP
		err := json.Unmarshal([]byte(`{"`+name+`":"X"}`), &k)
		var ve *credential.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.Zero(t, ve.Problems[0].Claim, name)
	}
}
