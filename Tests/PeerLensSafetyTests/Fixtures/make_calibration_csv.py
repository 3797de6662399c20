"""Writes calibration.csv: predicted probabilities of an externally validated model on public data, for the
calibration tests of `peerlens risk --predictions` (Spiegelhalter's z, Hosmer-Lemeshow with df = g).

Data: the Wisconsin diagnostic breast cancer data (UCI; shipped with scikit-learn as load_breast_cancer).
Outcome: malignant (1) or benign (0). Model: a logistic regression on 'mean radius' and 'mean texture' fitted on
the even rows (the development sample) and applied to the odd rows (the validation sample, 284 cases), which are
written out: the model was not fitted on them, so Hosmer-Lemeshow has g degrees of freedom there. Columns:
risk (predicted probability, rounded to 6 decimals and kept within [1e-6, 1 - 1e-6], so that the CSV holds exactly what is tested), outcome (1/0),
group (texture 'high' or 'low': above or at most the validation sample's median 'mean texture') and weight (an
inverse inclusion probability 1 / (0.2 + 0.8 risk), as if reviews had been sampled on the score; the weighted
tests use it).

Usage: python3 make_calibration_csv.py   (pip install scikit-learn numpy). Run from this folder.
"""
import csv

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

data = load_breast_cancer()
names = list(data.feature_names)
x = data.data[:, [names.index("mean radius"), names.index("mean texture")]]
y = (data.target == 0).astype(int)  # scikit-learn codes malignant as 0
development, validation = np.arange(0, len(y), 2), np.arange(1, len(y), 2)
model = LogisticRegression(C=1e6, max_iter=10000).fit(x[development], y[development])
# Clipped to [1e-6, 1 - 1e-6] after rounding: a predicted risk of exactly 0 or 1 would have an infinite logit.
risk = np.clip(np.round(model.predict_proba(x[validation])[:, 1], 6), 1e-6, 1 - 1e-6)
texture = x[validation, 1]
median = np.median(texture)
with open("calibration.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["risk", "outcome", "group", "weight"])
    for p, outcome, t in zip(risk, y[validation], texture):
        w.writerow([repr(float(p)), int(outcome), "high" if t > median else "low", repr(round(1 / (0.2 + 0.8 * float(p)), 6))])
print(f"validation cases {len(validation)}, positives {y[validation].sum()}, risk in [{risk.min()}, {risk.max()}]")
