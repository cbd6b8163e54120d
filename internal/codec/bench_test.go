package codec_test

import (
	"testing"

	"github.com/ikdgo/ikd/internal/codec"
)

// BenchmarkReader reads a credential-sized payload whole with the Reader,
// against Canonical into an any (strict decode, then re-encode and
// compare), the check it replaces.
func BenchmarkReader(b *testing.B) {
	payload, err := codec.Marshal(map[int]any{
		1: "3171", 4: 1953165600, 6: 1795399200,
		8:  map[int]any{1: map[int]any{1: 2, -1: 1, -2: make([]byte, 32), -3: true}},
		-1: 1, -2: []int{7, 123456},
		-3: map[int]any{1: 3171011708850003, 2: "BUDI SANTOSO", 3: "JAKARTA", 4: 19850817, 5: 1, 6: 4,
			7: map[int]any{1: "JL. MERDEKA SELATAN NO. 10", 2: 5, 3: 2, 4: "GAMBIR", 5: "GAMBIR", 6: "JAKARTA PUSAT", 7: "DKI JAKARTA"},
			8: 1, 9: 2, 10: "KARYAWAN SWASTA", 11: 1, 13: true, 14: "JAKARTA PUSAT", 15: 20190312},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Reader", func(b *testing.B) {
		for b.Loop() {
			r := codec.NewReader(payload)
			if _, err := r.Skip(); err != nil {
				b.Fatal(err)
			}
			if err := r.Done(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline Canonical", func(b *testing.B) {
		for b.Loop() {
			var v any
			if err := codec.Canonical(payload, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
