package statuslist

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/keys"
)

// These helpers stand in for internal/testkit, which imports package
// credential: credential imports credential/status and this package, so
// using testkit here would make an import cycle.

var testIAT = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

const testIssuer = "disdukcapil-3171"

func testToken() status.Token {
	return status.Token{ListID: 7, IssuedAt: testIAT, Expiry: testIAT.Add(48 * time.Hour), TTL: 6 * time.Hour}
}

type testKey struct {
	name   string
	alg    keys.Algorithm
	signer crypto.Signer
}

func (k testKey) public() crypto.PublicKey { return k.signer.Public() }

// seed returns 32 bytes derived from label, for fixed test keys.
func seed(label string) []byte {
	s := sha256.Sum256([]byte("ikd statuslist test key " + label))
	return s[:]
}

// p256Key returns a fixed P-256 key derived from label.
func p256Key(t testing.TB, label string) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seed(label))
	require.NoError(t, err)
	return k
}

// ed25519Key returns a fixed Ed25519 key derived from label.
func ed25519Key(label string) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seed(label)) }

// testKeys returns one fixed key per algorithm ikd signs with.
func testKeys(t testing.TB) []testKey {
	t.Helper()
	return []testKey{
		{"ES256", keys.ES256, p256Key(t, "ES256")},
		{"EdDSA", keys.EdDSA, ed25519Key("EdDSA")},
	}
}

// newList returns a 2-bit list of size entries with the given entries set.
func newList(t testing.TB, size int, set map[uint32]status.Status) *status.List {
	t.Helper()
	l, err := status.NewList(size)
	require.NoError(t, err)
	for i, s := range set {
		require.NoError(t, l.Set(i, s))
	}
	return l
}

// signVerify signs l as testIssuer's list t with k, and parses and
// verifies the token.
func signVerify(t testing.TB, k testKey, issuerID string, tok status.Token, l *status.List) *List {
	t.Helper()
	data, err := Sign(k.signer, k.alg, []byte("kid-1"), issuerID, tok, l)
	require.NoError(t, err)
	s, err := Parse(data)
	require.NoError(t, err)
	v, err := s.Verify(k.public())
	require.NoError(t, err)
	return v
}

// chacha returns a deterministic random source for tests.
func chacha(seed byte) *mrand.ChaCha8 {
	var s [32]byte
	s[0] = seed
	return mrand.NewChaCha8(s)
}
