"""Reference values for RetentionIntervalTests.swift: the exact interval of a retention share of 100%.

Where no one in a group has left yet, the Kaplan-Meier estimate is 1 and Greenwood's interval has no width. PeerLens
then reports the Clopper-Pearson (exact) interval for n of n, n the members still followed at that day. This script
computes it independently of PeerLens with statsmodels' proportion_confint(method="beta") and, as a check,
scipy's beta quantile B^-1(alpha/2; n, 1), for the sizes of the groups in the demo report (19 and 25 members, and
the fewer still followed at 7 days) and a few others, at 95% and 90%.
Run: python3 make_retention_exact.py > retention_exact_reference.json (statsmodels 0.15, scipy 1.17).
"""
import json

from scipy.stats import beta
from statsmodels.stats.proportion import proportion_confint

cases = []
for level in (0.95, 0.90):
    for n in (1, 2, 5, 11, 18, 19, 25, 100, 1000):
        lower, upper = proportion_confint(n, n, alpha=1 - level, method="beta")
        check = beta.ppf((1 - level) / 2, n, 1)
        assert abs(lower - check) < 1e-12, (n, level, lower, check)
        cases.append({"at_risk": n, "level": level, "lower": float(lower), "upper": float(upper)})
print(json.dumps({"cases": cases}, indent=1))
