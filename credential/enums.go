package credential

import (
	"strconv"
	"strings"
)

// The KTP enums below share one shape:
//
//   - On the CBOR wire each is its number (a one-byte unsigned integer). The
//     numbers are append-only and never renumbered; the zero value means
//     "not given" and is never a valid claim.
//   - String returns a stable lower-case English key ("female"): the value
//     of the member in a person-record JSON ([KTP.MarshalJSON]) and in test
//     vectors.
//   - [KTP.Display] gives the label printed on the e-KTP ("PEREMPUAN") and
//     an English one ("Female"); [KTP.UnmarshalJSON] also accepts both
//     labels and a few spellings seen on cards and in forms.
//
// The label tables here are the only place these words are written down:
// String, Display, MarshalJSON and UnmarshalJSON all read them.

// enumLabel is one row of an enum's label table, indexed by value.
type enumLabel struct {
	key     string   // stable lower-case English key
	id      string   // Indonesian, as printed on the e-KTP
	en      string   // English
	aliases []string // other accepted spellings
}

// enumTable is the label table of one enum type.
type enumTable struct {
	typ    string // the Go type name, for String's fallback
	labels []enumLabel
}

func (t *enumTable) valid(v uint8) bool { return v > 0 && int(v) < len(t.labels) }

// key returns the stable key of v, or "Type(n)" if v is not a known value.
func (t *enumTable) key(v uint8) string {
	if t.valid(v) {
		return t.labels[v].key
	}
	return t.typ + "(" + strconv.Itoa(int(v)) + ")"
}

// display returns the Indonesian and English labels of v: "" for the zero
// value (not given), and the String fallback for an unknown value so that a
// bad value shows as bad rather than as missing.
func (t *enumTable) display(v uint8) (indonesian, english string) {
	switch {
	case v == 0:
		return "", ""
	case !t.valid(v):
		s := t.key(v)
		return s, s
	}
	return t.labels[v].id, t.labels[v].en
}

// parse finds s among the keys, labels and aliases of the table, ignoring
// ASCII case and surrounding white space. Folding is ASCII only on purpose:
// strings.EqualFold would also match look-alikes such as the Kelvin sign
// U+212A for "K", and no card prints those.
func (t *enumTable) parse(s string) (uint8, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	for v := 1; v < len(t.labels); v++ {
		e := &t.labels[v]
		if asciiEqualFold(s, e.key) || asciiEqualFold(s, e.id) || asciiEqualFold(s, e.en) {
			return uint8(v), true
		}
		for _, a := range e.aliases {
			if asciiEqualFold(s, a) {
				return uint8(v), true
			}
		}
	}
	return 0, false
}

// asciiEqualFold reports whether a and b are equal under ASCII case folding.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Sex is the holder's sex, "Jenis Kelamin" on the KTP. The NIK encodes it
// too: 40 is added to a woman's day of birth.
type Sex uint8

const (
	// SexMale is "LAKI-LAKI" (male).
	SexMale Sex = 1
	// SexFemale is "PEREMPUAN" (female).
	SexFemale Sex = 2
)

var sexLabels = enumTable{"Sex", []enumLabel{
	{},
	{key: "male", id: "LAKI-LAKI", en: "Male", aliases: []string{"LAKI LAKI", "LAKI", "PRIA", "L", "M"}},
	{key: "female", id: "PEREMPUAN", en: "Female", aliases: []string{"WANITA", "P", "F"}},
}}

// String returns the stable key "male" or "female", or "Sex(n)" for any
// other value.
func (s Sex) String() string { return sexLabels.key(uint8(s)) }

// BloodType is the ABO blood group, "Gol. Darah" (golongan darah) on the KTP.
//
// The zero value means the claim was not given; [BloodTypeUnknown] is the
// explicit "-" that the card prints when the holder did not declare one.
// Rhesus-qualified groups ("A+", "O-"), which some registration forms offer,
// are not modelled and are not accepted: mapping "A-" to A would lose what
// the holder declared. New values would be appended.
type BloodType uint8

const (
	// BloodTypeA is blood group A.
	BloodTypeA BloodType = 1
	// BloodTypeB is blood group B.
	BloodTypeB BloodType = 2
	// BloodTypeAB is blood group AB.
	BloodTypeAB BloodType = 3
	// BloodTypeO is blood group O.
	BloodTypeO BloodType = 4
	// BloodTypeUnknown is "-" on the card: the holder's blood group is not
	// known ("tidak tahu").
	BloodTypeUnknown BloodType = 5
)

var bloodTypeLabels = enumTable{"BloodType", []enumLabel{
	{},
	{key: "a", id: "A", en: "A"},
	{key: "b", id: "B", en: "B"},
	{key: "ab", id: "AB", en: "AB"},
	{key: "o", id: "O", en: "O", aliases: []string{"0"}},
	{key: "unknown", id: "-", en: "Unknown", aliases: []string{"TIDAK TAHU", "TIDAK DIKETAHUI"}},
}}

// String returns the stable key ("a", "b", "ab", "o", "unknown"), or
// "BloodType(n)" for any other value.
func (b BloodType) String() string { return bloodTypeLabels.key(uint8(b)) }

// Religion is the holder's religion, "Agama" on the KTP: one of the six
// religions the state recognises, or [ReligionKepercayaan].
type Religion uint8

const (
	// ReligionIslam is Islam.
	ReligionIslam Religion = 1
	// ReligionKristen is "Kristen": Protestant Christianity.
	ReligionKristen Religion = 2
	// ReligionKatolik is "Katolik": Catholic Christianity.
	ReligionKatolik Religion = 3
	// ReligionHindu is Hinduism.
	ReligionHindu Religion = 4
	// ReligionBuddha is Buddhism.
	ReligionBuddha Religion = 5
	// ReligionKhonghucu is "Khonghucu": Confucianism.
	ReligionKhonghucu Religion = 6
	// ReligionKepercayaan is "Kepercayaan terhadap Tuhan YME" (belief in God
	// Almighty): indigenous faiths, printed on the KTP since the
	// Constitutional Court's 2017 ruling (No. 97/PUU-XIV/2016).
	ReligionKepercayaan Religion = 7
)

var religionLabels = enumTable{"Religion", []enumLabel{
	{},
	{key: "islam", id: "ISLAM", en: "Islam", aliases: []string{"MUSLIM"}},
	{key: "protestant", id: "KRISTEN", en: "Protestant Christianity",
		aliases: []string{"KRISTEN PROTESTAN", "PROTESTAN", "PROTESTANT", "CHRISTIAN"}},
	{key: "catholic", id: "KATOLIK", en: "Catholic Christianity",
		aliases: []string{"KATHOLIK", "KRISTEN KATOLIK", "KRISTEN KATHOLIK", "CATHOLIC"}},
	{key: "hindu", id: "HINDU", en: "Hinduism"},
	{key: "buddhist", id: "BUDDHA", en: "Buddhism", aliases: []string{"BUDHA", "BUDDHISM"}},
	{key: "confucian", id: "KHONGHUCU", en: "Confucianism",
		aliases: []string{"KONGHUCU", "KHONG HU CU", "KONG HU CU", "KHONGHUCHU"}},
	{key: "kepercayaan", id: "KEPERCAYAAN TERHADAP TUHAN YME", en: "Belief in God Almighty",
		aliases: []string{"KEPERCAYAAN", "KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA"}},
}}

// String returns the stable key ("islam", "protestant", "catholic", "hindu",
// "buddhist", "confucian", "kepercayaan"), or "Religion(n)" for any other
// value.
func (r Religion) String() string { return religionLabels.key(uint8(r)) }

// MaritalStatus is "Status Perkawinan" on the KTP.
type MaritalStatus uint8

const (
	// MaritalBelumKawin is "BELUM KAWIN": single, never married.
	MaritalBelumKawin MaritalStatus = 1
	// MaritalKawin is "KAWIN": married.
	MaritalKawin MaritalStatus = 2
	// MaritalCeraiHidup is "CERAI HIDUP" (divorced while the spouse lives):
	// divorced.
	MaritalCeraiHidup MaritalStatus = 3
	// MaritalCeraiMati is "CERAI MATI" (separated by death): widowed.
	MaritalCeraiMati MaritalStatus = 4
)

// "JANDA" and "DUDA" (widow, widower) are not aliases: they do not say
// whether the holder is divorced or widowed.
var maritalLabels = enumTable{"MaritalStatus", []enumLabel{
	{},
	{key: "single", id: "BELUM KAWIN", en: "Single", aliases: []string{"BELUM MENIKAH", "NOT MARRIED"}},
	{key: "married", id: "KAWIN", en: "Married", aliases: []string{"MENIKAH"}},
	{key: "divorced", id: "CERAI HIDUP", en: "Divorced"},
	{key: "widowed", id: "CERAI MATI", en: "Widowed"},
}}

// String returns the stable key ("single", "married", "divorced",
// "widowed"), or "MaritalStatus(n)" for any other value.
func (m MaritalStatus) String() string { return maritalLabels.key(uint8(m)) }

// Citizenship is "Kewarganegaraan" on the KTP.
type Citizenship uint8

const (
	// CitizenshipWNI is "WNI", Warga Negara Indonesia: an Indonesian citizen.
	CitizenshipWNI Citizenship = 1
	// CitizenshipWNA is "WNA", Warga Negara Asing: a foreign national who
	// holds a KTP on the strength of a permanent or limited stay permit
	// (KITAP/KITAS).
	CitizenshipWNA Citizenship = 2
)

var citizenshipLabels = enumTable{"Citizenship", []enumLabel{
	{},
	{key: "indonesian", id: "WNI", en: "Indonesian citizen",
		aliases: []string{"WARGA NEGARA INDONESIA", "INDONESIA", "INDONESIAN"}},
	{key: "foreign", id: "WNA", en: "Foreign national",
		aliases: []string{"WARGA NEGARA ASING", "ASING", "FOREIGNER"}},
}}

// String returns the stable key "indonesian" or "foreign", or
// "Citizenship(n)" for any other value.
func (c Citizenship) String() string { return citizenshipLabels.key(uint8(c)) }

// lifetimeLabels holds, as value 1, the words of a lifetime [Validity]:
// its key (the JSON value) and card label "SEUMUR HIDUP", the English label
// and an alias.
var lifetimeLabels = enumTable{"Validity", []enumLabel{
	{},
	{key: "SEUMUR HIDUP", id: "SEUMUR HIDUP", en: "For life", aliases: []string{"lifetime"}},
}}

// over17Labels holds the yes/no labels of the over-17 flag, indexed by
// false and true.
var over17Labels = [2]enumLabel{
	{id: "TIDAK", en: "No"},
	{id: "YA", en: "Yes"},
}
