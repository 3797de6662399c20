"""References for LargeSampleInterval (issue 12): the logit interval of average precision (Boyd, Eng and Page
2013) from scikit-learn's average_precision_score and scipy's normal quantile, and a CASE-level percentile
bootstrap of the expected calibration error (numpy, 4000 replicates) that PeerLens's bin-level bootstrap must
agree with. The data are defined by integer arithmetic so the Swift test rebuilds them exactly:
    p_i = ((i * 7919) % 10007 + 0.5) / 10007 * 0.6          (i = 0 … n − 1)
    y_i = ((i * 104729 + 13) % 1000) < floor(1000 * (p_i * 0.8 + 0.02))
Writes ../core_large_sample.json. Run via regenerate.sh."""
import numpy as np
import scipy
import sklearn
from scipy.special import expit, logit
from scipy.stats import norm
from sklearn.metrics import average_precision_score

from core_common import write_fixture

n = 200_000
i = np.arange(n, dtype=np.int64)
p = ((i * 7919) % 10007 + 0.5) / 10007 * 0.6
y = ((i * 104729 + 13) % 1000) < np.floor(1000 * (p * 0.8 + 0.02))

ap = average_precision_score(y, p)
positives = int(y.sum())
z = norm.ppf(0.975)
tau = 1 / np.sqrt(positives * ap * (1 - ap))
ap_interval = [expit(logit(ap) - z * tau), expit(logit(ap) + z * tau)]

# ECE with 10 equal-width bins, sklearn calibration_curve's assignment: bin = number of interior edges < p.
edges = np.linspace(0, 1, 11)
bins = np.searchsorted(edges[1:-1], p, side="left")


def ece(idx_counts):
    count = np.bincount(bins, weights=idx_counts, minlength=10)
    resid = np.bincount(bins, weights=idx_counts * (y - p), minlength=10)
    nz = count > 0
    return np.sum(np.abs(resid[nz]) / count.sum())


point = ece(np.ones(n))
rng = np.random.default_rng(2026)
draws = np.array([ece(rng.multinomial(n, np.full(n, 1.0 / n)).astype(float)) for _ in range(4000)])
case_interval = [np.percentile(draws, 2.5), np.percentile(draws, 97.5)]

write_fixture("core_large_sample.json", {
    "versions": f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}",
    "n": n, "positives": positives, "average_precision": ap, "ap_logit_interval": ap_interval,
    "ece": point, "ece_case_bootstrap_interval": case_interval, "ece_case_bootstrap_replicates": 4000,
})
