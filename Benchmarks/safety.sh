#!/usr/bin/env bash
# Safety-analysis benchmark (issue 4): `peerlens risk --by language --over week` plus `peerlens thresholds`
# on a store of 10,000,000 scored messages and 200,000 reviews, release build. Target: under 10 s in total.
# Prints seconds and peak RSS of each command, the total and the machine.
# Usage: bash Benchmarks/safety.sh [--reuse] [messages] [reviews]   (defaults 10000000 200000)
#   BENCH_DIR=dir   work directory (default: a new temporary one); the store is dir/safety.sqlite
#   --reuse or REUSE_STORE=1   use the store already in BENCH_DIR if it was built with the same sizes
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench_args "$@"
messages="${sizes[0]:-10000000}"
reviews="${sizes[1]:-200000}"
members=200000
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
store="$work/safety.sqlite"
bash .ci/install-deps
swift build -c release --product peerlens >/dev/null
bin="$(swift build -c release --show-bin-path)/peerlens"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
wanted="synthetic: Benchmarks/make_safety_store.py --seed 1 --members $members --messages $messages --reviews $reviews --weeks 26"
built=""
if [ "$reuse" = 1 ] && [ -f "$store" ]; then
  built=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT file FROM ingest_run ORDER BY id LIMIT 1').fetchone()[0])" "$store" 2>/dev/null || true)
fi
if [ -n "$built" ] && [ "$built" = "$wanted" ]; then
  echo "reusing store $store ($built)"
else
  [ "$reuse" = 1 ] && [ -f "$store" ] && echo "the store in $work was built differently (${built:-unreadable}): rebuilding it"
  echo "building store: $messages messages, $reviews reviews, $members members"
  python3 Benchmarks/make_safety_store.py --bin "$bin" --db "$store" --force --seed 1 \
    --members "$members" --messages "$messages" --reviews "$reviews" --weeks 26
fi
echo "store: $(du -h "$store" | cut -f1)"

total=0
failed=0
# timed FILE NAME COMMAND…: runs the command under /usr/bin/time (output in $work/FILE.{json,err,time}),
# checks that it succeeded with valid JSON, prints seconds and peak RSS.
timed() {
  local out="$work/$1" name="$2"; shift 2
  sync
  if /usr/bin/time -f "%e %M" -o "$out.time" "$@" > "$out.json" 2> "$out.err" \
     && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out.json" 2>/dev/null; then
    local seconds rss_kb
    read -r seconds rss_kb < "$out.time"
    printf '%-44s %7.2f s   peak RSS %5.0f MiB\n' "$name" "$seconds" "$(awk -v r="$rss_kb" 'BEGIN { print r / 1024 }')"
    total=$(awk -v t="$total" -v s="$seconds" 'BEGIN { print t + s }')
  else
    failed=1
    echo "FAILED: $name: ${*:2} (exit status or JSON output bad; stderr follows)"
    sed -e 's/^/  /' "$out.err" | tail -n 20
    grep -v '^[0-9.]* [0-9]*$' "$out.time" 2>/dev/null | sed -e 's/^/  /' || true
  fi
}
timed risk_by_language_week "risk --by language --over week" "$bin" risk --db "$store" --by language --over week --format json
timed thresholds "thresholds" "$bin" thresholds --db "$store" --format json
if [ "$failed" != 0 ]; then
  echo "benchmark FAILED: a timed command did not complete (outputs in $work)"
  exit 1
fi
awk -v t="$total" 'BEGIN { printf "total %.2f s: %s the 10 s target\n", t, (t < 10 ? "meets" : "MISSES") }'
echo "outputs in $work (remove it when done)"
