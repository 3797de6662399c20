#!/usr/bin/env python3
"""Builds a large synthetic PeerLens store for the safety benchmark (issue 4).

    python3 Benchmarks/make_safety_store.py --bin PATH/peerlens --db STORE [--messages 10000000] ...

The schema is the real one: a tiny valid JSON Lines log is ingested with `peerlens ingest`, so the tables,
CHECKs and indices come from the GRDB migrations (Sources/PeerLensStore/Schema.swift) and the file gets the
binary's page size. That log's rows are then removed and the tables filled with set-based SQL (a recursive
CTE per pass over the messages, executemany in large batches for the small tables), with the journal and
fsync off for the build only. The store is built as STORE.partial and renamed when complete, so a store at
STORE is always whole.

What it holds (defaults):
  - 200,000 members over 8 languages (en es hi ar pt fr sw zh) with region, culture, role, age band, …
  - 10,000,000 messages over 26 weeks from 2026-01-05 (a Monday), threads of 8 (an opener and 7 replies);
    members' activity is heavy-tailed.
  - one `crisis` v1 score per message: a latent logit (member effect + message effect, ~2 % positives)
    seen through model noise and a per-language bias.
  - 200,000 `crisis` reviews, a sequential Poisson sample with inclusion probability 0.005 + b·score (b set so
    the probabilities sum to the sample size): enriched for high scores, `weight` = 1 / inclusion probability,
    graded `severity` drawn from the latent truth.
  - an alert (crisis v1, threshold 0.35) for every message scored ≥ 0.35, and a response to most alerts.
  - one ingest_run row (with per-type ingest_count rows) describing this synthetic fill.

Randomness: a seeded MINSTD stream (Lehmer generator, multiplier 48271, modulus 2^31 - 1) carried through the recursive CTE, 12 draws
per message, plus Python's random.Random(seed) for the small tables: the same arguments give the same store.
"""
import argparse
import hashlib
import json
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

P = 2147483647          # MINSTD modulus 2^31 - 1
A = 48271               # MINSTD multiplier
K = 12                  # draws per message
START = datetime(2026, 1, 5, tzinfo=timezone.utc)   # a Monday
START_US = int(START.timestamp()) * 1_000_000
MODEL, VERSION, THRESHOLD = "crisis", "v1", 0.35
MU = -5.0               # intercept of the latent logit (≈ 2 % positives)
BASE_PI = 0.005         # review inclusion probability at score 0

LANGUAGES = [  # code, share, regions, cultures, prevalence shift, model bias (logit)
    ("en", 0.40, ["GB", "US", "NG", "AU"], ["british", "american", "nigerian", "australian"], 0.00, 0.00),
    ("es", 0.15, ["ES", "MX", "AR"], ["spanish", "mexican", "argentinian"], 0.05, -0.10),
    ("hi", 0.10, ["IN"], ["indian"], 0.10, -0.35),
    ("ar", 0.08, ["EG", "SA", "MA"], ["egyptian", "saudi", "moroccan"], 0.05, -0.25),
    ("pt", 0.08, ["BR", "PT"], ["brazilian", "portuguese"], 0.00, -0.05),
    ("fr", 0.07, ["FR", "SN", "CA"], ["french", "senegalese", "canadian"], -0.05, 0.05),
    ("sw", 0.06, ["KE", "TZ"], ["kenyan", "tanzanian"], 0.15, -0.50),
    ("zh", 0.06, ["CN", "TW", "SG"], ["chinese", "taiwanese", "singaporean"], -0.10, -0.30),
]
ROLES = [("seeker", 0.62), ("peer", 0.22), ("listener", 0.10), ("moderator", 0.03), ("professional", 0.03)]
AGE_BANDS = [("13-17", 0.06), ("18-24", 0.30), ("25-34", 0.28), ("35-44", 0.17), ("45-54", 0.10), ("55-64", 0.06), ("65+", 0.03)]
GENDERS = [("woman", 0.52), ("man", 0.38), ("non_binary", 0.05), ("undisclosed", 0.05)]
SETTINGS = [("high", 0.45), ("low", 0.25), ("rural", 0.20), ("conflict_affected", 0.10)]
CONDITIONS = ["depression", "anxiety", "bipolar", "eating_disorder", "ptsd", "ocd", "other"]
COHORTS = [("pilot_a", 0.4), ("pilot_b", 0.3), ("wave_2", 0.3)]
SPACES = [("depression", 0.24), ("anxiety", 0.22), ("general", 0.16), ("self_harm", 0.08), ("ptsd", 0.08),
          ("eating_disorder", 0.07), ("bipolar", 0.07), ("grief", 0.08)]
RESPONDER_ROLES = [("peer", 0.55), ("professional", 0.30), ("hotline", 0.10), ("emergency", 0.05)]
OUTCOMES = [("supported", 0.60), ("escalated", 0.15), ("no_contact", 0.12), ("false_alarm", 0.10), ("emergency_services", 0.03)]
EVENT_TABLES = ["member", "member_condition", "message", "score", "review", "alert", "response", "followup",
                "moderation", "appeal", '"match"', "match_end", "group_session", "group_attendee", "checkin",
                "skill", "training", "activity"]


def pick(rng, table):
    x = rng.random()
    for value, share in table:
        x -= share
        if x < 0:
            return value
    return table[-1][0]


def iso(us):
    return datetime.fromtimestamp(us / 1e6, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def case_by_share(expr, table):
    """SQL CASE mapping a uniform in [0, 1) to a label with the given shares."""
    parts, acc = [], 0.0
    for value, share in table[:-1]:
        acc += share
        parts.append(f"WHEN {expr} < {acc!r} THEN '{value}'")
    return f"CASE {' '.join(parts)} ELSE '{table[-1][0]}' END"


def bootstrap_schema(binary, db):
    """Creates the store with the real migrations by ingesting a tiny valid log; returns the tool version."""
    t0 = START_US - 86_400_000_000
    log = [
        {"type": "member", "ts": iso(t0), "member": "boot0", "role": "seeker", "region": "GB", "language": "en",
         "age_band": "25-34", "gender": "woman", "culture": "british", "conditions": ["depression"],
         "resource_setting": "high", "research_consent": True, "cohort": "pilot_a"},
        {"type": "message", "ts": iso(t0 + 1), "id": "boot0msg", "member": "boot0", "space": "self_harm",
         "thread": "boot0thr", "reply_to": None, "chars": 120},
        {"type": "score", "ts": iso(t0 + 2), "message": "boot0msg", "model": MODEL, "version": VERSION, "score": 0.5},
        {"type": "review", "ts": iso(t0 + 3), "message": "boot0msg", "kind": "crisis", "severity": "high",
         "reviewer_role": "trained_moderator", "weight": 2.5},
        {"type": "alert", "ts": iso(t0 + 4), "id": "boot0al", "message": "boot0msg", "member": "boot0", "model": MODEL,
         "version": VERSION, "score": 0.5, "threshold": THRESHOLD},
        {"type": "response", "ts": iso(t0 + 5), "alert": "boot0al", "responder": "boot0", "responder_role": "peer",
         "outcome": "supported"},
    ]
    with tempfile.TemporaryDirectory() as tmp:  # run in an empty directory: no stray peerlens.json applies
        path = os.path.join(tmp, "schema.jsonl")
        with open(path, "w") as f:
            f.write("".join(json.dumps(r) + "\n" for r in log))
        out = subprocess.run([binary, "ingest", "--db", db, "--format", "json", path], cwd=tmp,
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"peerlens ingest of the schema log failed ({out.returncode}):\n{out.stderr}{out.stdout}")
        # The ingest document (docs/cli-json.md): one section per file, whose first block holds its key figures.
        figures = json.loads(out.stdout)["sections"][0]["blocks"][0]["key_figures"]
        accepted = int(next(f["value"] for f in figures if f["label"] == "Accepted").replace(",", ""))
        if accepted != len(log):
            sys.exit(f"schema log: {accepted} of {len(log)} records accepted: {out.stdout}")
    con = sqlite3.connect(db)
    version = con.execute("SELECT tool_version FROM ingest_run ORDER BY id DESC LIMIT 1").fetchone()[0]
    con.close()
    return version


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the peerlens binary (creates the schema)")
    ap.add_argument("--db", required=True, help="store to write (must not exist unless --force)")
    ap.add_argument("--members", type=int, default=200_000)
    ap.add_argument("--messages", type=int, default=10_000_000)
    ap.add_argument("--reviews", type=int, default=200_000)
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="replace an existing store")
    args = ap.parse_args()
    if args.messages < 8 or args.members < 10 or not 0 < args.reviews <= args.messages:
        sys.exit("need --messages ≥ 8, --members ≥ 10 and 0 < --reviews ≤ --messages")
    if args.messages >= 10**8 or args.members >= 10**7:
        sys.exit("ids are zero-padded to 8 (messages) and 7 (members) digits: use fewer")
    if os.path.exists(args.db) and not args.force:
        sys.exit(f"{args.db} exists (use --force to replace it)")

    started = time.time()
    clock = started
    partial = args.db + ".partial"
    for p in (partial, partial + "-journal"):
        if os.path.exists(p):
            os.remove(p)
    tool_version = bootstrap_schema(args.bin, partial)

    con = sqlite3.connect(partial, isolation_level=None)
    con.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
        PRAGMA temp_store = MEMORY; PRAGMA cache_size = -1048576; PRAGMA foreign_keys = OFF;
    """)
    con.execute("BEGIN")
    for table in EVENT_TABLES + ["quarantine", "dropped_field", "ingest_count", "ingest_run"]:
        con.execute(f"DELETE FROM {table}")  # the schema log's rows
    counts = {}

    def step(name):
        nonlocal clock
        now = time.time()
        print(f"  {name}: {now - clock:.1f} s", flush=True)
        clock = now

    # Members (Python, seeded), plus the per-member terms of the latent logit in a temporary table.
    rng = random.Random(args.seed)
    lang_table = [(i, share) for i, (_, share, *_rest) in enumerate(LANGUAGES)]
    members, conditions, gen_member = [], [], []
    for k in range(1, args.members + 1):
        li = pick(rng, lang_table)
        code, _, regions, cultures, shift, bias = LANGUAGES[li]
        r = rng.randrange(len(regions))
        mid = f"u{k:07d}"
        role = pick(rng, ROLES)
        joined = START_US - rng.randrange(365 * 86_400) * 1_000_000 - rng.randrange(1_000_000)
        members.append((mid, joined, role, regions[r], code, pick(rng, AGE_BANDS), pick(rng, GENDERS),
                        cultures[min(r, len(cultures) - 1)], pick(rng, SETTINGS), 1 if rng.random() < 0.97 else 0,
                        pick(rng, COHORTS)))
        if role == "seeker" and rng.random() < 0.7:
            for c in rng.sample(CONDITIONS, rng.choice((1, 1, 2, 2, 3))):
                conditions.append((mid, c))
        gen_member.append((k, mid, MU + shift + 0.9 * rng.gauss(0, 1), bias))
    con.executemany("INSERT INTO member VALUES (?,?,?,?,?,?,?,?,?,?,?,1)", members)
    con.executemany("INSERT INTO member_condition VALUES (?,?)", conditions)
    con.execute("CREATE TEMP TABLE gen_member (k INTEGER PRIMARY KEY, id TEXT NOT NULL, eta0 REAL NOT NULL, bias REAL NOT NULL)")
    con.executemany("INSERT INTO temp.gen_member VALUES (?,?,?,?)", gen_member)
    responders = {  # responder ids by responder_role: community members, or hotline / emergency services
        "peer": [m[0] for m in members if m[2] in ("peer", "listener", "moderator")] or [members[0][0]],
        "professional": [m[0] for m in members if m[2] == "professional"] or [members[0][0]],
        "hotline": [f"hotline{j:02d}" for j in range(1, 21)],
        "emergency": [f"ems{j:02d}" for j in range(1, 11)],
    }
    counts["member"], counts["member_condition"] = len(members), len(conditions)
    del members, conditions, gen_member
    step("members")

    # Per-message draws: u(j) is the j-th MINSTD value of the row (state s advanced by A^K between rows).
    n = args.messages
    seed_state = 1 + (args.seed * 7_919 + 12_345) % (P - 1)
    def u(j):
        return f"((s * {pow(A, j, P)}) % {P}) / {float(P)!r}"
    step_us = args.weeks * 7 * 86_400 * 1_000_000 / n
    # Messages are in time order; threads are blocks of 8 consecutive messages in one space.
    gen = f"""
        WITH RECURSIVE seq(i, s) AS (
            SELECT 1, {seed_state}
            UNION ALL
            SELECT i + 1, (s * {pow(A, K, P)}) % {P} FROM seq WHERE i < {n}
        ),
        g AS (
            SELECT i, s, printf('m%08d', i) AS id,
                   {START_US} + CAST(((i - 1) + {u(1)}) * {step_us!r} AS INTEGER) AS ts,
                   1 + CAST({args.members} * pow({u(0)}, 1.6) AS INTEGER) AS k,
                   sqrt(-2.0 * ln({u(4)})) * cos(2.0 * pi() * {u(5)}) AS z,
                   sqrt(-2.0 * ln({u(4)})) * sin(2.0 * pi() * {u(5)}) AS e
            FROM seq
        )
    """
    # Latent logit eta = member term + 1.3·z; the model sees it with noise, a small offset and a language bias.
    eta = "(gm.eta0 + 1.3 * g.z)"
    score = f"(1.0 / (1.0 + exp(-({eta} + 0.9 * g.e + 0.3 + gm.bias))))"
    space = case_by_share(f"((((i - 1) / 8 + 1) * 2654435761) % 4294967296) / 4294967296.0", SPACES)
    con.execute(f"""
        INSERT INTO message (id, ts, member, space, thread, reply_to, chars, run_id)
        {gen}
        SELECT g.id, g.ts, gm.id, {space}, printf('t%07d', (i - 1) / 8 + 1),
               CASE WHEN (i - 1) % 8 = 0 THEN NULL ELSE printf('m%08d', i - 1) END,
               10 + CAST(-250.0 * ln({u(3)}) AS INTEGER), 1
        FROM g JOIN temp.gen_member gm ON gm.k = g.k
    """)
    counts["message"] = n
    step("messages")
    con.execute(f"""
        INSERT INTO score (message, model, version, ts, score, run_id)
        {gen}
        SELECT g.id, '{MODEL}', '{VERSION}', g.ts + 1000000, {score}, 1
        FROM g JOIN temp.gen_member gm ON gm.k = g.k
    """)
    counts["score"] = n
    step("scores")
    # Alerts: every message scored at or above the threshold, 2 s after the message.
    con.execute(f"""
        INSERT INTO alert (id, ts, message, member, model, version, score, threshold, run_id)
        SELECT 'al' || substr(s.message, 2), m.ts + 2000000, s.message, m.member, s.model, s.version, s.score, {THRESHOLD}, 1
        FROM score s JOIN message m ON m.id = s.message
        WHERE s.model = '{MODEL}' AND s.version = '{VERSION}' AND s.score >= {THRESHOLD}
    """)
    counts["alert"] = con.execute("SELECT count(*) FROM alert").fetchone()[0]
    step("alerts")

    # Reviews: inclusion probability pi = BASE_PI + b·score with sum(pi) = reviews (capped at 1; b found by
    # bisection on a score histogram), then sequential Poisson sampling: the `reviews` smallest u/pi.
    hist = con.execute("SELECT CAST(score * 10000 AS INTEGER), count(*), sum(score) FROM score GROUP BY 1").fetchall()
    base = min(BASE_PI, 0.25 * args.reviews / n)
    def expected(b):  # sum of pi over messages (each histogram bin capped at its count)
        return sum(min(cnt, cnt * base + b * ssum) for _, cnt, ssum in hist)
    lo, hi = 0.0, 1.0
    while expected(hi) < args.reviews and hi < 1e12:
        hi *= 2
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if expected(mid) < args.reviews else (lo, mid)
    b = hi
    pi = f"min(1.0, {base!r} + {b!r} * {score})"
    truth = f"({u(7)} < 1.0 / (1.0 + exp(-{eta})))"
    severity = (f"CASE WHEN {truth} THEN (CASE WHEN {u(8)} < 0.5 THEN 'moderate' WHEN {u(8)} < 0.85 THEN 'high' ELSE 'imminent' END)"
                f" ELSE (CASE WHEN {u(8)} < 0.8 THEN 'none' ELSE 'low' END) END")
    # Only rows with priority below a cutoff reach the sort: the `reviews`-th smallest priority is about 1
    # because sum(pi) = reviews; a larger cutoff is tried should that ever leave too few.
    cutoff = 1.25
    while True:
        con.execute(f"""
            INSERT INTO review (message, kind, reviewer_role, ts, severity, positive, weight, run_id)
            SELECT id, 'crisis', reviewer_role, ts, severity, NULL, weight, 1 FROM (
                {gen}
                SELECT g.id AS id, CASE WHEN {u(9)} < 0.6 THEN 'clinician' ELSE 'trained_moderator' END AS reviewer_role,
                       g.ts + CAST((1.0 + 71.0 * {u(10)}) * 3600e6 AS INTEGER) AS ts, {severity} AS severity,
                       1.0 / {pi} AS weight, {u(6)} / {pi} AS priority
                FROM g JOIN temp.gen_member gm ON gm.k = g.k
                WHERE {u(6)} < {cutoff!r} * {pi}
                ORDER BY priority LIMIT {args.reviews}
            )
        """)
        if con.execute("SELECT count(*) FROM review").fetchone()[0] == args.reviews or cutoff > 1e6:
            break
        con.execute("DELETE FROM review")
        cutoff *= 4
    counts["review"] = con.execute("SELECT count(*) FROM review").fetchone()[0]
    step(f"reviews (pi = {base} + {b:.5g}·score)")

    # Responses to most alerts (Python, seeded): responder, role, outcome, minutes to respond (log-normal).
    rng = random.Random(args.seed + 1)
    responses = []
    for alert_id, ts in con.execute("SELECT id, ts FROM alert ORDER BY id"):
        if rng.random() < 0.88:
            minutes = math.exp(rng.gauss(math.log(4.0), 1.0))
            role = pick(rng, RESPONDER_ROLES)
            responses.append((alert_id, rng.choice(responders[role]), ts + int(minutes * 60e6), role, pick(rng, OUTCOMES)))
    con.executemany("INSERT INTO response (alert, responder, ts, responder_role, outcome, run_id) VALUES (?,?,?,?,?,1)", responses)
    counts["response"] = len(responses)
    del responses
    step("responses")

    # Bookkeeping: one ingest run describing this fill (the format CHECK allows only jsonl or csv).
    description = (f"synthetic: Benchmarks/make_safety_store.py --seed {args.seed} --members {args.members} "
                   f"--messages {n} --reviews {args.reviews} --weeks {args.weeks}")
    total = sum(v for t, v in counts.items() if t != "member_condition")
    con.execute("""INSERT INTO ingest_run (id, file, sha256, format, started_at, duration_s, tool_version, records, accepted,
                   duplicates, rejected, dropped_fields) VALUES (1, ?, ?, 'jsonl', ?, ?, ?, ?, ?, 0, 0, 0)""",
                (description, hashlib.sha256(description.encode()).hexdigest(),
                 datetime.fromtimestamp(started, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 time.time() - started, tool_version, total, total))
    con.executemany("INSERT INTO ingest_count (run_id, event_type, accepted, duplicates, rejected) VALUES (1, ?, ?, 0, 0)",
                    sorted((t, v) for t, v in counts.items() if t != "member_condition"))
    # event_span is kept by `peerlens ingest`; rows written here by SQL need it recomputed.
    con.execute("DELETE FROM event_span")
    for table in ["member", "message", "score", "review", "alert", "response", "followup", "moderation", "appeal", "match",
                  "match_end", "group_session", "checkin", "skill", "training", "activity"]:
        con.execute(f'INSERT INTO event_span SELECT ?, min(ts), max(ts) FROM "{table}" WHERE true HAVING count(*) > 0', (table,))
    con.execute("COMMIT")
    con.execute("DROP TABLE temp.gen_member")
    con.close()
    os.replace(partial, args.db)
    step("commit")

    elapsed = time.time() - started
    con = sqlite3.connect(args.db)
    positives = con.execute("SELECT sum(severity IN ('moderate','high','imminent')), sum(weight) FROM review").fetchone()
    con.close()
    size = os.path.getsize(args.db)
    print(f"store {args.db}: {size / 2**30:.2f} GiB, built in {elapsed:.1f} s (seed {args.seed})")
    for table in ["member", "member_condition", "message", "score", "review", "alert", "response"]:
        print(f"  {table:17} {counts[table]:>11,}")
    print(f"  reviews positive (≥ moderate): {positives[0]:,}; sum of weights {positives[1]:,.0f} (messages {n:,})")


if __name__ == "__main__":
    main()
