package credential

import (
	"slices"
	"strconv"
)

// has reports whether claim c is present in k: one of the card's claims,
// or a Member claim that at least one member has.
func (k *KK) has(c Claim) bool {
	if k == nil {
		return false
	}
	switch c {
	case ClaimKKNumber:
		return k.Number != ""
	case ClaimKKHead:
		return k.Head != ""
	case ClaimKKAddress:
		return k.Address != nil && *k.Address != Address{}
	case ClaimKKIssuingOffice:
		return k.IssuingOffice != ""
	case ClaimKKIssueDate:
		return !k.IssueDate.isZero()
	}
	if !isMemberClaim(c) {
		return false
	}
	for i := range k.Members {
		if k.Members[i].has(c) {
			return true
		}
	}
	return false
}

// Claims returns the claims present in k (a card claim, or a member claim
// that at least one member has), in number order; none for a nil k. Both
// kinds have [Claim.Document] kk: the card's claims are ClaimKKNumber to
// ClaimKKIssueDate, shown with [KK.Display]; the member claims
// (ClaimMemberName to ClaimMemberMother) are columns, shown member by
// member with [Member.Display].
func (k *KK) Claims() []Claim {
	var out []Claim
	for c := ClaimKKNumber; c <= ClaimMemberMother; c++ {
		if k.has(c) {
			out = append(out, c)
		}
	}
	return out
}

// has reports whether the member has claim c (a Member claim).
func (m *Member) has(c Claim) bool {
	if m == nil {
		return false
	}
	switch c {
	case ClaimMemberName:
		return m.Name != ""
	case ClaimMemberNIK:
		return m.NIK != ""
	case ClaimMemberSex:
		return m.Sex != 0
	case ClaimMemberBirthPlace:
		return m.BirthPlace != ""
	case ClaimMemberBirthDate:
		return !m.BirthDate.isZero()
	case ClaimMemberReligion:
		return m.Religion != 0
	case ClaimMemberEducation:
		return m.Education != 0
	case ClaimMemberOccupation:
		return m.Occupation != 0
	case ClaimMemberBloodType:
		return m.BloodType != 0
	case ClaimMemberMaritalStatus:
		return m.MaritalStatus != 0
	case ClaimMemberMarriageDate:
		return !m.MarriageDate.isZero()
	case ClaimMemberRelationship:
		return m.Relationship != 0
	case ClaimMemberCitizenship:
		return m.Citizenship != 0
	case ClaimMemberPassport:
		return m.Passport != ""
	case ClaimMemberKITAS:
		return m.KITAS != ""
	case ClaimMemberFather:
		return m.Father != ""
	case ClaimMemberMother:
		return m.Mother != ""
	}
	return false
}

// Display returns the value of claim c of the card (not of a member: see
// [Member.Display]) in Indonesian and in English, or two empty strings if
// k does not have it. Dates are as in [KTP.Display]; the address is one
// line, ending with the postal code.
func (k *KK) Display(c Claim) (indonesian, english string) {
	if isMemberClaim(c) || !k.has(c) {
		return "", ""
	}
	switch c {
	case ClaimKKNumber:
		return k.Number, k.Number
	case ClaimKKHead:
		return k.Head, k.Head
	case ClaimKKAddress:
		s := k.Address.line()
		return s, s
	case ClaimKKIssuingOffice:
		return k.IssuingOffice, k.IssuingOffice
	case ClaimKKIssueDate:
		return displayDate(k.IssueDate)
	}
	return "", ""
}

// Display returns the value of the member's claim c in Indonesian, as the
// Kartu Keluarga prints it, and in English ("ANAK" / "Child", "SLTA/SEDERAJAT"
// / "Senior secondary school or equivalent"), or two empty strings if the
// member does not have it. An enum value that is not in its table shows as
// its String ("Occupation(120)") in both.
func (m *Member) Display(c Claim) (indonesian, english string) {
	if !m.has(c) {
		return "", ""
	}
	switch c {
	case ClaimMemberName:
		return m.Name, m.Name
	case ClaimMemberNIK:
		return string(m.NIK), string(m.NIK)
	case ClaimMemberSex:
		return sexLabels.display(uint8(m.Sex))
	case ClaimMemberBirthPlace:
		return m.BirthPlace, m.BirthPlace
	case ClaimMemberBirthDate:
		return displayDate(m.BirthDate)
	case ClaimMemberReligion:
		return religionLabels.display(uint8(m.Religion))
	case ClaimMemberEducation:
		return educationLabels.display(uint8(m.Education))
	case ClaimMemberOccupation:
		return occupationLabels.display(uint8(m.Occupation))
	case ClaimMemberBloodType:
		return bloodTypeLabels.display(uint8(m.BloodType))
	case ClaimMemberMaritalStatus:
		return maritalLabels.display(uint8(m.MaritalStatus))
	case ClaimMemberMarriageDate:
		return displayDate(m.MarriageDate)
	case ClaimMemberRelationship:
		return relationshipLabels.display(uint8(m.Relationship))
	case ClaimMemberCitizenship:
		return citizenshipLabels.display(uint8(m.Citizenship))
	case ClaimMemberPassport:
		return m.Passport, m.Passport
	case ClaimMemberKITAS:
		return m.KITAS, m.KITAS
	case ClaimMemberFather:
		return m.Father, m.Father
	case ClaimMemberMother:
		return m.Mother, m.Mother
	}
	return "", ""
}

// has reports whether claim c (an Akta claim) is present in b.
func (b *BirthCertificate) has(c Claim) bool {
	if b == nil {
		return false
	}
	switch c {
	case ClaimAktaNumber:
		return b.Number != ""
	case ClaimAktaChildNIK:
		return b.ChildNIK != ""
	case ClaimAktaChildName:
		return b.ChildName != ""
	case ClaimAktaSex:
		return b.Sex != 0
	case ClaimAktaBirthPlace:
		return b.BirthPlace != ""
	case ClaimAktaBirthDate:
		return !b.BirthDate.isZero()
	case ClaimAktaBirthTime:
		return b.BirthTime != ""
	case ClaimAktaBirthOrder:
		return b.BirthOrder != 0
	case ClaimAktaFather:
		return b.Father != ""
	case ClaimAktaFatherNIK:
		return b.FatherNIK != ""
	case ClaimAktaMother:
		return b.Mother != ""
	case ClaimAktaMotherNIK:
		return b.MotherNIK != ""
	case ClaimAktaIssuingOffice:
		return b.IssuingOffice != ""
	case ClaimAktaIssueDate:
		return !b.IssueDate.isZero()
	}
	return false
}

// Claims returns the claims present in b, in number order; none for a nil
// b.
func (b *BirthCertificate) Claims() []Claim {
	var out []Claim
	for c := ClaimAktaNumber; c <= ClaimAktaIssueDate; c++ {
		if b.has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Display returns the value of claim c in Indonesian and in English, or two
// empty strings if b does not have it. The birth order is its number
// ("2"), the birth time as given ("10:30"); the rest as in [KTP.Display].
func (b *BirthCertificate) Display(c Claim) (indonesian, english string) {
	if !b.has(c) {
		return "", ""
	}
	var s string
	switch c {
	case ClaimAktaNumber:
		s = b.Number
	case ClaimAktaChildNIK:
		s = string(b.ChildNIK)
	case ClaimAktaChildName:
		s = b.ChildName
	case ClaimAktaSex:
		return sexLabels.display(uint8(b.Sex))
	case ClaimAktaBirthPlace:
		s = b.BirthPlace
	case ClaimAktaBirthDate:
		return displayDate(b.BirthDate)
	case ClaimAktaBirthTime:
		s = b.BirthTime
	case ClaimAktaBirthOrder:
		s = strconv.Itoa(int(b.BirthOrder))
	case ClaimAktaFather:
		s = b.Father
	case ClaimAktaFatherNIK:
		s = string(b.FatherNIK)
	case ClaimAktaMother:
		s = b.Mother
	case ClaimAktaMotherNIK:
		s = string(b.MotherNIK)
	case ClaimAktaIssuingOffice:
		s = b.IssuingOffice
	case ClaimAktaIssueDate:
		return displayDate(b.IssueDate)
	}
	return s, s
}

// clone returns a deep copy of k.
func (k *KK) clone() *KK {
	if k == nil {
		return nil
	}
	out := *k
	if k.Address != nil {
		a := *k.Address
		out.Address = &a
	}
	out.Members = slices.Clone(k.Members)
	return &out
}

// projectKK returns the credentials profile p makes of a complete k: one
// for ProfileKKFull and ProfileKKMembers, one per child (member with
// [RelationshipAnak], in card order) for ProfileKKSchool.
func projectKK(p Profile, k *KK) []*KK {
	switch p {
	case ProfileKKFull:
		return []*KK{k.clone()}
	case ProfileKKMembers:
		out := &KK{Number: k.Number, Head: k.Head}
		for _, m := range k.Members {
			out.Members = append(out.Members, Member{Name: m.Name, NIK: m.NIK, Relationship: m.Relationship})
		}
		return []*KK{out}
	case ProfileKKSchool:
		head := -1
		for i, m := range k.Members {
			if m.Relationship == RelationshipKepalaKeluarga {
				head = i
				break
			}
		}
		var out []*KK
		for _, c := range k.Members {
			if c.Relationship != RelationshipAnak || head < 0 {
				continue
			}
			one := &KK{Number: k.Number, Head: k.Head}
			if k.Address != nil {
				a := *k.Address
				one.Address = &a
			}
			h := k.Members[head]
			parent := func(m Member) Member {
				return Member{Name: m.Name, NIK: m.NIK, Relationship: m.Relationship}
			}
			one.Members = []Member{{
				Name: c.Name, NIK: c.NIK, Sex: c.Sex, BirthPlace: c.BirthPlace, BirthDate: c.BirthDate,
				Relationship: c.Relationship, Father: c.Father, Mother: c.Mother,
			}, parent(h)}
			// The spouse who is the child's other parent: the one named as
			// its father or mother, else the first spouse.
			spouse := -1
			for i, m := range k.Members {
				if m.Relationship != RelationshipSuami && m.Relationship != RelationshipIstri {
					continue
				}
				if spouse < 0 || m.Name == c.Father || m.Name == c.Mother {
					spouse = i
					if m.Name == c.Father || m.Name == c.Mother {
						break
					}
				}
			}
			if spouse >= 0 {
				one.Members = append(one.Members, parent(k.Members[spouse]))
			}
			out = append(out, one)
		}
		return out
	}
	return nil
}

// projectAkta returns the part of b that profile p carries.
func projectAkta(p Profile, b *BirthCertificate) *BirthCertificate {
	switch p {
	case ProfileAktaFull:
		out := *b
		return &out
	case ProfileAktaSchool:
		return &BirthCertificate{
			Number: b.Number, ChildNIK: b.ChildNIK, ChildName: b.ChildName, Sex: b.Sex,
			BirthPlace: b.BirthPlace, BirthDate: b.BirthDate, Father: b.Father, Mother: b.Mother,
		}
	}
	return nil
}

// Has reports whether the credential carries claim c, of whichever document
// it is: [KTP.Has] or the KK's or Akta's own claims according to its
// profile's document. A claim of another document is never present.
func (c *Credential) Has(cl Claim) bool {
	switch c.Profile.Document() {
	case DocumentKTP:
		return cl.Document() == DocumentKTP && c.Claims.Has(cl)
	case DocumentKK:
		return c.KK != nil && c.KK.has(cl)
	case DocumentBirthCertificate:
		return c.BirthCertificate != nil && c.BirthCertificate.has(cl)
	}
	return false
}

// About reports whether the credential is about the person with NIK nik
// and shows no one else's record: the KTP's holder; the Akta Kelahiran's
// child; for a Kartu Keluarga school profile, its child (the first
// member, shown with the parents it names). The other KK profiles
// (kk-full, kk-members) list the whole household and are about no one in
// particular: About is false for every NIK, so that a wallet asked for
// one person's credential never shows their family's (UU PDP 27/2022,
// data minimisation). The empty NIK is about no one, and so is a nil
// credential.
func (c *Credential) About(nik NIK) bool {
	if c == nil || nik == "" {
		return false
	}
	switch c.Profile {
	case ProfileKKSchool:
		return c.KK != nil && len(c.KK.Members) > 0 && c.KK.Members[0].NIK == nik
	case ProfileKKFull, ProfileKKMembers:
		return false
	}
	switch c.Profile.Document() {
	case DocumentKTP:
		return c.Claims.NIK == nik
	case DocumentBirthCertificate:
		return c.BirthCertificate != nil && c.BirthCertificate.ChildNIK == nik
	}
	return false
}
