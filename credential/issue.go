package credential

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/ident"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/statuslist"
)

// errIssuer and errRequest report an unusable issuer or request; invalid
// claims are a *ValidationError instead. They are not exported: a caller
// fixes its code, it does not branch on them. export_test.go hands them to
// the tests.
var (
	errIssuer  = errors.New("credential: invalid issuer")
	errRequest = errors.New("credential: invalid request")
)

// Issuer signs credentials and status lists for one issuing office: the
// national Dukcapil (Direktorat Jenderal Kependudukan dan Pencatatan Sipil)
// or a regional Disdukcapil. Make one with [NewIssuer]. An Issuer is safe
// for concurrent use if its crypto.Signer is.
type Issuer struct {
	id     string
	signer crypto.Signer
	alg    keys.Algorithm
	kid    []byte
}

// NewIssuer returns the issuer with id and key signer.
//
// id is the issuer id written to every credential's iss claim and status
// list, for example "3171" (the regency/city code of Disdukcapil Jakarta
// Pusat); it must match the issuer's entry in the trust list and be 1 to 32
// bytes of A-Z, a-z, 0-9, '.', '_' and '-'.
//
// signer holds the issuer's private key and may live in an HSM. Its public
// key decides the algorithm, never a free choice: a P-256 key signs ES256,
// an Ed25519 key EdDSA (RFC 9053 §2). The COSE kid is keys.KeyID of the
// public key, which is what the trust list gives scanners. ECDSA signatures
// take their randomness from crypto/rand; Ed25519 signatures are
// deterministic.
//
// NewIssuer returns an error for an invalid id, a nil signer or a key that
// is neither P-256 nor Ed25519.
func NewIssuer(id string, signer crypto.Signer) (*Issuer, error) {
	if !ident.ValidIssuerID(id) {
		return nil, fmt.Errorf("%w: issuer id must be 1 to %d bytes of A-Z a-z 0-9 . _ -", errIssuer, ident.MaxIssuerID)
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: nil signer", errIssuer)
	}
	pub := signer.Public()
	alg, err := keys.AlgorithmOf(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errIssuer, err)
	}
	kid, err := keys.KeyID(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errIssuer, err)
	}
	return newIssuer(id, signer, alg, kid), nil
}

// newIssuer is NewIssuer with the checks done and the kid given. The
// golden tests use it (through export_test.go) to keep the fixed kids their
// vectors were made with.
func newIssuer(id string, signer crypto.Signer, alg keys.Algorithm, kid []byte) *Issuer {
	return &Issuer{id: id, signer: signer, alg: alg, kid: bytes.Clone(kid)}
}

// maxShown is the largest presentation, in bytes, that a wallet can draw:
// a version 40 QR code at ECC M, the level qr.Render uses, holds 3,391
// alphanumeric characters, which is "IKD1:" and the base45 of 2,257
// bytes. A verifier accepts more (limits.MaxText, version 40 at ECC L),
// but a credential is signed only if the wallet's own QR can carry it.
const maxShown = 2257

// maxPayload is the largest credential payload Issue signs, in bytes: what
// leaves room, within maxShown, for the COSE envelope (tag, headers,
// signature: under 100 bytes) and the presentation around it (device
// signature, times, nonce, an audience of 64 bytes: under 160). Only a
// Kartu Keluarga of many members comes near it in kk-full; the issuer
// refuses rather than sign a credential no wallet could show.
const maxPayload = maxShown - 256

// Request is what an issuer signs for one person and one device.
type Request struct {
	// Claims is the person's complete record; it must pass
	// Validate(ProfileFull). Each profile's credential carries its part.
	// It is ignored when KK or BirthCertificate is set.
	Claims KTP
	// KK, if set, is a complete Kartu Keluarga to sign instead of a KTP;
	// it must pass Validate(ProfileKKFull). The device key and status
	// entry are the holder's, the same as for their KTP.
	KK *KK
	// BirthCertificate, if set, is a complete Akta Kelahiran to sign
	// instead of a KTP; it must pass Validate(ProfileAktaFull). At most one
	// of KK and BirthCertificate may be set.
	BirthCertificate *BirthCertificate
	// DeviceKey is the public key of the wallet's device key (P-256, held
	// in Android Keystore or the iOS Secure Enclave). Every credential of
	// the request is bound to it.
	DeviceKey *ecdsa.PublicKey
	// Status is the device's entry in the issuer's status list.
	Status StatusRef
	// IssuedAt and Expiry bound the credentials' validity, in whole seconds
	// (fractions are dropped). The age profile's over-17 flag is computed
	// on IssuedAt's calendar day in IssuedAt's location.
	IssuedAt, Expiry time.Time
	// Profiles lists the disclosure profiles to sign, each at most once
	// and all of the request's document; empty means all of them: full,
	// travel, kai and age for a KTP; kk-full, kk-members and kk-school
	// for a KK; akta-full and akta-school for an Akta Kelahiran. When it
	// is empty, a profile whose credential would be too large for a QR
	// code (kk-full of a large household) is left out, and the returned
	// [Issued] list says which profiles were signed; a profile named here
	// that is too large is an error.
	Profiles []Profile
}

// StatusRef points at a credential's entry in its issuer's revocation status
// list (draft-ietf-oauth-status-list): list List of the credential's issuer,
// entry Index. Indices are drawn at random by the issuer (status.Allocator)
// and each device gets its own. On the wire it is the CBOR array
// [List, Index].
type StatusRef struct {
	// List is the issuer's status list number.
	List uint32
	// Index is the entry in that list.
	Index uint32
}

// Issued is one signed credential.
type Issued struct {
	// Profile is the disclosure profile the credential carries.
	Profile Profile
	// Bytes is the tagged COSE_Sign1 (RFC 9052 §4.2), protected header
	// {alg, kid}, whose payload is the CWT claims set (RFC 8392).
	Bytes []byte
}

// Issue validates req and signs one credential per requested profile, in
// the order requested, all bound to req.DeviceKey and req.Status;
// [ProfileKKSchool] makes one credential per child of the household
// (each [RelationshipAnak] member, in card order), none for a household
// without children. It returns a [*ValidationError] listing every problem
// with the document (see [KTP.Validate], [KK.Validate],
// [BirthCertificate.Validate]), or another error for a request that
// cannot be signed: a device key that is not a P-256 point, an issue time
// not after 1970 or an expiry not after it, an unknown or repeated
// profile or one of another document, both KK and BirthCertificate set, a
// document dated after IssuedAt's day (its issue date, or an Akta's
// birth: a [*ValidationError]), a named profile whose credential would be
// too large for the wallet's QR
// code (an error wrapping [ErrInvalidValue]; with Profiles empty such a
// profile is left out instead). Nothing is signed unless everything is
// valid.
func (iss *Issuer) Issue(req *Request) ([]Issued, error) {
	if iss == nil || iss.signer == nil {
		return nil, fmt.Errorf("%w: not made by NewIssuer", errIssuer)
	}
	if req == nil {
		return nil, fmt.Errorf("%w: nil request", errRequest)
	}
	if _, err := newCOSEKey(req.DeviceKey); err != nil {
		return nil, fmt.Errorf("%w: %v", errRequest, err)
	}
	iat, exp := req.IssuedAt.Unix(), req.Expiry.Unix()
	if req.IssuedAt.IsZero() || iat <= 0 || exp <= iat || exp > limits.MaxTime {
		return nil, fmt.Errorf("%w: need 1970 < issued-at < expiry <= 9999-12-31T23:59:59Z", errRequest)
	}
	doc := DocumentKTP
	switch {
	case req.KK != nil && req.BirthCertificate != nil:
		return nil, fmt.Errorf("%w: a request signs one document, not a KK and an Akta Kelahiran", errRequest)
	case req.KK != nil:
		doc = DocumentKK
	case req.BirthCertificate != nil:
		doc = DocumentBirthCertificate
	}
	profiles := req.Profiles
	if len(profiles) == 0 {
		profiles = profilesOf(doc)
	}
	seen := map[Profile]bool{}
	for _, p := range profiles {
		if p.Document() != doc || seen[p] {
			return nil, fmt.Errorf("%w: profile %v unknown, repeated or not of document %v", errRequest, p, doc)
		}
		seen[p] = true
	}
	var err error
	switch doc {
	case DocumentKK:
		err = req.KK.Validate(ProfileKKFull)
	case DocumentBirthCertificate:
		err = req.BirthCertificate.Validate(ProfileAktaFull)
	default:
		err = req.Claims.Validate(ProfileFull)
	}
	if err != nil {
		return nil, err
	}
	on := dateOf(req.IssuedAt)
	if err := notAfter(on, req.KK, req.BirthCertificate); err != nil {
		return nil, err
	}
	var bodies []*payload
	for _, p := range profiles {
		base := payload{
			Issuer:    iss.id,
			IssuedAt:  iat,
			Expiry:    exp,
			DeviceKey: req.DeviceKey,
			Profile:   p,
			Status:    req.Status,
		}
		switch doc {
		case DocumentKK:
			for _, k := range projectKK(p, req.KK) {
				one := base
				one.KK = k
				bodies = append(bodies, &one)
			}
		case DocumentBirthCertificate:
			base.Birth = projectAkta(p, req.BirthCertificate)
			bodies = append(bodies, &base)
		default:
			base.Claims = p.project(&req.Claims, on)
			bodies = append(bodies, &base)
		}
	}
	// Every projection of a valid document is valid for its profile;
	// checking them all before the first signature costs little and keeps
	// a projection bug from ever being signed.
	for _, b := range bodies {
		var err error
		switch {
		case b.KK != nil:
			err = b.KK.Validate(b.Profile)
		case b.Birth != nil:
			err = b.Birth.Validate(b.Profile)
		}
		if err != nil {
			return nil, fmt.Errorf("credential: projecting %v: %v", b.Profile, err)
		}
	}
	encoded := make([][]byte, 0, len(bodies))
	kept := bodies[:0:0]
	for _, b := range bodies {
		body, err := encodePayload(b)
		if err != nil {
			return nil, fmt.Errorf("credential: encoding %v: %v", b.Profile, err)
		}
		if len(body) > maxPayload {
			if len(req.Profiles) == 0 {
				continue // the default set signs what fits
			}
			return nil, fmt.Errorf("%w: the %v credential would be %d bytes, more than the %d a QR code can carry: sign a smaller profile",
				ErrInvalidValue, b.Profile, len(body), maxPayload)
		}
		encoded = append(encoded, body)
		kept = append(kept, b)
	}
	if len(kept) == 0 && len(bodies) > 0 {
		return nil, fmt.Errorf("%w: no profile of the %v fits a QR code (%d bytes at most)", ErrInvalidValue, doc, maxPayload)
	}
	bodies = kept
	out := make([]Issued, 0, len(bodies))
	for i, b := range bodies {
		body := encoded[i]
		msg, err := sign1.Sign(rand.Reader, iss.signer, iss.alg, iss.kid, body)
		if err != nil {
			return nil, fmt.Errorf("credential: signing %v: %v", b.Profile, err)
		}
		out = append(out, Issued{Profile: b.Profile, Bytes: msg})
	}
	return out, nil
}

// SignStatusList signs l as the issuer's status list token t.ListID
// (draft-ietf-oauth-status-list §5.2): a CWT in a tagged COSE_Sign1 with the
// issuer's key and kid, whose subject is
// "urn:ikd:status:<issuer id>:<list id>" and whose status_list holds l's
// 2-bit entries, zlib-compressed. Scanners fetch it to check the
// [StatusRef] of the credentials the issuer signed; see docs/status.md.
//
// It returns an error for a nil list, a token without an issue time, an
// expiry not after it, or a TTL that is negative, not whole seconds or over
// 100 years.
// ECDSA signatures use crypto/rand.
func (iss *Issuer) SignStatusList(t status.Token, l *status.List) ([]byte, error) {
	if iss == nil || iss.signer == nil {
		return nil, fmt.Errorf("%w: not made by NewIssuer", errIssuer)
	}
	return statuslist.Sign(iss.signer, iss.alg, iss.kid, iss.id, t, l)
}

// notAfter returns a [*ValidationError] if a document's issue date or the
// birth it certifies is after day on, the day the credential is issued: a
// card cannot be signed before it exists.
func notAfter(on Date, k *KK, b *BirthCertificate) error {
	var ps problems
	if k != nil && on.before(k.IssueDate) {
		ps.add(ClaimKKIssueDate, ErrInvalidValue, "issued %v, after the credential's issue day %v", k.IssueDate, on)
	}
	if b != nil {
		if on.before(b.IssueDate) {
			ps.add(ClaimAktaIssueDate, ErrInvalidValue, "issued %v, after the credential's issue day %v", b.IssueDate, on)
		}
		if on.before(b.BirthDate) {
			ps.add(ClaimAktaBirthDate, ErrInvalidValue, "born %v, after the credential's issue day %v", b.BirthDate, on)
		}
	}
	return ps.err()
}
