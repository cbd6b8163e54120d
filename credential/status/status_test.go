package status

import (
	"bytes"
	"compress/zlib"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
)

var testIAT = time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)

func testToken() Token {
	return Token{IssuerID: "disdukcapil-3171", ListID: 7, IssuedAt: testIAT, Expiry: testIAT.Add(48 * time.Hour), TTL: 6 * time.Hour}
}

type testKey struct {
	name   string
	alg    cose.Algorithm
	signer crypto.Signer
}

func testKeys(t testing.TB) []testKey {
	t.Helper()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ed := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	return []testKey{{"ES256", sign1.ES256, ec}, {"EdDSA", sign1.EdDSA, ed}}
}

// chacha returns a deterministic random source for tests.
func chacha(seed byte) *mrand.ChaCha8 {
	var s [32]byte
	s[0] = seed
	return mrand.NewChaCha8(s)
}

func TestStatusString(t *testing.T) {
	for _, tc := range []struct {
		s    Status
		want string
	}{
		{StatusValid, "valid"}, {StatusRevoked, "revoked"}, {StatusSuspended, "suspended"}, {3, "Status(3)"}, {255, "Status(255)"},
	} {
		assert.Equal(t, tc.want, tc.s.String())
	}
}

func TestNewList(t *testing.T) {
	for _, tc := range []struct {
		name       string
		bits, size int
		ok         bool
	}{
		{"2 bits", 2, 100, true},
		{"1 bit", 1, 1, true},
		{"8 bits", 8, 1 << 20, true},
		{"100 million at 2 bits", 2, 100_000_000, true},
		{"3 bits is not allowed", 3, 100, false},
		{"0 bits is not allowed", 0, 100, false},
		{"empty list", 2, 0, false},
		{"negative size", 2, -1, false},
		{"over the entry cap", 1, limits.MaxStatusListEntries + 1, false},
		{"over the byte cap", 8, limits.MaxStatusListBytes + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewList(tc.bits, tc.size)
			if !tc.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.size, l.Len())
			assert.Equal(t, tc.bits, l.Bits())
		})
	}
}

func TestListSetGet(t *testing.T) {
	for _, bits := range []int{1, 2, 4, 8} {
		l, err := NewList(bits, 1000)
		require.NoError(t, err)
		want := make([]Status, 1000)
		r := mrand.New(chacha(byte(bits)))
		for range 3000 { // overwrite entries repeatedly: neighbours must not change
			i := r.IntN(1000)
			s := Status(r.IntN(1 << bits))
			require.NoError(t, l.Set(uint32(i), s))
			want[i] = s
		}
		for i, w := range want {
			got, err := l.Get(uint32(i))
			require.NoError(t, err)
			assert.Equal(t, w, got, "bits %d index %d", bits, i)
		}
	}
	l, err := NewList(1, 16)
	require.NoError(t, err)
	assert.Error(t, l.Set(0, StatusSuspended), "suspended does not fit in one bit")
	for _, i := range []uint32{16, 17, 1 << 31, ^uint32(0)} {
		assert.ErrorIs(t, l.Set(i, StatusRevoked), ErrOutOfRange)
		_, err := l.Get(i)
		assert.ErrorIs(t, err, ErrOutOfRange)
	}
}

// TestRoundTrip builds, signs, parses, verifies and looks up a list with
// each allowed algorithm.
func TestRoundTrip(t *testing.T) {
	for _, k := range testKeys(t) {
		t.Run(k.name, func(t *testing.T) {
			l, err := NewList(DefaultBits, 10_000)
			require.NoError(t, err)
			require.NoError(t, l.Set(42, StatusRevoked))
			require.NoError(t, l.Set(9_999, StatusSuspended))
			tok, err := Sign(rand.Reader, k.signer, k.alg, []byte("kid-1"), testToken(), l)
			require.NoError(t, err)

			s, err := Parse(tok)
			require.NoError(t, err)
			assert.Equal(t, []byte("kid-1"), s.UnverifiedKeyID())
			assert.Equal(t, k.alg, s.UnverifiedAlg())
			v, err := s.Verify(k.alg, k.signer.Public())
			require.NoError(t, err)

			assert.Equal(t, "disdukcapil-3171", v.IssuerID())
			assert.Equal(t, uint32(7), v.ListID())
			assert.Equal(t, testIAT, v.IssuedAt())
			assert.Equal(t, testIAT.Add(48*time.Hour), v.Expiry())
			assert.Equal(t, 6*time.Hour, v.TTL())
			assert.Equal(t, 2, v.Bits())
			assert.Equal(t, 10_000, v.Len())
			for _, tc := range []struct {
				index uint32
				want  Status
			}{{0, StatusValid}, {41, StatusValid}, {42, StatusRevoked}, {43, StatusValid}, {9_999, StatusSuspended}} {
				got, err := v.Lookup(Reference{IssuerID: "disdukcapil-3171", ListID: 7, Index: tc.index})
				require.NoError(t, err)
				assert.Equal(t, tc.want, got, "index %d", tc.index)
			}
			_, err = v.Lookup(Reference{IssuerID: "disdukcapil-3171", ListID: 7, Index: 10_000})
			assert.ErrorIs(t, err, ErrOutOfRange)
			_, err = v.Lookup(Reference{IssuerID: "disdukcapil-3171", ListID: 8, Index: 42})
			assert.ErrorIs(t, err, ErrWrongList)
			_, err = v.Lookup(Reference{IssuerID: "dukcapil", ListID: 7, Index: 42})
			assert.ErrorIs(t, err, ErrWrongList)
		})
	}
}

// TestRevokeSuspend follows one index through its states across
// publications.
func TestRevokeSuspend(t *testing.T) {
	k := testKeys(t)[1]
	l, err := NewList(DefaultBits, 64)
	require.NoError(t, err)
	ref := Reference{IssuerID: "dukcapil", ListID: 1, Index: 5}
	tok := Token{IssuerID: "dukcapil", ListID: 1, IssuedAt: testIAT}
	for _, want := range []Status{StatusValid, StatusSuspended, StatusValid, StatusRevoked} {
		require.NoError(t, l.Set(ref.Index, want))
		data, err := Sign(nil, k.signer, k.alg, []byte("k"), tok, l)
		require.NoError(t, err)
		s, err := Parse(data)
		require.NoError(t, err)
		v, err := s.Verify(k.alg, k.signer.Public())
		require.NoError(t, err)
		got, err := v.Lookup(ref)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		other, err := v.Lookup(Reference{IssuerID: "dukcapil", ListID: 1, Index: 4})
		require.NoError(t, err)
		assert.Equal(t, StatusValid, other, "a neighbouring index is untouched")
		tok.IssuedAt = tok.IssuedAt.Add(time.Hour)
	}
}

func TestSignRejects(t *testing.T) {
	keys := testKeys(t)
	ec, ed := keys[0], keys[1]
	l, err := NewList(DefaultBits, 8)
	require.NoError(t, err)
	good := testToken()
	for _, tc := range []struct {
		name   string
		signer crypto.Signer
		alg    cose.Algorithm
		kid    []byte
		tok    func(*Token)
		noList bool
	}{
		{name: "ES256 with an Ed25519 key", signer: ed.signer, alg: sign1.ES256},
		{name: "EdDSA with a P-256 key", signer: ec.signer, alg: sign1.EdDSA},
		{name: "ES512 is not allowed", signer: ec.signer, alg: cose.AlgorithmES512},
		{name: "nil signer", alg: sign1.ES256},
		{name: "empty kid", signer: ec.signer, alg: sign1.ES256, kid: []byte{}},
		{name: "nil list", signer: ec.signer, alg: sign1.ES256, noList: true},
		{name: "issuer id with a colon", signer: ec.signer, alg: sign1.ES256, tok: func(t *Token) { t.IssuerID = "a:b" }},
		{name: "empty issuer id", signer: ec.signer, alg: sign1.ES256, tok: func(t *Token) { t.IssuerID = "" }},
		{name: "no issue time", signer: ec.signer, alg: sign1.ES256, tok: func(t *Token) { t.IssuedAt = time.Time{} }},
		{name: "expiry before issue", signer: ec.signer, alg: sign1.ES256, tok: func(t *Token) { t.Expiry = t.IssuedAt }},
		{name: "fractional ttl", signer: ec.signer, alg: sign1.ES256, tok: func(t *Token) { t.TTL = 1500 * time.Millisecond }},
		{name: "negative ttl", signer: ec.signer, alg: sign1.ES256, tok: func(t *Token) { t.TTL = -time.Second }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := good
			if tc.tok != nil {
				tc.tok(&tok)
			}
			kid := []byte("k")
			if tc.kid != nil {
				kid = tc.kid
			}
			list := l
			if tc.noList {
				list = nil
			}
			_, err := Sign(rand.Reader, tc.signer, tc.alg, kid, tok, list)
			assert.Error(t, err)
		})
	}
}

func signedFixture(t testing.TB) ([]byte, testKey, testKey) {
	t.Helper()
	keys := testKeys(t)
	l, err := NewList(DefaultBits, 1000)
	require.NoError(t, err)
	require.NoError(t, l.Set(1, StatusRevoked))
	tok, err := Sign(rand.Reader, keys[0].signer, keys[0].alg, []byte("kid-1"), testToken(), l)
	require.NoError(t, err)
	return tok, keys[0], keys[1]
}

func TestVerifyRejects(t *testing.T) {
	tok, ec, ed := signedFixture(t)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		alg  cose.Algorithm
		pub  crypto.PublicKey
		want error
	}{
		{"wrong key", sign1.ES256, other.Public(), ErrSignature},
		{"EdDSA key for an ES256 token", sign1.EdDSA, ed.signer.Public(), ErrAlgorithm},
		{"ES256 alg with an Ed25519 key", sign1.ES256, ed.signer.Public(), ErrAlgorithm},
		{"ES512 is not allowed", cose.AlgorithmES512, ec.signer.Public(), ErrAlgorithm},
		{"nil key", sign1.ES256, nil, ErrAlgorithm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tok)
			require.NoError(t, err)
			v, err := s.Verify(tc.alg, tc.pub)
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, v)
		})
	}

	t.Run("tampered", func(t *testing.T) {
		// Flip each byte after the header in turn (a sample of positions):
		// whatever still parses must fail verification.
		for i := 1; i < len(tok); i += 3 {
			bad := bytes.Clone(tok)
			bad[i] ^= 0x01
			s, err := Parse(bad)
			if err != nil {
				assert.ErrorIs(t, err, ErrMalformed, "byte %d", i)
				continue
			}
			_, err = s.Verify(ec.alg, ec.signer.Public())
			assert.Error(t, err, "byte %d", i)
		}
	})
}

func TestParseRejects(t *testing.T) {
	tok, ec, _ := signedFixture(t)

	t.Run("every truncation", func(t *testing.T) {
		for n := range len(tok) {
			_, err := Parse(tok[:n])
			assert.ErrorIs(t, err, ErrMalformed, "length %d", n)
		}
	})
	t.Run("trailing byte", func(t *testing.T) {
		_, err := Parse(append(bytes.Clone(tok), 0))
		assert.ErrorIs(t, err, ErrMalformed)
	})
	t.Run("oversized", func(t *testing.T) {
		big := make([]byte, limits.MaxStatusList+1)
		copy(big, tok)
		_, err := Parse(big)
		assert.ErrorIs(t, err, ErrTooLarge)
	})
	t.Run("untagged is accepted", func(t *testing.T) {
		s, err := Parse(tok[1:])
		require.NoError(t, err)
		_, err = s.Verify(ec.alg, ec.signer.Public())
		assert.NoError(t, err)
	})

	// Tokens with valid signatures but wrong content.
	sign := func(t *testing.T, protected map[int]any, payload any) []byte {
		t.Helper()
		p, err := codec.Marshal(payload)
		require.NoError(t, err)
		prot, err := codec.Marshal(protected)
		require.NoError(t, err)
		m := &sign1.Message{Protected: prot, Alg: ec.alg, Payload: p}
		tbs, err := m.SigStructure(nil)
		require.NoError(t, err)
		s, err := cose.NewSigner(ec.alg, ec.signer)
		require.NoError(t, err)
		sig, err := s.Sign(rand.Reader, tbs)
		require.NoError(t, err)
		out, err := codec.Marshal([]any{prot, map[int]any{}, p, sig})
		require.NoError(t, err)
		return out
	}
	lst, err := (&List{bits: 2, size: 4, data: []byte{0}}).compress()
	require.NoError(t, err)
	hdr := map[int]any{1: int64(ec.alg), 4: []byte("k"), 16: MediaType}
	sl := map[string]any{"bits": 2, "lst": lst}
	okClaims := map[int]any{2: "urn:ikd:status:dukcapil:1", 6: testIAT.Unix(), 65533: sl}
	with := func(k int, v any) map[int]any {
		m := map[int]any{}
		for kk, vv := range okClaims {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name       string
		protected  map[int]any
		payload    any
		parseErr   error
		verifyErr  error
		wantStatus bool
	}{
		{name: "well formed", protected: hdr, payload: okClaims, wantStatus: true},
		{name: "no typ (a credential signed by the same key)", protected: map[int]any{1: int64(ec.alg), 4: []byte("k")}, payload: okClaims, parseErr: ErrMalformed},
		{name: "wrong typ", protected: map[int]any{1: int64(ec.alg), 16: "application/cwt"}, payload: okClaims, parseErr: ErrMalformed},
		{name: "no sub", protected: hdr, payload: with(2, nil), parseErr: ErrMalformed},
		{name: "no iat", protected: hdr, payload: with(6, nil), parseErr: ErrMalformed},
		{name: "exp before iat", protected: hdr, payload: with(4, testIAT.Unix()-1), parseErr: ErrMalformed},
		{name: "negative ttl", protected: hdr, payload: with(65534, -1), parseErr: ErrMalformed},
		{name: "unknown claim", protected: hdr, payload: with(99, 1), parseErr: ErrMalformed},
		{name: "no status_list", protected: hdr, payload: with(65533, nil), parseErr: ErrMalformed},
		{name: "3 bits", protected: hdr, payload: with(65533, map[string]any{"bits": 3, "lst": lst}), parseErr: ErrMalformed},
		{name: "empty lst", protected: hdr, payload: with(65533, map[string]any{"bits": 2, "lst": []byte{}}), parseErr: ErrMalformed},
		{name: "lst not zlib", protected: hdr, payload: with(65533, map[string]any{"bits": 2, "lst": []byte("not zlib")}), verifyErr: ErrMalformed},
		{name: "lst with trailing bytes", protected: hdr, payload: with(65533, map[string]any{"bits": 2, "lst": append(bytes.Clone(lst), 0)}), verifyErr: ErrMalformed},
		{name: "sub is a URL", protected: hdr, payload: with(2, "https://example.com/statuslists/1"), verifyErr: ErrMalformed},
		{name: "sub with a non-canonical list id", protected: hdr, payload: with(2, "urn:ikd:status:dukcapil:01"), verifyErr: ErrMalformed},
		{name: "sub with an empty issuer", protected: hdr, payload: with(2, "urn:ikd:status::1"), verifyErr: ErrMalformed},
		{name: "sub with a list id over 32 bits", protected: hdr, payload: with(2, "urn:ikd:status:dukcapil:4294967296"), verifyErr: ErrMalformed},
		{name: "claims not a map", protected: hdr, payload: []int{1}, parseErr: ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(sign(t, tc.protected, tc.payload))
			if tc.parseErr != nil {
				assert.ErrorIs(t, err, tc.parseErr)
				return
			}
			require.NoError(t, err)
			v, err := s.Verify(ec.alg, ec.signer.Public())
			if tc.verifyErr != nil {
				assert.ErrorIs(t, err, tc.verifyErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "dukcapil", v.IssuerID())
		})
	}
}

// zlibZeros returns a zlib stream of n zero bytes, written in 1 MiB pieces.
func zlibZeros(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	require.NoError(t, err)
	chunk := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		_, err := w.Write(chunk[:k])
		require.NoError(t, err)
		n -= k
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// TestDecompressionBomb checks that a small zlib stream that expands past
// the cap fails with ErrTooLarge, both alone and inside a token signed by a
// trusted issuer (the only way a bomb reaches the decompressor).
func TestDecompressionBomb(t *testing.T) {
	bomb := zlibZeros(t, 2*limits.MaxStatusListBytes) // 64 MiB of zeros
	t.Logf("bomb: %d bytes of zlib expand to %d bytes; cap %d bytes", len(bomb), 2*limits.MaxStatusListBytes, limits.MaxStatusListBytes)
	require.Less(t, len(bomb), 1<<20)
	for _, bits := range []int{1, 2, 4, 8} {
		_, err := decompress(bits, bomb)
		assert.ErrorIs(t, err, ErrTooLarge, "bits %d", bits)
	}
	// Exactly at the cap is accepted.
	l, err := decompress(2, zlibZeros(t, limits.MaxStatusListBytes))
	require.NoError(t, err)
	assert.Equal(t, limits.MaxStatusListBytes*4, l.Len())

	k := testKeys(t)[1]
	huge := &List{bits: 2, size: (limits.MaxStatusListBytes + 1) * 4, data: make([]byte, limits.MaxStatusListBytes+1)}
	tok, err := Sign(nil, k.signer, k.alg, []byte("k"), testToken(), huge)
	require.NoError(t, err)
	s, err := Parse(tok)
	require.NoError(t, err, "the bomb is not inflated before the signature checks")
	_, err = s.Verify(k.alg, k.signer.Public())
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestDecompressRejects(t *testing.T) {
	good, err := (&List{bits: 2, size: 4, data: []byte{0x41}}).compress()
	require.NoError(t, err)
	badSum := bytes.Clone(good)
	badSum[len(badSum)-1] ^= 1
	for _, tc := range []struct {
		name string
		bits int
		lst  []byte
	}{
		{"bits 0", 0, good},
		{"bits 16", 16, good},
		{"empty", 2, nil},
		{"truncated", 2, good[:len(good)-1]},
		{"bad checksum", 2, badSum},
		{"trailing bytes", 2, append(bytes.Clone(good), 1)},
		{"empty bit array", 2, zlibZeros(t, 0)},
		{"raw deflate, no zlib header", 2, good[2:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decompress(tc.bits, tc.lst)
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
	l, err := decompress(2, good)
	require.NoError(t, err)
	s, err := l.Get(0)
	require.NoError(t, err)
	assert.Equal(t, StatusRevoked, s)
}

func TestAllocator(t *testing.T) {
	t.Run("every index once, then ErrFull", func(t *testing.T) {
		const size = 5000
		a, err := NewAllocator(size, chacha(1))
		require.NoError(t, err)
		seen := make(map[uint32]bool, size)
		for range size {
			i, err := a.Allocate()
			require.NoError(t, err)
			require.Less(t, i, uint32(size))
			require.False(t, seen[i], "index %d handed out twice", i)
			seen[i] = true
		}
		_, err = a.Allocate()
		assert.ErrorIs(t, err, ErrFull)
		require.NoError(t, a.Release(17))
		i, err := a.Allocate()
		require.NoError(t, err)
		assert.Equal(t, uint32(17), i, "the only free index")
	})
	t.Run("random, not sequential", func(t *testing.T) {
		const size, n, buckets = 100_000_000, 20_000, 10
		a, err := NewAllocator(size, chacha(2))
		require.NoError(t, err)
		got := make([]uint32, n)
		count := make([]int, buckets)
		for k := range got {
			got[k], err = a.Allocate()
			require.NoError(t, err)
			count[int(got[k])/(size/buckets)]++
		}
		assert.False(t, slices.IsSorted(got))
		adjacent := 0
		for k := 1; k < n; k++ {
			if d := int64(got[k]) - int64(got[k-1]); d >= -1 && d <= 1 {
				adjacent++
			}
		}
		assert.Zero(t, adjacent, "consecutive allocations next to each other")
		for b, c := range count { // expect 2000 each; 5 sigma is about 210
			assert.InDelta(t, n/buckets, c, 300, "bucket %d", b)
		}
	})
	t.Run("size not a power of two is never exceeded", func(t *testing.T) {
		a, err := NewAllocator(3, chacha(3))
		require.NoError(t, err)
		for range 3 {
			i, err := a.Allocate()
			require.NoError(t, err)
			assert.Less(t, i, uint32(3))
		}
	})
	t.Run("reserve and release", func(t *testing.T) {
		a, err := NewAllocator(10, chacha(4))
		require.NoError(t, err)
		require.NoError(t, a.Reserve(3))
		assert.Error(t, a.Reserve(3))
		assert.ErrorIs(t, a.Reserve(10), ErrOutOfRange)
		assert.ErrorIs(t, a.Release(10), ErrOutOfRange)
		assert.Error(t, a.Release(4))
		require.NoError(t, a.Release(3))
		for range 10 {
			_, err := a.Allocate()
			require.NoError(t, err)
		}
		_, err = a.Allocate()
		assert.ErrorIs(t, err, ErrFull)
	})
	t.Run("bad arguments", func(t *testing.T) {
		_, err := NewAllocator(0, rand.Reader)
		assert.Error(t, err)
		_, err = NewAllocator(limits.MaxStatusListEntries+1, rand.Reader)
		assert.Error(t, err)
		_, err = NewAllocator(10, nil)
		assert.Error(t, err)
	})
	t.Run("failing random source", func(t *testing.T) {
		a, err := NewAllocator(10, bytes.NewReader(nil))
		require.NoError(t, err)
		_, err = a.Allocate()
		assert.Error(t, err)
	})
	t.Run("concurrent allocations are unique", func(t *testing.T) {
		a, err := NewAllocator(4000, rand.Reader)
		require.NoError(t, err)
		var mu sync.Mutex
		seen := map[uint32]bool{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 1000 {
					i, err := a.Allocate()
					assert.NoError(t, err)
					mu.Lock()
					assert.False(t, seen[i])
					seen[i] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		assert.Len(t, seen, 4000)
	})
}

func verifiedFixture(t testing.TB, k testKey, issuer string, list uint32, iat time.Time) *VerifiedList {
	t.Helper()
	l, err := NewList(DefaultBits, 16)
	require.NoError(t, err)
	tok, err := Sign(rand.Reader, k.signer, k.alg, []byte("k"), Token{IssuerID: issuer, ListID: list, IssuedAt: iat}, l)
	require.NoError(t, err)
	s, err := Parse(tok)
	require.NoError(t, err)
	v, err := s.Verify(k.alg, k.signer.Public())
	require.NoError(t, err)
	return v
}

func TestCache(t *testing.T) {
	k := testKeys(t)[1]
	now := testIAT.Add(2 * time.Hour)
	older := verifiedFixture(t, k, "dukcapil", 1, testIAT)
	newer := verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Hour))
	sameIAT := verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Hour))
	otherList := verifiedFixture(t, k, "dukcapil", 2, testIAT)

	var c Cache
	_, err := c.Get("dukcapil", 1, now)
	assert.ErrorIs(t, err, ErrNotCached)

	require.NoError(t, c.Put(older, testIAT.Add(time.Minute)))
	got, err := c.Get("dukcapil", 1, now)
	require.NoError(t, err)
	assert.Same(t, older, got.List)
	assert.Equal(t, 2*time.Hour, got.Age)
	assert.Equal(t, testIAT.Add(time.Minute), got.FetchedAt)

	require.NoError(t, c.Put(newer, now))
	got, err = c.Get("dukcapil", 1, now)
	require.NoError(t, err)
	assert.Same(t, newer, got.List)
	assert.Equal(t, time.Hour, got.Age)

	err = c.Put(older, now)
	assert.ErrorIs(t, err, ErrRollback, "an older list must not replace a newer one")
	got, err = c.Get("dukcapil", 1, now)
	require.NoError(t, err)
	assert.Same(t, newer, got.List)

	require.NoError(t, c.Put(sameIAT, now), "a re-fetch with the same iat is accepted")
	require.NoError(t, c.Put(otherList, now), "another list of the same issuer is independent")
	got, err = c.Get("dukcapil", 2, now)
	require.NoError(t, err)
	assert.Same(t, otherList, got.List)
	_, err = c.Get("dukcapil", 3, now)
	assert.ErrorIs(t, err, ErrNotCached)
	assert.Error(t, c.Put(nil, now))
}

// TestCacheConcurrent runs readers against a writer; run it with -race.
func TestCacheConcurrent(t *testing.T) {
	k := testKeys(t)[1]
	lists := make([]*VerifiedList, 20)
	for i := range lists {
		lists[i] = verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Duration(i)*time.Minute))
	}
	var c Cache
	require.NoError(t, c.Put(lists[0], testIAT))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			last := testIAT
			for range 2000 {
				got, err := c.Get("dukcapil", 1, testIAT)
				if !assert.NoError(t, err) {
					return
				}
				assert.False(t, got.List.IssuedAt().Before(last), "readers never go back in time")
				last = got.List.IssuedAt()
			}
		})
	}
	for _, l := range lists[1:] {
		require.NoError(t, c.Put(l, testIAT))
	}
	wg.Wait()
	got, err := c.Get("dukcapil", 1, testIAT)
	require.NoError(t, err)
	assert.Same(t, lists[len(lists)-1], got.List)
	assert.True(t, errors.Is(c.Put(lists[0], testIAT), ErrRollback))
}
