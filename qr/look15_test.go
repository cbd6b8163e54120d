package qr

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/internal/testkit"
)

// TestIssuedKKAlwaysDrawable: look 15, attacker 8. Whatever the
// household's size and names, every credential the issuer signs by
// default fits the wallet's QR code (version 40 at ECC M) with the longest
// audience; a kk-full too large for it is left out of the default set and
// refused when named.
func TestIssuedKKAlwaysDrawable(t *testing.T) {
	left := 0
	for pad := 0; pad <= 60; pad += 10 {
		kk := testkit.Family(12)
		kk.Members = append([]credential.Member(nil), kk.Members...)
		for i := range kk.Members {
			m := &kk.Members[i]
			m.BirthPlace += strings.Repeat("A", pad)
			m.Occupation, m.Education = 88, 10
			if m.Relationship == credential.RelationshipAnak {
				m.Father += strings.Repeat("B", pad)
				m.Mother += strings.Repeat("C", pad)
			}
		}
		require.NoError(t, kk.Validate(credential.ProfileKKFull))
		issued, dev, err := testkit.IssueDocument("ES256", "holder", &kk, nil)
		require.NoError(t, err, "pad %d", pad)
		var raw [][]byte
		hasFull := false
		for _, c := range issued {
			raw = append(raw, c.Bytes)
			hasFull = hasFull || c.Profile == credential.ProfileKKFull
		}
		if !hasFull {
			left++
			_, _, err := testkit.IssueDocument("ES256", "holder", &kk, nil, credential.ProfileKKFull)
			assert.ErrorIs(t, err, credential.ErrInvalidValue, "pad %d: kk-full named", pad)
		}
		w, err := NewWallet(dev, raw, WithClock(fixedClock(testkit.Now)))
		require.NoError(t, err)
		for _, c := range issued {
			req := Request{Profile: c.Profile, Lifetime: ShareOneHour, Audience: strings.Repeat("A", 64)}
			if c.Profile == credential.ProfileKKSchool {
				continue // one per child, all the same size
			}
			code, err := w.Present(req)
			require.NoError(t, err)
			_, err = version(code.Text, eccMedium)
			assert.NoError(t, err, "pad %d: %v is %d characters", pad, c.Profile, len(code.Text))
		}
	}
	assert.Positive(t, left, "no household large enough to leave kk-full out: the test tests nothing")
}
