#!/usr/bin/env bash
# Reproduces docs/benchmarks.md, "Replay store on Redis".
# Usage: bash docs/bench-replay.sh [benchtime [rounds]]
# Needs redis-server on PATH (the benchmarks start their own, on loopback).
# In each round the gates run with in-memory stores and then with one shared
# redis-server, in the same process; the table gives medians over the rounds
# and the ratio redis/memory taken per round.
set -euo pipefail
cd "$(dirname "$0")/.."
bt="${1:-2s}"
rounds="${2:-5}"
out="$(mktemp)"
echo "# $(go version) on $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d), $(redis-server --version | cut -d' ' -f1-3)"
grep -m1 'model name' /proc/cpuinfo 2>/dev/null || true
for _ in $(seq "$rounds"); do
	# A failed round (a refusal on an overloaded machine) is shown and left
	# out; the others still count.
	go test ./verify/redisreplay -run '^$' -bench '^BenchmarkGates$' -benchtime "$bt" | grep -E '^Benchmark|FAIL|refused' | tee -a "$out" || true
done
go test ./verify/redisreplay -run '^$' -bench '^(BenchmarkCheckAndMark|BenchmarkServerMemory)$' -benchtime "$bt" -count "$rounds" | grep -E '^Benchmark|FAIL' | tee -a "$out" || true

echo
awk '
function median(list,    n, i, j, t, a) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
function metric(unit,    i) { for (i = 5; i < NF; i += 2) if ($(i+1) == unit) return $i; return "" }
/^BenchmarkGates\// {
	split($1, a, "/"); store = a[2]; g = a[3]; sub(/-[0-9]+$/, "", g); gates[g] = 1
	k = store SUBSEP g; n[k]++
	vs[k] = vs[k] " " metric("verif/s"); p50[k] = p50[k] " " metric("p50-µs"); p99[k] = p99[k] " " metric("p99-µs")
	cpu[k] = cpu[k] " " (metric("cpu-µs") + metric("server-cpu-µs"))
	if (store == "memory") last[g] = metric("verif/s")
	else ratio[g] = ratio[g] " " metric("verif/s") / last[g]
}
/^BenchmarkCheckAndMark\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); cm[a[2]] = cm[a[2]] " " $3 }
/^BenchmarkServerMemory/ { be = be " " metric("bytes/entry"); mu = mu " " metric("usage-bytes") }
END {
	print "| gates | memory: verif/s | p50 µs | p99 µs | CPU µs | redis: verif/s | p50 µs | p99 µs | CPU µs (gates + server) | CPU redis/memory | throughput redis/memory |"
	print "|---|---|---|---|---|---|---|---|---|---|---|"
	split("gates=1 gates=4 gates=16", order, " ")
	for (i = 1; i <= 3; i++) {
		g = order[i]; if (!(g in gates)) continue
		m = "memory" SUBSEP g; r = "redis" SUBSEP g
		printf "| %s | %d | %d | %d | %.0f | %d | %d | %d | %.0f | %.2f× | %.2f× |\n", g, median(vs[m]), median(p50[m]), median(p99[m]), median(cpu[m]), median(vs[r]), median(p50[r]), median(p99[r]), median(cpu[r]), median(cpu[r]) / median(cpu[m]), median(ratio[g])
	}
	printf "\nCheckAndMark round trip: serial %.1f µs, parallel %.1f µs per call\n", median(cm["serial"]) / 1000, median(cm["parallel"]) / 1000
	printf "server memory per code: %.0f bytes (used_memory growth; range %s), MEMORY USAGE %d bytes\n", median(be), be, median(mu)
}' "$out"
rm -f "$out"
