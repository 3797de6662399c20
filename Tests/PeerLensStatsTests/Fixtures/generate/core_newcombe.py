"""Reference values for ProportionDifference.newcombe: the difference of two independent proportions with
Newcombe's hybrid score interval (Newcombe 1998, method 10), from statsmodels
confint_proportions_2indep(method="newcomb", compare="diff"). Writes ../core_newcombe.json. Run via
regenerate.sh."""
import numpy as np
import statsmodels
from statsmodels.stats.proportion import confint_proportions_2indep

from core_common import write_fixture

cases = []
# Newcombe's (1998) worked examples (56/70 vs 48/80, 9/10 vs 3/10, 6/7 vs 2/7, 5/56 vs 0/29, 0/10 vs 0/20,
# 10/10 vs 0/20) and groups against the rest of a breakdown, as the funder report compares them (0 of 18
# against 23 of 209; 60 of 114 against 23 of 113).
for x1, n1, x2, n2, level in [(56, 70, 48, 80, 0.95), (9, 10, 3, 10, 0.95), (6, 7, 2, 7, 0.95), (5, 56, 0, 29, 0.95),
                              (0, 10, 0, 20, 0.95), (10, 10, 0, 20, 0.95), (0, 18, 23, 209, 0.95),
                              (60, 114, 23, 113, 0.95), (60, 114, 23, 113, 0.90), (1234, 5000, 1100, 5200, 0.99)]:
    low, upp = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=1 - level)
    cases.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "level": level, "difference": x1 / n1 - x2 / n2,
                  "lower": float(low), "upper": float(upp)})

write_fixture("core_newcombe.json", {
    "versions": f"numpy {np.__version__}, statsmodels {statsmodels.__version__}",
    "cases": cases,
})
