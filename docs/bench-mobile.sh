#!/usr/bin/env bash
# Measures what package mobile adds to the calls it wraps (BenchmarkBinding):
# NextCode against qr.Wallet.PresentImage, VerifyFrame against
# verify.Verifier.VerifyImage. ROUNDS rounds, each sub-benchmark in its own
# process, the order alternating from round to round; prints the median of
# the per-round ratios and their spread.
#
# Usage: bash docs/bench-mobile.sh [ROUNDS [ITERATIONS]]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-9}"
n="${2:-40}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
echo "# $(go version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), $rounds rounds of ${n}x"
go test -c -o "$out/mobile.test" ./mobile
pairs=("NextCode baseline_qr.PresentImage" "VerifyFrame baseline_verify.VerifyImage")
for r in $(seq "$rounds"); do
	for p in "${pairs[@]}"; do
		set -- $p
		[ $((r % 2)) -eq 0 ] && set -- "$2" "$1"
		for b in "$@"; do
			(cd mobile && "$out/mobile.test" -test.run '^$' -test.bench "^BenchmarkBinding/$b\$" -test.benchtime "${n}x") |
				awk -v r="$r" '/^Benchmark/ {sub(/-[0-9]+$/, "", $1); sub(/^BenchmarkBinding\//, "", $1); print r, $1, $3}' >>"$out/all"
		done
	done
done
# median LIST: the middle value of numbers, one a line.
median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for p in "${pairs[@]}"; do
	set -- $p
	awk -v a="$1" -v b="$2" '$2 == a {x[$1] = $3} $2 == b {y[$1] = $3}
		END {for (r in x) if (r in y) print x[r] / y[r], x[r], y[r]}' "$out/all" >"$out/ratios"
	printf "%s / %s: median ratio %.2f (min %.2f, max %.2f); medians %.2f ms / %.2f ms\n" "$1" "$2" \
		"$(cut -d' ' -f1 "$out/ratios" | median)" "$(cut -d' ' -f1 "$out/ratios" | sort -g | head -1)" \
		"$(cut -d' ' -f1 "$out/ratios" | sort -g | tail -1)" \
		"$(cut -d' ' -f2 "$out/ratios" | median | awk '{print $1 / 1e6}')" "$(cut -d' ' -f3 "$out/ratios" | median | awk '{print $1 / 1e6}')"
done
