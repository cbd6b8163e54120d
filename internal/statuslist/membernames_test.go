package statuslist

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
)

// TestParseMemberNamesAreCaseSensitive: the status_list claim's members
// are "bits" and "lst", in lower case (draft-ietf-oauth-status-list §4.2).
// Before the fix the strict decoder matched text keys to struct fields
// without regard to case, so a correctly signed token with "BITS" and
// "LST" was accepted: a second encoding of one list.
func TestParseMemberNamesAreCaseSensitive(t *testing.T) {
	k := testKeys(t)[0]
	data, err := newList(t, 16, nil).MarshalBinary()
	require.NoError(t, err)
	lst, err := compress(data)
	require.NoError(t, err)
	tok := testToken()
	signWith := func(bits, lstName string) []byte {
		payload, err := codec.Marshal(map[int]any{
			2:     subject(testIssuer, tok.ListID),
			4:     tok.Expiry.Unix(),
			6:     tok.IssuedAt.Unix(),
			65533: map[string]any{bits: 2, lstName: lst},
		})
		require.NoError(t, err)
		out, err := sign1.SignWithHeader(rand.Reader, k.signer, k.alg, []byte("kid-1"), map[int]any{labelTyp: MediaType}, payload)
		require.NoError(t, err)
		return out
	}
	t.Run("lower_case", func(t *testing.T) {
		s, err := Parse(signWith("bits", "lst"))
		require.NoError(t, err)
		_, err = s.Verify(k.public())
		require.NoError(t, err)
	})
	for _, tc := range []struct{ name, bits, lst string }{
		{"upper_case", "BITS", "LST"},
		{"upper_case_lst", "bits", "LST"},
		{"capitalised_bits", "Bits", "lst"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(signWith(tc.bits, tc.lst))
			assert.ErrorIs(t, err, ErrMalformed)
		})
	}
}
