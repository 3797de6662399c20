#!/usr/bin/env bash
# Community benchmark (issue 6): `peerlens health --over week` plus `peerlens impact` on a store of about
# 10,000,000 simulated events (200,000 members over 60 days, as Benchmarks/ingest.sh), release build.
# Target: under 10 s together. Prints seconds and peak RSS of each command, the total and the machine.
# Usage: bash Benchmarks/community.sh [--reuse] [members] [days]   (defaults 200000 60)
#   BENCH_DIR=dir   work directory (default: a new temporary one); the store is dir/store.sqlite
#   --reuse or REUSE_STORE=1   use the store already in BENCH_DIR if it was simulated with the same sizes
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
bench_args "$@"
members="${sizes[0]:-200000}"
days="${sizes[1]:-60}"
bench_store
timed health "health --over week" "$bin" health --db "$store" --over week --format json
timed impact "impact" "$bin" impact --db "$store" --format json
bench_verdict 10
