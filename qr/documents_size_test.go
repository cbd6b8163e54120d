package qr

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/presentation"
	"github.com/ikdgo/ikd/internal/testkit"
)

// documentSize is one row of the family documents' size table in
// docs/benchmarks.md ("Family documents"): the QR text of a share-mode
// presentation (one hour, no audience) and its QR version at ECC M.
type documentSize struct {
	members int // household size, 0 for an Akta Kelahiran
	profile credential.Profile
	chars   int
	version int
}

// documentSizes are the sizes docs/benchmarks.md claims. The school
// profile is the first child's (Family(2) has no child); ES256 and EdDSA
// issuers give the same sizes.
var documentSizes = []documentSize{
	{2, credential.ProfileKKFull, 842, 19},
	{2, credential.ProfileKKMembers, 502, 14},
	{4, credential.ProfileKKFull, 1118, 22},
	{4, credential.ProfileKKMembers, 607, 16},
	{4, credential.ProfileKKSchool, 749, 18},
	{8, credential.ProfileKKFull, 1621, 27},
	{8, credential.ProfileKKMembers, 790, 18},
	{8, credential.ProfileKKSchool, 749, 18},
	{12, credential.ProfileKKFull, 2056, 31},
	{12, credential.ProfileKKMembers, 937, 20},
	{12, credential.ProfileKKSchool, 749, 18},
	{0, credential.ProfileAktaFull, 608, 16},
	{0, credential.ProfileAktaSchool, 533, 15},
}

// comfortableVersion is the largest QR version a phone screen shows
// comfortably (docs/benchmarks.md): beyond it a profile goes by share link.
const comfortableVersion = 25

// TestDocumentSizes measures the KK of 2, 4, 8 and 12 members in each
// profile and the Akta Kelahiran in each, for both issuer algorithms, and
// holds them to the table above. go test ./qr -run TestDocumentSizes -v
// prints the table in the form docs/benchmarks.md shows it.
func TestDocumentSizes(t *testing.T) {
	t.Log("| household | profile | bytes | characters | QR version (M) |")
	t.Log("|---|---|---|---|---|")
	for _, want := range documentSizes {
		for _, alg := range issuerAlgs {
			name := fmt.Sprintf("%s/%d/%v", alg, want.members, want.profile)
			t.Run(name, func(t *testing.T) {
				var kk *credential.KK
				var birth *credential.BirthCertificate
				if want.members > 0 {
					k := testkit.Family(want.members)
					kk = &k
				} else {
					birth = new(testkit.Birth())
				}
				creds, dev, err := testkit.IssueDocument(alg, "man", kk, birth, want.profile)
				require.NoError(t, err)
				require.NotEmpty(t, creds)
				opts := testOptions("document size")
				opts.Lifetime = ShareOneHour
				pres, err := presentation.New(creds[0].Bytes, dev, opts)
				require.NoError(t, err)
				text := presentation.Encode(pres)
				v, err := version(text, eccMedium)
				require.NoError(t, err)
				if alg == "EdDSA" {
					household := fmt.Sprint(want.members)
					if want.members == 0 {
						household = "Akta"
					}
					t.Logf("| %s | %v | %d | %d | %d |", household, want.profile, len(pres), len(text), v)
				}
				assert.Equal(t, want.chars, len(text), "characters")
				assert.Equal(t, want.version, v, "QR version")
			})
		}
	}
}

// TestDocumentProfilesFitOrSayShareLink: every profile but the full KK of
// eight or more members fits a comfortable code, which is what the
// profile docs and docs/benchmarks.md say.
func TestDocumentProfilesFitOrSayShareLink(t *testing.T) {
	// Version 25 holds 1,451 characters of QR text at ECC M and version 40
	// 3,391, as docs/benchmarks.md says; 3,392 fit no QR code at M.
	for n, want := range map[int]int{1451: comfortableVersion, 1452: comfortableVersion + 1, 3391: 40} {
		v, err := version("IKD1:"+strings.Repeat("A", n-5), eccMedium)
		require.NoError(t, err)
		assert.Equal(t, want, v, "%d characters", n)
	}
	_, err := version("IKD1:"+strings.Repeat("A", 3392-5), eccMedium)
	assert.ErrorIs(t, err, errCapacity)
	for _, s := range documentSizes {
		tooBig := s.profile == credential.ProfileKKFull && s.members >= 8
		assert.Equal(t, tooBig, s.version > comfortableVersion, "%d members %v: version %d", s.members, s.profile, s.version)
	}
}
