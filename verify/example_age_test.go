package verify_test

import (
	"fmt"
	"time"

	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// A cinema checks only that the viewer is 17 or over: the wallet shows its
// age profile, which names no one, and the verifier refuses a credential
// that says under 17.
func ExampleAgeCheck() {
	now := func() time.Time { return exampleNow }
	wallet, cinema := exampleScene(now, verify.AgeCheck())
	code, err := wallet.Present(qr.Request{Claims: verify.AgeCheck().RequiredClaims})
	if err != nil {
		panic(err)
	}
	res, err := cinema.VerifyText(code.Text)
	if err != nil {
		fmt.Println("refused:", err)
		return
	}
	fmt.Println("profile:", res.Profile)
	fmt.Println("17 or over:", *res.Claims.Over17)
	fmt.Println("name shown:", res.Claims.Name != "")
	// Output:
	// profile: age
	// 17 or over: true
	// name shown: false
}
