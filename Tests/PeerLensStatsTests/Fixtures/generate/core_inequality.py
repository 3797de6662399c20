"""Reference values for the Gini coefficient: PySAL inequality's _gini (rank form, n denominator) and the
double-sum definition G = sum_i sum_j |x_i - x_j| / (2 n^2 mean) computed directly with numpy (O(n^2));
the small-sample version n/(n-1) G. Writes ../core_inequality.json. Run via regenerate.sh
(pip install inequality)."""
import inequality
import numpy as np
from inequality.gini import _gini

from core_common import write_fixture

rng = np.random.default_rng(11)
cases = []
for name, v in [("replies per member", np.array([0, 1, 1, 2, 3, 3, 3, 5, 8, 13, 21, 40], float)),
                ("lognormal n=200", np.round(rng.lognormal(1, 1.2, 200), 3)),
                ("one holds everything", np.array([0, 0, 0, 0, 7.5])),
                ("equal", np.array([2.5, 2.5, 2.5]))]:
    n = len(v)
    double_sum = np.abs(v[:, None] - v[None, :]).sum() / (2 * n * n * v.mean())
    cases.append({"name": name, "values": v, "gini_pysal": _gini(v), "gini_double_sum": double_sum,
                  "corrected": double_sum * n / (n - 1)})
write_fixture("core_inequality.json", {"versions": f"numpy {np.__version__}, inequality {inequality.__version__}", "cases": cases})
