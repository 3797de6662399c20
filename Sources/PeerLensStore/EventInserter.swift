import CSQLite
import GRDBSQLite
import PeerLensLog

/// Writes validated events into the event tables: ingestion's hot path.
///
/// Most tables receive `RowBatch`es laid out by the reader thread, each stored
/// with one `INSERT OR IGNORE … SELECT … FROM temp.pl_<table>` over the
/// `pl_batch` virtual table (CSQLite): per-statement set-up, not the B-tree
/// insert, dominates SQLite's cost for small rows. Duplicates are counted from
/// `sqlite3_changes`. Members and group sessions, whose child rows
/// (conditions, attendees) are written only when the parent is new, go one at
/// a time through prepared single-row statements.
///
/// Use inside one write transaction on the connection it was created with;
/// call `finish()` before committing.
final class EventInserter {
    private let connection: OpaquePointer
    /// Single-row statements, in `RowLayout.columns` order.
    private var statements: [OpaquePointer] = []
    /// Per batched table: the header the virtual table reads and the INSERT … SELECT statement.
    private var batchHeaders: [UnsafeMutablePointer<pl_batch_rows>?] = []
    private var batchStatements: [OpaquePointer?] = []
    /// New rows stored, per event type (indexed like `EventType.allCases`).
    private(set) var accepted = [Int](repeating: 0, count: EventType.allCases.count)
    /// Earliest and latest `ts` of the new rows, per event type, for `event_span`.
    private var span = [(first: Int64, last: Int64)?](repeating: nil, count: EventType.allCases.count)
    /// Event types whose span must be recomputed from the table: a batch with duplicates does not say which of
    /// its rows were new.
    private var staleSpan = Set<Int>()
    /// Position of `ts` in each batched table's row layout.
    private let timeColumn: [Int?] = RowLayout.columns.map { $0.columns.firstIndex(of: "ts") }
    private let runID: Int64

    init(connection: OpaquePointer, runID: Int64) throws(StoreError) {
        self.connection = connection
        self.runID = runID
        guard peerlens_register_batch_module(connection) == SQLITE_OK else {
            throw StoreError.database(operation: "registering the batch module", reason: String(cString: sqlite3_errmsg(connection)))
        }
        for table in RowLayout.Table.allCases {
            let (name, columns) = RowLayout.columns[table.rawValue]
            let names = columns.map { "\"\($0)\"" }.joined(separator: ",")
            let row = columns.map { _ in "?" }.joined(separator: ",")
            statements.append(try prepare("INSERT INTO \"\(name)\" (\(names)) VALUES (\(row)) ON CONFLICT DO NOTHING", name))
            guard RowLayout.isBatched(table) else { batchHeaders.append(nil); batchStatements.append(nil); continue }
            let width = RowLayout.batchColumns(table)
            let header = UnsafeMutablePointer<pl_batch_rows>.allocate(capacity: 1)
            header.initialize(to: pl_batch_rows(columns: Int32(width), rows: 0, values: nil, arena: nil))
            batchHeaders.append(header)
            let virtual = "pl_\(name)"
            try execute("DROP TABLE IF EXISTS temp.\(virtual)", name)
            try execute("CREATE VIRTUAL TABLE temp.\(virtual) USING pl_batch(\(UInt(bitPattern: header)), \(width))", name)
            let selected = (0..<width).map { "c\($0)" }.joined(separator: ",")
            // OR IGNORE rather than ON CONFLICT DO NOTHING: a statement that can abort midway needs a
            // statement journal, which doubled the cost of every batch. OR IGNORE would also skip a row failing
            // a CHECK; that cannot happen here because EventDecoder enforces every CHECK of the schema first
            // (vocabularies, ranges), and single-row paths and other writers still get the CHECKs as errors.
            let statement = try prepare("INSERT OR IGNORE INTO \"\(name)\" (\(names)) SELECT \(selected), ?1 FROM temp.\(virtual)", name)
            sqlite3_bind_int64(statement, 1, runID)
            batchStatements.append(statement)
        }
    }

    deinit {
        for statement in statements { sqlite3_finalize(statement) }
        for statement in batchStatements { if let statement { sqlite3_finalize(statement) } }
        for header in batchHeaders { header?.deallocate() }
    }

    private func prepare(_ sql: String, _ table: String) throws(StoreError) -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError.database(operation: "preparing insert into \(table)", reason: String(cString: sqlite3_errmsg(connection)))
        }
        return statement
    }

    private func execute(_ sql: String, _ table: String) throws(StoreError) {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
            throw StoreError.database(operation: "setting up the batch table for \(table)", reason: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Stores a batch of rows laid out by the reader.
    func insert(_ batch: RowBatch) throws(StoreError) {
        guard batch.rows > 0 else { return }
        let index = batch.table.rawValue
        guard let header = batchHeaders[index], let statement = batchStatements[index] else {
            preconditionFailure("\(RowLayout.columns[index].table) is not a batched table")
        }
        let changes = try batch.withHeader { rows throws(StoreError) -> Int32 in
            header.pointee = rows
            let status = sqlite3_step(statement)
            sqlite3_reset(statement)
            header.pointee.rows = 0
            guard status == SQLITE_DONE else {
                throw StoreError.database(operation: "insert into \(RowLayout.columns[index].table)", reason: String(cString: sqlite3_errmsg(connection)))
            }
            return sqlite3_changes(connection)
        }
        let type = RowLayout.eventType(of: batch.table).index
        accepted[type] += Int(changes)
        if Int(changes) == batch.rows, let column = timeColumn[index] {
            var first = Int64.max, last = Int64.min
            for row in 0..<batch.rows {
                let ts = batch.values[row * batch.columns + column].integer
                first = min(first, ts); last = max(last, ts)
            }
            extendSpan(type, first, last)
        } else if changes > 0 {
            staleSpan.insert(type)
        }
    }

    private func extendSpan(_ type: Int, _ first: Int64, _ last: Int64) {
        span[type] = span[type].map { (min($0.first, first), max($0.last, last)) } ?? (first, last)
    }

    /// Stores one member or group-session event (with its child rows when it is new).
    func insert(_ event: Event) throws(StoreError) {
        let table = RowLayout.table(event)
        precondition(!RowLayout.isBatched(table), "batched tables take RowBatch")
        var sink = StatementSink(statement: statements[table.rawValue])
        RowLayout.bindRow(event, &sink, runID: runID)
        guard try step(statements[table.rawValue], RowLayout.columns[table.rawValue].table) else { return }
        accepted[event.type.index] += 1
        extendSpan(event.type.index, event.ts.microseconds, event.ts.microseconds)
        switch event {
        case let .member(e):
            var c = StatementSink(statement: statements[RowLayout.Table.memberCondition.rawValue])
            for condition in e.conditions {
                c.set(1, e.member); c.set(2, condition.rawValue)
                _ = try step(c.statement, "member_condition")
            }
        case let .groupSession(e):
            var a = StatementSink(statement: statements[RowLayout.Table.groupAttendee.rawValue])
            for member in e.attendees {
                a.set(1, e.group); a.set(2, e.session); a.set(3, member)
                _ = try step(a.statement, "group_attendee")
            }
        default:
            break
        }
    }

    /// Records the span of the new rows in `event_span` and removes the batch tables; call once after the
    /// last insert, before committing.
    func finish() throws(StoreError) {
        for (i, type) in EventType.allCases.enumerated() {
            let table = type.rawValue
            let upsert = " ON CONFLICT(event_type) DO UPDATE SET first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts)"
            if staleSpan.contains(i) {
                try execute("INSERT INTO event_span SELECT '\(table)', min(ts), max(ts) FROM \"\(table)\" WHERE true HAVING count(*) > 0" + upsert, table)
            } else if let (first, last) = span[i] {
                try execute("INSERT INTO event_span VALUES ('\(table)', \(first), \(last))" + upsert, table)
            }
        }
        for (index, statement) in batchStatements.enumerated() {
            guard let statement else { continue }
            sqlite3_finalize(statement)
            batchStatements[index] = nil
            try execute("DROP TABLE temp.pl_\(RowLayout.columns[index].table)", RowLayout.columns[index].table)
        }
    }

    /// Steps a single-row insert; true when a row was inserted, false when its key was already stored.
    @inline(__always)
    private func step(_ statement: OpaquePointer, _ table: String) throws(StoreError) -> Bool {
        let status = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard status == SQLITE_DONE else {
            // SQLite's messages name constraints and columns, never bound values.
            throw StoreError.database(operation: "insert into \(table)", reason: String(cString: sqlite3_errmsg(connection)))
        }
        return sqlite3_changes(connection) > 0
    }
}

/// Binds parameters of a single-row statement.
struct StatementSink: RowSink {
    let statement: OpaquePointer
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    mutating func set(_ i: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(statement, i); return }
        value.withUTF8 { buffer in
            _ = sqlite3_bind_text(statement, i, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(buffer.count), Self.transient)
        }
    }
    mutating func set(_ i: Int32, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(statement, i); return }
        sqlite3_bind_int64(statement, i, value)
    }
    mutating func set(_ i: Int32, _ value: Double?) {
        guard let value else { sqlite3_bind_null(statement, i); return }
        sqlite3_bind_double(statement, i, value)
    }
    mutating func set(_ i: Int32, _ value: Bool?) { set(i, value.map { $0 ? Int64(1) : 0 }) }
    mutating func set(_ i: Int32, _ value: Timestamp) { sqlite3_bind_int64(statement, i, value.microseconds) }
}
