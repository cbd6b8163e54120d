package conformance

import (
	"crypto/ecdsa"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/verify"
)

// issueDoc signs a Kartu Keluarga or an Akta Kelahiran (one of kk, b) of
// profile p with is, bound to h's device, and returns the credentials in
// issue order (one per child for kk-school).
func (w *world) issueDoc(is *issuer, h *holder, kk *credential.KK, b *credential.BirthCertificate, p credential.Profile) [][]byte {
	o := defaultCred()
	out, err := is.iss.Issue(&credential.Request{
		KK: kk, BirthCertificate: b,
		DeviceKey: h.device.Public().(*ecdsa.PublicKey),
		Status:    credential.StatusRef{List: 1, Index: o.index},
		IssuedAt:  o.iat, Expiry: o.exp,
		Profiles: []credential.Profile{p},
	})
	must(err)
	var creds [][]byte
	for _, c := range out {
		creds = append(creds, c.Bytes)
	}
	return creds
}

// family is the man's household of n members (testkit.Family).
func family(n int) *credential.KK { k := testkit.Family(n); return &k }

func birth() *credential.BirthCertificate { b := testkit.Birth(); return &b }

var (
	// polSchool is verify.SchoolEnrolment, whose profiles are kk-school
	// and akta-school: never a whole household, nor the full certificate.
	polSchool = policyOf(verify.SchoolEnrolment())
	// polBPJS is a BPJS (health insurance) enrolment desk: the KK's
	// members list, shared for up to an hour.
	polBPJS = func() Policy {
		p := policyOf(verify.ShareReceiver())
		p.Name = "bpjs-enrolment"
		p.Documents = []string{credential.DocumentKK.String()}
		p.RequiredClaims = names(credential.ClaimKKNumber, credential.ClaimKKHead, credential.ClaimMemberName,
			credential.ClaimMemberNIK, credential.ClaimMemberRelationship)
		p.AllowedClaims = []string{}
		return p
	}()
)

func names(cs ...credential.Claim) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

// polAllOf is a share receiver of document d requiring its first claim
// and allowing every other: every claim of the document is shown.
func polAllOf(d credential.Document, first, last credential.Claim) Policy {
	p := policyOf(verify.ShareReceiver())
	p.Name = "registry-" + d.String()
	p.Documents = []string{d.String()}
	p.RequiredClaims = names(first)
	p.AllowedClaims = []string{}
	for c := first + 1; c <= last; c++ {
		if c.Document() == d && c.String() != fmt.Sprintf("Claim(%d)", int(c)) {
			p.AllowedClaims = append(p.AllowedClaims, c.String())
		}
	}
	return p
}

// forgeDoc re-signs cred (as is) with its payload changed by edit, the
// KK or Akta claims map under key doc: what an issuer with a bug, or a
// stolen key, would sign.
func forgeDoc(is *issuer, cred []byte, doc int64, edit func(claims map[any]any, payload map[int64]any)) []byte {
	m := credMap(cred)
	c, _ := m[doc].(map[any]any)
	edit(c, m)
	return signCred(is, marshal(m))
}

// member returns member i (0-based) of a KK claims map.
func member(c map[any]any, i int) map[any]any { return c[int64(6)].([]any)[i].(map[any]any) }

func docCases(w *world) []*vb {
	var out []*vb
	h := w.man
	live := func(cred []byte, aud string) []byte { return w.live(h, cred, aud) }
	share := func(cred []byte) []byte {
		return w.present(h, cred, presentOpts{iat: RefTime, ttl: time.Hour})
	}
	add := func(id, comment string, pol Policy, pres []byte, e Expect, features ...string) {
		out = append(out, w.vector(id, comment, pol, features...).std().scan(RefTime, pres, e))
	}
	// Accepted.
	school6 := w.issueDoc(w.jakarta, h, family(6), nil, credential.ProfileKKSchool)
	ayu := school6[1] // the second child of four
	add("accept-kk-school-at-school", "the kk-school credential of the second of four children at a school: the child, the head and the mother, never the siblings", polSchool,
		live(ayu, ""), accepted(w.jakarta, ayu, polSchool, ""))
	add("accept-kk-school-share-3600s", "a one-hour share code of the first child's kk-school credential at the school's office", polSchool,
		share(school6[0]), accepted(w.jakarta, school6[0], polSchool, ""), "share_mode")
	aktaSchool := w.issueDoc(w.jakarta, h, nil, birth(), credential.ProfileAktaSchool)[0]
	add("accept-akta-school-at-school", "the child's akta-school birth certificate at the school", polSchool,
		live(aktaSchool, ""), accepted(w.jakarta, aktaSchool, polSchool, ""))
	aktaFull := w.issueDoc(w.jakarta, h, nil, birth(), credential.ProfileAktaFull)[0]
	add("policy-unmet-akta-full-at-school", "an akta-full birth certificate at the school: the school takes akta-school only, never the full certificate", polSchool,
		live(aktaFull, ""), refused(verify.ReasonPolicyUnmet))
	polAkta := polAllOf(credential.DocumentBirthCertificate, credential.ClaimAktaNumber, credential.ClaimAktaIssueDate)
	add("accept-akta-full-every-claim", "an akta-full birth certificate at a registry that shows every claim: birth time, birth order, the parents' NIKs", polAkta,
		share(aktaFull), accepted(w.jakarta, aktaFull, polAkta, ""), "share_mode")
	members := w.issueDoc(w.jakarta, h, family(4), nil, credential.ProfileKKMembers)[0]
	add("accept-kk-members-bpjs", "the kk-members credential of a household of four at a BPJS enrolment desk", polBPJS,
		share(members), accepted(w.jakarta, members, polBPJS, ""), "share_mode")
	full3 := w.issueDoc(w.jakarta, h, family(3), nil, credential.ProfileKKFull)[0]
	add("accept-kk-full-bpjs-minimised", "a kk-full credential (three members) at a BPJS desk shows only the members list", polBPJS,
		live(full3, ""), accepted(w.jakarta, full3, polBPJS, ""))
	polKK := polAllOf(credential.DocumentKK, credential.ClaimKKNumber, credential.ClaimMemberMother)
	add("accept-kk-full-every-claim", "a kk-full credential (three members) at a registry that shows every claim: education, occupation, relationship labels", polKK,
		share(full3), accepted(w.jakarta, full3, polKK, ""), "share_mode")
	bandungFull := w.issueDoc(w.bandung, h, family(2), nil, credential.ProfileKKFull)[0]
	add("accept-kk-full-eddsa", "a kk-full credential (two members) signed EdDSA", polKK,
		live(bandungFull, ""), accepted(w.bandung, bandungFull, polKK, ""))

	// Documents a receiver does not accept.
	add("policy-unmet-kk-at-kai-gate", "a KK at a KAI gate, which accepts the KTP only", polKAI,
		live(members, verify.AudienceKAI), refused(verify.ReasonPolicyUnmet))
	add("policy-unmet-kk-at-airline", "a KK at an airline desk, which accepts the KTP only", polAirline,
		live(full3, verify.AudienceAirline), refused(verify.ReasonPolicyUnmet))
	add("policy-unmet-kk-at-share-receiver", "a one-hour share code of a KK at a share receiver, which accepts the KTP only", polShare,
		share(members), refused(verify.ReasonPolicyUnmet), "share_mode")
	ktp := w.issue(w.jakarta, h, credential.ProfileKAI, defaultCred())
	add("policy-unmet-ktp-at-school", "a KTP at the school, which accepts the KK and the Akta only", polSchool,
		live(ktp, ""), refused(verify.ReasonPolicyUnmet))
	add("policy-unmet-kk-full-at-school", "a kk-full credential at the school, which accepts only kk-school of a KK", polSchool,
		live(full3, ""), refused(verify.ReasonPolicyUnmet))
	add("policy-unmet-kk-members-at-school", "a kk-members credential at the school: not kk-school (and it lacks the birth dates)", polSchool,
		live(members, ""), refused(verify.ReasonPolicyUnmet))
	{
		p := polBPJS
		p.Name = "ktp-and-kk-desk"
		p.Documents = []string{credential.DocumentKTP.String(), credential.DocumentKK.String()}
		add("policy-unmet-ktp-where-only-kk-claims-required", "a KTP at a desk accepting the KTP and the KK but requiring only KK claims", p,
			live(ktp, ""), refused(verify.ReasonPolicyUnmet))
	}
	{
		p := polBPJS
		p.Name = "bpjs-with-ticket"
		p.Ticket = &Ticket{Name: "BUDI SANTOSO"}
		add("ticket-mismatch-kk", "a KK at a policy with a ticket: a ticket is matched against a KTP only", p,
			live(members, ""), refused(verify.ReasonTicketMismatch))
		p.Name = "bpjs-with-empty-ticket"
		p.Ticket = &Ticket{}
		add("ticket-mismatch-kk-empty-ticket", "a KK at a policy with an empty ticket: any ticket, even one that checks nothing on a KTP, refuses another document", p,
			live(members, ""), refused(verify.ReasonTicketMismatch))
	}
	{
		p := polBPJS
		p.Name = "kk-claims-documents-unset"
		p.Documents = nil
		add("policy-unmet-kk-documents-unset", "a KK at a policy that requires only KK claims but names no documents: the KTP only", p,
			share(members), refused(verify.ReasonPolicyUnmet), "share_mode")
	}

	// The document key.
	mal := refused(verify.ReasonMalformed)
	fwd := func(cred []byte) []byte { return forgePresentation(h.device, cred, RefTime, 60, defaultNonce, "") }
	add("envelope-kk-profile-under-ktp-key", "a kk-members profile with its claims under -3, the KTP's key", polBPJS,
		fwd(forgeDoc(w.jakarta, members, -4, func(c map[any]any, m map[int64]any) { m[-3] = c; delete(m, -4) })), mal, "envelope")
	add("envelope-ktp-profile-under-kk-key", "a kai profile with its claims under -4, the KK's key", polKAI,
		fwd(forgeDoc(w.jakarta, ktp, -3, func(_ map[any]any, m map[int64]any) { m[-4] = m[-3]; delete(m, -3) })), mal, "envelope")
	add("envelope-akta-profile-under-kk-key", "an akta-school profile with its claims under -4", polSchool,
		fwd(forgeDoc(w.jakarta, aktaSchool, -5, func(c map[any]any, m map[int64]any) { m[-4] = c; delete(m, -5) })), mal, "envelope")
	add("envelope-document-key-unknown", "a kk-members profile with its claims under -6, a document this verifier does not know", polBPJS,
		fwd(forgeDoc(w.jakarta, members, -4, func(c map[any]any, m map[int64]any) { m[-6] = c; delete(m, -4) })), mal, "envelope")
	add("envelope-two-documents", "a kk-members credential that also carries KTP claims under -3", polBPJS,
		fwd(forgeDoc(w.jakarta, members, -4, func(_ map[any]any, m map[int64]any) {
			m[-3] = map[int64]any{1: uint64(3171011708850003), 2: "BUDI SANTOSO"}
		})), mal, "envelope")

	// KK validation.
	add("malformed-kk-two-heads", "a kk-members credential whose wife is also listed as head of the family", polBPJS,
		fwd(forgeDoc(w.jakarta, members, -4, func(c map[any]any, _ map[int64]any) { member(c, 1)[int64(12)] = int64(1) })), mal)
	add("nik-inconsistent-kk-member-birth-date", "a kk-full member whose birth date is not the one the NIK encodes", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { member(c, 2)[int64(5)] = int64(20140722) })),
		refused(verify.ReasonNIKInconsistent))
	add("nik-inconsistent-kk-member-sex", "a kk-full child whose sex is not the one the NIK encodes", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { member(c, 2)[int64(3)] = int64(2) })),
		refused(verify.ReasonNIKInconsistent))
	add("malformed-kk-wife-male-and-nik-sex", "a wife whose sex claim is male: the NIK disagrees (nik_inconsistent) and a wife is female (malformed): malformed", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { member(c, 1)[int64(3)] = int64(1) })), mal)
	add("malformed-kk-number-province-not-address", "a KK number of province 32 with an address in DKI Jakarta", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { c[int64(1)] = int64(3271012003120007) })), mal)
	add("malformed-kk-school-sibling-listed", "a kk-school credential listing a fourth member (a sibling)", polSchool,
		fwd(forgeDoc(w.jakarta, ayu, -4, func(c map[any]any, _ map[int64]any) {
			c[int64(6)] = append(c[int64(6)].([]any), map[any]any{int64(1): "RIZKY PRATAMA SANTOSO", int64(2): int64(3171012107140002), int64(12): int64(4)})
		})), mal)
	add("malformed-kk-school-head-with-birth-date", "a kk-school credential whose head carries a birth date: head and spouse carry only name, NIK and relationship", polSchool,
		fwd(forgeDoc(w.jakarta, ayu, -4, func(c map[any]any, _ map[int64]any) { member(c, 1)[int64(5)] = int64(19850817) })), mal)
	add("malformed-kk-members-member-with-sex", "a kk-members credential whose first member also carries a sex claim: not in the profile", polBPJS,
		fwd(forgeDoc(w.jakarta, members, -4, func(c map[any]any, _ map[int64]any) { member(c, 0)[int64(3)] = int64(1) })), mal)
	add("malformed-kk-postal-code-09999", "a KK address with the postal code 9999 (09999): postal codes run from 10000", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { c[int64(3)].(map[any]any)[int64(8)] = int64(9999) })), mal)
	add("malformed-kk-marriage-date-of-single-member", "a child (BELUM KAWIN) with a marriage date", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { member(c, 2)[int64(11)] = int64(20240101) })), mal)
	add("malformed-kk-foreign-member-without-passport", "a member whose citizenship is WNA, with a KITAS/KITAP number and no passport number", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) {
			member(c, 1)[int64(13)] = int64(2)
			member(c, 1)[int64(15)] = "2C11AB0123456"
		})), mal)
	add("malformed-kk-foreign-member-without-kitas", "a member whose citizenship is WNA, with a passport number and no KITAS/KITAP number", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) {
			member(c, 1)[int64(13)] = int64(2)
			member(c, 1)[int64(14)] = "TZ1234567"
		})), mal)
	add("malformed-kk-citizen-member-with-passport", "a member whose citizenship is WNI, with a passport number", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) { member(c, 1)[int64(14)] = "C1234567" })), mal)
	add("malformed-kk-husband-of-male-head", "a male member, married, listed as the male head's husband (the wife listed as another relative)", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) {
			member(c, 1)[int64(12)] = int64(9)
			member(c, 2)[int64(12)] = int64(2)
			member(c, 2)[int64(10)] = int64(2)
		})), mal)
	add("malformed-kk-child-born-before-head", "a child born in 1984, before the head of the family (1985), its NIK agreeing", polKK,
		fwd(forgeDoc(w.jakarta, full3, -4, func(c map[any]any, _ map[int64]any) {
			member(c, 2)[int64(2)] = int64(3171010101840002)
			member(c, 2)[int64(5)] = int64(19840101)
		})), mal)
	add("malformed-akta-school-with-birth-time", "an akta-school credential that carries the birth time: not in the profile", polSchool,
		fwd(forgeDoc(w.jakarta, aktaSchool, -5, func(c map[any]any, _ map[int64]any) { c[int64(7)] = "08:45" })), mal)
	add("malformed-akta-issued-before-birth", "an akta-full issued the day before the birth", polAkta,
		fwd(forgeDoc(w.jakarta, aktaFull, -5, func(c map[any]any, _ map[int64]any) { c[int64(14)] = int64(20140720) })), mal)
	{
		p := polBPJS
		p.Name = "bpjs-refuse-extra"
		p.RefuseExtraClaims = true
		add("policy-unmet-kk-full-refuse-extra-claims", "a kk-full credential at a BPJS desk that refuses extra claims: the members' other columns are extra", p,
			live(full3, ""), refused(verify.ReasonPolicyUnmet))
		add("accept-kk-members-refuse-extra-claims", "a kk-members credential at a BPJS desk that refuses extra claims: nothing extra", p,
			live(members, ""), accepted(w.jakarta, members, p, ""))
	}
	add("policy-unmet-akta-at-bpjs", "a birth certificate at a desk that accepts the KK only", polBPJS,
		live(aktaSchool, ""), refused(verify.ReasonPolicyUnmet))
	add("malformed-akta-birth-time-24-00", "an akta-full birth time of 24:00", polAkta,
		fwd(forgeDoc(w.jakarta, aktaFull, -5, func(c map[any]any, _ map[int64]any) { c[int64(7)] = "24:00" })), mal)
	add("nik-inconsistent-akta-child-birth-date", "an akta-full whose child's NIK encodes another birth date", polAkta,
		fwd(forgeDoc(w.jakarta, aktaFull, -5, func(c map[any]any, _ map[int64]any) { c[int64(6)] = int64(20140720); c[int64(14)] = int64(20140805) })),
		refused(verify.ReasonNIKInconsistent))
	add("nik-inconsistent-akta-mother-nik-male", "an akta-full whose mother's NIK is a man's", polAkta,
		fwd(forgeDoc(w.jakarta, aktaFull, -5, func(c map[any]any, _ map[int64]any) { c[int64(12)] = int64(3171011708850097) })),
		refused(verify.ReasonNIKInconsistent))
	return out
}
