package statuslist

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/ident"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current code")

// TestRoundTrip builds, signs, parses, verifies and looks up a list with
// each allowed algorithm.
func TestRoundTrip(t *testing.T) {
	for _, k := range testKeys(t) {
		t.Run(k.name, func(t *testing.T) {
			l := newList(t, 10_000, map[uint32]status.Status{42: status.StatusRevoked, 9_999: status.StatusSuspended})
			tok, err := Sign(k.signer, k.alg, []byte("kid-1"), testIssuer, testToken(), l)
			require.NoError(t, err)

			s, err := Parse(tok)
			require.NoError(t, err)
			assert.Equal(t, []byte("kid-1"), s.KeyID())
			assert.Equal(t, k.alg, s.msg.Alg)
			v, err := s.Verify(k.public())
			require.NoError(t, err)

			assert.Equal(t, testIssuer, v.IssuerID())
			assert.Equal(t, uint32(7), v.ListID())
			assert.Equal(t, testIAT, v.IssuedAt())
			assert.Equal(t, testIAT.Add(48*time.Hour), v.Expiry())
			assert.Equal(t, 6*time.Hour, v.TTL())
			assert.Equal(t, 2, v.entries.bits)
			assert.Equal(t, 10_000, v.entries.size)
			for _, tc := range []struct {
				index uint32
				want  status.Status
			}{{0, status.StatusValid}, {41, status.StatusValid}, {42, status.StatusRevoked}, {43, status.StatusValid}, {9_999, status.StatusSuspended}} {
				got, err := v.Get(tc.index)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got, "index %d", tc.index)
			}
			_, err = v.Get(10_000)
			assert.ErrorIs(t, err, ErrOutOfRange)
		})
	}
}

// TestSignGolden pins the token bytes (Ed25519 and zlib are
// deterministic). The files were written by the credential/status code
// before the wire format moved here, so they prove the move changed no
// byte; they change only with -update, when the format changes on purpose
// (and docs/status.md and docs/wire-format.md with it).
func TestSignGolden(t *testing.T) {
	k := testKeys(t)[1]
	l := newList(t, 1000, map[uint32]status.Status{1: status.StatusRevoked, 42: status.StatusSuspended, 999: status.StatusRevoked})
	for _, tc := range []struct {
		file     string
		issuerID string
		tok      status.Token
	}{
		{"ed25519-full.cbor", testIssuer, testToken()},
		{"ed25519-minimal.cbor", "00", status.Token{ListID: 0, IssuedAt: testIAT}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, err := Sign(k.signer, k.alg, []byte("kid-1"), tc.issuerID, tc.tok, l)
			require.NoError(t, err)
			path := filepath.Join("testdata", "golden", tc.file)
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, want, got)

			s, err := Parse(want)
			require.NoError(t, err)
			v, err := s.Verify(k.public())
			require.NoError(t, err)
			assert.Equal(t, tc.issuerID, v.IssuerID())
			assert.Equal(t, tc.tok.ListID, v.ListID())
			assert.Equal(t, tc.tok.TTL, v.TTL())
			got42, err := v.Get(42)
			require.NoError(t, err)
			assert.Equal(t, status.StatusSuspended, got42)
		})
	}
}

// TestRevokeSuspend follows one index through its states across
// publications.
func TestRevokeSuspend(t *testing.T) {
	k := testKeys(t)[1]
	l := newList(t, 64, nil)
	tok := status.Token{ListID: 1, IssuedAt: testIAT}
	for _, want := range []status.Status{status.StatusValid, status.StatusSuspended, status.StatusValid, status.StatusRevoked} {
		require.NoError(t, l.Set(5, want))
		v := signVerify(t, k, "dukcapil", tok, l)
		got, err := v.Get(5)
		require.NoError(t, err)
		assert.Equal(t, want, got)
		other, err := v.Get(4)
		require.NoError(t, err)
		assert.Equal(t, status.StatusValid, other, "a neighbouring index is untouched")
		tok.IssuedAt = tok.IssuedAt.Add(time.Hour)
	}
}

// signArgs are Sign's arguments, for tables of bad calls.
type signArgs struct {
	signer   crypto.Signer
	alg      keys.Algorithm
	kid      []byte
	issuerID string
	tok      status.Token
	list     *status.List
}

func TestSignRejects(t *testing.T) {
	ks := testKeys(t)
	ec, ed := ks[0], ks[1]
	l := newList(t, 8, nil)
	for _, tc := range []struct {
		name string
		mod  func(*signArgs)
	}{
		{"ES256 with an Ed25519 key", func(a *signArgs) { a.signer = ed.signer }},
		{"EdDSA with a P-256 key", func(a *signArgs) { a.alg = keys.EdDSA }},
		{"ES512 is not allowed", func(a *signArgs) { a.alg = keys.Algorithm(cose.AlgorithmES512) }},
		{"no algorithm", func(a *signArgs) { a.alg = 0 }},
		{"nil signer", func(a *signArgs) { a.signer = nil }},
		{"empty kid", func(a *signArgs) { a.kid = []byte{} }},
		{"nil kid", func(a *signArgs) { a.kid = nil }},
		{"nil list", func(a *signArgs) { a.list = nil }},
		{"issuer id with a colon", func(a *signArgs) { a.issuerID = "a:b" }},
		{"empty issuer id", func(a *signArgs) { a.issuerID = "" }},
		{"issuer id over 32 bytes", func(a *signArgs) { a.issuerID = strings.Repeat("a", ident.MaxIssuerID+1) }},
		{"no issue time", func(a *signArgs) { a.tok.IssuedAt = time.Time{} }},
		{"issue time before 1970", func(a *signArgs) { a.tok.IssuedAt = time.Unix(-1, 0) }},
		{"expiry at issue", func(a *signArgs) { a.tok.Expiry = a.tok.IssuedAt }},
		{"fractional ttl", func(a *signArgs) { a.tok.TTL = 1500 * time.Millisecond }},
		{"negative ttl", func(a *signArgs) { a.tok.TTL = -time.Second }},
		{"ttl over 100 years", func(a *signArgs) { a.tok.TTL = maxTTL + time.Second }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := signArgs{signer: ec.signer, alg: ec.alg, kid: []byte("k"), issuerID: testIssuer, tok: testToken(), list: l}
			tc.mod(&a)
			out, err := Sign(a.signer, a.alg, a.kid, a.issuerID, a.tok, a.list)
			assert.Error(t, err)
			assert.Nil(t, out)
		})
	}
	t.Run("the longest issuer id is accepted", func(t *testing.T) {
		id := strings.Repeat("a", ident.MaxIssuerID)
		v := signVerify(t, ed, id, testToken(), l)
		assert.Equal(t, id, v.IssuerID())
	})
}

func TestVerifyRejects(t *testing.T) {
	ks := testKeys(t)
	ec, ed := ks[0], ks[1]
	tok, err := Sign(ec.signer, ec.alg, []byte("kid-1"), testIssuer, testToken(), newList(t, 1000, map[uint32]status.Status{1: status.StatusRevoked}))
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)

	for _, tc := range []struct {
		name string
		pub  crypto.PublicKey
	}{
		{"wrong key", p256Key(t, "other").Public()},
		{"Ed25519 key for an ES256 token", ed.public()},
		{"P-384 key", p384.Public()},
		{"RSA key", rsaKey.Public()},
		{"private key instead of public", ec.signer},
		{"nil key", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tok)
			require.NoError(t, err)
			v, err := s.Verify(tc.pub)
			assert.ErrorIs(t, err, ErrSignature)
			assert.Nil(t, v)
		})
	}

	t.Run("tampered", func(t *testing.T) {
		// Flip bits all over the token (a sample of positions): whatever
		// still parses must fail verification.
		for i := 1; i < len(tok); i += 3 {
			bad := bytes.Clone(tok)
			bad[i] ^= 0x01
			s, err := Parse(bad)
			if err != nil {
				assert.ErrorIs(t, err, ErrMalformed, "byte %d", i)
				continue
			}
			_, err = s.Verify(ec.public())
			assert.Error(t, err, "byte %d", i)
		}
	})
}

// signRaw signs payload under an arbitrary protected header with k, for
// tokens that Sign would never write.
func signRaw(t *testing.T, k testKey, protected map[int]any, payload any) []byte {
	t.Helper()
	p, err := codec.Marshal(payload)
	require.NoError(t, err)
	prot, err := codec.Marshal(protected)
	require.NoError(t, err)
	m := &sign1.Message{Protected: prot, Payload: p}
	tbs, err := m.SigStructure(nil)
	require.NoError(t, err)
	s, err := cose.NewSigner(cose.Algorithm(k.alg), k.signer)
	require.NoError(t, err)
	sig, err := s.Sign(rand.Reader, tbs)
	require.NoError(t, err)
	out, err := codec.Marshal([]any{prot, map[int]any{}, p, sig})
	require.NoError(t, err)
	return out
}

func TestParseRejects(t *testing.T) {
	ks := testKeys(t)
	ec, ed := ks[0], ks[1]
	tok, err := Sign(ec.signer, ec.alg, []byte("kid-1"), testIssuer, testToken(), newList(t, 1000, nil))
	require.NoError(t, err)

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
		_, err = s.Verify(ec.public())
		assert.NoError(t, err)
	})

	// Tokens with valid signatures but wrong content.
	lst, err := compress([]byte{0})
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
		name      string
		key       testKey
		protected map[int]any
		payload   any
		parseErr  error
		verifyErr error
	}{
		{name: "well formed", protected: hdr, payload: okClaims},
		{name: "no typ (a credential signed by the same key)", protected: map[int]any{1: int64(ec.alg), 4: []byte("k")}, payload: okClaims, parseErr: ErrMalformed},
		{name: "wrong typ", protected: map[int]any{1: int64(ec.alg), 16: "application/cwt"}, payload: okClaims, parseErr: ErrMalformed},
		{name: "typ not a string", protected: map[int]any{1: int64(ec.alg), 16: 61}, payload: okClaims, parseErr: ErrMalformed},
		{name: "no alg", protected: map[int]any{4: []byte("k"), 16: MediaType}, payload: okClaims, verifyErr: ErrSignature},
		{name: "alg EdDSA on a P-256 signature", protected: map[int]any{1: int64(keys.EdDSA), 16: MediaType}, payload: okClaims, verifyErr: ErrSignature},
		{name: "alg ES256 under an Ed25519 key", key: ed, protected: map[int]any{1: int64(keys.ES256), 16: MediaType}, payload: okClaims, verifyErr: ErrSignature},
		{name: "no sub", protected: hdr, payload: with(2, nil), parseErr: ErrMalformed},
		{name: "no iat", protected: hdr, payload: with(6, nil), parseErr: ErrMalformed},
		{name: "exp before iat", protected: hdr, payload: with(4, testIAT.Unix()-1), parseErr: ErrMalformed},
		{name: "negative ttl", protected: hdr, payload: with(65534, -1), parseErr: ErrMalformed},
		{name: "ttl over 100 years", protected: hdr, payload: with(65534, int64(maxTTL/time.Second)+1), parseErr: ErrMalformed},
		{name: "unknown claim", protected: hdr, payload: with(99, 1), parseErr: ErrMalformed},
		{name: "no status_list", protected: hdr, payload: with(65533, nil), parseErr: ErrMalformed},
		{name: "3 bits", protected: hdr, payload: with(65533, map[string]any{"bits": 3, "lst": lst}), parseErr: ErrMalformed},
		{name: "empty lst", protected: hdr, payload: with(65533, map[string]any{"bits": 2, "lst": []byte{}}), parseErr: ErrMalformed},
		{name: "lst not zlib", protected: hdr, payload: with(65533, map[string]any{"bits": 2, "lst": []byte("not zlib")}), verifyErr: ErrMalformed},
		{name: "lst with trailing bytes", protected: hdr, payload: with(65533, map[string]any{"bits": 2, "lst": append(bytes.Clone(lst), 0)}), verifyErr: ErrMalformed},
		{name: "sub is a URL", protected: hdr, payload: with(2, "https://example.com/statuslists/1"), verifyErr: ErrMalformed},
		{name: "sub with a non-canonical list id", protected: hdr, payload: with(2, "urn:ikd:status:dukcapil:01"), verifyErr: ErrMalformed},
		{name: "sub with a signed list id", protected: hdr, payload: with(2, "urn:ikd:status:dukcapil:+1"), verifyErr: ErrMalformed},
		{name: "sub with an empty issuer", protected: hdr, payload: with(2, "urn:ikd:status::1"), verifyErr: ErrMalformed},
		{name: "sub with an issuer over 32 bytes", protected: hdr, payload: with(2, "urn:ikd:status:"+strings.Repeat("a", ident.MaxIssuerID+1)+":1"), verifyErr: ErrMalformed},
		{name: "sub with a list id over 32 bits", protected: hdr, payload: with(2, "urn:ikd:status:dukcapil:4294967296"), verifyErr: ErrMalformed},
		{name: "sub without a list id", protected: hdr, payload: with(2, "urn:ikd:status:dukcapil"), verifyErr: ErrMalformed},
		{name: "claims not a map", protected: hdr, payload: []int{1}, parseErr: ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := ec
			if tc.key.signer != nil {
				k = tc.key
			}
			s, err := Parse(signRaw(t, k, tc.protected, tc.payload))
			if tc.parseErr != nil {
				assert.ErrorIs(t, err, tc.parseErr)
				return
			}
			require.NoError(t, err)
			v, err := s.Verify(k.public())
			if tc.verifyErr != nil {
				assert.ErrorIs(t, err, tc.verifyErr)
				assert.Nil(t, v)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "dukcapil", v.IssuerID())
			assert.Equal(t, uint32(1), v.ListID())
		})
	}
}
