"""scikit-learn baseline for the stats benchmark: roc_auc_score + calibration_curve + brier_score_loss
on the same data the Swift benchmark wrote. Prints the best of 3 wall times."""
import sys
import time
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score

path = sys.argv[1]
n = int(sys.argv[2])
raw = np.fromfile(path, dtype=np.uint8)
scores = raw[: 8 * n].view(np.float64)
labels = raw[8 * n: 9 * n]
best = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    auc = roc_auc_score(labels, scores)
    prob_true, prob_pred = calibration_curve(labels, scores, n_bins=10, strategy="uniform")
    brier = brier_score_loss(labels, scores)
    best = min(best, time.perf_counter() - t0)
print(f"sklearn: AUC {auc:.6f}, Brier {brier:.6f}")
print(f"sklearn_seconds {best:.3f}")
