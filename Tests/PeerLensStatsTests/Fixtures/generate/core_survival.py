"""Second reference for Kaplan-Meier: lifelines KaplanMeierFitter on survival's aml data (survival and
median only; lifelines' default interval is the log-log transform, compared with survfit's log-log).
Writes ../core_survival_lifelines.json. Run via regenerate.sh."""
import lifelines
import numpy as np
from lifelines import KaplanMeierFitter

from core_common import write_fixture

time = np.array([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45], float)
status = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1])
kmf = KaplanMeierFitter().fit(time, status)
sf = kmf.survival_function_["KM_estimate"]
ci = kmf.confidence_interval_
keep = sf.index > 0  # lifelines adds a row at t = 0
write_fixture("core_survival_lifelines.json", {
    "versions": f"lifelines {lifelines.__version__}", "time_in": time, "status_in": status,
    "time": sf.index[keep].values, "surv": sf.values[keep],
    "lower_loglog": ci.iloc[:, 0].values[keep], "upper_loglog": ci.iloc[:, 1].values[keep],
    "median": kmf.median_survival_time_})
