import CSQLite
import GRDB
import PeerLensLog

/// Process-wide SQLite settings, applied once before the first connection.
private let sqliteTuned: Bool = {
    _ = peerlens_sqlite_disable_memstatus()
    return true
}()

/// The embedded SQLite store of ingested events (default `peerlens.sqlite`).
///
/// Opening a store creates it if needed and applies pending migrations.
public final class EventStore: Sendable {
    /// Path of the SQLite file.
    public let path: String
    /// The underlying GRDB queue (serialised access, rollback journal so an
    /// interrupted ingest leaves a hot journal that SQLite rolls back on next open).
    public let queue: DatabaseQueue

    /// Opens (creating if needed) the store at `path` and migrates it.
    public init(path: String) throws(StoreError) {
        self.path = path
        _ = sqliteTuned
        do {
            var config = Configuration()
            config.foreignKeysEnabled = true
            config.prepareDatabase { db in
                // Larger pages make bulk inserts cheaper (fewer splits); only takes effect on a new file.
                try db.execute(sql: "PRAGMA page_size = 8192")
                // Statement journals of the batched INSERT … SELECT stay in memory instead of temp files.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                try db.execute(sql: "PRAGMA cache_size = -655360") // 640 MiB page cache
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            try StoreSchema.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw StoreError.open(path: path, reason: error.message ?? error.description)
        } catch {
            throw StoreError.open(path: path, reason: "\(error)")
        }
    }

    /// Number of rows in each event table, by event type.
    public func eventCounts() throws(StoreError) -> [EventType: Int] {
        do {
            return try queue.read { db in
                var counts: [EventType: Int] = [:]
                for type in EventType.allCases {
                    counts[type] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(Self.table(for: type).quotedDatabaseIdentifier)") ?? 0
                }
                return counts
            }
        } catch {
            throw StoreError.database(operation: "counting events", reason: "\(error)")
        }
    }

    /// The table holding events of `type`.
    public static func table(for type: EventType) -> String { type.rawValue }

    /// The end of the data: the latest event time in any table (microseconds since the epoch; 0 when empty),
    /// where analyses censor what has not happened yet.
    public static func dataEnd(_ db: Database) throws -> Int64 {
        try dataSpan(db, of: EventType.allCases)?.last ?? 0
    }

    /// The earliest and latest event time of the given event types (nil when they hold no events).
    ///
    /// Read from `event_span`, which ingestion keeps in the same transaction as the rows; a table that holds rows
    /// but has no span (rows written by something other than `peerlens ingest`) is scanned instead.
    public static func dataSpan(_ db: Database, of types: [EventType]) throws -> (first: Int64, last: Int64)? {
        var result: (first: Int64, last: Int64)? = nil
        for type in types {
            let table = "\"\(Self.table(for: type))\""
            var span: (Int64, Int64)? = nil
            if let row = try Row.fetchOne(db, sql: "SELECT first_ts, last_ts FROM event_span WHERE event_type = ?", arguments: [type.rawValue]) {
                span = (row[0], row[1])
            } else if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") == true,
                      let row = try Row.fetchOne(db, sql: "SELECT min(ts), max(ts) FROM \(table)") {
                span = (row[0], row[1])
            }
            if let (first, last) = span { result = result.map { (min($0.first, first), max($0.last, last)) } ?? (first, last) }
        }
        return result
    }
}
