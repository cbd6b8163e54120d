#!/usr/bin/env bash
# Reproduces the numbers in docs/benchmarks.md. Usage: bash docs/bench.sh [benchtime [count]]
# Prints the raw `go test -bench` output and then the derived tables
# (ratios are computed from numbers measured in the same run).
set -euo pipefail
cd "$(dirname "$0")/.."
bt="${1:-1s}"
count="${2:-5}"
out="$(mktemp)"
echo "# $(go version) on $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%d)"
grep -m1 'model name' /proc/cpuinfo 2>/dev/null || true

run() { go test -run '^$' -benchmem -benchtime "$bt" "$@" | tee -a "$out"; }

# Interleave the verifier and its baseline -count times and take medians, so
# that a burst of load on a shared machine does not land on one side only.
for _ in $(seq "$count"); do
	run -bench '^(BenchmarkVerifyText|BenchmarkRawSignatureChecks|BenchmarkVerifyTextRetry|BenchmarkVerifyTextParallel|BenchmarkVerifyTextNewDevice)$' ./verify
done
run -bench '^(BenchmarkFrameToVerdict|BenchmarkWorstInput)$' ./verify
run -bench '^(BenchmarkScanFrame640x480|BenchmarkScanFrame1280x720|BenchmarkScanClean)$' ./qr
run -bench '^(BenchmarkWalletRefresh|BenchmarkRenderChecked)$' ./qr
run -bench '^(BenchmarkNew|BenchmarkParse|BenchmarkVerifyDevice)$' ./internal/presentation
run -bench '^BenchmarkDecodePayload$' ./credential

echo
echo "## Verification: VerifyText / raw signature checks (same run)"
awk '
function median(list,    n, i, j, t, a) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
/^Benchmark(VerifyText|RawSignatureChecks|VerifyTextRetry|VerifyTextParallel|VerifyTextNewDevice)\/(ES256|EdDSA)/ {
	split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); key = a[1] SUBSEP a[2]; vals[key] = vals[key] " " $3; algs[a[2]] = 1
}
END {
	printf "| issuer alg | VerifyText µs | raw checks µs | ratio | retry (issuer cache) µs | all cores: verifications/s |\n|---|---|---|---|---|---|\n"
	for (k in algs) {
		v = median(vals["BenchmarkVerifyText" SUBSEP k]); r = median(vals["BenchmarkRawSignatureChecks" SUBSEP k])
		w = median(vals["BenchmarkVerifyTextRetry" SUBSEP k]); p = median(vals["BenchmarkVerifyTextParallel" SUBSEP k])
		printf "| %s | %.1f | %.1f | %.2f× | %.1f | %.0f |\n", k, v/1000, r/1000, v/r, w/1000, 1e9/p
	}
}' "$out"

echo
echo "## QR sizes (ECC M)"
go test -count=1 -run '^TestPresentationSizes$' -v ./qr | grep -E 'profile|full|travel|kai|age' | sed 's/^ *presentation_test.go:[0-9]*: //'
rm -f "$out"
