package sign1_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
)

// wycheproofFile is the subset of the Wycheproof v1 verify schemas we use.
type wycheproofFile struct {
	Algorithm  string `json:"algorithm"`
	TestGroups []struct {
		PublicKey struct {
			Uncompressed string `json:"uncompressed"` // ECDSA
			PK           string `json:"pk"`           // EdDSA
		} `json:"publicKey"`
		Tests []struct {
			TcID    int      `json:"tcId"`
			Comment string   `json:"comment"`
			Flags   []string `json:"flags"`
			Msg     string   `json:"msg"`
			Sig     string   `json:"sig"`
			Result  string   `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

func loadWycheproof(t *testing.T, name string) *wycheproofFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "wycheproof", name))
	require.NoError(t, err)
	var f wycheproofFile
	require.NoError(t, json.Unmarshal(data, &f))
	require.NotEmpty(t, f.TestGroups)
	return &f
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// TestWycheproof runs the Wycheproof ECDSA P-256 (raw r‖s, the COSE
// signature form) and Ed25519 vectors through VerifyRaw, the function every
// ikd signature check ends in. Every "valid" case must verify and every
// "invalid" case must fail with ErrSignature. The files have no
// "acceptable" cases; should a future copy add some, they are logged and
// either outcome is allowed.
func TestWycheproof(t *testing.T) {
	tests := []struct {
		file string
		alg  keys.Algorithm
		key  func(t *testing.T, uncompressed, pk string) crypto.PublicKey
	}{
		{"ecdsa_secp256r1_sha256_p1363_test.json", sign1.ES256, func(t *testing.T, u, _ string) crypto.PublicKey {
			k, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), unhex(t, u))
			require.NoError(t, err)
			return k
		}},
		{"ed25519_test.json", sign1.EdDSA, func(t *testing.T, _, pk string) crypto.PublicKey {
			k := unhex(t, pk)
			require.Len(t, k, ed25519.PublicKeySize)
			return ed25519.PublicKey(k)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f := loadWycheproof(t, tc.file)
			var valid, invalid, acceptable int
			for _, g := range f.TestGroups {
				pub := tc.key(t, g.PublicKey.Uncompressed, g.PublicKey.PK)
				for _, c := range g.Tests {
					err := sign1.VerifyRaw(tc.alg, pub, unhex(t, c.Msg), unhex(t, c.Sig))
					switch c.Result {
					case "valid":
						valid++
						assert.NoError(t, err, "tcId %d (%s)", c.TcID, c.Comment)
					case "invalid":
						invalid++
						assert.ErrorIs(t, err, sign1.ErrSignature, "tcId %d (%s) %v", c.TcID, c.Comment, c.Flags)
					case "acceptable":
						acceptable++
						t.Logf("tcId %d acceptable (%s): err=%v", c.TcID, c.Comment, err)
					default:
						t.Fatalf("tcId %d: unknown result %q", c.TcID, c.Result)
					}
				}
			}
			require.NotZero(t, valid)
			require.NotZero(t, invalid)
			t.Logf("%s: %d valid accepted, %d invalid rejected, %d acceptable", f.Algorithm, valid, invalid, acceptable)
		})
	}
}

// coseExample is the subset of a cose-wg/Examples file we use.
type coseExample struct {
	Title string `json:"title"`
	Input struct {
		Fail  bool `json:"fail"`
		Sign0 *struct {
			Key      map[string]string `json:"key"`
			External string            `json:"external"`
		} `json:"sign0"`
	} `json:"input"`
	Intermediates struct {
		ToBeSignHex string `json:"ToBeSign_hex"`
	} `json:"intermediates"`
	Output struct {
		CBOR string `json:"cbor"`
	} `json:"output"`
}

// b64OrHex reads JWK member name from key, as base64url or as name_hex.
func b64OrHex(t *testing.T, key map[string]string, name string) []byte {
	t.Helper()
	if h, ok := key[name+"_hex"]; ok {
		return unhex(t, h)
	}
	s, ok := key[name]
	require.True(t, ok, "key has no %q", name)
	b, err := base64.RawURLEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

// jwkPublicKey builds the public key of a JWK-like COSE WG key, and the
// algorithm ikd would bind to it (0 for a key ikd has no algorithm for).
func jwkPublicKey(t *testing.T, key map[string]string) (crypto.PublicKey, keys.Algorithm) {
	t.Helper()
	switch key["kty"] {
	case "EC":
		curves := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}
		curve, ok := curves[key["crv"]]
		require.True(t, ok, "curve %q", key["crv"])
		size := (curve.Params().BitSize + 7) / 8
		x, y := b64OrHex(t, key, "x"), b64OrHex(t, key, "y")
		raw := make([]byte, 1+2*size)
		raw[0] = 4
		copy(raw[1+size-len(x):1+size], x)
		copy(raw[1+2*size-len(y):], y)
		pub, err := ecdsa.ParseUncompressedPublicKey(curve, raw)
		require.NoError(t, err)
		if curve == elliptic.P256() {
			return pub, sign1.ES256
		}
		return pub, 0
	case "OKP":
		x := b64OrHex(t, key, "x")
		if key["crv"] == "Ed25519" {
			return ed25519.PublicKey(x), sign1.EdDSA
		}
		return ed25519.PublicKey(x), 0 // Ed448: 57 bytes, no ikd algorithm
	}
	t.Fatalf("key type %q", key["kty"])
	return nil, 0
}

// coseExpect is what ikd does with each COSE WG example. The upstream
// files mark failures by name (sign-fail-*) rather than by "fail": true;
// the test also honours "fail": true should a file carry it.
var coseExpect = map[string]struct {
	err  error  // nil: parses and verifies
	why  string // the reason, for the reader
	skip bool   // not a COSE_Sign1 for a key we can build (COSE_Sign, tag 98)
}{
	"sign1-tests/sign-pass-01.json":    {sign1.ErrMalformed, "alg only in the unprotected header: ikd requires a protected alg (DESIGN: the algorithm is never taken from unprotected data), see TestCOSESignPass01", false},
	"sign1-tests/sign-pass-02.json":    {nil, "external AAD", false},
	"sign1-tests/sign-pass-03.json":    {nil, "untagged COSE_Sign1", false},
	"sign1-tests/sign-fail-01.json":    {sign1.ErrMalformed, "tag 998 instead of 18", false},
	"sign1-tests/sign-fail-02.json":    {sign1.ErrSignature, "payload changed", false},
	"sign1-tests/sign-fail-03.json":    {sign1.ErrAlgorithm, "alg -999", false},
	"sign1-tests/sign-fail-04.json":    {sign1.ErrMalformed, "alg is a text string", false},
	"sign1-tests/sign-fail-06.json":    {sign1.ErrSignature, "protected attribute added", false},
	"sign1-tests/sign-fail-07.json":    {sign1.ErrSignature, "protected attribute removed", false},
	"ecdsa-examples/ecdsa-sig-01.json": {nil, "ES256 with ctyp in the protected header", false},
	"ecdsa-examples/ecdsa-sig-02.json": {sign1.ErrAlgorithm, "ES384 is not an ikd algorithm", false},
	"ecdsa-examples/ecdsa-sig-03.json": {sign1.ErrAlgorithm, "ES512 is not an ikd algorithm", false},
	"ecdsa-examples/ecdsa-sig-04.json": {sign1.ErrAlgorithm, "ES512 with a P-256 key: ES256-only path refuses", false},
	"eddsa-examples/eddsa-sig-01.json": {nil, "Ed25519", false},
	"eddsa-examples/eddsa-sig-02.json": {sign1.ErrAlgorithm, "Ed448 is not an ikd algorithm", false},
	"ecdsa-examples/ecdsa-01.json":     {sign1.ErrMalformed, "COSE_Sign (tag 98), not COSE_Sign1", true},
	"ecdsa-examples/ecdsa-02.json":     {sign1.ErrMalformed, "COSE_Sign (tag 98)", true},
	"ecdsa-examples/ecdsa-03.json":     {sign1.ErrMalformed, "COSE_Sign (tag 98)", true},
	"ecdsa-examples/ecdsa-04.json":     {sign1.ErrMalformed, "COSE_Sign (tag 98)", true},
	"eddsa-examples/eddsa-01.json":     {sign1.ErrMalformed, "COSE_Sign (tag 98)", true},
	"eddsa-examples/eddsa-02.json":     {sign1.ErrMalformed, "COSE_Sign (tag 98)", true},
}

func loadCOSE(t *testing.T, rel string) *coseExample {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cose-wg", rel))
	require.NoError(t, err)
	var ex coseExample
	require.NoError(t, json.Unmarshal(data, &ex))
	return &ex
}

// TestCOSEWGExamples runs the COSE WG Examples through Parse and
// (*Message).Verify with the algorithm ikd binds to the example's key, and
// compares SigStructure with the published ToBe_Signed bytes.
func TestCOSEWGExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cose-wg", "*", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		rel := filepath.ToSlash(strings.TrimPrefix(f, filepath.Join("testdata", "cose-wg")+string(filepath.Separator)))
		t.Run(rel, func(t *testing.T) {
			want, ok := coseExpect[rel]
			require.True(t, ok, "no expectation for %s: add it to coseExpect", rel)
			ex := loadCOSE(t, rel)
			if ex.Input.Fail || strings.Contains(rel, "fail") {
				require.Error(t, want.err, "%s must be rejected", rel)
			}
			data := unhex(t, ex.Output.CBOR)
			msg, err := sign1.ParseLenient(data, len(data))
			if want.skip {
				require.ErrorIs(t, err, sign1.ErrMalformed, want.why)
				return
			}
			require.NotNil(t, ex.Input.Sign0, "sign0 input")
			pub, alg := jwkPublicKey(t, ex.Input.Sign0.Key)
			external := unhex(t, ex.Input.Sign0.External)
			if err != nil {
				require.ErrorIs(t, err, want.err, want.why)
				return
			}
			if ex.Intermediates.ToBeSignHex != "" && want.err == nil {
				tbs, err := msg.SigStructure(external)
				require.NoError(t, err)
				assert.Equal(t, strings.ToLower(ex.Intermediates.ToBeSignHex), hex.EncodeToString(tbs), "Sig_structure")
			}
			if alg == 0 {
				// No ikd algorithm fits this key: every algorithm we
				// could pass is refused, including the header's own.
				assert.ErrorIs(t, msg.Verify(msg.Alg, pub, external), sign1.ErrAlgorithm, want.why)
				assert.ErrorIs(t, msg.Verify(sign1.ES256, pub, external), sign1.ErrAlgorithm, want.why)
				assert.ErrorIs(t, msg.Verify(sign1.EdDSA, pub, external), sign1.ErrAlgorithm, want.why)
				return
			}
			err = msg.Verify(alg, pub, external)
			if want.err == nil {
				require.NoError(t, err, want.why)
				// The same bytes without the external AAD, or with
				// another one, do not verify.
				assert.ErrorIs(t, msg.Verify(alg, pub, append(external, 0)), sign1.ErrSignature)
			} else {
				require.ErrorIs(t, err, want.err, want.why)
			}
		})
	}
}

// TestCOSEUnsupportedAlgorithms makes the refusal of ES384/ES512 explicit:
// even when the caller names the header's algorithm and hands over the
// right key, sign1 refuses it.
func TestCOSEUnsupportedAlgorithms(t *testing.T) {
	for _, rel := range []string{"ecdsa-examples/ecdsa-sig-02.json", "ecdsa-examples/ecdsa-sig-03.json", "ecdsa-examples/ecdsa-sig-04.json"} {
		t.Run(rel, func(t *testing.T) {
			ex := loadCOSE(t, rel)
			msg, err := sign1.ParseLenient(unhex(t, ex.Output.CBOR), limits.MaxMessage)
			require.NoError(t, err)
			require.Contains(t, []keys.Algorithm{keys.Algorithm(cose.AlgorithmES384), keys.Algorithm(cose.AlgorithmES512)}, msg.Alg)
			pub, _ := jwkPublicKey(t, ex.Input.Sign0.Key)
			assert.ErrorIs(t, msg.Verify(msg.Alg, pub, nil), sign1.ErrAlgorithm)
			tbs, err := msg.SigStructure(nil)
			require.NoError(t, err)
			assert.ErrorIs(t, sign1.VerifyRaw(msg.Alg, pub, tbs, msg.Signature), sign1.ErrAlgorithm)
		})
	}
}

// TestCOSESignPass01 documents sign-pass-01 ("Redo protected"): its
// protected header is h'A0' (an empty map, not the canonical empty bstr) and
// its alg sits only in the unprotected header. ikd refuses the message as a
// whole because the algorithm must be protected.
//
// The example was signed over the canonical empty protected header h”
// (its published ToBeSign has 0x40) and then rewritten to h'A0'. A library
// that verifies it re-encodes the header; ikd checks the signature over the
// bytes as received, so the signature does not verify over h'A0', and it
// does verify over the published ToBeSign: the test pins both facts.
func TestCOSESignPass01(t *testing.T) {
	ex := loadCOSE(t, "sign1-tests/sign-pass-01.json")
	data := unhex(t, ex.Output.CBOR)
	_, err := sign1.ParseLenient(data, len(data))
	require.ErrorIs(t, err, sign1.ErrMalformed)

	// Build the message without the unprotected alg, so that Parse accepts
	// it, and look at the signature over the bytes as received.
	stripped := strings.Replace(strings.ToUpper(ex.Output.CBOR), "A201260442313154", "A1044231315"+"4", 1)
	msg, err := sign1.ParseLenient(unhex(t, stripped), limits.MaxMessage)
	require.NoError(t, err)
	assert.Equal(t, []byte{0xa0}, msg.Protected, "protected bytes kept as received")
	assert.Zero(t, msg.Alg, "no protected alg")
	pub, alg := jwkPublicKey(t, ex.Input.Sign0.Key)
	assert.ErrorIs(t, msg.Verify(alg, pub, nil), sign1.ErrAlgorithm, "protected alg required")

	tbs, err := msg.SigStructure(nil)
	require.NoError(t, err)
	errAsReceived := sign1.VerifyRaw(alg, pub, tbs, msg.Signature)
	t.Logf("sign-pass-01 signature over protected h'A0' as received: %v", errAsReceived)
	want := unhex(t, ex.Intermediates.ToBeSignHex)
	errPublished := sign1.VerifyRaw(alg, pub, want, msg.Signature)
	t.Logf("sign-pass-01 signature over the published ToBeSign (protected h''): %v", errPublished)
	assert.ErrorIs(t, errAsReceived, sign1.ErrSignature, "bytes as received, never re-encoded")
	assert.NoError(t, errPublished, "the key and signature are good")
}
