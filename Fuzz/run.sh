#!/usr/bin/env bash
# Builds and runs PeerLens's libFuzzer targets, outside the SwiftPM build (see Fuzz/README.md).
#
#   bash Fuzz/run.sh TARGET SECONDS     run one target for SECONDS (jsonl, jsonl-record, csv, timestamp, validators,
#                                       predictions, notebook, disclosure)
#   bash Fuzz/run.sh --smoke [SECONDS]  run every target for SECONDS each (default 60), one after the other; exits
#                                       non-zero when any of them had a finding (after running them all)
#   bash Fuzz/run.sh --build TARGET     only build Fuzz/.build/fuzz-TARGET
#
# Extra libFuzzer flags go in FUZZ_FLAGS (for example FUZZ_FLAGS="-runs=10000000 -jobs=2 -workers=2").
# New inputs go to Fuzz/.build/corpus-TARGET (not committed); crashes, leaks and sanitizer reports are written to
# Fuzz/findings/TARGET-* and the run exits non-zero. With -jobs, the workers' logs are Fuzz/.build/fuzz-N.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/Fuzz/.build
targets=(jsonl jsonl-record csv timestamp validators predictions notebook disclosure)

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
    # Each target is one module of the sources it needs (no GRDB, no GSL): the readers' targets PeerLensLog's,
    # `predictions` those and the CSV reader of PeerLensSafety, `notebook` and `disclosure` PeerLensDocument's and
    # the disclosure-control solver of PeerLensStats (and `notebook` the parser of PeerLensReport).
    local log=("$root"/Sources/PeerLensLog/*.swift "$root"/Sources/PeerLensLog/Adapters/*.swift "$root/Fuzz/targets/Support.swift")
    local document=("$root"/Sources/PeerLensDocument/*.swift "$root/Sources/PeerLensStats/Support/DisclosureControl.swift"
              "$root/Sources/PeerLensStats/ConfidenceInterval.swift")
    local sources
    case $target in
        predictions) sources=("${log[@]}" "$root/Sources/PeerLensSafety/Predictions.swift" "$root/Sources/PeerLensSafety/AnalysisError.swift") ;;
        notebook) sources=("${document[@]}" "$root/Sources/PeerLensReport/NotebookParser.swift") ;;
        disclosure) sources=("${document[@]}") ;;
        *) sources=("${log[@]}") ;;
    esac
    sources+=("$root/Fuzz/targets/$target.swift")
    local binary=$build/fuzz-$target
    local newest
    newest=$(ls -t "${sources[@]}" "$shim" | head -1)
    if [[ ! -x $binary || $newest -nt $binary ]]; then
        echo "building $binary" >&2
        # ld.gold warns that it cannot export ASan's local helper symbols: harmless, filtered.
        # One module, so the copies compiled lose their imports of PeerLens modules (the sources stay as they are).
        local copies=$build/sources-$target
        rm -rf "$copies" && mkdir -p "$copies"
        local compiled=() source copy
        for source in "${sources[@]}"; do
            copy=$copies/$(basename "$(dirname "$source")")-$(basename "$source")
            sed -E 's/^import PeerLens[A-Za-z]*$/\/\/ &  (one module here)/' "$source" > "$copy"
            compiled+=("$copy")
        done
        rm -f "$binary"
        swiftc -sanitize=fuzzer,address -O -g -suppress-warnings -parse-as-library -module-name PeerLensFuzz -package-name PeerLens \
            -I "$build/modules/CSimdJSON" -I "$root/Sources/CZlib" \
            "${compiled[@]}" "$shim" -lsimdjson -lz -lstdc++ -o "$binary" 2>&1 | grep -v "Cannot export local symbol" >&2 || true
        [[ -x $binary ]] || die "build of $target failed"
    fi
}

run_target() {
    local target=$1 seconds=$2
    build_target "$target"
    mkdir -p "$build/corpus-$target" "$root/Fuzz/findings"
    local max_len=65536
    [[ $target == timestamp ]] && max_len=64
    [[ $target == validators || $target == disclosure ]] && max_len=256
    # shellcheck disable=SC2086
    # jsonl-record starts from the jsonl seeds.
    # The Swift runtime's own crash backtracer would run under ASan after libFuzzer's report: off.
    # From the build directory: with -jobs, libFuzzer writes each worker's log (fuzz-N.log) to the working directory.
    (cd "$build" && SWIFT_BACKTRACE=enable=no "$build/fuzz-$target" "$build/corpus-$target" "$root/Fuzz/corpus/${target%-record}" \
        -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$root/Fuzz/findings/$target-" ${FUZZ_FLAGS:-}) &
    local pid=$! status=0
    wait "$pid" || status=$?
    # The targets write each input to a file named by their process id (targets/Support.swift); with -jobs the
    # workers are other processes: remove every such file whose process has gone.
    local file owner
    for file in /dev/shm/peerlens-fuzz-* /tmp/peerlens-fuzz-*; do
        [[ -e $file ]] || continue
        owner=${file##*/peerlens-fuzz-}; owner=${owner%%[-.]*}
        [[ $owner =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null && rm -f "$file"
    done
    return "$status"
}

case "${1:-}" in
    --build) [[ $# -eq 2 ]] || die "usage: run.sh --build TARGET"; build_target "$2" ;;
    --smoke)
        # Every target, even after a finding; the status says whether any had one (CI fails on it).
        failed=()
        for t in "${targets[@]}"; do run_target "$t" "${2:-60}" || failed+=("$t"); done
        if (( ${#failed[@]} )); then echo "run.sh: findings (see Fuzz/findings/) in: ${failed[*]}" >&2; exit 1; fi
        echo "run.sh: no findings in ${targets[*]}" >&2 ;;
    ""|-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) [[ $# -eq 2 ]] || die "usage: run.sh TARGET SECONDS"; run_target "$1" "$2" ;;
esac
