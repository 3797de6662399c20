"""Reference values for LinearRegression: statsmodels OLS and WLS (params, bse, cov_params, conf_int at 95% and
90%, tvalues, pvalues, rsquared, scale, df_resid) on small fixed datasets: one covariate, two covariates plus an
intercept, the same with non-integer precision weights (WLS), and a fit through the origin (uncentred R²).
Writes ../core_research_py.json. Run via regenerate.sh."""
import numpy as np
import statsmodels
import statsmodels.api as sm

from core_common import write_fixture

cases = {}


def fit(y, X, weights=None, constant=True):
    design = sm.add_constant(X, has_constant="add") if constant else X
    model = sm.OLS(y, design) if weights is None else sm.WLS(y, design, weights=weights)
    res = model.fit()
    return {"params": res.params, "bse": res.bse, "cov": res.cov_params(), "ci95": res.conf_int(alpha=0.05),
            "ci90": res.conf_int(alpha=0.10), "tvalues": res.tvalues, "pvalues": res.pvalues,
            "rsquared": res.rsquared, "scale": res.scale, "df_resid": res.df_resid, "nobs": res.nobs}


# 1. One covariate (n = 10), written out.
x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
y = np.array([2.1, 3.9, 6.2, 7.8, 9.7, 12.4, 13.8, 16.1, 18.3, 19.6])
cases["one_covariate"] = {"x": x.reshape(-1, 1), "y": y, "intercept": True, **fit(y, x.reshape(-1, 1))}

# 2. Two covariates plus intercept (n = 20): a continuous and a binary covariate, rounded to 2 decimals so the
#    inputs are exactly representable in the JSON.
rng = np.random.default_rng(20261201)
n = 20
x1 = np.round(rng.normal(50, 10, n), 2)
x2 = rng.binomial(1, 0.5, n).astype(float)
y2 = np.round(3.0 + 0.25 * x1 - 1.5 * x2 + rng.normal(0, 2, n), 2)
X2 = np.column_stack([x1, x2])
cases["two_covariates"] = {"x": X2, "y": y2, "intercept": True, **fit(y2, X2)}

# 3. The same with non-integer precision weights (WLS).
w = np.round(rng.uniform(0.2, 3.0, n), 3)
cases["two_covariates_weighted"] = {"x": X2, "y": y2, "weights": w, "intercept": True, **fit(y2, X2, weights=w)}

# 4. Through the origin: no intercept, R² uncentred (1 − RSS/Σy²).
cases["no_intercept"] = {"x": x.reshape(-1, 1), "y": y, "intercept": False, **fit(y, x.reshape(-1, 1), constant=False)}

write_fixture("core_research_py.json", {"versions": f"numpy {np.__version__}, statsmodels {statsmodels.__version__}",
                                        "cases": cases})
