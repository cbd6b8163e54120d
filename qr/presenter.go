package qr

import (
	"crypto"
	"errors"
	"fmt"
	"image"
	"io"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/presentation"
)

// Lifetimes of a presentation.
const (
	// DefaultLifetime is how long a live presentation is valid: the wallet
	// shows a new one every 30 s or so, so a screenshot is worthless a
	// minute later. (The Dutch CoronaCheck app refreshes about every 90 s
	// and its scanners accept codes up to 180 s old.)
	DefaultLifetime = 60 * time.Second
	// ShareFiveMinutes and ShareOneHour are the share-mode lifetimes
	// ("Bagikan Dokumen": handing a document to someone for a while).
	ShareFiveMinutes = 5 * time.Minute
	ShareOneHour     = time.Hour
)

var (
	// ErrDevice reports a device signer that does not hold the key the
	// credentials are bound to, or that is not a P-256 key.
	ErrDevice = errors.New("qr: device key does not match credential")
	// ErrNoProfile reports that none of the wallet's credentials carries
	// every claim a request asks for, or the profile it names.
	ErrNoProfile = errors.New("qr: no credential satisfies the request")

	// errOptions reports unusable wallet options, requests or arguments;
	// callers have nothing to branch on, tests do.
	errOptions = presentation.ErrOptions
)

// maxRenderAttempts bounds the wallet's read-back loop. With gozxing
// failing to read about 5% of clean ~700-character codes, eight fresh
// nonces all failing has a probability near 0.05^8.
const maxRenderAttempts = 8

// Request is what a verifier asks the wallet to show.
type Request struct {
	// Claims lists the claims the verifier needs; the wallet shows the
	// smallest credential of the Document that carries them all. Empty
	// means name and NIK (what a KAI gate needs) for a KTP, and the
	// smallest credential of the document for the others.
	Claims []credential.Claim
	// Profile, if not zero, names the disclosure profile to show instead,
	// and Claims must be empty (a request with both is an error: it would
	// be unclear which one wins).
	Profile credential.Profile
	// Document names the document to show: when zero, the Profile's
	// document if a Profile is named, else credential.DocumentKTP. The wallet looks
	// only at credentials of that document, so a request made before a
	// wallet held several documents still gets a KTP. Claims and Profile
	// must belong to it.
	Document credential.Document
	// Subject, if not empty, is the NIK of the person the code must be
	// about, and about alone ([credential.Credential.About]): a KK school
	// profile is one credential per child, and Subject picks the child; an
	// Akta Kelahiran, the child it certifies. kk-full and kk-members list
	// the whole household and never answer a Subject. A Subject that is not
	// a valid NIK ([credential.ParseNIK]) is an invalid request. Without a
	// Subject, a request that credentials about several people fit (two
	// children's kk-school or Akta credentials) is refused as ambiguous.
	Subject credential.NIK
	// Audience optionally names the verifier or purpose, for example
	// "KAI" (verify.AudienceKAI) or "GA-CGK"; at most 64 bytes. A verifier
	// whose policy names other audiences refuses the code. It costs its
	// length plus one byte of QR.
	Audience string
	// Lifetime is DefaultLifetime when zero; ShareFiveMinutes or
	// ShareOneHour in share mode. At most 24 hours, in whole seconds.
	Lifetime time.Duration
}

// Code is one fresh presentation, ready to show.
type Code struct {
	// Text is the QR text: "IKD1:" and the base45 (RFC 9285) encoding of
	// the presentation.
	Text string
	// Profile is the disclosure profile shown.
	Profile credential.Profile
	// IssuedAt and Expires bound its validity; show a countdown to Expires
	// and make a new Code well before it (every ~30 s for a live code).
	IssuedAt, Expires time.Time
}

// ShareLink returns the share link of c ("tautan sementara", the
// temporary link of "Bagikan Dokumen") on the verifier page at base, for
// example "https://verify.example.id/S/": base, then "#", then c.Text with
// its spaces and "%" percent-encoded. The scheme and host come out in upper
// case so that a QR code of the link stays mostly alphanumeric; use an
// upper-case path for the same reason. The link lives exactly as long as
// the presentation (c.Expires), and browsers never send the part after the
// "#" to the server.
//
// c must be a share code (a lifetime longer than [DefaultLifetime]): a
// live code must be shown in person, and verifiers accept links only under
// a policy for share lifetimes. base must be an absolute https URL with no
// user information, query or fragment (plain http only on a loopback
// host, for local tests). docs/wire-format.md, "Share links", is the
// format.
func (c *Code) ShareLink(base string) (string, error) {
	if c.Expires.Sub(c.IssuedAt) <= DefaultLifetime {
		return "", fmt.Errorf("%w: a share link needs a share lifetime (more than %v), not %v", errOptions, DefaultLifetime, c.Expires.Sub(c.IssuedAt))
	}
	link, err := presentation.FormatLink(base, c.Text)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errOptions, err)
	}
	return link, nil
}

// Wallet holds one person's credentials on one device and makes fresh
// presentations of them. It is safe for concurrent use if its device
// signer and random source are.
type Wallet struct {
	device crypto.Signer
	creds  []*credential.Signed
	now    func() time.Time
	rand   io.Reader
}

// Option configures a [Wallet].
type Option func(*config) error

type config struct {
	now  func() time.Time
	rand io.Reader
}

// WithClock sets the wallet's clock (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return fmt.Errorf("%w: WithClock(nil)", errOptions)
		}
		c.now = now
		return nil
	}
}

// WithRand sets the wallet's source of nonces (default crypto/rand). ECDSA
// signatures draw their own randomness from the system (Go 1.26 ignores a
// caller's source for them), so presentations differ even with a fixed
// source.
func WithRand(r io.Reader) Option {
	return func(c *config) error {
		if r == nil {
			return fmt.Errorf("%w: WithRand(nil)", errOptions)
		}
		c.rand = r
		return nil
	}
}

// NewWallet returns a wallet for the device key device (P-256, typically in
// Android Keystore or the iOS Secure Enclave behind crypto.Signer) holding
// the signed credentials creds, one per disclosure profile, as issued.
// Every credential must parse and be bound to device's key: an error
// wrapping credential.ErrMalformed or [ErrDevice] says which does not. The
// wallet does not check the issuer signatures: it received the credentials
// from the issuer over an authenticated channel, and verifiers check them.
func NewWallet(device crypto.Signer, creds [][]byte, opts ...Option) (*Wallet, error) {
	c := config{now: time.Now}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil Option", errOptions)
		}
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	w := &Wallet{device: device, now: c.now, rand: c.rand}
	if len(creds) == 0 {
		return nil, fmt.Errorf("%w: no credentials", errOptions)
	}
	for i, raw := range creds {
		s, err := credential.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("qr: credential %d: %w", i, err)
		}
		if err := presentation.CheckDevice(s, device); err != nil {
			return nil, fmt.Errorf("%w: credential %d: %v", ErrDevice, i, err)
		}
		w.creds = append(w.creds, s)
	}
	return w, nil
}

// profiles returns the profiles the wallet holds, in the order given to
// NewWallet.
func (w *Wallet) profiles() []credential.Profile {
	out := make([]credential.Profile, len(w.creds))
	for i, c := range w.creds {
		out[i] = c.UnverifiedCredential().Profile
	}
	return out
}

// choose returns the credential req asks for: the one of req.Profile, or
// else the smallest (fewest bytes, so the smallest QR code) that carries
// every claim of req.Claims; with req.Subject, only a credential about that
// person alone ([credential.Credential.About]). Without a Subject, a
// request that credentials about different people fit (one kk-school or
// Akta per child) is refused as ambiguous rather than answered with
// whichever child's code happens to be smallest.
func (w *Wallet) choose(req Request) (*credential.Signed, error) {
	if req.Profile != 0 && len(req.Claims) > 0 {
		return nil, fmt.Errorf("%w: a request names a profile or claims, not both", errOptions)
	}
	switch req.Document {
	case 0, credential.DocumentKTP, credential.DocumentKK, credential.DocumentBirthCertificate:
	default:
		return nil, fmt.Errorf("%w: unknown document %v", errOptions, req.Document)
	}
	if req.Profile != 0 && req.Profile.Document() == 0 {
		// A profile of a later version of ikd: not held, as any other.
		return nil, fmt.Errorf("%w: unknown profile %v", ErrNoProfile, req.Profile)
	}
	if req.Subject != "" {
		if _, err := credential.ParseNIK(string(req.Subject)); err != nil {
			return nil, fmt.Errorf("%w: the subject is not a NIK: %v", errOptions, err)
		}
	}
	doc := req.Document
	if doc == 0 && req.Profile != 0 {
		doc = req.Profile.Document()
	}
	if doc == 0 {
		doc = credential.DocumentKTP
	}
	if req.Profile != 0 && req.Profile.Document() != doc {
		return nil, fmt.Errorf("%w: profile %v is not of document %v", errOptions, req.Profile, doc)
	}
	for _, c := range req.Claims {
		if c.Document() != doc {
			return nil, fmt.Errorf("%w: claim %v is not of document %v", errOptions, c, doc)
		}
	}
	claims := req.Claims
	if len(claims) == 0 && req.Profile == 0 && doc == credential.DocumentKTP {
		claims = []credential.Claim{credential.ClaimNIK, credential.ClaimName}
	}
	var fit []*credential.Signed
	held, heldProfile, heldOther := false, false, false
	for _, s := range w.creds {
		c := s.UnverifiedCredential()
		if c.Profile.Document() != doc {
			continue
		}
		held = true
		if req.Profile != 0 && c.Profile != req.Profile {
			continue
		}
		heldProfile = true
		ok := true
		for _, want := range claims {
			if !c.Has(want) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if req.Subject != "" && !c.About(req.Subject) {
			heldOther = true
			continue
		}
		fit = append(fit, s)
	}
	if len(fit) == 0 {
		return nil, noProfile(req, doc, claims, held, heldProfile, heldOther)
	}
	best := fit[0]
	for _, s := range fit[1:] {
		if len(s.Bytes()) < len(best.Bytes()) {
			best = s
		}
	}
	if req.Subject == "" {
		if who := subjectOf(best.UnverifiedCredential()); who != "" {
			for _, s := range fit {
				if other := subjectOf(s.UnverifiedCredential()); other != "" && other != who {
					return nil, fmt.Errorf("%w: %v credentials about several people fit (%s, %s, …): name the person in Request.Subject",
						errOptions, doc, who, other)
				}
			}
		}
	}
	return best, nil
}

// noProfile explains why no credential fits req, wrapping ErrNoProfile.
func noProfile(req Request, doc credential.Document, claims []credential.Claim, held, heldProfile, heldOther bool) error {
	switch {
	case !held:
		return fmt.Errorf("%w: the wallet holds no %v credential", ErrNoProfile, doc)
	case req.Profile != 0 && !heldProfile:
		return fmt.Errorf("%w: profile %v not held", ErrNoProfile, req.Profile)
	case heldOther:
		what := "profile " + req.Profile.String()
		if req.Profile == 0 {
			what = fmt.Sprintf("a %v credential carrying %v", doc, claimList(claims))
		}
		why := ""
		if doc == credential.DocumentKK {
			why = " (kk-full and kk-members list a household and are about no one person; kk-school is about its child)"
		}
		return fmt.Errorf("%w: %s is held, but not about %s alone%s", ErrNoProfile, what, req.Subject, why)
	case req.Subject != "":
		return fmt.Errorf("%w: no %v credential about %s carries %v", ErrNoProfile, doc, req.Subject, claimList(claims))
	}
	return fmt.Errorf("%w: no %v credential carries %v", ErrNoProfile, doc, claimList(claims))
}

// claimList names claims for an error message: "nik, name".
func claimList(cs []credential.Claim) string {
	if len(cs) == 0 {
		return "the profile asked for"
	}
	out := ""
	for i, c := range cs {
		if i > 0 {
			out += ", "
		}
		out += c.String()
	}
	return out
}

// subjectOf returns the NIK of the one person c is about (the KTP's holder,
// a kk-school's child, an Akta's child), or "" for a credential about a
// household or about no one identified (the age profile).
func subjectOf(c *credential.Credential) credential.NIK {
	switch {
	case c.Profile == credential.ProfileKKSchool && c.KK != nil && len(c.KK.Members) > 0:
		return c.KK.Members[0].NIK
	case c.Profile.Document() == credential.DocumentKTP:
		return c.Claims.NIK
	case c.Profile.Document() == credential.DocumentBirthCertificate && c.BirthCertificate != nil:
		return c.BirthCertificate.ChildNIK
	}
	return ""
}

// Present makes a fresh presentation for req, with a new nonce and the
// current time. Call it whenever the QR is shown and about every 30 seconds
// while it stays on screen. It returns an error wrapping [ErrNoProfile]
// when no credential fits req.
func (w *Wallet) Present(req Request) (*Code, error) {
	s, err := w.choose(req)
	if err != nil {
		return nil, err
	}
	return w.present(s, req)
}

func (w *Wallet) present(s *credential.Signed, req Request) (*Code, error) {
	now := w.now()
	data, err := presentation.Sign(s, w.device, &presentation.Options{
		Lifetime: req.Lifetime,
		Audience: req.Audience,
		Now:      func() time.Time { return now },
		Rand:     w.rand,
	})
	if err != nil {
		return nil, err
	}
	lifetime := req.Lifetime
	if lifetime == 0 {
		lifetime = DefaultLifetime
	}
	issued := time.Unix(now.Unix(), 0).UTC()
	return &Code{
		Text:     presentation.Encode(data),
		Profile:  s.UnverifiedCredential().Profile,
		IssuedAt: issued,
		Expires:  issued.Add(lifetime),
	}, nil
}

// PresentImage is [Wallet.Present] followed by [Render], with the
// read-back rule: every image is scanned before it is returned, and if it
// does not read back to its text, a fresh presentation (new nonce, so a
// different bit pattern) is made and rendered instead. It fails only if
// eight attempts in a row do not read back.
func (w *Wallet) PresentImage(req Request) (*Code, *image.Gray, error) {
	s, err := w.choose(req)
	if err != nil {
		return nil, nil, err
	}
	var lastErr error
	for range maxRenderAttempts {
		code, err := w.present(s, req)
		if err != nil {
			return nil, nil, err
		}
		img, err := renderChecked(code.Text, nil)
		if err == nil {
			return code, img, nil
		}
		if !errors.Is(err, errUnreadable) {
			return nil, nil, err
		}
		lastErr = err
	}
	return nil, nil, fmt.Errorf("qr: %d renderings did not read back: %w", maxRenderAttempts, lastErr)
}
