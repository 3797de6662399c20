"""The scikit-learn side of the predictions benchmark: read the CSV with pandas, then the bare metrics a
risk evaluation and a threshold sweep rest on. No intervals, no subgroups, no report. Prints wall seconds
(best of 3) for: reading, the risk metrics (roc_auc_score, average_precision_score, brier_score_loss,
calibration_curve with 10 uniform bins) and the threshold metrics (roc_curve, precision_recall_curve).
Usage: python3 sklearn_baseline.py PATH"""
import sys
import time
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import (average_precision_score, brier_score_loss, precision_recall_curve,
                             roc_auc_score, roc_curve)

path = sys.argv[1]
best = {"read": float("inf"), "risk": float("inf"), "thresholds": float("inf")}
for _ in range(3):
    t0 = time.perf_counter()
    frame = pd.read_csv(path)
    y, p = frame["label"].to_numpy(), frame["score"].to_numpy()
    t1 = time.perf_counter()
    auc = roc_auc_score(y, p)
    ap = average_precision_score(y, p)
    brier = brier_score_loss(y, p)
    calibration_curve(y, p, n_bins=10, strategy="uniform")
    t2 = time.perf_counter()
    roc_curve(y, p)
    precision_recall_curve(y, p)
    t3 = time.perf_counter()
    best = {"read": min(best["read"], t1 - t0), "risk": min(best["risk"], t2 - t1),
            "thresholds": min(best["thresholds"], t3 - t2)}
print(f"sklearn: n {len(y)}, AUC {auc:.6f}, AP {ap:.6f}, Brier {brier:.6f}")
print(f"sklearn_read_seconds {best['read']:.3f}")
print(f"sklearn_risk_seconds {best['read'] + best['risk']:.3f}")
print(f"sklearn_thresholds_seconds {best['read'] + best['thresholds']:.3f}")
