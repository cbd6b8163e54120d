package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/credential"
	"github.com/ikdgo/ikd/credential/status"
	"github.com/ikdgo/ikd/examples/internal/issuerdb"
	"github.com/ikdgo/ikd/keys"
)

// BenchmarkBatch issues b.N residents with all four profiles, per issuer
// algorithm, twice in the same run:
//
//   - library: the baseline, credential.Issuer.Issue alone on requests made
//     beforehand (claims decoded, device keys parsed, indices from a
//     status.Allocator), in parallel on every core;
//   - program: the issuer program's batch command end to end, from a JSONL
//     file to the output file: reading and validating every row, the
//     database transactions, signing on every core, the output, its
//     fsyncs, and the final rename.
//
// One op is one citizen. Both report citizens/s (elapsed time, which other
// work on the machine slows) and cpu-µs/citizen (the process's CPU time,
// which it does not). The program sub-benchmark also reports the
// database's bytes per citizen, the output's, and the time to publish the
// batch's status lists afterwards, with 1% of the batch revoked. The figures in docs/benchmarks.md come from
//
//	go test ./examples/issuer -run '^$' -bench BenchmarkBatch -benchtime 100000x -count 1
//
// (a batch of 100,000, well outside the default test time).
func BenchmarkBatch(b *testing.B) {
	for _, alg := range []string{"EdDSA", "ES256"} {
		b.Run(alg, func(b *testing.B) {
			b.Run("library", func(b *testing.B) { benchLibrary(b, alg) })
			b.Run("program", func(b *testing.B) { benchProgram(b, alg) })
		})
	}
}

func benchLibrary(b *testing.B, alg string) {
	dir := b.TempDir()
	keysInAlg(b, dir, alg)
	signer, err := keys.LoadPrivateKey(filepath.Join(dir, "issuer.key"))
	require.NoError(b, err)
	iss, err := credential.NewIssuer("3273", signer)
	require.NoError(b, err)
	alloc, err := status.NewAllocator(max(b.N, 1<<20), rand.Reader)
	require.NoError(b, err)
	reqs := make([]credential.Request, b.N)
	now := time.Now().Truncate(time.Second)
	for i := range reqs {
		_, dev := devicePoint(b)
		idx, err := alloc.Allocate()
		require.NoError(b, err)
		reqs[i] = credential.Request{Claims: resident(i), DeviceKey: dev, Status: credential.StatusRef{List: 1, Index: idx},
			IssuedAt: now, Expiry: now.AddDate(1, 0, 0)}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := cpuTime()
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(reqs); i += workers {
				if _, err := iss.Issue(&reqs[i]); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	reportCPU(b, cpu0, cpuOK)
	for _, err := range errs {
		require.NoError(b, err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "citizens/s")
}

func benchProgram(b *testing.B, alg string) {
	dir := b.TempDir()
	keysInAlg(b, dir, alg)
	p := func(n string) string { return filepath.Join(dir, n) }
	writeJSONL(b, p("rows.jsonl"), 0, b.N)
	e, _ := testEnv("")
	e.Now = time.Now
	args := []string{"batch", "-db", p("issuer.db"), "-issuer-id", "3273", "-key", p("issuer.key"),
		"-in", p("rows.jsonl"), "-out", p("issued.jsonl"), "-progress", "off"}
	var out bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := cpuTime()
	err := runEnv(e, args, &out)
	b.StopTimer()
	reportCPU(b, cpu0, cpuOK)
	require.NoError(b, err, out.String())
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "citizens/s")
	st, err := os.Stat(p("issuer.db"))
	require.NoError(b, err)
	b.ReportMetric(float64(st.Size())/float64(b.N), "db-bytes/citizen")
	outSt, err := os.Stat(p("issued.jsonl"))
	require.NoError(b, err)
	b.ReportMetric(float64(outSt.Size())/float64(b.N), "out-bytes/citizen")
	// Revoke 1% (by NIK, as an office would), then publish.
	db, err := issuerdb.Open(p("issuer.db"))
	require.NoError(b, err)
	var refs []credential.StatusRef
	for i := 0; i < b.N; i += 100 {
		es, err := db.Find(issuerdb.Query{NIK: resident(i).NIK})
		require.NoError(b, err)
		for _, en := range es {
			refs = append(refs, en.Ref)
		}
	}
	require.NoError(b, db.SetStatus(refs, status.StatusRevoked, time.Now(), "benchmark"))
	require.NoError(b, db.Close())
	start := time.Now()
	require.NoError(b, runEnv(e, []string{"publish", "-db", p("issuer.db"), "-key", p("issuer.key"),
		"-trust", p("trust.jws"), "-root", p("root.jwk"), "-out-dir", dir}, &out), out.String())
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "publish-ms")
}

// reportCPU reports the CPU time per citizen since cpu0: the measure that
// other processes on the machine do not move.
func reportCPU(b *testing.B, cpu0 time.Duration, ok bool) {
	if cpu1, ok1 := cpuTime(); ok && ok1 {
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(b.N), "cpu-µs/citizen")
	}
}
