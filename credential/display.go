package credential

import (
	"fmt"
	"strings"
)

// Display returns the value of claim c as a person reads it, in Indonesian
// as the e-KTP prints it and in English, or two empty strings if k does not
// have the claim. With [Claim.Indonesian] and [Claim.English] for the field
// labels, it is what a scanner shows a gate agent.
//
//   - Enums are their labels: "PEREMPUAN" / "Female", "KAWIN" / "Married",
//     "-" / "Unknown" for an undeclared blood type. A value that is not one
//     of the constants shows as its String ("Religion(9)") in both.
//   - Dates are "17-08-1985" as on the card, and "1985-08-17" (ISO 8601) in
//     English.
//   - The validity is "SEUMUR HIDUP" / "For life", or its date as above.
//   - The address is one line: street, "RT/RW 005/002", kelurahan,
//     kecamatan, regency and province (and a Kartu Keluarga's postal
//     code), separated by ", ", the same in both.
//   - The over-17 flag is "YA" / "Yes" or "TIDAK" / "No".
//   - The NIK and the text claims (name, place of birth, occupation,
//     nationality, issuing office) are as they are, in both.
func (k *KTP) Display(c Claim) (indonesian, english string) {
	if !k.Has(c) {
		return "", ""
	}
	switch c {
	case ClaimNIK:
		return string(k.NIK), string(k.NIK)
	case ClaimName:
		return k.Name, k.Name
	case ClaimBirthPlace:
		return k.BirthPlace, k.BirthPlace
	case ClaimBirthDate:
		return displayDate(k.BirthDate)
	case ClaimSex:
		return sexLabels.display(uint8(k.Sex))
	case ClaimBloodType:
		return bloodTypeLabels.display(uint8(k.BloodType))
	case ClaimAddress:
		s := k.Address.line()
		return s, s
	case ClaimReligion:
		return religionLabels.display(uint8(k.Religion))
	case ClaimMaritalStatus:
		return maritalLabels.display(uint8(k.MaritalStatus))
	case ClaimOccupation:
		return k.Occupation, k.Occupation
	case ClaimCitizenship:
		return citizenshipLabels.display(uint8(k.Citizenship))
	case ClaimNationality:
		return k.Nationality, k.Nationality
	case ClaimValidity:
		if k.Validity.Lifetime {
			return lifetimeLabels.display(1)
		}
		return displayDate(k.Validity.Until)
	case ClaimIssuingOffice:
		return k.IssuingOffice, k.IssuingOffice
	case ClaimIssueDate:
		return displayDate(k.IssueDate)
	case ClaimOver17:
		l := over17Labels[0]
		if *k.Over17 {
			l = over17Labels[1]
		}
		return l.id, l.en
	}
	return "", ""
}

func displayDate(d Date) (indonesian, english string) {
	return d.card(), d.String()
}

// line returns the address on one line, leaving out what is not given.
func (a *Address) line() string {
	parts := make([]string, 0, 6)
	if a.Street != "" {
		parts = append(parts, a.Street)
	}
	if a.RT != 0 || a.RW != 0 {
		parts = append(parts, fmt.Sprintf("RT/RW %03d/%03d", a.RT, a.RW))
	}
	for _, s := range []string{a.Kelurahan, a.Kecamatan, a.Regency, a.Province, a.PostalCode} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
