package credential_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
)

// exampleKey returns a fixed key derived from label, so that the example's
// output does not change. Real keys come from keys.GenerateKey(alg, nil),
// which reads crypto/rand, or live in an HSM.
func exampleKey(alg keys.Algorithm, label string) crypto.Signer {
	seed := sha256.Sum256([]byte("ikd example: " + label))
	k, err := keys.GenerateKey(alg, bytes.NewReader(seed[:]))
	if err != nil {
		panic(err)
	}
	return k
}

// person is a record as an issuing office's system might hold it: card
// labels and the keys of the JSON form are both accepted.
const person = `{
	"nik": "3171011708850003",
	"name": "BUDI SANTOSO",
	"birth_place": "JAKARTA",
	"birth_date": "1985-08-17",
	"sex": "LAKI-LAKI",
	"blood_type": "O",
	"address": {"street": "JL. MERDEKA SELATAN NO. 10", "rt": 5, "rw": 2, "kelurahan": "GAMBIR",
		"kecamatan": "GAMBIR", "regency": "JAKARTA PUSAT", "province": "DKI JAKARTA"},
	"religion": "ISLAM",
	"marital_status": "KAWIN",
	"occupation": "KARYAWAN SWASTA",
	"citizenship": "WNI",
	"validity": "SEUMUR HIDUP",
	"issuing_office": "JAKARTA PUSAT",
	"issue_date": "2019-03-12"
}`

// An issuing office reads a person record, checks it, and signs one
// credential per disclosure profile for the holder's device; a scanner
// parses one, verifies it with the key its trust list gives for the kid,
// and shows the claims.
func Example() {
	// The issuer: Disdukcapil Jakarta Pusat, with an Ed25519 key.
	issuerKey := exampleKey(keys.EdDSA, "issuer 3171")
	issuer, err := credential.NewIssuer("3171", issuerKey)
	if err != nil {
		fmt.Println(err)
		return
	}

	// The record, checked as a complete KTP.
	var k credential.KTP
	if err := json.Unmarshal([]byte(person), &k); err != nil {
		fmt.Println(err)
		return
	}
	if err := k.Validate(credential.ProfileFull); err != nil {
		fmt.Println(err)
		return
	}

	// The holder's phone sends the public half of its device key.
	device := exampleKey(keys.ES256, "budi's phone").Public().(*ecdsa.PublicKey)
	issuedAt := time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	issued, err := issuer.Issue(&credential.Request{
		Claims:    k,
		DeviceKey: device,
		Status:    credential.StatusRef{List: 1, Index: 4242},
		IssuedAt:  issuedAt,
		Expiry:    issuedAt.AddDate(5, 0, 0),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range issued {
		fmt.Printf("%-6s %3d bytes\n", c.Profile, len(c.Bytes))
	}

	// A scanner receives the travel credential.
	signed, err := credential.Parse(issued[1].Bytes)
	if err != nil {
		fmt.Println(err)
		return
	}
	kid, _ := keys.KeyID(issuerKey.Public())
	fmt.Println("kid matches the trust list:", bytes.Equal(signed.UnverifiedKeyID(), kid), signed.UnverifiedAlgorithm())
	cred, err := signed.Verify(issuerKey.Public()) // the key the trust list gives for the kid
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("issuer", cred.Issuer, "profile", cred.Profile, "expires", cred.Expiry.Format(time.DateOnly))
	for _, c := range []credential.Claim{credential.ClaimName, credential.ClaimBirthDate, credential.ClaimSex} {
		id, en := cred.Claims.Display(c)
		fmt.Printf("%-14s %-14s | %-14s %s\n", c.Indonesian(), id, c.English(), en)
	}

	// Any other key is refused, with one opaque error.
	_, err = signed.Verify(exampleKey(keys.EdDSA, "someone else").Public())
	fmt.Println(errors.Is(err, credential.ErrBadSignature))
	// Output:
	// full   327 bytes
	// travel 191 bytes
	// kai    183 bytes
	// age    161 bytes
	// kid matches the trust list: true EdDSA
	// issuer 3171 profile travel expires 2031-11-23
	// Nama           BUDI SANTOSO   | Name           BUDI SANTOSO
	// Tgl Lahir      17-08-1985     | Date of birth  1985-08-17
	// Jenis Kelamin  LAKI-LAKI      | Sex            Male
	// true
}

// A record with mistakes is refused with every problem at once, each on its
// claim, so that a clerk fixes it in one pass.
func ExampleKTP_Validate() {
	var k credential.KTP
	if err := json.Unmarshal([]byte(person), &k); err != nil {
		fmt.Println(err)
		return
	}
	k.BirthDate = credential.Date{Year: 1985, Month: time.August, Day: 18} // the NIK says the 17th
	k.Sex = credential.SexFemale                                           // the NIK says male
	k.Name = ""

	err := k.Validate(credential.ProfileFull)
	var ve *credential.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%-10s missing=%v nik-mismatch=%v\n", p.Claim,
				errors.Is(p, credential.ErrMissingClaim), errors.Is(p, credential.ErrNIKMismatch))
		}
	}
	// Output:
	// name       missing=true nik-mismatch=false
	// birth_date missing=false nik-mismatch=true
	// sex        missing=false nik-mismatch=true
}

// ParseNIK says what is wrong with a number without repeating it: a NIK is
// personal data and error messages end up in logs.
func ExampleParseNIK() {
	_, err := credential.ParseNIK("3171013102850001") // 31 February
	fmt.Println(errors.Is(err, credential.ErrInvalidValue))
	fmt.Println(err)

	n, err := credential.ParseNIK("3171015708850002")
	fmt.Println(n, err)
	// Output:
	// true
	// credential: invalid value: NIK has an impossible birth date
	// 3171015708850002 <nil>
}
