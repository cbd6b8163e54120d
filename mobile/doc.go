// Package mobile is ikd's binding for phone apps: the wallet and a phone
// scanner, in the types that gomobile (gomobile bind, gobind) can carry to
// Kotlin/Java and Swift/Objective-C. It is a thin layer over packages qr and
// verify, which stay idiomatic Go; nothing here decides anything they do not.
//
// Only these types cross the boundary: string, []byte, int64, bool, error,
// pointers to the structs of this package, and the one interface an app
// implements, [DeviceSigner]. Times are Unix seconds, durations seconds,
// lists of claim names comma-separated strings ("name,nik").
//
// # Wallet
//
// [NewWallet] takes the device key as a [DeviceSigner] that the app
// implements over Android Keystore or the iOS Secure Enclave (P-256: both
// offer no other curve). [Wallet.AddCredential] adds the credentials the issuer
// sent (KTP, Kartu Keluarga, Akta Kelahiran; a renewal replaces only an
// older credential), [Wallet.Count] and [Wallet.At] list them,
// [Wallet.Code] makes a code for a [Request] (a document, its claims, whose,
// an audience, a lifetime, a share link), [Wallet.NextCode] the rotating
// QR code of a KTP (text, PNG, expiry, when to refresh),
// [Wallet.ShareCode] a 5-minute or 1-hour KTP share code, and
// [Wallet.ProfileFor] says which credential a request for some claims shows.
//
// # Scanner
//
// [NewScanner] builds a verifier from the downloaded trust list, the root
// key pinned at install and a [Policy] (airline and kai, which need a
// ticket; share, age, school); [Scanner.AddStatusList] and
// [Scanner.UpdateTrustList] replace lists while verifications run.
// [Scanner.VerifyText] and [Scanner.VerifyFrame] (a camera frame's
// luminance plane) return a [Result]: accepted or not, the reason key and
// its Indonesian and English messages, and the disclosed claims with their
// labels ([Claims]). [Scanner.Frames] verifies a camera stream with one
// verdict per showing of a code.
//
// # Errors
//
// A refused code is not an error: it is a Result with Accepted false. Errors
// (exceptions in Java and Kotlin, NSError in Swift) are for calls that cannot
// be carried out. gomobile carries only an error's message across, so every
// message has the form "mobile: CODE: detail", where CODE is one of:
//
//	invalid_argument  a parameter is out of range or unknown (a policy or claim name, a missing ticket, a lifetime, frame sizes), or a nil or zero Wallet or Scanner
//	malformed         bytes that are not a credential, or a root key that cannot be used
//	device            the signer's key is not P-256, or a credential is bound to another device key
//	expired           a credential past its expiry
//	signer            the DeviceSigner failed, or returned a signature that does not verify
//	no_profile        no credential in the wallet carries the claims or profile asked for
//	trust_list        a trust list that does not verify against the pinned root, or has expired
//	rollback          a trust list older than the one held (a lower sequence number, or the same with another payload), or a credential not newer than the one it would replace
//	REASON            a status list the scanner refused: the key of the verify.Reason (status_rollback, status_stale, bad_issuer_signature, …)
//
// The codes are stable; the detail is for logs.
//
// # Concurrency
//
// Wallet and Scanner are safe for concurrent use: a timer thread may make
// codes while the UI imports a credential, and camera frames may be
// verified while a background job replaces the lists. The byte arrays an app
// passes in are read during the call only and never kept.
package mobile
