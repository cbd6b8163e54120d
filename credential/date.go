package credential

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date without a time zone: a birth date, an issue date,
// or a validity end date as printed on a KTP.
//
// On the wire a Date is the CBOR unsigned integer YYYYMMDD (for example
// 19850817): 5 bytes, against 11 for the RFC 3339 text form, and still
// readable in a CBOR dump. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalidDate reports a date that does not exist (31 February, month 13)
// or lies outside years 1800–9999.
var ErrInvalidDate = errors.New("credential: invalid date")

// NewDate returns the Date for year, month and day, or an error wrapping
// [ErrInvalidDate] if that day does not exist.
func NewDate(year int, month time.Month, day int) (Date, error) {
	d := Date{Year: year, Month: month, Day: day}
	if !d.valid() {
		return Date{}, fmt.Errorf("%w: %04d-%02d-%02d", ErrInvalidDate, year, int(month), day)
	}
	return d, nil
}

// ParseDate reads a date in the RFC 3339 full-date form "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q", ErrInvalidDate, s)
	}
	return NewDate(t.Year(), t.Month(), t.Day())
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d == Date{} }

func (d Date) valid() bool {
	if d.Year < 1800 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the date as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.compact() < e.compact() }

func (d Date) compact() uint64 {
	return uint64(d.Year)*10000 + uint64(d.Month)*100 + uint64(d.Day)
}

// AgeOn returns the age in whole years of a person born on d, on day on.
func (d Date) AgeOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// MarshalCBOR encodes d as the unsigned integer YYYYMMDD.
func (d Date) MarshalCBOR() ([]byte, error) {
	if d.IsZero() {
		return []byte{0x00}, nil
	}
	if !d.valid() {
		return nil, fmt.Errorf("%w: %v", ErrInvalidDate, d)
	}
	return marshal(d.compact())
}

// UnmarshalCBOR decodes the unsigned integer YYYYMMDD and rejects dates
// that do not exist.
func (d *Date) UnmarshalCBOR(data []byte) error {
	var n uint64
	if err := unmarshal(data, &n); err != nil {
		return err
	}
	if n == 0 {
		*d = Date{}
		return nil
	}
	got := Date{Year: int(n / 10000), Month: time.Month(n / 100 % 100), Day: int(n % 100)}
	if n > 99991231 || !got.valid() {
		return fmt.Errorf("%w: %d", ErrInvalidDate, n)
	}
	*d = got
	return nil
}

// MarshalText encodes d as "2006-01-02" (for JSON).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "2006-01-02"; the empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	got, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = got
	return nil
}
