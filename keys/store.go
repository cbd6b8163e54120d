package keys

import (
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// storeFormat names the format of a Store's file. legacyStoreFormat is
// the format before issue 12, which named its own root pins; it is still
// read, but its pins are not trusted (see reload).
const (
	storeFormat       = "ikd-trust-store/2"
	legacyStoreFormat = "ikd-trust-store/1"
)

// maxRotations is the most root rotations a Store's file records since the
// root the app pins. A root rotates every few years; by the fifth rotation
// without an app release that pins a newer root, something is wrong, and
// the file would approach maxStoreFile.
const maxRotations = 4

// maxStoreFile is the largest Store file read: a trust list and the lists
// of up to maxRotations rotations, and the JSON around them.
const maxStoreFile = (1+maxRotations)*maxTrustList + 16<<10

// Store is a scanner's trust list cache: the last good trust list, kept in
// memory and in a file on disk, with the pinned root keys, and beside it a
// floor file that holds the newest list ever accepted.
//
// At [OpenStore] it loads the file; [Store.Update] accepts a downloaded
// list only if it verifies against a pinned root, is newer (a higher
// sequence number) and has not expired, and then replaces the file
// atomically. A list that fails, a failed write, or a corrupt file leaves
// the last good list in place, and the error says why.
//
// # Root rotation
//
// The root given to [OpenStore] is the pin, and trust always starts from
// it: nothing in the file can make the store trust a root that the pin did
// not vouch for. When the current list announces a next root
// ([TrustListContent.NextRoot]), an update verifies against either. When a
// list signed by the next root is accepted, the next root becomes the root
// and the old one is no longer trusted; each accepted list replaces the
// announcement with its own (none withdraws it).
//
// A rotation must survive a restart, while the app still pins the old
// root. So the file keeps the proof: for each rotation since the pin, the
// last list the old root signed, which announces the new one. At
// [OpenStore] the store verifies that chain from the pin (the first
// rotation list against the pin, each next one against the root the one
// before announced, sequence numbers rising) and then the current list
// against the root the chain ends at. A chain or a list that does not
// verify leaves the store empty with the pin, and [Store.LoadError] says
// why. An app release that pins a root the store has since rotated to
// works too: the rotation lists the new pin did not sign are from before
// it and are skipped, and dropped from the file at the next update. At
// most four rotations are kept; an update that would make a fifth fails,
// and the app must pin a newer root. A new root should be pinned in a
// release only once it has signed a published list: a store pinned to it
// refuses a list the old root signed.
//
// The floor file (see Rollback) keeps a copy of the rotation lists too, so
// that a rotation survives losing the store file. A root that signed one
// of the floor's rotation lists is retired: a list it signs is refused
// with [ErrRollback], whatever the store file says. A store that holds no
// list after OpenStore (its file missing, overwritten or refused) verifies
// the floor's rotation lists as a chain from the pin, as it would the
// file's, and if the chain ends at the root that signed the floor's list,
// that root becomes the root and the next list it signs is taken. A chain
// that does not verify from the pin changes nothing, so neither file can
// make the store trust a root the pin does not lead to. Not recovered: an
// announcement in the floor's list itself (the next list the current root
// signs brings it back). A retired root is never rotated back to.
//
// # File
//
// The file is JSON: {"format": "ikd-trust-store/2", "trust_list": compact
// JWS, "rotations": [compact JWS, ...] (optional, oldest first)}. The list
// and its rotation proof are replaced together by one atomic rename. A
// file in the earlier format "ikd-trust-store/1" (which carried "root"
// and "next_root" pins of its own) is still read, but its pins are not
// trusted: its list must verify against the pin, and a store that rotated
// under that format starts empty.
//
// # Rollback
//
// A list older than one accepted before would bring back keys that the
// newer one withdrew (a stolen issuer key). The store refuses it in an
// update, and across restarts too: the floor file, path + ".floor" (JSON:
// {"format": "ikd-trust-floor/1", "sequence", "digest": base64url SHA-256
// of the list's payload, "root": JWK kid of the root that signed it,
// "rotations": the store file's rotation lists then, optional}),
// holds the newest list accepted. At OpenStore a store file whose list is
// older than the floor, or another list with the floor's sequence number,
// or whose rotations do not lead through the root that signed the floor's
// list (a withdrawn announcement put back), is refused with [ErrRollback];
// the store starts empty, and offering the newest list again takes it
// back. The floor lives in its own file because a floor inside the store
// file would go back with it when the file is put back.
//
// Every update writes the store file first and then the floor file, and
// the very first update writes a floor file before the store file, so a
// kill leaves the floor at most one list behind the file (which the next
// start accepts and catches up) and a store file never exists without a
// floor file. A store file without one therefore means that the floor
// file was deleted: the file is refused with [ErrRollback] (it cannot
// show that it was not put back), and the store starts empty. A store
// file written before floor files existed (format 1) is refused the same
// way, once: the scanner must download its list again.
//
// What files cannot do: whoever can write the whole directory can put
// back both files of an older state, or rewrite the floor file, and the
// store cannot tell (it has no secret and no tamper-proof counter). Such
// an attacker can bring back any genuinely signed list, but not forge one,
// and not make the store trust a root the pin does not lead to; an old
// list stops being served at its next update plus the grace period
// ([Store.Current] returns nil). An app with a hardware-backed monotonic
// counter can compare it with [TrustList.Sequence] of [Store.Current].
//
// # Concurrency
//
// A Store is safe for concurrent use. [Store.Current] is lock-free (an
// atomic.Pointer) and may be called by any number of verifying goroutines
// while Update swaps the list: a reader holds either the old list or the
// new one, each immutable, never a mix. Updates are serialized.
type Store struct {
	path string
	pin  crypto.PublicKey // the root given to OpenStore, where trust starts
	cfg  config
	cur  atomic.Pointer[TrustList]

	mu   sync.Mutex // serializes Update and reload; guards the fields below
	root crypto.PublicKey
	next crypto.PublicKey // nil when no next root is announced
	// rotations are the compact JWS of the lists, oldest first, that
	// announced each root since pin that has since signed a list: the
	// proof, kept in the file, that root follows from pin.
	rotations [][]byte
	// floor is the newest list accepted, in this process or before (the
	// floor file): nothing older, and no other list with its sequence
	// number, is accepted. It never goes down.
	floor floor
	// diskFloorOK says that the floor file holds a usable floor, and
	// diskFloor its sequence number.
	diskFloorOK bool
	diskFloor   uint64
	loadErr     error

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
// being read, so that OpenStore never blocks; older than the floor, or
// without a floor file: see Rollback on Store) is not an error either: the
// store starts empty, the file stays until an update replaces it, and
// [Store.LoadError] says what is wrong. OpenStore fails only for
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
	s := &Store{path: path, pin: root, cfg: c, root: root, write: writeFileAtomic}
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
// [Store.Update]. [ErrRollback] means that the file holds an older list
// than the newest accepted, or that its floor file is missing (see
// Rollback on Store). A store whose file could not be used works: it starts
// empty and the next good update replaces the file.
func (s *Store) LoadError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loadErr
}

// Update offers a downloaded trust list (compact JWS) to the store. The
// list is accepted if it verifies against a pinned root, is not expired
// beyond the grace period, and has a higher sequence number than the
// newest list ever accepted (the floor, see Rollback), or is that list
// itself when the store no longer holds it. Then the file is replaced
// atomically, the pins are updated (see Root rotation), the new list
// becomes Current, and the floor file is raised.
//
// Offering the list already held (same sequence number, same payload) is
// a no-op that returns nil, so a scanner can poll. Otherwise a failure
// leaves the store as it was, in memory and on disk, and returns an error
// wrapping the reason ([ErrRollback] for a lower or reused sequence
// number, and the errors of [ParseTrustList]), or the error of writing the
// file. One failure comes after the list was saved: if the floor file
// cannot be written, Update returns that error although the new list is
// Current (it is in the file, and a restart would load it); the floor is
// written again at the next Update, offering the same list included, and
// at the next OpenStore.
func (s *Store) Update(jws []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := s.cur.Load()
	c := s.cfg
	c.minSeq = max(c.minSeq, s.floor.seq)
	l, err := parseTrustList(jws, s.pins(), c)
	if err != nil {
		return err
	}
	if s.retired(l.root) {
		return listErr(fmt.Errorf("%w: signed by a root that a later root replaced (the rollback floor's rotations)", ErrRollback))
	}
	if l.seq == s.floor.seq {
		if l.digest != s.floor.digest {
			return listErr(fmt.Errorf("%w: sequence %d reused for a different list", ErrRollback, l.seq))
		}
		if held != nil && held.digest == l.digest {
			return s.saveFloor() // nil, unless an earlier floor write failed
		}
		// The newest list accepted, which the store no longer holds (its
		// file was refused or deleted): take it back.
	}
	root, next := pinsAfter(s.root, s.next, l)
	rotations := s.rotations
	if held != nil && !sameKey(root, s.root) {
		// l is the first list signed by the next root: held, which
		// announced it, is the proof of the rotation.
		if len(rotations) >= maxRotations {
			return fmt.Errorf("keys: store: %d root rotations since the pinned root, the most a store keeps: the app must pin a newer root", maxRotations)
		}
		rotations = append(slices.Clip(rotations), held.jws)
	}
	fl, err := floorOf(l, rotations)
	if err != nil {
		return err
	}
	data, err := marshalStore(l, rotations)
	if err != nil {
		return err
	}
	// A store file is never without its floor file, even for a moment:
	// the first time, the floor as it stands is written before the list.
	if !s.diskFloorOK {
		if err := s.saveFloor(); err != nil {
			return err
		}
	}
	if err := s.write(s.path, data, 0o644); err != nil {
		return err
	}
	s.root, s.next, s.rotations, s.loadErr = root, next, rotations, nil
	s.floor = fl
	s.cur.Store(l)
	// Then the floor is raised. A kill before this leaves the floor one
	// list behind the file, which the next start accepts and raises.
	if err := s.saveFloor(); err != nil {
		return fmt.Errorf("keys: store: list %d saved, but not the rollback floor (offering it again retries): %w", l.seq, err)
	}
	return nil
}

// reload loads the file into the store, taking its list if it is newer
// than the one held; s.mu is held (or s is not shared yet). If the file
// cannot be used the list in memory stays and reload returns why; a store
// left without a list takes the floor's root if the floor's rotation
// proof leads to it from the pin (recoverRoot).
//
// Trust starts from s.pin, never from the file: the rotation lists must
// verify as a chain from the pin, and the list against the root the chain
// ends at (see Root rotation on Store).
func (s *Store) reload() error {
	err := s.loadFile()
	if s.cur.Load() == nil {
		s.recoverRoot()
	}
	return err
}

func (s *Store) loadFile() error {
	floorExists, floorErr := s.readFloor()
	data, err := readFileLimited(s.path, maxStoreFile)
	if errors.Is(err, fs.ErrNotExist) {
		return floorErr
	}
	if err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	var w storeWire
	if err := decodeStrict(data, &w); err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	switch w.Format {
	case storeFormat:
		if w.Root != nil || w.NextRoot != nil {
			return listErr(fmt.Errorf("store file: %w: root pins in format %q", ErrMalformed, storeFormat))
		}
	case legacyStoreFormat:
		// The legacy file's own pins must be keys, but they are not
		// trusted: whoever could write the file could name their own
		// root. Without a rotation chain its list must verify against
		// the pin.
		if w.Rotations != nil {
			return listErr(fmt.Errorf("store file: %w: rotations in format %q", ErrMalformed, legacyStoreFormat))
		}
		if _, err := decodePublicJWK(w.Root, true); err != nil {
			return listErr(fmt.Errorf("store file: root: %w", err))
		}
		if len(w.NextRoot) > 0 {
			if _, err := decodePublicJWK(w.NextRoot, true); err != nil {
				return listErr(fmt.Errorf("store file: next root: %w", err))
			}
		}
	default:
		return listErr(fmt.Errorf("store file: %w: format %q, not %q", ErrMalformed, w.Format, storeFormat))
	}
	path, seqs, rotations, err := s.walkRotations(w.Rotations)
	if err != nil {
		return err
	}
	root := path[len(path)-1]
	c := s.cfg
	c.anyAge = true // an expired list still holds the rollback floor
	l, err := parseTrustList([]byte(w.TrustList), []crypto.PublicKey{root}, c)
	if err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	if len(seqs) > 0 && l.seq <= seqs[len(seqs)-1] {
		return listErr(fmt.Errorf("store file: %w: list has sequence %d, its last rotation %d", ErrMalformed, l.seq, seqs[len(seqs)-1]))
	}
	// Rollback: the list must be the newest accepted or a newer one. A
	// store file without its floor file cannot show that: the floor file
	// was deleted (an update never writes the store file first), and the
	// file may have been put back. It is refused, and the next good
	// update makes both again.
	fl, err := floorOf(l, rotations)
	if err != nil {
		return listErr(fmt.Errorf("store file: %w", err))
	}
	if floorErr != nil || !floorExists {
		// A list the pin signed itself is genuine all the same, so
		// nothing older than it is newer: it becomes the floor in memory
		// (and on disk at the next update), and offering it again takes
		// it back. Not one reached through rotations: without the floor
		// they cannot be checked against a withdrawn announcement, whose
		// root could sign any sequence number and so block updates.
		if len(seqs) == 0 && fl.seq > s.floor.seq {
			s.floor = fl
		}
		if floorErr != nil {
			return floorErr
		}
		return listErr(fmt.Errorf("store file: %w: no floor file %s beside it: cannot tell whether an older file was put back", ErrRollback, s.floorPath()))
	}
	if err := s.checkFloor(l, path, seqs); err != nil {
		return err
	}
	if held := s.cur.Load(); held != nil && l.seq == held.seq {
		return nil
	}
	s.root, s.next = pinsAfter(root, nil, l)
	s.rotations = rotations
	s.floor = fl
	s.cur.Store(l)
	// A kill between writing the store file and its floor left the floor
	// behind: raise it now (best effort; the next update retries).
	_ = s.saveFloor()
	return nil
}

// walkRotations verifies the file's rotation lists as a chain from s.pin
// and returns the roots on it (path[0] the pin, path[i+1] the root that
// rotation list i announced, which signed the lists after it), the
// sequence numbers of the rotation lists it kept and the lists. Leading
// lists that the pin did not sign are from before it (the app now pins a
// root the store rotated to): they are skipped, which never moves trust
// away from the pin. From the first list the pin signed on, each must
// verify against the root the one before announced, announce a root, and
// have a higher sequence number.
func (s *Store) walkRotations(raw []string) ([]crypto.PublicKey, []uint64, [][]byte, error) {
	if len(raw) > maxRotations {
		return nil, nil, nil, listErr(fmt.Errorf("store file: %w: %d rotations, at most %d", ErrMalformed, len(raw), maxRotations))
	}
	path := []crypto.PublicKey{s.pin}
	var seqs []uint64
	var kept [][]byte
	c := s.cfg
	c.anyAge = true // rotation lists are old by nature
	for i, r := range raw {
		root := path[len(path)-1]
		l, err := parseTrustList([]byte(r), []crypto.PublicKey{root}, c)
		if err != nil {
			if len(kept) == 0 && errors.Is(err, ErrBadSignature) {
				continue
			}
			return nil, nil, nil, listErr(fmt.Errorf("store file: rotation %d: %w", i, err))
		}
		if l.nextRoot == nil || sameKey(l.nextRoot, root) {
			return nil, nil, nil, listErr(fmt.Errorf("store file: rotation %d: %w: announces no next root", i, ErrMalformed))
		}
		if len(seqs) > 0 && l.seq <= seqs[len(seqs)-1] {
			return nil, nil, nil, listErr(fmt.Errorf("store file: rotation %d: %w: sequence %d after %d", i, ErrMalformed, l.seq, seqs[len(seqs)-1]))
		}
		kept = append(kept, l.jws)
		seqs = append(seqs, l.seq)
		path = append(path, l.nextRoot)
	}
	return path, seqs, kept, nil
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

// storeWire is the JSON of a Store's file, in either format: Rotations
// only in storeFormat, Root and NextRoot only in legacyStoreFormat.
type storeWire struct {
	Format    string          `json:"format"`
	TrustList string          `json:"trust_list"`
	Rotations []string        `json:"rotations,omitempty"`
	Root      json.RawMessage `json:"root,omitempty"`
	NextRoot  json.RawMessage `json:"next_root,omitempty"`
}

type storeWireOut struct {
	Format    string   `json:"format"`
	TrustList string   `json:"trust_list"`
	Rotations []string `json:"rotations,omitempty"`
}

func marshalStore(l *TrustList, rotations [][]byte) ([]byte, error) {
	w := storeWireOut{Format: storeFormat, TrustList: string(l.jws)}
	for _, r := range rotations {
		w.Rotations = append(w.Rotations, string(r))
	}
	return json.Marshal(w)
}

// removeTemps removes temporary files that a killed writeFileAtomic left
// beside the store's file and its floor file.
func (s *Store) removeTemps() {
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefixes := []string{tempPrefix(base), tempPrefix(base + floorSuffix)}
	for _, e := range entries {
		for _, p := range prefixes {
			if strings.HasPrefix(e.Name(), p) && e.Type().IsRegular() {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
	}
}
