import GRDBSQLite
import PeerLensLog

/// Prepared `INSERT … ON CONFLICT DO NOTHING` statements for every event
/// table, bound through the SQLite C API: ingestion's hot path. Owns its
/// statements and finalises them in `deinit`. Use only inside one write
/// transaction on the connection it was created with.
final class EventInserter {
    private let connection: OpaquePointer
    /// Prepared statements in `columns` order (looked up by position: no hashing on the hot path).
    private var statements: [OpaquePointer] = []
    private let runID: Int64

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

    init(connection: OpaquePointer, runID: Int64) throws(StoreError) {
        self.connection = connection
        self.runID = runID
        for (table, columns) in Self.columns {
            let sql = "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES (\(columns.map { _ in "?" }.joined(separator: ","))) ON CONFLICT DO NOTHING"
            var statement: OpaquePointer?
            guard sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
                throw StoreError.database(operation: "preparing insert into \(table)", reason: String(cString: sqlite3_errmsg(connection)))
            }
            statements.append(statement)
        }
    }

    /// The tables, in `columns` order.
    enum Table: Int {
        case member, memberCondition, message, score, review, alert, response, followup, moderation, appeal
        case match, matchEnd, groupSession, groupAttendee, checkin, skill, training, activity
    }

    @inline(__always)
    private func statement(_ table: Table) -> OpaquePointer { statements[table.rawValue] }

    deinit {
        for statement in statements { sqlite3_finalize(statement) }
    }

    /// Inserts `event`; returns false when an equal key was already stored (a duplicate).
    func insert(_ event: Event) throws(StoreError) -> Bool {
        switch event {
        case let .member(e):
            let s = statement(.member)
            bind(s, 1, e.member); bind(s, 2, e.ts); bind(s, 3, e.role.rawValue); bind(s, 4, e.region)
            bind(s, 5, e.language); bind(s, 6, e.ageBand?.rawValue); bind(s, 7, e.gender); bind(s, 8, e.culture)
            bind(s, 9, e.resourceSetting?.rawValue); bind(s, 10, e.researchConsent); bind(s, 11, e.cohort); bind(s, 12, runID)
            guard try step(s, "member") else { return false }
            let c = statement(.memberCondition)
            for condition in e.conditions {
                bind(c, 1, e.member); bind(c, 2, condition.rawValue)
                _ = try step(c, "member_condition")
            }
            return true
        case let .message(e):
            let s = statement(.message)
            bind(s, 1, e.id); bind(s, 2, e.ts); bind(s, 3, e.member); bind(s, 4, e.space); bind(s, 5, e.thread)
            bind(s, 6, e.replyTo); bind(s, 7, Int64(e.chars)); bind(s, 8, runID)
            return try step(s, "message")
        case let .score(e):
            let s = statement(.score)
            bind(s, 1, e.message); bind(s, 2, e.model); bind(s, 3, e.version); bind(s, 4, e.ts); bind(s, 5, e.score); bind(s, 6, runID)
            return try step(s, "score")
        case let .review(e):
            let s = statement(.review)
            bind(s, 1, e.message); bind(s, 2, e.kind.rawValue); bind(s, 3, e.reviewerRole); bind(s, 4, e.ts)
            bind(s, 5, e.severity?.rawValue); bind(s, 6, e.positive); bind(s, 7, e.weight); bind(s, 8, runID)
            return try step(s, "review")
        case let .alert(e):
            let s = statement(.alert)
            bind(s, 1, e.id); bind(s, 2, e.ts); bind(s, 3, e.message); bind(s, 4, e.member); bind(s, 5, e.model)
            bind(s, 6, e.version); bind(s, 7, e.score); bind(s, 8, e.threshold); bind(s, 9, runID)
            return try step(s, "alert")
        case let .response(e):
            let s = statement(.response)
            bind(s, 1, e.alert); bind(s, 2, e.responder); bind(s, 3, e.ts); bind(s, 4, e.responderRole.rawValue)
            bind(s, 5, e.outcome.rawValue); bind(s, 6, runID)
            return try step(s, "response")
        case let .followup(e):
            let s = statement(.followup)
            bind(s, 1, e.alert); bind(s, 2, e.ts); bind(s, 3, e.completed); bind(s, 4, runID)
            return try step(s, "followup")
        case let .moderation(e):
            let s = statement(.moderation)
            bind(s, 1, e.id); bind(s, 2, e.ts); bind(s, 3, e.message); bind(s, 4, e.member); bind(s, 5, e.action.rawValue)
            bind(s, 6, e.layer.rawValue); bind(s, 7, e.reason.rawValue); bind(s, 8, runID)
            return try step(s, "moderation")
        case let .appeal(e):
            let s = statement(.appeal)
            bind(s, 1, e.moderation); bind(s, 2, e.ts); bind(s, 3, e.outcome.rawValue); bind(s, 4, runID)
            return try step(s, "appeal")
        case let .match(e):
            let s = statement(.match)
            bind(s, 1, e.id); bind(s, 2, e.ts); bind(s, 3, e.seeker); bind(s, 4, e.peer); bind(s, 5, e.kind.rawValue)
            bind(s, 6, e.score)
            for (i, v) in e.components.values.enumerated() { bind(s, Int32(7 + i), v) }
            bind(s, 15, e.accepted); bind(s, 16, runID)
            return try step(s, "match")
        case let .matchEnd(e):
            let s = statement(.matchEnd)
            bind(s, 1, e.match); bind(s, 2, e.ts); bind(s, 3, Int64(e.sessions)); bind(s, 4, e.rating.map(Int64.init))
            bind(s, 5, e.reason.rawValue); bind(s, 6, runID)
            return try step(s, "match_end")
        case let .groupSession(e):
            let s = statement(.groupSession)
            bind(s, 1, e.group); bind(s, 2, e.session); bind(s, 3, e.ts); bind(s, 4, e.facilitator); bind(s, 5, e.focus)
            bind(s, 6, Int64(Set(e.attendees).count)); bind(s, 7, runID)
            guard try step(s, "group_session") else { return false }
            let a = statement(.groupAttendee)
            for member in e.attendees {
                bind(a, 1, e.group); bind(a, 2, e.session); bind(a, 3, member)
                _ = try step(a, "group_attendee")
            }
            return true
        case let .checkin(e):
            let s = statement(.checkin)
            bind(s, 1, e.member); bind(s, 2, e.instrument); bind(s, 3, e.ts); bind(s, 4, e.score); bind(s, 5, runID)
            return try step(s, "checkin")
        case let .skill(e):
            let s = statement(.skill)
            bind(s, 1, e.member); bind(s, 2, e.framework.rawValue); bind(s, 3, e.skill); bind(s, 4, e.ts)
            bind(s, 5, e.completed); bind(s, 6, runID)
            return try step(s, "skill")
        case let .training(e):
            let s = statement(.training)
            bind(s, 1, e.member); bind(s, 2, e.course); bind(s, 3, e.ts); bind(s, 4, e.completed); bind(s, 5, runID)
            return try step(s, "training")
        case let .activity(e):
            let s = statement(.activity)
            bind(s, 1, e.member); bind(s, 2, e.ts); bind(s, 3, e.durationSeconds); bind(s, 4, runID)
            return try step(s, "activity")
        }
    }

    /// Steps an insert; true when a row was inserted, false when it conflicted with a stored key.
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

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    @inline(__always) private func bind(_ s: OpaquePointer, _ i: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(s, i); return }
        value.withUTF8 { buffer in
            _ = sqlite3_bind_text(s, i, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(buffer.count), Self.transient)
        }
    }
    @inline(__always) private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(s, i); return }
        sqlite3_bind_int64(s, i, value)
    }
    @inline(__always) private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Double?) {
        guard let value else { sqlite3_bind_null(s, i); return }
        sqlite3_bind_double(s, i, value)
    }
    @inline(__always) private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Bool?) {
        guard let value else { sqlite3_bind_null(s, i); return }
        sqlite3_bind_int64(s, i, value ? 1 : 0)
    }
    @inline(__always) private func bind(_ s: OpaquePointer, _ i: Int32, _ value: Timestamp) {
        sqlite3_bind_int64(s, i, value.microseconds)
    }
}
