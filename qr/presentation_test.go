package qr

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
)

// Fixtures shared by the wallet-side tests: the three sample people, both
// issuer algorithms, and realistic wire sizes (a 4-digit issuer id, an
// 8-byte kid as keys.KeyID makes, a status index that needs 4 bytes).

// testHolders are the sample people, each with its own device key.
var testHolders = testkit.Holders

// issuerAlgs are the issuer algorithms; the device key is always P-256.
var issuerAlgs = []string{"ES256", "EdDSA"}

// allProfiles are the disclosure profiles, largest first.
var allProfiles = []credential.Profile{credential.ProfileFull, credential.ProfileTravel, credential.ProfileKAI, credential.ProfileAge}

// issueCreds is testkit.IssueAll for a test.
func issueCreds(t testing.TB, alg, label string, ktp credential.KTP, profiles ...credential.Profile) (map[credential.Profile][]byte, *ecdsa.PrivateKey) {
	t.Helper()
	m, dev, err := testkit.IssueAll(alg, label, ktp, profiles...)
	require.NoError(t, err)
	return m, dev
}

// fixedClock returns a clock that always says t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// testOptions gives a deterministic presentation at testkit.Now.
func testOptions(label string) *presentation.Options {
	return &presentation.Options{Now: fixedClock(testkit.Now), Rand: testkit.NewReader("presentation " + label)}
}

func TestPresentationRoundTrip(t *testing.T) {
	audience := map[credential.Profile]string{credential.ProfileKAI: "KAI", credential.ProfileTravel: "GA-CGK"}
	for _, alg := range issuerAlgs {
		for _, h := range testHolders {
			creds, dev := issueCreds(t, alg, h.Label, h.KTP())
			for _, prof := range allProfiles {
				t.Run(alg+"/"+h.Label+"/"+prof.String(), func(t *testing.T) {
					cred := creds[prof]
					require.NotEmpty(t, cred)
					require.Equal(t, byte(0xd2), cred[0], "issued credentials are tagged")
					opts := testOptions(alg + h.Label + prof.String())
					opts.Audience = audience[prof]
					// The nonce is the first NonceSize bytes of the random source.
					wantNonce := make([]byte, presentation.NonceSize)
					_, err := testkit.NewReader("presentation " + alg + h.Label + prof.String()).Read(wantNonce)
					require.NoError(t, err)
					pres, err := presentation.New(cred, dev, opts)
					require.NoError(t, err)
					text := presentation.Encode(pres)
					require.True(t, strings.HasPrefix(text, presentation.Prefix))

					img, err := renderChecked(text, nil)
					require.NoError(t, err)
					scanned, err := Scan(img)
					require.NoError(t, err)
					assert.Equal(t, text, scanned)

					data, err := presentation.Decode(scanned)
					require.NoError(t, err)
					assert.Equal(t, pres, data)
					p, err := presentation.Parse(data)
					require.NoError(t, err)
					assert.Equal(t, cred[1:], p.Credential().Bytes(), "credential embedded untagged, bytes as issued")
					assert.Equal(t, prof, p.Credential().UnverifiedCredential().Profile)
					assert.True(t, p.IssuedAt().Equal(testkit.Now))
					assert.Equal(t, DefaultLifetime, p.Lifetime())
					assert.Equal(t, wantNonce, p.Nonce())
					assert.Equal(t, audience[prof], p.Audience())
					assert.Equal(t, data, p.Bytes())
					assert.NoError(t, p.VerifyDevice())

					// The issuer signature survives embedding.
					var issPub any
					switch alg {
					case "ES256":
						issPub = testkit.P256("issuer 3171").Public()
					case "EdDSA":
						issPub = testkit.Ed25519("issuer 3171").Public().(ed25519.PublicKey)
					}
					c, err := p.Credential().Verify(issPub)
					require.NoError(t, err)
					if prof == credential.ProfileAge {
						assert.Empty(t, c.Claims.NIK, "the age profile identifies no one")
					} else {
						assert.Equal(t, h.KTP().NIK, c.Claims.NIK)
					}
				})
			}
		}
	}
}

// TestPresentationSizes logs the wire size of every profile for both issuer
// algorithms and the three sample people, and holds the sample people to
// the QR budgets at ECC M: kai ≤ 419 characters (version 12), travel ≤ 528
// (version 14), full ≤ 734 (version 17). The age profile has no budget of
// its own; it is the smallest.
func TestPresentationSizes(t *testing.T) {
	budget := map[credential.Profile]struct{ chars, version int }{
		credential.ProfileKAI:    {419, 12},
		credential.ProfileTravel: {528, 14},
		credential.ProfileFull:   {734, 17},
	}
	t.Logf("%-7s %-6s %-6s %6s %6s %8s", "profile", "alg", "holder", "bytes", "chars", "version")
	for _, prof := range allProfiles {
		for _, alg := range issuerAlgs {
			for _, h := range testHolders {
				creds, dev := issueCreds(t, alg, h.Label, h.KTP())
				pres, err := presentation.New(creds[prof], dev, testOptions("size"))
				require.NoError(t, err)
				text := presentation.Encode(pres)
				v, err := version(text, eccMedium)
				require.NoError(t, err)
				t.Logf("%-7s %-6s %-6s %6d %6d %8d", prof, alg, h.Label, len(pres), len(text), v)
				if b, ok := budget[prof]; ok {
					assert.LessOrEqual(t, len(text), b.chars, "%v %s %s", prof, alg, h.Label)
					assert.LessOrEqual(t, v, b.version, "%v %s %s", prof, alg, h.Label)
				}
			}
		}
	}

	// An audience costs its length plus one or two bytes; logged, not held
	// to the budget.
	for _, aud := range []string{"KAI", "GA-CGK"} {
		creds, dev := issueCreds(t, "ES256", "man", testkit.Man(), credential.ProfileKAI)
		opts := testOptions("size audience")
		opts.Audience = aud
		pres, err := presentation.New(creds[credential.ProfileKAI], dev, opts)
		require.NoError(t, err)
		text := presentation.Encode(pres)
		v, err := version(text, eccMedium)
		require.NoError(t, err)
		t.Logf("kai ES256 man with audience %q: %d bytes, %d chars, version %d", aud, len(pres), len(text), v)
	}

	// The longest name that still fits a kai code in version 12. Every
	// other kai field has a fixed size, so this is the name budget.
	for _, alg := range issuerAlgs {
		longest := 0
		for n := len("BUDI SANTOSO"); n <= 120; n++ {
			ktp := testkit.Man()
			ktp.Name = "BUDI SANTOSO" + strings.Repeat("A", n-len("BUDI SANTOSO"))
			creds, dev := issueCreds(t, alg, "man", ktp, credential.ProfileKAI)
			pres, err := presentation.New(creds[credential.ProfileKAI], dev, testOptions("name"))
			require.NoError(t, err)
			v, err := version(presentation.Encode(pres), eccMedium)
			require.NoError(t, err)
			if v > 12 {
				break
			}
			longest = n
		}
		t.Logf("kai %s: the longest name that fits version 12 at ECC M is %d bytes", alg, longest)
		assert.GreaterOrEqual(t, longest, len("BUDI SANTOSO"))
	}
}
