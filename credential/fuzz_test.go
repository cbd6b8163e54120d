package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// goldenSeeds returns the bytes of every golden file (credentials and
// their payloads, hex).
func goldenSeeds(f *testing.F) [][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.hex"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden seeds: %v", err)
	}
	var out [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		b, err := hex.DecodeString(strings.TrimSpace(string(data)))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzParse feeds arbitrary bytes to Parse, seeded from the golden
// credentials (every profile, both algorithms, the three sample holders).
// Properties: Parse never panics; every error is ErrMalformed; when it
// succeeds, the credential's content encodes back to the payload bytes
// exactly (the decoder accepts canonical input only and loses nothing),
// Bytes is the input, and Verify returns a result exactly when it returns
// no error, the error being ErrBadSignature or a *ValidationError.
func FuzzParse(f *testing.F) {
	for _, b := range goldenSeeds(f) {
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{0xd2, 0x84})
	ed := ed25519.NewKeyFromSeed(make([]byte, 32)).Public()
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), bytes.NewReader(make([]byte, 64)))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			if s != nil {
				t.Fatal("Signed returned with an error")
			}
			return
		}
		c := s.UnverifiedCredential()
		again, err := encodePayload(&payload{
			Issuer:    c.Issuer,
			IssuedAt:  c.IssuedAt.Unix(),
			Expiry:    c.Expiry.Unix(),
			DeviceKey: c.DeviceKey,
			Profile:   c.Profile,
			Status:    c.Status,
			Claims:    c.Claims,
			KK:        c.KK,
			Birth:     c.BirthCertificate,
		})
		if err != nil {
			t.Fatalf("accepted payload does not re-encode: %v", err)
		}
		if !bytes.Equal(again, s.msg.Payload) {
			t.Fatalf("re-encoded payload differs:\n got %x\nwant %x", again, s.msg.Payload)
		}
		if c.DeviceKey == nil || !c.Profile.valid() || !c.Expiry.After(c.IssuedAt) || len(s.UnverifiedKeyID()) == 0 {
			t.Fatalf("accepted credential is inconsistent: %+v", c)
		}
		if !bytes.Equal(s.Bytes(), data) {
			t.Fatal("Bytes is not the input")
		}
		for _, pub := range []any{ed, &ec.PublicKey, nil} {
			got, err := s.Verify(pub)
			if (got == nil) == (err == nil) {
				t.Fatalf("Verify: result %v with error %v", got, err)
			}
			var ve *ValidationError
			if err != nil && err != ErrBadSignature && !errors.As(err, &ve) {
				t.Fatalf("Verify: unexpected error %v", err)
			}
		}
	})
}

// nikSeeds are valid NIKs and inputs at the edges of every rule.
var nikSeeds = []string{
	"3171011708850001", "3171015708850002",
	"3578017112009999", "3171012902000001", "9601011708850001", "1101013101700001",
	"", "3171011708850000", "3171013102850001", "3171012902010001", "3171017208850001",
	"3171014008850001", "9901011708850001", "3100011708850001", "3171001708850001",
	"31710117088500\u0660", "3171 01170885001", "+317101170885001", "317101170885000\xff",
	"99999999999999999999", "18446744073709551615",
}

// FuzzParseNIK checks that ParseNIK never panics; that every error wraps
// ErrInvalidValue and exactly one reason and, for an input of digits, does
// not repeat them; and that an accepted NIK is its input, encodes what a
// NIK encodes, and survives the wire round trip.
func FuzzParseNIK(f *testing.F) {
	for _, s := range nikSeeds {
		f.Add(s)
	}
	reasons := []error{errNIKLength, errNIKNonDigit, errNIKProvince, errNIKRegency, errNIKDistrict, errNIKBirthDate, errNIKSerial}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNIK(s)

		// What a NIK encodes never panics, whatever the input.
		raw := NIK(s)
		_ = raw.provinceCode()
		_, _, _ = raw.birthDay()
		_ = raw.sex()

		if err != nil {
			if !errors.Is(err, ErrInvalidValue) {
				t.Fatalf("ParseNIK(%q): error %v does not wrap ErrInvalidValue", s, err)
			}
			matched := 0
			for _, r := range reasons {
				if errors.Is(err, r) {
					matched++
				}
			}
			if matched != 1 {
				t.Fatalf("ParseNIK(%q): %v matches %d reasons", s, err, matched)
			}
			if _, perr := strconv.ParseUint(s, 10, 64); perr == nil && len(s) >= 6 && strings.Contains(err.Error(), s[2:]) {
				t.Fatalf("ParseNIK(%q): message %q repeats the digits", s, err)
			}
			if n != "" || raw.sex() != 0 {
				t.Fatalf("ParseNIK(%q) returned %q, sex %v with an error", s, n, raw.sex())
			}
			return
		}
		if string(n) != s {
			t.Fatalf("ParseNIK(%q) = %q", s, n)
		}
		if n.sex() == 0 {
			t.Fatalf("ParseNIK(%q): no sex", s)
		}
		if _, ok := lookupProvince(n.provinceCode()); !ok {
			t.Fatalf("ParseNIK(%q): unknown province accepted", s)
		}
		day, month, yy := n.birthDay()
		for _, year := range []int{1900 + yy, 2000 + yy} {
			if d := (Date{year, month, day}); d.valid() && !n.matchesBirthDate(d) {
				t.Fatalf("ParseNIK(%q) does not match its own birth date %v", s, d)
			}
		}
		v, err := n.wire()
		if err != nil {
			t.Fatalf("wire(%q): %v", s, err)
		}
		if back, err := nikFromWire(v); err != nil || back != n {
			t.Fatalf("wire round trip of %q: %q, %v", s, back, err)
		}
	})
}

// FuzzNIKWire checks that reading a NIK from its wire integer never panics,
// fails only with ErrInvalidValue, and gives back the same integer.
func FuzzNIKWire(f *testing.F) {
	for _, s := range nikSeeds {
		if v, err := strconv.ParseUint(s, 10, 64); err == nil {
			f.Add(v)
		}
	}
	f.Add(uint64(0))
	f.Add(uint64(1))
	f.Add(^uint64(0))
	f.Add(uint64(999_999_999_999_999))
	f.Add(uint64(10_000_000_000_000_000))
	f.Fuzz(func(t *testing.T, v uint64) {
		n, err := nikFromWire(v)
		if err != nil {
			if !errors.Is(err, ErrInvalidValue) || n != "" {
				t.Fatalf("nikFromWire(%d) = %q, %v", v, n, err)
			}
			return
		}
		if again, err := n.wire(); err != nil || again != v {
			t.Fatalf("nikFromWire(%d) → %q → %d, %v", v, n, again, err)
		}
	})
}

// jsonSeeds are person records: complete, with aliases, and broken in the
// ways UnmarshalJSON must report.
var jsonSeeds = []string{
	`{"nik":"3171011708850003","name":"BUDI SANTOSO","birth_place":"JAKARTA","birth_date":"1985-08-17",` +
		`"sex":"male","blood_type":"o","address":{"street":"JL. MERDEKA SELATAN NO. 10","rt":5,"rw":2,` +
		`"kelurahan":"GAMBIR","kecamatan":"GAMBIR","regency":"JAKARTA PUSAT","province":"DKI JAKARTA"},` +
		`"religion":"islam","marital_status":"married","occupation":"KARYAWAN SWASTA","citizenship":"indonesian",` +
		`"validity":"SEUMUR HIDUP","issuing_office":"JAKARTA PUSAT","issue_date":"2019-03-12"}`,
	`{"nik":"5103012211780007","citizenship":"WNA","nationality":"JPN","validity":"2030-06-30","over_17":true}`,
	`{"sex":"PEREMPUAN","blood_type":"-","religion":"KATHOLIK","marital_status":"belum menikah","validity":"lifetime"}`,
	`{"sex":"X","nik":"123","birth_date":"1985-02-30","rt":5,"address":{"rt":70000,"zip":"1"},"over_17":"yes"}`,
	`{"name":1,"name":"A"}`, `[]`, `null`, `{}`, `{"address":null,"sex":""}`, `{"nik":"3171011708850003"} x`,
}

// FuzzKTPJSON checks that UnmarshalJSON never panics; that it fails only
// with a *ValidationError of ErrInvalidValue problems, leaving the KTP as it
// was when the input is not a JSON object, and with the members that did
// decode set otherwise (which Validate and MarshalJSON then handle without
// panicking); and that what it accepts writes back with MarshalJSON and
// reads back to the same KTP, the second encoding byte-identical to the
// first.
func FuzzKTPJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sentinel := KTP{Name: "SENTINEL"}
		k := sentinel
		err := k.UnmarshalJSON(data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("UnmarshalJSON(%q): %v is not a *ValidationError", data, err)
			}
			for _, p := range ve.Problems {
				if !errors.Is(p, ErrInvalidValue) {
					t.Fatalf("UnmarshalJSON(%q): problem %v is not ErrInvalidValue", data, p)
				}
			}
			var object map[string]json.RawMessage
			if json.Unmarshal(data, &object) != nil && !reflect.DeepEqual(k, sentinel) {
				t.Fatalf("UnmarshalJSON(%q) changed the KTP although the input is not an object", data)
			}
			_ = k.Validate(ProfileFull)
			_, _ = k.MarshalJSON()
			return
		}
		out, err := k.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON of what %q decoded to: %v", data, err)
		}
		var back KTP
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("UnmarshalJSON(%s): %v", out, err)
		}
		if !reflect.DeepEqual(back, k) {
			t.Fatalf("round trip of %q: %+v != %+v", data, back, k)
		}
		again, err := back.MarshalJSON()
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("second encoding of %q differs: %s != %s (%v)", data, again, out, err)
		}
	})
}

// FuzzDecodePayload holds the one-pass payload decoder to the reference it
// replaced (strict fxamacker decoding, then re-encoding and comparing):
// both accept exactly the same inputs and decode them to the same payload.
// Seeds: the payloads of the golden credentials, and each with one byte
// changed, dropped or added.
func FuzzDecodePayload(f *testing.F) {
	for _, b := range goldenSeeds(f) {
		s, err := Parse(b)
		if err != nil {
			continue // a golden file that is not a whole credential
		}
		p := s.msg.Payload
		f.Add(p)
		f.Add(p[:len(p)-1])
		f.Add(append(bytes.Clone(p), 0))
		for _, i := range []int{1, len(p) / 3, len(p) / 2, len(p) - 2} {
			q := bytes.Clone(p)
			q[i] ^= 0x01
			f.Add(q)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodePayload(data)
		want, refErr := decodePayloadReference(data)
		if (err == nil) != (refErr == nil) {
			t.Fatalf("one-pass decoder: %v; reference: %v", err, refErr)
		}
		if err != nil {
			if got != nil {
				t.Fatal("payload returned with an error")
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decoders disagree:\n one-pass %+v\nreference %+v", got, want)
		}
	})
}

// FuzzKKNumber checks that checkKKNumber, which reads a KK number for
// Validate and for the wire decoder, never panics, fails only with
// ErrInvalidValue without repeating more than the province code, and that
// an accepted number survives the wire's integer form.
func FuzzKKNumber(f *testing.F) {
	for _, s := range append(nikSeeds, "3171012003120007", "3171013102120007", "3171012003120000", "3171002003120007") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := checkKKNumber(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidValue) {
				t.Fatalf("checkKKNumber(%q): %v", s, err)
			}
			if len(s) == nikLength && len(s) > 4 && strings.Contains(err.Error(), s[2:]) {
				t.Fatalf("checkKKNumber(%q): error repeats the number: %v", s, err)
			}
			return
		}
		w, err := kkToWire(&KK{Number: s})
		if err != nil {
			t.Fatalf("kkToWire(%q): %v", s, err)
		}
		if strconv.FormatUint(w.Number, 10) != s {
			t.Fatalf("wire form of %q is %d", s, w.Number)
		}
	})
}

// familyJSONSeeds are record JSON inputs for FuzzFamilyJSON: the sample
// records (docs/records) and broken variants.
var familyJSONSeeds = []string{
	`{}`, `null`, `[]`, `{"members":[{}]}`, `{"members":null}`, `{"members":[1]}`,
	`{"kk_number":"3171012003120007","members":[{"member_name":"A","member_sex":"male","member_relationship":"head"}]}`,
	`{"kk_address":{"postal_code":"10110","rt":5}}`, `{"kk_address":{"postal_code":10110}}`,
	`{"akta_number":"3171-LT-05082014-0123","akta_birth_order":2,"akta_child_nik":"3171012107140002"}`,
	`{"akta_birth_order":-1}`, `{"akta_sex":"P","akta_sex":"L"}`,
}

// FuzzFamilyJSON holds the KK and Akta record JSON decoders to the KTP's
// contract: never a panic, every failure a *ValidationError, input that is
// not an object leaves the record unchanged, and what decodes encodes and
// decodes back to itself.
func FuzzFamilyJSON(f *testing.F) {
	for _, s := range familyJSONSeeds {
		f.Add([]byte(s))
	}
	for _, name := range []string{"kk.json", "akta.json"} {
		if b, err := os.ReadFile(filepath.Join("..", "docs", "records", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error, unchanged bool) bool {
			if err == nil {
				return true
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("UnmarshalJSON(%q): %v is not a *ValidationError", data, err)
			}
			var object map[string]json.RawMessage
			if json.Unmarshal(data, &object) != nil && !unchanged {
				t.Fatalf("UnmarshalJSON(%q) changed the record although the input is not an object", data)
			}
			return false
		}
		k := KK{Head: "SENTINEL"}
		if check(k.UnmarshalJSON(data), reflect.DeepEqual(k, KK{Head: "SENTINEL"})) {
			out, err := k.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON of what %q decoded to: %v", data, err)
			}
			var back KK
			if err := back.UnmarshalJSON(out); err != nil && !bytes.Equal(out, []byte("{}")) {
				t.Fatalf("UnmarshalJSON(%s): %v", out, err)
			}
			if again, _ := back.MarshalJSON(); !bytes.Equal(again, out) {
				t.Fatalf("second encoding of %q differs: %s != %s", data, again, out)
			}
		}
		_ = k.Validate(ProfileKKFull)
		b := BirthCertificate{ChildName: "SENTINEL"}
		if check(b.UnmarshalJSON(data), reflect.DeepEqual(b, BirthCertificate{ChildName: "SENTINEL"})) {
			out, err := b.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON of what %q decoded to: %v", data, err)
			}
			var back BirthCertificate
			if err := back.UnmarshalJSON(out); err != nil && !bytes.Equal(out, []byte("{}")) {
				t.Fatalf("UnmarshalJSON(%s): %v", out, err)
			}
			if !reflect.DeepEqual(back, b) {
				t.Fatalf("round trip of %q: %+v != %+v", data, back, b)
			}
		}
		_ = b.Validate(ProfileAktaFull)
	})
}
