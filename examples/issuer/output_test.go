package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/internal/testkit"
	"github.com/ikdgo/ikd/keys"
)

// TestBatchOutputBelongsToOneBatch: an -out recorded by one batch,
// finished or not, is refused to a batch of another input (or of the same
// input edited), and nothing of the second batch is recorded.
func TestBatchOutputBelongsToOneBatch(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(t, p("a.jsonl"), 0, 3)
	writeJSONL(t, p("b.jsonl"), 10, 3)
	base := []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-list-size", "100", "-progress", "off"}
	run := func(in, out string) (int, error) {
		return exitCode(append(base, "-in", p(in), "-out", p(out))...)
	}

	// An unfinished batch (as a kill leaves it) keeps its output.
	stopped := recordUnfinished(t, p("issuer.db"), p("a.jsonl"), p("same.jsonl"))
	code, err := run("b.jsonl", "same.jsonl")
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "belongs to batch "+stopped+", not finished")
	out := runOK(t, "info", "-db", p("issuer.db"))
	assert.Contains(t, out, "batch "+stopped+": 0 of 3 rows, unfinished, output "+p("same.jsonl"), "info shows the unfinished batch")

	// Finishing it, then another input to the same -out: refused while
	// the output is there, and after it was moved away (handed out).
	_, err = run("a.jsonl", "same.jsonl")
	require.NoError(t, err)
	code, err = run("b.jsonl", "same.jsonl")
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "already finished")
	require.NoError(t, os.Rename(p("same.jsonl"), p("handed-out.jsonl")))
	code, err = run("b.jsonl", "same.jsonl")
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "already finished")
	assert.Len(t, readOutput(t, p("handed-out.jsonl")), 3)
	lists := runOK(t, "info", "-db", p("issuer.db"))
	assert.Contains(t, lists, "list 1: 3 of 100 used", "the refused batch allocated nothing")
}

// TestBatchPartialIsItsOwn: the partial output is never a symbolic link
// or a second name of another file, and has mode 0600.
func TestBatchPartialIsItsOwn(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic and hard links need Unix")
	}
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(t, p("a.jsonl"), 0, 2)
	args := []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-list-size", "100", "-progress", "off", "-in", p("a.jsonl"), "-out", p("o.jsonl")}
	require.NoError(t, os.WriteFile(p("victim"), []byte("IMPORTANT"), 0o644))

	require.NoError(t, os.Symlink(p("victim"), p(".o.jsonl.partial")))
	code, err := exitCode(args...)
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "symbolic link")
	assert.Equal(t, "IMPORTANT", string(must(os.ReadFile(p("victim")))), "the link's target is untouched")

	require.NoError(t, os.Remove(p(".o.jsonl.partial")))
	require.NoError(t, os.Link(p("victim"), p(".o.jsonl.partial")))
	code, err = exitCode(args...)
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "one name")
	assert.Equal(t, "IMPORTANT", string(must(os.ReadFile(p("victim")))), "the other name's file is untouched")

	require.NoError(t, os.Remove(p(".o.jsonl.partial")))
	_, err = exitCode(args...)
	require.NoError(t, err)
	st, err := os.Stat(p("o.jsonl"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

// TestBatchPartialLocked: a second run of a batch while the first holds
// its partial output is refused (the lock is the one openPartial takes).
func TestBatchPartialLocked(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the lock is flock(2)")
	}
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(t, p("a.jsonl"), 0, 2)
	held, err := openPartial(p(".o.jsonl.partial"))
	require.NoError(t, err)
	defer held.Close()
	var buf bytes.Buffer
	err = runEnv(fixedEnv, []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-list-size", "100", "-progress", "off", "-in", p("a.jsonl"), "-out", p("o.jsonl")}, &buf)
	assert.ErrorContains(t, err, "being written by another run")
	_, statErr := os.Stat(p("o.jsonl"))
	assert.ErrorIs(t, statErr, os.ErrNotExist)
}

// TestBatchOutFolderCheckedFirst: an -out in a missing folder, or that is
// a folder, is refused before the batch is recorded: fixing the flag and
// running again works.
func TestBatchOutFolderCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(t, p("a.jsonl"), 0, 2)
	require.NoError(t, os.Mkdir(p("adir"), 0o700))
	args := func(out string) []string {
		return []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-list-size", "100", "-progress", "off", "-in", p("a.jsonl"), "-out", out}
	}
	for _, out := range []string{p("missing/o.jsonl"), p("adir")} {
		code, err := exitCode(args(out)...)
		assert.Equal(t, 2, code, "%s: %v", out, err)
	}
	code, err := exitCode(append(args(p("o.jsonl")), "-profiles", "full,full")...)
	assert.Equal(t, 2, code, "%v", err)
	code, err = exitCode("batch", "-db", p("new.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-list-size", "0", "-in", p("a.jsonl"), "-out", p("o.jsonl"))
	assert.Equal(t, 2, code, "-list-size 0 is refused, not taken as the default: %v", err)
	runOK(t, args(p("o.jsonl"))...)
	assert.Len(t, readOutput(t, p("o.jsonl")), 2)
}

// recordUnfinished records the batch of input with output out, as a run
// killed before its first chunk leaves it, in a new database of 100-entry
// lists, and returns its name.
func recordUnfinished(t *testing.T, dbPath, input, out string) string {
	t.Helper()
	sum := sha256.Sum256(must(os.ReadFile(input)))
	name := hex.EncodeToString(sum[:16])
	db, err := issuerdb.Create(dbPath, "3273", 100)
	require.NoError(t, err)
	defer db.Close()
	kid, err := keys.KeyID(mustLoad(t, filepath.Join(filepath.Dir(dbPath), "issuer.jwk")))
	require.NoError(t, err)
	abs, err := filepath.Abs(out)
	require.NoError(t, err)
	_, err = db.StartBatch(issuerdb.Batch{Name: name, Out: abs, Rows: 3, Signer: kid,
		IssuedAt: testkit.Now, Valid: 365 * 24 * time.Hour, Profiles: "full,travel,kai,age"})
	require.NoError(t, err)
	return name
}

// TestBatchDevicesAcrossBatches: a later batch may not issue again to a
// NIK and device key of an earlier one, nor give a device key to a second
// NIK; nothing of such a batch is recorded.
func TestBatchDevicesAcrossBatches(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("a.jsonl"), 0, 3)
	base := []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-list-size", "100", "-progress", "off"}
	runOK(t, append(base, "-in", p("a.jsonl"), "-out", p("a.out"))...)

	// The same rows with a blank line: another digest, the same holders.
	require.NoError(t, os.WriteFile(p("b.jsonl"), append(must(os.ReadFile(p("a.jsonl"))), '\n'), 0o600))
	// Row 1's phone given to another resident.
	other := resident(50)
	rec := must(json.Marshal(other))
	line := must(json.Marshal(map[string]any{"kind": "ktp", "record": json.RawMessage(rec), "device_key": rows[1].point}))
	require.NoError(t, os.WriteFile(p("c.jsonl"), append(line, '\n'), 0o600))
	for in, want := range map[string]string{"b.jsonl": "already issued to this NIK and device key", "c.jsonl": "holds the credentials of another NIK"} {
		var out bytes.Buffer
		err := runEnv(fixedEnv, append(base, "-in", p(in), "-out", p(in+".out")), &out)
		var be *BatchError
		require.ErrorAs(t, err, &be, in)
		assert.Contains(t, out.String(), want, in)
	}
	info := runOK(t, "info", "-db", p("issuer.db"))
	assert.Contains(t, info, "list 1: 3 of 100 used")
	assert.NotContains(t, info, "b.jsonl.out", "the refused batches are not recorded")
}

// TestTrustListKeysBelongToOneIssuer: the root's key is not an issuer
// key, and no key is given to two issuers (or twice to one).
func TestTrustListKeysBelongToOneIssuer(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	for name, issuers := range map[string][]string{
		"the root's key": {"3273," + p("root.jwk") + ",Bandung"},
		"two issuers":    {"3273," + p("issuer.jwk") + ",Bandung", "3171," + p("issuer.jwk") + ",Jakarta Pusat"},
		"twice to one":   {"3273," + p("issuer.jwk") + ",Bandung", "3273," + p("issuer.jwk") + ",Bandung"},
	} {
		args := []string{"trustlist", "-root-key", p("root.key"), "-out", p("t2.jws")}
		for _, is := range issuers {
			args = append(args, "-issuer", is)
		}
		code, err := exitCode(args...)
		assert.Equal(t, 2, code, "%s: %v", name, err)
		_, statErr := os.Stat(p("t2.jws"))
		assert.ErrorIs(t, statErr, os.ErrNotExist, name)
	}
	var stderr bytes.Buffer
	e, _ := testEnv("")
	e.stderr = &stderr
	writeJSONL(t, p("a.jsonl"), 0, 1)
	runWith(t, e, "batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-progress", "off", "-in", p("a.jsonl"), "-out", p("o.jsonl"))
	assert.Contains(t, stderr.String(), "warning: the key is not checked against a trust list", "a batch without -trust says so")
}

// TestStepByStep runs the commands of docs/issuing.md "Step by step" on
// the committed sample inputs (testdata/residents.csv and .jsonl, the
// files the page points to), in order, and checks what they say.
func TestStepByStep(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	for _, f := range []string{"residents.csv", "residents.jsonl"} {
		require.NoError(t, os.WriteFile(p(f), must(os.ReadFile(filepath.Join("testdata", f))), 0o600))
	}
	require.NoError(t, os.Mkdir(p("status"), 0o700))
	steps := [][]string{
		{"keygen", "-alg", "ES256", "-key", p("root.key"), "-pub", p("root.jwk")},
		{"keygen", "-alg", "EdDSA", "-key", p("issuer.key"), "-pub", p("issuer.jwk")},
		{"trustlist", "-root-key", p("root.key"), "-issuer", "3273," + p("issuer.jwk") + ",Disdukcapil Kota Bandung", "-out", p("trust.jws")},
		{"init", "-db", p("issuer.db"), "-issuer-id", "3273"},
		{"batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-trust", p("trust.jws"), "-root", p("root.jwk"), "-in", p("residents.csv"), "-out", p("issued.jsonl")},
		{"info", "-db", p("issuer.db")},
		{"publish", "-db", p("issuer.db"), "-key", p("issuer.key"), "-trust", p("trust.jws"), "-root", p("root.jwk"), "-out-dir", p("status")},
		{"revoke", "-db", p("issuer.db"), "-nik", "3273014503900001", "-dry-run"},
	}
	var outs []string
	for _, s := range steps {
		outs = append(outs, runOK(t, s...))
	}
	assert.Contains(t, outs[4], "2 rows, 2 issued, 0 refused")
	assert.Contains(t, outs[5], "finished, output "+p("issued.jsonl"))
	assert.Contains(t, outs[6], "publication 1")
	assert.Contains(t, outs[7], "dry run: 1 change(s) shown, none made")
	lines := readOutput(t, p("issued.jsonl"))
	require.Len(t, lines, 2)
	assert.Equal(t, "3273011708850002", lines[1].NIK)

	// The JSONL sample holds the same residents on the same phones: a
	// second batch of it is refused row by row, as the page says.
	var buf bytes.Buffer
	err := runEnv(fixedEnv, []string{"batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-in", p("residents.jsonl"), "-out", p("again.jsonl")}, &buf)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.Len(t, be.Rows, 2)
	// On a database of its own it issues.
	runOK(t, "batch", "-db", p("other.db"), "-issuer-id", "3273", "-key", p("issuer.key"), "-in", p("residents.jsonl"), "-out", p("j.jsonl"))
	assert.Len(t, readOutput(t, p("j.jsonl")), 2)
}

// TestBatchResumeWithoutPartial: a batch recorded as half written whose
// partial output was removed says it writes the output again from row 1.
func TestBatchResumeWithoutPartial(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(t, p("a.jsonl"), 0, 3)
	name := recordUnfinished(t, p("issuer.db"), p("a.jsonl"), p("o.jsonl"))
	db, err := issuerdb.Open(p("issuer.db"))
	require.NoError(t, err)
	require.NoError(t, db.Progress(name, 2, 2000, 2, 0))
	require.NoError(t, db.Close())
	out := runOK(t, "batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-progress", "off", "-in", p("a.jsonl"), "-out", p("o.jsonl"))
	assert.Contains(t, out, "its partial output is gone, so the output is written again from row 1")
	assert.NotContains(t, out, "at row 3")
	assert.Contains(t, out, "3 rows, 3 issued, 0 refused; 3 issued in this run")
	assert.Len(t, readOutput(t, p("o.jsonl")), 3)
}

// TestBatchAbandon: an input edited after its batch was killed cannot
// take the old batch's -out, nor its rows' device keys, until the old
// batch is abandoned: then its entries are revoked and the edited input
// issues.
func TestBatchAbandon(t *testing.T) {
	dir := t.TempDir()
	keysIn(t, dir)
	p := func(n string) string { return filepath.Join(dir, n) }
	rows := writeJSONL(t, p("a.jsonl"), 0, 3)
	old := recordUnfinished(t, p("issuer.db"), p("a.jsonl"), p("o.jsonl"))
	db, err := issuerdb.Open(p("issuer.db"))
	require.NoError(t, err)
	kid, err := keys.KeyID(rows[0].device)
	require.NoError(t, err)
	first, err := db.Allocate(old, []issuerdb.Holder{{NIK: rows[0].ktp.NIK, Device: kid, Kind: "ktp", Row: 0}}, testkit.Now)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.NoError(t, os.WriteFile(p(".o.jsonl.partial"), []byte("{}\n"), 0o600))
	require.NoError(t, os.WriteFile(p("b.jsonl"), append(must(os.ReadFile(p("a.jsonl"))), '\n'), 0o600)) // "edited"
	base := []string{"batch", "-db", p("issuer.db"), "-key", p("issuer.key"), "-progress", "off", "-in", p("b.jsonl"), "-out", p("o.jsonl")}
	code, err := exitCode(base...)
	assert.Equal(t, 2, code)
	assert.ErrorContains(t, err, "-abandon "+old)

	code, err = exitCode(append(base, "-abandon", "0123")...)
	assert.Equal(t, 2, code, "no such batch: %v", err)
	out := runOK(t, append(base, "-abandon", old)...)
	assert.Contains(t, out, "batch "+old+" abandoned: 1 entries revoked")
	assert.Contains(t, out, "3 rows, 3 issued, 0 refused")
	assert.Len(t, readOutput(t, p("o.jsonl")), 3)
	info := runOK(t, "info", "-db", p("issuer.db"))
	assert.Contains(t, info, "batch "+old+": 0 of 3 rows, abandoned")
	assert.Contains(t, info, "1 revoked")
	db, err = issuerdb.Open(p("issuer.db"))
	require.NoError(t, err)
	defer db.Close()
	got, err := db.Find(issuerdb.Query{Ref: &first[0].Ref})
	require.NoError(t, err)
	assert.Equal(t, status.StatusRevoked, got[0].Status, "the abandoned batch's entry is revoked")
}
