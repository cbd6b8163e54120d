package status_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ikdgo/ikd/credential/status"
)

// Example shows an issuer (Disdukcapil DKI Jakarta) keeping a status list:
// one random index per device, the citizen's stolen phone revoked, the new
// phone untouched. Publishing the list is
// credential.Issuer.SignStatusList (see package credential's example);
// scanners load the token with verify.Verifier.AddStatusList.
func Example() {
	// A fixed stream so that the output below is reproducible. An issuer
	// passes crypto/rand.Reader: indices must not be predictable.
	fixed := rand.NewChaCha8([32]byte([]byte("ikd status example, not random!!")))

	const size = 5_000_000 // a large regency
	list, err := status.NewList(size)
	if err != nil {
		panic(err)
	}
	alloc, err := status.NewAllocator(size, fixed)
	if err != nil {
		panic(err)
	}

	// Each device gets its own random index, put in its credential with the
	// list id.
	oldPhone, err := alloc.Allocate()
	if err != nil {
		panic(err)
	}
	newPhone, err := alloc.Allocate()
	if err != nil {
		panic(err)
	}
	fmt.Println("old phone:", oldPhone)
	fmt.Println("new phone:", newPhone)

	// The citizen reports the old phone stolen.
	if err := list.Set(oldPhone, status.StatusRevoked); err != nil {
		panic(err)
	}

	// The bit array that the signed token carries, zlib-compressed.
	bits, err := list.MarshalBinary()
	if err != nil {
		panic(err)
	}
	fmt.Println("bit array:", len(bits), "bytes")
	at := func(i uint32) status.Status { return status.Status(bits[i/4]>>(2*(i%4))) & 3 }
	fmt.Println("old phone is", at(oldPhone))
	fmt.Println("new phone is", at(newPhone))

	// What the issuer states about the list when it publishes it, with
	// issuer.SignStatusList(tok, list); the issuer id comes from the
	// signing credential.Issuer.
	issued := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	tok := status.Token{ListID: 1, IssuedAt: issued, Expiry: issued.Add(48 * time.Hour), TTL: 6 * time.Hour}
	fmt.Printf("list %d, fetch again after %v\n", tok.ListID, tok.TTL)
	// Output:
	// old phone: 3619573
	// new phone: 2818109
	// bit array: 1250000 bytes
	// old phone is revoked
	// new phone is valid
	// list 1, fetch again after 6h0m0s
}
