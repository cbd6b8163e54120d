package codec_test

import (
	"bytes"
	"testing"

	"github.com/ikdgo/ikd/internal/codec"
)

// FuzzCanonical checks that the strict decoder never panics and that input
// Canonical accepts encodes back to itself, byte for byte.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"a201010261 78", "a2011801026178", "bf0101ff", "5bffffffffffffffff", "818181818181818100", "f93e00", "d28440a041004101"} {
		f.Add(mustHex(stripSpaces(s)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := codec.Canonical(data, &v); err != nil {
			return
		}
		again, err := codec.Marshal(v)
		if err != nil {
			t.Fatalf("accepted input does not re-encode: %v", err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("re-encoding %x differs from accepted input %x", again, data)
		}
		if err := codec.Wellformed(data); err != nil {
			t.Fatalf("Canonical accepted what Wellformed refuses: %v", err)
		}
	})
}
