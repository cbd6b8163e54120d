package presentation

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

func BenchmarkNew(b *testing.B) {
	creds, dev := issueCreds(b, "ES256", "man", testkit.Man())
	for _, prof := range benchProfiles {
		b.Run(prof.String(), func(b *testing.B) {
			cred := creds[prof]
			opts := &Options{Now: fixedClock(testkit.Now)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New(cred, dev, opts); err != nil {
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

func BenchmarkParse(b *testing.B) {
	creds, dev := issueCreds(b, "ES256", "man", testkit.Man())
	for _, prof := range benchProfiles {
		b.Run(prof.String(), func(b *testing.B) {
			pres, err := New(creds[prof], dev, testOptions("bench"))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(pres)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(pres); err != nil {
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
	p, err := Parse(pres)
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
	p, err := Parse(pres)
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
