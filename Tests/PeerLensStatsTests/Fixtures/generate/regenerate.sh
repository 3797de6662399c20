#!/usr/bin/env bash
# Regenerates the committed PeerLensStats reference fixtures.
#   bash regenerate.sh            every generator: core_*.py, core_*.R, risk_*.py, risk_*.R (helpers named *_common.* are
#                                 imported by the others, not run), then make_reference.R and make_reference.py
#   bash regenerate.sh reference  only make_reference.R (-> ../r_reference.json) then make_reference.py (-> ../py_reference.json)
# See README.md for what needs installing.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob
status=0
run() {
    echo "== $1"
    case "$1" in
        *.py) python3 "$1" || status=1 ;;
        *.R) Rscript --vanilla "$1" || status=1 ;;
    esac
}
if [ "${1:-all}" != "reference" ]; then
    for script in core_*.py core_*.R risk_*.py risk_*.R; do
        case "$script" in *_common.*) continue ;; esac
        run "$script"
    done
fi
# The discrimination, calibration, survival/rank/contingency cross-check references: R first, then Python.
run make_reference.R
run make_reference.py
exit $status
