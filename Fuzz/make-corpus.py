#!/usr/bin/env python3
"""Builds the committed seed corpora of the fuzz targets (Fuzz/corpus/TARGET) from the demo log and the test fixtures.

Run from anywhere: python3 Fuzz/make-corpus.py. Deterministic: the same inputs give the same files.
- jsonl: every JSON Lines fixture of the tests (plain and gzip), and from the demo log the first 3 records of each
  event type, one small file per type plus one of all of them (plain and gzip).
- csv: the CSV fixtures, and the same demo records written as CSV (one file per type, named by the type; and one
  file with a `type` column), each prefixed with the byte that makes the target name the file (see targets/csv.swift).
- timestamp: the timestamps of the demo records and a few edge cases of RFC 3339.
- validators: the ids and labels of the demo records, and edge cases (64 and 65 characters, 4 and 5 words,
  letters of other scripts, combining marks, punctuation).
- predictions: the CSV fixtures of the PeerLensSafety tests (first 60 rows; plain, and one gzip) and the demo's
  scores written as a predictions file (score, label, group, time), each prefixed with the two option bytes that
  make the target ask for their columns (see targets/predictions.swift).
- notebook: the committed notebooks (notebooks-md/*.md) and small notebooks of each construct and error.
- disclosure: tables in the target's encoding (see targets/disclosure.swift): every layout of totals, each policy,
  and cell patterns from the demo's two-way tables (small cells alone in a row or column, zeros, withheld cells).
"""
import gzip, hashlib, json, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "Fuzz" / "corpus"
TYPES = ["member", "message", "score", "review", "alert", "response", "followup", "moderation", "appeal", "match",
         "match_end", "group_session", "checkin", "skill", "training", "activity"]
NAMES = [t + ".csv" for t in TYPES] + ["events.csv"]


def save(target, data):
    directory = out / target
    directory.mkdir(parents=True, exist_ok=True)
    # Named by content, as libFuzzer names its own corpus files.
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def gz(data):
    return gzip.compress(data, mtime=0)


# The demo log: the first 3 records of each type.
samples = {t: [] for t in TYPES}
with gzip.open(root / "datasets" / "demo" / "events.jsonl.gz", "rt", encoding="utf-8") as log:
    for line in log:
        record = json.loads(line)
        kept = samples[record["type"]]
        if len(kept) < 3:
            kept.append(line.rstrip("\n"))
        if all(len(v) == 3 for v in samples.values()):
            break

# jsonl
fixtures = [p for d in ["Tests/PeerLensLogTests/Fixtures", "Tests/PeerLensStoreTests/Fixtures"]
            for p in sorted((root / d).glob("*.jsonl*"))]
for path in fixtures:
    save("jsonl", path.read_bytes())
everything = "\n".join(line for t in TYPES for line in samples[t]).encode() + b"\n"
save("jsonl", everything)
save("jsonl", gz(everything))
for t in TYPES:
    save("jsonl", ("\n".join(samples[t]) + "\n").encode())


# csv
def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(cell(v) for v in value)
    return str(value)


def csv_text(records, with_type):
    rows = []
    for record in records:
        row = {}
        for key, value in record.items():
            if key == "type" and not with_type:
                continue
            if isinstance(value, dict):
                for name, component in value.items():
                    row[f"{key}.{name}"] = cell(component)
            else:
                row[key] = cell(value)
        rows.append(row)
    header = sorted({k for row in rows for k in row})
    quote = lambda s: '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n|') else s
    lines = [",".join(header)] + [",".join(quote(row.get(k, "")) for k in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


for path in sorted((root / "Tests/PeerLensLogTests/Fixtures/csv").glob("*.csv")):
    save("csv", bytes([NAMES.index(path.name)]) + path.read_bytes())
for t in TYPES:
    records = [json.loads(line) for line in samples[t]]
    save("csv", bytes([NAMES.index(t + ".csv")]) + csv_text(records, with_type=False))
mixed = [json.loads(line) for t in ["member", "score", "checkin"] for line in samples[t]]
save("csv", bytes([NAMES.index("events.csv")]) + csv_text(mixed, with_type=True))
save("csv", bytes([NAMES.index("score.csv")]) + gz(csv_text([json.loads(l) for l in samples["score"]], with_type=False)))

# timestamp
stamps = {json.loads(line)["ts"] for t in TYPES for line in samples[t]}
stamps |= {"2026-01-05T09:00:00Z", "2026-01-05T09:00:00.123456Z", "2026-01-05T09:00:00+05:30", "2026-01-05t09:00:00z",
           "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2024-02-29T12:00:00-00:00", "2026-01-05 09:00:00Z"}
for stamp in sorted(stamps):
    save("timestamp", stamp.encode())

# validators
ID_FIELDS = {"member", "id", "message", "thread", "reply_to", "alert", "responder", "moderation", "seeker", "peer", "match",
             "group", "session", "facilitator"}
LABEL_FIELDS = {"space", "model", "version", "gender", "culture", "cohort", "skill", "course", "framework", "reviewer_role",
                "focus"}
values = set()
for t in TYPES:
    for line in samples[t]:
        for key, value in json.loads(line).items():
            if isinstance(value, str) and (key in ID_FIELDS or key in LABEL_FIELDS):
                values.add(value)
values |= {"a" * 64, "a" * 65, "m-0001:x.y_z", "one two three four", "one two three four five", "Café crème",
           "\u0928\u092e\u0938\u094d\u0924\u0947", "e\u0301 combining", "  leading", "trailing  ", "R&D (beta)", "O'Brien+1", ""}
for value in sorted(values):
    save("validators", value.encode())


# predictions: option bytes (targets/predictions.swift): a = score | label << 2 | positive << 4, b = group | time << 1.
SCORES, LABELS, POSITIVES = ["score", "risk", "s100b", "dsi"], ["label", "outcome", "suicide", "y"], [None, "yes", "Poor", "1"]


def options(score, label, positive=None, group=False, time=False):
    return bytes([SCORES.index(score) | LABELS.index(label) << 2 | POSITIVES.index(positive) << 4, int(group) | int(time) << 1])


def head(path, rows=60):
    return b"".join(path.read_bytes().splitlines(keepends=True)[:rows + 1])


safety = root / "Tests/PeerLensSafetyTests/Fixtures"
save("predictions", options("risk", "outcome", group=True) + head(safety / "calibration.csv"))
save("predictions", options("risk", "outcome") + gz(head(safety / "calibration.csv")))
save("predictions", options("dsi", "suicide", "yes") + head(safety / "suicide.csv"))
save("predictions", options("s100b", "outcome", "Poor") + head(safety / "asah.csv"))
demo_scores = []
with gzip.open(root / "datasets" / "demo" / "events.jsonl.gz", "rt", encoding="utf-8") as log:
    for line in log:
        record = json.loads(line)
        if record["type"] == "score":
            demo_scores.append(record)
            if len(demo_scores) == 40:
                break
rows = ["score,label,group,at"] + [f"{r['score']},{i % 3 == 0:d},{r.get('model', 'm')},{r['ts']}" for i, r in enumerate(demo_scores)]
save("predictions", options("score", "label", group=True, time=True) + ("\n".join(rows) + "\n").encode())
save("predictions", options("score", "label", "1") + b'"score","label"\r\n0.25,1\r\n1e-3,0\r\n 7 ,"1"\r\n\r\n')

# notebook
for path in sorted((root / "notebooks-md").glob("*.md")):
    if path.name != "README.md":
        save("notebook", path.read_bytes())
for text in [
    "# Title\n\nIntro *em* and **strong** and `code` and [a link](https://example.org) and \\* escaped.\n\n## Section\n\n- one\n- two\n  continued\n\n1. first\n2) second\n\n> a quote\n\n### Deeper ###\n",
    "```peerlens\n# a comment\npeerlens risk --model crisis\noutcomes --by 'a b' \"c\\\"d\" e\\ f\n```\n",
    "~~~~ python extra\nprint(1)\n~~~\n~~~~\n\n```\nplain\n```\n",
    "```peerlens\nrisk | head\n```\n",
    "```peerlens\nrisk -- x\n```\n",
    "```peerlens\n\n```\n",
    "```peerlens\nrisk\n",
    "```peerlens\nrisk 'unclosed\n```\n",
    "#no heading\n####### seven\n   # three spaces\n    # four\r\n_a_b_ *x* ** y**\n",
]:
    save("notebook", text.encode())

# disclosure: rows-1, columns-1, layout (1 row-total column, 2 column-total row, 4 row totals elsewhere, 8 column
# totals elsewhere), options (k: 0 → 11, 2 → 5, 3 → 3; rounding << 2: 2 → 5, 3 → 10), then a byte per cell:
# low 3 bits 0 empty, 2 small (1 + (b >> 3) % (k − 1)), 5 large (k + (b >> 3) % 64), 7 withheld; b >> 3 the amount.
def table(rows, layout, k=0, rounding=0):
    cells = []
    for row in rows:
        for kind, amount in row:
            cells.append({"empty": 0, "small": 2, "large": 5, "withheld": 7}[kind] | amount << 3)
    return bytes([len(rows) - 1, len(rows[0]) - 1, layout, k | rounding << 2] + cells)


E, S, L, W = ("empty", 0), ("small", 4), ("large", 20), ("withheld", 1)
patterns = [
    [[S, L], [L, L]],                      # one small cell: three more to hide
    [[S, L, L], [L, S, L], [L, L, L]],     # two small cells on a diagonal
    [[S], [L], [L]],                       # one-way
    [[S, L, E], [E, L, S]],                # zeros beside small cells
    [[("small", 9), ("large", 0)]],        # one row
    [[W, L], [L, L]],                      # withheld by the analysis
    [[E, E], [E, S]],                      # a small cell alone: totals are small too
]
for pattern in patterns:
    for layout in [0, 1, 2, 3, 4, 8, 12, 5, 10]:
        save("disclosure", table(pattern, layout))
    save("disclosure", table(pattern, 3, k=2, rounding=2))
    save("disclosure", table(pattern, 3, k=3, rounding=3))
