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
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/keys"
)

// update rewrites the golden files under testdata/golden instead of
// comparing with them: go test ./keys -run Golden -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

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
	require.NoError(t, err)
	return k
}

// counterRand is the randomness of the golden files: the SHA-256 of seed
// and a 64-bit big-endian counter, block after block. It is simple enough
// for another implementation to reproduce the golden keys.
type counterRand struct {
	seed string
	n    uint64
	buf  []byte
}

func (r *counterRand) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		h := sha256.New()
		h.Write([]byte(r.seed))
		h.Write(binary.BigEndian.AppendUint64(nil, r.n))
		r.n++
		r.buf = h.Sum(r.buf)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// goldenKey returns the golden files' key for alg named by seed.
func goldenKey(t testing.TB, alg keys.Algorithm, seed string) crypto.Signer {
	t.Helper()
	k, err := keys.GenerateKey(alg, &counterRand{seed: seed})
	require.NoError(t, err)
	return k
}

// golden compares got with testdata/golden/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "%s changed: the wire format must stay byte-compatible (-update only for a deliberate change)", path)
}

// publicSentinels are the errors callers branch on.
var publicSentinels = []error{keys.ErrMalformed, keys.ErrBadSignature, keys.ErrRollback, keys.ErrExpired}

// sentinels are every reason a failure may wrap, the finer ones first so
// that knownSentinel returns the most precise.
var sentinels = append([]error{keys.ErrTooLarge, keys.ErrInvalidKey, keys.ErrDuplicateKeyID, keys.ErrWrongAlgorithm}, publicSentinels...)

// knownSentinel returns the most precise sentinel err wraps, nil if none.
func knownSentinel(err error) error {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

// publicSentinelCount returns how many of the public sentinels err wraps:
// exactly 1 for every failure on untrusted input.
func publicSentinelCount(err error) int {
	n := 0
	for _, s := range publicSentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	return n
}

// wantErr checks that err wraps target, exactly one public sentinel, and,
// when asList is set, that it is a trust list error.
func wantErr(t testing.TB, err, target error, asList bool) {
	t.Helper()
	require.ErrorIs(t, err, target)
	assert.Equal(t, 1, publicSentinelCount(err), "error %v wraps more than one public sentinel", err)
	if asList {
		var tle *keys.TrustListError
		assert.ErrorAs(t, err, &tle)
	}
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
func testIssuers(t testing.TB, n, perIssuer int, alg keys.Algorithm) []keys.TrustedIssuer {
	out := make([]keys.TrustedIssuer, n)
	for i := range out {
		id := fmt.Sprintf("%04d", 1101+i)
		out[i] = keys.TrustedIssuer{ID: id, Name: "Disdukcapil " + id}
		for j := range perIssuer {
			out[i].Keys = append(out[i].Keys, issuerKey(t, alg, fmt.Sprintf("issuer %s key %d", id, j)))
		}
	}
	return out
}

// content returns trust list content with sequence seq, issued at t0,
// next update a week later.
func content(seq uint64, issuers []keys.TrustedIssuer) *keys.TrustListContent {
	return &keys.TrustListContent{Sequence: seq, IssuedAt: t0, NextUpdate: t0.AddDate(0, 0, 7), Issuers: issuers}
}

// sign signs c with root.
func sign(t testing.TB, root crypto.Signer, c *keys.TrustListContent) []byte {
	t.Helper()
	jws, err := keys.SignTrustList(root, c)
	require.NoError(t, err)
	return jws
}

// smallList returns a signed list with 3 issuers, 2 keys each, sequence
// seq, issued at t0, next update a week later.
func smallList(t testing.TB, root crypto.Signer, seq uint64) []byte {
	t.Helper()
	return sign(t, root, content(seq, testIssuers(t, 3, 2, keys.ES256)))
}

// candidates is what a verifier does with Lookup: the keys for kid that
// verify alg and are valid at the credential's issue time.
func candidates(l *keys.TrustList, kid []byte, alg keys.Algorithm, issuedAt time.Time) []keys.IssuerKey {
	var out []keys.IssuerKey
	for _, k := range l.Lookup(kid) {
		if k.Algorithm == alg && k.ValidAt(issuedAt) {
			out = append(out, k)
		}
	}
	return out
}

// b64 is base64url without padding.
var b64 = base64.RawURLEncoding

// splitJWS decodes the header and payload of a compact JWS into maps.
func splitJWS(t testing.TB, jws []byte) (header, payload map[string]any) {
	t.Helper()
	parts := strings.Split(string(jws), ".")
	require.Len(t, parts, 3, "not a compact JWS: %q", jws)
	for i, dst := range []*map[string]any{&header, &payload} {
		raw, err := b64.DecodeString(parts[i])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, dst))
	}
	return header, payload
}

// signRaw signs payload with header as a compact JWS, whatever they hold:
// the tests' way to make lists that SignTrustList would refuse to make.
// key is an ECDSA P-256 or Ed25519 signer, or a []byte HMAC key.
func signRaw(t testing.TB, key any, header any, payload []byte) []byte {
	t.Helper()
	h, err := json.Marshal(header)
	require.NoError(t, err)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(payload)
	var sig []byte
	switch k := key.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, []byte(input))
	case *ecdsa.PrivateKey:
		d := sha256.Sum256([]byte(input))
		r, s, err := ecdsa.Sign(testRand("sig"), k, d[:])
		require.NoError(t, err)
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

// rootHeader is the header SignTrustList writes for root.
func rootHeader(t testing.TB, root crypto.Signer) map[string]any {
	t.Helper()
	alg, err := keys.AlgorithmOf(root.Public())
	require.NoError(t, err)
	kid, err := keys.JWKKeyID(root.Public())
	require.NoError(t, err)
	return map[string]any{"alg": alg.String(), "kid": kid, "typ": keys.TrustListType}
}

// resign re-encodes payload (after the test changed it) and signs it as
// the root would.
func resign(t testing.TB, root crypto.Signer, payload any) []byte {
	t.Helper()
	p, err := json.Marshal(payload)
	require.NoError(t, err)
	return signRaw(t, root, rootHeader(t, root), p)
}

type equaler interface{ Equal(crypto.PublicKey) bool }

// sameKey reports whether a and b are the same public key.
func sameKey(a, b crypto.PublicKey) bool {
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
