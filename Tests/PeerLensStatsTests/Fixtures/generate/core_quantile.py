"""Reference values for QuantileInterval.orderStatistic: scipy.stats.quantile_test(...).confidence_interval()."""
import numpy as np
import scipy
from scipy import stats

from core_common import write_fixture

rng = np.random.default_rng(20261201)
cases = []
samples = {
    "small_continuous": np.sort(rng.normal(10, 3, 12)),
    "medium_skewed": np.sort(rng.exponential(5, 87)),
    "ties_integer": np.sort(rng.integers(0, 20, 250).astype(float)),
    "large": np.sort(rng.gamma(2.0, 3.0, 4001)),
}
for name, x in samples.items():
    for p in (0.5, 0.1, 0.9):
        for level in (0.95, 0.9):
            ci = stats.quantile_test(x, q=float(np.median(x)), p=p).confidence_interval(level)
            cases.append({"name": name, "p": p, "level": level, "low": float(ci.low), "high": float(ci.high)})
write_fixture("core_quantile.json", {"samples": {k: v.tolist() for k, v in samples.items()}, "cases": cases,
                                     "versions": {"numpy": np.__version__, "scipy": scipy.__version__}})
