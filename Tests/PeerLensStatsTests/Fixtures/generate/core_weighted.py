"""Reference values for WeightedProportion: samplics' TaylorEstimator(PopParam.prop) (Taylor linearisation,
with-replacement at the PSU level, no strata, no finite-population correction) on fixed weighted samples,
with and without clusters. Writes ../core_weighted.json. Run via regenerate.sh (pip install samplics)."""
import warnings

import numpy as np
import samplics
from samplics.estimation import TaylorEstimator
from samplics.utils.types import PopParam

from core_common import write_fixture

warnings.filterwarnings("ignore")
rng = np.random.default_rng(23)
cases = []
for name, n, clustered in [("weighted, no clusters, n=60", 60, False), ("weighted, clustered, n=150", 150, True),
                           ("review sample enriched for high scores, n=400", 400, True)]:
    y = rng.random(n) < 0.3
    w = np.round(rng.uniform(1, 20, n), 3)
    if name.startswith("review"):
        w = np.where(y, np.round(rng.uniform(1, 3, n), 3), np.round(rng.uniform(5, 40, n), 3))
    clusters = rng.integers(0, n // 4, n) if clustered else np.arange(n)
    est = TaylorEstimator(PopParam.prop)
    est.estimate(y=y.astype(int), samp_weight=w, psu=clusters if clustered else None, remove_nan=True)
    p = est.point_est[1]
    se = est.stderror[1]
    cases.append({"name": name, "outcomes": y, "weights": w, "clusters": clusters if clustered else None,
                  "estimate": p, "standard_error": se})
write_fixture("core_weighted.json", {"versions": f"numpy {np.__version__}, samplics {samplics.__version__}", "cases": cases})
