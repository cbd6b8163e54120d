// Package sign1 is ikd's one COSE_Sign1 path (RFC 9052 §4.2, §4.4): every
// credential, presentation and status list is signed and checked here, and
// the public test vectors (Wycheproof, COSE WG) run through the same code.
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
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"errors"
	"fmt"
	"io"

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

// Header labels (RFC 9052 §3.1).
const (
	labelAlg  = 1
	labelCrit = 2
	labelKID  = 4
)

// tagSign1 is the CBOR tag of a tagged COSE_Sign1 (RFC 9052 §2).
const tagSign1 = 18

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

// Message is a parsed COSE_Sign1. Its fields are the bytes as received.
type Message struct {
	// Protected is the content of the protected header bstr, as received.
	Protected []byte
	// Alg is the protected alg header, 0 if absent.
	Alg keys.Algorithm
	// KeyID is the protected kid header, nil if absent.
	KeyID []byte
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
func Parse(data []byte) (*Message, error) {
	return ParseLarge(data, limits.MaxMessage)
}

// ParseLarge is [Parse] with a caller-chosen cap on the message size, for
// documents that are not QR payloads (status lists). The headers are still
// held to the QR-sized limits.
func ParseLarge(data []byte, max int) (*Message, error) {
	if len(data) > max {
		return nil, fmt.Errorf("%w: %d bytes > %d", ErrMalformed, len(data), max)
	}
	m := &Message{}
	if len(data) > 0 && data[0] == 0xd2 { // tag 18, one byte
		m.Tagged = true
		data = data[1:]
	}
	if len(data) == 0 || data[0] != 0x84 { // array of 4
		return nil, fmt.Errorf("%w: not an array of four", ErrMalformed)
	}
	var raw rawSign1
	if err := codec.UnmarshalLarge(data, max, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if raw.Payload == nil {
		return nil, fmt.Errorf("%w: detached payload", ErrMalformed)
	}
	if len(raw.Signature) == 0 {
		return nil, fmt.Errorf("%w: empty signature", ErrMalformed)
	}
	var unprotected map[any]cbor.RawMessage
	if err := codec.Unmarshal(raw.Unprotected, &unprotected); err != nil || unprotected == nil {
		return nil, fmt.Errorf("%w: unprotected header is not a map", ErrMalformed)
	}
	if _, ok := unprotected[int64(labelAlg)]; ok {
		return nil, fmt.Errorf("%w: alg in unprotected header", ErrMalformed)
	}
	if _, ok := unprotected[int64(labelCrit)]; ok {
		return nil, fmt.Errorf("%w: crit in unprotected header", ErrMalformed)
	}
	m.Protected = raw.Protected
	m.Payload = raw.Payload
	m.Signature = raw.Signature
	if len(raw.Protected) > 0 {
		var hdr map[any]cbor.RawMessage
		if err := codec.Unmarshal(raw.Protected, &hdr); err != nil || hdr == nil {
			return nil, fmt.Errorf("%w: protected header is not a map", ErrMalformed)
		}
		if _, ok := hdr[int64(labelCrit)]; ok {
			return nil, fmt.Errorf("%w: critical header parameters are not supported", ErrMalformed)
		}
		if v, ok := hdr[int64(labelAlg)]; ok {
			var alg int64
			if err := codec.Unmarshal(v, &alg); err != nil {
				return nil, fmt.Errorf("%w: alg is not an integer", ErrMalformed)
			}
			m.Alg = keys.Algorithm(alg)
		}
		if v, ok := hdr[int64(labelKID)]; ok {
			if err := codec.Unmarshal(v, &m.KeyID); err != nil || m.KeyID == nil {
				return nil, fmt.Errorf("%w: kid is not a byte string", ErrMalformed)
			}
		}
	}
	return m, nil
}

// SigStructure returns the ToBeSigned bytes (RFC 9052 §4.4) built from the
// protected header and payload exactly as received.
func (m *Message) SigStructure(external []byte) ([]byte, error) {
	if external == nil {
		external = []byte{}
	}
	return codec.Marshal([]any{"Signature1", m.Protected, external, m.Payload})
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
// [ErrSignature] when the signature does not verify.
func VerifyRaw(alg keys.Algorithm, pub crypto.PublicKey, tbs, sig []byte) error {
	switch alg {
	case ES256:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok || k.Curve != elliptic.P256() {
			return ErrAlgorithm
		}
	case EdDSA:
		k, ok := pub.(ed25519.PublicKey)
		if !ok || len(k) != ed25519.PublicKeySize {
			return ErrAlgorithm
		}
	default:
		return ErrAlgorithm
	}
	v, err := cose.NewVerifier(cose.Algorithm(alg), pub)
	if err != nil {
		return ErrAlgorithm
	}
	if err := v.Verify(tbs, sig); err != nil {
		return ErrSignature
	}
	return nil
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
	s, err := cose.NewSigner(cose.Algorithm(alg), signer)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAlgorithm, err)
	}
	sig, err := s.Sign(rand, tbs)
	if err != nil {
		return nil, fmt.Errorf("cose: signing: %v", err)
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
