"""A hand-built log of double-reviewed crisis messages and the reviewer agreement statsmodels computes on it
(Tests/PeerLensSafetyTests/ReviewDesignTests.swift). Run from the repository root:

    python3 Tests/PeerLensSafetyTests/Fixtures/make_review_agreement.py

writes Fixtures/review-agreement.jsonl and Fixtures/review_agreement_expected.json. 80 messages of 20
members, each scored by crisis v1 and reviewed by a clinician with a sampling weight; 60 of them reviewed a second
time (the second review agrees on severity 70 % of the time, else moves one or two steps), 6 of these a third
time (ignored by the agreement measures, which use the first two reviews of each message in time order).
Expected: statsmodels `fleiss_kappa` (two ratings per message, categories positive/negative at severity
moderate), `cohens_kappa` on the first-against-second 2x2 table (kappa, std_kappa) and with quadratic weights
on the 5x5 severity table (kappa, std_kappa).
"""
import json
import os

import numpy as np
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(1204)
severities = ["none", "low", "moderate", "high", "imminent"]
lines, pairs = [], []


def ts(minutes):
    return f"2026-02-{1 + minutes // 1440:02d}T{(minutes // 60) % 24:02d}:{minutes % 60:02d}:00Z"


for m in range(20):
    lines.append({"type": "member", "ts": "2026-01-01T00:00:00Z", "member": f"m{m}", "role": "seeker"})
for i in range(80):
    t = i * 30
    message = f"msg{i:03d}"
    lines.append({"type": "message", "ts": ts(t), "id": message, "member": f"m{i % 20}", "space": "general", "thread": f"t{i}", "chars": 40})
    true_rank = int(rng.choice(5, p=[0.45, 0.2, 0.15, 0.12, 0.08]))
    score = round(float(np.clip(0.1 + 0.18 * true_rank + rng.normal(0, 0.12), 0.001, 0.999)), 4)
    lines.append({"type": "score", "ts": ts(t + 1), "message": message, "model": "crisis", "version": "v1", "score": score})
    weight = round(float(1 / (0.2 + 0.7 * score * score)), 6)
    ranks = [true_rank]
    count = 1 + (i < 60) + (i < 6)
    for _ in range(count - 1):
        r = true_rank if rng.random() < 0.7 else int(np.clip(true_rank + rng.choice([-2, -1, 1, 2]), 0, 4))
        ranks.append(r)
    for k, r in enumerate(ranks):
        lines.append({"type": "review", "ts": ts(t + 10 + 5 * k), "message": message, "kind": "crisis", "severity": severities[r],
                      "reviewer_role": "clinician", "weight": weight})
    if count >= 2:
        pairs.append((ranks[0], ranks[1]))

with open(os.path.join(here, "review-agreement.jsonl"), "w") as f:
    for line in lines:
        f.write(json.dumps(line, separators=(",", ":")) + "\n")

positive = [(a >= 2, b >= 2) for a, b in pairs]
label_table = np.zeros((2, 2), dtype=int)
for a, b in positive:
    label_table[0 if a else 1, 0 if b else 1] += 1
severity_table = np.zeros((5, 5), dtype=int)
for a, b in pairs:
    severity_table[a, b] += 1
counts = [[int(a) + int(b), 2 - int(a) - int(b)] for a, b in positive]
cohen = cohens_kappa(label_table)
weighted = cohens_kappa(severity_table, wt="quadratic")
expected = {
    "generator": "make_review_agreement.py",
    "messages": len(pairs),
    "more_than_two": 6,
    "label_table": label_table.tolist(),
    "observed_agreement": float(np.trace(label_table) / len(pairs)),
    "fleiss_kappa": float(fleiss_kappa(np.asarray(counts), method="fleiss")),
    "cohen_kappa": float(cohen.kappa), "cohen_se": float(cohen.std_kappa),
    "severity_kappa_quadratic": float(weighted.kappa), "severity_se_quadratic": float(weighted.std_kappa),
}
with open(os.path.join(here, "review_agreement_expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
print(json.dumps(expected))
