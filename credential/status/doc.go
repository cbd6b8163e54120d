// Package status is the issuer's side of revocation status lists for ikd
// credentials, following the IETF Token Status List draft
// ([draft-ietf-oauth-status-list]) in its CBOR/CWT form: it hands out
// credential indices and keeps the list of their statuses.
//
// An issuer keeps one or more lists of 2-bit entries ([StatusValid],
// [StatusRevoked], [StatusSuspended]), each numbered by a list id. It hands
// out indices with an [Allocator] and puts (list id, index) in each
// credential; it changes entries with [List.Set]. To publish a list it
// signs it with
// [github.com/ikdgo/ikd/credential.Issuer.SignStatusList], which takes a
// [Token] (list id, issue time, expiry, ttl) and the [List], and adds the
// issuer's own id; the issuer serves the resulting token to scanners.
// Scanners load it with
// [github.com/ikdgo/ikd/verify.Verifier.AddStatusList], which checks the
// signature against the trust list and looks credentials up offline.
//
// This package does not sign, parse or verify: the token's wire format
// lives in one place (internal/statuslist), used by both sides, and it
// does not import package credential (which imports it).
//
// # Privacy
//
// Indices are drawn at random, so that an index says nothing about when or
// where a credential was issued and neighbouring indices are unrelated
// people. Each device gets its own index: revoking a lost phone's index
// leaves the citizen's new phone working, and the list does not say that two
// indices belong to the same person.
//
// # Wire format
//
// [List.MarshalBinary] is the bit array of draft-ietf-oauth-status-list
// §4.1 at two bits per entry: entry i in bits 2·(i mod 4) and 2·(i mod 4)+1
// of byte i/4, least significant first. The signed token (a COSE_Sign1 with
// typ "application/statuslist+cwt" around a CWT whose sub is
// "urn:ikd:status:<issuerID>:<listID>" and whose status_list is
// {"bits": 2, "lst": zlib(bit array)}) is described in docs/status.md and
// docs/wire-format.md.
//
// # Limits
//
// A list has at most 134,217,728 entries (a 32 MiB bit array,
// limits.MaxStatusListBytes): the most a scanner inflates. Sizes for
// Indonesia (docs/status.md): a 100-million-entry list is 25 MB
// uncompressed; signed and compressed it is about 0.2 MB with 0.1% of
// entries revoked at random. Nothing here reads the clock.
//
// [draft-ietf-oauth-status-list]: https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/
package status
