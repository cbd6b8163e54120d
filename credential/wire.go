package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/internal/codec"
)

// This file is the credential's wire format, and the only code that turns
// a payload into bytes and back: [encodePayload] and [decodePayload]. The
// exported types carry no CBOR methods or tags; the structs below mirror
// them with the wire's keys and types.
//
// The payload is a CWT claims set (RFC 8392) in Core Deterministic CBOR
// (RFC 8949 §4.2.1), with ikd's private claims under small negative keys so
// that each costs one byte:
//
//	 1 iss  issuer id (text)                       RFC 8392 §3.1.1
//	 4 exp  expiry (NumericDate, seconds)          RFC 8392 §3.1.4
//	 6 iat  issued at (NumericDate, seconds)       RFC 8392 §3.1.6
//	 8 cnf  {1: COSE_Key} the holder's device key  RFC 8747 §3.1
//	-1 disclosure profile (uint)
//	-2 status reference [list, index]
//	-3 the claims of a KTP (map with the Claim numbers as keys)
//
// The KTP claims sit under -3; documents added later (Kartu Keluarga,
// KITAS/KITAP) get keys of their own (-4, -5, …), so that the key says what
// the claims are and a credential cannot claim one document and carry
// another.
//
// Within the claims, dates are the unsigned integer YYYYMMDD, the NIK the
// unsigned integer of its 16 digits (9 bytes), enums their number, a
// lifetime validity CBOR true, and an absent claim has no key at all.
//
// Why integer keys and not text: measured here, integer keys save about 15%
// of the QR text. Why CBOR and not JSON: it is what COSE signs, it has a
// deterministic form, and binary data (keys) needs no extra encoding.
//
// Decoding is strict (internal/codec: no duplicate or unknown keys, no
// indefinite lengths, no tags, nesting and size caps) and accepts canonical
// input only: the decoded payload must encode back to the same bytes, which
// also refuses an explicit zero value (a 0 date, an empty string, a null)
// where the encoder would leave the key out.

// payload is a credential's content in the package's own types.
type payload struct {
	Issuer           string
	IssuedAt, Expiry int64 // NumericDate, seconds
	DeviceKey        *ecdsa.PublicKey
	Profile          Profile
	Status           StatusRef
	Claims           KTP
}

type payloadWire struct {
	Issuer   string       `cbor:"1,keyasint"`
	Expiry   int64        `cbor:"4,keyasint"`
	IssuedAt int64        `cbor:"6,keyasint"`
	Confirm  confirmation `cbor:"8,keyasint"`
	Profile  uint8        `cbor:"-1,keyasint"`
	Status   statusWire   `cbor:"-2,keyasint"`
	KTP      *ktpWire     `cbor:"-3,keyasint,omitempty"`
}

// confirmation is the cnf claim: proof-of-possession key (RFC 8747 §3.2).
type confirmation struct {
	Key coseKey `cbor:"1,keyasint"`
}

// coseKey is a P-256 public COSE_Key (RFC 9053 §7.1.1) with a compressed
// point: y is the sign bit (true for an odd y, the SEC 1 0x03 prefix). It
// saves 31 bytes of QR against the uncompressed form. Device keys are P-256
// only: Android Keystore and the iOS Secure Enclave offer nothing else.
type coseKey struct {
	Kty int64  `cbor:"1,keyasint"`
	Crv int64  `cbor:"-1,keyasint"`
	X   []byte `cbor:"-2,keyasint"`
	Y   bool   `cbor:"-3,keyasint"`
}

const (
	coseKtyEC2  = 2
	coseCrvP256 = 1
)

// statusWire is the status reference as a two-element array.
type statusWire struct {
	_     struct{} `cbor:",toarray"`
	List  uint32
	Index uint32
}

type ktpWire struct {
	NIK           uint64          `cbor:"1,keyasint,omitempty"`
	Name          string          `cbor:"2,keyasint,omitempty"`
	BirthPlace    string          `cbor:"3,keyasint,omitempty"`
	BirthDate     uint64          `cbor:"4,keyasint,omitempty"`
	Sex           uint8           `cbor:"5,keyasint,omitempty"`
	BloodType     uint8           `cbor:"6,keyasint,omitempty"`
	Address       *addressWire    `cbor:"7,keyasint,omitempty"`
	Religion      uint8           `cbor:"8,keyasint,omitempty"`
	MaritalStatus uint8           `cbor:"9,keyasint,omitempty"`
	Occupation    string          `cbor:"10,keyasint,omitempty"`
	Citizenship   uint8           `cbor:"11,keyasint,omitempty"`
	Nationality   string          `cbor:"12,keyasint,omitempty"`
	Validity      cbor.RawMessage `cbor:"13,keyasint,omitempty"` // true or a date
	IssuingOffice string          `cbor:"14,keyasint,omitempty"`
	IssueDate     uint64          `cbor:"15,keyasint,omitempty"`
	Over17        *bool           `cbor:"16,keyasint,omitempty"`
}

type addressWire struct {
	Street    string `cbor:"1,keyasint,omitempty"`
	RT        uint16 `cbor:"2,keyasint,omitempty"`
	RW        uint16 `cbor:"3,keyasint,omitempty"`
	Kelurahan string `cbor:"4,keyasint,omitempty"`
	Kecamatan string `cbor:"5,keyasint,omitempty"`
	Regency   string `cbor:"6,keyasint,omitempty"`
	Province  string `cbor:"7,keyasint,omitempty"`
}

// cborTrue is the encoding of a lifetime validity.
var cborTrue = []byte{0xf5}

// encodePayload returns the canonical CBOR of p. It fails on values the
// wire cannot carry: a device key that is not a P-256 point, a malformed
// NIK, a date that does not exist, a validity both for life and dated.
// Those errors wrap [ErrInvalidValue] (the device key's too).
func encodePayload(p *payload) ([]byte, error) {
	key, err := newCOSEKey(p.DeviceKey)
	if err != nil {
		return nil, err
	}
	k, err := ktpToWire(&p.Claims)
	if err != nil {
		return nil, err
	}
	return codec.Marshal(payloadWire{
		Issuer:   p.Issuer,
		Expiry:   p.Expiry,
		IssuedAt: p.IssuedAt,
		Confirm:  confirmation{Key: key},
		Profile:  uint8(p.Profile),
		Status:   statusWire{List: p.Status.List, Index: p.Status.Index},
		KTP:      k,
	})
}

// decodePayload reads a payload strictly and accepts canonical input only
// (see the top of this file). It checks the shape of every value (a NIK
// passes [ParseNIK], dates exist, the device key is a point on P-256) but
// not what the values mean together: [Parse] checks the issuer id, profile
// and times, [Signed.Verify] the claims.
func decodePayload(data []byte) (*payload, error) {
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

func ktpToWire(k *KTP) (*ktpWire, error) {
	w := &ktpWire{
		Name:          k.Name,
		BirthPlace:    k.BirthPlace,
		Sex:           uint8(k.Sex),
		BloodType:     uint8(k.BloodType),
		Religion:      uint8(k.Religion),
		MaritalStatus: uint8(k.MaritalStatus),
		Occupation:    k.Occupation,
		Citizenship:   uint8(k.Citizenship),
		Nationality:   k.Nationality,
		IssuingOffice: k.IssuingOffice,
		Over17:        k.Over17,
	}
	var err error
	if k.NIK != "" {
		if w.NIK, err = k.NIK.wire(); err != nil {
			return nil, err
		}
	}
	if w.BirthDate, err = dateToWire(k.BirthDate); err != nil {
		return nil, err
	}
	if w.IssueDate, err = dateToWire(k.IssueDate); err != nil {
		return nil, err
	}
	switch v := k.Validity; {
	case v.Lifetime && !v.Until.IsZero():
		return nil, fmt.Errorf("%w: validity both for life and until a date", ErrInvalidValue)
	case v.Lifetime:
		w.Validity = cborTrue
	case !v.Until.IsZero():
		n, err := dateToWire(v.Until)
		if err != nil {
			return nil, err
		}
		if w.Validity, err = codec.Marshal(n); err != nil {
			return nil, err
		}
	}
	if a := k.Address; a != nil {
		w.Address = &addressWire{
			Street: a.Street, RT: a.RT, RW: a.RW, Kelurahan: a.Kelurahan,
			Kecamatan: a.Kecamatan, Regency: a.Regency, Province: a.Province,
		}
	}
	return w, nil
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

// dateToWire returns d as YYYYMMDD, 0 for the zero Date (no key), or an
// error wrapping [ErrInvalidValue] for a date that does not exist.
func dateToWire(d Date) (uint64, error) {
	if d.IsZero() {
		return 0, nil
	}
	if !d.valid() {
		return 0, fmt.Errorf("%w: no such date %04d-%02d-%02d", ErrInvalidValue, d.Year, int(d.Month), d.Day)
	}
	return d.compact(), nil
}

// dateFromWire reads YYYYMMDD; 0 is the zero Date (the key was absent).
func dateFromWire(n uint64) (Date, error) {
	if n == 0 {
		return Date{}, nil
	}
	d, ok := dateFromCompact(n)
	if !ok {
		return Date{}, fmt.Errorf("%w: no such date %d", ErrInvalidValue, n)
	}
	return d, nil
}

// errDeviceKey reports a device key that is not a valid P-256 public key.
var errDeviceKey = fmt.Errorf("%w: device key must be a P-256 public key", ErrInvalidValue)

func newCOSEKey(pub *ecdsa.PublicKey) (coseKey, error) {
	if pub == nil || pub.Curve != elliptic.P256() {
		return coseKey{}, errDeviceKey
	}
	b, err := pub.Bytes() // uncompressed 0x04 || X || Y, validates the point
	if err != nil {
		return coseKey{}, fmt.Errorf("%w: %v", errDeviceKey, err)
	}
	return coseKey{Kty: coseKtyEC2, Crv: coseCrvP256, X: b[1:33], Y: b[64]&1 == 1}, nil
}

func (k coseKey) publicKey() (*ecdsa.PublicKey, error) {
	if k.Kty != coseKtyEC2 || k.Crv != coseCrvP256 || len(k.X) != 32 {
		return nil, errDeviceKey
	}
	compressed := make([]byte, 33)
	compressed[0] = 0x02
	if k.Y {
		compressed[0] = 0x03
	}
	copy(compressed[1:], k.X)
	// The only standard-library way to decompress a point; it checks that
	// the point is on the curve.
	x, y := elliptic.UnmarshalCompressed(elliptic.P256(), compressed)
	if x == nil {
		return nil, errDeviceKey
	}
	raw := make([]byte, 65)
	raw[0] = 0x04
	x.FillBytes(raw[1:33])
	y.FillBytes(raw[33:])
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return nil, errDeviceKey
	}
	return pub, nil
}
