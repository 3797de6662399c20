#!/usr/bin/env python3
"""Captures the raw Arrow IPC bytes that a real Spark Connect server returns, for the Arrow decoder's tests.

Runs each query below through Spark Connect's own gRPC service (pyspark's generated stubs, no DataFrame layer in
between), and writes every `ExecutePlanResponse.arrow_batch.data` byte for byte to OUT/NAME-N.arrow (N from 1, in
the order the server sent them), plus OUT/manifest.json (query, settings, per batch: file, row_count,
start_offset, SHA-256, and the schema and values pyarrow reads from it) and OUT/README.md; for the queries in
RESPONSE_STREAMS also the whole response stream (OUT/NAME.responses).

Usage (with the cluster running: `bash .ci/spark-cluster start`):

    PYTHONPATH=.spark/python-4.3.0 python3 Tests/PeerLensSparkTests/Fixtures/capture_arrow_batches.py OUT [sc://127.0.0.1:15002]

The files are written into a temporary folder beside OUT and moved in when all are complete, README last.
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid

import grpc
import pyarrow as pa
import pyspark
from pyspark.sql.connect.proto import base_pb2, base_pb2_grpc, relations_pb2

# Each fixture: (name, description, session settings, query). Settings apply to that query only (set before it,
# unset after). Values avoid anything that looks like personal data.
# For these, the whole response stream is kept too (OUT/NAME.responses: each serialized ExecutePlanResponse after
# its length as 4 bytes big-endian), for the client's tests of how it folds a real stream into a result.
RESPONSE_STREAMS = {"several-batches", "empty", "mixed"}
SMALL_BATCHES = {"spark.sql.execution.arrow.maxRecordsPerBatch": "4"}
FIXTURES = [
    (
        "int64",
        "64-bit integers (BIGINT), one with nulls, extremes",
        {},
        "SELECT id, CASE WHEN id % 3 = 0 THEN NULL ELSE id END AS maybe "
        "FROM VALUES (0L), (1L), (2L), (3L), (4L), (-9223372036854775808L), (9223372036854775807L) AS t(id)",
    ),
    (
        "int32",
        "32-bit integers (INT), one with nulls, extremes",
        {},
        "SELECT CAST(id AS INT) AS i, CASE WHEN id % 2 = 0 THEN NULL ELSE CAST(id * -7 AS INT) END AS maybe "
        "FROM range(0, 9) UNION ALL SELECT CAST(-2147483648 AS INT), CAST(2147483647 AS INT)",
    ),
    (
        "double",
        "doubles (DOUBLE) with nulls, NaN, infinities and -0.0 (which Spark returns as 0.0)",
        {},
        "SELECT x, CASE WHEN x IS NULL THEN NULL ELSE x / 4 END AS quarter FROM VALUES "
        "(CAST(1.5 AS DOUBLE)), (CAST(NULL AS DOUBLE)), (CAST('NaN' AS DOUBLE)), (CAST('Infinity' AS DOUBLE)), "
        "(CAST('-Infinity' AS DOUBLE)), (CAST(-0.0 AS DOUBLE)), (1e-300), (123456789.125) AS t(x)",
    ),
    (
        "string",
        "UTF-8 strings (STRING) with nulls, the empty string and non-ASCII text",
        {},
        "SELECT s, length(s) AS chars FROM VALUES ('forum'), (NULL), (''), ('listening-service'), "
        "('Zürich café'), ('日本語'), ('emoji 🙂'), (NULL), ('a') AS t(s)",
    ),
    (
        "timestamp",
        "timestamps with the session time zone (TIMESTAMP, Arrow timestamp[us, tz=UTC]) and without "
        "(TIMESTAMP_NTZ, Arrow timestamp[us]), with nulls, before 1970 and with microseconds",
        {"spark.sql.session.timeZone": "UTC"},
        "SELECT ts, CAST(ts AS TIMESTAMP_NTZ) AS ts_ntz FROM VALUES "
        "(TIMESTAMP'2026-03-01 12:34:56.789012'), (NULL), (TIMESTAMP'1969-12-31 23:59:59.5'), "
        "(TIMESTAMP'1970-01-01 00:00:00'), (TIMESTAMP'2038-01-19 03:14:08') AS t(ts)",
    ),
    (
        "timestamp-berlin",
        "the same timestamps with the session time zone Europe/Berlin (the Arrow field's time zone changes; "
        "the stored instants do not)",
        {"spark.sql.session.timeZone": "Europe/Berlin"},
        "SELECT ts, CAST(ts AS TIMESTAMP_NTZ) AS ts_ntz FROM VALUES "
        "(TIMESTAMP'2026-03-01 12:34:56.789012'), (NULL), (TIMESTAMP'1969-12-31 23:59:59.5') AS t(ts)",
    ),
    (
        "boolean",
        "booleans (BOOLEAN) with nulls, more than 8 rows (bit-packed over two bytes)",
        {},
        "SELECT id, CASE WHEN id % 4 = 3 THEN NULL ELSE id % 2 = 0 END AS even FROM range(0, 11)",
    ),
    (
        "date",
        "dates (DATE, Arrow date32) with nulls, before 1970",
        {},
        "SELECT d FROM VALUES (DATE'2026-03-01'), (NULL), (DATE'1969-12-31'), (DATE'1970-01-01'), "
        "(DATE'0001-01-01'), (DATE'9999-12-31') AS t(d)",
    ),
    (
        "mixed",
        "every type above in one result, nulls in each column",
        {"spark.sql.session.timeZone": "UTC"},
        "SELECT id AS big, CAST(id AS INT) AS small, id / 3.0D AS ratio, "
        "CASE WHEN id % 2 = 0 THEN concat('space-', id) END AS label, "
        "CASE WHEN id % 3 <> 0 THEN TIMESTAMP'2026-01-01 00:00:00' + make_interval(0, 0, 0, CAST(id AS INT)) END AS at, "
        "CASE WHEN id % 3 <> 1 THEN id > 2 END AS flag, "
        "CASE WHEN id <> 4 THEN DATE'2026-01-01' + CAST(id AS INT) END AS day "
        "FROM range(0, 6)",
    ),
    (
        "grouped-counts",
        "the shape of PeerLens's store queries: a group-by returning a key, a count and a sum",
        {},
        "SELECT CASE WHEN id % 5 = 0 THEN NULL ELSE concat('k', id % 3) END AS k, count(*) AS n, "
        "sum(id) AS total, avg(id) AS mean FROM range(0, 100) GROUP BY 1 ORDER BY 1 NULLS FIRST",
    ),
    (
        "several-batches",
        "10 rows in batches of at most 4 rows (spark.sql.execution.arrow.maxRecordsPerBatch=4), over 2 partitions",
        SMALL_BATCHES,
        "SELECT id, CASE WHEN id % 3 = 0 THEN NULL ELSE concat('row-', id) END AS label "
        "FROM range(0, 10, 1, 2) ORDER BY id",
    ),
    (
        "many-rows",
        "25,000 rows with the default batch size (10,000 rows per batch)",
        {},
        "SELECT id, CAST(id % 1000 AS DOUBLE) / 8 AS x FROM range(0, 25000, 1, 1)",
    ),
    (
        "empty",
        "an empty result (no rows): what the server sends for it",
        {},
        "SELECT id, CAST(id AS STRING) AS s FROM range(0, 10) WHERE id < 0",
    ),
    (
        "all-null",
        "columns whose every value is null (typed STRING and BIGINT, and the NULL type)",
        {},
        "SELECT CAST(NULL AS STRING) AS s, CAST(NULL AS BIGINT) AS n, NULL AS untyped FROM range(0, 3)",
    ),
]


def describe_value(value):
    """JSON-safe rendering of a value pyarrow read (NaN and infinities as strings, timestamps in ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        if value == 0.0 and str(value).startswith("-"):
            return "-0.0"
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def set_config(stub, session_id, user, pairs):
    request = base_pb2.ConfigRequest(
        session_id=session_id,
        user_context=user,
        operation=base_pb2.ConfigRequest.Operation(
            set=base_pb2.ConfigRequest.Set(pairs=[base_pb2.KeyValue(key=k, value=v) for k, v in pairs.items()])
        ),
    )
    stub.Config(request)


def unset_config(stub, session_id, user, keys):
    request = base_pb2.ConfigRequest(
        session_id=session_id,
        user_context=user,
        operation=base_pb2.ConfigRequest.Operation(unset=base_pb2.ConfigRequest.Unset(keys=list(keys))),
    )
    stub.Config(request)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    out_dir = os.path.abspath(sys.argv[1])
    url = sys.argv[2] if len(sys.argv) == 3 else "sc://127.0.0.1:15002"
    if not url.startswith("sc://"):
        sys.exit(f"not a Spark Connect URL: {url}")
    target = url[len("sc://"):].split("/")[0].split(";")[0]

    channel = grpc.insecure_channel(target)
    stub = base_pb2_grpc.SparkConnectServiceStub(channel)
    session_id = str(uuid.uuid4())
    user = base_pb2.UserContext(user_id="peerlens-fixtures", user_name="peerlens-fixtures")

    os.makedirs(os.path.dirname(out_dir) or ".", exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".staging-", dir=os.path.dirname(out_dir))
    manifest = {
        "spark_version": pyspark.__version__,
        "pyarrow_version": pa.__version__,
        "url": url,
        "fixtures": [],
    }
    for name, description, settings, query in FIXTURES:
        if settings:
            set_config(stub, session_id, user, settings)
        request = base_pb2.ExecutePlanRequest(
            session_id=session_id,
            user_context=user,
            operation_id=str(uuid.uuid4()),
            plan=base_pb2.Plan(root=relations_pb2.Relation(sql=relations_pb2.SQL(query=query))),
        )
        batches = []
        response_kinds = []
        stream = bytearray()
        for response in stub.ExecutePlan(request):
            serialized = response.SerializeToString()
            stream += len(serialized).to_bytes(4, "big") + serialized
            kind = response.WhichOneof("response_type")
            # Responses outside the oneof carry the schema, the metrics or observed metrics: name those fields.
            response_kinds.append(
                kind
                or "+".join(
                    field.name
                    for field, _ in response.ListFields()
                    if field.name not in ("session_id", "server_side_session_id", "operation_id", "response_id")
                )
            )
            if kind != "arrow_batch":
                continue
            data = response.arrow_batch.data
            index = len(batches) + 1
            file_name = f"{name}-{index}.arrow"
            with open(os.path.join(staging, file_name), "wb") as f:
                f.write(data)
            table = pa.ipc.open_stream(data).read_all()
            batches.append(
                {
                    "file": file_name,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "row_count": response.arrow_batch.row_count,
                    "start_offset": response.arrow_batch.start_offset
                    if response.arrow_batch.HasField("start_offset")
                    else None,
                    "ipc_record_batches": len(pa.ipc.open_stream(data).read_all().to_batches()),
                    "schema": [
                        {"name": field.name, "type": str(field.type), "nullable": field.nullable}
                        for field in table.schema
                    ],
                    "values": {
                        column: [describe_value(v) for v in table.column(column).to_pylist()]
                        for column in table.column_names
                    }
                    if table.num_rows <= 50
                    else {"first_row": {c: describe_value(table.column(c)[0].as_py()) for c in table.column_names}},
                }
            )
        if settings:
            unset_config(stub, session_id, user, settings.keys())
        if name in RESPONSE_STREAMS:
            with open(os.path.join(staging, f"{name}.responses"), "wb") as f:
                f.write(stream)
        manifest["fixtures"].append(
            {
                "name": name,
                "description": description,
                "settings": settings,
                "query": query,
                "responses": response_kinds,  # every ExecutePlanResponse, in order
                "batches": batches,
            }
        )
        print(f"{name}: {len(batches)} batch(es), rows {[b['row_count'] for b in batches]}", file=sys.stderr)

    with open(os.path.join(staging, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(staging, "README.md"), "w") as f:
        f.write(readme(manifest))

    os.makedirs(out_dir, exist_ok=True)
    names = sorted(os.listdir(staging), key=lambda n: (n == "README.md", n))
    for file_name in names:
        shutil.move(os.path.join(staging, file_name), os.path.join(out_dir, file_name))
    os.rmdir(staging)


def readme(manifest):
    lines = [
        "# Arrow IPC batches from a real Spark Connect server",
        "",
        f"Captured from Spark {manifest['spark_version']} (standalone cluster of `.ci/spark-cluster`, "
        f"{manifest['url']}) by `Tests/PeerLensSparkTests/Fixtures/capture_arrow_batches.py`.",
        "Each `NAME-N.arrow` is the raw `ExecutePlanResponse.arrow_batch.data` of the N-th Arrow batch the server",
        "sent for that query (an Arrow IPC *stream*: schema message, record batch(es), end-of-stream marker), byte for",
        f"byte. `manifest.json` lists, per batch, the row count the server announced, the schema and the values as",
        f"pyarrow {manifest['pyarrow_version']} reads them (NaN and infinities as strings, timestamps in ISO 8601).",
        "`NAME.responses` (for " + ", ".join(sorted(RESPONSE_STREAMS)) + ") hold the whole response stream of that",
        "query: each serialized `ExecutePlanResponse` after its length as 4 bytes big-endian.",
        "",
        "| name | batches (rows) | what | settings | query |",
        "| --- | --- | --- | --- | --- |",
    ]
    for fixture in manifest["fixtures"]:
        rows = ", ".join(str(b["row_count"]) for b in fixture["batches"]) or "none"
        settings = ", ".join(f"`{k}={v}`" for k, v in fixture["settings"].items()) or "defaults"
        query = fixture["query"].replace("|", "\\|")
        lines.append(
            f"| {fixture['name']} | {len(fixture['batches'])} ({rows}) | {fixture['description']} | {settings} | `{query}` |"
        )
    lines += ["", "Schemas (pyarrow's names):", ""]
    for fixture in manifest["fixtures"]:
        if fixture["batches"]:
            schema = ", ".join(f"{c['name']}: {c['type']}" for c in fixture["batches"][0]["schema"])
            lines.append(f"- {fixture['name']}: {schema}")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
