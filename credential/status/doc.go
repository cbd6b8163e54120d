// Package status builds, signs, parses and looks up revocation status lists
// for ikd credentials, following the IETF Token Status List draft
// ([draft-ietf-oauth-status-list]) in its CBOR/CWT form.
//
// An issuer keeps one or more lists of 2-bit entries (valid, revoked,
// suspended). Every credential carries a [Reference]: the list's issuer id
// and list id, and its own index. The issuer hands out indices with an
// [Allocator], changes entries with [List.Set], and publishes the list
// with [Sign]. A scanner fetches the token while online, checks it with
// [Parse] and [Signed.Verify], keeps it in a [Cache], and looks credentials
// up offline with [VerifiedList.Lookup].
//
// # Privacy
//
// Indices are drawn at random, so that an index says nothing about when or
// where a credential was issued and neighbouring indices are unrelated
// people. Each device gets its own index: revoking a lost phone's index
// leaves the citizen's new phone working, and the list does not say that two
// indices belong to the same person.
//
// # Trust model
//
// [Parse] checks structure only. [Signed.Verify] takes the algorithm and
// public key from the caller's trust list (looked up by
// [Signed.UnverifiedKeyID]), never from the token, and requires the
// protected typ header "application/statuslist+cwt", so that a credential
// signed by the same key cannot pass for a status list. Signatures go
// through ikd's one COSE_Sign1 path (internal/sign1) and are checked over
// the bytes as received.
//
// Nothing here reads the clock. Verification does not decide freshness:
// [Cache.Get] reports a list's age (time since its iat) and
// [VerifiedList.Expiry] and [VerifiedList.TTL] the issuer's own limits; the
// verifier's policy rejects or warns on a stale list. A missing list is an
// error, never a status: "status unknown" is neither valid nor revoked.
// [Cache.Put] refuses a list older than the one held (rollback).
//
// # Wire format
//
// A tagged COSE_Sign1 (RFC 9052 §4.2) with protected header {1: alg,
// 4: kid, 16: "application/statuslist+cwt"}, an empty unprotected header,
// and a CWT (RFC 8392) payload:
//
//	{
//	  2: "urn:ikd:status:<issuerID>:<listID>",  / sub: names the list /
//	  6: iat, 4: exp (optional),                / seconds since 1970 /
//	  65534: ttl (optional),                    / seconds /
//	  65533: {"bits": 2, "lst": zlib(bit array)} / status_list /
//	}
//
// The bit array holds entry i in bits (i mod 8/bits)·bits of byte
// i·bits/8, least significant first; lst is its zlib (RFC 1950) stream at
// the best compression level. The sub URN is ikd's naming rule: the draft
// lets sub be any URI, and [Signed.Verify] accepts only this form, so that
// the (issuer, list) a scanner caches under is exactly what the issuer
// signed.
//
// # Limits
//
// A token is at most limits.MaxStatusList bytes (64 MiB) and is decoded by
// the strict CBOR mode of internal/codec. The lst stream is decompressed
// only after the signature verifies, incrementally, and never beyond
// min(limits.MaxStatusListEntries·bits/8, limits.MaxStatusListBytes) bytes
// (32 MiB, 134 million 2-bit entries): a zlib bomb fails with [ErrTooLarge]
// after at most that much work. Looking up an index beyond a list returns
// [ErrOutOfRange]; nothing here panics on input.
//
// Sizes for Indonesia (docs/status.md): a 100-million-entry list is 25 MB
// uncompressed; signed and compressed it is about 0.2 MB with 0.1% of
// entries revoked at random.
//
// [draft-ietf-oauth-status-list]: https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/
package status
