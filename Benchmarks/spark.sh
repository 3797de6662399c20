#!/usr/bin/env bash
# Spark engine benchmark (issue 16): simulated logs of about 10, 30 and 100 million events (200,000, 600,000 and
# 2,000,000 members over 60 days), each ingested into the embedded SQLite store and, through Spark Connect, into the
# local two-worker cluster of `.ci/spark-cluster`; then every command that reads events, on each engine, and the
# three reports, on each engine. Prints seconds and peak memory of each step (for Spark: the client's peak
# RSS and the cluster's, all its JVMs together), whether each command's JSON is the same on both engines (byte for
# byte once the provenance, which names the engine, is set aside), and how each step grows with events.
# No speed target: on 2 cores Spark does not beat SQLite; the figures are its overhead and cost curve.
# Usage: bash Benchmarks/spark.sh [members…]   (default 200000 600000 2000000)
#   BENCH_DIR=dir   work directory (default: a new temporary one); DAYS=n (default 60)
#   REUSE=1         keep a size's log, store and Spark database from an earlier run in BENCH_DIR (skips simulating
#                   and both ingests; for rerunning the commands after a change). Otherwise the Spark database is
#                   dropped first (`.ci/spark-cluster drop-database`), so that the ingest is timed from nothing.
#   RESUME=1        continue a run that was cut off, in the same BENCH_DIR: a step that already has a successful
#                   result there is not run again (its recorded figures are printed, marked "earlier run"); a size
#                   whose two ingests both finished is reused as with REUSE=1; a size whose SQLite ingest finished
#                   but whose Spark ingest did not keeps its log and store and ingests through Spark again.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench_args "$@"
[ "${#sizes[@]}" -gt 0 ] || sizes=(200000 600000 2000000)
days="${DAYS:-60}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
engine="sc://127.0.0.1:${PEERLENS_SPARK_CONNECT_PORT:-15002}"
failed=0
commands=(check quarantine crisis risk thresholds moderation health impact outcomes engagement matches groups skills)

bash .ci/install-deps
swift build -c release --product peerlens >/dev/null
bin="$(swift build -c release --show-bin-path)/peerlens"
bash .ci/spark-cluster start
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
echo "disk free in $work: $(df -h "$work" | awk 'NR == 2 { print $4 }')"

# cluster_rss_kb: the resident memory of the cluster's JVMs (master, workers, executors, Connect server), in KiB.
cluster_rss_kb() {
  local total=0 pid rss
  for pid in $(pgrep -f 'org.apache.spark' || true); do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${rss:-0}))
  done
  echo "$total"
}

# succeeded NAME: the step NAME has a successful result in $work.
succeeded() {
  [ -f "$work/$1.time" ] && [ "$(cut -d' ' -f4 "$work/$1.time")" = 0 ]
}

# done_before NAME: RESUME=1 and the step NAME succeeded in an earlier run.
done_before() {
  [ "${RESUME:-0}" = 1 ] && succeeded "$1"
}

# measure NAME COMMAND…: runs the command with standard output in $work/NAME.out, sampling the cluster's memory
# once a second; records "seconds client_peak_kib cluster_peak_kib status" in $work/NAME.time and prints a line.
measure() {
  local name="$1"; shift
  local out="$work/$name" peak=0 sample status=0
  if done_before "$name"; then
    local seconds client
    read -r seconds client peak status < "$out.time"
    printf '  %-40s %8.2f s   client %6.0f MiB   cluster %6.0f MiB   (earlier run)\n' "$name" "$seconds" "$((client / 1024))" "$((peak / 1024))"
    return
  fi
  sync
  ( while :; do cluster_rss_kb; sleep 1; done ) > "$out.cluster" &
  local sampler=$!
  /usr/bin/time -f "%e %M" -o "$out.clock" "$@" > "$out.out" 2> "$out.err" || status=$?
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  while read -r sample; do [ "$sample" -gt "$peak" ] && peak=$sample; done < "$out.cluster"
  local seconds client
  read -r seconds client < <(tail -n 1 "$out.clock")
  echo "$seconds $client $peak $status" > "$out.time"
  if [ "$status" = 0 ]; then
    printf '  %-40s %8.2f s   client %6.0f MiB   cluster %6.0f MiB\n' "$name" "$seconds" "$((client / 1024))" "$((peak / 1024))"
  else
    printf '  %-40s FAILED (status %s): %s\n' "$name" "$status" "$(tail -n 1 "$out.err")"
  fi
}

# same_json A B: the two outputs are equal once the provenance, and the research report's Software table (which
# names the engine's version, as the provenance does), are set aside.
same_json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
def neutral(node):
    if isinstance(node, dict):
        return {k: neutral(v) for k, v in node.items() if k != "provenance"}
    if isinstance(node, list):
        return [neutral(v) for v in node
                if not (isinstance(v, dict) and (v.get("table") or {}).get("caption") == "Software")]
    return node
a, b = (neutral(json.load(open(p))) for p in sys.argv[1:3])
sys.exit(0 if json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) else 1)
PY
}

for members in "${sizes[@]}"; do
  dir="$work/m$members"
  mkdir -p "$dir"
  echo
  echo "== $members members, $days days (seed 1)"
  database="peerlens_bench_$members"
  reuse_size=${REUSE:-0}
  done_before "m$members/ingest-sqlite" && done_before "m$members/ingest-spark" && reuse_size=1
  if [ "$reuse_size" = 1 ] && [ -f "$dir/store.sqlite" ] && [ -f "$dir/events.count" ] && [ -d ".spark/warehouse/$database.db" ]; then
    events=$(cat "$dir/events.count")
    echo "  $events events: reusing the store and the Spark database $database of an earlier run"
  elif done_before "m$members/ingest-sqlite" && [ -f "$dir/store.sqlite" ] && [ -f "$dir/events.jsonl" ] && [ -f "$dir/events.count" ]; then
    events=$(cat "$dir/events.count")
    echo "  $events events: reusing the log and the store of an earlier run; ingesting through Spark again (RESUME=1)"
    bash .ci/spark-cluster drop-database "$database" >/dev/null
    measure "m$members/ingest-sqlite" true
    measure "m$members/ingest-spark" "$bin" ingest --engine "$engine" --spark-database "$database" --format json "$dir/events.jsonl"
    # The log goes once both ingests have it (it is the largest file); kept if one failed, for RESUME=1.
    succeeded "m$members/ingest-sqlite" && succeeded "m$members/ingest-spark" && rm -f "$dir/events.jsonl"
  else
    rm -f "$dir"/*.time
    "$bin" simulate --seed 1 --members "$members" --days "$days" --out "$dir" >/dev/null
    events=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['total_events'])" "$dir/manifest.json")
    echo "  $events events, log $(du -h "$dir/events.jsonl" | cut -f1)"
    echo "$events" > "$dir/events.count"
    rm -f "$dir/store.sqlite"
    bash .ci/spark-cluster drop-database "$database" >/dev/null
    measure "m$members/ingest-sqlite" "$bin" ingest --db "$dir/store.sqlite" --format json "$dir/events.jsonl"
    measure "m$members/ingest-spark" "$bin" ingest --engine "$engine" --spark-database "$database" --format json "$dir/events.jsonl"
    # The log goes once both ingests have it (it is the largest file); kept if one failed, for RESUME=1.
    succeeded "m$members/ingest-sqlite" && succeeded "m$members/ingest-spark" && rm -f "$dir/events.jsonl"
  fi
  echo "  store $(du -h "$dir/store.sqlite" | cut -f1); warehouse $(du -sh "$(pwd)/.spark/warehouse/$database.db" 2>/dev/null | cut -f1)"
  for command in "${commands[@]}"; do
    measure "m$members/$command-sqlite" "$bin" "$command" --db "$dir/store.sqlite" --format json
    measure "m$members/$command-spark" "$bin" "$command" --engine "$engine" --spark-database "$database" --format json
    if [ "$(cut -d' ' -f4 "$dir/$command-spark.time")" = 0 ]; then
      if same_json "$dir/$command-sqlite.out" "$dir/$command-spark.out"; then
        echo "    $command: the same JSON on both engines"
      else
        echo "    $command: JSON DIFFERS between the engines ($dir/$command-*.out)"
        failed=1
      fi
    fi
  done
  for audience in safety research funder; do
    extra=()
    [ "$audience" = funder ] && extra=(--cost 250000)
    measure "m$members/report-$audience-sqlite" "$bin" report --db "$dir/store.sqlite" --audience "$audience" --format json \
      --out "$dir/reports-sqlite" --generated-at 2026-03-06T00:00:00Z "${extra[@]}"
    measure "m$members/report-$audience-spark" "$bin" report --engine "$engine" --spark-database "$database" --audience "$audience" \
      --format json --out "$dir/reports-spark" --generated-at 2026-03-06T00:00:00Z "${extra[@]}"
    if [ "$(cut -d' ' -f4 "$dir/report-$audience-spark.time")" = 0 ]; then
      if same_json "$dir/reports-sqlite/$audience-report.json" "$dir/reports-spark/$audience-report.json"; then
        echo "    report $audience: the same JSON on both engines"
      else
        echo "    report $audience: JSON DIFFERS between the engines ($dir/reports-*/$audience-report.json)"
        failed=1
      fi
    fi
  done
done

# How each step grows: seconds per million events at each size.
echo
echo "== growth (seconds per million events)"
python3 - "$work" "${sizes[@]}" <<'PY'
import os, sys
work, sizes = sys.argv[1], sys.argv[2:]
steps = sorted({f[:-5] for m in sizes for f in os.listdir(os.path.join(work, "m" + m)) if f.endswith(".time")})
print("  %-32s" % "step" + "".join("%16s" % ("%s members" % m) for m in sizes))
for step in steps:
    cells = []
    for m in sizes:
        path = os.path.join(work, "m" + m, step + ".time")
        events = int(open(os.path.join(work, "m" + m, "events.count")).read())
        if not os.path.exists(path):
            cells.append("%16s" % "-")
            continue
        seconds, _, _, status = open(path).read().split()
        cells.append("%16s" % ("%.2f" % (float(seconds) / events * 1e6) if status == "0" else "n/a"))
    print("  %-32s" % step + "".join(cells))
PY
if [ "$failed" != 0 ]; then echo "benchmark: some outputs differ between the engines (see above)"; exit 1; fi
echo "outputs in $work (remove it when done; the Spark databases stay in .spark/warehouse until dropped)"
