package conformance_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ikdgo/ikd/internal/conformance"
)

// FuzzParse holds the vector reader to its contract: any input either
// parses into a vector that marshals and parses again to the same bytes,
// or fails with ErrVector, without panicking.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(root, conformance.Dir, "*.json"))
	for i, p := range paths {
		if i%16 != 0 {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"x","root":{},"replay_store":"memory","steps":[{"op":"verify_text","now":0,"now_utc":"1970-01-01T00:00:00Z","expect":{"result":"accepted"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := conformance.Parse(data)
		if err != nil {
			if !errors.Is(err, conformance.ErrVector) {
				t.Fatalf("error %v does not wrap ErrVector", err)
			}
			return
		}
		b, err := v.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		v2, err := conformance.Parse(b)
		if err != nil {
			t.Fatalf("re-parse of a parsed vector: %v", err)
		}
		b2, err := v2.Marshal()
		if err != nil || string(b) != string(b2) {
			t.Fatalf("marshal is not stable: %v", err)
		}
	})
}
