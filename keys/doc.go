// Package keys holds ikd's issuer keys and the signed trust list that tells
// offline scanners which of them to trust.
//
// An issuer (Dukcapil) calls [GenerateKey] and [SignTrustList]; a scanner
// calls [ParseTrustList] or, to keep the list across restarts, [OpenStore],
// and then [TrustList.Lookup] for each credential.
//
// # Keys
//
// ikd signs with two algorithms ([Algorithm]): [ES256] (ECDSA P-256, the
// default, and the only one phone secure hardware supports) and [EdDSA]
// (Ed25519). [GenerateKey] makes key pairs; any crypto.Signer with such a
// key (an HSM, a KMS) signs too, and [AlgorithmOf] says which algorithm a
// key is for. A key's id depends on its public key only: the COSE kid in a
// credential's header ([KeyID]) is the first 8 bytes of its RFC 7638 JWK
// thumbprint (SHA-256), the JWK kid in JSON documents the full thumbprint
// in base64url. Keys are saved and loaded as PEM or JWK files
// ([SavePrivateKey], [LoadPrivateKey], [SavePublicKey], [LoadPublicKey]),
// written atomically, private keys readable by their owner only. Every key
// read is checked: a P-256 point must be on the curve, an Ed25519 key 32
// bytes and not of small order; RSA, HMAC and other keys are refused.
//
// # JWK sets
//
// An issuer publishes its public keys as a JWK set ([MarshalJWKSet], the
// issuers.jwks file): a standard {"keys": [...]} set, every key with kid,
// alg and use "sig", plus a "validity" member listing, per key and issuer,
// the window {kid, iss, nbf, exp} in which the key may sign credentials
// (RFC 7517 §5 lets a set carry members that other readers ignore, so any
// JOSE library still reads the keys).
//
// # Wire format
//
// The Dukcapil root key signs the trust list ([SignTrustList] of a
// [TrustListContent]): a compact JWS (RFC 7515) with protected header
// {"alg", "kid", "typ": "ikd-trustlist+json"} over the JSON payload
//
//	{"version": 1,
//	 "sequence": 42,               // grows with every list
//	 "issued_at": 1767225600,      // Unix seconds
//	 "next_update": 1767830400,    // Unix seconds
//	 "issuers": [{"id": "3171", "name": "Disdukcapil Kota Jakarta Pusat"}, ...],
//	 "jwks": {"keys": [JWK, ...], "validity": [{"kid", "iss", "nbf", "exp"}, ...]},
//	 "next_root": JWK}             // optional: the announced next root key
//
// Scanners verify it against the root key pinned in the app
// ([ParseTrustList]) and find keys by COSE kid ([TrustList.Lookup], one
// map access). Because an 8-byte kid can collide, and one key may serve
// several issuers, Lookup returns every candidate; the verifier tries
// those of the credential's issuer that are valid at the credential's
// issue time ([IssuerKey.ValidAt]), each with its own algorithm.
// docs/keys.md has the details; keys/testdata/golden/trustlist.jws is a
// list to check another implementation against.
//
// # Trust model
//
// The root algorithm comes from the pinned key, never from the JWS header:
// "none", HMAC and any other alg are refused (algorithm confusion). The
// whole payload is decoded strictly: unknown or duplicate JSON members, an
// unknown version, a key of the wrong type or on the wrong curve, a key
// whose alg does not fit it, the same key twice for one issuer are all
// refused, and the list with them. Issuer ids follow the rule that
// credentials and status lists share ([TrustedIssuer.ID]). A [Store]
// refuses a list whose sequence number is lower than the one held
// (rollback, [ErrRollback]), and every reader refuses one whose next update
// passed longer ago than the grace period ([ErrExpired], [WithGrace]).
//
// Issuer keys rotate by overlap: a new key is added with its own window
// while the old one stays listed, valid for the credentials it signed
// before its NotAfter. The root rotates by announcement: a list signed by
// the old root names the next root ([TrustListContent.NextRoot]); a
// [Store] that accepts it pins the next root too, and once a list signed
// by the next root arrives, drops the old one. A Store trusts only the root
// the app pins and roots that follow from it through rotations it signed:
// its file keeps those rotation lists as proof, never a pin of its own.
//
// # Errors
//
// Every failure on untrusted input wraps exactly one of four sentinels,
// for [errors.Is]: [ErrMalformed] (fix the input), [ErrBadSignature]
// (distrust it), [ErrRollback] (keep the list held), [ErrExpired] (fetch a
// newer one). Trust list errors name the issuer and key they are about in
// their message.
//
// # Store
//
// A [Store] is the scanner's cache: it loads the last good list from disk
// at start, accepts an update only if it verifies and is newer, replaces
// its file atomically (temporary file in the same directory, fsync,
// rename), and keeps the last good list when an update or the file is bad.
// A floor file beside it holds the newest list ever accepted, so that an
// older file put back before a restart is refused too; what an attacker
// who can write the whole directory can still do is in the Store doc and
// docs/keys.md. Only regular files are read, so a named pipe at a path
// never blocks. Readers call [Store.Current] lock-free while updates swap
// the list.
//
// # Limits
//
// A trust list or JWK set over 4 MiB (internal/limits.MaxTrustList) is
// refused before parsing; JSON may nest at most 8 levels and must be
// UTF-8. A list of 514 issuers (every regency and city) with 2 ES256 keys
// each is 447 KB signed and loads in about 25 ms; see docs/keys.md.
package keys
