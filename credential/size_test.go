package credential_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/base45"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// TestSizes logs the size of each signed profile for both algorithms and
// the length of its base45 text (the credential alone, before the device
// signature of a presentation and the IKD1: prefix). ES256 and EdDSA
// signatures are both 64 bytes, so the two columns agree.
func TestSizes(t *testing.T) {
	for _, p := range people {
		sizes := map[string]map[credential.Profile]int{}
		for _, alg := range algs {
			sizes[alg] = map[credential.Profile]int{}
			for _, c := range issueAll(t, alg, p.ktp()) {
				text := base45.Encode(c.Bytes)
				sizes[alg][c.Profile] = len(c.Bytes)
				t.Logf("%-5s %-6s %-5s %4d bytes, base45 %4d chars", p.name, c.Profile, alg, len(c.Bytes), len(text))
				assert.Less(t, len(text), 734, "a credential alone must leave room in a version 17 QR")
			}
		}
		assert.Equal(t, sizes["ES256"], sizes["EdDSA"])
		assert.Less(t, sizes["EdDSA"][credential.ProfileAge], sizes["EdDSA"][credential.ProfileKAI])
		assert.Less(t, sizes["EdDSA"][credential.ProfileKAI], sizes["EdDSA"][credential.ProfileTravel])
		assert.Less(t, sizes["EdDSA"][credential.ProfileTravel], sizes["EdDSA"][credential.ProfileFull])
	}
}

func BenchmarkIssue(b *testing.B) {
	for _, alg := range algs {
		for _, profile := range []credential.Profile{credential.ProfileKAI, credential.ProfileFull} {
			iss := testIssuer(alg)
			req := testRequest(testkit.Man(), "holder")
			req.Profiles = []credential.Profile{profile}
			b.Run(alg+"/"+profile.String(), func(b *testing.B) {
				for b.Loop() {
					if _, err := iss.Issue(req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		iss := testIssuer(alg)
		req := testRequest(testkit.Man(), "holder")
		b.Run(alg+"/all four", func(b *testing.B) {
			for b.Loop() {
				if _, err := iss.Issue(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func issuedFull(b *testing.B, alg string) []byte {
	b.Helper()
	req := testRequest(testkit.Man(), "holder")
	req.Profiles = []credential.Profile{credential.ProfileFull}
	out, err := testIssuer(alg).Issue(req)
	require.NoError(b, err)
	return out[0].Bytes
}

// BenchmarkParse measures Parse (structure, strict canonical payload,
// device key decompression) of a full-profile credential.
func BenchmarkParse(b *testing.B) {
	data := issuedFull(b, "ES256")
	for b.Loop() {
		if _, err := credential.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify measures Parse + Verify of a full-profile credential for
// each algorithm, against the bare crypto/ecdsa verification of the same
// ES256 signature (the floor any ES256 path pays).
func BenchmarkVerify(b *testing.B) {
	for _, alg := range algs {
		data := issuedFull(b, alg)
		pub := issuerPublic(alg)
		b.Run(alg, func(b *testing.B) {
			for b.Loop() {
				s, err := credential.Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Verify(pub); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	data := issuedFull(b, "ES256")
	m, err := sign1.Parse(data, sign1.LabelAlg|sign1.LabelKID)
	require.NoError(b, err)
	tbs, err := m.SigStructure(nil)
	require.NoError(b, err)
	pub := issuerPublic("ES256").(*ecdsa.PublicKey)
	r, s := new(big.Int).SetBytes(m.Signature[:32]), new(big.Int).SetBytes(m.Signature[32:])
	b.Run("baseline crypto/ecdsa", func(b *testing.B) {
		for b.Loop() {
			digest := sha256.Sum256(tbs)
			if !ecdsa.Verify(pub, digest[:], r, s) {
				b.Fatal("does not verify")
			}
		}
	})
}
