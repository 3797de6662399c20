import Foundation
import Testing
@testable import PeerLensArrow

@Suite("ArrowStream.decode: batches captured from a real Spark Connect server (Spark 4.3.0)")
struct SparkServerBatchTests {
    /// Every captured `ExecutePlanResponse.arrow_batch.data` committed under Fixtures/spark (see its README
    /// for the queries; `generate/spark_fixtures.py` copied them and wrote what pyarrow reads from each).
    static let batches = [
        "all-null-1", "all-null-2", "boolean-1", "boolean-2", "date-1", "double-1", "empty-1", "grouped-counts-1",
        "int32-1", "int32-2", "int32-3", "int64-1", "many-rows-3", "mixed-1", "mixed-2", "several-batches-1",
        "several-batches-2", "several-batches-3", "several-batches-4", "string-1", "timestamp-1", "timestamp-berlin-1",
    ]

    func decode(_ name: String) throws -> ArrowStream {
        // Spark ends every batch's stream with the end-of-stream marker, so require it.
        try ArrowStream.decode(fixtureBytes("spark/\(name).arrow"), requireEndOfStream: true)
    }

    @Test("Each server batch decodes to what pyarrow reads, and survives re-encoding", arguments: batches)
    func matchesPyArrow(name: String) throws {
        let stream = try decode(name)
        let found = differences(stream, try ExpectedStream.load("spark/\(name).json"))
        #expect(found.isEmpty, "\(found.count) differences, first: \(found.prefix(5))")
        let again = try ArrowStream.decode(ArrowStream.encode(schema: stream.schema, batches: stream.batches))
        #expect(identical(again, stream))
    }

    @Test("Every committed server batch is in the list above")
    func listIsComplete() throws {
        let folder = try #require(Bundle.module.url(forResource: "spark", withExtension: nil, subdirectory: "Fixtures"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".arrow") }.map { String($0.dropLast(6)) }.sorted()
        #expect(files == Self.batches)
    }

    @Test("Spark's types: BIGINT, INT, DOUBLE, STRING, BOOLEAN, DATE, TIMESTAMP (session zone) and TIMESTAMP_NTZ")
    func sparkTypes() throws {
        let mixed = try decode("mixed-1")
        #expect(mixed.schema.fields.map(\.type) == [
            .int64, .int32, .float64, .utf8, .timestamp(unit: .microsecond, timeZone: "UTC"), .bool, .date32,
        ])
        let timestamps = try decode("timestamp-1")
        // 2026-03-01 12:34:56.789012 UTC, null, 1969-12-31 23:59:59.5, the epoch, 2^31 s.
        #expect(try timestamps.timestampMicroseconds("ts") == [1_772_368_496_789_012, nil, -500_000, 0, 2_147_483_648_000_000])
        #expect(try timestamps.timestamps("ts_ntz").timeZone == nil)
        let berlin = try decode("timestamp-berlin-1")
        #expect(try berlin.timestamps("ts").timeZone == "Europe/Berlin")
        // The literals are read in the session zone (UTC+1 in winter), so the instants are an hour earlier; the
        // zone-less TIMESTAMP_NTZ keeps the wall-clock values.
        #expect(try berlin.timestampMicroseconds("ts") == [1_772_364_896_789_012, nil, -3_600_500_000])
        #expect(try berlin.timestampMicroseconds("ts_ntz") == [1_772_368_496_789_012, nil, -500_000])
        // 0001-01-01 and 9999-12-31 as days since 1970.
        #expect(try decode("date-1").date32("d") == [20_513, nil, -1, 0, -719_162, 2_932_896])
    }

    @Test("The shape of PeerLens's store queries: a key, count(*), sum and avg")
    func groupedCounts() throws {
        let stream = try decode("grouped-counts-1")
        #expect(try stream.string("k") == [nil, "k0", "k1", "k2"])
        #expect(try stream.int64("n") == [20, 27, 27, 26])
        #expect(stream.schema.fields[1].nullable == false)
        #expect(try stream.int64("total") == [950, 1368, 1332, 1300])
        #expect(try stream.double("mean")[0] == 47.5)
    }

    @Test("An empty result is one zero-row batch; all-null columns, the NULL type included")
    func emptyAndNull() throws {
        let empty = try decode("empty-1")
        #expect(empty.batches.map(\.rowCount) == [0])
        #expect(try empty.string("s") == [])
        let nulls = try decode("all-null-2")
        #expect(try nulls.string("s") == [nil, nil])
        #expect(try nulls.int64("n") == [nil, nil])
        #expect(try nulls.column("untyped") == .null(count: 2))
    }

    @Test("Consecutive server batches concatenate in order")
    func severalBatches() throws {
        var ids: [Int64?] = []
        var labels: [String?] = []
        for part in 1...4 {
            let stream = try decode("several-batches-\(part)")
            ids += try stream.int64("id")
            labels += try stream.string("label")
        }
        #expect(ids == (0..<10).map { Int64($0) })
        #expect(labels == (0..<10).map { $0 % 3 == 0 ? nil : "row-\($0)" })
        // The last many-rows batch: rows 20,000 to 24,999 of `SELECT id, CAST(id % 1000 AS DOUBLE) / 8 AS x`.
        let many = try decode("many-rows-3")
        #expect(try many.int64("id") == (20_000..<25_000).map { Int64($0) })
        #expect(try many.double("x") == (20_000..<25_000).map { Double($0 % 1000) / 8 })
    }
}
