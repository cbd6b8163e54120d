package credential

import (
	"fmt"
	"strconv"

	"github.com/ikdgo/ikd/internal/codec"
)

// The wire form of the Kartu Keluarga (payload key -4) and of the Akta
// Kelahiran (payload key -5), in the style of the KTP's (wire.go): maps
// with small unsigned integer keys, absent claims without a key, dates as
// YYYYMMDD, NIKs and the KK number as unsigned integers, enums as their
// number.
//
//	KK   {1 number, 2 head, 3 address (keys 1–8), 4 issuing office,
//	      5 issue date, 6 [member, …]}          key = Claim − 32; 6 members
//	member {1 name … 17 mother}                 key = Claim − 40
//	Akta {1 number … 14 issue date}             key = Claim − 64
//
// A members array has 1 to maxMembers elements and no member map is empty.

// maxMembers is the most members a Kartu Keluarga may list. Households of
// more than 24 are split over several cards; the cap keeps a credential
// within limits.MaxMessage.
const maxMembers = 24

type kkWire struct {
	Number        uint64       `cbor:"1,keyasint,omitempty"`
	Head          string       `cbor:"2,keyasint,omitempty"`
	Address       *addressWire `cbor:"3,keyasint,omitempty"`
	IssuingOffice string       `cbor:"4,keyasint,omitempty"`
	IssueDate     uint64       `cbor:"5,keyasint,omitempty"`
	Members       []memberWire `cbor:"6,keyasint,omitempty"`
}

type memberWire struct {
	Name          string `cbor:"1,keyasint,omitempty"`
	NIK           uint64 `cbor:"2,keyasint,omitempty"`
	Sex           uint8  `cbor:"3,keyasint,omitempty"`
	BirthPlace    string `cbor:"4,keyasint,omitempty"`
	BirthDate     uint64 `cbor:"5,keyasint,omitempty"`
	Religion      uint8  `cbor:"6,keyasint,omitempty"`
	Education     uint8  `cbor:"7,keyasint,omitempty"`
	Occupation    uint8  `cbor:"8,keyasint,omitempty"`
	BloodType     uint8  `cbor:"9,keyasint,omitempty"`
	MaritalStatus uint8  `cbor:"10,keyasint,omitempty"`
	MarriageDate  uint64 `cbor:"11,keyasint,omitempty"`
	Relationship  uint8  `cbor:"12,keyasint,omitempty"`
	Citizenship   uint8  `cbor:"13,keyasint,omitempty"`
	Passport      string `cbor:"14,keyasint,omitempty"`
	KITAS         string `cbor:"15,keyasint,omitempty"`
	Father        string `cbor:"16,keyasint,omitempty"`
	Mother        string `cbor:"17,keyasint,omitempty"`
}

type aktaWire struct {
	Number        string `cbor:"1,keyasint,omitempty"`
	ChildNIK      uint64 `cbor:"2,keyasint,omitempty"`
	ChildName     string `cbor:"3,keyasint,omitempty"`
	Sex           uint8  `cbor:"4,keyasint,omitempty"`
	BirthPlace    string `cbor:"5,keyasint,omitempty"`
	BirthDate     uint64 `cbor:"6,keyasint,omitempty"`
	BirthTime     string `cbor:"7,keyasint,omitempty"`
	BirthOrder    uint8  `cbor:"8,keyasint,omitempty"`
	Father        string `cbor:"9,keyasint,omitempty"`
	FatherNIK     uint64 `cbor:"10,keyasint,omitempty"`
	Mother        string `cbor:"11,keyasint,omitempty"`
	MotherNIK     uint64 `cbor:"12,keyasint,omitempty"`
	IssuingOffice string `cbor:"13,keyasint,omitempty"`
	IssueDate     uint64 `cbor:"14,keyasint,omitempty"`
}

// nikOrZero returns the wire form of n, 0 for the empty NIK.
func nikOrZero(n NIK) (uint64, error) {
	if n == "" {
		return 0, nil
	}
	return n.wire()
}

func addressToWire(a *Address) (*addressWire, error) {
	w := &addressWire{
		Street: a.Street, RT: a.RT, RW: a.RW, Kelurahan: a.Kelurahan,
		Kecamatan: a.Kecamatan, Regency: a.Regency, Province: a.Province,
	}
	if a.PostalCode != "" {
		if !validPostalCode(a.PostalCode) {
			return nil, fmt.Errorf("%w: postal code is not five digits from 10000", ErrInvalidValue)
		}
		v, _ := strconv.ParseUint(a.PostalCode, 10, 32)
		w.Postal = uint32(v)
	}
	return w, nil
}

// validPostalCode reports whether s is an Indonesian postal code: five
// ASCII digits, not starting with 0 (they run from 10110 to 99976).
func validPostalCode(s string) bool {
	if len(s) != 5 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func kkToWire(k *KK) (*kkWire, error) {
	w := &kkWire{Head: k.Head, IssuingOffice: k.IssuingOffice}
	var err error
	if k.Number != "" {
		if err := checkKKNumber(k.Number); err != nil {
			return nil, err
		}
		w.Number, _ = strconv.ParseUint(k.Number, 10, 64)
	}
	if k.Address != nil {
		if w.Address, err = addressToWire(k.Address); err != nil {
			return nil, err
		}
	}
	if w.IssueDate, err = dateToWire(k.IssueDate); err != nil {
		return nil, err
	}
	if len(k.Members) > maxMembers {
		return nil, fmt.Errorf("%w: %d members, more than %d", ErrInvalidValue, len(k.Members), maxMembers)
	}
	for i := range k.Members {
		m := &k.Members[i]
		mw := memberWire{
			Name: m.Name, Sex: uint8(m.Sex), BirthPlace: m.BirthPlace, Religion: uint8(m.Religion),
			Education: uint8(m.Education), Occupation: uint8(m.Occupation), BloodType: uint8(m.BloodType),
			MaritalStatus: uint8(m.MaritalStatus), Relationship: uint8(m.Relationship),
			Citizenship: uint8(m.Citizenship), Passport: m.Passport, KITAS: m.KITAS,
			Father: m.Father, Mother: m.Mother,
		}
		if mw.NIK, err = nikOrZero(m.NIK); err != nil {
			return nil, err
		}
		if mw.BirthDate, err = dateToWire(m.BirthDate); err != nil {
			return nil, err
		}
		if mw.MarriageDate, err = dateToWire(m.MarriageDate); err != nil {
			return nil, err
		}
		if mw == (memberWire{}) {
			return nil, fmt.Errorf("%w: member %d has no claims", ErrInvalidValue, i+1)
		}
		w.Members = append(w.Members, mw)
	}
	return w, nil
}

func aktaToWire(a *BirthCertificate) (*aktaWire, error) {
	w := &aktaWire{
		Number: a.Number, ChildName: a.ChildName, Sex: uint8(a.Sex), BirthPlace: a.BirthPlace,
		BirthTime: a.BirthTime, BirthOrder: a.BirthOrder, Father: a.Father, Mother: a.Mother,
		IssuingOffice: a.IssuingOffice,
	}
	var err error
	for _, f := range []struct {
		dst *uint64
		n   NIK
	}{{&w.ChildNIK, a.ChildNIK}, {&w.FatherNIK, a.FatherNIK}, {&w.MotherNIK, a.MotherNIK}} {
		if *f.dst, err = nikOrZero(f.n); err != nil {
			return nil, err
		}
	}
	if w.BirthDate, err = dateToWire(a.BirthDate); err != nil {
		return nil, err
	}
	if w.IssueDate, err = dateToWire(a.IssueDate); err != nil {
		return nil, err
	}
	return w, nil
}

// wireNIK reads a NIK in its integer form.
func wireNIK(r *codec.Reader) (NIK, error) {
	v, err := uintN(r, 64, false)
	if err != nil {
		return "", err
	}
	return nikFromWire(v)
}

// wireEnum reads a non-zero one-byte enum value.
func wireEnum(r *codec.Reader) (uint8, error) {
	v, err := uintN(r, 8, false)
	return uint8(v), err
}

// decodeKK reads the Kartu Keluarga map (keys 1 to 6).
func decodeKK(r *codec.Reader) (*KK, error) {
	n, err := r.Map()
	if err != nil {
		return nil, err
	}
	k := &KK{}
	for range n {
		key, err := r.Int()
		if err != nil {
			return nil, err
		}
		c := Claim(key + kkKeyBase)
		switch key {
		case 1:
			var v uint64
			if v, err = uintN(r, 64, false); err == nil {
				k.Number = strconv.FormatUint(v, 10)
				err = checkKKNumber(k.Number)
			}
		case 2:
			k.Head, err = text(r)
		case 3:
			k.Address, err = decodeAddress(r, true)
			if err == nil && k.Address.PostalCode != "" && !validPostalCode(k.Address.PostalCode) {
				err = fmt.Errorf("%w: postal code out of range", codec.ErrMalformed)
			}
		case 4:
			k.IssuingOffice, err = text(r)
		case 5:
			k.IssueDate, err = wireDate(r)
		case 6:
			c = 0
			k.Members, err = decodeMembers(r)
		default:
			return nil, fmt.Errorf("%w: unknown Kartu Keluarga key %d", codec.ErrMalformed, key)
		}
		if err != nil {
			if c == 0 {
				return nil, err
			}
			return nil, fmt.Errorf("%v: %w", c, err)
		}
	}
	return k, nil
}

// decodeMembers reads the members array: 1 to maxMembers non-empty maps.
func decodeMembers(r *codec.Reader) ([]Member, error) {
	n, err := r.Array()
	if err != nil {
		return nil, err
	}
	if n == 0 || n > maxMembers {
		return nil, fmt.Errorf("%w: %d members, want 1 to %d", codec.ErrMalformed, n, maxMembers)
	}
	out := make([]Member, n)
	for i := range out {
		if err := decodeMember(r, &out[i]); err != nil {
			return nil, fmt.Errorf("member %d: %w", i+1, err)
		}
	}
	return out, nil
}

func decodeMember(r *codec.Reader, m *Member) error {
	n, err := r.Map()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: empty member map", codec.ErrMalformed)
	}
	for range n {
		key, err := r.Int()
		if err != nil {
			return err
		}
		var v uint8
		c := Claim(key + memberKeyBase)
		switch key {
		case 1:
			m.Name, err = text(r)
		case 2:
			m.NIK, err = wireNIK(r)
		case 3:
			v, err = wireEnum(r)
			m.Sex = Sex(v)
		case 4:
			m.BirthPlace, err = text(r)
		case 5:
			m.BirthDate, err = wireDate(r)
		case 6:
			v, err = wireEnum(r)
			m.Religion = Religion(v)
		case 7:
			v, err = wireEnum(r)
			m.Education = Education(v)
		case 8:
			v, err = wireEnum(r)
			m.Occupation = Occupation(v)
		case 9:
			v, err = wireEnum(r)
			m.BloodType = BloodType(v)
		case 10:
			v, err = wireEnum(r)
			m.MaritalStatus = MaritalStatus(v)
		case 11:
			m.MarriageDate, err = wireDate(r)
		case 12:
			v, err = wireEnum(r)
			m.Relationship = Relationship(v)
		case 13:
			v, err = wireEnum(r)
			m.Citizenship = Citizenship(v)
		case 14:
			m.Passport, err = text(r)
		case 15:
			m.KITAS, err = text(r)
		case 16:
			m.Father, err = text(r)
		case 17:
			m.Mother, err = text(r)
		default:
			return fmt.Errorf("%w: unknown member key %d", codec.ErrMalformed, key)
		}
		if err != nil {
			return fmt.Errorf("%v: %w", c, err)
		}
	}
	return nil
}

// decodeAkta reads the Akta Kelahiran map (keys 1 to 14).
func decodeAkta(r *codec.Reader) (*BirthCertificate, error) {
	n, err := r.Map()
	if err != nil {
		return nil, err
	}
	a := &BirthCertificate{}
	for range n {
		key, err := r.Int()
		if err != nil {
			return nil, err
		}
		var v uint8
		c := Claim(key + aktaKeyBase)
		switch key {
		case 1:
			a.Number, err = text(r)
		case 2:
			a.ChildNIK, err = wireNIK(r)
		case 3:
			a.ChildName, err = text(r)
		case 4:
			v, err = wireEnum(r)
			a.Sex = Sex(v)
		case 5:
			a.BirthPlace, err = text(r)
		case 6:
			a.BirthDate, err = wireDate(r)
		case 7:
			a.BirthTime, err = text(r)
		case 8:
			a.BirthOrder, err = wireEnum(r)
		case 9:
			a.Father, err = text(r)
		case 10:
			a.FatherNIK, err = wireNIK(r)
		case 11:
			a.Mother, err = text(r)
		case 12:
			a.MotherNIK, err = wireNIK(r)
		case 13:
			a.IssuingOffice, err = text(r)
		case 14:
			a.IssueDate, err = wireDate(r)
		default:
			return nil, fmt.Errorf("%w: unknown Akta Kelahiran key %d", codec.ErrMalformed, key)
		}
		if err != nil {
			return nil, fmt.Errorf("%v: %w", c, err)
		}
	}
	return a, nil
}
