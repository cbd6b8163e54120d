package verify

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
)

// Policy is what one kind of verifier requires. It is a plain value: a
// scanner vendor can start from a ready-made one and change fields.
type Policy struct {
	// Name identifies the policy in logs and results.
	Name string
	// RequiredClaims must all be disclosed; a presentation lacking one is
	// refused with ReasonPolicyUnmet. ClaimOver17 is a yes/no claim, and
	// requiring it requires yes: a credential saying the holder is under
	// 17 is refused with ReasonPolicyUnmet too (see [AgeCheck]). They are
	// also what a wallet is asked for: qr.Request{Claims: p.RequiredClaims}
	// picks the smallest profile that carries them (for a policy of
	// several documents, ask once per document with its claims: see
	// [SchoolEnrolment]).
	RequiredClaims []credential.Claim
	// Documents lists the documents accepted; empty accepts the KTP only,
	// so that a policy written before wallets held other documents never
	// takes a Kartu Keluarga for an identity card. A presentation of
	// another document is refused with ReasonPolicyUnmet. RequiredClaims
	// apply to the document shown: a claim of another document is not
	// asked of it, and a document of which the policy requires no claim at
	// all, the KTP included, is refused (fail closed): a policy that lists
	// the KTP, or lists no document, but requires only Kartu Keluarga
	// claims never accepts a KTP code that shows nothing it asked for.
	Documents []credential.Document
	// Profiles, if not empty, lists the disclosure profiles accepted; a
	// presentation of another profile is refused with ReasonPolicyUnmet
	// even when it carries every required claim. A policy that must not
	// see a whole household sets it: SchoolEnrolment accepts kk-school
	// (one child and its parents) and akta-school only, so that a wallet
	// showing kk-full, which lists the siblings and the grandparents too,
	// is refused rather than minimised claim by claim (AllowedClaims
	// minimises claims, not members).
	Profiles []credential.Profile
	// AllowedClaims are claims the verifier may also show, when the
	// presentation carries them, without requiring them. Result.Claims
	// holds the RequiredClaims and AllowedClaims the presentation carries
	// and nothing else: a claim the policy does not name is dropped from
	// the result even when the wallet showed a wider profile (UU PDP
	// 27/2022, data minimisation: a KAI gate that is shown a full profile
	// still sees only a name and a NIK, never a religion or an address).
	AllowedClaims []credential.Claim
	// RefuseExtraClaims refuses, with ReasonPolicyUnmet, a presentation
	// that carries any claim outside RequiredClaims and AllowedClaims,
	// instead of dropping those claims from the result. The ready-made
	// policies leave it false: the code's bytes have reached the scanner
	// either way, so refusing does not undo the disclosure; it only strands
	// a passenger whose wallet showed too much. Set it where a wider
	// profile must be sent back (for example to make wallets under test
	// show the right profile).
	RefuseExtraClaims bool
	// Audiences lists the audience/purpose strings accepted. A
	// presentation naming an audience not listed is rejected with
	// ReasonWrongAudience; one naming none is accepted unless
	// RequireAudience is set. Empty accepts any audience, except that a
	// share policy (MaxLifetime over qr.DefaultLifetime) refuses
	// AudienceAirline and AudienceKAI: they name live verifiers, and a
	// code made for a gate is not a share.
	Audiences []string
	// RequireAudience rejects, with ReasonWrongAudience, presentations
	// that name no audience: a code made for no one in particular could
	// be taken from one kind of verifier to another within its lifetime.
	// AirlineCheckIn and KAIGate set it. An audience costs its length + 1
	// byte of CBOR, 1.5 characters of QR text per byte: "KAI" adds 6
	// characters and takes the KAI code from version 12 to 13 at ECC M
	// (docs/benchmarks.md, "QR size").
	RequireAudience bool
	// MaxLifetime is the longest presentation lifetime accepted: 60 s for a
	// live check, up to an hour for a share-mode receiver.
	MaxLifetime time.Duration
	// ClockSkew is how far the phone's clock may differ from the scanner's
	// without consequence.
	ClockSkew time.Duration
	// ClockWrongAfter: a presentation dated further than this in the future
	// is reported as ReasonClockWrong (a screenshot cannot come from the
	// future, so the phone's clock is wrong) rather than
	// ReasonPresentationFromFuture.
	ClockWrongAfter time.Duration
	// StatusMaxAge is the oldest status list (time since the issuer signed
	// it) accepted for revocation checks; zero means no limit of the
	// policy's own (the list's exp still applies).
	StatusMaxAge time.Duration
	// WarnOnStaleStatus accepts a presentation whose revocation cannot be
	// checked (no status list held, or the held one too old or expired)
	// and lists ReasonStatusUnknown or ReasonStatusStale in
	// Result.Warnings, for places that must keep people moving when the
	// scanner has been offline too long. The default, false, refuses: fail
	// closed. Revoked and suspended credentials are refused either way.
	WarnOnStaleStatus bool
	// WarnOnReplayStoreDown accepts a presentation when the shared replay
	// store set with [WithReplayCache] is down (its error wraps
	// [ErrReplayStoreDown]: it cannot reach its server at all), after
	// checking it against the verifier's own memory of the codes it
	// accepted, and lists ReasonReplayCheckedLocally in Result.Warnings,
	// for places that prefer keeping the queue moving to refusing everyone
	// while the store is down. Any other error of the store (one call
	// timed out, the server refused the command: read-only replica, no
	// permission, wrong password, loading, an unexpected reply) refuses
	// with ReasonReplayCheckFailed under this policy too. The cost: while
	// the store is down a code accepted at one gate can be accepted once
	// more at each other gate (this verifier still refuses what it
	// accepted itself, before or during the outage). The codes accepted
	// during the outage are written to the shared store when it answers
	// again (best effort, in the background, at most 100,000 kept), so
	// that after the outage every gate refuses them. The default, false,
	// refuses with ReasonReplayCheckFailed: fail closed. It changes
	// nothing for a verifier without a shared store, and a full local
	// memory refuses either way.
	WarnOnReplayStoreDown bool
	// Ticket, if set, must match the disclosed name and NIK (KAI gates,
	// airline bookings).
	Ticket *Ticket
	// TrustListGrace is how long past the trust list's next update
	// ([keys.TrustList.NextUpdate]) the verifier still accepts
	// presentations; later, every presentation and status list is refused
	// with ReasonTrustListExpired until a current list is set, whatever
	// gave the verifier the list it holds. The instant NextUpdate +
	// TrustListGrace itself is still accepted, as in keys.ParseTrustList.
	// Zero accepts nothing past the next update. The ready-made policies
	// set 7 days, keys' default grace: scanners at small stations can be
	// offline for days, and a week bounds how long a stale list can miss a
	// key withdrawn in an emergency.
	TrustListGrace time.Duration
}

// defaultTrustListGrace is the ready-made policies' TrustListGrace, the
// same as keys' default grace.
const defaultTrustListGrace = 7 * 24 * time.Hour

// Ticket is what a booking says about its passenger.
type Ticket struct {
	// Name is the passenger name as booked. It is compared with the
	// disclosed name after NFKC normalisation (fullwidth letters,
	// ligatures and no-break spaces are the letters and spaces they stand
	// for): case, spacing, dots, hyphens and apostrophes, leading titles
	// (BPK, IBU, H., HJ., K.H., DR., IR., PROF., MR, MRS…) and known
	// academic degrees after a comma (S.E., S.H., S.Kom., M.M., M.B.A.,
	// Ph.D.…) do not matter, and a mononym booked twice ("SUKARNO
	// SUKARNO", the airline rule for single names) matches the single
	// name. Anything else makes the names differ: letters of another
	// script than Latin (a Cyrillic А is not an A), a diacritic (É is not
	// E), combining marks that do not compose, invisible or control
	// characters, digits, other punctuation, and a comma followed by
	// anything but degrees (a second person's name). The rules are in
	// verify/name.go.
	Name string
	// NIK, if set, must equal the disclosed NIK exactly.
	NIK string
}

// Audiences the ready-made policies accept. A wallet that names one of
// these makes a code that only that kind of verifier accepts.
const (
	AudienceAirline = "AIRLINE"
	AudienceKAI     = "KAI"
)

// AirlineCheckIn is the policy of an airline check-in desk: name, NIK and
// birth date, and the sex when the code carries it (the travel profile
// does; airlines send it ahead with the passenger data), nothing else;
// live presentations only (60 s), 30 s of clock skew, status at most 7
// days old; only codes made for AudienceAirline are accepted (a code that
// names no audience is refused with ReasonWrongAudience).
func AirlineCheckIn() Policy {
	return Policy{
		Name:            "airline-check-in",
		RequiredClaims:  []credential.Claim{credential.ClaimName, credential.ClaimNIK, credential.ClaimBirthDate},
		AllowedClaims:   []credential.Claim{credential.ClaimSex},
		Audiences:       []string{AudienceAirline},
		RequireAudience: true,
		MaxLifetime:     qr.DefaultLifetime,
		ClockSkew:       30 * time.Second,
		ClockWrongAfter: 10 * time.Minute,
		StatusMaxAge:    7 * 24 * time.Hour,
		TrustListGrace:  defaultTrustListGrace,
	}
}

// KAIGate is the policy of a KAI (Kereta Api Indonesia) boarding gate for
// one ticket: name and NIK, matched against the ticket, and nothing else;
// live presentations only; only codes made for AudienceKAI are accepted (a
// code that names no audience is refused with ReasonWrongAudience). The
// zero Ticket checks nothing beyond the claims.
func KAIGate(t Ticket) Policy {
	p := Policy{
		Name:            "kai-gate",
		RequiredClaims:  []credential.Claim{credential.ClaimName, credential.ClaimNIK},
		Audiences:       []string{AudienceKAI},
		RequireAudience: true,
		MaxLifetime:     qr.DefaultLifetime,
		ClockSkew:       30 * time.Second,
		ClockWrongAfter: 10 * time.Minute,
		StatusMaxAge:    7 * 24 * time.Hour,
		TrustListGrace:  defaultTrustListGrace,
	}
	if t != (Ticket{}) {
		p.Ticket = &t
	}
	return p
}

// AgeCheck is the policy of a place that needs to know only that a person
// is 17 or over (the age at which Indonesians get a KTP and may vote), and
// nothing that identifies them: the age profile's over_17 claim, which
// must be true; a credential saying false is refused with
// ReasonPolicyUnmet, as is a code of any other profile (none carries the
// flag). A wallet asked for qr.Request{Claims: AgeCheck().RequiredClaims}
// shows its age profile. The flag is the holder's age on the credential's
// issue date, so a holder who has turned 17 since is refused until the
// issuer signs a new credential: it errs towards refusing. Live
// presentations only (60 s), 30 s of clock skew, status at most 7 days
// old. It names no audience and requires none: age checks have no common
// name, and an age code identifies no one, so taking it elsewhere gains
// nothing an audience could stop.
func AgeCheck() Policy {
	return Policy{
		Name:            "age-check",
		RequiredClaims:  []credential.Claim{credential.ClaimOver17},
		MaxLifetime:     qr.DefaultLifetime,
		ClockSkew:       30 * time.Second,
		ClockWrongAfter: 10 * time.Minute,
		StatusMaxAge:    7 * 24 * time.Hour,
		TrustListGrace:  defaultTrustListGrace,
	}
}

// ShareReceiver is the policy of someone receiving a shared document
// ("Bagikan Dokumen"): name and NIK, share lifetimes up to one hour, any
// audience but the live verifiers' (a code naming AudienceAirline or
// AudienceKAI is refused with ReasonWrongAudience). It
// shows only the name and NIK even when the holder shared a wider profile;
// a receiver with a lawful need for more (a bank's KYC, a hotel's guest
// register) lists those claims in AllowedClaims.
func ShareReceiver() Policy {
	return Policy{
		Name:            "share-receiver",
		RequiredClaims:  []credential.Claim{credential.ClaimName, credential.ClaimNIK},
		MaxLifetime:     qr.ShareOneHour,
		ClockSkew:       2 * time.Minute,
		ClockWrongAfter: 10 * time.Minute,
		StatusMaxAge:    7 * 24 * time.Hour,
		TrustListGrace:  defaultTrustListGrace,
	}
}

// SchoolEnrolment is the policy of a school's receiver when a family
// enrols a child: it accepts the Kartu Keluarga in its kk-school profile
// (the child, the head of the family and the spouse, never the siblings or
// the rest of the household: UU PDP 27/2022, data minimisation) and the
// Akta Kelahiran in its akta-school profile (each a presentation of its
// own), and nothing else: kk-full, kk-members, akta-full and any KTP are
// refused with ReasonPolicyUnmet. Of a KK it requires
// the KK number, the head of the family, and the members' names, NIKs,
// relationships and birth dates, and shows the address, sex, place of
// birth and parents' names too: what the kk-school profile carries, the
// child and its parents. Of an Akta it requires the certificate number,
// the child's name, sex, place and date of birth and the mother's name,
// and shows the child's NIK and the father's name: the akta-school
// profile. Share-mode lifetimes up to one hour (the family shares the
// documents with the school's office, which checks them while the family
// waits or soon after); 2 minutes of clock skew. Whether the KK and the
// Akta name the same child is the receiver's check: the child's NIK, name
// and birth date, and the parents' names, must agree (examples/demo does
// it). The wallet is asked once per document, with the policy's required
// claims of that document and the child's NIK as the subject:
// qr.Request{Document: credential.DocumentKK, Claims: (the RequiredClaims
// whose Document is DocumentKK), Subject: child} picks the child's
// kk-school credential.
func SchoolEnrolment() Policy {
	return Policy{
		Name:      "school-enrolment",
		Documents: []credential.Document{credential.DocumentKK, credential.DocumentBirthCertificate},
		Profiles:  []credential.Profile{credential.ProfileKKSchool, credential.ProfileAktaSchool},
		RequiredClaims: []credential.Claim{
			credential.ClaimKKNumber, credential.ClaimKKHead, credential.ClaimMemberName,
			credential.ClaimMemberNIK, credential.ClaimMemberRelationship, credential.ClaimMemberBirthDate,
			credential.ClaimAktaNumber, credential.ClaimAktaChildName, credential.ClaimAktaSex,
			credential.ClaimAktaBirthPlace, credential.ClaimAktaBirthDate, credential.ClaimAktaMother,
		},
		AllowedClaims: []credential.Claim{
			credential.ClaimKKAddress, credential.ClaimMemberSex, credential.ClaimMemberBirthPlace,
			credential.ClaimMemberFather, credential.ClaimMemberMother,
			credential.ClaimAktaChildNIK, credential.ClaimAktaFather,
		},
		MaxLifetime:     qr.ShareOneHour,
		ClockSkew:       2 * time.Minute,
		ClockWrongAfter: 10 * time.Minute,
		StatusMaxAge:    7 * 24 * time.Hour,
		TrustListGrace:  defaultTrustListGrace,
	}
}

// accepts reports whether the policy accepts document d.
func (p *Policy) accepts(d credential.Document) bool {
	if len(p.Documents) == 0 {
		return d == credential.DocumentKTP
	}
	return slices.Contains(p.Documents, d)
}

// unmet returns why cred does not satisfy the policy's requirement of
// claim c, or nil: c must be present and, for the yes/no claim
// ClaimOver17, yes. Presence alone would let a 14-year-old's credential,
// which carries over_17 = false, through an age check.
func unmet(cred *credential.Credential, c credential.Claim) error {
	if !cred.Has(c) {
		return fmt.Errorf("missing %v", c)
	}
	if c == credential.ClaimOver17 && !*cred.Claims.Over17 {
		return errors.New("over_17 is false: the holder is under 17")
	}
	return nil
}

// shows reports whether the policy shows claim c: c is in RequiredClaims
// or AllowedClaims.
func (p *Policy) shows(c credential.Claim) bool {
	return slices.Contains(p.RequiredClaims, c) || slices.Contains(p.AllowedClaims, c)
}

// extraClaim returns a claim k carries that the policy does not show, and
// false if there is none. It asks about every possible Claim value, not
// only those known today, so that a claim added to the schema later is
// never waved through.
func (p *Policy) extraClaim(cred *credential.Credential) (credential.Claim, bool) {
	for c := credential.Claim(1); c != 0; c++ {
		if cred.Has(c) && !p.shows(c) {
			return c, true
		}
	}
	return 0, false
}

// disclose returns the part of k the policy shows: a new KTP holding only
// the claims of RequiredClaims and AllowedClaims, copied one by one, so
// that a claim this function does not know (one added to the schema
// later) is left out rather than let through, and the result shares no
// memory with k.
func (p *Policy) disclose(k *credential.KTP) credential.KTP {
	var out credential.KTP
	for _, cs := range [][]credential.Claim{p.RequiredClaims, p.AllowedClaims} {
		for _, c := range cs {
			copyClaim(&out, k, c)
		}
	}
	return out
}

// discloseKK returns the part of k the policy shows, built claim by claim
// and member field by member field as disclose does, or nil for nil.
// Every member is kept, with only the member claims the policy names; a
// policy that names no member claim gets no members at all.
func (p *Policy) discloseKK(k *credential.KK) *credential.KK {
	if k == nil {
		return nil
	}
	out := &credential.KK{}
	if p.shows(credential.ClaimKKNumber) {
		out.Number = k.Number
	}
	if p.shows(credential.ClaimKKHead) {
		out.Head = k.Head
	}
	if p.shows(credential.ClaimKKAddress) && k.Address != nil {
		a := *k.Address
		out.Address = &a
	}
	if p.shows(credential.ClaimKKIssuingOffice) {
		out.IssuingOffice = k.IssuingOffice
	}
	if p.shows(credential.ClaimKKIssueDate) {
		out.IssueDate = k.IssueDate
	}
	var shown []credential.Claim
	for c := credential.ClaimMemberName; c <= credential.ClaimMemberMother; c++ {
		if p.shows(c) {
			shown = append(shown, c)
		}
	}
	if len(shown) == 0 {
		return out // not even how many members there are
	}
	for _, m := range k.Members {
		var d credential.Member
		for _, c := range shown {
			copyMemberClaim(&d, &m, c)
		}
		out.Members = append(out.Members, d)
	}
	return out
}

func copyMemberClaim(dst, src *credential.Member, c credential.Claim) {
	switch c {
	case credential.ClaimMemberName:
		dst.Name = src.Name
	case credential.ClaimMemberNIK:
		dst.NIK = src.NIK
	case credential.ClaimMemberSex:
		dst.Sex = src.Sex
	case credential.ClaimMemberBirthPlace:
		dst.BirthPlace = src.BirthPlace
	case credential.ClaimMemberBirthDate:
		dst.BirthDate = src.BirthDate
	case credential.ClaimMemberReligion:
		dst.Religion = src.Religion
	case credential.ClaimMemberEducation:
		dst.Education = src.Education
	case credential.ClaimMemberOccupation:
		dst.Occupation = src.Occupation
	case credential.ClaimMemberBloodType:
		dst.BloodType = src.BloodType
	case credential.ClaimMemberMaritalStatus:
		dst.MaritalStatus = src.MaritalStatus
	case credential.ClaimMemberMarriageDate:
		dst.MarriageDate = src.MarriageDate
	case credential.ClaimMemberRelationship:
		dst.Relationship = src.Relationship
	case credential.ClaimMemberCitizenship:
		dst.Citizenship = src.Citizenship
	case credential.ClaimMemberPassport:
		dst.Passport = src.Passport
	case credential.ClaimMemberKITAS:
		dst.KITAS = src.KITAS
	case credential.ClaimMemberFather:
		dst.Father = src.Father
	case credential.ClaimMemberMother:
		dst.Mother = src.Mother
	}
}

// discloseBirth returns the part of b the policy shows, or nil for nil.
func (p *Policy) discloseBirth(b *credential.BirthCertificate) *credential.BirthCertificate {
	if b == nil {
		return nil
	}
	out := &credential.BirthCertificate{}
	for c := credential.ClaimAktaNumber; c <= credential.ClaimAktaIssueDate; c++ {
		if !p.shows(c) {
			continue
		}
		switch c {
		case credential.ClaimAktaNumber:
			out.Number = b.Number
		case credential.ClaimAktaChildNIK:
			out.ChildNIK = b.ChildNIK
		case credential.ClaimAktaChildName:
			out.ChildName = b.ChildName
		case credential.ClaimAktaSex:
			out.Sex = b.Sex
		case credential.ClaimAktaBirthPlace:
			out.BirthPlace = b.BirthPlace
		case credential.ClaimAktaBirthDate:
			out.BirthDate = b.BirthDate
		case credential.ClaimAktaBirthTime:
			out.BirthTime = b.BirthTime
		case credential.ClaimAktaBirthOrder:
			out.BirthOrder = b.BirthOrder
		case credential.ClaimAktaFather:
			out.Father = b.Father
		case credential.ClaimAktaFatherNIK:
			out.FatherNIK = b.FatherNIK
		case credential.ClaimAktaMother:
			out.Mother = b.Mother
		case credential.ClaimAktaMotherNIK:
			out.MotherNIK = b.MotherNIK
		case credential.ClaimAktaIssuingOffice:
			out.IssuingOffice = b.IssuingOffice
		case credential.ClaimAktaIssueDate:
			out.IssueDate = b.IssueDate
		}
	}
	return out
}

func copyClaim(dst, src *credential.KTP, c credential.Claim) {
	switch c {
	case credential.ClaimNIK:
		dst.NIK = src.NIK
	case credential.ClaimName:
		dst.Name = src.Name
	case credential.ClaimBirthPlace:
		dst.BirthPlace = src.BirthPlace
	case credential.ClaimBirthDate:
		dst.BirthDate = src.BirthDate
	case credential.ClaimSex:
		dst.Sex = src.Sex
	case credential.ClaimBloodType:
		dst.BloodType = src.BloodType
	case credential.ClaimAddress:
		if src.Address != nil {
			a := *src.Address
			dst.Address = &a
		}
	case credential.ClaimReligion:
		dst.Religion = src.Religion
	case credential.ClaimMaritalStatus:
		dst.MaritalStatus = src.MaritalStatus
	case credential.ClaimOccupation:
		dst.Occupation = src.Occupation
	case credential.ClaimCitizenship:
		dst.Citizenship = src.Citizenship
	case credential.ClaimNationality:
		dst.Nationality = src.Nationality
	case credential.ClaimValidity:
		dst.Validity = src.Validity
	case credential.ClaimIssuingOffice:
		dst.IssuingOffice = src.IssuingOffice
	case credential.ClaimIssueDate:
		dst.IssueDate = src.IssueDate
	case credential.ClaimOver17:
		if src.Over17 != nil {
			o := *src.Over17
			dst.Over17 = &o
		}
	}
}

// match reports whether claims fit the ticket.
func (t *Ticket) match(k *credential.KTP) bool {
	if t.NIK != "" && t.NIK != string(k.NIK) {
		return false
	}
	if t.Name != "" && !sameName(t.Name, k.Name) {
		return false
	}
	return true
}
