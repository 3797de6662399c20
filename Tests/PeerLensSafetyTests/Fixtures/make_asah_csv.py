"""Writes asah.csv (pROC's aSAH data: outcome, s100b, ndka, wfns) from the R reference fixture of the
statistics tests, which make_reference.R exported with pROC. Run from this folder."""
import csv
import json

asah = json.load(open("../../PeerLensStatsTests/Fixtures/r_reference.json"))["asah"]
with open("asah.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["outcome", "s100b", "ndka"])
    for y, s, n in zip(asah["outcome"], asah["s100b"], asah["ndka"]):
        w.writerow(["Poor" if y == 1 else "Good", repr(s), repr(n)])
