package conformance

import (
	"crypto"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strings"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

// The cases below were added after the second outside look at the
// vectors: each MUST rule of docs/wire-format.md that a verifier could
// leave out and still pass every earlier vector gets a vector that fails
// such a verifier, and, where the rule has an edge, one that passes.

// statusBitsCases: lists of 1, 4 and 8 bits per entry (the Lookup rule).
func statusBitsCases(w *world) []*vb {
	var out []*vb
	warn := polShare
	warn.Name = "share-receiver-warn"
	warn.WarnOnStaleStatus = true
	add := func(id, comment string, bits int, set map[uint32]uint8, index uint32, r verify.Reason) {
		tok := w.rawStatusList(w.jakarta, rawList{o: defaultStatus(), bits: bits, data: bitArray(bits, 4096, set)})
		o := defaultCred()
		o.index = index
		cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, o)
		e := refused(r)
		if r == 0 {
			e = accepted(w.jakarta, cred, warn, "")
		}
		out = append(out, w.vector(id, comment, warn, "status_bits").trust(RefTime, w.trust1(), "").
			status(RefTime, tok, 0).scan(RefTime, w.live(w.man, cred, ""), e))
	}
	one := map[uint32]uint8{100: 1}
	add("status-bits-1-entry-revoked", "a 1-bit list: entry 100 (bit 4 of byte 12) is set, revoked", 1, one, 100, verify.ReasonRevoked)
	add("status-bits-1-other-entry-valid", "a 1-bit list with entry 100 set: entry 50 (bit 2 of byte 6) is valid, though a 2-bit reader sees byte 12's bits 4-5", 1, one, 50, 0)
	add("status-bits-1-last-entry-valid", "a 1-bit list of 4096 entries (512 bytes): entry 4095 exists", 1, one, 4095, 0)
	add("status-bits-1-index-past-end", "a 1-bit list of 4096 entries: entry 4096 is past the end", 1, one, 4096, verify.ReasonStatusInvalid)
	four := map[uint32]uint8{9: 2, 10: 4, 11: 15}
	add("status-bits-4-suspended", "a 4-bit list: entry 9 (high half of byte 4) is 2, suspended", 4, four, 9, verify.ReasonSuspended)
	add("status-bits-4-value-4-invalid", "a 4-bit list: entry 10 is 4, which ikd does not define (its low two bits are 0)", 4, four, 10, verify.ReasonStatusInvalid)
	add("status-bits-4-value-15-invalid", "a 4-bit list: entry 11 is 15", 4, four, 11, verify.ReasonStatusInvalid)
	eight := map[uint32]uint8{7: 1, 8: 0x10, 9: 0xff}
	add("status-bits-8-revoked", "an 8-bit list: entry 7 (byte 7) is 1, revoked", 8, eight, 7, verify.ReasonRevoked)
	add("status-bits-8-value-16-invalid", "an 8-bit list: entry 8 is 16 (its low bits are 0)", 8, eight, 8, verify.ReasonStatusInvalid)
	add("status-bits-8-value-255-invalid", "an 8-bit list: entry 9 is 255", 8, eight, 9, verify.ReasonStatusInvalid)
	add("status-bits-8-unset-entry-valid", "an 8-bit list: entry 10 is 0", 8, eight, 10, 0)
	return out
}

// statusTokenCases: the Token rules of a status list, each broken once
// in a token whose signature verifies.
func statusTokenCases(w *world) []*vb {
	var out []*vb
	mk := func(id, comment string, tok string, r verify.Reason) {
		out = append(out, w.vector(id, comment, polShare, "envelope").trust(RefTime, w.trust1(), "").status(RefTime, tok, r))
	}
	data := bitArray(2, 4096, map[uint32]uint8{7: 1})
	raw := func(edit func(map[any]any)) string {
		return w.rawStatusList(w.jakarta, rawList{o: defaultStatus(), bits: 2, data: data, edit: edit})
	}
	{
		// Per candidate, key_not_valid comes before the 300 s check.
		o := defaultStatus()
		o.iat, o.exp = at(5*time.Minute+time.Second), at(day)
		mk("status-list-retired-key-and-from-future", "a list of a retired key dated 301 s ahead: key_not_valid, the key is checked first", w.statusList(w.selatan, o), verify.ReasonKeyNotValid)
		// The token is read before the trust list's grace is checked.
		nu := at(6 * day)
		late := nu.Add(week + time.Second)
		out = append(out, w.vector("status-list-malformed-past-grace", "bytes that are not a token, offered past the trust list's grace: malformed comes first", polShare, "envelope").
			trust(RefTime, w.trust1(), "").status(late, hex.EncodeToString([]byte("not a token")), verify.ReasonMalformed))
	}
	mk("status-list-raw-2-bit-accepted", "a 2-bit list built claim by claim, as the cases below are", raw(nil), 0)
	{
		tok, _ := hex.DecodeString(raw(nil))
		out = append(out, w.vector("status-list-same-payload-other-signature", "a list, then the same list with the high-s form of its signature: the same payload changes nothing", polShare).
			trust(RefTime, w.trust1(), "").status(RefTime, raw(nil), 0).status(RefTime, hex.EncodeToString(highS(tok)), 0))
	}
	{
		// The payload need not be canonical: claims in reverse order and
		// bits as 0x18 0x02.
		o := defaultStatus()
		sl := []byte{0xa2}
		sl = append(sl, marshal("lst")...)
		sl = append(sl, marshal(deflate(data))...)
		sl = append(sl, marshal("bits")...)
		sl = append(sl, 0x18, 0x02)
		pl := []byte{0xa5}
		for _, kv := range [][2][]byte{
			{marshal(int64(65534)), marshal(int64(o.ttl.Seconds()))},
			{marshal(int64(65533)), sl},
			{marshal(int64(6)), marshal(o.iat.Unix())},
			{marshal(int64(4)), marshal(o.exp.Unix())},
			{marshal(int64(2)), marshal("urn:ikd:status:3171:1")},
		} {
			pl = append(append(pl, kv[0]...), kv[1]...)
		}
		mk("status-list-payload-not-canonical-accepted", "a payload with its claims in reverse order and bits in a two-byte head: status list payloads need not be canonical", hex.EncodeToString(signStatusPayload(w.jakarta, pl)), 0)
	}
	mk("status-list-bits-3", "bits 3", w.rawStatusList(w.jakarta, rawList{o: defaultStatus(), bits: 3, data: data}), verify.ReasonMalformed)
	mk("status-list-unknown-claim", "an unknown claim (3, aud) in the payload", raw(func(c map[any]any) { c[int64(3)] = "x" }), verify.ReasonMalformed)
	mk("status-list-unknown-member", "an unknown member in status_list", raw(func(c map[any]any) { c[int64(65533)].(map[any]any)["idx"] = int64(1) }), verify.ReasonMalformed)
	mk("status-list-aggregation-uri-accepted", "the optional aggregation_uri member", raw(func(c map[any]any) {
		c[int64(65533)].(map[any]any)["aggregation_uri"] = "https://status.example/3171"
	}), 0)
	mk("status-list-lst-inflates-to-nothing", "lst is a zlib stream of zero bytes", w.rawStatusList(w.jakarta, rawList{o: defaultStatus(), bits: 2, lst: deflate(nil)}), verify.ReasonMalformed)
	mk("status-list-lst-bytes-after-stream", "one byte after lst's zlib stream", w.rawStatusList(w.jakarta, rawList{o: defaultStatus(), bits: 2, lst: append(deflate(data), 0)}), verify.ReasonMalformed)
	mk("status-list-ttl-100-years-accepted", "ttl 3153600000 s (100 x 365 days), the largest", raw(func(c map[any]any) { c[int64(65534)] = int64(3153600000) }), 0)
	mk("status-list-ttl-over-100-years", "ttl 3153600001 s", raw(func(c map[any]any) { c[int64(65534)] = int64(3153600001) }), verify.ReasonMalformed)
	mk("status-list-list-id-max-accepted", "list id 4294967295 in sub", raw(func(c map[any]any) { c[int64(2)] = "urn:ikd:status:3171:4294967295" }), 0)
	mk("status-list-list-id-over-32-bits", "list id 4294967296 in sub", raw(func(c map[any]any) { c[int64(2)] = "urn:ikd:status:3171:4294967296" }), verify.ReasonMalformed)
	mk("status-list-list-id-leading-zero", "list id 01 in sub", raw(func(c map[any]any) { c[int64(2)] = "urn:ikd:status:3171:01" }), verify.ReasonMalformed)
	mk("status-list-exp-after-9999", "exp 253402300800, after 9999-12-31T23:59:59Z", raw(func(c map[any]any) { c[int64(4)] = int64(limits.MaxTime + 1) }), verify.ReasonMalformed)
	mk("status-list-exp-at-9999-accepted", "exp 253402300799, 9999-12-31T23:59:59Z", raw(func(c map[any]any) { c[int64(4)] = int64(limits.MaxTime) }), 0)
	{
		// A malformed sub in a token whose signature fails: the signature
		// is checked first.
		tok, _ := hex.DecodeString(raw(func(c map[any]any) { c[int64(2)] = "urn:ikd:status:3171:01" }))
		tok[len(tok)-1] ^= 0x01
		mk("status-list-bad-sub-and-bad-signature", "sub with list id 01 and a changed signature: bad_issuer_signature, the signature comes first", hex.EncodeToString(tok), verify.ReasonBadIssuerSignature)
	}
	{
		tok, _ := hex.DecodeString(raw(nil))
		// The signature head 0x58 0x40 becomes 0x59 0x00 0x40.
		b := append([]byte{}, tok[:len(tok)-66]...)
		b = append(b, 0x59, 0x00, 0x40)
		b = append(b, tok[len(tok)-64:]...)
		mk("status-list-signature-length-not-shortest", "the signature's length head in two bytes (the signature still verifies)", hex.EncodeToString(b), verify.ReasonMalformed)
		c := append([]byte{}, tok[:len(tok)-66]...)
		c = append(c, 0x58, 0x3f)
		c = append(c, tok[len(tok)-64:len(tok)-1]...)
		mk("status-list-signature-63-bytes", "a 63-byte signature", hex.EncodeToString(c), verify.ReasonMalformed)
	}
	return out
}

// forgeRaw signs [cred, iat, ttl, nonce] with device, iat any integer.
func forgeRaw(w *world, cred []byte, iat uint64) []byte {
	if len(cred) > 0 && cred[0] == 0xd2 {
		cred = cred[1:]
	}
	payload, err := codec.Marshal([]any{rawItem(cred), iat, int64(60), defaultNonce})
	must(err)
	return signRaw(w.man.device, keys.ES256, nil, payload, false)
}

// highS returns a COSE_Sign1 whose ES256 signature s is replaced by n - s.
func highS(msg []byte) []byte {
	out := append([]byte{}, msg...)
	sig := out[len(out)-64:]
	n := elliptic.P256().Params().N
	s := new(big.Int).SetBytes(sig[32:])
	s.Sub(n, s)
	s.FillBytes(sig[32:])
	return out
}

// boundCases: times, signature lengths, algorithms and ECDSA high s
// ("Times, signatures and algorithms").
func boundCases(w *world) []*vb {
	var out []*vb
	cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	dev := w.man.device
	presOf := func(c []byte) []byte { return forgePresentation(dev, c, RefTime, 60, defaultNonce, "") }
	mk := func(id, comment string, pres []byte, e Expect, features ...string) {
		out = append(out, w.vector(id, comment, polShare, features...).std().scan(RefTime, pres, e))
	}
	m := func() map[int64]any { return credMap(cred) }
	{
		c := m()
		c[4] = int64(limits.MaxTime)
		maxed := signCred(w.jakarta, marshal(c))
		mk("credential-exp-at-9999-accepted", "a credential exp of 253402300799 (9999-12-31T23:59:59Z), the latest allowed", presOf(maxed), accepted(w.jakarta, maxed, polShare, ""), "window_edge")
		c[4] = int64(limits.MaxTime + 1)
		mk("envelope-credential-exp-after-9999", "a credential exp of 253402300800", presOf(signCred(w.jakarta, marshal(c))), refused(verify.ReasonMalformed), "envelope")
		c[4] = int64(1<<63 - 1 - 1000)
		mk("envelope-credential-exp-near-2-pow-63", "a credential exp of 2^63 - 1001, which overflows naive time arithmetic", presOf(signCred(w.jakarta, marshal(c))), refused(verify.ReasonMalformed), "envelope")
	}
	mk("presentation-iat-at-9999-clock-wrong", "a presentation iat of 253402300799: allowed, and far ahead", forgeRaw(w, cred, limits.MaxTime), refused(verify.ReasonClockWrong), "window_edge")
	mk("envelope-presentation-iat-after-9999", "a presentation iat of 253402300800", forgeRaw(w, cred, limits.MaxTime+1), refused(verify.ReasonMalformed), "envelope")
	mk("envelope-presentation-iat-2-pow-63", "a presentation iat of 2^63, past a signed 64-bit integer", forgeRaw(w, cred, 1<<63), refused(verify.ReasonMalformed), "envelope")
	mk("envelope-presentation-iat-zero", "a presentation iat of 0", forgeRaw(w, cred, 0), refused(verify.ReasonMalformed), "envelope")
	{
		pres := w.live(w.man, cred, "")
		short := append(append([]byte{}, pres[:len(pres)-66]...), 0x58, 0x3f)
		short = append(short, pres[len(pres)-64:len(pres)-1]...)
		mk("envelope-device-signature-63-bytes", "the device signature cut to 63 bytes", short, refused(verify.ReasonMalformed), "envelope")
		long := append(append([]byte{}, pres[:len(pres)-66]...), 0x58, 0x41)
		long = append(long, pres[len(pres)-64:]...)
		long = append(long, 0)
		mk("envelope-device-signature-65-bytes", "the device signature with a byte added", long, refused(verify.ReasonMalformed), "envelope")
		empty := append(append([]byte{}, pres[:len(pres)-66]...), 0x40)
		mk("envelope-device-signature-empty", "an empty device signature", empty, refused(verify.ReasonMalformed), "envelope")
		mk("device-signature-high-s-accepted", "the device signature (r, n - s): a high s is accepted", highS(pres), accepted(w.jakarta, cred, polShare, ""))
	}
	{
		unt := cred[1:]
		long := append(append([]byte{}, unt[:len(unt)-66]...), 0x58, 0x41)
		long = append(long, unt[len(unt)-64:]...)
		long = append(long, 0)
		mk("envelope-issuer-signature-65-bytes", "the issuer signature with a byte added, the device signing that", presOf(long), refused(verify.ReasonMalformed), "envelope")
		hs := highS(cred)
		{
			// Ed25519 S + L: the same point equation, but S not reduced.
			wk := w.issue(w.bandung, w.woman, credential.ProfileKAI, defaultCred())
			bad := append([]byte{}, wk[1:]...)
			sig := bad[len(bad)-32:]
			le := make([]byte, 32)
			for i := range le {
				le[i] = sig[31-i]
			}
			sv := new(big.Int).SetBytes(le)
			l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
			sv.Add(sv, l)
			sv.FillBytes(le)
			for i := range le {
				sig[i] = le[31-i]
			}
			out = append(out, w.vector("issuer-eddsa-signature-s-not-reduced", "an Ed25519 issuer signature with S + L in place of S: not a valid signature", polShare).std().
				scan(RefTime, forgePresentation(w.woman.device, bad, RefTime, 60, defaultNonce, ""), refused(verify.ReasonBadIssuerSignature)))
		}
		mk("issuer-signature-high-s-accepted", "the issuer signature (r, n - s): a high s is accepted", presOf(hs), accepted(w.jakarta, hs, polShare, ""))
	}
	{
		_, _, pl, _ := sign1Parts(cred)
		hdr := func(alg any) []byte {
			return marshal([]any{marshal(map[int64]any{1: alg, 4: w.jakarta.kid}), rawItem([]byte{0xa0}), pl, make([]byte, 64)})
		}
		mk("issuer-algorithm-unregistered", "alg -35 (ES384, which ikd does not use) under a trusted kid", presOf(hdr(int64(-35))), refused(verify.ReasonAlgorithmNotAllowed))
		mk("envelope-credential-alg-as-text", "alg \"ES256\" as text", presOf(hdr("ES256")), refused(verify.ReasonMalformed), "envelope")
	}
	return out
}

// textRuleCases: the version rule and the length in bytes.
func textRuleCases(w *world) []*vb {
	cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	body := strings.TrimPrefix(text(w.live(w.man, cred, "")), "IKD1:")
	mk := func(id, comment, txt string, r verify.Reason) *vb {
		return w.vector(id, comment, polShare, "envelope").std().scanText(RefTime, txt, refused(r))
	}
	return []*vb{
		mk("text-unsupported-version-5-digits", "IKD12345:AB: five digits", "IKD12345:AB", verify.ReasonUnsupportedVersion),
		mk("text-not-ikd-6-digits", "IKD123456:AB: six digits is not a version", "IKD123456:AB", verify.ReasonNotIKD),
		mk("text-not-ikd-version-without-body", "IKD2: with nothing after the colon", "IKD2:", verify.ReasonNotIKD),
		mk("text-unsupported-version-leading-zero", "IKD01: is not IKD1:", "IKD01:"+body, verify.ReasonUnsupportedVersion),
		mk("text-too-long-checked-first", "4,297 bytes that are not an IKD code: the length is checked before the prefix", strings.Repeat("X", 4297), verify.ReasonMalformed),
		mk("text-4296-bytes-and-line-ending", "4,296 bytes and an LF: the line ending is removed before the length is checked", strings.Repeat("X", 4296)+"\n", verify.ReasonNotIKD),
		mk("text-too-long-in-bytes", "2,149 characters é, 4,298 bytes of UTF-8: the limit counts bytes", strings.Repeat("é", 2149), verify.ReasonMalformed),
	}
}

// claimRuleCases: claim validation (group 1 and 2) and the NIK.
func claimRuleCases(w *world) []*vb {
	var out []*vb
	full := w.issue(w.jakarta, w.man, credential.ProfileFull, defaultCred())
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	presOf := func(c []byte) []byte { return forgePresentation(w.man.device, c, RefTime, 60, defaultNonce, "") }
	mod := func(id, comment string, base []byte, pol Policy, f func(c map[any]any), r verify.Reason) {
		m := credMap(base)
		f(m[-3].(map[any]any))
		c := signCred(w.jakarta, marshal(m))
		e := refused(r)
		if r == 0 {
			e = accepted(w.jakarta, c, pol, "")
		}
		out = append(out, w.vector(id, comment, pol).std().scan(RefTime, presOf(c), e))
	}
	kyc := polKYC()
	mod("malformed-text-claim-leading-space", "a name with a leading space", kai, polShare, func(c map[any]any) { c[int64(2)] = " BUDI SANTOSO" }, verify.ReasonMalformed)
	mod("malformed-text-claim-trailing-space", "an occupation with a trailing space", full, kyc, func(c map[any]any) { c[int64(10)] = "KARYAWAN SWASTA " }, verify.ReasonMalformed)
	mod("malformed-text-claim-121-bytes", "a birth place of 121 bytes", full, kyc, func(c map[any]any) { c[int64(3)] = strings.Repeat("A", 121) }, verify.ReasonMalformed)
	mod("accept-text-claim-120-bytes", "a birth place of 120 bytes, the longest", full, kyc, func(c map[any]any) { c[int64(3)] = strings.Repeat("A", 120) }, 0)
	mod("malformed-text-claim-unicode-16-symbol", "an occupation holding U+1FAE9, which Unicode 16.0 assigns: not printable under Unicode 15.0.0", full, kyc, func(c map[any]any) { c[int64(10)] = "PENARI \U0001FAE9" }, verify.ReasonMalformed)
	mod("accept-text-claim-unicode-15-symbol", "an occupation holding U+1FAE8, which Unicode 15.0 assigns", full, kyc, func(c map[any]any) { c[int64(10)] = "PENARI \U0001FAE8" }, 0)
	mod("malformed-issue-date-before-birth", "issued 1985-08-16, the day before the birth date", full, kyc, func(c map[any]any) { c[int64(15)] = uint64(19850816) }, verify.ReasonMalformed)
	mod("accept-issue-date-on-birth-date", "issued on the birth date", full, kyc, func(c map[any]any) { c[int64(15)] = uint64(19850817) }, 0)
	mod("malformed-citizen-with-nationality", "a citizen (WNI) with nationality MYS", full, kyc, func(c map[any]any) { c[int64(12)] = "MYS" }, verify.ReasonMalformed)
	mod("malformed-foreigner-without-nationality", "a foreign national (WNA) with no nationality", full, kyc, func(c map[any]any) {
		c[int64(11)] = uint64(2)
		c[int64(13)] = uint64(20300630)
	}, verify.ReasonMalformed)
	mod("malformed-foreigner-valid-for-life", "a foreign national (WNA) with nationality JPN and validity for life", full, kyc, func(c map[any]any) {
		c[int64(11)] = uint64(2)
		c[int64(12)] = "JPN"
	}, verify.ReasonMalformed)
	mod("malformed-validity-before-issue-date", "valid until 2019-03-11, the day before the issue date", full, kyc, func(c map[any]any) { c[int64(13)] = uint64(20190311) }, verify.ReasonMalformed)
	mod("malformed-nik-29-february-01", "NIK day 29-02-01: neither 1901 nor 2001 is a leap year", kai, polShare, func(c map[any]any) { c[int64(1)] = uint64(3171012902010003) }, verify.ReasonMalformed)
	mod("accept-nik-29-february-00", "NIK day 29-02-00: 2000 is a leap year (1900 is not)", kai, polShare, func(c map[any]any) { c[int64(1)] = uint64(3171012902000003) }, 0)
	mod("malformed-nik-province-20", "NIK province 20, which is no province", kai, polShare, func(c map[any]any) { c[int64(1)] = uint64(2071011708850003) }, verify.ReasonMalformed)
	mod("accept-nik-province-96", "NIK province 96 (Papua Barat Daya)", kai, polShare, func(c map[any]any) { c[int64(1)] = uint64(9671011708850003) }, 0)
	mod("malformed-nik-serial-0000", "NIK serial 0000", kai, polShare, func(c map[any]any) { c[int64(1)] = uint64(3171011708850000) }, verify.ReasonMalformed)
	mod("malformed-nik-day-32", "NIK day 32", kai, polShare, func(c map[any]any) { c[int64(1)] = uint64(3171013208850003) }, verify.ReasonMalformed)
	addr := func(prov string) func(c map[any]any) {
		return func(c map[any]any) { c[int64(7)].(map[any]any)[int64(7)] = prov }
	}
	mod("nik-inconsistent-province", "a Jakarta (31) NIK with an address in JAWA BARAT", full, kyc, addr("JAWA BARAT"), verify.ReasonNIKInconsistent)
	mod("accept-province-name-normalised", "the address province written Provinsi D.K.I. Jakarta matches the NIK's 31", full, kyc, addr("Provinsi D.K.I. Jakarta"), 0)
	mod("nik-inconsistent-province-daerah-khusus", "DAERAH KHUSUS JAKARTA is not the table's name DKI JAKARTA", full, kyc, addr("DAERAH KHUSUS JAKARTA"), verify.ReasonNIKInconsistent)
	return out
}

// ticketCases: each step of the ticket name rule, and the empty ticket
// fields.
func ticketCases(w *world) []*vb {
	var out []*vb
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	pres := w.live(w.man, kai, verify.AudienceKAI)
	add := func(id, comment, name, nik string, r verify.Reason) {
		pol := polKAITicket(name, nik)
		e := refused(r)
		if r == 0 {
			e = accepted(w.jakarta, kai, pol, verify.AudienceKAI)
		}
		out = append(out, w.vector(id, comment, pol, "ticket").std().scan(RefTime, pres, e))
	}
	add("accept-ticket-lower-case", "budi santoso", "budi santoso", "", 0)
	add("accept-ticket-hyphen-and-dot-separate-words", "BUDI-SANTOSO and B. are word separators: BUDI.SANTOSO", "BUDI.SANTOSO", "", 0)
	add("accept-ticket-apostrophe-dropped", "BUDI SAN'TOSO: apostrophes are dropped", "BUDI SAN'TOSO", "", 0)
	add("accept-ticket-titles-glued", "DR.IR. BUDI SANTOSO: glued titles are dropped", "DR.IR. BUDI SANTOSO", "", 0)
	add("accept-ticket-titles-spaced", "K.H. H. BUDI SANTOSO: titles dropped one by one", "K.H. H. BUDI SANTOSO", "", 0)
	add("accept-ticket-degrees-after-comma", "BUDI SANTOSO, S.Kom., M.M.: known degrees after the comma", "BUDI SANTOSO, S.Kom., M.M.", "", 0)
	add("accept-ticket-nik-only", "a ticket with a NIK and no name checks the NIK only", "", "3171011708850003", 0)
	add("ticket-mismatch-unknown-degree", "BUDI SANTOSO, S.XYZ: an unknown degree is not understood", "BUDI SANTOSO, S.XYZ", "", verify.ReasonTicketMismatch)
	add("ticket-mismatch-digit", "BUDI SANTOSO 2: a digit is not understood", "BUDI SANTOSO 2", "", verify.ReasonTicketMismatch)
	add("ticket-mismatch-diacritic", "BUDÍ SANTOSO: Í is not I", "BUDÍ SANTOSO", "", verify.ReasonTicketMismatch)
	add("ticket-mismatch-zero-width-space", "a zero-width space inside the name", "BUDI\u200bSANTOSO", "", verify.ReasonTicketMismatch)
	add("ticket-mismatch-letter-after-unicode-15", "an O written U+1CCE4 (OUTLINED LATIN CAPITAL LETTER O, Unicode 16.0), which Unicode 15.0.0's NFKC leaves as it is", "BUDI SANT\U0001CCE4SO", "", verify.ReasonTicketMismatch)
	add("ticket-mismatch-nobility-title-kept", "R. BUDI SANTOSO: R. is not a title that is dropped", "R. BUDI SANTOSO", "", verify.ReasonTicketMismatch)
	add("accept-ticket-title-glued-to-name", "BPK.BUDI SANTOSO: a title before a dot is a word of its own, and dropped", "BPK.BUDI SANTOSO", "", 0)
	{
		// A mononym: the card says SUKARNO, the airline books SUKARNO SUKARNO.
		h := *w.man
		h.ktp.Name = "SUKARNO"
		c := w.issue(w.jakarta, &h, credential.ProfileKAI, defaultCred())
		pol := polKAITicket("SUKARNO SUKARNO", "")
		out = append(out, w.vector("accept-ticket-mononym-booked-twice", "SUKARNO booked as SUKARNO SUKARNO", pol, "ticket").std().
			scan(RefTime, w.live(&h, c, verify.AudienceKAI), accepted(w.jakarta, c, pol, verify.AudienceKAI)))
		// A title that is the only word is kept: the card says NONA.
		h2 := *w.man
		h2.ktp.Name = "NONA"
		c2 := w.issue(w.jakarta, &h2, credential.ProfileKAI, defaultCred())
		pol = polKAITicket("NONA", "")
		out = append(out, w.vector("accept-ticket-title-as-the-only-word", "the name NONA, also a title, is kept when it is the only word", pol, "ticket").std().
			scan(RefTime, w.live(&h2, c2, verify.AudienceKAI), accepted(w.jakarta, c2, pol, verify.AudienceKAI)))
		pol = polKAITicket("SUKARNO SUKARNO SUKARNO", "")
		out = append(out, w.vector("ticket-mismatch-mononym-three-times", "SUKARNO booked three times is not the single name", pol, "ticket").std().
			scan(RefTime, w.live(&h, c, verify.AudienceKAI), refused(verify.ReasonTicketMismatch)))
	}
	{
		// The ticket is compared with the claims the credential carries,
		// not only those the policy shows.
		pol := polShare
		pol.Name = "nik-only-with-ticket"
		pol.RequiredClaims = []string{"nik"}
		pol.Ticket = &Ticket{Name: "BUDI SANTOSO"}
		out = append(out, w.vector("accept-ticket-name-carried-not-shown", "a policy that shows only the NIK checks the ticket name against the name the credential carries", pol, "ticket").std().
			scan(RefTime, w.live(w.man, kai, ""), accepted(w.jakarta, kai, pol, "")))
		age := w.issue(w.jakarta, w.man, credential.ProfileAge, defaultCred())
		pol = polAge
		pol.Name = "age-check-with-ticket"
		pol.Ticket = &Ticket{Name: "BUDI SANTOSO"}
		out = append(out, w.vector("ticket-mismatch-credential-without-name", "an age credential carries no name, so no ticket name matches", pol, "ticket").std().
			scan(RefTime, w.live(w.man, age, ""), refused(verify.ReasonTicketMismatch)))
	}
	return out
}

// policyRuleCases: the parameters whose 0 means "off", and the two graces.
func policyRuleCases(w *world) []*vb {
	var out []*vb
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	{
		pol := polShare
		pol.Name = "share-receiver-no-status-age"
		pol.StatusMaxAge = 0
		o := defaultStatus()
		o.iat, o.exp = at(-30*day), time.Time{}
		out = append(out, w.vector("status-max-age-zero-is-no-limit", "status_max_age 0: a list 30 days old without exp is not stale", pol).
			trust(RefTime, w.trust1(), "").status(RefTime, w.statusList(w.jakarta, o), 0).
			scan(RefTime, w.live(w.man, kai, ""), accepted(w.jakarta, kai, pol, "")))
	}
	{
		pol := polShare
		pol.Name = "share-receiver-no-clock-wrong"
		pol.ClockWrongAfter = 0
		out = append(out, w.vector("clock-wrong-after-zero-is-off", "clock_wrong_after 0: a code 10 hours ahead is from the future, not clock_wrong", pol, "window_edge").std().
			scan(RefTime, w.present(w.man, kai, presentOpts{iat: RefTime.Add(10 * time.Hour)}), refused(verify.ReasonPresentationFromFuture)))
	}
	{
		// Step 5's order: clock_wrong and presentation_from_future come
		// before lifetime_too_long, which comes before presentation_expired.
		c := defaultCred()
		day1 := 24 * time.Hour
		out = append(out, w.vector("order-clock-wrong-before-lifetime", "a 24-hour code dated before its credential: clock_wrong, though its ttl is also too long and it has expired", polShare, "window_edge").std().
			scan(RefTime, w.present(w.man, kai, presentOpts{iat: c.iat.Add(-121 * time.Second), ttl: day1}), refused(verify.ReasonClockWrong)))
		out = append(out, w.vector("order-from-future-before-lifetime", "a 24-hour code 121 s ahead: presentation_from_future before lifetime_too_long", polShare, "window_edge").std().
			scan(RefTime, w.present(w.man, kai, presentOpts{iat: RefTime.Add(121 * time.Second), ttl: day1}), refused(verify.ReasonPresentationFromFuture)))
		out = append(out, w.vector("order-lifetime-before-expired", "a 24-hour code, 25 hours old: lifetime_too_long before presentation_expired", polShare, "window_edge").std().
			scan(RefTime, w.present(w.man, kai, presentOpts{iat: RefTime.Add(-25 * time.Hour), ttl: day1}), refused(verify.ReasonLifetimeTooLong)))
	}
	{
		// The trust list update rule's 7 days are fixed; the policy's
		// trust_list_grace (here 1 day) applies to codes and status lists.
		pol := polShare
		pol.Name = "share-receiver-1-day-grace"
		pol.TrustListGrace = 86400
		nu := at(6 * day)
		then := nu.Add(3 * day)
		o := defaultStatus()
		o.iat, o.exp = then.Add(-time.Hour), time.Time{}
		out = append(out, w.vector("trust-list-grace-policy-differs-from-update", "3 days past next_update: the list is still taken (7 days), but with a 1-day grace codes and status lists are refused", pol, "window_edge").
			trust(then, w.trust1(), "").
			status(then, w.statusList(w.jakarta, o), verify.ReasonTrustListExpired).
			scan(then, w.present(w.man, kai, presentOpts{iat: then}), refused(verify.ReasonTrustListExpired)))
	}
	return out
}

// trustRuleCases: rotation retires the old root, and a new list drops the
// status lists of keys it withdraws.
func trustRuleCases(w *world) []*vb {
	var out []*vb
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	l1 := w.trust1()
	c2 := w.trustContent(2)
	c2.NextRoot = nil
	l2 := signTrust(w.rootB, c2)
	c3 := w.trustContent(3)
	c3.NextRoot = nil
	out = append(out, w.vector("trust-list-old-root-retired", "after rotation to root B, a list signed by the old root A is refused", polShare, "trust_list_rotation").
		trust(RefTime, l1, "").trust(RefTime, l2, "").trust(RefTime, signTrust(w.rootA, c3), "bad_signature").
		trust(RefTime, signTrust(w.rootB, c3), ""))
	{
		// List 2 replaces Jakarta's ES256 key by its EdDSA key: the
		// status list the ES256 key signed is dropped.
		c := w.trustContent(2)
		c.Issuers[0].Keys = []keys.IssuerKey{wide(w.jakarta2)}
		l := signTrust(w.rootA, c)
		cred := w.issue(w.jakarta2, w.man, credential.ProfileKAI, defaultCred())
		out = append(out, w.vector("trust-list-update-drops-status-list-of-withdrawn-key", "list 2 withdraws, for 3171, the key that signed 3171's status list (it stays listed for 3172): the list is dropped, so status is unknown", polShare).
			std().trust(RefTime, l, "").
			scan(RefTime, w.live(w.man, cred, ""), refused(verify.ReasonStatusUnknown)))
		o := defaultStatus()
		o.set = map[uint32]status.Status{100: status.StatusRevoked}
		out = append(out, w.vector("trust-list-update-keeps-status-list-of-listed-key", "list 2 keeps the key that signed 3171's list: a revocation in it stays", polShare).
			std().status(RefTime, w.statusList(w.jakarta, func() statusOpts { o.iat = at(-time.Minute); return o }()), 0).
			trust(RefTime, signTrust(w.rootA, w.trustContent(2)), "").
			scan(RefTime, w.live(w.man, kai, ""), refused(verify.ReasonRevoked)))
	}
	out = append(out, trustHeaderCases(w)...)
	return out
}

// resignJWS signs a compact JWS with header (JSON) and the payload of
// jws, with root (P-256: ES256 r‖s; Ed25519: EdDSA).
func resignJWS(root crypto.Signer, header string, jws string) string {
	parts := strings.Split(jws, ".")
	input := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + parts[1]
	var sig []byte
	if _, ok := root.Public().(ed25519.PublicKey); ok {
		s, err := root.Sign(nil, []byte(input), crypto.Hash(0))
		must(err)
		sig = s
	} else {
		d := sha256.Sum256([]byte(input))
		der, err := root.Sign(nil, d[:], crypto.SHA256)
		must(err)
		var rs struct{ R, S *big.Int }
		_, err = asn1.Unmarshal(der, &rs)
		must(err)
		sig = make([]byte, 64)
		rs.R.FillBytes(sig[:32])
		rs.S.FillBytes(sig[32:])
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// trustHeaderCases: the JWS header rules of a trust list, each broken in a
// list whose signature verifies.
func trustHeaderCases(w *world) []*vb {
	l1 := w.trust1()
	h, err := base64.RawURLEncoding.DecodeString(strings.Split(l1, ".")[0])
	must(err)
	var hdr map[string]any
	must(json.Unmarshal(h, &hdr))
	with := func(edit func(map[string]any)) string {
		m := map[string]any{}
		for k, v := range hdr {
			m[k] = v
		}
		edit(m)
		b, err := json.Marshal(m)
		must(err)
		return resignJWS(w.rootA, string(b), l1)
	}
	mk := func(id, comment, jws, errKey string) *vb {
		return w.vector(id, comment, polShare).trust(RefTime, jws, errKey)
	}
	payload := func(from, to string) string {
		p, err := base64.RawURLEncoding.DecodeString(strings.Split(l1, ".")[1])
		must(err)
		if !strings.Contains(string(p), from) {
			panic("conformance: trust list payload lacks " + from)
		}
		q := strings.Replace(string(p), from, to, 1)
		return resignJWS(w.rootA, string(h), strings.Split(l1, ".")[0]+"."+base64.RawURLEncoding.EncodeToString([]byte(q))+".x")
	}
	return []*vb{
		mk("trust-list-resigned-accepted", "list 1 signed again by root A with the same header, as the cases below are", with(func(map[string]any) {}), ""),
		mk("trust-list-typ-wrong", "header typ JWT", with(func(m map[string]any) { m["typ"] = "JWT" }), "malformed"),
		mk("trust-list-typ-missing", "no typ in the header", with(func(m map[string]any) { delete(m, "typ") }), "malformed"),
		mk("trust-list-header-extra-member", "a cty member in the header", with(func(m map[string]any) { m["cty"] = "json" }), "malformed"),
		mk("trust-list-payload-version-2", "payload version 2", payload(`"version":1`, `"version":2`), "malformed"),
		w.vector("trust-list-same-payload-other-signature", "list 1, then list 1 with the high-s form of its signature: the same payload changes nothing", polShare).
			trust(RefTime, l1, "").trust(RefTime, highSJWS(l1), ""),
	}
}

// highSJWS returns an ES256 compact JWS with its signature s replaced by
// n - s: other signature bytes over the same payload.
func highSJWS(jws string) string {
	i := strings.LastIndexByte(jws, '.')
	sig, err := base64.RawURLEncoding.DecodeString(jws[i+1:])
	must(err)
	n := elliptic.P256().Params().N
	sv := new(big.Int).SetBytes(sig[32:])
	sv.Sub(n, sv)
	sv.FillBytes(sig[32:])
	return jws[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}
