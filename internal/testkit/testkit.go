// Package testkit holds ikd's deterministic test fixtures: fixed keys, a
// deterministic reader, a fixed clock, three sample people (a man, a woman
// and a foreign resident), and test issuers with fixed keys, whose EdDSA
// credentials are byte-for-byte reproducible, so that golden vectors and
// examples are stable. Never use these keys for anything real: they are
// public.
package testkit

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"fmt"
	"io"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
)

// Seed returns 32 bytes derived from label, for deterministic keys.
func Seed(label string) []byte {
	h := sha256.Sum256([]byte("ikd testkit: " + label))
	return h[:]
}

// P256 returns a fixed P-256 key derived from label.
func P256(label string) *ecdsa.PrivateKey {
	for i := 0; ; i++ {
		seed := Seed(fmt.Sprintf("%s/%d", label, i))
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seed)
		if err == nil {
			return k
		}
	}
}

// Ed25519 returns a fixed Ed25519 key derived from label.
func Ed25519(label string) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(Seed(label))
}

// Reader is a deterministic stream of bytes (SHA-256 in counter mode over a
// label) for tests that need reproducible "randomness".
type Reader struct {
	label string
	n     uint64
	buf   []byte
}

// NewReader returns a deterministic Reader for label.
func NewReader(label string) *Reader { return &Reader{label: label} }

// Read fills p deterministically. It never fails.
func (r *Reader) Read(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(r.buf) == 0 {
			h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", r.label, r.n)))
			r.n++
			r.buf = h[:]
		}
		c := copy(p, r.buf)
		p, r.buf = p[c:], r.buf[c:]
	}
	return n, nil
}

var _ io.Reader = (*Reader)(nil)

// Now is the fixed "current time" of test fixtures: 2026-11-23 09:00 WIB.
var Now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func date(s string) credential.Date {
	t := must(time.Parse(time.DateOnly, s))
	return credential.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// Man is a sample citizen: Budi Santoso of Jakarta Pusat.
func Man() credential.KTP {
	return credential.KTP{
		NIK:        "3171011708850003",
		Name:       "BUDI SANTOSO",
		BirthPlace: "JAKARTA",
		BirthDate:  date("1985-08-17"),
		Sex:        credential.SexMale,
		BloodType:  credential.BloodTypeO,
		Address: &credential.Address{
			Street: "JL. MERDEKA SELATAN NO. 10", RT: 5, RW: 2,
			Kelurahan: "GAMBIR", Kecamatan: "GAMBIR", Regency: "JAKARTA PUSAT", Province: "DKI JAKARTA",
		},
		Religion:      credential.ReligionIslam,
		MaritalStatus: credential.MaritalKawin,
		Occupation:    "KARYAWAN SWASTA",
		Citizenship:   credential.CitizenshipWNI,
		Validity:      credential.Validity{Lifetime: true},
		IssuingOffice: "JAKARTA PUSAT",
		IssueDate:     date("2019-03-12"),
	}
}

// Woman is a sample citizen: Siti Rahmawati of Bandung (day of birth + 40
// in her NIK).
func Woman() credential.KTP {
	return credential.KTP{
		NIK:        "3273014503900001",
		Name:       "SITI RAHMAWATI",
		BirthPlace: "BANDUNG",
		BirthDate:  date("1990-03-05"),
		Sex:        credential.SexFemale,
		BloodType:  credential.BloodTypeA,
		Address: &credential.Address{
			Street: "JL. DAGO NO. 45", RT: 3, RW: 7,
			Kelurahan: "LEBAKGEDE", Kecamatan: "COBLONG", Regency: "KOTA BANDUNG", Province: "JAWA BARAT",
		},
		Religion:      credential.ReligionIslam,
		MaritalStatus: credential.MaritalBelumKawin,
		Occupation:    "PEGAWAI NEGERI SIPIL",
		Citizenship:   credential.CitizenshipWNI,
		Validity:      credential.Validity{Lifetime: true},
		IssuingOffice: "KOTA BANDUNG",
		IssueDate:     date("2021-07-01"),
	}
}

// Foreigner is a sample foreign resident (WNA) with a KTP tied to a
// permanent stay permit: a dated validity and a nationality.
func Foreigner() credential.KTP {
	return credential.KTP{
		NIK:        "5103012211780007",
		Name:       "TANAKA HIROSHI",
		BirthPlace: "OSAKA",
		BirthDate:  date("1978-11-22"),
		Sex:        credential.SexMale,
		BloodType:  credential.BloodTypeUnknown,
		Address: &credential.Address{
			Street: "JL. PANTAI KUTA NO. 8", RT: 1, RW: 4,
			Kelurahan: "KUTA", Kecamatan: "KUTA", Regency: "BADUNG", Province: "BALI",
		},
		Religion:      credential.ReligionBuddha,
		MaritalStatus: credential.MaritalKawin,
		Occupation:    "WIRASWASTA",
		Citizenship:   credential.CitizenshipWNA,
		Nationality:   "JPN",
		Validity:      credential.Validity{Until: date("2030-06-30")},
		IssuingOffice: "BADUNG",
		IssueDate:     date("2025-07-01"),
	}
}

// Issuer returns the test issuer id with the fixed key IssuerSigner(id,
// alg), made by credential.NewIssuer: its kid is keys.KeyID of that key
// (IssuerKeyID). alg is "ES256" or "EdDSA". ES256 signatures are random
// (the issuer signs with crypto/rand); EdDSA ones are reproducible.
func Issuer(id, alg string) *credential.Issuer {
	return must(credential.NewIssuer(id, IssuerSigner(id, alg)))
}

// IssuerSigner returns the fixed key of the test issuer id for alg
// ("ES256": P256("issuer "+id), "EdDSA": Ed25519("issuer "+id)). Its public
// key is what a test trust list holds for the issuer.
func IssuerSigner(id, alg string) crypto.Signer {
	switch alg {
	case "ES256":
		return P256("issuer " + id)
	case "EdDSA":
		return Ed25519("issuer " + id)
	}
	panic("testkit: unknown algorithm " + alg)
}

// IssuerKeyID returns the kid of the test issuer id for alg: keys.KeyID of
// IssuerSigner(id, alg).Public().
func IssuerKeyID(id, alg string) []byte {
	return must(keys.KeyID(IssuerSigner(id, alg).Public()))
}

// Device returns a fixed P-256 device key for the given holder label.
func Device(label string) *ecdsa.PrivateKey { return P256("device " + label) }

// Holder is a sample person with a device label of their own.
type Holder struct {
	Label string
	KTP   func() credential.KTP
}

// Holders are the three sample people: the man, the woman and the foreign
// resident.
var Holders = []Holder{{"man", Man}, {"woman", Woman}, {"wna", Foreigner}}

// IssueAll signs the credentials of ktp bound to the device key of label,
// one per profile (all four when none are named), with the test issuer
// "3171" of alg ("ES256" or "EdDSA"), a status index that needs 4 bytes and
// realistic times around Now. It returns them tagged, as issued, by
// profile, with the device key.
func IssueAll(alg, label string, ktp credential.KTP, profiles ...credential.Profile) (map[credential.Profile][]byte, *ecdsa.PrivateKey, error) {
	dev := Device(label)
	if len(profiles) == 0 {
		profiles = nil
	}
	out, err := Issuer("3171", alg).Issue(&credential.Request{
		Claims:    ktp,
		DeviceKey: &dev.PublicKey,
		Status:    credential.StatusRef{List: 3, Index: 12_345_678},
		IssuedAt:  Now.AddDate(0, 0, -30),
		Expiry:    Now.AddDate(1, 0, 0),
		Profiles:  profiles,
	})
	if err != nil {
		return nil, nil, err
	}
	m := make(map[credential.Profile][]byte, len(out))
	for _, c := range out {
		m[c.Profile] = c.Bytes
	}
	return m, dev, nil
}

// familyMembers are the twelve members Family draws from, in card order:
// Man as the head, his wife, five children, his mother, his mother-in-law,
// a cousin, a live-in domestic worker and a lodger. Every NIK agrees with
// its birth date and sex.
func familyMembers() []credential.Member {
	child := func(name, nik, born string, sex credential.Sex, edu credential.Education, occ credential.Occupation) credential.Member {
		return credential.Member{
			Name: name, NIK: credential.NIK(nik), Sex: sex, BirthPlace: "JAKARTA", BirthDate: date(born),
			Religion: credential.ReligionIslam, Education: edu, Occupation: occ, BloodType: credential.BloodTypeO,
			MaritalStatus: credential.MaritalBelumKawin, Relationship: credential.RelationshipAnak,
			Citizenship: credential.CitizenshipWNI, Father: "BUDI SANTOSO", Mother: "DEWI LESTARI",
		}
	}
	other := func(name, nik, place, born string, sex credential.Sex, rel credential.Relationship, ms credential.MaritalStatus, occ credential.Occupation, father, mother string) credential.Member {
		return credential.Member{
			Name: name, NIK: credential.NIK(nik), Sex: sex, BirthPlace: place, BirthDate: date(born),
			Religion: credential.ReligionIslam, Education: 5, Occupation: occ, BloodType: credential.BloodTypeUnknown,
			MaritalStatus: ms, Relationship: rel, Citizenship: credential.CitizenshipWNI, Father: father, Mother: mother,
		}
	}
	head := credential.Member{
		Name: "BUDI SANTOSO", NIK: "3171011708850003", Sex: credential.SexMale, BirthPlace: "JAKARTA",
		BirthDate: date("1985-08-17"), Religion: credential.ReligionIslam, Education: 8, Occupation: 15,
		BloodType: credential.BloodTypeO, MaritalStatus: credential.MaritalKawin, MarriageDate: date("2012-02-11"),
		Relationship: credential.RelationshipKepalaKeluarga, Citizenship: credential.CitizenshipWNI,
		Father: "SLAMET RIYADI", Mother: "SRI WAHYUNI",
	}
	wife := credential.Member{
		Name: "DEWI LESTARI", NIK: "3171015204880004", Sex: credential.SexFemale, BirthPlace: "BOGOR",
		BirthDate: date("1988-04-12"), Religion: credential.ReligionIslam, Education: 7, Occupation: 2,
		BloodType: credential.BloodTypeA, MaritalStatus: credential.MaritalKawin, MarriageDate: date("2012-02-11"),
		Relationship: credential.RelationshipIstri, Citizenship: credential.CitizenshipWNI,
		Father: "BAMBANG HARTONO", Mother: "HARTATI",
	}
	return []credential.Member{
		head, wife,
		child("RIZKY PRATAMA SANTOSO", "3171012107140002", "2014-07-21", credential.SexMale, 2, 3),
		child("AYU LESTARI SANTOSO", "3171014309170001", "2017-09-03", credential.SexFemale, 2, 3),
		child("DIMAS ADI SANTOSO", "3171013012190003", "2019-12-30", credential.SexMale, 1, 1),
		child("NADIA PUTRI SANTOSO", "3171015402210002", "2021-02-14", credential.SexFemale, 1, 1),
		child("FARHAN SANTOSO", "3171010506230001", "2023-06-05", credential.SexMale, 1, 1),
		other("SRI WAHYUNI", "3171014901580002", "SOLO", "1958-01-09", credential.SexFemale,
			credential.RelationshipOrangTua, credential.MaritalCeraiMati, 4, "WIDODO", "SUPARMI"),
		other("HARTATI", "3171016510620001", "BOGOR", "1962-10-25", credential.SexFemale,
			credential.RelationshipMertua, credential.MaritalCeraiMati, 2, "SUTRISNO", "AMINAH"),
		other("AGUS SETIAWAN", "3171011805950004", "JAKARTA", "1995-05-18", credential.SexMale,
			credential.RelationshipFamiliLain, credential.MaritalBelumKawin, 88, "SUPRIYADI", "SRI MULYANI"),
		other("SUMIATI", "3302015111800003", "BANYUMAS", "1980-11-11", credential.SexFemale,
			credential.RelationshipPembantu, credential.MaritalCeraiHidup, 23, "KARTO", "SAINAH"),
		other("JOKO SUSILO", "3171010808990005", "JAKARTA", "1999-08-08", credential.SexMale,
			credential.RelationshipLainnya, credential.MaritalBelumKawin, 3, "SUKIRMAN", "PARTINI"),
	}
}

// Family is a sample Kartu Keluarga: Man's household in Jakarta Pusat with
// its first n members (2 to 12): the head and his wife, then children,
// then other relatives.
func Family(n int) credential.KK {
	if n < 2 || n > 12 {
		panic("testkit: Family(n) needs 2 <= n <= 12")
	}
	return credential.KK{
		Number: "3171012003120007",
		Head:   "BUDI SANTOSO",
		Address: &credential.Address{
			Street: "JL. MERDEKA SELATAN NO. 10", RT: 5, RW: 2, Kelurahan: "GAMBIR", Kecamatan: "GAMBIR",
			Regency: "JAKARTA PUSAT", Province: "DKI JAKARTA", PostalCode: "10110",
		},
		IssuingOffice: "JAKARTA PUSAT",
		IssueDate:     date("2024-01-15"),
		Members:       familyMembers()[:n],
	}
}

// Birth is the sample Akta Kelahiran of Family's first child, Rizky.
func Birth() credential.BirthCertificate {
	return credential.BirthCertificate{
		Number:        "3171-LT-05082014-0123",
		ChildNIK:      "3171012107140002",
		ChildName:     "RIZKY PRATAMA SANTOSO",
		Sex:           credential.SexMale,
		BirthPlace:    "JAKARTA",
		BirthDate:     date("2014-07-21"),
		BirthTime:     "08:45",
		BirthOrder:    1,
		Father:        "BUDI SANTOSO",
		FatherNIK:     "3171011708850003",
		Mother:        "DEWI LESTARI",
		MotherNIK:     "3171015204880004",
		IssuingOffice: "JAKARTA PUSAT",
		IssueDate:     date("2014-08-05"),
	}
}

// IssueDocument signs a Kartu Keluarga (kk) or an Akta Kelahiran (birth),
// exactly one of them non-nil, like IssueAll: bound to the device key of
// label and the same status entry, every profile of the document when none
// are named. It returns the credentials in issue order (a KK's school
// profile is one per child) with the device key.
func IssueDocument(alg, label string, kk *credential.KK, birth *credential.BirthCertificate, profiles ...credential.Profile) ([]credential.Issued, *ecdsa.PrivateKey, error) {
	dev := Device(label)
	out, err := Issuer("3171", alg).Issue(&credential.Request{
		KK:               kk,
		BirthCertificate: birth,
		DeviceKey:        &dev.PublicKey,
		Status:           credential.StatusRef{List: 3, Index: 12_345_678},
		IssuedAt:         Now.AddDate(0, 0, -30),
		Expiry:           Now.AddDate(1, 0, 0),
		Profiles:         profiles,
	})
	return out, dev, err
}
