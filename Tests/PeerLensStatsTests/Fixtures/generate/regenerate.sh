#!/usr/bin/env bash
# Regenerates every committed PeerLensStats reference fixture (../core_*.json, ../risk_*.json) by running
# every generator script in this folder: core_*.py, core_*.R, risk_*.py, risk_*.R (helpers named
# *_common.* are imported by the others, not run). See README.md for what needs installing.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob
status=0
for script in core_*.py core_*.R risk_*.py risk_*.R; do
    case "$script" in *_common.*) continue ;; esac
    echo "== $script"
    case "$script" in
        *.py) python3 "$script" || status=1 ;;
        *.R) Rscript --vanilla "$script" || status=1 ;;
    esac
done
# The discrimination, calibration, threshold and weighted-estimate references (../r_reference.json,
# ../py_reference.json). make_reference.py reads the aml data that make_reference.R exports, so R runs first.
for script in make_reference.R make_reference.py; do
    [ -f "$script" ] || continue
    echo "== $script"
    case "$script" in
        *.py) python3 "$script" || status=1 ;;
        *.R) Rscript --vanilla "$script" || status=1 ;;
    esac
done
exit $status
