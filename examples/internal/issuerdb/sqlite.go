package issuerdb

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
)

// schemaVersion is PRAGMA user_version of a database this package made.
// Migrations go from each version to the next in migrate.
const schemaVersion = 1

// schema is version 1. Entries are WITHOUT ROWID tables keyed by
// (list, idx), so the primary key is the table and the guard against a
// second holder of an index. The NIK is stored as its 16 digits in an
// integer (8 bytes instead of 16) and the device kid as a blob.
var schema = []string{
	`CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
	`CREATE TABLE lists(id INTEGER PRIMARY KEY, size INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0)`,
	`CREATE TABLE batches(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, out TEXT NOT NULL,
		rows INTEGER NOT NULL, signer BLOB NOT NULL, issued_at INTEGER NOT NULL, valid_s INTEGER NOT NULL, profiles TEXT NOT NULL,
		next_row INTEGER NOT NULL DEFAULT 0, out_bytes INTEGER NOT NULL DEFAULT 0,
		issued INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0)`,
	`CREATE TABLE entries(list INTEGER NOT NULL REFERENCES lists(id), idx INTEGER NOT NULL,
		status INTEGER NOT NULL DEFAULT 0, nik INTEGER NOT NULL, device BLOB NOT NULL, kind TEXT NOT NULL,
		batch INTEGER REFERENCES batches(id), row INTEGER, issued_at INTEGER NOT NULL,
		PRIMARY KEY(list, idx)) WITHOUT ROWID`,
	`CREATE UNIQUE INDEX entries_batch_row ON entries(batch, row) WHERE batch IS NOT NULL`,
	`CREATE INDEX entries_nik ON entries(nik)`,
	`CREATE INDEX entries_device ON entries(device)`,
	`CREATE INDEX entries_not_valid ON entries(list, idx) WHERE status != 0`,
	`CREATE TABLE changes(id INTEGER PRIMARY KEY, list INTEGER NOT NULL, idx INTEGER NOT NULL,
		from_status INTEGER NOT NULL, to_status INTEGER NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL)`,
	`CREATE TABLE publications(list INTEGER NOT NULL REFERENCES lists(id), seq INTEGER NOT NULL,
		iat INTEGER NOT NULL, PRIMARY KEY(list, seq)) WITHOUT ROWID`,
}

// SQLite is the Store on an SQLite file. Make one with [Create] or [Open].
// It is safe for concurrent use: one connection, one transaction at a
// time; other processes on the same file wait up to 10 s for the lock.
type SQLite struct {
	db       *sql.DB
	issuerID string
	listSize int

	mu    sync.Mutex // guards alloc
	alloc *allocState
}

var _ Store = (*SQLite)(nil)

// allocState is the in-memory allocator of the newest list, rebuilt from
// the database whenever the list's recorded count differs from its own
// (another process allocated, or a transaction rolled back).
type allocState struct {
	list uint32
	size int
	n    int // entries the allocator holds
	a    *status.Allocator
}

// dsn is the connection string: WAL with synchronous=FULL (a commit is on
// disk when Commit returns), foreign keys on, a 64 MiB page cache (the
// random indices spread inserts over the whole primary key, so a regency's
// table should stay in memory), and transactions that take
// the write lock at BEGIN, so that two issuers on one file serialise
// instead of failing at commit.
func dsn(path string) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "cache_size(-65536)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Create makes a new database at path for issuerID with new lists of
// listSize entries, mode 0600. It returns ErrExists if path exists and an
// error for a list size outside 1..MaxListSize. The database is made under
// a temporary name and linked into place once its schema is committed, so
// a process killed while creating leaves either no database or a complete
// one (and perhaps a .tmp- file beside it).
func Create(path, issuerID string, listSize int) (*SQLite, error) {
	if listSize < 1 || listSize > MaxListSize {
		return nil, fmt.Errorf("issuerdb: list size %d outside 1..%d (what a status list carries)", listSize, MaxListSize)
	}
	if err := CheckIssuerID(issuerID); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrExists, path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-")
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}()
	if err := os.Chmod(tmp, 0o600); err != nil {
		return nil, err
	}
	s, err := open(tmp, dsn(tmp))
	if err != nil {
		return nil, err
	}
	err = s.tx(func(tx *sql.Tx) error {
		for _, stmt := range schema {
			if _, err := tx.Exec(stmt); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO meta(key, value) VALUES ('issuer_id', ?), ('list_size', ?)`, issuerID, listSize); err != nil {
			return err
		}
		_, err := tx.Exec(`PRAGMA user_version = ` + strconv.Itoa(schemaVersion))
		return err
	})
	if cerr := s.Close(); err == nil {
		err = cerr // closing the last connection checkpoints the WAL into the file
	}
	if err != nil {
		return nil, fmt.Errorf("issuerdb: create %s: %v", path, err)
	}
	if err := os.Link(tmp, path); errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: %s", ErrExists, path)
	} else if err != nil {
		return nil, err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: the link survives a power cut
		d.Close()
	}
	return Open(path)
}

// Open opens the database at path. It returns ErrNotFound if there is none
// and an error for a file that is not an issuer database of a version this
// package knows; such a file is checked on a read-only connection and left
// as it was.
func Open(path string) (*SQLite, error) {
	ro, err := OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	ro.Close()
	s, err := open(path, dsn(path))
	if err != nil {
		return nil, err
	}
	if err := s.load(path); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteHeader starts every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// OpenReadOnly opens the database at path for reading only (SQLite's
// mode=ro): it changes nothing in the file, not even its journal mode, and
// every method that writes fails. Errors are Open's.
func OpenReadOnly(path string) (*SQLite, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: no database at %s", ErrNotFound, path)
	}
	if err != nil {
		return nil, fmt.Errorf("issuerdb: %v", err)
	}
	head := make([]byte, len(sqliteHeader))
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || string(head) != sqliteHeader {
		return nil, fmt.Errorf("issuerdb: %s is not an SQLite database", path)
	}
	s, err := openRO(path, false)
	if err != nil && onReadOnlyFS(path) {
		// SQLite needs the -shm file of a WAL database even to read
		// it, and cannot make one on a read-only file system (a backup
		// mounted read-only): there nothing can change the file, and it
		// is read as immutable.
		s, err = openRO(path, true)
	}
	return s, err
}

// openRO opens path read-only, as immutable when asked, and loads it.
func openRO(path string, immutable bool) (*SQLite, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	s, err := open(path, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	if err := s.load(path); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// onReadOnlyFS reports whether path is on a file system mounted
// read-only.
func onReadOnlyFS(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		f.Close()
		return false
	}
	return errors.Is(err, syscall.EROFS)
}

// load checks the schema version and reads the issuer id and list size.
func (s *SQLite) load(path string) error {
	var version int
	if err := s.db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("issuerdb: %s: %v", path, err)
	}
	if version != schemaVersion {
		return fmt.Errorf("issuerdb: %s: schema version %d, this program knows %d (not an issuer database?)", path, version, schemaVersion)
	}
	var size string
	err := s.db.QueryRow(`SELECT (SELECT value FROM meta WHERE key = 'issuer_id'), (SELECT value FROM meta WHERE key = 'list_size')`).Scan(&s.issuerID, &size)
	if err == nil {
		s.listSize, err = strconv.Atoi(size)
	}
	if err != nil || s.listSize < 1 || s.listSize > MaxListSize {
		return fmt.Errorf("issuerdb: %s: no issuer id or list size: %v", path, err)
	}
	return nil
}

func open(path, dsn string) (*SQLite, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("issuerdb: %v", err)
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("issuerdb: %s: %v", path, err)
	}
	return &SQLite{db: db}, nil
}

// tx runs fn in one transaction and commits it, or rolls it back when fn
// returns an error.
func (s *SQLite) tx(fn func(tx *sql.Tx) error) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// IssuerID returns the issuer the store belongs to.
func (s *SQLite) IssuerID() string { return s.issuerID }

// ListSize returns the size of new lists.
func (s *SQLite) ListSize() int { return s.listSize }

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// nikInt and nikOf convert a NIK to and from its stored integer.
func nikInt(n credential.NIK) (int64, error) {
	v, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil || len(n) != 16 {
		return 0, fmt.Errorf("issuerdb: NIK %q is not 16 digits", n)
	}
	return v, nil
}

func nikOf(v int64) credential.NIK { return credential.NIK(fmt.Sprintf("%016d", v)) }

// current returns the allocator of the newest list, opening list 1 in an
// empty store, and rebuilding the allocator when the database says another
// count than it holds.
func (s *SQLite) current(tx *sql.Tx) (*allocState, error) {
	var id uint32
	var size, used int
	err := tx.QueryRow(`SELECT id, size, used FROM lists ORDER BY id DESC LIMIT 1`).Scan(&id, &size, &used)
	if errors.Is(err, sql.ErrNoRows) {
		id, size, used = 1, s.listSize, 0
		if _, err := tx.Exec(`INSERT INTO lists(id, size) VALUES (?, ?)`, id, size); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if st := s.alloc; st != nil && st.list == id && st.n == used {
		return st, nil
	}
	a, err := status.NewAllocator(size, rand.Reader)
	if err != nil {
		return nil, err
	}
	rows, err := tx.Query(`SELECT idx FROM entries WHERE list = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var idx uint32
		if err := rows.Scan(&idx); err != nil {
			return nil, err
		}
		if err := a.Reserve(idx); err != nil {
			return nil, fmt.Errorf("issuerdb: list %d: %v", id, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if n != used {
		return nil, fmt.Errorf("issuerdb: list %d records %d entries used but holds %d", id, used, n)
	}
	s.alloc = &allocState{list: id, size: size, n: n, a: a}
	return s.alloc, nil
}

// next hands out one index of the newest list, opening the next list when
// it is full.
func (s *SQLite) next(tx *sql.Tx, st *allocState) (*allocState, uint32, error) {
	idx, err := st.a.Allocate()
	if errors.Is(err, status.ErrFull) && st.list == math.MaxUint32 {
		return nil, 0, fmt.Errorf("%w: list %d is full and is the last list id", ErrListsExhausted, st.list)
	}
	if errors.Is(err, status.ErrFull) {
		a, aerr := status.NewAllocator(s.listSize, rand.Reader)
		if aerr != nil {
			return nil, 0, aerr
		}
		if _, err := tx.Exec(`INSERT INTO lists(id, size) VALUES (?, ?)`, st.list+1, s.listSize); err != nil {
			return nil, 0, err
		}
		st = &allocState{list: st.list + 1, size: s.listSize, a: a}
		s.alloc = st
		idx, err = st.a.Allocate()
	}
	if err != nil {
		return nil, 0, err
	}
	st.n++
	return st, idx, nil
}

// Allocate hands out one entry per holder; see Store.
func (s *SQLite) Allocate(batch string, holders []Holder, at time.Time) ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, 0, len(holders))
	err := s.tx(func(tx *sql.Tx) error {
		var batchID sql.NullInt64
		if batch != "" {
			if err := tx.QueryRow(`SELECT id FROM batches WHERE name = ?`, batch).Scan(&batchID); err != nil {
				return fmt.Errorf("%w: batch %s: %v", ErrNotFound, batch, err)
			}
		}
		st, err := s.current(tx)
		if err != nil {
			return err
		}
		// The rows of this call that already have entries (a resumed
		// batch), in one range query.
		have := map[int]Entry{}
		if batchID.Valid && len(holders) > 0 {
			lo, hi := holders[0].Row, holders[0].Row
			for _, h := range holders {
				lo, hi = min(lo, h.Row), max(hi, h.Row)
			}
			rows, err := tx.Query(`SELECT row, list, idx, status, nik, device, kind, issued_at FROM entries WHERE batch = ? AND row BETWEEN ? AND ?`, batchID, lo, hi)
			if err != nil {
				return err
			}
			for rows.Next() {
				var e Entry
				var st uint8
				var nik, iat int64
				if err := rows.Scan(&e.Row, &e.Ref.List, &e.Ref.Index, &st, &nik, &e.Device, &e.Kind, &iat); err != nil {
					rows.Close()
					return err
				}
				e.Status, e.NIK, e.IssuedAt, e.Batch = status.Status(st), nikOf(nik), time.Unix(iat, 0), batch
				have[e.Row] = e
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		insert, err := tx.Prepare(`INSERT INTO entries(list, idx, nik, device, kind, batch, row, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insert.Close()
		// A device holds one live entry of a kind: one person's
		// credentials, issued once (a renewal revokes the old entry).
		live, err := tx.Prepare(`SELECT list, idx, nik FROM entries WHERE device = ? AND kind = ? AND status != ? LIMIT 1`)
		if err != nil {
			return err
		}
		defer live.Close()
		var taken Entry
		var takenNIK int64
		used := map[uint32]int{}
		iat := at.Unix()
		for _, h := range holders {
			nik, err := nikInt(h.NIK)
			if err != nil {
				return err
			}
			if len(h.Device) == 0 || h.Kind == "" {
				return errors.New("issuerdb: holder without device or kind")
			}
			var row sql.NullInt64
			if batchID.Valid {
				row = sql.NullInt64{Int64: int64(h.Row), Valid: true}
				if e, ok := have[h.Row]; ok {
					if e.NIK != h.NIK || !bytes.Equal(e.Device, h.Device) || e.Kind != h.Kind {
						return fmt.Errorf("%w: batch %s row %d holds another holder", ErrConflict, batch, h.Row)
					}
					out = append(out, e)
					continue
				}
			}
			if err := live.QueryRow(h.Device, h.Kind, uint8(status.StatusRevoked)).Scan(&taken.Ref.List, &taken.Ref.Index, &takenNIK); err == nil {
				taken.NIK = nikOf(takenNIK)
				return &DeviceTakenError{Device: bytes.Clone(h.Device), Kind: h.Kind, Entry: taken}
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			e := Entry{NIK: h.NIK, Device: h.Device, Kind: h.Kind, Batch: batch, Row: h.Row}
			var idx uint32
			st, idx, err = s.next(tx, st)
			if err != nil {
				return err
			}
			if _, err := insert.Exec(st.list, idx, nik, h.Device, h.Kind, batchID, row, iat); err != nil {
				return err
			}
			used[st.list]++
			e.Ref, e.Status, e.IssuedAt = credential.StatusRef{List: st.list, Index: idx}, status.StatusValid, time.Unix(iat, 0)
			out = append(out, e)
		}
		for list, n := range used {
			if _, err := tx.Exec(`UPDATE lists SET used = used + ? WHERE id = ?`, n, list); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.alloc = nil // rebuilt from what was committed
		return nil, err
	}
	return out, nil
}

// StartBatch records a new batch or returns the recorded one; see Store.
func (s *SQLite) StartBatch(b Batch) (Batch, error) {
	var got Batch
	err := s.tx(func(tx *sql.Tx) error {
		var err error
		got, err = batchRow(tx.QueryRow(`SELECT `+batchColumns+` FROM batches WHERE name = ?`, b.Name))
		switch {
		case err == nil:
			if got.Out != b.Out || got.Rows != b.Rows || !bytes.Equal(got.Signer, b.Signer) {
				return fmt.Errorf("%w: batch %s was started with output %s, %d rows and the key with kid %x", ErrConflict, b.Name, got.Out, got.Rows, got.Signer)
			}
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if len(b.Signer) == 0 {
			return errors.New("issuerdb: a batch needs its signer's kid")
		}
		// One output file, one batch: two batches writing one file would
		// interleave their lines, and a finished batch's output is the
		// only copy of its credentials.
		var other string
		var finished bool
		err = tx.QueryRow(`SELECT name, finished = 1 FROM batches WHERE out = ? AND finished != 2 ORDER BY id LIMIT 1`, b.Out).Scan(&other, &finished)
		switch {
		case err == nil:
			return &OutputTakenError{Out: b.Out, Batch: other, Finished: finished}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.Exec(`INSERT INTO batches(name, out, rows, signer, issued_at, valid_s, profiles) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			b.Name, b.Out, b.Rows, b.Signer, b.IssuedAt.Unix(), int64(b.Valid/time.Second), b.Profiles)
		got = Batch{Name: b.Name, Out: b.Out, Rows: b.Rows, Signer: bytes.Clone(b.Signer), IssuedAt: time.Unix(b.IssuedAt.Unix(), 0), Valid: b.Valid.Truncate(time.Second), Profiles: b.Profiles}
		return err
	})
	return got, err
}

// Batch returns a recorded batch; see Store.
func (s *SQLite) Batch(name string) (Batch, error) {
	b, err := batchRow(s.db.QueryRow(`SELECT `+batchColumns+` FROM batches WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, fmt.Errorf("%w: batch %s", ErrNotFound, name)
	}
	return b, err
}

const batchColumns = `name, out, rows, signer, issued_at, valid_s, profiles, next_row, out_bytes, issued, refused, finished = 1, finished = 2`

func batchRow(r interface{ Scan(...any) error }) (Batch, error) {
	var b Batch
	var iat, valid int64
	err := r.Scan(&b.Name, &b.Out, &b.Rows, &b.Signer, &iat, &valid, &b.Profiles, &b.NextRow, &b.OutBytes, &b.Issued, &b.Refused, &b.Finished, &b.Abandoned)
	b.IssuedAt, b.Valid = time.Unix(iat, 0), time.Duration(valid)*time.Second
	return b, err
}

// LiveDevices finds the live entries of kind for devices; see Store.
func (s *SQLite) LiveDevices(kind string, devices [][]byte, exceptBatch string) (map[int]Entry, error) {
	out := map[int]Entry{}
	err := s.tx(func(tx *sql.Tx) error {
		var except sql.NullInt64
		if exceptBatch != "" {
			err := tx.QueryRow(`SELECT id FROM batches WHERE name = ?`, exceptBatch).Scan(&except)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		q, err := tx.Prepare(`SELECT list, idx, nik FROM entries WHERE device = ? AND kind = ? AND status != ? AND (batch IS NULL OR batch != ?) LIMIT 1`)
		if err != nil {
			return err
		}
		defer q.Close()
		for i, d := range devices {
			var e Entry
			var nik int64
			err := q.QueryRow(d, kind, uint8(status.StatusRevoked), except.Int64).Scan(&e.Ref.List, &e.Ref.Index, &nik)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			e.NIK, e.Device, e.Kind = nikOf(nik), d, kind
			out[i] = e
		}
		return nil
	})
	return out, err
}

// Batches returns the recorded batches, oldest first; see Store.
func (s *SQLite) Batches() ([]Batch, error) {
	rows, err := s.db.Query(`SELECT ` + batchColumns + ` FROM batches ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		b, err := batchRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// Progress records how far a batch got; see Store.
func (s *SQLite) Progress(name string, nextRow int, outBytes int64, issued, refused int) error {
	return s.exec1(`UPDATE batches SET next_row = ?, out_bytes = ?, issued = ?, refused = ? WHERE name = ? AND finished = 0`,
		nextRow, outBytes, issued, refused, name)
}

// FinishBatch marks a batch finished; see Store.
func (s *SQLite) FinishBatch(name string) error {
	return s.exec1(`UPDATE batches SET finished = 1 WHERE name = ? AND finished = 0`, name)
}

// AbandonBatch gives up an unfinished batch; see Store.
func (s *SQLite) AbandonBatch(name string, at time.Time) (int, error) {
	n := 0
	err := s.tx(func(tx *sql.Tx) error {
		var id int64
		var finished int
		err := tx.QueryRow(`SELECT id, finished FROM batches WHERE name = ?`, name).Scan(&id, &finished)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: batch %s", ErrNotFound, name)
		}
		if err != nil {
			return err
		}
		if finished != 0 {
			return fmt.Errorf("%w: batch %s is finished or abandoned already", ErrConflict, name)
		}
		if _, err := tx.Exec(`INSERT INTO changes(list, idx, from_status, to_status, at, reason)
			SELECT list, idx, status, ?, ?, ? FROM entries WHERE batch = ? AND status != ?`,
			uint8(status.StatusRevoked), at.Unix(), "batch "+name+" abandoned", id, uint8(status.StatusRevoked)); err != nil {
			return err
		}
		r, err := tx.Exec(`UPDATE entries SET status = ? WHERE batch = ? AND status != ?`, uint8(status.StatusRevoked), id, uint8(status.StatusRevoked))
		if err != nil {
			return err
		}
		m, err := r.RowsAffected()
		if err != nil {
			return err
		}
		n = int(m)
		_, err = tx.Exec(`UPDATE batches SET finished = 2 WHERE id = ?`, id)
		return err
	})
	return n, err
}

// exec1 runs a statement that must change exactly one row.
func (s *SQLite) exec1(query string, args ...any) error {
	return s.tx(func(tx *sql.Tx) error {
		r, err := tx.Exec(query, args...)
		if err != nil {
			return err
		}
		n, err := r.RowsAffected()
		if err != nil {
			return err
		}
		if n != 1 {
			return ErrNotFound
		}
		return nil
	})
}

const entryColumns = `e.list, e.idx, e.status, e.nik, e.device, e.kind, coalesce(b.name, ''), coalesce(e.row, 0), e.issued_at
	FROM entries e LEFT JOIN batches b ON b.id = e.batch`

// Find returns the entries q selects; see Store.
func (s *SQLite) Find(q Query) ([]Entry, error) {
	var where string
	var args []any
	n := 0
	if q.NIK != "" {
		v, err := nikInt(q.NIK)
		if err != nil {
			return nil, err
		}
		where, args, n = `e.nik = ?`, []any{v}, n+1
	}
	if q.Device != nil {
		where, args, n = `e.device = ?`, []any{q.Device}, n+1
	}
	if q.Ref != nil {
		where, args, n = `e.list = ? AND e.idx = ?`, []any{q.Ref.List, q.Ref.Index}, n+1
	}
	if n != 1 {
		return nil, errors.New("issuerdb: a query sets exactly one of NIK, Device and Ref")
	}
	rows, err := s.db.Query(`SELECT `+entryColumns+` WHERE `+where+` ORDER BY e.list, e.idx`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var st uint8
		var nik, iat int64
		if err := rows.Scan(&e.Ref.List, &e.Ref.Index, &st, &nik, &e.Device, &e.Kind, &e.Batch, &e.Row, &iat); err != nil {
			return nil, err
		}
		e.Status, e.NIK, e.IssuedAt = status.Status(st), nikOf(nik), time.Unix(iat, 0)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetStatus changes entries all or none; see Store.
func (s *SQLite) SetStatus(refs []credential.StatusRef, to status.Status, at time.Time, reason string) error {
	if to != status.StatusValid && to != status.StatusRevoked && to != status.StatusSuspended {
		return fmt.Errorf("issuerdb: status %v is not one this issuer sets", to)
	}
	return s.tx(func(tx *sql.Tx) error {
		for _, r := range refs {
			var from uint8
			err := tx.QueryRow(`SELECT status FROM entries WHERE list = ? AND idx = ?`, r.List, r.Index).Scan(&from)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: list %d index %d was never handed out", ErrNotFound, r.List, r.Index)
			}
			if err != nil {
				return err
			}
			if status.Status(from) == to {
				continue
			}
			if status.Status(from) == status.StatusRevoked {
				return fmt.Errorf("%w: list %d index %d", ErrRevoked, r.List, r.Index)
			}
			if _, err := tx.Exec(`UPDATE entries SET status = ? WHERE list = ? AND idx = ?`, uint8(to), r.List, r.Index); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO changes(list, idx, from_status, to_status, at, reason) VALUES (?, ?, ?, ?, ?, ?)`,
				r.List, r.Index, from, uint8(to), at.Unix(), reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// Lists returns the issuer's lists; see Store.
func (s *SQLite) Lists() ([]List, error) {
	rows, err := s.db.Query(`SELECT l.id, l.size, l.used,
		(SELECT count(*) FROM entries e WHERE e.list = l.id AND e.status = 1),
		(SELECT count(*) FROM entries e WHERE e.list = l.id AND e.status = 2),
		coalesce((SELECT max(seq) FROM publications p WHERE p.list = l.id), 0),
		coalesce((SELECT max(iat) FROM publications p WHERE p.list = l.id), 0)
		FROM lists l ORDER BY l.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []List
	for rows.Next() {
		var l List
		var iat int64
		if err := rows.Scan(&l.ID, &l.Size, &l.Used, &l.Revoked, &l.Suspended, &l.Publications, &iat); err != nil {
			return nil, err
		}
		if iat != 0 {
			l.LastPublished = time.Unix(iat, 0)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// NotValid calls fn for every entry of list that is not valid; see Store.
func (s *SQLite) NotValid(list uint32, fn func(index uint32, s status.Status) error) error {
	rows, err := s.db.Query(`SELECT idx, status FROM entries WHERE list = ? AND status != 0`, list)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var idx uint32
		var st uint8
		if err := rows.Scan(&idx, &st); err != nil {
			return err
		}
		if err := fn(idx, status.Status(st)); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Publish records a publication; see Store.
func (s *SQLite) Publish(list uint32, iat time.Time) (uint64, error) {
	var seq uint64
	err := s.tx(func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM lists WHERE id = ?`, list).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: list %d", ErrNotFound, list)
		}
		var last int64
		if err := tx.QueryRow(`SELECT coalesce(max(seq), 0), coalesce(max(iat), 0) FROM publications WHERE list = ?`, list).Scan(&seq, &last); err != nil {
			return err
		}
		if iat.Unix() <= last {
			return fmt.Errorf("%w: list %d was last published at %s (publication %d); this one is dated %s",
				ErrNotNewer, list, time.Unix(last, 0).UTC().Format(time.RFC3339), seq, iat.UTC().Format(time.RFC3339))
		}
		seq++
		_, err := tx.Exec(`INSERT INTO publications(list, seq, iat) VALUES (?, ?, ?)`, list, seq, iat.Unix())
		return err
	})
	return seq, err
}

// Import records entries handed out before the store existed; see Store.
func (s *SQLite) Import(list uint32, size int, entries []Entry) error {
	if size < 1 || size > MaxListSize {
		return fmt.Errorf("issuerdb: list size %d outside 1..%d", size, MaxListSize)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alloc = nil
	return s.tx(func(tx *sql.Tx) error {
		var have int
		err := tx.QueryRow(`SELECT size FROM lists WHERE id = ?`, list).Scan(&have)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.Exec(`INSERT INTO lists(id, size) VALUES (?, ?)`, list, size); err != nil {
				return err
			}
		case err != nil:
			return err
		case have != size:
			return fmt.Errorf("%w: list %d has %d entries, not %d", ErrConflict, list, have, size)
		}
		for _, e := range entries {
			nik, err := nikInt(e.NIK)
			if err != nil {
				return err
			}
			if uint64(e.Ref.Index) >= uint64(size) || e.Ref.List != list {
				return fmt.Errorf("issuerdb: entry %d/%d outside list %d of %d entries", e.Ref.List, e.Ref.Index, list, size)
			}
			var held int
			if err := tx.QueryRow(`SELECT count(*) FROM entries WHERE list = ? AND idx = ?`, list, e.Ref.Index).Scan(&held); err != nil {
				return err
			}
			if held != 0 {
				return fmt.Errorf("%w: index %d of list %d twice", ErrConflict, e.Ref.Index, list)
			}
			if _, err := tx.Exec(`INSERT INTO entries(list, idx, status, nik, device, kind, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				list, e.Ref.Index, uint8(e.Status), nik, e.Device, e.Kind, e.IssuedAt.Unix()); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`UPDATE lists SET used = used + ? WHERE id = ?`, len(entries), list)
		return err
	})
}
