// Package conformance builds and checks ikd's language-neutral conformance
// vectors: the JSON files under the repository's top-level testdata/
// (testdata/README.md says how another implementation runs them).
//
// Every vector is one verifier's life: a pinned root, trust lists and status
// lists offered at given times, and codes scanned at given times, each with
// the outcome a conforming verifier must give (docs/wire-format.md, the
// specification). [Build] makes them from fixed seeds and a fixed reference
// time, so that the same code always writes the same bytes: ECDSA
// signatures come from [NewDeterministicSigner], whose nonces are derived
// from the key and the digest. `go run ./internal/conformance/gen` writes
// them; the package's tests fail when the committed files differ from what
// Build makes, and run every vector through the public verify API.
//
// The keys here are public test keys. Never use them for anything real.
package conformance
