package keys

import (
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// The rollback floor: the newest list a Store has accepted, kept in a file
// of its own beside the store file so that it survives a restart, and so
// that replacing the store file alone (with an older list, genuinely
// signed, which still names a withdrawn key) does not lower it. Why a
// separate file: a floor inside the store file would go back with it.
//
// The floor file can be deleted or rewritten by whoever can write the
// directory, as the store file can; what that means is in the Store doc
// (Rollback) and docs/keys.md.

// floorFormat names the format of a Store's floor file.
const floorFormat = "ikd-trust-floor/1"

// floorSuffix names the floor file: the store file's path and this.
const floorSuffix = ".floor"

// maxFloorFile is the largest floor file read: the rotation lists of up
// to maxRotations rotations, and the JSON around them.
const maxFloorFile = maxRotations*maxTrustList + 4<<10

// floor is the newest list accepted: its sequence number, the SHA-256 of
// its payload (so that another list with the same sequence number is
// refused), the JWK kid of the root that signed it (so that a file
// whose rotation proof disagrees with what was accepted is refused) and
// the rotation proof of that root: the store file's rotation lists when
// the list was accepted. The proof is kept in the floor too so that a
// rotation survives losing the store file: without it the store would
// fall back to the pin, a root the floor says was retired (see
// Store.retired and Store.recoverRoot). The rotations are as read from the
// file, not verified: they are verified where they are used. The zero
// floor, sequence 0, is "nothing accepted yet": lists start at 1.
type floor struct {
	seq       uint64
	digest    [sha256.Size]byte
	root      string
	rotations [][]byte
}

func floorOf(l *TrustList, rotations [][]byte) (floor, error) {
	kid, err := jwkKeyID(l.root)
	if err != nil {
		return floor{}, err
	}
	return floor{seq: l.seq, digest: l.digest, root: kid, rotations: rotations}, nil
}

// floorWire is the JSON of a floor file: {"format": "ikd-trust-floor/1",
// "sequence": 42, "digest": base64url SHA-256 of the list's payload,
// "root": JWK kid of the root that signed it, "rotations": [compact JWS,
// ...] (optional, oldest first: the rotation lists since the pin that lead
// to root, as in the store file)}; digest and root are empty, and
// rotations absent, for sequence 0.
type floorWire struct {
	Format    string   `json:"format"`
	Sequence  uint64   `json:"sequence"`
	Digest    string   `json:"digest"`
	Root      string   `json:"root"`
	Rotations []string `json:"rotations,omitempty"`
}

func (f floor) marshal() ([]byte, error) {
	w := floorWire{Format: floorFormat, Sequence: f.seq}
	if f.seq > 0 {
		w.Digest = base64.RawURLEncoding.EncodeToString(f.digest[:])
		w.Root = f.root
		for _, r := range f.rotations {
			w.Rotations = append(w.Rotations, string(r))
		}
	}
	b, err := json.Marshal(w)
	return append(b, '\n'), err
}

func parseFloor(data []byte) (floor, error) {
	var w floorWire
	if err := decodeStrict(data, &w); err != nil {
		return floor{}, err
	}
	if w.Format != floorFormat {
		return floor{}, fmt.Errorf("%w: format %q, not %q", ErrMalformed, w.Format, floorFormat)
	}
	f := floor{seq: w.Sequence, root: w.Root}
	if w.Sequence == 0 {
		if w.Digest != "" || w.Root != "" || w.Rotations != nil {
			return floor{}, fmt.Errorf("%w: digest, root or rotations for sequence 0", ErrMalformed)
		}
		return f, nil
	}
	d, err := base64.RawURLEncoding.Strict().DecodeString(w.Digest)
	if err != nil || len(d) != sha256.Size {
		return floor{}, fmt.Errorf("%w: digest is not a base64url SHA-256", ErrMalformed)
	}
	copy(f.digest[:], d)
	if r, err := base64.RawURLEncoding.Strict().DecodeString(w.Root); err != nil || len(r) != sha256.Size {
		return floor{}, fmt.Errorf("%w: root is not a JWK kid", ErrMalformed)
	}
	if len(w.Rotations) > maxRotations {
		return floor{}, fmt.Errorf("%w: %d rotations, at most %d", ErrMalformed, len(w.Rotations), maxRotations)
	}
	for _, r := range w.Rotations {
		f.rotations = append(f.rotations, []byte(r))
	}
	return f, nil
}

func (s *Store) floorPath() string { return s.path + floorSuffix }

// readFloor reads the floor file into s.floor (which never goes down:
// the highest floor seen in this process or on disk holds) and records
// whether the file holds a usable floor, and which, in s.diskFloorOK and
// s.diskFloor. It returns whether the file
// exists, and why it cannot be used if it cannot.
func (s *Store) readFloor() (exists bool, err error) {
	data, err := readFileLimited(s.floorPath(), maxFloorFile)
	s.diskFloorOK = false
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err == nil {
		var f floor
		if f, err = parseFloor(data); err == nil {
			s.diskFloorOK, s.diskFloor = true, f.seq
			if f.seq > s.floor.seq {
				s.floor = f
			}
			return true, nil
		}
	}
	return true, listErr(fmt.Errorf("floor file: %w", err))
}

// checkFloor refuses the file's list l, reached through the rotation
// chain path (path[0] the pin, path[i+1] the root announced by the
// rotation list of sequence seqs[i]), if it is older than the floor, is
// another list with the floor's sequence number, or if the chain says
// that some other root than the floor's signed the floor's list: a
// rotation list replayed from before the floor (an announcement that a
// later list withdrew).
func (s *Store) checkFloor(l *TrustList, path []crypto.PublicKey, seqs []uint64) error {
	f := s.floor
	if l.seq < f.seq {
		return listErr(fmt.Errorf("store file: %w: file has sequence %d, newest accepted %d", ErrRollback, l.seq, f.seq))
	}
	if l.seq == f.seq && l.digest != f.digest {
		return listErr(fmt.Errorf("store file: %w: sequence %d is not the list accepted with that number", ErrRollback, l.seq))
	}
	if f.seq == 0 {
		return nil
	}
	// path[j] signed the lists after seqs[j-1] up to seqs[j] (the last
	// one it signed before the next root took over).
	for j, r := range path {
		kid, err := jwkKeyID(r)
		if err != nil || kid != f.root {
			continue
		}
		if (j == 0 || seqs[j-1] < f.seq) && (j == len(seqs) || f.seq <= seqs[j]) {
			return nil
		}
	}
	return listErr(fmt.Errorf("store file: %w: its rotations do not lead through the root that signed sequence %d", ErrRollback, f.seq))
}

// saveFloor writes s.floor to the floor file unless the file already
// holds it.
func (s *Store) saveFloor() error {
	if s.diskFloorOK && s.diskFloor >= s.floor.seq {
		return nil
	}
	data, err := s.floor.marshal()
	if err != nil {
		return err
	}
	if err := s.write(s.floorPath(), data, 0o644); err != nil {
		return err
	}
	s.diskFloorOK, s.diskFloor = true, s.floor.seq
	return nil
}

// retired reports whether the floor shows that root was rotated away
// from: it signed one of the floor's rotation lists, which announced
// another root that then signed a list. A retired root is never trusted
// again, whatever the store file says or lacks. A floor file an attacker
// wrote can make a root look retired only with a list that root signed,
// and at worst blocks updates, as a floor with the largest sequence does.
func (s *Store) retired(root crypto.PublicKey) bool {
	c := s.cfg
	c.anyAge, c.minSeq = true, 0
	for _, r := range s.floor.rotations {
		if l, err := parseTrustList(r, []crypto.PublicKey{root}, c); err == nil && l.nextRoot != nil && !sameKey(l.nextRoot, root) {
			return true
		}
	}
	return false
}

// recoverRoot is for a store that holds no list after reload (its file
// was lost, overwritten or refused): if the floor's rotation lists verify
// as a chain from the pin (as the store file's would) to the root that
// signed the floor's list, that root becomes the root, so that the next
// genuine list, which it signs, is taken. Trust still starts from the
// pin: a chain that does not verify from it changes nothing. s.mu is held.
func (s *Store) recoverRoot() {
	if s.floor.seq == 0 || len(s.floor.rotations) == 0 {
		return
	}
	raw := make([]string, len(s.floor.rotations))
	for i, r := range s.floor.rotations {
		raw[i] = string(r)
	}
	path, _, kept, err := s.walkRotations(raw)
	if err != nil {
		return
	}
	root := path[len(path)-1]
	if kid, err := jwkKeyID(root); err != nil || kid != s.floor.root {
		return
	}
	s.root, s.next, s.rotations = root, nil, kept
}
