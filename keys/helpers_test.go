package keys_test

// Test helpers: fixed keys and clocks, lists to test with, and a way to
// sign what SignTrustList would refuse to make.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// t0 is the tests' "now": 1 January 2026, 00:00 WIB (UTC+7).
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// clockAt returns an option that fixes the clock at t.
func clockAt(t time.Time) keys.Option { return keys.WithClock(func() time.Time { return t }) }

// testRand returns a deterministic randomness source named by seed.
func testRand(seed string) io.Reader {
	return rand.NewChaCha8(sha256.Sum256([]byte(seed)))
}

// testKey returns a fixed key pair for alg named by seed.
func testKey(t testing.TB, alg keys.Algorithm, seed string) crypto.Signer {
	t.Helper()
	k, err := keys.GenerateKey(alg, testRand(seed))
	must(t, err)
	return k
}

// must is require.NoError, short for the many preconditions.
func must(t testing.TB, err error) {
	t.Helper()
	require.NoError(t, err)
}

// wantErr checks that err wraps target and, when asList is set, that it is
// a *keys.TrustListError.
func wantErr(t testing.TB, err, target error, asList bool) {
	t.Helper()
	require.ErrorIs(t, err, target)
	if asList {
		var tle *keys.TrustListError
		require.ErrorAs(t, err, &tle)
	}
}

// sentinels are every error a trust list failure may wrap.
var sentinels = []error{
	keys.ErrMalformed, keys.ErrTooLarge, keys.ErrBadSignature, keys.ErrWrongAlgorithm,
	keys.ErrInvalidKey, keys.ErrDuplicateKeyID, keys.ErrRollback, keys.ErrExpired,
}

// knownSentinel returns the sentinel err wraps, nil if none.
func knownSentinel(err error) error {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

// issuerKey is an issuer key valid for a year from t0 minus a month.
func issuerKey(t testing.TB, alg keys.Algorithm, seed string) keys.IssuerKey {
	k := testKey(t, alg, seed)
	return keys.IssuerKey{
		PublicKey: k.Public(),
		NotBefore: t0.AddDate(0, -1, 0),
		NotAfter:  t0.AddDate(1, 0, 0),
	}
}

// testIssuers returns n issuers with regency-like ids, each with perIssuer
// keys of alg.
func testIssuers(t testing.TB, n, perIssuer int, alg keys.Algorithm) []keys.Issuer {
	out := make([]keys.Issuer, n)
	for i := range out {
		id := fmt.Sprintf("%04d", 1101+i)
		out[i] = keys.Issuer{ID: id, Name: "Disdukcapil " + id}
		for j := range perIssuer {
			out[i].Keys = append(out[i].Keys, issuerKey(t, alg, fmt.Sprintf("issuer %s key %d", id, j)))
		}
	}
	return out
}

// smallList returns a signed list with 3 issuers, 2 keys each, sequence
// seq, issued at t0, next update a week later.
func smallList(t testing.TB, root crypto.Signer, alg keys.Algorithm, seq uint64) []byte {
	t.Helper()
	l, err := keys.NewTrustList(seq, t0, t0.AddDate(0, 0, 7), testIssuers(t, 3, 2, keys.ES256))
	must(t, err)
	jws, err := keys.SignTrustList(l, root, alg)
	must(t, err)
	return jws
}

// b64 is base64url without padding.
var b64 = base64.RawURLEncoding

// splitJWS decodes the header and payload of a compact JWS into maps.
func splitJWS(t testing.TB, jws []byte) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(string(jws), ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", jws)
	}
	for i, dst := range []*map[string]any{&header, &payload} {
		raw, err := b64.DecodeString(parts[i])
		must(t, err)
		must(t, json.Unmarshal(raw, dst))
	}
	return header, payload
}

// signRaw signs payload with header as a compact JWS, whatever they hold:
// the tests' way to make lists that SignTrustList would refuse to make.
// key is an ECDSA P-256 or Ed25519 signer, or a []byte HMAC key.
func signRaw(t testing.TB, key any, header any, payload []byte) []byte {
	t.Helper()
	h, err := json.Marshal(header)
	must(t, err)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(payload)
	var sig []byte
	switch k := key.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(input))
	case *ecdsa.PrivateKey:
		d := sha256.Sum256([]byte(input))
		r, s, err := ecdsa.Sign(testRand("sig"), k, d[:])
		must(t, err)
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	case []byte:
		m := hmac.New(sha256.New, k)
		m.Write([]byte(input))
		sig = m.Sum(nil)
	case nil:
	default:
		t.Fatalf("signRaw: %T", key)
	}
	return []byte(input + "." + b64.EncodeToString(sig))
}

// rootHeader is the header SignTrustList writes for root and alg.
func rootHeader(t testing.TB, root crypto.Signer, alg keys.Algorithm) map[string]any {
	kid, err := keys.JWKKeyID(root.Public())
	must(t, err)
	return map[string]any{"alg": alg.String(), "kid": kid, "typ": keys.TrustListType}
}

// resign re-encodes payload (after the test changed it) and signs it as
// the root would.
func resign(t testing.TB, root crypto.Signer, alg keys.Algorithm, payload any) []byte {
	t.Helper()
	p, err := json.Marshal(payload)
	must(t, err)
	return signRaw(t, root, rootHeader(t, root, alg), p)
}
