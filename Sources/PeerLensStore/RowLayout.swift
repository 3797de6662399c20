import CSQLite
import PeerLensLog

/// How events map to rows of the event tables: the columns of each event's table in bind order (from
/// `StoreSchema.tables`), and the values of an event's row. Shared by the reader thread (which lays rows out in
/// `RowBatch`es) and the writer (single-row statements).
enum RowLayout {
    /// The columns of each event type's table in bind order, indexed like `EventType.allCases`: the table's
    /// columns as `StoreSchema` lists them, but `run_id` (which the writer binds) last.
    static let columns: [[String]] = StoreSchema.eventTables.map(bindOrder)

    /// The columns of `table` in bind order: as listed, but `run_id` last.
    static func bindOrder(_ table: TableSchema) -> [String] {
        let names = table.columns.map(\.name)
        return names.filter { $0 != "run_id" } + names.filter { $0 == "run_id" }
    }

    /// Event types written one row at a time because they have child rows (conditions, attendees) that are
    /// written only when the parent is new; every other event type is written in batches.
    static func isBatched(_ type: EventType) -> Bool {
        switch type {
        case .member, .groupSession: false
        default: true
        }
    }

    /// Columns a batch row carries: every column but `run_id`, which the writer adds.
    static func batchColumns(_ type: EventType) -> Int { columns[type.index].count - 1 }

    /// Binds the columns of `event`'s row, in `columns` order, all but `run_id`. `SchemaTests` checks these
    /// binds against `StoreSchema.tables`: their number and SQL types.
    static func bindRow<Sink: RowSink>(_ event: Event, _ sink: inout Sink) {
        switch event {
        case let .member(e):
            sink.bind(e.member); sink.bind(e.ts); sink.bind(e.role.rawValue); sink.bind(e.region); sink.bind(e.language)
            sink.bind(e.ageBand?.rawValue); sink.bind(e.gender); sink.bind(e.culture); sink.bind(e.resourceSetting?.rawValue)
            sink.bind(e.researchConsent); sink.bind(e.cohort)
        case let .message(e):
            sink.bind(e.id); sink.bind(e.ts); sink.bind(e.member); sink.bind(e.space); sink.bind(e.thread)
            sink.bind(e.replyTo); sink.bind(Int64(e.chars))
        case let .score(e):
            sink.bind(e.message); sink.bind(e.model); sink.bind(e.version); sink.bind(e.ts); sink.bind(e.score)
        case let .review(e):
            sink.bind(e.message); sink.bind(e.kind.rawValue); sink.bind(e.reviewerRole); sink.bind(e.ts)
            sink.bind(e.severity?.rawValue); sink.bind(e.positive); sink.bind(e.weight)
        case let .alert(e):
            sink.bind(e.id); sink.bind(e.ts); sink.bind(e.message); sink.bind(e.member); sink.bind(e.model)
            sink.bind(e.version); sink.bind(e.score); sink.bind(e.threshold)
        case let .response(e):
            sink.bind(e.alert); sink.bind(e.responder); sink.bind(e.ts); sink.bind(e.responderRole.rawValue)
            sink.bind(e.outcome.rawValue)
        case let .followup(e):
            sink.bind(e.alert); sink.bind(e.ts); sink.bind(e.completed)
        case let .moderation(e):
            sink.bind(e.id); sink.bind(e.ts); sink.bind(e.message); sink.bind(e.member); sink.bind(e.action.rawValue)
            sink.bind(e.layer.rawValue); sink.bind(e.reason.rawValue)
        case let .appeal(e):
            sink.bind(e.moderation); sink.bind(e.ts); sink.bind(e.outcome.rawValue)
        case let .match(e):
            sink.bind(e.id); sink.bind(e.ts); sink.bind(e.seeker); sink.bind(e.peer); sink.bind(e.kind.rawValue)
            sink.bind(e.score)
            for value in e.components.values { sink.bind(value) } // in `MatchComponents.fieldNames` order, as the table
            sink.bind(e.accepted)
        case let .matchEnd(e):
            sink.bind(e.match); sink.bind(e.ts); sink.bind(Int64(e.sessions)); sink.bind(e.rating.map(Int64.init))
            sink.bind(e.reason.rawValue)
        case let .groupSession(e):
            sink.bind(e.group); sink.bind(e.session); sink.bind(e.ts); sink.bind(e.facilitator); sink.bind(e.focus)
            sink.bind(Int64(Set(e.attendees).count))
        case let .checkin(e):
            sink.bind(e.member); sink.bind(e.instrument); sink.bind(e.ts); sink.bind(e.score)
            sink.bind(e.riskItem.map(Int64.init))
        case let .skill(e):
            sink.bind(e.member); sink.bind(e.framework.rawValue); sink.bind(e.skill); sink.bind(e.ts); sink.bind(e.completed)
        case let .training(e):
            sink.bind(e.member); sink.bind(e.course); sink.bind(e.ts); sink.bind(e.completed)
        case let .activity(e):
            sink.bind(e.member); sink.bind(e.ts); sink.bind(e.durationSeconds)
        }
    }
}

/// Where a row's column values go, one column after the other: a prepared statement's parameters or a batch slot.
protocol RowSink {
    mutating func bind(_ value: String?)
    mutating func bind(_ value: Int64?)
    mutating func bind(_ value: Double?)
}

extension RowSink {
    mutating func bind(_ value: Bool?) { bind(value.map { $0 ? Int64(1) : 0 }) }
    mutating func bind(_ value: Timestamp) { bind(Optional(value.microseconds)) }
}

/// Rows of one event table laid out for the `pl_batch` virtual table (CSQLite): `rows × columns` values and a
/// text arena. Built on the reader thread, consumed by the writer.
struct RowBatch: @unchecked Sendable { // plain values only: C structs of numbers, and bytes
    let type: EventType
    let columns: Int
    private(set) var values: [pl_value]
    private(set) var arena: [UInt8] = []
    private(set) var rows = 0
    let capacity: Int
    /// The slot the next bound value goes to.
    private var slot = 0

    init(type: EventType, capacity: Int) {
        self.type = type
        self.capacity = capacity
        columns = RowLayout.batchColumns(type)
        values = [pl_value](repeating: pl_value(), count: columns * capacity)
        arena.reserveCapacity(capacity * columns * 12)
    }

    var isFull: Bool { rows == capacity }

    /// Appends `event`'s row (it must be of `type`).
    mutating func append(_ event: Event) {
        slot = rows * columns
        RowLayout.bindRow(event, &self)
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

    /// Calls `body` with the text arena (a `PL_TEXT` value's bytes are `length` bytes from offset `integer`).
    func withArena<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { arena.withUnsafeBufferPointer(body) }

    @inline(__always) private mutating func put(_ value: pl_value) {
        values[slot] = value
        slot += 1
    }
}

extension RowBatch: RowSink {
    mutating func bind(_ value: String?) {
        guard var value else { put(pl_value()); return }
        let offset = arena.count
        let length = value.withUTF8 { bytes in arena.append(contentsOf: bytes); return bytes.count }
        put(pl_value(type: Int32(PL_TEXT), length: Int32(length), integer: Int64(offset), real: 0))
    }
    mutating func bind(_ value: Int64?) {
        guard let value else { put(pl_value()); return }
        put(pl_value(type: Int32(PL_INT), length: 0, integer: value, real: 0))
    }
    mutating func bind(_ value: Double?) {
        guard let value else { put(pl_value()); return }
        put(pl_value(type: Int32(PL_REAL), length: 0, integer: 0, real: value))
    }
}
