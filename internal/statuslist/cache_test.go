package statuslist

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
)

func verifiedFixture(t testing.TB, k testKey, issuer string, list uint32, iat time.Time) *List {
	t.Helper()
	return signVerify(t, k, issuer, status.Token{ListID: list, IssuedAt: iat}, newList(t, 16, nil))
}

func TestCache(t *testing.T) {
	k := testKeys(t)[1]
	now := testIAT.Add(2 * time.Hour)
	older := verifiedFixture(t, k, "dukcapil", 1, testIAT)
	newer := verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Hour))
	sameIAT := verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Hour))
	otherList := verifiedFixture(t, k, "dukcapil", 2, testIAT)

	var c Cache
	_, err := c.Get("dukcapil", 1, now)
	assert.ErrorIs(t, err, ErrNotCached)

	require.NoError(t, c.Put(older, testIAT.Add(time.Minute)))
	got, err := c.Get("dukcapil", 1, now)
	require.NoError(t, err)
	assert.Same(t, older, got.List)
	assert.Equal(t, 2*time.Hour, got.Age)
	assert.Equal(t, testIAT.Add(time.Minute), got.FetchedAt)

	require.NoError(t, c.Put(newer, now))
	got, err = c.Get("dukcapil", 1, now)
	require.NoError(t, err)
	assert.Same(t, newer, got.List)
	assert.Equal(t, time.Hour, got.Age)

	err = c.Put(older, now)
	assert.ErrorIs(t, err, ErrRollback, "an older list must not replace a newer one")
	got, err = c.Get("dukcapil", 1, now)
	require.NoError(t, err)
	assert.Same(t, newer, got.List)

	require.NoError(t, c.Put(sameIAT, now), "a re-fetch with the same iat is accepted")
	require.NoError(t, c.Put(otherList, now), "another list of the same issuer is independent")
	got, err = c.Get("dukcapil", 2, now)
	require.NoError(t, err)
	assert.Same(t, otherList, got.List)
	_, err = c.Get("dukcapil", 3, now)
	assert.ErrorIs(t, err, ErrNotCached)
	_, err = c.Get("disdukcapil", 1, now)
	assert.ErrorIs(t, err, ErrNotCached)

	assert.Error(t, c.Put(nil, now))
	assert.Error(t, c.Put(&List{}, now), "only lists from Verify")

	got, err = c.Get("dukcapil", 1, testIAT)
	require.NoError(t, err)
	assert.Equal(t, -time.Hour, got.Age, "iat ahead of the scanner's clock")
}

// TestCacheCopyOnWrite checks that a Put does not change what an earlier
// Get returned.
func TestCacheCopyOnWrite(t *testing.T) {
	k := testKeys(t)[1]
	first := verifiedFixture(t, k, "dukcapil", 1, testIAT)
	second := verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Hour))
	var c Cache
	require.NoError(t, c.Put(first, testIAT))
	before, err := c.Get("dukcapil", 1, testIAT)
	require.NoError(t, err)
	require.NoError(t, c.Put(second, testIAT))
	assert.Same(t, first, before.List)
	after, err := c.Get("dukcapil", 1, testIAT)
	require.NoError(t, err)
	assert.Same(t, second, after.List)
}

// TestCacheConcurrent runs readers against a writer; run it with -race.
func TestCacheConcurrent(t *testing.T) {
	k := testKeys(t)[1]
	lists := make([]*List, 20)
	for i := range lists {
		lists[i] = verifiedFixture(t, k, "dukcapil", 1, testIAT.Add(time.Duration(i)*time.Minute))
	}
	var c Cache
	require.NoError(t, c.Put(lists[0], testIAT))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			last := testIAT
			for range 2000 {
				got, err := c.Get("dukcapil", 1, testIAT)
				if !assert.NoError(t, err) {
					return
				}
				assert.False(t, got.List.IssuedAt().Before(last), "readers never go back in time")
				last = got.List.IssuedAt()
			}
		})
	}
	for _, l := range lists[1:] {
		require.NoError(t, c.Put(l, testIAT))
	}
	wg.Wait()
	got, err := c.Get("dukcapil", 1, testIAT)
	require.NoError(t, err)
	assert.Same(t, lists[len(lists)-1], got.List)
	assert.True(t, errors.Is(c.Put(lists[0], testIAT), ErrRollback))
}
