package credential

import (
	"fmt"
	"time"
)

// NIK is a Nomor Induk Kependudukan, the 16-digit national identity number
// that Dukcapil assigns to every resident for life (UU 23/2006 as amended
// by UU 24/2013, Art. 13).
//
// Its digits are PP RR DD DDMMYY SSSS:
//
//	PP      province code (Kemendagri), one of the 38 provinces
//	PPRR    regency (kabupaten) or city (kota) code
//	PPRRDD  district (kecamatan) code
//	DDMMYY  birth date; 40 is added to the day for women
//	SSSS    serial number, from 0001
//
// The codes are those of the place of first registration: a NIK does not
// change when its holder moves or when a region is divided.
//
// A NIK value is only known to be well formed when it came from [ParseNIK],
// [Parse] or [KTP.UnmarshalJSON]; [KTP.Validate] checks one set by hand.
//
// On the wire a NIK is a CBOR unsigned integer: 9 bytes (major type 0,
// 8-byte argument) against 17 for the text string. A well-formed NIK never
// starts with 0 (province codes start at 11), so the number gives the
// digits back exactly.
//
// A NIK is personal data (UU 27/2022 on personal data protection): errors
// say what is wrong with a number without repeating it.
type NIK string

// nikLength is the number of digits in a NIK.
const nikLength = 16

// Why a NIK is malformed. Each wraps [ErrInvalidValue]; export_test.go
// hands them to the tests for precise assertions.
var (
	errNIKLength    = fmt.Errorf("%w: NIK is not 16 digits long", ErrInvalidValue)
	errNIKNonDigit  = fmt.Errorf("%w: NIK has a byte that is not an ASCII digit", ErrInvalidValue)
	errNIKProvince  = fmt.Errorf("%w: NIK has an unknown province code", ErrInvalidValue)
	errNIKRegency   = fmt.Errorf("%w: NIK has regency code 00", ErrInvalidValue)
	errNIKDistrict  = fmt.Errorf("%w: NIK has district code 00", ErrInvalidValue)
	errNIKBirthDate = fmt.Errorf("%w: NIK has an impossible birth date", ErrInvalidValue)
	errNIKSerial    = fmt.Errorf("%w: NIK has serial number 0000", ErrInvalidValue)
)

// ParseNIK checks that s is a well-formed NIK and returns it. It returns an
// error wrapping [ErrInvalidValue] when s:
//
//   - is not exactly 16 bytes, or has any byte that is not an ASCII digit
//     (no spaces, separators, signs or non-ASCII digits are accepted);
//   - starts with a code that is not one of the 38 provinces;
//   - has regency/city or district code 00;
//   - has a birth date that cannot exist (see below);
//   - has serial number 0000.
//
// The error says which rule failed and never repeats the number: at most
// the length, the position of a bad byte or the two-digit province code,
// which identifies no one.
//
// The birth date: the day is 01–31 for men and 41–71 for women, the month
// 01–12, and the day must exist in that month. A NIK holds only two digits of
// the year, so 29 February is accepted when either 19YY or 20YY is a leap
// year (YY divisible by 4, including 00 because 2000 was a leap year).
//
// Regency and district codes are checked for shape only (01–99): there are
// 514 regencies and cities and over 7,000 districts, and their codes change
// as regions are split, so a table would go stale and turn valid NIKs away.
//
// ParseNIK is a structural check: it says nothing about whether Dukcapil
// issued the number, and it does not allocate unless it fails.
func ParseNIK(s string) (NIK, error) {
	if err := checkNIK(s); err != nil {
		return "", nikError(s, err)
	}
	return NIK(s), nil
}

// nikError adds to reason what is wrong, without the digits.
func nikError(s string, reason error) error {
	switch reason {
	case errNIKLength:
		return fmt.Errorf("%w: %d bytes", reason, len(s))
	case errNIKNonDigit:
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return fmt.Errorf("%w: byte %d", reason, i)
			}
		}
	case errNIKProvince:
		return fmt.Errorf("%w %q", reason, s[:2])
	}
	return reason
}

// checkNIK returns nil if s is a well-formed NIK, or the first reason it is
// not.
func checkNIK(s string) error {
	if len(s) != nikLength {
		return errNIKLength
	}
	for i := 0; i < nikLength; i++ {
		if s[i] < '0' || s[i] > '9' {
			return errNIKNonDigit
		}
	}
	if _, ok := lookupProvince(s[:2]); !ok {
		return errNIKProvince
	}
	if s[2] == '0' && s[3] == '0' {
		return errNIKRegency
	}
	if s[4] == '0' && s[5] == '0' {
		return errNIKDistrict
	}
	day, month, yy := two(s, 6), two(s, 8), two(s, 10)
	if day > 40 {
		day -= 40
	}
	if day < 1 || day > 31 || month < 1 || month > 12 || day > maxDay(time.Month(month), yy) {
		return errNIKBirthDate
	}
	if s[12] == '0' && s[13] == '0' && s[14] == '0' && s[15] == '0' {
		return errNIKSerial
	}
	return nil
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
func (n NIK) wellFormed() bool { return checkNIK(string(n)) == nil }

// provinceCode returns the two-digit province code ("31"), or "" if n is not
// well formed.
func (n NIK) provinceCode() string {
	if !n.wellFormed() {
		return ""
	}
	return string(n[:2])
}

// sex returns the sex that the NIK encodes: [SexFemale] when 40 was added to
// the birth day, [SexMale] otherwise, and the zero Sex if n is not well
// formed.
func (n NIK) sex() Sex {
	if !n.wellFormed() {
		return 0
	}
	if two(string(n), 6) > 40 {
		return SexFemale
	}
	return SexMale
}

// birthDay returns the birth day (1–31, with the 40 for women removed), the
// month, and the two-digit year (0–99) that the NIK encodes, or zeros if n
// is not well formed. The century is not in the NIK.
func (n NIK) birthDay() (day int, month time.Month, yy int) {
	if !n.wellFormed() {
		return 0, 0, 0
	}
	day = two(string(n), 6)
	if day > 40 {
		day -= 40
	}
	return day, time.Month(two(string(n), 8)), two(string(n), 10)
}

// matchesBirthDate reports whether the birth date encoded in n agrees with
// d: same day, same month, and d.Year%100 equal to the NIK's two-digit year.
// It returns false if n is not well formed or d is the zero Date.
func (n NIK) matchesBirthDate(d Date) bool {
	day, month, yy := n.birthDay()
	if day == 0 || d.isZero() || d.Year < 0 {
		return false
	}
	return d.Day == day && d.Month == month && d.Year%100 == yy
}

// nikFromWire reads the CBOR integer form of a NIK with the full ParseNIK
// check. Every 16-digit number is at least 10^15 > 2^32, so the canonical
// encoding of a well-formed NIK is always 9 bytes.
func nikFromWire(v uint64) (NIK, error) {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return ParseNIK(string(buf[i:]))
}

// wire returns the CBOR integer form of n, or an error wrapping
// [ErrInvalidValue] if n is not well formed.
func (n NIK) wire() (uint64, error) {
	if err := checkNIK(string(n)); err != nil {
		return 0, nikError(string(n), err)
	}
	var v uint64
	for i := 0; i < nikLength; i++ {
		v = v*10 + uint64(n[i]-'0')
	}
	return v, nil
}
