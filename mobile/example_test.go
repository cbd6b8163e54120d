package mobile_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/mobile"
)

// phoneKey is what a Kotlin or Swift app implements over Android Keystore
// or the Secure Enclave; here a Go key stands in for it.
type phoneKey struct{ key *ecdsa.PrivateKey }

// PublicKey returns the SubjectPublicKeyInfo, as Java's getEncoded() does.
func (p phoneKey) PublicKey() ([]byte, error) { return x509.MarshalPKIXPublicKey(&p.key.PublicKey) }

// Sign hashes the message with SHA-256 and signs it (DER), as
// SHA256withECDSA does.
func (p phoneKey) Sign(message []byte) ([]byte, error) {
	digest := sha256.Sum256(message)
	return ecdsa.SignASN1(rand.Reader, p.key, digest[:])
}

// budi is the person record the issuer holds.
var budi = credential.KTP{
	NIK:        "3171011708850003",
	Name:       "BUDI SANTOSO",
	BirthPlace: "JAKARTA",
	BirthDate:  credential.Date{Year: 1985, Month: time.August, Day: 17},
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
	IssueDate:     credential.Date{Year: 2019, Month: time.March, Day: 12},
}

// issuingOffice plays Dukcapil: it signs the trust list, Budi's
// credentials for his phone's key and the status list. A scanner gets the
// first and the last by download, the phone gets the credentials.
func issuingOffice(device *ecdsa.PublicKey) (root, trust, statusList []byte, creds [][]byte) {
	now := time.Now()
	rootKey, _ := keys.GenerateKey(keys.ES256, nil)
	issuerKey, _ := keys.GenerateKey(keys.ES256, nil)
	der, _ := x509.MarshalPKIXPublicKey(rootKey.Public())
	root = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	trust, _ = keys.SignTrustList(rootKey, &keys.TrustListContent{
		Sequence: 1, IssuedAt: now.Add(-time.Hour), NextUpdate: now.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
			Keys: []keys.IssuerKey{{PublicKey: issuerKey.Public(), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(4, 0, 0)}}}},
	})
	iss, _ := credential.NewIssuer("3171", issuerKey)
	issued, err := iss.Issue(&credential.Request{
		Claims:    budi,
		DeviceKey: device,
		Status:    credential.StatusRef{List: 1, Index: 7},
		IssuedAt:  now.AddDate(0, 0, -1), Expiry: now.AddDate(1, 0, 0),
		Profiles: []credential.Profile{credential.ProfileTravel, credential.ProfileKAI},
	})
	if err != nil {
		panic(err)
	}
	for _, c := range issued {
		creds = append(creds, c.Bytes)
	}
	list, _ := status.NewList(1024)
	statusList, _ = iss.SignStatusList(status.Token{ListID: 1, IssuedAt: now.Add(-time.Minute), TTL: 24 * time.Hour}, list)
	return root, trust, statusList, creds
}

// The wallet makes a code for a KAI gate, and the gate's phone scanner
// verifies it: the calls a Kotlin or Swift app makes, in Go.
func Example() {
	device, _ := keys.GenerateKey(keys.ES256, nil) // in the phone's key store
	root, trust, statusList, creds := issuingOffice(&device.(*ecdsa.PrivateKey).PublicKey)

	// The wallet app.
	wallet, err := mobile.NewWallet(phoneKey{device.(*ecdsa.PrivateKey)})
	if err != nil {
		panic(err)
	}
	for _, c := range creds {
		if _, err := wallet.AddCredential(c); err != nil {
			panic(err)
		}
	}
	code, err := wallet.NextCode("name,nik", mobile.AudienceKAI)
	if err != nil {
		panic(err)
	}
	fmt.Println("wallet shows:", code.Profile, "for", code.Expires-code.IssuedAt, "s, refresh after", code.RefreshIn, "s")

	// The gate's scanner app.
	gate, err := mobile.NewScanner(trust, root, &mobile.Policy{Name: mobile.PolicyKAI, TicketName: "Budi Santoso"})
	if err != nil {
		panic(err)
	}
	if err := gate.AddStatusList(statusList); err != nil {
		panic(err)
	}
	res := gate.VerifyText(code.Text)
	fmt.Println("accepted:", res.Accepted)
	for i := range res.Claims.Count() {
		c := res.Claims.At(i)
		fmt.Printf("%s / %s: %s\n", c.IndonesianLabel, c.EnglishLabel, c.IndonesianValue)
	}

	again := gate.VerifyText(code.Text)
	fmt.Println("again:", again.Reason, "-", again.MessageEnglish)

	_, err = mobile.NewScanner([]byte("not a trust list"), root, &mobile.Policy{Name: mobile.PolicyKAI, TicketName: "Budi Santoso"})
	fmt.Println(strings.HasPrefix(err.Error(), "mobile: trust_list: "))
	_, err = mobile.NewScanner(trust, root, &mobile.Policy{Name: mobile.PolicyKAI}) // no ticket: refused
	fmt.Println(strings.HasPrefix(err.Error(), "mobile: invalid_argument: "))
	// Output:
	// wallet shows: kai for 60 s, refresh after 30 s
	// accepted: true
	// NIK / NIK: 3171011708850003
	// Nama / Name: BUDI SANTOSO
	// again: replayed - Code already used. Ask for a fresh code.
	// true
	// true
}

// A share code sent as a link in a chat, verified by a bank's share
// receiver from the link's text.
func ExampleWallet_Code() {
	device, _ := keys.GenerateKey(keys.ES256, nil)
	root, trust, statusList, creds := issuingOffice(&device.(*ecdsa.PrivateKey).PublicKey)
	wallet, err := mobile.NewWallet(phoneKey{device.(*ecdsa.PrivateKey)})
	if err != nil {
		panic(err)
	}
	for _, c := range creds {
		if _, err := wallet.AddCredential(c); err != nil {
			panic(err)
		}
	}
	code, err := wallet.Code(&mobile.Request{Lifetime: mobile.ShareOneHour, LinkBase: "https://verify.example.id/S/"})
	if err != nil {
		panic(err)
	}
	fmt.Println(code.Document, code.Profile, code.Expires-code.IssuedAt, strings.HasPrefix(code.Link, "HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:"))

	bank, err := mobile.NewScanner(trust, root, &mobile.Policy{Name: mobile.PolicyShare})
	if err != nil {
		panic(err)
	}
	if err := bank.AddStatusList(statusList); err != nil {
		panic(err)
	}
	res := bank.VerifyText(code.Link)
	fmt.Println(res.Accepted, res.Claims.Keys())

	// A KAI gate's live code relayed to the bank within its minute.
	gateCode, err := wallet.NextCode("", mobile.AudienceKAI)
	if err != nil {
		panic(err)
	}
	fmt.Println(bank.VerifyText(gateCode.Text).Reason)
	// Output:
	// ktp kai 3600 true
	// true nik,name
	// wrong_audience
}
