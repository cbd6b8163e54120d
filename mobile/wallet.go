package mobile

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
)

// Audiences a wallet names in NextCode for the ready-made scanner policies:
// a code made for one is refused by the other.
const (
	AudienceAirline = "AIRLINE"
	AudienceKAI     = "KAI"
)

// Share-code lifetimes, in seconds, that Wallet.ShareCode accepts
// ("Bagikan Dokumen").
const (
	ShareFiveMinutes = int64(qr.ShareFiveMinutes / time.Second)
	ShareOneHour     = int64(qr.ShareOneHour / time.Second)
)

// Credential is one credential the wallet holds, as the app lists it.
type Credential struct {
	// Document is the document: "ktp", "kk" (Kartu Keluarga) or
	// "akta_kelahiran" (Akta Kelahiran).
	Document string
	// Profile is the disclosure profile: "full", "travel", "kai" or "age"
	// for a KTP; "kk-full", "kk-members", "kk-school"; "akta-full",
	// "akta-school".
	Profile string
	// Subject is the NIK of the person the credential is about, as a
	// Request names it: the KTP's holder, the Akta's child, a KK school
	// credential's child; "" for the KTP age profile (it carries no NIK)
	// and the other KK profiles (about every member).
	Subject string
	// IssuerID is the issuing office's id in the trust list ("3171").
	IssuerID string
	// IssuedAt and Expires are the credential's validity, in Unix
	// seconds: renew it in the app before Expires.
	IssuedAt, Expires int64
	// Claims are the claims it carries, for the holder to see.
	Claims *Claims
}

// Code is one fresh QR code, ready to show.
type Code struct {
	// Text is the QR text ("IKD1:" and base45).
	Text string
	// PNG is the QR code as a 1-bit PNG image (about 1.5 KB), already
	// scanned back to Text: black on white, 4 pixels per module with the
	// 4-module quiet zone. Scale it by a whole factor without smoothing
	// (nearest neighbour).
	PNG []byte
	// Link is the share link ("tautan sementara") of a share code made
	// with Request.LinkBase: the verifier page's address, "#" and the
	// code's text, to send in a message; it lives as long as the code.
	// It is "" for every other code.
	Link string
	// Document and Profile are the document and disclosure profile shown.
	Document, Profile string
	// IssuedAt and Expires bound the code's validity, in Unix seconds by
	// the phone's clock.
	IssuedAt, Expires int64
	// RefreshIn is how many seconds after IssuedAt to replace the code
	// with a new one while it stays on screen: half its lifetime (30 s for
	// a live code), so that whoever scans it has at least that long.
	RefreshIn int64
}

// Request is what a scanner asks a wallet to show, for Wallet.Code: a
// document, the claims it needs, whose document (for a family), an
// audience and a lifetime. NextCode and ShareCode are its KTP shorthands.
type Request struct {
	// Document is "ktp" (or ""), "kk" or "akta_kelahiran".
	Document string
	// Claims are the claims needed (comma-separated keys of Document's
	// claims); the wallet shows the smallest credential of the document
	// that carries them all. Empty means name and NIK for a KTP, and the
	// smallest credential of the document for the others. For a school
	// (PolicySchool), name the KK claims
	// "kk_number,kk_head,member_name,member_nik,member_relationship,member_birth_date"
	// and the Akta claims
	// "akta_number,akta_child_name,akta_sex,akta_birth_place,akta_birth_date,akta_mother".
	Claims string
	// Subject, if set, is the NIK of the person the code must be about:
	// the child whose KK school credential or Akta Kelahiran to show (a
	// wallet holds one per child).
	Subject string
	// Audience is the verifier's name as its policy requires it:
	// AudienceKAI, AudienceAirline, or "" (printable ASCII, at most 64
	// bytes). Leave it empty for a receiver (PolicyShare, PolicySchool),
	// which refuses codes that name an audience.
	Audience string
	// Lifetime is 0 for a live code (60 seconds), or ShareFiveMinutes or
	// ShareOneHour for a share code.
	Lifetime int64
	// LinkBase, for a share code only, is the verifier page the share
	// link points at ("https://verify.example.id/S/": absolute https, no
	// query or fragment); Code.Link is then the link.
	LinkBase string
}

// Wallet holds one person's credentials on one phone and makes codes of
// them. It is safe for concurrent use. A nil or zero Wallet holds nothing
// and its methods return invalid_argument errors.
type Wallet struct {
	device *deviceKey
	now    func() time.Time // the clock; time.Now except in tests

	mu    sync.Mutex
	creds []*credential.Signed // one per profile and subject, in profile order
	qr    *qr.Wallet           // over creds; nil while empty
}

// NewWallet returns an empty wallet for the device key signer. It reads the
// signer's public key once and returns an error (device, signer) if it is
// not a P-256 key.
func NewWallet(signer DeviceSigner) (*Wallet, error) {
	d, err := newDeviceKey(signer)
	if err != nil {
		return nil, err
	}
	return &Wallet{device: d, now: time.Now}, nil
}

// ok reports whether w was made by NewWallet.
func (w *Wallet) ok() bool { return w != nil && w.device != nil && w.now != nil }

func errWalletNotMade() error {
	return errorf(codeInvalidArgument, "wallet not made by NewWallet")
}

// maxCredential bounds a credential's bytes: a full KTP credential is
// under 600 bytes, a Kartu Keluarga of 24 members under 4 KB, and a
// presentation must fit a QR code.
const maxCredential = 8192

// slot is what a renewal replaces: a credential of the same profile about
// the same person (a KK school credential per child, an Akta per child).
func slot(c *credential.Credential) string {
	return c.Profile.String() + "/" + subject(c)
}

// subject is the NIK a credential is about, as Credential.Subject shows it.
func subject(c *credential.Credential) string {
	switch {
	case c.Profile.Document() == credential.DocumentKTP:
		return string(c.Claims.NIK)
	case c.BirthCertificate != nil:
		if c.BirthCertificate.ChildNIK != "" {
			return string(c.BirthCertificate.ChildNIK)
		}
		return c.BirthCertificate.Number
	case c.KK != nil && c.Profile == credential.ProfileKKSchool && len(c.KK.Members) > 0:
		return string(c.KK.Members[0].NIK)
	}
	return ""
}

// AddCredential adds a signed credential, exactly as the issuer sent it, and
// returns what it holds. A credential of a profile the wallet already holds
// for the same person replaces that one, if it is a renewal: issued later
// than the one held. It returns an error (malformed) for bytes that are not
// a credential, (device) for a credential bound to another device key (a
// credential is issued to one phone's key, and a new phone needs new
// credentials), (expired) for a credential past its expiry by the phone's
// clock, and (rollback) for one issued before the credential it would
// replace, or at the same second with other bytes: a renewal is never
// undone by an older copy. The same bytes again change nothing. The
// wallet cannot check the issuer's signature (it holds no trust list): the
// app receives credentials from the issuer over an authenticated channel,
// and every scanner checks the signature (bad_issuer_signature). The app
// keeps the bytes (in its own storage), replaces the file only when
// AddCredential returns no error, and imports them again at every start.
func (w *Wallet) AddCredential(credentialBytes []byte) (*Credential, error) {
	if !w.ok() {
		return nil, errWalletNotMade()
	}
	if len(credentialBytes) > maxCredential {
		return nil, errorf(codeMalformed, "credential of %d bytes, at most %d", len(credentialBytes), maxCredential)
	}
	s, err := credential.Parse(bytes.Clone(credentialBytes))
	if err != nil {
		return nil, errorf(codeMalformed, "%v", err)
	}
	c := s.UnverifiedCredential()
	if c.DeviceKey == nil || !c.DeviceKey.Equal(w.device.pub) {
		return nil, errorf(codeDevice, "the credential is bound to another device key")
	}
	if now := w.now(); !now.Before(c.Expiry) {
		return nil, errorf(codeExpired, "the credential expired at %v", c.Expiry.UTC())
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	key := slot(c)
	var creds []*credential.Signed
	for _, o := range w.creds {
		oc := o.UnverifiedCredential()
		if slot(oc) != key {
			creds = append(creds, o)
			continue
		}
		switch {
		case bytes.Equal(o.Bytes(), s.Bytes()):
			return credentialInfo(o), nil
		case !c.IssuedAt.After(oc.IssuedAt):
			return nil, errorf(codeRollback, "the credential (issued %v) is not newer than the %v credential held (issued %v)", c.IssuedAt.UTC(), c.Profile, oc.IssuedAt.UTC())
		}
	}
	creds = append(creds, s)
	slices.SortStableFunc(creds, func(a, b *credential.Signed) int {
		return int(a.UnverifiedCredential().Profile) - int(b.UnverifiedCredential().Profile)
	})
	raw := make([][]byte, len(creds))
	for i, s := range creds {
		raw[i] = s.Bytes()
	}
	qw, err := qr.NewWallet(w.device, raw, qr.WithClock(func() time.Time { return w.now() }))
	if err != nil {
		if errors.Is(err, qr.ErrDevice) {
			return nil, errorf(codeDevice, "the credential is bound to another device key")
		}
		return nil, errorf(codeMalformed, "%v", err)
	}
	w.creds, w.qr = creds, qw
	return credentialInfo(s), nil
}

func credentialInfo(s *credential.Signed) *Credential {
	c := s.UnverifiedCredential()
	return &Credential{
		Document: c.Profile.Document().String(),
		Profile:  c.Profile.String(),
		Subject:  nikSubject(c),
		IssuerID: c.Issuer,
		IssuedAt: c.IssuedAt.Unix(),
		Expires:  c.Expiry.Unix(),
		Claims:   credentialClaims(c),
	}
}

// nikSubject is subject(c) when it is a NIK (an Akta without the child's
// NIK is about no NIK a request can name).
func nikSubject(c *credential.Credential) string {
	if c.BirthCertificate != nil && c.BirthCertificate.ChildNIK == "" {
		return ""
	}
	return subject(c)
}

// Count returns the number of credentials held.
func (w *Wallet) Count() int64 {
	if !w.ok() {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return int64(len(w.creds))
}

// At returns the credential at index i (0 ≤ i < Count, in profile order:
// full, travel, kai, age, then the KK's and the Akta's), or nil outside.
func (w *Wallet) At(i int64) *Credential {
	if !w.ok() {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if i < 0 || i >= int64(len(w.creds)) {
		return nil
	}
	return credentialInfo(w.creds[i])
}

// ProfileFor returns the profile a request for claims (comma-separated
// keys, "name,nik"; empty means name and NIK, what a KAI gate needs) shows:
// the smallest credential held that carries every claim asked for, as
// NextCode picks it. The claims may be of a KK or an Akta instead of a
// KTP (all of one document). It returns an error (no_profile) when none
// does, and (invalid_argument) for an unknown claim key or claims of
// several documents.
func (w *Wallet) ProfileFor(claims string) (string, error) {
	doc := credential.DocumentKTP
	if first, _, _ := strings.Cut(claims, ","); strings.TrimSpace(first) != "" {
		if c, ok := credential.ParseClaim(strings.TrimSpace(first)); ok {
			doc = c.Document()
		}
	}
	req, err := w.request(&Request{Document: doc.String(), Claims: claims})
	if err != nil {
		return "", err
	}
	s, err := w.choose(req)
	if err != nil {
		return "", err
	}
	return s.UnverifiedCredential().Profile.String(), nil
}

// request checks r and makes the qr.Request it names.
func (w *Wallet) request(r *Request) (qr.Request, error) {
	if !w.ok() {
		return qr.Request{}, errWalletNotMade()
	}
	if r == nil {
		return qr.Request{}, errorf(codeInvalidArgument, "no request")
	}
	doc, err := parseDocument(r.Document)
	if err != nil {
		return qr.Request{}, err
	}
	want, err := parseClaims(r.Claims, doc)
	if err != nil {
		return qr.Request{}, err
	}
	req := qr.Request{Document: doc, Claims: want, Audience: r.Audience}
	if r.Subject != "" {
		nik, err := credential.ParseNIK(r.Subject)
		if err != nil {
			return qr.Request{}, errorf(codeInvalidArgument, "subject: %v", err)
		}
		req.Subject = nik
	}
	switch r.Lifetime {
	case 0:
		if r.LinkBase != "" {
			return qr.Request{}, errorf(codeInvalidArgument, "a share link needs a share code (Lifetime %d or %d)", ShareFiveMinutes, ShareOneHour)
		}
	case ShareFiveMinutes, ShareOneHour:
		req.Lifetime = time.Duration(r.Lifetime) * time.Second
	default:
		return qr.Request{}, errorf(codeInvalidArgument, "lifetime %d s, want 0 (live), %d or %d", r.Lifetime, ShareFiveMinutes, ShareOneHour)
	}
	return req, nil
}

// choose picks the credential req asks for, by qr.Wallet's rule. It
// returns a no_profile error when none fits.
func (w *Wallet) choose(req qr.Request) (*credential.Signed, error) {
	w.mu.Lock()
	creds := w.creds
	w.mu.Unlock()
	fits := func(c *credential.Credential) bool {
		if c.Profile.Document() != req.Document || (req.Subject != "" && !c.About(req.Subject)) {
			return false
		}
		if req.Profile != 0 {
			return c.Profile == req.Profile
		}
		claims := req.Claims
		if len(claims) == 0 && req.Document == credential.DocumentKTP {
			claims = []credential.Claim{credential.ClaimNIK, credential.ClaimName}
		}
		return !slices.ContainsFunc(claims, func(cl credential.Claim) bool { return !c.Has(cl) })
	}
	var best *credential.Signed
	for _, s := range creds {
		if fits(s.UnverifiedCredential()) && (best == nil || len(s.Bytes()) < len(best.Bytes())) {
			best = s
		}
	}
	if best == nil {
		what := fmt.Sprintf("the claims %v", req.Claims)
		if req.Profile != 0 {
			what = "profile " + req.Profile.String()
		} else if len(req.Claims) == 0 {
			what = "a credential"
		}
		if req.Subject != "" {
			what += " about " + string(req.Subject)
		}
		return nil, errorf(codeNoProfile, "no %v credential held carries %s", req.Document, what)
	}
	return best, nil
}

// Code makes a fresh code for req: a live code (Lifetime 0, 60 seconds)
// or a share code, of the smallest credential of req.Document that carries
// req.Claims and is about req.Subject. Call it when the code is shown and
// again RefreshIn seconds later while it stays on screen. It asks the
// DeviceSigner for one signature. It returns an error (no_profile) when no
// credential fits, (invalid_argument) for an unknown document or claim, a
// claim of another document, a subject that is not a NIK, a lifetime other
// than 0, ShareFiveMinutes and ShareOneHour, an audience over 64 bytes or
// not printable ASCII, or a LinkBase that is not an absolute https URL (or
// given for a live code), and (signer) when the signer fails.
func (w *Wallet) Code(req *Request) (*Code, error) {
	qreq, err := w.request(req)
	if err != nil {
		return nil, err
	}
	s, err := w.choose(qreq)
	if err != nil {
		return nil, err
	}
	qreq.Claims, qreq.Profile = nil, s.UnverifiedCredential().Profile
	return w.present(qreq, req.LinkBase)
}

// NextCode makes a fresh live code (60 seconds) of the smallest KTP
// credential that carries claims (as ProfileFor), for audience:
// AudienceKAI at a KAI gate, AudienceAirline at a check-in desk, "" where
// the scanner names none (an age check). It is Code with a KTP Request of
// these claims and audience; its errors are Code's.
func (w *Wallet) NextCode(claims, audience string) (*Code, error) {
	return w.Code(&Request{Claims: claims, Audience: audience})
}

// ShareCode makes a share code ("Bagikan Dokumen") of the KTP profile
// profile ("" for the smallest credential with name and NIK, what a share
// receiver needs) that lives lifetime seconds: ShareFiveMinutes or
// ShareOneHour, nothing else. Its errors are those of Code, and
// (invalid_argument) for another lifetime or an unknown profile, or a
// profile of another document (use Code for those).
func (w *Wallet) ShareCode(profile string, lifetime int64) (*Code, error) {
	if lifetime != ShareFiveMinutes && lifetime != ShareOneHour {
		return nil, errorf(codeInvalidArgument, "share lifetime %d s, want %d or %d", lifetime, ShareFiveMinutes, ShareOneHour)
	}
	req, err := w.request(&Request{Lifetime: lifetime})
	if err != nil {
		return nil, err
	}
	if profile != "" {
		p, ok := credential.ParseProfile(profile)
		if !ok {
			return nil, errorf(codeInvalidArgument, "unknown profile %q", profile)
		}
		if p.Document() != credential.DocumentKTP {
			return nil, errorf(codeInvalidArgument, "profile %q is not a KTP profile: use Code with its Document", profile)
		}
		req.Profile = p
	}
	s, err := w.choose(req)
	if err != nil {
		return nil, err
	}
	req.Profile = s.UnverifiedCredential().Profile
	return w.present(req, "")
}

// present makes the code of req (which names a profile) and its checked
// image, and its share link on linkBase when given. The wallet's lock is
// not held while the signer runs: it may wait for the user to
// authenticate.
func (w *Wallet) present(req qr.Request, linkBase string) (*Code, error) {
	w.mu.Lock()
	qw := w.qr
	w.mu.Unlock()
	if qw == nil {
		return nil, errorf(codeNoProfile, "the wallet holds no credential")
	}
	code, img, err := qw.PresentImage(req)
	if err != nil {
		var ce *codedError
		if errors.As(err, &ce) {
			return nil, ce // the device key's own error, with its code first
		}
		if errors.Is(err, qr.ErrNoProfile) {
			return nil, errorf(codeNoProfile, "%v", err)
		}
		return nil, errorf(codeInvalidArgument, "%v", err)
	}
	var link string
	if linkBase != "" {
		if link, err = code.ShareLink(linkBase); err != nil {
			return nil, errorf(codeInvalidArgument, "share link: %v", err)
		}
	}
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, bilevel(img)); err != nil {
		return nil, errorf(codeInvalidArgument, "encoding the PNG: %v", err)
	}
	life := code.Expires.Unix() - code.IssuedAt.Unix()
	return &Code{
		Text:      code.Text,
		PNG:       buf.Bytes(),
		Link:      link,
		Document:  code.Profile.Document().String(),
		Profile:   code.Profile.String(),
		IssuedAt:  code.IssuedAt.Unix(),
		Expires:   code.Expires.Unix(),
		RefreshIn: life / 2,
	}, nil
}

// pngEncoder writes the code images, reusing its zlib writers across codes
// (allocating one costs as much as compressing a code).
var pngEncoder = &png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}}

// pngBuffers is a png.EncoderBufferPool over a sync.Pool.
type pngBuffers struct{ pool sync.Pool }

func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// bilevel returns the black-and-white code image as a two-colour paletted
// image, which image/png writes with one bit per pixel and without the
// per-row filter search it runs on gray images: a few times less work to
// encode than the 8-bit gray image, for the same pixels (the renderer draws
// only 0 and 255).
func bilevel(img *image.Gray) *image.Paletted {
	p := image.NewPaletted(img.Rect, color.Palette{color.Gray{Y: 0}, color.Gray{Y: 255}})
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		row := img.Pix[img.PixOffset(img.Rect.Min.X, y):][:img.Rect.Dx()]
		out := p.Pix[p.PixOffset(p.Rect.Min.X, y):][:p.Rect.Dx()]
		for x, v := range row {
			if v >= 0x80 {
				out[x] = 1
			}
		}
	}
	return p
}
