package status

import (
	"compress/zlib"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/internal/sign1"
)

// fuzzKey signs the seed tokens, so that fuzzed variants of them reach the
// decompressor after a successful verification.
var fuzzKey = ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))

// FuzzParse feeds token bytes to Parse and, when they parse, to Verify.
// Properties: errors are the documented sentinels; a verified list answers
// every lookup without panicking and refuses indices past its end.
func FuzzParse(f *testing.F) {
	f.Add(readHexFile(f, "status_list_cwt.md"))
	f.Add(readHexFile(f, "referenced_token_cwt.md"))
	for _, bits := range []int{1, 2, 4, 8} {
		l, err := NewList(bits, 64)
		if err != nil {
			f.Fatal(err)
		}
		_ = l.Set(3, StatusRevoked)
		tok, err := Sign(nil, fuzzKey, sign1.EdDSA, []byte("k"), testToken(), l)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
		f.Add(tok[1:]) // untagged
	}
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
		_ = s.UnverifiedKeyID()
		v, err := s.Verify(sign1.EdDSA, fuzzKey.Public())
		if err != nil {
			for _, want := range []error{ErrMalformed, ErrTooLarge, ErrSignature, ErrAlgorithm} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("Verify error %v is not a documented sentinel", err)
		}
		if v.Len() < 1 || v.Len()*v.Bits()%8 != 0 {
			t.Fatalf("list of %d entries of %d bits", v.Len(), v.Bits())
		}
		for _, i := range []uint32{0, uint32(v.Len() - 1)} {
			if _, err := v.Get(i); err != nil {
				t.Fatalf("Get(%d): %v", i, err)
			}
		}
		if _, err := v.Get(uint32(v.Len())); !errors.Is(err, ErrOutOfRange) {
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
		l, err := decompress(int(bits), lst)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v is not a documented sentinel", err)
			}
			return
		}
		again, err := l.compressLevel(zlib.BestSpeed) // level 9 is too slow for fuzzing
		if err != nil {
			t.Fatal(err)
		}
		l2, err := decompress(int(bits), again)
		if err != nil {
			t.Fatalf("re-encoded list does not decode: %v", err)
		}
		if l2.Len() != l.Len() || string(l2.data) != string(l.data) {
			t.Fatal("re-encoded list differs")
		}
		if _, err := l.Get(uint32(l.Len())); !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("Get past the end: %v", err)
		}
	})
}
