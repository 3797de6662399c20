#!/usr/bin/env bash
# Predictions benchmark (issue 12): `peerlens risk --predictions` and `thresholds --predictions` against pandas +
# scikit-learn's bare metrics on the same CSV files, at 2,000,000 and 10,000,000 rows, in one run.
# Usage: bash Benchmarks/predictions/run.sh [small large]   (default 2000000 10000000)
# PeerLens runs its full default evaluation (every interval, the reliability table, the JSON document through
# the disclosure policy); scikit-learn computes point metrics only. Both include reading the file.
set -euo pipefail
cd "$(dirname "$0")/../.."
small="${1:-2000000}"
large="${2:-10000000}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
bash .ci/install-deps
python3 -c "import sklearn, pandas" 2>/dev/null || python3 -m pip install --quiet scikit-learn pandas
swift build -c release --product peerlens >/dev/null
bin="$(swift build -c release --show-bin-path)/peerlens"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"

# best_of3 CMD…: the shortest wall time of three runs, in seconds.
best_of3() {
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N)
    best=$(awk -v a="$best" -v b="$(( t1 - t0 ))" 'BEGIN { b /= 1e9; if (a == "" || b < a + 0) print b; else print a }')
  done
  echo "$best"
}

declare -A risk thresholds sk_risk sk_thresholds
for n in "$small" "$large"; do
  file="$work/predictions-$n.csv"
  [ -f "$file" ] || python3 Benchmarks/predictions/make_predictions.py "$n" "$file"
  risk[$n]=$(best_of3 "$bin" risk --predictions "$file" --score-col score --label-col label --format json)
  thresholds[$n]=$(best_of3 "$bin" thresholds --predictions "$file" --score-col score --label-col label --per-day 20000 --format json)
  out=$(python3 Benchmarks/predictions/sklearn_baseline.py "$file")
  echo "$out" | head -1
  sk_risk[$n]=$(echo "$out" | awk '/sklearn_risk_seconds/{print $2}')
  sk_thresholds[$n]=$(echo "$out" | awk '/sklearn_thresholds_seconds/{print $2}')
done

printf '\n%-12s %-22s %12s %12s %16s\n' rows command peerlens_s sklearn_s "sklearn/peerlens"
for n in "$small" "$large"; do
  for c in risk thresholds; do
    if [ "$c" = risk ]; then p=${risk[$n]}; s=${sk_risk[$n]}; else p=${thresholds[$n]}; s=${sk_thresholds[$n]}; fi
    awk -v n="$n" -v c="$c --predictions" -v p="$p" -v s="$s" 'BEGIN { printf "%-12s %-22s %12.2f %12.2f %15.2fx\n", n, c, p, s, s / p }'
  done
done
echo
status=0
for c in risk thresholds; do
  if [ "$c" = risk ]; then p2=${risk[$small]}; p10=${risk[$large]}; s2=${sk_risk[$small]}; else p2=${thresholds[$small]}; p10=${thresholds[$large]}; s2=${sk_thresholds[$small]}; fi
  awk -v c="$c" -v p2="$p2" -v p10="$p10" -v s2="$s2" -v small="$small" -v large="$large" 'BEGIN {
    speed = s2 / p2; growth = p10 / p2
    printf "%s: at %d rows PeerLens is %.2fx scikit-learn (target >= 1, aim 3): %s; %d rows take %.2fx the time of %d (target <= 5.5): %s\n",
      c, small, speed, (speed >= 1 ? "met" : "MISSED"), large, growth, small, (growth <= 5.5 ? "met" : "MISSED")
    exit (speed >= 1 && growth <= 5.5) ? 0 : 1 }' || status=1
done
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
exit $status
