package credential_test

import (
	"fmt"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// An issuing office signs one small credential per disclosure profile for
// a holder's device.
func ExampleIssuer_Issue() {
	issuer := &credential.Issuer{
		ID:     "3171", // Disdukcapil Jakarta Pusat
		KeyID:  []byte("eddsa-k1"),
		Signer: testkit.Ed25519("example issuer"), // an HSM-backed crypto.Signer in production
	}
	device := testkit.Device("example phone")
	issued, err := issuer.Issue(&credential.Request{
		Claims:    testkit.Man(),
		DeviceKey: &device.PublicKey,
		Status:    credential.StatusRef{List: 1, Index: 4242},
		IssuedAt:  testkit.Now,
		Expiry:    testkit.Now.AddDate(5, 0, 0),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range issued {
		fmt.Printf("%-6s %3d bytes\n", c.Profile, len(c.Bytes))
	}
	// Output:
	// full   327 bytes
	// travel 191 bytes
	// kai    183 bytes
	// age    161 bytes
}

// A scanner parses a credential, looks up the issuer key by its kid and
// verifies it before reading any claim.
func ExampleParse() {
	signer := testkit.Ed25519("example issuer")
	issuer := &credential.Issuer{ID: "3171", KeyID: []byte("eddsa-k1"), Signer: signer}
	device := testkit.Device("example phone")
	issued, err := issuer.Issue(&credential.Request{
		Claims:    testkit.Woman(),
		DeviceKey: &device.PublicKey,
		IssuedAt:  testkit.Now,
		Expiry:    testkit.Now.AddDate(5, 0, 0),
		Profiles:  []credential.Profile{credential.ProfileKAI},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	signed, err := credential.Parse(issued[0].Bytes)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("kid %s, %v\n", signed.KeyID(), signed.Algorithm())
	cred, err := signed.Verify(signer.Public()) // the key the trust list gives for the kid
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cred.Issuer, cred.Profile, cred.Claims.Name, cred.Claims.NIK)
	fmt.Println("expires", cred.Expiry.Format("2006-01-02"))

	_, err = signed.Verify(testkit.Ed25519("someone else").Public())
	fmt.Println(err)
	// Output:
	// kid eddsa-k1, EdDSA
	// 3171 kai SITI RAHMAWATI 3273014503900001
	// expires 2031-11-23
	// credential: bad issuer signature
}
