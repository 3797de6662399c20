#!/usr/bin/env python3
"""Writes harm-weeks.jsonl (a small community over three full weeks with moderation of every kind) and
harm_weeks_expected.json (the weekly harm measures, computed here independently of PeerLens).

Used by Tests/PeerLensCommunityTests/HealthSeriesTests.swift. Run from this directory:

    python3 make_harm_weeks.py

The reference follows docs/community-health.md:
- a message is harmful when a moderation action taken for harm (toxicity, harassment, harmful_advice,
  trigger_content) stands at the end: not overturned on appeal and not undone by a later `restore`;
  the time to action is from the message to the first such action since the last restore;
- harmful messages per 1,000 messages and the median minutes to action (numpy.median) per ISO week;
- 0-100 scores: harm 100*max(0, 1-rate/50); minutes 100 at <= 5, else 100*(1 - ln(t/5)/ln(288)) within [0, 100];
- the safety component of a week: the mean of the two scores (both have data in every week here); the
  whole-period value of each: the mean over the three weeks.
"""
import json
import math
import random
from datetime import datetime, timedelta, timezone

import numpy as np

START = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a Monday
HARM = {"toxicity", "harassment", "harmful_advice", "trigger_content"}
REASONS = ["toxicity", "harassment", "harmful_advice", "trigger_content", "spam", "crisis", "other"]


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def build():
    rng = random.Random(20261205)
    events, messages = [], []
    members = [f"u{i:02d}" for i in range(40)]
    for i, m in enumerate(members):
        events.append({"type": "member", "ts": ts(START - timedelta(days=1)), "member": m,
                       "role": "seeker" if i % 3 else "peer", "research_consent": True})
    n = 0
    for day in range(21):
        for _ in range(rng.randint(4, 7)):
            opened = START + timedelta(days=day, minutes=rng.randint(0, 600))
            author = rng.choice(members)
            n += 1
            thread, first = f"t{n:04d}", f"x{n:04d}"
            messages.append((opened, first, author, thread, None))
            t, parent = opened, first
            for r in range(rng.randint(1, 5)):
                t = t + timedelta(minutes=rng.randint(1, 240))
                n += 1
                mid = f"x{n:04d}"
                messages.append((t, mid, rng.choice(members), thread, parent))
                parent = mid
    # Keep every message inside the three weeks.
    end_of_weeks = START.replace(hour=0) + timedelta(days=21)
    messages = [m for m in messages if m[0] < end_of_weeks]
    for (t, mid, author, thread, parent) in messages:
        events.append({"type": "message", "ts": ts(t), "id": mid, "member": author, "space": "general",
                       "thread": thread, "reply_to": parent, "chars": 100})
    # Moderation: about one message in fifteen gets one to three actions, with any reason; some restored,
    # some appealed.
    k = 0
    for (t, mid, author, thread, parent) in messages:
        if rng.random() >= 1 / 15:
            continue
        at = t
        for _ in range(rng.randint(1, 3)):
            at = at + timedelta(minutes=rng.randint(1, 600))
            k += 1
            action = "restore" if rng.random() < 0.12 else rng.choice(["hide", "warn", "educate", "suspend"])
            mod = {"type": "moderation", "ts": ts(at), "id": f"mod{k:04d}", "message": mid, "action": action,
                   "layer": rng.choice(["automatic", "peer", "professional"]), "reason": rng.choice(REASONS)}
            events.append(mod)
            if action != "restore" and rng.random() < 0.2:
                events.append({"type": "appeal", "ts": ts(at + timedelta(hours=6)), "moderation": mod["id"],
                               "outcome": "overturned" if rng.random() < 0.5 else "upheld"})
    # The data end a day after the third week (so all three are full).
    events.append({"type": "activity", "ts": ts(end_of_weeks + timedelta(hours=12)), "member": members[0], "duration_s": 60})
    return events


def reference(events):
    msgs = {e["id"]: datetime.fromisoformat(e["ts"].replace("Z", "+00:00")) for e in events if e["type"] == "message"}
    overturned = {e["moderation"] for e in events if e["type"] == "appeal" and e["outcome"] == "overturned"}
    mods = sorted((e for e in events if e["type"] == "moderation"), key=lambda e: (e["ts"], e["id"]))
    standing = {}
    for e in mods:
        at = datetime.fromisoformat(e["ts"].replace("Z", "+00:00"))
        if e["action"] == "restore":
            standing.pop(e["message"], None)
        elif e["reason"] in HARM and e["id"] not in overturned and e["message"] not in standing:
            standing[e["message"]] = at
    monday = START.replace(hour=0)
    weeks = []
    for w in range(3):
        lo, hi = monday + timedelta(days=7 * w), monday + timedelta(days=7 * (w + 1))
        ids = [i for i, t in msgs.items() if lo <= t < hi]
        harmful = [i for i in ids if i in standing]
        delays = [(standing[i] - msgs[i]).total_seconds() / 60 for i in harmful]
        rate = 1000 * len(harmful) / len(ids)
        median = float(np.median(delays))
        harm_score = 100 * max(0.0, 1 - rate / 50)
        speed_score = 100.0 if median <= 5 else min(100.0, max(0.0, 100 * (1 - math.log(median / 5) / math.log(288))))
        weeks.append({"week": lo.strftime("%Y-%m-%d"), "messages": len(ids), "harmful": len(harmful),
                      "harmful_per_1000": rate, "median_minutes_to_harm_action": median,
                      "safety": (harm_score + speed_score) / 2})
    whole = {key: sum(w[key] for w in weeks) / len(weeks)
             for key in ["harmful_per_1000", "median_minutes_to_harm_action", "safety"]}
    return {"weeks": weeks, "whole_period_mean": whole}


if __name__ == "__main__":
    events = build()
    with open("harm-weeks.jsonl", "w") as f:
        for e in events:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
    with open("harm_weeks_expected.json", "w") as f:
        json.dump(reference(events), f, indent=2)
        f.write("\n")
