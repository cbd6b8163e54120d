package main

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/exampleutil"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/keys"
)

// defaultListSize is the size of new status lists: 1,048,576 entries (a
// 256 KiB bit array), enough for a regency's residents with their second
// phones in one list, and large enough that a random index says little.
const defaultListSize = 1 << 20

// openDB opens the database at path; with create it makes one for
// issuerID when there is none. listSize, when set (> 0), must match the
// database's: the size of new lists is fixed when the database is made.
func openDB(path, issuerID string, listSize int, create bool) (issuerdb.Store, error) {
	if listSize != 0 && (listSize < 1 || listSize > issuerdb.MaxListSize) {
		return nil, exampleutil.Usagef("-list-size %d outside 1..%d: a status list of 2-bit entries carries at most %d", listSize, issuerdb.MaxListSize, issuerdb.MaxListSize)
	}
	db, err := issuerdb.Open(path)
	if errors.Is(err, issuerdb.ErrNotFound) && create {
		if issuerID == "" {
			return nil, exampleutil.Usagef("no database at %s; give -issuer-id to make one", path)
		}
		if listSize == 0 {
			listSize = defaultListSize
		}
		return issuerdb.Create(path, issuerID, listSize)
	}
	if err != nil {
		return nil, &exampleutil.UsageError{Err: err}
	}
	if issuerID != "" && db.IssuerID() != issuerID {
		db.Close()
		return nil, exampleutil.Usagef("the database %s belongs to issuer %s, not %s", path, db.IssuerID(), issuerID)
	}
	if listSize != 0 && listSize != db.ListSize() {
		db.Close()
		return nil, exampleutil.Usagef("the database %s opens lists of %d entries; -list-size %d applies only when a database is made", path, db.ListSize(), listSize)
	}
	return db, nil
}

// openReadOnly opens the database at path for reading only (info,
// -dry-run): it writes nothing to the file, and a file that is not an
// issuer database is refused as it is.
func openReadOnly(path string) (issuerdb.Store, error) {
	db, err := issuerdb.OpenReadOnly(path)
	if err != nil {
		return nil, &exampleutil.UsageError{Err: err}
	}
	return db, nil
}

func initDB(_ env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dbPath := fs.String("db", "", "the database to make (SQLite, mode 0600)")
	issuerID := fs.String("issuer-id", "", "the issuer id in the trust list, for example 3273")
	size := fs.Int("list-size", defaultListSize, "entries per status list (1..134217728); a full list rolls over to the next")
	if err := parse(fs, args, "db", "issuer-id"); err != nil {
		return err
	}
	if *size < 1 || *size > issuerdb.MaxListSize {
		return exampleutil.Usagef("init: -list-size %d outside 1..%d", *size, issuerdb.MaxListSize)
	}
	db, err := issuerdb.Create(*dbPath, *issuerID, *size)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database %s made for issuer %s, lists of %d entries\n", *dbPath, *issuerID, *size)
	return nil
}

// parseProfiles reads -profiles.
func parseProfiles(cmd, s string) ([]credential.Profile, error) {
	var ps []credential.Profile
	seen := map[credential.Profile]bool{}
	for _, name := range strings.Split(s, ",") {
		p, ok := credential.ParseProfile(strings.TrimSpace(name))
		if !ok {
			return nil, exampleutil.Usagef("%s: unknown profile %q", cmd, name)
		}
		if seen[p] {
			return nil, exampleutil.Usagef("%s: profile %s given twice", cmd, p)
		}
		seen[p] = true
		ps = append(ps, p)
	}
	return ps, nil
}

func profileNames(ps []credential.Profile) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, ",")
}

// loadIssuer loads the issuer key and makes the issuer.
func loadIssuer(cmd, keyPath, issuerID string) (*credential.Issuer, crypto.Signer, error) {
	signer, err := keys.LoadPrivateKey(keyPath)
	if err != nil {
		return nil, nil, exampleutil.Usagef("%s: issuer key: %v", cmd, err)
	}
	iss, err := credential.NewIssuer(issuerID, signer)
	if err != nil {
		return nil, nil, exampleutil.Usagef("%s: %v", cmd, err)
	}
	return iss, signer, nil
}

func issue(e env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("issue", flag.ContinueOnError)
	fs.SetOutput(stdout)
	keyPath := fs.String("key", "", "the issuer's private key")
	issuerID := fs.String("issuer-id", "", "the issuer id (required to make a new database)")
	dbPath := fs.String("db", "", "the issuer's database (made if missing, with -issuer-id)")
	personPath := fs.String("person", "", "the person record (JSON)")
	devicePath := fs.String("device", "", "the wallet's device public key (JWK or PEM)")
	outDir := fs.String("out", "", "directory for the credential files")
	profiles := fs.String("profiles", "full,travel,kai,age", "disclosure profiles to sign")
	valid := fs.Duration("valid", 365*24*time.Hour, "credential lifetime")
	size := fs.Int("list-size", 0, "status list size, for a new database (default 1048576)")
	trustPath := fs.String("trust", "", "with -root: refuse a key that this trust list does not give to the issuer")
	rootPath := fs.String("root", "", "the root public key of -trust")
	force := fs.Bool("force", false, "replace credential files already in -out")
	if err := parse(fs, args, "key", "db", "person", "device", "out"); err != nil {
		return err
	}
	ps, err := parseProfiles("issue", *profiles)
	if err != nil {
		return err
	}
	if *valid <= 0 {
		return exampleutil.Usagef("issue: -valid must be positive")
	}
	device, err := rowDevice("", *devicePath, ".")
	if err != nil {
		return exampleutil.Usagef("issue: device key: %v", err)
	}
	data, err := os.ReadFile(*personPath)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	person, err := decodePerson(data)
	if err != nil {
		return err
	}
	if err := preflight(e.stderr, "issue", *keyPath, *dbPath, *issuerID, *trustPath, *rootPath, e.Clock()()); err != nil {
		return err
	}
	db, err := openDB(*dbPath, *issuerID, *size, true)
	if err != nil {
		return err
	}
	defer db.Close()
	iss, _, err := loadIssuer("issue", *keyPath, db.IssuerID())
	if err != nil {
		return err
	}
	kid, err := keys.KeyID(device)
	if err != nil {
		return err
	}
	// The files are checked before an index is handed out: a refusal
	// afterwards would leave an index used by no credential.
	paths := make([]string, len(ps))
	for i, p := range ps {
		paths[i] = filepath.Join(*outDir, "credential-"+p.String()+".cbor")
		if _, err := os.Lstat(paths[i]); err == nil && !*force {
			return exampleutil.Usagef("issue: %s exists (another holder's credential?); choose another -out, or -force to replace it", paths[i])
		}
	}
	if st, err := os.Stat(*outDir); err == nil && !st.IsDir() {
		return exampleutil.Usagef("issue: -out %s is not a folder", *outDir)
	}
	if err := os.MkdirAll(*outDir, 0o700); err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	if entries, err := db.Find(issuerdb.Query{Device: kid}); err != nil {
		return err
	} else {
		for _, en := range entries {
			if en.Kind == "ktp" && en.Status != status.StatusRevoked {
				return exampleutil.Usagef("issue: %s", deviceTaken(person.NIK, en))
			}
		}
	}
	now := e.Clock()().Truncate(time.Second)
	entries, err := db.Allocate("", []issuerdb.Holder{{NIK: person.NIK, Device: kid, Kind: "ktp"}}, now)
	var devTaken *issuerdb.DeviceTakenError
	if errors.As(err, &devTaken) {
		return exampleutil.Usagef("issue: %s", deviceTaken(person.NIK, devTaken.Entry))
	}
	if err != nil {
		return err
	}
	ref := entries[0].Ref
	issued, err := iss.Issue(&credential.Request{
		Claims: *person, DeviceKey: device, Status: ref,
		IssuedAt: now, Expiry: now.Add(*valid), Profiles: ps,
	})
	if err != nil {
		return err
	}
	for _, c := range issued {
		path := filepath.Join(*outDir, "credential-"+c.Profile.String()+".cbor")
		if err := exampleutil.WriteFile(path, c.Bytes, 0o600); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d bytes\n", path, len(c.Bytes))
	}
	fmt.Fprintf(stdout, "issued %d credential(s) for %s, status list %d index %d\n", len(issued), person.Name, ref.List, ref.Index)
	return nil
}

// preflight checks, before any database is made or changed, that the
// issuer key loads and, when -trust and -root are given, that the trust
// list gives it to the issuer (the database's, or -issuer-id for a new
// one). One of -trust and -root without the other is a usage error.
func preflight(stderr io.Writer, cmd, keyPath, dbPath, issuerID, trustPath, rootPath string, now time.Time) error {
	if (trustPath == "") != (rootPath == "") {
		return exampleutil.Usagef("%s: -trust and -root go together", cmd)
	}
	signer, err := keys.LoadPrivateKey(keyPath)
	if err != nil {
		return exampleutil.Usagef("%s: issuer key: %v", cmd, err)
	}
	if trustPath == "" {
		fmt.Fprintf(stderr, "%s: warning: the key is not checked against a trust list (give -trust and -root): the wrong key (the root's, another office's) signs credentials every scanner refuses\n", cmd)
		return nil
	}
	if db, err := issuerdb.OpenReadOnly(dbPath); err == nil {
		issuerID = db.IssuerID()
		db.Close()
	}
	return checkIssuerKey(cmd, signer, issuerID, trustPath, rootPath, now)
}

// chunkRows is how many rows a batch allocates in one transaction and
// writes with one fsync: the most a kill can make it sign again.
const chunkRows = 512

// BatchError reports a batch stopped because rows were invalid (without
// -skip-invalid) or because no row was valid.
type BatchError struct {
	// Rows are the invalid rows, each with all its problems.
	Rows []*RowError
	// Total is the number of rows in the input.
	Total int
}

// Error says how many rows were refused; the program prints each row's
// problems before it.
func (e *BatchError) Error() string {
	return fmt.Sprintf("batch refused: %d of %d row(s) invalid; nothing issued (fix them, or issue the rest with -skip-invalid)", len(e.Rows), e.Total)
}

func batch(e env, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.SetOutput(stdout)
	keyPath := fs.String("key", "", "the issuer's private key")
	issuerID := fs.String("issuer-id", "", "the issuer id (required to make a new database)")
	dbPath := fs.String("db", "", "the issuer's database (made if missing, with -issuer-id)")
	inPath := fs.String("in", "", "the rows: a .jsonl or .csv file, or - for standard input")
	format := fs.String("format", "", "jsonl or csv (default: from the file name's extension)")
	outPath := fs.String("out", "", "the issued credentials, JSONL, written when the batch is complete")
	profiles := fs.String("profiles", "full,travel,kai,age", "disclosure profiles to sign")
	valid := fs.Duration("valid", 365*24*time.Hour, "credential lifetime")
	size := fs.Int("list-size", 0, "status list size, for a new database (default 1048576)")
	skip := fs.Bool("skip-invalid", false, "issue the valid rows and report the others (default: any invalid row stops the batch before anything is issued)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "signing goroutines")
	progress := fs.String("progress", "auto", "auto (a bar on a terminal, else lines), bar, lines or off")
	trustPath := fs.String("trust", "", "with -root: refuse a key that this trust list does not give to the issuer")
	rootPath := fs.String("root", "", "the root public key of -trust")
	abandon := fs.String("abandon", "", "first give up the unfinished batch of this name (see info): revoke its entries, free its -out")
	if err := parse(fs, args, "key", "db", "in", "out"); err != nil {
		return err
	}
	ps, err := parseProfiles("batch", *profiles)
	if err != nil {
		return err
	}
	if *valid <= 0 || *workers < 1 {
		return exampleutil.Usagef("batch: -valid and -workers must be positive")
	}
	if flagSet(fs, "list-size") && *size == 0 {
		return exampleutil.Usagef("batch: -list-size 0 outside 1..%d", issuerdb.MaxListSize)
	}
	if *format == "" {
		switch strings.ToLower(filepath.Ext(*inPath)) {
		case ".jsonl", ".ndjson":
			*format = "jsonl"
		case ".csv":
			*format = "csv"
		default:
			return exampleutil.Usagef("batch: give -format jsonl or csv for %s", *inPath)
		}
	}
	newProgress, err := progressFor(e, *progress)
	if err != nil {
		return err
	}

	// Read the whole input: its digest names the batch, so that running the
	// same input again resumes it instead of issuing it twice.
	var input []byte
	dir := "."
	if *inPath == "-" {
		input, err = io.ReadAll(io.LimitReader(e.stdin, maxInputBytes+1))
	} else {
		dir = filepath.Dir(*inPath)
		input, err = readLimited(*inPath, maxInputBytes+1)
	}
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	if len(input) > maxInputBytes {
		return exampleutil.Usagef("batch: input over %d bytes; split it", maxInputBytes)
	}
	var src rowSource
	switch *format {
	case "jsonl":
		src = newJSONL(bytes.NewReader(input))
	case "csv":
		c, err := newCSV(bytes.NewReader(input))
		if err != nil {
			return &exampleutil.UsageError{Err: err}
		}
		src = c
	default:
		return exampleutil.Usagef("batch: -format must be jsonl or csv, not %q", *format)
	}
	rows, err := readRows(src, dir)
	if err != nil {
		return &exampleutil.UsageError{Err: err}
	}
	var bad []*RowError
	for _, r := range rows {
		if len(r.problems) > 0 {
			bad = append(bad, &RowError{Row: r.n, Problems: r.problems})
		}
	}
	for _, r := range bad {
		fmt.Fprintf(stdout, "refused %v\n", r)
	}
	if len(bad) > 0 && (!*skip || len(bad) == len(rows)) {
		return &BatchError{Rows: bad, Total: len(rows)}
	}
	if len(rows) == 0 {
		return exampleutil.Usagef("batch: no rows in the input")
	}

	if err := preflight(e.stderr, "batch", *keyPath, *dbPath, *issuerID, *trustPath, *rootPath, e.Clock()()); err != nil {
		return err
	}
	db, err := openDB(*dbPath, *issuerID, *size, true)
	if err != nil {
		return err
	}
	defer db.Close()
	iss, signer, err := loadIssuer("batch", *keyPath, db.IssuerID())
	if err != nil {
		return err
	}
	signerKID, err := keys.KeyID(signer.Public())
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(*outPath)
	if err != nil {
		return err
	}
	if st, err := os.Stat(filepath.Dir(absOut)); err != nil || !st.IsDir() {
		return exampleutil.Usagef("batch: -out %s: its folder %s does not exist; make it first", *outPath, filepath.Dir(absOut))
	}
	sum := sha256.Sum256(input)
	name := hex.EncodeToString(sum[:16])
	if *abandon != "" {
		if err := abandonBatch(e, db, *abandon, name, stdout); err != nil {
			return err
		}
	}
	// The output's owner first: a row whose device the other batch holds
	// is that batch's, and the message about the output says what to do.
	batches, err := db.Batches()
	if err != nil {
		return err
	}
	for _, ob := range batches {
		if ob.Out == absOut && ob.Name != name && !ob.Abandoned {
			return outputTaken(absOut, &issuerdb.OutputTakenError{Out: absOut, Batch: ob.Name, Finished: ob.Finished})
		}
	}
	taken, err := takenDevices(db, rows, name)
	if err != nil {
		return err
	}
	for _, r := range taken {
		fmt.Fprintf(stdout, "refused %v\n", r)
	}
	if bad = append(bad, taken...); len(taken) > 0 && (!*skip || len(bad) == len(rows)) {
		return &BatchError{Rows: bad, Total: len(rows)}
	}
	if st, err := os.Lstat(absOut); err == nil && st.IsDir() {
		return exampleutil.Usagef("batch: -out %s is a folder; give a file name", *outPath)
	} else if err == nil {
		// Only a run of this batch that was killed after moving its
		// complete output into place leaves an output behind; anything
		// else there is someone's file.
		prev, err := db.Batch(name)
		if err != nil || prev.Out != absOut || prev.NextRow < prev.Rows {
			return exampleutil.Usagef("batch: %s exists; it is not replaced (choose another -out)", absOut)
		}
	}
	start := e.Clock()()
	b, err := db.StartBatch(issuerdb.Batch{
		Name: name, Out: absOut, Rows: len(rows), Signer: signerKID,
		IssuedAt: start.Truncate(time.Second), Valid: *valid, Profiles: profileNames(ps),
	})
	if err := outputTaken(absOut, err); err != nil {
		return err
	}
	switch {
	case errors.Is(err, issuerdb.ErrConflict):
		prev, _ := db.Batch(name)
		return exampleutil.Usagef("batch: this input is batch %s, started with -out %s and the issuer key with kid %x; run it with that -out and key (nothing done)", name, prev.Out, prev.Signer)
	}
	if err != nil {
		return err
	}
	if b.Abandoned {
		return exampleutil.Usagef("batch: this input is batch %s, abandoned; its entries are revoked (nothing done)", b.Name)
	}
	if b.Finished {
		return exampleutil.Usagef("batch: this input was issued already (batch %s, %d issued, output %s); nothing done", b.Name, b.Issued, b.Out)
	}
	if ps, err = parseProfiles("batch", b.Profiles); err != nil {
		return err
	}
	run := &batchRun{db: db, iss: iss, b: b, rows: rows, profiles: ps, workers: *workers}
	if err := run.openOutput(); err != nil {
		return err
	}
	defer run.out.Close()
	switch {
	case run.b.NextRow > 0:
		fmt.Fprintf(stdout, "resuming batch %s at row %d of %d (issue time, lifetime and profiles as first started)\n", b.Name, run.b.NextRow+1, b.Rows)
	case b.NextRow > 0:
		fmt.Fprintf(stdout, "resuming batch %s: its partial output is gone, so the output is written again from row 1 (every row keeps its index; issue time, lifetime and profiles as first started)\n", b.Name)
	}
	b.Issued = run.issued // what the output already holds
	bar := newProgress(len(rows), b.NextRow)
	if err := run.issue(bar); err != nil {
		return err
	}
	bar.finish()
	if err := run.finish(); err != nil {
		return err
	}
	elapsed := e.Clock()().Sub(start)
	issuedNow := run.issued - b.Issued
	rate := 0.0
	if elapsed > 0 {
		rate = float64(issuedNow) / elapsed.Seconds()
	}
	fmt.Fprintf(stdout, "batch %s: %d rows, %d issued, %d refused; %d issued in this run in %s (%.0f rows/s); output %s\n",
		b.Name, len(rows), run.issued, run.refused, issuedNow, elapsed.Round(time.Millisecond), rate, absOut)
	lists, err := db.Lists()
	if err != nil {
		return err
	}
	for _, l := range lists {
		fmt.Fprintf(stdout, "status list %s/%d: %d of %d entries used\n", db.IssuerID(), l.ID, l.Used, l.Size)
	}
	return nil
}

// outputTaken turns StartBatch's *OutputTakenError into the program's
// message, and returns nil for any other error.
func outputTaken(absOut string, err error) error {
	var outTaken *issuerdb.OutputTakenError
	switch {
	case errors.As(err, &outTaken) && outTaken.Finished:
		return exampleutil.Usagef("batch: -out %s holds the output of batch %s, already finished; choose another -out", absOut, outTaken.Batch)
	case errors.As(err, &outTaken):
		return exampleutil.Usagef("batch: -out %s belongs to batch %s, not finished (another input, or this input edited since); run that input again to finish it, give this one another -out, or give that batch up with -abandon %s (see info)", absOut, outTaken.Batch, outTaken.Batch)
	}
	return nil
}

// abandonBatch gives up the unfinished batch name (not this input's own,
// self): it takes the lock of its partial output (refusing while a run of
// it is going), revokes its entries in the database and removes the
// partial output, which holds credentials of revoked entries.
func abandonBatch(e env, db issuerdb.Store, name, self string, stdout io.Writer) error {
	if name == self {
		return exampleutil.Usagef("batch: -abandon %s is this input's own batch", name)
	}
	b, err := db.Batch(name)
	if errors.Is(err, issuerdb.ErrNotFound) {
		return exampleutil.Usagef("batch: -abandon %s: no such batch (see info)", name)
	}
	if err != nil {
		return err
	}
	if b.Finished || b.Abandoned {
		return exampleutil.Usagef("batch: -abandon %s: the batch is finished or abandoned already", name)
	}
	dir, base := filepath.Split(b.Out)
	partial := filepath.Join(dir, "."+base+".partial")
	var held *os.File
	if _, err := os.Lstat(partial); err == nil {
		if held, err = openPartial(partial); err != nil {
			return exampleutil.Usagef("batch: -abandon %s: %v", name, err)
		}
		defer held.Close()
	}
	n, err := db.AbandonBatch(name, e.Clock()())
	if err != nil {
		return err
	}
	if held != nil {
		if err := os.Remove(partial); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "batch %s abandoned: %d entries revoked (publish the status lists), output %s free\n", name, n, b.Out)
	return nil
}

// takenDevices marks and returns the valid rows whose device key already
// has a live (not revoked) entry of the row's kind outside batch name
// (whose own entries a resumed run gets back): the same person issued
// again, or a phone given to a second person. A renewal revokes the old
// entry first.
func takenDevices(db issuerdb.Store, rows []row, name string) ([]*RowError, error) {
	byKind := map[string][]int{}
	for i := range rows {
		if len(rows[i].problems) == 0 {
			byKind[rows[i].kind.name] = append(byKind[rows[i].kind.name], i)
		}
	}
	var bad []*RowError
	for kind, idx := range byKind {
		devices := make([][]byte, len(idx))
		for j, i := range idx {
			devices[j] = rows[i].kid
		}
		live, err := db.LiveDevices(kind, devices, name)
		if err != nil {
			return nil, err
		}
		for j, en := range live {
			r := &rows[idx[j]]
			r.problems = append(r.problems, fmt.Errorf("%w: %s", errInput, deviceTaken(r.doc.nik(), en)))
			r.kind, r.doc, r.device, r.kid = nil, nil, nil, nil
			bad = append(bad, &RowError{Row: r.n, Problems: r.problems})
		}
	}
	slices.SortFunc(bad, func(a, b *RowError) int { return a.Row - b.Row })
	return bad, nil
}

// deviceTaken says why a device's live entry stops a new one for nik.
func deviceTaken(nik credential.NIK, en issuerdb.Entry) string {
	if en.NIK == nik {
		return fmt.Sprintf("already issued to this NIK and device key (status list %d index %d); to renew, revoke that index first", en.Ref.List, en.Ref.Index)
	}
	return fmt.Sprintf("this device key holds the credentials of another NIK (status list %d index %d); each phone holds one person's credentials", en.Ref.List, en.Ref.Index)
}

// flagSet reports whether the flag name was given.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// readLimited reads at most max bytes of the file at path.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}

// batchRun is one run of a batch.
type batchRun struct {
	db       issuerdb.Store
	iss      *credential.Issuer
	b        issuerdb.Batch
	rows     []row
	profiles []credential.Profile
	workers  int

	partial         string
	out             *os.File
	outBytes        int64
	issued, refused int
}

// openOutput opens the partial output beside -out: new for a new batch,
// cut back to what the database says was written for a resumed one. If
// the partial file is shorter than that (removed by hand), the batch
// starts its output again from row 1; its rows keep their indices.
func (r *batchRun) openOutput() error {
	dir, base := filepath.Split(r.b.Out)
	r.partial = filepath.Join(dir, "."+base+".partial")
	f, err := openPartial(r.partial)
	if err != nil {
		return exampleutil.Usagef("batch: %v", err)
	}
	r.out = f
	st, err := f.Stat()
	if err != nil {
		return err
	}
	next, written := r.b.NextRow, r.b.OutBytes
	r.issued, r.refused = r.b.Issued, r.b.Refused
	if st.Size() < written {
		next, written, r.issued, r.refused = 0, 0, 0, 0
	}
	if err := f.Truncate(written); err != nil {
		return err
	}
	if _, err := f.Seek(written, io.SeekStart); err != nil {
		return err
	}
	r.b.NextRow, r.outBytes = next, written
	return nil
}

// job is one row to sign.
type job struct {
	r     *row
	entry issuerdb.Entry
	line  []byte
	err   error
}

// written is a signed chunk on its way to the output.
type written struct {
	end             int // the row after the chunk
	lines           []byte
	issued, refused int
}

// issue runs the chunks from the batch's next row on: allocate the
// chunk's indices (one transaction), sign its rows in parallel, then hand
// the chunk to the writer, which appends its lines to the partial output,
// syncs it and records the progress, while the next chunk is allocated
// and signed. A kill anywhere repeats at most the chunks not yet
// recorded, with the same indices.
func (r *batchRun) issue(bar progressReporter) (err error) {
	jobs := make(chan *job)
	var wg sync.WaitGroup
	for range r.workers {
		go func() {
			for j := range jobs {
				j.line, j.err = r.sign(j)
				wg.Done()
			}
		}()
	}
	defer close(jobs)
	writes := make(chan written, 4)
	writeErr := make(chan error, 1)
	failed := make(chan struct{}) // closed when the writer fails
	go func() {
		var err error
		for w := range writes {
			if err == nil {
				if err = r.write(w); err != nil {
					close(failed)
				}
				bar.update(w.end)
			}
		}
		writeErr <- err
	}()
	defer func() {
		close(writes)
		if werr := <-writeErr; err == nil {
			err = werr
		}
	}()
	// The allocator runs a chunk ahead: its transaction (and the fsync of
	// its commit) overlaps the signing of the chunk before.
	allocs := make(chan allocated, 2)
	stop := make(chan struct{})
	go r.allocate(allocs, stop)
	defer func() {
		close(stop)
		for range allocs { // wait for the allocator to leave the database
		}
	}()
	for a := range allocs {
		if a.err != nil {
			return a.err
		}
		select {
		case <-failed:
			return nil // the writer's error is returned by the deferred func
		default:
		}
		wg.Add(len(a.chunk))
		for _, j := range a.chunk {
			jobs <- j
		}
		wg.Wait()
		var buf bytes.Buffer
		for _, j := range a.chunk {
			if j.err != nil {
				return fmt.Errorf("row %d: %w", j.r.n, j.err)
			}
			buf.Write(j.line)
		}
		writes <- written{end: a.end, lines: buf.Bytes(), issued: len(a.chunk), refused: a.refused}
	}
	return nil
}

// allocated is a chunk whose indices are committed.
type allocated struct {
	chunk        []*job
	end, refused int
	err          error
}

// allocate allocates the chunks from the batch's next row on, in order,
// until done or stopped, and closes out.
func (r *batchRun) allocate(out chan<- allocated, stop <-chan struct{}) {
	defer close(out)
	for start := r.b.NextRow; start < len(r.rows); start += chunkRows {
		a := allocated{end: min(start+chunkRows, len(r.rows))}
		var holders []issuerdb.Holder
		for i := start; i < a.end; i++ {
			row := &r.rows[i]
			if len(row.problems) > 0 {
				a.refused++
				continue
			}
			holders = append(holders, issuerdb.Holder{NIK: row.doc.nik(), Device: row.kid, Kind: row.kind.name, Row: i})
			a.chunk = append(a.chunk, &job{r: row})
		}
		entries, err := r.db.Allocate(r.b.Name, holders, r.b.IssuedAt)
		if err != nil {
			a.chunk, a.err = nil, err
		}
		for i, j := range a.chunk {
			j.entry = entries[i]
		}
		select {
		case out <- a:
		case <-stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// write appends a chunk to the partial output, syncs it, and records in
// the database that the batch got that far.
func (r *batchRun) write(w written) error {
	if _, err := r.out.Write(w.lines); err != nil {
		return err
	}
	if err := r.out.Sync(); err != nil {
		return err
	}
	r.outBytes += int64(len(w.lines))
	r.issued += w.issued
	r.refused += w.refused
	return r.db.Progress(r.b.Name, w.end, r.outBytes, r.issued, r.refused)
}

// sign signs one row and returns its output line:
//
//	{"row":N,"kind":"ktp","nik":"…","device_kid":"hex","list":L,"index":I,
//	 "credentials":{"full":"base64url",…}}
func (r *batchRun) sign(j *job) ([]byte, error) {
	req := j.r.doc.request()
	req.DeviceKey, req.Status = j.r.device, j.entry.Ref
	req.IssuedAt, req.Expiry, req.Profiles = r.b.IssuedAt, r.b.IssuedAt.Add(r.b.Valid), r.profiles
	issued, err := r.iss.Issue(&req)
	if err != nil {
		return nil, err
	}
	return outputLine(j.r.n, j.r.kind.name, j.r.doc.nik(), j.r.kid, j.entry.Ref, issued), nil
}

// outputLine formats one line of the batch output.
func outputLine(n int, kind string, nik credential.NIK, kid []byte, ref credential.StatusRef, issued []credential.Issued) []byte {
	b := make([]byte, 0, 160+2*len(kid)+1500)
	b = append(b, `{"row":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `,"kind":"`...)
	b = append(b, kind...)
	b = append(b, `","nik":"`...)
	b = append(b, nik...)
	b = append(b, `","device_kid":"`...)
	b = hex.AppendEncode(b, kid)
	b = append(b, `","list":`...)
	b = strconv.AppendUint(b, uint64(ref.List), 10)
	b = append(b, `,"index":`...)
	b = strconv.AppendUint(b, uint64(ref.Index), 10)
	b = append(b, `,"credentials":{`...)
	for i, c := range issued {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, c.Profile.String()...)
		b = append(b, `":"`...)
		b = base64.RawURLEncoding.AppendEncode(b, c.Bytes)
		b = append(b, '"')
	}
	return append(b, "}}\n"...)
}

// finish moves the complete output into place and marks the batch
// finished. A kill between the two leaves the output in place and the
// batch unfinished; running it again rewrites the same output (the same
// indices; ECDSA signatures differ, Ed25519 ones do not).
func (r *batchRun) finish() error {
	if err := r.out.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.partial, r.b.Out); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(r.b.Out)); err == nil {
		_ = d.Sync() // best effort, as exampleutil.WriteFile
		d.Close()
	}
	return r.db.FinishBatch(r.b.Name)
}
