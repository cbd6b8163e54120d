package conformance

import (
	"bytes"
	"crypto/elliptic"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/qr"
	"github.com/ikdgo/ikd/verify"
)

// Build returns every vector, in a fixed order, from fixed keys and
// RefTime. It returns an error only if ikd's own code refuses to make a
// vector (a bug).
func Build() (vs []*Vector, err error) {
	defer func() {
		if r := recover(); r != nil {
			vs, err = nil, fmt.Errorf("conformance: building vectors: %v", r)
		}
	}()
	w := newWorld()
	var out []*vb
	for _, f := range []func(*world) []*vb{
		acceptedCases, textCases, envelopeCases, issuerCases, timeCases,
		statusCases, policyCases, replayCases, trustListCases, imageCases,
		statusBitsCases, statusTokenCases, boundCases, textRuleCases,
		claimRuleCases, ticketCases, policyRuleCases, trustRuleCases, docCases,
	} {
		out = append(out, f(w)...)
	}
	seen := map[string]bool{}
	for _, b := range out {
		if seen[b.v.ID] {
			return nil, fmt.Errorf("conformance: vector id %q twice", b.v.ID)
		}
		seen[b.v.ID] = true
		sort.Strings(b.v.Covers.Features)
		vs = append(vs, b.v)
	}
	return vs, nil
}

var (
	polAirline = policyOf(verify.AirlineCheckIn())
	polKAI     = policyOf(verify.KAIGate(verify.Ticket{}))
	polAge     = policyOf(verify.AgeCheck())
	polShare   = policyOf(verify.ShareReceiver())
	// polFallback is a share receiver that, while its shared replay store
	// is down, falls back to its own memory (issue 17).
	polFallback = func() Policy {
		p := policyOf(verify.ShareReceiver())
		p.WarnOnReplayStoreDown = true
		return p
	}()
)

// polKYC is a share receiver with a lawful need for every KTP claim (a
// bank's know-your-customer check).
func polKYC() Policy {
	p := policyOf(verify.ShareReceiver())
	p.Name = "bank-kyc"
	for c := credential.ClaimNIK; c <= credential.ClaimOver17; c++ {
		if c != credential.ClaimName && c != credential.ClaimNIK {
			p.AllowedClaims = append(p.AllowedClaims, c.String())
		}
	}
	return p
}

func polKAITicket(name, nik string) Policy {
	return policyOf(verify.KAIGate(verify.Ticket{Name: name, NIK: nik}))
}

// live presents cred at RefTime for aud.
func (w *world) live(h *holder, cred []byte, aud string) []byte {
	return w.present(h, cred, presentOpts{iat: RefTime, audience: aud})
}

func acceptedCases(w *world) []*vb {
	var out []*vb
	type pc struct {
		p   credential.Profile
		pol Policy
		aud string
		ttl time.Duration
	}
	for _, alg := range []struct {
		name string
		is   *issuer
		h    *holder
		ttl  time.Duration // share-mode lifetime for the full profile
	}{{"es256", w.jakarta, w.man, 5 * time.Minute}, {"eddsa", w.bandung, w.woman, time.Hour}} {
		for _, c := range []pc{
			{credential.ProfileFull, polKYC(), "", alg.ttl},
			{credential.ProfileTravel, polAirline, verify.AudienceAirline, 0},
			{credential.ProfileKAI, polKAITicket(alg.h.ktp.Name, string(alg.h.ktp.NIK)), verify.AudienceKAI, 0},
			{credential.ProfileAge, polAge, "", 0},
		} {
			cred := w.issue(alg.is, alg.h, c.p, defaultCred())
			pres := w.present(alg.h, cred, presentOpts{iat: RefTime, ttl: c.ttl, audience: c.aud})
			features := []string{}
			if c.ttl > time.Minute {
				features = append(features, "share_mode")
			}
			id := fmt.Sprintf("accept-%s-%s", c.p, alg.name)
			if c.ttl > time.Minute {
				id += fmt.Sprintf("-share-%ds", int(c.ttl/time.Second))
			}
			out = append(out, w.vector(id, fmt.Sprintf("a live %v code (%v issuer) accepted with its disclosed claims", c.p, alg.is.alg), c.pol, features...).
				std().scan(RefTime, pres, accepted(alg.is, cred, c.pol, c.aud)))
		}
	}
	// A foreign resident's full profile: nationality and a dated validity.
	cred := w.issue(w.jakarta, w.wna, credential.ProfileFull, defaultCred())
	out = append(out, w.vector("accept-full-foreign-resident", "a foreign resident's (WNA) full profile: nationality JPN, validity until a date", polKYC()).
		std().scan(RefTime, w.live(w.wna, cred, ""), accepted(w.jakarta, cred, polKYC(), "")))
	// A KAI gate shown a full profile sees only name and NIK.
	cred = w.issue(w.jakarta, w.man, credential.ProfileFull, defaultCred())
	out = append(out, w.vector("accept-full-shown-to-kai-gate-minimised", "a KAI gate shown a full profile discloses only name and NIK", polKAI).
		std().scan(RefTime, w.live(w.man, cred, verify.AudienceKAI), accepted(w.jakarta, cred, polKAI, verify.AudienceKAI)))
	// Share mode one hour at the share receiver, and its line ending.
	cred = w.issue(w.bandung, w.woman, credential.ProfileKAI, defaultCred())
	pres := w.present(w.woman, cred, presentOpts{iat: RefTime, ttl: time.Hour})
	out = append(out, w.vector("accept-share-1h-trailing-crlf", "a one-hour share code with the CRLF a keyboard-mode scanner appends", polShare, "share_mode").
		std().scanText(RefTime.Add(30*time.Minute), text(pres)+"\r\n", accepted(w.bandung, cred, polShare, "")))
	// A ticket booked with a title and a degree matches the card's name.
	cred = w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	pol := polKAITicket("BPK. BUDI SANTOSO, S.E.", "")
	out = append(out, w.vector("accept-kai-ticket-title-and-degree", "ticket name with a title and a degree matches the disclosed name", pol).
		std().scan(RefTime, w.live(w.man, cred, verify.AudienceKAI), accepted(w.jakarta, cred, pol, verify.AudienceKAI)))
	// Jakarta Utara shares Jakarta Pusat's key: one kid, two issuers.
	cred = w.issue(w.jakut, w.man, credential.ProfileKAI, defaultCred())
	out = append(out, w.vector("accept-kid-shared-by-two-issuers", "one key listed for 3171 and 3172: the candidate of the credential's iss is used", polShare, "kid_collision").
		std().status(RefTime, w.statusList(w.jakut, defaultStatus()), 0).scan(RefTime, w.live(w.man, cred, ""), accepted(w.jakut, cred, polShare, "")))
	return out
}

func textCases(w *world) []*vb {
	cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	good := text(w.live(w.man, cred, ""))
	body := strings.TrimPrefix(good, "IKD1:")
	mk := func(id, comment, txt string, r verify.Reason) *vb {
		return w.vector(id, comment, polShare, "envelope").std().scanText(RefTime, txt, refused(r))
	}
	return []*vb{
		mk("text-not-ikd-boarding-pass", "a boarding pass barcode", "M1SANTOSO/BUDI       EABC123 CGKDPSGA 0402 327Y012A0001 100", verify.ReasonNotIKD),
		mk("text-not-ikd-lower-case-prefix", "the prefix is case-sensitive", "ikd1:"+body, verify.ReasonNotIKD),
		mk("text-unsupported-version-2", "IKD2: is a later version", "IKD2:"+body, verify.ReasonUnsupportedVersion),
		mk("text-unsupported-version-0", "IKD0: is not version 1 either", "IKD0:"+body, verify.ReasonUnsupportedVersion),
		mk("text-empty-body", "the prefix alone", "IKD1:", verify.ReasonMalformed),
		mk("text-bad-base45", "a character outside the base45 alphabet", "IKD1:"+body[:len(body)-1]+"a", verify.ReasonMalformed),
		mk("text-truncated", "the code cut short by two characters", good[:len(good)-2], verify.ReasonMalformed),
		mk("text-two-line-endings", "only one trailing line ending is removed", good+"\n\n", verify.ReasonMalformed),
		mk("text-too-long", "4,297 bytes, over a version 40 QR code", "IKD1:"+strings.Repeat("0", 4292), verify.ReasonMalformed),
	}
}

// sign1Parts splits a COSE_Sign1 (tagged or not) into its four items.
type rawValue = cbor.RawMessage

func sign1Parts(b []byte) (protected, unprotected, payload, sig []byte) {
	if len(b) > 0 && b[0] == 0xd2 {
		b = b[1:]
	}
	var parts []rawValue
	must(codec.Unmarshal(b, &parts))
	var p, pl, s []byte
	must(codec.Unmarshal(parts[0], &p))
	must(codec.Unmarshal(parts[2], &pl))
	must(codec.Unmarshal(parts[3], &s))
	return p, parts[1], pl, s
}

// credMap decodes a credential's payload into a generic map.
func credMap(cred []byte) map[int64]any {
	_, _, pl, _ := sign1Parts(cred)
	var m map[int64]any
	must(codec.Unmarshal(pl, &m))
	return m
}

func marshal(v any) []byte {
	b, err := codec.Marshal(v)
	must(err)
	return b
}

// signCred signs payload bytes as a credential of is (tagged).
func signCred(is *issuer, payload []byte) []byte {
	return signRaw(is.signer, is.alg, is.kid, payload, true)
}

func envelopeCases(w *world) []*vb {
	cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	pres := w.live(w.man, cred, "")
	var out []*vb
	mk := func(id, comment string, pres []byte) {
		out = append(out, w.vector(id, comment, polShare, "envelope").std().scan(RefTime, pres, refused(verify.ReasonMalformed)))
	}
	// Presentation envelope.
	mk("envelope-presentation-tagged", "a presentation with the COSE_Sign1 tag 18", append([]byte{0xd2}, pres...))
	mk("envelope-trailing-byte", "one byte after the presentation", append(append([]byte{}, pres...), 0x00))
	{
		// Signature length head in two bytes instead of one: 0x58 0x40 -> 0x59 0x00 0x40.
		b := append([]byte{}, pres[:len(pres)-66]...)
		b = append(b, 0x59, 0x00, 0x40)
		b = append(b, pres[len(pres)-64:]...)
		mk("envelope-signature-length-not-shortest", "the device signature's length head is not in shortest form (the signature still verifies)", b)
	}
	{
		// Unprotected header {4: h'01'} instead of {}: the signature still verifies.
		i := bytes.Index(pres, []byte{0x43, 0xa1, 0x01, 0x26, 0xa0})
		b := append([]byte{}, pres[:i+4]...)
		b = append(b, 0xa1, 0x04, 0x41, 0x01)
		b = append(b, pres[i+5:]...)
		mk("envelope-unprotected-header-not-empty", "a kid in the presentation's unprotected header", b)
	}
	dev := w.man.device
	unt := cred[1:]
	mk("envelope-nonce-8-bytes", "a nonce of 8 bytes", forgePresentation(dev, unt, RefTime, 60, []byte{1, 2, 3, 4, 5, 6, 7, 8}, ""))
	mk("envelope-ttl-zero", "ttl 0", forgePresentation(dev, unt, RefTime, 0, defaultNonce, ""))
	mk("envelope-ttl-over-a-day", "ttl 86401 s, over the wire format's 24 h", forgePresentation(dev, unt, RefTime, 86401, defaultNonce, ""))
	mk("envelope-audience-control-character", "an audience with a newline", forgePresentation(dev, unt, RefTime, 60, defaultNonce, "KAI\n"))
	mk("envelope-audience-leading-space", "an audience with a leading space", forgePresentation(dev, unt, RefTime, 60, defaultNonce, " KAI"))
	{
		payload := append([]byte{0x84}, cred...)
		payload = append(payload, marshal(RefTime.Unix())...)
		payload = append(payload, marshal(int64(60))...)
		payload = append(payload, marshal(defaultNonce)...)
		mk("envelope-embedded-credential-tagged", "the credential inside the presentation carries tag 18", signRaw(dev, keys.ES256, nil, payload, false))
	}
	{
		// Presentation iat as a float: 0xfb + 8 bytes.
		payload := []byte{0x84}
		payload = append(payload, unt...)
		payload = append(payload, 0xfb)
		payload = binary.BigEndian.AppendUint64(payload, math.Float64bits(float64(RefTime.Unix())))
		payload = append(payload, 0x18, 0x3c, 0x46)
		payload = append(payload, defaultNonce...)
		mk("envelope-float-iat", "the presentation's iat as a float", signRaw(dev, keys.ES256, nil, payload, false))
	}
	// Credential envelope and payload, signed by the real issuer key, so
	// only the encoding is wrong.
	m := credMap(cred)
	credWith := func(payload []byte) []byte { return signCred(w.jakarta, payload) }
	presOf := func(c []byte) []byte { return forgePresentation(dev, c, RefTime, 60, defaultNonce, "") }
	{
		// Claims map with keys 2 before 1.
		claims := m[-3].(map[any]any)
		k := marshal(map[int64]any{1: claims[int64(1)]})
		n := marshal(map[int64]any{2: claims[int64(2)]})
		unsorted := append([]byte{0xa2}, n[1:]...)
		unsorted = append(unsorted, k[1:]...)
		mk("envelope-claims-unsorted", "the KTP claims map with name (2) before NIK (1)", presOf(credWith(replaceClaims(m, unsorted))))
		dup := append([]byte{0xa3}, k[1:]...)
		dup = append(dup, n[1:]...)
		dup = append(dup, n[1:]...)
		mk("envelope-claims-duplicate-key", "the name claim twice", presOf(credWith(replaceClaims(m, dup))))
	}
	mod := func(id, comment string, f func(claims map[any]any)) {
		m := credMap(cred)
		claims := m[-3].(map[any]any)
		f(claims)
		mk(id, comment, presOf(credWith(marshal(m))))
	}
	mod("envelope-claim-unknown-key", "claim key 17", func(c map[any]any) { c[int64(17)] = "X" })
	mod("envelope-claim-empty-text", "an explicit empty birth place, which the encoder leaves out", func(c map[any]any) { c[int64(3)] = "" })
	mod("envelope-claim-name-as-bytes", "the name as a byte string", func(c map[any]any) { c[int64(2)] = []byte("BUDI SANTOSO") })
	mod("envelope-nik-15-digits", "a NIK of 15 digits", func(c map[any]any) { c[int64(1)] = uint64(317101170885000) })
	{
		m := credMap(cred)
		m[-1] = uint64(5)
		mk("envelope-profile-unknown", "profile 5", presOf(credWith(marshal(m))))
	}
	{
		m := credMap(cred)
		m[1] = "31:71"
		mk("envelope-issuer-id-invalid", "an issuer id with a colon", presOf(credWith(marshal(m))))
	}
	{
		m := credMap(cred)
		m[4] = m[6]
		mk("envelope-exp-equals-iat", "a credential whose exp is its iat", presOf(credWith(marshal(m))))
	}
	{
		m := credMap(cred)
		key := m[8].(map[any]any)[int64(1)].(map[any]any)
		x := key[int64(-2)].([]byte)
		bad := append([]byte{}, x...)
		bad[31] ^= 0x01
		for onCurve(bad) {
			bad[31] ^= 0x03
		}
		key[int64(-2)] = bad
		mk("envelope-device-key-off-curve", "a device key x that is on no point of P-256", presOf(credWith(marshal(m))))
	}
	{
		_, _, pl, _ := sign1Parts(cred)
		c, err := sign1.SignWithHeader(nil, w.jakarta.signer, keys.ES256, w.jakarta.kid, map[int]any{16: "application/statuslist+cwt"}, pl)
		must(err)
		mk("envelope-credential-with-typ", "a credential whose protected header carries typ", presOf(c))
	}
	{
		// Validity false in a full profile.
		full := w.issue(w.jakarta, w.man, credential.ProfileFull, defaultCred())
		m := credMap(full)
		m[-3].(map[any]any)[int64(13)] = false
		mk("envelope-validity-false", "validity false: neither for life nor a date", presOf(credWith(marshal(m))))
	}
	return out
}

// replaceClaims returns the payload m with the claims map encoded as raw.
func replaceClaims(m map[int64]any, raw []byte) []byte {
	c := make(map[int64]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	c[-3] = rawItem(raw)
	return marshal(c)
}

func issuerCases(w *world) []*vb {
	var out []*vb
	cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	dev := w.man.device
	presOf := func(c []byte) []byte { return forgePresentation(dev, c, RefTime, 60, defaultNonce, "") }
	mk := func(id, comment string, pres []byte, r verify.Reason, features ...string) {
		out = append(out, w.vector(id, comment, polShare, features...).std().scan(RefTime, pres, refused(r)))
	}
	// The issue's example: a name edited in a code the phone signed.
	{
		pres := w.live(w.man, cred, "")
		edited := bytes.Replace(pres, []byte("BUDI SANTOSO"), []byte("BUDI SANTOSA"), 1)
		mk("device-signature-name-edited", "the name edited in a signed code: the device signature fails first", edited, verify.ReasonBadDeviceSignature)
		_, _, pl, _ := sign1Parts(cred)
		edPayload := bytes.Replace(pl, []byte("BUDI SANTOSO"), []byte("BUDI SANTOSA"), 1)
		p, _, _, s := sign1Parts(cred)
		forgedCred := marshal([]any{p, rawItem([]byte{0xa0}), edPayload, s})
		mk("issuer-signature-name-edited-and-device-resigned", "the name edited and the code signed again by the phone: the issuer signature fails", presOf(forgedCred), verify.ReasonBadIssuerSignature)
	}
	mk("device-signature-other-phone", "the credential presented by another phone", forgePresentation(detP256("stolen phone"), cred[1:], RefTime, 60, defaultNonce, ""), verify.ReasonBadDeviceSignature)
	{
		m := credMap(cred)
		mk("issuer-unknown-kid", "a credential signed by a key no trust list holds", presOf(signCred(w.rogue, marshal(m))), verify.ReasonUnknownIssuer)
		forged := signRaw(w.rogue.signer, keys.ES256, w.jakarta.kid, marshal(m), true)
		mk("issuer-bad-signature-kid-of-trusted-key", "signed by a rogue key under the trusted key's kid", presOf(forged), verify.ReasonBadIssuerSignature, "kid_collision")
		edAlg := signRaw(w.bandung.signer, keys.EdDSA, w.jakarta.kid, marshal(m), true)
		mk("issuer-algorithm-swapped", "EdDSA header with the kid of an ES256 key", presOf(edAlg), verify.ReasonAlgorithmNotAllowed)
		other := credMap(cred)
		other[1] = "3273"
		mk("issuer-key-of-another-issuer", "Jakarta's key signs a credential naming Bandung", presOf(signCred(w.jakarta, marshal(other))), verify.ReasonUnknownIssuer)
		short := signRaw(w.jakarta.signer, keys.ES256, w.jakarta.kid[:4], marshal(m), true)
		mk("issuer-kid-4-bytes", "a kid of 4 bytes matches no key", presOf(short), verify.ReasonUnknownIssuer)
	}
	{
		c := w.issue(w.selatan, w.man, credential.ProfileKAI, defaultCred())
		mk("issuer-key-not-valid-retired", "a key whose window ended before the credential was issued", w.live(w.man, c, ""), verify.ReasonKeyNotValid, "window_edge")
		o := defaultCred()
		o.iat = at(-100 * day)
		o.exp = at(100 * day)
		c = w.issue(w.selatan, w.man, credential.ProfileKAI, o)
		mk("issuer-key-not-valid-at-exp-instant", "issued exactly at the key's exp: nbf <= iat < exp, exp excluded", w.live(w.man, c, ""), verify.ReasonKeyNotValid, "window_edge")
		o.iat = at(-100*day - time.Second)
		c = w.issue(w.selatan, w.man, credential.ProfileKAI, o)
		warn := polShare
		warn.Name = "share-receiver-warn"
		warn.WarnOnStaleStatus = true
		out = append(out, w.vector("issuer-key-valid-one-second-before-exp", "issued one second before the key's exp (no status list: a warning)", warn, "window_edge").std().
			scan(RefTime, w.live(w.man, c, ""), accepted(w.selatan, c, warn, "", verify.ReasonStatusUnknown)))
	}
	{
		travel := w.issue(w.jakarta, w.man, credential.ProfileTravel, defaultCred())
		m := credMap(travel)
		m[-3].(map[any]any)[int64(4)] = uint64(19850818)
		mk("nik-inconsistent-birth-date", "birth date 1985-08-18, the NIK says 17-08-85", presOf(signCred(w.jakarta, marshal(m))), verify.ReasonNIKInconsistent)
		wt := w.issue(w.bandung, w.woman, credential.ProfileTravel, defaultCred())
		m = credMap(wt)
		m[-3].(map[any]any)[int64(5)] = uint64(1)
		out = append(out, w.vector("nik-inconsistent-sex", "a woman's NIK (day + 40) with sex male", polShare).std().
			scan(RefTime, forgePresentation(w.woman.device, signCred(w.bandung, marshal(m))[1:], RefTime, 60, defaultNonce, ""), refused(verify.ReasonNIKInconsistent)))
		m = credMap(travel)
		m[-3].(map[any]any)[int64(4)] = uint64(19850818)
		m[-3].(map[any]any)[int64(5)] = uint64(9)
		mk("malformed-invalid-sex-beside-nik-mismatch", "sex 9 and a birth date the NIK contradicts: value checks come first", presOf(signCred(w.jakarta, marshal(m))), verify.ReasonMalformed)
		m = credMap(travel)
		delete(m[-3].(map[any]any), int64(5))
		mk("malformed-profile-claim-missing", "a travel profile without its sex claim", presOf(signCred(w.jakarta, marshal(m))), verify.ReasonMalformed)
		m = credMap(cred)
		m[-3].(map[any]any)[int64(6)] = uint64(4)
		mk("malformed-claim-outside-profile", "a KAI profile carrying a blood type", presOf(signCred(w.jakarta, marshal(m))), verify.ReasonMalformed)
	}
	return out
}

func timeCases(w *world) []*vb {
	var out []*vb
	add := func(id, comment string, pol Policy, now time.Time, h *holder, is *issuer, cred []byte, po presentOpts, r verify.Reason) {
		if po.ttl == 0 {
			po.ttl = time.Minute
		}
		pres := w.present(h, cred, po)
		e := refused(r)
		if r == 0 {
			e = accepted(is, cred, pol, po.audience)
		}
		out = append(out, w.vector(id, comment, pol, "window_edge").std().scan(now, pres, e))
	}
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	// Presentation lifetime: live for iat - skew <= now <= iat + ttl + skew.
	add("presentation-expired-edge-accepted", "now = iat + ttl + skew (60 + 30 s): still live", polAirline, RefTime.Add(90*time.Second), w.man, w.jakarta, w.issue(w.jakarta, w.man, credential.ProfileTravel, defaultCred()), presentOpts{iat: RefTime, audience: verify.AudienceAirline}, 0)
	add("presentation-expired-one-second-after", "now = iat + ttl + skew + 1: expired", polAirline, RefTime.Add(91*time.Second), w.man, w.jakarta, w.issue(w.jakarta, w.man, credential.ProfileTravel, defaultCred()), presentOpts{iat: RefTime, audience: verify.AudienceAirline}, verify.ReasonPresentationExpired)
	add("presentation-from-future-edge-accepted", "iat = now + skew (120 s): accepted", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime.Add(120 * time.Second)}, 0)
	add("presentation-from-future-one-second", "iat = now + skew + 1", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime.Add(121 * time.Second)}, verify.ReasonPresentationFromFuture)
	add("presentation-from-future-at-clock-wrong-after", "iat = now + clock_wrong_after (600 s): still from the future", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime.Add(600 * time.Second)}, verify.ReasonPresentationFromFuture)
	add("clock-wrong-far-ahead", "iat = now + 601 s: the phone's clock is wrong", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime.Add(601 * time.Second)}, verify.ReasonClockWrong)
	c := defaultCred()
	add("clock-wrong-before-credential", "the code predates its credential by more than the skew", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: c.iat.Add(-121 * time.Second), ttl: time.Hour}, verify.ReasonClockWrong)
	add("clock-before-credential-within-skew", "the code predates its credential by exactly the skew", polShare, c.iat, w.man, w.jakarta, kai, presentOpts{iat: c.iat.Add(-120 * time.Second)}, 0)
	add("lifetime-too-long-share-code-at-gate", "a 5-minute share code at a KAI gate (60 s)", polKAI, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime, ttl: 5 * time.Minute, audience: verify.AudienceKAI}, verify.ReasonLifetimeTooLong)
	add("lifetime-at-maximum-accepted", "a 1-hour share code at the share receiver (3600 s)", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime, ttl: time.Hour}, 0)
	add("lifetime-one-second-over", "ttl 3601 s at the share receiver", polShare, RefTime, w.man, w.jakarta, kai, presentOpts{iat: RefTime, ttl: time.Hour + time.Second}, verify.ReasonLifetimeTooLong)
	// Credential window: not before iat - skew, not at or after exp.
	o := credentialOpts{iat: RefTime.Add(time.Hour), exp: at(300 * day), index: 100}
	future := w.issue(w.jakarta, w.man, credential.ProfileKAI, o)
	add("credential-not-yet-valid", "credential iat = now + skew + 1", polShare, o.iat.Add(-121*time.Second), w.man, w.jakarta, future, presentOpts{iat: o.iat}, verify.ReasonCredentialNotYetValid)
	add("credential-not-yet-valid-edge-accepted", "credential iat = now + skew", polShare, o.iat.Add(-120*time.Second), w.man, w.jakarta, future, presentOpts{iat: o.iat.Add(-120 * time.Second)}, 0)
	o = credentialOpts{iat: at(-30 * day), exp: RefTime.Add(time.Hour), index: 100}
	ending := w.issue(w.jakarta, w.man, credential.ProfileKAI, o)
	add("credential-expired-at-exp", "now = the credential's exp: expired", polShare, o.exp, w.man, w.jakarta, ending, presentOpts{iat: o.exp}, verify.ReasonCredentialExpired)
	add("credential-valid-one-second-before-exp", "now = exp - 1", polShare, o.exp.Add(-time.Second), w.man, w.jakarta, ending, presentOpts{iat: o.exp.Add(-time.Second)}, 0)
	return out
}

func statusCases(w *world) []*vb {
	var out []*vb
	base := func(id, comment string, pol Policy, features ...string) *vb {
		return w.vector(id, comment, pol, features...).trust(RefTime, w.trust1(), "")
	}
	for _, a := range []struct {
		name string
		is   *issuer
		h    *holder
	}{{"es256", w.jakarta, w.man}, {"eddsa", w.bandung, w.woman}} {
		for _, st := range []struct {
			index uint32
			r     verify.Reason
		}{{7, verify.ReasonRevoked}, {8, verify.ReasonSuspended}} {
			o := defaultCred()
			o.index = st.index
			cred := w.issue(a.is, a.h, credential.ProfileKAI, o)
			out = append(out, w.vector(fmt.Sprintf("status-%s-%s", st.r.String(), a.name), fmt.Sprintf("status entry %d is %s", st.index, st.r.String()), polShare).std().
				scan(RefTime, w.live(a.h, cred, ""), refused(st.r)))
		}
	}
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	pres := w.live(w.man, kai, "")
	sl := w.statusList(w.jakarta, defaultStatus())
	out = append(out, base("status-unknown-no-list", "no status list held for the issuer", polShare).
		scan(RefTime, pres, refused(verify.ReasonStatusUnknown)))
	warn := polShare
	warn.Name = "share-receiver-warn"
	warn.WarnOnStaleStatus = true
	out = append(out, base("status-unknown-warning", "no list, but the policy warns instead of refusing", warn).
		scan(RefTime, pres, accepted(w.jakarta, kai, warn, "", verify.ReasonStatusUnknown)))
	{
		// Revoked from a stale list is still revoked.
		o := defaultStatus()
		o.iat, o.exp = at(-10*day), time.Time{}
		old := w.statusList(w.jakarta, o)
		rc := defaultCred()
		rc.index = 7
		revoked := w.issue(w.jakarta, w.man, credential.ProfileKAI, rc)
		out = append(out, base("status-stale-list-still-revokes", "a ten-day-old list that says revoked: revoked, not stale", warn).
			status(RefTime, old, 0).scan(RefTime, w.live(w.man, revoked, ""), refused(verify.ReasonRevoked)))
		out = append(out, base("status-stale-max-age", "a list ten days old against a 7-day status_max_age", polShare, "window_edge").
			status(RefTime, old, 0).scan(RefTime, pres, refused(verify.ReasonStatusStale)))
		out = append(out, base("status-stale-warning", "a stale list under a warning policy", warn).
			status(RefTime, old, 0).scan(RefTime, pres, accepted(w.jakarta, kai, warn, "", verify.ReasonStatusStale)))
		o.iat = RefTime.Add(-week)
		edge := w.statusList(w.jakarta, o)
		out = append(out, base("status-max-age-edge-accepted", "a list exactly 7 days old", polShare, "window_edge").
			status(RefTime, edge, 0).scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
		o.iat = RefTime.Add(-week - time.Second)
		over := w.statusList(w.jakarta, o)
		out = append(out, base("status-max-age-one-second-over", "a list 7 days and 1 s old", polShare, "window_edge").
			status(RefTime, over, 0).scan(RefTime, pres, refused(verify.ReasonStatusStale)))
	}
	{
		o := defaultStatus()
		o.exp = RefTime.Add(time.Hour)
		exp := w.statusList(w.jakarta, o)
		late := w.present(w.man, kai, presentOpts{iat: o.exp})
		out = append(out, base("status-exp-instant-is-stale", "now = the list's exp", polShare, "window_edge").
			status(RefTime, exp, 0).scan(o.exp, late, refused(verify.ReasonStatusStale)))
		early := w.present(w.man, kai, presentOpts{iat: o.exp.Add(-time.Second)})
		out = append(out, base("status-exp-one-second-before", "now = the list's exp - 1", polShare, "window_edge").
			status(RefTime, exp, 0).scan(o.exp.Add(-time.Second), early, accepted(w.jakarta, kai, polShare, "")))
		o.ttl = 0
		o.exp = time.Time{}
		noexp := w.statusList(w.jakarta, o)
		out = append(out, base("status-no-exp-no-ttl", "a list with neither exp nor ttl, an hour old", polShare).
			status(RefTime, noexp, 0).scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
		o = defaultStatus()
		o.ttl = time.Second
		shortTTL := w.statusList(w.jakarta, o)
		out = append(out, base("status-ttl-does-not-change-verdict", "a list whose ttl (1 s) passed an hour ago: ttl is a refresh hint", polShare).
			status(RefTime, shortTTL, 0).scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
	}
	{
		o := defaultCred()
		o.index = 4096
		past := w.issue(w.jakarta, w.man, credential.ProfileKAI, o)
		out = append(out, base("status-invalid-index-past-end", "index 4096 in a list of 4096 entries, even under a warning policy", warn).
			status(RefTime, sl, 0).scan(RefTime, w.live(w.man, past, ""), refused(verify.ReasonStatusInvalid)))
	}
	{
		o := defaultStatus()
		o.set = map[uint32]status.Status{7: status.StatusRevoked, 8: status.StatusSuspended, 9: status.Status(3)}
		three := w.statusList(w.jakarta, o)
		c := defaultCred()
		c.index = 9
		cred := w.issue(w.jakarta, w.man, credential.ProfileKAI, c)
		out = append(out, base("status-invalid-undefined-value-3", "status value 3, which ikd does not define, even under a warning policy", warn).
			status(RefTime, three, 0).scan(RefTime, w.live(w.man, cred, ""), refused(verify.ReasonStatusInvalid)))
	}
	// Adding status lists.
	{
		o := defaultStatus()
		o.iat = RefTime.Add(-2 * time.Hour)
		older := w.statusList(w.jakarta, o)
		o.iat = RefTime.Add(-time.Hour)
		o.set = map[uint32]status.Status{7: status.StatusRevoked, 8: status.StatusSuspended, 100: status.StatusRevoked}
		conflict := w.statusList(w.jakarta, o)
		out = append(out, base("status-rollback-older-list", "an older list after a newer one is refused; the newer stays", polShare).
			status(RefTime, sl, 0).status(RefTime, older, verify.ReasonStatusRollback).scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
		out = append(out, base("status-rollback-same-second-other-content", "a list of the same iat with other entries is refused", polShare).
			status(RefTime, sl, 0).status(RefTime, conflict, verify.ReasonStatusRollback).status(RefTime, sl, 0).scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
		out = append(out, base("status-newer-list-revokes", "a newer list revoking index 100 replaces the held one", polShare).
			status(RefTime, older, 0).status(RefTime, conflict, 0).scan(RefTime, pres, refused(verify.ReasonRevoked)))
		o = defaultStatus()
		o.iat, o.exp = RefTime.Add(5*time.Minute+time.Second), at(day)
		fut := w.statusList(w.jakarta, o)
		out = append(out, base("status-invalid-list-from-future", "a list dated 301 s ahead of the scanner's clock", polShare, "window_edge").
			status(RefTime, fut, verify.ReasonStatusInvalid).scan(RefTime, pres, refused(verify.ReasonStatusUnknown)))
		o.iat = RefTime.Add(5 * time.Minute)
		edge := w.statusList(w.jakarta, o)
		out = append(out, base("status-list-300s-ahead-accepted", "a list dated exactly 300 s ahead", polShare, "window_edge").
			status(RefTime, edge, 0).scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
	}
	{
		out = append(out, base("status-list-malformed", "bytes that are not a status list token", polShare).
			status(RefTime, hex.EncodeToString(kai), verify.ReasonMalformed))
		out = append(out, base("status-list-unknown-issuer", "a status list signed by a key no trust list holds", polShare).
			status(RefTime, w.statusList(w.rogue, defaultStatus()), verify.ReasonUnknownIssuer))
		liar := newIssuer("3273", "", w.jakarta.signer)
		out = append(out, base("status-list-names-another-issuer", "Jakarta's key signs a list named for Bandung: both candidates (3171, 3172) refuse", polShare, "kid_collision").
			status(RefTime, w.statusList(liar, defaultStatus()), verify.ReasonUnknownIssuer))
		out = append(out, base("status-list-key-not-valid", "a list signed by a retired key", polShare).
			status(RefTime, w.statusList(w.selatan, defaultStatus()), verify.ReasonKeyNotValid))
		jkt := defaultStatus()
		out = append(out, base("status-list-of-shared-key-for-second-issuer", "the shared key signs 3172's list; its credential is checked against it", polShare, "kid_collision").
			status(RefTime, w.statusList(w.jakut, jkt), 0).
			scan(RefTime, w.live(w.man, w.issue(w.jakut, w.man, credential.ProfileKAI, credentialOpts{iat: at(-30 * day), exp: at(335 * day), index: 7}), ""), refused(verify.ReasonRevoked)))
		tok, _ := hex.DecodeString(sl)
		bad := append([]byte{}, tok...)
		bad[len(bad)-1] ^= 0x01
		out = append(out, base("status-list-bad-signature", "a list whose signature's last byte is changed", polShare).
			status(RefTime, hex.EncodeToString(bad), verify.ReasonBadIssuerSignature))
	}
	return out
}

func policyCases(w *world) []*vb {
	var out []*vb
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	travel := w.issue(w.jakarta, w.man, credential.ProfileTravel, defaultCred())
	mk := func(id, comment string, pol Policy, pres []byte, r verify.Reason) {
		out = append(out, w.vector(id, comment, pol).std().scan(RefTime, pres, refused(r)))
	}
	mk("policy-unmet-kai-profile-at-airline", "a KAI profile lacks the birth date an airline requires", polAirline, w.live(w.man, kai, verify.AudienceAirline), verify.ReasonPolicyUnmet)
	child := w.issue(w.jakarta, w.child, credential.ProfileAge, defaultCred())
	mk("policy-unmet-under-17", "an age profile saying over_17 = false", polAge, w.live(w.child, child, ""), verify.ReasonPolicyUnmet)
	strict := polKAI
	strict.Name = "kai-gate-refuse-extra"
	strict.RefuseExtraClaims = true
	mk("policy-unmet-refuse-extra-claims", "a travel profile at a gate that refuses extra claims", strict, w.live(w.man, travel, verify.AudienceKAI), verify.ReasonPolicyUnmet)
	mk("wrong-audience-kai-code-at-airline", "a code made for KAI shown at an airline desk", polAirline, w.live(w.man, travel, verify.AudienceKAI), verify.ReasonWrongAudience)
	mk("wrong-audience-case-differs", "a code made for kai (lower case) at a gate for KAI: audiences are compared byte for byte", polKAI, w.live(w.man, kai, "kai"), verify.ReasonWrongAudience)
	mk("wrong-audience-none-named", "no audience at a desk that requires one", polAirline, w.live(w.man, travel, ""), verify.ReasonWrongAudience)
	// AIRLINE and KAI name live verifiers: a share policy that lists no
	// audience refuses a code made for them, live or not, whatever it
	// discloses (issue 19); any other audience it accepts.
	mk("wrong-audience-kai-code-at-share-receiver", "a live code made for KAI forwarded to a share receiver", polShare, w.live(w.man, kai, verify.AudienceKAI), verify.ReasonWrongAudience)
	mk("wrong-audience-airline-share-code-at-share-receiver", "a 5-minute share code naming AIRLINE at a share receiver", polShare, w.present(w.man, travel, presentOpts{iat: RefTime, ttl: 5 * time.Minute, audience: verify.AudienceAirline}), verify.ReasonWrongAudience)
	mk("wrong-audience-kai-code-at-bank-kyc", "a live code made for KAI at a share policy with more allowed claims", polKYC(), w.live(w.man, kai, verify.AudienceKAI), verify.ReasonWrongAudience)
	bankPres := w.present(w.man, kai, presentOpts{iat: RefTime, ttl: time.Hour, audience: "BANK-KYC"})
	out = append(out, w.vector("accept-share-own-audience", "a share receiver listing no audience accepts a code naming one that is not a live verifier's", polShare, "share_mode").
		std().scan(RefTime, bankPres, accepted(w.jakarta, kai, polShare, "BANK-KYC")))
	mk("ticket-mismatch-name", "the ticket is booked for another person", polKAITicket("SITI RAHMAWATI", ""), w.live(w.man, kai, verify.AudienceKAI), verify.ReasonTicketMismatch)
	mk("ticket-mismatch-nik", "the ticket's NIK differs in one digit", polKAITicket("BUDI SANTOSO", "3171011708850004"), w.live(w.man, kai, verify.AudienceKAI), verify.ReasonTicketMismatch)
	mk("ticket-mismatch-surname-first", "a name with its parts after a comma is not understood", polKAITicket("SANTOSO, BUDI", ""), w.live(w.man, kai, verify.AudienceKAI), verify.ReasonTicketMismatch)
	mk("ticket-mismatch-cyrillic-letter", "a Cyrillic А in the booked name", polKAITicket("BUDI SАNTOSO", ""), w.live(w.man, kai, verify.AudienceKAI), verify.ReasonTicketMismatch)
	pol := polKAITicket("ＢＵＤＩ  santoso", "3171011708850003")
	out = append(out, w.vector("accept-ticket-fullwidth-and-case", "fullwidth letters, lower case and a double space match", pol).std().
		scan(RefTime, w.live(w.man, kai, verify.AudienceKAI), accepted(w.jakarta, kai, pol, verify.AudienceKAI)))
	return out
}

func replayCases(w *world) []*vb {
	kai := w.issue(w.bandung, w.woman, credential.ProfileKAI, defaultCred())
	pres := w.live(w.woman, kai, "")
	second := w.present(w.woman, kai, presentOpts{iat: RefTime.Add(time.Second), nonce: "again"})
	return []*vb{
		w.vector("replayed-same-code-twice", "the same code scanned twice: accepted, then replayed; a fresh code is accepted", polShare).std().
			scan(RefTime, pres, accepted(w.bandung, kai, polShare, "")).
			scan(RefTime.Add(10*time.Second), pres, refused(verify.ReasonReplayed)).
			scan(RefTime.Add(10*time.Second), second, accepted(w.bandung, kai, polShare, "")),
		w.vector("replay-check-failed", "the replay store is unavailable: fail closed", polShare).std().replayUnavailable().
			scan(RefTime, pres, refused(verify.ReasonReplayCheckFailed)),
		w.vector("replay-store-down-fallback", "the shared replay store is unavailable and the policy falls back to the verifier's own memory: accepted with a warning, then replayed from that memory", polFallback).std().replayUnavailable().
			scan(RefTime, pres, accepted(w.bandung, kai, polFallback, "", verify.ReasonReplayCheckedLocally)).
			scan(RefTime.Add(10*time.Second), pres, refused(verify.ReasonReplayed)),
	}
}

func trustListCases(w *world) []*vb {
	var out []*vb
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	pres := w.live(w.man, kai, "")
	l1 := w.trust1()
	// Trust list freshness: next update + 7 days grace, inclusive.
	nu := at(6 * day)
	limit := nu.Add(week)
	noExpStatus := defaultStatus()
	noExpStatus.exp = time.Time{}
	noExpStatus.iat = limit.Add(-time.Hour)
	fresh := w.statusList(w.jakarta, noExpStatus)
	out = append(out, w.vector("trust-list-expired", "now = next_update + grace + 1 s", polShare, "window_edge").
		trust(RefTime, l1, "").status(limit.Add(-time.Hour), fresh, 0).
		scan(limit.Add(time.Second), w.present(w.man, kai, presentOpts{iat: limit.Add(time.Second)}), refused(verify.ReasonTrustListExpired)))
	out = append(out, w.vector("trust-list-grace-edge-accepted", "now = next_update + grace: still accepted", polShare, "window_edge").
		trust(RefTime, l1, "").status(limit.Add(-time.Hour), fresh, 0).
		scan(limit, w.present(w.man, kai, presentOpts{iat: limit}), accepted(w.jakarta, kai, polShare, "")))
	out = append(out, w.vector("trust-list-expired-refuses-status-list", "a status list offered past the trust list's grace", polShare, "window_edge").
		trust(RefTime, l1, "").status(limit.Add(time.Second), fresh, verify.ReasonTrustListExpired))
	out = append(out, w.vector("trust-list-expired-at-update", "a trust list offered past its own next update + grace is refused", polShare, "window_edge").
		trust(limit.Add(time.Second), l1, "expired"))
	// Rotation: list 2, signed by the announced root B, adds an EdDSA key for 3171.
	c2 := w.trustContent(2)
	c2.Issuers[0].Keys = append(c2.Issuers[0].Keys, wide(w.jakarta2))
	c2.NextRoot = nil
	l2 := signTrust(w.rootB, c2)
	newCred := w.issue(w.jakarta2, w.man, credential.ProfileKAI, defaultCred())
	newPres := w.live(w.man, newCred, "")
	jsl := w.statusList(w.jakarta, defaultStatus())
	out = append(out, w.vector("trust-list-rotation-to-announced-root", "list 1 (root A) announces root B; list 2, signed by B, adds a key", polShare, "trust_list_rotation").
		trust(RefTime, l1, "").status(RefTime, jsl, 0).
		scan(RefTime, newPres, refused(verify.ReasonUnknownIssuer)).
		trust(RefTime, l2, "").
		scan(RefTime, newPres, accepted(w.jakarta, newCred, polShare, "")))
	{
		// A scanner pinned to an Ed25519 root: EdDSA JWS signatures.
		cb := w.trustContent(1)
		cb.NextRoot = nil
		b := w.vector("trust-list-eddsa-root", "a trust list signed by an Ed25519 root (JWS alg EdDSA)", polShare)
		b.v.Root = trimNL(publicJWK(w.rootB.Public()))
		out = append(out, b.trust(RefTime, signTrust(w.rootB, cb), "").status(RefTime, jsl, 0).
			scan(RefTime, pres, accepted(w.jakarta, kai, polShare, "")))
	}
	rogue := signTrust(w.rootC, c2)
	out = append(out, w.vector("trust-list-unannounced-root-refused", "a list signed by a root nobody announced", polShare, "trust_list_rotation").
		trust(RefTime, l1, "").status(RefTime, jsl, 0).trust(RefTime, rogue, "bad_signature").
		scan(RefTime, newPres, refused(verify.ReasonUnknownIssuer)))
	out = append(out, w.vector("trust-list-first-list-by-announced-root-refused", "a fresh scanner pins A: a list signed by B alone is refused", polShare, "trust_list_rotation").
		trust(RefTime, l2, "bad_signature"))
	c3 := w.trustContent(2)
	c3.Issuers = c3.Issuers[:3]
	l3 := signTrust(w.rootA, c3)
	out = append(out, w.vector("trust-list-rollback", "list 1 offered after list 2", polShare).
		trust(RefTime, l1, "").trust(RefTime, l3, "").trust(RefTime, l1, "rollback"))
	c1b := w.trustContent(1)
	c1b.NextUpdate = at(5 * day)
	out = append(out, w.vector("trust-list-same-sequence-other-content", "another list numbered 1", polShare).
		trust(RefTime, l1, "").trust(RefTime, signTrust(w.rootA, c1b), "rollback").trust(RefTime, l1, ""))
	// List 2 withdraws Bandung's key.
	wk := w.issue(w.bandung, w.woman, credential.ProfileKAI, defaultCred())
	wp := w.live(w.woman, wk, "")
	out = append(out, w.vector("trust-list-update-withdraws-key", "list 2 withdraws Bandung's key: its credentials are no longer accepted", polShare).
		std().scan(RefTime, wp, accepted(w.bandung, wk, polShare, "")).
		trust(RefTime, l3, "").
		scan(RefTime, w.present(w.woman, wk, presentOpts{iat: RefTime.Add(time.Second)}), refused(verify.ReasonUnknownIssuer)))
	{
		tampered := []byte(l1)
		i := bytes.LastIndexByte(tampered, '.')
		if tampered[i-2] == 'A' {
			tampered[i-2] = 'B'
		} else {
			tampered[i-2] = 'A'
		}
		out = append(out, w.vector("trust-list-payload-altered", "one payload character of list 1 changed", polShare).
			trust(RefTime, string(tampered), "bad_signature"))
	}
	return out
}

// onCurve reports whether x is the x coordinate of a P-256 point.
func onCurve(x []byte) bool {
	px, _ := elliptic.UnmarshalCompressed(elliptic.P256(), append([]byte{0x02}, x...))
	return px != nil
}

func imageCases(w *world) []*vb {
	kai := w.issue(w.jakarta, w.man, credential.ProfileKAI, defaultCred())
	txt := text(w.live(w.man, kai, ""))
	img, err := qr.Render(txt)
	must(err)
	var good bytes.Buffer
	must(png.Encode(&good, img))
	blank := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range blank.Pix {
		blank.Pix[i] = 0xff
	}
	blank.Set(100, 100, color.Gray{0})
	var empty bytes.Buffer
	must(png.Encode(&empty, blank))
	return []*vb{
		w.vector("image-no-code", "a white picture with no QR code", polShare).std().scanImage(RefTime, empty.Bytes(), refused(verify.ReasonNoCode)),
		w.vector("image-accepted", "a rendered QR code image", polShare).std().scanImage(RefTime, good.Bytes(), accepted(w.jakarta, kai, polShare, "")),
	}
}
