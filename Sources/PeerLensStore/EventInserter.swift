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
/// a time through prepared single-row statements. Every statement is generated
/// from `StoreSchema.tables` (columns in `RowLayout` order).
///
/// Use inside one write transaction on the connection it was created with;
/// call `finish()` before committing.
final class EventInserter {
    private let connection: OpaquePointer
    /// Per event type (indexed like `EventType.allCases`): the single-row statement of a type that is not batched.
    private var statements: [OpaquePointer?] = []
    /// Single-row statements of the child tables.
    private var conditionStatement: OpaquePointer?
    private var attendeeStatement: OpaquePointer?
    /// Per batched event type: the header the virtual table reads and the INSERT … SELECT statement.
    private var batchHeaders: [UnsafeMutablePointer<pl_batch_rows>?] = []
    private var batchStatements: [OpaquePointer?] = []
    /// New rows stored, per event type (indexed like `EventType.allCases`).
    private(set) var accepted = [Int](repeating: 0, count: EventType.allCases.count)
    /// Earliest and latest `ts` of the new rows, per event type, for `event_span`.
    private var span = [(first: Int64, last: Int64)?](repeating: nil, count: EventType.allCases.count)
    /// Event types whose span must be recomputed from the table: a batch with duplicates does not say which of
    /// its rows were new.
    private var staleSpan = Set<Int>()
    /// The (model, version) pairs of the stored scores, for `score_version`; the pair of the previous score row,
    /// which is nearly always the next one's too (a model's version scores many messages in a row).
    private var scoreVersions = Set<ScoreVersion>()
    private var lastScoreVersion: ScoreVersion?
    private struct ScoreVersion: Hashable { var model: [UInt8], version: [UInt8] }
    /// Positions of `model` and `version` in the score row layout.
    private let scoreVersionColumns: (model: Int, version: Int) = {
        let columns = RowLayout.columns[EventType.score.index]
        return (columns.firstIndex(of: "model")!, columns.firstIndex(of: "version")!)
    }()
    /// Position of `ts` in each event type's row layout.
    private let timeColumn: [Int?] = RowLayout.columns.map { $0.firstIndex(of: "ts") }
    private let runID: Int64

    init(connection: OpaquePointer, runID: Int64) throws(StoreError) {
        self.connection = connection
        self.runID = runID
        guard peerlens_register_batch_module(connection) == SQLITE_OK else {
            throw StoreError.database(operation: "registering the batch module", reason: String(cString: sqlite3_errmsg(connection)))
        }
        conditionStatement = try prepareSingleRow(StoreSchema.table("member_condition"))
        attendeeStatement = try prepareSingleRow(StoreSchema.table("group_attendee"))
        for type in EventType.allCases {
            let table = StoreSchema.eventTables[type.index]
            guard RowLayout.isBatched(type) else {
                statements.append(try prepareSingleRow(table))
                batchHeaders.append(nil); batchStatements.append(nil)
                continue
            }
            statements.append(nil)
            let width = RowLayout.batchColumns(type)
            let header = UnsafeMutablePointer<pl_batch_rows>.allocate(capacity: 1)
            header.initialize(to: pl_batch_rows(columns: Int32(width), rows: 0, values: nil, arena: nil))
            batchHeaders.append(header)
            let virtual = "pl_\(table.name)"
            try execute("DROP TABLE IF EXISTS temp.\(virtual)", table.name)
            try execute("CREATE VIRTUAL TABLE temp.\(virtual) USING pl_batch(\(UInt(bitPattern: header)), \(width))", table.name)
            let selected = (0..<width).map { "c\($0)" }.joined(separator: ",")
            // OR IGNORE rather than ON CONFLICT DO NOTHING: a statement that can abort midway needs a
            // statement journal, which doubled the cost of every batch. OR IGNORE would also skip a row failing
            // a CHECK; that cannot happen here because EventDecoder enforces every CHECK of the schema first
            // (vocabularies, ranges), and single-row paths and other writers still get the CHECKs as errors.
            let statement = try prepare("INSERT OR IGNORE INTO \"\(table.name)\" (\(Self.columnList(table))) SELECT \(selected), ?1 FROM temp.\(virtual)", table.name)
            sqlite3_bind_int64(statement, 1, runID)
            batchStatements.append(statement)
        }
    }

    deinit {
        for statement in statements + batchStatements + [conditionStatement, attendeeStatement] {
            if let statement { sqlite3_finalize(statement) }
        }
        for header in batchHeaders { header?.deallocate() }
    }

    /// `table`'s columns in bind order, quoted, for an INSERT.
    private static func columnList(_ table: TableSchema) -> String {
        RowLayout.bindOrder(table).map { "\"\($0)\"" }.joined(separator: ",")
    }

    private func prepareSingleRow(_ table: TableSchema) throws(StoreError) -> OpaquePointer {
        let parameters = table.columns.map { _ in "?" }.joined(separator: ",")
        return try prepare("INSERT INTO \"\(table.name)\" (\(Self.columnList(table))) VALUES (\(parameters)) ON CONFLICT DO NOTHING", table.name)
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

    /// `INSERT OR IGNORE` of one (model, version) into `score_version`, the values bound (they come from the log).
    private func insertScoreVersion(model: String, version: String) throws(StoreError) {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(connection, "INSERT OR IGNORE INTO score_version (model, version) VALUES (?, ?)", -1, &statement, nil) == SQLITE_OK,
              let statement else {
            throw StoreError.database(operation: "recording scored model versions", reason: String(cString: sqlite3_errmsg(connection)))
        }
        var sink = StatementSink(statement)
        sink.bind(model); sink.bind(version)
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw StoreError.database(operation: "recording scored model versions", reason: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Stores a batch of rows laid out by the reader.
    func insert(_ batch: RowBatch) throws(StoreError) {
        guard batch.rows > 0 else { return }
        let type = batch.type.index
        guard let header = batchHeaders[type], let statement = batchStatements[type] else {
            preconditionFailure("\(batch.type.rawValue) is not a batched table")
        }
        let changes = try batch.withHeader { rows throws(StoreError) -> Int32 in
            header.pointee = rows
            let status = sqlite3_step(statement)
            sqlite3_reset(statement)
            header.pointee.rows = 0
            guard status == SQLITE_DONE else {
                throw StoreError.database(operation: "insert into \(batch.type.rawValue)", reason: String(cString: sqlite3_errmsg(connection)))
            }
            return sqlite3_changes(connection)
        }
        accepted[type] += Int(changes)
        if changes > 0, batch.type == .score { noteScoreVersions(batch) }
        if Int(changes) == batch.rows, let column = timeColumn[type] {
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

    /// Notes the (model, version) of every row of a score batch (a duplicate row's pair is stored already, so
    /// noting it too is harmless).
    private func noteScoreVersions(_ batch: RowBatch) {
        batch.withArena { arena in
            for row in 0..<batch.rows {
                let model = batch.values[row * batch.columns + scoreVersionColumns.model]
                let version = batch.values[row * batch.columns + scoreVersionColumns.version]
                let m = arena[Int(model.integer)..<Int(model.integer) + Int(model.length)]
                let v = arena[Int(version.integer)..<Int(version.integer) + Int(version.length)]
                if let last = lastScoreVersion, last.model.elementsEqual(m), last.version.elementsEqual(v) { continue }
                let pair = ScoreVersion(model: Array(m), version: Array(v))
                lastScoreVersion = pair
                scoreVersions.insert(pair)
            }
        }
    }

    private func extendSpan(_ type: Int, _ first: Int64, _ last: Int64) {
        span[type] = span[type].map { (min($0.first, first), max($0.last, last)) } ?? (first, last)
    }

    /// Stores one member or group-session event (with its child rows when it is new).
    func insert(_ event: Event) throws(StoreError) {
        let type = event.type.index
        guard let statement = statements[type] else { preconditionFailure("batched tables take RowBatch") }
        var sink = StatementSink(statement)
        RowLayout.bindRow(event, &sink)
        sink.bind(runID)
        guard try step(statement, event.type.rawValue) else { return }
        accepted[type] += 1
        extendSpan(type, event.ts.microseconds, event.ts.microseconds)
        switch event {
        case let .member(e):
            for condition in e.conditions {
                var row = StatementSink(conditionStatement!)
                row.bind(e.member); row.bind(condition.rawValue)
                _ = try step(row.statement, "member_condition")
            }
        case let .groupSession(e):
            for member in e.attendees {
                var row = StatementSink(attendeeStatement!)
                row.bind(e.group); row.bind(e.session); row.bind(member)
                _ = try step(row.statement, "group_attendee")
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
        for pair in scoreVersions {
            try insertScoreVersion(model: String(decoding: pair.model, as: UTF8.self), version: String(decoding: pair.version, as: UTF8.self))
        }
        for (i, statement) in batchStatements.enumerated() {
            guard let statement else { continue }
            sqlite3_finalize(statement)
            batchStatements[i] = nil
            let table = StoreSchema.eventTables[i].name
            try execute("DROP TABLE temp.pl_\(table)", table)
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

/// Binds the parameters of a single-row statement, one after the other from the first.
struct StatementSink: RowSink {
    let statement: OpaquePointer
    /// The parameter bound last (parameters count from 1).
    private var parameter: Int32 = 0
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: OpaquePointer) { self.statement = statement }

    mutating func bind(_ value: String?) {
        parameter += 1
        guard var value else { sqlite3_bind_null(statement, parameter); return }
        value.withUTF8 { buffer in
            _ = sqlite3_bind_text(statement, parameter, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(buffer.count), Self.transient)
        }
    }
    mutating func bind(_ value: Int64?) {
        parameter += 1
        guard let value else { sqlite3_bind_null(statement, parameter); return }
        sqlite3_bind_int64(statement, parameter, value)
    }
    mutating func bind(_ value: Double?) {
        parameter += 1
        guard let value else { sqlite3_bind_null(statement, parameter); return }
        sqlite3_bind_double(statement, parameter, value)
    }
}
