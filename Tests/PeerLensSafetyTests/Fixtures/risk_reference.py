"""Reference values from scikit-learn, scipy and hand computations from the published formulas, for the risk
tests of issue 12 (partial AUC, Spiegelhalter's z, Hosmer-Lemeshow degrees of freedom, weighted net benefit).
Writes risk_reference_py.json next to this script. risk_reference.R gives the R side (rms::val.prob, pROC).

Usage: python3 risk_reference.py   (pip install numpy scipy scikit-learn). Run from this folder.

- partial_auc: scikit-learn's roc_auc_score(y, score, max_fpr=m) (McClish-standardised) and the raw area it
  standardises, computed with scikit-learn's own steps (roc_curve, the ROC interpolated linearly at m with
  numpy.interp, sklearn.metrics.auc); on asah.csv (s100b, ndka), suicide.csv (dsi, not a probability: the
  area is rank-based) and calibration.csv (risk; unweighted and with sample_weight=weight).
- spiegelhalter: z = sum u / sqrt(V), u = w (y - p)(1 - 2p); V = sum w^2 (1 - 2p)^2 p (1 - p) (null variance;
  w = 1 unweighted, Spiegelhalter 1986) or, with clusters, V = sum over clusters of (sum of u in it)^2; two-sided
  normal p. On calibration.csv, all cases and each group; the clustered case uses clusters row // 3 (0-based).
- hosmer_lemeshow: cases sorted by risk with a stable sort, numpy.array_split into 10 groups, HL = sum (O - E)^2 /
  (E (1 - E/n_g)); p = chi2.sf(HL, 10) (external validation, df = g) and chi2.sf(HL, 8) (development, g - 2).
- net_benefit: on calibration.csv with weights w: NB(t) = TP_w/n_w - FP_w/n_w * t/(1 - t) over cases with risk >= t,
  treat_all = prev_w - (1 - prev_w) t/(1 - t), on the grid 0.005..0.05 by 0.005, 0.06..0.10 by 0.01, 0.15..0.50 by
  0.05; also unweighted.
"""
import csv
import json

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.metrics import auc, roc_auc_score, roc_curve


def read(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def raw_partial(y, s, m, w=None):
    """The raw partial area as scikit-learn's _binary_roc_auc_score computes it before standardising."""
    fpr, tpr, _ = roc_curve(y, s, sample_weight=w)
    if m == 1:
        return auc(fpr, tpr)
    stop = np.searchsorted(fpr, m, "right")
    x_interp = [fpr[stop - 1], fpr[stop]]
    y_interp = [tpr[stop - 1], tpr[stop]]
    tpr = np.append(tpr[:stop], np.interp(m, x_interp, y_interp))
    fpr = np.append(fpr[:stop], m)
    return auc(fpr, tpr)


asah = read("asah.csv")
suicide = read("suicide.csv")
cal = read("calibration.csv")
y_asah = np.array([r["outcome"] == "Poor" for r in asah], dtype=int)
y_cal = np.array([int(r["outcome"]) for r in cal])
p_cal = np.array([float(r["risk"]) for r in cal])
w_cal = np.array([float(r["weight"]) for r in cal])
g_cal = np.array([r["group"] for r in cal])
sets = [
    ("asah_s100b", y_asah, np.array([float(r["s100b"]) for r in asah]), None),
    ("asah_ndka", y_asah, np.array([float(r["ndka"]) for r in asah]), None),
    ("suicide_dsi", np.array([r["suicide"] == "yes" for r in suicide], dtype=int), np.array([float(r["dsi"]) for r in suicide]), None),
    ("calibration_risk", y_cal, p_cal, None),
    ("calibration_risk_weighted", y_cal, p_cal, w_cal),
]
partial = []
for name, y, s, w in sets:
    for m in [0.05, 0.1, 0.2, 0.5, 1.0]:
        partial.append({"data": name, "max_fpr": m, "raw": raw_partial(y, s, m, w),
                        "standardized": roc_auc_score(y, s, max_fpr=m, sample_weight=w)})


def spiegelhalter(p, y, w=None, clusters=None):
    w = np.ones_like(p) if w is None else w
    u = w * (y - p) * (1 - 2 * p)
    if clusters is None:
        v = np.sum(w ** 2 * (1 - 2 * p) ** 2 * p * (1 - p))
    else:
        v = sum(u[clusters == c].sum() ** 2 for c in np.unique(clusters))
    z = u.sum() / np.sqrt(v)
    return {"z": z, "p": 2 * stats.norm.sf(abs(z))}


spz = {"unweighted": {}, "weighted": {}}
for label, mask in [("all", np.ones(len(y_cal), dtype=bool)), ("high", g_cal == "high"), ("low", g_cal == "low")]:
    spz["unweighted"][label] = spiegelhalter(p_cal[mask], y_cal[mask])
    spz["weighted"][label] = spiegelhalter(p_cal[mask], y_cal[mask], w_cal[mask])
clusters = np.arange(len(y_cal)) // 3
spz["clustered"] = spiegelhalter(p_cal, y_cal, clusters=clusters)
spz["weighted_clustered"] = spiegelhalter(p_cal, y_cal, w_cal, clusters)

order = np.argsort(p_cal, kind="mergesort")
hl = 0.0
for g in np.array_split(order, 10):
    o, e, n = y_cal[g].sum(), p_cal[g].sum(), len(g)
    hl += (o - e) ** 2 / (e * (1 - e / n))
hosmer = {"statistic": hl, "p_external_df10": stats.chi2.sf(hl, 10), "p_development_df8": stats.chi2.sf(hl, 8)}

grid = [k / 200 for k in range(1, 11)] + [k / 100 for k in range(6, 11)] + [k / 20 for k in range(3, 11)]


def net_benefit(p, y, w):
    n = w.sum()
    prevalence = w[y == 1].sum() / n
    rows = []
    for t in grid:
        flagged = p >= t
        tp, fp = w[flagged & (y == 1)].sum(), w[flagged & (y == 0)].sum()
        odds = t / (1 - t)
        rows.append({"threshold": t, "model": tp / n - fp / n * odds, "treat_all": prevalence - (1 - prevalence) * odds})
    return rows


out = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__},
    "partial_auc": partial,
    "spiegelhalter": spz,
    "hosmer_lemeshow": hosmer,
    "net_benefit": {"weighted": net_benefit(p_cal, y_cal, w_cal), "unweighted": net_benefit(p_cal, y_cal, np.ones_like(p_cal))},
    "notes": __doc__,
}
with open("risk_reference_py.json", "w") as f:
    json.dump(out, f, indent=1, default=float)
    f.write("\n")
