#!/usr/bin/env python3
"""Copies Arrow IPC streams captured from a real Spark Connect server into Fixtures/spark/, with what pyarrow
reads from each.

Run:  python3 Tests/PeerLensArrowTests/Fixtures/generate/spark_fixtures.py [CAPTURE_FOLDER]
      (default CAPTURE_FOLDER: /work/spark-fixtures, written by the Spark Connect client's capture script
      `Tests/PeerLensSparkTests/Fixtures/capture_arrow_batches.py` against Spark 4.3.0)
Needs: pip install pyarrow

For every `NAME-N.arrow` listed in the capture's `manifest.json`: checks its SHA-256 and the row count the
server announced, copies it byte for byte to `Fixtures/spark/NAME-N.arrow`, and writes
`Fixtures/spark/NAME-N.json` in the format of `arrow_fixtures.py` (schema, then per batch the row count and
every column's values as pyarrow reads them). The capture's README (the queries) and manifest are copied too.
The two 10,000-row batches of `many-rows` are left out (size); its 5,000-row last batch is kept.
"""
import hashlib
import json
import os
import shutil
import sys

import pyarrow.ipc as ipc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from arrow_fixtures import OUT, dump  # noqa: E402

SOURCE = sys.argv[1] if len(sys.argv) > 1 else "/work/spark-fixtures"
TARGET = os.path.join(OUT, "spark")
# Left out to keep the fixtures small: the two full 10,000-row batches of the many-rows query (160 KB each);
# its last batch (5,000 rows, the same layout) is kept.
SKIP = {"many-rows-1.arrow", "many-rows-2.arrow"}


def main():
    with open(os.path.join(SOURCE, "manifest.json")) as f:
        manifest = json.load(f)
    os.makedirs(TARGET, exist_ok=True)
    copied = 0
    for fixture in manifest["fixtures"]:
        for batch in fixture["batches"]:
            name = batch["file"]
            if name in SKIP:
                continue
            with open(os.path.join(SOURCE, name), "rb") as f:
                data = f.read()
            if hashlib.sha256(data).hexdigest() != batch["sha256"]:
                sys.exit("%s: SHA-256 differs from the manifest" % name)
            expected = dump(ipc.open_stream(data))
            rows = sum(b["row_count"] for b in expected["batches"])
            if rows != batch["row_count"]:
                sys.exit("%s: pyarrow reads %d rows, the server announced %d" % (name, rows, batch["row_count"]))
            expected["source"] = {"spark_version": manifest["spark_version"], "query": fixture["query"],
                                  "settings": fixture["settings"], "sha256": batch["sha256"]}
            with open(os.path.join(TARGET, name), "wb") as f:
                f.write(data)
            with open(os.path.join(TARGET, name[:-len(".arrow")] + ".json"), "w") as f:
                json.dump(expected, f, indent=1, ensure_ascii=False)
                f.write("\n")
            copied += 1
    shutil.copyfile(os.path.join(SOURCE, "README.md"), os.path.join(TARGET, "README.md"))
    shutil.copyfile(os.path.join(SOURCE, "manifest.json"), os.path.join(TARGET, "manifest.json"))
    print("copied %d Spark Connect batches with pyarrow's reading of each" % copied)


if __name__ == "__main__":
    main()
