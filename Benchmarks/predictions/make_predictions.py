"""Writes N exported predictions (score,label) for the predictions benchmark: 5 % positives, a
probability score with AUC about 0.8, six decimals as a model export would write them.
Usage: python3 make_predictions.py N PATH [SEED]"""
import sys
import numpy as np

n, path = int(sys.argv[1]), sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
rng = np.random.default_rng(seed)
labels = rng.random(n) < 0.05
z = rng.normal(np.where(labels, 1.2, 0.0), 1.0) - 3.0
scores = 1.0 / (1.0 + np.exp(-z))
with open(path, "w") as f:
    f.write("score,label\n")
    block = 1_000_000
    for start in range(0, n, block):
        s, l = scores[start:start + block], labels[start:start + block].astype(int)
        f.write("\n".join(f"{a:.6f},{b}" for a, b in zip(s, l)))
        f.write("\n")
