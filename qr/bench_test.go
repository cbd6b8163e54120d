package qr

import (
	"testing"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// benchProfiles are the profiles the benchmarks measure: the smallest code
// a gate sees and the largest.
var benchProfiles = []credential.Profile{credential.ProfileKAI, credential.ProfileFull}

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
			code, img, err := w.PresentImage(req)
			if err != nil {
				b.Fatal(err)
			}
			if text, err := Scan(img); err != nil || text != code.Text || code.Profile != prof {
				b.Fatalf("read back %v, profile %v", err, code.Profile)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := w.PresentImage(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
