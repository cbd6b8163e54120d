package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// exampleRand is a deterministic stream of bytes, SHA-256 in counter mode
// over a label, so that the examples make the same keys and nonces on
// every run. Real issuers, roots and phones pass nil (crypto/rand).
type exampleRand struct {
	label string
	n     uint64
	buf   []byte
}

func (r *exampleRand) Read(p []byte) (int, error) {
	for i := range p {
		if len(r.buf) == 0 {
			block := binary.BigEndian.AppendUint64([]byte(r.label), r.n)
			sum := sha256.Sum256(block)
			r.buf, r.n = sum[:], r.n+1
		}
		p[i], r.buf = r.buf[0], r.buf[1:]
	}
	return len(p), nil
}

// exampleKey returns the fixed key of label for alg.
func exampleKey(alg keys.Algorithm, label string) crypto.Signer {
	k, err := keys.GenerateKey(alg, &exampleRand{label: label})
	if err != nil {
		panic(err)
	}
	return k
}

// budi is the person record the issuer holds: Budi Santoso of Jakarta
// Pusat. His NIK encodes his regency (3171), birth date (17-08-85) and
// sex.
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

// exampleNow is the examples' fixed clock: 23 November 2026, 09:00 WIB.
var exampleNow = time.Date(2026, time.November, 23, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// The whole path of a code: the issuer signs Budi's credentials and its
// status list, the trust list root vouches for the issuer's key, Budi's
// phone shows a code, and an airline check-in desk verifies it offline.
func Example() {
	now := func() time.Time { return exampleNow }

	// Issuer (Disdukcapil Jakarta Pusat): one credential per disclosure
	// profile, bound to the key of Budi's phone, with his entry in the
	// issuer's status list.
	issuerKey := exampleKey(keys.ES256, "issuer 3171")
	issuer, err := credential.NewIssuer("3171", issuerKey)
	if err != nil {
		panic(err)
	}
	device := exampleKey(keys.ES256, "budi's phone") // in the phone's keystore
	alloc, err := status.NewAllocator(1<<16, &exampleRand{label: "allocator"})
	if err != nil {
		panic(err)
	}
	index, err := alloc.Allocate()
	if err != nil {
		panic(err)
	}
	issued, err := issuer.Issue(&credential.Request{
		Claims:    budi,
		DeviceKey: device.Public().(*ecdsa.PublicKey),
		Status:    credential.StatusRef{List: 1, Index: index},
		IssuedAt:  exampleNow.Add(-24 * time.Hour),
		Expiry:    exampleNow.AddDate(1, 0, 0),
	})
	if err != nil {
		panic(err)
	}
	statusBits, err := status.NewList(1 << 16) // everyone valid
	if err != nil {
		panic(err)
	}
	statusList, err := issuer.SignStatusList(status.Token{ListID: 1, IssuedAt: exampleNow.Add(-time.Hour)}, statusBits)
	if err != nil {
		panic(err)
	}

	// Trust list root (Dukcapil): a signed list of the issuers and their
	// keys, which scanners download.
	root := exampleKey(keys.EdDSA, "trust root")
	trustJWS, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence:   1,
		IssuedAt:   exampleNow.Add(-time.Hour),
		NextUpdate: exampleNow.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{{
			ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
			Keys: []keys.IssuerKey{{
				PublicKey: issuerKey.Public(),
				NotBefore: exampleNow.AddDate(-1, 0, 0), NotAfter: exampleNow.AddDate(4, 0, 0),
			}},
		}},
	})
	if err != nil {
		panic(err)
	}

	// Wallet (Budi's phone): the smallest profile the desk needs, for the
	// airline audience, live for 60 seconds.
	var creds [][]byte
	for _, c := range issued {
		creds = append(creds, c.Bytes)
	}
	wallet, err := qr.NewWallet(device, creds, qr.WithClock(now), qr.WithRand(&exampleRand{label: "nonces"}))
	if err != nil {
		panic(err)
	}
	code, err := wallet.Present(qr.Request{
		Claims:   verify.AirlineCheckIn().RequiredClaims,
		Audience: verify.AudienceAirline,
	})
	if err != nil {
		panic(err)
	}

	// Scanner (check-in desk): the trust list and status list are fetched
	// while online and checked against the pinned root public key; the scan
	// itself is offline.
	list, err := keys.ParseTrustList(trustJWS, root.Public(), keys.WithClock(now))
	if err != nil {
		panic(err)
	}
	v, err := verify.New(list, verify.AirlineCheckIn(), verify.WithClock(now))
	if err != nil {
		panic(err)
	}
	if err := v.AddStatusList(statusList); err != nil {
		panic(err)
	}
	res, err := v.VerifyText(code.Text)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Profile, "from", res.IssuerName)
	for _, c := range []credential.Claim{credential.ClaimName, credential.ClaimNIK, credential.ClaimBirthDate} {
		id, _ := res.Claims.Display(c)
		fmt.Printf("%s: %s\n", c.Indonesian(), id)
	}

	// The same code scanned again is a replay.
	_, err = v.VerifyText(code.Text)
	var verr *verify.Error
	if errors.As(err, &verr) {
		fmt.Println(verr.Reason.String(), "|", verr.Reason.Indonesian(), "|", verr.Reason.English())
	}
	// Output:
	// travel from Disdukcapil Kota Jakarta Pusat
	// Nama: BUDI SANTOSO
	// NIK: 3171011708850003
	// Tgl Lahir: 17-08-1985
	// replayed | Kode sudah dipakai. Minta kode baru. | Code already used. Ask for a fresh code.
}

// exampleScene is the world of Example, in one function: Budi's wallet,
// and a verifier for policy that trusts his issuer and holds its status
// list. Both read the clock now.
func exampleScene(now func() time.Time, policy verify.Policy) (*qr.Wallet, *verify.Verifier) {
	issuerKey := exampleKey(keys.ES256, "issuer 3171")
	issuer, err := credential.NewIssuer("3171", issuerKey)
	if err != nil {
		panic(err)
	}
	device := exampleKey(keys.ES256, "budi's phone")
	issued, err := issuer.Issue(&credential.Request{
		Claims:    budi,
		DeviceKey: device.Public().(*ecdsa.PublicKey),
		Status:    credential.StatusRef{List: 1, Index: 4242},
		IssuedAt:  exampleNow.Add(-24 * time.Hour),
		Expiry:    exampleNow.AddDate(1, 0, 0),
	})
	if err != nil {
		panic(err)
	}
	var creds [][]byte
	for _, c := range issued {
		creds = append(creds, c.Bytes)
	}
	wallet, err := qr.NewWallet(device, creds, qr.WithClock(now), qr.WithRand(&exampleRand{label: "nonces"}))
	if err != nil {
		panic(err)
	}

	root := exampleKey(keys.EdDSA, "trust root")
	trustJWS, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence: 1, IssuedAt: exampleNow.Add(-time.Hour), NextUpdate: exampleNow.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{{
			ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
			Keys: []keys.IssuerKey{{PublicKey: issuerKey.Public(), NotBefore: exampleNow.AddDate(-1, 0, 0), NotAfter: exampleNow.AddDate(4, 0, 0)}},
		}},
	})
	if err != nil {
		panic(err)
	}
	list, err := keys.ParseTrustList(trustJWS, root.Public(), keys.WithClock(now))
	if err != nil {
		panic(err)
	}
	v, err := verify.New(list, policy, verify.WithClock(now))
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
	if err := v.AddStatusList(statusList); err != nil {
		panic(err)
	}
	return wallet, v
}

// A KAI gate makes one verifier per ticket with WithPolicy: they share the
// trust list, status lists and replay store.
func Example_kaiGate() {
	now := func() time.Time { return exampleNow }
	wallet, gate := exampleScene(now, verify.KAIGate(verify.Ticket{}))

	code, err := wallet.Present(qr.Request{Claims: verify.KAIGate(verify.Ticket{}).RequiredClaims, Audience: verify.AudienceKAI})
	if err != nil {
		panic(err)
	}
	other, err := gate.WithPolicy(verify.KAIGate(verify.Ticket{Name: "SITI RAHMAWATI", NIK: "3273014503900001"}))
	if err != nil {
		panic(err)
	}
	_, err = other.VerifyText(code.Text)
	fmt.Println(errors.Is(err, verify.ReasonTicketMismatch))

	// Titles, case and spacing of the booked name do not matter.
	mine, err := gate.WithPolicy(verify.KAIGate(verify.Ticket{Name: "Bpk. Budi  Santoso", NIK: "3171011708850003"}))
	if err != nil {
		panic(err)
	}
	fresh, err := wallet.Present(qr.Request{Audience: verify.AudienceKAI})
	if err != nil {
		panic(err)
	}
	res, err := mine.VerifyText(fresh.Text)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Profile, res.Claims.Name)
	// Output:
	// true
	// kai BUDI SANTOSO
}

// A screenshot shown five minutes after the phone made it is refused: a
// live code lives 60 seconds (plus the policy's clock skew).
func ExampleVerifier_VerifyText_expired() {
	clock := exampleNow
	now := func() time.Time { return clock }
	wallet, v := exampleScene(now, verify.AirlineCheckIn())

	screenshot, err := wallet.Present(qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline})
	if err != nil {
		panic(err)
	}
	clock = clock.Add(5 * time.Minute)

	res, err := v.VerifyText(screenshot.Text)
	var verr *verify.Error
	if errors.As(err, &verr) {
		fmt.Println(res == nil, verr.Reason.String())
		fmt.Println(verr.Reason.Indonesian())
		fmt.Println(verr.Reason.English())
	}
	// Output:
	// true presentation_expired
	// Kode kedaluwarsa. Minta kode baru.
	// Code expired. Ask for a fresh code.
}
