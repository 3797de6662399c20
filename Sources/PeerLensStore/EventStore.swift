import CSQLite
import Foundation
import GRDB
import PeerLensLog

/// Process-wide SQLite settings, applied once before the first connection.
private let sqliteTuned: Bool = {
    _ = peerlens_sqlite_disable_memstatus()
    return true
}()

/// The embedded SQLite store of ingested events (default `peerlens.sqlite`).
///
/// A store is opened in one of two modes (`Mode`):
///
/// - `.readWrite` (what `peerlens ingest` uses) creates the file if it is missing and applies pending
///   migrations, so that an ingest with a newer PeerLens upgrades the store.
/// - `.readOnly` (every other command) never creates, migrates or otherwise writes the file: it opens the
///   SQLite file read-only (`SQLITE_OPEN_READONLY`) and refuses, with a `StoreError` that says what to do,
///   a missing file (`.missing`), a file that is not a PeerLens store (`.notAStore`), a store written by an
///   older or newer PeerLens (`.schemaMismatch`: run `peerlens ingest` with this version to upgrade it), and a
///   store left half-written by an interrupted ingest (`.interruptedWrite`: SQLite would have to roll the
///   hot journal back, which a read-only connection cannot do; the next `peerlens ingest` does).
///   Temporary tables still work on a read-only connection (they live in the separate temp database).
public final class EventStore: Sendable {
    /// How a store is opened.
    public enum Mode: Sendable, Equatable {
        /// Read only: the file must exist and hold the current schema; nothing is ever written to it.
        case readOnly
        /// Read and write: the file is created if missing and migrated to the current schema.
        case readWrite
    }

    /// Path of the SQLite file.
    public let path: String
    /// How the store was opened.
    public let mode: Mode
    /// The underlying GRDB queue (serialised access, rollback journal so an interrupted ingest leaves a hot
    /// journal that SQLite rolls back on the next read-write open). Package-internal: other targets of PeerLens
    /// read through it, everyone else through the query functions of `EventStore`.
    package let queue: DatabaseQueue
    /// The connections reads borrow when the store is read-only (nil: read-write, every access goes through
    /// `queue`).
    private let readers: ReaderPool?
    /// Reads repeated by several analyses, kept while a read-only store is open (`reviewedScoreData`).
    let readCache = ReadCache()

    /// Opens the store at `path`: read-only, or read-write (creating it if needed and migrating it).
    ///
    /// - Throws: `StoreError.missing`, `.notAStore`, `.schemaMismatch` or `.interruptedWrite` (read-only
    ///   opens, see the type's documentation); `StoreError.open` when SQLite cannot open or migrate the file.
    public init(path: String, mode: Mode = .readWrite) throws(StoreError) {
        self.path = path
        self.mode = mode
        _ = sqliteTuned
        if mode == .readOnly {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw StoreError.missing(path: path) }
            guard !isDirectory.boolValue else { throw StoreError.open(path: path, reason: "it is a directory") }
        }
        do {
            var config = Configuration()
            config.foreignKeysEnabled = true
            config.readonly = mode == .readOnly
            config.prepareDatabase { db in
                // Larger pages make bulk inserts cheaper (fewer splits); only takes effect on a new file.
                if mode == .readWrite { try db.execute(sql: "PRAGMA page_size = 8192") }
                // Statement journals of the batched INSERT … SELECT stay in memory instead of temp files.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                try db.execute(sql: "PRAGMA cache_size = -655360") // 640 MiB page cache
            }
            queue = try DatabaseQueue(path: path, configuration: config)
            switch mode {
            case .readWrite:
                try StoreSchema.migrator.migrate(queue)
                readers = nil
            case .readOnly:
                try Self.checkSchema(queue, path: path)
                readers = ReaderPool(first: queue, path: path, configuration: config)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            if error.extendedResultCode == .SQLITE_READONLY_ROLLBACK { throw StoreError.interruptedWrite(path: path) }
            if error.resultCode == .SQLITE_NOTADB { throw StoreError.notAStore(path: path) }
            throw StoreError.open(path: path, reason: error.message ?? error.description)
        } catch {
            throw StoreError.open(path: path, reason: "\(error)")
        }
    }

    /// Runs `body` in a read transaction: on an idle connection of a read-only store, so that analyses running
    /// at once read at once (`ReaderPool`), or through `queue`.
    package func reading<T>(_ body: (Database) throws -> T) throws -> T {
        guard let readers else { return try queue.read(body) }
        return try readers.read(body)
    }

    /// Refuses a file that does not hold exactly the migrations of this version (read-only opens cannot migrate).
    private static func checkSchema(_ queue: DatabaseQueue, path: String) throws {
        let migrator = StoreSchema.migrator
        let known = migrator.migrations
        let (applied, completed) = try queue.read { db in
            (try migrator.appliedIdentifiers(db), try migrator.completedMigrations(db))
        }
        if applied.isEmpty { throw StoreError.notAStore(path: path) }
        if applied.contains(where: { !known.contains($0) }) {
            throw StoreError.schemaMismatch(path: path, found: applied.count, expected: known.count, newer: true)
        }
        if completed.count < known.count {
            throw StoreError.schemaMismatch(path: path, found: completed.count, expected: known.count, newer: false)
        }
    }

    /// Number of rows in each event table, by event type.
    public func eventCounts() throws(StoreError) -> [EventType: Int] {
        do {
            return try reading { db in
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
    package static func dataEnd(_ db: Database) throws -> Int64 {
        try dataSpan(db, of: EventType.allCases)?.last ?? 0
    }

    /// The earliest and latest event time of the given event types (nil when they hold no events).
    ///
    /// Read from `event_span`, which ingestion keeps in the same transaction as the rows; a table that holds rows
    /// but has no span (rows written by something other than `peerlens ingest`) is scanned instead.
    package static func dataSpan(_ db: Database, of types: [EventType]) throws -> (first: Int64, last: Int64)? {
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
