import Foundation
import GRDB
import PeerLensSimulator
@testable import PeerLensStore

func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
}

/// A fresh directory for one test.
func temporaryDirectory() -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-store-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A new empty store in a fresh directory.
func newStore() throws -> EventStore {
    try EventStore(path: temporaryDirectory().appendingPathComponent("test.sqlite").path)
}

let ingestor = Ingestor(toolVersion: "test")

/// A new store holding the fixture `name`, and the summary of its ingest.
func ingested(_ name: String) throws -> (store: EventStore, summary: FileSummary) {
    let store = try newStore()
    let summary = try ingestor.ingest(path: fixture(name), into: store)
    return (store, summary)
}

/// Every row of every table of `store` (but SQLite's and GRDB's own), as text sorted within each table: equal
/// dumps mean equal stores. `bookkeeping: false` leaves out what depends on how the events arrived rather than on
/// which events are stored: the ingest-run tables (`ingest_run`, `ingest_count`, `dropped_field`, `quarantine`) and
/// every `run_id` column.
func tableDump(_ store: EventStore, bookkeeping: Bool = true) throws -> [String: [String]] {
    let runTables = EventStore.bookkeepingTables
    return try store.queue.read { db in
        var dump: [String: [String]] = [:]
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'")
        for table in tables where bookkeeping || !runTables.contains(table) {
            let columns = try db.columns(in: table).map(\.name).filter { bookkeeping || $0 != "run_id" }
            let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            dump[table] = try Row.fetchAll(db, sql: "SELECT \(list) FROM \"\(table)\"").map { row in
                columns.indices.map { "\(row[$0] as DatabaseValue)" }.joined(separator: "|")
            }.sorted()
        }
        return dump
    }
}

/// Writes a simulated log (JSON Lines) of `members` members over `days` days to `path`.
func simulate(seed: UInt64, members: Int, days: Int, to path: String, gzip: Bool = false) throws {
    let sink = try JSONLinesFileSink(path: path, gzip: gzip)
    _ = try Simulator(config: SimulationConfig(seed: seed, members: members, days: days)).run(into: sink)
    try sink.close()
}

/// A store file at `path` migrated only up to `version`, configured as `EventStore` creates one (page size
/// 8192), for tests of upgrades from older schemas.
func olderStore(at path: String, upTo version: SchemaVersion) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 8192") }
    let queue = try DatabaseQueue(path: path, configuration: configuration)
    try StoreSchema.migrator.migrate(queue, upTo: version.migration)
    return queue
}
