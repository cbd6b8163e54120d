package credential

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/ikdgo/ikd/internal/codec"
)

// decodePayloadReference is the decoder decodePayload replaced: the strict
// fxamacker decode into the wire structs of wire.go, then the check that
// encodePayload gives the input back. FuzzDecodePayload holds the one-pass
// decoder to it: both accept the same inputs, with the same result.
func decodePayloadReference(data []byte) (*payload, error) {
	var w payloadWire
	if err := codec.Unmarshal(data, &w); err != nil {
		return nil, err
	}
	dev, err := w.Confirm.Key.publicKey()
	if err != nil {
		return nil, fmt.Errorf("cnf: %v", err)
	}
	p := &payload{
		Issuer:    w.Issuer,
		IssuedAt:  w.IssuedAt,
		Expiry:    w.Expiry,
		DeviceKey: dev,
		Profile:   Profile(w.Profile),
		Status:    StatusRef{List: w.Status.List, Index: w.Status.Index},
	}
	// Exactly one document, the profile's.
	docs := 0
	for _, present := range []bool{w.KTP != nil, w.KK != nil, w.Akta != nil} {
		if present {
			docs++
		}
	}
	if docs != 1 {
		return nil, errors.New("not exactly one document key")
	}
	switch p.Profile.Document() {
	case DocumentKK:
		if w.KK == nil {
			return nil, errors.New("no Kartu Keluarga claims (key -4)")
		}
		if p.KK, err = w.KK.kk(); err != nil {
			return nil, err
		}
	case DocumentBirthCertificate:
		if w.Akta == nil {
			return nil, errors.New("no Akta Kelahiran claims (key -5)")
		}
		if p.Birth, err = w.Akta.akta(); err != nil {
			return nil, err
		}
	default:
		if w.KTP == nil {
			return nil, errors.New("no KTP claims (key -3)")
		}
		if p.Claims, err = w.KTP.ktp(); err != nil {
			return nil, err
		}
	}
	again, err := encodePayload(p)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, data) {
		return nil, codec.ErrNotCanonical
	}
	return p, nil
}

func (w *ktpWire) ktp() (KTP, error) {
	k := KTP{
		Name:          w.Name,
		BirthPlace:    w.BirthPlace,
		Sex:           Sex(w.Sex),
		BloodType:     BloodType(w.BloodType),
		Religion:      Religion(w.Religion),
		MaritalStatus: MaritalStatus(w.MaritalStatus),
		Occupation:    w.Occupation,
		Citizenship:   Citizenship(w.Citizenship),
		Nationality:   w.Nationality,
		IssuingOffice: w.IssuingOffice,
		Over17:        w.Over17,
	}
	var err error
	if w.NIK != 0 {
		if k.NIK, err = nikFromWire(w.NIK); err != nil {
			return KTP{}, err
		}
	}
	if k.BirthDate, err = dateFromWire(w.BirthDate); err != nil {
		return KTP{}, err
	}
	if k.IssueDate, err = dateFromWire(w.IssueDate); err != nil {
		return KTP{}, err
	}
	if w.Validity != nil {
		if bytes.Equal(w.Validity, cborTrue) {
			k.Validity.Lifetime = true
		} else {
			var n uint64
			if err := codec.Unmarshal(w.Validity, &n); err != nil {
				return KTP{}, fmt.Errorf("validity is neither true nor a date: %v", err)
			}
			if n == 0 { // 0 or null
				return KTP{}, errors.New("validity is neither true nor a date")
			}
			if k.Validity.Until, err = dateFromWire(n); err != nil {
				return KTP{}, err
			}
		}
	}
	if a := w.Address; a != nil {
		if *a == (addressWire{}) {
			return KTP{}, errors.New("empty address map")
		}
		k.Address = a.address()
	}
	return k, nil
}

func (a *addressWire) address() *Address {
	out := &Address{
		Street: a.Street, RT: a.RT, RW: a.RW, Kelurahan: a.Kelurahan,
		Kecamatan: a.Kecamatan, Regency: a.Regency, Province: a.Province,
	}
	if a.Postal != 0 {
		out.PostalCode = strconv.FormatUint(uint64(a.Postal), 10)
	}
	return out
}

// nikRef reads an optional NIK.
func nikRef(v uint64) (NIK, error) {
	if v == 0 {
		return "", nil
	}
	return nikFromWire(v)
}

func (w *kkWire) kk() (*KK, error) {
	k := &KK{Head: w.Head, IssuingOffice: w.IssuingOffice}
	var err error
	if w.Number != 0 {
		k.Number = strconv.FormatUint(w.Number, 10)
		if err := checkKKNumber(k.Number); err != nil {
			return nil, err
		}
	}
	if w.Address != nil {
		if *w.Address == (addressWire{}) {
			return nil, errors.New("empty address map")
		}
		k.Address = w.Address.address()
	}
	if k.IssueDate, err = dateFromWire(w.IssueDate); err != nil {
		return nil, err
	}
	if len(w.Members) > maxMembers {
		return nil, errors.New("too many members")
	}
	for _, mw := range w.Members {
		m := Member{
			Name: mw.Name, Sex: Sex(mw.Sex), BirthPlace: mw.BirthPlace, Religion: Religion(mw.Religion),
			Education: Education(mw.Education), Occupation: Occupation(mw.Occupation),
			BloodType: BloodType(mw.BloodType), MaritalStatus: MaritalStatus(mw.MaritalStatus),
			Relationship: Relationship(mw.Relationship), Citizenship: Citizenship(mw.Citizenship),
			Passport: mw.Passport, KITAS: mw.KITAS, Father: mw.Father, Mother: mw.Mother,
		}
		if m.NIK, err = nikRef(mw.NIK); err != nil {
			return nil, err
		}
		if m.BirthDate, err = dateFromWire(mw.BirthDate); err != nil {
			return nil, err
		}
		if m.MarriageDate, err = dateFromWire(mw.MarriageDate); err != nil {
			return nil, err
		}
		k.Members = append(k.Members, m)
	}
	return k, nil
}

func (w *aktaWire) akta() (*BirthCertificate, error) {
	b := &BirthCertificate{
		Number: w.Number, ChildName: w.ChildName, Sex: Sex(w.Sex), BirthPlace: w.BirthPlace,
		BirthTime: w.BirthTime, BirthOrder: w.BirthOrder, Father: w.Father, Mother: w.Mother,
		IssuingOffice: w.IssuingOffice,
	}
	var err error
	if b.ChildNIK, err = nikRef(w.ChildNIK); err != nil {
		return nil, err
	}
	if b.FatherNIK, err = nikRef(w.FatherNIK); err != nil {
		return nil, err
	}
	if b.MotherNIK, err = nikRef(w.MotherNIK); err != nil {
		return nil, err
	}
	if b.BirthDate, err = dateFromWire(w.BirthDate); err != nil {
		return nil, err
	}
	if b.IssueDate, err = dateFromWire(w.IssueDate); err != nil {
		return nil, err
	}
	return b, nil
}
