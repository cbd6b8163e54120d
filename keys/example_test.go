package keys_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ikdgo/ikd/keys"
)

// The whole trip: Dukcapil signs a trust list with its root key, a scanner
// verifies it against the pinned root and finds the issuer key named by a
// credential's kid.
func Example() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	// Issuer side. The root key stays offline (an HSM in practice: any
	// crypto.Signer does). Disdukcapil Jakarta Pusat has its own key.
	root, err := keys.GenerateKey(keys.ES256, nil)
	if err != nil {
		log.Fatal(err)
	}
	jakartaPusat, err := keys.GenerateKey(keys.ES256, nil)
	if err != nil {
		log.Fatal(err)
	}
	list, err := keys.NewTrustList(1, now, now.AddDate(0, 0, 7), []keys.Issuer{{
		ID:   "3171",
		Name: "Disdukcapil Kota Jakarta Pusat",
		Keys: []keys.IssuerKey{{PublicKey: jakartaPusat.Public(), NotBefore: now, NotAfter: now.AddDate(2, 0, 0)}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	jws, err := keys.SignTrustList(list, root, keys.ES256)
	if err != nil {
		log.Fatal(err)
	}

	// Scanner side. The root public key ships with the app.
	pinned := root.Public()
	trusted, err := keys.ParseTrustList(jws, pinned, keys.WithClock(func() time.Time { return now.Add(time.Hour) }))
	if err != nil {
		log.Fatal(err)
	}
	// A credential issued a month later names its key by COSE kid.
	kid, _ := keys.KeyID(jakartaPusat.Public())
	issuedAt := now.AddDate(0, 1, 0)
	for _, k := range trusted.Candidates(kid, keys.ES256, issuedAt) {
		fmt.Println(k.IssuerID, k.IssuerName, k.Algorithm)
	}
	fmt.Println("sequence", trusted.Sequence())
	// Output:
	// 3171 Disdukcapil Kota Jakarta Pusat ES256
	// sequence 1
}

// The issuer side: build the list of regencies and their keys, sign it with
// the root, publish the compact JWS (trust.jws) and the root public key
// (root.jwk) that scanners pin.
func ExampleSignTrustList() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, _ := keys.GenerateKey(keys.EdDSA, nil)

	var issuers []keys.Issuer
	for _, r := range []struct{ id, name string }{
		{"3171", "Disdukcapil Kota Jakarta Pusat"},
		{"3273", "Disdukcapil Kota Bandung"},
		{"5171", "Disdukcapil Kota Denpasar"},
	} {
		current, _ := keys.GenerateKey(keys.ES256, nil)
		next, _ := keys.GenerateKey(keys.ES256, nil) // rotation: the next key is listed ahead
		issuers = append(issuers, keys.Issuer{ID: r.id, Name: r.name, Keys: []keys.IssuerKey{
			{PublicKey: current.Public(), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0)},
			{PublicKey: next.Public(), NotBefore: now.AddDate(0, 11, 0), NotAfter: now.AddDate(3, 0, 0)},
		}})
	}
	list, err := keys.NewTrustList(42, now, now.AddDate(0, 0, 7), issuers)
	if err != nil {
		log.Fatal(err)
	}
	jws, err := keys.SignTrustList(list, root, keys.EdDSA)
	if err != nil {
		log.Fatal(err)
	}

	dir, _ := os.MkdirTemp("", "ikd-example")
	defer os.RemoveAll(dir)
	if err := keys.SavePublicKey(filepath.Join(dir, "root.jwk"), root.Public()); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trust.jws"), jws, 0o644); err != nil {
		log.Fatal(err)
	}

	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(string(jws), ".")[0])
	var h struct{ Alg, Typ string }
	_ = json.Unmarshal(header, &h)
	fmt.Println("alg:", h.Alg, "typ:", h.Typ)
	fmt.Println("issuers:", len(list.Issuers()))
	// Output:
	// alg: EdDSA typ: ikd-trustlist+json
	// issuers: 3
}

// The scanner side: parse the downloaded list against the pinned root,
// then look up the kid from a credential's COSE header. A kid is 8 bytes
// and can collide, so Lookup returns every candidate; the verifier tries
// each one whose algorithm and validity window fit.
func ExampleTrustList_Lookup() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, _ := keys.GenerateKey(keys.EdDSA, nil)
	issuerKey, _ := keys.GenerateKey(keys.ES256, nil)
	list, _ := keys.NewTrustList(7, now, now.AddDate(0, 0, 7), []keys.Issuer{{
		ID: "3273", Name: "Disdukcapil Kota Bandung",
		Keys: []keys.IssuerKey{{PublicKey: issuerKey.Public(), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0)}},
	}})
	jws, _ := keys.SignTrustList(list, root, keys.EdDSA)

	trusted, err := keys.ParseTrustList(jws, root.Public(), keys.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	kid, _ := keys.KeyID(issuerKey.Public()) // as read from the credential
	for _, k := range trusted.Lookup(kid) {
		fmt.Printf("%s (%s): %v, valid at issue time: %v, after NotAfter: %v\n",
			k.IssuerName, k.IssuerID, k.Algorithm, k.ValidAt(now.AddDate(0, -6, 0)), k.ValidAt(now.AddDate(1, 0, 1)))
	}
	fmt.Println("unknown kid:", len(trusted.Lookup([]byte("\x00\x01\x02\x03\x04\x05\x06\x07"))))

	// A list signed by another key is refused, with a reason to branch on.
	impostor, _ := keys.GenerateKey(keys.EdDSA, nil)
	forged, _ := keys.SignTrustList(list, impostor, keys.EdDSA)
	_, err = keys.ParseTrustList(forged, root.Public())
	fmt.Println("forged list:", errors.Is(err, keys.ErrBadSignature))
	// Output:
	// Disdukcapil Kota Bandung (3273): ES256, valid at issue time: true, after NotAfter: false
	// unknown kid: 0
	// forged list: true
}

// A scanner's cache: it keeps the last good list on disk, takes only newer
// lists that verify, and says why it refuses one.
func ExampleOpenStore() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, _ := keys.GenerateKey(keys.EdDSA, nil)
	sign := func(seq uint64) []byte {
		l, _ := keys.NewTrustList(seq, now, now.AddDate(0, 0, 7), nil)
		jws, _ := keys.SignTrustList(l, root, keys.EdDSA)
		return jws
	}
	dir, _ := os.MkdirTemp("", "ikd-example")
	defer os.RemoveAll(dir)

	store, err := keys.OpenStore(filepath.Join(dir, "trust-store.json"), root.Public(),
		keys.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("update 2:", store.Update(sign(2)))
	err = store.Update(sign(1))
	fmt.Println("update 1 is a rollback:", errors.Is(err, keys.ErrRollback))
	fmt.Println("current:", store.Current().Sequence())
	// Output:
	// update 2: <nil>
	// update 1 is a rollback: true
	// current: 2
}
