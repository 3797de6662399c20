"""Reference for LargeSampleInterval.partialAUC (issue 12): the standard deviation of the raw partial AUC
(FPR <= m, the ROC interpolated linearly at m, as scikit-learn's roc_auc_score(max_fpr=) before McClish's
standardisation) over 4000 bootstrap replicates that resample positives and negatives separately (the
sampling model of the influence-function standard error). The data are integer formulas the Swift test rebuilds:
    y_i = (i * 7 + 3) % 10 == 0                                  (i = 0 … 19,999; 10 % positives)
    s_i = ((i * 7919) % 10007) / 10007 + (1.1 if y_i else 0) * (((i * 104729) % 1000) / 1000)
Writes ../core_partial_auc_se.json. Run via regenerate.sh."""
import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score, roc_curve

from core_common import write_fixture

n = 20_000
i = np.arange(n, dtype=np.int64)
y = (i * 7 + 3) % 10 == 0
s = ((i * 7919) % 10007) / 10007 + np.where(y, 1.1, 0.0) * (((i * 104729) % 1000) / 1000)


def raw_partial(labels, scores, m):
    fpr, tpr, _ = roc_curve(labels, scores)
    stop = np.searchsorted(fpr, m, "right")
    x = np.concatenate([fpr[:stop], [m]])
    t = np.concatenate([tpr[:stop], [np.interp(m, [fpr[stop - 1], fpr[stop]], [tpr[stop - 1], tpr[stop]])]])
    return np.trapezoid(t, x)


rng = np.random.default_rng(11)
pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
out = {"versions": f"numpy {np.__version__}, scikit-learn {sklearn.__version__}", "n": n, "cases": []}
for m in (0.05, 0.1, 0.2):
    raw = raw_partial(y, s, m)
    mcclish = roc_auc_score(y, s, max_fpr=m)
    draws = []
    for _ in range(4000):
        idx = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        draws.append(raw_partial(y[idx], s[idx], m))
    out["cases"].append({"max_fpr": m, "raw": raw, "mcclish": mcclish, "bootstrap_sd": np.std(draws, ddof=1)})
write_fixture("core_partial_auc_se.json", out)
