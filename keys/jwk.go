package keys

import (
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"

	"github.com/ikdgo/ikd/internal/ident"
)

// useSig is the JWK "use" value of a signature key (RFC 7517 §4.2).
const useSig = "sig"

// toJWK returns pub as a go-jose JSONWebKey with kid (the base64url
// RFC 7638 thumbprint, jwkKeyID), alg (the JOSE name of the key's
// algorithm) and use "sig". It returns an error wrapping errInvalidKey if
// pub is not an ES256 or EdDSA key.
func toJWK(pub crypto.PublicKey) (jose.JSONWebKey, error) {
	alg, err := AlgorithmOf(pub)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	kid, err := jwkKeyID(pub)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	return jose.JSONWebKey{Key: pub, KeyID: kid, Algorithm: string(alg.jose()), Use: useSig}, nil
}

// marshalPublicJWK returns pub as a JWK (RFC 7517) in JSON, with kid, alg
// and use "sig": the form of the root.jwk file that scanners pin.
func marshalPublicJWK(pub crypto.PublicKey) ([]byte, error) {
	k, err := toJWK(pub)
	if err != nil {
		return nil, err
	}
	return k.MarshalJSON()
}

// parsePublicJWK reads one public JWK: kty "EC" with crv "P-256", or kty
// "OKP" with crv "Ed25519". The point must be on the curve, an Ed25519 key
// 32 bytes and not of small order. kid, alg and use are optional here, but
// when present they must be right: kid the RFC 7638 thumbprint, alg the
// key's algorithm, use "sig". Private members (d and the RSA and symmetric
// ones) are refused, and so are members ikd does not know.
//
// Every error wraps ErrMalformed (errInvalidKey for the key itself).
func parsePublicJWK(data []byte) (crypto.PublicKey, error) {
	if err := checkJSON(data); err != nil {
		return nil, err
	}
	k, err := decodePublicJWK(data, false)
	if err != nil {
		return nil, err
	}
	return k.pub, nil
}

// publicJWK is one JWK as decodePublicJWK checked it.
type publicJWK struct {
	pub     crypto.PublicKey
	alg     Algorithm
	kid     string // the JWK kid, always the thumbprint
	coseKID []byte // KeyID
}

// jwkMembers are the JWK members a public ES256 or EdDSA key may have.
var jwkMembers = map[string]bool{"kty": true, "crv": true, "x": true, "y": true, "kid": true, "alg": true, "use": true}

// jwkPrivateMembers are the members that carry private or secret key
// material in any key type (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
var jwkPrivateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

// decodePublicJWK decodes one JWK that checkJSON has accepted. With strict,
// kid, alg and use "sig" must all be present (as in a JWK set or trust
// list); without, each is checked only when present.
func decodePublicJWK(raw []byte, strict bool) (publicJWK, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return publicJWK{}, fmt.Errorf("%w: JWK is not a JSON object", ErrMalformed)
	}
	var kty string
	if err := json.Unmarshal(members["kty"], &kty); err != nil {
		return publicJWK{}, fmt.Errorf("%w: JWK without a kty string", ErrMalformed)
	}
	if kty != "EC" && kty != "OKP" {
		return publicJWK{}, fmt.Errorf("%w: JWK key type %q (only EC P-256 and OKP Ed25519)", errInvalidKey, kty)
	}
	for _, m := range jwkPrivateMembers {
		if _, ok := members[m]; ok {
			return publicJWK{}, fmt.Errorf("%w: JWK has private member %q where a public key belongs", errInvalidKey, m)
		}
	}
	for m := range members {
		if !jwkMembers[m] {
			return publicJWK{}, fmt.Errorf("%w: unknown JWK member %q", ErrMalformed, m)
		}
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil {
		return publicJWK{}, fmt.Errorf("%w: %v", errInvalidKey, err)
	}
	alg, err := AlgorithmOf(k.Key)
	if err != nil {
		return publicJWK{}, err
	}
	t, err := thumbprint(k.Key)
	if err != nil {
		return publicJWK{}, err
	}
	kid := base64.RawURLEncoding.EncodeToString(t)
	if strict || k.Algorithm != "" {
		declared, ok := algorithmFromJOSE(k.Algorithm)
		if !ok || declared != alg {
			return publicJWK{}, fmt.Errorf("%w: JWK alg %q on a %v key", errInvalidKey, k.Algorithm, alg)
		}
	}
	if (strict || k.Use != "") && k.Use != useSig {
		return publicJWK{}, fmt.Errorf("%w: JWK use %q, not %q", errInvalidKey, k.Use, useSig)
	}
	if (strict || k.KeyID != "") && k.KeyID != kid {
		return publicJWK{}, fmt.Errorf("%w: JWK kid %q is not the key's RFC 7638 thumbprint %q", ErrMalformed, k.KeyID, kid)
	}
	return publicJWK{pub: k.Key, alg: alg, kid: kid, coseKID: t[:keyIDSize:keyIDSize]}, nil
}

// MarshalJWKSet returns keys as the JSON of a JWK set (RFC 7517 §5) with
// one extra top-level member, "validity", that carries what a JWK cannot:
//
//	{"keys": [JWK, ...],
//	 "validity": [{"kid": JWK kid, "iss": issuer id, "nbf": seconds, "exp": seconds}, ...]}
//
// "keys" holds each distinct key once, with kid (RFC 7638 thumbprint), alg
// and use "sig". "validity" has one entry per (key, issuer): the key is
// trusted for credentials issued at t with nbf <= t < exp (Unix seconds,
// like JWT's nbf and exp). RFC 7517 §5 tells implementations to ignore
// members they do not understand, so any JOSE library still reads the keys.
// This is the issuers.jwks file, and the "jwks" member of a trust list.
//
// Each key needs an IssuerID ([TrustedIssuer.ID]'s rule) and a non-empty
// window; a zero Algorithm or nil KeyID is filled in from the public key,
// a wrong one is an error. Times are truncated to whole seconds. It
// returns an error wrapping [ErrMalformed] if a key is invalid, listed
// twice for one issuer, or has an empty window; the message names the
// issuer and key.
func MarshalJWKSet(keys ...IssuerKey) ([]byte, error) {
	doc, err := encodeKeySet(keys)
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc.wire())
}

// jwkSetWire is the JSON of a JWK set with validity windows.
type jwkSetWire struct {
	Keys     []json.RawMessage `json:"keys"`
	Validity []validityWire    `json:"validity"`
}

// validityWire is one entry of "validity". Pointers tell a missing member
// from a zero one.
type validityWire struct {
	KeyID     string `json:"kid"`
	Issuer    string `json:"iss"`
	NotBefore *int64 `json:"nbf"`
	NotAfter  *int64 `json:"exp"`
}

// keySet is an encoded JWK set before it becomes JSON.
type keySet struct {
	jwks     []jose.JSONWebKey
	validity []validityWire
}

func (s keySet) wire() jwkSetWireOut {
	out := jwkSetWireOut{Keys: s.jwks, Validity: s.validity}
	if out.Keys == nil {
		out.Keys = []jose.JSONWebKey{}
	}
	if out.Validity == nil {
		out.Validity = []validityWire{}
	}
	return out
}

// jwkSetWireOut is jwkSetWire for encoding: go-jose marshals the keys.
type jwkSetWireOut struct {
	Keys     []jose.JSONWebKey `json:"keys"`
	Validity []validityWire    `json:"validity"`
}

// encodeKeySet checks keys (with checkIssuerKey) and turns them into JWKs
// and validity entries, each distinct key once.
func encodeKeySet(keys []IssuerKey) (keySet, error) {
	var s keySet
	seen := map[string]bool{}       // JWK kid
	windows := map[[2]string]bool{} // (JWK kid, issuer)
	for _, k := range keys {
		ck, kid, err := checkIssuerKey(k)
		if err != nil {
			return keySet{}, err
		}
		if windows[[2]string{kid, ck.IssuerID}] {
			return keySet{}, &trustListError{issuer: ck.IssuerID, kid: kid,
				err: fmt.Errorf("%w: the same key twice for one issuer", errDuplicateKeyID)}
		}
		windows[[2]string{kid, ck.IssuerID}] = true
		if !seen[kid] {
			seen[kid] = true
			j, err := toJWK(ck.PublicKey)
			if err != nil {
				return keySet{}, &trustListError{issuer: ck.IssuerID, kid: kid, err: err}
			}
			s.jwks = append(s.jwks, j)
		}
		nbf, exp := ck.NotBefore.Unix(), ck.NotAfter.Unix()
		s.validity = append(s.validity, validityWire{KeyID: kid, Issuer: ck.IssuerID, NotBefore: &nbf, NotAfter: &exp})
	}
	return s, nil
}

// decodeKeySet checks a decoded JWK set and returns its keys, one per
// validity entry, in the order of the entries. If issuers is not nil,
// every entry's issuer must be in it and gets its name.
func decodeKeySet(w jwkSetWire, issuers map[string]string) ([]IssuerKey, error) {
	byKID := make(map[string]publicJWK, len(w.Keys))
	used := make(map[string]bool, len(w.Keys))
	for _, raw := range w.Keys {
		k, err := decodePublicJWK(raw, true)
		if err != nil {
			return nil, &trustListError{kid: jwkKIDHint(raw), err: err}
		}
		if _, dup := byKID[k.kid]; dup {
			return nil, &trustListError{kid: k.kid, err: fmt.Errorf("%w: the same key twice in one JWK set", errDuplicateKeyID)}
		}
		byKID[k.kid] = k
	}
	out := make([]IssuerKey, 0, len(w.Validity))
	windows := make(map[[2]string]bool, len(w.Validity))
	for _, v := range w.Validity {
		k, ok := byKID[v.KeyID]
		if !ok {
			return nil, &trustListError{issuer: v.Issuer, kid: v.KeyID, err: fmt.Errorf("%w: validity entry for a key not in the set", ErrMalformed)}
		}
		if !ident.ValidIssuerID(v.Issuer) {
			return nil, &trustListError{kid: v.KeyID, err: fmt.Errorf("%w: invalid issuer id %q", ErrMalformed, v.Issuer)}
		}
		var name string
		if issuers != nil {
			n, ok := issuers[v.Issuer]
			if !ok {
				return nil, &trustListError{issuer: v.Issuer, kid: v.KeyID, err: fmt.Errorf("%w: key of an issuer that is not listed", ErrMalformed)}
			}
			name = n
		}
		if windows[[2]string{v.KeyID, v.Issuer}] {
			return nil, &trustListError{issuer: v.Issuer, kid: v.KeyID, err: fmt.Errorf("%w: the same key twice for one issuer", errDuplicateKeyID)}
		}
		windows[[2]string{v.KeyID, v.Issuer}] = true
		if v.NotBefore == nil || v.NotAfter == nil {
			return nil, &trustListError{issuer: v.Issuer, kid: v.KeyID, err: fmt.Errorf("%w: validity entry without nbf and exp", ErrMalformed)}
		}
		if *v.NotBefore >= *v.NotAfter || !validUnix(*v.NotBefore) || !validUnix(*v.NotAfter) {
			return nil, &trustListError{issuer: v.Issuer, kid: v.KeyID, err: fmt.Errorf("%w: validity window [%d, %d) is empty or out of range", ErrMalformed, *v.NotBefore, *v.NotAfter)}
		}
		used[v.KeyID] = true
		out = append(out, IssuerKey{
			IssuerID:   v.Issuer,
			IssuerName: name,
			KeyID:      k.coseKID,
			Algorithm:  k.alg,
			PublicKey:  k.pub,
			NotBefore:  time.Unix(*v.NotBefore, 0).UTC(),
			NotAfter:   time.Unix(*v.NotAfter, 0).UTC(),
		})
	}
	for kid := range byKID {
		if !used[kid] {
			return nil, &trustListError{kid: kid, err: fmt.Errorf("%w: key without a validity window", ErrMalformed)}
		}
	}
	return out, nil
}

// jwkKIDHint returns the kid member of a JWK that failed to decode, for the
// error message only, "" if there is none.
func jwkKIDHint(raw []byte) string {
	var v struct {
		KeyID string `json:"kid"`
	}
	if json.Unmarshal(raw, &v) != nil || len(v.KeyID) > 64 || !utf8.ValidString(v.KeyID) {
		return ""
	}
	return v.KeyID
}

// validUnix reports whether s seconds is a time ikd can represent in JSON
// and RFC 3339: years 1970 to 9999.
func validUnix(s int64) bool { return s >= 0 && s < 253402300800 }

// maxIssuerName is the longest issuer display name, in bytes.
const maxIssuerName = 256

// validIssuerName reports whether name is a displayable issuer name: valid
// UTF-8, 1 to 256 bytes, no control characters.
func validIssuerName(name string) bool {
	if name == "" || len(name) > maxIssuerName || !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// checkIssuerKey checks one issuer key on the issuer side and returns it
// completed (Algorithm and KeyID filled in when zero, times truncated to
// seconds, in UTC) with its JWK kid.
func checkIssuerKey(k IssuerKey) (IssuerKey, string, error) {
	fail := func(err error) (IssuerKey, string, error) {
		return IssuerKey{}, "", &trustListError{issuer: k.IssuerID, err: err}
	}
	if !ident.ValidIssuerID(k.IssuerID) {
		return fail(fmt.Errorf("%w: invalid issuer id %q", ErrMalformed, k.IssuerID))
	}
	alg, err := AlgorithmOf(k.PublicKey)
	if err != nil {
		return fail(err)
	}
	if k.Algorithm == 0 {
		k.Algorithm = alg
	}
	if k.Algorithm != alg {
		return fail(fmt.Errorf("%w: %v key declared as %v", errInvalidKey, alg, k.Algorithm))
	}
	kid, err := jwkKeyID(k.PublicKey)
	if err != nil {
		return fail(err)
	}
	cose, _ := KeyID(k.PublicKey)
	if k.KeyID == nil {
		k.KeyID = cose
	} else if string(k.KeyID) != string(cose) {
		return fail(fmt.Errorf("%w: KeyID %x is not the key's thumbprint prefix %x", ErrMalformed, k.KeyID, cose))
	}
	k.NotBefore = k.NotBefore.Truncate(time.Second).UTC()
	k.NotAfter = k.NotAfter.Truncate(time.Second).UTC()
	if k.NotBefore.IsZero() || k.NotAfter.IsZero() || !k.NotBefore.Before(k.NotAfter) ||
		!validUnix(k.NotBefore.Unix()) || !validUnix(k.NotAfter.Unix()) {
		return IssuerKey{}, "", &trustListError{issuer: k.IssuerID, kid: kid,
			err: fmt.Errorf("%w: validity window [%v, %v) is empty or out of range", ErrMalformed, k.NotBefore, k.NotAfter)}
	}
	return k, kid, nil
}
