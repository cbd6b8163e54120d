package credential

import (
	"crypto"
	"time"

	"github.com/ikdgo/ikd/internal/codec"
)

// Unexported errors, for precise assertions in credential_test. Each NIK
// reason wraps ErrInvalidValue.
var (
	ErrIssuer    = errIssuer
	ErrRequest   = errRequest
	ErrDeviceKey = errDeviceKey

	ErrNIKLength    = errNIKLength
	ErrNIKNonDigit  = errNIKNonDigit
	ErrNIKProvince  = errNIKProvince
	ErrNIKRegency   = errNIKRegency
	ErrNIKDistrict  = errNIKDistrict
	ErrNIKBirthDate = errNIKBirthDate
	ErrNIKSerial    = errNIKSerial
)

// NIKReasons lists every reason ParseNIK gives.
var NIKReasons = []error{
	errNIKLength, errNIKNonDigit, errNIKProvince, errNIKRegency, errNIKDistrict, errNIKBirthDate, errNIKSerial,
}

// NewIssuerWithKeyID is NewIssuer with a chosen kid instead of keys.KeyID:
// the golden vectors were made with the fixed kids "es256-k1" and
// "eddsa-k1", and keeping them shows that the wire is unchanged.
func NewIssuerWithKeyID(id string, signer crypto.Signer, kid []byte) (*Issuer, error) {
	iss, err := NewIssuer(id, signer)
	if err != nil {
		return nil, err
	}
	return newIssuer(iss.id, iss.signer, iss.alg, kid), nil
}

// IssuerKeyID returns the kid iss signs with.
func IssuerKeyID(iss *Issuer) []byte { return iss.kid }

// What a NIK encodes.
func NIKSex(n NIK) Sex                         { return n.sex() }
func NIKBirthDay(n NIK) (int, time.Month, int) { return n.birthDay() }
func NIKProvinceCode(n NIK) string             { return n.provinceCode() }
func NIKMatchesBirthDate(n NIK, d Date) bool   { return n.matchesBirthDate(d) }
func NIKToWire(n NIK) (uint64, error)          { return n.wire() }
func NIKFromWire(v uint64) (NIK, error)        { return nikFromWire(v) }
func AgeOn(born, on Date) int                  { return born.ageOn(on) }
func DateBefore(d, e Date) bool                { return d.before(e) }
func DateValid(d Date) bool                    { return d.valid() }
func Project(p Profile, k *KTP, on Date) KTP   { return p.project(k, on) }
func ProfileAllows(p Profile, c Claim) bool    { return p.allows(c) }
func ClaimsOf(k *KTP) []Claim                  { return k.Claims() }
func DateOf(t time.Time) Date                  { return dateOf(t) }
func LookupProvince(code string) (name string, ok bool) {
	p, ok := lookupProvince(code)
	return p.name, ok
}

// Province is one row of the province table.
type Province struct{ Code, Name string }

// Provinces returns a copy of the province table.
func Provinces() []Province {
	out := make([]Province, len(provinces))
	for i, p := range provinces {
		out[i] = Province{p.code, p.name}
	}
	return out
}

// AllProfiles lists the profiles.
var AllProfiles = allProfiles

// EnumLabel is one row of an enum's label table.
type EnumLabel struct {
	Key, Indonesian, English string
	Aliases                  []string
}

// EnumLabels returns the label tables by Go type name, indexed by value.
func EnumLabels() map[string][]EnumLabel {
	out := map[string][]EnumLabel{}
	for _, t := range []*enumTable{&sexLabels, &bloodTypeLabels, &religionLabels, &maritalLabels, &citizenshipLabels, &lifetimeLabels} {
		for _, l := range t.labels {
			out[t.typ] = append(out[t.typ], EnumLabel{l.key, l.id, l.en, l.aliases})
		}
	}
	return out
}

// DocumentEnumLabels returns the Kartu Keluarga's label tables by Go type
// name, indexed by value.
func DocumentEnumLabels() map[string][]EnumLabel {
	out := map[string][]EnumLabel{}
	for _, t := range []*enumTable{&relationshipLabels, &educationLabels, &occupationLabels} {
		for _, l := range t.labels {
			out[t.typ] = append(out[t.typ], EnumLabel{l.key, l.id, l.en, l.aliases})
		}
	}
	return out
}

// ClaimsWire returns the CBOR of k as the claims map (key -3) of a
// payload, without validating it.
func ClaimsWire(k KTP) ([]byte, error) {
	w, err := ktpToWire(&k)
	if err != nil {
		return nil, err
	}
	return codec.Marshal(w)
}

// ParseDate reads "2006-01-02" (the JSON form of a Date) for the tests.
var ParseDate = parseDate

// DateIsZero reports whether d is the zero Date.
func DateIsZero(d Date) bool { return d.isZero() }
