package qr

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// benchProfiles are the profiles the benchmarks measure: the smallest code
// a gate sees and the largest.
var benchProfiles = []credential.Profile{credential.ProfileKAI, credential.ProfileFull}

func BenchmarkNewPresentation(b *testing.B) {
	creds, dev := issueCreds(b, "ES256", "man", testkit.Man())
	for _, prof := range benchProfiles {
		b.Run(prof.String(), func(b *testing.B) {
			cred := creds[prof]
			opts := &Options{Now: fixedClock(testkit.Now)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewPresentation(cred, dev, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncodeDecode(b *testing.B) {
	pres, _, _ := manKAI(b)
	b.Run("Encode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = Encode(pres)
		}
	})
	text := Encode(pres)
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParsePresentation(b *testing.B) {
	creds, dev := issueCreds(b, "ES256", "man", testkit.Man())
	for _, prof := range benchProfiles {
		b.Run(prof.String(), func(b *testing.B) {
			pres, err := NewPresentation(creds[prof], dev, testOptions("bench"))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(pres)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePresentation(pres); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyDevice measures the device signature check; its baseline,
// BenchmarkVerifyDeviceBaselineECDSA, is a bare crypto/ecdsa.Verify of the
// same signature over the same Sig_structure: the difference is what the
// COSE layer costs.
func BenchmarkVerifyDevice(b *testing.B) {
	pres, _, _ := manKAI(b)
	p, err := ParsePresentation(pres)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.VerifyDevice(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDeviceBaselineECDSA(b *testing.B) {
	pres, _, dev := manKAI(b)
	p, err := ParsePresentation(pres)
	if err != nil {
		b.Fatal(err)
	}
	tbs, err := p.msg.SigStructure(nil)
	if err != nil {
		b.Fatal(err)
	}
	r := new(big.Int).SetBytes(p.msg.Signature[:32])
	s := new(big.Int).SetBytes(p.msg.Signature[32:])
	pub := &dev.PublicKey
	b.ReportAllocs()
	for b.Loop() {
		h := sha256.Sum256(tbs)
		if !ecdsa.Verify(pub, h[:], r, s) {
			b.Fatal("baseline does not verify")
		}
	}
}

// BenchmarkWalletRefresh is the wallet's cost per refresh (every ~30 s): a
// fresh presentation, rendered and scanned back (the read-back rule).
func BenchmarkWalletRefresh(b *testing.B) {
	for _, prof := range benchProfiles {
		b.Run(prof.String(), func(b *testing.B) {
			creds, dev := issueCreds(b, "ES256", "man", testkit.Man())
			w, err := NewWallet(dev, credList(creds), WithClock(fixedClock(testkit.Now)))
			if err != nil {
				b.Fatal(err)
			}
			claim := credential.ClaimName
			if prof == credential.ProfileFull {
				claim = credential.ClaimReligion
			}
			req := Request{Claims: []credential.Claim{claim}}
			// Once, untimed: the code is the profile asked for and a gate
			// reads it.
			code, img, err := w.PresentImage(req, nil)
			if err != nil {
				b.Fatal(err)
			}
			if text, err := Scan(img); err != nil || text != code.Text || code.Profile != prof {
				b.Fatalf("read back %v, profile %v", err, code.Profile)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := w.PresentImage(req, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
