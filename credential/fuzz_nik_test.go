package credential_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ikdgo/ikd/credential"
)

// nikSeeds are valid NIKs and inputs at the edges of every rule.
var nikSeeds = []string{
	nikMale, nikFemale,
	"3578017112009999", "3171012902000001", "9601011708850001", "1101013101700001",
	"", "3171011708850000", "3171013102850001", "3171012902010001", "3171017208850001",
	"3171014008850001", "9901011708850001", "3100011708850001", "3171001708850001",
	"31710117088500\u0660", "3171 01170885001", "+317101170885001", "317101170885000\xff",
	"99999999999999999999", "18446744073709551615",
}

// FuzzParseNIK checks that ParseNIK never panics, that every error is a
// *NIKError matching ErrInvalidNIK, and that an accepted NIK prints as its
// input and survives the CBOR and text round trips byte for byte.
func FuzzParseNIK(f *testing.F) {
	for _, s := range nikSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := credential.ParseNIK(s)

		// Accessors never panic, whatever the input.
		raw := credential.NIK(s)
		_ = raw.ProvinceCode() + raw.RegencyCode() + raw.DistrictCode() + raw.Serial()
		_, _, _ = raw.BirthDay()
		_ = raw.Sex()

		if err != nil {
			var ne *credential.NIKError
			if !errors.As(err, &ne) || !errors.Is(err, credential.ErrInvalidNIK) {
				t.Fatalf("ParseNIK(%q): error %v is not a *NIKError matching ErrInvalidNIK", s, err)
			}
			if ne.Reason == 0 || ne.Reason.String() == "" || ne.NIK != s {
				t.Fatalf("ParseNIK(%q): bad error %#v", s, ne)
			}
			if n != "" {
				t.Fatalf("ParseNIK(%q) returned %q with an error", s, n)
			}
			if raw.Sex().Valid() {
				t.Fatalf("malformed %q has a sex", s)
			}
			return
		}
		if n.String() != s {
			t.Fatalf("ParseNIK(%q).String() = %q", s, n.String())
		}
		if !n.Sex().Valid() {
			t.Fatalf("ParseNIK(%q): no sex", s)
		}
		if _, ok := credential.LookupProvince(n.ProvinceCode()); !ok {
			t.Fatalf("ParseNIK(%q): unknown province accepted", s)
		}
		day, month, yy := n.BirthDay()
		for _, year := range []int{1900 + yy, 2000 + yy} {
			d, err := credential.NewDate(year, month, day)
			if err == nil && !n.MatchesBirthDate(d) {
				t.Fatalf("ParseNIK(%q) does not match its own birth date %v", s, d)
			}
		}

		b, err := n.MarshalCBOR()
		if err != nil || len(b) != 9 {
			t.Fatalf("MarshalCBOR(%q) = %x, %v", s, b, err)
		}
		var back credential.NIK
		if err := back.UnmarshalCBOR(b); err != nil || back != n {
			t.Fatalf("CBOR round trip of %q: %q, %v", s, back, err)
		}
		again, err := back.MarshalCBOR()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("CBOR re-encoding of %q differs: %x != %x", s, again, b)
		}

		text, err := n.MarshalText()
		if err != nil || string(text) != s {
			t.Fatalf("MarshalText(%q) = %q, %v", s, text, err)
		}
		var fromText credential.NIK
		if err := fromText.UnmarshalText(text); err != nil || fromText != n {
			t.Fatalf("text round trip of %q: %q, %v", s, fromText, err)
		}
	})
}

// FuzzNIKCBOR checks that UnmarshalCBOR never panics, that it accepts only
// the canonical 9-byte form of a valid NIK (decode → encode is
// byte-identical), and that every error matches ErrInvalidNIK.
func FuzzNIKCBOR(f *testing.F) {
	for _, s := range nikSeeds {
		if n, err := credential.ParseNIK(s); err == nil {
			b, err := n.MarshalCBOR()
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			f.Add(append(b, 0x00))
			f.Add(b[:8])
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0x00})
	f.Add([]byte{0x1b, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x3b, 0x00, 0x0b, 0x44, 0x14, 0x1c, 0xbd, 0x5b, 0xa1})
	f.Add(append([]byte{0x70}, nikMale...))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := credential.NIK("sentinel")
		err := n.UnmarshalCBOR(data)
		if err != nil {
			if !errors.Is(err, credential.ErrInvalidNIK) {
				t.Fatalf("UnmarshalCBOR(%x): error %v does not match ErrInvalidNIK", data, err)
			}
			if n != "sentinel" {
				t.Fatalf("UnmarshalCBOR(%x) changed the value on error", data)
			}
			return
		}
		if _, err := credential.ParseNIK(n.String()); err != nil {
			t.Fatalf("UnmarshalCBOR(%x) accepted malformed %q", data, n)
		}
		again, err := n.MarshalCBOR()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("UnmarshalCBOR(%x) → %q → %x, %v", data, n, again, err)
		}
	})
}
