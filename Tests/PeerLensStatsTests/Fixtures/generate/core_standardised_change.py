"""Pre-post standardised mean change over the baseline SD (Becker 1988; metafor's escalc(measure = "SMCR")).

Writes ../core_standardised_change.json for StandardisedChangeReferenceTests.swift. Computed with numpy and scipy
from the published formulas, not from PeerLens's code:
  d = (mean(post) - mean(pre)) / sd(pre, ddof = 1)
  r = scipy.stats.pearsonr(pre, post)
  Var(d) = 2 (1 - r) / n + d^2 / (2 n)                      (Becker 1988; metafor's SMCR sampling variance)
  interval d -/+ z Var(d)^0.5, z = scipy.stats.norm.ppf(1 - (1 - level) / 2)
  g = J d, J = 1 - 3 / (4 (n - 1) - 1), its interval g -/+ z (2 (1 - r) / n + g^2 / (2 n))^0.5 (as metafor: yi = g,
  vi from yi).
The variance is the one metafor's R/escalc.r computes for measure "SMCR" (`yi <- cmi * (m1i - m2i) / sd1i;
vi <- 2*(1-ri)/ni + yi^2 / (2*ni)`), read from the package source. metafor's cmi may be the exact gamma-function
correction rather than the approximate J above, which is what g uses here.
Cases: the twelve PHQ-9 pairs of HandBuiltResearchTests, and 40 seeded normal pairs with correlation about 0.5.
"""
import numpy as np
import scipy
from scipy import stats

from core_common import write_fixture


def smcr(pre, post, level):
    pre, post = np.asarray(pre, float), np.asarray(post, float)
    n = len(pre)
    d = (post.mean() - pre.mean()) / pre.std(ddof=1)
    r = stats.pearsonr(pre, post).statistic
    z = stats.norm.ppf(1 - (1 - level) / 2)
    j = 1 - 3 / (4 * (n - 1) - 1)
    g = j * d
    se = lambda e: np.sqrt(2 * (1 - r) / n + e * e / (2 * n))
    return {"pre": pre, "post": post, "level": level, "d": d, "g": g, "r": r, "se_d": se(d),
            "lower_d": d - z * se(d), "upper_d": d + z * se(d), "lower_g": g - z * se(g), "upper_g": g + z * se(g),
            "baseline_sd": pre.std(ddof=1)}


pairs = [(20, 12), (18, 11), (15, 14), (12, 5), (10, 9), (22, 22), (9, 3), (14, 15), (16, 8), (11, 10), (25, 17), (13, 6)]
rng = np.random.default_rng(1988)
pre = rng.normal(15, 5, 40)
post = 0.5 * (pre - 15) + rng.normal(12, 4.3, 40)
write_fixture("core_standardised_change.json", {
    "cases": [smcr([a for a, _ in pairs], [b for _, b in pairs], 0.95), smcr(pre, post, 0.95), smcr(pre, post, 0.9)],
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
})
