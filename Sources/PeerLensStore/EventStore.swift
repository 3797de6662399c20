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
        var end: Int64 = 0
        for type in EventType.allCases {
            end = max(end, try Int64.fetchOne(db, sql: "SELECT max(ts) FROM \"\(table(for: type))\"") ?? 0)
        }
        return end
    }
}
