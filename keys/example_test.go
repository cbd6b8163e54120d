package keys_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ikdgo/ikd/keys"
)

// exampleRand is a deterministic randomness source, so that the examples
// print the same keys every run: block i is SHA-256(seed || i). Real keys
// come from GenerateKey(alg, nil), which reads crypto/rand.
func exampleRand(seed string) io.Reader { return &exampleReader{seed: seed} }

type exampleReader struct {
	seed string
	n    uint64
	buf  []byte
}

func (r *exampleReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) {
		h := sha256.New()
		h.Write([]byte(r.seed))
		h.Write(binary.BigEndian.AppendUint64(nil, r.n))
		r.n++
		r.buf = h.Sum(r.buf)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// The whole trip: Dukcapil signs a trust list with its root key, a scanner
// verifies it against the pinned root and finds the issuer key named by a
// credential's kid.
func Example() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	// Issuer side. The root key stays offline (an HSM in practice: any
	// crypto.Signer does). Disdukcapil Jakarta Pusat has its own key.
	root, err := keys.GenerateKey(keys.EdDSA, exampleRand("root"))
	if err != nil {
		log.Fatal(err)
	}
	jakartaPusat, err := keys.GenerateKey(keys.ES256, exampleRand("3171"))
	if err != nil {
		log.Fatal(err)
	}
	jws, err := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence:   1,
		IssuedAt:   now,
		NextUpdate: now.AddDate(0, 0, 7),
		Issuers: []keys.TrustedIssuer{{
			ID:   "3171",
			Name: "Disdukcapil Kota Jakarta Pusat",
			Keys: []keys.IssuerKey{{PublicKey: jakartaPusat.Public(), NotBefore: now, NotAfter: now.AddDate(2, 0, 0)}},
		}},
	})
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
	kid, err := keys.KeyID(jakartaPusat.Public())
	if err != nil {
		log.Fatal(err)
	}
	issuedAt := now.AddDate(0, 1, 0)
	fmt.Printf("kid %x\n", kid)
	for _, k := range trusted.Lookup(kid) {
		if k.ValidAt(issuedAt) {
			fmt.Println(k.IssuerID, k.IssuerName, k.Algorithm)
		}
	}
	fmt.Println("sequence", trusted.Sequence())
	// Output:
	// kid 22c5b930a14e35f6
	// 3171 Disdukcapil Kota Jakarta Pusat ES256
	// sequence 1
}

// An issuer key is a function of the bytes read from rand: pass nil (or
// crypto/rand.Reader) for a real key, a fixed source for test keys. Its
// COSE kid depends on the public key alone.
func ExampleGenerateKey() {
	key, err := keys.GenerateKey(keys.ES256, exampleRand("Disdukcapil Kota Bandung"))
	if err != nil {
		log.Fatal(err)
	}
	alg, err := keys.AlgorithmOf(key.Public())
	if err != nil {
		log.Fatal(err)
	}
	kid, err := keys.KeyID(key.Public())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v key, kid %x\n", alg, kid)

	_, err = keys.GenerateKey(keys.Algorithm(-35), nil) // ES384: not one of ikd's
	fmt.Println("ES384:", errors.Is(err, keys.ErrMalformed))
	// Output:
	// ES256 key, kid ddd533dd7588a425
	// ES384: true
}

// The issuer side: list the regencies and their keys, sign the list with
// the root, publish the compact JWS (trust.jws) and the root public key
// (root.jwk) that scanners pin. The algorithm is the root key's.
func ExampleSignTrustList() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, err := keys.GenerateKey(keys.EdDSA, exampleRand("root"))
	if err != nil {
		log.Fatal(err)
	}
	content := &keys.TrustListContent{Sequence: 42, IssuedAt: now, NextUpdate: now.AddDate(0, 0, 7)}
	for _, r := range []struct{ id, name string }{
		{"3171", "Disdukcapil Kota Jakarta Pusat"},
		{"3273", "Disdukcapil Kota Bandung"},
		{"5171", "Disdukcapil Kota Denpasar"},
	} {
		current, err := keys.GenerateKey(keys.ES256, exampleRand(r.id+" 2025"))
		if err != nil {
			log.Fatal(err)
		}
		next, err := keys.GenerateKey(keys.ES256, exampleRand(r.id+" 2026"))
		if err != nil {
			log.Fatal(err)
		}
		// Rotation by overlap: the next key is listed ahead of its use.
		content.Issuers = append(content.Issuers, keys.TrustedIssuer{ID: r.id, Name: r.name, Keys: []keys.IssuerKey{
			{PublicKey: current.Public(), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0)},
			{PublicKey: next.Public(), NotBefore: now.AddDate(0, 11, 0), NotAfter: now.AddDate(3, 0, 0)},
		}})
	}
	jws, err := keys.SignTrustList(root, content)
	if err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "ikd-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := keys.SavePublicKey(filepath.Join(dir, "root.jwk"), root.Public()); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trust.jws"), jws, 0o644); err != nil {
		log.Fatal(err)
	}

	header, err := base64.RawURLEncoding.DecodeString(strings.Split(string(jws), ".")[0])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(header))

	// A mistake in the content is refused before anything is signed.
	content.Issuers[1].ID = "32:73"
	_, err = keys.SignTrustList(root, content)
	fmt.Println("bad issuer id:", errors.Is(err, keys.ErrMalformed))
	// Output:
	// {"alg":"EdDSA","kid":"-t17Q1FrQgwALkYZDqY4a63MpFP79vlZVFXsoME9kzg","typ":"ikd-trustlist+json"}
	// bad issuer id: true
}

// The scanner side: parse the downloaded list against the pinned root,
// then look up the kid from a credential's COSE header. A list signed by
// another key, or past its next update and the grace period, is refused
// with a reason to branch on.
func ExampleParseTrustList() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, _ := keys.GenerateKey(keys.EdDSA, exampleRand("root"))
	issuerKey, _ := keys.GenerateKey(keys.ES256, exampleRand("3273"))
	content := &keys.TrustListContent{
		Sequence: 7, IssuedAt: now, NextUpdate: now.AddDate(0, 0, 7),
		Issuers: []keys.TrustedIssuer{{
			ID: "3273", Name: "Disdukcapil Kota Bandung",
			Keys: []keys.IssuerKey{{PublicKey: issuerKey.Public(), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0)}},
		}},
	}
	jws, _ := keys.SignTrustList(root, content)

	clock := keys.WithClock(func() time.Time { return now })
	trusted, err := keys.ParseTrustList(jws, root.Public(), clock)
	if err != nil {
		log.Fatal(err)
	}
	kid, _ := keys.KeyID(issuerKey.Public()) // as read from the credential
	for _, k := range trusted.Lookup(kid) {
		fmt.Printf("%s (%s): %v, next update %s\n", k.IssuerName, k.IssuerID, k.Algorithm, trusted.NextUpdate().Format(time.DateOnly))
	}

	impostor, _ := keys.GenerateKey(keys.EdDSA, exampleRand("impostor"))
	forged, _ := keys.SignTrustList(impostor, content)
	_, err = keys.ParseTrustList(forged, root.Public(), clock)
	fmt.Println("forged:", errors.Is(err, keys.ErrBadSignature))

	aMonthLater := keys.WithClock(func() time.Time { return now.AddDate(0, 1, 0) })
	_, err = keys.ParseTrustList(jws, root.Public(), aMonthLater)
	fmt.Println("a month later:", errors.Is(err, keys.ErrExpired))
	// Output:
	// Disdukcapil Kota Bandung (3273): ES256, next update 2026-01-08
	// forged: true
	// a month later: true
}

// An 8-byte kid can collide, and one key may serve several issuers, so
// Lookup returns every candidate: the verifier keeps those of the
// credential's issuer that were valid when it was issued, and verifies
// with each candidate's own algorithm.
func ExampleTrustList_Lookup() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, _ := keys.GenerateKey(keys.EdDSA, exampleRand("root"))
	shared, _ := keys.GenerateKey(keys.EdDSA, exampleRand("shared"))
	key := keys.IssuerKey{PublicKey: shared.Public(), NotBefore: now.AddDate(-1, 0, 0), NotAfter: now}
	jws, _ := keys.SignTrustList(root, &keys.TrustListContent{
		Sequence: 1, IssuedAt: now, NextUpdate: now.AddDate(0, 0, 7),
		Issuers: []keys.TrustedIssuer{
			{ID: "00", Name: "Ditjen Dukcapil", Keys: []keys.IssuerKey{key}},
			{ID: "3171", Name: "Disdukcapil Kota Jakarta Pusat", Keys: []keys.IssuerKey{key}},
		},
	})
	trusted, err := keys.ParseTrustList(jws, root.Public(), keys.WithClock(func() time.Time { return now }))
	if err != nil {
		log.Fatal(err)
	}

	kid, _ := keys.KeyID(shared.Public())
	for _, k := range trusted.Lookup(kid) {
		fmt.Printf("%s %v: valid six months ago %v, valid now %v\n",
			k.IssuerID, k.Algorithm, k.ValidAt(now.AddDate(0, -6, 0)), k.ValidAt(now))
	}
	fmt.Println("unknown kid:", len(trusted.Lookup([]byte{0, 1, 2, 3, 4, 5, 6, 7})))
	// Output:
	// 00 EdDSA: valid six months ago true, valid now false
	// 3171 EdDSA: valid six months ago true, valid now false
	// unknown kid: 0
}

// A scanner's cache: it keeps the last good list on disk, takes only newer
// lists that verify, says why it refuses one, and finds its list again
// after a restart.
func ExampleOpenStore() {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	root, _ := keys.GenerateKey(keys.EdDSA, exampleRand("root"))
	list := func(seq uint64) []byte {
		jws, err := keys.SignTrustList(root, &keys.TrustListContent{Sequence: seq, IssuedAt: now, NextUpdate: now.AddDate(0, 0, 7)})
		if err != nil {
			log.Fatal(err)
		}
		return jws
	}
	dir, err := os.MkdirTemp("", "ikd-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "trust-store.json")
	clock := keys.WithClock(func() time.Time { return now })

	store, err := keys.OpenStore(path, root.Public(), clock)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("empty:", store.Current() == nil)
	fmt.Println("update 2:", store.Update(list(2)))
	err = store.Update(list(1))
	fmt.Println("update 1 is a rollback:", errors.Is(err, keys.ErrRollback))
	fmt.Println("current:", store.Current().Sequence())

	// The next start of the app loads the list from the file.
	again, err := keys.OpenStore(path, root.Public(), clock)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("after restart:", again.Current().Sequence(), again.LoadError())
	// Output:
	// empty: true
	// update 2: <nil>
	// update 1 is a rollback: true
	// current: 2
	// after restart: 2 <nil>
}
