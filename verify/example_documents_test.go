package verify_test

import (
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// A school enrols Budi's son: Budi's phone holds the household's Kartu
// Keluarga and the boy's Akta Kelahiran, issued to the same device key and
// status entry as his KTP, and shares the child's KK entry and the
// certificate with the school's receiver, which shows each.
func ExampleSchoolEnrolment() {
	now := func() time.Time { return exampleNow }
	issuer, err := credential.NewIssuer("3171", exampleKey(keys.ES256, "issuer 3171"))
	if err != nil {
		panic(err)
	}
	device := exampleKey(keys.ES256, "budi's phone")
	day := func(y int, m time.Month, d int) credential.Date { return credential.Date{Year: y, Month: m, Day: d} }
	kk := credential.KK{
		Number: "3171012003120007", Head: "BUDI SANTOSO", IssuingOffice: "JAKARTA PUSAT", IssueDate: day(2024, 1, 15),
		Address: &credential.Address{Street: "JL. MERDEKA SELATAN NO. 10", RT: 5, RW: 2, Kelurahan: "GAMBIR",
			Kecamatan: "GAMBIR", Regency: "JAKARTA PUSAT", Province: "DKI JAKARTA", PostalCode: "10110"},
	}
	for _, m := range []struct {
		name, place   string
		nik           credential.NIK
		sex           credential.Sex
		born, married credential.Date
		rel           credential.Relationship
		status        credential.MaritalStatus
		father, mom   string
	}{
		{"BUDI SANTOSO", "JAKARTA", "3171011708850003", credential.SexMale, day(1985, 8, 17), day(2012, 2, 11),
			credential.RelationshipKepalaKeluarga, credential.MaritalKawin, "SLAMET RIYADI", "SRI WAHYUNI"},
		{"DEWI LESTARI", "BOGOR", "3171015204880004", credential.SexFemale, day(1988, 4, 12), day(2012, 2, 11),
			credential.RelationshipIstri, credential.MaritalKawin, "BAMBANG HARTONO", "HARTATI"},
		{"RIZKY PRATAMA SANTOSO", "JAKARTA", "3171012107140002", credential.SexMale, day(2014, 7, 21), credential.Date{},
			credential.RelationshipAnak, credential.MaritalBelumKawin, "BUDI SANTOSO", "DEWI LESTARI"},
	} {
		kk.Members = append(kk.Members, credential.Member{
			Name: m.name, NIK: m.nik, Sex: m.sex, BirthPlace: m.place, BirthDate: m.born,
			Religion: credential.ReligionIslam, Education: 5, Occupation: 1, // SIAK codes: SLTA, BELUM/TIDAK BEKERJA
			BloodType: credential.BloodTypeO, MaritalStatus: m.status, MarriageDate: m.married, Relationship: m.rel,
			Citizenship: credential.CitizenshipWNI, Father: m.father, Mother: m.mom,
		})
	}
	akta := credential.BirthCertificate{
		Number: "3171-LT-05082014-0123", ChildNIK: "3171012107140002", ChildName: "RIZKY PRATAMA SANTOSO",
		Sex: credential.SexMale, BirthPlace: "JAKARTA", BirthDate: day(2014, 7, 21), BirthOrder: 1,
		Father: "BUDI SANTOSO", Mother: "DEWI LESTARI", IssuingOffice: "JAKARTA PUSAT", IssueDate: day(2014, 8, 5),
	}
	var creds [][]byte
	for _, req := range []credential.Request{{KK: &kk}, {BirthCertificate: &akta}} {
		req.DeviceKey = device.Public().(*ecdsa.PublicKey)
		req.Status = credential.StatusRef{List: 1, Index: 4242} // the KTP's
		req.IssuedAt, req.Expiry = exampleNow.Add(-24*time.Hour), exampleNow.AddDate(1, 0, 0)
		issued, err := issuer.Issue(&req)
		if err != nil {
			panic(err)
		}
		for _, c := range issued {
			creds = append(creds, c.Bytes)
		}
	}
	wallet, err := qr.NewWallet(device, creds, qr.WithClock(now), qr.WithRand(&exampleRand{label: "nonces"}))
	if err != nil {
		panic(err)
	}

	list, err := keys.ParseTrustList(trustList(1), exampleKey(keys.EdDSA, "trust root").Public(), keys.WithClock(now))
	if err != nil {
		panic(err)
	}
	school, err := verify.New(list, verify.SchoolEnrolment(), verify.WithClock(now))
	if err != nil {
		panic(err)
	}
	bits, err := status.NewList(1 << 16)
	if err != nil {
		panic(err)
	}
	statusList, err := issuer.SignStatusList(status.Token{ListID: 1, IssuedAt: exampleNow.Add(-time.Hour)}, bits)
	if err != nil {
		panic(err)
	}
	if err := school.AddStatusList(statusList); err != nil {
		panic(err)
	}

	for _, req := range []qr.Request{
		{Document: credential.DocumentKK, Claims: []credential.Claim{credential.ClaimMemberBirthDate}, Subject: "3171012107140002", Lifetime: qr.ShareOneHour},
		{Document: credential.DocumentBirthCertificate, Lifetime: qr.ShareOneHour},
	} {
		code, err := wallet.Present(req)
		if err != nil {
			panic(err)
		}
		res, err := school.VerifyText(code.Text)
		if err != nil {
			panic(err)
		}
		fmt.Println(res.Profile)
		switch {
		case res.KK != nil:
			for _, m := range res.KK.Members {
				rel, en := m.Display(credential.ClaimMemberRelationship)
				fmt.Printf("  %s / %s: %s, %s\n", rel, en, m.Name, m.NIK)
			}
		case res.BirthCertificate != nil:
			for _, c := range res.BirthCertificate.Claims() {
				id, _ := res.BirthCertificate.Display(c)
				fmt.Printf("  %s: %s\n", c.Indonesian(), id)
			}
		}
	}
	// Output:
	// kk-school
	//   ANAK / Child: RIZKY PRATAMA SANTOSO, 3171012107140002
	//   KEPALA KELUARGA / Head of the family: BUDI SANTOSO, 3171011708850003
	//   ISTRI / Wife: DEWI LESTARI, 3171015204880004
	// akta-school
	//   Nomor Akta Kelahiran: 3171-LT-05082014-0123
	//   NIK: 3171012107140002
	//   Nama: RIZKY PRATAMA SANTOSO
	//   Jenis Kelamin: LAKI-LAKI
	//   Tempat Lahir: JAKARTA
	//   Tanggal Lahir: 21-07-2014
	//   Nama Ayah: BUDI SANTOSO
	//   Nama Ibu: DEWI LESTARI
}
