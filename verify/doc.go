// Package verify is the scanner side of ikd: an offline verifier for the
// QR codes of the IKD (KTP Digital) wallet, for airline check-in desks, KAI
// railway gates and anyone receiving a shared document.
//
// A [Verifier] is built once from a trust source (the Dukcapil-signed trust
// list of issuer keys, see package keys), a [Policy], and options (clock,
// replay cache, status lists). [Verifier.VerifyText] takes the text a
// hardware scanner hands over; [Verifier.VerifyImage] takes a camera frame
// and reads it with qr.Scan. Both return the disclosed claims, or a
// [*Error] whose [Reason] a gate operator can read aloud in Indonesian or
// English ([Reason.Indonesian], [Reason.English]).
//
// # Trust model
//
// A presentation is accepted only if all of these hold, checked in this
// order:
//
//  1. the text is an IKD1 code and its bytes are a well-formed presentation;
//  2. the device signature verifies against the device key in the
//     credential (so the code was made by the phone the credential was
//     issued to, not copied onto another);
//  3. the issuer signature verifies against a key from the trust list with
//     the credential's kid (every candidate is tried: 8-byte kids can
//     collide), the key's algorithm equals the credential's (no algorithm
//     confusion: the algorithm comes from the trusted key), the key belongs
//     to the issuer the credential names, and the key was valid when the
//     credential was issued;
//  4. the claims agree with each other (the NIK encodes the birth date and
//     sex);
//  5. the credential is within its iat/exp;
//  6. the presentation is live: made no more than ClockSkew in the future,
//     not expired (lifetime + ClockSkew), not older than its credential;
//  7. it has not been seen before (replay cache, keyed on the signed
//     payload so that ECDSA signature malleability cannot make a replay
//     look new);
//  8. the issuer's status list says valid (revoked and suspended are
//     refused; no list or a stale one is "status unknown"/"stale", never
//     "revoked", and the policy decides whether that refuses or warns);
//  9. the policy holds: required claims disclosed, audience/purpose,
//     lifetime (share codes), and the ticket's name and NIK.
//
// What it cannot stop: a code relayed live from the holder's phone to an
// accomplice's screen within its lifetime (the gate must still compare the
// person with the name, as with a plastic KTP), and a phone whose owner
// hands it over unlocked.
//
// # Concurrency
//
// A Verifier is safe for concurrent use. The trust list is read once per
// verification from the TrustSource (an atomic swap in [StaticTrust] and
// keys.Store), and the status lists from a status.Cache (copy-on-write), so
// no verification sees half an update.
package verify
