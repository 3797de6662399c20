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

    /// How much of the file an open checks before anything reads it.
    ///
    /// SQLite itself refuses, on every open, a file whose header is not SQLite's (`StoreError.notAStore`) and a
    /// file shorter than the page count its header records (a truncated store: `StoreError.damaged`); both cost
    /// nothing. `PRAGMA quick_check` also walks every page of every table and index (it finds overwritten pages,
    /// broken b-trees, rows out of order), which costs a read of the whole file: measured at 1.9 s (warm cache)
    /// to 3.9 s (cold) for a 558 MB store of 200,000 members on a shared 2-core machine, when the analyses on it
    /// take 1.7 s to 16 s; 0.03 s for the 8.3 MB demo store. So `automatic` runs it only on stores of at most
    /// `quickCheckSizeLimit` bytes (under about half a second), and `peerlens check --integrity` runs the full
    /// `PRAGMA integrity_check` (5.7 s on the 558 MB store) on any store.
    public enum IntegrityCheck: Sendable, Equatable {
        /// `PRAGMA quick_check` when the file is at most `EventStore.quickCheckSizeLimit` bytes.
        case automatic
        /// `PRAGMA quick_check` whatever the size.
        case always
        /// Only SQLite's own header checks; for `peerlens check --integrity`, which runs the full check itself.
        case headerOnly
    }

    /// The largest file `IntegrityCheck.automatic` runs `PRAGMA quick_check` on: 128 MiB (about 0.5 s).
    public static let quickCheckSizeLimit: Int64 = 128 << 20

    /// Path of the SQLite file.
    public let path: String
    /// How the store was opened.
    public let mode: Mode
    /// Where the store was copied before this open upgraded it (`backupBeforeUpgrading`); nil when no copy was made.
    public let backupPath: String?
    /// The underlying GRDB queue (serialised access, rollback journal so an interrupted ingest leaves a hot
    /// journal that SQLite rolls back on the next read-write open). Package-internal: other targets of PeerLens
    /// read through it, everyone else through the query functions of `EventStore`.
    package let queue: DatabaseQueue
    /// The connections reads borrow when the store is read-only (nil: read-write, every access goes through
    /// `queue`).
    private let readers: ReaderPool?
    /// Reads repeated by several analyses, kept while a read-only store is open (`reviewedScoreData`).
    let readCache = ReadCache()

    /// Opens the store at `path`: read-only, or read-write (creating it if needed and upgrading it).
    ///
    /// Every open refuses a damaged store (see `IntegrityCheck`) and a store written by a newer PeerLens. A
    /// read-write open upgrades an older store with every pending migration in one transaction (all or nothing),
    /// after copying it to `backupPath(of:schemaVersion:)` when `backupBeforeUpgrading` is true.
    ///
    /// - Throws: `StoreError.missing`, `.notAStore`, `.schemaMismatch` (older) or `.interruptedWrite` (read-only
    ///   opens, see the type's documentation); `.damaged` and `.schemaMismatch` (newer) on any open;
    ///   `.backupExists` and `.migrationFailed` when upgrading; `StoreError.open` when SQLite cannot open the file.
    public init(path: String, mode: Mode = .readWrite, integrityCheck: IntegrityCheck = .automatic,
                backupBeforeUpgrading: Bool = false) throws(StoreError) {
        self.path = path
        self.mode = mode
        _ = sqliteTuned
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if mode == .readOnly, !exists { throw StoreError.missing(path: path) }
        if exists, isDirectory.boolValue { throw StoreError.open(path: path, reason: "it is a directory") }
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
            // The first read: SQLite checks the header here, and rolls a hot journal back (read-write) or refuses it.
            let applied = try Self.appliedMigrations(queue, path: path)
            try Self.refuseNewer(queue, path: path, applied: applied)
            try Self.checkIntegrity(queue, path: path, policy: integrityCheck)
            switch mode {
            case .readWrite:
                backupPath = try Self.upgrade(queue, path: path, applied: applied, backup: backupBeforeUpgrading)
                readers = nil
            case .readOnly:
                backupPath = nil
                try Self.refuseOlder(path: path, applied: applied)
                readers = ReaderPool(first: queue, path: path, configuration: config)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path)
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

    /// The `StoreError` for an SQLite error met while opening or checking the store at `path`.
    static func storeError(_ error: DatabaseError, path: String) -> StoreError {
        if error.extendedResultCode == .SQLITE_READONLY_ROLLBACK { return .interruptedWrite(path: path) }
        if error.resultCode == .SQLITE_NOTADB { return .notAStore(path: path) }
        if error.resultCode == .SQLITE_CORRUPT {
            return .damaged(path: path, detail: "SQLite: \(error.message ?? "database disk image is malformed")")
        }
        return .open(path: path, reason: error.message ?? error.description)
    }

    /// The migration identifiers recorded in the store (`grdb_migrations`), in the order they were applied; empty
    /// for a new file. A file with tables but no PeerLens migrations is not a store (and is never written to).
    private static func appliedMigrations(_ queue: DatabaseQueue, path: String) throws -> [String] {
        try queue.read { db in
            guard try db.tableExists("grdb_migrations") else {
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0 > 0 { throw StoreError.notAStore(path: path) }
                return []
            }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
    }

    /// Refuses a store holding migrations this version does not know: a newer PeerLens wrote it.
    private static func refuseNewer(_ queue: DatabaseQueue, path: String, applied: [String]) throws {
        let known = Set(SchemaVersion.allCases.map(\.migration))
        guard applied.contains(where: { !known.contains($0) }) else { return }
        // A newer schema may have changed ingest_run: its last tool version is named when it can be read.
        let writtenBy = try? queue.read { db in try String.fetchOne(db, sql: "SELECT tool_version FROM ingest_run ORDER BY id DESC LIMIT 1") }
        throw StoreError.schemaMismatch(path: path, found: applied.count, expected: SchemaVersion.allCases.count, newer: true,
                                        writtenBy: writtenBy ?? nil)
    }

    /// Refuses (read-only) a store that lacks migrations of this version: only `peerlens ingest` upgrades one.
    private static func refuseOlder(path: String, applied: [String]) throws {
        if applied.isEmpty { throw StoreError.notAStore(path: path) }
        let completed = SchemaVersion.allCases.prefix { applied.contains($0.migration) }.count
        if completed < SchemaVersion.allCases.count {
            throw StoreError.schemaMismatch(path: path, found: completed, expected: SchemaVersion.allCases.count, newer: false)
        }
    }

    /// Runs `PRAGMA quick_check` when `policy` asks for it; throws `.damaged` with its first findings.
    private static func checkIntegrity(_ queue: DatabaseQueue, path: String, policy: IntegrityCheck) throws {
        switch policy {
        case .headerOnly: return
        case .automatic:
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
            if size > quickCheckSizeLimit { return }
        case .always: break
        }
        let findings: [String]
        do {
            findings = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(20)") }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.damaged(path: path, detail: "SQLite's quick_check could not walk the file: \(error.message ?? "database disk image is malformed")")
        }
        if findings != ["ok"] { throw StoreError.damaged(path: path, detail: describe(findings, check: "quick_check")) }
    }

    /// One line for the findings of an integrity check (SQLite names pages, tables and indexes, never values).
    package static func describe(_ findings: [String], check: String) -> String {
        let shown = findings.prefix(3).joined(separator: "; ")
        let more = findings.count > 3 ? "; and \(findings.count - 3) more findings" : ""
        return "SQLite's \(check) found: \(shown)\(more)"
    }

    /// Where `backupBeforeUpgrading` copies the store at `path` of schema `version` before upgrading it:
    /// `PATH.backup-vN`, next to the store. No time stamp: the name says what the copy holds, and a second attempt
    /// refuses (`StoreError.backupExists`) instead of silently replacing the first copy.
    public static func backupPath(of path: String, schemaVersion version: Int) -> String { "\(path).backup-v\(version)" }

    /// Brings a store up to this version's schema: every pending migration in one transaction, so a failure leaves
    /// the store exactly as it was. Returns the backup's path when one was made (only an existing store with
    /// pending migrations is copied).
    private static func upgrade(_ queue: DatabaseQueue, path: String, applied: [String], backup: Bool) throws -> String? {
        let pending = SchemaVersion.allCases.filter { !applied.contains($0.migration) }
        guard !pending.isEmpty else { return nil }
        let from = SchemaVersion.allCases.count - pending.count, to = SchemaVersion.allCases.count
        var backupPath: String? = nil
        if backup, !applied.isEmpty {
            let target = Self.backupPath(of: path, schemaVersion: from)
            if FileManager.default.fileExists(atPath: target) { throw StoreError.backupExists(path: path, backup: target) }
            do {
                // SQLite's online backup: a consistent copy of the committed store.
                let copy = try DatabaseQueue(path: target)
                try queue.backup(to: copy)
                try copy.close()
            } catch {
                try? FileManager.default.removeItem(atPath: target)
                throw StoreError.open(path: path, reason: "backing it up to \(target) before upgrading failed: \(error)")
            }
            backupPath = target
        }
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                    // Read again under the write lock: another ingest may have upgraded the store meanwhile.
                    let appliedNow = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                    for version in pending where !appliedNow.contains(version.migration) {
                        try StoreSchema.apply(version, db)
                        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [version.migration])
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError where applied.isEmpty {
            throw Self.storeError(error, path: path)
        } catch let error as DatabaseError {
            throw StoreError.migrationFailed(path: path, from: from, to: to, reason: error.message ?? error.description)
        }
        return backupPath
    }

    /// Runs SQLite's full `PRAGMA integrity_check` (every page, every index entry against its row, every CHECK
    /// and NOT NULL constraint) and returns its findings: empty when the store is sound, else at most `limit`.
    ///
    /// - Throws: `StoreError.damaged` when SQLite cannot even walk the file.
    public func integrityCheck(limit: Int = 100) throws(StoreError) -> [String] {
        do {
            let findings = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(\(max(1, limit)))") }
            return findings == ["ok"] ? [] : findings
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            throw StoreError.damaged(path: path, detail: "SQLite's integrity_check could not walk the file: \(error.message ?? "database disk image is malformed")")
        } catch let error as DatabaseError {
            throw Self.storeError(error, path: path)
        } catch {
            throw StoreError.database(operation: "checking the integrity of \(path)", reason: "\(error)")
        }
    }

    /// The number of pages of the store file (`PRAGMA page_count`).
    public func pageCount() throws(StoreError) -> Int {
        do { return try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 } } catch {
            throw StoreError.database(operation: "reading the page count of \(path)", reason: "\(error)")
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
