import CSQLite
import Dispatch
import GRDB
import PeerLensLog

/// The scores of one model version, with the time span they cover.
public struct ScoreColumn: Sendable {
    /// Every score, in storage order.
    public let scores: [Double]
    /// Earliest and latest score time (microseconds since the epoch); nil when there are no scores.
    public let firstTime: Int64?
    /// Latest score time.
    public let lastTime: Int64?
}

extension EventStore {
    /// Every score of `model` `version`: the hot path of alert-workload estimates, which read every scored
    /// message (ten million rows in the benchmark). The statement is stepped with the SQLite C API, because
    /// decoding through GRDB's `Row` cost three times the scan itself.
    ///
    /// - Throws: `StoreError.database` when the statement fails.
    package static func scores(_ db: Database, model: String, version: String) throws -> ScoreColumn {
        var scores: [Double] = []
        var first = Int64.max, last = Int64.min
        try scan(db, sql: "SELECT score, ts FROM score WHERE model = ? AND version = ?", arguments: [model, version], operation: "reading scores") { row in
            scores.append(row.double(0))
            let ts = row.int64(1)
            if ts < first { first = ts }
            if ts > last { last = ts }
        }
        return ScoreColumn(scores: scores, firstTime: scores.isEmpty ? nil : first, lastTime: scores.isEmpty ? nil : last)
    }

    /// Number of rows of `table` (`score` or `alert`) of `model` per version and UTC day (days since the
    /// epoch, rounded down), from one scan. Counted while scanning rather than with GROUP BY, which would sort
    /// every row in a temporary B-tree (three times slower on ten million scores); versions are compared as
    /// bytes so no string is made per row.
    ///
    /// - Throws: `StoreError.database` when the statement fails.
    package static func dailyCounts(_ db: Database, table: ScoredTable, model: String) throws -> [String: [Int64: Int]] {
        var versions: [[UInt8]] = []
        var counts: [[Int64: Int]] = []
        var currentVersion = -1, currentDay = Int64.min, run = 0
        func flush() { if run > 0 { counts[currentVersion][currentDay, default: 0] += run } }
        try scan(db, sql: "SELECT version, ts FROM \(table.rawValue) WHERE model = ?", arguments: [model],
                 operation: "counting \(table.rawValue) rows per day") { row in
            let text = row.bytes(0)
            var version = currentVersion
            if version < 0 || !versions[version].elementsEqual(text) {
                version = versions.firstIndex { $0.elementsEqual(text) } ?? -1
                if version < 0 { version = versions.count; versions.append(Array(text)); counts.append([:]) }
            }
            let day = CalendarPeriod.day(row.int64(1))
            if version != currentVersion || day != currentDay {
                flush()
                currentVersion = version
                currentDay = day
                run = 0
            }
            run += 1
        }
        flush()
        var out: [String: [Int64: Int]] = [:]
        for (v, c) in zip(versions, counts) { out[String(decoding: v, as: UTF8.self)] = c }
        return out
    }

    /// Tables with one row per model output, keyed by model and version.
    public enum ScoredTable: String, Sendable {
        /// Model scores.
        case score
        /// Alerts raised from scores.
        case alert
    }

    /// Steps `sql` with `arguments`, calling `body` with each row read straight from SQLite: the hot path of
    /// analyses that read every event of a kind (tens of millions of rows), where decoding through GRDB's `Row`
    /// cost several times the scan itself.
    ///
    /// - Throws: `StoreError.database` naming `operation` when the statement fails; whatever `body` throws.
    package static func scan(_ db: Database, sql: String, arguments: StatementArguments = [], operation: String,
                             _ body: (ScannedRow) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        statement.arguments = arguments
        let raw = statement.sqliteStatement
        defer { sqlite3_reset(raw) }
        while true {
            let status = sqlite3_step(raw)
            if status == SQLITE_ROW { try body(ScannedRow(statement: raw)); continue }
            if status == SQLITE_DONE { return }
            throw StoreError.database(operation: operation, reason: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}

/// The current row of a statement stepped by `EventStore.scan`: typed reads of its columns (0-based), with
/// SQLite's own conversions (NULL reads as 0 or the empty string). Valid only inside the scan's body.
package struct ScannedRow {
    fileprivate let statement: OpaquePointer

    /// The column as a 64-bit integer.
    package func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    /// The column as a double.
    package func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    /// The column as a boolean (non-zero integer).
    package func bool(_ column: Int32) -> Bool { sqlite3_column_int64(statement, column) != 0 }
    /// Whether the column is NULL.
    package func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    /// The column's UTF-8 bytes, without copying; valid until the next row.
    package func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let start = sqlite3_column_text(statement, column) // before `bytes`, as SQLite's documentation asks
        return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, column)))
    }
    /// The column as a string.
    package func string(_ column: Int32) -> String { String(decoding: bytes(column), as: UTF8.self) }
    /// The column as a string, nil when NULL.
    package func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
}

/// The value of a key column, looked up again only when the key's bytes differ from the previous row's: a scan
/// in key order (or with long runs of one key) makes one string and one lookup per run rather than per row.
package struct RunLookup<Value> {
    // Inlinable: it runs once per row of scans of tens of millions of rows in other modules.
    @usableFromInline var lastKey: [UInt8] = []
    @usableFromInline var started = false
    @usableFromInline var value: Value?

    /// No key seen yet.
    @inlinable package init() {}

    /// The value for `key`: the previous row's when the bytes are the same, else `lookup` of the key as a string.
    @inlinable package mutating func value(for key: UnsafeBufferPointer<UInt8>, _ lookup: (String) -> Value?) -> Value? {
        if !started || !lastKey.elementsEqual(key) {
            started = true
            lastKey.removeAll(keepingCapacity: true)
            lastKey.append(contentsOf: key)
            value = lookup(String(decoding: key, as: UTF8.self))
        }
        return value
    }
}

/// A read of the store running on its own read-only connection in the background, so that a long scan
/// (e.g. every scored message) overlaps with work on the main connection. `value()` waits for it.
public final class BackgroundRead<Value: Sendable>: @unchecked Sendable {
    // Written once by the background task before `done` is signalled, read only after waiting on it.
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    /// Starts `body` on a new read-only connection to the store at `path`.
    package init(path: String, _ body: @escaping @Sendable (Database) throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            let outcome = Result<Value, any Error> {
                var configuration = Configuration()
                configuration.readonly = true
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                return try queue.read(body)
            }
            self.result = outcome
            self.done.signal()
        }
    }

    /// The value, once the read has finished; rethrows its error.
    public func value() throws -> Value {
        done.wait()
        done.signal() // later calls return at once
        return try result!.get()
    }
}

extension EventStore {
    /// Starts `body` on a second, read-only connection in the background (see `BackgroundRead`).
    package func readInBackground<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) -> BackgroundRead<Value> {
        BackgroundRead(path: path, body)
    }
}

extension EventStore {
    /// Every message author, and each thread's starter (the author of its earliest message; ties in time: the
    /// smallest message id), from one scan of `message` in its own order (`SELECT DISTINCT` and a
    /// `GROUP BY thread` would each build a temporary B-tree of every message). Stepped with the SQLite C API as
    /// `scores`; a thread's name is made into a string only when it differs from the previous row's.
    ///
    /// - Throws: `StoreError.database` when the statement fails.
    package static func messageAuthorsAndThreadStarters(_ db: Database) throws -> MessageAuthorsAndStarters {
        var authors = Set<String>()
        var first: [String: (ts: Int64, id: String, member: String)] = [:]
        var threads = RunLookup<String>()
        try scan(db, sql: "SELECT member, thread, ts, id FROM message", operation: "reading message authors and thread starters") { row in
            let member = row.string(0)
            authors.insert(member)
            let lastKey = threads.value(for: row.bytes(1)) { $0 }!
            let ts = row.int64(2)
            if let f = first[lastKey], f.ts < ts { return }
            let id = row.string(3)
            if let f = first[lastKey], f.ts == ts, f.id < id { return }
            first[lastKey] = (ts, id, member)
        }
        return MessageAuthorsAndStarters(authors: authors, starters: first.mapValues(\.member))
    }
}
