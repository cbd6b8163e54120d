package credential_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
)

// enumCase is one enum value with its expected wire number, key and labels,
// and spellings that must read as it: the claim it is and a KTP holding
// only it.
type enumCase struct {
	claim     credential.Claim
	v         fmt.Stringer
	num       uint8
	key       string
	id, en    string
	spellings []string
	ktp       credential.KTP
}

func enumCases() []enumCase {
	sex := func(v credential.Sex) credential.KTP { return credential.KTP{Sex: v} }
	blood := func(v credential.BloodType) credential.KTP { return credential.KTP{BloodType: v} }
	rel := func(v credential.Religion) credential.KTP { return credential.KTP{Religion: v} }
	mar := func(v credential.MaritalStatus) credential.KTP { return credential.KTP{MaritalStatus: v} }
	cit := func(v credential.Citizenship) credential.KTP { return credential.KTP{Citizenship: v} }
	const (
		cSex   = credential.ClaimSex
		cBlood = credential.ClaimBloodType
		cRel   = credential.ClaimReligion
		cMar   = credential.ClaimMaritalStatus
		cCit   = credential.ClaimCitizenship
	)
	return []enumCase{
		{cSex, credential.SexMale, 1, "male", "LAKI-LAKI", "Male", []string{"laki laki", "L", "pria", "m", "Laki"}, sex(credential.SexMale)},
		{cSex, credential.SexFemale, 2, "female", "PEREMPUAN", "Female", []string{"Wanita", "p", "F"}, sex(credential.SexFemale)},

		{cBlood, credential.BloodTypeA, 1, "a", "A", "A", nil, blood(credential.BloodTypeA)},
		{cBlood, credential.BloodTypeB, 2, "b", "B", "B", nil, blood(credential.BloodTypeB)},
		{cBlood, credential.BloodTypeAB, 3, "ab", "AB", "AB", []string{"aB"}, blood(credential.BloodTypeAB)},
		{cBlood, credential.BloodTypeO, 4, "o", "O", "O", []string{"0"}, blood(credential.BloodTypeO)},
		{cBlood, credential.BloodTypeUnknown, 5, "unknown", "-", "Unknown", []string{"tidak tahu", " - ", "Tidak Diketahui"}, blood(credential.BloodTypeUnknown)},

		{cRel, credential.ReligionIslam, 1, "islam", "ISLAM", "Islam", []string{"Muslim"}, rel(credential.ReligionIslam)},
		{cRel, credential.ReligionKristen, 2, "protestant", "KRISTEN", "Protestant Christianity", []string{"KRISTEN PROTESTAN", "protestan", "Christian", "Protestant"}, rel(credential.ReligionKristen)},
		{cRel, credential.ReligionKatolik, 3, "catholic", "KATOLIK", "Catholic Christianity", []string{"KATHOLIK", "Kristen Katolik", "kristen katholik", "Catholic"}, rel(credential.ReligionKatolik)},
		{cRel, credential.ReligionHindu, 4, "hindu", "HINDU", "Hinduism", nil, rel(credential.ReligionHindu)},
		{cRel, credential.ReligionBuddha, 5, "buddhist", "BUDDHA", "Buddhism", []string{"BUDHA"}, rel(credential.ReligionBuddha)},
		{cRel, credential.ReligionKhonghucu, 6, "confucian", "KHONGHUCU", "Confucianism", []string{"Konghucu", "KONG HU CU", "Khong Hu Cu", "khonghuchu"}, rel(credential.ReligionKhonghucu)},
		{cRel, credential.ReligionKepercayaan, 7, "kepercayaan", "KEPERCAYAAN TERHADAP TUHAN YME", "Belief in God Almighty", []string{"Kepercayaan", "kepercayaan terhadap Tuhan Yang Maha Esa"}, rel(credential.ReligionKepercayaan)},

		{cMar, credential.MaritalBelumKawin, 1, "single", "BELUM KAWIN", "Single", []string{"belum menikah", "Not Married"}, mar(credential.MaritalBelumKawin)},
		{cMar, credential.MaritalKawin, 2, "married", "KAWIN", "Married", []string{"Menikah"}, mar(credential.MaritalKawin)},
		{cMar, credential.MaritalCeraiHidup, 3, "divorced", "CERAI HIDUP", "Divorced", nil, mar(credential.MaritalCeraiHidup)},
		{cMar, credential.MaritalCeraiMati, 4, "widowed", "CERAI MATI", "Widowed", nil, mar(credential.MaritalCeraiMati)},

		{cCit, credential.CitizenshipWNI, 1, "indonesian", "WNI", "Indonesian citizen", []string{"Warga Negara Indonesia", "indonesia", "Indonesian"}, cit(credential.CitizenshipWNI)},
		{cCit, credential.CitizenshipWNA, 2, "foreign", "WNA", "Foreign national", []string{"warga negara asing", "Asing", "foreigner"}, cit(credential.CitizenshipWNA)},
	}
}

func TestEnums_String(t *testing.T) {
	for _, tc := range enumCases() {
		assert.Equal(t, tc.key, tc.v.String())
		assert.Equal(t, strings.ToLower(tc.key), tc.key, "keys are lower case")
	}
	for _, tc := range []struct {
		v    fmt.Stringer
		want string
	}{
		{credential.Sex(0), "Sex(0)"},
		{credential.Sex(7), "Sex(7)"},
		{credential.BloodType(0), "BloodType(0)"},
		{credential.BloodType(6), "BloodType(6)"},
		{credential.Religion(0), "Religion(0)"},
		{credential.Religion(8), "Religion(8)"},
		{credential.Religion(255), "Religion(255)"},
		{credential.MaritalStatus(0), "MaritalStatus(0)"},
		{credential.MaritalStatus(5), "MaritalStatus(5)"},
		{credential.Citizenship(0), "Citizenship(0)"},
		{credential.Citizenship(3), "Citizenship(3)"},
	} {
		assert.Equal(t, tc.want, tc.v.String())
	}
}

// TestEnums_Display checks the labels a person reads: the card's and the
// English ones.
func TestEnums_Display(t *testing.T) {
	for _, tc := range enumCases() {
		t.Run(tc.claim.String()+"/"+tc.key, func(t *testing.T) {
			id, en := tc.ktp.Display(tc.claim)
			assert.Equal(t, tc.id, id)
			assert.Equal(t, tc.en, en)
			assert.Equal(t, strings.ToUpper(tc.id), tc.id, "card labels are upper case")
		})
	}
}

// TestEnums_JSON reads every expected spelling of every value (key,
// labels, case and space variants, aliases) and writes the key back.
func TestEnums_JSON(t *testing.T) {
	for _, tc := range enumCases() {
		t.Run(tc.claim.String()+"/"+tc.key, func(t *testing.T) {
			b, err := json.Marshal(tc.ktp)
			require.NoError(t, err)
			assert.JSONEq(t, fmt.Sprintf(`{%q:%q}`, tc.claim.String(), tc.key), string(b))

			inputs := append([]string{
				tc.key, tc.id, tc.en,
				strings.ToLower(tc.id), strings.ToUpper(tc.en), strings.ToUpper(tc.key),
				"  " + tc.id + "\t",
			}, tc.spellings...)
			for _, in := range inputs {
				var got credential.KTP
				doc, err := json.Marshal(map[string]string{tc.claim.String(): in})
				require.NoError(t, err)
				if assert.NoError(t, json.Unmarshal(doc, &got), "%q", in) {
					assert.Equal(t, tc.ktp, got, "%q", in)
				}
			}
		})
	}
}

// claimOfType maps the Go type names of the label tables to their claims.
var claimOfType = map[string]credential.Claim{
	"Sex": credential.ClaimSex, "BloodType": credential.ClaimBloodType, "Religion": credential.ClaimReligion,
	"MaritalStatus": credential.ClaimMaritalStatus, "Citizenship": credential.ClaimCitizenship,
	"Validity": credential.ClaimValidity,
}

// TestEnums_everyAliasReads walks the label tables themselves, so that an
// alias added later is tested too.
func TestEnums_everyAliasReads(t *testing.T) {
	tables := credential.EnumLabels()
	require.Len(t, tables, len(claimOfType))
	for typ, labels := range tables {
		c, ok := claimOfType[typ]
		require.True(t, ok, typ)
		for v := 1; v < len(labels); v++ {
			l := labels[v]
			for _, s := range append([]string{l.Key, l.Indonesian, l.English}, l.Aliases...) {
				var k credential.KTP
				doc, err := json.Marshal(map[string]string{c.String(): s})
				require.NoError(t, err)
				require.NoError(t, json.Unmarshal(doc, &k), "%s %q", typ, s)
				b, err := json.Marshal(k)
				require.NoError(t, err)
				assert.JSONEq(t, fmt.Sprintf(`{%q:%q}`, c.String(), l.Key), string(b), "%s %q", typ, s)
			}
		}
	}
}

func TestEnums_labelsAreUnambiguous(t *testing.T) {
	// Within one type, no spelling may name two values.
	for typ, labels := range credential.EnumLabels() {
		seen := map[string]int{}
		for v := 1; v < len(labels); v++ {
			l := labels[v]
			for _, s := range append([]string{l.Key, l.Indonesian, l.English}, l.Aliases...) {
				s = strings.ToLower(strings.TrimSpace(s))
				require.NotEmpty(t, s, "%s %d", typ, v)
				if prev, ok := seen[s]; ok {
					assert.Equal(t, prev, v, "%s: %q names both %d and %d", typ, s, prev, v)
				}
				seen[s] = v
			}
		}
	}
}

func TestEnums_JSONRejects(t *testing.T) {
	bad := map[credential.Claim][]string{
		credential.ClaimSex:           {" ", "X", "LAKI-LAKI-LAKI", "LAKI–LAKI" /* en dash */, "1", "Sex(1)"},
		credential.ClaimBloodType:     {"A+", "O-", "AB+", "C", "AO", "--", "1"},
		credential.ClaimReligion:      {"ateis", "Yahudi", "Religion(1)", "\u212Aristen" /* Kelvin sign K */, "ISLAMM", strings.Repeat("x", 10000)},
		credential.ClaimMaritalStatus: {"JANDA", "DUDA", "CERAI", "kawin kawin"},
		credential.ClaimCitizenship:   {"WN", "WNX", "dual", "1"},
	}
	for c, inputs := range bad {
		for _, in := range inputs {
			doc, err := json.Marshal(map[string]string{c.String(): in})
			require.NoError(t, err)
			var k credential.KTP
			err = json.Unmarshal(doc, &k)
			var ve *credential.ValidationError
			require.ErrorAs(t, err, &ve, "%v %q", c, in)
			require.Len(t, ve.Problems, 1)
			assert.Equal(t, c, ve.Problems[0].Claim)
			assert.ErrorIs(t, err, credential.ErrInvalidValue)
			assert.Less(t, len(err.Error()), 200, "long inputs are not copied whole into the message")
			assert.Equal(t, credential.KTP{}, k)
		}
	}
	// Enums are strings in JSON, not their wire numbers.
	for _, doc := range []string{`{"sex":2}`, `{"religion":["islam"]}`, `{"citizenship":true}`} {
		var k credential.KTP
		err := json.Unmarshal([]byte(doc), &k)
		var ve *credential.ValidationError
		require.ErrorAs(t, err, &ve, doc)
		assert.ErrorIs(t, err, credential.ErrInvalidValue, doc)
	}
}
