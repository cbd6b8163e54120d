package credential

// KTP holds the claims of an e-KTP. Every field is optional: a credential
// for a disclosure profile carries only that profile's claims (see
// [Profile]), and the zero value of a field means the claim is absent.
//
// Each field is one [Claim]: the Claim's number is the field's CBOR key in
// a credential, which never changes, and its String is the member name in
// the person-record JSON ([KTP.MarshalJSON]).
type KTP struct {
	// NIK is the Nomor Induk Kependudukan, the 16-digit national identity
	// number ([ClaimNIK], "nik").
	NIK NIK
	// Name is the full name ("Nama") as printed, in upper case
	// ([ClaimName], "name").
	Name string
	// BirthPlace is the place of birth ("Tempat Lahir") ([ClaimBirthPlace],
	// "birth_place").
	BirthPlace string
	// BirthDate is the date of birth ("Tgl Lahir") ([ClaimBirthDate],
	// "birth_date").
	BirthDate Date
	// Sex ("Jenis Kelamin") ([ClaimSex], "sex").
	Sex Sex
	// BloodType ("Gol. Darah") ([ClaimBloodType], "blood_type").
	BloodType BloodType
	// Address ("Alamat" with RT/RW, Kel/Desa, Kecamatan, Kabupaten/Kota,
	// Provinsi) ([ClaimAddress], "address"). Nil, or an Address with no
	// field set, is absent.
	Address *Address
	// Religion ("Agama") ([ClaimReligion], "religion").
	Religion Religion
	// MaritalStatus ("Status Perkawinan") ([ClaimMaritalStatus],
	// "marital_status").
	MaritalStatus MaritalStatus
	// Occupation ("Pekerjaan"), for example "KARYAWAN SWASTA"
	// ([ClaimOccupation], "occupation").
	Occupation string
	// Citizenship ("Kewarganegaraan"): WNI or WNA ([ClaimCitizenship],
	// "citizenship").
	Citizenship Citizenship
	// Nationality is the ISO 3166-1 alpha-3 code of a foreign holder's
	// nationality (WNA only), for example "JPN" ([ClaimNationality],
	// "nationality").
	Nationality string
	// Validity ("Berlaku Hingga") ([ClaimValidity], "validity").
	Validity Validity
	// IssuingOffice is the regency or city whose Disdukcapil (Dinas
	// Kependudukan dan Pencatatan Sipil, civil registry office) issued the
	// card, as printed above the issue date, for example "JAKARTA PUSAT"
	// ([ClaimIssuingOffice], "issuing_office").
	IssuingOffice string
	// IssueDate is the date printed under the photo ([ClaimIssueDate],
	// "issue_date").
	IssueDate Date
	// Over17 is the age profile's only claim: the holder was 17 or older on
	// the credential's issue date (17 is the age at which Indonesians get a
	// KTP and may vote) ([ClaimOver17], "over_17"). Nil is absent.
	Over17 *bool
}

// Address is the address block of a KTP or a Kartu Keluarga. In a
// credential each field has a small CBOR key (1 to 8 in field order; 8,
// the postal code, only in a Kartu Keluarga); in a person-record JSON the
// member names are street, rt, rw, kelurahan, kecamatan, regency and
// province.
type Address struct {
	// Street is the street address line ("Alamat"), for example
	// "JL. MERDEKA NO. 10".
	Street string
	// RT (Rukun Tetangga, neighbourhood unit) number, printed as three
	// digits ("005"). Zero means not given.
	RT uint16
	// RW (Rukun Warga, community unit) number, printed as three digits.
	// Zero means not given.
	RW uint16
	// Kelurahan is the urban village (kelurahan) or rural village (desa).
	Kelurahan string
	// Kecamatan is the district.
	Kecamatan string
	// Regency is the regency (kabupaten) or city (kota), for example
	// "JAKARTA PUSAT".
	Regency string
	// Province is the province (provinsi) name, for example "DKI JAKARTA".
	Province string
	// PostalCode is the five-digit postal code ("Kode Pos") of a Kartu
	// Keluarga's address (CBOR key 8, an unsigned integer). The e-KTP
	// prints none: a KTP with a postal code is invalid.
	PostalCode string
}

// Validity is the "Berlaku Hingga" (valid until) field of a KTP: either
// "SEUMUR HIDUP" (for life, the rule for citizens' e-KTP since 2013) or a
// date (for foreign residents, tied to their stay permit, and for older
// cards). The zero Validity means not given; Lifetime with a date is
// invalid.
//
// On the wire a lifetime validity is CBOR true and a date is its YYYYMMDD
// integer.
type Validity struct {
	// Lifetime is true for "SEUMUR HIDUP".
	Lifetime bool
	// Until is the last valid day when Lifetime is false.
	Until Date
}
