package base45

import (
	"encoding/hex"
	"errors"
	"testing"
)

// FuzzDecode checks that Decode never panics, that it fails only with the
// documented errors, and that base45 is canonical: whatever Decode accepts,
// Encode gives back byte for byte.
func FuzzDecode(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Valid {
		f.Add(c.Encoded)
	}
	for _, c := range v.Invalid {
		f.Add(c.Encoded)
	}
	f.Add("GGW")
	f.Add("FGW")
	f.Add("::")
	f.Add(":::")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Decode(s)
		if err != nil {
			if b != nil {
				t.Fatalf("Decode(%q) returned bytes and error %v", s, err)
			}
			if !errors.Is(err, ErrInvalidLength) && !errors.Is(err, ErrInvalidCharacter) && !errors.Is(err, ErrOverflow) {
				t.Fatalf("Decode(%q): undocumented error %v", s, err)
			}
			return
		}
		if len(b) != DecodedLen(len(s)) {
			t.Fatalf("Decode(%q): %d bytes, DecodedLen says %d", s, len(b), DecodedLen(len(s)))
		}
		if got := Encode(b); got != s {
			t.Fatalf("not canonical: Decode(%q) = %x, Encode of that = %q", s, b, got)
		}
	})
}

// FuzzEncode checks the Encode → Decode round trip.
func FuzzEncode(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Valid {
		b, err := hex.DecodeString(c.BytesHex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Encode(b)
		if len(s) != EncodedLen(len(b)) {
			t.Fatalf("Encode(%x): length %d, EncodedLen says %d", b, len(s), EncodedLen(len(b)))
		}
		got, err := Decode(s)
		if err != nil {
			t.Fatalf("Decode(Encode(%x)) = %v", b, err)
		}
		if string(got) != string(b) {
			t.Fatalf("round trip: %x -> %q -> %x", b, s, got)
		}
	})
}
