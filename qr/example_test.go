package qr_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/qr"
)

// exampleWallet issues the sample man's four credentials with the test
// issuer and loads them into a wallet with a fixed clock and randomness.
func exampleWallet() (*qr.Wallet, error) {
	device := testkit.Device("man") // in a real wallet: a Keystore/Secure Enclave key
	issuer := testkit.Issuer("3171", "ES256", []byte("kid-3171"))
	issued, err := issuer.Issue(&credential.Request{
		Claims:    testkit.Man(),
		DeviceKey: &device.PublicKey,
		Status:    credential.StatusRef{List: 1, Index: 4711},
		IssuedAt:  testkit.Now.AddDate(0, 0, -30),
		Expiry:    testkit.Now.AddDate(1, 0, 0),
	})
	if err != nil {
		return nil, err
	}
	var creds [][]byte
	for _, c := range issued {
		creds = append(creds, c.Bytes)
	}
	return qr.NewWallet(device, creds,
		qr.WithClock(func() time.Time { return testkit.Now }),
		qr.WithRand(testkit.NewReader("example wallet")))
}

// ExampleWallet_PresentImage shows a KAI gate the smallest code that
// carries name and NIK, rendered and checked to read back.
func ExampleWallet_PresentImage() {
	w, err := exampleWallet()
	if err != nil {
		fmt.Println(err)
		return
	}
	code, img, err := w.PresentImage(qr.Request{
		Claims:   []credential.Claim{credential.ClaimName, credential.ClaimNIK},
		Audience: "KAI",
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("profile:", code.Profile)
	fmt.Println("text starts:", code.Text[:len(qr.Prefix)])
	fmt.Println("image:", img.Bounds())
	v, _ := qr.version(code.Text, qr.eccMedium)
	fmt.Println("QR version:", v, "characters:", len(code.Text))
	fmt.Println("valid:", code.IssuedAt.UTC().Format("15:04:05"), "to", code.Expires.UTC().Format("15:04:05 MST"))

	// The wallet already scanned it back; a gate does the same.
	text, err := qr.Scan(img)
	fmt.Println("reads back:", err == nil && text == code.Text)
	// Output:
	// profile: kai
	// text starts: IKD1:
	// image: (0,0)-(292,292)
	// QR version: 12 characters: 418
	// valid: 02:00:00 to 02:01:00 UTC
	// reads back: true
}

// ExampleEncode shows the text form: the "IKD1:" prefix, then base45.
func ExampleEncode() {
	text := qr.Encode([]byte("ietf!"))
	fmt.Println(text)

	data, err := qr.Decode(text)
	fmt.Printf("%s %v\n", data, err)
	// Output:
	// IKD1:QED8WEX0
	// ietf! <nil>
}

// ExampleDecode sorts out what a scanner may be handed.
func ExampleDecode() {
	for _, text := range []string{
		"IKD1:QED8WEX0",
		"IKD2:QED8WEX0",
		"HC1:NCFOXN%TS3DH",
		"IKD1:qed8wex0",
		"IKD1:" + strings.Repeat("0", 5000),
	} {
		_, err := qr.Decode(text)
		switch {
		case err == nil:
			fmt.Println("ikd code")
		case errors.Is(err, qr.ErrVersion):
			fmt.Println("newer ikd code: update the scanner")
		case errors.Is(err, qr.ErrNotIKD):
			fmt.Println("not an ikd code")
		case errors.Is(err, qr.ErrEncoding):
			fmt.Println("damaged ikd code")
		case errors.Is(err, qr.ErrTooLong):
			fmt.Println("too long")
		}
	}
	// Output:
	// ikd code
	// newer ikd code: update the scanner
	// not an ikd code
	// damaged ikd code
	// too long
}

// ExampleNewPresentation builds a share-mode presentation and reads it back
// as a scanner does before the trust decisions.
func ExampleNewPresentation() {
	device := testkit.Device("woman")
	issuer := testkit.Issuer("3273", "EdDSA", []byte("kid-3273"))
	issued, err := issuer.Issue(&credential.Request{
		Claims:    testkit.Woman(),
		DeviceKey: &device.PublicKey,
		IssuedAt:  testkit.Now.AddDate(0, 0, -30),
		Expiry:    testkit.Now.AddDate(1, 0, 0),
		Profiles:  []credential.Profile{credential.ProfileTravel},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	pres, err := qr.NewPresentation(issued[0].Bytes, device, &qr.Options{
		Lifetime: qr.ShareFiveMinutes,
		Audience: "GA-CGK",
		Now:      func() time.Time { return testkit.Now },
		Rand:     testkit.NewReader("example"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := qr.ParsePresentation(pres)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := p.Credential().UnverifiedCredential()
	fmt.Println(c.Profile, c.Claims.Name, c.Claims.BirthDate)
	fmt.Println(p.IssuedAt(), "+", p.Lifetime(), "for", p.Audience())
	fmt.Println("device signature:", p.VerifyDevice())
	// Output:
	// travel SITI RAHMAWATI 1990-03-05
	// 2026-11-23 02:00:00 +0000 UTC + 5m0s for GA-CGK
	// device signature: <nil>
}
