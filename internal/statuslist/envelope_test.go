package statuslist

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/veraison/go-cose"

	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
)

// TestParseProtectedLabels: a status list token's protected header is
// {1: alg, 4: kid, 16: "application/statuslist+cwt"} and nothing else
// (docs/wire-format.md). Before the fix a token re-signed with the genuine
// issuer key over a header with a content type (3) or a text label was
// accepted. Each token here is the genuine payload re-signed by the right
// key, so that only the header differs.
func TestParseProtectedLabels(t *testing.T) {
	for _, k := range testKeys(t) {
		t.Run(k.alg.String(), func(t *testing.T) {
			data, err := Sign(k.signer, k.alg, []byte("kid-1"), testIssuer, testToken(), newList(t, 16, nil))
			require.NoError(t, err)
			m, err := sign1.Parse(data, labels)
			require.NoError(t, err)
			resign := func(extra map[any]any, typ bool) []byte {
				hdr := map[any]any{1: int64(k.alg), 4: []byte("kid-1")}
				if typ {
					hdr[16] = MediaType
				}
				for l, v := range extra {
					hdr[l] = v
				}
				protected, err := codec.Marshal(hdr)
				require.NoError(t, err)
				tbs, err := (&sign1.Message{Protected: protected, Payload: m.Payload}).SigStructure(nil)
				require.NoError(t, err)
				s, err := cose.NewSigner(cose.Algorithm(k.alg), k.signer)
				require.NoError(t, err)
				sig, err := s.Sign(rand.Reader, tbs)
				require.NoError(t, err)
				b, err := codec.Marshal([]any{protected, map[int]any{}, m.Payload, sig})
				require.NoError(t, err)
				return append([]byte{0xd2}, b...)
			}
			t.Run("alg_kid_typ", func(t *testing.T) {
				s, err := Parse(resign(nil, true))
				require.NoError(t, err)
				_, err = s.Verify(k.public())
				require.NoError(t, err)
			})
			refused := []struct {
				name  string
				extra map[any]any
				typ   bool
			}{
				{"content_type_3", map[any]any{3: 0}, true},
				{"text_label", map[any]any{"x": 0}, true},
				{"cwt_claims_15", map[any]any{15: map[int]any{1: "evil"}}, true},
				{"x5chain_33", map[any]any{33: []byte{0}}, true},
				{"no_typ", nil, false},
				{"typ_other", map[any]any{16: "application/cwt"}, false},
			}
			for _, tc := range refused {
				t.Run(tc.name, func(t *testing.T) {
					_, err := Parse(resign(tc.extra, tc.typ))
					assert.ErrorIs(t, err, ErrMalformed)
				})
			}
		})
	}
}
