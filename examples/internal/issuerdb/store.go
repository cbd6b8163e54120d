package issuerdb

import (
	"errors"
	"fmt"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
)

// MaxListSize is the largest status list a store opens: 134,217,728
// entries, a 32 MiB bit array at two bits per entry, which is the most a
// scanner inflates (status.NewList refuses more).
const MaxListSize = 1 << 27

// Sentinel errors callers branch on.
var (
	// ErrExists reports that Create found a database already there.
	ErrExists = errors.New("issuerdb: database already exists")
	// ErrNotFound reports that Open found no database, or that a batch,
	// entry or list asked for does not exist.
	ErrNotFound = errors.New("issuerdb: not found")
	// ErrRevoked reports a status change of an entry that is revoked: a
	// revocation is for good.
	ErrRevoked = errors.New("issuerdb: entry is revoked for good")
	// ErrConflict reports a batch row whose recorded holder differs from
	// the one given, or a batch started again with other settings.
	ErrConflict = errors.New("issuerdb: conflicts with what is recorded")
	// ErrNotNewer reports a publication whose issue time is not after the
	// last one of the same list: scanners would refuse it as a rollback or
	// a conflict.
	ErrNotNewer = errors.New("issuerdb: publication not newer than the last")
	// ErrListsExhausted reports an allocation when the list with the
	// largest id a credential can carry (2^32-1) is full.
	ErrListsExhausted = errors.New("issuerdb: no list id left")
)

// CheckIssuerID checks an issuer id as credentials and trust lists carry
// it: 1 to 32 bytes of A-Z, a-z, 0-9, '.', '_' and '-', and not "." or
// ".." (the program names files after it).
func CheckIssuerID(id string) error {
	ok := len(id) >= 1 && len(id) <= 32 && id != "." && id != ".."
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
	}
	if !ok {
		return fmt.Errorf("issuerdb: issuer id %q is not 1 to 32 of A-Z, a-z, 0-9, '.', '_', '-'", id)
	}
	return nil
}

// OutputTakenError reports a batch started with an output file that
// another batch, finished or not, already writes.
type OutputTakenError struct {
	// Out is the output file; Batch the name of the batch that has it.
	Out, Batch string
	// Finished is whether that batch is finished.
	Finished bool
}

// Error names the output and the batch that has it.
func (e *OutputTakenError) Error() string {
	state := "an unfinished"
	if e.Finished {
		state = "a finished"
	}
	return fmt.Sprintf("issuerdb: output %s belongs to %s batch %s", e.Out, state, e.Batch)
}

// DeviceTakenError reports a new entry for a device key that already has
// a live (not revoked) entry of the same kind: the same person issued
// twice, or a phone given to a second person.
type DeviceTakenError struct {
	// Device is the device kid, Kind the document type.
	Device []byte
	Kind   string
	// Entry is the live entry (its Ref and NIK are set).
	Entry Entry
}

// Error names the entry that has the device.
func (e *DeviceTakenError) Error() string {
	return fmt.Sprintf("issuerdb: device %x already holds the %s of NIK %s (status list %d index %d)", e.Device, e.Kind, e.Entry.NIK, e.Entry.Ref.List, e.Entry.Ref.Index)
}

// Holder is who a new entry is for.
type Holder struct {
	// NIK is the holder's 16-digit NIK.
	NIK credential.NIK
	// Device is the COSE kid (keys.KeyID) of the device key the
	// credentials are bound to.
	Device []byte
	// Kind is the document type, "ktp" today.
	Kind string
	// Row is the holder's row in its batch (from 0); ignored outside a
	// batch.
	Row int
}

// Entry is one handed-out status index.
type Entry struct {
	// Ref is the list and index.
	Ref credential.StatusRef
	// Status is its current status.
	Status status.Status
	// NIK, Device and Kind are the Holder's.
	NIK    credential.NIK
	Device []byte
	Kind   string
	// Batch is the name of the batch that handed it out, "" for none;
	// Row its row there.
	Batch string
	Row   int
	// IssuedAt is when it was handed out, in whole seconds.
	IssuedAt time.Time
}

// List describes one status list of the issuer.
type List struct {
	// ID is the list id credentials carry.
	ID uint32
	// Size is the number of entries, Used how many are handed out.
	Size, Used int
	// Revoked and Suspended count the entries in those states.
	Revoked, Suspended int
	// Publications counts the lists published; LastPublished is the iat
	// of the last one (zero for none).
	Publications  uint64
	LastPublished time.Time
}

// Batch is a batch run as recorded: its settings, fixed when it started so
// that a resumed batch signs exactly what the first run would have, and how
// far it got.
type Batch struct {
	// Name identifies the batch (the program uses a digest of its input).
	Name string
	// Out is the output file the batch writes.
	Out string
	// Rows is the number of rows in the input.
	Rows int
	// Signer is the COSE kid of the issuer key that signs the batch: a
	// resumed batch is signed by the same key.
	Signer []byte
	// IssuedAt is the credentials' issue time; Valid their lifetime;
	// Profiles the profiles signed, comma-separated.
	IssuedAt time.Time
	Valid    time.Duration
	Profiles string
	// NextRow is the first row not yet written to the output, OutBytes
	// the length of the output written so far; Issued and Refused count
	// the rows before NextRow.
	NextRow         int
	OutBytes        int64
	Issued, Refused int
	// Finished is set once the output is complete and in place;
	// Abandoned once the batch was given up (AbandonBatch).
	Finished, Abandoned bool
}

// Query selects entries: by NIK, by device kid, or by one status reference.
// Exactly one field is set.
type Query struct {
	// NIK selects every entry of a person (all their devices).
	NIK credential.NIK
	// Device selects the entries bound to a device key, by COSE kid.
	Device []byte
	// Ref selects one entry.
	Ref *credential.StatusRef
}

// Store is the issuer's database. The program needs nothing else from it;
// a PostgreSQL implementation satisfies the same interface. Methods are
// safe for concurrent use; each runs in one transaction.
type Store interface {
	// IssuerID returns the issuer the store belongs to.
	IssuerID() string
	// ListSize returns the size of new lists.
	ListSize() int
	// Allocate hands out one entry per holder at time at, in one
	// transaction, from the newest list, opening the next list id when it
	// is full. Within a batch (batch != "") a row that already has an
	// entry gets that entry back (ErrConflict if its holder differs), so
	// that a resumed batch keeps its indices. A new entry for a device
	// that has a live entry of the same kind is refused with a
	// *DeviceTakenError, and nothing of the call is recorded.
	Allocate(batch string, holders []Holder, at time.Time) ([]Entry, error)
	// StartBatch records a new batch, or returns the recorded one of that
	// name (ErrConflict if its output, rows or settings differ from b's).
	// A new batch whose output another batch has is refused with an
	// *OutputTakenError (an abandoned batch's output is free).
	StartBatch(b Batch) (Batch, error)
	// Batch returns the recorded batch of that name, ErrNotFound if none.
	// Batches returns all recorded batches, oldest first.
	Batch(name string) (Batch, error)
	Batches() ([]Batch, error)
	// Progress records how far batch name got (see Batch).
	Progress(name string, nextRow int, outBytes int64, issued, refused int) error
	// FinishBatch marks batch name finished.
	FinishBatch(name string) error
	// AbandonBatch gives up the unfinished batch name at time at: its
	// entries are revoked (their credentials were never handed out
	// complete, and may sit in a partial output), which frees their
	// device keys, and its output file may be used by another batch. It
	// returns how many entries it revoked; ErrNotFound for no such batch,
	// ErrConflict for a finished or abandoned one.
	AbandonBatch(name string, at time.Time) (int, error)
	// LiveDevices returns, by position in devices, the live (not
	// revoked) entry of kind each device key has outside batch
	// exceptBatch ("" for none): what a new entry for it would collide
	// with. One read of many devices, for a batch's check of its rows.
	LiveDevices(kind string, devices [][]byte, exceptBatch string) (map[int]Entry, error)
	// Find returns the entries q selects, in (list, index) order.
	Find(q Query) ([]Entry, error)
	// SetStatus sets the status of the given entries at time at, with a
	// reason kept in the history, all or none: ErrNotFound for an entry
	// never handed out, ErrRevoked for a revoked one that would change.
	SetStatus(refs []credential.StatusRef, to status.Status, at time.Time, reason string) error
	// Lists returns the issuer's lists in id order.
	Lists() ([]List, error)
	// NotValid calls fn for every entry of list that is not valid.
	NotValid(list uint32, fn func(index uint32, s status.Status) error) error
	// Publish records that list was published with issue time iat and
	// returns the publication's number (1, 2, ...). It returns
	// ErrNotNewer, recording nothing, when iat is not after the last
	// publication of that list.
	Publish(list uint32, iat time.Time) (uint64, error)
	// Import records entries handed out before the store existed (a
	// state.json), opening their list with size entries if needed.
	Import(list uint32, size int, entries []Entry) error
	// Close closes the database.
	Close() error
}
