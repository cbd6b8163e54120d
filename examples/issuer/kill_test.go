package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
)

// TestKillBatch re-runs this test binary as a child that runs a batch of
// killRows rows (creating the database on the first run) and SIGKILLs it
// after a random 0–killMaxMS ms, counted from its start in every other
// run and from its first progress line (a tenth of the batch out) in the
// others, again and again until a run finishes on its own. SIGKILL runs no deferred cleanup, the nearest a test gets to
// pulling the power cord. After every kill the database must open, every
// row that had an index must still have the same one, no index may be held
// twice, and each list's count must match its entries. The finished output
// must hold every row once, with the index the database recorded, every
// credential verifying.

const (
	killEnv   = "IKD_ISSUER_KILL_HELPER"
	killRows  = 6000
	killMaxMS = 250
	killMax   = 40 // kills before the test lets a run finish
)

func killRNG(t *testing.T) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("IKD_KILL_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	t.Logf("kill timings from IKD_KILL_SEED=%d", seed)
	return rand.New(rand.NewPCG(seed, seed))
}

func killBatchArgs(dir string) []string {
	p := func(n string) string { return filepath.Join(dir, n) }
	return []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"),
		"-in", p("rows.jsonl"), "-out", p("issued.jsonl"), "-progress", "lines", "-list-size", "4000"}
}

// dbRows reads every entry's (row, ref) straight from the database file,
// and how many rows the batch has written.
func dbRows(t *testing.T, path string) (map[int]credential.StatusRef, int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query(`SELECT row, list, idx FROM entries WHERE batch IS NOT NULL`)
	require.NoError(t, err)
	defer rows.Close()
	got := map[int]credential.StatusRef{}
	seen := map[credential.StatusRef]int{}
	for rows.Next() {
		var r int
		var ref credential.StatusRef
		require.NoError(t, rows.Scan(&r, &ref.List, &ref.Index))
		_, dup := got[r]
		require.False(t, dup, "row %d allocated twice", r)
		other, twice := seen[ref]
		require.False(t, twice, "%v held by rows %d and %d", ref, other, r)
		got[r], seen[ref] = ref, r
	}
	require.NoError(t, rows.Err())
	var bad int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM lists l WHERE used != (SELECT count(*) FROM entries e WHERE e.list = l.id)`).Scan(&bad))
	assert.Zero(t, bad, "a list's count differs from its entries")
	var written int
	err = db.QueryRow(`SELECT next_row FROM batches`).Scan(&written)
	if !errors.Is(err, sql.ErrNoRows) {
		require.NoError(t, err)
	}
	return got, written
}

func TestKillBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	rng := killRNG(t)
	dir := t.TempDir()
	keysIn(t, dir)
	rows := writeJSONL(t, filepath.Join(dir, "rows.jsonl"), 0, killRows)
	dbPath := filepath.Join(dir, "issuer.db")
	held := map[int]credential.StatusRef{}
	kills, midBatch, finished := 0, 0, false
	for !finished {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), killEnv+"="+dir)
		var out bytes.Buffer
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		stderr, err := cmd.StderrPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		sc := bufio.NewScanner(stdout)
		require.True(t, sc.Scan() && sc.Text() == "ready", "child did not start")
		// The child's progress lines on stderr: the first one says a
		// tenth of the batch is written.
		progressed := make(chan struct{})
		go func() {
			es := bufio.NewScanner(stderr)
			once := false
			for es.Scan() {
				if !once && strings.HasPrefix(es.Text(), "issuing: ") {
					close(progressed)
					once = true
				}
			}
			if !once {
				close(progressed)
			}
		}()
		done := make(chan error, 1)
		go func() {
			for sc.Scan() {
				out.WriteString(sc.Text() + "\n")
			}
			done <- cmd.Wait()
		}()
		// Every other run is killed at a random moment from its start
		// (the database being made, the input read, the first chunks);
		// the others at a random moment after a tenth of the batch is
		// out, in the middle of allocating, signing and writing.
		if kills%2 == 1 {
			select {
			case <-progressed:
			case <-time.After(time.Minute):
			}
		}
		delay := time.Duration(rng.IntN(killMaxMS+1)) * time.Millisecond
		if kills >= killMax {
			delay = time.Hour
		}
		select {
		case err := <-done:
			require.NoError(t, err, "the child failed: %s", out.String())
			finished = true
		case <-time.After(delay):
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			<-done
			kills++
		}
		if _, err := os.Stat(dbPath); os.IsNotExist(err) {
			continue // killed before the database existed
		}
		db, err := issuerdb.Open(dbPath)
		require.NoError(t, err, "kill %d after %v: the database does not open", kills, delay)
		require.NoError(t, db.Close())
		now, written := dbRows(t, dbPath)
		for r, ref := range held {
			assert.Equal(t, ref, now[r], "kill %d after %v: row %d changed its index", kills, delay, r)
		}
		assert.GreaterOrEqual(t, len(now), len(held))
		if !finished && len(now) > 0 && written < killRows {
			midBatch++
		}
		held = now
	}
	require.Len(t, held, killRows, "every row has its index")
	lines := readOutput(t, filepath.Join(dir, "issued.jsonl"))
	require.Len(t, lines, killRows, "every row once in the output")
	refs := checkOutput(t, lines, rows, mustLoad(t, filepath.Join(dir, "issuer.jwk")))
	for ref, row := range refs {
		assert.Equal(t, held[row-1], ref, "row %d: the output has the index the database recorded", row)
	}
	lists := map[uint32]int{}
	for _, ref := range held {
		lists[ref.List]++
	}
	assert.Equal(t, map[uint32]int{1: 4000, 2: killRows - 4000}, lists, "list 1 filled, list 2 opened, across the kills")
	t.Logf("%d kills, %d of them in the middle of the batch, then a run finished it", kills, midBatch)
}

// TestKillHelperProcess is the child of TestKillBatch: it runs the batch
// until it is done or killed.
func TestKillHelperProcess(t *testing.T) {
	dir := os.Getenv(killEnv)
	if dir == "" {
		t.Skip("child of TestKillBatch")
	}
	os.Stdout.WriteString("ready\n")
	e, _ := testEnv("")
	e.Now, e.stderr = time.Now, os.Stderr
	var out bytes.Buffer
	err := runEnv(e, killBatchArgs(dir), &out)
	if err != nil && strings.Contains(err.Error(), "this input was issued already") {
		// The run before was killed after it marked the batch finished,
		// before it exited: the batch is done.
		return
	}
	require.NoError(t, err, out.String())
}
