package conformance_test

import (
	"fmt"

	"github.com/ikdgo/ikd/internal/conformance"
)

// Example builds the vectors and reads one back from its file form.
func Example() {
	vs, err := conformance.Build()
	if err != nil {
		panic(err)
	}
	for _, v := range vs {
		if v.ID != "status-revoked-eddsa" {
			continue
		}
		b, _ := v.Marshal()
		back, err := conformance.Parse(b)
		if err != nil {
			panic(err)
		}
		last := back.Steps[len(back.Steps)-1]
		fmt.Println(back.ID, last.Op, last.NowUTC, last.Expect.Result, last.Expect.Reason)
	}
	// Output: status-revoked-eddsa verify_text 2026-11-23T02:00:00Z refused revoked
}
