#!/usr/bin/env bash
# Shared by the store benchmarks (community.sh, research.sh): builds the release binary, simulates and ingests a
# store (or reuses one), and times commands that print JSON. Source it after setting `members`, `days`, `reuse`.

# bench_args ARGS…: reads `[--reuse] [size…]` (and REUSE_STORE=1) into `reuse` and the array `sizes`; -h prints the
# calling script's header.
bench_args() {
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
}

# bench_store: sets bin, work, store and events; simulates --seed 1 with $members members over $days days unless
# --reuse finds a store of the same sizes in BENCH_DIR.
bench_store() {
  work="${BENCH_DIR:-$(mktemp -d)}"
  mkdir -p "$work"
  store="$work/store.sqlite"
  bash .ci/install-deps
  swift build -c release --product peerlens >/dev/null
  bin="$(swift build -c release --show-bin-path)/peerlens"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
  local wanted="$members members, $days days, seed 1"
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
}

# timed_checked FILE NAME CHECK COMMAND…: runs the command under /usr/bin/time with standard output in FILE.out,
# then the shell function CHECK (given FILE); prints seconds and peak RSS and adds the seconds to $total when both
# succeed, or marks the run failed.
timed_checked() {
  local out="$work/$1" name="$2" check="$3"; shift 3
  sync
  if /usr/bin/time -f "%e %M" -o "$out.time" "$@" > "$out.out" 2> "$out.err" && "$check" "$out"; then
    local seconds rss_kb
    read -r seconds rss_kb < "$out.time"
    printf '%-44s %7.2f s   peak RSS %5.0f MiB\n' "$name" "$seconds" "$(awk -v r="$rss_kb" 'BEGIN { print r / 1024 }')"
    total=$(awk -v t="$total" -v s="$seconds" 'BEGIN { print t + s }')
  else
    failed=1
    echo "FAILED: $name (exit status or output bad; stderr follows)"
    sed -e 's/^/  /' "$out.err" | tail -n 20
  fi
}

# stdout_is_json FILE: the command's standard output parses as JSON.
stdout_is_json() { python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$1.out" 2>/dev/null; }

# timed FILE NAME COMMAND…: timed_checked for a command that prints JSON.
timed() {
  local file="$1" name="$2"; shift 2
  timed_checked "$file" "$name" stdout_is_json "$@"
}

# bench_verdict TARGET_SECONDS: fails if a command failed, then prints the total against the target.
bench_verdict() {
  if [ "$failed" != 0 ]; then
    echo "benchmark FAILED: a timed command did not complete (outputs in $work)"
    exit 1
  fi
  awk -v t="$total" -v target="$1" 'BEGIN { printf "total %.2f s: %s the %g s target\n", t, (t < target ? "meets" : "MISSES"), target }'
  echo "outputs in $work (remove it when done)"
}
