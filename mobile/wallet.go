package mobile

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"slices"
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
	// Profile is the disclosure profile: "full", "travel", "kai" or "age".
	Profile string
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
	// Profile is the disclosure profile shown.
	Profile string
	// IssuedAt and Expires bound the code's validity, in Unix seconds by
	// the phone's clock.
	IssuedAt, Expires int64
	// RefreshIn is how many seconds after IssuedAt to replace the code
	// with a new one while it stays on screen: half its lifetime (30 s for
	// a live code), so that whoever scans it has at least that long.
	RefreshIn int64
}

// Wallet holds one person's credentials on one phone and makes codes of
// them. It is safe for concurrent use.
type Wallet struct {
	device *deviceKey
	now    func() time.Time // the clock; time.Now except in tests

	mu    sync.Mutex
	creds []*credential.Signed // one per profile, in profile order
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

// maxCredential bounds a credential's bytes: a full KTP credential is
// under 600 bytes, and a presentation must fit a QR code.
const maxCredential = 4096

// AddCredential adds a signed credential, exactly as the issuer sent it, and
// returns what it holds. A credential of a profile the wallet already holds
// replaces that one (a renewal). It returns an error (malformed) for bytes
// that are not a credential, and (device) for a credential bound to another
// device key: a credential is issued to one phone's key, and a new phone
// needs new credentials. The wallet does not check the issuer's signature:
// the app received the credential from the issuer over an authenticated
// channel, and every scanner checks it. The app keeps the bytes (in its own
// storage) and imports them again at every start.
func (w *Wallet) AddCredential(credentialBytes []byte) (*Credential, error) {
	if len(credentialBytes) > maxCredential {
		return nil, errorf(codeMalformed, "credential of %d bytes, at most %d", len(credentialBytes), maxCredential)
	}
	s, err := credential.Parse(bytes.Clone(credentialBytes))
	if err != nil {
		return nil, errorf(codeMalformed, "%v", err)
	}
	c := s.UnverifiedCredential()
	w.mu.Lock()
	defer w.mu.Unlock()
	creds := slices.DeleteFunc(slices.Clone(w.creds), func(o *credential.Signed) bool {
		return o.UnverifiedCredential().Profile == c.Profile
	})
	creds = append(creds, s)
	slices.SortFunc(creds, func(a, b *credential.Signed) int {
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
		Profile:  c.Profile.String(),
		IssuerID: c.Issuer,
		IssuedAt: c.IssuedAt.Unix(),
		Expires:  c.Expiry.Unix(),
		Claims:   ktpClaims(&c.Claims),
	}
}

// Count returns the number of credentials held.
func (w *Wallet) Count() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return int64(len(w.creds))
}

// At returns the credential at index i (0 ≤ i < Count, in profile order:
// full, travel, kai, age), or nil outside.
func (w *Wallet) At(i int64) *Credential {
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
// NextCode picks it. It returns an error (no_profile) when none does, and
// (invalid_argument) for an unknown claim key.
func (w *Wallet) ProfileFor(claims string) (string, error) {
	want, err := parseClaims(claims)
	if err != nil {
		return "", err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	p, err := w.choose(want)
	if err != nil {
		return "", err
	}
	return p.String(), nil
}

// choose picks the smallest credential carrying every claim of want (name
// and NIK when empty), the rule of qr.Request.Claims. w.mu is held.
func (w *Wallet) choose(want []credential.Claim) (credential.Profile, error) {
	if len(want) == 0 {
		want = []credential.Claim{credential.ClaimNIK, credential.ClaimName}
	}
	var best *credential.Signed
	for _, s := range w.creds {
		c := s.UnverifiedCredential()
		if !slices.ContainsFunc(want, func(cl credential.Claim) bool { return !c.Claims.Has(cl) }) &&
			(best == nil || len(s.Bytes()) < len(best.Bytes())) {
			best = s
		}
	}
	if best == nil {
		return 0, errorf(codeNoProfile, "no credential carries %v", want)
	}
	return best.UnverifiedCredential().Profile, nil
}

// NextCode makes a fresh live code (60 seconds) of the smallest credential
// that carries claims (as ProfileFor), for audience: AudienceKAI at a KAI
// gate, AudienceAirline at a check-in desk, "" where the scanner names none
// (an age check). Call it when the code is shown and again RefreshIn
// seconds later while it stays on screen. It asks the DeviceSigner for one
// signature. It returns an error (no_profile) when no credential fits,
// (invalid_argument) for an unknown claim or an audience over 64 bytes or
// not printable ASCII, and (signer) when the signer fails.
func (w *Wallet) NextCode(claims, audience string) (*Code, error) {
	want, err := parseClaims(claims)
	if err != nil {
		return nil, err
	}
	w.mu.Lock() // not held while the signer runs (it may wait for the user)
	p, err := w.choose(want)
	qw := w.qr
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return present(qw, qr.Request{Profile: p, Audience: audience})
}

// ShareCode makes a share code ("Bagikan Dokumen") of profile ("" for the
// smallest credential with name and NIK, what a share receiver needs) that
// lives lifetime seconds: ShareFiveMinutes or ShareOneHour, nothing else.
// Its errors are those of NextCode, and (invalid_argument) for another
// lifetime or an unknown profile.
func (w *Wallet) ShareCode(profile string, lifetime int64) (*Code, error) {
	if lifetime != ShareFiveMinutes && lifetime != ShareOneHour {
		return nil, errorf(codeInvalidArgument, "share lifetime %d s, want %d or %d", lifetime, ShareFiveMinutes, ShareOneHour)
	}
	var p credential.Profile
	if profile != "" {
		var ok bool
		if p, ok = credential.ParseProfile(profile); !ok {
			return nil, errorf(codeInvalidArgument, "unknown profile %q", profile)
		}
	}
	// The lock is not held while the signer runs: it may wait for the
	// user to authenticate.
	w.mu.Lock()
	var err error
	if p == 0 {
		p, err = w.choose(nil)
	} else if !slices.ContainsFunc(w.creds, func(s *credential.Signed) bool { return s.UnverifiedCredential().Profile == p }) {
		err = errorf(codeNoProfile, "profile %v not held", p)
	}
	qw := w.qr
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return present(qw, qr.Request{Profile: p, Lifetime: time.Duration(lifetime) * time.Second})
}

// present makes the code and its checked image.
func present(qw *qr.Wallet, req qr.Request) (*Code, error) {
	code, img, err := qw.PresentImage(req)
	if err != nil {
		var ce *codedError
		if errors.As(err, &ce) {
			return nil, ce // the device key's own error, with its code first
		}
		return nil, errorf(codeInvalidArgument, "%v", err)
	}
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, bilevel(img)); err != nil {
		return nil, errorf(codeInvalidArgument, "encoding the PNG: %v", err)
	}
	life := code.Expires.Unix() - code.IssuedAt.Unix()
	return &Code{
		Text:      code.Text,
		PNG:       buf.Bytes(),
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
