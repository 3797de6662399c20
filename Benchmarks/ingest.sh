#!/usr/bin/env bash
# Ingest benchmark (issue 2): simulate a ~10,000,000-event log, then ingest it
# end to end (read, validate, insert, commit) into a fresh SQLite store with a
# release build. Prints events/s, MB/s, peak RSS and the machine.
# Usage: bash Benchmarks/ingest.sh [members] [days]   (defaults 200000 60 ≈ 10 M events)
set -euo pipefail
cd "$(dirname "$0")/.."
members="${1:-200000}"
days="${2:-60}"
work="${BENCH_DIR:-$(mktemp -d)}"
bash .ci/install-deps
swift build -c release --product peerlens >/dev/null
bin="$(swift build -c release --show-bin-path)/peerlens"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
echo "simulating: --seed 1 --members $members --days $days"
"$bin" simulate --seed 1 --members "$members" --days "$days" --out "$work" >/dev/null
events=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['total_events'])" "$work/manifest.json" 2>/dev/null || wc -l < "$work/events.jsonl")
bytes=$(stat -c %s "$work/events.jsonl")
rm -f "$work/store.sqlite"
sync
/usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" ingest --db "$work/store.sqlite" --format json "$work/events.jsonl" > "$work/summary.json"
read -r seconds rss_kb < "$work/time.txt"
awk -v n="$events" -v b="$bytes" -v s="$seconds" -v r="$rss_kb" 'BEGIN {
  printf "ingested %d events (%.0f MB of JSON Lines) in %.2f s: %.0f events/s, %.0f MB/s, peak RSS %.0f MiB\n", n, b/1e6, s, n/s, b/1e6/s, r/1024
}'
echo "store: $(du -h "$work/store.sqlite" | cut -f1)  (work dir $work; remove it when done)"
