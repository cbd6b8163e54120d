package credential

import (
	"fmt"
	"slices"
	"time"
)

// The KK number's reasons. Each wraps [ErrInvalidValue] and, like the
// NIK's, never repeats the digits.
var (
	errKKLength   = fmt.Errorf("%w: KK number is not 16 ASCII digits", ErrInvalidValue)
	errKKProvince = fmt.Errorf("%w: KK number has an unknown province code", ErrInvalidValue)
	errKKRegion   = fmt.Errorf("%w: KK number has regency or district code 00", ErrInvalidValue)
	errKKDate     = fmt.Errorf("%w: KK number has an impossible registration date", ErrInvalidValue)
	errKKSerial   = fmt.Errorf("%w: KK number has serial number 0000", ErrInvalidValue)
)

// checkKKNumber checks a KK number the way [ParseNIK] checks a NIK: 16
// ASCII digits PPRRDD DDMMYY SSSS, a known province code, regency and
// district codes not 00, a registration date that exists (no 40 is added:
// a family has no sex) and a serial not 0000.
func checkKKNumber(s string) error {
	if len(s) != nikLength {
		return errKKLength
	}
	for i := 0; i < nikLength; i++ {
		if s[i] < '0' || s[i] > '9' {
			return errKKLength
		}
	}
	if _, ok := lookupProvince(s[:2]); !ok {
		return fmt.Errorf("%w %q", errKKProvince, s[:2])
	}
	if (s[2] == '0' && s[3] == '0') || (s[4] == '0' && s[5] == '0') {
		return errKKRegion
	}
	day, month, yy := two(s, 6), two(s, 8), two(s, 10)
	if day < 1 || month < 1 || month > 12 || day > maxDay(time.Month(month), yy) {
		return errKKDate
	}
	if s[12:] == "0000" {
		return errKKSerial
	}
	return nil
}

// Validate checks k as the claims of profile p (a Kartu Keluarga profile)
// and returns a [*ValidationError] listing every problem, or nil. Problems
// with a member's claim carry the member's place ([Problem.Member]). It
// checks, like [KTP.Validate]:
//
//   - that every claim p requires is present, for the card and for each
//     member it lists ([ErrMissingClaim]), and no other claim is
//     ([ErrInvalidValue]);
//   - each value's shape: the KK number like a NIK (region code, a
//     registration date that exists, serial), each member's NIK, enums,
//     dates, text, a postal code of five digits, at most 24 members, no
//     NIK twice;
//   - each member's NIK against their birth date and sex
//     ([ErrNIKMismatch]), and the KK number's province against the
//     address's;
//   - the household: exactly one head of the family
//     ([RelationshipKepalaKeluarga]), whose name is Head; a husband
//     ([RelationshipSuami]) only beside a female head and at most one; wives
//     ([RelationshipIstri], up to four: polygamous marriages are recorded,
//     Kompilasi Hukum Islam Art. 55) only beside a male head; never a
//     husband and a wife; the spouses and a head with a spouse married;
//     children and grandchildren born after the head, parents and
//     parents-in-law before; a marriage date only for someone ever
//     married, after their birth; passport and KITAS/KITAP numbers for
//     foreign members (WNA) and only for them.
//
// [ProfileKKSchool] lists one child and its parents instead of the
// household: it is checked to have one [RelationshipAnak] member first,
// with the child's columns, then the head and at most one spouse with
// their name, NIK and relationship and no other claim, the spouse's sex
// (from the NIK) the opposite of the head's. Past 24 members nothing else
// is checked.
func (k *KK) Validate(p Profile) error {
	var ps problems
	if k == nil {
		ps.add(0, ErrMissingClaim, "no Kartu Keluarga record (nil)")
		return ps.err()
	}
	if p.Document() != DocumentKK {
		ps.add(0, ErrInvalidValue, "profile %v is not a Kartu Keluarga profile", p)
		return ps.err()
	}
	if len(k.Members) > maxMembers {
		// Nothing said about each of 100,000 members helps the clerk,
		// and looking at them costs time: stop here.
		ps.add(ClaimMemberName, ErrInvalidValue, "%d members, more than %d", len(k.Members), maxMembers)
		return ps.err()
	}
	for _, c := range kkRequired[p] {
		if !k.has(c) {
			ps.add(c, ErrMissingClaim, "")
		}
	}
	var extra []Claim
	for _, c := range k.Claims() {
		if !isMemberClaim(c) && !kkAllows(p, c) {
			extra = append(extra, c)
		}
	}
	notInProfile(&ps, -1, p, extra)
	if len(k.Members) == 0 {
		ps.add(ClaimMemberName, ErrMissingClaim, "a Kartu Keluarga lists its members")
	}
	for i := range k.Members {
		m := &k.Members[i]
		req := memberRequired[p]
		allowed := func(c Claim) bool { return kkAllows(p, c) }
		if p == ProfileKKSchool && i > 0 {
			// The school profile shows the child's columns of the
			// child only; of the head and the spouse it shows their
			// name, NIK and relationship, nothing more.
			req = schoolParentClaims
			allowed = func(c Claim) bool { return slices.Contains(schoolParentClaims, c) }
		}
		for _, c := range req {
			if !m.has(c) {
				ps.addMember(i, c, ErrMissingClaim, "")
			}
		}
		extra = extra[:0]
		for c := ClaimMemberName; c <= ClaimMemberMother; c++ {
			if m.has(c) && !allowed(c) {
				extra = append(extra, c)
			}
		}
		notInProfile(&ps, i, p, extra)
		m.check(&ps, i)
	}
	k.checkCard(&ps)
	if p == ProfileKKSchool {
		k.checkSchool(&ps)
	} else {
		k.checkHousehold(&ps)
	}
	return ps.byMember().err()
}

// notInProfile records, as one problem (of member i, or of the card for
// i < 0), the claims that profile p does not carry: a full record checked
// against a small profile gets one line per member, not one per claim.
func notInProfile(ps *problems, i int, p Profile, extra []Claim) {
	if len(extra) == 0 {
		return
	}
	names := extra[0].String()
	for _, c := range extra[1:] {
		names += ", " + c.String()
	}
	word := "claim"
	if len(extra) > 1 {
		word = "claims"
	}
	if i < 0 {
		ps.add(extra[0], ErrInvalidValue, "%s not in profile %v: %s", word, p, names)
		return
	}
	ps.addMember(i, extra[0], ErrInvalidValue, "%s not in profile %v: %s", word, p, names)
}

var (
	kkRequired = map[Profile][]Claim{
		ProfileKKFull:    {ClaimKKNumber, ClaimKKHead, ClaimKKAddress, ClaimKKIssuingOffice, ClaimKKIssueDate},
		ProfileKKMembers: {ClaimKKNumber, ClaimKKHead},
		ProfileKKSchool:  {ClaimKKNumber, ClaimKKHead, ClaimKKAddress},
	}
	memberRequired = map[Profile][]Claim{
		ProfileKKFull: {ClaimMemberName, ClaimMemberNIK, ClaimMemberSex, ClaimMemberBirthPlace,
			ClaimMemberBirthDate, ClaimMemberReligion, ClaimMemberEducation, ClaimMemberOccupation,
			ClaimMemberBloodType, ClaimMemberMaritalStatus, ClaimMemberRelationship,
			ClaimMemberCitizenship, ClaimMemberFather, ClaimMemberMother},
		ProfileKKMembers: {ClaimMemberName, ClaimMemberNIK, ClaimMemberRelationship},
		ProfileKKSchool:  schoolChildClaims,
	}
	// schoolChildClaims are what the school profile shows of the child,
	// schoolParentClaims of the head and the spouse.
	schoolChildClaims = []Claim{ClaimMemberName, ClaimMemberNIK, ClaimMemberSex, ClaimMemberBirthPlace,
		ClaimMemberBirthDate, ClaimMemberRelationship, ClaimMemberFather, ClaimMemberMother}
	schoolParentClaims = []Claim{ClaimMemberName, ClaimMemberNIK, ClaimMemberRelationship}
)

// kkAllows reports whether profile p may carry claim c.
func kkAllows(p Profile, c Claim) bool {
	switch p {
	case ProfileKKFull:
		return c.Document() == DocumentKK
	case ProfileKKMembers:
		return c == ClaimKKNumber || c == ClaimKKHead || c == ClaimMemberName || c == ClaimMemberNIK || c == ClaimMemberRelationship
	case ProfileKKSchool:
		if c == ClaimKKNumber || c == ClaimKKHead || c == ClaimKKAddress {
			return true
		}
		for _, x := range schoolChildClaims {
			if x == c {
				return true
			}
		}
	}
	return false
}

// check checks the values of member i on their own and against the NIK.
func (m *Member) check(ps *problems, i int) {
	if m.NIK != "" {
		if _, err := ParseNIK(string(m.NIK)); err != nil {
			ps.addMember(i, ClaimMemberNIK, err, "")
		}
	}
	for _, f := range []struct {
		c Claim
		s string
	}{
		{ClaimMemberName, m.Name}, {ClaimMemberBirthPlace, m.BirthPlace}, {ClaimMemberPassport, m.Passport},
		{ClaimMemberKITAS, m.KITAS}, {ClaimMemberFather, m.Father}, {ClaimMemberMother, m.Mother},
	} {
		n := len(*ps)
		checkText(ps, f.c, f.s)
		for j := n; j < len(*ps); j++ {
			(*ps)[j].Member = i + 1
		}
	}
	for _, f := range []struct {
		c Claim
		t *enumTable
		v uint8
	}{
		{ClaimMemberSex, &sexLabels, uint8(m.Sex)}, {ClaimMemberReligion, &religionLabels, uint8(m.Religion)},
		{ClaimMemberEducation, &educationLabels, uint8(m.Education)},
		{ClaimMemberOccupation, &occupationLabels, uint8(m.Occupation)},
		{ClaimMemberBloodType, &bloodTypeLabels, uint8(m.BloodType)},
		{ClaimMemberMaritalStatus, &maritalLabels, uint8(m.MaritalStatus)},
		{ClaimMemberRelationship, &relationshipLabels, uint8(m.Relationship)},
		{ClaimMemberCitizenship, &citizenshipLabels, uint8(m.Citizenship)},
	} {
		if f.v != 0 && !f.t.valid(f.v) {
			ps.addMember(i, f.c, ErrInvalidValue, "%s, not one of 1 to %d", f.t.key(f.v), len(f.t.labels)-1)
		}
	}
	for _, f := range []struct {
		c Claim
		d Date
	}{{ClaimMemberBirthDate, m.BirthDate}, {ClaimMemberMarriageDate, m.MarriageDate}} {
		if !f.d.isZero() && !f.d.valid() {
			ps.addMember(i, f.c, ErrInvalidValue, "no such date %04d-%02d-%02d", f.d.Year, int(f.d.Month), f.d.Day)
		}
	}
	if m.NIK.wellFormed() {
		if !m.BirthDate.isZero() && !m.NIK.matchesBirthDate(m.BirthDate) {
			ps.addMember(i, ClaimMemberBirthDate, ErrNIKMismatch, "the NIK encodes another birth date")
		}
		if sexLabels.valid(uint8(m.Sex)) && m.NIK.sex() != m.Sex {
			ps.addMember(i, ClaimMemberSex, ErrNIKMismatch, "the NIK encodes %v, the claim is %v", m.NIK.sex(), m.Sex)
		}
	}
	if !m.MarriageDate.isZero() {
		if m.MaritalStatus == MaritalBelumKawin {
			ps.addMember(i, ClaimMemberMarriageDate, ErrInvalidValue, "a member never married has no marriage date")
		}
		if !m.BirthDate.isZero() && m.BirthDate.ageOn(m.MarriageDate) < minMarriageAge {
			ps.addMember(i, ClaimMemberMarriageDate, ErrInvalidValue, "married %v, before the age of %d (born %v)", m.MarriageDate, minMarriageAge, m.BirthDate)
		}
	}
	switch m.Citizenship {
	case CitizenshipWNA:
		if m.Passport == "" {
			ps.addMember(i, ClaimMemberPassport, ErrMissingClaim, "a foreign member (WNA) has a passport number")
		}
		if m.KITAS == "" {
			ps.addMember(i, ClaimMemberKITAS, ErrMissingClaim, "a foreign member (WNA) has a KITAS/KITAP number")
		}
	case CitizenshipWNI:
		if m.Passport != "" || m.KITAS != "" {
			ps.addMember(i, ClaimMemberKITAS, ErrInvalidValue, "a citizen (WNI) has no passport or KITAS/KITAP number on the KK")
		}
	}
}

// sexOf returns the member's sex: the claim, or what the NIK encodes.
func (m *Member) sexOf() Sex {
	if sexLabels.valid(uint8(m.Sex)) {
		return m.Sex
	}
	return m.NIK.sex()
}

// checkCard checks the card's own claims.
func (k *KK) checkCard(ps *problems) {
	if k.Number != "" {
		if err := checkKKNumber(k.Number); err != nil {
			ps.add(ClaimKKNumber, err, "")
		}
	}
	checkText(ps, ClaimKKHead, k.Head)
	checkText(ps, ClaimKKIssuingOffice, k.IssuingOffice)
	checkDate(ps, ClaimKKIssueDate, k.IssueDate)
	if a := k.Address; a != nil {
		if *a == (Address{}) {
			ps.add(ClaimKKAddress, ErrInvalidValue, "empty address")
		} else {
			lines := []string{a.Street, a.Kelurahan, a.Kecamatan, a.Regency, a.Province}
			for _, f := range lines {
				if f == "" {
					ps.add(ClaimKKAddress, ErrMissingClaim, "address line missing")
					break
				}
			}
			for _, f := range lines {
				checkText(ps, ClaimKKAddress, f)
			}
			if a.RT > 999 || a.RW > 999 {
				ps.add(ClaimKKAddress, ErrInvalidValue, "RT/RW %d/%d over 999", a.RT, a.RW)
			}
			if a.PostalCode != "" && !validPostalCode(a.PostalCode) {
				ps.add(ClaimKKAddress, ErrInvalidValue, "postal code %q is not five digits, 10000 to 99999", truncate(a.PostalCode))
			}
			if checkKKNumber(k.Number) == nil && a.Province != "" {
				if prov, ok := lookupProvince(k.Number[:2]); ok && !sameName(prov.name, a.Province) {
					ps.add(ClaimKKAddress, ErrInvalidValue, "the KK number is from %s (%s), the address is in %s",
						prov.code, prov.name, truncate(a.Province))
				}
			}
		}
	}
	seen := map[NIK]bool{}
	for i := range k.Members {
		n := k.Members[i].NIK
		if n != "" && seen[n] {
			ps.addMember(i, ClaimMemberNIK, ErrInvalidValue, "the same NIK as an earlier member")
		}
		seen[n] = true
		if n != "" && string(n) == k.Number {
			ps.add(ClaimKKNumber, ErrInvalidValue, "the KK number is member %d's NIK", i+1)
		}
	}
	// The card lists what was true on its issue date: no one born or
	// married after it.
	if k.IssueDate.valid() {
		for i := range k.Members {
			m := &k.Members[i]
			if m.BirthDate.valid() && k.IssueDate.before(m.BirthDate) {
				ps.addMember(i, ClaimMemberBirthDate, ErrInvalidValue, "born %v, after the card's issue date %v", m.BirthDate, k.IssueDate)
			}
			if m.MarriageDate.valid() && k.IssueDate.before(m.MarriageDate) {
				ps.addMember(i, ClaimMemberMarriageDate, ErrInvalidValue, "married %v, after the card's issue date %v", m.MarriageDate, k.IssueDate)
			}
			if m.BirthDate.valid() && m.BirthDate.ageOn(k.IssueDate) < minMarriageAge && m.MaritalStatus != 0 && m.MaritalStatus != MaritalBelumKawin {
				ps.addMember(i, ClaimMemberMaritalStatus, ErrInvalidValue, "%v at %d, younger than %d", m.MaritalStatus, m.BirthDate.ageOn(k.IssueDate), minMarriageAge)
			}
		}
	}
}

// checkHousehold checks the relationships of a whole household.
func (k *KK) checkHousehold(ps *problems) {
	head := -1
	var husbands, wives []int
	for i := range k.Members {
		switch k.Members[i].Relationship {
		case RelationshipKepalaKeluarga:
			if head >= 0 {
				ps.addMember(i, ClaimMemberRelationship, ErrInvalidValue, "a second head of the family")
				continue
			}
			head = i
		case RelationshipSuami:
			husbands = append(husbands, i)
		case RelationshipIstri:
			wives = append(wives, i)
		}
	}
	if head < 0 {
		if len(k.Members) > 0 {
			ps.add(ClaimMemberRelationship, ErrMissingClaim, "no head of the family (KEPALA KELUARGA)")
		}
		return
	}
	h := &k.Members[head]
	if k.Head != "" && h.Name != "" && k.Head != h.Name {
		ps.add(ClaimKKHead, ErrInvalidValue, "not the name of the head of the family (member %d)", head+1)
	}
	hs := h.sexOf()
	if len(husbands) > 1 {
		ps.addMember(husbands[1], ClaimMemberRelationship, ErrInvalidValue, "a second husband")
	}
	if len(wives) > 4 {
		ps.addMember(wives[4], ClaimMemberRelationship, ErrInvalidValue, "more than four wives")
	}
	if len(husbands) > 0 && len(wives) > 0 {
		ps.addMember(wives[0], ClaimMemberRelationship, ErrInvalidValue, "a household with both a husband and a wife of the head")
	}
	for _, i := range husbands {
		if s := k.Members[i].sexOf(); s == SexFemale {
			ps.addMember(i, ClaimMemberSex, ErrInvalidValue, "a husband (SUAMI) is male")
		}
		if hs == SexMale {
			ps.addMember(i, ClaimMemberRelationship, ErrInvalidValue, "a male head of the family has no husband")
		}
	}
	for _, i := range wives {
		if s := k.Members[i].sexOf(); s == SexMale {
			ps.addMember(i, ClaimMemberSex, ErrInvalidValue, "a wife (ISTRI) is female")
		}
		if hs == SexFemale {
			ps.addMember(i, ClaimMemberRelationship, ErrInvalidValue, "a female head of the family has no wife")
		}
	}
	spouses := append(append([]int(nil), husbands...), wives...)
	if len(spouses) > 0 {
		if ms := h.MaritalStatus; ms != 0 && ms != MaritalKawin {
			ps.addMember(head, ClaimMemberMaritalStatus, ErrInvalidValue, "the head of the family lives with a spouse and is %v", ms)
		}
	}
	for _, i := range spouses {
		if ms := k.Members[i].MaritalStatus; ms != 0 && ms != MaritalKawin {
			ps.addMember(i, ClaimMemberMaritalStatus, ErrInvalidValue, "a spouse is married, not %v", ms)
		}
	}
	if hb := h.BirthDate; !hb.isZero() {
		for i := range k.Members {
			m := &k.Members[i]
			if m.BirthDate.isZero() {
				continue
			}
			switch m.Relationship {
			case RelationshipAnak:
				if !generationsApart(hb, m.BirthDate, 1) {
					ps.addMember(i, ClaimMemberBirthDate, ErrInvalidValue, "a %v is born at least %d years after the head of the family", m.Relationship, minGeneration)
				}
			case RelationshipCucu:
				if !generationsApart(hb, m.BirthDate, 2) {
					ps.addMember(i, ClaimMemberBirthDate, ErrInvalidValue, "a %v is born at least %d years after the head of the family", m.Relationship, 2*minGeneration)
				}
			case RelationshipOrangTua, RelationshipMertua:
				if !generationsApart(m.BirthDate, hb, 1) {
					ps.addMember(i, ClaimMemberBirthDate, ErrInvalidValue, "a %v is born at least %d years before the head of the family", m.Relationship, minGeneration)
				}
			}
		}
	}
	// A child is checked against the head above and against the spouse
	// who is its other parent here: the spouse it names as its father or
	// mother, or the only spouse.
	for i := range k.Members {
		m := &k.Members[i]
		if m.Relationship != RelationshipAnak || m.BirthDate.isZero() {
			continue
		}
		for _, j := range spouses {
			sp := &k.Members[j]
			if sp.BirthDate.isZero() || (len(spouses) > 1 && sp.Name != m.Father && sp.Name != m.Mother) {
				continue
			}
			if !generationsApart(sp.BirthDate, m.BirthDate, 1) {
				ps.addMember(i, ClaimMemberBirthDate, ErrInvalidValue, "a child is born at least %d years after its parent (member %d)", minGeneration, j+1)
			}
		}
	}
	// One marriage, one date: the head's and the only spouse's agree.
	if len(spouses) == 1 {
		sp := &k.Members[spouses[0]]
		if !h.MarriageDate.isZero() && !sp.MarriageDate.isZero() && h.MarriageDate != sp.MarriageDate {
			ps.addMember(spouses[0], ClaimMemberMarriageDate, ErrInvalidValue, "married %v, the head of the family %v", sp.MarriageDate, h.MarriageDate)
		}
	}
}

// minGeneration is the smallest gap, in years, between the births of a
// parent and a child that Validate accepts: a plausibility floor well below
// any real one, not a legal age (UU 16/2019 sets 19 for marriage), so that
// an entry error (a child dated like its parent, a swapped century) is
// caught without refusing a real household. minMarriageAge is the
// youngest age at marriage accepted, for the same reason.
const (
	minGeneration  = 12
	minMarriageAge = 12
)

// generationsApart reports whether younger is born at least n times
// minGeneration years after older.
func generationsApart(older, younger Date, n int) bool {
	return older.ageOn(younger) >= n*minGeneration
}

// checkSchool checks the school profile's shape: the child, then the head,
// then at most one spouse.
func (k *KK) checkSchool(ps *problems) {
	if len(k.Members) == 0 {
		return
	}
	if k.Members[0].Relationship != RelationshipAnak {
		ps.addMember(0, ClaimMemberRelationship, ErrInvalidValue, "the school profile lists a child (ANAK) first")
	}
	if len(k.Members) < 2 {
		ps.add(ClaimMemberRelationship, ErrMissingClaim, "the school profile lists the head of the family second")
	} else if k.Members[1].Relationship != RelationshipKepalaKeluarga {
		ps.addMember(1, ClaimMemberRelationship, ErrInvalidValue, "the school profile lists the head of the family second")
	} else if k.Head != "" && k.Members[1].Name != "" && k.Members[1].Name != k.Head {
		ps.add(ClaimKKHead, ErrInvalidValue, "not the name of the head of the family (member 2)")
	}
	if len(k.Members) > 3 {
		ps.addMember(3, ClaimMemberName, ErrInvalidValue, "the school profile lists the child and its parents only")
	}
	if len(k.Members) == 3 {
		switch r := k.Members[2].Relationship; r {
		case RelationshipSuami, RelationshipIstri:
			// The sexes come from the NIKs: the school profile carries
			// no sex claim for the parents.
			want, head := SexMale, SexFemale
			if r == RelationshipIstri {
				want, head = SexFemale, SexMale
			}
			if s := k.Members[2].sexOf(); s != 0 && s != want {
				ps.addMember(2, ClaimMemberRelationship, ErrInvalidValue, "a %v is %v, the NIK is a %v's", r, want, s)
			}
			if k.Members[1].Relationship == RelationshipKepalaKeluarga {
				if s := k.Members[1].sexOf(); s != 0 && s != head {
					ps.addMember(2, ClaimMemberRelationship, ErrInvalidValue, "a %v head of the family has no %v", s, r)
				}
			}
		default:
			ps.addMember(2, ClaimMemberRelationship, ErrInvalidValue, "the school profile's third member is the spouse")
		}
	}
}

// Validate checks b as the claims of profile p (an Akta Kelahiran profile)
// and returns a [*ValidationError] listing every problem, or nil: the
// claims p requires ([ErrMissingClaim]; the father's name and every NIK
// are optional: a certificate may name the mother only, and older ones
// carry no NIK) and no others; each value's shape ([ErrInvalidValue]):
// NIKs, dates, text, a birth time "HH:MM" (00:00 to 23:59), a birth order
// of 1 to 30; the child's NIK against the birth date and sex
// ([ErrNIKMismatch]); the father's NIK a man's and the mother's a woman's;
// three different NIKs, each parent's with the parent's name; a parent's
// NIK at least 12 years older than the child (its century is taken as
// 20YY when that allows it, else 19YY); an issue date not before the
// birth; and the certificate number in Dukcapil's form
// "RRRR-LU-DDMMYYYY-NNNN" or "RRRR-LT-DDMMYYYY-NNNN" (regency, registered
// in time or late, registration date not before the birth, serial).
func (b *BirthCertificate) Validate(p Profile) error {
	var ps problems
	if b == nil {
		ps.add(0, ErrMissingClaim, "no Akta Kelahiran record (nil)")
		return ps.err()
	}
	if p.Document() != DocumentBirthCertificate {
		ps.add(0, ErrInvalidValue, "profile %v is not an Akta Kelahiran profile", p)
		return ps.err()
	}
	for _, c := range aktaRequired[p] {
		if !b.has(c) {
			ps.add(c, ErrMissingClaim, "")
		}
	}
	for _, c := range b.Claims() {
		if !aktaAllows(p, c) {
			ps.add(c, ErrInvalidValue, "not in profile %v", p)
		}
	}
	for _, f := range []struct {
		c Claim
		s string
	}{
		{ClaimAktaNumber, b.Number}, {ClaimAktaChildName, b.ChildName}, {ClaimAktaBirthPlace, b.BirthPlace},
		{ClaimAktaFather, b.Father}, {ClaimAktaMother, b.Mother}, {ClaimAktaIssuingOffice, b.IssuingOffice},
	} {
		checkText(&ps, f.c, f.s)
	}
	for _, f := range []struct {
		c   Claim
		n   NIK
		sex Sex
	}{{ClaimAktaChildNIK, b.ChildNIK, 0}, {ClaimAktaFatherNIK, b.FatherNIK, SexMale}, {ClaimAktaMotherNIK, b.MotherNIK, SexFemale}} {
		if f.n == "" {
			continue
		}
		if _, err := ParseNIK(string(f.n)); err != nil {
			ps.add(f.c, err, "")
		} else if f.sex != 0 && f.n.sex() != f.sex {
			ps.add(f.c, ErrNIKMismatch, "the NIK encodes %v", f.n.sex())
		}
	}
	checkEnum(&ps, ClaimAktaSex, &sexLabels, uint8(b.Sex))
	checkDate(&ps, ClaimAktaBirthDate, b.BirthDate)
	checkDate(&ps, ClaimAktaIssueDate, b.IssueDate)
	if b.BirthTime != "" && !validClock(b.BirthTime) {
		ps.add(ClaimAktaBirthTime, ErrInvalidValue, "not a time HH:MM")
	}
	if b.BirthOrder > 30 {
		ps.add(ClaimAktaBirthOrder, ErrInvalidValue, "birth order %d over 30", b.BirthOrder)
	}
	if b.ChildNIK.wellFormed() {
		if !b.BirthDate.isZero() && !b.ChildNIK.matchesBirthDate(b.BirthDate) {
			ps.add(ClaimAktaBirthDate, ErrNIKMismatch, "the NIK encodes another birth date")
		}
		if sexLabels.valid(uint8(b.Sex)) && b.ChildNIK.sex() != b.Sex {
			ps.add(ClaimAktaSex, ErrNIKMismatch, "the NIK encodes %v, the claim is %v", b.ChildNIK.sex(), b.Sex)
		}
	}
	if !b.BirthDate.isZero() && !b.IssueDate.isZero() && b.IssueDate.before(b.BirthDate) {
		ps.add(ClaimAktaIssueDate, ErrInvalidValue, "issued %v before birth %v", b.IssueDate, b.BirthDate)
	}
	if b.Number != "" {
		if err := checkAktaNumber(b.Number, b.BirthDate); err != nil {
			ps.add(ClaimAktaNumber, err, "")
		}
	}
	// Three people, three NIKs; a NIK names someone whose name is given.
	if b.ChildNIK != "" && (b.ChildNIK == b.FatherNIK || b.ChildNIK == b.MotherNIK) {
		ps.add(ClaimAktaChildNIK, ErrInvalidValue, "the child's NIK is a parent's")
	}
	if b.FatherNIK != "" && b.FatherNIK == b.MotherNIK {
		ps.add(ClaimAktaMotherNIK, ErrInvalidValue, "the mother's NIK is the father's")
	}
	if b.FatherNIK != "" && b.Father == "" {
		ps.add(ClaimAktaFather, ErrMissingClaim, "a father's NIK without the father's name")
	}
	if b.MotherNIK != "" && b.Mother == "" {
		ps.add(ClaimAktaMother, ErrMissingClaim, "a mother's NIK without the mother's name")
	}
	// A parent's NIK gives the birth year without its century: the parent
	// is taken as born in 20YY if that is at least minGeneration years
	// before the child, else in 19YY, and must then be at least
	// minGeneration years older than the child.
	if b.BirthDate.valid() {
		for _, f := range []struct {
			c Claim
			n NIK
		}{{ClaimAktaFatherNIK, b.FatherNIK}, {ClaimAktaMotherNIK, b.MotherNIK}} {
			day, month, yy := f.n.birthDay()
			if day == 0 {
				continue
			}
			older := Date{Year: 1900 + yy, Month: month, Day: day}
			if b.BirthDate.Year >= 2000+yy+minGeneration {
				older.Year = 2000 + yy
			}
			if !generationsApart(older, b.BirthDate, 1) {
				ps.add(f.c, ErrInvalidValue, "the parent's NIK gives a birth less than %d years before the child's", minGeneration)
			}
		}
	}
	return ps.err()
}

// checkAktaNumber checks the registration number of an Akta Kelahiran in
// the form Dukcapil's SIAK prints: "RRRR-LU-DDMMYYYY-NNNN" or
// "RRRR-LT-DDMMYYYY-NNNN": the regency code (a known province code and a
// regency code not 00), LU (registered in time) or LT (registered late),
// the registration date, which exists and is not before the birth, and a
// serial not 0000.
func checkAktaNumber(s string, born Date) error {
	bad := fmt.Errorf("%w: not a birth certificate number RRRR-LU-DDMMYYYY-NNNN or RRRR-LT-DDMMYYYY-NNNN", ErrInvalidValue)
	if len(s) != 21 || s[4] != '-' || s[7] != '-' || s[16] != '-' || (s[5:7] != "LT" && s[5:7] != "LU") {
		return bad
	}
	digits := s[:4] + s[8:16] + s[17:]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return bad
		}
	}
	if _, ok := lookupProvince(s[:2]); !ok || s[2:4] == "00" {
		return fmt.Errorf("%w: birth certificate number has an unknown regency code %q", ErrInvalidValue, s[:4])
	}
	reg := Date{Year: two(s, 12)*100 + two(s, 14), Month: time.Month(two(s, 10)), Day: two(s, 8)}
	if !reg.valid() {
		return fmt.Errorf("%w: birth certificate number has an impossible registration date", ErrInvalidValue)
	}
	if born.valid() && reg.before(born) {
		return fmt.Errorf("%w: birth certificate number registered %v, before the birth %v", ErrInvalidValue, reg, born)
	}
	if s[17:] == "0000" {
		return fmt.Errorf("%w: birth certificate number has serial number 0000", ErrInvalidValue)
	}
	return nil
}

var (
	aktaRequired = map[Profile][]Claim{
		ProfileAktaFull: {ClaimAktaNumber, ClaimAktaChildName, ClaimAktaSex, ClaimAktaBirthPlace,
			ClaimAktaBirthDate, ClaimAktaBirthOrder, ClaimAktaMother, ClaimAktaIssuingOffice, ClaimAktaIssueDate},
		ProfileAktaSchool: aktaSchoolRequired,
	}
	aktaSchoolRequired = []Claim{ClaimAktaNumber, ClaimAktaChildName, ClaimAktaSex, ClaimAktaBirthPlace,
		ClaimAktaBirthDate, ClaimAktaMother}
)

// aktaAllows reports whether profile p may carry claim c.
func aktaAllows(p Profile, c Claim) bool {
	switch p {
	case ProfileAktaFull:
		return c.Document() == DocumentBirthCertificate
	case ProfileAktaSchool:
		if c == ClaimAktaChildNIK || c == ClaimAktaFather {
			return true
		}
		for _, x := range aktaSchoolRequired {
			if x == c {
				return true
			}
		}
	}
	return false
}

// validClock reports whether s is "HH:MM", 00:00 to 23:59.
func validClock(s string) bool {
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return two(s, 0) < 24 && two(s, 3) < 60
}
