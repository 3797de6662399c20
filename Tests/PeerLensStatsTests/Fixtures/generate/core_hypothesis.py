"""Reference values for the Hypothesis folder from scipy and statsmodels (a second source next to R):
scipy.stats.wilcoxon and mannwhitneyu (normal approximation with continuity and tie corrections, and exact),
ttest_rel/ttest_ind, scipy.stats.contingency.odds_ratio (conditional MLE and exact interval, solved to machine
precision, unlike R's uniroot), statsmodels effectsize_smd (Hedges' g) and the Hedges-Olkin standard error
of Cohen's d written out as in Hedges & Olkin (1985), eq. 5.15 (documented formula check).
Writes ../core_hypothesis_py.json. Run via regenerate.sh."""
import numpy as np
import scipy
import statsmodels
from scipy import stats
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.meta_analysis import effectsize_smd

from core_common import write_fixture

out = {"versions": f"numpy {np.__version__}, scipy {scipy.__version__}, statsmodels {statsmodels.__version__}"}

x = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
y = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
ta = np.array([1, 2, 2, 3, 4, 5, 5, 5, 6, 7, 8, 9.0]); tb = np.array([2, 3, 3, 4, 6, 6, 7, 8, 9, 10, 11, 12.0])
w_exact = stats.wilcoxon(x, y, method="exact")
w_ties = stats.wilcoxon(ta, tb, method="approx", correction=True)
ex1 = np.array([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46])  # no ties
ex2 = np.array([1.15, 0.88, 0.90, 0.74, 1.21])
mw_exact = stats.mannwhitneyu(ex1, ex2, method="exact")
mw_ties = stats.mannwhitneyu(ta, tb, method="asymptotic", use_continuity=True)
out["rank"] = {"x": x, "y": y, "ex1": ex1, "ex2": ex2, "ta": ta, "tb": tb,
               "signed_exact_p": w_exact.pvalue, "signed_ties_p": w_ties.pvalue,
               "ranksum_exact_u": mw_exact.statistic, "ranksum_exact_p": mw_exact.pvalue,
               "ranksum_ties_u": mw_ties.statistic, "ranksum_ties_p": mw_ties.pvalue}

tables = {"t22": [[12, 5], [3, 10]], "t22c": [[40, 160], [12, 188]], "t22d": [[3, 1], [1, 3]]}
fisher = {}
for name, t in tables.items():
    res = odds_ratio(np.array(t), kind="conditional")
    ci = res.confidence_interval(0.95)
    fisher[name] = {"table": t, "or": res.statistic, "ci": [ci.low, ci.high],
                    "p": stats.fisher_exact(np.array(t)).pvalue}
out["fisher"] = fisher

a = np.array([5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.8, 4.7, 5.9])
b = np.array([6.1, 6.5, 5.9, 7.2, 6.8, 6.0, 7.4, 6.6])
n1, n2 = len(a), len(b)
g, _ = effectsize_smd(a.mean(), a.std(ddof=1), n1, b.mean(), b.std(ddof=1), n2)
sp = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
d = (a.mean() - b.mean()) / sp
se_d = np.sqrt((n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2)))
z = stats.norm.ppf(0.975)
J = g / d
p1 = np.array([10, 12, 9, 14, 11, 13, 8, 12.0]); p2 = np.array([8, 11, 9, 10, 9, 12, 7, 9.0])
diff = p1 - p2
n = len(diff)
dz = diff.mean() / diff.std(ddof=1)
se_dz = np.sqrt(1 / n + dz * dz / (2 * n))
Jz = 1 - 3 / (4 * (n - 1) - 1)
out["effect"] = {"a": a, "b": b, "cohens_d": d, "hedges_g_statsmodels": g, "se_d": se_d,
                 "d_ci": [d - z * se_d, d + z * se_d], "g_ci": [J * (d - z * se_d), J * (d + z * se_d)],
                 "p1": p1, "p2": p2, "dz": dz, "se_dz": se_dz, "dz_ci": [dz - z * se_dz, dz + z * se_dz],
                 "gz": Jz * dz}
write_fixture("core_hypothesis_py.json", out)
