package verify_test

// Byte-level tools for the attack tests: raw CBOR builders that can write
// what the strict encoder never would (duplicate keys, indefinite lengths,
// non-shortest integers, tags, huge declared lengths), and helpers that
// wrap such bytes in a presentation signed by a real device key (or a
// credential signed by a real issuer key), so that the only thing wrong
// with the input is its structure.

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/binary"
	"math/big"
	"sort"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// CBOR major types (RFC 8949 §3.1).
const (
	majUint  = 0
	majNeg   = 1
	majBytes = 2
	majText  = 3
	majArray = 4
	majMap   = 5
	majTag   = 6
)

// head returns the shortest CBOR head for major type m and argument n.
func head(m byte, n uint64) []byte {
	switch {
	case n < 24:
		return []byte{m<<5 | byte(n)}
	case n <= 0xff:
		return []byte{m<<5 | 24, byte(n)}
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16([]byte{m<<5 | 25}, uint16(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32([]byte{m<<5 | 26}, uint32(n))
	default:
		return binary.BigEndian.AppendUint64([]byte{m<<5 | 27}, n)
	}
}

// head8 returns the 8-byte (non-shortest) head for m and n.
func head8(m byte, n uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{m<<5 | 27}, n)
}

// cat concatenates byte slices.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// rawArray encodes a definite-length array of already encoded items.
func rawArray(items ...[]byte) []byte {
	return cat(head(majArray, uint64(len(items))), cat(items...))
}

// rawMap encodes a definite-length map of already encoded key/value pairs
// in the order given (not necessarily canonical, duplicates allowed).
func rawMap(pairs ...[2][]byte) []byte {
	out := head(majMap, uint64(len(pairs)))
	for _, p := range pairs {
		out = cat(out, p[0], p[1])
	}
	return out
}

// rawBytes and rawText encode a byte string and a text string.
func rawBytes(b []byte) []byte { return cat(head(majBytes, uint64(len(b))), b) }
func rawText(s string) []byte  { return cat(head(majText, uint64(len(s))), []byte(s)) }

// rawInt encodes a signed integer in shortest form.
func rawInt(n int64) []byte {
	if n >= 0 {
		return head(majUint, uint64(n))
	}
	return head(majNeg, uint64(-1-n))
}

// nested returns depth arrays inside each other around an empty array.
func nested(depth int) []byte {
	out := []byte{0x80}
	for range depth {
		out = cat([]byte{0x81}, out)
	}
	return out
}

// mustEnc encodes v with the strict encoder.
func mustEnc(t testing.TB, v any) []byte {
	t.Helper()
	b, err := codec.Marshal(v)
	require.NoError(t, err)
	return b
}

// presParts is a real presentation taken apart: the device-signed payload's
// items as encoded, and the COSE_Sign1 around it.
type presParts struct {
	cose  sign1Parts
	cred  []byte // untagged credential COSE_Sign1, as embedded
	iat   []byte
	ttl   []byte
	nonce []byte
	aud   []byte // nil when the presentation names no audience
}

// takeApart splits a presentation's QR text into its parts.
func takeApart(t testing.TB, text string) presParts {
	t.Helper()
	data, err := presentation.Decode(text)
	require.NoError(t, err)
	p := presParts{cose: splitSign1(t, data)}
	var items []cbor.RawMessage
	require.NoError(t, codec.Unmarshal(p.cose.Payload, &items))
	require.True(t, len(items) == 4 || len(items) == 5)
	p.cred, p.iat, p.ttl, p.nonce = items[0], items[1], items[2], items[3]
	if len(items) == 5 {
		p.aud = items[4]
	}
	return p
}

// payload re-encodes the parts as the canonical device-signed payload.
func (p presParts) payload() []byte {
	items := [][]byte{p.cred, p.iat, p.ttl, p.nonce}
	if p.aud != nil {
		items = append(items, p.aud)
	}
	return rawArray(items...)
}

// deviceSigned signs payload (any bytes) with the device key as ikd's
// presentation COSE_Sign1 (untagged, protected {alg: ES256}) and returns
// the QR text: the device signature verifies whatever the payload holds.
func deviceSigned(t testing.TB, device *ecdsa.PrivateKey, payload []byte) string {
	t.Helper()
	b, err := sign1.SignUntagged(testkit.NewReader("attack"), device, sign1.ES256, nil, payload)
	require.NoError(t, err)
	return presentation.Encode(b)
}

// rawSign1 encodes a COSE_Sign1 array from raw items, untagged.
func rawSign1(protected, unprotected, payload, signature []byte) []byte {
	return rawArray(rawBytes(protected), unprotected, rawBytes(payload), rawBytes(signature))
}

// deviceSignedRaw signs payload with device under the given protected
// header bytes and unprotected header item, exactly as given, and returns
// the untagged COSE_Sign1 bytes: the signature is valid over the header
// as sent.
func deviceSignedRaw(t testing.TB, device *ecdsa.PrivateKey, protected, unprotected, payload []byte) []byte {
	t.Helper()
	m := &sign1.Message{Protected: protected, Alg: sign1.ES256, Payload: payload}
	tbs, err := m.SigStructure(nil)
	require.NoError(t, err)
	sig := signES256Raw(t, device, tbs)
	return rawSign1(protected, unprotected, payload, sig)
}

// signES256Raw returns the raw r‖s ES256 signature of msg (RFC 9053 §2.1).
func signES256Raw(t testing.TB, key *ecdsa.PrivateKey, msg []byte) []byte {
	t.Helper()
	s, err := cose.NewSigner(cose.AlgorithmES256, key)
	require.NoError(t, err)
	sig, err := s.Sign(testkit.NewReader("raw"), msg)
	require.NoError(t, err)
	return sig
}

// issuerSignedRaw signs payload bytes (any bytes) with the issuer's key
// under ikd's credential header {alg, kid}, tagged as issued.
func issuerSignedRaw(t testing.TB, ti *testIssuer, payload []byte) []byte {
	t.Helper()
	b, err := sign1.Sign(testkit.NewReader("rogue raw"), ti.signer, ti.alg, ti.kid, payload)
	require.NoError(t, err)
	return b
}

// credPairs returns a credential payload's key/value pairs, as encoded,
// in canonical order.
func credPairs(t testing.TB, cred []byte) [][2][]byte {
	t.Helper()
	var m map[int64]cbor.RawMessage
	require.NoError(t, codec.Unmarshal(splitSign1(t, cred).Payload, &m))
	var pairs [][2][]byte
	for k, v := range m {
		pairs = append(pairs, [2][]byte{rawInt(k), v})
	}
	sort.Slice(pairs, func(i, j int) bool { return bytes.Compare(pairs[i][0], pairs[j][0]) < 0 })
	return pairs
}

// replacePair returns pairs with key's value replaced by v.
func replacePair(pairs [][2][]byte, key int64, v []byte) [][2][]byte {
	out := make([][2][]byte, len(pairs))
	copy(out, pairs)
	for i := range out {
		if bytes.Equal(out[i][0], rawInt(key)) {
			out[i][1] = v
		}
	}
	return out
}

// untag strips a COSE_Sign1 tag.
func untag(b []byte) []byte {
	if len(b) > 0 && b[0] == 0xd2 {
		return b[1:]
	}
	return b
}

// malleate returns the twin (r, n−s) of a raw P-256 signature: it verifies
// too (ECDSA signatures are malleable).
func malleate(sig []byte) []byte {
	n := elliptic.P256().Params().N
	s := new(big.Int).SetBytes(sig[32:])
	s.Sub(n, s)
	out := bytes.Clone(sig)
	s.FillBytes(out[32:])
	return out
}
