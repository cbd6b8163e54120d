package redisreplay_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// Two check-in desks of one airport, each a scanner program with its own
// Redis client, share one replay store: a code accepted at the first desk
// is refused as replayed at the second.
func Example() {
	trust, statusList, phone := exampleWorld()
	now := func() time.Time { return exampleNow }

	desk := func() *verify.Verifier {
		// redis.NewFailoverClient (Sentinel) and redis.NewClusterClient
		// work the same way.
		// ContextTimeoutEnabled and finite timeouts are required (see
		// "Failure" in the package documentation).
		client := redis.NewClient(&redis.Options{
			Addr: exampleAddr, ContextTimeoutEnabled: true,
			DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second,
		})
		// One prefix for the airport; desks whose clocks may differ by up
		// to two minutes; a timeout of a second because this example runs
		// on busy test machines (a gate on a LAN keeps the default 50 ms).
		store, err := redisreplay.New(client, redisreplay.WithPrefix("cgk:replay:"),
			redisreplay.WithClockMargin(2*time.Minute), redisreplay.WithTimeout(time.Second))
		if err != nil {
			panic(err)
		}
		v, err := verify.New(trust, verify.AirlineCheckIn(), verify.WithClock(now), verify.WithReplayCache(store))
		if err != nil {
			panic(err)
		}
		if err := v.AddStatusList(statusList); err != nil {
			panic(err)
		}
		return v
	}
	desk1, desk2 := desk(), desk()

	code, err := phone.Present(qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline})
	if err != nil {
		panic(err)
	}
	res, err := desk1.VerifyText(code.Text) // the passenger, at desk 1
	if err != nil {
		panic(err)
	}
	fmt.Println("desk 1:", res.Claims.Name, res.Warnings)
	_, err = desk2.VerifyText(code.Text) // a photo of the same code, at desk 2
	var verr *verify.Error
	if errors.As(err, &verr) {
		fmt.Println("desk 2:", verr.Reason.String(), "-", verr.Reason.English())
	}
	// Output:
	// desk 1: BUDI SANTOSO []
	// desk 2: replayed - Code already used. Ask for a fresh code.
}

// exampleNow is the example's fixed clock: 23 November 2026, 09:00 WIB.
var exampleNow = time.Date(2026, time.November, 23, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// exampleRand is a deterministic stream of bytes (SHA-256 in counter mode
// over a label), so that the example makes the same keys and nonces on
// every run. Real issuers and phones pass nil (crypto/rand).
type exampleRand struct {
	label string
	n     uint64
	buf   []byte
}

func (r *exampleRand) Read(p []byte) (int, error) {
	for i := range p {
		if len(r.buf) == 0 {
			sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(r.label), r.n))
			r.buf, r.n = sum[:], r.n+1
		}
		p[i], r.buf = r.buf[0], r.buf[1:]
	}
	return len(p), nil
}

func exampleKey(label string) crypto.Signer {
	k, err := keys.GenerateKey(keys.ES256, &exampleRand{label: label})
	if err != nil {
		panic(err)
	}
	return k
}

// exampleWorld is what the issuer and the trust list root publish, and
// Budi's phone: a verified trust list, a signed status list and a wallet.
func exampleWorld() (*keys.TrustList, []byte, *qr.Wallet) {
	now := func() time.Time { return exampleNow }
	root, issuerKey, device := exampleKey("root"), exampleKey("issuer 3171"), exampleKey("budi's phone")
	jws, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence: 1, IssuedAt: exampleNow.AddDate(0, 0, -1), NextUpdate: exampleNow.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat", Keys: []keys.IssuerKey{{
			PublicKey: issuerKey.Public(), NotBefore: exampleNow.AddDate(-1, 0, 0), NotAfter: exampleNow.AddDate(5, 0, 0),
		}}}},
	})
	if err != nil {
		panic(err)
	}
	trust, err := keys.ParseTrustList(jws, root.Public(), keys.WithClock(now))
	if err != nil {
		panic(err)
	}
	issuer, err := credential.NewIssuer("3171", issuerKey)
	if err != nil {
		panic(err)
	}
	issued, err := issuer.Issue(&credential.Request{
		Claims: credential.KTP{
			NIK: "3171011708850003", Name: "BUDI SANTOSO", BirthPlace: "JAKARTA",
			BirthDate: credential.Date{Year: 1985, Month: time.August, Day: 17}, Sex: credential.SexMale,
			BloodType: credential.BloodTypeO,
			Address: &credential.Address{
				Street: "JL. MERDEKA SELATAN NO. 10", RT: 5, RW: 2,
				Kelurahan: "GAMBIR", Kecamatan: "GAMBIR", Regency: "JAKARTA PUSAT", Province: "DKI JAKARTA",
			},
			Religion: credential.ReligionIslam, MaritalStatus: credential.MaritalKawin, Occupation: "KARYAWAN SWASTA",
			Citizenship: credential.CitizenshipWNI, Validity: credential.Validity{Lifetime: true},
			IssuingOffice: "JAKARTA PUSAT", IssueDate: credential.Date{Year: 2019, Month: time.March, Day: 12},
		},
		DeviceKey: device.Public().(*ecdsa.PublicKey),
		Status:    credential.StatusRef{List: 1, Index: 7},
		IssuedAt:  exampleNow.AddDate(0, 0, -1), Expiry: exampleNow.AddDate(1, 0, 0),
		Profiles: []credential.Profile{credential.ProfileTravel},
	})
	if err != nil {
		panic(err)
	}
	bits, err := status.NewList(1024)
	if err != nil {
		panic(err)
	}
	statusList, err := issuer.SignStatusList(status.Token{ListID: 1, IssuedAt: exampleNow.Add(-time.Hour)}, bits)
	if err != nil {
		panic(err)
	}
	wallet, err := qr.NewWallet(device, [][]byte{issued[0].Bytes}, qr.WithClock(now), qr.WithRand(&exampleRand{label: "nonces"}))
	if err != nil {
		panic(err)
	}
	return trust, statusList, wallet
}
