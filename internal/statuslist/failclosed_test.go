package statuslist

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/codec"
	"github.com/ikdgo/ikd/internal/sign1"
)

// TestCacheSameIssueTime: two lists of one (issuer, list id) with the same
// iat. The cache cannot tell which is newer, so a different one is refused
// and the held one stays: otherwise an older list signed in the same
// second (before a revocation) could replace the revoking one. The same
// content again (a re-fetch) changes nothing. Issue 12.
func TestCacheSameIssueTime(t *testing.T) {
	for _, k := range testKeys(t) {
		t.Run(k.alg.String(), func(t *testing.T) {
			tok := status.Token{ListID: 1, IssuedAt: testIAT}
			valid := signVerify(t, k, "dukcapil", tok, newList(t, 16, nil))
			revoked := signVerify(t, k, "dukcapil", tok, newList(t, 16, map[uint32]status.Status{3: status.StatusRevoked}))
			again := signVerify(t, k, "dukcapil", tok, newList(t, 16, map[uint32]status.Status{3: status.StatusRevoked}))
			now := testIAT.Add(time.Hour)

			t.Run("different_content_same_iat_is_refused", func(t *testing.T) {
				var c Cache
				require.NoError(t, c.Put(revoked, now))
				err := c.Put(valid, now.Add(time.Minute))
				assert.ErrorIs(t, err, ErrConflict)
				got, err := c.Get("dukcapil", 1, now)
				require.NoError(t, err)
				assert.Same(t, revoked, got.List, "the held list stays")
				assert.Equal(t, now, got.FetchedAt)
			})
			t.Run("same_content_again_is_a_no_op", func(t *testing.T) {
				var c Cache
				require.NoError(t, c.Put(revoked, now))
				require.NoError(t, c.Put(revoked, now.Add(time.Minute)), "the same list again")
				require.NoError(t, c.Put(again, now.Add(2*time.Minute)), "the same content, signed again")
				got, err := c.Get("dukcapil", 1, now)
				require.NoError(t, err)
				assert.Same(t, revoked, got.List)
				assert.Equal(t, now, got.FetchedAt, "nothing changed")
			})
			t.Run("other_claims_same_iat_is_refused", func(t *testing.T) {
				var c Cache
				require.NoError(t, c.Put(valid, now))
				withExp := signVerify(t, k, "dukcapil", status.Token{ListID: 1, IssuedAt: testIAT, Expiry: testIAT.Add(48 * time.Hour)}, newList(t, 16, nil))
				assert.ErrorIs(t, c.Put(withExp, now), ErrConflict)
			})
		})
	}
}

// TestParseEnvelopeIsDeterministic: a status list token ikd accepts has
// ikd's deterministic COSE framing: junk in the unprotected header of a
// correctly signed token is malformed (issue 12). The draft's own example,
// whose kid is unprotected, goes through the lenient path for outside
// vectors (TestVectorSignedCWT).
func TestParseEnvelopeIsDeterministic(t *testing.T) {
	for _, k := range testKeys(t) {
		t.Run(k.alg.String(), func(t *testing.T) {
			data, err := Sign(k.signer, k.alg, []byte("kid-1"), testIssuer, testToken(), newList(t, 16, nil))
			require.NoError(t, err)
			m, err := sign1.Parse(data, labels)
			require.NoError(t, err)
			rebuild := func(unprotected any) []byte {
				b, err := codec.Marshal([]any{m.Protected, unprotected, m.Payload, m.Signature})
				require.NoError(t, err)
				return append([]byte{0xd2}, b...)
			}
			_, err = Parse(rebuild(map[int]any{}))
			require.NoError(t, err, "control")
			_, err = Parse(rebuild(map[int]any{99: 0}))
			assert.ErrorIs(t, err, ErrMalformed, "junk")
			_, err = Parse(rebuild(map[int]any{4: []byte("kid-1")}))
			assert.ErrorIs(t, err, ErrMalformed, "unprotected kid")
		})
	}
}
