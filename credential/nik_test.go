package credential_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
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
		regency  string
		district string
		sex      credential.Sex
		day      int
		month    time.Month
		yy       int
		serial   string
	}{
		{"man", nikMale, "31", "3171", "317101", credential.SexMale, 17, time.August, 85, "0001"},
		{"woman_day_plus_40", nikFemale, "31", "3171", "317101", credential.SexFemale, 17, time.August, 85, "0002"},
		{"woman_day_41_is_the_first", "3201024101990123", "32", "3201", "320102", credential.SexFemale, 1, time.January, 99, "0123"},
		{"woman_day_71_is_the_31st", "3578017112009999", "35", "3578", "357801", credential.SexFemale, 31, time.December, 0, "9999"},
		{"man_day_31", "1101013101700001", "11", "1101", "110101", credential.SexMale, 31, time.January, 70, "0001"},
		{"29_feb_yy00_2000_was_leap", "3171012902000001", "31", "3171", "317101", credential.SexMale, 29, time.February, 0, "0001"},
		{"29_feb_yy04", "3171012902040001", "31", "3171", "317101", credential.SexMale, 29, time.February, 4, "0001"},
		{"29_feb_woman_yy96", "3171016902960001", "31", "3171", "317101", credential.SexFemale, 29, time.February, 96, "0001"},
		{"30_apr", "3171013004850001", "31", "3171", "317101", credential.SexMale, 30, time.April, 85, "0001"},
		{"papua_barat_daya_96", "9601011708850001", "96", "9601", "960101", credential.SexMale, 17, time.August, 85, "0001"},
		{"papua_pegunungan_95", "9502015708850001", "95", "9502", "950201", credential.SexFemale, 17, time.August, 85, "0001"},
		{"regency_99_district_99", "1299991708850001", "12", "1299", "129999", credential.SexMale, 17, time.August, 85, "0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := credential.ParseNIK(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.in, n.String())
			assert.Equal(t, tt.province, n.ProvinceCode())
			assert.Equal(t, tt.regency, n.RegencyCode())
			assert.Equal(t, tt.district, n.DistrictCode())
			assert.Equal(t, tt.sex, n.Sex())
			day, month, yy := n.BirthDay()
			assert.Equal(t, tt.day, day)
			assert.Equal(t, tt.month, month)
			assert.Equal(t, tt.yy, yy)
			assert.Equal(t, tt.serial, n.Serial())
			_, ok := credential.LookupProvince(n.ProvinceCode())
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
		reason credential.NIKReason
	}{
		{"empty", "", credential.NIKReasonLength},
		{"15_digits", nikMale[:15], credential.NIKReasonLength},
		{"17_digits", nikMale + "1", credential.NIKReasonLength},
		{"dotted_form", "31.71.01.170885.0001", credential.NIKReasonLength},
		{"all_full_width_digits", strings.Repeat(fullWidthOne, 16), credential.NIKReasonLength},
		{"letter", "317101170885000a", credential.NIKReasonNonDigit},
		{"space_inside", "3171 01170885001", credential.NIKReasonNonDigit},
		{"leading_space", " 317101170885001", credential.NIKReasonNonDigit},
		{"trailing_newline", "317101170885001\n", credential.NIKReasonNonDigit},
		{"plus_sign", "+317101170885001", credential.NIKReasonNonDigit},
		{"minus_sign", "-317101170885001", credential.NIKReasonNonDigit},
		{"nul_byte", "317101170885000\x00", credential.NIKReasonNonDigit},
		{"arabic_indic_digit_16_bytes", "31710117088500" + arabicIndicZero, credential.NIKReasonNonDigit},
		{"full_width_digit_16_bytes", "3171011708850" + fullWidthOne, credential.NIKReasonNonDigit},
		{"invalid_utf8", "317101170885000\xff", credential.NIKReasonNonDigit},
		{"province_00", "0071011708850001", credential.NIKReasonProvince},
		{"province_10", "1071011708850001", credential.NIKReasonProvince},
		{"province_20", "2071011708850001", credential.NIKReasonProvince},
		{"province_37", "3771011708850001", credential.NIKReasonProvince},
		{"province_97", "9701011708850001", credential.NIKReasonProvince},
		{"province_99", "9901011708850001", credential.NIKReasonProvince},
		{"regency_00", "3100011708850001", credential.NIKReasonRegency},
		{"district_00", "3171001708850001", credential.NIKReasonDistrict},
		{"day_00", "3171010008850001", credential.NIKReasonBirthDate},
		{"day_32", "3171013208850001", credential.NIKReasonBirthDate},
		{"day_40", "3171014008850001", credential.NIKReasonBirthDate},
		{"day_72", "3171017208850001", credential.NIKReasonBirthDate},
		{"day_99", "3171019908850001", credential.NIKReasonBirthDate},
		{"month_00", "3171011700850001", credential.NIKReasonBirthDate},
		{"month_13", "3171011713850001", credential.NIKReasonBirthDate},
		{"31_feb", "3171013102850001", credential.NIKReasonBirthDate},
		{"30_feb", "3171013002850001", credential.NIKReasonBirthDate},
		{"29_feb_yy01_neither_1901_nor_2001_leap", "3171012902010001", credential.NIKReasonBirthDate},
		{"29_feb_yy85", "3171012902850001", credential.NIKReasonBirthDate},
		{"woman_30_feb", "3171017002850001", credential.NIKReasonBirthDate},
		{"woman_31_apr", "3171017104850001", credential.NIKReasonBirthDate},
		{"31_jun", "3171013106850001", credential.NIKReasonBirthDate},
		{"31_nov", "3171013111850001", credential.NIKReasonBirthDate},
		{"serial_0000", "3171011708850000", credential.NIKReasonSerial},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := credential.ParseNIK(tt.in)
			require.Error(t, err)
			assert.Empty(t, n)
			assert.ErrorIs(t, err, credential.ErrInvalidNIK)
			var ne *credential.NIKError
			require.ErrorAs(t, err, &ne)
			assert.Equal(t, tt.reason, ne.Reason, "reason %v", ne.Reason)
			assert.Equal(t, tt.in, ne.NIK)
			assert.True(t, strings.HasPrefix(err.Error(), "credential: invalid NIK"), err.Error())
			if len(tt.in) >= 6 {
				// The message must not leak the number (personal data).
				assert.NotContains(t, err.Error(), tt.in[2:])
			}

			// The accessors never panic on what ParseNIK refused, and say
			// nothing about the birth date or sex of a malformed number.
			raw := credential.NIK(tt.in)
			assert.Equal(t, credential.Sex(0), raw.Sex())
			d, m, y := raw.BirthDay()
			assert.Zero(t, d+int(m)+y)
			assert.False(t, raw.MatchesBirthDate(credential.Date{Year: 1985, Month: time.August, Day: 17}))
			_ = raw.ProvinceCode() + raw.RegencyCode() + raw.DistrictCode() + raw.Serial()
		})
	}
}

func TestNIK_accessorsOnMalformedValues(t *testing.T) {
	for _, s := range []string{"", "3", "31710117088500", "abcdefghijklmnop", "3171 01170885001"} {
		n := credential.NIK(s)
		assert.Empty(t, n.ProvinceCode(), s)
		assert.Empty(t, n.RegencyCode(), s)
		assert.Empty(t, n.DistrictCode(), s)
		assert.Empty(t, n.Serial(), s)
		assert.False(t, n.Sex().Valid(), s)
	}
}

func TestNIK_MatchesBirthDate(t *testing.T) {
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
			assert.Equal(t, tt.want, tt.n.MatchesBirthDate(tt.d))
		})
	}
}

func TestNIK_sexMismatch(t *testing.T) {
	// An issuer compares the sex the NIK encodes with the declared one.
	n, err := credential.ParseNIK(nikFemale)
	require.NoError(t, err)
	assert.NotEqual(t, credential.SexMale, n.Sex())
	assert.Equal(t, credential.SexFemale, n.Sex())
}

func nikCBOR(t *testing.T, s string) []byte {
	t.Helper()
	v, err := strconv.ParseUint(s, 10, 64)
	require.NoError(t, err)
	b := make([]byte, 9)
	b[0] = 0x1b
	binary.BigEndian.PutUint64(b[1:], v)
	return b
}

func TestNIK_CBOR(t *testing.T) {
	for _, s := range []string{nikMale, nikFemale, "9601011708850001", "1101013101700001"} {
		t.Run(s, func(t *testing.T) {
			n, err := credential.ParseNIK(s)
			require.NoError(t, err)
			want := nikCBOR(t, s)

			got, err := n.MarshalCBOR()
			require.NoError(t, err)
			assert.Equal(t, want, got)

			// Through the shared codec, as a field of a claims map.
			type claims struct {
				NIK credential.NIK `cbor:"1,keyasint"`
			}
			enc, err := codec.Marshal(claims{NIK: n})
			require.NoError(t, err)
			assert.Equal(t, append([]byte{0xa1, 0x01}, want...), enc)

			var back claims
			require.NoError(t, codec.Canonical(enc, &back))
			assert.Equal(t, n, back.NIK)
			again, err := codec.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, enc, again, "round trip is byte-exact")
		})
	}
}

func TestNIK_CBORSize(t *testing.T) {
	asUint, err := credential.NIK(nikMale).MarshalCBOR()
	require.NoError(t, err)
	asText, err := codec.Marshal(nikMale)
	require.NoError(t, err)
	assert.Len(t, asUint, 9)
	assert.Len(t, asText, 17)
}

func TestNIK_UnmarshalCBOR_rejects(t *testing.T) {
	valid := nikCBOR(t, nikMale)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"truncated", valid[:8]},
		{"trailing_byte", append(append([]byte{}, valid...), 0x00)},
		{"text_string", append([]byte{0x70}, nikMale...)},
		{"byte_string", append([]byte{0x50}, nikMale...)},
		{"small_uint", []byte{0x01}},
		{"zero", []byte{0x00}},
		{"non_shortest_uint_1", []byte{0x1b, 0, 0, 0, 0, 0, 0, 0, 1}},
		{"non_shortest_15_digits", nikCBOR(t, nikMale[1:])},
		{"uint64_max_overflows_16_digits", []byte{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"17_digits", nikCBOR(t, "10000000000000000")},
		{"negative", append([]byte{0x3b}, valid[1:]...)},
		{"float64", []byte{0xfb, 0x43, 0x26, 0x88, 0x6f, 0x3b, 0x4a, 0x2f, 0x00}},
		{"bignum_tag", append([]byte{0xc2, 0x48}, valid[1:]...)},
		{"serial_0000", nikCBOR(t, "3171011708850000")},
		{"unknown_province", nikCBOR(t, "9901011708850001")},
		{"31_feb", nikCBOR(t, "3171013102850001")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := credential.NIK("unchanged")
			err := n.UnmarshalCBOR(tt.in)
			require.Error(t, err)
			assert.ErrorIs(t, err, credential.ErrInvalidNIK)
			assert.Equal(t, credential.NIK("unchanged"), n)

			type claims struct {
				NIK credential.NIK `cbor:"1,keyasint"`
			}
			var c claims
			assert.Error(t, codec.Unmarshal(append([]byte{0xa1, 0x01}, tt.in...), &c))
		})
	}

	t.Run("reason_is_reported", func(t *testing.T) {
		var n credential.NIK
		err := n.UnmarshalCBOR(nikCBOR(t, "3171011708850000"))
		var ne *credential.NIKError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, credential.NIKReasonSerial, ne.Reason)
	})
}

func TestNIK_MarshalCBOR_rejectsMalformed(t *testing.T) {
	for _, s := range []string{"", "3171011708850000", "abc", "0000000000000000"} {
		_, err := credential.NIK(s).MarshalCBOR()
		assert.ErrorIs(t, err, credential.ErrInvalidNIK, s)
		_, err = codec.Marshal(struct {
			N credential.NIK `cbor:"1,keyasint"`
		}{credential.NIK(s)})
		assert.Error(t, err, s)
	}
	// An optional NIK is left out with omitzero.
	enc, err := codec.Marshal(struct {
		N credential.NIK `cbor:"1,keyasint,omitzero"`
	}{})
	require.NoError(t, err)
	assert.Equal(t, []byte{0xa0}, enc)
}

func TestNIK_JSON(t *testing.T) {
	type record struct {
		NIK credential.NIK `json:"nik"`
	}
	b, err := json.Marshal(record{NIK: nikFemale})
	require.NoError(t, err)
	assert.JSONEq(t, `{"nik":"`+nikFemale+`"}`, string(b))

	var r record
	require.NoError(t, json.Unmarshal(b, &r))
	assert.Equal(t, credential.NIK(nikFemale), r.NIK)

	for _, bad := range []string{
		`{"nik":"3171011708850000"}`,
		`{"nik":""}`,
		`{"nik":"317101170885000١"}`,
		`{"nik":3171011708850001}`,
	} {
		var r record
		err := json.Unmarshal([]byte(bad), &r)
		assert.Error(t, err, bad)
		assert.Empty(t, r.NIK, bad)
	}
	_, err = json.Marshal(record{NIK: "123"})
	assert.Error(t, err)
}

func TestNIKReason_String(t *testing.T) {
	keys := map[credential.NIKReason]string{
		credential.NIKReasonLength:    "length",
		credential.NIKReasonNonDigit:  "non-digit",
		credential.NIKReasonProvince:  "unknown-province",
		credential.NIKReasonRegency:   "regency-zero",
		credential.NIKReasonDistrict:  "district-zero",
		credential.NIKReasonBirthDate: "birth-date",
		credential.NIKReasonSerial:    "serial-zero",
		0:                             "NIKReason(0)",
		99:                            "NIKReason(99)",
	}
	for r, want := range keys {
		assert.Equal(t, want, r.String())
	}
}

func TestNIKError_messages(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"123", "credential: invalid NIK: 3 bytes, want 16 digits"},
		{"31710117088500x1", "credential: invalid NIK: byte 14 is not an ASCII digit"},
		{"9901011708850001", `credential: invalid NIK: unknown province code "99"`},
		{"3100011708850001", "credential: invalid NIK: regency code 00"},
		{"3171001708850001", "credential: invalid NIK: district code 00"},
		{"3171013102850001", "credential: invalid NIK: impossible birth date"},
		{"3171011708850000", "credential: invalid NIK: serial number 0000"},
	}
	for _, tt := range tests {
		_, err := credential.ParseNIK(tt.in)
		require.Error(t, err)
		assert.Equal(t, tt.want, err.Error())
	}
	// A hand-built error with an unknown reason still prints.
	e := &credential.NIKError{Reason: 42}
	assert.Equal(t, "credential: invalid NIK: NIKReason(42)", e.Error())
	assert.True(t, errors.Is(e, credential.ErrInvalidNIK))
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

// BenchmarkNIKMarshalCBOR is the integer wire form; its baseline is
// BenchmarkNIKMarshalCBORTextBaseline, the same NIK as a CBOR text string.
func BenchmarkNIKMarshalCBOR(b *testing.B) {
	n := credential.NIK(nikFemale)
	b.ReportAllocs()
	for b.Loop() {
		out, err := n.MarshalCBOR()
		if err != nil {
			b.Fatal(err)
		}
		sinkBytes = out
	}
	b.ReportMetric(float64(len(sinkBytes)), "bytes/op-wire")
}

func BenchmarkNIKMarshalCBORTextBaseline(b *testing.B) {
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

// BenchmarkNIKUnmarshalCBOR decodes and validates; its baseline decodes
// the text form without validation.
func BenchmarkNIKUnmarshalCBOR(b *testing.B) {
	data, err := credential.NIK(nikFemale).MarshalCBOR()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var n credential.NIK
		if err := n.UnmarshalCBOR(data); err != nil {
			b.Fatal(err)
		}
		sinkNIK = n
	}
}

func BenchmarkNIKUnmarshalCBORTextBaseline(b *testing.B) {
	data, err := codec.Marshal(nikFemale)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var s string
		if err := codec.Unmarshal(data, &s); err != nil {
			b.Fatal(err)
		}
		sinkNIK = credential.NIK(s)
	}
}
