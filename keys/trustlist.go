package keys

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"

	"github.com/ikdgo/ikd/internal/limits"
)

// maxTrustList is the largest trust list (and JWK set) accepted, in bytes.
const maxTrustList = limits.MaxTrustList

// TrustListType is the JWS "typ" header of a trust list (RFC 7515 §4.1.9;
// explicit typing as RFC 8725 §3.11 advises, so that no other JWS signed
// by the root can pass for a trust list).
const TrustListType = "ikd-trustlist+json"

// trustListVersion is the payload format version this package reads and
// writes. A payload member this version does not define is refused, so a
// new member means a new version.
const trustListVersion = 1

// IssuerKey is one trusted issuer key from a verified trust list.
type IssuerKey struct {
	// IssuerID identifies the issuer: the Disdukcapil (regional civil
	// registry office) regency or city code, such as "3171" for Jakarta
	// Pusat, or "00" for the national Dukcapil.
	IssuerID string
	// IssuerName is the issuer's display name.
	IssuerName string
	// KeyID is the 8-byte COSE kid, [KeyID] of PublicKey.
	KeyID []byte
	// Algorithm is the one algorithm this key verifies.
	Algorithm Algorithm
	// PublicKey is an *ecdsa.PublicKey on P-256 (ES256) or an
	// ed25519.PublicKey (EdDSA), checked when the list was parsed.
	PublicKey crypto.PublicKey
	// NotBefore and NotAfter bound the issue times of the credentials this
	// key may have signed: see ValidAt.
	NotBefore, NotAfter time.Time
}

// ValidAt reports whether t lies in the key's validity window,
// NotBefore <= t < NotAfter. Verifiers pass the credential's issue time: a
// key stays valid for the credentials it signed in its window, and a
// credential claiming an issue time at or after NotAfter does not verify.
func (k IssuerKey) ValidAt(t time.Time) bool {
	return !t.Before(k.NotBefore) && t.Before(k.NotAfter)
}

// Issuer is one issuer in a trust list with its keys.
type Issuer struct {
	// ID is the issuer id ([IssuerKey.IssuerID]): 1 to 64 characters of
	// A-Z, a-z, 0-9, '.', '_' and '-'.
	ID string
	// Name is the display name: UTF-8, 1 to 256 bytes, no control
	// characters.
	Name string
	// Keys are the issuer's keys, current and retired, each with its
	// validity window.
	Keys []IssuerKey
}

// TrustList is a trust list: the issuers a scanner trusts and their keys,
// with a sequence number, an issue time and a next-update time. One that
// [ParseTrustList] returns has been verified against the pinned root; one
// that [NewTrustList] returns is the issuer side's, ready for
// [SignTrustList].
//
// A TrustList is immutable and safe for concurrent use. Lookup is one map
// access, whatever the number of issuers.
type TrustList struct {
	seq        uint64
	issuedAt   time.Time
	nextUpdate time.Time
	issuers    []Issuer
	index      map[[KeyIDSize]byte][]IssuerKey
	nextRoot   crypto.PublicKey

	// Set by ParseTrustList only.
	jws    []byte
	digest [sha256.Size]byte // of the payload
	root   crypto.PublicKey  // the root key that verified it
}

// Lookup returns every key in the list whose COSE kid is kid, nil if there
// is none. An 8-byte kid can collide, and one key may serve several
// issuers, so there may be more than one: a verifier tries each candidate
// whose Algorithm equals the message's alg and that is ValidAt the
// credential's issue time (see [TrustList.Candidates]), and accepts the
// message if one verifies. The returned slice is the caller's; the keys in
// it must not be modified. A nil list (no trust list held, as
// [Store.Current] may return) finds nothing.
func (l *TrustList) Lookup(kid []byte) []IssuerKey {
	if l == nil || len(kid) != KeyIDSize {
		return nil
	}
	return slices.Clone(l.index[[KeyIDSize]byte(kid)])
}

// Candidates returns the keys of [TrustList.Lookup] (kid) that verify alg
// and are valid at t (the credential's issue time): exactly the keys a
// verifier should try. A nil list finds nothing.
func (l *TrustList) Candidates(kid []byte, alg Algorithm, t time.Time) []IssuerKey {
	if l == nil || len(kid) != KeyIDSize {
		return nil
	}
	var out []IssuerKey
	for _, k := range l.index[[KeyIDSize]byte(kid)] {
		if k.Algorithm == alg && k.ValidAt(t) {
			out = append(out, k)
		}
	}
	return out
}

// Sequence returns the list's sequence number. Each list the root signs has
// a higher one than the last; scanners refuse a lower one (rollback).
func (l *TrustList) Sequence() uint64 { return l.seq }

// IssuedAt returns when the list was issued, in UTC, to the second.
func (l *TrustList) IssuedAt() time.Time { return l.issuedAt }

// NextUpdate returns when the next list will be issued. Past it (and the
// grace period, [WithGrace]) a scanner no longer accepts this list.
func (l *TrustList) NextUpdate() time.Time { return l.nextUpdate }

// Issuers returns the issuers in list order, each with its keys. The
// returned slices are the caller's.
func (l *TrustList) Issuers() []Issuer {
	out := make([]Issuer, len(l.issuers))
	for i, is := range l.issuers {
		out[i] = Issuer{ID: is.ID, Name: is.Name, Keys: slices.Clone(is.Keys)}
	}
	return out
}

// NextRoot returns the root key this list announces as the next root, nil
// if it announces none. A [Store] that accepts the list pins it.
func (l *TrustList) NextRoot() crypto.PublicKey { return l.nextRoot }

// Root returns the root key that verified the list, nil for a list from
// [NewTrustList].
func (l *TrustList) Root() crypto.PublicKey { return l.root }

// JWS returns a copy of the compact JWS the list was parsed from, nil for a
// list from [NewTrustList].
func (l *TrustList) JWS() []byte { return bytes.Clone(l.jws) }

// expired reports whether l's next update is more than grace before now.
func (l *TrustList) expired(now time.Time, grace time.Duration) bool {
	return now.After(l.nextUpdate.Add(grace))
}

// NewTrustList builds a trust list on the issuer side: sequence number seq
// (at least 1, higher than every list signed before), issued at issuedAt,
// next update at nextUpdate (after issuedAt), and the issuers with their
// keys. Each key's IssuerID and IssuerName are set from its Issuer (a
// different non-empty IssuerID is an error), a zero Algorithm or nil KeyID
// is filled in from the public key, and times are truncated to whole
// seconds in UTC. The same key twice for one issuer is an error wrapping
// [ErrDuplicateKeyID]; the same key under two issuers is allowed (it then
// appears once per issuer in Lookup, and the verifier matches the
// credential's issuer to IssuerID).
//
// It returns a [*TrustListError] wrapping [ErrMalformed], [ErrInvalidKey],
// [ErrWrongAlgorithm] or [ErrDuplicateKeyID].
func NewTrustList(seq uint64, issuedAt, nextUpdate time.Time, issuers []Issuer) (*TrustList, error) {
	issuedAt = issuedAt.Truncate(time.Second).UTC()
	nextUpdate = nextUpdate.Truncate(time.Second).UTC()
	if err := checkHeader(seq, issuedAt, nextUpdate); err != nil {
		return nil, listErr(err)
	}
	out := make([]Issuer, 0, len(issuers))
	seenIssuer := map[string]bool{}
	for _, is := range issuers {
		if err := checkIssuer(is.ID, is.Name, seenIssuer); err != nil {
			return nil, err
		}
		keys := make([]IssuerKey, 0, len(is.Keys))
		seenKey := map[string]bool{}
		for _, k := range is.Keys {
			if k.IssuerID != "" && k.IssuerID != is.ID {
				return nil, &TrustListError{Issuer: is.ID, Err: fmt.Errorf("%w: key of issuer %q listed under %q", ErrMalformed, k.IssuerID, is.ID)}
			}
			k.IssuerID, k.IssuerName = is.ID, is.Name
			ck, kid, err := checkIssuerKey(k)
			if err != nil {
				return nil, err
			}
			if seenKey[kid] {
				return nil, &TrustListError{Issuer: is.ID, KeyID: kid, Err: fmt.Errorf("%w: the same key twice for one issuer", ErrDuplicateKeyID)}
			}
			seenKey[kid] = true
			keys = append(keys, ck)
		}
		out = append(out, Issuer{ID: is.ID, Name: is.Name, Keys: keys})
	}
	return newList(seq, issuedAt, nextUpdate, out, nil), nil
}

func checkHeader(seq uint64, issuedAt, nextUpdate time.Time) error {
	if seq == 0 {
		return fmt.Errorf("%w: sequence number 0 (it starts at 1)", ErrMalformed)
	}
	if !validUnix(issuedAt.Unix()) || !validUnix(nextUpdate.Unix()) || issuedAt.Unix() == 0 {
		return fmt.Errorf("%w: issue or next-update time out of range", ErrMalformed)
	}
	if !nextUpdate.After(issuedAt) {
		return fmt.Errorf("%w: next update %v is not after issue time %v", ErrMalformed, nextUpdate, issuedAt)
	}
	return nil
}

func checkIssuer(id, name string, seen map[string]bool) error {
	if !validIssuerID(id) {
		return listErr(fmt.Errorf("%w: invalid issuer id %q", ErrMalformed, id))
	}
	if !validIssuerName(name) {
		return &TrustListError{Issuer: id, Err: fmt.Errorf("%w: invalid issuer name", ErrMalformed)}
	}
	if seen[id] {
		return &TrustListError{Issuer: id, Err: fmt.Errorf("%w: issuer listed twice", ErrMalformed)}
	}
	seen[id] = true
	return nil
}

// newList builds the index over checked issuers.
func newList(seq uint64, issuedAt, nextUpdate time.Time, issuers []Issuer, nextRoot crypto.PublicKey) *TrustList {
	l := &TrustList{
		seq:        seq,
		issuedAt:   issuedAt,
		nextUpdate: nextUpdate,
		issuers:    issuers,
		index:      map[[KeyIDSize]byte][]IssuerKey{},
		nextRoot:   nextRoot,
	}
	for _, is := range issuers {
		for _, k := range is.Keys {
			id := [KeyIDSize]byte(k.KeyID)
			l.index[id] = append(l.index[id], k)
		}
	}
	return l
}

// WithNextRoot returns a copy of l that announces next as the next root
// key: scanners that accept the list pin next for the lists that follow
// (see [Store]). next must be an ES256 or EdDSA public key.
func (l *TrustList) WithNextRoot(next crypto.PublicKey) (*TrustList, error) {
	if _, err := AlgorithmOf(next); err != nil {
		return nil, listErr(err)
	}
	return newList(l.seq, l.issuedAt, l.nextUpdate, l.issuers, next), nil
}

// payloadWire is the JSON payload of a trust list, as read.
type payloadWire struct {
	Version    int             `json:"version"`
	Sequence   uint64          `json:"sequence"`
	IssuedAt   int64           `json:"issued_at"`
	NextUpdate int64           `json:"next_update"`
	Issuers    []issuerWire    `json:"issuers"`
	JWKS       jwkSetWire      `json:"jwks"`
	NextRoot   json.RawMessage `json:"next_root,omitempty"`
}

// payloadWireOut is payloadWire for writing.
type payloadWireOut struct {
	Version    int              `json:"version"`
	Sequence   uint64           `json:"sequence"`
	IssuedAt   int64            `json:"issued_at"`
	NextUpdate int64            `json:"next_update"`
	Issuers    []issuerWire     `json:"issuers"`
	JWKS       jwkSetWireOut    `json:"jwks"`
	NextRoot   *jose.JSONWebKey `json:"next_root,omitempty"`
}

type issuerWire struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// marshalPayload returns the JSON payload of l.
func (l *TrustList) marshalPayload() ([]byte, error) {
	p := payloadWireOut{
		Version:    trustListVersion,
		Sequence:   l.seq,
		IssuedAt:   l.issuedAt.Unix(),
		NextUpdate: l.nextUpdate.Unix(),
		Issuers:    make([]issuerWire, 0, len(l.issuers)),
	}
	var all []IssuerKey
	for _, is := range l.issuers {
		p.Issuers = append(p.Issuers, issuerWire{ID: is.ID, Name: is.Name})
		all = append(all, is.Keys...)
	}
	set, err := encodeKeySet(all)
	if err != nil {
		return nil, err
	}
	p.JWKS = set.wire()
	if l.nextRoot != nil {
		alg, err := AlgorithmOf(l.nextRoot)
		if err != nil {
			return nil, listErr(err)
		}
		j, err := PublicJWK(l.nextRoot, alg)
		if err != nil {
			return nil, listErr(err)
		}
		p.NextRoot = &j
	}
	return json.Marshal(p)
}

// SignTrustList signs l with the root key as a compact JWS (RFC 7515 §7.1)
// whose protected header is {"alg", "kid", "typ"}: alg is the root
// algorithm, given explicitly and checked against the signer's key; kid is
// the root's JWK kid ([JWKKeyID]); typ is [TrustListType]. The payload is
// the JSON described in the package documentation.
//
// root may be any crypto.Signer (an HSM, a KMS) whose public key is a P-256
// key for ES256 or an Ed25519 key for EdDSA. ECDSA signatures use
// crypto/rand. It returns a [*TrustListError] wrapping [ErrWrongAlgorithm]
// or [ErrInvalidKey] for a signer that does not fit alg, and [ErrTooLarge]
// if the result is over [limits.MaxTrustList], which scanners refuse.
func SignTrustList(l *TrustList, root crypto.Signer, alg Algorithm) ([]byte, error) {
	if l == nil {
		return nil, listErr(fmt.Errorf("%w: nil trust list", ErrMalformed))
	}
	if err := checkSigner(root, alg); err != nil {
		return nil, listErr(err)
	}
	payload, err := l.marshalPayload()
	if err != nil {
		return nil, listErr(err)
	}
	kid, err := JWKKeyID(root.Public())
	if err != nil {
		return nil, listErr(err)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: alg.jose(), Key: cryptosigner.Opaque(root)},
		(&jose.SignerOptions{}).WithType(TrustListType).WithHeader("kid", kid),
	)
	if err != nil {
		return nil, listErr(fmt.Errorf("%w: %v", ErrInvalidKey, err))
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return nil, fmt.Errorf("keys: signing trust list: %v", err)
	}
	compact, err := obj.CompactSerialize()
	if err != nil {
		return nil, fmt.Errorf("keys: signing trust list: %v", err)
	}
	if len(compact) > maxTrustList {
		return nil, listErr(fmt.Errorf("%w: signed trust list is %d bytes, limit %d", ErrTooLarge, len(compact), maxTrustList))
	}
	return []byte(compact), nil
}

// ParseTrustList verifies a trust list against the pinned root public key
// and returns it. jws is the compact JWS as published (surrounding
// whitespace, such as a final newline, is ignored). The root algorithm is
// the one of root's key (ES256 for P-256, EdDSA for Ed25519), never the
// one the header names.
//
// Checks, in order, each failing with a [*TrustListError] that wraps:
//   - [ErrTooLarge]: over [limits.MaxTrustList] bytes, before any parsing;
//   - [ErrMalformed]: not a compact JWS, bad base64url, a header member
//     other than alg, kid and typ, typ not [TrustListType], a payload that
//     is not the documented JSON (duplicate or unknown members included);
//   - [ErrWrongAlgorithm]: a header alg other than the root's ("none" and
//     HMAC included), or a listed key whose alg does not fit it;
//   - [ErrBadSignature]: signed by another key (wrong root) or altered;
//   - [ErrInvalidKey]: a listed key that is not a valid P-256 or Ed25519
//     public key (off-curve points, RSA, symmetric or private keys);
//   - [ErrDuplicateKeyID]: the same key twice for one issuer or twice in
//     the JWK set;
//   - [ErrRollback]: sequence number lower than [WithMinSequence];
//   - [ErrExpired]: next update more than the grace period ([WithGrace],
//     default [DefaultGrace]) before the clock ([WithClock]).
func ParseTrustList(jws []byte, root crypto.PublicKey, opts ...Option) (*TrustList, error) {
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return parseTrustList(jws, []crypto.PublicKey{root}, c)
}

// parseTrustList is ParseTrustList against any of roots (the pinned root
// and an announced next root).
func parseTrustList(jws []byte, roots []crypto.PublicKey, c config) (*TrustList, error) {
	if len(jws) > maxTrustList {
		return nil, listErr(fmt.Errorf("%w: trust list is %d bytes, limit %d", ErrTooLarge, len(jws), maxTrustList))
	}
	jws = bytes.TrimSpace(jws)
	set := make([]jose.JSONWebKey, 0, len(roots))
	for _, r := range roots {
		alg, err := AlgorithmOf(r)
		if err != nil {
			return nil, listErr(fmt.Errorf("root key: %w", err))
		}
		j, err := PublicJWK(r, alg)
		if err != nil {
			return nil, listErr(fmt.Errorf("root key: %w", err))
		}
		set = append(set, j)
	}
	payload, hdr, key, err := verifyJWS(string(jws), set)
	if err != nil {
		return nil, listErr(err)
	}
	if hdr.ExtraHeaders[jose.HeaderType] != TrustListType {
		return nil, listErr(fmt.Errorf("%w: JWS typ %v, not %q", ErrMalformed, hdr.ExtraHeaders[jose.HeaderType], TrustListType))
	}
	l, err := decodePayload(payload)
	if err != nil {
		return nil, listErr(err)
	}
	if l.seq < c.minSeq {
		return nil, listErr(fmt.Errorf("%w: sequence %d, already held %d", ErrRollback, l.seq, c.minSeq))
	}
	if now := c.now(); !c.anyAge && l.expired(now, c.grace) {
		return nil, listErr(fmt.Errorf("%w: next update was %v, grace %v, now %v", ErrExpired, l.nextUpdate, c.grace, now.UTC()))
	}
	l.jws = bytes.Clone(jws)
	l.digest = sha256.Sum256(payload)
	l.root = key.Key
	return l, nil
}

// decodePayload reads and checks a trust list payload whose signature has
// been verified.
func decodePayload(payload []byte) (*TrustList, error) {
	var p payloadWire
	if err := decodeStrict(payload, &p); err != nil {
		return nil, err
	}
	if p.Version != trustListVersion {
		return nil, fmt.Errorf("%w: trust list version %d, this package reads %d", ErrMalformed, p.Version, trustListVersion)
	}
	if !validUnix(p.IssuedAt) || !validUnix(p.NextUpdate) {
		return nil, fmt.Errorf("%w: issue or next-update time out of range", ErrMalformed)
	}
	issuedAt, nextUpdate := time.Unix(p.IssuedAt, 0).UTC(), time.Unix(p.NextUpdate, 0).UTC()
	if err := checkHeader(p.Sequence, issuedAt, nextUpdate); err != nil {
		return nil, err
	}
	names := make(map[string]string, len(p.Issuers))
	pos := make(map[string]int, len(p.Issuers))
	issuers := make([]Issuer, 0, len(p.Issuers))
	seen := map[string]bool{}
	for _, is := range p.Issuers {
		if err := checkIssuer(is.ID, is.Name, seen); err != nil {
			return nil, err
		}
		names[is.ID] = is.Name
		pos[is.ID] = len(issuers)
		issuers = append(issuers, Issuer{ID: is.ID, Name: is.Name})
	}
	keys, err := decodeKeySet(p.JWKS, names)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		i := pos[k.IssuerID]
		issuers[i].Keys = append(issuers[i].Keys, k)
	}
	var next crypto.PublicKey
	if len(p.NextRoot) > 0 && !bytes.Equal(p.NextRoot, []byte("null")) {
		k, err := decodePublicJWK(p.NextRoot, true)
		if err != nil {
			return nil, fmt.Errorf("next root: %w", err)
		}
		next = k.pub
	}
	return newList(p.Sequence, issuedAt, nextUpdate, issuers, next), nil
}
