#!/usr/bin/env bash
# Report benchmark (issue 7): `peerlens report` for the safety, research and funder audiences (each writing
# Markdown, HTML and JSON from one run) on a store of about 10,000,000 simulated events (200,000 members over
# 60 days, as Benchmarks/ingest.sh), release build. Target: under 60 s together. Prints seconds and peak RSS
# of each command, the total and the machine.
# Usage: bash Benchmarks/report.sh [--reuse] [members] [days]   (defaults 200000 60)
#   BENCH_DIR=dir   work directory (default: a new temporary one); the store is dir/store.sqlite
#   --reuse or REUSE_STORE=1   use the store already in BENCH_DIR if it was simulated with the same sizes
set -euo pipefail
cd "$(dirname "$0")/.."
reuse="${REUSE_STORE:-0}"
sizes=()
for arg in "$@"; do
  case "$arg" in
    --reuse) reuse=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "unknown option: $arg" >&2; exit 2 ;;
    *) sizes+=("$arg") ;;
  esac
done
members="${sizes[0]:-200000}"
days="${sizes[1]:-60}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
store="$work/store.sqlite"
bash .ci/install-deps
swift build -c release --product peerlens >/dev/null
bin="$(swift build -c release --show-bin-path)/peerlens"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
wanted="$members members, $days days, seed 1"
if [ "$reuse" = 1 ] && [ -f "$store" ] && [ "$(cat "$work/sizes.txt" 2>/dev/null)" = "$wanted" ]; then
  echo "reusing store $store ($wanted)"
else
  echo "simulating and ingesting: $wanted"
  "$bin" simulate --seed 1 --members "$members" --days "$days" --out "$work" >/dev/null
  rm -f "$store"
  "$bin" ingest --db "$store" --format json "$work/events.jsonl" > "$work/ingest.json"
  rm -f "$work/events.jsonl"
  echo "$wanted" > "$work/sizes.txt"
fi
events=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['total_events'])" "$work/manifest.json")
echo "store: $(du -h "$store" | cut -f1), $events events"

total=0
failed=0
# timed NAME AUDIENCE [OPTIONS…]: runs `peerlens report` under /usr/bin/time, checks it wrote the three files
# and that the JSON parses, prints seconds and peak RSS.
timed() {
  local name="$1" audience="$2"; shift 2
  local out="$work/reports"
  sync
  if /usr/bin/time -f "%e %M" -o "$work/$audience.time" "$bin" report --db "$store" --audience "$audience" \
       --format md --format html --format json --out "$out" --generated-at 2026-03-06T00:00:00Z "$@" > /dev/null 2> "$work/$audience.err" \
     && [ -s "$out/$audience-report.md" ] && [ -s "$out/$audience-report.html" ] \
     && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$out/$audience-report.json" 2>/dev/null; then
    local seconds rss_kb
    read -r seconds rss_kb < "$work/$audience.time"
    printf '%-44s %7.2f s   peak RSS %5.0f MiB\n' "$name" "$seconds" "$(awk -v r="$rss_kb" 'BEGIN { print r / 1024 }')"
    total=$(awk -v t="$total" -v s="$seconds" 'BEGIN { print t + s }')
  else
    failed=1
    echo "FAILED: $name (exit status or output bad; stderr follows)"
    sed -e 's/^/  /' "$work/$audience.err" | tail -n 20
  fi
}
timed "report --audience safety (md, html, json)" safety
timed "report --audience research (md, html, json)" research
timed "report --audience funder (md, html, json)" funder --cost 250000
if [ "$failed" != 0 ]; then
  echo "benchmark FAILED: a timed command did not complete (outputs in $work)"
  exit 1
fi
awk -v t="$total" 'BEGIN { printf "total %.2f s: %s the 60 s target\n", t, (t < 60 ? "meets" : "MISSES") }'
echo "outputs in $work (remove it when done)"
