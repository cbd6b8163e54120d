package keys_test

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"

	"github.com/ikdgo/ikd/internal/testkit"
)

// testClock is a clock the test moves by hand; safe for concurrent use.
type testClock struct{ ns atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	return c
}
func (c *testClock) now() time.Time      { return time.Unix(0, c.ns.Load()) }
func (c *testClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *testClock) option() keys.Option { return keys.WithClock(c.now) }

// signedLists returns n lists with sequence numbers first, first+1, ...,
// over the same issuers, signed by root, issued at t0 with next update a
// week later.
func signedLists(t testing.TB, root crypto.Signer, first uint64, n, issuers int) [][]byte {
	t.Helper()
	is := testIssuers(t, issuers, 2, keys.ES256)
	out := make([][]byte, n)
	for i := range out {
		out[i] = sign(t, root, content(first+uint64(i), is))
	}
	return out
}

func openStore(t testing.TB, path string, root crypto.PublicKey, opts ...keys.Option) *keys.Store {
	t.Helper()
	s, err := keys.OpenStore(path, root, append([]keys.Option{clockAt(t0)}, opts...)...)
	require.NoError(t, err)
	return s
}

func seqOf(l *keys.TrustList) uint64 {
	if l == nil {
		return 0
	}
	return l.Sequence()
}

func TestStore(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 3, 3)
	path := filepath.Join(t.TempDir(), "trust-store.json")

	s := openStore(t, path, root.Public())
	require.Nil(t, s.Current(), "a new store is empty")
	require.NoError(t, s.LoadError(), "a missing file is not an error")
	require.NoError(t, s.Update(lists[0]))
	assert.Equal(t, uint64(1), seqOf(s.Current()))
	require.NoError(t, s.Update(lists[1]))
	require.NoError(t, s.Update(lists[1]), "the same list again is a no-op")
	assert.Equal(t, uint64(2), seqOf(s.Current()))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())

	// A new process finds the last good list.
	s2 := openStore(t, path, root.Public())
	require.NoError(t, s2.LoadError())
	require.Equal(t, uint64(2), seqOf(s2.Current()))
	kid := keys.Issuers(s2.Current())[0].Keys[0].KeyID
	assert.Len(t, s2.Current().Lookup(kid), 1, "the reopened list finds its keys")
	// And still refuses to go back.
	wantErr(t, s2.Update(lists[0]), keys.ErrRollback, true)
}

// TestStoreFileGolden pins the store's file: after the golden trust list
// the file is byte for byte testdata/golden/trust-store.json (format
// ikd-trust-store/2), and a store pinned to the golden root opens the file
// the first format wrote (testdata/golden/trust-store-v1.json), whose own
// pins it does not trust but whose list verifies against the pin, when
// its floor file is there. The floor file beside the store file is
// testdata/golden/trust-store.json.floor.
func TestStoreFileGolden(t *testing.T) {
	root, c := goldenContent(t)
	jws := bytes.TrimSpace(mustRead(t, "testdata/golden/trustlist.jws"))
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s, err := keys.OpenStore(path, root.Public(), clockAt(c.IssuedAt))
	require.NoError(t, err)
	require.NoError(t, s.Update(jws))
	golden(t, "trust-store.json", mustRead(t, path))
	golden(t, "trust-store.json.floor", mustRead(t, path+keys.FloorSuffix))

	old := filepath.Join(t.TempDir(), "trust-store.json")
	require.NoError(t, os.WriteFile(old, mustRead(t, "testdata/golden/trust-store-v1.json"), 0o644))
	// A file of the first format has no floor file: it cannot show that
	// it was not put back.
	s1, err := keys.OpenStore(old, root.Public(), clockAt(c.IssuedAt))
	require.NoError(t, err)
	wantErr(t, s1.LoadError(), keys.ErrRollback, true)
	require.NoError(t, os.WriteFile(old+keys.FloorSuffix, mustRead(t, "testdata/golden/trust-store.json.floor"), 0o644))
	s2, err := keys.OpenStore(old, root.Public(), clockAt(c.IssuedAt))
	require.NoError(t, err)
	require.NoError(t, s2.LoadError())
	assert.Equal(t, uint64(42), seqOf(s2.Current()))
	_, next := keys.Roots(s2)
	assert.True(t, sameKey(c.NextRoot, next), "the next root the list announces is pinned")
}

// TestStoreKeepsLastGood offers every kind of bad update and checks that
// each fails with its own error and changes nothing, in memory or on disk.
func TestStoreKeepsLastGood(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 5, 2, 2)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	require.NoError(t, s.Update(lists[0]))
	onDisk := mustRead(t, path)

	// Sequence 5 again, with other content.
	reused := sign(t, root, content(5, testIssuers(t, 1, 1, keys.EdDSA)))
	parts := strings.Split(string(lists[1]), ".")
	expired := newTestClock(t0.AddDate(0, 0, 7).Add(keys.DefaultGrace + time.Hour))

	for _, tc := range []struct {
		name  string
		jws   []byte
		store *keys.Store
		want  error
	}{
		{"wrong_root", signedLists(t, testKey(t, keys.EdDSA, "other root"), 6, 1, 1)[0], s, keys.ErrBadSignature},
		{"wrong_root_ES256", smallList(t, testKey(t, keys.ES256, "ES256 root"), 6), s, keys.ErrWrongAlgorithm},
		{"tampered", []byte(parts[0] + "." + parts[1][:len(parts[1])-4] + "AAAA." + parts[2]), s, keys.ErrBadSignature},
		{"rollback", signedLists(t, root, 4, 1, 1)[0], s, keys.ErrRollback},
		{"sequence_reused", reused, s, keys.ErrRollback},
		{"HMAC_header", signRaw(t, []byte(root.Public().(ed25519.PublicKey)), map[string]any{"alg": "HS256", "typ": keys.TrustListType}, mustB64(t, parts[1])), s, keys.ErrWrongAlgorithm},
		{"garbage", []byte("<html>502 Bad Gateway</html>"), s, keys.ErrMalformed},
		{"truncated_download", lists[1][:len(lists[1])/3], s, keys.ErrMalformed},
		{"too_large", bytes.Repeat([]byte{'A'}, limits.MaxTrustList+1), s, keys.ErrTooLarge},
		{"expired", lists[1], openStore(t, path, root.Public(), expired.option()), keys.ErrExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := keys.Last(tc.store)
			err := tc.store.Update(tc.jws)
			wantErr(t, err, tc.want, true)
			assert.Equal(t, tc.want, knownSentinel(err), "most precise reason of %v", err)
			assert.Same(t, before, keys.Last(tc.store), "the list in memory changed")
			assert.Equal(t, onDisk, mustRead(t, path), "the file changed")
		})
	}
	t.Run("a_good_update_still_works", func(t *testing.T) {
		require.NoError(t, s.Update(lists[1]))
		assert.Equal(t, uint64(6), seqOf(s.Current()))
	})
}

func TestStoreCorruptFile(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 3, 2)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	require.NoError(t, s.Update(lists[0]))
	good := mustRead(t, path)

	t.Run("corrupted_while_running", func(t *testing.T) {
		require.NoError(t, os.WriteFile(path, good[:len(good)/2], 0o644))
		wantErr(t, keys.Reload(s), keys.ErrMalformed, true)
		assert.ErrorIs(t, s.LoadError(), keys.ErrMalformed)
		require.Equal(t, uint64(1), seqOf(s.Current()), "the good list in memory stays")
		// The next good update repairs the file.
		require.NoError(t, s.Update(lists[1]))
		assert.NoError(t, s.LoadError(), "after a good update")
		assert.Equal(t, uint64(2), seqOf(openStore(t, path, root.Public()).Current()), "the file was repaired")
	})
	for name, content := range map[string][]byte{
		"garbage":              []byte("\x00\x01\x02"),
		"empty":                {},
		"wrong_format":         bytes.Replace(good, []byte("ikd-trust-store/2"), []byte("ikd-trust-store/9"), 1),
		"unknown_member":       bytes.Replace(good, []byte(`{"format"`), []byte(`{"x":1,"format"`), 1),
		"list_tampered":        bytes.Replace(good, []byte(`"trust_list":"ey`), []byte(`"trust_list":"ez`), 1),
		"rotation_is_garbage":  bytes.Replace(good, []byte(`{"format"`), []byte(`{"rotations":["x.y.z"],"format"`), 1),
		"root_pin_in_format_2": bytes.Replace(good, []byte(`{"format"`), []byte(`{"root":{"kty":"OKP"},"format"`), 1),
		"legacy_root_is_garbage": bytes.Replace(bytes.Replace(good, []byte("ikd-trust-store/2"), []byte("ikd-trust-store/1"), 1),
			[]byte(`{"format"`), []byte(`{"root":{"kty":"RSA"},"format"`), 1),
	} {
		t.Run("corrupt_at_start/"+name, func(t *testing.T) {
			require.NotEqual(t, good, content, "the corruption changed nothing")
			p := filepath.Join(t.TempDir(), "trust-store.json")
			require.NoError(t, os.WriteFile(p, content, 0o644))
			s := openStore(t, p, root.Public())
			require.Error(t, s.LoadError())
			assert.Equal(t, 1, publicSentinelCount(s.LoadError()), "LoadError %v", s.LoadError())
			require.Nil(t, s.Current(), "a list from a corrupt file")
			require.NoError(t, s.Update(lists[2]), "the store works")
			assert.Equal(t, uint64(3), seqOf(s.Current()))
			assert.NoError(t, s.LoadError())
		})
	}
	t.Run("older_file_than_memory", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, p, root.Public())
		require.NoError(t, s.Update(lists[0]))
		old := mustRead(t, p)
		require.NoError(t, s.Update(lists[1]))
		require.NoError(t, os.WriteFile(p, old, 0o644)) // someone restores a backup
		wantErr(t, keys.Reload(s), keys.ErrRollback, true)
		assert.Equal(t, uint64(2), seqOf(s.Current()), "memory went back")
	})
	t.Run("newer_file_from_another_process", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "trust-store.json")
		reader := openStore(t, p, root.Public())
		writer := openStore(t, p, root.Public())
		require.NoError(t, writer.Update(lists[2]))
		require.NoError(t, keys.Reload(reader))
		assert.Equal(t, uint64(3), seqOf(reader.Current()))
	})
}

func TestStoreFailedWrite(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 2, 1)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	require.NoError(t, s.Update(lists[0]))
	good := mustRead(t, path)

	// The write dies between writing the temporary file and renaming it,
	// as a full disk or a crash would leave it.
	diskFull := errors.New("no space left on device")
	keys.SetStoreWrite(s, func(p string, data []byte, perm os.FileMode) error {
		tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp-123")
		require.NoError(t, os.WriteFile(tmp, data[:len(data)/2], perm))
		return diskFull
	})
	require.ErrorIs(t, s.Update(lists[1]), diskFull)
	assert.Equal(t, uint64(1), seqOf(s.Current()), "memory took a list that was not saved")
	assert.Equal(t, good, mustRead(t, path), "the file changed")
	// The next start removes the leftover and loads the good list.
	s2 := openStore(t, path, root.Public())
	assert.Equal(t, uint64(1), seqOf(s2.Current()))
	assert.NoError(t, s2.LoadError())
	m, err := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp-*"))
	require.NoError(t, err)
	assert.Empty(t, m, "leftover temporary files")
}

// TestStoreFloorWrite: the floor file is written after the store file,
// so that a kill in between leaves the floor behind the file, never ahead
// of it; and before the first store file, so that a store file never
// exists without one.
func TestStoreFloorWrite(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 3, 1)
	floorFails := errors.New("no space left on device")
	failFloor := func(p string, data []byte, perm os.FileMode) error {
		if strings.HasSuffix(p, keys.FloorSuffix) {
			return floorFails
		}
		return keys.WriteFileAtomic(p, data, perm)
	}

	t.Run("killed_between_store_file_and_floor", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, path, root.Public())
		require.NoError(t, s.Update(lists[0]))
		floor1 := mustRead(t, path+keys.FloorSuffix)
		keys.SetStoreWrite(s, failFloor)
		err := s.Update(lists[1])
		require.ErrorIs(t, err, floorFails, "the caller learns that the floor was not saved")
		assert.Equal(t, uint64(2), seqOf(s.Current()), "the list is saved, so it is current")
		assert.Equal(t, floor1, mustRead(t, path+keys.FloorSuffix))
		require.ErrorIs(t, s.Update(lists[1]), floorFails, "offering it again retries the floor")

		// The next start takes the file (newer than the floor) and
		// raises the floor.
		s2 := openStore(t, path, root.Public())
		require.NoError(t, s2.LoadError())
		require.Equal(t, uint64(2), seqOf(s2.Current()))
		assert.NotEqual(t, floor1, mustRead(t, path+keys.FloorSuffix), "the floor was not raised")
		require.NoError(t, os.WriteFile(path, atkStoreFile(t, root.Public(), lists[0]), 0o644))
		wantErr(t, openStore(t, path, root.Public()).LoadError(), keys.ErrRollback, true)
	})
	t.Run("retried_by_the_same_list", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, path, root.Public())
		require.NoError(t, s.Update(lists[0]))
		keys.SetStoreWrite(s, failFloor)
		require.ErrorIs(t, s.Update(lists[1]), floorFails)
		keys.SetStoreWrite(s, keys.WriteFileAtomic)
		require.NoError(t, s.Update(lists[1]))
		require.NoError(t, os.WriteFile(path, atkStoreFile(t, root.Public(), lists[0]), 0o644))
		wantErr(t, openStore(t, path, root.Public()).LoadError(), keys.ErrRollback, true)
	})
	t.Run("first_floor_written_before_first_list", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, path, root.Public())
		var order []string
		keys.SetStoreWrite(s, func(p string, data []byte, perm os.FileMode) error {
			order = append(order, filepath.Base(p))
			return keys.WriteFileAtomic(p, data, perm)
		})
		require.NoError(t, s.Update(lists[0]))
		require.NoError(t, s.Update(lists[1]))
		assert.Equal(t, []string{"trust-store.json.floor", "trust-store.json", "trust-store.json.floor", "trust-store.json", "trust-store.json.floor"}, order)
	})
	t.Run("first_floor_fails", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, path, root.Public())
		keys.SetStoreWrite(s, failFloor)
		require.ErrorIs(t, s.Update(lists[0]), floorFails)
		assert.Nil(t, s.Current(), "a list taken without a floor")
		assert.NoFileExists(t, path, "a store file without a floor file")
	})
}

func TestStoreExpiry(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 1, 1)
	clock := newTestClock(t0)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s, err := keys.OpenStore(path, root.Public(), clock.option(), keys.WithGrace(24*time.Hour))
	require.NoError(t, err)
	require.NoError(t, s.Update(lists[0]))
	next := t0.AddDate(0, 0, 7)
	for _, tc := range []struct {
		at      time.Time
		current bool
	}{
		{next, true},
		{next.Add(24 * time.Hour), true},
		{next.Add(24*time.Hour + time.Second), false},
	} {
		clock.set(tc.at)
		assert.Equal(t, tc.current, s.Current() != nil, "at %v: Current() != nil", tc.at)
		assert.NotNil(t, keys.Last(s), "at %v: the list is kept", tc.at)
	}
	// A restart with the expired file keeps it as the rollback floor.
	s2, err := keys.OpenStore(path, root.Public(), clock.option(), keys.WithGrace(24*time.Hour))
	require.NoError(t, err)
	assert.Nil(t, s2.Current())
	assert.Equal(t, uint64(1), seqOf(keys.Last(s2)))
	assert.NoError(t, s2.LoadError())
	clock.set(t0)
	wantErr(t, s2.Update(sign(t, root, content(1, testIssuers(t, 1, 1, keys.EdDSA)))), keys.ErrRollback, true)
}

func TestStoreRootRotation(t *testing.T) {
	oldRoot := testKey(t, keys.ES256, "root 2020")
	newRoot := testKey(t, keys.EdDSA, "root 2026")
	issuers := testIssuers(t, 2, 1, keys.ES256)
	signAt := func(seq uint64, by crypto.Signer, announce crypto.PublicKey) []byte {
		c := content(seq, issuers)
		c.NextRoot = announce
		return sign(t, by, c)
	}
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, oldRoot.Public())

	require.NoError(t, s.Update(signAt(1, oldRoot, nil)))
	// Signed by the new root before it was announced: refused (the
	// pinned root is an ES256 key, so an EdDSA list is not even tried).
	wantErr(t, s.Update(signAt(2, newRoot, nil)), keys.ErrWrongAlgorithm, true)

	// The old root announces the new one.
	require.NoError(t, s.Update(signAt(2, oldRoot, newRoot.Public())))
	root, next := keys.Roots(s)
	require.True(t, sameKey(oldRoot.Public(), root))
	require.True(t, sameKey(newRoot.Public(), next), "the next root is pinned")
	// The pin survives a restart.
	_, next = keys.Roots(openStore(t, path, oldRoot.Public()))
	require.True(t, sameKey(newRoot.Public(), next), "the next root pin was saved")
	// The old root may go on signing while the announcement stands.
	last := signAt(3, oldRoot, newRoot.Public())
	require.NoError(t, s.Update(last))

	// The first list signed by the new root makes it the root.
	require.NoError(t, s.Update(signAt(4, newRoot, nil)))
	root, next = keys.Roots(s)
	require.True(t, sameKey(newRoot.Public(), root), "the new root took over")
	require.Nil(t, next)
	// From now on the old root is not trusted, even with a higher sequence.
	wantErr(t, s.Update(signAt(5, oldRoot, nil)), keys.ErrWrongAlgorithm, true)
	wantErr(t, s.Update(signAt(5, testKey(t, keys.EdDSA, "impostor"), nil)), keys.ErrBadSignature, true)

	// The file keeps the proof of the rotation: the last list the old
	// root signed, which announces the new one.
	assert.Equal(t, []string{string(last)}, storeRotations(t, path))

	// A restart with the old root built in still trusts only the new one:
	// the pinned old root vouches for it through that list.
	s2 := openStore(t, path, oldRoot.Public())
	require.NoError(t, s2.LoadError())
	require.Equal(t, uint64(4), seqOf(s2.Current()))
	root, next = keys.Roots(s2)
	require.True(t, sameKey(newRoot.Public(), root), "the rotation was lost at the restart")
	require.Nil(t, next)
	wantErr(t, s2.Update(signAt(5, oldRoot, nil)), keys.ErrWrongAlgorithm, true)
	require.NoError(t, s2.Update(signAt(5, newRoot, nil)))

	// The next app release pins the new root: the store keeps working,
	// and the rotation list from before that pin leaves the file.
	s3 := openStore(t, path, newRoot.Public())
	require.NoError(t, s3.LoadError())
	require.Equal(t, uint64(5), seqOf(s3.Current()))
	require.NoError(t, s3.Update(signAt(6, newRoot, nil)))
	assert.Empty(t, storeRotations(t, path))
	require.NoError(t, openStore(t, path, newRoot.Public()).LoadError())
	// The old pin cannot follow any more: without the proof it refuses
	// the new root's list, and the store starts empty.
	wantErr(t, openStore(t, path, oldRoot.Public()).LoadError(), keys.ErrBadSignature, true)
}

// storeRotations returns the rotation lists in the store file at path.
func storeRotations(t *testing.T, path string) []string {
	t.Helper()
	var w struct {
		Rotations []string `json:"rotations"`
	}
	require.NoError(t, json.Unmarshal(mustRead(t, path), &w))
	return w.Rotations
}

// TestStoreRotationLimit rotates the root four times (the most a store
// keeps) and then once more.
func TestStoreRotationLimit(t *testing.T) {
	roots := make([]crypto.Signer, 6)
	for i := range roots {
		roots[i] = testKey(t, keys.EdDSA, fmt.Sprintf("root %d", i))
	}
	issuers := testIssuers(t, 1, 1, keys.EdDSA)
	list := func(seq uint64, by int) []byte {
		c := content(seq, issuers)
		if by+1 < len(roots) {
			c.NextRoot = roots[by+1].Public()
		}
		return sign(t, roots[by], c)
	}
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, roots[0].Public())
	for i := range 5 {
		require.NoError(t, s.Update(list(uint64(i+1), i)), "list %d", i+1)
	}
	require.Len(t, storeRotations(t, path), 4)
	s2 := openStore(t, path, roots[0].Public())
	require.NoError(t, s2.LoadError(), "four rotations from the pin")
	require.Equal(t, uint64(5), seqOf(s2.Current()))

	onDisk := mustRead(t, path)
	err := s2.Update(list(6, 5))
	require.Error(t, err, "a fifth rotation")
	assert.Equal(t, uint64(5), seqOf(s2.Current()))
	assert.Equal(t, onDisk, mustRead(t, path))
	// A release that pins a later root goes on from there.
	s3 := openStore(t, path, roots[4].Public())
	require.NoError(t, s3.LoadError())
	require.NoError(t, s3.Update(list(6, 5)))
	assert.Len(t, storeRotations(t, path), 1)
}

// TestStoreConcurrentReaders swaps the list while readers use it; run
// with -race (CI does).
func TestStoreConcurrentReaders(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 30, 3)
	s := openStore(t, filepath.Join(t.TempDir(), "trust-store.json"), root.Public())
	require.NoError(t, s.Update(lists[0]))
	kid := keys.Issuers(s.Current())[1].Keys[0].KeyID

	var done atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	for range 4 {
		wg.Go(func() {
			last := uint64(0)
			for !done.Load() {
				l := s.Current()
				if l == nil || len(l.Lookup(kid)) != 1 || len(candidates(l, kid, keys.ES256, t0)) != 1 {
					t.Error("a reader saw no list or no key")
					return
				}
				if l.Sequence() < last {
					t.Error("a reader saw the sequence go back")
					return
				}
				last = l.Sequence()
				reads.Add(1)
				// js/wasm runs goroutines on one thread without
				// preemption, and runs the JavaScript event loop, which
				// delivers the writer's file I/O, only when every
				// goroutine is blocked: there a reader that never
				// blocks would hang the test. A millisecond's sleep is
				// long enough for the runtime to hand the thread to the
				// event loop (a microsecond is not: it spins).
				if runtime.GOOS == "js" {
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	for _, jws := range lists[1:] {
		require.NoError(t, s.Update(jws))
	}
	done.Store(true)
	wg.Wait()
	assert.Equal(t, uint64(30), seqOf(s.Current()))
	t.Logf("%d reads during 29 updates", reads.Load())
}

// TestStoreKillSafe kills (SIGKILL) a process in the middle of a run of
// updates, several times, and checks that the file always holds a good
// list: never a partial one, never nothing.
func TestStoreKillSafe(t *testing.T) {
	testkit.SkipWithoutProcesses(t, "starts processes")
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 60, 40)
	for _, killAfter := range []int{1, 2, 7, 20, 33, 50} {
		t.Run(fmt.Sprintf("while_writing_list_%d", killAfter), func(t *testing.T) {
			dir := t.TempDir()
			for i, jws := range lists {
				require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("list-%d.jws", i)), jws, 0o644))
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestStoreHelperProcess$")
			cmd.Env = append(os.Environ(), "IKD_KEYS_STORE_HELPER="+dir)
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			sc := bufio.NewScanner(out)
			// Kill as soon as the helper starts writing list killAfter,
			// so that the kill lands inside the write or just after it.
			for sc.Scan() {
				if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "writing ")); err == nil && n >= killAfter {
					break
				}
			}
			require.NoError(t, cmd.Process.Kill()) // SIGKILL: no deferred cleanup runs
			_ = cmd.Wait()
			left, _ := filepath.Glob(filepath.Join(dir, ".trust-store.json.tmp-*"))

			s := openStore(t, filepath.Join(dir, "trust-store.json"), root.Public())
			require.NoError(t, s.LoadError(), "after the kill the file is unusable")
			// The kill lands while list killAfter is being written or a
			// little later (the child runs on until the signal arrives, more
			// so on a loaded machine): the file must hold a complete list no
			// older than the one before it.
			got := seqOf(s.Current())
			require.GreaterOrEqual(t, got, uint64(killAfter-1), "list %d was being written", killAfter)
			m, _ := filepath.Glob(filepath.Join(dir, ".trust-store.json*.tmp-*"))
			assert.Empty(t, m, "OpenStore left temporary files")
			t.Logf("killed while writing list %d (%d temporary files left); the file holds list %d", killAfter, len(left), got)
		})
	}
}

// TestStoreHelperProcess is the process TestStoreKillSafe kills: it
// applies the lists in its directory one by one, printing "writing N" as
// it starts writing list N, until it is killed.
func TestStoreHelperProcess(t *testing.T) {
	dir := os.Getenv("IKD_KEYS_STORE_HELPER")
	if dir == "" {
		t.Skip("run by TestStoreKillSafe")
	}
	s := openStore(t, filepath.Join(dir, "trust-store.json"), testKey(t, keys.EdDSA, "root").Public())
	n := 0
	keys.SetStoreWrite(s, func(path string, data []byte, perm os.FileMode) error {
		fmt.Printf("writing %d\n", n)
		return keys.WriteFileAtomic(path, data, perm)
	})
	for i := 0; ; i++ {
		n = i + 1
		jws, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("list-%d.jws", i)))
		if err != nil {
			break
		}
		require.NoError(t, s.Update(jws))
	}
	os.Exit(0)
}

func TestOpenStoreArguments(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root").Public()
	dir := t.TempDir()
	for name, f := range map[string]func() (*keys.Store, error){
		"empty_path":  func() (*keys.Store, error) { return keys.OpenStore("", root) },
		"missing_dir": func() (*keys.Store, error) { return keys.OpenStore(filepath.Join(dir, "no", "store.json"), root) },
		"HMAC_root":   func() (*keys.Store, error) { return keys.OpenStore(filepath.Join(dir, "s.json"), []byte("secret")) },
		"nil_clock": func() (*keys.Store, error) {
			return keys.OpenStore(filepath.Join(dir, "s.json"), root, keys.WithClock(nil))
		},
		"negative_grace": func() (*keys.Store, error) {
			return keys.OpenStore(filepath.Join(dir, "s.json"), root, keys.WithGrace(-time.Second))
		},
		"nil_option": func() (*keys.Store, error) { return keys.OpenStore(filepath.Join(dir, "s.json"), root, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			s, err := f()
			assert.Error(t, err)
			assert.Nil(t, s)
		})
	}
}
