"""Expected figures of the risk-item channel on risk-item.jsonl (RiskItemTests.handBuiltLog).

The counts are worked out by hand in the test's comments; this script gives the two things that are not plain
counting, from independent implementations: Wilson 95 % intervals (statsmodels proportion_confint,
method="wilson") and the Kaplan-Meier curve with Greenwood log intervals (written out from the formula,
as R survfit(conf.type = "log") computes it).

    python3 -m pip install statsmodels && python3 risk_item_expected.py
"""
import math

from statsmodels.stats.proportion import proportion_confint

Z = 1.959963984540054

# Members followed for 7 days: m1-m4 (m5 endorsed in the last 7 days of the data).
for label, k, n in [("24 h alerted", 1, 4), ("24 h contacted", 2, 4), ("24 h posted", 3, 4), ("24 h sensitivity", 1, 3),
                    ("7 d alerted", 2, 4), ("7 d contacted", 3, 4), ("7 d posted", 3, 4), ("7 d sensitivity", 2, 3)]:
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    print(f"{label}: {k}/{n} = {k / n:.6f} [{lo:.6f}, {hi:.6f}]")

# Hours from each index check-in to the first human contact (event) or to the data end (censored).
times = [(1.0, True), (2 + 10 / 60, True), (48.0, False), (49.0, True), (192.0, False)]
s, var, at_risk = 1.0, 0.0, len(times)
curve = []
for t, event in sorted(times):
    if event:
        s *= 1 - 1 / at_risk
        var += 1 / (at_risk * (at_risk - 1)) if at_risk > 1 else float("inf")
        se = math.sqrt(var)
        curve.append((t, s, s * math.exp(-Z * se), min(1.0, s * math.exp(Z * se))))
    at_risk -= 1
for t, s, lo, hi in curve:
    print(f"KM t = {t:.4f} h: S = {s:.6f} [{lo:.6f}, {hi:.6f}]; contact by t = {1 - s:.6f} [{1 - hi:.6f}, {1 - lo:.6f}]")
