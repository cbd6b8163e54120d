package status

import (
	"testing"
)

// FuzzListSet applies a sequence of Set calls, two bytes each (index low
// byte, status), to a list whose size is fuzzed too. Properties: Set fails
// exactly for an index past the end or a status above 3, and the bit
// array then holds exactly the last status set at every index, with the
// padding bits zero.
func FuzzListSet(f *testing.F) {
	f.Add(uint8(12), []byte{0, 1, 1, 2, 2, 0, 3, 3, 4, 0, 5, 1, 6, 0, 7, 1, 8, 1, 9, 2, 10, 3, 11, 3}) // the draft's §4.1 example
	f.Add(uint8(1), []byte{0, 2, 0, 0})
	f.Add(uint8(5), []byte{4, 3, 5, 1, 0, 4})
	f.Add(uint8(255), []byte{254, 1, 255, 1})
	f.Fuzz(func(t *testing.T, size uint8, ops []byte) {
		n := int(size) + 1
		l, err := NewList(n)
		if err != nil {
			t.Fatalf("NewList(%d): %v", n, err)
		}
		want := make([]Status, n)
		for k := 0; k+1 < len(ops); k += 2 {
			i, s := uint32(ops[k]), Status(ops[k+1])
			err := l.Set(i, s)
			if ok := int(i) < n && s <= 3; ok != (err == nil) {
				t.Fatalf("Set(%d, %d) on %d entries: %v", i, s, n, err)
			}
			if err == nil {
				want[i] = s
			}
		}
		b, err := l.MarshalBinary()
		if err != nil || len(b) != (n+3)/4 {
			t.Fatalf("MarshalBinary: %d bytes, %v", len(b), err)
		}
		for i, w := range want {
			if got := entry(b, i); got != w {
				t.Fatalf("index %d: %v, want %v", i, got, w)
			}
		}
		for i := n; i < len(b)*4; i++ {
			if entry(b, i) != 0 {
				t.Fatalf("padding entry %d is set", i)
			}
		}
	})
}
