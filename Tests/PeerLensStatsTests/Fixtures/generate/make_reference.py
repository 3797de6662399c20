"""Reference values from scipy, scikit-learn, statsmodels and lifelines for PeerLensStats tests.

Regenerate: bash regenerate.sh  (pip: numpy scipy scikit-learn statsmodels lifelines)
Writes ../py_reference.json. Inputs are embedded so the Swift tests need neither Python nor R.
"""
import json
import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit, logit
from sklearn.calibration import calibration_curve
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import average_precision_score, brier_score_loss, precision_recall_curve, roc_auc_score, roc_curve
from statsmodels.stats.proportion import proportion_confint

out = {"notes": f"numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}"}

# 1. Proportion intervals.
props = []
for x, n in [(0, 10), (1, 10), (5, 10), (10, 10), (37, 120), (1, 1000), (999, 1000)]:
    w = proportion_confint(x, n, alpha=0.05, method="wilson")
    b = proportion_confint(x, n, alpha=0.05, method="beta")
    props.append({"x": x, "n": n, "wilson": list(w), "clopper_pearson": list(b)})
out["proportions"] = props

# 2. t-based.
s = np.array([5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.8, 4.7, 5.9])
b2 = np.array([6.1, 6.5, 5.9, 7.2, 6.8, 6.0, 7.4, 6.6])
ci = stats.t.interval(0.95, len(s) - 1, loc=s.mean(), scale=stats.sem(s))
welch = stats.ttest_ind(s, b2, equal_var=False)
wci = welch.confidence_interval(0.95)
p1 = np.array([10, 12, 9, 14, 11, 13, 8, 12.0]); p2 = np.array([8, 11, 9, 10, 9, 12, 7, 9.0])
paired = stats.ttest_rel(p1, p2)
pci = paired.confidence_interval(0.95)
n1, n2 = len(s), len(b2)
sp = np.sqrt(((n1 - 1) * s.var(ddof=1) + (n2 - 1) * b2.var(ddof=1)) / (n1 + n2 - 2))
d = (s.mean() - b2.mean()) / sp
J = 1 - 3 / (4 * (n1 + n2) - 9)
se = np.sqrt((n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2)))
out["t"] = {"sample": s.tolist(), "mean": s.mean(), "ci": list(ci), "a": s.tolist(), "b": b2.tolist(),
            "welch_t": welch.statistic, "welch_p": welch.pvalue, "welch_df": welch.df, "welch_ci": [wci.low, wci.high],
            "p1": p1.tolist(), "p2": p2.tolist(), "paired_t": paired.statistic, "paired_p": paired.pvalue,
            "paired_mean": (p1 - p2).mean(), "paired_ci": [pci.low, pci.high],
            "cohens_d": d, "hedges_g": J * d, "se_d": se, "d_ci": [d - 1.959963984540054 * se, d + 1.959963984540054 * se],
            "notes": "scipy t.interval, ttest_ind(equal_var=False), ttest_rel; d with pooled SD (n-1); g = J d, J = 1 - 3/(4(n1+n2)-9); SE Hedges-Olkin; CI d +/- 1.96 SE"}

# 3. A synthetic binary outcome with probabilistic scores (ties from rounding).
rng = np.random.default_rng(20261125)
n = 400
p = rng.beta(2, 5, n)
y = rng.binomial(1, p)
score = np.round(expit(0.3 + 0.8 * logit(p) + rng.normal(0, 0.3, n)), 4)
fpr, tpr, thr = roc_curve(y, score, drop_intermediate=False)
prec, rec, pthr = precision_recall_curve(y, score)
cu_true, cu_pred = calibration_curve(y, score, n_bins=10, strategy="uniform")
cq_true, cq_pred = calibration_curve(y, score, n_bins=10, strategy="quantile")
lp = logit(np.clip(score, 1e-12, 1 - 1e-12))
citl = sm.GLM(y, np.ones((n, 1)), family=sm.families.Binomial(), offset=lp).fit()
slope = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial()).fit()
order = np.argsort(score, kind="mergesort")
hl = 0.0
for g in np.array_split(order, 10):
    o = y[g].sum(); e = score[g].sum(); ng = len(g)
    hl += (o - e) ** 2 / (e * (1 - e / ng))
z_num = np.sum((y - score) * (1 - 2 * score)); z_den = np.sqrt(np.sum((1 - 2 * score) ** 2 * score * (1 - score)))
spz = z_num / z_den
edges = np.linspace(0, 1, 11)
bins = np.searchsorted(edges[1:-1], score)  # side="left", as calibration_curve
obar = y.mean(); rel = res = 0.0; ece = 0.0; mce = 0.0
for k in range(10):
    m = bins == k
    if m.sum() == 0:
        continue
    pk = score[m].mean(); ok = y[m].mean(); nk = m.sum()
    rel += nk * (pk - ok) ** 2; res += nk * (ok - obar) ** 2
    ece += nk / n * abs(ok - pk); mce = max(mce, abs(ok - pk))
iso = IsotonicRegression(out_of_bounds="clip").fit(score, y)
grid = np.linspace(0, 1, 21)
platt = sm.Logit(y, sm.add_constant(score)).fit(disp=0)
out["binary"] = {
    "y": y.tolist(), "score": score.tolist(),
    "auc": roc_auc_score(y, score), "average_precision": average_precision_score(y, score),
    "brier": brier_score_loss(y, score),
    "roc_fpr": fpr.tolist(), "roc_tpr": tpr.tolist(), "roc_thresholds": thr[1:].tolist(),
    "pr_precision": prec.tolist(), "pr_recall": rec.tolist(), "pr_thresholds": pthr.tolist(),
    "calibration_uniform_true": cu_true.tolist(), "calibration_uniform_pred": cu_pred.tolist(),
    "calibration_quantile_true": cq_true.tolist(), "calibration_quantile_pred": cq_pred.tolist(),
    "citl": citl.params[0], "citl_se": citl.bse[0], "citl_ci": citl.conf_int()[0].tolist(),
    "slope_intercept": slope.params[0], "slope": slope.params[1], "slope_se": slope.bse[1], "slope_ci": slope.conf_int()[1].tolist(),
    "hosmer_lemeshow": hl, "hosmer_lemeshow_p": stats.chi2.sf(hl, 8),
    "spiegelhalter_z": spz, "spiegelhalter_p": 2 * stats.norm.sf(abs(spz)),
    "murphy_reliability": rel / n, "murphy_resolution": res / n, "murphy_uncertainty": obar * (1 - obar),
    "ece": ece, "mce": mce,
    "grid": grid.tolist(), "isotonic_on_grid": iso.predict(grid).tolist(),
    "platt_a": platt.params[0], "platt_b": platt.params[1], "platt_on_grid": expit(platt.params[0] + platt.params[1] * grid).tolist(),
    "notes": "rng default_rng(20261125); p~Beta(2,5); y~Bin(p); score=round(expit(0.3+0.8 logit p + N(0,0.3)),4). "
             "HL: sorted by score (stable), numpy.array_split into 10 groups, sum (O-E)^2/(E(1-E/n_g)), df 8. "
             "Murphy/ECE/MCE over 10 equal-width bins assigned as calibration_curve does. Calibration-in-the-large: GLM offset logit(p); slope: GLM on [1, logit p]. "
             "Isotonic: IsotonicRegression(out_of_bounds='clip'). Platt: Logit on [1, raw score].",
}

# 3b. Nadaraya-Watson smoother of y on logit(score): Gaussian kernel truncated at |u| < 3, Silverman bandwidth
#     1.06 * sd(logit p, ddof=1) * n^(-1/5), 50 grid points from min to max logit; score clipped to [1e-6, 1-1e-6].
lp6 = logit(np.clip(score, 1e-6, 1 - 1e-6))
h = 1.06 * lp6.std(ddof=1) * len(lp6) ** -0.2
g = np.linspace(lp6.min(), lp6.max(), 50)
nw = []
for gi in g:
    u = (lp6 - gi) / h
    k = np.where(np.abs(u) < 3, np.exp(-0.5 * u * u), 0.0)
    nw.append(float((k * y).sum() / k.sum()) if k.sum() > 1e-12 else None)
out["binary"]["smooth_grid_p"] = expit(g).tolist()
out["binary"]["smooth_observed"] = nw
out["binary"]["smooth_bandwidth"] = h
# 3c. Weighted average precision (sample weights as an inverse-probability review sample would carry).
wts = np.round(np.random.default_rng(3).uniform(0.5, 4.0, len(y)), 3)
out["binary"]["weights"] = wts.tolist()
out["binary"]["weighted_average_precision"] = average_precision_score(y, score, sample_weight=wts)
out["binary"]["weighted_auc"] = roc_auc_score(y, score, sample_weight=wts)
out["binary"]["weighted_brier"] = brier_score_loss(y, score, sample_weight=wts)
# Weighted Murphy decomposition and ECE/MCE over the same 10 equal-width bins (weighted means throughout).
wsum = wts.sum(); wbar = (wts * y).sum() / wsum
wrel = wres = wece = wmce = 0.0
wrates = []
for k in range(10):
    m = bins == k
    if wts[m].sum() == 0:
        continue
    wk = wts[m].sum(); pk = (wts[m] * score[m]).sum() / wk; ok = (wts[m] * y[m]).sum() / wk
    wrel += wk * (pk - ok) ** 2; wres += wk * (ok - wbar) ** 2
    wece += wk / wsum * abs(ok - pk); wmce = max(wmce, abs(ok - pk)); wrates.append(ok)
out["binary"]["weighted_reliability"] = wrel / wsum
out["binary"]["weighted_resolution"] = wres / wsum
out["binary"]["weighted_uncertainty"] = wbar * (1 - wbar)
out["binary"]["weighted_ece"] = wece
out["binary"]["weighted_mce"] = wmce
out["binary"]["weighted_bin_rates"] = wrates

# 4. Logistic regression.
rng = np.random.default_rng(7)
n = 300
x1 = rng.normal(size=n); x2 = rng.binomial(1, 0.4, n).astype(float)
yy = rng.binomial(1, expit(-0.5 + 0.8 * x1 - 0.6 * x2))
lr = sm.Logit(yy, sm.add_constant(np.column_stack([x1, x2]))).fit(disp=0)
out["logistic"] = {"x1": x1.tolist(), "x2": x2.tolist(), "y": yy.tolist(), "params": lr.params.tolist(), "bse": lr.bse.tolist(),
                   "conf_int": lr.conf_int().tolist(), "deviance": -2 * lr.llf}

# 5. Rank tests cross-check (scipy).
a = [1, 2, 2, 3, 4, 5, 5, 5, 6, 7, 8, 9]; b = [2, 3, 3, 4, 6, 6, 7, 8, 9, 10, 11, 12]
mw = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)
out["mannwhitney"] = {"a": a, "b": b, "u": mw.statistic, "p": mw.pvalue}

# 6. Gini.
v = np.array([0, 0, 1, 2, 2, 3, 5, 8, 13, 40.0])
g = np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * v.mean())
out["gini"] = {"values": v.tolist(), "gini": g, "corrected": g * len(v) / (len(v) - 1),
               "notes": "G = sum_i sum_j |v_i - v_j| / (2 n^2 mean); corrected = n/(n-1) G"}

# 7. Kaplan-Meier and log-rank cross-check with lifelines.
try:
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test
    # The same aml data the R script exported (run make_reference.R first).
    aml = json.load(open("../r_reference.json"))["km"]
    time, status, group = aml["time_in"], aml["status_in"], aml["group_in"]
    km = KaplanMeierFitter().fit(time, status)
    sf = km.survival_function_
    lr2 = logrank_test([t for t, g in zip(time, group) if g == 0], [t for t, g in zip(time, group) if g == 1],
                       [e for e, g in zip(status, group) if g == 0], [e for e, g in zip(status, group) if g == 1])
    out["lifelines"] = {"time": sf.index.tolist()[1:], "surv": sf.iloc[1:, 0].tolist(), "logrank_chisq": lr2.test_statistic, "logrank_p": lr2.p_value}
except ImportError:
    pass

with open("../py_reference.json", "w") as f:
    json.dump(out, f, indent=1)
