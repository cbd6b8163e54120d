package credential

import (
	"fmt"
	"strconv"
)

// DocumentType says which identity document a credential carries. The set
// is append-only: new documents (Kartu Keluarga, KITAS/KITAP) get new
// numbers and their own claim types; existing numbers never change.
type DocumentType uint8

const (
	// DocumentKTP is the e-KTP (Kartu Tanda Penduduk elektronik), the
	// national identity card, for citizens (WNI) and for foreign residents
	// (WNA) holding a permanent stay permit.
	DocumentKTP DocumentType = 1
)

// String returns "ktp", or "DocumentType(N)" for an unknown value.
func (d DocumentType) String() string {
	if d == DocumentKTP {
		return "ktp"
	}
	return "DocumentType(" + strconv.Itoa(int(d)) + ")"
}

// Valid reports whether d is a document type this version understands.
func (d DocumentType) Valid() bool { return d == DocumentKTP }

// Address is the address block of a KTP.
type Address struct {
	// Street is the street address line ("Alamat"), for example
	// "JL. MERDEKA NO. 10".
	Street string `cbor:"1,keyasint,omitempty" json:"street,omitempty"`
	// RT (Rukun Tetangga, neighbourhood unit) number, printed as three
	// digits ("005"). Zero means not given.
	RT uint16 `cbor:"2,keyasint,omitempty" json:"rt,omitempty"`
	// RW (Rukun Warga, community unit) number, printed as three digits.
	// Zero means not given.
	RW uint16 `cbor:"3,keyasint,omitempty" json:"rw,omitempty"`
	// Kelurahan is the urban village (kelurahan) or rural village (desa).
	Kelurahan string `cbor:"4,keyasint,omitempty" json:"kelurahan,omitempty"`
	// Kecamatan is the district.
	Kecamatan string `cbor:"5,keyasint,omitempty" json:"kecamatan,omitempty"`
	// Regency is the regency (kabupaten) or city (kota), for example
	// "JAKARTA PUSAT".
	Regency string `cbor:"6,keyasint,omitempty" json:"regency,omitempty"`
	// Province is the province (provinsi) name, for example "DKI JAKARTA".
	Province string `cbor:"7,keyasint,omitempty" json:"province,omitempty"`
}

// IsZero reports whether a is empty.
func (a Address) IsZero() bool { return a == Address{} }

// RTRW returns the RT/RW as printed on the card, for example "005/012".
func (a Address) RTRW() string {
	if a.RT == 0 && a.RW == 0 {
		return ""
	}
	return fmt.Sprintf("%03d/%03d", a.RT, a.RW)
}

// Validity is the "Berlaku Hingga" (valid until) field of a KTP: either
// "SEUMUR HIDUP" (for life, the rule for citizens' e-KTP since 2013) or a
// date (for foreign residents, tied to their stay permit, and for older
// cards). The zero Validity means not given.
//
// On the wire a lifetime validity is CBOR true and a date is its YYYYMMDD
// integer.
type Validity struct {
	// Lifetime is true for "SEUMUR HIDUP".
	Lifetime bool
	// Until is the last valid day when Lifetime is false.
	Until Date
}

// Lifetime is the "SEUMUR HIDUP" validity.
var Lifetime = Validity{Lifetime: true}

// ValidUntil returns a validity ending on d.
func ValidUntil(d Date) Validity { return Validity{Until: d} }

// IsZero reports whether v is not given.
func (v Validity) IsZero() bool { return !v.Lifetime && v.Until.IsZero() }

// String returns "SEUMUR HIDUP", the date as "2006-01-02", or "".
func (v Validity) String() string {
	if v.Lifetime {
		return "SEUMUR HIDUP"
	}
	return v.Until.String()
}

// MarshalCBOR encodes a lifetime validity as true and a date as YYYYMMDD.
func (v Validity) MarshalCBOR() ([]byte, error) {
	if v.Lifetime {
		if !v.Until.IsZero() {
			return nil, fmt.Errorf("%w: lifetime validity with a date", ErrInvalidValue)
		}
		return []byte{0xf5}, nil
	}
	return v.Until.MarshalCBOR()
}

// UnmarshalCBOR decodes true or a YYYYMMDD date. false is rejected.
func (v *Validity) UnmarshalCBOR(data []byte) error {
	if len(data) == 1 && data[0] == 0xf5 {
		*v = Lifetime
		return nil
	}
	var d Date
	if err := d.UnmarshalCBOR(data); err != nil {
		return err
	}
	*v = Validity{Until: d}
	return nil
}

// MarshalText encodes "SEUMUR HIDUP" or the date (for JSON).
func (v Validity) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText accepts "SEUMUR HIDUP" (any case), "lifetime", or a date.
func (v *Validity) UnmarshalText(b []byte) error {
	switch s := string(b); {
	case asciiEqualFold(s, "SEUMUR HIDUP"), asciiEqualFold(s, "lifetime"):
		*v = Lifetime
		return nil
	default:
		var d Date
		if err := d.UnmarshalText(b); err != nil {
			return err
		}
		*v = Validity{Until: d}
		return nil
	}
}

// KTP holds the claims of an e-KTP. Every field is optional on the wire: a
// credential for a disclosure profile carries only that profile's claims
// (see [Profile]). Each field has a small integer CBOR key that never
// changes; the JSON names are for person records and scanner output.
type KTP struct {
	// NIK is the Nomor Induk Kependudukan, the 16-digit national identity
	// number.
	NIK NIK `cbor:"1,keyasint,omitzero" json:"nik,omitzero"`
	// Name is the full name ("Nama") as printed, in upper case.
	Name string `cbor:"2,keyasint,omitempty" json:"name,omitempty"`
	// BirthPlace is the place of birth ("Tempat Lahir").
	BirthPlace string `cbor:"3,keyasint,omitempty" json:"birth_place,omitempty"`
	// BirthDate is the date of birth ("Tgl Lahir").
	BirthDate Date `cbor:"4,keyasint,omitzero" json:"birth_date,omitzero"`
	// Sex ("Jenis Kelamin").
	Sex Sex `cbor:"5,keyasint,omitempty" json:"sex,omitempty"`
	// BloodType ("Gol. Darah").
	BloodType BloodType `cbor:"6,keyasint,omitempty" json:"blood_type,omitempty"`
	// Address ("Alamat" with RT/RW, Kel/Desa, Kecamatan, Kabupaten/Kota,
	// Provinsi).
	Address *Address `cbor:"7,keyasint,omitempty" json:"address,omitempty"`
	// Religion ("Agama").
	Religion Religion `cbor:"8,keyasint,omitempty" json:"religion,omitempty"`
	// MaritalStatus ("Status Perkawinan").
	MaritalStatus MaritalStatus `cbor:"9,keyasint,omitempty" json:"marital_status,omitempty"`
	// Occupation ("Pekerjaan"), for example "KARYAWAN SWASTA".
	Occupation string `cbor:"10,keyasint,omitempty" json:"occupation,omitempty"`
	// Citizenship ("Kewarganegaraan"): WNI or WNA.
	Citizenship Citizenship `cbor:"11,keyasint,omitempty" json:"citizenship,omitempty"`
	// Nationality is the ISO 3166-1 alpha-3 code of a foreign holder's
	// nationality (WNA only), for example "JPN".
	Nationality string `cbor:"12,keyasint,omitempty" json:"nationality,omitempty"`
	// Validity ("Berlaku Hingga").
	Validity Validity `cbor:"13,keyasint,omitzero" json:"validity,omitzero"`
	// IssuingOffice is the regency or city whose Disdukcapil (Dinas
	// Kependudukan dan Pencatatan Sipil, civil registry office) issued the
	// card, as printed above the issue date, for example "JAKARTA PUSAT".
	IssuingOffice string `cbor:"14,keyasint,omitempty" json:"issuing_office,omitempty"`
	// IssueDate is the date printed under the photo.
	IssueDate Date `cbor:"15,keyasint,omitzero" json:"issue_date,omitzero"`
	// Over17 is the age profile's only claim: the holder was 17 or older on
	// the credential's issue date (17 is the age at which Indonesians get a
	// KTP and may vote).
	Over17 *bool `cbor:"16,keyasint,omitempty" json:"over_17,omitempty"`
}
