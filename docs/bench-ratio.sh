#!/usr/bin/env bash
# Measures the verify path against its baseline as issue 11 asks:
# BenchmarkVerifyText and BenchmarkRawSignatureChecks (sub-benchmarks ES256
# and EdDSA), ROUNDS rounds, each benchmark in its own process, the order
# alternating from round to round, and the median of the per-round ratios.
#
# Usage: bash docs/bench-ratio.sh [ROUNDS [BENCHTIME [OTHER_TREE]]]
#   OTHER_TREE: a second checkout (for example an older commit, made with
#   git worktree add) measured in the same rounds, interleaved, so that
#   before and after share the machine's load.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-11}"
bt="${2:-1s}"
other="${3:-}"
out="$(mktemp -d)"
trees=("$PWD")
[ -n "$other" ] && trees+=("$(cd "$other" && pwd)")
echo "# $(go version), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $rounds rounds, -benchtime $bt"
for t in "${trees[@]}"; do (cd "$t" && go test -c -o "$out/$(basename "$t").test" ./verify); done
for r in $(seq "$rounds"); do
	order=("BenchmarkVerifyText" "BenchmarkRawSignatureChecks")
	[ $((r % 2)) -eq 0 ] && order=("BenchmarkRawSignatureChecks" "BenchmarkVerifyText")
	for t in "${trees[@]}"; do
		name="$(basename "$t")"
		for bench in "${order[@]}"; do
			(cd "$t/verify" && "$out/$name.test" -test.run '^$' -test.bench "^$bench\$" \
				-test.benchtime "$bt" -test.benchmem) | grep '^Benchmark' | sed "s#^#$name $r #" >>"$out/all"
		done
	done
done
awk '
function median(list,    n, i, j, t, a) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{
	tree = $1; round = $2; split($3, p, "/"); bench = p[1]; alg = p[2]; sub(/-[0-9]+$/, "", alg)
	ns[tree, bench, alg, round] = $5; allocs[tree, bench, alg] = $9; trees[tree] = 1; algs[alg] = 1; rounds[round] = 1
}
END {
	printf "| tree | issuer alg | VerifyText µs (median) | raw checks µs (median) | median ratio | allocs/op VerifyText |\n|---|---|---|---|---|---|\n"
	for (t in trees) for (a in algs) {
		r = ""; v = ""; w = ""
		for (k in rounds) {
			x = ns[t, "BenchmarkVerifyText", a, k]; y = ns[t, "BenchmarkRawSignatureChecks", a, k]
			if (x != "" && y != "") { r = r " " x / y; v = v " " x; w = w " " y }
		}
		printf "| %s | %s | %.1f | %.1f | %.3f× | %s |\n", t, a, median(v) / 1000, median(w) / 1000, median(r), allocs[t, "BenchmarkVerifyText", a]
	}
}' "$out/all"
rm -rf "$out"
