// Command demo runs the whole ikd story offline, with no set-up: the
// Dukcapil root signs a trust list for two regional issuers, they issue
// KTP credentials to two citizens and a foreign resident, the wallets show
// rotating QR codes, and an airline check-in desk and a KAI gate verify
// them, refusing an expired screenshot, a replay, a revoked phone, a
// tampered code, a code made for another verifier and a ticket booked for
// someone else. Then a family enrols a child at school: Budi's phone also
// holds the household's Kartu Keluarga and his son's Akta Kelahiran, bound
// to the device key and status entry of his KTP, and the school's receiver
// checks both and that they name the same child.
//
// Usage:
//
//	go run ./examples/demo [-out DIR] [-now 2026-11-23T09:00:00+07:00]
//
// With -out it also writes what it made into DIR: trust.jws, root.jwk,
// issuers.jwks, credential-{full,travel,kai}.cbor, presentation-{full,
// travel,kai}.txt and .png (Budi's codes, made at the start of the story;
// the travel code names the audience AIRLINE, the kai code KAI, the full
// code none), status.cbor (the Jakarta Pusat status list) and
// reference-time: the instant the codes were made (-now, by default the
// current time), one RFC 3339 line in UTC (with -now
// 2026-11-23T09:00:00+07:00 it is "2026-11-23T02:00:00Z"), at which a
// scanner's clock must stand to accept them later (they live 60 seconds),
// and the family documents shared with the school:
// credential-{kk-school,akta-school}.cbor (Rizky's: the household has two
// children and a kk-school credential each; the demo writes the one it
// shares) and
// presentation-{kk-school,akta-school}.txt and .png (share-mode codes, one
// hour, no audience).
// Only public keys are written. The keys are derived from fixed seeds so
// that every run makes the same ones: they are public, never use them for
// anything real. They are not the keys of the conformance vectors in
// testdata/ (whose reference time happens to be the same instant).
//
// The demo prints key ids as 16 hex digits: the 8-byte COSE kid that
// credentials carry, the first 8 bytes of the key's RFC 7638 SHA-256
// thumbprint. The "kid" of each JWK in issuers.jwks is the whole
// thumbprint, base64url, 43 characters (docs/keys.md).
//
// The clock is injected: the screenshot step advances it instead of
// sleeping. The program exits with status 1 if any outcome differs from
// what the story expects.
package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

func main() {
	os.Exit(exampleutil.ExitCode(run(os.Args[1:], os.Stdout), os.Stderr))
}

// errStory reports outcomes that differ from the story's expectations.
var errStory = errors.New("demo: the story did not go as expected")

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stdout)
	out := fs.String("out", "", "write the trust list, public keys, credentials, codes, status list and reference time into this directory")
	var now exampleutil.TimeFlag
	fs.Var(&now, "now", "start the story at this RFC 3339 time (default: the current time)")
	if err := fs.Parse(args); err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	if fs.NArg() > 0 {
		return exampleutil.Usagef("unexpected arguments: %v", fs.Args())
	}
	start := now.T
	if start.IsZero() {
		start = time.Now()
	}
	steps, err := story(start, *out, stdout)
	if err != nil {
		return err
	}
	bad := 0
	for _, s := range steps {
		if !s.OK() {
			bad++
		}
	}
	fmt.Fprintf(stdout, "\n%d langkah, %d sesuai harapan / %d steps, %d as expected\n", len(steps), len(steps)-bad, len(steps), len(steps)-bad)
	if bad > 0 {
		return fmt.Errorf("%w: %d step(s) differ", errStory, bad)
	}
	return nil
}

// Step is one scan of the story: who showed what to which scanner, what
// the story expects and what happened.
type Step struct {
	// Title says what happens, in English.
	Title string
	// Scanner is "airline" or "kai".
	Scanner string
	// Want is the expected reason, 0 for an acceptance.
	Want verify.Reason
	// Got is the actual reason, 0 for an acceptance.
	Got verify.Reason
	// Verdict is the scanner's verdict.
	Verdict exampleutil.Verdict
}

// OK reports whether the step went as the story expects.
func (s Step) OK() bool { return s.Want == s.Got }

// clock is the story's injected clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// office is a regional Disdukcapil with its key, status list and allocator.
type office struct {
	id, name string
	alg      keys.Algorithm
	kid      []byte
	key      keys.IssuerKey
	issuer   *credential.Issuer
	list     *status.List
	alloc    *status.Allocator
}

func newOffice(id, name string, alg keys.Algorithm, now time.Time) (*office, error) {
	signer, err := keys.GenerateKey(alg, seeded("demo issuer "+id))
	if err != nil {
		return nil, err
	}
	issuer, err := credential.NewIssuer(id, signer)
	if err != nil {
		return nil, err
	}
	kid, err := keys.KeyID(signer.Public())
	if err != nil {
		return nil, err
	}
	list, err := status.NewList(1 << 16)
	if err != nil {
		return nil, err
	}
	alloc, err := status.NewAllocator(1<<16, seeded("demo allocator "+id))
	if err != nil {
		return nil, err
	}
	return &office{
		id: id, name: name, alg: alg, kid: kid, list: list, alloc: alloc, issuer: issuer,
		key: keys.IssuerKey{
			IssuerID: id, IssuerName: name, PublicKey: signer.Public(),
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0),
		},
	}, nil
}

// statusList signs the office's status list as of now.
func (o *office) statusList(now time.Time) ([]byte, error) {
	iat := now.Truncate(time.Second)
	return o.issuer.SignStatusList(status.Token{ListID: 1, IssuedAt: iat, Expiry: iat.AddDate(0, 0, 30), TTL: 24 * time.Hour}, o.list)
}

// holder is a person with a phone: a device key and a wallet.
type holder struct {
	label  string
	person credential.KTP
	device crypto.Signer
	index  uint32
	creds  []credential.Issued
	wallet *qr.Wallet
}

// issue issues person's credentials to a new phone whose device key is
// derived from label (in a real wallet it is made in Android Keystore or the
// Secure Enclave and only its public key leaves the phone).
func (o *office) issue(label string, person credential.KTP, c *clock) (*holder, error) {
	device, err := keys.GenerateKey(keys.ES256, seeded("demo device "+label))
	if err != nil {
		return nil, err
	}
	idx, err := o.alloc.Allocate()
	if err != nil {
		return nil, err
	}
	now := c.Now().Truncate(time.Second)
	issued, err := o.issuer.Issue(&credential.Request{
		Claims: person, DeviceKey: device.Public().(*ecdsa.PublicKey), Status: credential.StatusRef{List: 1, Index: idx},
		IssuedAt: now.Add(-time.Hour), Expiry: now.AddDate(1, 0, 0),
	})
	if err != nil {
		return nil, err
	}
	raw := make([][]byte, len(issued))
	for i, cr := range issued {
		raw[i] = cr.Bytes
	}
	w, err := qr.NewWallet(device, raw, qr.WithClock(c.Now))
	if err != nil {
		return nil, err
	}
	return &holder{label: label, person: person, device: device, index: idx, creds: issued, wallet: w}, nil
}

func (h *holder) cred(p credential.Profile) []byte {
	for _, c := range h.creds {
		if c.Profile == p {
			return c.Bytes
		}
	}
	return nil
}

var (
	airlineReq = qr.Request{Claims: verify.AirlineCheckIn().RequiredClaims, Audience: verify.AudienceAirline}
	kaiReq     = qr.Request{Claims: verify.KAIGate(verify.Ticket{}).RequiredClaims, Audience: verify.AudienceKAI}
)

// story runs the demo from start, printing to w, writing the contract files
// into out if it is not empty, and returns every scan step.
func story(start time.Time, out string, w io.Writer) ([]Step, error) {
	c := &clock{t: start.Truncate(time.Second)}
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	T0 := c.Now()

	p("== 1. Akar Dukcapil menandatangani daftar kepercayaan / The Dukcapil root signs the trust list ==")
	root, err := keys.GenerateKey(keys.ES256, seeded("demo root"))
	if err != nil {
		return nil, err
	}
	jakarta, err := newOffice("3171", "Disdukcapil Kota Jakarta Pusat", keys.ES256, T0)
	if err != nil {
		return nil, err
	}
	bandung, err := newOffice("3273", "Disdukcapil Kota Bandung", keys.EdDSA, T0)
	if err != nil {
		return nil, err
	}
	jws, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence: 1, IssuedAt: T0.Add(-time.Hour), NextUpdate: T0.AddDate(0, 1, 0),
		Issuers: []keys.TrustedIssuer{
			{ID: jakarta.id, Name: jakarta.name, Keys: []keys.IssuerKey{jakarta.key}},
			{ID: bandung.id, Name: bandung.name, Keys: []keys.IssuerKey{bandung.key}},
		},
	})
	if err != nil {
		return nil, err
	}
	for _, o := range []*office{jakarta, bandung} {
		p("   issuer %s %-32s %-5s kid %x", o.id, o.name, o.alg, o.kid)
	}
	p("   trust list: sequence 1, %d bytes (compact JWS, ES256 root)", len(jws))

	p("\n== 2. Penerbitan / Issuing credentials ==")
	people, err := samplePeople()
	if err != nil {
		return nil, err
	}
	budi, err := jakarta.issue("budi", people["budi"], c)
	if err != nil {
		return nil, err
	}
	siti, err := bandung.issue("siti", people["siti"], c)
	if err != nil {
		return nil, err
	}
	tanaka, err := jakarta.issue("tanaka", people["tanaka"], c)
	if err != nil {
		return nil, err
	}
	fam, err := jakarta.issueFamily(budi, c)
	if err != nil {
		return nil, err
	}
	for _, h := range []*holder{budi, siti, tanaka} {
		var sizes []string
		for _, cr := range h.creds {
			sizes = append(sizes, fmt.Sprintf("%s %d B", cr.Profile, len(cr.Bytes)))
		}
		citizenship, _ := h.person.Display(credential.ClaimCitizenship)
		_, sex := h.person.Display(credential.ClaimSex)
		p("   %-15s %s %s, status index %d: %s", h.person.Name, citizenship, sex, h.index, strings.Join(sizes, ", "))
	}
	var famSizes []string
	for _, cr := range fam.docs {
		label := cr.Profile.String()
		if cr.Profile == credential.ProfileKKSchool {
			// One per child: say whose.
			if s, err := credential.Parse(cr.Bytes); err == nil {
				if c := s.UnverifiedCredential(); c.KK != nil && len(c.KK.Members) > 0 {
					label += " (" + strings.Fields(c.KK.Members[0].Name)[0] + ")"
				}
			}
		}
		famSizes = append(famSizes, fmt.Sprintf("%s %d B", label, len(cr.Bytes)))
	}
	p("   %-15s family card (KK, %d members) and Rizky's birth certificate, same device and status index %d: %s",
		"BUDI SANTOSO", len(household().Members), budi.index, strings.Join(famSizes, ", "))
	jakartaStatus, err := jakarta.statusList(c.Now())
	if err != nil {
		return nil, err
	}
	bandungStatus, err := bandung.statusList(c.Now())
	if err != nil {
		return nil, err
	}
	p("   status lists signed: 3171 (%d B), 3273 (%d B)", len(jakartaStatus), len(bandungStatus))

	if out != "" {
		if err := writeOut(out, c.Now(), root.Public(), jws, []keys.IssuerKey{jakarta.key, bandung.key}, budi, fam, jakartaStatus); err != nil {
			return nil, err
		}
		p("   written to %s", out)
	}

	p("\n== 3. Pemindai / Scanners load the trust list and status lists ==")
	trusted, err := keys.ParseTrustList(jws, root.Public(), keys.WithClock(c.Now))
	if err != nil {
		return nil, err
	}
	airline, err := verify.New(trusted, verify.AirlineCheckIn(), verify.WithClock(c.Now))
	if err != nil {
		return nil, err
	}
	gate, err := verify.New(trusted, verify.KAIGate(verify.Ticket{}), verify.WithClock(c.Now))
	if err != nil {
		return nil, err
	}
	for _, v := range []*verify.Verifier{airline, gate} {
		for _, sl := range [][]byte{jakartaStatus, bandungStatus} {
			if err := v.AddStatusList(sl); err != nil {
				return nil, err
			}
		}
	}
	p("   airline check-in desk and KAI gate ready (offline)")
	budiTicket, err := gate.WithPolicy(verify.KAIGate(verify.Ticket{Name: "Bpk. Budi Santoso", NIK: "3171011708850003"}))
	if err != nil {
		return nil, err
	}
	sitiTicket, err := gate.WithPolicy(verify.KAIGate(verify.Ticket{Name: "SITI RAHMAWATI", NIK: "3273014503900001"}))
	if err != nil {
		return nil, err
	}

	p("\n== 4. Pemindaian / Scans ==")
	var steps []Step
	scan := func(title, scanner string, v *verify.Verifier, text string, want verify.Reason) {
		s := Step{Title: title, Scanner: scanner, Want: want}
		res, err := v.VerifyText(text)
		var verr *verify.Error
		switch {
		case errors.As(err, &verr):
			s.Got, s.Verdict = verr.Reason, exampleutil.Rejected(verr.Reason, err)
		case err != nil: // not a verify.Error: cannot happen, but never count it as accepted
			s.Got, s.Verdict = verify.ReasonMalformed, exampleutil.Rejected(verify.ReasonMalformed, err)
		default:
			s.Verdict = exampleutil.Accepted(res)
		}
		vd := s.Verdict
		steps = append(steps, s)
		mark := "OK"
		if !s.OK() {
			mark = "UNEXPECTED"
		}
		wantS := "accepted"
		if want != 0 {
			wantS = want.String()
		}
		p("%2d. [%s] %s\n    %s\n    expected %s: %s", len(steps), scanner, title, vd.Line(), wantS, mark)
	}
	code := func(h *holder, req qr.Request) string {
		cd, err := h.wallet.Present(req)
		if err != nil {
			return "IKD1:" // the scan then fails, and the step shows it
		}
		return cd.Text
	}

	budiAtDesk := code(budi, airlineReq)
	scan("Budi checks in for his flight with a live code", "airline", airline, budiAtDesk, 0)
	scan("Siti checks in with a live code (EdDSA issuer, Bandung)", "airline", airline, code(siti, airlineReq), 0)
	scan("Tanaka, a foreign resident (WNA), checks in", "airline", airline, code(tanaka, airlineReq), 0)
	scan("someone who photographed Budi's code at the desk shows it again", "airline", airline, budiAtDesk, verify.ReasonReplayed)
	scan("Siti shows a code her wallet made for KAI at the airline desk", "airline", airline,
		code(siti, qr.Request{Claims: airlineReq.Claims, Audience: verify.AudienceKAI}), verify.ReasonWrongAudience)
	scan("Budi boards his train with his ticket", "kai", budiTicket, code(budi, kaiReq), 0)
	scan("Siti tries to board on Budi's ticket", "kai", budiTicket, code(siti, kaiReq), verify.ReasonTicketMismatch)
	scan("Siti edits the name in her own credential (SITI → SITA) and shows it at her gate", "kai", sitiTicket,
		forge(siti, "SITI RAHMAWATI", "SITA RAHMAWATI", c), verify.ReasonBadIssuerSignature)

	screenshot := code(budi, kaiReq)
	c.Add(5 * time.Minute)
	p("    (the clock moves 5 minutes on)")
	scan("a screenshot of Budi's code, taken 5 minutes ago", "kai", budiTicket, screenshot, verify.ReasonPresentationExpired)

	c.Add(time.Minute)
	p("    (Tanaka reports his phone stolen; Disdukcapil 3171 revokes index %d and publishes a new status list)", tanaka.index)
	if err := jakarta.list.Set(tanaka.index, status.StatusRevoked); err != nil {
		return nil, err
	}
	revokedList, err := jakarta.statusList(c.Now())
	if err != nil {
		return nil, err
	}
	for _, v := range []*verify.Verifier{airline, gate} {
		if err := v.AddStatusList(revokedList); err != nil {
			return nil, err
		}
	}
	scan("the thief shows Tanaka's stolen phone", "airline", airline, code(tanaka, airlineReq), verify.ReasonRevoked)
	newPhone, err := jakarta.issue("tanaka new phone", people["tanaka"], c)
	if err != nil {
		return nil, err
	}
	newList, err := jakarta.statusList(c.Now().Add(time.Second))
	if err != nil {
		return nil, err
	}
	for _, v := range []*verify.Verifier{airline, gate} {
		if err := v.AddStatusList(newList); err != nil {
			return nil, err
		}
	}
	p("    (Tanaka gets a new phone: new device key, new status index %d)", newPhone.index)
	scan("Tanaka checks in with his new phone", "airline", airline, code(newPhone, airlineReq), 0)

	p("\n== 5. Pendaftaran sekolah / A family enrols a child at school ==")
	p("    (the school's receiver takes the family card and the birth certificate, shared for an hour)")
	school, err := newSchool(trusted, c, newList, bandungStatus)
	if err != nil {
		return nil, err
	}
	steps = append(steps, enrol(p, len(steps), fam, budi, school, gate, c)...)
	return steps, nil
}

// forge is a hostile wallet: it edits a name inside the holder's own kai
// credential, as someone changing the bytes of the credential file would,
// and presents the result with the holder's real device key. The device
// signature is then genuine; the issuer signature is not.
func forge(h *holder, from, to string, c *clock) string {
	edited := bytes.Replace(h.cred(credential.ProfileKAI), []byte(from), []byte(to), 1)
	w, err := qr.NewWallet(h.device, [][]byte{edited}, qr.WithClock(c.Now))
	if err != nil {
		return "IKD1:" // the scan then fails, and the step shows it
	}
	cd, err := w.Present(kaiReq)
	if err != nil {
		return "IKD1:"
	}
	return cd.Text
}

// profilesOut are the profiles whose credentials and codes -out writes.
var profilesOut = []credential.Profile{credential.ProfileFull, credential.ProfileTravel, credential.ProfileKAI}

// outAudience is the audience each written code names: the KAI and
// airline policies refuse a code that names none. The full profile is for
// a share receiver, which takes any.
var outAudience = map[credential.Profile]string{
	credential.ProfileTravel: verify.AudienceAirline,
	credential.ProfileKAI:    verify.AudienceKAI,
}

// writeOut writes the contract files into dir, each atomically, with the
// codes made at the instant at.
func writeOut(dir string, at time.Time, root crypto.PublicKey, jws []byte, issuerKeys []keys.IssuerKey, h *holder, fam *family, statusList []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := exampleutil.WriteFile(filepath.Join(dir, "reference-time"), []byte(at.UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return err
	}
	if err := exampleutil.WriteFile(filepath.Join(dir, "trust.jws"), jws, 0o644); err != nil {
		return err
	}
	if err := keys.SavePublicKey(filepath.Join(dir, "root.jwk"), root); err != nil {
		return err
	}
	jwks, err := keys.MarshalJWKSet(issuerKeys...)
	if err != nil {
		return err
	}
	if err := exampleutil.WriteFile(filepath.Join(dir, "issuers.jwks"), append(jwks, '\n'), 0o644); err != nil {
		return err
	}
	if err := exampleutil.WriteFile(filepath.Join(dir, "status.cbor"), statusList, 0o644); err != nil {
		return err
	}
	for _, p := range profilesOut {
		if err := exampleutil.WriteFile(filepath.Join(dir, "credential-"+p.String()+".cbor"), h.cred(p), 0o644); err != nil {
			return err
		}
		code, img, err := h.wallet.PresentImage(qr.Request{Profile: p, Audience: outAudience[p]})
		if err != nil {
			return err
		}
		var pngData bytes.Buffer
		if err := png.Encode(&pngData, img); err != nil {
			return err
		}
		if err := exampleutil.WriteFile(filepath.Join(dir, "presentation-"+p.String()+".txt"), []byte(code.Text), 0o644); err != nil {
			return err
		}
		if err := exampleutil.WriteFile(filepath.Join(dir, "presentation-"+p.String()+".png"), pngData.Bytes(), 0o644); err != nil {
			return err
		}
	}
	for _, p := range docsOut {
		if err := exampleutil.WriteFile(filepath.Join(dir, "credential-"+p.String()+".cbor"), fam.docCred(p), 0o644); err != nil {
			return err
		}
		code, img, err := fam.wallet.PresentImage(schoolRequests[p])
		if err != nil {
			return err
		}
		var pngData bytes.Buffer
		if err := png.Encode(&pngData, img); err != nil {
			return err
		}
		if err := exampleutil.WriteFile(filepath.Join(dir, "presentation-"+p.String()+".txt"), []byte(code.Text), 0o644); err != nil {
			return err
		}
		if err := exampleutil.WriteFile(filepath.Join(dir, "presentation-"+p.String()+".png"), pngData.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// seeded returns a deterministic stream of bytes (SHA-256 in counter mode
// over label), so that the demo makes the same keys every run. Real keys
// come from crypto/rand (keys.GenerateKey with a nil reader).
func seeded(label string) io.Reader { return &seedReader{label: label} }

type seedReader struct {
	label string
	n     uint64
	buf   []byte
}

func (r *seedReader) Read(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(r.buf) == 0 {
			h := sha256.New()
			h.Write([]byte(r.label))
			h.Write(binary.BigEndian.AppendUint64(nil, r.n))
			r.n++
			r.buf = h.Sum(nil)
		}
		c := copy(p, r.buf)
		p, r.buf = p[c:], r.buf[c:]
	}
	return n, nil
}

// peopleJSON are the demo's residents as an issuing office keeps them: person
// records in JSON, as the issuer program reads them.
const peopleJSON = `{
  "budi": {"nik": "3171011708850003", "name": "BUDI SANTOSO", "birth_place": "JAKARTA", "birth_date": "1985-08-17",
    "sex": "male", "blood_type": "o", "religion": "islam", "marital_status": "married", "occupation": "KARYAWAN SWASTA",
    "citizenship": "indonesian", "validity": "SEUMUR HIDUP", "issuing_office": "JAKARTA PUSAT", "issue_date": "2019-03-12",
    "address": {"street": "JL. MERDEKA SELATAN NO. 10", "rt": 5, "rw": 2, "kelurahan": "GAMBIR", "kecamatan": "GAMBIR",
      "regency": "JAKARTA PUSAT", "province": "DKI JAKARTA"}},
  "siti": {"nik": "3273014503900001", "name": "SITI RAHMAWATI", "birth_place": "BANDUNG", "birth_date": "1990-03-05",
    "sex": "female", "blood_type": "a", "religion": "islam", "marital_status": "single", "occupation": "PEGAWAI NEGERI SIPIL",
    "citizenship": "indonesian", "validity": "SEUMUR HIDUP", "issuing_office": "KOTA BANDUNG", "issue_date": "2021-07-01",
    "address": {"street": "JL. DAGO NO. 45", "rt": 3, "rw": 7, "kelurahan": "LEBAKGEDE", "kecamatan": "COBLONG",
      "regency": "KOTA BANDUNG", "province": "JAWA BARAT"}},
  "tanaka": {"nik": "5103012211780007", "name": "TANAKA HIROSHI", "birth_place": "OSAKA", "birth_date": "1978-11-22",
    "sex": "male", "blood_type": "unknown", "religion": "buddhist", "marital_status": "married", "occupation": "WIRASWASTA",
    "citizenship": "foreign", "nationality": "JPN", "validity": "2030-06-30", "issuing_office": "BADUNG", "issue_date": "2025-07-01",
    "address": {"street": "JL. PANTAI KUTA NO. 8", "rt": 1, "rw": 4, "kelurahan": "KUTA", "kecamatan": "KUTA",
      "regency": "BADUNG", "province": "BALI"}}
}`

// samplePeople decodes peopleJSON and checks each record as a full KTP.
func samplePeople() (map[string]credential.KTP, error) {
	var people map[string]credential.KTP
	if err := json.Unmarshal([]byte(peopleJSON), &people); err != nil {
		return nil, err
	}
	for name, k := range people {
		if err := k.Validate(credential.ProfileFull); err != nil {
			return nil, fmt.Errorf("demo: %s: %w", name, err)
		}
	}
	return people, nil
}
