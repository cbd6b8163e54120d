package credential_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/codec"
)

// enum is what every KTP enum type offers.
type enum interface {
	fmt.Stringer
	encoding.TextMarshaler
	Indonesian() string
	English() string
	Valid() bool
}

// enumCase is one value with its expected key and labels, its parser, a few
// extra accepted spellings, and a fresh pointer for UnmarshalText.
type enumCase struct {
	v       enum
	num     uint8
	key     string
	id      string
	en      string
	aliases []string
	parse   func(string) (enum, error)
	fresh   func() encoding.TextUnmarshaler
}

func parser[T enum](f func(string) (T, error)) func(string) (enum, error) {
	return func(s string) (enum, error) { v, err := f(s); return v, err }
}

func fresh[T any, P interface {
	*T
	encoding.TextUnmarshaler
}]() func() encoding.TextUnmarshaler {
	return func() encoding.TextUnmarshaler { return P(new(T)) }
}

func enumCases() []enumCase {
	sex := parser(credential.ParseSex)
	blood := parser(credential.ParseBloodType)
	rel := parser(credential.ParseReligion)
	mar := parser(credential.ParseMaritalStatus)
	cit := parser(credential.ParseCitizenship)
	fSex := fresh[credential.Sex]()
	fBlood := fresh[credential.BloodType]()
	fRel := fresh[credential.Religion]()
	fMar := fresh[credential.MaritalStatus]()
	fCit := fresh[credential.Citizenship]()
	return []enumCase{
		{credential.SexMale, 1, "male", "LAKI-LAKI", "Male", []string{"laki laki", "L", "pria", "m"}, sex, fSex},
		{credential.SexFemale, 2, "female", "PEREMPUAN", "Female", []string{"Wanita", "p", "F"}, sex, fSex},

		{credential.BloodTypeA, 1, "a", "A", "A", nil, blood, fBlood},
		{credential.BloodTypeB, 2, "b", "B", "B", nil, blood, fBlood},
		{credential.BloodTypeAB, 3, "ab", "AB", "AB", []string{"aB"}, blood, fBlood},
		{credential.BloodTypeO, 4, "o", "O", "O", []string{"0"}, blood, fBlood},
		{credential.BloodTypeUnknown, 5, "unknown", "-", "Unknown", []string{"tidak tahu", " - "}, blood, fBlood},

		{credential.ReligionIslam, 1, "islam", "ISLAM", "Islam", []string{"Muslim"}, rel, fRel},
		{credential.ReligionKristen, 2, "protestant", "KRISTEN", "Protestant Christianity", []string{"KRISTEN PROTESTAN", "protestan", "Christian"}, rel, fRel},
		{credential.ReligionKatolik, 3, "catholic", "KATOLIK", "Catholic Christianity", []string{"KATHOLIK", "Kristen Katolik"}, rel, fRel},
		{credential.ReligionHindu, 4, "hindu", "HINDU", "Hinduism", nil, rel, fRel},
		{credential.ReligionBuddha, 5, "buddhist", "BUDDHA", "Buddhism", []string{"BUDHA"}, rel, fRel},
		{credential.ReligionKhonghucu, 6, "confucian", "KHONGHUCU", "Confucianism", []string{"Konghucu", "KONG HU CU", "Khong Hu Cu"}, rel, fRel},
		{credential.ReligionKepercayaan, 7, "kepercayaan", "KEPERCAYAAN TERHADAP TUHAN YME", "Belief in God Almighty", []string{"Kepercayaan", "kepercayaan terhadap Tuhan Yang Maha Esa"}, rel, fRel},

		{credential.MaritalBelumKawin, 1, "single", "BELUM KAWIN", "Single", []string{"belum menikah"}, mar, fMar},
		{credential.MaritalKawin, 2, "married", "KAWIN", "Married", []string{"Menikah"}, mar, fMar},
		{credential.MaritalCeraiHidup, 3, "divorced", "CERAI HIDUP", "Divorced", nil, mar, fMar},
		{credential.MaritalCeraiMati, 4, "widowed", "CERAI MATI", "Widowed", nil, mar, fMar},

		{credential.CitizenshipWNI, 1, "indonesian", "WNI", "Indonesian citizen", []string{"Warga Negara Indonesia"}, cit, fCit},
		{credential.CitizenshipWNA, 2, "foreign", "WNA", "Foreign national", []string{"warga negara asing"}, cit, fCit},
	}
}

func TestEnums_labels(t *testing.T) {
	for _, tc := range enumCases() {
		t.Run(fmt.Sprintf("%T/%s", tc.v, tc.key), func(t *testing.T) {
			assert.True(t, tc.v.Valid())
			assert.Equal(t, tc.key, tc.v.String())
			assert.Equal(t, tc.id, tc.v.Indonesian())
			assert.Equal(t, tc.en, tc.v.English())
			assert.Equal(t, strings.ToLower(tc.key), tc.key, "keys are lower case")
			assert.Equal(t, strings.ToUpper(tc.id), tc.id, "card labels are upper case")

			inputs := append([]string{
				tc.key, tc.id, tc.en,
				strings.ToLower(tc.id), strings.ToUpper(tc.en), strings.ToUpper(tc.key),
				"  " + tc.id + "\t",
			}, tc.aliases...)
			for _, in := range inputs {
				got, err := tc.parse(in)
				if assert.NoError(t, err, "%q", in) {
					assert.Equal(t, tc.v, got, "%q", in)
				}
			}

			text, err := tc.v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tc.key, string(text))
			u := tc.fresh()
			require.NoError(t, u.UnmarshalText(text))
			assert.Equal(t, tc.v, reflect.ValueOf(u).Elem().Interface(), "text round trip")
		})
	}
}

func TestEnums_keysAndLabelsAreUnambiguous(t *testing.T) {
	// Within one type, no spelling may name two values.
	seen := map[string]map[string]string{}
	for _, tc := range enumCases() {
		typ := fmt.Sprintf("%T", tc.v)
		if seen[typ] == nil {
			seen[typ] = map[string]string{}
		}
		for _, s := range append([]string{tc.key, tc.id, tc.en}, tc.aliases...) {
			s = strings.ToLower(strings.TrimSpace(s))
			if prev, ok := seen[typ][s]; ok {
				assert.Equal(t, prev, tc.key, "%s: %q names both %s and %s", typ, s, prev, tc.key)
			}
			seen[typ][s] = tc.key
		}
	}
}

func TestEnums_invalidValues(t *testing.T) {
	tests := []struct {
		v    enum
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
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.False(t, tt.v.Valid())
			assert.Equal(t, tt.want, tt.v.String())
			assert.Empty(t, tt.v.Indonesian())
			assert.Empty(t, tt.v.English())
			text, err := tt.v.MarshalText()
			if strings.HasSuffix(tt.want, "(0)") {
				// The zero value ("not given") is the empty text.
				assert.NoError(t, err)
				assert.Empty(t, text)
			} else {
				assert.ErrorIs(t, err, credential.ErrUnknownValue)
			}
		})
	}
}

func TestEnums_parseRejects(t *testing.T) {
	parsers := map[string]func(string) (enum, error){
		"sex":         parser(credential.ParseSex),
		"blood":       parser(credential.ParseBloodType),
		"religion":    parser(credential.ParseReligion),
		"marital":     parser(credential.ParseMaritalStatus),
		"citizenship": parser(credential.ParseCitizenship),
	}
	bad := map[string][]string{
		"sex":         {"", " ", "X", "LAKI-LAKI-LAKI", "LAKI–LAKI" /* en dash */, "1", "Sex(1)"},
		"blood":       {"", "A+", "O-", "AB+", "C", "AO", "--", "1"},
		"religion":    {"", "ateis", "Yahudi", "Religion(1)", "\u212Aristen" /* Kelvin sign K */, "ISLAMM"},
		"marital":     {"", "JANDA", "DUDA", "CERAI", "kawin kawin"},
		"citizenship": {"", "WN", "WNX", "dual", "1"},
	}
	for name, inputs := range bad {
		for _, in := range inputs {
			v, err := parsers[name](in)
			assert.ErrorIs(t, err, credential.ErrUnknownValue, "%s %q", name, in)
			assert.False(t, v.Valid(), "%s %q", name, in)
		}
	}

	// Long inputs are not copied whole into the error message.
	_, err := credential.ParseReligion(strings.Repeat("x", 10000))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 200)
}

func TestEnums_CBORIsTheNumber(t *testing.T) {
	// The shared codec does not enable fxamacker's TextMarshaler mode, so the
	// MarshalText methods must not change the wire form: one byte each.
	for _, tc := range enumCases() {
		b, err := codec.Marshal(tc.v)
		require.NoError(t, err)
		assert.Equal(t, []byte{tc.num}, b, "%T %s", tc.v, tc.key)
	}

	type person struct {
		Sex         credential.Sex           `cbor:"1,keyasint"`
		BloodType   credential.BloodType     `cbor:"2,keyasint,omitempty"`
		Religion    credential.Religion      `cbor:"3,keyasint"`
		Marital     credential.MaritalStatus `cbor:"4,keyasint"`
		Citizenship credential.Citizenship   `cbor:"5,keyasint"`
	}
	p := person{
		Sex:         credential.SexFemale,
		BloodType:   credential.BloodTypeUnknown,
		Religion:    credential.ReligionKepercayaan,
		Marital:     credential.MaritalCeraiMati,
		Citizenship: credential.CitizenshipWNA,
	}
	b, err := codec.Marshal(p)
	require.NoError(t, err)
	want := []byte{0xa5, 0x01, 0x02, 0x02, 0x05, 0x03, 0x07, 0x04, 0x04, 0x05, 0x02}
	assert.Equal(t, want, b)

	var back person
	require.NoError(t, codec.Canonical(b, &back))
	assert.Equal(t, p, back)

	// omitempty still leaves out a zero ("not given") value.
	b, err = codec.Marshal(person{Sex: credential.SexMale, Religion: credential.ReligionIslam,
		Marital: credential.MaritalKawin, Citizenship: credential.CitizenshipWNI})
	require.NoError(t, err)
	assert.Equal(t, []byte{0xa4, 0x01, 0x01, 0x03, 0x01, 0x04, 0x02, 0x05, 0x01}, b)

	// The text form is not accepted on the wire.
	var s credential.Sex
	assert.Error(t, codec.Unmarshal(append([]byte{0x66}, "female"...), &s))
	// Nor is a value that does not fit the type.
	assert.Error(t, codec.Unmarshal([]byte{0x19, 0x01, 0x00}, &s))
	assert.Error(t, codec.Unmarshal([]byte{0x20}, &s))
}

func TestEnums_JSON(t *testing.T) {
	type record struct {
		Sex         credential.Sex           `json:"sex"`
		BloodType   credential.BloodType     `json:"bloodType"`
		Religion    credential.Religion      `json:"religion"`
		Marital     credential.MaritalStatus `json:"marital"`
		Citizenship credential.Citizenship   `json:"citizenship,omitempty"`
	}
	r := record{credential.SexMale, credential.BloodTypeAB, credential.ReligionKhonghucu, credential.MaritalBelumKawin, 0}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"sex":"male","bloodType":"ab","religion":"confucian","marital":"single"}`, string(b))

	var back record
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, r, back)

	// Card labels are accepted on input; "" is "not given".
	require.NoError(t, json.Unmarshal([]byte(`{"sex":"PEREMPUAN","bloodType":"-","religion":"KATHOLIK","marital":"",
		"citizenship":"WNI"}`), &back))
	assert.Equal(t, record{credential.SexFemale, credential.BloodTypeUnknown, credential.ReligionKatolik, 0,
		credential.CitizenshipWNI}, back)

	assert.Error(t, json.Unmarshal([]byte(`{"sex":"X"}`), &back))
	assert.Error(t, json.Unmarshal([]byte(`{"sex":2}`), &back))
	_, err = json.Marshal(record{Sex: 9})
	assert.ErrorIs(t, err, credential.ErrUnknownValue)
}

var sinkReligion credential.Religion

func BenchmarkParseReligion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		r, err := credential.ParseReligion("kepercayaan terhadap tuhan yme")
		if err != nil {
			b.Fatal(err)
		}
		sinkReligion = r
	}
}
