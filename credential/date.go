package credential

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time zone: a birth date, an issue date,
// or a validity end date as printed on a KTP. The zero Date is "no date".
//
// A Date built as a literal may not exist (31 February): [KTP.Validate]
// reports that, and the JSON decoding never returns one. Years run from 1800 to
// 9999.
//
// On the wire a Date is the CBOR unsigned integer YYYYMMDD (for example
// 19850817): 5 bytes, against 11 for the RFC 3339 text form, and still
// readable in a CBOR dump.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// parseDate reads a date in the RFC 3339 full-date form "2006-01-02". It
// returns an error wrapping [ErrInvalidValue] for any other form and for a
// day that does not exist or lies outside years 1800–9999.
func parseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrInvalidValue, truncate(s))
	}
	d := dateOf(t)
	if !d.valid() {
		return Date{}, fmt.Errorf("%w: date %v outside years 1800-9999", ErrInvalidValue, d)
	}
	return d, nil
}

// dateOf returns the calendar date of t in t's location.
func dateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// isZero reports whether d is the zero Date ("no date").
func (d Date) isZero() bool { return d == Date{} }

func (d Date) valid() bool {
	if d.Year < 1800 || d.Year > 9999 || d.Month < time.January || d.Month > time.December || d.Day < 1 {
		return false
	}
	return d.Day <= time.Date(d.Year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the date as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.isZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// card returns the date as printed on a KTP, "17-08-1985".
func (d Date) card() string {
	return fmt.Sprintf("%02d-%02d-%04d", d.Day, int(d.Month), d.Year)
}

// before reports whether d is before e.
func (d Date) before(e Date) bool { return d.compact() < e.compact() }

// compact returns d as the number YYYYMMDD, its wire form.
func (d Date) compact() uint64 {
	return uint64(d.Year)*10000 + uint64(d.Month)*100 + uint64(d.Day)
}

// dateFromCompact reads the number YYYYMMDD, and false if it is not a date
// that exists.
func dateFromCompact(n uint64) (Date, bool) {
	if n > 99991231 {
		return Date{}, false
	}
	d := Date{Year: int(n / 10000), Month: time.Month(n / 100 % 100), Day: int(n % 100)}
	return d, d.valid()
}

// ageOn returns the age in whole years of a person born on d, on day on.
func (d Date) ageOn(on Date) int {
	age := on.Year - d.Year
	if on.Month < d.Month || (on.Month == d.Month && on.Day < d.Day) {
		age--
	}
	return age
}

// maxQuoted is the longest input an error message quotes in full.
const maxQuoted = 40

// truncate shortens s for an error message, whatever its length.
func truncate(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%s… (%d bytes)", s[:maxQuoted], len(s))
	}
	return s
}
