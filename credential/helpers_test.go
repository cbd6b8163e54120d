package credential_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/sign1"
	"github.com/ikdgo/ikd/internal/testkit"
)

// Fixed key ids of the two test issuers: the golden vectors were made
// with them, before kids were keys.KeyID.
var (
	kidES256 = []byte("es256-k1")
	kidEdDSA = []byte("eddsa-k1")
)

// kidFor returns the fixed kid of testIssuer(alg).
func kidFor(alg string) []byte {
	if alg == "ES256" {
		return kidES256
	}
	return kidEdDSA
}

// testIssuer returns the test issuer of Disdukcapil 3171 for alg ("ES256"
// or "EdDSA"): testkit's key, with the fixed kid of the golden vectors.
func testIssuer(alg string) *credential.Issuer {
	iss, err := credential.NewIssuerWithKeyID("3171", issuerSigner(alg), kidFor(alg))
	if err != nil {
		panic(err)
	}
	return iss
}

// issuerSigner returns the key of testIssuer(alg).
func issuerSigner(alg string) crypto.Signer { return testkit.IssuerSigner("3171", alg) }

// issuerPublic returns the public key of testIssuer(alg).
func issuerPublic(alg string) crypto.PublicKey { return issuerSigner(alg).Public() }

// testRequest is a request for k bound to the device of label, issued at
// testkit.Now and valid for five years.
func testRequest(k credential.KTP, device string) *credential.Request {
	return &credential.Request{
		Claims:    k,
		DeviceKey: &testkit.Device(device).PublicKey,
		Status:    credential.StatusRef{List: 7, Index: 123456},
		IssuedAt:  testkit.Now,
		Expiry:    testkit.Now.AddDate(5, 0, 0),
	}
}

// people are the three sample holders, by golden-file name.
var people = []struct {
	name string
	ktp  func() credential.KTP
}{
	{"man", testkit.Man},
	{"woman", testkit.Woman},
	{"wna", testkit.Foreigner},
}

var algs = []string{"ES256", "EdDSA"}

// issueAll issues every profile of k with alg.
func issueAll(t testing.TB, alg string, k credential.KTP) []credential.Issued {
	t.Helper()
	out, err := testIssuer(alg).Issue(testRequest(k, "holder"))
	require.NoError(t, err)
	require.Len(t, out, 4)
	return out
}

// payloadOf returns the COSE payload (the CWT claims bytes) of a credential.
func payloadOf(t testing.TB, cred []byte) []byte {
	t.Helper()
	m, err := sign1.Parse(cred, sign1.LabelAlg|sign1.LabelKID)
	require.NoError(t, err)
	return m.Payload
}

func mustDate(s string) credential.Date {
	d, err := credential.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func p384Key(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P384(), testkit.NewReader("p384"))
	require.NoError(t, err)
	return k
}
