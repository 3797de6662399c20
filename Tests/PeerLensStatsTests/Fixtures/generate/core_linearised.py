"""Reference values for the design-based (linearised) estimators: Discrimination.linearisedAUC, LinearisedBrier
and the sandwich covariance of LogisticRegression (CovarianceEstimator.designBased) / Calibration.logistic.

Point estimates come from scikit-learn (roc_auc_score, brier_score_loss with sample_weight) and statsmodels
(GLM Binomial with var_weights). Linearised values z_k = w_k * d(theta)/d(w_k) are computed independently of the
Swift code: for the AUC exactly from the O(n^2) pairwise form, for the Brier scores by central differences of
scikit-learn's weighted estimate; V = m/(m-1) * sum_c (z_c - mean)^2 over clusters (survey's with-replacement
PSU variance). The sandwich comes from statsmodels' cluster-robust covariance without its small-sample
correction, times m/(m-1). The script also prints a delete-one-cluster jackknife SE as a sanity check.
Writes ../core_linearised.json. Run via regenerate.sh (pip install numpy scikit-learn statsmodels)."""
import warnings

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.metrics import brier_score_loss, roc_auc_score

from core_common import write_fixture

warnings.filterwarnings("ignore")
rng = np.random.default_rng(41)


def psu_variance(z, clusters):
    groups = {}
    for zk, c in zip(z, clusters):
        groups[c] = groups.get(c, 0.0) + zk
    sums = np.array(list(groups.values()))
    m = len(sums)
    return m / (m - 1) * np.sum((sums - sums.mean()) ** 2)


def auc_linearised(s, y, w):
    pos, neg = y, ~y
    wp, wn = w[pos].sum(), w[neg].sum()
    h = (s[:, None] > s[None, :]) + 0.5 * (s[:, None] == s[None, :])  # h[i, j]: i outranks j
    theta = (w[pos][:, None] * w[neg][None, :] * h[np.ix_(pos, neg)]).sum() / (wp * wn)
    z = np.empty(len(s))
    z[pos] = w[pos] * ((h[np.ix_(pos, neg)] @ w[neg]) / wn - theta) / wp
    z[neg] = w[neg] * ((w[pos] @ h[np.ix_(pos, neg)]) / wp - theta) / wn
    return theta, z


def numeric_z(f, w, step=1e-6):
    z = np.empty(len(w))
    for k in range(len(w)):
        up, down = w.copy(), w.copy()
        up[k] += step * w[k]
        down[k] -= step * w[k]
        z[k] = (f(up) - f(down)) / (2 * step)  # = w_k * df/dw_k
    return z


def jackknife_se(f, clusters):
    ids = np.unique(clusters)
    values = np.array([f(clusters != c) for c in ids])
    m = len(ids)
    return np.sqrt((m - 1) / m * np.sum((values - values.mean()) ** 2))


def logit(p):
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(q / (1 - q))


cases = []
for name, n, weighted, clustered in [("unweighted, unclustered, n=80", 80, False, False),
                                     ("weighted, unclustered, n=120", 120, True, False),
                                     ("weighted review sample, clustered by member, n=300", 300, True, True),
                                     ("unweighted, clustered, n=200", 200, False, True)]:
    y = rng.random(n) < 0.3
    # Miscalibrated probabilities on a 0.01 grid (ties), informative about y.
    s = np.clip(np.round(1 / (1 + np.exp(-(-1.2 + 1.6 * y + rng.normal(0, 1, n)))), 2), 0.01, 0.99)
    w = np.where(s > 0.5, np.round(rng.uniform(1, 2, n), 3), np.round(rng.uniform(4, 30, n), 3)) if weighted else np.ones(n)
    clusters = rng.integers(0, n // 3, n) if clustered else np.arange(n)

    auc = roc_auc_score(y, s, sample_weight=w)
    theta, z_auc = auc_linearised(s, y, w)
    assert abs(theta - auc) < 1e-12
    assert np.allclose(z_auc, numeric_z(lambda v: roc_auc_score(y, s, sample_weight=v), w), atol=1e-8)
    brier = brier_score_loss(y, s, sample_weight=w)
    z_brier = numeric_z(lambda v: brier_score_loss(y, s, sample_weight=v), w)

    def scaled(v):
        o = np.average(y, weights=v)
        return 1 - brier_score_loss(y, s, sample_weight=v) / (o * (1 - o))

    z_scaled = numeric_z(scaled, w)

    lp = logit(s)
    fits = {}
    for key, X, offset in [("intercept", np.ones((n, 1)), lp), ("slope", sm.add_constant(lp), None)]:
        model = sm.GLM(y.astype(float), X, family=sm.families.Binomial(), offset=offset, var_weights=w)
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": clusters, "use_correction": False}, tol=1e-12)
        m = len(np.unique(clusters))
        cov = np.asarray(fit.cov_params()) * m / (m - 1)
        fits[key] = {"coefficients": fit.params, "covariance": cov}

    def masked_auc(mask):
        return roc_auc_score(y[mask], s[mask], sample_weight=w[mask])

    print(f"{name}: AUC {auc:.4f} SE linearised {np.sqrt(psu_variance(z_auc, clusters)):.5f} "
          f"jackknife {jackknife_se(masked_auc, clusters):.5f}")
    cases.append({
        "name": name, "scores": s, "labels": y, "weights": w if weighted else None,
        "clusters": clusters if clustered else None,
        "auc": auc, "auc_se": np.sqrt(psu_variance(z_auc, clusters)),
        "brier": brier, "brier_se": np.sqrt(psu_variance(z_brier, clusters)),
        "scaled_brier": scaled(w), "scaled_brier_se": np.sqrt(psu_variance(z_scaled, clusters)),
        "calibration_intercept": fits["intercept"]["coefficients"][0],
        "calibration_intercept_se": np.sqrt(fits["intercept"]["covariance"][0, 0]),
        "calibration_slope": fits["slope"]["coefficients"][1],
        "calibration_slope_se": np.sqrt(fits["slope"]["covariance"][1, 1]),
        "slope_fit_covariance": fits["slope"]["covariance"],
    })
write_fixture("core_linearised.json", {
    "versions": f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}",
    "cases": cases})
