import CSQLite
import PeerLensLog

/// How events map to rows of the event tables: table names, columns in bind
/// order, and the values of an event's row. Shared by the reader thread (which
/// lays rows out in `RowBatch`es) and the writer (single-row statements).
enum RowLayout {
    /// SQL per table: columns in bind order.
    static let columns: [(table: String, columns: [String])] = [
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
    enum Table: Int, CaseIterable {
        case member, memberCondition, message, score, review, alert, response, followup, moderation, appeal
        case match, matchEnd, groupSession, groupAttendee, checkin, skill, training, activity
    }

    /// Tables written one row at a time because they have child rows (conditions, attendees) that are
    /// written only when the parent is new; every other event table is written in batches.
    static func isBatched(_ table: Table) -> Bool {
        switch table {
        case .member, .memberCondition, .groupSession, .groupAttendee: false
        default: true
        }
    }

    /// The table an event is stored in.
    static func table(_ event: Event) -> Table { table(for: event.type) }

    /// The table events of `type` are stored in.
    static func table(for type: EventType) -> Table {
        switch type {
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

    /// The event type whose rows a table holds (child tables map to their parent's type).
    static func eventType(of table: Table) -> EventType {
        switch table {
        case .memberCondition: .member
        case .groupAttendee: .groupSession
        default: EventType.allCases.first { Self.table(for: $0) == table }!
        }
    }

    /// Columns a batch row carries: every column but the trailing `run_id`, which the writer adds.
    static func batchColumns(_ table: Table) -> Int { columns[table.rawValue].columns.count - 1 }

    /// Sets the columns of `event`'s row (1-based, in `columns` order). `runID` nil leaves out `run_id`
    /// (always the last column of an event table).
    static func bindRow<Sink: RowSink>(_ event: Event, _ sink: inout Sink, runID: Int64?) {
        switch event {
        case let .member(e):
            sink.set(1, e.member); sink.set(2, e.ts); sink.set(3, e.role.rawValue); sink.set(4, e.region)
            sink.set(5, e.language); sink.set(6, e.ageBand?.rawValue); sink.set(7, e.gender); sink.set(8, e.culture)
            sink.set(9, e.resourceSetting?.rawValue); sink.set(10, e.researchConsent); sink.set(11, e.cohort); if let runID { sink.set(12, runID) }
        case let .message(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.member); sink.set(4, e.space); sink.set(5, e.thread)
            sink.set(6, e.replyTo); sink.set(7, Int64(e.chars)); if let runID { sink.set(8, runID) }
        case let .score(e):
            sink.set(1, e.message); sink.set(2, e.model); sink.set(3, e.version); sink.set(4, e.ts); sink.set(5, e.score); if let runID { sink.set(6, runID) }
        case let .review(e):
            sink.set(1, e.message); sink.set(2, e.kind.rawValue); sink.set(3, e.reviewerRole); sink.set(4, e.ts)
            sink.set(5, e.severity?.rawValue); sink.set(6, e.positive); sink.set(7, e.weight); if let runID { sink.set(8, runID) }
        case let .alert(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.message); sink.set(4, e.member); sink.set(5, e.model)
            sink.set(6, e.version); sink.set(7, e.score); sink.set(8, e.threshold); if let runID { sink.set(9, runID) }
        case let .response(e):
            sink.set(1, e.alert); sink.set(2, e.responder); sink.set(3, e.ts); sink.set(4, e.responderRole.rawValue)
            sink.set(5, e.outcome.rawValue); if let runID { sink.set(6, runID) }
        case let .followup(e):
            sink.set(1, e.alert); sink.set(2, e.ts); sink.set(3, e.completed); if let runID { sink.set(4, runID) }
        case let .moderation(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.message); sink.set(4, e.member); sink.set(5, e.action.rawValue)
            sink.set(6, e.layer.rawValue); sink.set(7, e.reason.rawValue); if let runID { sink.set(8, runID) }
        case let .appeal(e):
            sink.set(1, e.moderation); sink.set(2, e.ts); sink.set(3, e.outcome.rawValue); if let runID { sink.set(4, runID) }
        case let .match(e):
            sink.set(1, e.id); sink.set(2, e.ts); sink.set(3, e.seeker); sink.set(4, e.peer); sink.set(5, e.kind.rawValue)
            sink.set(6, e.score)
            for (i, v) in e.components.values.enumerated() { sink.set(Int32(7 + i), v) }
            sink.set(15, e.accepted); if let runID { sink.set(16, runID) }
        case let .matchEnd(e):
            sink.set(1, e.match); sink.set(2, e.ts); sink.set(3, Int64(e.sessions)); sink.set(4, e.rating.map(Int64.init))
            sink.set(5, e.reason.rawValue); if let runID { sink.set(6, runID) }
        case let .groupSession(e):
            sink.set(1, e.group); sink.set(2, e.session); sink.set(3, e.ts); sink.set(4, e.facilitator); sink.set(5, e.focus)
            sink.set(6, Int64(Set(e.attendees).count)); if let runID { sink.set(7, runID) }
        case let .checkin(e):
            sink.set(1, e.member); sink.set(2, e.instrument); sink.set(3, e.ts); sink.set(4, e.score); if let runID { sink.set(5, runID) }
        case let .skill(e):
            sink.set(1, e.member); sink.set(2, e.framework.rawValue); sink.set(3, e.skill); sink.set(4, e.ts)
            sink.set(5, e.completed); if let runID { sink.set(6, runID) }
        case let .training(e):
            sink.set(1, e.member); sink.set(2, e.course); sink.set(3, e.ts); sink.set(4, e.completed); if let runID { sink.set(5, runID) }
        case let .activity(e):
            sink.set(1, e.member); sink.set(2, e.ts); sink.set(3, e.durationSeconds); if let runID { sink.set(4, runID) }
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

/// Rows of one table laid out for the `pl_batch` virtual table (CSQLite): `rows × columns` values and a
/// text arena. Built on the reader thread, consumed by the writer.
struct RowBatch: @unchecked Sendable { // plain values only: C structs of numbers, and bytes
    let table: RowLayout.Table
    let columns: Int
    private(set) var values: [pl_value]
    private(set) var arena: [UInt8] = []
    private(set) var rows = 0
    let capacity: Int

    init(table: RowLayout.Table, capacity: Int) {
        self.table = table
        self.capacity = capacity
        columns = RowLayout.batchColumns(table)
        values = [pl_value](repeating: pl_value(), count: columns * capacity)
        arena.reserveCapacity(capacity * columns * 12)
    }

    var isFull: Bool { rows == capacity }

    /// Appends `event`'s row (it must belong to `table`).
    mutating func append(_ event: Event) {
        RowLayout.bindRow(event, &self, runID: nil)
        rows += 1
    }

    /// Calls `body` with the C header describing these rows (valid only inside `body`).
    func withHeader<R>(_ body: (pl_batch_rows) throws(StoreError) -> R) throws(StoreError) -> R {
        try values.withUnsafeBufferPointer { v throws(StoreError) -> R in
            try arena.withUnsafeBufferPointer { a throws(StoreError) -> R in
                try body(pl_batch_rows(columns: Int32(columns), rows: Int32(rows), values: v.baseAddress,
                                       arena: a.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }))
            }
        }
    }

    @inline(__always) private func slot(_ column: Int32) -> Int { rows * columns + Int(column) - 1 }
}

extension RowBatch: RowSink {
    mutating func set(_ i: Int32, _ value: String?) {
        let s = slot(i)
        guard var value else { values[s] = pl_value(); return }
        let offset = arena.count
        let length = value.withUTF8 { bytes in arena.append(contentsOf: bytes); return bytes.count }
        values[s] = pl_value(type: Int32(PL_TEXT), length: Int32(length), integer: Int64(offset), real: 0)
    }
    mutating func set(_ i: Int32, _ value: Int64?) {
        let s = slot(i)
        guard let value else { values[s] = pl_value(); return }
        values[s] = pl_value(type: Int32(PL_INT), length: 0, integer: value, real: 0)
    }
    mutating func set(_ i: Int32, _ value: Double?) {
        let s = slot(i)
        guard let value else { values[s] = pl_value(); return }
        values[s] = pl_value(type: Int32(PL_REAL), length: 0, integer: 0, real: value)
    }
    mutating func set(_ i: Int32, _ value: Bool?) { set(i, value.map { $0 ? Int64(1) : 0 }) }
    mutating func set(_ i: Int32, _ value: Timestamp) { set(i, Optional(value.microseconds)) }
}
