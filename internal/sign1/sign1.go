// Package sign1 is ikd's one COSE_Sign1 path (RFC 9052 §4.2, §4.4): every
// credential, presentation and status list is signed and checked here, and
// the public test vectors (Wycheproof, COSE WG) run through the same code;
// those made by other implementations only differ in their header framing,
// which [ParseLenient] takes and [Parse] refuses.
//
// Signatures are always checked over the bytes as received: the
// Sig_structure is built from the protected header and payload exactly as
// they arrived, never from a re-encoding. Re-encoding is a known source of
// interop failures and of signature-bypass bugs in other COSE libraries.
//
// The algorithm is never taken from the message alone: [Message.Verify] is
// given the algorithm that belongs to the trusted key and fails unless the
// protected header names that same algorithm.
package sign1

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"

	"github.com/fxamacker/cbor/v2"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
)

// Algorithms ikd accepts. Everything else is refused.
const (
	ES256 = keys.ES256
	EdDSA = keys.EdDSA
)

// Header labels (RFC 9052 §3.1, RFC 9596 §2).
const (
	labelAlg  = 1
	labelCrit = 2
	labelKID  = 4
	labelTyp  = 16
)

// Labels is a set of the protected header labels ikd writes. Each kind of
// ikd message admits exactly its own set (docs/wire-format.md): a
// presentation {alg}, a credential {alg, kid}, a status list token {alg,
// kid, typ}. [Parse] refuses any label outside the set it is given, as it
// refuses every other label (integer or text), so that one signed message
// has one meaning and one encoding.
type Labels uint8

// The protected header labels a [Labels] set can hold.
const (
	LabelAlg Labels = 1 << iota // alg (1)
	LabelKID                    // kid (4)
	LabelTyp                    // typ (16), RFC 9596
)

var (
	// ErrMalformed reports bytes that are not a COSE_Sign1 ikd accepts.
	ErrMalformed = errors.New("cose: malformed COSE_Sign1")
	// ErrAlgorithm reports a protected alg missing, unsupported, or not the
	// algorithm of the key the message is checked against.
	ErrAlgorithm = errors.New("cose: algorithm not allowed for this key")
	// ErrSignature reports a signature that does not verify. It is the only
	// error a failed cryptographic check returns, so that callers cannot
	// distinguish why (no oracle).
	ErrSignature = errors.New("cose: signature does not verify")
)

// Message is a parsed COSE_Sign1. Its byte fields are the bytes as
// received: after [Parse] they are sub-slices of the input, not copies, so
// the caller must not modify the input while it uses the Message (and must
// copy a field that has to outlive the input).
type Message struct {
	// Protected is the content of the protected header bstr, as received.
	Protected []byte
	// Alg is the protected alg header, 0 if absent.
	Alg keys.Algorithm
	// KeyID is the protected kid header, nil if absent.
	KeyID []byte
	// Labels is the set of protected header labels present (alg, kid,
	// typ; [ParseLenient] skips the others).
	Labels Labels
	// Payload is the payload bstr as received.
	Payload []byte
	// Signature is the signature bstr as received.
	Signature []byte
	// Tagged is true when the message carried CBOR tag 18.
	Tagged bool
}

type rawSign1 struct {
	_           struct{} `cbor:",toarray"`
	Protected   []byte
	Unprotected cbor.RawMessage
	Payload     []byte
	Signature   []byte
}

// Parse decodes a COSE_Sign1, tagged (18) or untagged. It checks structure
// only; call [Message.Verify] before trusting anything in it. It returns an
// error wrapping [ErrMalformed] for anything else, including a detached
// (nil) payload, a crit header (ikd understands no critical extensions) and
// a protected header that is not a map.
//
// The whole message must be Core Deterministic CBOR in ikd's profile (see
// [codec.Reader]), as docs/wire-format.md specifies for every message ikd
// makes (presentations, credentials, status lists): the protected header is
// empty or a canonical map (keys in bytewise order, shortest heads), and
// the unprotected header is the empty map, one byte 0xa0. ikd reads
// nothing from the unprotected header, and a message whose framing may
// vary would let one signed message travel in many encodings, which an
// implementation written from the specification refuses. The protected
// header holds only labels in allowed, each at most once: any other label,
// integer or text, is [ErrMalformed] (a label ikd does not read would let
// the signer say something no verifier checks). Parse does not require the
// labels of allowed to be present; the caller checks what it needs
// ([Message.Labels]). The returned Message aliases data.
func Parse(data []byte, allowed Labels) (*Message, error) {
	return parse(data, limits.MaxMessage, false, allowed)
}

// ParseLarge is [Parse] with a caller-chosen cap on the message size, for
// documents that are not QR payloads (status lists). The headers are still
// held to the QR-sized limits.
func ParseLarge(data []byte, max int, allowed Labels) (*Message, error) {
	return parse(data, max, false, allowed)
}

// ParseLenient is [ParseLarge] for COSE_Sign1 messages made by other
// implementations: the published test vectors (COSE WG Examples,
// Wycheproof, the IETF status list draft's example token) that put a kid
// in the unprotected header or sort header keys otherwise (RFC 7049 §3.9
// sorts shorter keys first). It lets the keys of both header maps come in
// any order (still distinct integers or text strings, still shortest
// heads) and takes a non-empty unprotected header, without alg or crit,
// which it skips: nothing is read from it. It takes any protected label
// but crit, reading alg, kid and typ and skipping the rest. Everything
// else is as strict as Parse, and signatures are still checked over the
// bytes as received.
//
// SAFETY: for the vector tests only. No ikd message is parsed with it; a
// test (TestParseLenientOnlyInTests) fails if non-test code names it.
func ParseLenient(data []byte, max int) (*Message, error) {
	return parse(data, max, true, LabelAlg|LabelKID|LabelTyp)
}

func parse(data []byte, max int, lenient bool, allowed Labels) (*Message, error) {
	if len(data) > max {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrMalformed, len(data), max)
	}
	var m Message
	if len(data) > 0 && data[0] == 0xd2 { // tag 18, one byte
		m.Tagged = true
		data = data[1:]
	}
	if len(data) == 0 || data[0] != 0x84 { // array of 4
		return nil, fmt.Errorf("%w: not an array of four", ErrMalformed)
	}
	// One pass over the message: [protected, unprotected, payload, signature].
	r := codec.NewReader(data)
	if _, err := r.Array(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var err error
	if m.Protected, err = r.Bytes(); err != nil {
		return nil, fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	if err := checkUnprotected(r, lenient); err != nil {
		return nil, err
	}
	if r.Peek() == codec.KindNull {
		return nil, fmt.Errorf("%w: detached payload", ErrMalformed)
	}
	if m.Payload, err = r.Bytes(); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if m.Signature, err = r.Bytes(); err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	// Both of ikd's algorithms make 64-byte signatures (ES256 r‖s, Ed25519),
	// so any other length is a layout error, not a failed verification. The
	// lenient test parser only needs a signature to be there.
	if len(m.Signature) == 0 || (!lenient && len(m.Signature) != SignatureSize) {
		return nil, fmt.Errorf("%w: signature of %d bytes, not %d", ErrMalformed, len(m.Signature), SignatureSize)
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := parseProtected(&m, lenient, allowed); err != nil {
		return nil, err
	}
	return &m, nil
}

// openHeader reads the head of a header map: canonical key order for ikd's
// own messages, any order for the lenient path.
func openHeader(r *codec.Reader, lenient bool) (int, error) {
	if lenient {
		return r.MapAnyOrder()
	}
	return r.Map()
}

// checkUnprotected reads the unprotected header: the empty map, or for the
// lenient path a map of at most [limits.MaxMessage] bytes without alg or
// crit. ikd reads nothing from it: anything there is unauthenticated.
func checkUnprotected(r *codec.Reader, lenient bool) error {
	start := r.Offset()
	if r.Peek() != codec.KindMap {
		return fmt.Errorf("%w: unprotected header is not a map", ErrMalformed)
	}
	n, err := openHeader(r, lenient)
	if err != nil {
		return fmt.Errorf("%w: unprotected header: %v", ErrMalformed, err)
	}
	if n != 0 && !lenient {
		return fmt.Errorf("%w: unprotected header is not empty", ErrMalformed)
	}
	for range n {
		label, isInt, err := readLabel(r)
		if err != nil {
			return fmt.Errorf("%w: unprotected header: %v", ErrMalformed, err)
		}
		if isInt && label == labelAlg {
			return fmt.Errorf("%w: alg in unprotected header", ErrMalformed)
		}
		if isInt && label == labelCrit {
			return fmt.Errorf("%w: crit in unprotected header", ErrMalformed)
		}
		if _, err := r.Skip(); err != nil {
			return fmt.Errorf("%w: unprotected header: %v", ErrMalformed, err)
		}
	}
	if size := r.Offset() - start; size > limits.MaxMessage {
		return fmt.Errorf("%w: unprotected header of %d bytes > %d", ErrMalformed, size, limits.MaxMessage)
	}
	return nil
}

// parseProtected reads alg and kid from the protected header, which must be
// empty or a map (RFC 9052 §3) of at most [limits.MaxMessage] bytes with no
// crit, its keys in canonical order and its labels in allowed unless
// lenient (which skips labels it does not read).
func parseProtected(m *Message, lenient bool, allowed Labels) error {
	if len(m.Protected) == 0 {
		return nil
	}
	if len(m.Protected) > limits.MaxMessage {
		return fmt.Errorf("%w: protected header of %d bytes > %d", ErrMalformed, len(m.Protected), limits.MaxMessage)
	}
	r := codec.NewReader(m.Protected)
	if r.Peek() != codec.KindMap {
		return fmt.Errorf("%w: protected header is not a map", ErrMalformed)
	}
	n, err := openHeader(r, lenient)
	if err != nil {
		return fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	for range n {
		label, isInt, err := readLabel(r)
		if err != nil {
			return fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
		}
		var have Labels
		if isInt {
			switch label {
			case labelAlg:
				have = LabelAlg
			case labelKID:
				have = LabelKID
			case labelTyp:
				have = LabelTyp
			}
		}
		if !lenient && (have == 0 || allowed&have == 0) && !(isInt && label == labelCrit) {
			return fmt.Errorf("%w: protected header label not allowed here", ErrMalformed)
		}
		m.Labels |= have
		switch {
		case isInt && label == labelCrit:
			return fmt.Errorf("%w: critical header parameters are not supported", ErrMalformed)
		case isInt && label == labelAlg:
			alg, err := r.Int()
			if err != nil {
				return fmt.Errorf("%w: alg is not an integer", ErrMalformed)
			}
			m.Alg = keys.Algorithm(alg)
		case isInt && label == labelKID:
			if m.KeyID, err = r.Bytes(); err != nil {
				return fmt.Errorf("%w: kid is not a byte string", ErrMalformed)
			}
		default:
			if _, err := r.Skip(); err != nil {
				return fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
			}
		}
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("%w: protected header: %v", ErrMalformed, err)
	}
	return nil
}

// readLabel reads a header label (RFC 9052 §3: int / tstr). isInt is false
// for a text label, which ikd skips.
func readLabel(r *codec.Reader) (label int64, isInt bool, err error) {
	if r.Peek() == codec.KindText {
		_, err := r.Text()
		return 0, false, err
	}
	label, err = r.Int()
	return label, err == nil, err
}

// sigContext is the context string of a COSE_Sign1 Sig_structure.
const sigContext = "Signature1"

// SigStructure returns the ToBeSigned bytes (RFC 9052 §4.4) built from the
// protected header and payload exactly as received: the canonical encoding
// of ["Signature1", protected, external, payload], in one allocation of
// exactly its size. A nil field is encoded as an empty bstr. The error is
// always nil.
func (m *Message) SigStructure(external []byte) ([]byte, error) {
	size := 1 + bstrHeadLen(len(sigContext)) + len(sigContext) +
		bstrHeadLen(len(m.Protected)) + len(m.Protected) +
		bstrHeadLen(len(external)) + len(external) +
		bstrHeadLen(len(m.Payload)) + len(m.Payload)
	b := make([]byte, 0, size)
	b = append(b, 0x84) // array of 4
	b = appendHead(b, 0x60, len(sigContext))
	b = append(b, sigContext...)
	b = appendHead(b, 0x40, len(m.Protected))
	b = append(b, m.Protected...)
	b = appendHead(b, 0x40, len(external))
	b = append(b, external...)
	b = appendHead(b, 0x40, len(m.Payload))
	b = append(b, m.Payload...)
	return b, nil
}

// bstrHeadLen is the length of the shortest head for a string of n bytes
// (RFC 8949 §4.2.1).
func bstrHeadLen(n int) int {
	switch {
	case n < 24:
		return 1
	case n <= math.MaxUint8:
		return 2
	case n <= math.MaxUint16:
		return 3
	case uint64(n) <= math.MaxUint32:
		return 5
	}
	return 9
}

// appendHead appends the shortest head of major type major (shifted into
// the top three bits) with argument n.
func appendHead(b []byte, major byte, n int) []byte {
	u := uint64(n)
	switch {
	case u < 24:
		return append(b, major|byte(u))
	case u <= math.MaxUint8:
		return append(b, major|24, byte(u))
	case u <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, major|25), uint16(u))
	case u <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, major|26), uint32(u))
	}
	return binary.BigEndian.AppendUint64(append(b, major|27), u)
}

// Verify checks the signature with pub under alg, the algorithm that belongs
// to the trusted key. It returns [ErrAlgorithm] when alg is not ES256 or
// EdDSA, does not fit pub, or differs from the protected alg header, and
// [ErrSignature] when the signature does not verify.
func (m *Message) Verify(alg keys.Algorithm, pub crypto.PublicKey, external []byte) error {
	if m.Alg != alg {
		return ErrAlgorithm
	}
	tbs, err := m.SigStructure(external)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return VerifyRaw(alg, pub, tbs, m.Signature)
}

// VerifyRaw checks sig over tbs with pub under alg: ES256 is ECDSA P-256 with
// SHA-256 and a raw 64-byte r‖s signature (RFC 9053 §2.1), EdDSA is Ed25519
// (RFC 9053 §2.2). It returns [ErrAlgorithm] when alg does not fit pub and
// [ErrSignature] when the signature does not verify, including an ES256
// signature that is not exactly 64 bytes.
func VerifyRaw(alg keys.Algorithm, pub crypto.PublicKey, tbs, sig []byte) error {
	switch alg {
	case ES256:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k.Curve != elliptic.P256() {
			return ErrAlgorithm
		}
		if len(sig) != 2*p256ScalarSize {
			return ErrSignature
		}
		// crypto/ecdsa takes the signature as ASN.1 DER; converting r‖s
		// to it here spares the big.Int round trip of the
		// (r, s *big.Int) API. VerifyASN1 checks 0 < r, s < n.
		digest := sha256.Sum256(tbs)
		var der [derSignatureMax]byte
		if !ecdsa.VerifyASN1(k, digest[:], appendDERSignature(der[:0], sig)) {
			return ErrSignature
		}
		return nil
	case EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		if !ok || len(k) != ed25519.PublicKeySize {
			return ErrAlgorithm
		}
		if !ed25519.Verify(k, tbs, sig) {
			return ErrSignature
		}
		return nil
	}
	return ErrAlgorithm
}

// p256ScalarSize is the size of r and s in an ES256 signature.
const p256ScalarSize = 32

// SignatureSize is the length of every signature ikd reads: ES256 r‖s
// (two 32-byte scalars) and Ed25519 are both 64 bytes.
const SignatureSize = 2 * p256ScalarSize

// derSignatureMax is the longest DER ECDSA-Sig-Value (RFC 3279 §2.2.3)
// for P-256: SEQUENCE { INTEGER r, INTEGER s }, each integer at most 33
// bytes (a zero byte in front of a high bit).
const derSignatureMax = 2 + 2*(2+p256ScalarSize+1)

// appendDERSignature appends the DER ECDSA-Sig-Value of the raw r‖s
// signature sig (2×32 bytes).
func appendDERSignature(b, sig []byte) []byte {
	r, s := derInt(sig[:p256ScalarSize]), derInt(sig[p256ScalarSize:])
	b = append(b, 0x30, byte(len(r)+len(s)+2*2+padLen(r)+padLen(s))) // SEQUENCE, < 128 bytes
	b = appendDERInt(b, r)
	return appendDERInt(b, s)
}

// derInt strips the leading zeros of an unsigned big-endian integer,
// keeping one byte for zero (DER integers are minimal, X.690 §8.3.2).
func derInt(v []byte) []byte {
	for len(v) > 1 && v[0] == 0 {
		v = v[1:]
	}
	return v
}

// padLen is 1 when v needs a zero byte in front to read as positive.
func padLen(v []byte) int {
	if v[0]&0x80 != 0 {
		return 1
	}
	return 0
}

func appendDERInt(b, v []byte) []byte {
	b = append(b, 0x02, byte(len(v)+padLen(v))) // INTEGER
	if padLen(v) == 1 {
		b = append(b, 0)
	}
	return append(b, v...)
}

// Sign signs payload as a tagged COSE_Sign1 with the protected header
// {alg, kid} (kid omitted when empty). signer must hold a P-256 key for
// ES256 or an Ed25519 key for EdDSA; rand is used by ECDSA (Ed25519 is
// deterministic).
func Sign(rand io.Reader, signer crypto.Signer, alg keys.Algorithm, kid, payload []byte) ([]byte, error) {
	return sign(rand, signer, alg, kid, nil, payload, true)
}

// SignWithHeader is [Sign] with extra protected header parameters (for
// example typ, label 16, for a status list token). extra must not set alg,
// crit or kid.
func SignWithHeader(rand io.Reader, signer crypto.Signer, alg keys.Algorithm, kid []byte, extra map[int]any, payload []byte) ([]byte, error) {
	for label := range extra {
		if label == labelAlg || label == labelCrit || label == labelKID {
			return nil, fmt.Errorf("cose: extra header sets reserved label %d", label)
		}
	}
	return sign(rand, signer, alg, kid, extra, payload, true)
}

// SignUntagged is [Sign] without the CBOR tag, for a COSE_Sign1 embedded
// where the context already says what it is.
func SignUntagged(rand io.Reader, signer crypto.Signer, alg keys.Algorithm, kid, payload []byte) ([]byte, error) {
	return sign(rand, signer, alg, kid, nil, payload, false)
}

func sign(rand io.Reader, signer crypto.Signer, alg keys.Algorithm, kid []byte, extra map[int]any, payload []byte, tagged bool) ([]byte, error) {
	if err := checkSigner(alg, signer); err != nil {
		return nil, err
	}
	hdr := map[int]any{labelAlg: int64(alg)}
	for label, v := range extra {
		hdr[label] = v
	}
	if len(kid) > 0 {
		hdr[labelKID] = kid
	}
	protected, err := codec.Marshal(hdr)
	if err != nil {
		return nil, err
	}
	m := &Message{Protected: protected, Alg: alg, Payload: payload}
	tbs, err := m.SigStructure(nil)
	if err != nil {
		return nil, err
	}
	sig, err := signTBS(rand, signer, alg, tbs)
	if err != nil {
		return nil, err
	}
	out, err := codec.Marshal(rawSign1{
		Protected:   protected,
		Unprotected: cbor.RawMessage{0xa0},
		Payload:     payload,
		Signature:   sig,
	})
	if err != nil {
		return nil, err
	}
	if tagged {
		out = append([]byte{0xd2}, out...)
	}
	return out, nil
}

// signTBS signs the Sig_structure tbs and returns the COSE signature (raw
// r‖s for ES256). An ES256 signer that is a [crypto.MessageSigner] is given
// the message itself, to hash with SHA-256: a key in Android Keystore or the
// iOS Secure Enclave is usually allowed to sign messages only
// (SHA256withECDSA, ecdsaSignatureMessageX962SHA256), not digests, and such
// a signer's Sign refuses a digest, as crypto.MessageSigner says it should.
// Other signers go through go-cose, which hashes and calls Sign.
func signTBS(rand io.Reader, signer crypto.Signer, alg keys.Algorithm, tbs []byte) ([]byte, error) {
	if ms, ok := signer.(crypto.MessageSigner); ok && alg == ES256 {
		der, err := ms.SignMessage(rand, tbs, crypto.SHA256)
		if err != nil {
			// The caller's own signer's error, wrapped so that the caller
			// can tell it from ours.
			return nil, fmt.Errorf("cose: signing: %w", err)
		}
		sig, err := ParseDERSignature(der)
		if err != nil {
			return nil, fmt.Errorf("cose: signing: %v", err)
		}
		return sig, nil
	}
	s, err := cose.NewSigner(cose.Algorithm(alg), signer)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAlgorithm, err)
	}
	sig, err := s.Sign(rand, tbs)
	if err != nil {
		return nil, fmt.Errorf("cose: signing: %v", err)
	}
	return sig, nil
}

// ParseDERSignature returns the raw r‖s form (2×32 bytes, RFC 9053 §2.1)
// of a DER ECDSA-Sig-Value (RFC 3279 §2.2.3) over P-256, as crypto.Signer,
// Java's SHA256withECDSA and the platform key stores return it. It refuses
// anything that is not exactly the DER encoding of two integers in
// [1, n−1]: trailing bytes, non-minimal integers or lengths, negative or
// out-of-range values.
func ParseDERSignature(der []byte) ([]byte, error) {
	var v struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &v)
	if err != nil || len(rest) != 0 {
		return nil, errDERSignature
	}
	n := elliptic.P256().Params().N
	out := make([]byte, 2*p256ScalarSize)
	for i, x := range []*big.Int{v.R, v.S} {
		if x.Sign() <= 0 || x.Cmp(n) >= 0 {
			return nil, errDERSignature
		}
		x.FillBytes(out[i*p256ScalarSize : (i+1)*p256ScalarSize])
	}
	var buf [derSignatureMax]byte
	if !bytes.Equal(appendDERSignature(buf[:0], out), der) {
		return nil, errDERSignature // BER, not DER
	}
	return out, nil
}

// DERSignature returns the DER ECDSA-Sig-Value of a raw r‖s ES256
// signature, or nil if sig is not 64 bytes. It checks nothing else.
func DERSignature(sig []byte) []byte {
	if len(sig) != 2*p256ScalarSize {
		return nil
	}
	return appendDERSignature(make([]byte, 0, derSignatureMax), sig)
}

var errDERSignature = errors.New("cose: not a DER ECDSA P-256 signature")

func checkSigner(alg keys.Algorithm, signer crypto.Signer) error {
	if signer == nil {
		return fmt.Errorf("%w: nil signer", ErrAlgorithm)
	}
	switch alg {
	case ES256:
		if k, ok := signer.Public().(*ecdsa.PublicKey); ok && k.Curve == elliptic.P256() {
			return nil
		}
	case EdDSA:
		if _, ok := signer.Public().(ed25519.PublicKey); ok {
			return nil
		}
	}
	return fmt.Errorf("%w: %v with a %T key", ErrAlgorithm, alg, signer.Public())
}

// KeyAlgorithm returns the algorithm a public key verifies with, ES256 for
// a P-256 *ecdsa.PublicKey and EdDSA for a 32-byte ed25519.PublicKey, and
// false for anything else. It only looks at the key's type and curve: keys
// reach a verifier from a trust list that checked them when it was parsed
// (keys.AlgorithmOf), and it is on the path of every verification.
func KeyAlgorithm(pub crypto.PublicKey) (keys.Algorithm, bool) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		if k != nil && k.Curve == elliptic.P256() {
			return ES256, true
		}
	case ed25519.PublicKey:
		if len(k) == ed25519.PublicKeySize {
			return EdDSA, true
		}
	}
	return 0, false
}
