"""Reference values for MoodOutcomesReferenceTests.swift, computed independently of PeerLens with numpy and scipy.

A constructed log (seeded numpy draws, written to mood_outcomes_reference.json with the expected values) that the Swift
test ingests as it is: members with PHQ-9 and GAD-7 series, some whose two first check-ins are more than 7 days
apart, some with a single check-in early (follow-up due: attrition) or late (follow-up not yet due), and a third
check-in for the outcome at a fixed time. Days count from 2026-01-02T12:00Z; the data end is the last day of any
event (an activity event is placed on it).

Definitions reproduced here from the NHS Talking Therapies manual (not from PeerLens's code):
- per measure: reliable improvement = a fall of >= 6 (PHQ-9) / >= 4 (GAD-7) points; recovery = first >= cut-off
  (10 / 8) and last < cut-off, among those at caseness at the first check-in;
- combined: caseness at the start = PHQ-9 >= 10 or GAD-7 >= 8; recovered = at caseness at the start and below
  caseness on both at the end; reliable improvement = a reliable fall on at least one and a reliable rise on neither
  (over every paired member); deterioration the mirror; reliable recovery = recovered and reliably improved;
  paired = both measures have first and last check-ins and the first check-ins are at most 7 days apart;
- attrition: a single check-in is attrition when it is at least 14 days before the data end, else not yet due;
- follow-up days: numpy.quantile (linear, R type 7) of last - first day of the analysed members;
- at a fixed time (30 days, window 7): the check-in nearest day first + 30 within 7 days.
Run: python3 make_mood_outcomes.py (numpy, scipy).
"""
import json
import os

import numpy as np
import scipy

rng = np.random.default_rng(20261205)
CUT = {"PHQ-9": 10, "GAD-7": 8}
RELIABLE = {"PHQ-9": 6, "GAD-7": 4}
MAXIMUM = {"PHQ-9": 27, "GAD-7": 21}
members = []   # {id, checkins: [(instrument, day, score)]}

def score(instrument, value):
    return int(min(max(value, 0), MAXIMUM[instrument]))

# 70 members with both measures: first PHQ-9 on day 0-20, GAD-7 first 0-10 days later, last check-ins 14-50 days on.
for i in range(70):
    start = int(rng.integers(0, 21))
    gad_offset = int(rng.integers(0, 11))
    checkins = []
    for instrument, first_day in (("PHQ-9", start), ("GAD-7", start + gad_offset)):
        first = int(rng.integers(3, MAXIMUM[instrument] - 2))
        middle_day = first_day + 28 + int(rng.integers(-5, 6))
        last_day = first_day + int(rng.integers(40, 61))
        middle = score(instrument, first + int(rng.integers(-8, 5)))
        last = score(instrument, first + int(rng.integers(-12, 7)))
        checkins += [(instrument, first_day, first), (instrument, middle_day, middle), (instrument, last_day, last)]
    members.append({"id": f"b{i}", "checkins": checkins})
# 20 members with PHQ-9 only, two check-ins 14-40 days apart.
for i in range(20):
    d = int(rng.integers(0, 30))
    first = int(rng.integers(3, 25))
    members.append({"id": f"p{i}", "checkins": [("PHQ-9", d, first), ("PHQ-9", d + int(rng.integers(14, 41)), score("PHQ-9", first + int(rng.integers(-10, 6))))]})
# 24 members with a single PHQ-9 check-in spread over days 40-82: early ones were due a follow-up, late ones not.
for i in range(24):
    members.append({"id": f"s{i}", "checkins": [("PHQ-9", 40 + int(rng.integers(0, 43)), int(rng.integers(3, 25)))]})

data_end = max(day for m in members for (_, day, _) in m["checkins"]) + 1

def series(m, instrument):
    return sorted((day, s) for (ins, day, s) in m["checkins"] if ins == instrument)

expected = {}
for instrument in ("PHQ-9", "GAD-7"):
    analysed, single, not_due = [], 0, 0
    for m in members:
        s = series(m, instrument)
        if not s:
            continue
        if len(s) == 1:
            if data_end - s[0][0] >= 14:
                single += 1
            else:
                not_due += 1
            continue
        analysed.append((s[0], s[-1]))
    follow = np.array([b[0] - a[0] for a, b in analysed], dtype=float)
    cases = [(a, b) for a, b in analysed if a[1] >= CUT[instrument]]
    recovered = [(a, b) for a, b in cases if b[1] < CUT[instrument]]
    before = np.array([a[1] for a, _ in analysed], dtype=float)
    after = np.array([b[1] for _, b in analysed], dtype=float)
    expected[instrument] = {
        "analysed": len(analysed), "one_checkin_due": single, "not_yet_due": not_due,
        "median_follow_up": float(np.quantile(follow, 0.5)), "lower_quartile_follow_up": float(np.quantile(follow, 0.25)),
        "upper_quartile_follow_up": float(np.quantile(follow, 0.75)),
        "reliable_improvement": int(sum(a[1] - b[1] >= RELIABLE[instrument] for a, b in analysed)),
        "at_caseness": len(cases), "recovery": len(recovered),
        "d_baseline_sd": float((after.mean() - before.mean()) / before.std(ddof=1)),
        "locf_members": len(analysed) + single,
    }
    # At a fixed time: the check-in nearest first + 30 days, within 7 days (the earlier on a tie).
    at = []
    for m in members:
        s = series(m, instrument)
        if not s:
            continue
        near = [c for c in s[1:] if c[0] > s[0][0] and abs(c[0] - s[0][0] - 30) <= 7]
        if near:
            best = min(near, key=lambda c: (abs(c[0] - s[0][0] - 30), c[0]))
            at.append(best[1] - s[0][1])
    expected[instrument]["at_30_paired"] = len(at)
    expected[instrument]["at_30_mean_change"] = float(np.mean(at))

# Combined NHS Talking Therapies outcomes.
paired = not_paired = cases = recovered = improved = deteriorated = reliably_recovered = 0
for m in members:
    p, g = series(m, "PHQ-9"), series(m, "GAD-7")
    if len(p) < 2 or len(g) < 2:
        continue
    if abs(p[0][0] - g[0][0]) > 7:
        not_paired += 1
        continue
    paired += 1
    fell = (p[0][1] - p[-1][1] >= 6) or (g[0][1] - g[-1][1] >= 4)
    rose = (p[-1][1] - p[0][1] >= 6) or (g[-1][1] - g[0][1] >= 4)
    better = fell and not rose
    improved += better
    deteriorated += rose and not fell
    if p[0][1] >= 10 or g[0][1] >= 8:
        cases += 1
        if p[-1][1] < 10 and g[-1][1] < 8:
            recovered += 1
            reliably_recovered += better
expected["combined"] = {"members": paired, "members_not_paired": not_paired, "at_caseness": cases, "recovery": recovered,
                        "reliable_improvement": improved, "reliable_deterioration": deteriorated, "reliable_recovery": reliably_recovered}

out = {"data_end_day": data_end, "members": [{"id": m["id"], "checkins": [list(c) for c in m["checkins"]]} for m in members],
       "expected": expected, "versions": {"numpy": np.__version__, "scipy": scipy.__version__}}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mood_outcomes_reference.json")
with open(path, "w") as f:
    json.dump(out, f, sort_keys=True, separators=(",", ":"))
    f.write("\n")
print(json.dumps(expected, indent=1))
