package credential_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/codec"
)

// Synthetic NIKs: district 317101 (Jakarta Selatan), born 17 August 1985.
const (
	nikMale   = "3171011708850001"
	nikFemale = "3171015708850002" // day 17 + 40
)

func TestParseNIK_valid(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		province string
		sex      credential.Sex
		day      int
		month    time.Month
		yy       int
	}{
		{"man", nikMale, "31", credential.SexMale, 17, time.August, 85},
		{"woman_day_plus_40", nikFemale, "31", credential.SexFemale, 17, time.August, 85},
		{"woman_day_41_is_the_first", "3201024101990123", "32", credential.SexFemale, 1, time.January, 99},
		{"woman_day_71_is_the_31st", "3578017112009999", "35", credential.SexFemale, 31, time.December, 0},
		{"man_day_31", "1101013101700001", "11", credential.SexMale, 31, time.January, 70},
		{"29_feb_yy00_2000_was_leap", "3171012902000001", "31", credential.SexMale, 29, time.February, 0},
		{"29_feb_yy04", "3171012902040001", "31", credential.SexMale, 29, time.February, 4},
		{"29_feb_woman_yy96", "3171016902960001", "31", credential.SexFemale, 29, time.February, 96},
		{"30_apr", "3171013004850001", "31", credential.SexMale, 30, time.April, 85},
		{"papua_barat_daya_96", "9601011708850001", "96", credential.SexMale, 17, time.August, 85},
		{"papua_pegunungan_95", "9502015708850001", "95", credential.SexFemale, 17, time.August, 85},
		{"regency_99_district_99", "1299991708850001", "12", credential.SexMale, 17, time.August, 85},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := credential.ParseNIK(tt.in)
			require.NoError(t, err)
			assert.Equal(t, credential.NIK(tt.in), n)
			assert.Equal(t, tt.province, credential.NIKProvinceCode(n))
			assert.Equal(t, tt.sex, credential.NIKSex(n))
			day, month, yy := credential.NIKBirthDay(n)
			assert.Equal(t, tt.day, day)
			assert.Equal(t, tt.month, month)
			assert.Equal(t, tt.yy, yy)
			_, ok := credential.LookupProvince(credential.NIKProvinceCode(n))
			assert.True(t, ok)
		})
	}
}

func TestParseNIK_invalid(t *testing.T) {
	const arabicIndicZero = "\u0660" // ٠, 2 bytes in UTF-8
	const fullWidthOne = "\uff11"    // １, 3 bytes in UTF-8
	tests := []struct {
		name   string
		in     string
		reason error
	}{
		{"empty", "", credential.ErrNIKLength},
		{"15_digits", nikMale[:15], credential.ErrNIKLength},
		{"17_digits", nikMale + "1", credential.ErrNIKLength},
		{"dotted_form", "31.71.01.170885.0001", credential.ErrNIKLength},
		{"all_full_width_digits", strings.Repeat(fullWidthOne, 16), credential.ErrNIKLength},
		{"letter", "317101170885000a", credential.ErrNIKNonDigit},
		{"space_inside", "3171 01170885001", credential.ErrNIKNonDigit},
		{"leading_space", " 317101170885001", credential.ErrNIKNonDigit},
		{"trailing_newline", "317101170885001\n", credential.ErrNIKNonDigit},
		{"plus_sign", "+317101170885001", credential.ErrNIKNonDigit},
		{"minus_sign", "-317101170885001", credential.ErrNIKNonDigit},
		{"nul_byte", "317101170885000\x00", credential.ErrNIKNonDigit},
		{"arabic_indic_digit_16_bytes", "31710117088500" + arabicIndicZero, credential.ErrNIKNonDigit},
		{"full_width_digit_16_bytes", "3171011708850" + fullWidthOne, credential.ErrNIKNonDigit},
		{"invalid_utf8", "317101170885000\xff", credential.ErrNIKNonDigit},
		{"province_00", "0071011708850001", credential.ErrNIKProvince},
		{"province_10", "1071011708850001", credential.ErrNIKProvince},
		{"province_20", "2071011708850001", credential.ErrNIKProvince},
		{"province_37", "3771011708850001", credential.ErrNIKProvince},
		{"province_97", "9701011708850001", credential.ErrNIKProvince},
		{"province_99", "9901011708850001", credential.ErrNIKProvince},
		{"regency_00", "3100011708850001", credential.ErrNIKRegency},
		{"district_00", "3171001708850001", credential.ErrNIKDistrict},
		{"day_00", "3171010008850001", credential.ErrNIKBirthDate},
		{"day_32", "3171013208850001", credential.ErrNIKBirthDate},
		{"day_40", "3171014008850001", credential.ErrNIKBirthDate},
		{"day_72", "3171017208850001", credential.ErrNIKBirthDate},
		{"day_99", "3171019908850001", credential.ErrNIKBirthDate},
		{"month_00", "3171011700850001", credential.ErrNIKBirthDate},
		{"month_13", "3171011713850001", credential.ErrNIKBirthDate},
		{"31_feb", "3171013102850001", credential.ErrNIKBirthDate},
		{"30_feb", "3171013002850001", credential.ErrNIKBirthDate},
		{"29_feb_yy01_neither_1901_nor_2001_leap", "3171012902010001", credential.ErrNIKBirthDate},
		{"29_feb_yy85", "3171012902850001", credential.ErrNIKBirthDate},
		{"woman_30_feb", "3171017002850001", credential.ErrNIKBirthDate},
		{"woman_31_apr", "3171017104850001", credential.ErrNIKBirthDate},
		{"31_jun", "3171013106850001", credential.ErrNIKBirthDate},
		{"31_nov", "3171013111850001", credential.ErrNIKBirthDate},
		{"serial_0000", "3171011708850000", credential.ErrNIKSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := credential.ParseNIK(tt.in)
			require.Error(t, err)
			assert.Empty(t, n)
			assert.ErrorIs(t, err, credential.ErrInvalidValue)
			assert.ErrorIs(t, err, tt.reason)
			for _, other := range credential.NIKReasons {
				if other != tt.reason {
					assert.NotErrorIs(t, err, other, "one reason only")
				}
			}
			if len(tt.in) >= 6 {
				// The message must not leak the number (personal data).
				assert.NotContains(t, err.Error(), tt.in[2:])
			}

			// What a NIK encodes is nothing for a malformed one, and
			// asking never panics.
			raw := credential.NIK(tt.in)
			assert.Equal(t, credential.Sex(0), credential.NIKSex(raw))
			d, m, y := credential.NIKBirthDay(raw)
			assert.Zero(t, d+int(m)+y)
			assert.Empty(t, credential.NIKProvinceCode(raw))
			assert.False(t, credential.NIKMatchesBirthDate(raw, credential.Date{Year: 1985, Month: time.August, Day: 17}))
			_, err = credential.NIKToWire(raw)
			assert.ErrorIs(t, err, tt.reason)
		})
	}
}

func TestNIK_matchesBirthDate(t *testing.T) {
	man := credential.NIK(nikMale)
	woman := credential.NIK(nikFemale)
	tests := []struct {
		name string
		n    credential.NIK
		d    credential.Date
		want bool
	}{
		{"same_date", man, credential.Date{Year: 1985, Month: time.August, Day: 17}, true},
		{"woman_day_without_40", woman, credential.Date{Year: 1985, Month: time.August, Day: 17}, true},
		{"century_is_not_in_the_NIK", man, credential.Date{Year: 2085, Month: time.August, Day: 17}, true},
		{"other_day", man, credential.Date{Year: 1985, Month: time.August, Day: 18}, false},
		{"woman_day_with_40_is_not_a_date", woman, credential.Date{Year: 1985, Month: time.August, Day: 57}, false},
		{"other_month", man, credential.Date{Year: 1985, Month: time.July, Day: 17}, false},
		{"other_year", man, credential.Date{Year: 1986, Month: time.August, Day: 17}, false},
		{"zero_date", man, credential.Date{}, false},
		{"malformed_nik", credential.NIK("3171011708850000"), credential.Date{Year: 1985, Month: time.August, Day: 17}, false},
		{"yy00", credential.NIK("3171012902000001"), credential.Date{Year: 2000, Month: time.February, Day: 29}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, credential.NIKMatchesBirthDate(tt.n, tt.d))
		})
	}
}

// TestNIK_wire checks the wire form: the 16 digits as one CBOR unsigned
// integer of 9 bytes, against 17 for the text.
func TestNIK_wire(t *testing.T) {
	for _, s := range []string{nikMale, nikFemale, "9601011708850001", "1101013101700001"} {
		t.Run(s, func(t *testing.T) {
			n, err := credential.ParseNIK(s)
			require.NoError(t, err)
			v, err := credential.NIKToWire(n)
			require.NoError(t, err)
			enc, err := codec.Marshal(v)
			require.NoError(t, err)
			assert.Len(t, enc, 9)
			assert.Equal(t, byte(0x1b), enc[0], "major type 0, 8-byte argument")
			asText, err := codec.Marshal(s)
			require.NoError(t, err)
			assert.Len(t, asText, 17)

			back, err := credential.NIKFromWire(v)
			require.NoError(t, err)
			assert.Equal(t, n, back)
		})
	}
	for _, tc := range []struct {
		name   string
		v      uint64
		reason error
	}{
		{"zero", 0, credential.ErrNIKLength},
		{"one", 1, credential.ErrNIKLength},
		{"15 digits", 999_999_999_999_999, credential.ErrNIKLength},
		{"17 digits", 10_000_000_000_000_000, credential.ErrNIKLength},
		{"uint64 max", ^uint64(0), credential.ErrNIKLength},
		{"serial 0000", 3171011708850000, credential.ErrNIKSerial},
		{"unknown province", 9901011708850001, credential.ErrNIKProvince},
		{"31 Feb", 3171013102850001, credential.ErrNIKBirthDate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := credential.NIKFromWire(tc.v)
			assert.ErrorIs(t, err, tc.reason)
			assert.ErrorIs(t, err, credential.ErrInvalidValue)
			assert.Empty(t, n)
		})
	}
}

// TestParseNIK_errorsAreValues checks what a caller branches on: every
// ParseNIK error is an ErrInvalidValue, whatever the input.
func TestParseNIK_errorsAreValues(t *testing.T) {
	for _, s := range []string{"", "x", strings.Repeat("9", 1000), "3171011708850000"} {
		_, err := credential.ParseNIK(s)
		assert.True(t, errors.Is(err, credential.ErrInvalidValue), "%q", s)
		assert.Less(t, len(err.Error()), 200, "messages stay short")
	}
}

var sinkNIK credential.NIK

func BenchmarkParseNIK(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		n, err := credential.ParseNIK(nikFemale)
		if err != nil {
			b.Fatal(err)
		}
		sinkNIK = n
	}
}

var sinkBytes []byte

// BenchmarkNIKWire encodes a NIK as on the wire (checked, then the CBOR
// integer); its baseline is BenchmarkNIKWireTextBaseline, the same NIK as
// an unchecked CBOR text string.
func BenchmarkNIKWire(b *testing.B) {
	n := credential.NIK(nikFemale)
	b.ReportAllocs()
	for b.Loop() {
		v, err := credential.NIKToWire(n)
		if err != nil {
			b.Fatal(err)
		}
		out, err := codec.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes = out
	}
	b.ReportMetric(float64(len(sinkBytes)), "bytes/op-wire")
}

func BenchmarkNIKWireTextBaseline(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		out, err := codec.Marshal(nikFemale)
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes = out
	}
	b.ReportMetric(float64(len(sinkBytes)), "bytes/op-wire")
}
