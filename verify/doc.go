// Package verify is the scanner side of ikd: an offline verifier for the
// QR codes of the IKD (KTP Digital) wallet, for airline check-in desks, KAI
// railway gates and anyone receiving a shared document.
//
// A scanner needs four calls:
//
//	list, err := keys.ParseTrustList(trustJWS, pinnedRoot) // downloaded while online
//	v, err := verify.New(list, verify.AirlineCheckIn())
//	err = v.AddStatusList(statusCBOR)                       // one per issuer, while online
//	res, err := v.VerifyText(scanned)                       // or v.VerifyImage(frame)
//
// Every failure is a [*Error] whose [Reason] a gate operator can read aloud
// in Indonesian or English ([Reason.Indonesian], [Reason.English]); use
// errors.As to get it, or errors.Is(err, verify.ReasonRevoked) to ask for
// one. A [Result] holds only the claims the policy asks for
// (Policy.RequiredClaims and Policy.AllowedClaims), whatever profile the
// wallet showed; show them with credential.KTP.Display. A Kartu Keluarga
// or an Akta Kelahiran (accepted by [SchoolEnrolment], refused by the
// other ready-made policies) comes in Result.KK or Result.BirthCertificate,
// minimised the same way.
//
// # Order of checks
//
// [Verifier.VerifyText] accepts a presentation only if all of these hold,
// and checks them in this order; the Reason of a refusal is that of the
// first check that failed (docs/wire-format.md states the same rules for
// implementations in other languages, and the vectors in the repository's
// testdata/ check them):
//
//  1. a share link ("https://<host>/<path>#IKD1:...") is read only under a
//     policy for share lifetimes (ReasonLifetimeTooLong otherwise) and
//     must be well formed (ReasonMalformed); its fragment is the text,
//     which must be a share code (a lifetime over qr.DefaultLifetime,
//     else ReasonMalformed, checked once the presentation is parsed).
//     The text is an ikd code (ReasonNotIKD) of version 1
//     (ReasonUnsupportedVersion), valid base45, and its bytes are a
//     well-formed presentation with a well-formed credential
//     (ReasonMalformed);
//  2. the device signature verifies against the device key in the
//     credential (ReasonBadDeviceSignature): the code was made by the
//     phone the credential was issued to, not copied onto another;
//  3. the issuer signature: a key in the trust list has the credential's
//     kid and belongs to the issuer the credential names
//     (ReasonUnknownIssuer), its algorithm is the credential's
//     (ReasonAlgorithmNotAllowed: the algorithm comes from the trusted key,
//     never from the message), the signature verifies
//     (ReasonBadIssuerSignature), the claims are valid for the profile
//     (ReasonMalformed) and agree with each other (the NIK encodes the
//     birth date and sex: ReasonNIKInconsistent; an invalid value is
//     ReasonMalformed even when the NIK also disagrees), and the key
//     was valid when the credential was issued (ReasonKeyNotValid). Every
//     candidate key is tried (8-byte kids can collide); when none verifies,
//     the most specific failure is reported;
//  4. the credential is not issued in the future beyond the clock skew
//     (ReasonCredentialNotYetValid) and has not expired
//     (ReasonCredentialExpired);
//  5. the presentation's time: not made before its credential
//     (ReasonClockWrong), not ahead of the scanner's clock by more than the
//     skew (ReasonPresentationFromFuture, or ReasonClockWrong beyond
//     Policy.ClockWrongAfter), a lifetime the policy accepts
//     (ReasonLifetimeTooLong), not expired (ReasonPresentationExpired);
//  6. the scanner's trust list is current: not past its next update by
//     more than Policy.TrustListGrace (ReasonTrustListExpired). The list
//     may have been verified long ago, so its age is judged at every
//     verification, whatever gave the verifier the list; an old list may
//     still hold keys withdrawn since. [Verifier.AddStatusList] refuses
//     status lists with the same reason then;
//  7. the issuer's status list says valid (ReasonRevoked,
//     ReasonSuspended); no list, or a list older than Policy.StatusMaxAge
//     or at or past its exp, is ReasonStatusUnknown or ReasonStatusStale,
//     never "revoked", and refuses unless the policy sets
//     WarnOnStaleStatus; a list that does not cover the credential's index
//     or gives a status value ikd does not define is the issuer's error,
//     ReasonStatusInvalid, and refuses under every policy;
//  8. the policy: the document is one it accepts (Policy.Documents: the
//     KTP only unless it names others; ReasonPolicyUnmet), the required
//     claims of that document are disclosed (ReasonPolicyUnmet),
//     and, if the policy sets RefuseExtraClaims, no other claim than those
//     it names (ReasonPolicyUnmet), the audience fits
//     (ReasonWrongAudience; a share policy that lists no audience refuses
//     AudienceAirline and AudienceKAI, the live verifiers'), the ticket's name and NIK match
//     (ReasonTicketMismatch);
//  9. it has not been accepted before (ReasonReplayed), or the replay store
//     could not be asked or is full (ReasonReplayCheckFailed). The replay
//     key is the device-signed payload, so ECDSA signature malleability
//     cannot make a replay look new. When a shared store ([WithReplayCache],
//     for example verify/redisreplay) is down (its error wraps
//     [ErrReplayStoreDown]), a policy with WarnOnReplayStoreDown asks the
//     verifier's own memory instead and lists ReasonReplayCheckedLocally in
//     Result.Warnings; any other error of the store refuses.
//
// The checks of the code itself (1 to 5) come before those of the
// scanner's own state (6 on), so that a code that is bad anyway is reported
// for what is wrong with it.
//
// What is marked when: the replay store records a code only at step 9,
// once every other check has passed, in the same atomic call that asks
// whether it was seen ([ReplayCache.CheckAndMark]). So every code recorded
// is a code accepted: a code refused at any step (revoked, wrong audience,
// another ticket) is not recorded, cannot evict or crowd out the entry of
// a code that was accepted, and is accepted at the gate it was meant for
// (gates sharing a store) as long as it is live, once. Of two gates
// verifying one code at the same moment, exactly one accepts and the other
// reports ReasonReplayed. A replayed code that would now be refused for
// another reason (revoked since, shown at the wrong gate) reports that
// reason instead: it is refused either way. The default store
// ([WithReplayCache]) holds 100,000 codes; when it is full of codes that
// have not expired it refuses new codes (ReasonReplayCheckFailed) rather
// than forget one, which would let that code's screenshot in again.
//
// Beside a shared store the verifier keeps a memory of its own, used only
// under a policy with WarnOnReplayStoreDown: such a verifier records each
// code it accepts there too, and when the shared store is down (an error
// wrapping ErrReplayStoreDown; any other error refuses) it accepts a code
// that memory has not seen, with the warning
// ReasonReplayCheckedLocally; it refuses (ReasonReplayed) the codes it
// accepted itself, before or during the outage, but cannot know those
// accepted at other gates. Once the store answers again, every verifier
// with a shared store also refuses a code its own memory holds, so that a
// code accepted here during the outage, which the store never recorded, is
// not accepted here a second time; and the verifier writes the codes it
// accepted during the outage to the shared store (CheckAndMark, in the
// background, at most 100,000 queued, expired ones skipped), so that the
// other gates refuse them too.
//
// # Presentation lifetime
//
// With iat and ttl the presentation's issue time and lifetime (Unix
// seconds), skew the policy's ClockSkew and now the scanner's clock, a
// presentation is live when iat ≤ now + skew and now ≤ iat + ttl + skew
// (both ends inclusive), iat ≥ the credential's iat − skew, and ttl ≤ the
// policy's MaxLifetime.
//
// The replay store uses the same rule: a code is recorded until iat + ttl
// + 5 minutes, inclusive (it is still "seen" at that instant and forgotten
// after). Five minutes is the largest ClockSkew a policy may have (New and
// WithPolicy refuse more), so the entry outlives every verifier that can
// still accept the code, whatever policy it applies: the verifiers made
// from one New share one store, and so may gates with different policies
// sharing a store of their own. A code accepted at exactly iat + ttl + skew
// and shown again at that same instant is replayed, never accepted twice.
//
// # What it cannot stop
//
// A code relayed live from the holder's phone to an accomplice's screen
// within its lifetime (the gate must still compare the person with the
// name, as with a plastic KTP), and a phone whose owner hands it over
// unlocked.
//
// # Concurrency
//
// A Verifier is safe for concurrent use. Each verification reads the trust
// list once (an atomic pointer that [Verifier.SetTrustList] swaps) and the
// status lists from a copy-on-write map, so no verification sees half an
// update.
package verify
