package credential

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ikdgo/ikd/internal/codec"
)

// NIK is a Nomor Induk Kependudukan, the 16-digit national identity number
// that Dukcapil assigns to every resident for life (UU 23/2006 as amended
// by UU 24/2013, Art. 13).
//
// Its digits are PP RR DD DDMMYY SSSS:
//
//	PP      province code (Kemendagri), see [LookupProvince]
//	PPRR    regency (kabupaten) or city (kota) code
//	PPRRDD  district (kecamatan) code
//	DDMMYY  birth date; 40 is added to the day for women
//	SSSS    serial number, from 0001
//
// The codes are those of the place of first registration: a NIK does not
// change when its holder moves or when a region is divided.
//
// A NIK value is only known to be well formed when it came from [ParseNIK]
// or a decoder ([NIK.UnmarshalCBOR], [NIK.UnmarshalText]). The accessors
// never panic: on a malformed value they return zero values.
//
// A NIK is personal data (UU 27/2022 on personal data protection): the
// errors in this file describe what is wrong with a number without
// repeating it.
type NIK string

// NIKLength is the number of digits in a NIK.
const NIKLength = 16

// ErrInvalidNIK is matched (errors.Is) by every error that reports a
// malformed NIK, whether from [ParseNIK] or from a decoder.
var ErrInvalidNIK = errors.New("credential: invalid NIK")

// NIKReason says why a NIK is malformed. Values are append-only and their
// String keys are stable.
type NIKReason uint8

const (
	// NIKReasonLength: the input is not 16 bytes long.
	NIKReasonLength NIKReason = iota + 1
	// NIKReasonNonDigit: a byte is not an ASCII digit 0–9. Other Unicode
	// digits (Arabic-Indic, full-width) are rejected too.
	NIKReasonNonDigit
	// NIKReasonProvince: the first two digits are not a province code.
	NIKReasonProvince
	// NIKReasonRegency: the regency/city digits (3–4) are 00.
	NIKReasonRegency
	// NIKReasonDistrict: the district digits (5–6) are 00.
	NIKReasonDistrict
	// NIKReasonBirthDate: digits 7–12 are not a possible birth date: day 00,
	// 32–40 or over 71, month 00 or over 12, or a day the month does not
	// have.
	NIKReasonBirthDate
	// NIKReasonSerial: the serial number (digits 13–16) is 0000.
	NIKReasonSerial
)

var nikReasonKeys = [...]string{
	NIKReasonLength:    "length",
	NIKReasonNonDigit:  "non-digit",
	NIKReasonProvince:  "unknown-province",
	NIKReasonRegency:   "regency-zero",
	NIKReasonDistrict:  "district-zero",
	NIKReasonBirthDate: "birth-date",
	NIKReasonSerial:    "serial-zero",
}

// String returns the reason's stable key ("length", "non-digit",
// "unknown-province", "regency-zero", "district-zero", "birth-date",
// "serial-zero"), or "NIKReason(n)" for any other value.
func (r NIKReason) String() string {
	if r > 0 && int(r) < len(nikReasonKeys) {
		return nikReasonKeys[r]
	}
	return "NIKReason(" + strconv.Itoa(int(r)) + ")"
}

// NIKError reports a malformed NIK. errors.Is(err, ErrInvalidNIK) holds for
// every *NIKError; use errors.As to read the Reason.
type NIKError struct {
	// NIK is the rejected input, as given.
	NIK string
	// Reason says what is wrong with it.
	Reason NIKReason
}

// Error describes the problem without repeating the number, which is
// personal data that should not end up in logs. Only the province code, which
// identifies no one, is quoted.
func (e *NIKError) Error() string {
	s := e.NIK
	switch e.Reason {
	case NIKReasonLength:
		return fmt.Sprintf("credential: invalid NIK: %d bytes, want %d digits", len(s), NIKLength)
	case NIKReasonNonDigit:
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return fmt.Sprintf("credential: invalid NIK: byte %d is not an ASCII digit", i)
			}
		}
	case NIKReasonProvince:
		if len(s) >= 2 {
			return fmt.Sprintf("credential: invalid NIK: unknown province code %q", s[:2])
		}
	case NIKReasonRegency:
		return "credential: invalid NIK: regency code 00"
	case NIKReasonDistrict:
		return "credential: invalid NIK: district code 00"
	case NIKReasonBirthDate:
		return "credential: invalid NIK: impossible birth date"
	case NIKReasonSerial:
		return "credential: invalid NIK: serial number 0000"
	}
	return "credential: invalid NIK: " + e.Reason.String()
}

// Is reports whether target is [ErrInvalidNIK].
func (e *NIKError) Is(target error) bool { return target == ErrInvalidNIK }

// ParseNIK checks that s is a well-formed NIK and returns it. It returns a
// *[NIKError] (matching [ErrInvalidNIK]) when s:
//
//   - is not exactly 16 bytes, or has any byte that is not an ASCII digit
//     (no spaces, separators, signs or non-ASCII digits are accepted);
//   - starts with a code that is not one of the 38 provinces;
//   - has regency/city or district code 00;
//   - has a birth date that cannot exist (see below);
//   - has serial number 0000.
//
// The birth date: the day is 01–31 for men and 41–71 for women, the month
// 01–12, and the day must exist in that month. A NIK holds only two digits of
// the year, so 29 February is accepted when either 19YY or 20YY is a leap
// year (YY divisible by 4, including 00 because 2000 was a leap year).
//
// Regency and district codes are checked for shape only (01–99): there are
// 514 regencies and cities and over 7,000 districts, and their codes change
// as regions are split, so a table would go stale and turn valid NIKs away.
// In most provinces regency codes 71–79 are cities (kota) and lower codes
// are kabupaten; ParseNIK does not rely on it.
//
// ParseNIK is a structural check: it says nothing about whether Dukcapil
// issued the number, and it does not allocate unless it fails.
func ParseNIK(s string) (NIK, error) {
	if r := checkNIK(s); r != 0 {
		return "", &NIKError{NIK: s, Reason: r}
	}
	return NIK(s), nil
}

// checkNIK returns 0 if s is a well-formed NIK, or the first reason it is
// not.
func checkNIK(s string) NIKReason {
	if len(s) != NIKLength {
		return NIKReasonLength
	}
	for i := 0; i < NIKLength; i++ {
		if s[i] < '0' || s[i] > '9' {
			return NIKReasonNonDigit
		}
	}
	if _, ok := lookupProvinceDigits(s[0], s[1]); !ok {
		return NIKReasonProvince
	}
	if s[2] == '0' && s[3] == '0' {
		return NIKReasonRegency
	}
	if s[4] == '0' && s[5] == '0' {
		return NIKReasonDistrict
	}
	day, month, yy := two(s, 6), two(s, 8), two(s, 10)
	if day > 40 {
		day -= 40
	}
	if day < 1 || day > 31 || month < 1 || month > 12 || day > maxDay(time.Month(month), yy) {
		return NIKReasonBirthDate
	}
	if s[12] == '0' && s[13] == '0' && s[14] == '0' && s[15] == '0' {
		return NIKReasonSerial
	}
	return 0
}

// two reads the two ASCII digits at s[i:i+2]; the caller has checked them.
func two(s string, i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }

// maxDay returns the number of days in month for a two-digit year yy that
// may be 19yy or 20yy.
func maxDay(month time.Month, yy int) int {
	switch month {
	case time.February:
		if isLeap(1900+yy) || isLeap(2000+yy) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// wellFormed reports whether n passes ParseNIK.
func (n NIK) wellFormed() bool { return checkNIK(string(n)) == 0 }

// shaped reports whether n is 16 ASCII digits, enough for the accessors to
// slice it safely.
func (n NIK) shaped() bool {
	if len(n) != NIKLength {
		return false
	}
	for i := 0; i < NIKLength; i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// ProvinceCode returns the two-digit province code ("31"), or "" if n is not
// 16 ASCII digits. Look the name up with [LookupProvince].
func (n NIK) ProvinceCode() string {
	if !n.shaped() {
		return ""
	}
	return string(n[:2])
}

// RegencyCode returns the four-digit regency (kabupaten) or city (kota)
// code, province included ("3171"), or "" if n is not 16 ASCII digits.
func (n NIK) RegencyCode() string {
	if !n.shaped() {
		return ""
	}
	return string(n[:4])
}

// DistrictCode returns the six-digit district (kecamatan) code, province and
// regency included ("317101"), or "" if n is not 16 ASCII digits.
func (n NIK) DistrictCode() string {
	if !n.shaped() {
		return ""
	}
	return string(n[:6])
}

// Sex returns the sex that the NIK encodes: [SexFemale] when 40 was added to
// the birth day, [SexMale] otherwise. It returns the zero Sex if n is not a
// well-formed NIK.
func (n NIK) Sex() Sex {
	if !n.wellFormed() {
		return 0
	}
	if two(string(n), 6) > 40 {
		return SexFemale
	}
	return SexMale
}

// BirthDay returns the birth day (1–31, with the 40 for women removed), the
// month, and the two-digit year (0–99) that the NIK encodes. The century is
// not in the NIK: take it from the holder's full birth date. It returns
// zeros if n is not a well-formed NIK.
func (n NIK) BirthDay() (day int, month time.Month, yy int) {
	if !n.wellFormed() {
		return 0, 0, 0
	}
	day = two(string(n), 6)
	if day > 40 {
		day -= 40
	}
	return day, time.Month(two(string(n), 8)), two(string(n), 10)
}

// MatchesBirthDate reports whether the birth date encoded in n agrees with
// d: same day, same month, and d.Year%100 equal to the NIK's two-digit year.
// It returns false if n is not a well-formed NIK or d is the zero Date. An
// issuer should also compare [NIK.Sex] with the holder's sex.
func (n NIK) MatchesBirthDate(d Date) bool {
	day, month, yy := n.BirthDay()
	if day == 0 || d.IsZero() || d.Year < 0 {
		return false
	}
	return d.Day == day && d.Month == month && d.Year%100 == yy
}

// Serial returns the four-digit serial number ("0001"), or "" if n is not 16
// ASCII digits.
func (n NIK) Serial() string {
	if !n.shaped() {
		return ""
	}
	return string(n[12:])
}

// String returns the 16 digits.
func (n NIK) String() string { return string(n) }

// MarshalCBOR encodes n as a CBOR unsigned integer: 9 bytes (major type 0,
// 8-byte argument) against 17 for the text string. A well-formed NIK never
// starts with 0 (province codes start at 11), so the number gives the digits
// back exactly. It returns an error matching [ErrInvalidNIK] if n is not
// well formed, including the empty NIK: an optional NIK field must be tagged
// `omitzero`, because fxamacker/cbor never treats a value with a
// MarshalCBOR method as empty under `omitempty`.
func (n NIK) MarshalCBOR() ([]byte, error) {
	if r := checkNIK(string(n)); r != 0 {
		return nil, &NIKError{NIK: string(n), Reason: r}
	}
	v, err := strconv.ParseUint(string(n), 10, 64)
	if err != nil { // unreachable: 16 checked digits fit in a uint64
		return nil, fmt.Errorf("%w: %v", ErrInvalidNIK, err)
	}
	return codec.Marshal(v)
}

// nikCBORLength is the size of a NIK on the wire: the initial byte 0x1b
// (unsigned integer, 8-byte argument) and 8 bytes. Every 16-digit number is
// at least 10^15 > 2^32, so this is also the shortest (canonical) form.
const nikCBORLength = 9

// UnmarshalCBOR decodes a NIK from a CBOR unsigned integer and runs the full
// [ParseNIK] check on its decimal digits. Anything else — another CBOR type,
// a negative integer, a non-shortest encoding, a number that is not 16
// digits, trailing bytes — is an error matching [ErrInvalidNIK]. On error n
// is unchanged.
func (n *NIK) UnmarshalCBOR(data []byte) error {
	if len(data) != nikCBORLength || data[0] != 0x1b {
		return fmt.Errorf("%w: CBOR is not a 16-digit unsigned integer", ErrInvalidNIK)
	}
	var v uint64
	if err := codec.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidNIK, err)
	}
	got, err := ParseNIK(strconv.FormatUint(v, 10))
	if err != nil {
		return err
	}
	*n = got
	return nil
}

// MarshalText returns the 16 digits (for JSON). It returns an error matching
// [ErrInvalidNIK] if n is not well formed, including the empty NIK.
func (n NIK) MarshalText() ([]byte, error) {
	if r := checkNIK(string(n)); r != 0 {
		return nil, &NIKError{NIK: string(n), Reason: r}
	}
	return []byte(n), nil
}

// UnmarshalText reads a NIK with [ParseNIK]. On error n is unchanged.
func (n *NIK) UnmarshalText(b []byte) error {
	got, err := ParseNIK(string(b))
	if err != nil {
		return err
	}
	*n = got
	return nil
}
