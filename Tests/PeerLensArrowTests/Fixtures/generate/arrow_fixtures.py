#!/usr/bin/env python3
"""Arrow IPC stream fixtures for PeerLensArrowTests, written by pyarrow (an independent writer).

Run from anywhere:  python3 Tests/PeerLensArrowTests/Fixtures/generate/arrow_fixtures.py
Needs: pip install pyarrow   (the versions used are recorded in every JSON file written)

1. Writes `<name>.arrows` (an IPC stream) and `<name>.json` (what pyarrow reads back from it: the schema and
   every batch's values) for each stream below, into the Fixtures folder.
2. Writes refusal streams (`refuse_*.arrows`) that the decoder must reject with a clear error.
3. Checks the encoder: for every `swift_<name>.arrows` that the Swift tests wrote (by re-encoding the decoded
   `<name>.arrows`; run `PEERLENS_ARROW_WRITE_FIXTURES=1 swift test --filter PeerLensArrowTests` first), reads
   it with pyarrow, validates it fully, checks its values equal `<name>.json`, and writes what pyarrow read to
   `swift_<name>.pyarrow.json`. The Swift tests then compare their encoder's output with the committed bytes,
   so the tests need no Python.

Value encoding in the JSON: integers, timestamps and dates as decimal strings (exact beyond 2^53); floats as
Python's repr (shortest round-trip text, `nan`, `inf`, `-0.0`); decimals as fixed-point text with exactly
`scale` fractional digits; strings as JSON strings; booleans as JSON booleans; null as null.
"""
import decimal
import json
import os
import platform
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
VERSIONS = {"pyarrow": pa.__version__, "python": platform.python_version()}
D = decimal.Decimal


def type_json(t):
    if pa.types.is_timestamp(t):
        return {"type": "timestamp", "unit": t.unit, "timezone": t.tz}
    if pa.types.is_decimal(t):
        return {"type": "decimal128", "precision": t.precision, "scale": t.scale}
    names = {
        pa.int8(): "int8", pa.int16(): "int16", pa.int32(): "int32", pa.int64(): "int64",
        pa.float32(): "float", pa.float64(): "double", pa.string(): "utf8", pa.large_string(): "large_utf8",
        pa.bool_(): "bool", pa.date32(): "date32", pa.date64(): "date64", pa.null(): "null",
    }
    return {"type": names[t]}


def values_json(array):
    t = array.type
    if pa.types.is_timestamp(t) or pa.types.is_date64(t):
        return [None if v is None else str(v) for v in array.cast(pa.int64()).to_pylist()]
    if pa.types.is_date32(t):
        return [None if v is None else str(v) for v in array.cast(pa.int32()).to_pylist()]
    if pa.types.is_integer(t):
        return [None if v is None else str(v) for v in array.to_pylist()]
    if pa.types.is_floating(t):
        return [None if v is None else repr(float(v)) for v in array.to_pylist()]
    if pa.types.is_decimal(t):
        return [None if v is None else format(v, "f") for v in array.to_pylist()]
    return array.to_pylist()  # strings, booleans, nulls


def dump(reader):
    schema = reader.schema
    batches = [b for b in reader]
    return {
        "versions": VERSIONS,
        "schema": [dict(name=f.name, nullable=f.nullable, **type_json(f.type)) for f in schema],
        "batches": [{"row_count": b.num_rows, "columns": [values_json(c) for c in b.columns]} for b in batches],
    }


def write_stream(name, schema, batches, options=None):
    path = os.path.join(OUT, name + ".arrows")
    with open(path, "wb") as sink:
        with ipc.new_stream(sink, schema, options=options) as writer:
            for b in batches:
                writer.write_batch(b)
    return path


def write_fixture(name, schema, batches, options=None):
    path = write_stream(name, schema, batches, options)
    with open(path, "rb") as f:
        expected = dump(ipc.open_stream(f.read()))
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------------------------------------------------
# Every supported type, nulls in varied places, four batches (11 rows, 0 rows, 17 rows, 3 rows without nulls).

ALL_TYPES = pa.schema([
    pa.field("id", pa.int64(), nullable=False),
    pa.field("i8", pa.int8()), pa.field("i16", pa.int16()), pa.field("i32", pa.int32()), pa.field("i64", pa.int64()),
    pa.field("f32", pa.float32()), pa.field("f64", pa.float64()),
    pa.field("s", pa.string()), pa.field("ls", pa.large_string()),
    pa.field("b", pa.bool_()),
    pa.field("ts_s", pa.timestamp("s")), pa.field("ts_ms", pa.timestamp("ms", tz="UTC")),
    pa.field("ts_us", pa.timestamp("us", tz="Europe/Berlin")), pa.field("ts_ns", pa.timestamp("ns", tz="+07:30")),
    pa.field("d32", pa.date32()), pa.field("d64", pa.date64()),
    pa.field("dec", pa.decimal128(38, 18)), pa.field("dec2", pa.decimal128(10, 2)),
    pa.field("nothing", pa.null()),
])

I64_MIN, I64_MAX = -(2 ** 63), 2 ** 63 - 1
DAY_MS = 86_400_000


def batch_11():
    n = 11
    return pa.record_batch([
        pa.array(range(n), pa.int64()),
        pa.array([-128, 127, None, 0, -1, 1, None, 5, 6, 7, 8], pa.int8()),
        pa.array([-32768, 32767, 0, None, 1, 2, 3, 4, 5, 6, None], pa.int16()),
        pa.array([-(2 ** 31), 2 ** 31 - 1, None, 0, 1, None, None, None, 42, -42, 9], pa.int32()),
        pa.array([I64_MIN, I64_MAX, 0, None, -1, 2 ** 53 + 1, -(2 ** 53) - 1, 1, 2, 3, None], pa.int64()),
        pa.array([0.1, -0.0, float("nan"), float("inf"), float("-inf"), None, 3.4028234663852886e38,
                  1.401298464324817e-45, 1.5, -2.5, 0.0], pa.float32()),
        pa.array([0.1, -0.0, float("nan"), float("inf"), float("-inf"), None, 1.7976931348623157e308,
                  5e-324, 1e-310, 2.0 / 3.0, -1e100], pa.float64()),
        pa.array(["", "plain", None, "Grüße", "日本語", "emoji 🎉", "e\u0301", "\u00e9", "tab\tnew\nline",
                  "quote \" back \\", None], pa.string()),
        pa.array([None, "ł", "", "Ελληνικά", "a" * 100, "mixed ascii + ünïcödé", "😀😀", None, "x", "y", "z"],
                 pa.large_string()),
        pa.array([True, False, None, True, True, False, None, False, True, True, False], pa.bool_()),
        pa.array([0, -1, 1, None, 1_700_000_000, -1_700_000_000, 253402300799, -62135596800, 2, 3, None],
                 pa.timestamp("s")),
        pa.array([0, -1, None, 1_700_000_000_123, -1, 2, 3, 4, 5, 6, 7], pa.timestamp("ms", tz="UTC")),
        pa.array([0, None, -1, 1_700_000_000_123_456, I64_MAX, I64_MIN, 1, 2, 3, 4, 5],
                 pa.timestamp("us", tz="Europe/Berlin")),
        pa.array([0, -1, -999, -1000, -1001, -1500, 1500, None, 1_700_000_000_123_456_789, I64_MIN, I64_MAX],
                 pa.timestamp("ns", tz="+07:30")),
        pa.array([0, -1, 1, None, 19_700, -719_162, 2_932_896, 3, 4, 5, 6], pa.date32()),
        pa.array([0, -DAY_MS, DAY_MS, None, 19_700 * DAY_MS, 2 * DAY_MS, 3 * DAY_MS, 4 * DAY_MS, None, 0, 0],
                 pa.date64()),
        pa.array([D("0"), D("1.5"), D("-0.000000000000000001"), None, D("99999999999999999999.999999999999999999"),
                  D("-99999999999999999999.999999999999999999"), D("12345.678"), D("-1"), None, D("0.1"),
                  D("-12.000000000000000001")], pa.decimal128(38, 18)),
        pa.array([D("12345678.90"), D("-0.05"), D("0.00"), None, D("99999999.99"), D("-99999999.99"), D("1.00"),
                  D("-1.10"), D("0.01"), None, D("42.42")], pa.decimal128(10, 2)),
        pa.nulls(n, pa.null()),
    ], schema=ALL_TYPES)


def batch_generated(n, start, with_nulls):
    def maybe(i, v):
        return None if with_nulls and (i * 7 + start) % 5 == 0 else v
    ids = range(start, start + n)
    return pa.record_batch([
        pa.array(list(ids), pa.int64()),
        pa.array([maybe(i, (i * 37) % 256 - 128) for i in ids], pa.int8()),
        pa.array([maybe(i, (i * 1009) % 65536 - 32768) for i in ids], pa.int16()),
        pa.array([maybe(i, i * 100_003 - 50_000) for i in ids], pa.int32()),
        pa.array([maybe(i, i * 1_000_000_007 * (-1) ** i) for i in ids], pa.int64()),
        pa.array([maybe(i, i / 8.0 - 1) for i in ids], pa.float32()),
        pa.array([maybe(i, i / 3.0 - 7) for i in ids], pa.float64()),
        pa.array([maybe(i, "row %d · Zeile" % i) for i in ids], pa.string()),
        pa.array([maybe(i, "✓" * (i % 4)) for i in ids], pa.large_string()),
        pa.array([maybe(i, i % 3 == 0) for i in ids], pa.bool_()),
        pa.array([maybe(i, 1_600_000_000 + i) for i in ids], pa.timestamp("s")),
        pa.array([maybe(i, 1_600_000_000_000 + i) for i in ids], pa.timestamp("ms", tz="UTC")),
        pa.array([maybe(i, 1_600_000_000_000_000 - i) for i in ids], pa.timestamp("us", tz="Europe/Berlin")),
        pa.array([maybe(i, -i * 999) for i in ids], pa.timestamp("ns", tz="+07:30")),
        pa.array([maybe(i, 18_000 + i) for i in ids], pa.date32()),
        pa.array([maybe(i, (18_000 - i) * DAY_MS) for i in ids], pa.date64()),
        pa.array([maybe(i, D(i) / D(7)).quantize(D("1e-18")) if maybe(i, 1) is not None else None for i in ids],
                 pa.decimal128(38, 18)),
        pa.array([maybe(i, D(-i * 101) / D(100)) for i in ids], pa.decimal128(10, 2)),
        pa.nulls(n, pa.null()),
    ], schema=ALL_TYPES)


def main():
    decimal.getcontext().prec = 60
    write_fixture("all_types", ALL_TYPES,
                  [batch_11(), batch_generated(0, 100, True), batch_generated(17, 200, True),
                   batch_generated(3, 300, False)])

    # A slice of a batch (row offset 3, not a multiple of 8): the writer rebases buffers and bitmaps.
    write_fixture("sliced", ALL_TYPES, [batch_generated(40, 500, True).slice(3, 21)])

    # A stream with a schema and no batch; one with a single zero-row batch.
    write_fixture("schema_only", ALL_TYPES, [])
    write_fixture("zero_rows", ALL_TYPES, [batch_generated(0, 0, True)])

    # Strings: large_utf8 and utf8 side by side, non-ASCII, empty strings, all-null and no-null batches, and a
    # string array sliced from a longer one (its offsets need not start at zero).
    text_schema = pa.schema([pa.field("u", pa.string()), pa.field("lu", pa.large_string())])
    long_source = pa.array(["skip", "me", "Ünïcödé ✓", "", None, "末尾"] * 3, pa.string())
    write_fixture("strings", text_schema, [
        pa.record_batch([pa.array(["α", "", None, "🙂 ok"]), pa.array(["β" * 1000, None, "", "ǅ"], pa.large_string())],
                        schema=text_schema),
        pa.record_batch([pa.array([None, None], pa.string()), pa.array([None, None], pa.large_string())],
                        schema=text_schema),
        pa.record_batch([long_source.slice(2, 12), long_source.slice(5, 12).cast(pa.large_string())],
                        schema=text_schema),
    ])

    # The legacy framing (no continuation marker, Arrow < 0.15) with metadata version V4.
    small = pa.schema([pa.field("n", pa.int64()), pa.field("name", pa.string())])
    write_fixture("legacy_v4", small,
                  [pa.record_batch([pa.array([1, None, 3]), pa.array(["a", "b", None])], schema=small)],
                  ipc.IpcWriteOptions(use_legacy_format=True, metadata_version=ipc.MetadataVersion.V4))

    # Streams the decoder must refuse (the Swift tests name the expected error).
    dict_schema = pa.schema([pa.field("n", pa.int64()), pa.field("category", pa.dictionary(pa.int32(), pa.string()))])
    write_stream("refuse_dictionary", dict_schema, [pa.record_batch(
        [pa.array([1, 2]), pa.array(["x", "y"]).dictionary_encode()], schema=dict_schema)])
    write_stream("refuse_lz4", small, [pa.record_batch([pa.array([1, 2, 3]), pa.array(["a", "b", "c"])], schema=small)],
                 ipc.IpcWriteOptions(compression="lz4"))
    unsigned = pa.schema([pa.field("n", pa.int64()), pa.field("count_u32", pa.uint32())])
    write_stream("refuse_uint32", unsigned, [pa.record_batch([pa.array([1]), pa.array([2], pa.uint32())], schema=unsigned)])
    listed = pa.schema([pa.field("tags", pa.list_(pa.string()))])
    write_stream("refuse_list", listed, [pa.record_batch([pa.array([["a"], []])], schema=listed)])
    wide = pa.schema([pa.field("big", pa.decimal256(50, 2))])
    write_stream("refuse_decimal256", wide, [pa.record_batch([pa.array([D("1.00")], pa.decimal256(50, 2))], schema=wide)])

    check_swift_encoded()


def check_swift_encoded():
    """Reads every stream the Swift encoder wrote with pyarrow and records what pyarrow saw."""
    checked = 0
    for name in sorted(os.listdir(OUT)):
        if not (name.startswith("swift_") and name.endswith(".arrows")):
            continue
        source = name[len("swift_"):-len(".arrows")]
        with open(os.path.join(OUT, name), "rb") as f:
            reader = ipc.open_stream(f.read())
            batches = [b for b in reader]
        for b in batches:
            b.validate(full=True)
        with open(os.path.join(OUT, name), "rb") as f:
            seen = dump(ipc.open_stream(f.read()))
        with open(os.path.join(OUT, source + ".json")) as f:
            expected = json.load(f)
        if seen["schema"] != expected["schema"] or seen["batches"] != expected["batches"]:
            sys.exit("pyarrow reads %s differently from %s.json" % (name, source))
        with open(os.path.join(OUT, "swift_" + source + ".pyarrow.json"), "w") as f:
            json.dump(seen, f, indent=1, ensure_ascii=False)
            f.write("\n")
        checked += 1
    print("pyarrow read and validated %d stream(s) written by the Swift encoder" % checked)


if __name__ == "__main__":
    main()
