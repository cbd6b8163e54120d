package credential

import "strconv"

// Claim names one claim of a [KTP]. Its value is the claim's CBOR key.
// The set is append-only.
type Claim uint8

// The claims of a KTP.
const (
	ClaimNIK           Claim = 1
	ClaimName          Claim = 2
	ClaimBirthPlace    Claim = 3
	ClaimBirthDate     Claim = 4
	ClaimSex           Claim = 5
	ClaimBloodType     Claim = 6
	ClaimAddress       Claim = 7
	ClaimReligion      Claim = 8
	ClaimMaritalStatus Claim = 9
	ClaimOccupation    Claim = 10
	ClaimCitizenship   Claim = 11
	ClaimNationality   Claim = 12
	ClaimValidity      Claim = 13
	ClaimIssuingOffice Claim = 14
	ClaimIssueDate     Claim = 15
	ClaimOver17        Claim = 16
)

var claimNames = [...]string{
	ClaimNIK:           "nik",
	ClaimName:          "name",
	ClaimBirthPlace:    "birth_place",
	ClaimBirthDate:     "birth_date",
	ClaimSex:           "sex",
	ClaimBloodType:     "blood_type",
	ClaimAddress:       "address",
	ClaimReligion:      "religion",
	ClaimMaritalStatus: "marital_status",
	ClaimOccupation:    "occupation",
	ClaimCitizenship:   "citizenship",
	ClaimNationality:   "nationality",
	ClaimValidity:      "validity",
	ClaimIssuingOffice: "issuing_office",
	ClaimIssueDate:     "issue_date",
	ClaimOver17:        "over_17",
}

// String returns the claim's JSON name ("nik", "birth_date"), or
// "Claim(N)" for an unknown value.
func (c Claim) String() string {
	if int(c) < len(claimNames) && claimNames[c] != "" {
		return claimNames[c]
	}
	return "Claim(" + strconv.Itoa(int(c)) + ")"
}

// ParseClaim returns the Claim whose String is s.
func ParseClaim(s string) (Claim, bool) {
	for c, name := range claimNames {
		if name != "" && name == s {
			return Claim(c), true
		}
	}
	return 0, false
}

// Has reports whether claim c is present in k.
func (k *KTP) Has(c Claim) bool {
	switch c {
	case ClaimNIK:
		return k.NIK != ""
	case ClaimName:
		return k.Name != ""
	case ClaimBirthPlace:
		return k.BirthPlace != ""
	case ClaimBirthDate:
		return !k.BirthDate.IsZero()
	case ClaimSex:
		return k.Sex != 0
	case ClaimBloodType:
		return k.BloodType != 0
	case ClaimAddress:
		return k.Address != nil && !k.Address.IsZero()
	case ClaimReligion:
		return k.Religion != 0
	case ClaimMaritalStatus:
		return k.MaritalStatus != 0
	case ClaimOccupation:
		return k.Occupation != ""
	case ClaimCitizenship:
		return k.Citizenship != 0
	case ClaimNationality:
		return k.Nationality != ""
	case ClaimValidity:
		return !k.Validity.IsZero()
	case ClaimIssuingOffice:
		return k.IssuingOffice != ""
	case ClaimIssueDate:
		return !k.IssueDate.IsZero()
	case ClaimOver17:
		return k.Over17 != nil
	}
	return false
}

// Claims returns the claims present in k, in key order.
func (k *KTP) Claims() []Claim {
	var out []Claim
	for c := ClaimNIK; c <= ClaimOver17; c++ {
		if k.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Profile is a disclosure profile: a fixed subset of a person's claims that
// the issuer signs as its own small credential. The wallet shows the
// smallest profile that satisfies a verifier, so a KAI gate sees a name and
// a NIK and never a religion or an address. Fixed profiles cost nothing in
// QR size; salted-digest selective disclosure (SD-CWT, ISO mdoc) costs 17–34
// bytes per hidden claim, which a QR code cannot afford.
//
// The set is append-only; the zero value is invalid.
type Profile uint8

const (
	// ProfileFull carries every claim of the document.
	ProfileFull Profile = 1
	// ProfileTravel carries name, NIK, birth date and sex: what an airline
	// check-in needs to match a booking.
	ProfileTravel Profile = 2
	// ProfileKAI carries name and NIK: what a KAI (Kereta Api Indonesia,
	// the national railway) gate matches against a ticket.
	ProfileKAI Profile = 3
	// ProfileAge carries only the over-17 flag and nothing identifying.
	ProfileAge Profile = 4
)

// Profiles lists the profiles from the smallest to the largest.
var Profiles = []Profile{ProfileAge, ProfileKAI, ProfileTravel, ProfileFull}

var profileNames = [...]string{ProfileFull: "full", ProfileTravel: "travel", ProfileKAI: "kai", ProfileAge: "age"}

// String returns "full", "travel", "kai" or "age", or "Profile(N)".
func (p Profile) String() string {
	if p.Valid() {
		return profileNames[p]
	}
	return "Profile(" + strconv.Itoa(int(p)) + ")"
}

// ParseProfile returns the Profile whose String is s.
func ParseProfile(s string) (Profile, bool) {
	for _, p := range Profiles {
		if p.String() == s {
			return p, true
		}
	}
	return 0, false
}

// Valid reports whether p is a known profile.
func (p Profile) Valid() bool { return p >= ProfileFull && p <= ProfileAge }

var profileClaims = map[Profile][]Claim{
	ProfileTravel: {ClaimNIK, ClaimName, ClaimBirthDate, ClaimSex},
	ProfileKAI:    {ClaimNIK, ClaimName},
	ProfileAge:    {ClaimOver17},
}

// Claims returns the claims profile p may carry, in key order. ProfileFull
// may carry every claim except [ClaimOver17], which only ProfileAge carries.
func (p Profile) Claims() []Claim {
	if p == ProfileFull {
		out := make([]Claim, 0, ClaimOver17-1)
		for c := ClaimNIK; c < ClaimOver17; c++ {
			out = append(out, c)
		}
		return out
	}
	return append([]Claim(nil), profileClaims[p]...)
}

// Allows reports whether profile p may carry claim c.
func (p Profile) Allows(c Claim) bool {
	if p == ProfileFull {
		return c >= ClaimNIK && c < ClaimOver17
	}
	for _, x := range profileClaims[p] {
		if x == c {
			return true
		}
	}
	return false
}

// Select returns the part of k that profile p carries. For ProfileAge it
// computes the over-17 flag from k's birth date on day on.
func (p Profile) Select(k *KTP, on Date) KTP {
	switch p {
	case ProfileFull:
		out := *k
		out.Over17 = nil
		if k.Address != nil {
			a := *k.Address
			out.Address = &a
		}
		return out
	case ProfileTravel:
		return KTP{NIK: k.NIK, Name: k.Name, BirthDate: k.BirthDate, Sex: k.Sex}
	case ProfileKAI:
		return KTP{NIK: k.NIK, Name: k.Name}
	case ProfileAge:
		over := !k.BirthDate.IsZero() && k.BirthDate.AgeOn(on) >= 17
		return KTP{Over17: &over}
	}
	return KTP{}
}
