package main

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// The school enrolment: Budi's household has one Kartu Keluarga, and his
// son Rizky an Akta Kelahiran. Disdukcapil Jakarta Pusat issues both to
// Budi's phone, bound to the device key and status entry of his KTP, and
// Budi shares them with the school in share mode. The school's receiver
// (verify.SchoolEnrolment) checks each and then that both name the same
// child and parents.

// household is Budi's Kartu Keluarga as the issuing office records it.
func household() credential.KK {
	date := func(y, m, d int) credential.Date { return credential.Date{Year: y, Month: time.Month(m), Day: d} }
	member := func(name string, nik credential.NIK, sex credential.Sex, place string, born credential.Date,
		edu credential.Education, occ credential.Occupation, ms credential.MaritalStatus, married credential.Date,
		rel credential.Relationship, father, mother string) credential.Member {
		return credential.Member{
			Name: name, NIK: nik, Sex: sex, BirthPlace: place, BirthDate: born, Religion: credential.ReligionIslam,
			Education: edu, Occupation: occ, BloodType: credential.BloodTypeO, MaritalStatus: ms, MarriageDate: married,
			Relationship: rel, Citizenship: credential.CitizenshipWNI, Father: father, Mother: mother,
		}
	}
	// Education and occupation are the SIAK codes (docs/wire-format.md):
	// 8 DIPLOMA IV/STRATA I, 7 AKADEMI/DIPLOMA III, 2 BELUM TAMAT SD, 1
	// TIDAK/BELUM SEKOLAH; 15 KARYAWAN SWASTA, 2 MENGURUS RUMAH TANGGA, 3
	// PELAJAR/MAHASISWA, 1 BELUM/TIDAK BEKERJA.
	return credential.KK{
		Number: "3171012003120007",
		Head:   "BUDI SANTOSO",
		Address: &credential.Address{
			Street: "JL. MERDEKA SELATAN NO. 10", RT: 5, RW: 2, Kelurahan: "GAMBIR", Kecamatan: "GAMBIR",
			Regency: "JAKARTA PUSAT", Province: "DKI JAKARTA", PostalCode: "10110",
		},
		IssuingOffice: "JAKARTA PUSAT",
		IssueDate:     date(2024, 1, 15),
		Members: []credential.Member{
			member("BUDI SANTOSO", "3171011708850003", credential.SexMale, "JAKARTA", date(1985, 8, 17), 8, 15,
				credential.MaritalKawin, date(2012, 2, 11), credential.RelationshipKepalaKeluarga, "SLAMET RIYADI", "SRI WAHYUNI"),
			member("DEWI LESTARI", "3171015204880004", credential.SexFemale, "BOGOR", date(1988, 4, 12), 7, 2,
				credential.MaritalKawin, date(2012, 2, 11), credential.RelationshipIstri, "BAMBANG HARTONO", "HARTATI"),
			member("RIZKY PRATAMA SANTOSO", "3171012107140002", credential.SexMale, "JAKARTA", date(2014, 7, 21), 2, 3,
				credential.MaritalBelumKawin, credential.Date{}, credential.RelationshipAnak, "BUDI SANTOSO", "DEWI LESTARI"),
			member("AYU LESTARI SANTOSO", "3171014309170001", credential.SexFemale, "JAKARTA", date(2017, 9, 3), 1, 1,
				credential.MaritalBelumKawin, credential.Date{}, credential.RelationshipAnak, "BUDI SANTOSO", "DEWI LESTARI"),
		},
	}
}

// rizkysBirth is Rizky's Akta Kelahiran.
func rizkysBirth() credential.BirthCertificate {
	return credential.BirthCertificate{
		Number: "3171-LT-05082014-0123", ChildNIK: "3171012107140002", ChildName: "RIZKY PRATAMA SANTOSO",
		Sex: credential.SexMale, BirthPlace: "JAKARTA", BirthDate: credential.Date{Year: 2014, Month: 7, Day: 21},
		BirthTime: "08:45", BirthOrder: 1,
		Father: "BUDI SANTOSO", FatherNIK: "3171011708850003", Mother: "DEWI LESTARI", MotherNIK: "3171015204880004",
		IssuingOffice: "JAKARTA PUSAT", IssueDate: credential.Date{Year: 2014, Month: 8, Day: 5},
	}
}

// rizky is the NIK of the child being enrolled.
const rizky credential.NIK = "3171012107140002"

// family is Budi's phone once it holds the family documents: one wallet
// with his KTP, the household's KK and Rizky's Akta.
type family struct {
	docs   []credential.Issued // the KK's and the Akta's credentials, as issued
	wallet *qr.Wallet
}

// issueFamily issues the household's KK and Rizky's Akta to Budi's phone,
// with the device key and status index of his KTP, and loads them into one
// wallet beside the KTP.
func (o *office) issueFamily(budi *holder, c *clock) (*family, error) {
	kk, birth := household(), rizkysBirth()
	now := c.Now()
	raw := make([][]byte, 0, len(budi.creds)+8)
	for _, cr := range budi.creds {
		raw = append(raw, cr.Bytes)
	}
	f := &family{}
	for _, req := range []credential.Request{{KK: &kk}, {BirthCertificate: &birth}} {
		req.DeviceKey = budi.device.Public().(*ecdsa.PublicKey)
		req.Status = credential.StatusRef{List: 1, Index: budi.index}
		req.IssuedAt, req.Expiry = now.Add(-time.Hour), now.AddDate(1, 0, 0)
		issued, err := o.issuer.Issue(&req)
		if err != nil {
			return nil, err
		}
		for _, cr := range issued {
			raw = append(raw, cr.Bytes)
			f.docs = append(f.docs, cr)
		}
	}
	w, err := qr.NewWallet(budi.device, raw, qr.WithClock(c.Now))
	if err != nil {
		return nil, err
	}
	f.wallet = w
	return f, nil
}

// schoolRequests are what the school's receiver asks Budi's wallet for:
// Rizky's entry of the family card and his birth certificate, shared for
// an hour.
var schoolRequests = map[credential.Profile]qr.Request{
	credential.ProfileKKSchool:   {Profile: credential.ProfileKKSchool, Subject: rizky, Lifetime: qr.ShareOneHour},
	credential.ProfileAktaSchool: {Profile: credential.ProfileAktaSchool, Subject: rizky, Lifetime: qr.ShareOneHour},
}

// documentLine is a school clerk's view of an accepted KK or Akta.
func documentLine(res *verify.Result) string {
	var b strings.Builder
	b.WriteString("DITERIMA / ACCEPTED: ")
	switch {
	case res.KK != nil:
		fmt.Fprintf(&b, "KK %s, kepala keluarga / head %s", res.KK.Number, res.KK.Head)
		for _, m := range res.KK.Members {
			rel, relEN := m.Display(credential.ClaimMemberRelationship)
			fmt.Fprintf(&b, "; %s/%s %s NIK %s", rel, relEN, m.Name, m.NIK)
			// Dates as every verdict line of the examples prints them:
			// ISO 8601, one form for both languages.
			if _, born := m.Display(credential.ClaimMemberBirthDate); born != "" {
				fmt.Fprintf(&b, " lahir/born %s", born)
			}
		}
	case res.BirthCertificate != nil:
		a := res.BirthCertificate
		_, born := a.Display(credential.ClaimAktaBirthDate)
		sex, sexEN := a.Display(credential.ClaimAktaSex)
		fmt.Fprintf(&b, "Akta %s: %s (%s/%s), lahir/born %s %s, ayah/father %s, ibu/mother %s",
			a.Number, a.ChildName, sex, sexEN, a.BirthPlace, born, a.Father, a.Mother)
	}
	fmt.Fprintf(&b, " [%s, %s (%s)]", res.Profile, res.IssuerName, res.IssuerID)
	return b.String()
}

// sameChild reports why a KK school entry and an Akta do not name the same
// child and parents, or nil: the school's own check on top of the two
// verifications.
func sameChild(kk *credential.KK, akta *credential.BirthCertificate) error {
	if kk == nil || akta == nil || len(kk.Members) == 0 {
		return errors.New("a document is missing")
	}
	child := kk.Members[0]
	switch {
	case child.NIK != akta.ChildNIK:
		return errors.New("the child's NIK differs")
	case child.Name != akta.ChildName:
		return errors.New("the child's name differs")
	case child.BirthDate != akta.BirthDate:
		return errors.New("the child's birth date differs")
	case child.Father != akta.Father || child.Mother != akta.Mother:
		return errors.New("the parents differ")
	}
	return nil
}

// enrol is the story's school chapter. schoolV is the school's receiver;
// gate the KAI gate, shown a family card by mistake.
// before is the number of steps so far, for the numbering.
func enrol(p func(string, ...any), before int, fam *family, budi *holder, schoolV, gate *verify.Verifier, c *clock) []Step {
	var steps []Step
	var shown = map[credential.Profile]*verify.Result{}
	scan := func(title, scanner string, v *verify.Verifier, text string, want verify.Reason) *verify.Result {
		s := Step{Title: title, Scanner: scanner, Want: want}
		res, err := v.VerifyText(text)
		var verr *verify.Error
		line := ""
		switch {
		case errors.As(err, &verr):
			s.Got, s.Verdict = verr.Reason, exampleutil.Rejected(verr.Reason, err)
			line = s.Verdict.Line()
		case err != nil:
			s.Got, s.Verdict = verify.ReasonMalformed, exampleutil.Rejected(verify.ReasonMalformed, err)
			line = s.Verdict.Line()
		default:
			s.Verdict = exampleutil.Accepted(res)
			line = documentLine(res)
		}
		steps = append(steps, s)
		mark := "OK"
		if !s.OK() {
			mark = "UNEXPECTED"
		}
		wantS := "accepted"
		if want != 0 {
			wantS = want.String()
		}
		p("%2d. [%s] %s\n    %s\n    expected %s: %s", before+len(steps), scanner, title, line, wantS, mark)
		return res
	}
	code := func(req qr.Request) string {
		cd, err := fam.wallet.Present(req)
		if err != nil {
			return "IKD1:"
		}
		return cd.Text
	}
	for _, prof := range []credential.Profile{credential.ProfileKKSchool, credential.ProfileAktaSchool} {
		title := "Budi shares Rizky's entry of the family card (kk-school) with the school"
		if prof == credential.ProfileAktaSchool {
			title = "Budi shares Rizky's birth certificate (akta-school) with the school"
		}
		shown[prof] = scan(title, "school", schoolV, code(schoolRequests[prof]), 0)
	}
	// The school's own check: both documents name the same child.
	var kk *credential.KK
	var akta *credential.BirthCertificate
	if r := shown[credential.ProfileKKSchool]; r != nil {
		kk = r.KK
	}
	if r := shown[credential.ProfileAktaSchool]; r != nil {
		akta = r.BirthCertificate
	}
	check := Step{Title: "the school checks that the KK and the birth certificate name the same child and parents", Scanner: "school"}
	if err := sameChild(kk, akta); err != nil {
		check.Got = verify.ReasonPolicyUnmet
		check.Verdict = exampleutil.Rejected(verify.ReasonPolicyUnmet, err)
		p("%2d. [school] %s\n    %s\n    expected accepted: UNEXPECTED", before+len(steps)+1, check.Title, check.Verdict.Line())
	} else {
		// The verdict names the child, from the birth certificate.
		check.Verdict = exampleutil.Verdict{Accepted: true, Profile: credential.ProfileAktaSchool.String(),
			Claims: &credential.KTP{Name: akta.ChildName, NIK: akta.ChildNIK}}
		p("%2d. [school] %s\n    SAMA / SAME: %s, NIK %s, lahir/born %s, ayah/father %s, ibu/mother %s\n    expected accepted: OK",
			before+len(steps)+1, check.Title, akta.ChildName, akta.ChildNIK, akta.BirthDate, akta.Father, akta.Mother)
	}
	steps = append(steps, check)

	scan("Budi shows his KTP at the school's receiver instead", "school", schoolV,
		code(qr.Request{Profile: credential.ProfileFull, Lifetime: qr.ShareOneHour}), verify.ReasonPolicyUnmet)
	scan("Budi shows the family card at a KAI gate", "kai", gate,
		code(qr.Request{Profile: credential.ProfileKKMembers, Audience: verify.AudienceKAI}), verify.ReasonPolicyUnmet)
	scan("a birth certificate edited to another child's name (RIZKY → RIZAL)", "school", schoolV,
		forgeDocument(fam, budi, credential.ProfileAktaSchool, "RIZKY", "RIZAL", c), verify.ReasonBadIssuerSignature)
	return steps
}

// forgeDocument edits text inside one of the family credentials and shares
// it with Budi's real device key, as forge does for the KTP.
func forgeDocument(fam *family, budi *holder, p credential.Profile, from, to string, c *clock) string {
	for _, d := range fam.docs {
		if d.Profile != p {
			continue
		}
		edited := bytes.Replace(d.Bytes, []byte(from), []byte(to), 1)
		w, err := qr.NewWallet(budi.device, [][]byte{edited}, qr.WithClock(c.Now))
		if err != nil {
			return "IKD1:"
		}
		cd, err := w.Present(qr.Request{Profile: p, Lifetime: qr.ShareOneHour})
		if err != nil {
			return "IKD1:"
		}
		return cd.Text
	}
	return "IKD1:"
}

// newSchool is the school's receiver, loaded like every scanner.
func newSchool(trusted *keys.TrustList, c *clock, lists ...[]byte) (*verify.Verifier, error) {
	v, err := verify.New(trusted, verify.SchoolEnrolment(), verify.WithClock(c.Now))
	if err != nil {
		return nil, err
	}
	for _, l := range lists {
		if err := v.AddStatusList(l); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// docsOut are the family credentials and codes -out writes beside Budi's
// KTP files: credential-kk-school.cbor (Rizky's entry), credential-
// akta-school.cbor, presentation-{kk-school,akta-school}.{txt,png}.
var docsOut = []credential.Profile{credential.ProfileKKSchool, credential.ProfileAktaSchool}

// docCred returns the first family credential of profile p.
func (f *family) docCred(p credential.Profile) []byte {
	for _, d := range f.docs {
		if d.Profile == p {
			return d.Bytes
		}
	}
	return nil
}
