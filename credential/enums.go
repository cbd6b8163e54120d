package credential

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrUnknownValue reports a text that names no value of a KTP enum (sex,
// blood type, religion, marital status, citizenship). Parse functions wrap it
// with the enum and the input: test with errors.Is.
var ErrUnknownValue = errors.New("credential: unknown value")

// The KTP enums below share one shape:
//
//   - On the CBOR wire each is its number (a one-byte unsigned integer). The
//     numbers are append-only and never renumbered; the zero value means
//     "not given" and is never a valid claim.
//   - String returns a stable lower-case English key ("female"), the form
//     used in JSON person records (MarshalText) and test vectors.
//   - Indonesian returns the label as printed on the e-KTP ("PEREMPUAN"),
//     English a human English label ("Female").
//   - ParseXxx accepts the key, the Indonesian label, the English label and a
//     few spellings seen on cards and in forms, ignoring case and surrounding
//     space.
//
// They implement encoding.TextMarshaler for JSON. The CBOR codec
// (internal/codec) does not enable fxamacker's TextMarshaler mode, so on the
// wire they stay integers; enums_test.go pins that.

// enumLabel is one row of an enum's label table, indexed by value.
type enumLabel struct {
	key     string   // stable lower-case English key
	id      string   // Indonesian, as printed on the e-KTP
	en      string   // English
	aliases []string // other accepted spellings
}

func enumString(typ string, table []enumLabel, v uint8) string {
	if v > 0 && int(v) < len(table) {
		return table[v].key
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

func enumValid(table []enumLabel, v uint8) bool { return v > 0 && int(v) < len(table) }

func enumField(table []enumLabel, v uint8, indonesian bool) string {
	if !enumValid(table, v) {
		return ""
	}
	if indonesian {
		return table[v].id
	}
	return table[v].en
}

// enumParse finds s among the key, labels and aliases of table, ignoring
// ASCII case and surrounding white space. Folding is ASCII only on purpose:
// strings.EqualFold would also match look-alikes such as the Kelvin sign
// U+212A for "K", and no card prints those.
func enumParse(typ string, table []enumLabel, s string) (uint8, error) {
	t := strings.TrimSpace(s)
	if t != "" {
		for v := 1; v < len(table); v++ {
			e := &table[v]
			if asciiEqualFold(t, e.key) || asciiEqualFold(t, e.id) || asciiEqualFold(t, e.en) {
				return uint8(v), nil
			}
			for _, a := range e.aliases {
				if asciiEqualFold(t, a) {
					return uint8(v), nil
				}
			}
		}
	}
	if len(s) > maxQuoted {
		// Keep error messages short whatever the input.
		return 0, fmt.Errorf("%w: %s %q… (%d bytes)", ErrUnknownValue, typ, s[:maxQuoted], len(s))
	}
	return 0, fmt.Errorf("%w: %s %q", ErrUnknownValue, typ, s)
}

// maxQuoted is the longest input that an enum parse error quotes in full.
const maxQuoted = 40

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

// enumMarshalText returns the key; the zero value ("not given") is the empty
// text, so that a JSON record can carry it, and any other invalid value is an
// error rather than a key that no parser would read back.
func enumMarshalText(typ string, table []enumLabel, v uint8) ([]byte, error) {
	if v == 0 {
		return []byte{}, nil
	}
	if !enumValid(table, v) {
		return nil, fmt.Errorf("%w: %s", ErrUnknownValue, enumString(typ, table, v))
	}
	return []byte(table[v].key), nil
}

func enumUnmarshalText(typ string, table []enumLabel, b []byte) (uint8, error) {
	if len(b) == 0 {
		return 0, nil
	}
	return enumParse(typ, table, string(b))
}

// Sex is the holder's sex, "Jenis Kelamin" on the KTP. The NIK encodes it too
// (see [NIK.Sex]).
type Sex uint8

const (
	// SexMale is "LAKI-LAKI" (male).
	SexMale Sex = 1
	// SexFemale is "PEREMPUAN" (female).
	SexFemale Sex = 2
)

var sexLabels = []enumLabel{
	{},
	{key: "male", id: "LAKI-LAKI", en: "Male", aliases: []string{"LAKI LAKI", "LAKI", "PRIA", "L", "M"}},
	{key: "female", id: "PEREMPUAN", en: "Female", aliases: []string{"WANITA", "P", "F"}},
}

// String returns the stable key "male" or "female", or "Sex(n)" for any
// other value.
func (s Sex) String() string { return enumString("Sex", sexLabels, uint8(s)) }

// Indonesian returns the label printed on the e-KTP ("LAKI-LAKI",
// "PEREMPUAN"), or "" if s is not valid.
func (s Sex) Indonesian() string { return enumField(sexLabels, uint8(s), true) }

// English returns "Male" or "Female", or "" if s is not valid.
func (s Sex) English() string { return enumField(sexLabels, uint8(s), false) }

// Valid reports whether s is SexMale or SexFemale.
func (s Sex) Valid() bool { return enumValid(sexLabels, uint8(s)) }

// ParseSex reads a sex from its key, its Indonesian or English label, or the
// letters L/P (Indonesian forms) and M/F, in any case. It returns an error
// wrapping [ErrUnknownValue] for anything else.
func ParseSex(s string) (Sex, error) {
	v, err := enumParse("sex", sexLabels, s)
	return Sex(v), err
}

// MarshalText returns the key ("female"); the zero Sex is the empty text.
func (s Sex) MarshalText() ([]byte, error) { return enumMarshalText("Sex", sexLabels, uint8(s)) }

// UnmarshalText reads what [ParseSex] accepts; the empty text is the zero Sex.
func (s *Sex) UnmarshalText(b []byte) error {
	v, err := enumUnmarshalText("sex", sexLabels, b)
	if err == nil {
		*s = Sex(v)
	}
	return err
}

// BloodType is the ABO blood group, "Gol. Darah" (golongan darah) on the KTP.
//
// The zero value means the claim was not given; [BloodTypeUnknown] is the
// explicit "-" that the card prints when the holder did not declare one.
// Rhesus-qualified groups ("A+", "O-"), which some registration forms offer,
// are not modelled and do not parse: mapping "A-" to A would lose what the
// holder declared. New values would be appended.
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

var bloodTypeLabels = []enumLabel{
	{},
	{key: "a", id: "A", en: "A"},
	{key: "b", id: "B", en: "B"},
	{key: "ab", id: "AB", en: "AB"},
	{key: "o", id: "O", en: "O", aliases: []string{"0"}},
	{key: "unknown", id: "-", en: "Unknown", aliases: []string{"TIDAK TAHU", "TIDAK DIKETAHUI"}},
}

// String returns the stable key ("a", "b", "ab", "o", "unknown"), or
// "BloodType(n)" for any other value.
func (b BloodType) String() string { return enumString("BloodType", bloodTypeLabels, uint8(b)) }

// Indonesian returns the label printed on the e-KTP ("A", "B", "AB", "O",
// "-"), or "" if b is not valid.
func (b BloodType) Indonesian() string { return enumField(bloodTypeLabels, uint8(b), true) }

// English returns "A", "B", "AB", "O" or "Unknown", or "" if b is not valid.
func (b BloodType) English() string { return enumField(bloodTypeLabels, uint8(b), false) }

// Valid reports whether b is one of the BloodType constants.
func (b BloodType) Valid() bool { return enumValid(bloodTypeLabels, uint8(b)) }

// ParseBloodType reads a blood group from its key or label in any case, "-"
// or "TIDAK TAHU" for [BloodTypeUnknown]. It returns an error wrapping
// [ErrUnknownValue] for anything else, including rhesus-qualified groups.
func ParseBloodType(s string) (BloodType, error) {
	v, err := enumParse("blood type", bloodTypeLabels, s)
	return BloodType(v), err
}

// MarshalText returns the key ("ab"); the zero BloodType is the empty text.
func (b BloodType) MarshalText() ([]byte, error) {
	return enumMarshalText("BloodType", bloodTypeLabels, uint8(b))
}

// UnmarshalText reads what [ParseBloodType] accepts; the empty text is the
// zero BloodType.
func (b *BloodType) UnmarshalText(t []byte) error {
	v, err := enumUnmarshalText("blood type", bloodTypeLabels, t)
	if err == nil {
		*b = BloodType(v)
	}
	return err
}

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

var religionLabels = []enumLabel{
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
}

// String returns the stable key ("islam", "protestant", "catholic", "hindu",
// "buddhist", "confucian", "kepercayaan"), or "Religion(n)" for any other
// value.
func (r Religion) String() string { return enumString("Religion", religionLabels, uint8(r)) }

// Indonesian returns the label printed on the e-KTP ("ISLAM", "KRISTEN",
// "KATOLIK", …, "KEPERCAYAAN TERHADAP TUHAN YME"), or "" if r is not valid.
func (r Religion) Indonesian() string { return enumField(religionLabels, uint8(r), true) }

// English returns a human English label ("Protestant Christianity"), or ""
// if r is not valid.
func (r Religion) English() string { return enumField(religionLabels, uint8(r), false) }

// Valid reports whether r is one of the Religion constants.
func (r Religion) Valid() bool { return enumValid(religionLabels, uint8(r)) }

// ParseReligion reads a religion from its key or label in any case, and from
// common variants ("KRISTEN PROTESTAN", "KATHOLIK", "BUDHA", "KONG HU CU",
// "KEPERCAYAAN"). It returns an error wrapping [ErrUnknownValue] for
// anything else.
func ParseReligion(s string) (Religion, error) {
	v, err := enumParse("religion", religionLabels, s)
	return Religion(v), err
}

// MarshalText returns the key ("catholic"); the zero Religion is the empty
// text.
func (r Religion) MarshalText() ([]byte, error) {
	return enumMarshalText("Religion", religionLabels, uint8(r))
}

// UnmarshalText reads what [ParseReligion] accepts; the empty text is the
// zero Religion.
func (r *Religion) UnmarshalText(b []byte) error {
	v, err := enumUnmarshalText("religion", religionLabels, b)
	if err == nil {
		*r = Religion(v)
	}
	return err
}

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

var maritalLabels = []enumLabel{
	{},
	{key: "single", id: "BELUM KAWIN", en: "Single", aliases: []string{"BELUM MENIKAH", "NOT MARRIED"}},
	{key: "married", id: "KAWIN", en: "Married", aliases: []string{"MENIKAH"}},
	{key: "divorced", id: "CERAI HIDUP", en: "Divorced"},
	{key: "widowed", id: "CERAI MATI", en: "Widowed"},
}

// String returns the stable key ("single", "married", "divorced",
// "widowed"), or "MaritalStatus(n)" for any other value.
func (m MaritalStatus) String() string { return enumString("MaritalStatus", maritalLabels, uint8(m)) }

// Indonesian returns the label printed on the e-KTP ("BELUM KAWIN", "KAWIN",
// "CERAI HIDUP", "CERAI MATI"), or "" if m is not valid.
func (m MaritalStatus) Indonesian() string { return enumField(maritalLabels, uint8(m), true) }

// English returns "Single", "Married", "Divorced" or "Widowed", or "" if m
// is not valid.
func (m MaritalStatus) English() string { return enumField(maritalLabels, uint8(m), false) }

// Valid reports whether m is one of the MaritalStatus constants.
func (m MaritalStatus) Valid() bool { return enumValid(maritalLabels, uint8(m)) }

// ParseMaritalStatus reads a marital status from its key or label in any
// case ("BELUM MENIKAH" and "MENIKAH" are accepted too). It returns an error
// wrapping [ErrUnknownValue] for anything else; "JANDA"/"DUDA" are refused
// because they do not say whether the holder is divorced or widowed.
func ParseMaritalStatus(s string) (MaritalStatus, error) {
	v, err := enumParse("marital status", maritalLabels, s)
	return MaritalStatus(v), err
}

// MarshalText returns the key ("married"); the zero MaritalStatus is the
// empty text.
func (m MaritalStatus) MarshalText() ([]byte, error) {
	return enumMarshalText("MaritalStatus", maritalLabels, uint8(m))
}

// UnmarshalText reads what [ParseMaritalStatus] accepts; the empty text is
// the zero MaritalStatus.
func (m *MaritalStatus) UnmarshalText(b []byte) error {
	v, err := enumUnmarshalText("marital status", maritalLabels, b)
	if err == nil {
		*m = MaritalStatus(v)
	}
	return err
}

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

var citizenshipLabels = []enumLabel{
	{},
	{key: "indonesian", id: "WNI", en: "Indonesian citizen",
		aliases: []string{"WARGA NEGARA INDONESIA", "INDONESIA", "INDONESIAN"}},
	{key: "foreign", id: "WNA", en: "Foreign national",
		aliases: []string{"WARGA NEGARA ASING", "ASING", "FOREIGNER"}},
}

// String returns the stable key "indonesian" or "foreign", or
// "Citizenship(n)" for any other value.
func (c Citizenship) String() string { return enumString("Citizenship", citizenshipLabels, uint8(c)) }

// Indonesian returns the label printed on the e-KTP ("WNI", "WNA"), or "" if
// c is not valid.
func (c Citizenship) Indonesian() string { return enumField(citizenshipLabels, uint8(c), true) }

// English returns "Indonesian citizen" or "Foreign national", or "" if c is
// not valid.
func (c Citizenship) English() string { return enumField(citizenshipLabels, uint8(c), false) }

// Valid reports whether c is CitizenshipWNI or CitizenshipWNA.
func (c Citizenship) Valid() bool { return enumValid(citizenshipLabels, uint8(c)) }

// ParseCitizenship reads a citizenship from its key, "WNI"/"WNA", the
// expanded Indonesian terms or the English labels, in any case. It returns
// an error wrapping [ErrUnknownValue] for anything else.
func ParseCitizenship(s string) (Citizenship, error) {
	v, err := enumParse("citizenship", citizenshipLabels, s)
	return Citizenship(v), err
}

// MarshalText returns the key ("indonesian"); the zero Citizenship is the
// empty text.
func (c Citizenship) MarshalText() ([]byte, error) {
	return enumMarshalText("Citizenship", citizenshipLabels, uint8(c))
}

// UnmarshalText reads what [ParseCitizenship] accepts; the empty text is the
// zero Citizenship.
func (c *Citizenship) UnmarshalText(b []byte) error {
	v, err := enumUnmarshalText("citizenship", citizenshipLabels, b)
	if err == nil {
		*c = Citizenship(v)
	}
	return err
}
