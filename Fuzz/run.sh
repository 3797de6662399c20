#!/usr/bin/env bash
# Builds and runs PeerLens's libFuzzer targets, outside the SwiftPM build (see Fuzz/README.md).
#
#   bash Fuzz/run.sh TARGET SECONDS     run one target for SECONDS (jsonl, jsonl-record, csv, timestamp, validators)
#   bash Fuzz/run.sh --smoke [SECONDS]  run every target for SECONDS each (default 60), one after the other
#   bash Fuzz/run.sh --build TARGET     only build Fuzz/.build/fuzz-TARGET
#
# Extra libFuzzer flags go in FUZZ_FLAGS (for example FUZZ_FLAGS="-runs=10000000 -jobs=2 -workers=2").
# New inputs go to Fuzz/.build/corpus-TARGET (not committed); crashes, leaks and sanitizer reports are written to
# Fuzz/findings/TARGET-* and the run exits non-zero.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/Fuzz/.build
targets=(jsonl jsonl-record csv timestamp validators)

die() { echo "run.sh: $*" >&2; exit 2; }

build_target() {
    local target=$1
    [[ -f $root/Fuzz/targets/$target.swift ]] || die "unknown target '$target' (known: ${targets[*]})"
    mkdir -p "$build/modules/CSimdJSON"
    cat > "$build/modules/CSimdJSON/module.modulemap" <<MAP
module CSimdJSON {
    header "$root/Sources/CSimdJSON/include/csimdjson.h"
    export *
}
MAP
    local shim=$build/csimdjson.o
    if [[ ! -f $shim || $root/Sources/CSimdJSON/csimdjson.cpp -nt $shim ]]; then
        clang++ -std=c++17 -O2 -g -fsanitize=fuzzer-no-link,address -I "$root/Sources/CSimdJSON/include" \
            -c "$root/Sources/CSimdJSON/csimdjson.cpp" -o "$shim"
    fi
    local sources=("$root"/Sources/PeerLensLog/*.swift "$root"/Sources/PeerLensLog/Adapters/*.swift
                   "$root/Fuzz/targets/Support.swift" "$root/Fuzz/targets/$target.swift")
    local binary=$build/fuzz-$target
    local newest
    newest=$(ls -t "${sources[@]}" "$shim" | head -1)
    if [[ ! -x $binary || $newest -nt $binary ]]; then
        echo "building $binary" >&2
        # ld.gold warns that it cannot export ASan's local helper symbols: harmless, filtered.
        swiftc -sanitize=fuzzer,address -O -g -parse-as-library -module-name PeerLensFuzz \
            -I "$build/modules/CSimdJSON" -I "$root/Sources/CZlib" \
            "${sources[@]}" "$shim" -lsimdjson -lz -lstdc++ -o "$binary" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
        [[ -x $binary ]] || die "build of $target failed"
    fi
}

run_target() {
    local target=$1 seconds=$2
    build_target "$target"
    mkdir -p "$build/corpus-$target" "$root/Fuzz/findings"
    local max_len=65536
    [[ $target == timestamp ]] && max_len=64
    [[ $target == validators ]] && max_len=256
    # shellcheck disable=SC2086
    # jsonl-record starts from the jsonl seeds.
    "$build/fuzz-$target" "$build/corpus-$target" "$root/Fuzz/corpus/${target%-record}" \
        -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$root/Fuzz/findings/$target-" ${FUZZ_FLAGS:-} &
    local pid=$! status=0
    wait "$pid" || status=$?
    # The targets write each input to a file named by their process id (targets/Support.swift).
    rm -f /dev/shm/peerlens-fuzz-"$pid"* /tmp/peerlens-fuzz-"$pid"*
    return "$status"
}

case "${1:-}" in
    --build) [[ $# -eq 2 ]] || die "usage: run.sh --build TARGET"; build_target "$2" ;;
    --smoke) for t in "${targets[@]}"; do run_target "$t" "${2:-60}"; done ;;
    ""|-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) [[ $# -eq 2 ]] || die "usage: run.sh TARGET SECONDS"; run_target "$1" "$2" ;;
esac
