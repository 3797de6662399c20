"""Reference values for the bootstrap interval formulas: scipy.stats.bootstrap's BCa and percentile
intervals computed from a FIXED set of replicate values (scipy's own _bca_interval on the replicates
and the original sample, then numpy's linear percentile), so that PeerLens's formulas can be checked
without sharing a random number generator. Writes ../core_bootstrap.json. Run via regenerate.sh."""
import numpy as np
import scipy
from scipy.stats._resampling import _bca_interval

from core_common import write_fixture

rng = np.random.default_rng(7)
cases = []
for name, sample, stat in [
    ("mean, lognormal n=30", rng.lognormal(0, 1, 30), np.mean),
    ("median-free skewed: variance n=25", rng.exponential(2.0, 25), lambda a, axis=-1: np.var(a, axis=axis, ddof=1)),
]:
    B = 499
    reps = np.array([stat(rng.choice(sample, len(sample), replace=True)) for _ in range(B)])
    statistic = (lambda a, axis=-1, f=stat: f(a, axis=axis))
    intervals = []
    for level in (0.95, 0.90):
        alpha = (1 - level) / 2
        a1, a2, a_hat = _bca_interval((sample,), statistic, axis=-1, alpha=alpha, theta_hat_b=reps, batch=None, xp=np)
        bca = [np.percentile(reps, 100 * float(a1)), np.percentile(reps, 100 * float(a2))]
        pct = [np.percentile(reps, 100 * alpha), np.percentile(reps, 100 * (1 - alpha))]
        intervals.append({"level": level, "bca": bca, "percentile": pct})
    cases.append({"name": name, "statistic": "mean" if stat is np.mean else "variance", "sample": sample,
                  "replicates": reps, "estimate": stat(sample), "acceleration": float(a_hat), "intervals": intervals})

write_fixture("core_bootstrap.json", {"versions": f"numpy {np.__version__}, scipy {scipy.__version__}", "cases": cases})
