package credential

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors a [Problem] wraps. Use errors.Is on a [*ValidationError] to ask
// whether any of its problems is of that kind.
var (
	// ErrMissingClaim reports a claim the document or profile requires.
	ErrMissingClaim = errors.New("credential: missing claim")
	// ErrInvalidValue reports a claim value outside its allowed set or
	// shape (unknown enum value, control characters, too long).
	ErrInvalidValue = errors.New("credential: invalid claim value")
	// ErrClaimNotInProfile reports a claim that the disclosure profile does
	// not carry: an issuer bug, or an attempt to smuggle claims.
	ErrClaimNotInProfile = errors.New("credential: claim not in profile")
	// ErrNIKBirthDateMismatch reports a NIK whose DDMMYY does not match the
	// birth date claim.
	ErrNIKBirthDateMismatch = errors.New("credential: NIK does not match birth date")
	// ErrNIKSexMismatch reports a NIK whose day field (+40 for women) does
	// not match the sex claim.
	ErrNIKSexMismatch = errors.New("credential: NIK does not match sex")
	// ErrNIKProvinceMismatch reports a NIK whose province code does not
	// match the address's province.
	ErrNIKProvinceMismatch = errors.New("credential: NIK does not match province")
	// ErrInconsistentDates reports dates in the wrong order (issued before
	// birth, valid until before issue).
	ErrInconsistentDates = errors.New("credential: inconsistent dates")
)

// maxText is the longest text claim, in bytes. The longest names printed on
// a KTP are well under this; the cap keeps a credential QR-sized.
const maxText = 120

// Problem is one thing wrong with a set of claims.
type Problem struct {
	// Claim is the claim at fault (for a mismatch, the claim compared
	// against the NIK).
	Claim Claim
	// Err wraps one of the ErrXxx values of this package.
	Err error
}

// Error returns "claim: reason".
func (p Problem) Error() string { return p.Claim.String() + ": " + p.Err.Error() }

// Unwrap returns p.Err.
func (p Problem) Unwrap() error { return p.Err }

// ValidationError lists every problem found in a set of claims, so that an
// issuing clerk can fix a record in one pass.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("credential: invalid claims: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns every problem, so that errors.Is(err, ErrNIKSexMismatch)
// asks whether any problem is a sex mismatch.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

type problems []Problem

func (ps *problems) add(c Claim, err error, format string, args ...any) {
	if format != "" {
		err = fmt.Errorf("%w: "+format, append([]any{err}, args...)...)
	}
	*ps = append(*ps, Problem{Claim: c, Err: err})
}

// required lists the claims a complete (ProfileFull) KTP must have.
var required = []Claim{
	ClaimNIK, ClaimName, ClaimBirthPlace, ClaimBirthDate, ClaimSex, ClaimBloodType, ClaimAddress,
	ClaimReligion, ClaimMaritalStatus, ClaimOccupation, ClaimCitizenship, ClaimValidity,
	ClaimIssuingOffice, ClaimIssueDate,
}

// Validate checks k as the claims of profile p and returns a
// [*ValidationError] listing every problem, or nil. It checks that every
// claim p requires is present and that no other claim is; that each value is
// well formed (enums known, text printable and at most 120 bytes, RT/RW at
// most 999); and that the claims agree with each other: the NIK's birth
// date, sex and province against the birth date, sex and address claims,
// and the dates in order. A foreign resident (WNA) must have a nationality
// and a dated validity.
func (k *KTP) Validate(p Profile) error {
	var ps problems
	if !p.Valid() {
		ps.add(0, ErrInvalidValue, "unknown profile %v", p)
		return &ValidationError{Problems: ps}
	}
	need := p.Claims()
	if p == ProfileFull {
		need = required
	}
	for _, c := range need {
		if !k.Has(c) {
			ps.add(c, ErrMissingClaim, "")
		}
	}
	for _, c := range k.Claims() {
		if !p.Allows(c) {
			ps.add(c, ErrClaimNotInProfile, "profile %v", p)
		}
	}
	k.checkValues(&ps)
	k.checkConsistency(&ps)
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

func checkText(ps *problems, c Claim, s string) {
	if s == "" {
		return
	}
	if len(s) > maxText {
		ps.add(c, ErrInvalidValue, "%d bytes, more than %d", len(s), maxText)
		return
	}
	if !utf8.ValidString(s) {
		ps.add(c, ErrInvalidValue, "not UTF-8")
		return
	}
	if strings.TrimSpace(s) != s {
		ps.add(c, ErrInvalidValue, "leading or trailing space")
		return
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			ps.add(c, ErrInvalidValue, "unprintable character %U", r)
			return
		}
	}
}

func (k *KTP) checkValues(ps *problems) {
	if k.NIK != "" {
		if _, err := ParseNIK(string(k.NIK)); err != nil {
			ps.add(ClaimNIK, err, "")
		}
	}
	checkText(ps, ClaimName, k.Name)
	checkText(ps, ClaimBirthPlace, k.BirthPlace)
	checkText(ps, ClaimOccupation, k.Occupation)
	checkText(ps, ClaimIssuingOffice, k.IssuingOffice)
	if k.Sex != 0 && !k.Sex.Valid() {
		ps.add(ClaimSex, ErrInvalidValue, "%v", k.Sex)
	}
	if k.BloodType != 0 && !k.BloodType.Valid() {
		ps.add(ClaimBloodType, ErrInvalidValue, "%v", k.BloodType)
	}
	if k.Religion != 0 && !k.Religion.Valid() {
		ps.add(ClaimReligion, ErrInvalidValue, "%v", k.Religion)
	}
	if k.MaritalStatus != 0 && !k.MaritalStatus.Valid() {
		ps.add(ClaimMaritalStatus, ErrInvalidValue, "%v", k.MaritalStatus)
	}
	if k.Citizenship != 0 && !k.Citizenship.Valid() {
		ps.add(ClaimCitizenship, ErrInvalidValue, "%v", k.Citizenship)
	}
	if k.Nationality != "" {
		if len(k.Nationality) != 3 || strings.ToUpper(k.Nationality) != k.Nationality ||
			strings.IndexFunc(k.Nationality, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
			ps.add(ClaimNationality, ErrInvalidValue, "%q is not an ISO 3166-1 alpha-3 code", k.Nationality)
		} else if k.Nationality == "IDN" {
			ps.add(ClaimNationality, ErrInvalidValue, "IDN is not a foreign nationality")
		}
	}
	if k.Address != nil && k.Address.IsZero() {
		ps.add(ClaimAddress, ErrInvalidValue, "empty address")
	}
	if a := k.Address; a != nil && !a.IsZero() {
		for _, f := range []string{a.Street, a.Kelurahan, a.Kecamatan, a.Regency, a.Province} {
			if f == "" {
				ps.add(ClaimAddress, ErrMissingClaim, "address line missing")
				break
			}
		}
		for _, f := range []string{a.Street, a.Kelurahan, a.Kecamatan, a.Regency, a.Province} {
			checkText(ps, ClaimAddress, f)
		}
		if a.RT > 999 || a.RW > 999 {
			ps.add(ClaimAddress, ErrInvalidValue, "RT/RW %d/%d over 999", a.RT, a.RW)
		}
	}
}

func (k *KTP) checkConsistency(ps *problems) {
	nik, err := ParseNIK(string(k.NIK))
	nikOK := k.NIK != "" && err == nil
	if nikOK && !k.BirthDate.IsZero() && !nik.MatchesBirthDate(k.BirthDate) {
		d, m, y := nik.BirthDay()
		ps.add(ClaimBirthDate, ErrNIKBirthDateMismatch, "NIK says %02d-%02d-%02d, claim says %v", d, int(m), y, k.BirthDate)
	}
	if nikOK && k.Sex.Valid() && nik.Sex() != k.Sex {
		ps.add(ClaimSex, ErrNIKSexMismatch, "NIK says %v, claim says %v", nik.Sex(), k.Sex)
	}
	if nikOK && k.Address != nil && k.Address.Province != "" {
		if prov, ok := LookupProvince(nik.ProvinceCode()); ok && !sameName(prov.Name, k.Address.Province) {
			ps.add(ClaimAddress, ErrNIKProvinceMismatch, "NIK says %s (%s), address says %s", prov.Code, prov.Name, k.Address.Province)
		}
	}
	if !k.BirthDate.IsZero() && !k.IssueDate.IsZero() && k.IssueDate.Before(k.BirthDate) {
		ps.add(ClaimIssueDate, ErrInconsistentDates, "issued %v before birth %v", k.IssueDate, k.BirthDate)
	}
	if !k.Validity.Lifetime && !k.Validity.Until.IsZero() && !k.IssueDate.IsZero() && k.Validity.Until.Before(k.IssueDate) {
		ps.add(ClaimValidity, ErrInconsistentDates, "valid until %v before issue %v", k.Validity.Until, k.IssueDate)
	}
	switch k.Citizenship {
	case CitizenshipWNA:
		if k.Nationality == "" {
			ps.add(ClaimNationality, ErrMissingClaim, "a foreign resident (WNA) needs a nationality")
		}
		if k.Validity.Lifetime {
			ps.add(ClaimValidity, ErrInvalidValue, "a foreign resident's (WNA) KTP is valid until a date, not for life")
		}
	case CitizenshipWNI:
		if k.Nationality != "" {
			ps.add(ClaimNationality, ErrInvalidValue, "a citizen (WNI) has no foreign nationality")
		}
	}
}

// sameName compares two province names ignoring case, spaces and dots, and
// the "PROVINSI" prefix ("DKI JAKARTA" = "Dki Jakarta" = "Provinsi DKI
// Jakarta").
func sameName(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToUpper(s)
		s = strings.TrimPrefix(strings.TrimSpace(s), "PROVINSI ")
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '.' || r == '-' {
				return -1
			}
			return r
		}, s)
	}
	return norm(a) == norm(b)
}
