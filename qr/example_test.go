package qr_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
)

// seeded is a deterministic byte stream (SHA-256 in counter mode), so that
// the examples make the same keys every run. Real keys come from
// crypto/rand: pass nil to keys.GenerateKey.
type seeded struct {
	label string
	n     uint64
	buf   []byte
}

func (r *seeded) Read(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(r.buf) == 0 {
			h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(r.label), r.n))
			r.n++
			r.buf = h[:]
		}
		c := copy(p, r.buf)
		p, r.buf = p[c:], r.buf[c:]
	}
	return n, nil
}

var now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// newWallet plays both sides of issuance: the phone makes its device key
// (in a real wallet, in Android Keystore or the Secure Enclave), the issuer
// signs the holder's four credentials bound to it, and the wallet loads
// them.
func newWallet() (*qr.Wallet, error) {
	device, err := keys.GenerateKey(keys.ES256, &seeded{label: "device"})
	if err != nil {
		return nil, err
	}
	issuerKey, err := keys.GenerateKey(keys.ES256, &seeded{label: "issuer 3171"})
	if err != nil {
		return nil, err
	}
	issuer, err := credential.NewIssuer("3171", issuerKey)
	if err != nil {
		return nil, err
	}
	issued, err := issuer.Issue(&credential.Request{
		Claims: credential.KTP{
			NIK: "3171011708850003", Name: "BUDI SANTOSO", BirthPlace: "JAKARTA", BirthDate: credential.Date{Year: 1985, Month: time.August, Day: 17},
			Sex: credential.SexMale, BloodType: credential.BloodTypeO,
			Address: &credential.Address{Street: "JL. MERDEKA SELATAN NO. 10", RT: 5, RW: 2,
				Kelurahan: "GAMBIR", Kecamatan: "GAMBIR", Regency: "JAKARTA PUSAT", Province: "DKI JAKARTA"},
			Religion: credential.ReligionIslam, MaritalStatus: credential.MaritalKawin,
			Occupation: "KARYAWAN SWASTA", Citizenship: credential.CitizenshipWNI,
			Validity: credential.Validity{Lifetime: true}, IssuingOffice: "JAKARTA PUSAT",
			IssueDate: credential.Date{Year: 2019, Month: time.March, Day: 12},
		},
		DeviceKey: device.Public().(*ecdsa.PublicKey),
		Status:    credential.StatusRef{List: 1, Index: 4711},
		IssuedAt:  now.AddDate(0, 0, -30),
		Expiry:    now.AddDate(1, 0, 0),
	})
	if err != nil {
		return nil, err
	}
	var creds [][]byte
	for _, c := range issued {
		creds = append(creds, c.Bytes)
	}
	return qr.NewWallet(device, creds, qr.WithClock(func() time.Time { return now }))
}

// Example shows a KAI gate the smallest code that
// carries name and NIK, rendered and checked to read back.
func Example() {
	w, err := newWallet()
	if err != nil {
		fmt.Println(err)
		return
	}
	code, img, err := w.PresentImage(qr.Request{
		Claims:   []credential.Claim{credential.ClaimName, credential.ClaimNIK},
		Audience: "KAI",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("profile:", code.Profile)
	fmt.Println("image:", img.Bounds(), "characters:", len(code.Text))
	fmt.Println("valid:", code.IssuedAt.Format("15:04:05"), "to", code.Expires.Format("15:04:05 MST"))

	// The wallet already scanned it back; a gate does the same.
	text, err := qr.Scan(img)
	fmt.Println("reads back:", err == nil && text == code.Text)
	// Output:
	// profile: kai
	// image: (0,0)-(292,292) characters: 418
	// valid: 02:00:00 to 02:01:00 UTC
	// reads back: true
}

// ExampleWallet_Present makes a one-hour share code ("Bagikan Dokumen") of
// the travel profile, and shows what happens when a request asks for more
// than the wallet holds.
func ExampleWallet_Present() {
	w, err := newWallet()
	if err != nil {
		fmt.Println(err)
		return
	}
	code, err := w.Present(qr.Request{Profile: credential.ProfileTravel, Lifetime: qr.ShareOneHour})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(code.Profile, "until", code.Expires.Format(time.Kitchen))

	_, err = w.Present(qr.Request{Claims: []credential.Claim{credential.ClaimName, credential.ClaimOver17}})
	fmt.Println(errors.Is(err, qr.ErrNoProfile))
	// Output:
	// travel until 3:00AM
	// true
}

// ExampleCode_ShareLink makes the temporary link ("tautan sementara") of a
// five-minute share code, to send by chat; a live code has none.
func ExampleCode_ShareLink() {
	w, err := newWallet()
	if err != nil {
		fmt.Println(err)
		return
	}
	share, err := w.Present(qr.Request{Lifetime: qr.ShareFiveMinutes})
	if err != nil {
		fmt.Println(err)
		return
	}
	link, err := share.ShareLink("https://verify.example.id/S/")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(link[:len("HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:")])
	fmt.Println("valid until", share.Expires.Format(time.Kitchen))

	live, err := w.Present(qr.Request{})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = live.ShareLink("https://verify.example.id/S/")
	fmt.Println("live code:", err != nil)
	// Output:
	// HTTPS://VERIFY.EXAMPLE.ID/S/#IKD1:
	// valid until 2:05AM
	// live code: true
}

// ExampleScanReader reads a code from an image file's bytes; a camera frame
// goes to qr.Scan directly.
func ExampleScanReader() {
	_, err := qr.ScanReader(io.LimitReader(&seeded{label: "not an image"}, 100))
	fmt.Println(errors.Is(err, qr.ErrImage))

	_, err = qr.Scan(image.NewGray(image.Rect(0, 0, 200, 200))) // a blank frame
	fmt.Println(errors.Is(err, qr.ErrNoCode))
	// Output:
	// true
	// true
}
