"""Writes suicide.csv from cutpointr's `suicide` data (von Glischinski et al. 2017, Clinical Psychology &
Psychotherapy; shipped with the R package cutpointr, GPL-3, as data/suicide.rda): 532 people, DSI-SS sum
score (0-12), past suicide attempt (yes/no), gender and age. cutpointr's README reports AUC 0.9238 for dsi vs
suicide and, at the Youden-optimal cut point dsi >= 2, sensitivity 0.8889 and specificity 0.8629; this script
prints the same figures from scikit-learn as an independent check.

Usage: python3 make_suicide_csv.py PATH/TO/suicide.rda   (pip install pyreadr pandas scikit-learn)
The .rda is in https://github.com/Thie1e/cutpointr (data/suicide.rda). Run from this folder."""
import csv
import sys

import pyreadr
from sklearn.metrics import roc_auc_score

d = pyreadr.read_r(sys.argv[1])["suicide"]
with open("suicide.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["age", "gender", "dsi", "suicide"])
    for age, gender, dsi, attempt in zip(d.age, d.gender, d.dsi, d.suicide):
        w.writerow([int(age), gender, int(dsi), attempt])
y = (d.suicide == "yes").astype(int)
flag = d.dsi >= 2
print(f"n={len(d)} positives={y.sum()} AUC={roc_auc_score(y, d.dsi):.10f}")
print(f"dsi>=2: sensitivity={(flag & (y == 1)).sum() / y.sum():.10f} specificity={(~flag & (y == 0)).sum() / (y == 0).sum():.10f}")
