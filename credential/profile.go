package credential

import "strconv"

// Claim names one claim of a [KTP]. Its value is the claim's CBOR key in a
// credential and its String is the member name in a person-record JSON.
// The set is append-only; the zero value is no claim.
type Claim uint8

// The claims of a KTP.
const (
	ClaimNIK           Claim = 1
	ClaimName          Claim = 2
	ClaimBirthPlace    Claim = 3
	ClaimBirthDate     Claim = 4
	ClaimSex           Claim = 5
	ClaimBloodType     Claim = 6
	ClaimAddress       Claim = 7
	ClaimReligion      Claim = 8
	ClaimMaritalStatus Claim = 9
	ClaimOccupation    Claim = 10
	ClaimCitizenship   Claim = 11
	ClaimNationality   Claim = 12
	ClaimValidity      Claim = 13
	ClaimIssuingOffice Claim = 14
	ClaimIssueDate     Claim = 15
	ClaimOver17        Claim = 16
)

// claimLabels holds, for each claim, its JSON name (the key), the field
// label as printed on the e-KTP and an English label. The card prints
// "Tempat/Tgl Lahir" as one field; place and date of birth are two claims
// here, so each gets its half. The card prints no label for the issuing
// office and issue date (they sit under the photo), nor any over-17 flag:
// those labels are ikd's.
var claimLabels = [claimTableSize]enumLabel{
	ClaimNIK:           {key: "nik", id: "NIK", en: "NIK"},
	ClaimName:          {key: "name", id: "Nama", en: "Name"},
	ClaimBirthPlace:    {key: "birth_place", id: "Tempat Lahir", en: "Place of birth"},
	ClaimBirthDate:     {key: "birth_date", id: "Tgl Lahir", en: "Date of birth"},
	ClaimSex:           {key: "sex", id: "Jenis Kelamin", en: "Sex"},
	ClaimBloodType:     {key: "blood_type", id: "Gol. Darah", en: "Blood type"},
	ClaimAddress:       {key: "address", id: "Alamat", en: "Address"},
	ClaimReligion:      {key: "religion", id: "Agama", en: "Religion"},
	ClaimMaritalStatus: {key: "marital_status", id: "Status Perkawinan", en: "Marital status"},
	ClaimOccupation:    {key: "occupation", id: "Pekerjaan", en: "Occupation"},
	ClaimCitizenship:   {key: "citizenship", id: "Kewarganegaraan", en: "Citizenship"},
	ClaimNationality:   {key: "nationality", id: "Kebangsaan", en: "Nationality"},
	ClaimValidity:      {key: "validity", id: "Berlaku Hingga", en: "Valid until"},
	ClaimIssuingOffice: {key: "issuing_office", id: "Tempat Terbit", en: "Place of issue"},
	ClaimIssueDate:     {key: "issue_date", id: "Tgl Terbit", en: "Date of issue"},
	ClaimOver17:        {key: "over_17", id: "Usia 17 Tahun ke Atas", en: "Aged 17 or over"},

	// The Kartu Keluarga's claims, labelled as the card prints them.
	ClaimKKNumber:            {key: "kk_number", id: "No. KK", en: "Family card number"},
	ClaimKKHead:              {key: "kk_head", id: "Nama Kepala Keluarga", en: "Head of the family"},
	ClaimKKAddress:           {key: "kk_address", id: "Alamat", en: "Address"},
	ClaimKKIssuingOffice:     {key: "kk_issuing_office", id: "Dikeluarkan Oleh", en: "Issued by"},
	ClaimKKIssueDate:         {key: "kk_issue_date", id: "Dikeluarkan Tanggal", en: "Date of issue"},
	ClaimMemberName:          {key: "member_name", id: "Nama Lengkap", en: "Full name"},
	ClaimMemberNIK:           {key: "member_nik", id: "NIK", en: "NIK"},
	ClaimMemberSex:           {key: "member_sex", id: "Jenis Kelamin", en: "Sex"},
	ClaimMemberBirthPlace:    {key: "member_birth_place", id: "Tempat Lahir", en: "Place of birth"},
	ClaimMemberBirthDate:     {key: "member_birth_date", id: "Tanggal Lahir", en: "Date of birth"},
	ClaimMemberReligion:      {key: "member_religion", id: "Agama", en: "Religion"},
	ClaimMemberEducation:     {key: "member_education", id: "Pendidikan", en: "Education"},
	ClaimMemberOccupation:    {key: "member_occupation", id: "Jenis Pekerjaan", en: "Occupation"},
	ClaimMemberBloodType:     {key: "member_blood_type", id: "Golongan Darah", en: "Blood type"},
	ClaimMemberMaritalStatus: {key: "member_marital_status", id: "Status Perkawinan", en: "Marital status"},
	ClaimMemberMarriageDate:  {key: "member_marriage_date", id: "Tanggal Perkawinan", en: "Date of marriage"},
	ClaimMemberRelationship:  {key: "member_relationship", id: "Status Hubungan Dalam Keluarga", en: "Relationship in the family"},
	ClaimMemberCitizenship:   {key: "member_citizenship", id: "Kewarganegaraan", en: "Citizenship"},
	ClaimMemberPassport:      {key: "member_passport", id: "No. Paspor", en: "Passport number"},
	ClaimMemberKITAS:         {key: "member_kitas", id: "No. KITAS/KITAP", en: "Stay permit (KITAS/KITAP) number"},
	ClaimMemberFather:        {key: "member_father", id: "Nama Ayah", en: "Father's name"},
	ClaimMemberMother:        {key: "member_mother", id: "Nama Ibu", en: "Mother's name"},

	// The Akta Kelahiran's claims.
	ClaimAktaNumber:        {key: "akta_number", id: "Nomor Akta Kelahiran", en: "Birth certificate number"},
	ClaimAktaChildNIK:      {key: "akta_child_nik", id: "NIK", en: "NIK"},
	ClaimAktaChildName:     {key: "akta_child_name", id: "Nama", en: "Name"},
	ClaimAktaSex:           {key: "akta_sex", id: "Jenis Kelamin", en: "Sex"},
	ClaimAktaBirthPlace:    {key: "akta_birth_place", id: "Tempat Lahir", en: "Place of birth"},
	ClaimAktaBirthDate:     {key: "akta_birth_date", id: "Tanggal Lahir", en: "Date of birth"},
	ClaimAktaBirthTime:     {key: "akta_birth_time", id: "Pukul", en: "Time of birth"},
	ClaimAktaBirthOrder:    {key: "akta_birth_order", id: "Anak Ke", en: "Birth order"},
	ClaimAktaFather:        {key: "akta_father", id: "Nama Ayah", en: "Father's name"},
	ClaimAktaFatherNIK:     {key: "akta_father_nik", id: "NIK Ayah", en: "Father's NIK"},
	ClaimAktaMother:        {key: "akta_mother", id: "Nama Ibu", en: "Mother's name"},
	ClaimAktaMotherNIK:     {key: "akta_mother_nik", id: "NIK Ibu", en: "Mother's NIK"},
	ClaimAktaIssuingOffice: {key: "akta_issuing_office", id: "Dikeluarkan di", en: "Place of issue"},
	ClaimAktaIssueDate:     {key: "akta_issue_date", id: "Tanggal Terbit", en: "Date of issue"},
}

// claimTableSize bounds the claim numbers: KTP claims are 1–16, Kartu
// Keluarga claims 33–37 and 41–57, Akta Kelahiran claims 65–78
// (document.go).
const claimTableSize = 79

func (c Claim) valid() bool { return int(c) < claimTableSize && claimLabels[c].key != "" }

// String returns the claim's JSON name ("nik", "birth_date"), or
// "Claim(N)" for an unknown value.
func (c Claim) String() string {
	if c.valid() {
		return claimLabels[c].key
	}
	return "Claim(" + strconv.Itoa(int(c)) + ")"
}

// Indonesian returns the field label as printed on the e-KTP ("Nama",
// "Jenis Kelamin", "Berlaku Hingga"), the Kartu Keluarga or the Akta
// Kelahiran, or "" for an unknown claim.
func (c Claim) Indonesian() string {
	if c.valid() {
		return claimLabels[c].id
	}
	return ""
}

// English returns an English field label ("Name", "Place of birth",
// "Valid until"), or "" for an unknown claim.
func (c Claim) English() string {
	if c.valid() {
		return claimLabels[c].en
	}
	return ""
}

// ParseClaim returns the Claim of any document whose String is s (exactly,
// case included), and false if there is none.
func ParseClaim(s string) (Claim, bool) {
	for c := Claim(1); int(c) < claimTableSize; c++ {
		if claimLabels[c].key != "" && claimLabels[c].key == s {
			return c, true
		}
	}
	return 0, false
}

// Has reports whether claim c is present in k. An Address with no field set
// is not present, and a nil k has no claim.
func (k *KTP) Has(c Claim) bool {
	if k == nil {
		return false
	}
	switch c {
	case ClaimNIK:
		return k.NIK != ""
	case ClaimName:
		return k.Name != ""
	case ClaimBirthPlace:
		return k.BirthPlace != ""
	case ClaimBirthDate:
		return !k.BirthDate.isZero()
	case ClaimSex:
		return k.Sex != 0
	case ClaimBloodType:
		return k.BloodType != 0
	case ClaimAddress:
		return k.Address != nil && *k.Address != Address{}
	case ClaimReligion:
		return k.Religion != 0
	case ClaimMaritalStatus:
		return k.MaritalStatus != 0
	case ClaimOccupation:
		return k.Occupation != ""
	case ClaimCitizenship:
		return k.Citizenship != 0
	case ClaimNationality:
		return k.Nationality != ""
	case ClaimValidity:
		return k.Validity != Validity{}
	case ClaimIssuingOffice:
		return k.IssuingOffice != ""
	case ClaimIssueDate:
		return !k.IssueDate.isZero()
	case ClaimOver17:
		return k.Over17 != nil
	}
	return false
}

// Claims returns the claims present in k, in key order: what a scanner
// shows, each with [Claim.Indonesian] or [Claim.English] as its label and
// [KTP.Display] as its value.
func (k *KTP) Claims() []Claim {
	var out []Claim
	for c := ClaimNIK; c <= ClaimOver17; c++ {
		if k.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Profile is a disclosure profile: a fixed subset of a person's claims that
// the issuer signs as its own small credential. The wallet shows the
// smallest profile that satisfies a verifier, so a KAI gate sees a name and
// a NIK and never a religion or an address. Fixed profiles cost nothing in
// QR size; salted-digest selective disclosure (SD-CWT, ISO mdoc) costs 17–34
// bytes per hidden claim, which a QR code cannot afford.
//
// The set is append-only; the zero value is invalid.
type Profile uint8

const (
	// ProfileFull carries every claim except the over-17 flag.
	ProfileFull Profile = 1
	// ProfileTravel carries name, NIK, birth date and sex: what an airline
	// check-in needs to match a booking.
	ProfileTravel Profile = 2
	// ProfileKAI carries name and NIK: what a KAI (Kereta Api Indonesia,
	// the national railway) gate matches against a ticket.
	ProfileKAI Profile = 3
	// ProfileAge carries only the over-17 flag and nothing identifying.
	ProfileAge Profile = 4
)

// allProfiles are the profiles an issuer signs when a request names none,
// in the order it signs them.
var allProfiles = []Profile{ProfileFull, ProfileTravel, ProfileKAI, ProfileAge}

var profileNames = [...]string{
	ProfileFull: "full", ProfileTravel: "travel", ProfileKAI: "kai", ProfileAge: "age",
	ProfileKKFull: "kk-full", ProfileKKMembers: "kk-members", ProfileKKSchool: "kk-school",
	ProfileAktaFull: "akta-full", ProfileAktaSchool: "akta-school",
}

func (p Profile) valid() bool { return p >= ProfileFull && p <= ProfileAktaSchool }

// String returns "full", "travel", "kai", "age" (the KTP's), "kk-full",
// "kk-members", "kk-school" (the Kartu Keluarga's), "akta-full" or
// "akta-school" (the Akta Kelahiran's), or "Profile(N)".
func (p Profile) String() string {
	if p.valid() {
		return profileNames[p]
	}
	return "Profile(" + strconv.Itoa(int(p)) + ")"
}

// ParseProfile returns the Profile whose String is s (exactly), and false if
// there is none.
func ParseProfile(s string) (Profile, bool) {
	for p := ProfileFull; p.valid(); p++ {
		if profileNames[p] == s {
			return p, true
		}
	}
	return 0, false
}

var profileClaims = map[Profile][]Claim{
	ProfileTravel: {ClaimNIK, ClaimName, ClaimBirthDate, ClaimSex},
	ProfileKAI:    {ClaimNIK, ClaimName},
	ProfileAge:    {ClaimOver17},
}

// allows reports whether profile p may carry claim c. ProfileFull carries
// every claim except [ClaimOver17], which only ProfileAge carries.
func (p Profile) allows(c Claim) bool {
	if p == ProfileFull {
		return c >= ClaimNIK && c < ClaimOver17
	}
	for _, x := range profileClaims[p] {
		if x == c {
			return true
		}
	}
	return false
}

// required returns the claims a credential of profile p must carry: for
// ProfileFull every claim of a complete record (a nationality only for a
// foreign resident, checked apart), for the others all they carry.
func (p Profile) required() []Claim {
	if p == ProfileFull {
		return fullRequired
	}
	return profileClaims[p]
}

// fullRequired lists the claims a complete (ProfileFull) KTP must have.
var fullRequired = []Claim{
	ClaimNIK, ClaimName, ClaimBirthPlace, ClaimBirthDate, ClaimSex, ClaimBloodType, ClaimAddress,
	ClaimReligion, ClaimMaritalStatus, ClaimOccupation, ClaimCitizenship, ClaimValidity,
	ClaimIssuingOffice, ClaimIssueDate,
}

// project returns the part of k that profile p carries. For ProfileAge it
// computes the over-17 flag from k's birth date on day on.
func (p Profile) project(k *KTP, on Date) KTP {
	switch p {
	case ProfileFull:
		out := *k
		out.Over17 = nil
		if k.Address != nil {
			a := *k.Address
			out.Address = &a
		}
		return out
	case ProfileTravel:
		return KTP{NIK: k.NIK, Name: k.Name, BirthDate: k.BirthDate, Sex: k.Sex}
	case ProfileKAI:
		return KTP{NIK: k.NIK, Name: k.Name}
	case ProfileAge:
		over := !k.BirthDate.isZero() && k.BirthDate.ageOn(on) >= 17
		return KTP{Over17: &over}
	}
	return KTP{}
}
