package credential

import (
	"crypto"
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/ident"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
)

// maxKeyID is the longest protected kid Parse accepts, in bytes. keys.KeyID
// makes 8; the cap keeps a hostile header small.
const maxKeyID = 32

// Credential is the content of a verified credential (or, from
// [Signed.UnverifiedCredential], of one not yet verified).
type Credential struct {
	// Issuer is the iss claim: the issuing office's id in the trust list.
	Issuer string
	// IssuedAt and Expiry are the iat and exp claims, in UTC.
	IssuedAt, Expiry time.Time
	// DeviceKey is the holder's device key from the cnf claim: only that
	// device can sign presentations of this credential.
	DeviceKey *ecdsa.PublicKey
	// Status is the credential's entry in its issuer's status list.
	Status StatusRef
	// Profile is the disclosure profile.
	Profile Profile
	// Claims holds the claims the profile discloses, for a KTP profile;
	// it is the zero KTP for the other documents.
	Claims KTP
	// KK holds the Kartu Keluarga claims of a KK profile, and is nil
	// otherwise.
	KK *KK
	// BirthCertificate holds the Akta Kelahiran claims of an Akta profile,
	// and is nil otherwise.
	BirthCertificate *BirthCertificate
}

// Signed is a credential as received: parsed and structurally checked, not
// yet verified. Its bytes are kept exactly as received, and the signature
// is checked over them. A Signed is safe for concurrent use.
type Signed struct {
	msg  *sign1.Message
	raw  []byte
	cred Credential
}

// labels are the protected header labels of a credential: alg and kid,
// nothing else (docs/wire-format.md). Without typ, which only a status list
// token carries, neither can pass for the other.
const labels = sign1.LabelAlg | sign1.LabelKID

// Parse decodes a signed credential (a tagged or untagged COSE_Sign1 whose
// payload is ikd's CWT claims set) without deciding trust: look the issuer
// key up in the trust list by [Signed.UnverifiedKeyID], then call
// [Signed.Verify] with it.
//
// Parse checks structure only. It returns an error wrapping [ErrMalformed]
// for input over limits.MaxMessage bytes; anything that is not strict
// canonical CBOR of the expected shape (see docs/wire-format.md); a missing
// protected alg; a protected header label other than alg and kid; a kid
// missing or over 32 bytes; an unknown profile; an
// issuer id that is not 1 to 32 bytes of A-Z, a-z, 0-9, '.', '_', '-'; a
// device key that is not a point on P-256; or an expiry not after the issue
// time. It accepts any integer alg: [Signed.Verify] compares it with the
// trusted key's.
func Parse(data []byte) (*Signed, error) {
	if len(data) > limits.MaxMessage {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrMalformed, len(data), limits.MaxMessage)
	}
	msg, err := sign1.Parse(data, labels)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if msg.Alg == 0 {
		return nil, fmt.Errorf("%w: no protected alg", ErrMalformed)
	}
	if len(msg.KeyID) == 0 || len(msg.KeyID) > maxKeyID {
		return nil, fmt.Errorf("%w: kid missing or over %d bytes", ErrMalformed, maxKeyID)
	}
	p, err := decodePayload(msg.Payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if !p.Profile.valid() {
		return nil, fmt.Errorf("%w: profile %v", ErrMalformed, p.Profile)
	}
	if !ident.ValidIssuerID(p.Issuer) {
		return nil, fmt.Errorf("%w: invalid issuer id", ErrMalformed)
	}
	if p.IssuedAt <= 0 || p.Expiry <= p.IssuedAt || p.Expiry > limits.MaxTime {
		return nil, fmt.Errorf("%w: need 0 < iat < exp <= %d", ErrMalformed, int64(limits.MaxTime))
	}
	return &Signed{msg: msg, raw: data, cred: Credential{
		Issuer:    p.Issuer,
		IssuedAt:  time.Unix(p.IssuedAt, 0).UTC(),
		Expiry:    time.Unix(p.Expiry, 0).UTC(),
		DeviceKey: p.DeviceKey,
		Status:    p.Status,
		Profile:   p.Profile,
		Claims:    p.Claims,
		KK:        p.KK,

		BirthCertificate: p.Birth,
	}}, nil
}

// UnverifiedKeyID returns the protected kid header: the issuer key to look
// up in the trust list. An 8-byte kid can collide; try every candidate.
//
// SAFETY: the kid is a claim of the message; only [Signed.Verify] with a
// trusted key makes the credential trustworthy.
func (s *Signed) UnverifiedKeyID() []byte { return append([]byte(nil), s.msg.KeyID...) }

// UnverifiedAlgorithm returns the protected alg header, which may be any
// integer, ES256 and EdDSA among them.
//
// SAFETY: the algorithm is a claim of the message: the key found in the
// trust list decides, and [Signed.Verify] refuses a mismatch.
func (s *Signed) UnverifiedAlgorithm() keys.Algorithm { return s.msg.Alg }

// Bytes returns the credential exactly as received. The caller must not
// modify it.
func (s *Signed) Bytes() []byte { return s.raw }

// UnverifiedCredential returns the credential's content before any
// signature check, as a fresh copy.
//
// SAFETY: nothing in it is trustworthy until [Signed.Verify] has succeeded
// with a trusted key. Use it only to find the key or to show a diagnostic.
func (s *Signed) UnverifiedCredential() *Credential {
	c := s.cred
	if c.Claims.Address != nil {
		a := *c.Claims.Address
		c.Claims.Address = &a
	}
	if c.Claims.Over17 != nil {
		b := *c.Claims.Over17
		c.Claims.Over17 = &b
	}
	c.KK = c.KK.clone()
	if c.BirthCertificate != nil {
		b := *c.BirthCertificate
		c.BirthCertificate = &b
	}
	return &c
}

// Verify checks the issuer signature over the bytes as received (RFC 9052
// §4.4) with pub, an issuer key from the trust list, and then checks the
// claims against the profile with [KTP.Validate], [KK.Validate] or
// [BirthCertificate.Validate] for the profile's document.
//
// The algorithm is the key's (P-256 → ES256, Ed25519 → EdDSA) and must
// equal the protected alg. Verify returns [ErrBadSignature] itself, with
// nothing added, when pub is not such a key, the algorithms differ or the
// signature does not verify; and a [*ValidationError] when a correctly
// signed credential carries claims that contradict each other or its
// profile (for example a NIK whose birth date differs from the birth date
// claim). Verify does not look at the clock: expiry, key validity and
// revocation are the verifier's decisions.
func (s *Signed) Verify(pub crypto.PublicKey) (*Credential, error) {
	alg, ok := sign1.KeyAlgorithm(pub)
	if !ok || alg != s.msg.Alg {
		return nil, ErrBadSignature
	}
	if err := s.msg.Verify(alg, pub, nil); err != nil {
		return nil, ErrBadSignature
	}
	var err error
	switch p := s.cred.Profile; p.Document() {
	case DocumentKK:
		err = s.cred.KK.Validate(p)
	case DocumentBirthCertificate:
		err = s.cred.BirthCertificate.Validate(p)
	default:
		err = s.cred.Claims.Validate(p)
	}
	if err != nil {
		return nil, err
	}
	return s.UnverifiedCredential(), nil
}
