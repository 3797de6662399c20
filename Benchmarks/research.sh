#!/usr/bin/env bash
# Research benchmark (issue 5): `peerlens outcomes --by sessions`, `engagement`, `matches`, `groups` and `skills`
# on a store of about 10,000,000 simulated events from 1,000,000 members, release build.
# Target: under 20 s together. Prints seconds and peak RSS of each command, the total and the machine.
# Usage: bash Benchmarks/research.sh [--reuse] [members] [days]   (defaults 1000000 14)
#   BENCH_DIR=dir   work directory (default: a new temporary one); the store is dir/store.sqlite
#   --reuse or REUSE_STORE=1   use the store already in BENCH_DIR if it was simulated with the same sizes
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench_args "$@"
members="${sizes[0]:-1000000}"
days="${sizes[1]:-14}"
bench_store
timed outcomes "outcomes --by sessions" "$bin" outcomes --db "$store" --by sessions --format json
timed engagement "engagement" "$bin" engagement --db "$store" --format json
timed matches "matches" "$bin" matches --db "$store" --format json
timed groups "groups" "$bin" groups --db "$store" --format json
timed skills "skills" "$bin" skills --db "$store" --format json
bench_verdict 20
