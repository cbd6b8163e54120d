package sign1_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// fuzzSeeds returns the COSE WG example messages, the credential golden
// vectors, and freshly signed ES256 and EdDSA messages.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "cose-wg", "*", "*.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var ex coseExample
		if err := json.Unmarshal(data, &ex); err != nil {
			f.Fatal(err)
		}
		if b, err := hex.DecodeString(ex.Output.CBOR); err == nil {
			seeds = append(seeds, b)
		}
	}
	// The credential golden vectors are COSE_Sign1 messages too.
	golden, _ := filepath.Glob(filepath.Join("..", "..", "credential", "testdata", "golden", "*.eddsa.hex"))
	for _, file := range golden {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if b, err := hex.DecodeString(string(bytes.TrimSpace(data))); err == nil {
			seeds = append(seeds, b)
		}
	}
	for _, k := range testKeys() {
		for _, sign := range []func() ([]byte, error){
			func() ([]byte, error) {
				return sign1.Sign(testkit.NewReader("fuzz"), k.signer, k.alg, []byte("kid"), []byte{0xa1, 0x01, 0x02})
			},
			func() ([]byte, error) {
				return sign1.SignUntagged(testkit.NewReader("fuzz"), k.signer, k.alg, nil, []byte{})
			},
		} {
			b, err := sign()
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	return seeds
}

// FuzzParse checks that Parse never panics, that every error wraps
// ErrMalformed, that an accepted message is byte for byte the canonical
// encoding of its fields, and that it re-marshals consistently:
// building a COSE_Sign1 again from the parsed fields and parsing that gives
// the same fields, and its Sig_structure is the one of the original.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte{})
	f.Add([]byte{0xd2})
	f.Add([]byte{0x84, 0x40, 0xa0, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := sign1.Parse(data, allLabels)
		if err != nil {
			if !errors.Is(err, sign1.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if m != nil {
				t.Fatal("message returned with an error")
			}
			return
		}
		tbs, err := m.SigStructure(nil)
		if err != nil {
			t.Fatalf("SigStructure of an accepted message: %v", err)
		}
		again, err := codec.Marshal([]any{m.Protected, map[int]any{}, m.Payload, m.Signature})
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		if m.Tagged {
			again = append([]byte{0xd2}, again...)
		}
		// Deterministic framing (issue 12): what Parse accepts is the one
		// encoding of its fields.
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted a message that is not its canonical encoding: %x", data)
		}
		m2, err := sign1.Parse(again, allLabels)
		if err != nil {
			t.Fatalf("re-marshalled message does not parse: %v", err)
		}
		if !bytes.Equal(m.Protected, m2.Protected) || !bytes.Equal(m.Payload, m2.Payload) ||
			!bytes.Equal(m.Signature, m2.Signature) || !bytes.Equal(m.KeyID, m2.KeyID) ||
			m.Alg != m2.Alg || m.Tagged != m2.Tagged {
			t.Fatalf("re-marshalled message differs: %+v vs %+v", m, m2)
		}
		tbs2, err := m2.SigStructure(nil)
		if err != nil || !bytes.Equal(tbs, tbs2) {
			t.Fatalf("Sig_structure differs after re-marshal")
		}
	})
}
