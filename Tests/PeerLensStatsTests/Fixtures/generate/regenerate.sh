#!/usr/bin/env bash
# Regenerates the committed reference fixtures for PeerLensStats tests.
# Needs: Debian r-base-core r-cran-proc r-cran-survival r-cran-jsonlite; pip numpy scipy scikit-learn statsmodels lifelines.
set -euo pipefail
cd "$(dirname "$0")"
Rscript make_reference.R
python3 make_reference.py
echo "wrote ../r_reference.json and ../py_reference.json"
