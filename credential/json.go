package credential

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// The person-record JSON of a KTP: one object whose members are the claims
// present, named by [Claim.String], in Claim order:
//
//	{"nik":"3171011708850003","name":"BUDI SANTOSO","birth_place":"JAKARTA",
//	 "birth_date":"1985-08-17","sex":"male","blood_type":"o",
//	 "address":{"street":"JL. MERDEKA SELATAN NO. 10","rt":5,"rw":2,
//	  "kelurahan":"GAMBIR","kecamatan":"GAMBIR","regency":"JAKARTA PUSAT",
//	  "province":"DKI JAKARTA"},
//	 "religion":"islam","marital_status":"married","occupation":"KARYAWAN SWASTA",
//	 "citizenship":"indonesian","validity":"SEUMUR HIDUP",
//	 "issuing_office":"JAKARTA PUSAT","issue_date":"2019-03-12"}
//
// Enums are their String keys, dates "YYYY-MM-DD", the NIK its 16 digits,
// the validity "SEUMUR HIDUP" or a date, RT and RW numbers and over_17 a
// boolean. Reading is lenient where people type (enum labels and aliases
// in any case, see enums.go) and strict about everything else.

// MarshalJSON returns the person-record JSON of k: the claims present, in
// Claim order, with the member names of [Claim.String] and the value keys
// of the enums' String methods. It returns a [*ValidationError] listing
// every value that [KTP.UnmarshalJSON] could not read back: an enum value
// that is not one of the constants, a malformed NIK, a date that does not
// exist, a validity both for life and dated. Other problems (text too long,
// claims that contradict the NIK) are [KTP.Validate]'s to report.
func (k KTP) MarshalJSON() ([]byte, error) {
	var ps problems
	var b bytes.Buffer
	b.WriteByte('{')
	member := func(c Claim) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		writeString(&b, c.String())
		b.WriteByte(':')
	}
	text := func(c Claim, s string) {
		if s != "" {
			member(c)
			writeString(&b, s)
		}
	}
	enum := func(c Claim, t *enumTable, v uint8) {
		switch {
		case v == 0:
		case !t.valid(v):
			ps.add(c, ErrInvalidValue, "%s", t.key(v))
		default:
			member(c)
			writeString(&b, t.labels[v].key)
		}
	}
	date := func(c Claim, d Date) {
		switch {
		case d.isZero():
		case !d.valid():
			ps.add(c, ErrInvalidValue, "no such date %04d-%02d-%02d", d.Year, int(d.Month), d.Day)
		default:
			member(c)
			writeString(&b, d.String())
		}
	}

	if k.NIK != "" {
		if _, err := ParseNIK(string(k.NIK)); err != nil {
			ps.add(ClaimNIK, err, "")
		} else {
			member(ClaimNIK)
			writeString(&b, string(k.NIK))
		}
	}
	text(ClaimName, k.Name)
	text(ClaimBirthPlace, k.BirthPlace)
	date(ClaimBirthDate, k.BirthDate)
	enum(ClaimSex, &sexLabels, uint8(k.Sex))
	enum(ClaimBloodType, &bloodTypeLabels, uint8(k.BloodType))
	if a := k.Address; a != nil {
		member(ClaimAddress)
		a.writeJSON(&b)
	}
	enum(ClaimReligion, &religionLabels, uint8(k.Religion))
	enum(ClaimMaritalStatus, &maritalLabels, uint8(k.MaritalStatus))
	text(ClaimOccupation, k.Occupation)
	enum(ClaimCitizenship, &citizenshipLabels, uint8(k.Citizenship))
	text(ClaimNationality, k.Nationality)
	switch v := k.Validity; {
	case v.Lifetime && !v.Until.isZero():
		ps.add(ClaimValidity, ErrInvalidValue, "both for life and until a date")
	case v.Lifetime:
		member(ClaimValidity)
		writeString(&b, lifetimeLabels.labels[1].key)
	default:
		date(ClaimValidity, v.Until)
	}
	text(ClaimIssuingOffice, k.IssuingOffice)
	date(ClaimIssueDate, k.IssueDate)
	if k.Over17 != nil {
		member(ClaimOver17)
		b.WriteString(strconv.FormatBool(*k.Over17))
	}
	b.WriteByte('}')
	if err := ps.err(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeJSON writes the address object: the fields given, in field order.
func (a *Address) writeJSON(b *bytes.Buffer) {
	b.WriteByte('{')
	start := b.Len()
	field := func(name string) {
		if b.Len() > start {
			b.WriteByte(',')
		}
		writeString(b, name)
		b.WriteByte(':')
	}
	text := func(name, s string) {
		if s != "" {
			field(name)
			writeString(b, s)
		}
	}
	number := func(name string, n uint16) {
		if n != 0 {
			field(name)
			b.WriteString(strconv.Itoa(int(n)))
		}
	}
	text("street", a.Street)
	number("rt", a.RT)
	number("rw", a.RW)
	text("kelurahan", a.Kelurahan)
	text("kecamatan", a.Kecamatan)
	text("regency", a.Regency)
	text("province", a.Province)
	text("postal_code", a.PostalCode) // a Kartu Keluarga's; a KTP has none
	b.WriteByte('}')
}

// writeString writes s as a JSON string, escaped as encoding/json does.
func writeString(b *bytes.Buffer, s string) {
	out, _ := json.Marshal(s) // a string always encodes
	b.Write(out)
}

// UnmarshalJSON reads a person-record JSON (see [KTP.MarshalJSON]) into k.
// It sets only the members present, so that a record can be filled in from
// several documents; null leaves a member as it is, and "" clears a text,
// enum, date or validity member (a NIK must be well formed). Member names
// are exact, case included.
//
// It accepts, for each enum, its key, its Indonesian label as printed on
// the e-KTP, its English label and the common variants seen on cards and
// forms ("LAKI LAKI", "P", "KATHOLIK", "KONG HU CU", "BELUM MENIKAH",
// "WARGA NEGARA ASING"…), in any ASCII case and with surrounding space;
// for the validity "SEUMUR HIDUP", "lifetime", "For life" or a date.
// Dates are "YYYY-MM-DD" and must exist; the NIK must pass [ParseNIK].
//
// It reports every member that does not decode at once, in a
// [*ValidationError] whose problems wrap [ErrInvalidValue]: an unknown or
// repeated member (Problem.Claim 0 for an unknown one), a value of the
// wrong JSON type, an unknown enum value, a bad date or NIK. The members
// that do decode are set even then, as encoding/json does with the fields
// it can fill, so that [KTP.Validate] can report what is wrong with them
// too and a clerk fixes a record in one pass: decode, validate, and show
// both lists (a claim whose member did not decode then shows up as missing
// as well). Input that is not one JSON object is one problem with Claim 0,
// and then k is unchanged.
//
// UnmarshalJSON checks each value on its own; call [KTP.Validate] for what
// the claims mean together.
func (k *KTP) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	var ps problems
	out := *k
	err := eachMember(data, func(name string, raw json.RawMessage) {
		c, ok := ParseClaim(name)
		if !ok || c.Document() != DocumentKTP {
			ps.add(0, ErrInvalidValue, "unknown member %q", truncate(name))
			return
		}
		out.decodeMember(&ps, c, raw)
	}, func(name string) {
		c, _ := ParseClaim(name)
		if c.Document() != DocumentKTP {
			c = 0
		}
		ps.add(c, ErrInvalidValue, "repeated member %q", truncate(name))
	})
	if err != nil {
		ps.add(0, ErrInvalidValue, "not a JSON object: %v", err)
		return ps.err()
	}
	*k = out
	return ps.err()
}

// eachMember calls member for each member of the JSON object in data, in
// order, and repeated for a name seen before (member is not called then).
// It returns an error if data is not one JSON object.
func eachMember(data []byte, member func(name string, raw json.RawMessage), repeated func(name string)) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil {
		return err
	} else if t != json.Delim('{') {
		return fmt.Errorf("starts with %v", t)
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name := t.(string) // inside an object the decoder only returns names here
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if seen[name] {
			repeated(name)
			continue
		}
		seen[name] = true
		member(name, raw)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the object")
	}
	return nil
}

// decodeMember sets claim c of k from raw, or records why it cannot.
func (k *KTP) decodeMember(ps *problems, c Claim, raw json.RawMessage) {
	if string(raw) == "null" {
		return
	}
	switch c {
	case ClaimNIK:
		if s, ok := jsonString(ps, c, raw); ok {
			n, err := ParseNIK(s)
			if err != nil {
				ps.add(c, err, "")
				return
			}
			k.NIK = n
		}
	case ClaimName:
		jsonText(ps, c, raw, &k.Name)
	case ClaimBirthPlace:
		jsonText(ps, c, raw, &k.BirthPlace)
	case ClaimBirthDate:
		jsonDate(ps, c, raw, &k.BirthDate)
	case ClaimSex:
		jsonEnum(ps, c, raw, &sexLabels, (*uint8)(&k.Sex))
	case ClaimBloodType:
		jsonEnum(ps, c, raw, &bloodTypeLabels, (*uint8)(&k.BloodType))
	case ClaimAddress:
		var a Address
		if k.Address != nil {
			a = *k.Address // merge into a copy: k may share the pointer
		}
		if a.decodeJSON(ps, raw) {
			k.Address = &a
		}
	case ClaimReligion:
		jsonEnum(ps, c, raw, &religionLabels, (*uint8)(&k.Religion))
	case ClaimMaritalStatus:
		jsonEnum(ps, c, raw, &maritalLabels, (*uint8)(&k.MaritalStatus))
	case ClaimOccupation:
		jsonText(ps, c, raw, &k.Occupation)
	case ClaimCitizenship:
		jsonEnum(ps, c, raw, &citizenshipLabels, (*uint8)(&k.Citizenship))
	case ClaimNationality:
		jsonText(ps, c, raw, &k.Nationality)
	case ClaimValidity:
		s, ok := jsonString(ps, c, raw)
		switch {
		case !ok:
		case s == "":
			k.Validity = Validity{}
		case isLifetime(s):
			k.Validity = Validity{Lifetime: true}
		default:
			d, err := parseDate(s)
			if err != nil {
				ps.add(c, err, "")
				return
			}
			k.Validity = Validity{Until: d}
		}
	case ClaimIssuingOffice:
		jsonText(ps, c, raw, &k.IssuingOffice)
	case ClaimIssueDate:
		jsonDate(ps, c, raw, &k.IssueDate)
	case ClaimOver17:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			ps.add(c, ErrInvalidValue, "want true or false")
			return
		}
		k.Over17 = &b
	}
}

// decodeJSON merges the address object raw into a, and reports whether it
// did so without a problem.
func (a *Address) decodeJSON(ps *problems, raw json.RawMessage) bool {
	return a.decodeJSONAs(ps, ClaimAddress, raw, false)
}

// decodeJSONAs is decodeJSON for the address claim c, with a postal code
// member when postal is set (a Kartu Keluarga's address).
func (a *Address) decodeJSONAs(ps *problems, c Claim, raw json.RawMessage, postal bool) bool {
	n := len(*ps)
	err := eachMember(raw, func(name string, raw json.RawMessage) {
		if string(raw) == "null" {
			return
		}
		switch name {
		case "street":
			jsonText(ps, c, raw, &a.Street)
		case "rt":
			jsonUint16(ps, c, raw, name, &a.RT)
		case "rw":
			jsonUint16(ps, c, raw, name, &a.RW)
		case "kelurahan":
			jsonText(ps, c, raw, &a.Kelurahan)
		case "kecamatan":
			jsonText(ps, c, raw, &a.Kecamatan)
		case "regency":
			jsonText(ps, c, raw, &a.Regency)
		case "province":
			jsonText(ps, c, raw, &a.Province)
		case "postal_code":
			if !postal {
				ps.add(c, ErrInvalidValue, "unknown member %q (a KTP address has no postal code)", truncate(name))
				return
			}
			jsonText(ps, c, raw, &a.PostalCode)
		default:
			ps.add(c, ErrInvalidValue, "unknown member %q", truncate(name))
		}
	}, func(name string) {
		ps.add(c, ErrInvalidValue, "repeated member %q", truncate(name))
	})
	if err != nil {
		ps.add(c, ErrInvalidValue, "want an object")
	}
	return len(*ps) == n
}

func jsonString(ps *problems, c Claim, raw json.RawMessage) (string, bool) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		ps.add(c, ErrInvalidValue, "want a string")
		return "", false
	}
	return s, true
}

func jsonText(ps *problems, c Claim, raw json.RawMessage, dst *string) {
	if s, ok := jsonString(ps, c, raw); ok {
		*dst = s
	}
}

func jsonDate(ps *problems, c Claim, raw json.RawMessage, dst *Date) {
	s, ok := jsonString(ps, c, raw)
	switch {
	case !ok:
	case s == "":
		*dst = Date{}
	default:
		d, err := parseDate(s)
		if err != nil {
			ps.add(c, err, "")
			return
		}
		*dst = d
	}
}

func jsonEnum(ps *problems, c Claim, raw json.RawMessage, t *enumTable, dst *uint8) {
	s, ok := jsonString(ps, c, raw)
	switch {
	case !ok:
	case s == "":
		*dst = 0
	default:
		v, ok := t.parse(s)
		if !ok {
			choices := ""
			if len(s) <= maxQuoted { // a long input gets a short message
				choices = t.choices()
			}
			ps.add(c, ErrInvalidValue, "unknown %s %q%s", c, truncate(s), choices)
			return
		}
		*dst = v
	}
}

func jsonUint16(ps *problems, c Claim, raw json.RawMessage, name string, dst *uint16) {
	var v uint16
	if err := json.Unmarshal(raw, &v); err != nil {
		ps.add(c, ErrInvalidValue, "%s: want an integer from 0 to 65535", name)
		return
	}
	*dst = v
}

// isLifetime reports whether s names a lifetime validity.
func isLifetime(s string) bool {
	_, ok := lifetimeLabels.parse(s)
	return ok
}

// choices lists a small table's keys for an error message: " (one of
// male, female)"; a long table (occupations) is named by its size.
func (t *enumTable) choices() string {
	n := len(t.labels) - 1
	if n > 12 {
		return " (one of the " + strconv.Itoa(n) + " keys or labels in docs/wire-format.md)"
	}
	out := " (one of "
	for v := 1; v <= n; v++ {
		if v > 1 {
			out += ", "
		}
		out += t.labels[v].key
	}
	return out + ")"
}
