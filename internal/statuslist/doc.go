// Package statuslist is the wire format of ikd's status list tokens
// (IETF Token Status List, [draft-ietf-oauth-status-list], CBOR/CWT form),
// in both directions: [Sign] for the issuer (called by
// credential.Issuer.SignStatusList, which supplies the issuer's id, key
// and kid), and [Parse], [Signed.Verify] and [Cache] for the scanner
// (verify.Verifier.AddStatusList). The issuer builds the list itself with
// package credential/status; this package is internal so that the format
// can change without a change to the public API.
//
// # Trust model
//
// [Parse] checks structure only and requires the protected typ header
// "application/statuslist+cwt", so that a credential signed by the same
// key cannot pass for a status list. [Signed.Verify] takes the public key
// from the caller's trust list (looked up by [Signed.KeyID]) and the
// algorithm from that key (keys.AlgorithmOf), never from the token: the
// protected alg must be the key's, or verification fails with
// [ErrSignature]. Signatures go through ikd's one COSE_Sign1 path
// (internal/sign1) and are checked over the bytes as received.
//
// Nothing here reads the clock. Verification does not decide freshness:
// [Cache.Get] reports a list's age (time since its iat) and [List.Expiry]
// and [List.TTL] the issuer's own limits; the verifier's policy rejects or
// warns on a stale list. A missing list is an error, never a status:
// "status unknown" is neither valid nor revoked. [Cache.Put] refuses a list
// older than the one held ([ErrRollback]).
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
// the best compression level. ikd signs 2-bit lists only; lists of 1, 4
// and 8 bits (the draft's vectors) decode. The sub URN is ikd's naming
// rule: the draft lets sub be any URI, and [Signed.Verify] accepts only
// this form, with an issuer id of 1 to 32 bytes of A-Z, a-z, 0-9, '.', '_'
// and '-' (internal/ident) and a canonical decimal list id, so that the
// (issuer, list) a scanner caches under is exactly what the issuer signed.
// docs/status.md and docs/wire-format.md describe the same bytes.
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
// [draft-ietf-oauth-status-list]: https://datatracker.ietf.org/doc/draft-ietf-oauth-status-list/
package statuslist
