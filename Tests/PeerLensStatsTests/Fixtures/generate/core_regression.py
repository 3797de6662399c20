"""Reference values for LogisticRegression: statsmodels GLM(Binomial) fitted by IRLS to convergence
(tol 1e-12): coefficients, standard errors, Wald intervals, deviance; with an offset and with integer
frequency weights (freq_weights, which R's glm(weights=) matches for the binomial family).
Writes ../core_regression.json. Run via regenerate.sh."""
import numpy as np
import statsmodels
import statsmodels.api as sm
from scipy.special import expit, logit

from core_common import write_fixture

rng = np.random.default_rng(20260403)
cases = {}


def glm(y, X, offset=None, freq_weights=None):
    model = sm.GLM(y, X, family=sm.families.Binomial(), offset=offset, freq_weights=freq_weights)
    fit = model.fit(tol=1e-12, maxiter=200)
    ci95 = fit.conf_int(alpha=0.05)
    ci90 = fit.conf_int(alpha=0.10)
    return {"params": fit.params, "bse": fit.bse, "ci95": ci95, "ci90": ci90, "deviance": fit.deviance,
            "pvalues": fit.pvalues, "cov": fit.cov_params()}


# 1. Two covariates, no weights.
n = 200
x1 = rng.normal(0, 1, n)
x2 = rng.binomial(1, 0.4, n).astype(float)
y = rng.binomial(1, expit(-0.5 + 0.8 * x1 - 0.6 * x2))
cases["two_covariates"] = {"x": np.column_stack([x1, x2]), "y": y, **glm(y, sm.add_constant(np.column_stack([x1, x2])))}

# 2. Calibration: logit(p) offset, intercept only (calibration-in-the-large) and slope, with weights.
m = 150
p = np.clip(rng.beta(1.2, 4, m), 1e-12, 1 - 1e-12)
p[:3] = [1e-12, 1e-9, 0.999999]  # extreme predictions: offsets of about -27.6, -20.7 and +13.8
yy = rng.binomial(1, expit(0.3 + 0.7 * logit(p)))
yy[0] = 1  # a surprise at p = 1e-12
lp = logit(p)
w = rng.integers(1, 4, m).astype(float)
cases["calibration_in_the_large"] = {"x": np.zeros((m, 0)), "y": yy, "offset": lp,
                                     **glm(yy, np.ones((m, 1)), offset=lp)}
cases["calibration_slope_weighted"] = {"x": lp.reshape(-1, 1), "y": yy, "weights": w,
                                       **glm(yy, sm.add_constant(lp), freq_weights=w)}
cases["offset_and_weights"] = {"x": x1[:m].reshape(-1, 1), "y": yy, "offset": 0.5 * lp, "weights": w,
                               **glm(yy, sm.add_constant(x1[:m]), offset=0.5 * lp, freq_weights=w)}

write_fixture("core_regression.json", {"versions": f"numpy {np.__version__}, statsmodels {statsmodels.__version__}",
                                       "cases": cases})
