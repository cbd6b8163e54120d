package statuslist

import (
	"compress/zlib"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
)

// fuzzKey signs the seed tokens, so that fuzzed variants of them reach the
// decompressor after a successful verification.
var fuzzKey = ed25519.NewKeyFromSeed(seed("fuzz"))

// FuzzParse feeds token bytes to Parse and, when they parse, to Verify.
// Properties: errors are the documented sentinels; a verified list names
// a valid issuer, answers every lookup inside it without panicking and
// refuses indices past its end; a list is returned exactly when the error
// is nil.
func FuzzParse(f *testing.F) {
	f.Add(readHexFile(f, "status_list_cwt.md"))
	f.Add(readHexFile(f, "referenced_token_cwt.md"))
	for _, bits := range []int{1, 2, 4, 8} {
		data := make([]byte, 16)
		data[3] = 0x41
		tok, err := sign(fuzzKey, keys.EdDSA, []byte("k"), testIssuer, testToken(), bits, data)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
		f.Add(tok[1:]) // untagged
	}
	l, err := status.NewList(1)
	if err != nil {
		f.Fatal(err)
	}
	tok, err := Sign(fuzzKey, keys.EdDSA, []byte("k"), "00", status.Token{IssuedAt: testIAT}, l)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tok) // the smallest list, the shortest issuer id
	f.Add([]byte{})
	f.Add([]byte{0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40})
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Parse error %v is not a documented sentinel", err)
			}
			return
		}
		_ = s.KeyID()
		v, err := s.Verify(fuzzKey.Public())
		if (v == nil) == (err == nil) {
			t.Fatalf("Verify returned list %v and error %v", v != nil, err)
		}
		if err != nil {
			for _, want := range []error{ErrMalformed, ErrTooLarge, ErrSignature} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("Verify error %v is not a documented sentinel", err)
		}
		if v.IssuerID() == "" || v.IssuedAt().IsZero() {
			t.Fatal("Verify returned no error and no usable list")
		}
		n := v.entries.size
		if n < 1 || n*v.entries.bits%8 != 0 {
			t.Fatalf("list of %d entries of %d bits", n, v.entries.bits)
		}
		for _, i := range []uint32{0, uint32(n - 1)} {
			if _, err := v.Get(i); err != nil {
				t.Fatalf("Get(%d): %v", i, err)
			}
		}
		if _, err := v.Get(uint32(n)); !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("Get past the end: %v", err)
		}
	})
}

// FuzzDecompress feeds the lst decoder (zlib and bit array). Property: a
// stream that decodes re-encodes to a stream that decodes to the same bit
// array.
func FuzzDecompress(f *testing.F) {
	for _, v := range loadListVectors(f) {
		b, err := hex.DecodeString(v.CBORHex)
		if err != nil {
			f.Fatal(err)
		}
		var w listWire
		if err := codec.UnmarshalLarge(b, limits.MaxStatusList, &w); err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(w.Bits), w.Lst)
	}
	f.Add(uint8(2), []byte{0x78, 0xda, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}) // empty stream
	f.Add(uint8(3), []byte{0x78, 0xda})
	f.Fuzz(func(t *testing.T, bits uint8, lst []byte) {
		a, err := decompress(int(bits), lst)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v is not a documented sentinel", err)
			}
			return
		}
		again, err := compressLevel(a.data, zlib.BestSpeed) // level 9 is too slow for fuzzing
		if err != nil {
			t.Fatal(err)
		}
		b, err := decompress(int(bits), again)
		if err != nil {
			t.Fatalf("re-encoded list does not decode: %v", err)
		}
		if b.size != a.size || string(b.data) != string(a.data) {
			t.Fatal("re-encoded list differs")
		}
		if _, err := a.get(uint32(a.size)); !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("Get past the end: %v", err)
		}
	})
}
