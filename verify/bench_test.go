package verify_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/keys"
	"github.com/ikdgo/ikd/verify"
)

// noReplay lets a benchmark verify the same text again and again: replay
// detection is measured separately (BenchmarkMemoryReplayCache).
type noReplay struct{}

func (noReplay) CheckAndMark([32]byte, time.Time, time.Time) (bool, error) { return false, nil }

// benchCase is one scanned text with the parts its raw signature checks
// need: the device signature (always ES256) and the issuer signature.
type benchCase struct {
	v          *verify.Verifier
	cached     *verify.Verifier
	text       string
	deviceTBS  []byte
	deviceSig  []byte
	devicePub  *ecdsa.PublicKey
	issuerTBS  []byte
	issuerSig  []byte
	issuerPub  any
	issuerAlgo keys.Algorithm
}

func newBenchCase(b testing.TB, alg keys.Algorithm) benchCase {
	f := newFixture(b)
	h, ti := f.man, f.jakarta
	if alg == keys.EdDSA {
		h, ti = f.woman, f.bandung
	}
	// Cold path: no issuer cache, so every iteration checks both
	// signatures, as for a credential the scanner has not seen before.
	v := f.verifier(b, verify.AirlineCheckIn(), verify.WithReplayCache(noReplay{}), verify.WithIssuerCacheSize(0))
	cached := f.verifier(b, verify.AirlineCheckIn(), verify.WithReplayCache(noReplay{}))
	text := present(b, h, airlineReq)
	data, err := presentation.Decode(text)
	require.NoError(b, err)
	pres, err := sign1.Parse(data, sign1.LabelAlg)
	require.NoError(b, err)
	dtbs, err := pres.SigStructure(nil)
	require.NoError(b, err)
	p, err := presentation.Parse(data)
	require.NoError(b, err)
	cred, err := sign1.Parse(p.Credential().Bytes(), sign1.LabelAlg|sign1.LabelKID)
	require.NoError(b, err)
	itbs, err := cred.SigStructure(nil)
	require.NoError(b, err)
	return benchCase{
		v: v, cached: cached, text: text,
		deviceTBS: dtbs, deviceSig: pres.Signature, devicePub: &h.device.PublicKey,
		issuerTBS: itbs, issuerSig: cred.Signature, issuerPub: ti.signer.Public(), issuerAlgo: alg,
	}
}

var benchAlgs = []struct {
	name string
	alg  keys.Algorithm
}{{"ES256", keys.ES256}, {"EdDSA", keys.EdDSA}}

// BenchmarkVerifyText measures scanned text → verdict, everything but the
// replay store: base45, both parses, both signatures, trust list lookup,
// time checks, status lookup, policy. Outside checks compare it with
// BenchmarkRawSignatureChecks by name.
func BenchmarkVerifyText(b *testing.B) {
	for _, a := range benchAlgs {
		b.Run(a.name, func(b *testing.B) {
			c := newBenchCase(b, a.alg)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.v.VerifyText(c.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRawSignatureChecks is the baseline: only the two raw signature
// verifications one VerifyText needs, over the same bytes (SHA-256 and
// crypto/ecdsa for the device, crypto/ecdsa or crypto/ed25519 for the
// issuer).
func BenchmarkRawSignatureChecks(b *testing.B) {
	for _, a := range benchAlgs {
		b.Run(a.name, func(b *testing.B) {
			c := newBenchCase(b, a.alg)
			b.ReportAllocs()
			for b.Loop() {
				if !rawECDSA(c.devicePub, c.deviceTBS, c.deviceSig) {
					b.Fatal("device signature")
				}
				switch pub := c.issuerPub.(type) {
				case *ecdsa.PublicKey:
					if !rawECDSA(pub, c.issuerTBS, c.issuerSig) {
						b.Fatal("issuer signature")
					}
				case ed25519.PublicKey:
					if !ed25519.Verify(pub, c.issuerTBS, c.issuerSig) {
						b.Fatal("issuer signature")
					}
				}
			}
		})
	}
}

func rawECDSA(pub *ecdsa.PublicKey, tbs, sig []byte) bool {
	h := sha256.Sum256(tbs)
	return ecdsa.VerifyASN1(pub, h[:], p1363ToASN1(sig))
}

// p1363ToASN1 converts a raw r‖s signature to ASN.1 DER for
// ecdsa.VerifyASN1 (the only non-deprecated ecdsa verify entry point).
func p1363ToASN1(sig []byte) []byte {
	enc := func(x []byte) []byte {
		for len(x) > 1 && x[0] == 0 && x[1] < 0x80 {
			x = x[1:]
		}
		if x[0] >= 0x80 {
			x = append([]byte{0}, x...)
		}
		return append([]byte{0x02, byte(len(x))}, x...)
	}
	r, s := enc(sig[:32]), enc(sig[32:])
	body := append(r, s...)
	return append([]byte{0x30, byte(len(body))}, body...)
}

// BenchmarkVerifyTextParallel is the throughput of one verifier on all
// cores (verifications per second = 1e9 / ns/op).
func BenchmarkVerifyTextParallel(b *testing.B) {
	for _, a := range benchAlgs {
		b.Run(a.name, func(b *testing.B) {
			c := newBenchCase(b, a.alg)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.v.VerifyText(c.text); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkVerifyTextRetry is a person retrying at the gate: a fresh
// presentation of a credential the verifier has already checked, so the
// issuer signature check comes from the issuer cache.
func BenchmarkVerifyTextRetry(b *testing.B) {
	for _, a := range benchAlgs {
		b.Run(a.name, func(b *testing.B) {
			c := newBenchCase(b, a.alg)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.cached.VerifyText(c.text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMemoryReplayCache(b *testing.B) {
	c := verify.NewMemoryReplayCache(0)
	start := time.Unix(1_800_000_000, 0)
	var key [32]byte
	i := 0
	for b.Loop() {
		key[0], key[1], key[2] = byte(i), byte(i>>8), byte(i>>16)
		i++
		// A scan a millisecond, entries a minute: 60,000 live, under the
		// capacity (a full store refuses).
		now := start.Add(time.Duration(i) * time.Millisecond)
		if _, err := c.CheckAndMark(key, now.Add(time.Minute), now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyTextNewDevice is BenchmarkVerifyText for devices the
// process has never seen: it cycles through more holders than the device
// key cache keeps (4096), so every verification decompresses its device
// key, as at a gate where each passenger comes once. The difference to
// BenchmarkVerifyText is what the device key cache saves on a repeat.
func BenchmarkVerifyTextNewDevice(b *testing.B) {
	const holders = 5000
	for _, a := range benchAlgs {
		b.Run(a.name, func(b *testing.B) {
			f := newFixture(b)
			ti, person := f.jakarta, f.man.person
			if a.alg == keys.EdDSA {
				ti, person = f.bandung, f.woman.person
			}
			v := f.verifier(b, verify.AirlineCheckIn(), verify.WithReplayCache(noReplay{}), verify.WithIssuerCacheSize(0))
			texts := make([]string, holders)
			for i := range texts {
				texts[i] = present(b, f.issue(b, ti, person, fmt.Sprintf("bench holder %d", i)), airlineReq)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := v.VerifyText(texts[i%holders]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
