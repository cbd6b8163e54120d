package redisreplay_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/ikdgo/ikd/verify"
	"github.com/ikdgo/ikd/verify/redisreplay"
)

// The benchmarks of this file are what docs/benchmarks.md reports in
// "Replay store on Redis"; reproduce them with
//
//	go test ./verify/redisreplay -run '^$' -bench . -benchtime 2s -count 5
//
// BenchmarkGates/memory is the baseline: each gate a verifier with its own
// in-memory store, as before issue 17. BenchmarkGates/redis is the same
// gates sharing one redis-server on loopback, each with its own client
// (as separate scanner programs), in the same run.

// benchCodes is a pool of distinct live codes, grown as benchmarks need:
// every verification in a run gets a code no gate has seen.
var benchCodes struct {
	sync.Mutex
	w     *world
	texts []string
}

func codesFor(b *testing.B, n int) []string {
	b.Helper()
	benchCodes.Lock()
	defer benchCodes.Unlock()
	if benchCodes.w == nil {
		benchCodes.w = newWorld(b)
	}
	for len(benchCodes.texts) < n {
		benchCodes.texts = append(benchCodes.texts, benchCodes.w.code(b))
	}
	return benchCodes.texts[:n]
}

// runGates verifies b.N distinct codes with the gates, each gate a
// goroutine taking the next code, and reports verifications per second and
// the latency of one verification (median and 99th percentile), and the
// CPU time per verification of this process (cpu-µs) and, with server, of
// the redis-server (server-cpu-µs). On a machine shared with other work the
// CPU times are the steadier figures: the wall-clock ones move with how the
// operating system shares the cores.
func runGates(b *testing.B, gates []*verify.Verifier, server *redis.Client) {
	texts := codesFor(b, b.N)
	var next atomic.Int64
	lat := make([][]time.Duration, len(gates))
	var failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	serverBefore := 0.0
	if server != nil {
		serverBefore = serverCPU(b, server)
	}
	cpuBefore := processCPU(b)
	b.ResetTimer()
	start := time.Now()
	for g, v := range gates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(len(texts)) {
					return
				}
				t0 := time.Now()
				_, err := v.VerifyText(texts[i])
				lat[g] = append(lat[g], time.Since(t0))
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := processCPU(b) - cpuBefore
	b.ReportMetric(cpu.Seconds()*1e6/float64(b.N), "cpu-µs")
	if server != nil {
		b.ReportMetric((serverCPU(b, server)-serverBefore)*1e6/float64(b.N), "server-cpu-µs")
	}
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d verifications refused, the first: %v", n, b.N, firstErr.Load())
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "verif/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
}

func BenchmarkGates(b *testing.B) {
	w := newWorld(b)
	s := startRedis(b)
	admin := client(b, s)
	for _, n := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("memory/gates=%d", n), func(b *testing.B) {
			gates := make([]*verify.Verifier, n)
			for i := range gates {
				gates[i] = w.gate(b, nil, verify.AirlineCheckIn())
			}
			runGates(b, gates, nil)
		})
		b.Run(fmt.Sprintf("redis/gates=%d", n), func(b *testing.B) {
			require.NoError(b, admin.FlushAll(context.Background()).Err())
			gates := make([]*verify.Verifier, n)
			for i := range gates {
				// Many gates in one process on few cores, on a machine
				// shared with other work, wait for a CPU longer than the
				// default 50 ms (see docs/benchmarks.md): the timeout is
				// raised so that the run measures the store.
				c, err := redisreplay.New(client(b, s), redisreplay.WithTimeout(10*time.Second))
				require.NoError(b, err)
				gates[i] = w.gate(b, c, verify.AirlineCheckIn())
			}
			runGates(b, gates, admin)
		})
	}
}

// processCPU is the user and system CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU is the CPU time in seconds the server has used (INFO cpu).
func serverCPU(b *testing.B, c *redis.Client) float64 {
	b.Helper()
	info, err := c.Info(context.Background(), "cpu").Result()
	require.NoError(b, err)
	total := 0.0
	for _, line := range strings.Split(info, "\r\n") {
		for _, f := range []string{"used_cpu_sys:", "used_cpu_user:"} {
			if v, ok := strings.CutPrefix(line, f); ok {
				x, err := strconv.ParseFloat(v, 64)
				require.NoError(b, err)
				total += x
			}
		}
	}
	return total
}

// BenchmarkCheckAndMark is the store alone: one SET NX PX round trip on
// loopback, from one goroutine and from many.
func BenchmarkCheckAndMark(b *testing.B) {
	s := startRedis(b)
	c, err := redisreplay.New(client(b, s), redisreplay.WithTimeout(time.Second))
	require.NoError(b, err)
	t0 := time.Unix(1_800_000_000, 0)
	var n atomic.Uint64
	key := func() [32]byte {
		var k [32]byte
		i := n.Add(1)
		for j := range 8 {
			k[j] = byte(i >> (8 * j))
		}
		return k
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.CheckAndMark(key(), t0.Add(6*time.Minute), t0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.CheckAndMark(key(), t0.Add(6*time.Minute), t0); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkServerMemory records b.N codes and reports what the server
// holds per code: the growth of INFO memory's used_memory divided by the
// codes (bytes/entry), and MEMORY USAGE of one key (usage-bytes).
func BenchmarkServerMemory(b *testing.B) {
	s := startRedis(b)
	admin := client(b, s)
	ctx := context.Background()
	c, err := redisreplay.New(client(b, s))
	require.NoError(b, err)
	t0 := time.Unix(1_800_000_000, 0)
	require.NoError(b, admin.FlushAll(ctx).Err())
	before := usedMemory(b, admin)
	pipe := admin.Pipeline()
	for i := range b.N {
		var k [32]byte
		for j := range 8 {
			k[j] = byte(i >> (8 * j))
		}
		k[31] = 0xAA // the rest of a real key is random; only 16 bytes are used
		// The same command CheckAndMark sends, pipelined to fill faster.
		pipe.SetNX(ctx, c.Key(k), "1", c.TTL(t0.Add(6*time.Minute), t0))
		if pipe.Len() == 1000 || i == b.N-1 {
			_, err := pipe.Exec(ctx)
			require.NoError(b, err)
		}
	}
	b.StopTimer()
	require.Equal(b, int64(b.N), admin.DBSize(ctx).Val())
	after := usedMemory(b, admin)
	b.ReportMetric(float64(after-before)/float64(b.N), "bytes/entry")
	usage, err := admin.MemoryUsage(ctx, c.Key([32]byte{1})).Result()
	if err == nil {
		b.ReportMetric(float64(usage), "usage-bytes")
	}
}

func usedMemory(b *testing.B, c *redis.Client) int64 {
	b.Helper()
	info, err := c.Info(context.Background(), "memory").Result()
	require.NoError(b, err)
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			require.NoError(b, err)
			return n
		}
	}
	b.Fatal("no used_memory in INFO memory")
	return 0
}
