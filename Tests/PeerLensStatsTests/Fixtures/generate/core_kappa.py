"""Reference values for PeerLensStats' Kappa (Tests/PeerLensStatsTests/KappaTests.swift).

Cohen's kappa (plain, linear- and quadratic-weighted) with its asymptotic standard error from statsmodels'
`cohens_kappa` (`kappa`, `std_kappa`: Fleiss, Cohen & Everitt 1969), and Fleiss' kappa from statsmodels'
`fleiss_kappa(method="fleiss")`, on fixed tables and on seeded random tables. Writes ../core_kappa.json:

    python3 Tests/PeerLensStatsTests/Fixtures/generate/core_kappa.py

statsmodels 0.15.0, numpy 2.x.
"""
import json
import os

import numpy as np
import statsmodels
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa

rng = np.random.default_rng(20261204)


def cohen_case(name, table, weighting):
    wt = {"none": None, "linear": "linear", "quadratic": "quadratic"}[weighting]
    r = cohens_kappa(np.asarray(table), wt=wt)
    return {"name": name, "table": [[int(c) for c in row] for row in table], "weighting": weighting,
            "kappa": float(r.kappa), "se": float(r.std_kappa)}


cohen = [
    # Fleiss, Levin & Paik (2003) table 18.1-style 2x2 and a 3x3 of Cohen (1960).
    cohen_case("2x2 moderate", [[22, 9], [4, 65]], "none"),
    cohen_case("2x2 weak", [[10, 15], [12, 63]], "none"),
    cohen_case("3x3 Cohen 1960", [[88, 14, 18], [10, 40, 10], [2, 6, 12]], "none"),
    cohen_case("5x5 severity quadratic", [[40, 6, 1, 0, 0], [5, 20, 4, 1, 0], [1, 3, 15, 3, 1], [0, 1, 4, 10, 2], [0, 0, 0, 2, 4]], "quadratic"),
    cohen_case("5x5 severity linear", [[40, 6, 1, 0, 0], [5, 20, 4, 1, 0], [1, 3, 15, 3, 1], [0, 1, 4, 10, 2], [0, 0, 0, 2, 4]], "linear"),
    cohen_case("5x5 empty categories quadratic", [[30, 4, 0, 0, 0], [6, 9, 0, 0, 0], [0, 0, 0, 0, 0], [0, 2, 0, 5, 0], [0, 0, 0, 1, 0]], "quadratic"),
]
for i in range(4):
    k = int(rng.integers(2, 6))
    table = rng.integers(0, 30, size=(k, k)) + np.diag(rng.integers(10, 60, size=k))
    for weighting in ("none", "quadratic"):
        cohen.append(cohen_case(f"random {i} {k}x{k}", table.tolist(), weighting))

fleiss = []
for name, counts in [
    ("two ratings, two categories", [[2, 0], [0, 2], [1, 1], [2, 0], [0, 2], [2, 0], [1, 1], [0, 2], [2, 0], [2, 0]]),
    # Fleiss (1971) table 1 is 10 raters x 5 categories; a smaller three-rater case:
    ("three ratings, three categories", [[3, 0, 0], [0, 3, 0], [1, 2, 0], [0, 1, 2], [0, 0, 3], [2, 0, 1], [1, 1, 1], [3, 0, 0]]),
]:
    fleiss.append({"name": name, "counts": counts, "kappa": float(fleiss_kappa(np.asarray(counts), method="fleiss"))})
for i in range(3):
    n = int(rng.integers(20, 80))
    first = rng.random(n) < 0.3
    second = np.where(rng.random(n) < 0.8, first, ~first)
    counts = [[int(a) + int(b), 2 - int(a) - int(b)] for a, b in zip(first, second)]
    fleiss.append({"name": f"random pairs {i}", "counts": counts, "kappa": float(fleiss_kappa(np.asarray(counts), method="fleiss"))})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core_kappa.json")
with open(out, "w") as f:
    json.dump({"generator": "core_kappa.py", "versions": {"statsmodels": statsmodels.__version__, "numpy": np.__version__},
               "cohen": cohen, "fleiss": fleiss}, f, indent=1)
    f.write("\n")
