package status

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
)

// MediaType is the typ (16) protected header of a status list token
// (draft-ietf-oauth-status-list §5.2). [Signed.Verify] requires it, so that
// no other document signed by the same issuer key (a credential) can pass
// for a status list.
const MediaType = "application/statuslist+cwt"

// subjectPrefix starts the sub claim of every ikd status list:
// "urn:ikd:status:<issuerID>:<listID>".
const subjectPrefix = "urn:ikd:status:"

// labelTyp is the COSE typ header label (RFC 9596).
const labelTyp = 16

type claims struct {
	Sub        string   `cbor:"2,keyasint"`
	Exp        int64    `cbor:"4,keyasint,omitempty"`
	Iat        int64    `cbor:"6,keyasint"`
	StatusList listWire `cbor:"65533,keyasint"`
	TTL        int64    `cbor:"65534,keyasint,omitempty"`
}

type listWire struct {
	Bits           int    `cbor:"bits"`
	Lst            []byte `cbor:"lst"`
	AggregationURI string `cbor:"aggregation_uri,omitempty"`
}

// Token is what an issuer states about a status list besides its bits. The
// list is named by its issuer and a list number: the token's sub claim is
// "urn:ikd:status:<IssuerID>:<ListID>", and the (IssuerID, ListID) a
// scanner reads back come from that claim after verification.
type Token struct {
	// IssuerID names the issuer (for example "dukcapil" or
	// "disdukcapil-3171"): 1 to 64 characters from A-Z, a-z, 0-9, '.', '_'
	// and '-', so that the URN parses back unambiguously.
	IssuerID string
	// ListID numbers the issuer's lists (one per regency, or one per
	// 100 million credentials).
	ListID uint32
	// IssuedAt is the iat claim, in whole seconds. Required: the scanner's
	// cache refuses a list older than the one it holds (rollback).
	IssuedAt time.Time
	// Expiry is the exp claim, in whole seconds; zero for none.
	Expiry time.Time
	// TTL is the ttl claim, in whole seconds: how long a scanner may use the
	// list before fetching a new one (draft-ietf-oauth-status-list §13.7).
	// Zero for none.
	TTL time.Duration
}

// Reference is what a credential carries to point at its status: the list
// (issuer and list id) and the credential's index in it.
type Reference struct {
	// IssuerID names the issuer, as in [Token.IssuerID].
	IssuerID string
	// ListID numbers the issuer's list, as in [Token.ListID].
	ListID uint32
	// Index is the credential's entry in the list, from [Allocator.Allocate].
	Index uint32
}

// Subject returns the sub claim of the list r points into:
// "urn:ikd:status:<IssuerID>:<ListID>".
func (r Reference) Subject() string { return subject(r.IssuerID, r.ListID) }

func subject(issuerID string, listID uint32) string {
	return subjectPrefix + issuerID + ":" + strconv.FormatUint(uint64(listID), 10)
}

func validIssuerID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// parseSubject returns the issuer and list id of an ikd status list URN.
func parseSubject(sub string) (string, uint32, bool) {
	rest, ok := strings.CutPrefix(sub, subjectPrefix)
	if !ok {
		return "", 0, false
	}
	issuer, list, ok := strings.Cut(rest, ":")
	if !ok || !validIssuerID(issuer) {
		return "", 0, false
	}
	id, err := strconv.ParseUint(list, 10, 32)
	if err != nil || list != strconv.FormatUint(id, 10) { // canonical: no "+1", "01"
		return "", 0, false
	}
	return issuer, uint32(id), true
}

// Sign returns a status list token (draft-ietf-oauth-status-list §5.2): a
// CWT (RFC 8392) in a tagged COSE_Sign1 (RFC 9052 §4.2) whose protected
// header holds alg, kid and typ "application/statuslist+cwt", and whose
// claims are sub (2), iat (6), exp (4), ttl (65534) and status_list (65533)
// = {bits, lst: zlib of the list}. signer must hold a P-256 key for ES256 or
// an Ed25519 key for EdDSA; rand feeds ECDSA. kid must not be empty. It
// returns an error for an invalid token or a signer that does not fit alg.
func Sign(rand io.Reader, signer crypto.Signer, alg keys.Algorithm, kid []byte, t Token, l *List) ([]byte, error) {
	if l == nil {
		return nil, errors.New("status: nil list")
	}
	if signer == nil {
		return nil, fmt.Errorf("%w: nil signer", ErrAlgorithm)
	}
	if len(kid) == 0 {
		return nil, errors.New("status: empty kid")
	}
	if !validIssuerID(t.IssuerID) {
		return nil, fmt.Errorf("status: invalid issuer id %q", t.IssuerID)
	}
	c := claims{Sub: subject(t.IssuerID, t.ListID), Iat: t.IssuedAt.Unix()}
	if t.IssuedAt.IsZero() || c.Iat <= 0 {
		return nil, errors.New("status: token needs an issue time")
	}
	if !t.Expiry.IsZero() {
		c.Exp = t.Expiry.Unix()
		if c.Exp <= c.Iat {
			return nil, errors.New("status: expiry not after issue time")
		}
	}
	if t.TTL < 0 || t.TTL%time.Second != 0 {
		return nil, fmt.Errorf("status: ttl %v is not a whole number of seconds", t.TTL)
	}
	c.TTL = int64(t.TTL / time.Second)
	lst, err := l.compress()
	if err != nil {
		return nil, fmt.Errorf("status: compressing: %v", err)
	}
	c.StatusList = listWire{Bits: l.bits, Lst: lst}
	payload, err := codec.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("status: encoding claims: %v", err)
	}
	out, err := sign1.SignWithHeader(rand, signer, alg, kid, map[int]any{labelTyp: MediaType}, payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAlgorithm, err)
	}
	return out, nil
}

// Signed is a parsed, not yet verified status list token. Nothing in it may
// be trusted before [Signed.Verify] succeeds.
type Signed struct {
	msg    *sign1.Message
	claims claims
}

// Parse decodes a status list token (a COSE_Sign1, tagged or not, with a
// CWT payload) without checking its signature, so that the caller can look
// up the issuer key by [Signed.UnverifiedKeyID]. It checks structure only:
// input of at most [limits.MaxStatusList] bytes (else [ErrTooLarge]), strict
// CBOR, the protected typ "application/statuslist+cwt", and the claims the
// draft requires; anything else is [ErrMalformed]. The lst bytes are not
// decompressed here: [Signed.Verify] does that after the signature checks,
// so that an unauthenticated token can never make a scanner inflate
// anything.
func Parse(data []byte) (*Signed, error) {
	if len(data) > limits.MaxStatusList {
		return nil, fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(data), limits.MaxStatusList)
	}
	msg, err := sign1.ParseLarge(data, limits.MaxStatusList)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var hdr map[any]cbor.RawMessage
	if err := codec.Unmarshal(msg.Protected, &hdr); err != nil {
		return nil, fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	var typ string
	if v, ok := hdr[int64(labelTyp)]; !ok || codec.Unmarshal(v, &typ) != nil || typ != MediaType {
		return nil, fmt.Errorf("%w: typ is not %s", ErrMalformed, MediaType)
	}
	s := &Signed{msg: msg}
	if err := codec.UnmarshalLarge(msg.Payload, limits.MaxStatusList, &s.claims); err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrMalformed, err)
	}
	c := &s.claims
	switch {
	case c.Sub == "":
		return nil, fmt.Errorf("%w: no sub claim", ErrMalformed)
	case c.Iat <= 0:
		return nil, fmt.Errorf("%w: no iat claim", ErrMalformed)
	case c.Exp != 0 && c.Exp <= c.Iat:
		return nil, fmt.Errorf("%w: exp not after iat", ErrMalformed)
	case c.TTL < 0 || c.TTL > int64(100*365*24*time.Hour/time.Second):
		return nil, fmt.Errorf("%w: ttl out of range", ErrMalformed)
	case !validBits(c.StatusList.Bits):
		return nil, fmt.Errorf("%w: bits %d", ErrMalformed, c.StatusList.Bits)
	case len(c.StatusList.Lst) == 0:
		return nil, fmt.Errorf("%w: empty lst", ErrMalformed)
	}
	return s, nil
}

// UnverifiedKeyID returns the protected kid header, nil if absent, for
// looking up the issuer key. SAFETY: the caller must verify the token with
// the key it finds; the kid alone proves nothing. ikd puts kid in the
// protected header; an unprotected kid is ignored.
func (s *Signed) UnverifiedKeyID() []byte { return s.msg.KeyID }

// UnverifiedAlg returns the protected alg header. SAFETY: it is for
// diagnostics only; [Signed.Verify] takes the algorithm from the trusted
// key, never from the token.
func (s *Signed) UnverifiedAlg() keys.Algorithm { return s.msg.Alg }

// Verify checks the token's signature with pub under alg, the algorithm
// that belongs to the trusted key (ES256 or EdDSA), then decompresses the
// list. It returns [ErrAlgorithm] when alg is not allowed, does not fit pub,
// or is not the token's protected alg; [ErrSignature] when the signature
// does not verify; [ErrMalformed] when sub is not an ikd status list URN
// ("urn:ikd:status:<issuerID>:<listID>") or the list does not decompress;
// and [ErrTooLarge] when it decompresses to more than the status list cap.
// Verify does not read a clock: expiry and age are the caller's policy (see
// [VerifiedList.Expiry] and [Cache.Get]).
func (s *Signed) Verify(alg keys.Algorithm, pub crypto.PublicKey) (*VerifiedList, error) {
	v, err := s.verify(alg, pub)
	if err != nil {
		return nil, err
	}
	var ok bool
	if v.issuerID, v.listID, ok = parseSubject(s.claims.Sub); !ok {
		return nil, fmt.Errorf("%w: sub %q is not an ikd status list URN", ErrMalformed, s.claims.Sub)
	}
	return v, nil
}

// verify is Verify without the ikd naming rule on sub, for the draft's own
// examples.
func (s *Signed) verify(alg keys.Algorithm, pub crypto.PublicKey) (*VerifiedList, error) {
	if err := s.msg.Verify(alg, pub, nil); err != nil {
		switch {
		case errors.Is(err, sign1.ErrSignature):
			return nil, ErrSignature
		case errors.Is(err, sign1.ErrAlgorithm):
			return nil, ErrAlgorithm
		}
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	l, err := decompress(s.claims.StatusList.Bits, s.claims.StatusList.Lst)
	if err != nil {
		return nil, err
	}
	v := &VerifiedList{list: l, sub: s.claims.Sub, iat: time.Unix(s.claims.Iat, 0).UTC()}
	if s.claims.Exp != 0 {
		v.exp = time.Unix(s.claims.Exp, 0).UTC()
	}
	v.ttl = time.Duration(s.claims.TTL) * time.Second
	return v, nil
}

// VerifiedList is a status list whose signature has been verified. It is
// read-only and safe for concurrent use.
type VerifiedList struct {
	list     *List
	sub      string
	issuerID string
	listID   uint32
	iat, exp time.Time
	ttl      time.Duration
}

// IssuerID returns the issuer named by the token's sub claim.
func (v *VerifiedList) IssuerID() string { return v.issuerID }

// ListID returns the list number named by the token's sub claim.
func (v *VerifiedList) ListID() uint32 { return v.listID }

// IssuedAt returns the iat claim, in UTC.
func (v *VerifiedList) IssuedAt() time.Time { return v.iat }

// Expiry returns the exp claim in UTC, or the zero time when the token has
// none. A scanner must not use a list at or after its expiry.
func (v *VerifiedList) Expiry() time.Time { return v.exp }

// TTL returns the ttl claim, or 0 when the token has none: how long after
// fetching a list a scanner should fetch a fresh one.
func (v *VerifiedList) TTL() time.Duration { return v.ttl }

// Bits returns the number of bits per entry.
func (v *VerifiedList) Bits() int { return v.list.bits }

// Len returns the number of entries, padding included (a multiple of
// 8/bits).
func (v *VerifiedList) Len() int { return v.list.size }

// Get returns the status at index, or an error wrapping [ErrOutOfRange].
func (v *VerifiedList) Get(index uint32) (Status, error) { return v.list.Get(index) }

// Lookup returns the status a credential's reference points to. It returns
// [ErrWrongList] when r names another issuer or list, and an error wrapping
// [ErrOutOfRange] when r.Index is beyond the list.
func (v *VerifiedList) Lookup(r Reference) (Status, error) {
	if r.IssuerID != v.issuerID || r.ListID != v.listID {
		return 0, fmt.Errorf("%w: %s, not %s", ErrWrongList, r.Subject(), v.sub)
	}
	return v.list.Get(r.Index)
}
