package qr

import (
	"crypto"
	"errors"
	"fmt"
	"image"
	"io"
	"time"

	"github.com/ikdgo/ikd/credential"
)

// ErrNoProfile reports that none of the wallet's credentials carries every
// claim a request asks for.
var ErrNoProfile = errors.New("qr: no credential satisfies the request")

// maxRenderAttempts bounds the wallet's read-back loop. With gozxing
// failing to read about 5% of clean ~700-character codes, eight fresh
// nonces all failing has a probability near 0.05^8.
const maxRenderAttempts = 8

// Request is what a verifier asks the wallet to show.
type Request struct {
	// Claims lists the claims the verifier needs; the wallet shows the
	// smallest credential that carries them all. Empty means the smallest
	// identifying profile, ProfileKAI (name and NIK).
	Claims []credential.Claim
	// Audience optionally names the verifier or purpose (see
	// Options.Audience).
	Audience string
	// Lifetime is DefaultLifetime when zero; ShareFiveMinutes or
	// ShareOneHour in share mode.
	Lifetime time.Duration
}

// Code is one fresh presentation, ready to show.
type Code struct {
	// Text is the QR text ([Prefix] + base45).
	Text string
	// Profile is the disclosure profile shown.
	Profile credential.Profile
	// IssuedAt and Expires bound its validity; show a countdown to Expires
	// and make a new Code well before it (every ~30 s for a live code).
	IssuedAt, Expires time.Time
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

// WalletOption configures a [Wallet].
type WalletOption func(*Wallet) error

// WithClock sets the wallet's clock (default time.Now).
func WithClock(now func() time.Time) WalletOption {
	return func(w *Wallet) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrOptions)
		}
		w.now = now
		return nil
	}
}

// WithRand sets the wallet's source of nonces (default crypto/rand). ECDSA
// signatures draw their own randomness from the system (Go 1.26 ignores a
// caller's source for them), so presentations differ even with a fixed
// source.
func WithRand(r io.Reader) WalletOption {
	return func(w *Wallet) error {
		if r == nil {
			return fmt.Errorf("%w: nil random source", ErrOptions)
		}
		w.rand = r
		return nil
	}
}

// NewWallet returns a wallet for the device key device (P-256) holding the
// signed credentials creds (one per disclosure profile, as issued). Every
// credential must parse and be bound to device's key: an error wrapping
// credential.ErrMalformed or [ErrDevice] says which does not.
func NewWallet(device crypto.Signer, creds [][]byte, opts ...WalletOption) (*Wallet, error) {
	w := &Wallet{device: device, now: time.Now}
	for _, o := range opts {
		if err := o(w); err != nil {
			return nil, err
		}
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("%w: no credentials", ErrOptions)
	}
	for i, raw := range creds {
		s, err := credential.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("qr: credential %d: %w", i, err)
		}
		if err := checkDevice(s, device); err != nil {
			return nil, fmt.Errorf("qr: credential %d: %w", i, err)
		}
		w.creds = append(w.creds, s)
	}
	return w, nil
}

// Profiles returns the profiles the wallet holds.
func (w *Wallet) Profiles() []credential.Profile {
	out := make([]credential.Profile, len(w.creds))
	for i, c := range w.creds {
		out[i] = c.UnverifiedCredential().Profile
	}
	return out
}

// choose returns the smallest held credential carrying every claim.
func (w *Wallet) choose(claims []credential.Claim) (*credential.Signed, error) {
	if len(claims) == 0 {
		claims = []credential.Claim{credential.ClaimNIK, credential.ClaimName}
	}
	for _, p := range credential.Profiles { // smallest first
		for _, s := range w.creds {
			c := s.UnverifiedCredential()
			if c.Profile != p {
				continue
			}
			ok := true
			for _, want := range claims {
				if !c.Claims.Has(want) {
					ok = false
					break
				}
			}
			if ok {
				return s, nil
			}
		}
	}
	return nil, fmt.Errorf("%w: %v", ErrNoProfile, claims)
}

// Present makes a fresh presentation of the smallest credential that
// satisfies req, with a new nonce and the current time. Call it whenever
// the QR is shown and about every 30 seconds while it stays on screen.
func (w *Wallet) Present(req Request) (*Code, error) {
	s, err := w.choose(req.Claims)
	if err != nil {
		return nil, err
	}
	return w.present(s, req)
}

// PresentProfile is [Wallet.Present] for a named profile.
func (w *Wallet) PresentProfile(p credential.Profile, req Request) (*Code, error) {
	for _, s := range w.creds {
		if s.UnverifiedCredential().Profile == p {
			return w.present(s, req)
		}
	}
	return nil, fmt.Errorf("%w: profile %v not held", ErrNoProfile, p)
}

func (w *Wallet) present(s *credential.Signed, req Request) (*Code, error) {
	now := w.now()
	data, err := newPresentation(s, w.device, &Options{
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
		Text:     Encode(data),
		Profile:  s.UnverifiedCredential().Profile,
		IssuedAt: issued,
		Expires:  issued.Add(lifetime),
	}, nil
}

// PresentImage is [Wallet.Present] followed by rendering, with the
// read-back rule: every image is scanned before it is returned, and if it
// does not read back to its text, a fresh presentation (new nonce, so a
// different bit pattern) is made and rendered instead. It returns an error
// wrapping [ErrUnreadable] only if eight attempts in a row fail.
func (w *Wallet) PresentImage(req Request, opts *RenderOptions) (*Code, *image.Gray, error) {
	s, err := w.choose(req.Claims)
	if err != nil {
		return nil, nil, err
	}
	var lastErr error
	for range maxRenderAttempts {
		code, err := w.present(s, req)
		if err != nil {
			return nil, nil, err
		}
		img, err := renderChecked(code.Text, opts)
		if err == nil {
			return code, img, nil
		}
		if !errors.Is(err, ErrUnreadable) {
			return nil, nil, err
		}
		lastErr = err
	}
	return nil, nil, fmt.Errorf("qr: %d renderings did not read back: %w", maxRenderAttempts, lastErr)
}
