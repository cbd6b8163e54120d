package mobile

import (
	"crypto/elliptic"
	"crypto/x509"
	"github.com/ikdgo/ikd/credential"
	"strings"
	"testing"

	"github.com/ikdgo/ikd/internal/testkit"
)

// FuzzVerifyText checks that every text gets a Result, never nil and never
// a panic, that a Result is accepted exactly when it has no reason, and that
// a refusal carries its messages and an empty, non-nil claim list.
func FuzzVerifyText(f *testing.F) {
	fx := newFixture(f, &Policy{Name: PolicyShare})
	for _, claims := range []string{"", "over_17", "address"} {
		code, err := fx.wallet.NextCode(claims, "")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(code.Text)
		f.Add(code.Text[:len(code.Text)/2])
	}
	f.Add("IKD1:")
	f.Add("IKD2:AAAA")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		res := fx.scanner.VerifyText(text)
		if res == nil || res.Claims == nil {
			t.Fatal("nil result or claims")
		}
		if res.Accepted != (res.Reason == "") {
			t.Fatalf("accepted %v with reason %q", res.Accepted, res.Reason)
		}
		if !res.Accepted && (res.MessageIndonesian == "" || res.MessageEnglish == "" || res.Claims.Count() != 0 || strings.HasPrefix(res.Reason, "Reason(")) {
			t.Fatalf("refusal %+v", res)
		}
	})
}

// FuzzVerifyFrame checks that every frame description is either refused
// with invalid_argument before any pixel is read, or verified to a Result.
func FuzzVerifyFrame(f *testing.F) {
	fx := newFixture(f, nil)
	f.Add(make([]byte, 21*21), int64(21), int64(21), int64(21))
	f.Add(make([]byte, 64*40), int64(30), int64(40), int64(64))
	f.Add([]byte{1}, int64(1), int64(1), int64(1))
	f.Add([]byte{}, int64(0), int64(0), int64(0))
	f.Add(make([]byte, 16), int64(1)<<62, int64(4), int64(1)<<62)
	f.Add(make([]byte, 16), int64(-1), int64(-1), int64(-1))
	f.Fuzz(func(t *testing.T, gray []byte, width, height, stride int64) {
		res, err := fx.scanner.VerifyFrame(gray, width, height, stride)
		if err != nil {
			if res != nil || codeOf(err) != codeInvalidArgument {
				t.Fatalf("result %v with error %v", res, err)
			}
			return
		}
		if res == nil || res.Claims == nil || res.Accepted != (res.Reason == "") {
			t.Fatalf("result %+v", res)
		}
		if need := stride*(height-1) + width; width < 1 || height < 1 || stride < width || int64(len(gray)) < need {
			t.Fatalf("frame %d × %d stride %d of %d bytes was read", width, height, stride, len(gray))
		}
	})
}

// FuzzParseDevicePublicKey checks that every key the wallet accepts is a
// P-256 point and that every refusal is a device error.
func FuzzParseDevicePublicKey(f *testing.F) {
	k := testkit.Device("fuzz")
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		f.Fatal(err)
	}
	point, err := k.PublicKey.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(spki)
	f.Add(point)
	f.Add(elliptic.MarshalCompressed(elliptic.P256(), k.X, k.Y))
	f.Add([]byte{0x04})
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, err := parseDevicePublicKey(b)
		if err != nil {
			if pub != nil || codeOf(err) != codeDevice {
				t.Fatalf("key %v with error %v", pub, err)
			}
			return
		}
		if pub.Curve != elliptic.P256() {
			t.Fatalf("accepted a key on %v", pub.Curve.Params().Name)
		}
		if _, err := pub.ECDH(); err != nil {
			t.Fatalf("accepted a key that is not a point: %v", err)
		}
	})
}

// FuzzParseClaims checks that a claim list is either refused with
// invalid_argument or read to claims whose keys read back the same.
func FuzzParseClaims(f *testing.F) {
	for _, s := range []string{"", "name,nik", " nik , name ", "over_17", "nik,", "religon", ",,", "kk_number,member_name", "akta_number"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		doc := credential.Document(d%3 + 1)
		claims, err := parseClaims(s, doc)
		if err != nil {
			if codeOf(err) != codeInvalidArgument {
				t.Fatalf("error %v", err)
			}
			return
		}
		keys := make([]string, len(claims))
		for i, c := range claims {
			keys[i] = c.String()
		}
		for _, c := range claims {
			if c.Document() != doc {
				t.Fatalf("%q read for %v holds %v of %v", s, doc, c, c.Document())
			}
		}
		again, err := parseClaims(strings.Join(keys, ","), doc)
		if err != nil || len(again) != len(claims) {
			t.Fatalf("%q read as %v, which reads back as %v, %v", s, claims, again, err)
		}
	})
}

// FuzzRequest checks that every Request is either refused with
// invalid_argument or read to a qr.Request of one known document whose
// claims all belong to it, with a NIK subject and an allowed lifetime.
func FuzzRequest(f *testing.F) {
	fx := newFixture(f, nil)
	for _, r := range []Request{
		{},
		{Document: "kk", Claims: "kk_number,member_name", Subject: "3171012107140002", Lifetime: ShareFiveMinutes},
		{Document: "akta_kelahiran", Claims: "akta_number"},
		{Claims: "name,nik", Audience: "KAI"},
		{Lifetime: ShareOneHour, LinkBase: "https://verify.example.id/S/"},
		{Document: "KK", Claims: "nik"},
	} {
		f.Add(r.Document, r.Claims, r.Subject, r.Audience, r.Lifetime, r.LinkBase)
	}
	f.Fuzz(func(t *testing.T, doc, claims, subject, audience string, lifetime int64, linkBase string) {
		req, err := fx.wallet.request(&Request{Document: doc, Claims: claims, Subject: subject, Audience: audience, Lifetime: lifetime, LinkBase: linkBase})
		if err != nil {
			if codeOf(err) != codeInvalidArgument {
				t.Fatalf("error %v", err)
			}
			return
		}
		if req.Document.String() != doc && doc != "" {
			t.Fatalf("document %q read as %v", doc, req.Document)
		}
		for _, c := range req.Claims {
			if c.Document() != req.Document {
				t.Fatalf("claim %v of %v in a request for %v", c, c.Document(), req.Document)
			}
		}
		if subject != "" && string(req.Subject) != subject {
			t.Fatalf("subject %q read as %q", subject, req.Subject)
		}
		if lifetime != 0 && lifetime != ShareFiveMinutes && lifetime != ShareOneHour {
			t.Fatalf("lifetime %d accepted", lifetime)
		}
	})
}
