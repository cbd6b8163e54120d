package credential

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
)

// ErrIssuer reports an unusable [Issuer] (no id, no key id, a key that is
// neither P-256 nor Ed25519).
var ErrIssuer = errors.New("credential: invalid issuer")

// ErrRequest reports an unusable [Request] (no device key, bad times,
// unknown profile) other than invalid claims, which are a
// [*ValidationError].
var ErrRequest = errors.New("credential: invalid request")

// Issuer signs credentials for one issuing office: the national Dukcapil
// (Direktorat Jenderal Kependudukan dan Pencatatan Sipil) or a regional
// Disdukcapil. An Issuer is safe for concurrent use if its Signer is.
type Issuer struct {
	// ID is the issuer id written to the iss claim, for example "3171"
	// (the regency/city code of Disdukcapil Jakarta Pusat). It must match
	// the issuer's entry in the trust list. At most 32 bytes.
	ID string
	// KeyID is the COSE kid of Signer's public key (keys.KeyID).
	KeyID []byte
	// Signer holds the issuer's private key: P-256 signs ES256, Ed25519
	// signs EdDSA. It may live in an HSM behind crypto.Signer.
	Signer crypto.Signer
	// Rand is the randomness for ECDSA signatures; nil means crypto/rand.
	Rand io.Reader
}

// Request is what an issuer signs for one person and one device.
type Request struct {
	// Document is the document type; zero means DocumentKTP.
	Document DocumentType
	// Claims is the person's complete record; it must pass
	// Validate(ProfileFull). Each profile's credential carries its subset.
	Claims KTP
	// DeviceKey is the public key of the wallet's device key (P-256, held
	// in Android Keystore or the iOS Secure Enclave). Every credential of
	// the request is bound to it.
	DeviceKey *ecdsa.PublicKey
	// Status is the device's entry in the issuer's status list.
	Status StatusRef
	// IssuedAt and Expiry bound the credentials' validity (whole seconds).
	IssuedAt, Expiry time.Time
	// Profiles lists the disclosure profiles to sign; nil means all four.
	Profiles []Profile
}

// Issued is one signed credential.
type Issued struct {
	// Profile is the disclosure profile the credential carries.
	Profile Profile
	// Bytes is the tagged COSE_Sign1 (RFC 9052 §4.2) whose payload is the
	// CWT claims set (RFC 8392).
	Bytes []byte
}

// algorithmFor returns the COSE algorithm that goes with the key: the
// algorithm is a property of the key, never a free choice.
func algorithmFor(pub crypto.PublicKey) (keys.Algorithm, bool) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return sign1.ES256, true
		}
	case ed25519.PublicKey:
		if len(k) == ed25519.PublicKeySize {
			return sign1.EdDSA, true
		}
	}
	return 0, false
}

// Issue validates req and signs one credential per requested profile, in
// the order requested, all bound to req.DeviceKey. It returns a
// [*ValidationError] listing every problem with req.Claims, or an error
// wrapping [ErrIssuer] or [ErrRequest].
func (iss *Issuer) Issue(req *Request) ([]Issued, error) {
	if iss == nil || iss.ID == "" || len(iss.ID) > 32 || len(iss.KeyID) == 0 || len(iss.KeyID) > 32 || iss.Signer == nil {
		return nil, fmt.Errorf("%w: id, key id and signer are required", ErrIssuer)
	}
	alg, ok := algorithmFor(iss.Signer.Public())
	if !ok {
		return nil, fmt.Errorf("%w: key is %T, want P-256 or Ed25519", ErrIssuer, iss.Signer.Public())
	}
	doc := req.Document
	if doc == 0 {
		doc = DocumentKTP
	}
	if !doc.Valid() {
		return nil, fmt.Errorf("%w: document type %v", ErrRequest, doc)
	}
	key, err := newCOSEKey(req.DeviceKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRequest, err)
	}
	iat, exp := req.IssuedAt.Unix(), req.Expiry.Unix()
	if req.IssuedAt.IsZero() || iat <= 0 || exp <= iat {
		return nil, fmt.Errorf("%w: need 0 < issued-at < expiry", ErrRequest)
	}
	if err := req.Claims.Validate(ProfileFull); err != nil {
		return nil, err
	}
	profiles := req.Profiles
	if profiles == nil {
		profiles = []Profile{ProfileFull, ProfileTravel, ProfileKAI, ProfileAge}
	}
	seen := map[Profile]bool{}
	for _, p := range profiles {
		if !p.Valid() || seen[p] {
			return nil, fmt.Errorf("%w: profile %v unknown or repeated", ErrRequest, p)
		}
		seen[p] = true
	}
	rnd := iss.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	on := DateOf(req.IssuedAt)
	out := make([]Issued, 0, len(profiles))
	for _, p := range profiles {
		claims := p.Select(&req.Claims, on)
		body, err := codec.Marshal(payload{
			Issuer:    iss.ID,
			Expiry:    exp,
			IssuedAt:  iat,
			Confirm:   confirmation{Key: key},
			Profile:   p,
			StatusRef: req.Status,
			KTP:       &claims,
		})
		if err != nil {
			return nil, fmt.Errorf("credential: encoding %v: %v", p, err)
		}
		msg, err := sign1.Sign(rnd, iss.Signer, alg, iss.KeyID, body)
		if err != nil {
			return nil, fmt.Errorf("credential: signing %v: %w", p, err)
		}
		out = append(out, Issued{Profile: p, Bytes: msg})
	}
	return out, nil
}
