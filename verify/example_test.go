package verify_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// exampleSetup issues Budi's credentials with a Jakarta issuer key, puts the
// key in a trust list and returns his wallet, a trust source and a signed
// status list. Real scanners load the trust list with keys.ParseTrustList
// or keys.Store and the status list from the issuer.
func exampleSetup(now func() time.Time) (*qr.Wallet, verify.TrustSource, []byte) {
	issuerKey := testkit.P256("example issuer")
	kid, _ := keys.KeyID(issuerKey.Public())
	issuer := &credential.Issuer{ID: "3171", KeyID: kid, Signer: issuerKey}
	device := testkit.Device("example budi")
	issued, err := issuer.Issue(&credential.Request{
		Claims:    testkit.Man(),
		DeviceKey: &device.PublicKey,
		Status:    credential.StatusRef{List: 1, Index: 4242},
		IssuedAt:  testkit.Now.Add(-24 * time.Hour),
		Expiry:    testkit.Now.AddDate(1, 0, 0),
	})
	if err != nil {
		panic(err)
	}
	var creds [][]byte
	for _, c := range issued {
		creds = append(creds, c.Bytes)
	}
	wallet, err := qr.NewWallet(device, creds, qr.WithClock(now))
	if err != nil {
		panic(err)
	}
	list, err := keys.NewTrustList(1, testkit.Now.Add(-time.Hour), testkit.Now.AddDate(0, 1, 0), []keys.Issuer{{
		ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
		Keys: []keys.IssuerKey{{PublicKey: issuerKey.Public(), NotBefore: testkit.Now.AddDate(-1, 0, 0), NotAfter: testkit.Now.AddDate(4, 0, 0)}},
	}})
	if err != nil {
		panic(err)
	}
	bits, _ := status.NewList(2, 1<<16)
	statusList, err := status.Sign(nil, issuerKey, -7, kid, status.Token{IssuerID: "3171", ListID: 1, IssuedAt: testkit.Now.Add(-time.Hour)}, bits)
	if err != nil {
		panic(err)
	}
	return wallet, verify.NewStaticTrust(list), statusList
}

// An airline check-in desk scans a live code.
func Example_airlineCheckIn() {
	now := func() time.Time { return testkit.Now }
	wallet, trust, statusList := exampleSetup(now)

	// Wallet side: the app shows the smallest profile the desk needs.
	code, err := wallet.Present(qr.Request{
		Claims:   verify.AirlineCheckIn().RequiredClaims,
		Audience: verify.AudienceAirline,
	})
	if err != nil {
		panic(err)
	}

	// Scanner side.
	v, err := verify.New(trust, verify.AirlineCheckIn(), verify.WithClock(now))
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
	fmt.Println(res.Profile, res.Claims.Name, res.Claims.NIK, res.Claims.BirthDate)

	// The same code scanned again is a replay.
	_, err = v.VerifyText(code.Text)
	var verr *verify.Error
	if errors.As(err, &verr) {
		fmt.Println(verr.Reason.String(), "|", verr.Reason.Indonesian(), "|", verr.Reason.English())
	}
	// Output:
	// travel BUDI SANTOSO 3171011708850003 1985-08-17
	// replayed | Kode sudah dipakai. Minta kode baru. | Code already used. Ask for a fresh code.
}

// A KAI gate checks the code against the ticket, and refuses a screenshot.
func Example_kaiGate() {
	clock := testkit.Now
	now := func() time.Time { return clock }
	wallet, trust, statusList := exampleSetup(now)
	code, err := wallet.Present(qr.Request{Claims: verify.KAIGate(verify.Ticket{}).RequiredClaims, Audience: verify.AudienceKAI})
	if err != nil {
		panic(err)
	}
	gate, err := verify.New(trust, verify.KAIGate(verify.Ticket{}), verify.WithClock(now))
	if err != nil {
		panic(err)
	}
	if err := gate.AddStatusList(statusList); err != nil {
		panic(err)
	}

	// One verifier per passenger's ticket, sharing caches.
	other, _ := gate.WithPolicy(verify.KAIGate(verify.Ticket{Name: "SITI RAHMAWATI", NIK: "3273014503900001"}))
	_, err = other.VerifyText(code.Text)
	fmt.Println(errors.Is(err, verify.ReasonTicketMismatch))

	mine, _ := gate.WithPolicy(verify.KAIGate(verify.Ticket{Name: "Bpk. Budi Santoso", NIK: "3171011708850003"}))
	fresh, _ := wallet.Present(qr.Request{Claims: []credential.Claim{credential.ClaimName, credential.ClaimNIK}, Audience: verify.AudienceKAI})
	res, err := mine.VerifyText(fresh.Text)
	fmt.Println(res.Profile, res.Claims.Name, err)

	clock = clock.Add(5 * time.Minute) // a screenshot shown five minutes later
	screenshot, _ := wallet.Present(qr.Request{Audience: verify.AudienceKAI})
	clock = clock.Add(5 * time.Minute)
	_, err = mine.VerifyText(screenshot.Text)
	var verr *verify.Error
	errors.As(err, &verr)
	fmt.Println(verr.Reason.English())
	// Output:
	// true
	// kai BUDI SANTOSO <nil>
	// Code expired. Ask for a fresh code.
}
