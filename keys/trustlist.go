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

	"github.com/ikdgo/ikd/internal/ident"
	"github.com/ikdgo/ikd/internal/limits"
)

// maxTrustList is the largest trust list (and JWK set) accepted, in bytes.
const maxTrustList = limits.MaxTrustList

// trustListType is the JWS "typ" header of a trust list (RFC 7515 §4.1.9;
// explicit typing as RFC 8725 §3.11 advises, so that no other JWS signed
// by the root can pass for a trust list).
const trustListType = "ikd-trustlist+json"

// trustListVersion is the payload format version this package reads and
// writes. A payload member this version does not define is refused, so a
// new member means a new version.
const trustListVersion = 1

// IssuerKey is one issuer key: in a verified trust list ([TrustList.Lookup])
// a key that scanners trust, on the issuer side ([TrustedIssuer.Keys],
// [MarshalJWKSet]) a key to list.
type IssuerKey struct {
	// IssuerID identifies the issuer: the Disdukcapil (regional civil
	// registry office) regency or city code, such as "3171" for Jakarta
	// Pusat, or "00" for the national Dukcapil. See [TrustedIssuer.ID].
	IssuerID string
	// IssuerName is the issuer's display name. In a verified list it is
	// the name of the issuer's entry; SignTrustList ignores it and takes
	// the name from [TrustedIssuer.Name] (and IssuerID from its ID).
	IssuerName string
	// KeyID is the 8-byte COSE kid, [KeyID] of PublicKey.
	KeyID []byte
	// Algorithm is the one algorithm this key verifies.
	Algorithm Algorithm
	// PublicKey is an *ecdsa.PublicKey on P-256 (ES256) or an
	// ed25519.PublicKey (EdDSA), checked when the list was parsed.
	PublicKey crypto.PublicKey
	// NotBefore and NotAfter bound the issue times of the credentials this
	// key may have signed: see ValidAt. In a list they are whole seconds.
	NotBefore, NotAfter time.Time
}

// ValidAt reports whether t lies in the key's validity window,
// NotBefore <= t < NotAfter. Verifiers pass the credential's issue time: a
// key stays valid for the credentials it signed in its window, and a
// credential claiming an issue time at or after NotAfter does not verify.
func (k IssuerKey) ValidAt(t time.Time) bool {
	return !t.Before(k.NotBefore) && t.Before(k.NotAfter)
}

// TrustedIssuer is one issuer in a trust list with its keys.
type TrustedIssuer struct {
	// ID is the issuer id ([IssuerKey.IssuerID]): 1 to 32 bytes of A-Z,
	// a-z, 0-9, '.', '_' and '-', the rule credentials and status lists
	// share.
	ID string
	// Name is the display name: UTF-8, 1 to 256 bytes, no control
	// characters.
	Name string
	// Keys are the issuer's keys, current and retired, each with its
	// validity window. On the issuer side a key's IssuerID and IssuerName
	// may be left empty: they are the issuer's.
	Keys []IssuerKey
}

// TrustListContent is a trust list as the issuer side writes it, before
// it is signed: [SignTrustList] checks it and signs it with the root key.
// Scanners never see one; they get a verified [TrustList].
type TrustListContent struct {
	// Sequence is the list's sequence number: at least 1, and higher than
	// that of every list signed before (scanners refuse a lower one).
	Sequence uint64
	// IssuedAt is when the list is issued; NextUpdate, after it, is when
	// the next list will be. Past NextUpdate and the grace period
	// ([WithGrace]) scanners no longer accept the list. Both are
	// truncated to whole seconds.
	IssuedAt, NextUpdate time.Time
	// Issuers are the trusted issuers with their keys, in list order.
	Issuers []TrustedIssuer
	// NextRoot is the root public key this list announces as the next
	// root, nil for none: a [Store] that accepts the list trusts lists
	// signed by it too, and once one arrives, drops the old root.
	NextRoot crypto.PublicKey
}

// TrustList is a verified trust list: the issuers a scanner trusts and
// their keys, with a sequence number and a next-update time. Only
// [ParseTrustList] and a [Store] make one, after checking its signature
// against the pinned root.
//
// A TrustList is immutable and safe for concurrent use. Lookup is one map
// access, whatever the number of issuers.
type TrustList struct {
	seq        uint64
	issuedAt   time.Time
	nextUpdate time.Time
	issuers    []TrustedIssuer
	index      map[[keyIDSize]byte][]IssuerKey
	nextRoot   crypto.PublicKey

	// Set once verified.
	jws    []byte
	digest [sha256.Size]byte // of the payload
	root   crypto.PublicKey  // the root key that verified it
}

// Lookup returns every key in the list whose COSE kid is kid, nil if there
// is none. An 8-byte kid can collide, and one key may serve several
// issuers, so there may be more than one: a verifier tries each candidate
// whose IssuerID is the credential's issuer and that is ValidAt the
// credential's issue time, verifying with the candidate's own Algorithm
// (which the message's protected alg must equal, never the other way
// round), and accepts the message if one verifies. The returned slice is
// the caller's; the keys in it must not be modified. A nil list (no trust
// list held, as [Store.Current] may return) finds nothing.
func (l *TrustList) Lookup(kid []byte) []IssuerKey {
	if l == nil || len(kid) != keyIDSize {
		return nil
	}
	return slices.Clone(l.index[[keyIDSize]byte(kid)])
}

// Sequence returns the list's sequence number. Each list the root signs has
// a higher one than the last; a [Store] refuses a lower one (rollback).
func (l *TrustList) Sequence() uint64 { return l.seq }

// NextUpdate returns when the next list will be issued, in UTC, to the
// second. Past it and the grace period ([WithGrace]) a scanner no longer
// accepts this list.
func (l *TrustList) NextUpdate() time.Time { return l.nextUpdate }

// expired reports whether l's next update is more than grace before now.
func (l *TrustList) expired(now time.Time, grace time.Duration) bool {
	return now.After(l.nextUpdate.Add(grace))
}

// checkContent checks c on the issuer side and returns the list it
// describes, unsigned: each key's IssuerID and IssuerName set from its
// issuer (a different non-empty IssuerID is an error), a zero Algorithm
// or nil KeyID filled in from the public key, times truncated to whole
// seconds in UTC. The same key twice for one issuer is errDuplicateKeyID;
// the same key under two issuers is allowed (it then appears once per
// issuer in Lookup, and the verifier matches the credential's issuer to
// IssuerID).
func checkContent(c *TrustListContent) (*TrustList, error) {
	if c == nil {
		return nil, listErr(fmt.Errorf("%w: nil trust list content", ErrMalformed))
	}
	issuedAt := c.IssuedAt.Truncate(time.Second).UTC()
	nextUpdate := c.NextUpdate.Truncate(time.Second).UTC()
	if err := checkHeader(c.Sequence, issuedAt, nextUpdate); err != nil {
		return nil, listErr(err)
	}
	out := make([]TrustedIssuer, 0, len(c.Issuers))
	seenIssuer := map[string]bool{}
	for _, is := range c.Issuers {
		if err := checkIssuer(is.ID, is.Name, seenIssuer); err != nil {
			return nil, err
		}
		keys := make([]IssuerKey, 0, len(is.Keys))
		seenKey := map[string]bool{}
		for _, k := range is.Keys {
			if k.IssuerID != "" && k.IssuerID != is.ID {
				return nil, &trustListError{issuer: is.ID, err: fmt.Errorf("%w: key of issuer %q listed under %q", ErrMalformed, k.IssuerID, is.ID)}
			}
			k.IssuerID, k.IssuerName = is.ID, is.Name
			ck, kid, err := checkIssuerKey(k)
			if err != nil {
				return nil, err
			}
			if seenKey[kid] {
				return nil, &trustListError{issuer: is.ID, kid: kid, err: fmt.Errorf("%w: the same key twice for one issuer", errDuplicateKeyID)}
			}
			seenKey[kid] = true
			keys = append(keys, ck)
		}
		out = append(out, TrustedIssuer{ID: is.ID, Name: is.Name, Keys: keys})
	}
	if c.NextRoot != nil {
		if _, err := AlgorithmOf(c.NextRoot); err != nil {
			return nil, listErr(fmt.Errorf("next root: %w", err))
		}
	}
	return newList(c.Sequence, issuedAt, nextUpdate, out, c.NextRoot), nil
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
	if !ident.ValidIssuerID(id) {
		return listErr(fmt.Errorf("%w: invalid issuer id %q", ErrMalformed, id))
	}
	if !validIssuerName(name) {
		return &trustListError{issuer: id, err: fmt.Errorf("%w: invalid issuer name", ErrMalformed)}
	}
	if seen[id] {
		return &trustListError{issuer: id, err: fmt.Errorf("%w: issuer listed twice", ErrMalformed)}
	}
	seen[id] = true
	return nil
}

// newList builds the index over checked issuers.
func newList(seq uint64, issuedAt, nextUpdate time.Time, issuers []TrustedIssuer, nextRoot crypto.PublicKey) *TrustList {
	l := &TrustList{
		seq:        seq,
		issuedAt:   issuedAt,
		nextUpdate: nextUpdate,
		issuers:    issuers,
		index:      map[[keyIDSize]byte][]IssuerKey{},
		nextRoot:   nextRoot,
	}
	for _, is := range issuers {
		for _, k := range is.Keys {
			id := [keyIDSize]byte(k.KeyID)
			l.index[id] = append(l.index[id], k)
		}
	}
	return l
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

// marshalPayload returns the JSON payload of l, a list that checkContent
// or decodePayload made.
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
		j, err := toJWK(l.nextRoot)
		if err != nil {
			return nil, listErr(err)
		}
		p.NextRoot = &j
	}
	return json.Marshal(p)
}

// SignTrustList checks c and signs it with the root key: the trust list
// that scanners verify with [ParseTrustList]. The result is a compact JWS
// (RFC 7515 §7.1) whose protected header is {"alg", "kid", "typ"}: alg is
// the algorithm of root's key ([AlgorithmOf]: ES256 for P-256, EdDSA for
// Ed25519), kid the root's JWK kid (its base64url RFC 7638 thumbprint),
// typ "ikd-trustlist+json"; the payload is the JSON described in the
// package documentation.
//
// The checks: Sequence at least 1, NextUpdate after IssuedAt; every issuer
// with a valid id ([TrustedIssuer.ID]) and name, listed once; every key a
// valid ES256 or EdDSA public key with a non-empty window, listed once per
// issuer, its IssuerID empty or its issuer's, its Algorithm and KeyID zero
// (they are filled in from the key) or the key's; NextRoot nil or a valid
// key. c itself is not modified.
//
// root may be any crypto.Signer (an HSM, a KMS) whose public key is a P-256
// or an Ed25519 key. ECDSA signatures use crypto/rand. It returns an error
// wrapping [ErrMalformed] for content or a root key that fails a check
// (the message names the issuer and key), or for a result over 4 MiB
// ([limits.MaxTrustList]), which scanners refuse.
func SignTrustList(root crypto.Signer, c *TrustListContent) ([]byte, error) {
	alg, err := signerAlgorithm(root)
	if err != nil {
		return nil, listErr(fmt.Errorf("root key: %w", err))
	}
	l, err := checkContent(c)
	if err != nil {
		return nil, err
	}
	payload, err := l.marshalPayload()
	if err != nil {
		return nil, listErr(err)
	}
	kid, err := jwkKeyID(root.Public())
	if err != nil {
		return nil, listErr(err)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: alg.jose(), Key: cryptosigner.Opaque(root)},
		(&jose.SignerOptions{}).WithType(trustListType).WithHeader("kid", kid),
	)
	if err != nil {
		return nil, listErr(fmt.Errorf("%w: %v", errInvalidKey, err))
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
		return nil, listErr(fmt.Errorf("%w: signed trust list is %d bytes, limit %d", errTooLarge, len(compact), maxTrustList))
	}
	return []byte(compact), nil
}

// ParseTrustList verifies a trust list against the pinned root public key
// and returns it. jws is the compact JWS as published (surrounding
// whitespace, such as a final newline, is ignored). The root algorithm is
// the one of root's key (ES256 for P-256, EdDSA for Ed25519), never the
// one the header names. Options: [WithClock], [WithGrace].
//
// It checks, in order, and fails with an error that wraps:
//   - [ErrMalformed]: over 4 MiB ([limits.MaxTrustList]), before any
//     parsing; root not an ES256 or EdDSA public key; not a compact JWS,
//     bad base64url, a header member other than alg, kid and typ;
//   - [ErrBadSignature]: a header alg other than the root's ("none" and
//     HMAC included), signed by another key (wrong root), or altered;
//   - [ErrMalformed]: typ not "ikd-trustlist+json"; a payload that is not
//     the documented JSON (duplicate or unknown members included), an
//     issuer id or name that breaks the rules of [TrustedIssuer], a listed
//     key that is not a valid P-256 or Ed25519 public key (off-curve
//     points, small-order points, RSA, symmetric or private keys) or whose
//     alg does not fit it, the same key twice for one issuer or twice in
//     the JWK set;
//   - [ErrExpired]: next update more than the grace period ([WithGrace],
//     default 7 days) before the clock ([WithClock]).
//
// ParseTrustList has no memory: refusing a list older than the one held
// (rollback) is the [Store]'s job.
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
		return nil, listErr(fmt.Errorf("%w: trust list is %d bytes, limit %d", errTooLarge, len(jws), maxTrustList))
	}
	jws = bytes.TrimSpace(jws)
	set := make([]jose.JSONWebKey, 0, len(roots))
	for _, r := range roots {
		j, err := toJWK(r)
		if err != nil {
			return nil, listErr(fmt.Errorf("root key: %w", err))
		}
		set = append(set, j)
	}
	payload, hdr, key, err := verifyJWS(string(jws), set)
	if err != nil {
		return nil, listErr(err)
	}
	if hdr.ExtraHeaders[jose.HeaderType] != trustListType {
		return nil, listErr(fmt.Errorf("%w: JWS typ %v, not %q", ErrMalformed, hdr.ExtraHeaders[jose.HeaderType], trustListType))
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
	issuers := make([]TrustedIssuer, 0, len(p.Issuers))
	seen := map[string]bool{}
	for _, is := range p.Issuers {
		if err := checkIssuer(is.ID, is.Name, seen); err != nil {
			return nil, err
		}
		names[is.ID] = is.Name
		pos[is.ID] = len(issuers)
		issuers = append(issuers, TrustedIssuer{ID: is.ID, Name: is.Name})
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
