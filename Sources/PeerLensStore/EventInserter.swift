import CSQLite
import GRDBSQLite
import PeerLensLog

/// Writes validated events into the event tables: ingestion's hot path.
///
/// Events are laid out in memory per table and stored a batch at a time with
/// one `INSERT … SELECT … FROM temp.pl_<table> WHERE true ON CONFLICT DO NOTHING`
/// over the `pl_batch` virtual table (CSQLite): per-statement set-up, not the
/// B-tree insert, dominates SQLite's cost for small rows, so one statement per
/// batch is several times cheaper than one per row. Duplicates are counted
/// from `sqlite3_changes`. Members and group sessions, whose child rows
/// (conditions, attendees) are written only when the parent is new, go one at
/// a time through prepared single-row statements.
///
/// Use inside one write transaction on the connection it was created with;
/// call `finish()` before committing.
final class EventInserter {
    private let connection: OpaquePointer
    /// Single-row statements, in `columns` order.
    private var statements: [OpaquePointer] = []
    /// Per batched table: its buffer and its INSERT … SELECT statement.
    private var batches: [Batch?] = []
    /// New rows stored, per event type (indexed like `EventType.allCases`).
    private(set) var accepted = [Int](repeating: 0, count: EventType.allCases.count)
    private let runID: Int64
    /// Rows per batch.
    static let batchRows = 2048

    /// SQL per table: columns in bind order.
    private static let columns: [(table: String, columns: [String])] = [
        ("member", ["member", "ts", "role", "region", "language", "age_band", "gender", "culture", "resource_setting", "research_consent", "cohort", "run_id"]),
        ("member_condition", ["member", "condition"]),
        ("message", ["id", "ts", "member", "space", "thread", "reply_to", "chars", "run_id"]),
        ("score", ["message", "model", "version", "ts", "score", "run_id"]),
        ("review", ["message", "kind", "reviewer_role", "ts", "severity", "positive", "weight", "run_id"]),
        ("alert", ["id", "ts", "message", "member", "model", "version", "score", "threshold", "run_id"]),
        ("response", ["alert", "responder", "ts", "responder_role", "outcome", "run_id"]),
        ("followup", ["alert", "ts", "completed", "run_id"]),
        ("moderation", ["id", "ts", "message", "member", "action", "layer", "reason", "run_id"]),
        ("appeal", ["moderation", "ts", "outcome", "run_id"]),
        ("match", ["id", "ts", "seeker", "peer", "kind", "score", "experience", "communication", "support_style", "demographic", "recovery_stage", "availability", "safety", "cultural", "accepted", "run_id"]),
        ("match_end", ["match", "ts", "sessions", "rating", "reason", "run_id"]),
        ("group_session", ["group_id", "session", "ts", "facilitator", "focus", "attendee_count", "run_id"]),
        ("group_attendee", ["group_id", "session", "member"]),
        ("checkin", ["member", "instrument", "ts", "score", "run_id"]),
        ("skill", ["member", "framework", "skill", "ts", "completed", "run_id"]),
        ("training", ["member", "course", "ts", "completed", "run_id"]),
        ("activity", ["member", "ts", "duration_s", "run_id"]),
    ]

    /// The tables, in `columns` order.
    enum Table: Int {
        case member, memberCondition, message, score, review, alert, response, followup, moderation, appeal
        case match, matchEnd, groupSession, groupAttendee, checkin, skill, training, activity
    }

    /// Tables written one row at a time (they have child rows).
    private static let unbatched: Set<Int> = [Table.member.rawValue, Table.memberCondition.rawValue,
                                              Table.groupSession.rawValue, Table.groupAttendee.rawValue]

    init(connection: OpaquePointer, runID: Int64) throws(StoreError) {
        self.connection = connection
        self.runID = runID
        guard peerlens_register_batch_module(connection) == SQLITE_OK else {
            throw StoreError.database(operation: "registering the batch module", reason: String(cString: sqlite3_errmsg(connection)))
        }
        for (index, (table, columns)) in Self.columns.enumerated() {
            let names = columns.map { "\"\($0)\"" }.joined(separator: ",")
            let row = columns.map { _ in "?" }.joined(separator: ",")
            statements.append(try prepare("INSERT INTO \"\(table)\" (\(names)) VALUES (\(row)) ON CONFLICT DO NOTHING", table))
            guard !Self.unbatched.contains(index) else { batches.append(nil); continue }
            let batch = Batch(columns: columns.count, capacity: Self.batchRows)
            let virtual = "pl_\(table)"
            try execute("DROP TABLE IF EXISTS temp.\(virtual)", table)
            try execute("CREATE VIRTUAL TABLE temp.\(virtual) USING pl_batch(\(UInt(bitPattern: batch.header)), \(columns.count))", table)
            let selected = (0..<columns.count).map { "c\($0)" }.joined(separator: ",")
            // OR IGNORE rather than ON CONFLICT DO NOTHING: a statement that can abort midway needs a
            // statement journal, which doubled the cost of every batch. OR IGNORE would also skip a row failing
            // a CHECK; that cannot happen here because EventDecoder enforces every CHECK of the schema first
            // (vocabularies, ranges), and single-row paths and other writers still get the CHECKs as errors.
            batch.statement = try prepare("INSERT OR IGNORE INTO \"\(table)\" (\(names)) SELECT \(selected) FROM temp.\(virtual)", table)
            batches.append(batch)
        }
    }

    deinit {
        for statement in statements { sqlite3_finalize(statement) }
        for batch in batches { if let s = batch?.statement { sqlite3_finalize(s) } }
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


    /// The table an event is stored in.
    private static func table(_ event: Event) -> Table {
        switch event {
        case .member: .member
        case .message: .message
        case .score: .score
        case .review: .review
        case .alert: .alert
        case .response: .response
        case .followup: .followup
        case .moderation: .moderation
        case .appeal: .appeal
        case .match: .match
        case .matchEnd: .matchEnd
        case .groupSession: .groupSession
        case .checkin: .checkin
        case .skill: .skill
        case .training: .training
        case .activity: .activity
        }
    }

    /// Stores `event`, now (members, group sessions) or with its table's next batch.
    func insert(_ event: Event) throws(StoreError) {
        let table = Self.table(event)
        if let batch = batches[table.rawValue] {
            batch.pending.append(event)
            if batch.pending.count == Self.batchRows { try flush(table) }
            return
        }
        try insertSingle(event, table)
    }

    private func insertSingle(_ event: Event, _ table: Table) throws(StoreError) {
        var sink = StatementSink(statement: statements[table.rawValue])
        bindRow(event, &sink)
        guard try step(statements[table.rawValue], Self.columns[table.rawValue].table) else { return }
        accepted[event.type.index] += 1
        switch event {
        case let .member(e):
            var c = StatementSink(statement: statements[Table.memberCondition.rawValue])
            for condition in e.conditions {
                c.set(1, e.member); c.set(2, condition.rawValue)
                _ = try step(c.statement, "member_condition")
            }
        case let .groupSession(e):
            var a = StatementSink(statement: statements[Table.groupAttendee.rawValue])
            for member in e.attendees {
                a.set(1, e.group); a.set(2, e.session); a.set(3, member)
                _ = try step(a.statement, "group_attendee")
            }
        default:
            break
        }
    }

    /// Stores every buffered event and removes the batch tables; call once, before reading `accepted`.
    func finish() throws(StoreError) {
        for raw in batches.indices where !(batches[raw]?.pending.isEmpty ?? true) { try flush(Table(rawValue: raw)!) }
        for (raw, batch) in batches.enumerated() {
            guard let batch, let statement = batch.statement else { continue }
            sqlite3_finalize(statement)
            batch.statement = nil
            try execute("DROP TABLE temp.pl_\(Self.columns[raw].table)", Self.columns[raw].table)
        }
    }

    private func flush(_ table: Table) throws(StoreError) {
        guard let batch = batches[table.rawValue], let statement = batch.statement else { return }
        var sink = BatchSink(batch: batch)
        for event in batch.pending {
            bindRow(event, &sink)
            batch.rows += 1
        }
        batch.pending.removeAll(keepingCapacity: true)
        let changes: Int32 = try batch.values.withUnsafeBufferPointer { values throws(StoreError) -> Int32 in
            try batch.arena.withUnsafeBufferPointer { arena throws(StoreError) -> Int32 in
                batch.header.pointee = pl_batch_rows(columns: Int32(batch.columns), rows: Int32(batch.rows), values: values.baseAddress,
                                                     arena: UnsafeRawPointer(arena.baseAddress!).assumingMemoryBound(to: CChar.self))
                let status = sqlite3_step(statement)
                sqlite3_reset(statement)
                guard status == SQLITE_DONE else {
                    throw StoreError.database(operation: "insert into \(Self.columns[table.rawValue].table)", reason: String(cString: sqlite3_errmsg(connection)))
                }
                return sqlite3_changes(connection)
            }
        }
        accepted[Self.eventType(of: table).index] += Int(changes)
        batch.reset()
    }

    private static func eventType(of table: Table) -> EventType {
        switch table {
        case .member, .memberCondition: .member
        case .message: .message
        case .score: .score
        case .review: .review
        case .alert: .alert
        case .response: .response
        case .followup: .followup
        case .moderation: .moderation
        case .appeal: .appeal
        case .match: .match
        case .matchEnd: .matchEnd
        case .groupSession, .groupAttendee: .groupSession
        case .checkin: .checkin
        case .skill: .skill
        case .training: .training
        case .activity: .activity
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

    /// Sets the columns of `event`'s parent-table row (1-based column numbers, as the column lists).
    private func bindRow<Sink: RowSink>(_ event: Event, _ sink: inout Sink) {
        switch event {
        case let .member(e):
            sink.set(1, e.member); sink.set(2, e.ts); sink.set(3, e.role.rawValue); sink.set(4, e.region)
            sink.set(5, e.language); sink.set(6, e.ageBand?.rawValue); sink.set(7, e.gender); sink.set(8, e.culture)
            sink.set(9, e.resourceSetting?.rawValue); sink.set(10, e.researchConsent); sink.set(11, e.cohort); sink.set(12, runID)
        case let .message(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.member); sink.set(4, e.space); sink.set(5, e.thread)
            sink.set(6, e.replyTo); sink.set(7, Int64(e.chars)); sink.set(8, runID)
        case let .score(e):
            sink.set(1, e.message); sink.set(2, e.model); sink.set(3, e.version); sink.set(4, e.ts); sink.set(5, e.score); sink.set(6, runID)
        case let .review(e):
            sink.set(1, e.message); sink.set(2, e.kind.rawValue); sink.set(3, e.reviewerRole); sink.set(4, e.ts)
            sink.set(5, e.severity?.rawValue); sink.set(6, e.positive); sink.set(7, e.weight); sink.set(8, runID)
        case let .alert(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.message); sink.set(4, e.member); sink.set(5, e.model)
            sink.set(6, e.version); sink.set(7, e.score); sink.set(8, e.threshold); sink.set(9, runID)
        case let .response(e):
            sink.set(1, e.alert); sink.set(2, e.responder); sink.set(3, e.ts); sink.set(4, e.responderRole.rawValue)
            sink.set(5, e.outcome.rawValue); sink.set(6, runID)
        case let .followup(e):
            sink.set(1, e.alert); sink.set(2, e.ts); sink.set(3, e.completed); sink.set(4, runID)
        case let .moderation(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.message); sink.set(4, e.member); sink.set(5, e.action.rawValue)
            sink.set(6, e.layer.rawValue); sink.set(7, e.reason.rawValue); sink.set(8, runID)
        case let .appeal(e):
            sink.set(1, e.moderation); sink.set(2, e.ts); sink.set(3, e.outcome.rawValue); sink.set(4, runID)
        case let .match(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.seeker); sink.set(4, e.peer); sink.set(5, e.kind.rawValue)
            sink.set(6, e.score)
            for (i, v) in e.components.values.enumerated() { sink.set(Int32(7 + i), v) }
            sink.set(15, e.accepted); sink.set(16, runID)
        case let .matchEnd(e):
            sink.set(1, e.match); sink.set(2, e.ts); sink.set(3, Int64(e.sessions)); sink.set(4, e.rating.map(Int64.init))
            sink.set(5, e.reason.rawValue); sink.set(6, runID)
        case let .groupSession(e):
            sink.set(1, e.group); sink.set(2, e.session); sink.set(3, e.ts); sink.set(4, e.facilitator); sink.set(5, e.focus)
            sink.set(6, Int64(Set(e.attendees).count)); sink.set(7, runID)
        case let .checkin(e):
            sink.set(1, e.member); sink.set(2, e.instrument); sink.set(3, e.ts); sink.set(4, e.score); sink.set(5, runID)
        case let .skill(e):
            sink.set(1, e.member); sink.set(2, e.framework.rawValue); sink.set(3, e.skill); sink.set(4, e.ts)
            sink.set(5, e.completed); sink.set(6, runID)
        case let .training(e):
            sink.set(1, e.member); sink.set(2, e.course); sink.set(3, e.ts); sink.set(4, e.completed); sink.set(5, runID)
        case let .activity(e):
            sink.set(1, e.member); sink.set(2, e.ts); sink.set(3, e.durationSeconds); sink.set(4, runID)
        }
    }
}

/// Where a row's column values go: a prepared statement's parameters or a batch slot.
protocol RowSink {
    mutating func set(_ column: Int32, _ value: String?)
    mutating func set(_ column: Int32, _ value: Int64?)
    mutating func set(_ column: Int32, _ value: Double?)
    mutating func set(_ column: Int32, _ value: Bool?)
    mutating func set(_ column: Int32, _ value: Timestamp)
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

/// Rows of one table laid out for the `pl_batch` virtual table: `rows × columns` values and a text arena.
final class Batch {
    let columns: Int
    var values: [pl_value]
    var arena: [UInt8] = []
    /// Events waiting for the next flush, in arrival order.
    var pending: [Event] = []
    var rows = 0
    var statement: OpaquePointer?
    /// The `pl_batch_rows` header the virtual table reads; stable for the batch's lifetime.
    let header: UnsafeMutablePointer<pl_batch_rows>

    init(columns: Int, capacity: Int) {
        self.columns = columns
        values = [pl_value](repeating: pl_value(), count: columns * capacity)
        arena.reserveCapacity(capacity * columns * 16)
        header = .allocate(capacity: 1)
        header.initialize(to: pl_batch_rows(columns: Int32(columns), rows: 0, values: nil, arena: nil))
    }

    deinit { header.deallocate() }

    func reset() {
        rows = 0
        arena.removeAll(keepingCapacity: true)
    }
}

/// Writes a row into the next slot of a `Batch`.
struct BatchSink: RowSink {
    let batch: Batch

    @inline(__always) private func slot(_ column: Int32) -> Int { batch.rows * batch.columns + Int(column) - 1 }

    mutating func set(_ i: Int32, _ value: String?) {
        guard var value else { batch.values[slot(i)] = pl_value(); return }
        let offset = batch.arena.count
        let length = value.withUTF8 { bytes in batch.arena.append(contentsOf: bytes); return bytes.count }
        batch.values[slot(i)] = pl_value(type: Int32(PL_TEXT), length: Int32(length), integer: Int64(offset), real: 0)
    }
    mutating func set(_ i: Int32, _ value: Int64?) {
        guard let value else { batch.values[slot(i)] = pl_value(); return }
        batch.values[slot(i)] = pl_value(type: Int32(PL_INT), length: 0, integer: value, real: 0)
    }
    mutating func set(_ i: Int32, _ value: Double?) {
        guard let value else { batch.values[slot(i)] = pl_value(); return }
        batch.values[slot(i)] = pl_value(type: Int32(PL_REAL), length: 0, integer: 0, real: value)
    }
    mutating func set(_ i: Int32, _ value: Bool?) { set(i, value.map { $0 ? Int64(1) : 0 }) }
    mutating func set(_ i: Int32, _ value: Timestamp) { set(i, Optional(value.microseconds)) }
}
