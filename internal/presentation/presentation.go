// Package presentation is the wire format of an ikd presentation, shared by
// the wallet (package qr) and the verifier (package verify): a COSE_Sign1
// (RFC 9052) by the device key over [credential, iat, ttl, nonce,
// audience?], and its QR text form "IKD1:" + base45 (RFC 9285). See
// docs/wire-format.md.
//
// Nothing here decides trust: [Parse] checks structure and
// [Presentation.VerifyDevice] the device signature; the verifier checks the
// issuer, the times, replay, status and policy.
package presentation

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
)

// Lifetimes of a presentation.
const (
	// DefaultLifetime is the lifetime of a live presentation (qr.DefaultLifetime).
	DefaultLifetime = 60 * time.Second
	// MaxLifetime is the longest lifetime the wire format carries. A
	// verifier's policy decides what it accepts (live scanners: 60 s).
	MaxLifetime = 24 * time.Hour
)

// NonceSize is the size of a presentation's random nonce in bytes. The
// nonce makes every presentation unique, even two made in the same second
// by a device whose ECDSA signatures are deterministic. It is not a
// secret and not a challenge: only the device can sign, so it need only
// make an accidental repeat by one device within one lifetime unlikely,
// and 48 random bits next to a timestamp do that (2^-48 per pair). Each
// byte is 1.5 characters of QR text, and the KAI code must fit version 12.
const NonceSize = 6

// maxAudience caps the audience/purpose string, in bytes.
const maxAudience = 64

// validAudience reports whether aud may name an audience: at most 64
// bytes of printable ASCII (space to tilde), not starting or ending with a
// space. Why so narrow: the audience is shown to gate operators and written
// to logs, so a newline, an ANSI escape or a bidi override in it could
// print a fake verdict; audiences are short codes ("KAI", "GA-CGK").
func validAudience(aud string) bool {
	if len(aud) > maxAudience || strings.TrimSpace(aud) != aud {
		return false
	}
	for i := 0; i < len(aud); i++ {
		if aud[i] < 0x20 || aud[i] > 0x7e {
			return false
		}
	}
	return true
}

var (
	// ErrMalformed reports a presentation that is not well formed.
	ErrMalformed = errors.New("qr: malformed presentation")
	// ErrDeviceSignature reports a presentation whose device signature does
	// not verify against the device key in its credential.
	ErrDeviceSignature = errors.New("qr: bad device signature")
	// ErrDevice reports a device signer that does not hold the key the
	// credential is bound to, or is not a P-256 key.
	ErrDevice = errors.New("wrong device key")
	// ErrOptions reports unusable presentation options.
	ErrOptions = errors.New("qr: invalid presentation options")
)

// Options tune a presentation. The zero value gives a live 60-second
// presentation for no particular audience, with the system clock and
// crypto/rand.
type Options struct {
	// Lifetime is how long the presentation is valid: DefaultLifetime for a
	// live QR, 5 minutes or an hour in share mode. At most
	// MaxLifetime, in whole seconds. Zero means DefaultLifetime.
	Lifetime time.Duration
	// Audience optionally names who the presentation is for, or why (for
	// example "KAI" or "GA-CGK"); at most 64 bytes. A verifier whose policy
	// names an audience rejects presentations for another one.
	Audience string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of the nonce; nil means crypto/rand. (ECDSA
	// signatures draw their own randomness from the system: Go 1.26
	// ignores a caller's source for them.)
	Rand io.Reader
}

func (o *Options) lifetime() (time.Duration, error) {
	if o == nil || o.Lifetime == 0 {
		return DefaultLifetime, nil
	}
	if o.Lifetime < time.Second || o.Lifetime > MaxLifetime || o.Lifetime%time.Second != 0 {
		return 0, fmt.Errorf("%w: lifetime %v not whole seconds in 1s..%v", ErrOptions, o.Lifetime, MaxLifetime)
	}
	return o.Lifetime, nil
}

func (o *Options) now() time.Time {
	if o == nil || o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *Options) rand() io.Reader {
	if o == nil || o.Rand == nil {
		return rand.Reader
	}
	return o.Rand
}

// body is the device-signed payload of a presentation: the shape of
// SD-CWT's key-binding token, as a CBOR array to save the map keys:
//
//	[credential, iat, ttl, nonce]            or
//	[credential, iat, ttl, nonce, audience]
//
// credential is the issuer-signed COSE_Sign1, embedded as a CBOR item
// (untagged) rather than wrapped in a byte string: the issuer signature
// covers the protected header and payload byte strings inside it, which
// stay exactly as issued. iat is in Unix seconds, ttl in seconds.
type body struct {
	credential cbor.RawMessage
	issuedAt   int64
	ttl        int64
	nonce      []byte
	audience   string
}

func (b *body) marshal() ([]byte, error) {
	items := []any{b.credential, b.issuedAt, b.ttl, b.nonce}
	if b.audience != "" {
		items = append(items, b.audience)
	}
	return codec.Marshal(items)
}

// unmarshal reads the payload in one pass over its bytes with the
// canonical codec.Reader, so that a payload that decodes is in canonical
// form: shortest heads, definite lengths, no tags (the embedded credential
// is untagged), and no empty audience (which the encoder leaves out).
// The credential and nonce are sub-slices of data.
func (b *body) unmarshal(data []byte) error {
	r := codec.NewReader(data)
	n, err := r.Array()
	if err != nil {
		return err
	}
	if n != 4 && n != 5 {
		return fmt.Errorf("%d items, want 4 or 5", n)
	}
	if b.credential, err = r.Skip(); err != nil {
		return fmt.Errorf("credential: %w", err)
	}
	if b.issuedAt, err = r.Int(); err != nil {
		return fmt.Errorf("iat: %w", err)
	}
	if b.ttl, err = r.Int(); err != nil {
		return fmt.Errorf("ttl: %w", err)
	}
	if b.nonce, err = r.Bytes(); err != nil {
		return fmt.Errorf("nonce: %w", err)
	}
	if n == 5 {
		aud, err := r.Text()
		if err != nil {
			return fmt.Errorf("audience: %w", err)
		}
		if len(aud) == 0 {
			return errors.New("empty audience must be left out")
		}
		b.audience = string(aud)
	}
	return r.Done()
}

// untagged strips the COSE_Sign1 tag: inside a presentation the position
// says what the item is, and the tag is not covered by the signature.
func untagged(cred []byte) []byte {
	if len(cred) > 0 && cred[0] == 0xd2 {
		return cred[1:]
	}
	return cred
}

// New builds a presentation of the signed credential cred,
// signed by device, the wallet's device key (P-256, typically in Android
// Keystore or the iOS Secure Enclave behind crypto.Signer). The device key
// must be the one the credential is bound to. It returns the presentation's
// CBOR bytes; [Encode] turns them into QR text.
//
// It returns an error wrapping [ErrDevice] when device does not hold the
// credential's key, [ErrOptions] for bad options, and credential.ErrMalformed
// when cred does not parse. It does not check the issuer signature (the
// wallet received cred from the issuer over an authenticated channel).
func New(cred []byte, device crypto.Signer, opts *Options) ([]byte, error) {
	signed, err := credential.Parse(cred)
	if err != nil {
		return nil, err
	}
	return Sign(signed, device, opts)
}

// Sign is [New] for a credential the caller has already parsed (the
// wallet holds its credentials parsed).
func Sign(signed *credential.Signed, device crypto.Signer, opts *Options) ([]byte, error) {
	if err := CheckDevice(signed, device); err != nil {
		return nil, err
	}
	ttl, err := opts.lifetime()
	if err != nil {
		return nil, err
	}
	var aud string
	if opts != nil {
		aud = opts.Audience
	}
	if !validAudience(aud) {
		return nil, fmt.Errorf("%w: audience must be at most %d bytes of printable ASCII", ErrOptions, maxAudience)
	}
	now := opts.now().Unix()
	if now <= 0 {
		return nil, fmt.Errorf("%w: clock before 1970", ErrOptions)
	}
	nonce := make([]byte, NonceSize)
	if _, err := io.ReadFull(opts.rand(), nonce); err != nil {
		return nil, fmt.Errorf("qr: reading nonce: %w", err)
	}
	b := body{
		credential: untagged(signed.Bytes()),
		issuedAt:   now,
		ttl:        int64(ttl / time.Second),
		nonce:      nonce,
		audience:   aud,
	}
	payload, err := b.marshal()
	if err != nil {
		return nil, fmt.Errorf("qr: encoding presentation: %v", err)
	}
	// Untagged: the text prefix already says what this is.
	return sign1.SignUntagged(opts.rand(), device, sign1.ES256, nil, payload)
}

// CheckDevice returns an error wrapping [ErrDevice] unless device is a
// P-256 signer holding the key that signed credential is bound to.
func CheckDevice(signed *credential.Signed, device crypto.Signer) error {
	if device == nil {
		return fmt.Errorf("%w: no device key", ErrDevice)
	}
	pub, ok := device.Public().(*ecdsa.PublicKey)
	if !ok || pub == nil || pub.Curve != elliptic.P256() {
		return fmt.Errorf("%w: device key is %T, want P-256", ErrDevice, device.Public())
	}
	if !pub.Equal(signed.UnverifiedCredential().DeviceKey) {
		return ErrDevice
	}
	return nil
}

// labels are the protected header labels of a presentation: alg only
// (docs/wire-format.md: the protected header is exactly h'A10126').
const labels = sign1.LabelAlg

// Presentation is a presentation as received by a scanner: parsed and
// structurally checked, signatures not yet verified. The verify package
// makes the trust decisions; this type gives it the facts.
type Presentation struct {
	msg  *sign1.Message
	body body
	cred *credential.Signed
	raw  []byte
}

// Parse decodes presentation bytes (from [Decode]) without
// deciding trust. It returns an error wrapping [ErrMalformed] for anything
// that is not an untagged COSE_Sign1 whose protected header is {alg: ES256}
// and nothing else,
// whose payload is the canonical array [credential, iat, ttl, nonce,
// audience?] with iat > 0, ttl in 1 s..MaxLifetime, a 6-byte nonce and
// an audience of at most 64 bytes; errors from credential.Parse for the
// embedded credential are wrapped too (errors.Is finds
// credential.ErrMalformed).
func Parse(data []byte) (*Presentation, error) {
	if len(data) > limits.MaxMessage {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrMalformed, len(data), limits.MaxMessage)
	}
	if len(data) > 0 && data[0] == 0xd2 {
		return nil, fmt.Errorf("%w: tagged", ErrMalformed)
	}
	msg, err := sign1.Parse(data, labels)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if msg.Alg != sign1.ES256 {
		return nil, fmt.Errorf("%w: protected header must be {alg: ES256}", ErrMalformed)
	}
	p := &Presentation{msg: msg, raw: data}
	if err := p.body.unmarshal(msg.Payload); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	b := &p.body
	if b.issuedAt <= 0 || b.issuedAt > limits.MaxTime || b.ttl < 1 || b.ttl > int64(MaxLifetime/time.Second) {
		return nil, fmt.Errorf("%w: iat %d, ttl %d", ErrMalformed, b.issuedAt, b.ttl)
	}
	if len(b.nonce) != NonceSize {
		return nil, fmt.Errorf("%w: nonce of %d bytes", ErrMalformed, len(b.nonce))
	}
	if !validAudience(b.audience) {
		return nil, fmt.Errorf("%w: audience over %d bytes or not printable ASCII", ErrMalformed, maxAudience)
	}
	if len(b.credential) > 0 && b.credential[0] == 0xd2 {
		return nil, fmt.Errorf("%w: embedded credential must be untagged", ErrMalformed)
	}
	if p.cred, err = credential.Parse(b.credential); err != nil {
		return nil, fmt.Errorf("%w: credential: %w", ErrMalformed, err)
	}
	return p, nil
}

// Credential returns the embedded credential, parsed but not verified.
func (p *Presentation) Credential() *credential.Signed { return p.cred }

// IssuedAt returns when the device made the presentation (by the phone's
// clock, which the verifier does not trust blindly).
func (p *Presentation) IssuedAt() time.Time { return time.Unix(p.body.issuedAt, 0).UTC() }

// Lifetime returns how long the presentation says it is valid.
func (p *Presentation) Lifetime() time.Duration { return time.Duration(p.body.ttl) * time.Second }

// Expires returns IssuedAt + Lifetime.
func (p *Presentation) Expires() time.Time { return p.IssuedAt().Add(p.Lifetime()) }

// Nonce returns the presentation's random nonce.
func (p *Presentation) Nonce() []byte { return p.body.nonce }

// Audience returns the audience/purpose the wallet named, or "".
func (p *Presentation) Audience() string { return p.body.audience }

// Bytes returns the presentation exactly as received.
func (p *Presentation) Bytes() []byte { return p.raw }

// ReplayKey returns a digest that identifies the presentation for replay
// detection: SHA-256 over the device-signed payload. It deliberately
// leaves the signature out: an ECDSA signature (r, s) has a twin (r, n−s)
// that verifies too, so keying on the signature bytes would let a replayed
// screenshot pass as new.
func (p *Presentation) ReplayKey() [32]byte { return sha256.Sum256(p.msg.Payload) }

// VerifyDevice checks the device signature over the bytes as received
// against the device key in the embedded credential's cnf claim. It returns
// [ErrDeviceSignature] when it does not verify. On its own this proves only
// that the holder of that key made the presentation: the verifier must also
// check the credential's issuer signature, which binds the key to the
// person.
func (p *Presentation) VerifyDevice() error {
	dev := p.cred.UnverifiedCredential().DeviceKey
	if err := p.msg.Verify(sign1.ES256, dev, nil); err != nil {
		return ErrDeviceSignature
	}
	return nil
}
