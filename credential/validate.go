package credential

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxText is the longest text claim, in bytes. The longest names printed on
// a KTP are well under this; the cap keeps a credential QR-sized.
const maxText = 120

// Validate checks k as the claims of profile p and returns a
// [*ValidationError] listing every problem, or nil. It checks:
//
//   - that every claim p requires is present ([ErrMissingClaim]) and that
//     no other claim is ([ErrInvalidValue]); [ProfileFull] requires every
//     claim but the nationality (a foreign resident's only) and the
//     over-17 flag (the age profile's only);
//   - that each value is well formed ([ErrInvalidValue]): the NIK passes
//     [ParseNIK], enums are known values, dates exist, text is printable
//     UTF-8 of at most 120 bytes without surrounding space, RT/RW are at
//     most 999, a nationality is an ISO 3166-1 alpha-3 code other than IDN;
//   - that the claims agree with the NIK ([ErrNIKMismatch]): its birth
//     date, its sex and its province against the birth date, sex and
//     address claims (province names compare ignoring case, spaces, dots
//     and a "PROVINSI" prefix);
//   - that the dates are in order and a foreign resident (WNA) has a
//     nationality and a dated validity, a citizen (WNI) no nationality.
//
// The order of the problems is stable, so that a clerk's screen does not
// jump about.
func (k *KTP) Validate(p Profile) error {
	var ps problems
	if k == nil {
		ps.add(0, ErrMissingClaim, "no KTP record (nil)")
		return ps.err()
	}
	if p.Document() != DocumentKTP {
		ps.add(0, ErrInvalidValue, "unknown profile %v", p)
		return ps.err()
	}
	for _, c := range p.required() {
		if !k.Has(c) {
			ps.add(c, ErrMissingClaim, "")
		}
	}
	for _, c := range k.Claims() {
		if !p.allows(c) {
			ps.add(c, ErrInvalidValue, "not in profile %v", p)
		}
	}
	k.checkValues(&ps)
	k.checkConsistency(&ps)
	return ps.err()
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

func checkEnum(ps *problems, c Claim, t *enumTable, v uint8) {
	if v != 0 && !t.valid(v) {
		ps.add(c, ErrInvalidValue, "%s", t.key(v))
	}
}

func checkDate(ps *problems, c Claim, d Date) {
	if !d.isZero() && !d.valid() {
		ps.add(c, ErrInvalidValue, "no such date %04d-%02d-%02d", d.Year, int(d.Month), d.Day)
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
	checkDate(ps, ClaimBirthDate, k.BirthDate)
	checkEnum(ps, ClaimSex, &sexLabels, uint8(k.Sex))
	checkEnum(ps, ClaimBloodType, &bloodTypeLabels, uint8(k.BloodType))
	if a := k.Address; a != nil {
		if *a == (Address{}) {
			ps.add(ClaimAddress, ErrInvalidValue, "empty address")
		} else {
			lines := []string{a.Street, a.Kelurahan, a.Kecamatan, a.Regency, a.Province}
			for _, f := range lines {
				if f == "" {
					ps.add(ClaimAddress, ErrMissingClaim, "address line missing")
					break
				}
			}
			for _, f := range lines {
				checkText(ps, ClaimAddress, f)
			}
			if a.RT > 999 || a.RW > 999 {
				ps.add(ClaimAddress, ErrInvalidValue, "RT/RW %d/%d over 999", a.RT, a.RW)
			}
			if a.PostalCode != "" {
				ps.add(ClaimAddress, ErrInvalidValue, "the e-KTP has no postal code")
			}
		}
	}
	checkEnum(ps, ClaimReligion, &religionLabels, uint8(k.Religion))
	checkEnum(ps, ClaimMaritalStatus, &maritalLabels, uint8(k.MaritalStatus))
	checkText(ps, ClaimOccupation, k.Occupation)
	checkEnum(ps, ClaimCitizenship, &citizenshipLabels, uint8(k.Citizenship))
	if n := k.Nationality; n != "" {
		if len(n) != 3 || strings.IndexFunc(n, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
			ps.add(ClaimNationality, ErrInvalidValue, "%q is not an ISO 3166-1 alpha-3 code", truncate(n))
		} else if n == "IDN" {
			ps.add(ClaimNationality, ErrInvalidValue, "IDN is not a foreign nationality")
		}
	}
	if k.Validity.Lifetime && !k.Validity.Until.isZero() {
		ps.add(ClaimValidity, ErrInvalidValue, "both for life and until a date")
	}
	checkDate(ps, ClaimValidity, k.Validity.Until)
	checkText(ps, ClaimIssuingOffice, k.IssuingOffice)
	checkDate(ps, ClaimIssueDate, k.IssueDate)
}

func (k *KTP) checkConsistency(ps *problems) {
	if k.NIK.wellFormed() {
		nik := k.NIK
		// The messages name what disagrees but never the digits of the NIK.
		if !k.BirthDate.isZero() && !nik.matchesBirthDate(k.BirthDate) {
			ps.add(ClaimBirthDate, ErrNIKMismatch, "the NIK encodes another birth date")
		}
		if sexLabels.valid(uint8(k.Sex)) && nik.sex() != k.Sex {
			ps.add(ClaimSex, ErrNIKMismatch, "the NIK encodes %v, the claim is %v", nik.sex(), k.Sex)
		}
		if k.Address != nil && k.Address.Province != "" {
			if prov, ok := lookupProvince(nik.provinceCode()); ok && !sameName(prov.name, k.Address.Province) {
				ps.add(ClaimAddress, ErrNIKMismatch, "the NIK is from %s (%s), the address is in %s",
					prov.code, prov.name, truncate(k.Address.Province))
			}
		}
	}
	if !k.BirthDate.isZero() && !k.IssueDate.isZero() && k.IssueDate.before(k.BirthDate) {
		ps.add(ClaimIssueDate, ErrInvalidValue, "issued %v before birth %v", k.IssueDate, k.BirthDate)
	}
	if !k.Validity.Lifetime && !k.Validity.Until.isZero() && !k.IssueDate.isZero() && k.Validity.Until.before(k.IssueDate) {
		ps.add(ClaimValidity, ErrInvalidValue, "valid until %v before issue %v", k.Validity.Until, k.IssueDate)
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

// sameName compares two province names ignoring case, spaces, dots and
// hyphens, and the "PROVINSI" prefix ("DKI JAKARTA" = "Dki Jakarta" =
// "Provinsi D.K.I. Jakarta").
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
