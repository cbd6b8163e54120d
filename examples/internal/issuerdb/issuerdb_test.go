package issuerdb_test

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
)

var now = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func holder(i int) issuerdb.Holder {
	return issuerdb.Holder{NIK: credential.NIK(fmt.Sprintf("32730145039%05d", i+1)), Device: []byte{byte(i >> 8), byte(i)}, Kind: "ktp", Row: i}
}

func holders(from, n int) []issuerdb.Holder {
	hs := make([]issuerdb.Holder, n)
	for i := range hs {
		hs[i] = holder(from + i)
	}
	return hs
}

func create(t *testing.T, size int) (*issuerdb.SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "issuer.db")
	s, err := issuerdb.Create(path, "3273", size)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func startBatch(t *testing.T, s issuerdb.Store, name string, rows int) {
	t.Helper()
	_, err := s.StartBatch(issuerdb.Batch{Name: name, Out: "/out/" + name, Rows: rows, Signer: []byte{1}, IssuedAt: now, Valid: time.Hour, Profiles: "full"})
	require.NoError(t, err)
}

func TestCreateAndOpen(t *testing.T) {
	s, path := create(t, 16)
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	assert.Equal(t, "3273", s.IssuerID())
	assert.Equal(t, 16, s.ListSize())
	require.NoError(t, s.Close())

	_, err = issuerdb.Create(path, "3273", 16)
	assert.ErrorIs(t, err, issuerdb.ErrExists)
	again, err := issuerdb.Open(path)
	require.NoError(t, err)
	assert.Equal(t, "3273", again.IssuerID())
	require.NoError(t, again.Close())

	dir := t.TempDir()
	_, err = issuerdb.Open(filepath.Join(dir, "none.db"))
	assert.ErrorIs(t, err, issuerdb.ErrNotFound)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "junk.db"), []byte("not a database, not at all, no"), 0o600))
	_, err = issuerdb.Open(filepath.Join(dir, "junk.db"))
	assert.Error(t, err)
	for _, size := range []int{0, -1, issuerdb.MaxListSize + 1} {
		_, err := issuerdb.Create(filepath.Join(dir, "x.db"), "3273", size)
		assert.Error(t, err, "size %d", size)
	}
	_, err = os.Stat(filepath.Join(dir, "x.db"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	left, _ := filepath.Glob(filepath.Join(dir, ".x.db.tmp-*"))
	assert.Empty(t, left)
}

func TestAllocate(t *testing.T) {
	s, _ := create(t, 10)
	startBatch(t, s, "b1", 25)
	first, err := s.Allocate("b1", holders(0, 8), now)
	require.NoError(t, err)
	again, err := s.Allocate("b1", holders(0, 8), now.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, first, again, "a batch row keeps its entry")

	more, err := s.Allocate("b1", holders(8, 17), now)
	require.NoError(t, err)
	seen := map[credential.StatusRef]bool{}
	perList := map[uint32]int{}
	for _, e := range append(first, more...) {
		assert.False(t, seen[e.Ref], "%v twice", e.Ref)
		seen[e.Ref] = true
		perList[e.Ref.List]++
		assert.Less(t, e.Ref.Index, uint32(10))
		assert.Equal(t, status.StatusValid, e.Status)
		assert.Equal(t, "b1", e.Batch)
	}
	assert.Equal(t, map[uint32]int{1: 10, 2: 10, 3: 5}, perList, "full lists roll over")

	other := holder(3)
	other.NIK = "3273014503900099"
	_, err = s.Allocate("b1", []issuerdb.Holder{other}, now)
	assert.ErrorIs(t, err, issuerdb.ErrConflict, "a row's holder cannot change")
	_, err = s.Allocate("nope", holders(0, 1), now)
	assert.ErrorIs(t, err, issuerdb.ErrNotFound)
	_, err = s.Allocate("", []issuerdb.Holder{{NIK: "12", Device: []byte{1}, Kind: "ktp"}}, now)
	assert.Error(t, err, "a NIK is 16 digits")

	// A device holds one live entry of a kind: not the same person again,
	// not a second person; all or nothing.
	again2 := holder(0)
	_, err = s.Allocate("", []issuerdb.Holder{holder(200), again2}, now)
	var taken *issuerdb.DeviceTakenError
	require.ErrorAs(t, err, &taken, "the same NIK and device outside its batch")
	assert.Equal(t, first[0].Ref, taken.Entry.Ref)
	assert.Equal(t, holder(0).NIK, taken.Entry.NIK)
	secondPerson := holder(1)
	secondPerson.NIK = "3273014503900099"
	_, err = s.Allocate("", []issuerdb.Holder{secondPerson}, now)
	require.ErrorAs(t, err, &taken, "a second NIK on a device")
	family := holder(1)
	family.Kind = "kk"
	_, err = s.Allocate("", []issuerdb.Holder{family}, now)
	require.NoError(t, err, "another kind of document on the same device")
	require.NoError(t, s.SetStatus([]credential.StatusRef{first[0].Ref}, status.StatusRevoked, now, "renewal"))
	_, err = s.Allocate("", []issuerdb.Holder{holder(0)}, now)
	require.NoError(t, err, "a revoked entry frees its device")

	live, err := s.LiveDevices("ktp", [][]byte{holder(0).Device, holder(2).Device, {9, 9}}, "")
	require.NoError(t, err)
	assert.Len(t, live, 2, "holder 0 again (renewed), holder 2 from b1; not an unknown device")
	assert.Equal(t, holder(2).NIK, live[1].NIK)
	live, err = s.LiveDevices("ktp", [][]byte{holder(2).Device}, "b1")
	require.NoError(t, err)
	assert.Empty(t, live, "a batch's own entries are not in its way")

	single, err := s.Allocate("", holders(100, 2), now)
	require.NoError(t, err)
	assert.NotEqual(t, single[0].Ref, single[1].Ref, "outside a batch every call gets new entries")
	lists, err := s.Lists()
	require.NoError(t, err)
	used := 0
	for _, l := range lists {
		used += l.Used
	}
	assert.Equal(t, 29, used, "25 in the batch, 2 after it, 2 single; none of the refused")
}

// TestTwoWriters: two handles on one file (two issuer processes) allocate
// at once; the second's allocator learns of the first's entries, and no
// index is handed out twice.
func TestTwoWriters(t *testing.T) {
	a, path := create(t, 1<<12)
	b, err := issuerdb.Open(path)
	require.NoError(t, err)
	defer b.Close()
	var wg sync.WaitGroup
	got := make([][]issuerdb.Entry, 2)
	errs := make([]error, 2)
	for w, s := range []issuerdb.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				es, err := s.Allocate("", holders(w*1000+i*20, 20), now)
				if err != nil {
					errs[w] = err
					return
				}
				got[w] = append(got[w], es...)
			}
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	seen := map[credential.StatusRef]bool{}
	for _, es := range got {
		for _, e := range es {
			require.False(t, seen[e.Ref], "%v handed out twice", e.Ref)
			seen[e.Ref] = true
		}
	}
	assert.Len(t, seen, 1600)
}

func TestSetStatus(t *testing.T) {
	s, _ := create(t, 100)
	es, err := s.Allocate("", holders(0, 3), now)
	require.NoError(t, err)
	refs := []credential.StatusRef{es[0].Ref, es[1].Ref}
	never := credential.StatusRef{List: 1} // an index not handed out (indices are random)
	for never.Index == es[0].Ref.Index || never.Index == es[1].Ref.Index || never.Index == es[2].Ref.Index {
		never.Index++
	}
	tests := []struct {
		name string
		refs []credential.StatusRef
		to   status.Status
		want error
	}{
		{"suspend two", refs, status.StatusSuspended, nil},
		{"reinstate them", refs, status.StatusValid, nil},
		{"revoke one", refs[:1], status.StatusRevoked, nil},
		{"a revocation is for good", refs[:1], status.StatusValid, issuerdb.ErrRevoked},
		{"all or none", []credential.StatusRef{es[2].Ref, never}, status.StatusSuspended, issuerdb.ErrNotFound},
		{"not a status this issuer sets", refs[1:], status.Status(3), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SetStatus(tt.refs, tt.to, now, tt.name)
			if tt.want != nil || tt.to == 3 {
				assert.Error(t, err)
				if tt.want != nil {
					assert.ErrorIs(t, err, tt.want)
				}
				return
			}
			require.NoError(t, err)
			for _, r := range tt.refs {
				got, err := s.Find(issuerdb.Query{Ref: &r})
				require.NoError(t, err)
				require.Len(t, got, 1)
				assert.Equal(t, tt.to, got[0].Status)
			}
		})
	}
	third, err := s.Find(issuerdb.Query{Ref: &es[2].Ref})
	require.NoError(t, err)
	assert.Equal(t, status.StatusValid, third[0].Status, "the failed change left the valid entry alone")
	notValid := map[uint32]status.Status{}
	require.NoError(t, s.NotValid(1, func(i uint32, st status.Status) error { notValid[i] = st; return nil }))
	assert.Equal(t, map[uint32]status.Status{es[0].Ref.Index: status.StatusRevoked}, notValid)

	byNIK, err := s.Find(issuerdb.Query{NIK: holder(1).NIK})
	require.NoError(t, err)
	require.Len(t, byNIK, 1)
	assert.Equal(t, es[1].Ref, byNIK[0].Ref)
	byDevice, err := s.Find(issuerdb.Query{Device: holder(2).Device})
	require.NoError(t, err)
	require.Len(t, byDevice, 1)
	assert.Equal(t, es[2].Ref, byDevice[0].Ref)
	_, err = s.Find(issuerdb.Query{})
	assert.Error(t, err, "a query selects by exactly one thing")
}

func TestPublish(t *testing.T) {
	s, _ := create(t, 100)
	_, err := s.Publish(1, now)
	assert.ErrorIs(t, err, issuerdb.ErrNotFound, "no list yet")
	_, err = s.Allocate("", holders(0, 1), now)
	require.NoError(t, err)
	seq, err := s.Publish(1, now)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), seq)
	for _, at := range []time.Time{now, now.Add(-time.Second), now.Add(999 * time.Millisecond)} {
		_, err = s.Publish(1, at)
		assert.ErrorIs(t, err, issuerdb.ErrNotNewer, "%v", at)
	}
	seq, err = s.Publish(1, now.Add(time.Second))
	require.NoError(t, err)
	assert.Equal(t, uint64(2), seq)
	lists, err := s.Lists()
	require.NoError(t, err)
	assert.Equal(t, []issuerdb.List{{ID: 1, Size: 100, Used: 1, Publications: 2, LastPublished: time.Unix(now.Unix()+1, 0)}}, lists)
}

func TestBatchRecord(t *testing.T) {
	s, _ := create(t, 100)
	b := issuerdb.Batch{Name: "b", Out: "/o", Rows: 3, Signer: []byte{7}, IssuedAt: now.Add(500 * time.Millisecond), Valid: time.Hour, Profiles: "full,kai"}
	got, err := s.StartBatch(b)
	require.NoError(t, err)
	assert.True(t, now.Equal(got.IssuedAt), "whole seconds")
	require.NoError(t, s.Progress("b", 2, 100, 1, 1))
	b.IssuedAt = now.Add(time.Hour) // a later start keeps the recorded settings
	got, err = s.StartBatch(b)
	require.NoError(t, err)
	assert.Equal(t, issuerdb.Batch{Name: "b", Out: "/o", Rows: 3, Signer: []byte{7}, IssuedAt: time.Unix(now.Unix(), 0), Valid: time.Hour,
		Profiles: "full,kai", NextRow: 2, OutBytes: 100, Issued: 1, Refused: 1}, got)
	b.Signer = []byte{8}
	_, err = s.StartBatch(b)
	assert.ErrorIs(t, err, issuerdb.ErrConflict, "another key")
	b.Signer, b.Out = []byte{7}, "/elsewhere"
	_, err = s.StartBatch(b)
	assert.ErrorIs(t, err, issuerdb.ErrConflict, "another output")
	_, err = s.StartBatch(issuerdb.Batch{Name: "b2", Out: "/o", Rows: 3, Signer: []byte{7}, IssuedAt: now, Valid: time.Hour, Profiles: "full"})
	var outTaken *issuerdb.OutputTakenError
	require.ErrorAs(t, err, &outTaken, "one output, one batch")
	assert.Equal(t, issuerdb.OutputTakenError{Out: "/o", Batch: "b"}, *outTaken)
	_, err = s.Batch("b2")
	assert.ErrorIs(t, err, issuerdb.ErrNotFound, "the refused batch is not recorded")
	_, err = s.StartBatch(issuerdb.Batch{Name: "c", Out: "/c", Rows: 2, Signer: []byte{7}, IssuedAt: now, Valid: time.Hour, Profiles: "full"})
	require.NoError(t, err)
	es, err := s.Allocate("c", holders(40, 2), now)
	require.NoError(t, err)
	n, err := s.AbandonBatch("c", now)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "its entries revoked")
	got2, err := s.Find(issuerdb.Query{Ref: &es[1].Ref})
	require.NoError(t, err)
	assert.Equal(t, status.StatusRevoked, got2[0].Status)
	_, err = s.AbandonBatch("c", now)
	assert.ErrorIs(t, err, issuerdb.ErrConflict, "abandoned once")
	_, err = s.AbandonBatch("none", now)
	assert.ErrorIs(t, err, issuerdb.ErrNotFound)
	_, err = s.Allocate("", holders(40, 1), now)
	require.NoError(t, err, "the abandoned batch's device keys are free")
	_, err = s.StartBatch(issuerdb.Batch{Name: "c2", Out: "/c", Rows: 2, Signer: []byte{7}, IssuedAt: now, Valid: time.Hour, Profiles: "full"})
	require.NoError(t, err, "and its output")
	cb, err := s.Batch("c")
	require.NoError(t, err)
	assert.True(t, cb.Abandoned && !cb.Finished)
	all, err := s.Batches()
	require.NoError(t, err)
	assert.Len(t, all, 3)
	rec, err := s.Batch("b")
	require.NoError(t, err)
	assert.Equal(t, got, rec)
	_, err = s.Batch("none")
	assert.ErrorIs(t, err, issuerdb.ErrNotFound)
	require.NoError(t, s.FinishBatch("b"))
	assert.Error(t, s.Progress("b", 3, 1, 1, 1), "a finished batch does not move")
	assert.ErrorIs(t, s.FinishBatch("none"), issuerdb.ErrNotFound)
}

func TestImport(t *testing.T) {
	s, _ := create(t, 100)
	e := func(i uint32, st status.Status) issuerdb.Entry {
		return issuerdb.Entry{Ref: credential.StatusRef{List: 1, Index: i}, Status: st, NIK: holder(int(i)).NIK, Device: []byte{1}, Kind: "ktp", IssuedAt: now}
	}
	require.NoError(t, s.Import(1, 8, []issuerdb.Entry{e(0, status.StatusValid), e(7, status.StatusSuspended)}))
	assert.ErrorIs(t, s.Import(1, 8, []issuerdb.Entry{e(0, status.StatusValid)}), issuerdb.ErrConflict, "index 0 again")
	assert.ErrorIs(t, s.Import(1, 9, nil), issuerdb.ErrConflict, "list 1 has 8 entries")
	assert.Error(t, s.Import(1, 8, []issuerdb.Entry{e(8, status.StatusValid)}), "outside the list")
	// Allocation goes on in the imported list, around its entries, then rolls over.
	es, err := s.Allocate("", holders(10, 7), now)
	require.NoError(t, err)
	for i, en := range es {
		if i < 6 {
			assert.Equal(t, uint32(1), en.Ref.List)
			assert.NotContains(t, []uint32{0, 7}, en.Ref.Index)
		} else {
			assert.Equal(t, credential.StatusRef{List: 2, Index: en.Ref.Index}, en.Ref, "the next list has the store's size")
		}
	}
}

// TestOpenLeavesOtherFilesAlone: a file that is not an issuer database
// (empty, another program's SQLite) is refused and left byte for byte as
// it was; OpenReadOnly reads a database without writing to it.
func TestOpenLeavesOtherFilesAlone(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", "file:"+other)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE t(x)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	otherBytes := must(os.ReadFile(other))
	for _, path := range []string{empty, other} {
		for name, open := range map[string]func(string) (*issuerdb.SQLite, error){"Open": issuerdb.Open, "OpenReadOnly": issuerdb.OpenReadOnly} {
			_, err := open(path)
			assert.Error(t, err, "%s %s", name, path)
		}
	}
	assert.Empty(t, must(os.ReadFile(empty)), "the empty file stays empty")
	assert.Equal(t, otherBytes, must(os.ReadFile(other)), "the other program's database is not switched to WAL")
	_, err = os.Stat(other + "-wal")
	assert.ErrorIs(t, err, os.ErrNotExist)

	s, path := create(t, 10)
	_, err = s.Allocate("", holders(0, 1), now)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	before := must(os.ReadFile(path))
	ro, err := issuerdb.OpenReadOnly(path)
	require.NoError(t, err)
	lists, err := ro.Lists()
	require.NoError(t, err)
	assert.Equal(t, 1, lists[0].Used)
	_, err = ro.Allocate("", holders(1, 1), now)
	assert.Error(t, err, "a read-only store does not write")
	require.NoError(t, ro.Close())
	assert.Equal(t, before, must(os.ReadFile(path)))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestLastListID: a full list with the last id a credential carries is
// the end (no wrap to list 0); an issuer id that is not one is refused.
func TestLastListID(t *testing.T) {
	s, _ := create(t, 1)
	h := holder(0)
	require.NoError(t, s.Import(math.MaxUint32, 1, []issuerdb.Entry{{Ref: credential.StatusRef{List: math.MaxUint32}, NIK: h.NIK, Device: h.Device, Kind: "ktp", IssuedAt: now}}))
	_, err := s.Allocate("", holders(1, 1), now)
	assert.ErrorIs(t, err, issuerdb.ErrListsExhausted)
	for _, id := range []string{"", "..", "../x", "a/b", "3273 ", "123456789012345678901234567890123"} {
		_, err := issuerdb.Create(filepath.Join(t.TempDir(), "x.db"), id, 10)
		assert.Error(t, err, "%q", id)
	}
}
