package statuslist

import (
	"flag"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/internal/limits"
)

// sizeCases are the list sizes docs/status.md reports: a large regency
// (5 million) and the whole country (100 million), with 0.1% and 1% of
// entries revoked at random positions.
var sizeCases = []struct {
	entries  int
	perMille int
}{
	{5_000_000, 1}, {5_000_000, 10}, {100_000_000, 1}, {100_000_000, 10},
}

// randomList returns a 2-bit list of n entries with n*perMille/1000
// distinct random entries revoked, from a fixed seed: the issuer's own
// allocator picks them, as it picks credentials' indices.
func randomList(t testing.TB, n, perMille int, seed byte) *status.List {
	t.Helper()
	l, err := status.NewList(n)
	require.NoError(t, err)
	a, err := status.NewAllocator(n, chacha(seed))
	require.NoError(t, err)
	for range n / 1000 * perMille {
		i, err := a.Allocate()
		require.NoError(t, err)
		require.NoError(t, l.Set(i, status.StatusRevoked))
	}
	return l
}

var sizesFlag = flag.Bool("sizes", false, "TestSizes: also build the 100-million-entry lists (about 20 s of zlib)")

// TestSizes signs lists of Indonesian sizes and logs their sizes; the
// 100-million-entry ones only with -sizes, as zlib at its best level takes
// 3 to 15 s on each (docs/status.md has the numbers and the command).
// Signatures are Ed25519, so the output is deterministic.
func TestSizes(t *testing.T) {
	k := testKeys(t)[1]
	t.Logf("%-12s %-8s %12s %12s %12s", "entries", "revoked", "bit array", "lst (zlib)", "signed token")
	for _, c := range sizeCases {
		if c.entries > 5_000_000 && !*sizesFlag {
			t.Logf("%-12d skipped: run with -sizes", c.entries)
			continue
		}
		l := randomList(t, c.entries, c.perMille, 1)
		bits, err := l.MarshalBinary()
		require.NoError(t, err)
		tok, err := Sign(k.signer, k.alg, []byte("k"), testIssuer, testToken(), l)
		require.NoError(t, err)
		s, err := Parse(tok)
		require.NoError(t, err)
		v, err := s.Verify(k.public())
		require.NoError(t, err)
		assert.Equal(t, c.entries, v.entries.size)
		assert.Less(t, len(tok), limits.MaxStatusList)
		t.Logf("%-12d %-8s %12d %12d %12d", c.entries, fmt.Sprintf("%.1f%%", float64(c.perMille)/10),
			len(bits), len(s.claims.StatusList.Lst), len(tok))
	}
}

// BenchmarkTokenSize reports the signed token size of each list size as a
// metric (bytes/token); the time per op is signing, zlib included.
func BenchmarkTokenSize(b *testing.B) {
	k := testKeys(b)[1]
	for _, c := range sizeCases {
		b.Run(fmt.Sprintf("entries=%d/revoked=%.1f%%", c.entries, float64(c.perMille)/10), func(b *testing.B) {
			l := randomList(b, c.entries, c.perMille, 1)
			var tok []byte
			for b.Loop() {
				var err error
				tok, err = Sign(k.signer, k.alg, []byte("k"), testIssuer, testToken(), l)
				require.NoError(b, err)
			}
			b.ReportMetric(float64(len(tok)), "bytes/token")
		})
	}
}

// BenchmarkGet100M looks up random indices in a 100-million-entry list.
func BenchmarkGet100M(b *testing.B) {
	l := signVerify(b, testKeys(b)[1], testIssuer, testToken(), randomList(b, 100_000_000, 1, 2))
	r := chacha(3)
	idx := make([]uint32, 1<<16)
	for i := range idx {
		idx[i] = uint32(r.Uint64() % 100_000_000)
	}
	var revoked int
	i := 0
	for b.Loop() {
		s, err := l.Get(idx[i&(len(idx)-1)])
		if err != nil {
			b.Fatal(err)
		}
		if s == status.StatusRevoked {
			revoked++
		}
		i++
	}
}

// BenchmarkParseVerify5M parses and verifies (ES256 and EdDSA) the token of
// a 5-million-entry list with 0.1% revoked, decompression included. A scanner
// does this once per list download, not per scan.
func BenchmarkParseVerify5M(b *testing.B) {
	for _, k := range testKeys(b) {
		b.Run(k.name, func(b *testing.B) {
			tok, err := Sign(k.signer, k.alg, []byte("k"), testIssuer, testToken(), randomList(b, 5_000_000, 1, 4))
			require.NoError(b, err)
			b.SetBytes(int64(len(tok)))
			for b.Loop() {
				s, err := Parse(tok)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Verify(k.public()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
