package keys

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-jose/go-jose/v4"
)

// storeFormat names the format of a Store's file.
const storeFormat = "ikd-trust-store/1"

// maxStoreFile is the largest Store file read: a trust list and two keys.
const maxStoreFile = maxTrustList + 16<<10

// Store is a scanner's trust list cache: the last good trust list, kept in
// memory and in one file on disk, with the pinned root keys.
//
// At [OpenStore] it loads the file; [Store.Update] accepts a downloaded
// list only if it verifies against a pinned root, is newer (a higher
// sequence number) and has not expired, and then replaces the file
// atomically. A list that fails, a failed write, or a corrupt file leaves
// the last good list in place, and the error says why.
//
// # Root rotation
//
// The store pins a root key and, when the current list announces one
// ([TrustListContent.NextRoot]), a next root. An update verifies against either.
// When a list signed by the next root is accepted, the next root becomes
// the root and the old one is no longer trusted; each accepted list
// replaces the announcement with its own (none withdraws it). The pins are
// saved in the same file as the list, so the list and the keys that
// verify it are replaced together by one atomic rename.
//
// # File
//
// The file is JSON: {"format": "ikd-trust-store/1", "trust_list": compact
// JWS, "root": JWK, "next_root": JWK (optional)}. Once it exists its pins
// take precedence over the root given to OpenStore, which is only the
// first pin; delete the file to pin from scratch.
//
// # Concurrency
//
// A Store is safe for concurrent use. [Store.Current] is lock-free (an
// atomic.Pointer) and may be called by any number of verifying goroutines
// while Update swaps the list: a reader holds either the old list or the
// new one, each immutable, never a mix. Updates are serialized.
type Store struct {
	path string
	cfg  config
	cur  atomic.Pointer[TrustList]

	mu      sync.Mutex // serializes Update and reload; guards the fields below
	root    crypto.PublicKey
	next    crypto.PublicKey // nil when no next root is announced
	loadErr error

	// write replaces the file; tests swap it to inject failures.
	write func(path string, data []byte, perm os.FileMode) error
}

// OpenStore opens the trust list cache at path (a file in an existing
// directory) with root as the pinned root key, and loads the last good
// list from the file if there is one. Temporary files that a killed update
// left beside path are removed.
//
// A missing file is not an error: the store starts empty. A file that
// cannot be used (unreadable, corrupt, not verifying, or not a regular
// file: a named pipe, a device or a directory at path is refused without
// being read, so that OpenStore never blocks) is not an error either: the store starts empty, the file stays until an update replaces
// it, and [Store.LoadError] says what is wrong. OpenStore fails only for
// bad arguments: an empty path, a directory that does not exist, a root
// that is not an ES256 or EdDSA key, a bad option.
//
// Options: [WithClock], [WithGrace] (how long past its next update a list
// still counts, for updates and for [Store.Current]).
func OpenStore(path string, root crypto.PublicKey, opts ...Option) (*Store, error) {
	if path == "" {
		return nil, errors.New("keys: OpenStore: empty path")
	}
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	if _, err := AlgorithmOf(root); err != nil { // wraps ErrMalformed
		return nil, fmt.Errorf("keys: OpenStore: root key: %w", err)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("keys: OpenStore: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("keys: OpenStore: %s is not a directory", dir)
	}
	s := &Store{path: path, cfg: c, root: root, write: writeFileAtomic}
	s.removeTemps()
	s.loadErr = s.reload()
	return s, nil
}

// Current returns the trust list to verify with: the last good list, or
// nil if there is none or if it expired longer ago than the grace period
// allows (a scanner must then refuse credentials, not trust stale keys).
// It does not lock and does not allocate.
func (s *Store) Current() *TrustList {
	l := s.cur.Load()
	if l == nil || l.expired(s.cfg.now(), s.cfg.grace) {
		return nil
	}
	return l
}

// LoadError returns why the file could not be used at [OpenStore] (an
// error wrapping one of the package's sentinels, most often
// [ErrMalformed], or the os error if the file could not be read), nil if
// it was used, was absent, or has since been replaced by a successful
// [Store.Update]. A store whose file could not be used works: it starts
// empty and the next good update replaces the file.
func (s *Store) LoadError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadErr
}

// Update offers a downloaded trust list (compact JWS) to the store. The
// list is accepted if it verifies against a pinned root, is not expired
// beyond the grace period, and has a higher sequence number than the list
// held. Then the file is replaced atomically, the pins are updated (see
// Root rotation) and the new list becomes Current.
//
// Offering the list already held (same sequence number, same payload) is
// a no-op that returns nil, so a scanner can poll. Otherwise a failure
// leaves the store as it was, in memory and on disk, and returns an error
// wrapping the reason ([ErrRollback] for a lower or reused sequence
// number, and the errors of [ParseTrustList]), or the error of writing the
// file.
func (s *Store) Update(jws []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := s.cur.Load()
	c := s.cfg
	if held != nil && held.seq > c.minSeq {
		c.minSeq = held.seq
	}
	l, err := parseTrustList(jws, s.pins(), c)
	if err != nil {
		return err
	}
	if held != nil && l.seq == held.seq {
		if l.digest == held.digest {
			return nil
		}
		return listErr(fmt.Errorf("%w: sequence %d reused for a different list", ErrRollback, l.seq))
	}
	root, next := pinsAfter(s.root, s.next, l)
	data, err := marshalStore(l, root, next)
	if err != nil {
		return err
	}
	if err := s.write(s.path, data, 0o644); err != nil {
		return err
	}
	s.root, s.next, s.loadErr = root, next, nil
	s.cur.Store(l)
	return nil
}

// reload loads the file into the store, taking its list if it is newer
// than the one held; s.mu is held (or s is not shared yet). If the file
// cannot be used the list in memory stays and reload returns why.
func (s *Store) reload() error {
	data, err := readFileLimited(s.path, maxStoreFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	var w storeWire
	if err := decodeStrict(data, &w); err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	if w.Format != storeFormat {
		return listErr(fmt.Errorf("store file: %w: format %q, not %q", ErrMalformed, w.Format, storeFormat))
	}
	root, err := decodePublicJWK(w.Root, true)
	if err != nil {
		return listErr(fmt.Errorf("store file: root: %w", err))
	}
	var next crypto.PublicKey
	if len(w.NextRoot) > 0 {
		k, err := decodePublicJWK(w.NextRoot, true)
		if err != nil {
			return listErr(fmt.Errorf("store file: next root: %w", err))
		}
		next = k.pub
	}
	pins := []crypto.PublicKey{root.pub}
	if next != nil {
		pins = append(pins, next)
	}
	c := s.cfg
	c.anyAge = true // an expired list still holds the rollback floor
	l, err := parseTrustList([]byte(w.TrustList), pins, c)
	if err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	held := s.cur.Load()
	if held != nil && l.seq < held.seq {
		return listErr(fmt.Errorf("store file: %w: file has sequence %d, memory %d", ErrRollback, l.seq, held.seq))
	}
	if held != nil && l.seq == held.seq {
		return nil
	}
	s.root, s.next = pinsAfter(root.pub, next, l)
	s.cur.Store(l)
	return nil
}

// pins returns the keys an update may be signed by.
func (s *Store) pins() []crypto.PublicKey {
	if s.next == nil {
		return []crypto.PublicKey{s.root}
	}
	return []crypto.PublicKey{s.root, s.next}
}

// pinsAfter returns the pins after accepting l: if the next root signed l
// it becomes the root; l's announcement (or none) becomes the next root.
func pinsAfter(root, next crypto.PublicKey, l *TrustList) (crypto.PublicKey, crypto.PublicKey) {
	if next != nil && sameKey(l.root, next) {
		root = next
	}
	next = l.nextRoot
	if next != nil && sameKey(next, root) {
		next = nil
	}
	return root, next
}

func sameKey(a, b crypto.PublicKey) bool {
	e, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && e.Equal(b)
}

// storeWire is the JSON of a Store's file.
type storeWire struct {
	Format    string          `json:"format"`
	TrustList string          `json:"trust_list"`
	Root      json.RawMessage `json:"root"`
	NextRoot  json.RawMessage `json:"next_root,omitempty"`
}

type storeWireOut struct {
	Format    string           `json:"format"`
	TrustList string           `json:"trust_list"`
	Root      jose.JSONWebKey  `json:"root"`
	NextRoot  *jose.JSONWebKey `json:"next_root,omitempty"`
}

func marshalStore(l *TrustList, root, next crypto.PublicKey) ([]byte, error) {
	w := storeWireOut{Format: storeFormat, TrustList: string(l.jws)}
	var err error
	if w.Root, err = toJWK(root); err != nil {
		return nil, err
	}
	if next != nil {
		j, err := toJWK(next)
		if err != nil {
			return nil, err
		}
		w.NextRoot = &j
	}
	return json.Marshal(w)
}

// removeTemps removes temporary files that a killed writeFileAtomic left
// beside the store's file.
func (s *Store) removeTemps() {
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
