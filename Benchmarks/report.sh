#!/usr/bin/env bash
# Report benchmark (issue 7): `peerlens report` for the safety, research and funder audiences (each writing
# Markdown, HTML and JSON from one run) on a store of about 10,000,000 simulated events (200,000 members over
# 60 days, as Benchmarks/ingest.sh), release build. Target: under 30 s together (issue 14; it was 60 s, issue 7). Prints seconds and peak RSS
# of each command, the total and the machine.
# Usage: bash Benchmarks/report.sh [--reuse] [members] [days]   (defaults 200000 60)
#   BENCH_DIR=dir   work directory (default: a new temporary one); the store is dir/store.sqlite
#   --reuse or REUSE_STORE=1   use the store already in BENCH_DIR if it was simulated with the same sizes
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench_args "$@"
members="${sizes[0]:-200000}"
days="${sizes[1]:-60}"
bench_store
reports="$work/reports"
# report_written FILE: the report run wrote its three files and the JSON parses.
report_written() {
  local audience; audience=$(basename "$1")
  [ -s "$reports/$audience-report.md" ] && [ -s "$reports/$audience-report.html" ] \
    && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$reports/$audience-report.json" 2>/dev/null
}
for audience in safety research funder; do
  extra=()
  [ "$audience" = funder ] && extra=(--cost 250000)
  timed_checked "$audience" "report --audience $audience (md, html, json)" report_written \
    "$bin" report --db "$store" --audience "$audience" --format md --format html --format json --out "$reports" \
    --generated-at 2026-03-06T00:00:00Z "${extra[@]}"
done
bench_verdict 30
