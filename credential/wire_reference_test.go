package credential

import (
	"bytes"
	"errors"
	"fmt"

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
	if w.KTP == nil {
		return nil, errors.New("no KTP claims (key -3)")
	}
	dev, err := w.Confirm.Key.publicKey()
	if err != nil {
		return nil, fmt.Errorf("cnf: %v", err)
	}
	claims, err := w.KTP.ktp()
	if err != nil {
		return nil, err
	}
	p := &payload{
		Issuer:    w.Issuer,
		IssuedAt:  w.IssuedAt,
		Expiry:    w.Expiry,
		DeviceKey: dev,
		Profile:   Profile(w.Profile),
		Status:    StatusRef{List: w.Status.List, Index: w.Status.Index},
		Claims:    claims,
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
		k.Address = &Address{
			Street: a.Street, RT: a.RT, RW: a.RW, Kelurahan: a.Kelurahan,
			Kecamatan: a.Kecamatan, Regency: a.Regency, Province: a.Province,
		}
	}
	return k, nil
}
