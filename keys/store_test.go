package keys_test

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ikdgo/ikd/internal/limits"
	"github.com/ikdgo/ikd/keys"
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
// over the same issuers, signed by root (EdDSA), issued at t0 with next
// update a week later.
func signedLists(t testing.TB, root crypto.Signer, first uint64, n, issuers int) [][]byte {
	t.Helper()
	is := testIssuers(t, issuers, 2, keys.ES256)
	out := make([][]byte, n)
	for i := range out {
		l, err := keys.NewTrustList(first+uint64(i), t0, t0.AddDate(0, 0, 7), is)
		must(t, err)
		out[i], err = keys.SignTrustList(l, root, keys.EdDSA)
		must(t, err)
	}
	return out
}

func openStore(t testing.TB, path string, root crypto.PublicKey, opts ...keys.Option) *keys.Store {
	t.Helper()
	s, err := keys.OpenStore(path, root, append([]keys.Option{clockAt(t0)}, opts...)...)
	must(t, err)
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
	if s.Current() != nil || s.Last() != nil || s.LoadError() != nil {
		t.Fatal("a new store is not empty")
	}
	must(t, s.Update(lists[0]))
	if seqOf(s.Current()) != 1 {
		t.Fatalf("Current is %d after update", seqOf(s.Current()))
	}
	must(t, s.Update(lists[1]))
	must(t, s.Update(lists[1])) // the same list again: a no-op
	if seqOf(s.Current()) != 2 {
		t.Fatalf("Current is %d", seqOf(s.Current()))
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("store file: %v %v", fi, err)
	}

	// A new process finds the last good list.
	s2 := openStore(t, path, root.Public())
	if seqOf(s2.Current()) != 2 || s2.LoadError() != nil {
		t.Fatalf("reopened: Current %d, LoadError %v", seqOf(s2.Current()), s2.LoadError())
	}
	kid := s2.Current().Issuers()[0].Keys[0].KeyID
	if len(s2.Current().Lookup(kid)) != 1 {
		t.Error("reopened list does not find its keys")
	}
	// And still refuses to go back.
	wantErr(t, s2.Update(lists[0]), keys.ErrRollback, true)
}

// TestStoreKeepsLastGood offers every kind of bad update and checks that
// each fails with its own error and changes nothing, in memory or on disk.
func TestStoreKeepsLastGood(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 5, 2, 2)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	must(t, s.Update(lists[0]))
	onDisk, err := os.ReadFile(path)
	must(t, err)

	// Sequence 5 again, with other content.
	other, err := keys.NewTrustList(5, t0, t0.AddDate(0, 0, 7), testIssuers(t, 1, 1, keys.EdDSA))
	must(t, err)
	reused, err := keys.SignTrustList(other, root, keys.EdDSA)
	must(t, err)
	parts := strings.Split(string(lists[1]), ".")
	expired := newTestClock(t0.AddDate(0, 0, 7).Add(keys.DefaultGrace + time.Hour))

	for _, tc := range []struct {
		name  string
		jws   []byte
		store *keys.Store
		want  error
	}{
		{"wrong_root", signedLists(t, testKey(t, keys.EdDSA, "other root"), 6, 1, 1)[0], s, keys.ErrBadSignature},
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
			before := tc.store.Last()
			wantErr(t, tc.store.Update(tc.jws), tc.want, true)
			if tc.store.Last() != before {
				t.Error("the list in memory changed")
			}
			if now, _ := os.ReadFile(path); !bytes.Equal(now, onDisk) {
				t.Error("the file changed")
			}
		})
	}
	t.Run("a_good_update_still_works", func(t *testing.T) {
		must(t, s.Update(lists[1]))
		if seqOf(s.Current()) != 6 {
			t.Errorf("Current is %d", seqOf(s.Current()))
		}
	})
}

func TestStoreCorruptFile(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 3, 2)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	must(t, s.Update(lists[0]))
	good, err := os.ReadFile(path)
	must(t, err)

	t.Run("corrupted_while_running", func(t *testing.T) {
		must(t, os.WriteFile(path, good[:len(good)/2], 0o644))
		err := s.Reload()
		wantErr(t, err, keys.ErrMalformed, true)
		if !errors.Is(s.LoadError(), keys.ErrMalformed) {
			t.Errorf("LoadError = %v", s.LoadError())
		}
		if seqOf(s.Current()) != 1 {
			t.Fatal("the good list in memory is gone")
		}
		// The next good update repairs the file.
		must(t, s.Update(lists[1]))
		if s.LoadError() != nil {
			t.Errorf("LoadError after a good update: %v", s.LoadError())
		}
		if seqOf(openStore(t, path, root.Public()).Current()) != 2 {
			t.Error("the file was not repaired")
		}
	})
	for name, content := range map[string][]byte{
		"garbage":         []byte("\x00\x01\x02"),
		"empty":           {},
		"wrong_format":    bytes.Replace(good, []byte("ikd-trust-store/1"), []byte("ikd-trust-store/9"), 1),
		"unknown_member":  bytes.Replace(good, []byte(`{"format"`), []byte(`{"x":1,"format"`), 1),
		"list_tampered":   bytes.Replace(good, []byte(`"trust_list":"ey`), []byte(`"trust_list":"ez`), 1),
		"root_is_garbage": bytes.Replace(good, []byte(`"kty":"OKP"`), []byte(`"kty":"RSA"`), 1),
	} {
		t.Run("corrupt_at_start/"+name, func(t *testing.T) {
			if bytes.Equal(content, good) {
				t.Fatal("the corruption changed nothing")
			}
			p := filepath.Join(t.TempDir(), "trust-store.json")
			must(t, os.WriteFile(p, content, 0o644))
			s := openStore(t, p, root.Public())
			if s.LoadError() == nil || knownSentinel(s.LoadError()) == nil {
				t.Fatalf("LoadError = %v", s.LoadError())
			}
			if s.Current() != nil {
				t.Fatal("a list from a corrupt file")
			}
			must(t, s.Update(lists[2])) // the store works
			if seqOf(s.Current()) != 3 || s.LoadError() != nil {
				t.Errorf("Current %d, LoadError %v", seqOf(s.Current()), s.LoadError())
			}
		})
	}
	t.Run("older_file_than_memory", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "trust-store.json")
		s := openStore(t, p, root.Public())
		must(t, s.Update(lists[0]))
		old, err := os.ReadFile(p)
		must(t, err)
		must(t, s.Update(lists[1]))
		must(t, os.WriteFile(p, old, 0o644)) // someone restores a backup
		wantErr(t, s.Reload(), keys.ErrRollback, true)
		if seqOf(s.Current()) != 2 {
			t.Error("memory went back")
		}
	})
	t.Run("newer_file_from_another_process", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "trust-store.json")
		reader := openStore(t, p, root.Public())
		writer := openStore(t, p, root.Public())
		must(t, writer.Update(lists[2]))
		must(t, reader.Reload())
		if seqOf(reader.Current()) != 3 {
			t.Errorf("reader has %d", seqOf(reader.Current()))
		}
	})
}

func TestStoreFailedWrite(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 2, 1)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, root.Public())
	must(t, s.Update(lists[0]))
	good, _ := os.ReadFile(path)

	// The write dies between writing the temporary file and renaming it,
	// as a full disk or a crash would leave it.
	diskFull := errors.New("no space left on device")
	keys.SetStoreWrite(s, func(p string, data []byte, perm os.FileMode) error {
		tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp-123")
		must(t, os.WriteFile(tmp, data[:len(data)/2], perm))
		return diskFull
	})
	if err := s.Update(lists[1]); !errors.Is(err, diskFull) {
		t.Fatalf("Update = %v", err)
	}
	if seqOf(s.Current()) != 1 {
		t.Error("memory took a list that was not saved")
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, good) {
		t.Error("the file changed")
	}
	// The next start removes the leftover and loads the good list.
	s2 := openStore(t, path, root.Public())
	if seqOf(s2.Current()) != 1 || s2.LoadError() != nil {
		t.Errorf("reopened: %d, %v", seqOf(s2.Current()), s2.LoadError())
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp-*")); len(m) != 0 {
		t.Errorf("leftover temporary files: %v", m)
	}
}

func TestStoreExpiry(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 1, 1)
	clock := newTestClock(t0)
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s, err := keys.OpenStore(path, root.Public(), clock.option(), keys.WithGrace(24*time.Hour))
	must(t, err)
	must(t, s.Update(lists[0]))
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
		if got := s.Current() != nil; got != tc.current {
			t.Errorf("at %v: Current() != nil is %v", tc.at, got)
		}
		if s.Last() == nil {
			t.Errorf("at %v: Last() is nil", tc.at)
		}
	}
	// A restart with the expired file keeps it as the rollback floor.
	s2, err := keys.OpenStore(path, root.Public(), clock.option(), keys.WithGrace(24*time.Hour))
	must(t, err)
	if s2.Current() != nil || seqOf(s2.Last()) != 1 || s2.LoadError() != nil {
		t.Errorf("reopened: Current %v, Last %d, LoadError %v", s2.Current(), seqOf(s2.Last()), s2.LoadError())
	}
}

func TestStoreRootRotation(t *testing.T) {
	oldRoot := testKey(t, keys.ES256, "root 2020")
	newRoot := testKey(t, keys.EdDSA, "root 2026")
	issuers := testIssuers(t, 2, 1, keys.ES256)
	sign := func(seq uint64, by crypto.Signer, alg keys.Algorithm, announce crypto.PublicKey) []byte {
		l, err := keys.NewTrustList(seq, t0, t0.AddDate(0, 0, 7), issuers)
		must(t, err)
		if announce != nil {
			l, err = l.WithNextRoot(announce)
			must(t, err)
		}
		jws, err := keys.SignTrustList(l, by, alg)
		must(t, err)
		return jws
	}
	path := filepath.Join(t.TempDir(), "trust-store.json")
	s := openStore(t, path, oldRoot.Public())

	must(t, s.Update(sign(1, oldRoot, keys.ES256, nil)))
	// Signed by the new root before it was announced: refused (the
	// pinned root is an ES256 key, so an EdDSA list is not even tried).
	wantErr(t, s.Update(sign(2, newRoot, keys.EdDSA, nil)), keys.ErrWrongAlgorithm, true)

	// The old root announces the new one.
	must(t, s.Update(sign(2, oldRoot, keys.ES256, newRoot.Public())))
	root, next := s.Roots()
	if !root.(equaler).Equal(oldRoot.Public()) || next == nil || !next.(equaler).Equal(newRoot.Public()) {
		t.Fatal("the next root is not pinned")
	}
	// The pin survives a restart.
	_, next = openStore(t, path, oldRoot.Public()).Roots()
	if next == nil || !next.(equaler).Equal(newRoot.Public()) {
		t.Fatal("the next root pin was not saved")
	}
	// The old root may go on signing while the announcement stands.
	must(t, s.Update(sign(3, oldRoot, keys.ES256, newRoot.Public())))

	// The first list signed by the new root makes it the root.
	must(t, s.Update(sign(4, newRoot, keys.EdDSA, nil)))
	root, next = s.Roots()
	if !root.(equaler).Equal(newRoot.Public()) || next != nil {
		t.Fatal("the new root did not take over")
	}
	// From now on the old root is not trusted, even with a higher sequence.
	wantErr(t, s.Update(sign(5, oldRoot, keys.ES256, nil)), keys.ErrWrongAlgorithm, true)
	wantErr(t, s.Update(sign(5, testKey(t, keys.EdDSA, "impostor"), keys.EdDSA, nil)), keys.ErrBadSignature, true)

	// A restart with the old root built in still trusts only the new one:
	// the pins in the file take precedence.
	s2 := openStore(t, path, oldRoot.Public())
	if seqOf(s2.Current()) != 4 {
		t.Fatalf("reopened at %d", seqOf(s2.Current()))
	}
	wantErr(t, s2.Update(sign(5, oldRoot, keys.ES256, nil)), keys.ErrWrongAlgorithm, true)
	must(t, s2.Update(sign(5, newRoot, keys.EdDSA, nil)))
}

// TestStoreConcurrentReaders swaps the list while readers use it; run
// with -race (CI does).
func TestStoreConcurrentReaders(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 30, 3)
	s := openStore(t, filepath.Join(t.TempDir(), "trust-store.json"), root.Public())
	must(t, s.Update(lists[0]))
	kid := s.Current().Issuers()[1].Keys[0].KeyID

	var done atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := uint64(0)
			for !done.Load() {
				l := s.Current()
				if l == nil || len(l.Lookup(kid)) != 1 || len(l.Candidates(kid, keys.ES256, t0)) != 1 {
					t.Error("a reader saw no list or no key")
					return
				}
				if l.Sequence() < last {
					t.Error("a reader saw the sequence go back")
					return
				}
				last = l.Sequence()
				reads.Add(1)
			}
		}()
	}
	for _, jws := range lists[1:] {
		must(t, s.Update(jws))
	}
	done.Store(true)
	wg.Wait()
	if seqOf(s.Current()) != 30 {
		t.Errorf("Current is %d", seqOf(s.Current()))
	}
	t.Logf("%d reads during 29 updates", reads.Load())
}

// TestStoreKillSafe kills (SIGKILL) a process in the middle of a run of
// updates, several times, and checks that the file always holds a good
// list: never a partial one, never nothing.
func TestStoreKillSafe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	root := testKey(t, keys.EdDSA, "root")
	lists := signedLists(t, root, 1, 60, 40)
	for _, killAfter := range []int{1, 2, 7, 20, 33, 50} {
		t.Run(fmt.Sprintf("while_writing_list_%d", killAfter), func(t *testing.T) {
			dir := t.TempDir()
			for i, jws := range lists {
				must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("list-%d.jws", i)), jws, 0o644))
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestStoreHelperProcess$")
			cmd.Env = append(os.Environ(), "IKD_KEYS_STORE_HELPER="+dir)
			out, err := cmd.StdoutPipe()
			must(t, err)
			must(t, cmd.Start())
			sc := bufio.NewScanner(out)
			// Kill as soon as the helper starts writing list killAfter,
			// so that the kill lands inside the write or just after it.
			for sc.Scan() {
				if n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "writing ")); err == nil && n >= killAfter {
					break
				}
			}
			must(t, cmd.Process.Kill()) // SIGKILL: no deferred cleanup runs
			_ = cmd.Wait()
			left, _ := filepath.Glob(filepath.Join(dir, ".trust-store.json.tmp-*"))

			s := openStore(t, filepath.Join(dir, "trust-store.json"), root.Public())
			if s.LoadError() != nil {
				t.Fatalf("after the kill the file is unusable: %v", s.LoadError())
			}
			// The kill lands while list killAfter is being written or a
			// little later (the child runs on until the signal arrives, more
			// so on a loaded machine): the file must hold a complete list no
			// older than the one before it.
			if got := seqOf(s.Current()); got < uint64(killAfter-1) {
				t.Fatalf("after the kill the file has list %d; list %d was being written", got, killAfter)
			}
			if m, _ := filepath.Glob(filepath.Join(dir, ".trust-store.json.tmp-*")); len(m) != 0 {
				t.Errorf("OpenStore left temporary files: %v", m)
			}
			t.Logf("killed while writing list %d (%d temporary files left); the file holds list %d", killAfter, len(left), seqOf(s.Current()))
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
		must(t, s.Update(jws))
	}
	os.Exit(0)
}

func TestOpenStoreArguments(t *testing.T) {
	root := testKey(t, keys.EdDSA, "root").Public()
	dir := t.TempDir()
	for name, f := range map[string]func() (*keys.Store, error){
		"empty_path":  func() (*keys.Store, error) { return keys.OpenStore("", root) },
		"missing_dir": func() (*keys.Store, error) { return keys.OpenStore(filepath.Join(dir, "no", "store.json"), root) },
		"RSA_root":    func() (*keys.Store, error) { return keys.OpenStore(filepath.Join(dir, "s.json"), []byte("secret")) },
		"nil_clock": func() (*keys.Store, error) {
			return keys.OpenStore(filepath.Join(dir, "s.json"), root, keys.WithClock(nil))
		},
		"nil_option": func() (*keys.Store, error) { return keys.OpenStore(filepath.Join(dir, "s.json"), root, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			if s, err := f(); err == nil || s != nil {
				t.Errorf("OpenStore = %v, %v", s, err)
			}
		})
	}
}
