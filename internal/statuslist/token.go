package statuslist

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/ident"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
)

// MediaType is the typ (16) protected header of a status list token
// (draft-ietf-oauth-status-list §5.2). [Parse] requires it, so that no
// other document signed by the same issuer key (a credential) can pass for
// a status list.
const MediaType = "application/statuslist+cwt"

// subjectPrefix starts the sub claim of every ikd status list:
// "urn:ikd:status:<issuerID>:<listID>".
const subjectPrefix = "urn:ikd:status:"

// labelTyp is the COSE typ header label (RFC 9596).
const labelTyp = 16

// labels are the protected header labels of a status list token: alg, kid
// and typ, nothing else (docs/wire-format.md). typ is required and is
// what tells a token from a credential, which never carries one.
const labels = sign1.LabelAlg | sign1.LabelKID | sign1.LabelTyp

// issuedBits is the entry width of every list ikd signs: a [status.List]
// is 2 bits per entry, and its MarshalBinary is that bit array.
const issuedBits = 2

// maxTTL bounds the ttl claim a token may carry (100 years), so that the
// seconds always fit a time.Duration.
const maxTTL = 100 * 365 * 24 * time.Hour

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

func subject(issuerID string, listID uint32) string {
	return subjectPrefix + issuerID + ":" + strconv.FormatUint(uint64(listID), 10)
}

// parseSubject returns the issuer and list id of an ikd status list URN.
func parseSubject(sub string) (string, uint32, bool) {
	rest, ok := strings.CutPrefix(sub, subjectPrefix)
	if !ok {
		return "", 0, false
	}
	issuer, list, ok := strings.Cut(rest, ":")
	if !ok || !ident.ValidIssuerID(issuer) {
		return "", 0, false
	}
	id, err := strconv.ParseUint(list, 10, 32)
	if err != nil || list != strconv.FormatUint(id, 10) { // canonical: no "+1", "01"
		return "", 0, false
	}
	return issuer, uint32(id), true
}

// Sign returns the status list token of l (draft-ietf-oauth-status-list
// §5.2): a CWT (RFC 8392) in a tagged COSE_Sign1 (RFC 9052 §4.2) whose
// protected header holds alg, kid and typ "application/statuslist+cwt",
// and whose claims are sub (2) "urn:ikd:status:<issuerID>:<t.ListID>",
// iat (6), exp (4), ttl (65534) and status_list (65533) = {bits: 2, lst:
// the zlib stream of l's bit array}.
//
// It is the one signing path for status lists, called by
// credential.Issuer.SignStatusList with the issuer's own id, key and kid.
// signer must hold a P-256 key for ES256 or an Ed25519 key for EdDSA;
// ECDSA randomness comes from crypto/rand. It returns an error for an
// empty kid, an issuer id that is not 1 to 32 bytes of A-Z, a-z, 0-9, '.',
// '_' and '-' (internal/ident), a token without an issue time, with an
// expiry not after it or a negative or fractional ttl, a nil list, or a
// signer that does not fit alg.
func Sign(signer crypto.Signer, alg keys.Algorithm, kid []byte, issuerID string, t status.Token, l *status.List) ([]byte, error) {
	if l == nil {
		return nil, errors.New("statuslist: nil list")
	}
	data, err := l.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("statuslist: %v", err)
	}
	return sign(signer, alg, kid, issuerID, t, issuedBits, data)
}

// sign is Sign over a bit array of any width, so that tests can sign what
// NewList refuses to build (lists past the cap, other widths).
func sign(signer crypto.Signer, alg keys.Algorithm, kid []byte, issuerID string, t status.Token, bits int, data []byte) ([]byte, error) {
	if signer == nil {
		return nil, errors.New("statuslist: nil signer")
	}
	if len(kid) == 0 {
		return nil, errors.New("statuslist: empty kid")
	}
	if !ident.ValidIssuerID(issuerID) {
		return nil, fmt.Errorf("statuslist: invalid issuer id %q", issuerID)
	}
	c := claims{Sub: subject(issuerID, t.ListID), Iat: t.IssuedAt.Unix()}
	if t.IssuedAt.IsZero() || c.Iat <= 0 {
		return nil, errors.New("statuslist: token needs an issue time")
	}
	if !t.Expiry.IsZero() {
		c.Exp = t.Expiry.Unix()
		if c.Exp <= c.Iat {
			return nil, errors.New("statuslist: expiry not after issue time")
		}
		if c.Exp > limits.MaxTime {
			return nil, errors.New("statuslist: expiry after 9999-12-31T23:59:59Z")
		}
	}
	if t.TTL < 0 || t.TTL > maxTTL || t.TTL%time.Second != 0 {
		return nil, fmt.Errorf("statuslist: ttl %v is not a whole number of seconds up to 100 years", t.TTL)
	}
	c.TTL = int64(t.TTL / time.Second)
	lst, err := compress(data)
	if err != nil {
		return nil, fmt.Errorf("statuslist: compressing: %v", err)
	}
	c.StatusList = listWire{Bits: bits, Lst: lst}
	payload, err := codec.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("statuslist: encoding claims: %v", err)
	}
	// crypto/rand, not a caller's reader: an ECDSA nonce must never be
	// predictable, and nothing about a status list needs to be replayable
	// byte for byte (tests that pin bytes use Ed25519).
	out, err := sign1.SignWithHeader(rand.Reader, signer, alg, kid, map[int]any{labelTyp: MediaType}, payload)
	if err != nil {
		return nil, fmt.Errorf("statuslist: signing: %v", err)
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
// up the issuer key by [Signed.KeyID]. It checks structure only: input of
// at most limits.MaxStatusList bytes (64 MiB, else [ErrTooLarge]), strict
// CBOR with the COSE framing of ikd's messages (sign1.Parse: canonical
// protected header holding only alg, kid and typ, empty unprotected
// header), the protected typ "application/statuslist+cwt", and the claims the
// draft requires; anything else is [ErrMalformed]. The lst bytes are not
// decompressed here: [Signed.Verify] does that after the signature checks,
// so that an unauthenticated token can never make a scanner inflate
// anything.
func Parse(data []byte) (*Signed, error) {
	if len(data) > limits.MaxStatusList {
		return nil, fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(data), limits.MaxStatusList)
	}
	msg, err := sign1.ParseLarge(data, limits.MaxStatusList, labels)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return parseMessage(msg)
}

// parseMessage is Parse after the COSE_Sign1 framing: the typ header and
// the claims. The vector test of the draft's example token (whose
// unprotected header holds its kid) reaches it through
// sign1.ParseLenient.
func parseMessage(msg *sign1.Message) (*Signed, error) {
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
	case c.Iat > limits.MaxTime || c.Exp > limits.MaxTime:
		return nil, fmt.Errorf("%w: iat or exp after %d", ErrMalformed, int64(limits.MaxTime))
	case c.Exp != 0 && c.Exp <= c.Iat:
		return nil, fmt.Errorf("%w: exp not after iat", ErrMalformed)
	case c.TTL < 0 || c.TTL > int64(maxTTL/time.Second):
		return nil, fmt.Errorf("%w: ttl out of range", ErrMalformed)
	case !validBits(c.StatusList.Bits):
		return nil, fmt.Errorf("%w: bits %d", ErrMalformed, c.StatusList.Bits)
	case len(c.StatusList.Lst) == 0:
		return nil, fmt.Errorf("%w: empty lst", ErrMalformed)
	}
	return s, nil
}

// KeyID returns the protected kid header, nil if absent, for looking up
// the issuer key in the trust list. SAFETY: it is unverified; the caller
// must verify the token with the key it finds, and the kid alone proves
// nothing. ikd puts kid in the protected header; an unprotected kid (as in
// the draft's example) is ignored.
func (s *Signed) KeyID() []byte { return s.msg.KeyID }

// Algorithm returns the protected alg header. SAFETY: it is unverified and
// only for reporting an algorithm that is not the trusted key's; Verify
// takes the algorithm from the key.
func (s *Signed) Algorithm() keys.Algorithm { return s.msg.Alg }

// Verify checks the token's signature with pub, a trusted issuer key, then
// decompresses the list. The algorithm is the key's (keys.AlgorithmOf:
// ES256 for P-256, EdDSA for Ed25519), never the token's: the protected
// alg must equal it. It returns [ErrSignature] when pub is not an ES256 or
// EdDSA public key, when the protected alg is not its algorithm, or when
// the signature does not verify; [ErrMalformed] when sub is not an ikd
// status list URN ("urn:ikd:status:<issuerID>:<listID>", issuer id as in
// internal/ident) or the list does not decompress; and [ErrTooLarge] when
// it decompresses to more than the status list cap. Verify does not read a
// clock: expiry and age are the caller's policy (see [List.Expiry] and
// [Cache.Get]).
func (s *Signed) Verify(pub crypto.PublicKey) (*List, error) {
	l, err := s.verify(pub)
	if err != nil {
		return nil, err
	}
	var ok bool
	if l.issuerID, l.listID, ok = parseSubject(s.claims.Sub); !ok {
		return nil, fmt.Errorf("%w: sub %q is not an ikd status list URN", ErrMalformed, s.claims.Sub)
	}
	return l, nil
}

// verify is Verify without the ikd naming rule on sub, for the draft's own
// examples.
func (s *Signed) verify(pub crypto.PublicKey) (*List, error) {
	alg, err := keys.AlgorithmOf(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: trusted key: %v", ErrSignature, err)
	}
	if err := s.msg.Verify(alg, pub, nil); err != nil {
		switch {
		case errors.Is(err, sign1.ErrSignature), errors.Is(err, sign1.ErrAlgorithm):
			// One error for every failed check: no oracle.
			return nil, ErrSignature
		}
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	entries, err := decompress(s.claims.StatusList.Bits, s.claims.StatusList.Lst)
	if err != nil {
		return nil, err
	}
	l := &List{entries: entries, sub: s.claims.Sub, iat: time.Unix(s.claims.Iat, 0).UTC(), digest: sha256.Sum256(s.msg.Payload), signer: pub}
	if s.claims.Exp != 0 {
		l.exp = time.Unix(s.claims.Exp, 0).UTC()
	}
	l.ttl = time.Duration(s.claims.TTL) * time.Second
	return l, nil
}
