package status

import "strconv"

// Status is the state of one credential in a status list, as the IETF Token
// Status List draft (draft-ietf-oauth-status-list §7.1) defines its values.
//
// Unlike other ikd enums, the zero value is not "unknown": the draft fixes
// 0x00 as VALID, so that a fresh, all-zero list means "nothing revoked" and
// compresses to almost nothing. A scanner that could not obtain a status list
// has no Status at all (an error), never a zero Status: "status unknown" is
// never "valid" and never "revoked".
type Status uint8

const (
	// StatusValid (0x00) is a credential that has not been revoked or
	// suspended.
	StatusValid Status = 0x00
	// StatusRevoked (0x01, the draft's INVALID) is a credential revoked for
	// good: a lost or stolen phone, changed civil registry data.
	StatusRevoked Status = 0x01
	// StatusSuspended (0x02) is a credential temporarily not valid; the
	// issuer may set it back to [StatusValid].
	StatusSuspended Status = 0x02
)

// String returns "valid", "revoked" or "suspended", or "Status(n)" for the
// values the draft leaves to applications (0x03, 0x0B-0x0F, ...).
func (s Status) String() string {
	switch s {
	case StatusValid:
		return "valid"
	case StatusRevoked:
		return "revoked"
	case StatusSuspended:
		return "suspended"
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}
