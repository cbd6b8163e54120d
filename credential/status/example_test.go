package status_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/credential/status"
)

// Example walks a lost phone through the issuer and a scanner: the citizen's
// old phone is revoked, the new one keeps working.
func Example() {
	// Issuer (Disdukcapil DKI Jakarta): one list of 5 million entries.
	issuerKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	list, err := status.NewList(status.DefaultBits, 5_000_000)
	if err != nil {
		panic(err)
	}
	alloc, err := status.NewAllocator(list.Len(), rand.Reader)
	if err != nil {
		panic(err)
	}
	// Each device gets its own random index, put in its credential.
	oldPhone, _ := alloc.Allocate()
	newPhone, _ := alloc.Allocate()
	oldRef := status.Reference{IssuerID: "disdukcapil-31", ListID: 1, Index: oldPhone}
	newRef := status.Reference{IssuerID: "disdukcapil-31", ListID: 1, Index: newPhone}

	// The citizen reports the old phone stolen: revoke its index, publish.
	if err := list.Set(oldRef.Index, status.StatusRevoked); err != nil {
		panic(err)
	}
	issued := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	token, err := status.Sign(rand.Reader, issuerKey, cose.AlgorithmEdDSA, []byte("jkt-2026"),
		status.Token{IssuerID: "disdukcapil-31", ListID: 1, IssuedAt: issued, TTL: 6 * time.Hour}, list)
	if err != nil {
		panic(err)
	}

	// Scanner at a KAI gate, while online: verify and cache the list.
	signed, err := status.Parse(token)
	if err != nil {
		panic(err)
	}
	// Look the key up in the trust list by kid; the algorithm comes with
	// the trusted key, not from the token.
	fmt.Printf("kid %s\n", signed.UnverifiedKeyID())
	verified, err := signed.Verify(cose.AlgorithmEdDSA, issuerKey.Public())
	if err != nil {
		panic(err)
	}
	var cache status.Cache
	if err := cache.Put(verified, issued.Add(time.Minute)); err != nil {
		panic(err)
	}

	// Later, offline: check each phone's credential.
	now := issued.Add(2 * time.Hour)
	for _, ref := range []status.Reference{oldRef, newRef} {
		c, err := cache.Get(ref.IssuerID, ref.ListID, now)
		if err != nil {
			panic(err) // no list: status unknown, the policy decides
		}
		s, err := c.List.Lookup(ref)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%v (list age %v)\n", s, c.Age)
	}
	// Output:
	// kid jkt-2026
	// revoked (list age 2h0m0s)
	// valid (list age 2h0m0s)
}

// ExampleCache_Put shows that a replayed older list cannot undo a
// revocation.
func ExampleCache_Put() {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, ed25519.SeedSize))
	publish := func(l *status.List, at time.Time) *status.VerifiedList {
		tok, err := status.Sign(nil, key, cose.AlgorithmEdDSA, []byte("k"),
			status.Token{IssuerID: "dukcapil", ListID: 9, IssuedAt: at}, l)
		if err != nil {
			panic(err)
		}
		s, err := status.Parse(tok)
		if err != nil {
			panic(err)
		}
		v, err := s.Verify(cose.AlgorithmEdDSA, key.Public())
		if err != nil {
			panic(err)
		}
		return v
	}
	list, _ := status.NewList(status.DefaultBits, 1000)
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	before := publish(list, t0)
	_ = list.Set(17, status.StatusRevoked)
	after := publish(list, t0.Add(time.Hour))

	var cache status.Cache
	fmt.Println(cache.Put(after, t0.Add(time.Hour)))
	fmt.Println(cache.Put(before, t0.Add(2*time.Hour)) != nil)
	c, _ := cache.Get("dukcapil", 9, t0.Add(2*time.Hour))
	s, _ := c.List.Get(17)
	fmt.Println(s)
	// Output:
	// <nil>
	// true
	// revoked
}
