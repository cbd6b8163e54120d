package verify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"
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
	for _, c := range res.Claims.Claims() { // what the code disclosed, in key order
		id, en := res.Claims.Display(c)
		fmt.Printf("%s / %s: %s / %s\n", c.Indonesian(), c.English(), id, en)
	}

	// The same code scanned again is a replay.
	_, err = v.VerifyText(code.Text)
	var verr *verify.Error
	if errors.As(err, &verr) {
		fmt.Println(verr.Reason.String(), "|", verr.Reason.Indonesian(), "|", verr.Reason.English())
	}
	// Output:
	// travel from Disdukcapil Kota Jakarta Pusat
	// NIK / NIK: 3171011708850003 / 3171011708850003
	// Nama / Name: BUDI SANTOSO / BUDI SANTOSO
	// Tgl Lahir / Date of birth: 17-08-1985 / 1985-08-17
	// Jenis Kelamin / Sex: LAKI-LAKI / Male
	// replayed | Kode sudah dipakai. Minta kode baru. | Code already used. Ask for a fresh code.
}

// exampleScene is the world of Example, in one function: Budi's wallet,
// and a verifier for policy that trusts his issuer and holds its status
// list. Both read the clock now.
func exampleScene(now func() time.Time, policy verify.Policy, opts ...verify.Option) (*qr.Wallet, *verify.Verifier) {
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
	list, err := keys.ParseTrustList(trustList(1), root.Public(), keys.WithClock(now))
	if err != nil {
		panic(err)
	}
	v, err := verify.New(list, policy, append([]verify.Option{verify.WithClock(now)}, opts...)...)
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

// trustList is the root's trust list number seq, naming the issuer 3171.
func trustList(seq uint64) []byte {
	issuerKey := exampleKey(keys.ES256, "issuer 3171")
	jws, err := keys.SignTrustList(exampleKey(keys.EdDSA, "trust root"), &keys.TrustListContent{
		Sequence: seq, IssuedAt: exampleNow.Add(-time.Hour), NextUpdate: exampleNow.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{{
			ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat",
			Keys: []keys.IssuerKey{{PublicKey: issuerKey.Public(), NotBefore: exampleNow.AddDate(-1, 0, 0), NotAfter: exampleNow.AddDate(4, 0, 0)}},
		}},
	})
	if err != nil {
		panic(err)
	}
	return jws
}

// advice is what a gate's screen tells the operator for a refusal: the
// message to read aloud, and what to do next.
func advice(err error) string {
	var verr *verify.Error
	if !errors.As(err, &verr) {
		return "accepted"
	}
	var next string
	switch verr.Reason {
	case verify.ReasonPresentationExpired, verify.ReasonReplayed, verify.ReasonPresentationFromFuture:
		next = "ask for a fresh code"
	case verify.ReasonClockWrong:
		next = "ask the holder to set the phone's clock to automatic"
	case verify.ReasonRevoked, verify.ReasonSuspended, verify.ReasonCredentialExpired, verify.ReasonCredentialNotYetValid:
		next = "the digital ID cannot be used: ask for the plastic KTP"
	case verify.ReasonStatusUnknown, verify.ReasonStatusStale, verify.ReasonUnsupportedVersion, verify.ReasonReplayCheckFailed,
		verify.ReasonTrustListExpired, verify.ReasonStatusInvalid:
		next = "the scanner needs attention: call the supervisor"
	case verify.ReasonBadDeviceSignature, verify.ReasonBadIssuerSignature, verify.ReasonAlgorithmNotAllowed,
		verify.ReasonUnknownIssuer, verify.ReasonKeyNotValid, verify.ReasonNIKInconsistent:
		next = "possible forgery: call the supervisor"
	case verify.ReasonPolicyUnmet, verify.ReasonWrongAudience, verify.ReasonLifetimeTooLong, verify.ReasonTicketMismatch:
		next = "ask for a live code for this desk"
	default: // not an ikd code, unreadable, malformed
		next = "scan again"
	}
	return verr.Reason.Indonesian() + " / " + verr.Reason.English() + " → " + next
}

// A gate turns every refusal into what the operator says and does next.
// Here: a share-mode code (an hour) at a desk that takes live codes only,
// and a scan of an empty camera frame.
func ExampleReason() {
	now := func() time.Time { return exampleNow }
	wallet, desk := exampleScene(now, verify.AirlineCheckIn())
	share, err := wallet.Present(qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Lifetime: qr.ShareOneHour})
	if err != nil {
		panic(err)
	}
	_, err = desk.VerifyText(share.Text)
	fmt.Println(advice(err))

	_, err = desk.VerifyImage(image.NewGray(image.Rect(0, 0, 640, 480)))
	fmt.Println(advice(err))
	// Output:
	// Kode bagikan tidak diterima. Tunjukkan kode langsung. / Shared code not accepted here. Show a live code. → ask for a live code for this desk
	// Kode tidak terbaca. Pindai ulang. / No code found. Scan again. → scan again
}

// A bank desk receives a shared document ("Bagikan Dokumen"): a one-hour
// share code, read from a photo of the phone's screen, accepted by the
// share-receiver policy.
func ExampleShareReceiver() {
	now := func() time.Time { return exampleNow }
	// The receiver sees only name and NIK unless its policy names more:
	// this bank also needs the birth date.
	policy := verify.ShareReceiver()
	policy.AllowedClaims = []credential.Claim{credential.ClaimBirthDate}
	wallet, bank := exampleScene(now, policy)
	code, img, err := wallet.PresentImage(qr.Request{Profile: credential.ProfileTravel, Lifetime: qr.ShareOneHour})
	if err != nil {
		panic(err)
	}
	res, err := bank.VerifyImage(img)
	if err != nil {
		panic(err)
	}
	for _, c := range []credential.Claim{credential.ClaimName, credential.ClaimBirthDate} {
		id, en := res.Claims.Display(c)
		fmt.Printf("%s / %s: %s / %s\n", c.Indonesian(), c.English(), id, en)
	}
	fmt.Println("share valid until", code.Expires.In(exampleNow.Location()).Format("15:04 MST"))
	// Output:
	// Nama / Name: BUDI SANTOSO / BUDI SANTOSO
	// Tgl Lahir / Date of birth: 17-08-1985 / 1985-08-17
	// share valid until 10:00 WIB
}

// sharedReplay is a replay store that several desks share. A real
// deployment keeps it where every desk reaches it (a database with a unique
// key, Redis); an in-process map shows the contract: CheckAndMark is atomic.
type sharedReplay struct {
	mu   sync.Mutex
	seen map[[32]byte]time.Time
}

func (s *sharedReplay) CheckAndMark(key [32]byte, expires, now time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.seen[key]; ok && !t.Before(now) { // live up to and including expires
		return true, nil
	}
	s.seen[key] = expires
	return false, nil
}

// Two check-in desks share one replay store, so a code photographed at one
// desk is refused at the next.
func ExampleWithReplayCache() {
	now := func() time.Time { return exampleNow }
	store := &sharedReplay{seen: map[[32]byte]time.Time{}}
	wallet, desk1 := exampleScene(now, verify.AirlineCheckIn(), verify.WithReplayCache(store))
	_, desk2 := exampleScene(now, verify.AirlineCheckIn(), verify.WithReplayCache(store))

	code, err := wallet.Present(qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline})
	if err != nil {
		panic(err)
	}
	_, err = desk1.VerifyText(code.Text)
	fmt.Println("desk 1:", advice(err))
	_, err = desk2.VerifyText(code.Text)
	fmt.Println("desk 2:", errors.Is(err, verify.ReasonReplayed))
	// Output:
	// desk 1: accepted
	// desk 2: true
}

// A scanner keeps its trust list in a keys.Store: the last good list on
// disk, updated when a newer one is downloaded. After an update it hands
// the store's list to the verifier, while verifications go on.
func ExampleVerifier_SetTrustList() {
	now := func() time.Time { return exampleNow }
	_, v := exampleScene(now, verify.AirlineCheckIn())

	dir, err := os.MkdirTemp("", "scanner")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	root := exampleKey(keys.EdDSA, "trust root").Public() // pinned at install
	store, err := keys.OpenStore(filepath.Join(dir, "trust.json"), root, keys.WithClock(now))
	if err != nil {
		panic(err)
	}
	for _, download := range [][]byte{trustList(2), trustList(1)} {
		if err := store.Update(download); err != nil {
			fmt.Println("update refused:", errors.Is(err, keys.ErrRollback))
			continue
		}
		if err := v.SetTrustList(store.Current()); err != nil {
			panic(err)
		}
		fmt.Println("trust list", store.Current().Sequence(), "in use")
	}
	// Output:
	// trust list 2 in use
	// update refused: true
}

// A scanner adds each issuer's status list when it downloads one. A list
// older than the one it holds is refused and the newer one stays: replaying
// an old list cannot undo a revocation.
func ExampleVerifier_AddStatusList() {
	now := func() time.Time { return exampleNow }
	_, v := exampleScene(now, verify.AirlineCheckIn()) // holds a list issued an hour ago
	issuer, err := credential.NewIssuer("3171", exampleKey(keys.ES256, "issuer 3171"))
	if err != nil {
		panic(err)
	}
	bits, err := status.NewList(1 << 16)
	if err != nil {
		panic(err)
	}
	for _, age := range []time.Duration{10 * time.Minute, 2 * time.Hour} {
		token, err := issuer.SignStatusList(status.Token{ListID: 1, IssuedAt: exampleNow.Add(-age)}, bits)
		if err != nil {
			panic(err)
		}
		var verr *verify.Error
		switch err := v.AddStatusList(token); {
		case err == nil:
			fmt.Printf("list issued %v ago: in use\n", age)
		case errors.As(err, &verr) && verr.Reason == verify.ReasonStatusRollback:
			fmt.Printf("list issued %v ago: refused (%s)\n", age, verr.Reason.String())
		default:
			fmt.Println(err)
		}
	}
	// Output:
	// list issued 10m0s ago: in use
	// list issued 2h0m0s ago: refused (status_rollback)
}
