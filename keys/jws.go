package keys

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// This file is ikd's one JWS check. Trust lists are verified here against
// the pinned root (and an announced next root), and the Wycheproof JWK
// vectors run through the same function with their own key sets, which is
// why it knows RSA and HMAC keys although a trust list never holds them.
//
// The rules, each a known way JWS verifiers have been broken:
//
//   - The algorithm comes from the trusted key, never from the message:
//     every key in the set must declare its alg, the header alg must be one
//     of them, and a key is tried only if its alg equals the header alg.
//     "none" is never in the set; an HMAC alg cannot reach an EC or RSA key
//     (the classic "HS256 keyed with the public key" confusion).
//   - A key set is all public keys or all secret keys, never a mix, and
//     never private keys: a verifier holding an HMAC secret next to public
//     keys invites confusion between them.
//   - Kids in a set are unique; a header kid picks the only candidate.
//   - Weak keys are refused: RSA under 2048 bits, an even or tiny public
//     exponent, a ROCA-fingerprinted modulus (CVE-2017-15361), an HMAC key
//     shorter than its hash, an EC point off its curve, a small-order
//     Ed25519 point.
//   - The protected header may only hold alg, kid and typ: no embedded or
//     referenced keys (jwk, jku, x5c, x5u), no crit, no b64.
//   - Compact serialization only, strict base64url, one signature.
//   - Every cryptographic failure is the one error ErrBadSignature, and an
//     alg that no trusted key allows is errWrongAlgorithm, which wraps it:
//     to the caller both are a list that does not verify.

// jwsHeaderMembers are the protected header members ikd accepts.
var jwsHeaderMembers = map[string]bool{"alg": true, "kid": true, "typ": true}

// verifyJWS checks the compact JWS against the verification keys set (see
// checkKeySet) and returns the payload, the protected header and the key
// that verified it.
func verifyJWS(compact string, set []jose.JSONWebKey) ([]byte, jose.Header, *jose.JSONWebKey, error) {
	if err := checkKeySet(set); err != nil {
		return nil, jose.Header{}, nil, err
	}
	// Count before splitting, so that a 4 MiB string of dots costs nothing.
	if n := strings.Count(compact, "."); n != 2 {
		return nil, jose.Header{}, nil, fmt.Errorf("%w: a compact JWS has 3 parts, not %d", ErrMalformed, n+1)
	}
	parts := strings.Split(compact, ".")
	for i, p := range parts {
		if _, err := base64.RawURLEncoding.Strict().DecodeString(p); err != nil {
			return nil, jose.Header{}, nil, fmt.Errorf("%w: JWS part %d is not base64url: %v", ErrMalformed, i+1, err)
		}
	}
	rawHeader, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := checkJWSHeader(rawHeader); err != nil {
		return nil, jose.Header{}, nil, err
	}

	var allowed []jose.SignatureAlgorithm
	for _, k := range set {
		a := jose.SignatureAlgorithm(k.Algorithm)
		if !containsAlg(allowed, a) {
			allowed = append(allowed, a)
		}
	}
	obj, err := jose.ParseSignedCompact(compact, allowed)
	if err != nil {
		var unexpected *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &unexpected) {
			return nil, jose.Header{}, nil, fmt.Errorf("%w: JWS alg %q, trusted keys are for %v", errWrongAlgorithm, unexpected.Got, allowed)
		}
		return nil, jose.Header{}, nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(obj.Signatures) != 1 {
		return nil, jose.Header{}, nil, fmt.Errorf("%w: JWS with %d signatures", ErrMalformed, len(obj.Signatures))
	}
	hdr := obj.Signatures[0].Protected

	var byKID []*jose.JSONWebKey
	for i := range set {
		if hdr.KeyID == "" || set[i].KeyID == hdr.KeyID {
			byKID = append(byKID, &set[i])
		}
	}
	if len(byKID) == 0 {
		// Signed by a key we do not trust (a wrong root): to the caller
		// this is a signature that does not verify.
		return nil, jose.Header{}, nil, fmt.Errorf("%w: no trusted key has kid %q", ErrBadSignature, hdr.KeyID)
	}
	tried := 0
	for _, k := range byKID {
		if k.Algorithm != hdr.Algorithm {
			continue
		}
		tried++
		if payload, err := obj.Verify(k.Key); err == nil {
			return payload, hdr, k, nil
		}
	}
	if tried == 0 {
		return nil, jose.Header{}, nil, fmt.Errorf("%w: JWS alg %q is not the alg of key %q", errWrongAlgorithm, hdr.Algorithm, hdr.KeyID)
	}
	return nil, jose.Header{}, nil, ErrBadSignature
}

func containsAlg(algs []jose.SignatureAlgorithm, a jose.SignatureAlgorithm) bool {
	for _, b := range algs {
		if a == b {
			return true
		}
	}
	return false
}

// checkJWSHeader checks the decoded protected header: one JSON object
// without duplicate members, only alg, kid and typ, all strings, alg
// present.
func checkJWSHeader(raw []byte) error {
	if err := checkJSON(raw); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return fmt.Errorf("%w: JWS header is not a JSON object", ErrMalformed)
	}
	for name, v := range members {
		if !jwsHeaderMembers[name] {
			return fmt.Errorf("%w: JWS header member %q is not allowed", ErrMalformed, name)
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("%w: JWS header member %q is not a string", ErrMalformed, name)
		}
	}
	if _, ok := members["alg"]; !ok {
		return fmt.Errorf("%w: JWS header without alg", ErrMalformed)
	}
	return nil
}

// checkKeySet checks a set of JWS verification keys: see the rules at the
// top of this file.
func checkKeySet(set []jose.JSONWebKey) error {
	if len(set) == 0 {
		return fmt.Errorf("%w: no verification keys", errInvalidKey)
	}
	var secret, public int
	kids := make(map[string]bool, len(set))
	for i := range set {
		k := &set[i]
		if kids[k.KeyID] {
			return fmt.Errorf("%w: kid %q twice in one key set", errDuplicateKeyID, k.KeyID)
		}
		kids[k.KeyID] = true
		if k.Use != "" && k.Use != useSig {
			return fmt.Errorf("%w: key %q has use %q, not %q", errInvalidKey, k.KeyID, k.Use, useSig)
		}
		if _, ok := k.Key.([]byte); ok {
			secret++
		} else {
			public++
		}
		if err := checkVerificationKey(k); err != nil {
			return err
		}
	}
	if secret > 0 && public > 0 {
		return fmt.Errorf("%w: key set mixes secret (HMAC) and public keys", errInvalidKey)
	}
	return nil
}

// checkVerificationKey checks that k's declared alg fits its key and that
// the key is not weak.
func checkVerificationKey(k *jose.JSONWebKey) error {
	alg := jose.SignatureAlgorithm(k.Algorithm)
	wrong := func() error {
		return fmt.Errorf("%w: key %q declares alg %q for a %T", errWrongAlgorithm, k.KeyID, k.Algorithm, k.Key)
	}
	switch key := k.Key.(type) {
	case *ecdsa.PublicKey:
		curves := map[jose.SignatureAlgorithm]elliptic.Curve{
			jose.ES256: elliptic.P256(), jose.ES384: elliptic.P384(), jose.ES512: elliptic.P521(),
		}
		c, ok := curves[alg]
		if !ok || key == nil || key.Curve != c {
			return wrong()
		}
		if _, err := pointBytes(key); err != nil {
			return fmt.Errorf("%w: key %q is not on its curve", errInvalidKey, k.KeyID)
		}
	case ed25519.PublicKey:
		if alg != jose.EdDSA {
			return wrong()
		}
		if _, err := AlgorithmOf(key); err != nil {
			return err
		}
	case *rsa.PublicKey:
		switch alg {
		case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
		default:
			return wrong()
		}
		if key == nil || key.N == nil {
			return fmt.Errorf("%w: key %q is empty", errInvalidKey, k.KeyID)
		}
		if key.N.BitLen() < 2048 {
			return fmt.Errorf("%w: key %q is a %d-bit RSA key, under 2048", errInvalidKey, k.KeyID, key.N.BitLen())
		}
		if key.E < 3 || key.E%2 == 0 {
			return fmt.Errorf("%w: key %q has RSA public exponent %d", errInvalidKey, k.KeyID, key.E)
		}
		if hasROCAFingerprint(key.N) {
			return fmt.Errorf("%w: key %q is an RSA key with the ROCA fingerprint (CVE-2017-15361)", errInvalidKey, k.KeyID)
		}
	case []byte:
		sizes := map[jose.SignatureAlgorithm]int{jose.HS256: 32, jose.HS384: 48, jose.HS512: 64}
		size, ok := sizes[alg]
		if !ok {
			return wrong()
		}
		if len(key) < size {
			return fmt.Errorf("%w: key %q is a %d-byte %s key, under %d", errInvalidKey, k.KeyID, len(key), alg, size)
		}
	default:
		// Private keys (*ecdsa.PrivateKey, ed25519.PrivateKey,
		// *rsa.PrivateKey) land here too: a verifier has no business
		// holding them.
		return fmt.Errorf("%w: key %q is a %T, not a public verification key", errInvalidKey, k.KeyID, k.Key)
	}
	return nil
}

// rocaPrimes are the small primes of the ROCA fingerprint (Nemec et al.,
// "The Return of Coppersmith's Attack", CCS 2017, §2.3).
var rocaPrimes = []int64{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}

// rocaSubgroups[i] has bit r set when r is a power of 65537 modulo
// rocaPrimes[i].
var rocaSubgroups = func() []*big.Int {
	out := make([]*big.Int, len(rocaPrimes))
	for i, p := range rocaPrimes {
		mask, g := new(big.Int), 65537%p
		for r := int64(1); mask.Bit(int(r)) == 0; r = r * g % p {
			mask.SetBit(mask, int(r), 1)
		}
		out[i] = mask
	}
	return out
}()

// hasROCAFingerprint reports whether n has the structure of a modulus made
// by the Infineon library that CVE-2017-15361 broke: its primes are
// k*M + (65537^a mod M), so n mod p lies in the subgroup generated by 65537
// for every small prime p dividing M. A random modulus passes all 38 tests
// with negligible probability.
func hasROCAFingerprint(n *big.Int) bool {
	r := new(big.Int)
	for i, p := range rocaPrimes {
		r.Mod(n, big.NewInt(p))
		if rocaSubgroups[i].Bit(int(r.Int64())) == 0 {
			return false
		}
	}
	return true
}
