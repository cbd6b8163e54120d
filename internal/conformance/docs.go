package conformance

import (
	"encoding/json"
	"strconv"

	"github.com/ikdgo/ikd/credential"
)

// DocumentOutcome fills e's Claims (and, for a Kartu Keluarga, Members)
// with the claims of kk or b (exactly one non-nil) that shows accepts, in
// claim key order, as docs/wire-format.md ("How a verifier shows a KK or
// Akta claim") writes them: the value in its vector form, the labels and
// the display. A member is listed with the member claims shown, none when
// the policy shows no member claim at all, in which case no member is
// listed.
func DocumentOutcome(e *Expect, kk *credential.KK, b *credential.BirthCertificate, shows func(credential.Claim) bool) {
	claim := func(c credential.Claim, v json.RawMessage, id, en string) Claim {
		return Claim{Claim: c.String(), Label: Text{c.Indonesian(), c.English()}, Value: v, Display: Text{id, en}}
	}
	if b != nil {
		for _, c := range b.Claims() {
			if shows(c) {
				id, en := b.Display(c)
				e.Claims = append(e.Claims, claim(c, aktaValue(b, c), id, en))
			}
		}
		return
	}
	if kk == nil {
		return
	}
	anyMember := false
	for _, c := range kk.Claims() {
		if c >= credential.ClaimMemberName {
			anyMember = anyMember || shows(c)
			continue
		}
		if shows(c) {
			id, en := kk.Display(c)
			e.Claims = append(e.Claims, claim(c, kkValue(kk, c), id, en))
		}
	}
	for c := credential.ClaimMemberName; c <= credential.ClaimMemberMother; c++ {
		anyMember = anyMember || shows(c)
	}
	if !anyMember {
		return
	}
	for i := range kk.Members {
		m := &kk.Members[i]
		out := Member{Claims: []Claim{}}
		for c := credential.ClaimMemberName; c <= credential.ClaimMemberMother; c++ {
			if !shows(c) {
				continue
			}
			id, en := m.Display(c)
			if id == "" && en == "" {
				continue // the member does not have it
			}
			out.Claims = append(out.Claims, claim(c, memberValue(m, c), id, en))
		}
		e.Members = append(e.Members, out)
	}
}

func jsonOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	must(err)
	return b
}

// dateValue is a date's vector form, "YYYY-MM-DD".
func dateValue(d credential.Date) json.RawMessage { return jsonOf(d.String()) }

// addressValue is a KK address's vector form: the KTP's, with
// "postal_code" a five-digit string.
func addressValue(a *credential.Address) json.RawMessage {
	type addr struct {
		Street     string `json:"street,omitempty"`
		RT         uint16 `json:"rt,omitempty"`
		RW         uint16 `json:"rw,omitempty"`
		Kelurahan  string `json:"kelurahan,omitempty"`
		Kecamatan  string `json:"kecamatan,omitempty"`
		Regency    string `json:"regency,omitempty"`
		Province   string `json:"province,omitempty"`
		PostalCode string `json:"postal_code,omitempty"`
	}
	return jsonOf(addr{a.Street, a.RT, a.RW, a.Kelurahan, a.Kecamatan, a.Regency, a.Province, a.PostalCode})
}

func kkValue(k *credential.KK, c credential.Claim) json.RawMessage {
	switch c {
	case credential.ClaimKKNumber:
		return jsonOf(k.Number)
	case credential.ClaimKKHead:
		return jsonOf(k.Head)
	case credential.ClaimKKAddress:
		return addressValue(k.Address)
	case credential.ClaimKKIssuingOffice:
		return jsonOf(k.IssuingOffice)
	case credential.ClaimKKIssueDate:
		return dateValue(k.IssueDate)
	}
	panic("conformance: no KK card claim " + c.String())
}

func memberValue(m *credential.Member, c credential.Claim) json.RawMessage {
	switch c {
	case credential.ClaimMemberName:
		return jsonOf(m.Name)
	case credential.ClaimMemberNIK:
		return jsonOf(string(m.NIK))
	case credential.ClaimMemberSex:
		return jsonOf(m.Sex.String())
	case credential.ClaimMemberBirthPlace:
		return jsonOf(m.BirthPlace)
	case credential.ClaimMemberBirthDate:
		return dateValue(m.BirthDate)
	case credential.ClaimMemberReligion:
		return jsonOf(m.Religion.String())
	case credential.ClaimMemberEducation:
		return jsonOf(m.Education.String())
	case credential.ClaimMemberOccupation:
		return jsonOf(m.Occupation.String())
	case credential.ClaimMemberBloodType:
		return jsonOf(m.BloodType.String())
	case credential.ClaimMemberMaritalStatus:
		return jsonOf(m.MaritalStatus.String())
	case credential.ClaimMemberMarriageDate:
		return dateValue(m.MarriageDate)
	case credential.ClaimMemberRelationship:
		return jsonOf(m.Relationship.String())
	case credential.ClaimMemberCitizenship:
		return jsonOf(m.Citizenship.String())
	case credential.ClaimMemberPassport:
		return jsonOf(m.Passport)
	case credential.ClaimMemberKITAS:
		return jsonOf(m.KITAS)
	case credential.ClaimMemberFather:
		return jsonOf(m.Father)
	case credential.ClaimMemberMother:
		return jsonOf(m.Mother)
	}
	panic("conformance: no member claim " + c.String())
}

func aktaValue(b *credential.BirthCertificate, c credential.Claim) json.RawMessage {
	switch c {
	case credential.ClaimAktaNumber:
		return jsonOf(b.Number)
	case credential.ClaimAktaChildNIK:
		return jsonOf(string(b.ChildNIK))
	case credential.ClaimAktaChildName:
		return jsonOf(b.ChildName)
	case credential.ClaimAktaSex:
		return jsonOf(b.Sex.String())
	case credential.ClaimAktaBirthPlace:
		return jsonOf(b.BirthPlace)
	case credential.ClaimAktaBirthDate:
		return dateValue(b.BirthDate)
	case credential.ClaimAktaBirthTime:
		return jsonOf(b.BirthTime)
	case credential.ClaimAktaBirthOrder:
		return json.RawMessage(strconv.Itoa(int(b.BirthOrder)))
	case credential.ClaimAktaFather:
		return jsonOf(b.Father)
	case credential.ClaimAktaFatherNIK:
		return jsonOf(string(b.FatherNIK))
	case credential.ClaimAktaMother:
		return jsonOf(b.Mother)
	case credential.ClaimAktaMotherNIK:
		return jsonOf(string(b.MotherNIK))
	case credential.ClaimAktaIssuingOffice:
		return jsonOf(b.IssuingOffice)
	case credential.ClaimAktaIssueDate:
		return dateValue(b.IssueDate)
	}
	panic("conformance: no Akta claim " + c.String())
}
