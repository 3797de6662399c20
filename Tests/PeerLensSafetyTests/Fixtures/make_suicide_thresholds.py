"""Reference figures for the threshold tests on cutpointr's suicide data (suicide.csv, see make_suicide_csv.py),
computed independently of PeerLens with pandas and statsmodels.

For every cut point c of the DSI-SS sum score (flag when dsi >= c): true positives, flagged cases, sensitivity
and its 95% Wilson interval (statsmodels.stats.proportion.proportion_confint, method="wilson"). From these:
- the sensitivity-floor policy at 0.8 on the point estimate: the highest c with sensitivity >= 0.8;
- the same floor on the lower Wilson bound (`--assurance lower`): the highest c whose lower bound is >= 0.8.

Usage: python3 make_suicide_thresholds.py > suicide_thresholds.json   (pip install pandas statsmodels)"""
import json

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

d = pd.read_csv("suicide.csv")
y = d.suicide == "yes"
positives = int(y.sum())
rows = []
for c in sorted(d.dsi.unique()):
    flag = d.dsi >= c
    tp = int((flag & y).sum())
    lo, hi = proportion_confint(tp, positives, alpha=0.05, method="wilson")
    rows.append({"cut": int(c), "true_positives": tp, "flagged": int(flag.sum()), "sensitivity": tp / positives,
                 "sensitivity_lower": lo, "sensitivity_upper": hi})
point = max(r["cut"] for r in rows if r["sensitivity"] >= 0.8)
lower = max(r["cut"] for r in rows if r["sensitivity_lower"] >= 0.8)
print(json.dumps({"positives": positives, "cases": len(d), "floor": 0.8, "floor_point_cut": point, "floor_lower_cut": lower,
                  "rows": rows}, indent=1))
