import Foundation
import Testing
@testable import PeerLensArrow

@Suite("ArrowStream.encode: read back by pyarrow and by the decoder")
struct EncoderTests {
    /// The pyarrow-written fixtures whose re-encoding is committed as `swift_<name>.arrows` and checked by
    /// pyarrow (`generate/arrow_fixtures.py` writes `swift_<name>.pyarrow.json`).
    static let reencoded = ["all_types", "sliced", "strings", "schema_only", "zero_rows", "legacy_v4"]

    @Test("Re-encoding a decoded pyarrow stream gives the committed bytes, which pyarrow read as the original values",
          arguments: reencoded)
    func pyarrowReadsTheEncoderOutput(name: String) throws {
        let decoded = try ArrowStream.decode(fixtureBytes(name + ".arrows"))
        let encoded = try ArrowStream.encode(schema: decoded.schema, batches: decoded.batches)
        if ProcessInfo.processInfo.environment["PEERLENS_ARROW_WRITE_FIXTURES"] == "1" {
            try Data(encoded).write(to: sourceFixturesFolder().appendingPathComponent("swift_\(name).arrows"))
        }
        // Same bytes as the file pyarrow checked: if the encoder changes, rerun the generator (see its header).
        #expect(encoded == (try fixtureBytes("swift_\(name).arrows")))
        // What pyarrow read from those bytes equals the original fixture's values…
        let pyarrowView = try ExpectedStream.load("swift_\(name).pyarrow.json")
        let found = differences(decoded, pyarrowView)
        #expect(found.isEmpty, "\(found.prefix(5))")
        // …and our own decoder reads them back to the same stream.
        let again = try ArrowStream.decode(encoded, requireEndOfStream: true)
        #expect(identical(again, decoded))
    }

    @Test("Encoding is deterministic and 8-byte aligned throughout")
    func layout() throws {
        let decoded = try ArrowStream.decode(fixtureBytes("all_types.arrows"))
        let one = try ArrowStream.encode(schema: decoded.schema, batches: decoded.batches)
        let two = try ArrowStream.encode(schema: decoded.schema, batches: decoded.batches)
        #expect(one == two)
        #expect(one.count % 8 == 0)
        // Walk the messages: each starts with the continuation marker and a metadata length that keeps the
        // body on an 8-byte boundary.
        var position = 0
        var messages = 0
        while true {
            let marker = one[position..<position + 4]
            #expect(Array(marker) == [0xFF, 0xFF, 0xFF, 0xFF])
            let length = one[position + 4..<position + 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            if length == 0 { break }
            #expect(length % 8 == 0)
            let body = try #require(try ArrowStream.bodyLength(ofMessageAt: position, in: one))
            #expect(body % 8 == 0)
            position += 8 + length + body
            messages += 1
        }
        #expect(messages == 1 + decoded.batches.count)
        #expect(position + 8 == one.count)
    }

    @Test("Hand-built batches of every type round-trip through encode and decode", arguments: [0, 1, 7, 8, 9, 64, 333])
    func roundTrip(rows: Int) throws {
        var random = SplitMix64(seed: UInt64(rows) + 1)
        let schema = ArrowSchema(fields: [
            ArrowField(name: "n", type: .int64, nullable: false),
            ArrowField(name: "i8", type: .int8), ArrowField(name: "i16", type: .int16), ArrowField(name: "i32", type: .int32),
            ArrowField(name: "f", type: .float32), ArrowField(name: "d", type: .float64),
            ArrowField(name: "s", type: .utf8), ArrowField(name: "ls", type: .largeUtf8),
            ArrowField(name: "b", type: .bool),
            ArrowField(name: "t", type: .timestamp(unit: .microsecond, timeZone: "UTC")),
            ArrowField(name: "tn", type: .timestamp(unit: .nanosecond, timeZone: nil)),
            ArrowField(name: "day", type: .date32), ArrowField(name: "ms", type: .date64),
            ArrowField(name: "dec", type: .decimal128(precision: 38, scale: 6)),
            ArrowField(name: "none", type: .null),
        ])
        func maybe<T>(_ value: T) -> T? { random.next() % 4 == 0 ? nil : value }
        let words = ["", "a", "Grüße", "日本", "🎉🎉", "x y z"]
        let columns: [ArrowColumn] = [
            .int64((0..<rows).map { Int64($0) }),
            .int8((0..<rows).map { _ in maybe(Int8(truncatingIfNeeded: random.next())) }),
            .int16((0..<rows).map { _ in maybe(Int16(truncatingIfNeeded: random.next())) }),
            .int32((0..<rows).map { _ in maybe(Int32(truncatingIfNeeded: random.next())) }),
            .float32((0..<rows).map { _ in maybe(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))) }),
            .float64((0..<rows).map { _ in maybe(Double(bitPattern: random.next())) }),
            .string((0..<rows).map { _ in maybe(words[Int(random.next() % 6)]) }),
            .string((0..<rows).map { _ in maybe(String(repeating: words[Int(random.next() % 6)], count: Int(random.next() % 5))) }),
            .bool((0..<rows).map { _ in maybe(random.next() % 2 == 0) }),
            .timestamp((0..<rows).map { _ in maybe(Int64(bitPattern: random.next())) }),
            .timestamp((0..<rows).map { _ in maybe(Int64(bitPattern: random.next())) }),
            .date32((0..<rows).map { _ in maybe(Int32(truncatingIfNeeded: random.next())) }),
            .date64((0..<rows).map { _ in maybe(Int64(truncatingIfNeeded: Int32(truncatingIfNeeded: random.next())) * 86_400_000) }),
            .decimal128((0..<rows).map { _ in maybe(ArrowDecimal128(Int64(bitPattern: random.next()))) }),
            .null(count: rows),
        ]
        let batch = try ArrowRecordBatch(schema: schema, rowCount: rows, columns: columns)
        let empty = try ArrowRecordBatch(schema: schema, rowCount: 0, columns: schema.fields.map { ArrowColumn.empty(of: $0.type) })
        let stream = try ArrowStream(schema: schema, batches: [batch, empty, batch])
        let decoded = try ArrowStream.decode(ArrowStream.encode(schema: schema, batches: stream.batches), requireEndOfStream: true)
        #expect(identical(decoded, stream))
        #expect(decoded.rowCount == 2 * rows)
    }

    @Test("Batches that disagree with their schema are refused when built", arguments: [
        (ArrowSchema(fields: [ArrowField(name: "a", type: .int64)]), 2, [ArrowColumn.int32([1, 2])],
         "column 'a' of type int64 holds int32 values"),
        (ArrowSchema(fields: [ArrowField(name: "a", type: .int64)]), 3, [ArrowColumn.int64([1, 2])],
         "column 'a' has 2 values for 3 rows"),
        (ArrowSchema(fields: [ArrowField(name: "a", type: .int64, nullable: false)]), 2, [ArrowColumn.int64([1, nil])],
         "column 'a' is not nullable but holds nulls"),
        (ArrowSchema(fields: [ArrowField(name: "a", type: .int64)]), 0, [],
         "0 columns for a schema of 1 fields"),
        (ArrowSchema(fields: [ArrowField(name: "m", type: .decimal128(precision: 3, scale: 1))]), 2,
         [ArrowColumn.decimal128([ArrowDecimal128(999), ArrowDecimal128(-1000)])],
         "column 'm', row 1: the decimal has more than 3 digits"),
        (ArrowSchema(fields: [ArrowField(name: "m", type: .decimal128(precision: 39, scale: 1))]), 0, [ArrowColumn.decimal128([])],
         "column 'm' has type decimal128(39, 1); decimal128 needs a precision in 1...38 and a scale in -38...38"),
        (ArrowSchema(fields: [ArrowField(name: "m", type: .decimal128(precision: 10, scale: 40))]), 0, [ArrowColumn.decimal128([])],
         "column 'm' has type decimal128(10, 40); decimal128 needs a precision in 1...38 and a scale in -38...38"),
    ])
    func invalidBatches(schema: ArrowSchema, rows: Int, columns: [ArrowColumn], message: String) {
        #expect(throws: ArrowError.invalidBatch(message)) {
            try ArrowRecordBatch(schema: schema, rowCount: rows, columns: columns)
        }
    }

    @Test("A column names its case, never its values", arguments: [
        (ArrowColumn.null(count: 3), "null"), (.int8([1]), "int8"), (.int16([1]), "int16"), (.int32([1]), "int32"),
        (.int64([1]), "int64"), (.float32([1]), "float32"), (.float64([1]), "float64"), (.string(["secret"]), "string"),
        (.bool([true]), "bool"), (.timestamp([1]), "timestamp"), (.date32([1]), "date32"), (.date64([1]), "date64"),
        (.decimal128([ArrowDecimal128(1)]), "decimal128"),
    ])
    func kindNames(column: ArrowColumn, name: String) {
        #expect(column.kindName == name)
    }

    @Test("A stream refuses a batch of another schema")
    func streamSchemaMismatch() throws {
        let a = ArrowSchema(fields: [ArrowField(name: "a", type: .int64)])
        let b = ArrowSchema(fields: [ArrowField(name: "b", type: .int64)])
        let batch = try ArrowRecordBatch(schema: b, rowCount: 1, columns: [.int64([1])])
        #expect(throws: ArrowError.invalidBatch("batch 0 has another schema than the stream")) {
            try ArrowStream.encode(schema: a, batches: [batch])
        }
        #expect(throws: ArrowError.invalidBatch("batch 0 has another schema than the stream")) {
            try ArrowStream(schema: a, batches: [batch])
        }
    }
}

extension ArrowStream {
    /// The body length of the encapsulated message at `position` (test helper: parses its metadata).
    static func bodyLength(ofMessageAt position: Int, in bytes: [UInt8]) throws -> Int? {
        let length = bytes[position + 4..<position + 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let reader = FlatBufferReader(bytes: bytes, start: position + 8, end: position + 8 + length, context: "test")
        let message = try reader.root("Message")
        return Int(try message.scalar(3, "bodyLength", default: Int64(0)))
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small seeded generator, so every test run sees the same data.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
