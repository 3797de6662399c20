import Foundation
import Testing
@testable import PeerLensArrow

@Suite("ArrowStream.decode: streams written by pyarrow")
struct PyArrowFixtureTests {
    @Test("Decoded schema and values equal what pyarrow reads back", arguments: [
        "all_types", "sliced", "strings", "schema_only", "zero_rows", "legacy_v4",
    ])
    func decodesLikePyArrow(name: String) throws {
        let stream = try ArrowStream.decode(fixtureBytes(name + ".arrows"))
        let expected = try ExpectedStream.load(name + ".json")
        let found = differences(stream, expected)
        #expect(found.isEmpty, "\(found.count) differences, first: \(found.prefix(5))")
    }

    @Test("Every type, nulls, four batches (11, 0, 17 and 3 rows) and the end-of-stream marker")
    func allTypesShape() throws {
        let stream = try ArrowStream.decode(fixtureBytes("all_types.arrows"), requireEndOfStream: true)
        #expect(stream.batches.map(\.rowCount) == [11, 0, 17, 3])
        #expect(stream.rowCount == 31)
        #expect(stream.schema.fields.first == ArrowField(name: "id", type: .int64, nullable: false))
        #expect(stream.schema.fields.map(\.type).contains(.timestamp(unit: .nanosecond, timeZone: "+07:30")))
        #expect(stream.schema.fields.map(\.type).contains(.decimal128(precision: 38, scale: 18)))
        // The last batch has no null, so pyarrow wrote empty validity buffers.
        #expect(stream.batches[3].columns.dropLast().allSatisfy { $0.nullCount == 0 })
        // Spot checks, independent of the JSON comparison.
        let first = stream.batches[0]
        #expect(try first.int64("i64").prefix(2) == [Int64.min, Int64.max])
        #expect(try first.bool("b") == [true, false, nil, true, true, false, nil, false, true, true, false])
        #expect(try first.string("s")[4] == "日本語")
        #expect(try first.decimalStrings("dec")[4] == "99999999999999999999.999999999999999999")
        #expect(try first.date32("d32")[5] == -719_162)
        #expect(try first.column("nothing") == .null(count: 11))
    }

    @Test("A stream with a schema and no batch has no rows but answers look-ups with empty columns")
    func schemaOnly() throws {
        let stream = try ArrowStream.decode(fixtureBytes("schema_only.arrows"))
        #expect(stream.batches.isEmpty)
        #expect(try stream.int64("id") == [])
        #expect(try stream.column("nothing") == .null(count: 0))
        #expect(throws: ArrowError.typeMismatch(column: "id", requested: "string", actual: "int64")) {
            try stream.string("id")
        }
    }

    @Test("Refused streams fail with an error naming the column or the feature", arguments: [
        ("refuse_dictionary", ArrowError.unsupportedFeature("column 'category' is dictionary-encoded")),
        ("refuse_lz4", ArrowError.unsupportedFeature("record batch 0 has a body compressed with LZ4_FRAME (write the stream uncompressed)")),
        ("refuse_uint32", ArrowError.unsupportedType(column: "count_u32", type: "uint32")),
        ("refuse_list", ArrowError.unsupportedType(column: "tags", type: "list")),
        ("refuse_decimal256", ArrowError.unsupportedType(column: "big", type: "decimal256")),
    ])
    func refusals(name: String, error: ArrowError) throws {
        let bytes = try fixtureBytes(name + ".arrows")
        #expect(throws: error) { try ArrowStream.decode(bytes) }
    }
}
