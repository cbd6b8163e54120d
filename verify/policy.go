package verify

import (
	"strings"
	"time"
	"unicode"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/qr"
)

// Policy is what one kind of verifier requires. It is a plain value: a
// scanner vendor can start from a ready-made one and change fields.
type Policy struct {
	// Name identifies the policy in logs and results.
	Name string
	// RequiredClaims must all be disclosed.
	RequiredClaims []credential.Claim
	// Audiences lists the audience/purpose strings accepted. A
	// presentation naming an audience not listed is rejected with
	// ReasonWrongAudience; one naming none is accepted unless
	// RequireAudience is set.
	Audiences []string
	// RequireAudience rejects presentations that name no audience.
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
	// Name is the passenger name as booked. Compared after normalisation:
	// case, spacing, punctuation and common titles (BPK, IBU, H., HJ., DR.,
	// IR., MR, MRS…) do not matter, academic degrees after a comma are
	// dropped, and a mononym booked twice ("SUKARNO SUKARNO", the airline
	// rule for single names) matches the single name.
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
// birth date, live presentations only (60 s), 30 s of clock skew, status at
// most 7 days old; codes made for another audience than AudienceAirline
// are refused.
func AirlineCheckIn() Policy {
	return Policy{
		Name:            "airline-check-in",
		RequiredClaims:  []credential.Claim{credential.ClaimName, credential.ClaimNIK, credential.ClaimBirthDate},
		Audiences:       []string{AudienceAirline},
		MaxLifetime:     qr.DefaultLifetime,
		ClockSkew:       30 * time.Second,
		ClockWrongAfter: 10 * time.Minute,
		StatusMaxAge:    7 * 24 * time.Hour,
		TrustListGrace:  defaultTrustListGrace,
	}
}

// KAIGate is the policy of a KAI (Kereta Api Indonesia) boarding gate for
// one ticket: name and NIK, matched against the ticket; live presentations
// only. The zero Ticket checks nothing beyond the claims.
func KAIGate(t Ticket) Policy {
	p := Policy{
		Name:            "kai-gate",
		RequiredClaims:  []credential.Claim{credential.ClaimName, credential.ClaimNIK},
		Audiences:       []string{AudienceKAI},
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

// ShareReceiver is the policy of someone receiving a shared document
// ("Bagikan Dokumen"): name and NIK, share lifetimes up to one hour.
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

// titles are honorifics and titles that booking systems and cards add or
// drop before a name.
var titles = map[string]bool{
	"BPK": true, "BAPAK": true, "IBU": true, "SDR": true, "SDRI": true, "TN": true, "NY": true, "NN": true,
	"H": true, "HJ": true, "KH": true, "DR": true, "DRS": true, "DRA": true, "IR": true, "PROF": true,
	"MR": true, "MRS": true, "MS": true, "MSTR": true, "MISS": true,
}

// normalizeName returns the comparable form of a person's name: upper case,
// academic degrees after the first comma dropped, punctuation removed,
// leading titles removed, single spaces, and a repeated mononym folded.
func normalizeName(s string) string {
	if i := strings.IndexByte(s, ','); i >= 0 {
		s = s[:i]
	}
	s = strings.ToUpper(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return r
		case r == '\'' || r == '’' || r == '`':
			return -1 // "MA'RUF" = "MARUF"
		default:
			return ' '
		}
	}, s)
	words := strings.Fields(s)
	for len(words) > 1 && titles[words[0]] {
		words = words[1:]
	}
	if len(words) == 2 && words[0] == words[1] {
		words = words[:1]
	}
	return strings.Join(words, " ")
}

// match reports whether claims fit the ticket.
func (t *Ticket) match(k *credential.KTP) bool {
	if t.NIK != "" && t.NIK != string(k.NIK) {
		return false
	}
	if t.Name != "" && normalizeName(t.Name) != normalizeName(k.Name) {
		return false
	}
	return true
}
