package credential

import (
	"crypto"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
)

var (
	// ErrMalformed reports bytes that are not a credential: not a
	// COSE_Sign1, a payload that is not canonical CBOR of the expected
	// shape, an unknown document type or profile, or impossible times.
	ErrMalformed = errors.New("credential: malformed")
	// ErrAlgorithm reports a protected alg that is missing, not ES256 or
	// EdDSA, or not the algorithm of the key the credential is checked
	// against.
	ErrAlgorithm = errors.New("credential: algorithm does not match key")
	// ErrBadSignature reports an issuer signature that does not verify.
	ErrBadSignature = errors.New("credential: bad issuer signature")
)

// Credential is the content of a verified credential (or, from
// [Signed.UnverifiedCredential], of one not yet verified).
type Credential struct {
	// Issuer is the iss claim: the issuing office's id in the trust list.
	Issuer string
	// IssuedAt and Expiry are the iat and exp claims.
	IssuedAt, Expiry time.Time
	// DeviceKey is the holder's device key from the cnf claim: only that
	// device can sign presentations of this credential.
	DeviceKey *ecdsa.PublicKey
	// Status is the credential's entry in its issuer's status list.
	Status StatusRef
	// Document is the document type.
	Document DocumentType
	// Profile is the disclosure profile.
	Profile Profile
	// Claims holds the claims the profile discloses.
	Claims KTP
}

// Signed is a credential as received: parsed and structurally checked, not
// yet verified. Its bytes are kept exactly as received, and the signature
// is checked over them.
type Signed struct {
	msg  *sign1.Message
	raw  []byte
	body payload
	cred Credential
}

// Parse decodes a signed credential (a tagged or untagged COSE_Sign1 whose
// payload is ikd's CWT claims set) without deciding trust: call
// [Signed.Verify] with the issuer key the trust list gives for
// [Signed.KeyID]. It returns an error wrapping [ErrMalformed] for input over
// limits.MaxMessage bytes, anything that is not strict canonical CBOR of the
// expected shape, a missing kid, an alg other than ES256 or EdDSA, an
// unknown document type or profile, a device key that is not a point on
// P-256, or expiry not after issued-at.
func Parse(data []byte) (*Signed, error) {
	if len(data) > limits.MaxMessage {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrMalformed, len(data), limits.MaxMessage)
	}
	msg, err := sign1.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if msg.Alg != sign1.ES256 && msg.Alg != sign1.EdDSA {
		return nil, fmt.Errorf("%w: alg %d not allowed", ErrAlgorithm, msg.Alg)
	}
	if len(msg.KeyID) == 0 || len(msg.KeyID) > 32 {
		return nil, fmt.Errorf("%w: kid missing or over 32 bytes", ErrMalformed)
	}
	s := &Signed{msg: msg, raw: data}
	if err := codec.Canonical(msg.Payload, &s.body); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	b := &s.body
	if !b.document().Valid() || !b.Profile.Valid() {
		return nil, fmt.Errorf("%w: no document claims, or profile %v", ErrMalformed, b.Profile)
	}
	if b.Issuer == "" || len(b.Issuer) > 32 {
		return nil, fmt.Errorf("%w: issuer id missing or over 32 bytes", ErrMalformed)
	}
	if b.IssuedAt <= 0 || b.Expiry <= b.IssuedAt {
		return nil, fmt.Errorf("%w: need 0 < iat < exp", ErrMalformed)
	}
	dev, err := b.Confirm.Key.publicKey()
	if err != nil {
		return nil, fmt.Errorf("%w: cnf: %v", ErrMalformed, err)
	}
	s.cred = Credential{
		Issuer:    b.Issuer,
		IssuedAt:  time.Unix(b.IssuedAt, 0).UTC(),
		Expiry:    time.Unix(b.Expiry, 0).UTC(),
		DeviceKey: dev,
		Status:    b.StatusRef,
		Document:  b.document(),
		Profile:   b.Profile,
		Claims:    *b.KTP,
	}
	return s, nil
}

// KeyID returns the protected kid header: the issuer key to look up in the
// trust list. An 8-byte kid can collide; try every candidate.
func (s *Signed) KeyID() []byte { return s.msg.KeyID }

// Algorithm returns the protected alg header (ES256 or EdDSA). It is a
// claim of the message: the key found in the trust list decides.
func (s *Signed) Algorithm() keys.Algorithm { return s.msg.Alg }

// Bytes returns the credential exactly as received.
func (s *Signed) Bytes() []byte { return s.raw }

// UnverifiedCredential returns the credential's content before any
// signature check.
//
// SAFETY: nothing in it is trustworthy until [Signed.Verify] has succeeded
// with a trusted key. Use it only to find the key or to show a diagnostic.
func (s *Signed) UnverifiedCredential() *Credential {
	c := s.cred
	return &c
}

// Verify checks the issuer signature over the bytes as received with pub,
// an issuer key from the trust list, and then checks the claims against
// the profile. The algorithm is the key's (P-256 → ES256, Ed25519 → EdDSA)
// and must equal the protected alg. It returns an error wrapping
// [ErrAlgorithm] or [ErrBadSignature], or a [*ValidationError] when a
// correctly signed credential carries claims that contradict each other or
// its profile (for example a NIK whose birth date differs from the birth
// date claim). Verify does not look at the clock: expiry and key validity
// are the verifier's decisions.
func (s *Signed) Verify(pub crypto.PublicKey) (*Credential, error) {
	alg, ok := algorithmFor(pub)
	if !ok || alg != s.msg.Alg {
		return nil, ErrAlgorithm
	}
	if err := s.msg.Verify(alg, pub, nil); err != nil {
		if errors.Is(err, sign1.ErrAlgorithm) {
			return nil, ErrAlgorithm
		}
		return nil, ErrBadSignature
	}
	if err := s.cred.Claims.Validate(s.cred.Profile); err != nil {
		return nil, err
	}
	return s.UnverifiedCredential(), nil
}
