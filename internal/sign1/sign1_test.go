package sign1_test

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

type testKey struct {
	name   string
	alg    keys.Algorithm
	signer crypto.Signer
	other  crypto.PublicKey // same algorithm, another key
	wrong  crypto.PublicKey // the other algorithm's key
}

func testKeys() []testKey {
	return []testKey{
		{"ES256", sign1.ES256, testkit.P256("sign1 a"), testkit.P256("sign1 b").Public(), testkit.Ed25519("sign1 a").Public()},
		{"EdDSA", sign1.EdDSA, testkit.Ed25519("sign1 a"), testkit.Ed25519("sign1 b").Public(), testkit.P256("sign1 a").Public()},
	}
}

func TestSignParseVerify(t *testing.T) {
	payload := []byte("ikd payload")
	kid := []byte("kid-1")
	for _, k := range testKeys() {
		for _, tagged := range []bool{true, false} {
			name := k.name + "/untagged"
			if tagged {
				name = k.name + "/tagged"
			}
			t.Run(name, func(t *testing.T) {
				sign := sign1.SignUntagged
				if tagged {
					sign = sign1.Sign
				}
				data, err := sign(testkit.NewReader("sign1"), k.signer, k.alg, kid, payload)
				require.NoError(t, err)
				assert.Equal(t, tagged, data[0] == 0xd2)
				m, err := sign1.Parse(data, allLabels)
				require.NoError(t, err)
				assert.Equal(t, tagged, m.Tagged)
				assert.Equal(t, k.alg, m.Alg)
				assert.Equal(t, kid, m.KeyID)
				assert.Equal(t, payload, m.Payload)
				require.NoError(t, m.Verify(k.alg, k.signer.Public(), nil))
				assert.ErrorIs(t, m.Verify(k.alg, k.other, nil), sign1.ErrSignature, "other key")
				assert.ErrorIs(t, m.Verify(k.alg, k.wrong, nil), sign1.ErrAlgorithm, "key of the other algorithm")
				assert.ErrorIs(t, m.Verify(k.alg, k.signer.Public(), []byte("aad")), sign1.ErrSignature, "external AAD")
				other := sign1.EdDSA
				if k.alg == sign1.EdDSA {
					other = sign1.ES256
				}
				assert.ErrorIs(t, m.Verify(other, k.wrong, nil), sign1.ErrAlgorithm, "header alg is not the key's")
				assert.ErrorIs(t, m.Verify(keys.Algorithm(cose.AlgorithmES384), k.signer.Public(), nil), sign1.ErrAlgorithm)

				// Every single-bit change of payload or signature fails.
				m2 := *m
				m2.Payload = append([]byte(nil), m.Payload...)
				m2.Payload[0] ^= 1
				assert.ErrorIs(t, m2.Verify(k.alg, k.signer.Public(), nil), sign1.ErrSignature)
				m3 := *m
				m3.Signature = append([]byte(nil), m.Signature...)
				m3.Signature[len(m3.Signature)-1] ^= 1
				assert.ErrorIs(t, m3.Verify(k.alg, k.signer.Public(), nil), sign1.ErrSignature)
			})
		}
	}
}

func TestSignRefusesMismatchedKey(t *testing.T) {
	for _, k := range testKeys() {
		other := sign1.EdDSA
		if k.alg == sign1.EdDSA {
			other = sign1.ES256
		}
		_, err := sign1.Sign(nil, k.signer, other, nil, []byte("x"))
		assert.ErrorIs(t, err, sign1.ErrAlgorithm, k.name)
		_, err = sign1.Sign(nil, k.signer, keys.Algorithm(cose.AlgorithmES384), nil, []byte("x"))
		assert.ErrorIs(t, err, sign1.ErrAlgorithm, k.name)
	}
	_, err := sign1.Sign(nil, nil, sign1.ES256, nil, []byte("x"))
	assert.ErrorIs(t, err, sign1.ErrAlgorithm)
}

// TestEd25519Deterministic pins one Ed25519 message byte for byte.
func TestEd25519Deterministic(t *testing.T) {
	a, err := sign1.Sign(nil, testkit.Ed25519("sign1 a"), sign1.EdDSA, []byte("k"), []byte("hello"))
	require.NoError(t, err)
	b, err := sign1.Sign(testkit.NewReader("other"), testkit.Ed25519("sign1 a"), sign1.EdDSA, []byte("k"), []byte("hello"))
	require.NoError(t, err)
	assert.Equal(t, a, b)
	// d2 84 | 46 a2 01 27 04 41 6b | a0 | 45 "hello" | 58 40 sig
	assert.Equal(t, "d28446a2012704416ba04568656c6c6f5840", hex.EncodeToString(a[:18]))
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestParseRejects lists structures Parse must refuse with ErrMalformed.
func TestParseRejects(t *testing.T) {
	// sig is a 64-byte signature, so each case fails for its own reason.
	sig := "5840" + strings.Repeat("01", 64)
	tests := []struct{ name, hex string }{
		{"empty", ""},
		{"tag only", "d2"},
		{"not an array", "a0"},
		{"array of three", "8340a04100"},
		{"array of five", "8540a0410041004100"},
		{"other tag", "d903e68440a04100" + sig},
		{"tag 98 COSE_Sign", "d8628440a04100" + sig},
		{"detached payload", "8440a0f6" + sig},
		{"empty signature", "8440a0410040"},
		{"signature of 63 bytes", "8440a04100583f" + strings.Repeat("01", 63)},
		{"signature of 65 bytes", "8440a041005841" + strings.Repeat("01", 65)},
		{"signature of 1 byte", "8440a041004101"},
		{"unprotected not a map", "8440804100" + sig},
		{"alg in unprotected", "8440a101264100" + sig},
		{"crit in unprotected", "8440a102804100" + sig},
		{"crit in protected", "8443a10280a04100" + sig},
		{"protected not a map", "844180a04100" + sig},
		{"protected with trailing bytes", "8442a000a04100" + sig},
		{"alg not an integer", "8444a1016178a04100" + sig},
		{"kid not a byte string", "8444a1046178a04100" + sig},
		{"trailing bytes", "8440a04100" + sig + "00"},
		{"indefinite array", "9f40a04100" + sig + "ff"},
		{"indefinite payload", "8440a05f4100ff" + sig},
		{"duplicate unprotected key", "8440a2040004014100" + sig},
		{"duplicate protected key", "8445a201260127a04100" + sig},
		{"payload is text", "8440a06178" + sig},
		{"nesting too deep", "8440a10481818181818181818100" + "4100" + sig},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sign1.Parse(mustHex(tc.hex), allLabels)
			assert.ErrorIs(t, err, sign1.ErrMalformed)
		})
	}
	t.Run("64-byte signature parses", func(t *testing.T) {
		m, err := sign1.Parse(mustHex("8440a04100"+sig), allLabels)
		require.NoError(t, err, "the cases above must fail for their own reason, not the shared parts")
		assert.Len(t, m.Signature, sign1.SignatureSize)
	})
	t.Run("over MaxMessage", func(t *testing.T) {
		big := make([]byte, limits.MaxMessage+1)
		head := mustHex("8440a0590b") // payload bstr, 2-byte length
		copy(big, head)
		_, err := sign1.Parse(big, allLabels)
		assert.ErrorIs(t, err, sign1.ErrMalformed)
	})
	t.Run("huge declared length", func(t *testing.T) {
		_, err := sign1.Parse(mustHex("8440a05bffffffffffffff004101"), allLabels)
		assert.ErrorIs(t, err, sign1.ErrMalformed)
	})
}

// TestParseKeepsBytesAsReceived checks that a non-canonical but
// well-formed protected header, which only the lenient path for outside
// vectors takes (Parse refuses it), is kept byte for byte: the
// Sig_structure is built from it, not from a re-encoding.
func TestParseKeepsBytesAsReceived(t *testing.T) {
	signer := testkit.Ed25519("sign1 a")
	// protected {4: h'6b', 1: -8}: keys not in canonical order.
	protected := mustHex("a2044161" + "0127")
	m := &sign1.Message{Protected: protected, Payload: []byte("p")}
	tbs, err := m.SigStructure(nil)
	require.NoError(t, err)
	sig, err := signer.Sign(nil, tbs, crypto.Hash(0))
	require.NoError(t, err)
	var buf bytes.Buffer
	buf.Write(mustHex("8446"))
	buf.Write(protected)
	buf.Write(mustHex("a04170" + "5840"))
	buf.Write(sig)
	_, err = sign1.Parse(buf.Bytes(), allLabels)
	require.ErrorIs(t, err, sign1.ErrMalformed, "ikd's own messages are canonical")
	got, err := sign1.ParseLenient(buf.Bytes(), buf.Len())
	require.NoError(t, err)
	assert.Equal(t, protected, got.Protected)
	assert.Equal(t, []byte("a"), got.KeyID)
	require.NoError(t, got.Verify(sign1.EdDSA, signer.Public(), nil))
}

// allLabels admits every label ikd writes, for tests of the framing that do
// not care which kind of message they parse.
const allLabels = sign1.LabelAlg | sign1.LabelKID | sign1.LabelTyp
