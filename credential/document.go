package credential

import "strconv"

// Document is the kind of population document a credential carries: the
// KTP, the Kartu Keluarga or the Akta Kelahiran. Every [Profile] and every
// [Claim] belongs to exactly one document; on the wire the document is the
// payload key its claims sit under (-3, -4, -5: docs/wire-format.md), so a
// credential cannot name one document and carry another, and a decoder
// that does not know a document refuses the credential.
//
// The set is append-only; the zero value is invalid.
type Document uint8

const (
	// DocumentKTP is the e-KTP (Kartu Tanda Penduduk, identity card): [KTP].
	DocumentKTP Document = 1
	// DocumentKK is the Kartu Keluarga (family card): [KK].
	DocumentKK Document = 2
	// DocumentBirthCertificate is the Akta Kelahiran (birth certificate):
	// [BirthCertificate].
	DocumentBirthCertificate Document = 3
)

var documentNames = [...]string{DocumentKTP: "ktp", DocumentKK: "kk", DocumentBirthCertificate: "akta_kelahiran"}

func (d Document) valid() bool { return d >= DocumentKTP && d <= DocumentBirthCertificate }

// String returns "ktp", "kk" or "akta_kelahiran", or "Document(N)".
func (d Document) String() string {
	if d.valid() {
		return documentNames[d]
	}
	return "Document(" + strconv.Itoa(int(d)) + ")"
}

// Document returns the document profile p belongs to, or 0 for an unknown
// profile.
func (p Profile) Document() Document {
	switch {
	case p >= ProfileFull && p <= ProfileAge:
		return DocumentKTP
	case p >= ProfileKKFull && p <= ProfileKKSchool:
		return DocumentKK
	case p >= ProfileAktaFull && p <= ProfileAktaSchool:
		return DocumentBirthCertificate
	}
	return 0
}

// Document returns the document claim c belongs to, or 0 for an unknown
// claim.
func (c Claim) Document() Document {
	switch {
	case !c.valid():
		return 0
	case c <= ClaimOver17:
		return DocumentKTP
	case c <= ClaimMemberMother:
		return DocumentKK
	}
	return DocumentBirthCertificate
}

// The disclosure profiles of the Kartu Keluarga and the Akta Kelahiran.
const (
	// ProfileKKFull carries every claim of the Kartu Keluarga, for every
	// member. At 8 members and more it is too large for one comfortable
	// QR code (docs/benchmarks.md, "Family documents"): show it through
	// a share link.
	ProfileKKFull Profile = 5
	// ProfileKKMembers carries the KK number, the head of the family and,
	// for every member, the name, NIK and relationship: what BPJS
	// (national health insurance) enrolment and social-aid programmes
	// check.
	ProfileKKMembers Profile = 6
	// ProfileKKSchool carries the KK number, the head of the family, the
	// address and three or fewer members: one child (an [RelationshipAnak]
	// member) with name, NIK, sex, place and date of birth, relationship
	// and parents' names, then the head of the family and the spouse with
	// name, NIK and relationship. The issuer signs one per child, so that a
	// school sees the child it enrols and the parents, not the siblings.
	ProfileKKSchool Profile = 7
	// ProfileAktaFull carries every claim of the Akta Kelahiran.
	ProfileAktaFull Profile = 8
	// ProfileAktaSchool carries the certificate number, the child's NIK,
	// name, sex, place and date of birth and the parents' names: what a
	// school enrolment form asks for.
	ProfileAktaSchool Profile = 9
)

// profilesOf lists the profiles an issuer signs for document d when a
// request names none, in the order it signs them.
func profilesOf(d Document) []Profile {
	switch d {
	case DocumentKK:
		return []Profile{ProfileKKFull, ProfileKKMembers, ProfileKKSchool}
	case DocumentBirthCertificate:
		return []Profile{ProfileAktaFull, ProfileAktaSchool}
	}
	return allProfiles
}

// The claims of a Kartu Keluarga. The first five are the card's own; the
// Member claims are each member's columns, and a [KK] has a Member claim
// when at least one of its members does. On the wire a KK claim's key is
// its number minus 32 and a Member claim's its number minus 40.
const (
	ClaimKKNumber        Claim = 33
	ClaimKKHead          Claim = 34
	ClaimKKAddress       Claim = 35
	ClaimKKIssuingOffice Claim = 36
	ClaimKKIssueDate     Claim = 37

	ClaimMemberName          Claim = 41
	ClaimMemberNIK           Claim = 42
	ClaimMemberSex           Claim = 43
	ClaimMemberBirthPlace    Claim = 44
	ClaimMemberBirthDate     Claim = 45
	ClaimMemberReligion      Claim = 46
	ClaimMemberEducation     Claim = 47
	ClaimMemberOccupation    Claim = 48
	ClaimMemberBloodType     Claim = 49
	ClaimMemberMaritalStatus Claim = 50
	ClaimMemberMarriageDate  Claim = 51
	ClaimMemberRelationship  Claim = 52
	ClaimMemberCitizenship   Claim = 53
	ClaimMemberPassport      Claim = 54
	ClaimMemberKITAS         Claim = 55
	ClaimMemberFather        Claim = 56
	ClaimMemberMother        Claim = 57
)

// The claims of an Akta Kelahiran. On the wire a claim's key is its number
// minus 64.
const (
	ClaimAktaNumber        Claim = 65
	ClaimAktaChildNIK      Claim = 66
	ClaimAktaChildName     Claim = 67
	ClaimAktaSex           Claim = 68
	ClaimAktaBirthPlace    Claim = 69
	ClaimAktaBirthDate     Claim = 70
	ClaimAktaBirthTime     Claim = 71
	ClaimAktaBirthOrder    Claim = 72
	ClaimAktaFather        Claim = 73
	ClaimAktaFatherNIK     Claim = 74
	ClaimAktaMother        Claim = 75
	ClaimAktaMotherNIK     Claim = 76
	ClaimAktaIssuingOffice Claim = 77
	ClaimAktaIssueDate     Claim = 78
)

// Wire key offsets of the claims above.
const (
	kkKeyBase     = 32
	memberKeyBase = 40
	aktaKeyBase   = 64
)

// isMemberClaim reports whether c is one of a KK member's columns.
func isMemberClaim(c Claim) bool { return c >= ClaimMemberName && c <= ClaimMemberMother }

// KK holds the claims of a Kartu Keluarga (family card), the document that
// lists everyone living in one household under its head. Every field is
// optional, as in [KTP]: a credential carries its profile's claims.
type KK struct {
	// Number is the 16-digit family card number ("No. KK",
	// [ClaimKKNumber]): region code PPRRDD, registration date DDMMYY and a
	// serial, checked like a NIK's (without the 40 added for women).
	Number string
	// Head is the name of the head of the family ("Nama Kepala Keluarga",
	// [ClaimKKHead]); it must be the name of the one member whose
	// relationship is [RelationshipKepalaKeluarga].
	Head string
	// Address is the household's address ([ClaimKKAddress]), with a
	// postal code ("Kode Pos"), which the KTP does not print.
	Address *Address
	// IssuingOffice is the regency or city whose Disdukcapil issued the
	// card ([ClaimKKIssuingOffice]).
	IssuingOffice string
	// IssueDate is the date the card was issued ([ClaimKKIssueDate]).
	IssueDate Date
	// Members are the household's members in the card's order, at most
	// 24.
	Members []Member
}

// Member is one row of a Kartu Keluarga: one member of the household.
// Each field is one Member claim (ClaimMemberName, …).
type Member struct {
	// Name is the full name ("Nama Lengkap").
	Name string
	// NIK is the member's NIK; it must agree with BirthDate and Sex.
	NIK NIK
	// Sex ("Jenis Kelamin").
	Sex Sex
	// BirthPlace ("Tempat Lahir").
	BirthPlace string
	// BirthDate ("Tanggal Lahir").
	BirthDate Date
	// Religion ("Agama").
	Religion Religion
	// Education ("Pendidikan"): the highest level completed.
	Education Education
	// Occupation ("Jenis Pekerjaan").
	Occupation Occupation
	// BloodType ("Golongan Darah").
	BloodType BloodType
	// MaritalStatus ("Status Perkawinan").
	MaritalStatus MaritalStatus
	// MarriageDate ("Tanggal Perkawinan"), for a member who is or was
	// married.
	MarriageDate Date
	// Relationship ("Status Hubungan Dalam Keluarga") to the head of the
	// family.
	Relationship Relationship
	// Citizenship ("Kewarganegaraan").
	Citizenship Citizenship
	// Passport is a foreign member's passport number ("No. Paspor").
	Passport string
	// KITAS is a foreign member's stay permit number ("No. KITAS/KITAP":
	// Kartu Izin Tinggal Terbatas or Tetap, the limited or permanent stay
	// permit).
	KITAS string
	// Father and Mother are the parents' names ("Nama Orang Tua: Ayah,
	// Ibu").
	Father, Mother string
}

// BirthCertificate holds the claims of an Akta Kelahiran (birth
// certificate, "Kutipan Akta Kelahiran"). Every field is optional, as in
// [KTP].
type BirthCertificate struct {
	// Number is the certificate number ([ClaimAktaNumber]), for example
	// "3171-LT-17082015-0012".
	Number string
	// ChildNIK is the child's NIK, printed on certificates issued since
	// 2016 ([ClaimAktaChildNIK]).
	ChildNIK NIK
	// ChildName ([ClaimAktaChildName]).
	ChildName string
	// Sex is the child's sex ([ClaimAktaSex]).
	Sex Sex
	// BirthPlace ([ClaimAktaBirthPlace]) and BirthDate
	// ([ClaimAktaBirthDate]).
	BirthPlace string
	BirthDate  Date
	// BirthTime is the local time of birth as "HH:MM", 24-hour
	// ([ClaimAktaBirthTime]).
	BirthTime string
	// BirthOrder is the child's place among its mother's children, "anak
	// ke-" (1 for the first), 1 to 30 ([ClaimAktaBirthOrder]).
	BirthOrder uint8
	// Father and FatherNIK, Mother and MotherNIK are the parents' names
	// and, where known, their NIKs.
	Father    string
	FatherNIK NIK
	Mother    string
	MotherNIK NIK
	// IssuingOffice is the Disdukcapil that registered the birth
	// ([ClaimAktaIssuingOffice]); IssueDate the certificate's date
	// ([ClaimAktaIssueDate]).
	IssuingOffice string
	IssueDate     Date
}
