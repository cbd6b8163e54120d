package sign1_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// BenchmarkVerify measures Parse + Verify of a 300-byte payload, against
// the bare crypto/ecdsa verification of the same signature.
func BenchmarkVerify(b *testing.B) {
	payload := make([]byte, 300)
	for _, k := range testKeys() {
		data, err := sign1.Sign(testkit.NewReader("bench"), k.signer, k.alg, []byte("kid"), payload)
		if err != nil {
			b.Fatal(err)
		}
		pub := k.signer.Public()
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				m, err := sign1.Parse(data, allLabels)
				if err != nil {
					b.Fatal(err)
				}
				if err := m.Verify(k.alg, pub, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		if k.alg != sign1.ES256 {
			continue
		}
		m, _ := sign1.Parse(data, allLabels)
		tbs, _ := m.SigStructure(nil)
		digest := sha256.Sum256(tbs)
		r, s := new(big.Int).SetBytes(m.Signature[:32]), new(big.Int).SetBytes(m.Signature[32:])
		epub := pub.(*ecdsa.PublicKey)
		b.Run("baseline crypto/ecdsa", func(b *testing.B) {
			for b.Loop() {
				if !ecdsa.Verify(epub, digest[:], r, s) {
					b.Fatal("does not verify")
				}
			}
		})
	}
}

// BenchmarkParse measures Parse alone (one pass of codec.Reader over the
// message and its protected header), against decoding the same message
// into a struct with codec.Unmarshal, which is where Parse started.
func BenchmarkParse(b *testing.B) {
	k := testKeys()[0]
	data, err := sign1.Sign(testkit.NewReader("bench"), k.signer, k.alg, []byte("kid"), make([]byte, 300))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := sign1.Parse(data, allLabels); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline codec.Unmarshal", func(b *testing.B) {
		var m struct {
			_           struct{} `cbor:",toarray"`
			Protected   []byte
			Unprotected cbor.RawMessage
			Payload     []byte
			Signature   []byte
		}
		for b.Loop() {
			if err := codec.Unmarshal(data[1:], &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
