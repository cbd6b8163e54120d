package sign1_test

import (
	"bytes"
	"crypto"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// signedRaw returns an untagged COSE_Sign1 with the protected and
// unprotected header bytes exactly as given, signed with Ed25519 over the
// protected bytes as they are, so that only the framing can be wrong.
func signedRaw(t *testing.T, protected, unprotected []byte) []byte {
	t.Helper()
	signer := testkit.Ed25519("sign1 a")
	m := &sign1.Message{Protected: protected, Payload: []byte("p")}
	tbs, err := m.SigStructure(nil)
	require.NoError(t, err)
	sig, err := signer.Sign(nil, tbs, crypto.Hash(0))
	require.NoError(t, err)
	var b bytes.Buffer
	b.WriteByte(0x84)
	b.WriteByte(0x40 | byte(len(protected))) // < 24 bytes in these tests
	b.Write(protected)
	b.Write(unprotected)
	b.Write(mustHex("4170" + "5840"))
	b.Write(sig)
	return b.Bytes()
}

// TestParseStrictHeaders: ikd's own messages (presentations, credentials,
// status lists) are deterministic CBOR all through, as docs/wire-format.md
// says: the unprotected header is the empty map and the protected header a
// canonical map. Before issue 12 Parse let header keys come in any order
// and took a non-empty unprotected header. ParseLenient, for the outside
// test vectors only, still takes both.
func TestParseStrictHeaders(t *testing.T) {
	algKid := mustHex("a2" + "0127" + "04416b") // {1: -8, 4: h'6b'}
	cases := []struct {
		name                   string
		protected, unprotected []byte
		strict, lenient        bool // accepted by Parse, by ParseLenient
	}{
		{"canonical", algKid, mustHex("a0"), true, true},
		{"protected_keys_out_of_order", mustHex("a2" + "04416b" + "0127"), mustHex("a0"), false, true},
		{"protected_text_label_before_int", mustHex("a3" + "617800" + "0127" + "04416b"), mustHex("a0"), false, true},
		{"unprotected_kid", algKid, mustHex("a1" + "04416b"), false, true},
		{"unprotected_junk", algKid, mustHex("a1" + "1863" + "646a756e6b"), false, true},
		{"unprotected_text_label", algKid, mustHex("a1" + "6178" + "00"), false, true},
		{"unprotected_keys_out_of_order", algKid, mustHex("a2" + "0541aa" + "0441bb"), false, true},
		{"unprotected_alg", algKid, mustHex("a1" + "0127"), false, false},
		{"unprotected_non_shortest_empty_map", algKid, mustHex("b800"), false, false},
		{"protected_non_shortest_key", mustHex("a2" + "180127" + "04416b"), mustHex("a0"), false, false},
		{"protected_duplicate_key", mustHex("a2" + "0127" + "0127"), mustHex("a0"), false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := signedRaw(t, tc.protected, tc.unprotected)
			m, err := sign1.Parse(data, allLabels)
			if tc.strict {
				require.NoError(t, err)
				require.NoError(t, m.Verify(sign1.EdDSA, testkit.Ed25519("sign1 a").Public(), nil))
			} else {
				assert.ErrorIs(t, err, sign1.ErrMalformed)
				assert.Nil(t, m)
			}
			_, err = sign1.ParseLarge(data, len(data), allLabels)
			assert.Equal(t, tc.strict, err == nil, "ParseLarge is as strict: %v", err)
			m, err = sign1.ParseLenient(data, len(data))
			if tc.lenient {
				require.NoError(t, err)
				assert.Equal(t, tc.protected, m.Protected, "kept as received")
				assert.Equal(t, []byte("k"), m.KeyID, "kid from the protected header only")
				assert.NoError(t, m.Verify(sign1.EdDSA, testkit.Ed25519("sign1 a").Public(), nil), "over the bytes as received")
			} else {
				assert.ErrorIs(t, err, sign1.ErrMalformed)
			}
		})
	}
	t.Run("non_shortest_signature_length", func(t *testing.T) {
		data := signedRaw(t, algKid, mustHex("a0"))
		i := bytes.Index(data, mustHex("5840"))
		bad := append(append(append([]byte{}, data[:i]...), 0x59, 0x00, 0x40), data[i+2:]...)
		_, err := sign1.Parse(bad, allLabels)
		assert.ErrorIs(t, err, sign1.ErrMalformed)
		_, err = sign1.ParseLenient(bad, len(bad))
		assert.ErrorIs(t, err, sign1.ErrMalformed, "lenient about headers only")
	})
}

// TestParseLenientOnlyInTests keeps the lenient path where it belongs: no
// non-test file of the module but sign1.go itself names ParseLenient.
func TestParseLenientOnlyInTests(t *testing.T) {
	root := filepath.Join("..", "..")
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "ParseLenient" {
				t.Errorf("%s uses sign1.ParseLenient: it is for the outside test vectors only", path)
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, files, 20, "walked the module")
}

// TestParseAllowedLabels: Parse admits only the protected labels its
// caller names (alg, kid, typ), and reports those present; any other
// label, integer or text, is malformed even when the signature verifies.
// ParseLenient, for outside vectors, still skips labels it does not read.
// Before the fix Parse skipped them all (issue 12's second outside review).
func TestParseAllowedLabels(t *testing.T) {
	cases := []struct {
		name      string
		protected string
		allowed   sign1.Labels
		want      sign1.Labels // 0: refused by Parse
	}{
		{"alg_in_alg", "a10127", sign1.LabelAlg, sign1.LabelAlg},
		{"alg_kid_in_alg_kid", "a2012704416b", sign1.LabelAlg | sign1.LabelKID, sign1.LabelAlg | sign1.LabelKID},
		{"alg_kid_typ_in_all", "a3012704416b106178", allLabels, allLabels},
		{"kid_not_allowed", "a2012704416b", sign1.LabelAlg, 0},
		{"typ_not_allowed", "a3012704416b106178", sign1.LabelAlg | sign1.LabelKID, 0},
		{"content_type_3", "a201270300", allLabels, 0},
		{"cwt_claims_15", "a201270fa10164657669 6c", allLabels, 0},
		{"x5chain_33", "a20127182141 00", allLabels, 0},
		{"private_label_minus_70000", "a201273a0001116f00", allLabels, 0},
		{"text_label", "a20127617800", allLabels, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := signedRaw(t, mustHex(strings.ReplaceAll(tc.protected, " ", "")), mustHex("a0"))
			m, err := sign1.Parse(data, tc.allowed)
			if tc.want == 0 {
				assert.ErrorIs(t, err, sign1.ErrMalformed)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tc.want, m.Labels)
				require.NoError(t, m.Verify(sign1.EdDSA, testkit.Ed25519("sign1 a").Public(), nil))
			}
			m, err = sign1.ParseLenient(data, len(data))
			require.NoError(t, err, "lenient")
			require.NoError(t, m.Verify(sign1.EdDSA, testkit.Ed25519("sign1 a").Public(), nil))
		})
	}
}
