"""Reference values for Intervals: Wilson and Clopper-Pearson proportion intervals (statsmodels
proportion_confint, methods "wilson" and "beta") and the one-sample t interval (scipy.stats.t.interval).
Writes ../core_intervals.json. Run via regenerate.sh."""
import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from core_common import write_fixture

proportions = []
for x, n, level in [(0, 10, 0.95), (1, 10, 0.95), (5, 10, 0.95), (10, 10, 0.95), (37, 120, 0.95),
                    (1, 1000, 0.95), (999, 1000, 0.95), (0, 1, 0.95), (1, 1, 0.95), (7, 30, 0.90),
                    (7, 30, 0.99), (123456, 1000000, 0.95)]:
    w = proportion_confint(x, n, alpha=1 - level, method="wilson")
    b = proportion_confint(x, n, alpha=1 - level, method="beta")
    proportions.append({"x": x, "n": n, "level": level, "wilson": list(w), "clopper_pearson": list(b)})

sample = np.array([5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.8, 4.7, 5.9])
means = []
for values, level in [(sample, 0.95), (sample, 0.80), (np.array([1.0, 3.0]), 0.95),
                      (np.array([1e6 + 0.1, 1e6 + 0.3, 1e6 + 0.2, 1e6 + 0.7]), 0.99)]:
    ci = stats.t.interval(level, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    means.append({"values": values, "level": level, "mean": values.mean(), "sd": values.std(ddof=1), "ci": list(ci)})

write_fixture("core_intervals.json", {
    "versions": f"numpy {np.__version__}, scipy {scipy.__version__}, statsmodels {statsmodels.__version__}",
    "proportions": proportions,
    "means": means,
})
