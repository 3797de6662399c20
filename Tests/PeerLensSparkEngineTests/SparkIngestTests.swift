import Foundation
import GRDB
import PeerLensArrow
import PeerLensLog
import PeerLensSpark
import PeerLensStore
import ProcessTestSupport
import SparkTestSupport
import Synchronization
import Testing
@testable import PeerLensSparkEngine

/// The ingest into the local cluster against the embedded ingest of the same files (`PEERLENS_SPARK_TESTS=1`).
@Suite("Spark ingest on the local cluster", .enabled(if: sparkTestsEnabled), .serialized)
struct SparkIngestTests {
    static let storeFixtures = LocalSparkCluster.repositoryRoot.appendingPathComponent("Tests/PeerLensStoreTests/Fixtures")
    static let ingestor = Ingestor(toolVersion: "test")

    /// Files ingested in order: a file with every event type, a file with refused records and keys repeated within
    /// it, and the first file again (all duplicates); the demo log.
    static let fileSets: [[String]] = [
        ["all-types.jsonl", "mixed.jsonl", "all-types.jsonl"].map { storeFixtures.appendingPathComponent($0).path },
        [LocalSparkCluster.repositoryRoot.appendingPathComponent("datasets/demo/events.jsonl.gz").path],
    ]

    /// Every table holds the same rows, and every file's summary has the same counts, as the embedded store after
    /// ingesting the same files in the same order.
    @Test(.timeLimit(.minutes(20)), arguments: fileSets)
    func theTablesMatchTheEmbeddedStore(_ files: [String]) async throws {
        try await withWarehouse { client, warehouse in
            let (store, expected) = try embedded(files)
            let engine = SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse)
            var summaries: [FileSummary] = []
            for file in files { summaries.append(try await engine.ingest(path: file)) }
            #expect(summaries.map(comparable) == expected.map(comparable))
            for table in SparkWarehouse.tables {
                let columns = comparedColumns(table)
                #expect(try await sparkRows(table, columns: columns, client: client, warehouse: warehouse) == storeRows(table, columns: columns, store: store),
                        "table \(table.name)")
            }
        }
    }

    /// A file the embedded ingest refuses whole reaches Spark not at all: every table as before.
    @Test(.timeLimit(.minutes(10)))
    func aRefusedFileLeavesTheTablesAsTheyWere() async throws {
        let refused = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-refused-\(UUID().uuidString).jsonl")
        try Data("not json\n{\"type\":\"member\"}\n".utf8).write(to: refused)
        defer { try? FileManager.default.removeItem(at: refused) }
        try await withWarehouse { client, warehouse in
            let engine = SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse)
            _ = try await engine.ingest(path: Self.storeFixtures.appendingPathComponent("all-types.jsonl").path)
            let before = try await allRows(client: client, warehouse: warehouse)
            await #expect(throws: StoreError.self) { try await engine.ingest(path: refused.path) }
            #expect(try await allRows(client: client, warehouse: warehouse) == before)
        }
    }

    /// A connection lost half-way through a file's uploads (the proxy cuts it, as a stopped server would) fails the
    /// ingest and leaves every table as it was to readers; ingesting the file again stores it whole, its rows new
    /// (the lost run's rows, in their own partitions, are not seen as already stored).
    @Test(.timeLimit(.minutes(20)))
    func aServerLostMidIngestLeavesNothingVisible() async throws {
        let file = LocalSparkCluster.repositoryRoot.appendingPathComponent("datasets/demo/events.jsonl.gz").path
        try await withWarehouse { client, warehouse in
            let engine = SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse)
            _ = try await engine.ingest(path: Self.storeFixtures.appendingPathComponent("all-types.jsonl").path)
            let before = try await allRows(client: client, warehouse: warehouse)

            // 2 MiB from the client: past the statements that prepare the tables and claim the run, within the uploads.
            let proxy = try CuttingProxy(targetPort: LocalSparkCluster.url.port, cutAfterBytes: 2 << 20)
            defer { proxy.stop() }
            let sent = PartsSent()
            await #expect(throws: SparkError.self) {
                try await SparkConnectClient.withConnection(to: SparkConnectURL("sc://127.0.0.1:\(proxy.port)")) { cut in
                    _ = try await SparkIngestor(ingestor: Self.ingestor, client: cut, warehouse: warehouse)
                        .ingest(path: file, uploadProgress: { _ in sent.count.withLock { $0 += 1 } })
                }
            }
            #expect(sent.count.withLock { $0 } > 0, "the connection was cut before any rows went up: cut later")
            #expect(try await allRows(client: client, warehouse: warehouse) == before)

            let (_, expected) = try embedded([Self.storeFixtures.appendingPathComponent("all-types.jsonl").path, file])
            let again = try await engine.ingest(path: file)
            #expect(comparable(again) == comparable(expected[1]).withRun(again.runID))
        }
    }

    /// A session that read the tables before another session committed an ingest sees that run when it ingests
    /// again: it takes the next run id, not the other's (a session caches table listings; the ingest reads afresh).
    @Test(.timeLimit(.minutes(10)))
    func anIngestAfterAnotherSessionsTakesTheNextRun() async throws {
        let first = Self.storeFixtures.appendingPathComponent("all-types.jsonl").path
        let second = Self.storeFixtures.appendingPathComponent("mixed.jsonl").path
        try await withWarehouse { client, warehouse in
            let engine = SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse)
            #expect(try await engine.ingest(path: first).runID == 1)
            let other = try await LocalSparkCluster.withClient { otherClient in
                try await SparkIngestor(ingestor: Self.ingestor, client: otherClient, warehouse: warehouse).ingest(path: second)
            }
            #expect(other.runID == 2)
            #expect(try await engine.ingest(path: first).runID == 3)
            #expect(try await warehouse.ingestRuns(using: client).map(\.id) == [1, 2, 3])
        }
    }

    /// A server restarted with its in-memory catalog (emulated: every table dropped from the catalog; they are
    /// external, so their files stay) loses no data: a reading source registers the tables again, partitions and
    /// all, and sees every row; an ingest after the next loss registers them too, and finds the file's rows already
    /// stored (without the partitions it would store them twice).
    @Test(.timeLimit(.minutes(10)))
    func aCatalogThatForgotTheTablesFindsThemAgain() async throws {
        let file = Self.storeFixtures.appendingPathComponent("all-types.jsonl").path
        try await withWarehouse { client, warehouse in
            let engine = SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse)
            _ = try await engine.ingest(path: file)
            let before = try await allRows(client: client, warehouse: warehouse)
            let database = warehouse.database
            let counts = try await onOwnThread { try SparkEventSource(url: LocalSparkCluster.url, database: database).eventCounts() }

            try await forgetTables(warehouse, client: client)
            await #expect(throws: SparkError.self) { try await allRows(client: client, warehouse: warehouse) }
            #expect(try await onOwnThread { try SparkEventSource(url: LocalSparkCluster.url, database: database).eventCounts() } == counts)
            #expect(try await allRows(client: client, warehouse: warehouse) == before)

            try await forgetTables(warehouse, client: client)
            let (_, expected) = try embedded([file, file])
            let again = try await SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse).ingest(path: file)
            #expect(comparable(again) == comparable(expected[1]))
            var after = try await allRows(client: client, warehouse: warehouse)
            for bookkeeping in ["ingest_run", "ingest_count"] { after[bookkeeping] = before[bookkeeping] }
            #expect(after == before)
        }
    }

    /// Every query of one source reads the runs committed when it first read a table: a run another ingest commits
    /// meanwhile is seen by the next source, not half-way through this one's work.
    @Test(.timeLimit(.minutes(10)))
    func aSourceReadsTheRunsCommittedWhenItStarted() async throws {
        try await withWarehouse { client, warehouse in
            let engine = SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse)
            _ = try await engine.ingest(path: Self.storeFixtures.appendingPathComponent("all-types.jsonl").path)
            let database = warehouse.database
            let source = SparkEventSource(url: LocalSparkCluster.url, database: database)
            let first = try await onOwnThread { try source.eventCounts() }
            _ = try await engine.ingest(path: Self.storeFixtures.appendingPathComponent("mixed.jsonl").path)
            #expect(try await onOwnThread { try source.eventCounts() } == first)
            #expect(try await onOwnThread { try source.ingestRuns().map(\.id) } == [1], "its provenance names the runs its figures rest on")
            let later = try await onOwnThread { try SparkEventSource(url: LocalSparkCluster.url, database: database).eventCounts() }
            #expect(later != first)
            let (store, _) = try embedded([Self.storeFixtures.appendingPathComponent("all-types.jsonl").path,
                                           Self.storeFixtures.appendingPathComponent("mixed.jsonl").path])
            #expect(later == (try store.eventCounts()))
        }
    }

    /// Community health's tallies, attributed in Spark's SQL, equal the interaction graph's attribution in memory
    /// on a log written for the edge cases (`health-edges.jsonl`: ties in time, self-replies, authors without a
    /// member event, restored and overturned harm actions, the 28-day retention boundary), per space and not.
    @Test(.timeLimit(.minutes(10)))
    func healthTalliesMatchTheGraphsAttribution() async throws {
        let file = Self.storeFixtures.appendingPathComponent("health-edges.jsonl").path
        try await withWarehouse { client, warehouse in
            _ = try await SparkIngestor(ingestor: Self.ingestor, client: client, warehouse: warehouse).ingest(path: file)
            let (store, _) = try embedded([file])
            let end = try #require(try store.dataSpan(of: EventType.allCases)).last
            let source = SparkEventSource(url: LocalSparkCluster.url, database: warehouse.database)
            for bySpace in [true, false] {
                let expected = try #require(try store.weeklyHealthTallies(dataEnd: end, bySpace: bySpace))
                let spark = try #require(try await onOwnThread { try source.weeklyHealthTallies(dataEnd: end, bySpace: bySpace) })
                #expect(spark.consent == expected.consent && spark.firstMessage == expected.firstMessage && spark.lastMessage == expected.lastMessage)
                // Spaces are numbered differently (Spark: by name; the graph: by first message): compare cells by space name.
                func named(_ t: WeeklyHealthTallies) -> [String: WeeklyHealthTallies.Cell] {
                    Dictionary(uniqueKeysWithValues: t.cells.map { ("\($0.key.period) \($0.key.space < 0 ? "all" : t.spaces[Int($0.key.space)])", $0.value) })
                }
                #expect(named(spark) == named(expected), "by space: \(bySpace)")
                #expect(expected.cells.count > (bySpace ? 8 : 4))
            }
        }
    }

    /// A database the server has neither in its catalog nor on disk is refused, saying how to fill it.
    @Test(.timeLimit(.minutes(5)))
    func aMissingWarehouseIsRefused() throws {
        let database = "peerlens_missing_" + UUID().uuidString.lowercased().prefix(8)
        #expect(throws: SparkEngineError.noWarehouse(url: LocalSparkCluster.url.description, database: database)) {
            _ = try SparkEventSource(url: LocalSparkCluster.url, database: database).eventCounts()
        }
    }

    // MARK: Helpers

    /// Drops every table of `warehouse` from the server's catalog, as a restart of a server with an in-memory
    /// catalog does; the tables are external, so their files stay.
    func forgetTables(_ warehouse: SparkWarehouse, client: SparkConnectClient) async throws {
        for name in SparkWarehouse.tables.map(\.name) + [SparkWarehouse.attemptTable] {
            _ = try await client.sql("DROP TABLE IF EXISTS \(warehouse.qualified(name))")
        }
    }

    /// Runs `body` with a warehouse of its own (a fresh database), dropped afterwards.
    func withWarehouse(_ body: (SparkConnectClient, SparkWarehouse) async throws -> Void) async throws {
        try await LocalSparkCluster.withClient { client in
            let warehouse = SparkWarehouse(database: "peerlens_test_" + UUID().uuidString.lowercased().prefix(8))
            do {
                try await body(client, warehouse)
            } catch {
                _ = try? await client.sql("DROP DATABASE IF EXISTS \(SparkSQL.identifier(warehouse.database)) CASCADE")
                throw error
            }
            _ = try await client.sql("DROP DATABASE IF EXISTS \(SparkSQL.identifier(warehouse.database)) CASCADE")
        }
    }

    /// The embedded store after ingesting `files` in order, and the files' summaries.
    func embedded(_ files: [String]) throws -> (EventStore, [FileSummary]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-embedded-\(UUID().uuidString).sqlite").path
        let store = try EventStore(path: path, mode: .readWrite)
        return (store, try files.map { try Self.ingestor.ingest(path: $0, into: store) })
    }

    /// A summary without what differs between two ingests of the same file (the time it took).
    func comparable(_ summary: FileSummary) -> FileSummary {
        var summary = summary
        summary.durationSeconds = 0
        return summary
    }

    /// The columns compared: the store's own (so not the `run_id` Spark adds to child tables), and of `ingest_run`
    /// not the start time and duration.
    func comparedColumns(_ table: MirroredTable) -> [MirroredTable.Column] {
        table.columns.filter { !(table.name == "ingest_run" && ($0.name == "started_at" || $0.name == "duration_s")) }
    }

    /// The rows of `table` in the embedded store, each rendered as text, sorted.
    func storeRows(_ table: MirroredTable, columns: [MirroredTable.Column], store: EventStore) throws -> [String] {
        let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        return try store.read("reading \(table.name)") { db in
            try Row.fetchAll(db, sql: "SELECT \(list) FROM \"\(table.name)\"").map { row in
                columns.indices.map { index -> String in
                    let value: DatabaseValue = row[index]
                    switch columns[index].type {
                    case .text: return String.fromDatabaseValue(value) ?? "NULL"
                    case .integer: return Int64.fromDatabaseValue(value).map { "\($0)" } ?? "NULL"
                    case .real: return Double.fromDatabaseValue(value).map { "\($0)" } ?? "NULL"
                    }
                }.joined(separator: " | ")
            }.sorted()
        }
    }

    /// The visible rows of `table` in the warehouse, rendered as `storeRows` renders them, sorted.
    func sparkRows(_ table: MirroredTable, columns: [MirroredTable.Column], client: SparkConnectClient, warehouse: SparkWarehouse) async throws -> [String] {
        let list = columns.map { SparkSQL.identifier($0.name) }.joined(separator: ", ")
        let result = try await client.sql("SELECT \(list) FROM (\(warehouse.committed(table.name))) v")
        var rendered: [String] = []
        for batch in result.batches where batch.rowCount > 0 {
            let stream = try ArrowStream.decode(batch.ipcStream)
            var byColumn: [[String]] = []
            for column in columns {
                switch column.type {
                case .text: byColumn.append(try stream.string(column.name).map { $0 ?? "NULL" })
                case .integer: byColumn.append(try stream.int64(column.name).map { $0.map { "\($0)" } ?? "NULL" })
                case .real: byColumn.append(try stream.double(column.name).map { $0.map { "\($0)" } ?? "NULL" })
                }
            }
            for row in 0..<stream.rowCount { rendered.append(byColumn.map { $0[row] }.joined(separator: " | ")) }
        }
        return rendered.sorted()
    }

    /// Every table's visible rows, by table name.
    func allRows(client: SparkConnectClient, warehouse: SparkWarehouse) async throws -> [String: [String]] {
        var rows: [String: [String]] = [:]
        for table in SparkWarehouse.tables {
            rows[table.name] = try await sparkRows(table, columns: table.columns, client: client, warehouse: warehouse)
        }
        return rows
    }
}

extension FileSummary {
    /// The summary with another run id (a run lost half-way took one).
    func withRun(_ run: Int64?) -> FileSummary {
        var summary = self
        summary.runID = run
        return summary
    }
}

/// Parts uploaded, counted from the progress callback.
final class PartsSent: Sendable {
    let count = Mutex(0)
}
