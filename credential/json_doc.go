package credential

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The record JSON of a Kartu Keluarga and of an Akta Kelahiran, the form a
// Disdukcapil clerk's system hands the issuer, like the KTP's person
// record (json.go): one object whose members are the claims present, named
// by [Claim.String], in Claim order; a KK's members are the array
// "members", each an object of Member claims. Enums are their String keys
// ("male", "child", "bachelor", "islam", "married"), dates "YYYY-MM-DD",
// NIKs their 16 digits, the KK number a string of 16 digits, RT and RW
// numbers, the postal code a string of five digits, the birth order a
// number. docs/wire-format.md ("Record JSON of the family documents") is
// the reference and examples/family/ holds a sample of each.
//
//	{"kk_number":"3171012003120007","kk_head":"BUDI SANTOSO",
//	 "kk_address":{"street":"JL. MERDEKA SELATAN NO. 10","rt":5,"rw":2,
//	  "kelurahan":"GAMBIR","kecamatan":"GAMBIR","regency":"JAKARTA PUSAT",
//	  "province":"DKI JAKARTA","postal_code":"10110"},
//	 "kk_issuing_office":"JAKARTA PUSAT","kk_issue_date":"2024-01-15",
//	 "members":[{"member_name":"BUDI SANTOSO","member_nik":"3171011708850003",
//	  "member_sex":"male",…,"member_relationship":"head",…}]}

// jsonWriter writes the members of one JSON object in order and collects
// the values it cannot write.
type jsonWriter struct {
	b  bytes.Buffer
	ps *problems
	i  int // member index of the problems, -1 for none
}

func (w *jsonWriter) name(s string) {
	if w.b.Len() > 1 {
		w.b.WriteByte(',')
	}
	writeString(&w.b, s)
	w.b.WriteByte(':')
}

func (w *jsonWriter) problem(c Claim, err error, format string, args ...any) {
	if w.i >= 0 {
		w.ps.addMember(w.i, c, err, format, args...)
		return
	}
	w.ps.add(c, err, format, args...)
}

func (w *jsonWriter) text(c Claim, s string) {
	if s != "" {
		w.name(c.String())
		writeString(&w.b, s)
	}
}

func (w *jsonWriter) nik(c Claim, n NIK) {
	if n == "" {
		return
	}
	if _, err := ParseNIK(string(n)); err != nil {
		w.problem(c, err, "")
		return
	}
	w.text(c, string(n))
}

func (w *jsonWriter) enum(c Claim, t *enumTable, v uint8) {
	switch {
	case v == 0:
	case !t.valid(v):
		w.problem(c, ErrInvalidValue, "%s", t.key(v))
	default:
		w.name(c.String())
		writeString(&w.b, t.labels[v].key)
	}
}

func (w *jsonWriter) date(c Claim, d Date) {
	switch {
	case d.isZero():
	case !d.valid():
		w.problem(c, ErrInvalidValue, "no such date %04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	default:
		w.text(c, d.String())
	}
}

func (w *jsonWriter) open() *jsonWriter { w.b.WriteByte('{'); return w }

func (w *jsonWriter) close() []byte { w.b.WriteByte('}'); return w.b.Bytes() }

// MarshalJSON returns the record JSON of k (see the comment above and
// docs/wire-format.md): the claims present in Claim order, then the
// members. Like [KTP.MarshalJSON] it returns a [*ValidationError] listing
// every value [KK.UnmarshalJSON] could not read back (an enum value that is
// not one of the table's, a malformed NIK, a date that does not exist);
// the rest is [KK.Validate]'s to report.
func (k KK) MarshalJSON() ([]byte, error) {
	var ps problems
	w := (&jsonWriter{ps: &ps, i: -1}).open()
	w.text(ClaimKKNumber, k.Number)
	w.text(ClaimKKHead, k.Head)
	if k.Address != nil {
		w.name(ClaimKKAddress.String())
		k.Address.writeJSON(&w.b)
	}
	w.text(ClaimKKIssuingOffice, k.IssuingOffice)
	w.date(ClaimKKIssueDate, k.IssueDate)
	if len(k.Members) > 0 {
		w.name("members")
		w.b.WriteByte('[')
		for i := range k.Members {
			if i > 0 {
				w.b.WriteByte(',')
			}
			m := &k.Members[i]
			mw := (&jsonWriter{ps: &ps, i: i}).open()
			mw.text(ClaimMemberName, m.Name)
			mw.nik(ClaimMemberNIK, m.NIK)
			mw.enum(ClaimMemberSex, &sexLabels, uint8(m.Sex))
			mw.text(ClaimMemberBirthPlace, m.BirthPlace)
			mw.date(ClaimMemberBirthDate, m.BirthDate)
			mw.enum(ClaimMemberReligion, &religionLabels, uint8(m.Religion))
			mw.enum(ClaimMemberEducation, &educationLabels, uint8(m.Education))
			mw.enum(ClaimMemberOccupation, &occupationLabels, uint8(m.Occupation))
			mw.enum(ClaimMemberBloodType, &bloodTypeLabels, uint8(m.BloodType))
			mw.enum(ClaimMemberMaritalStatus, &maritalLabels, uint8(m.MaritalStatus))
			mw.date(ClaimMemberMarriageDate, m.MarriageDate)
			mw.enum(ClaimMemberRelationship, &relationshipLabels, uint8(m.Relationship))
			mw.enum(ClaimMemberCitizenship, &citizenshipLabels, uint8(m.Citizenship))
			mw.text(ClaimMemberPassport, m.Passport)
			mw.text(ClaimMemberKITAS, m.KITAS)
			mw.text(ClaimMemberFather, m.Father)
			mw.text(ClaimMemberMother, m.Mother)
			w.b.Write(mw.close())
		}
		w.b.WriteByte(']')
	}
	out := w.close()
	if err := ps.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// MarshalJSON returns the record JSON of b, as [KK.MarshalJSON] does for a
// KK: the claims present, in Claim order; the birth order a number.
func (b BirthCertificate) MarshalJSON() ([]byte, error) {
	var ps problems
	w := (&jsonWriter{ps: &ps, i: -1}).open()
	w.text(ClaimAktaNumber, b.Number)
	w.nik(ClaimAktaChildNIK, b.ChildNIK)
	w.text(ClaimAktaChildName, b.ChildName)
	w.enum(ClaimAktaSex, &sexLabels, uint8(b.Sex))
	w.text(ClaimAktaBirthPlace, b.BirthPlace)
	w.date(ClaimAktaBirthDate, b.BirthDate)
	w.text(ClaimAktaBirthTime, b.BirthTime)
	if b.BirthOrder != 0 {
		w.name(ClaimAktaBirthOrder.String())
		w.b.WriteString(strconv.Itoa(int(b.BirthOrder)))
	}
	w.text(ClaimAktaFather, b.Father)
	w.nik(ClaimAktaFatherNIK, b.FatherNIK)
	w.text(ClaimAktaMother, b.Mother)
	w.nik(ClaimAktaMotherNIK, b.MotherNIK)
	w.text(ClaimAktaIssuingOffice, b.IssuingOffice)
	w.date(ClaimAktaIssueDate, b.IssueDate)
	out := w.close()
	if err := ps.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// UnmarshalJSON reads the record JSON of a Kartu Keluarga (see
// [KK.MarshalJSON]) into k, with the rules of [KTP.UnmarshalJSON]: only the
// members present are set (null leaves one as it is, "" clears it), member
// names are exact, enums are read leniently (their keys, their labels as
// the card prints them, their English labels, in any ASCII case), dates
// are "YYYY-MM-DD". "members", when present, replaces k.Members. Every
// problem is reported at once in a [*ValidationError] (a member's problem
// with its place in Problem.Member), the members that decode are set even
// then, and an empty object is reported as an empty record. Call
// [KK.Validate] for what the claims mean together.
func (k *KK) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var ps problems
	out := *k
	seen := 0
	err := eachMember(data, func(name string, raw json.RawMessage) {
		seen++
		if name == "members" {
			out.decodeMembers(&ps, raw)
			return
		}
		c, ok := ParseClaim(name)
		if !ok || c.Document() != DocumentKK || isMemberClaim(c) {
			ps.add(0, ErrInvalidValue, "unknown member %q (a Kartu Keluarga record has kk_number, kk_head, kk_address, kk_issuing_office, kk_issue_date and members)", truncate(name))
			return
		}
		if string(raw) == "null" {
			return
		}
		switch c {
		case ClaimKKNumber:
			jsonText(&ps, c, raw, &out.Number)
		case ClaimKKHead:
			jsonText(&ps, c, raw, &out.Head)
		case ClaimKKAddress:
			var a Address
			if out.Address != nil {
				a = *out.Address
			}
			if a.decodeJSONAs(&ps, c, raw, true) {
				out.Address = &a
			}
		case ClaimKKIssuingOffice:
			jsonText(&ps, c, raw, &out.IssuingOffice)
		case ClaimKKIssueDate:
			jsonDate(&ps, c, raw, &out.IssueDate)
		}
	}, func(name string) {
		ps.add(0, ErrInvalidValue, "repeated member %q", truncate(name))
	})
	if err != nil {
		ps.add(0, ErrInvalidValue, "not a JSON object: %v", err)
		return ps.err()
	}
	if seen == 0 {
		ps.add(0, ErrMissingClaim, "an empty Kartu Keluarga record")
	}
	*k = out
	return ps.err()
}

// decodeMembers reads the "members" array into k.Members.
func (k *KK) decodeMembers(ps *problems, raw json.RawMessage) {
	if string(raw) == "null" {
		return
	}
	var rows []json.RawMessage
	if err := json.Unmarshal(raw, &rows); err != nil {
		ps.add(ClaimMemberName, ErrInvalidValue, "members: want an array of objects")
		return
	}
	if len(rows) > maxMembers {
		ps.add(ClaimMemberName, ErrInvalidValue, "%d members, more than %d", len(rows), maxMembers)
		return
	}
	members := make([]Member, len(rows))
	for i, row := range rows {
		m := &members[i]
		err := eachMember(row, func(name string, raw json.RawMessage) {
			c, ok := ParseClaim(name)
			if !ok || !isMemberClaim(c) {
				ps.addMember(i, 0, ErrInvalidValue, "unknown member %q (a member's are member_name, member_nik, …)", truncate(name))
				return
			}
			n := len(*ps)
			m.decodeMember(ps, c, raw)
			for j := n; j < len(*ps); j++ {
				(*ps)[j].Member = i + 1
			}
		}, func(name string) {
			ps.addMember(i, 0, ErrInvalidValue, "repeated member %q", truncate(name))
		})
		if err != nil {
			ps.addMember(i, 0, ErrInvalidValue, "not a JSON object: %v", err)
		}
	}
	k.Members = members
}

// decodeMember sets Member claim c of m from raw, or records why it cannot.
func (m *Member) decodeMember(ps *problems, c Claim, raw json.RawMessage) {
	if string(raw) == "null" {
		return
	}
	switch c {
	case ClaimMemberName:
		jsonText(ps, c, raw, &m.Name)
	case ClaimMemberNIK:
		jsonNIK(ps, c, raw, &m.NIK)
	case ClaimMemberSex:
		jsonEnum(ps, c, raw, &sexLabels, (*uint8)(&m.Sex))
	case ClaimMemberBirthPlace:
		jsonText(ps, c, raw, &m.BirthPlace)
	case ClaimMemberBirthDate:
		jsonDate(ps, c, raw, &m.BirthDate)
	case ClaimMemberReligion:
		jsonEnum(ps, c, raw, &religionLabels, (*uint8)(&m.Religion))
	case ClaimMemberEducation:
		jsonEnum(ps, c, raw, &educationLabels, (*uint8)(&m.Education))
	case ClaimMemberOccupation:
		jsonEnum(ps, c, raw, &occupationLabels, (*uint8)(&m.Occupation))
	case ClaimMemberBloodType:
		jsonEnum(ps, c, raw, &bloodTypeLabels, (*uint8)(&m.BloodType))
	case ClaimMemberMaritalStatus:
		jsonEnum(ps, c, raw, &maritalLabels, (*uint8)(&m.MaritalStatus))
	case ClaimMemberMarriageDate:
		jsonDate(ps, c, raw, &m.MarriageDate)
	case ClaimMemberRelationship:
		jsonEnum(ps, c, raw, &relationshipLabels, (*uint8)(&m.Relationship))
	case ClaimMemberCitizenship:
		jsonEnum(ps, c, raw, &citizenshipLabels, (*uint8)(&m.Citizenship))
	case ClaimMemberPassport:
		jsonText(ps, c, raw, &m.Passport)
	case ClaimMemberKITAS:
		jsonText(ps, c, raw, &m.KITAS)
	case ClaimMemberFather:
		jsonText(ps, c, raw, &m.Father)
	case ClaimMemberMother:
		jsonText(ps, c, raw, &m.Mother)
	}
}

// UnmarshalJSON reads the record JSON of an Akta Kelahiran (see
// [BirthCertificate.MarshalJSON]) into b, with the rules of
// [KK.UnmarshalJSON]; the birth order is a number from 1 to 30. Call
// [BirthCertificate.Validate] for what the claims mean together.
func (b *BirthCertificate) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var ps problems
	out := *b
	seen := 0
	err := eachMember(data, func(name string, raw json.RawMessage) {
		seen++
		c, ok := ParseClaim(name)
		if !ok || c.Document() != DocumentBirthCertificate {
			ps.add(0, ErrInvalidValue, "unknown member %q (an Akta Kelahiran record's members start with akta_)", truncate(name))
			return
		}
		if string(raw) == "null" {
			return
		}
		switch c {
		case ClaimAktaNumber:
			jsonText(&ps, c, raw, &out.Number)
		case ClaimAktaChildNIK:
			jsonNIK(&ps, c, raw, &out.ChildNIK)
		case ClaimAktaChildName:
			jsonText(&ps, c, raw, &out.ChildName)
		case ClaimAktaSex:
			jsonEnum(&ps, c, raw, &sexLabels, (*uint8)(&out.Sex))
		case ClaimAktaBirthPlace:
			jsonText(&ps, c, raw, &out.BirthPlace)
		case ClaimAktaBirthDate:
			jsonDate(&ps, c, raw, &out.BirthDate)
		case ClaimAktaBirthTime:
			jsonText(&ps, c, raw, &out.BirthTime)
		case ClaimAktaBirthOrder:
			var v uint8
			if err := json.Unmarshal(raw, &v); err != nil || v > 30 {
				ps.add(c, ErrInvalidValue, "want a number from 1 to 30")
				return
			}
			out.BirthOrder = v
		case ClaimAktaFather:
			jsonText(&ps, c, raw, &out.Father)
		case ClaimAktaFatherNIK:
			jsonNIK(&ps, c, raw, &out.FatherNIK)
		case ClaimAktaMother:
			jsonText(&ps, c, raw, &out.Mother)
		case ClaimAktaMotherNIK:
			jsonNIK(&ps, c, raw, &out.MotherNIK)
		case ClaimAktaIssuingOffice:
			jsonText(&ps, c, raw, &out.IssuingOffice)
		case ClaimAktaIssueDate:
			jsonDate(&ps, c, raw, &out.IssueDate)
		}
	}, func(name string) {
		ps.add(0, ErrInvalidValue, "repeated member %q", truncate(name))
	})
	if err != nil {
		ps.add(0, ErrInvalidValue, "not a JSON object: %v", err)
		return ps.err()
	}
	if seen == 0 {
		ps.add(0, ErrMissingClaim, "an empty Akta Kelahiran record")
	}
	*b = out
	return ps.err()
}

// jsonNIK reads a NIK member: "" clears it, anything else must pass
// [ParseNIK].
func jsonNIK(ps *problems, c Claim, raw json.RawMessage, dst *NIK) {
	s, ok := jsonString(ps, c, raw)
	switch {
	case !ok:
	case s == "":
		*dst = ""
	default:
		n, err := ParseNIK(s)
		if err != nil {
			ps.add(c, err, "")
			return
		}
		*dst = n
	}
}
