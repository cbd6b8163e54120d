package credential_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// TestClaimsWire pins the encoding of each kind of claim value in the
// claims map: dates YYYYMMDD, the NIK a 9-byte integer, enums one byte,
// a lifetime validity true, absent claims no key at all.
func TestClaimsWire(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		k    credential.KTP
		hex  string
	}{
		{"nothing", credential.KTP{}, "a0"},
		{"birth date", credential.KTP{BirthDate: mustDate("1985-08-17")}, "a1 04 1a012ee641"},
		{"leap day", credential.KTP{BirthDate: mustDate("2000-02-29")}, "a1 04 1a01312de5"},
		{"first date", credential.KTP{IssueDate: mustDate("1800-01-01")}, "a1 0f 1a0112a8e5"},
		{"last date", credential.KTP{IssueDate: mustDate("9999-12-31")}, "a1 0f 1a05f5bebf"},
		{"validity for life", credential.KTP{Validity: credential.Validity{Lifetime: true}}, "a1 0d f5"},
		{"validity until", credential.KTP{Validity: credential.Validity{Until: mustDate("2030-06-30")}}, "a1 0d 1a0135c356"},
		{"NIK", credential.KTP{NIK: nikMale}, "a1 01 1b 000b4404b27c0f51"},
		{"enums", credential.KTP{
			Sex: credential.SexFemale, BloodType: credential.BloodTypeUnknown, Religion: credential.ReligionKepercayaan,
			MaritalStatus: credential.MaritalCeraiMati, Citizenship: credential.CitizenshipWNA,
		}, "a5 05 02 06 05 08 07 09 04 0b 02"},
		{"text", credential.KTP{Name: "BUDI", Nationality: "JPN"}, "a2 02 64 42554449 0c 63 4a504e"},
		{"address", credential.KTP{Address: &credential.Address{Street: "A", RT: 5, RW: 300, Province: "B"}}, "a1 07 a4 01 61 41 02 05 03 19 012c 07 61 42"},
		{"over 17", credential.KTP{Over17: &yes}, "a1 10 f5"},
		{"under 17", credential.KTP{Over17: &no}, "a1 10 f4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := credential.ClaimsWire(tc.k)
			require.NoError(t, err)
			assert.Equal(t, strings.ReplaceAll(tc.hex, " ", ""), hex.EncodeToString(b))
		})
	}
	for name, k := range map[string]credential.KTP{
		"malformed NIK":            {NIK: "123"},
		"birth date 30 Feb":        {BirthDate: credential.Date{Year: 1985, Month: time.February, Day: 30}},
		"issue date in month 13":   {IssueDate: credential.Date{Year: 2019, Month: 13, Day: 1}},
		"validity until 31 Apr":    {Validity: credential.Validity{Until: credential.Date{Year: 2030, Month: time.April, Day: 31}}},
		"validity for life, dated": {Validity: credential.Validity{Lifetime: true, Until: mustDate("2030-01-01")}},
	} {
		_, err := credential.ClaimsWire(k)
		assert.ErrorIs(t, err, credential.ErrInvalidValue, name)
	}
}

// TestPayloadWire checks that an issued credential carries under -3
// exactly the claims map of its profile's part of the record.
func TestPayloadWire(t *testing.T) {
	for _, p := range people {
		k := p.ktp()
		for _, cred := range issueAll(t, "EdDSA", k) {
			var top map[int64]cbor.RawMessage
			require.NoError(t, cbor.Unmarshal(payloadOf(t, cred.Bytes), &top))
			want, err := credential.ClaimsWire(credential.Project(cred.Profile, &k, credential.DateOf(testkit.Now)))
			require.NoError(t, err)
			assert.Equal(t, want, []byte(top[-3]), "%s %v", p.name, cred.Profile)
			assert.Equal(t, []byte{byte(cred.Profile)}, []byte(top[-1]), "profile")
			assert.Equal(t, "82071a0001e240", hex.EncodeToString(top[-2]), "status [7, 123456]")
		}
	}
}
