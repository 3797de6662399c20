#!/usr/bin/env bash
# Stats benchmark (issue 3): PeerLens vs scikit-learn on the same 10,000,000 scores.
# Usage: bash Benchmarks/StatsBenchmark/run.sh [count]
set -euo pipefail
cd "$(dirname "$0")"
count="${1:-10000000}"
data="${TMPDIR:-/tmp}/peerlens-stats-benchmark.bin"
bash ../../.ci/install-deps
python3 -c "import sklearn" 2>/dev/null || pip install --quiet scikit-learn
swift build -c release >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB"
peerlens=$("$(swift build -c release --show-bin-path)/StatsBenchmark" "$count" "$data")
echo "$peerlens" | head -1
sk=$(python3 sklearn_baseline.py "$data" "$count")
echo "$sk" | head -1
p=$(echo "$peerlens" | awk '/peerlens_seconds/{print $2}')
s=$(echo "$sk" | awk '/sklearn_seconds/{print $2}')
awk -v p="$p" -v s="$s" 'BEGIN { printf "PeerLens (AUC+DeLong CI, full sweep, reliability table, Brier decomposition, ECE): %.3f s; scikit-learn (roc_auc_score + calibration_curve + brier_score_loss): %.3f s; ratio %.2fx\n", p, s, s/p }'
rm -f "$data"
