import GRDB
import PeerLensLog

/// A row of a named read (`ResearchRead`), whichever engine produced it: typed reads of its columns (0-based),
/// valid only inside the visitor's body. NULL reads as 0, false or the empty string, as SQLite converts it.
public protocol ReadRow {
    /// The column as a 64-bit integer.
    func int64(_ column: Int32) -> Int64
    /// The column as a double.
    func double(_ column: Int32) -> Double
    /// The column as a boolean (a non-zero integer).
    func bool(_ column: Int32) -> Bool
    /// Whether the column is NULL.
    func isNull(_ column: Int32) -> Bool
    /// The column's UTF-8 bytes, without copying where the engine allows; valid until the next row.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>
    /// The column as a string.
    func string(_ column: Int32) -> String
    /// The column as a string, nil when NULL.
    func optionalString(_ column: Int32) -> String?
}

extension ScannedRow: ReadRow {}

/// The tables of events that have a member and a time, as the research analyses read them.
public enum MemberTimeTable: String, Sendable, Hashable, CaseIterable {
    /// Platform sessions (`activity.member`, `activity.ts`).
    case activity
    /// Messages (their writers).
    case message
    /// Check-ins.
    case checkin
    /// Skill practices.
    case skill
    /// Group sessions attended (`group_attendee.member`, the session's `group_session.ts`).
    case groupAttendance = "group_attendee"

    /// The member and time of every row.
    var select: String {
        switch self {
        case .groupAttendance:
            "SELECT a.member AS member, s.ts AS ts FROM group_attendee a JOIN group_session s ON s.group_id = a.group_id AND s.session = a.session"
        default: "SELECT member, ts FROM \(rawValue)"
        }
    }

    /// The store tables the rows come from.
    var tables: [String] { self == .groupAttendance ? ["group_attendee", "group_session"] : [rawValue] }
}

/// A read of the research and community analyses (`groups`, `skills`, `matches`, `outcomes`, `engagement`, and the
/// interaction graph of `health`), answered by every
/// event source: rows with the columns and the order each case documents. Some reads promise only what a fold of
/// their rows gives (a member's latest time, a member's active days), so that an engine that aggregates can send
/// one row where the embedded store, which scans faster than it groups, sends many; the callers fold either the same way.
public enum ResearchRead: Sendable, Hashable {
    /// `member, ts, role, cohort, culture, region, resource_setting, age_band, gender, research_consent` of every
    /// member, by member (as bytes).
    case members
    /// `member, condition` of every member's condition, by member, then condition.
    case memberConditions
    /// `member, ts, score` of every check-in of the instrument, by member, then time.
    case checkins(instrument: String)
    /// `group_id, session, ts, facilitator` of every group session, by group, time, session.
    case groupSessions
    /// `group_id, session, member` of every attendance, by group, session, member.
    case groupAttendees
    /// `member, framework, skill, ts, completed` of every skill practice, in no particular order.
    case skillPractice
    /// `member, course, ts, completed` of every training, in no particular order.
    case training
    /// `seeker, peer, ts, rating, reason` of every accepted match with its end (NULL when it has none), by match id.
    case acceptedMatchEnds
    /// `responder, ts, outcome, followed_up` of every crisis response, `followed_up` the largest `completed` of the
    /// alert's follow-ups (NULL when it has none), by alert, time, responder.
    case responseFollowUps
    /// Every match with its end, by match id: `seeker, peer, kind, score, experience, communication,
    /// support_style, demographic, recovery_stage, availability, safety, cultural, accepted, ts, sessions,
    /// rating, reason`.
    case matches
    /// `member, ts` rows of `table` in which each member's largest `ts` is their latest event of the table, in no
    /// particular order (one row per member, or every row).
    case latestTimes(MemberTimeTable)
    /// `member, ts` rows of `table` from which each member's set of UTC days with an event and their latest event
    /// follow, in no particular order (one row per member and day, or every row).
    case activeDays(MemberTimeTable)
    /// `member, duration_s, n`: each member's activity durations with how often each occurs, by member, then
    /// duration, so that a sum over them in this order is the same whichever engine grouped them.
    case activityDurations
    /// `member, ts, amount` of each engagement event of a dose: attendances (1 each), accepted matches (their
    /// sessions, 0 when unknown), completed skill practices (1), accepted matches (1); in no particular order.
    case doses(Dose)
    /// `member, ts, research_consent` of every member, by member (the interaction graph of `health`).
    case graphMembers
    /// `id, ts, member, space, thread, reply_to` of every message, by id (as bytes).
    case graphMessages
    /// `moderation, outcome` of every appeal, in no particular order.
    case appeals
    /// `id, ts, message, member, action, reason` of every moderation action, by time, then id.
    case moderationActions
    /// `member, ts` of every activity event, by member, then time.
    case activityByMember

    /// What a dose of engagement counts.
    public enum Dose: String, Sendable, Hashable {
        /// Group sessions attended (1 each).
        case groupSessions
        /// Accepted matches' sessions (`match_end.sessions`, 0 when unknown).
        case matchSessions
        /// Completed skill practices.
        case completedSkills
        /// Accepted matches.
        case acceptedMatches
    }

    /// The store tables the read uses.
    public var tables: [String] {
        switch self {
        case .members: ["member"]
        case .memberConditions: ["member_condition"]
        case .checkins: ["checkin"]
        case .groupSessions: ["group_session"]
        case .groupAttendees: ["group_attendee"]
        case .skillPractice: ["skill"]
        case .training: ["training"]
        case .acceptedMatchEnds, .matches: ["match", "match_end"]
        case .responseFollowUps: ["response", "followup"]
        case .latestTimes(let table), .activeDays(let table): table.tables
        case .activityDurations: ["activity"]
        case .doses(let dose):
            switch dose {
            case .groupSessions: ["group_attendee", "group_session"]
            case .matchSessions: ["match", "match_end"]
            case .completedSkills: ["skill"]
            case .acceptedMatches: ["match"]
            }
        case .graphMembers: ["member"]
        case .graphMessages: ["message"]
        case .appeals: ["appeal"]
        case .moderationActions: ["moderation"]
        case .activityByMember: ["activity"]
        }
    }

    /// The storage type of each column, in order.
    package var columns: [MirroredTable.StorageType] {
        switch self {
        case .members: [.text, .integer] + Array(repeating: .text, count: 7) + [.integer]
        case .memberConditions: [.text, .text]
        case .checkins: [.text, .integer, .real]
        case .groupSessions: [.text, .text, .integer, .text]
        case .groupAttendees: [.text, .text, .text]
        case .skillPractice: [.text, .text, .text, .integer, .integer]
        case .training: [.text, .text, .integer, .integer]
        case .acceptedMatchEnds: [.text, .text, .integer, .integer, .text]
        case .responseFollowUps: [.text, .integer, .text, .integer]
        case .matches: [.text, .text, .text, .real] + Array(repeating: .real, count: 8) + [.integer, .integer, .integer, .integer, .text]
        case .latestTimes, .activeDays: [.text, .integer]
        case .activityDurations: [.text, .real, .integer]
        case .doses: [.text, .integer, .integer]
        case .graphMembers: [.text, .integer, .integer]
        case .graphMessages: [.text, .integer, .text, .text, .text, .text]
        case .appeals: [.text, .text]
        case .moderationActions: [.text, .integer, .text, .text, .text, .text]
        case .activityByMember: [.text, .integer]
        }
    }

    /// What the read is, for errors ("reading members").
    public var operation: String {
        switch self {
        case .members: "reading members"
        case .memberConditions: "reading member conditions"
        case .checkins(let instrument): "reading \(instrument) check-ins"
        case .groupSessions: "reading group sessions"
        case .groupAttendees: "reading group attendance"
        case .skillPractice: "reading skill practice"
        case .training: "reading training"
        case .acceptedMatchEnds, .matches: "reading matches"
        case .responseFollowUps: "reading crisis responses"
        case .latestTimes(let table): "reading the latest \(table.rawValue) events"
        case .activeDays(let table): "reading the days with \(table.rawValue) events"
        case .activityDurations: "summing activity minutes"
        case .doses(let dose): "reading \(dose.rawValue) doses"
        case .graphMembers: "reading members"
        case .graphMessages: "reading messages"
        case .appeals: "reading appeals"
        case .moderationActions: "reading moderation actions"
        case .activityByMember: "reading activity"
        }
    }

    /// The statement that gives every row the read promises, in its order, with SQL that both engines run the
    /// same way: named parameters (`:instrument`), identifiers in double quotes. Reads that promise a fold give
    /// here every row; an engine that aggregates has `aggregatedStatement`.
    public var statement: String {
        switch self {
        case .members:
            "SELECT member, ts, role, cohort, culture, region, resource_setting, age_band, gender, research_consent FROM member ORDER BY member"
        case .memberConditions: "SELECT member, condition FROM member_condition ORDER BY member, condition"
        case .checkins: "SELECT member, ts, score FROM checkin WHERE instrument = :instrument ORDER BY member, ts"
        case .groupSessions: "SELECT group_id, session, ts, facilitator FROM group_session ORDER BY group_id, ts, session"
        case .groupAttendees: "SELECT group_id, session, member FROM group_attendee ORDER BY group_id, session, member"
        case .skillPractice: "SELECT member, framework, skill, ts, completed FROM skill"
        case .training: "SELECT member, course, ts, completed FROM training"
        case .acceptedMatchEnds:
            #"SELECT m.seeker, m.peer, m.ts, e.rating, e.reason FROM "match" m LEFT JOIN match_end e ON e."match" = m.id WHERE m.accepted = 1 ORDER BY m.id"#
        case .responseFollowUps:
            """
            SELECT r.responder, r.ts, r.outcome, (SELECT max(f.completed) FROM followup f WHERE f.alert = r.alert) AS followed_up
            FROM response r ORDER BY r.alert, r.ts, r.responder
            """
        case .matches:
            """
            SELECT m.seeker, m.peer, m.kind, m.score, m.experience, m.communication, m.support_style, m.demographic,
                   m.recovery_stage, m.availability, m.safety, m.cultural, m.accepted, m.ts, e.sessions, e.rating, e.reason
            FROM "match" m LEFT JOIN match_end e ON e."match" = m.id ORDER BY m.id
            """
        case .latestTimes(let table), .activeDays(let table): table.select
        case .activityDurations:
            "SELECT member, duration_s, count(*) AS n FROM activity GROUP BY member, duration_s ORDER BY member, duration_s"
        case .doses(let dose):
            switch dose {
            case .groupSessions: MemberTimeTable.groupAttendance.select.replacingOccurrences(of: "s.ts AS ts", with: "s.ts AS ts, 1 AS amount")
            case .matchSessions:
                #"SELECT m.seeker, m.ts, coalesce(e.sessions, 0) AS amount FROM "match" m LEFT JOIN match_end e ON e."match" = m.id WHERE m.accepted = 1"#
            case .completedSkills: "SELECT member, ts, 1 AS amount FROM skill WHERE completed = 1"
            case .acceptedMatches: #"SELECT seeker, ts, 1 AS amount FROM "match" WHERE accepted = 1"#
            }
        case .graphMembers: "SELECT member, ts, research_consent FROM member ORDER BY member"
        case .graphMessages: "SELECT id, ts, member, space, thread, reply_to FROM message ORDER BY id"
        case .appeals: "SELECT moderation, outcome FROM appeal"
        case .moderationActions: "SELECT id, ts, message, member, action, reason FROM moderation ORDER BY ts, id"
        case .activityByMember: "SELECT member, ts FROM activity ORDER BY member, ts"
        }
    }

    /// The statement's named arguments.
    public var arguments: [String: String] {
        if case .checkins(let instrument) = self { return ["instrument": instrument] }
        return [:]
    }

    /// For reads that promise only a fold, a statement that aggregates in the engine (one row per member, or per
    /// member and day: the latest time of each); nil for the others. Days are floor divisions of microseconds, by
    /// `pmod` so that times before 1970 fall on the right day.
    public var aggregatedStatement: String? {
        switch self {
        case .latestTimes(let table):
            "SELECT member, max(ts) AS ts FROM (\(table.select)) e GROUP BY member"
        case .activeDays(let table):
            "SELECT member, max(ts) AS ts FROM (\(table.select)) e GROUP BY member, (ts - pmod(ts, 86400000000)) DIV 86400000000"
        default: nil
        }
    }
}

extension EventStore {
    /// Calls `body` with every row of `read` (see `ResearchRead`), read straight from SQLite.
    ///
    /// - Throws: `StoreError.database` naming the read; what `body` throws.
    public func forEachRow(of read: ResearchRead, _ body: (any ReadRow) throws -> Void) throws {
        let arguments = StatementArguments(read.arguments.mapValues { $0 as (any DatabaseValueConvertible)? })
        do {
            try reading { db in
                try Self.scan(db, sql: read.statement, arguments: arguments, operation: read.operation) { row in try body(row) }
            }
        } catch let error as DatabaseError {
            throw StoreError.database(operation: read.operation, reason: error.message ?? error.description)
        }
    }

    /// Whether the store holds a check-in of `instrument`.
    public func hasCheckins(instrument: String) throws -> Bool {
        try read("looking for \(instrument) check-ins") { db in try Self.hasCheckins(db, instrument: instrument) }
    }

    /// The earliest and latest event time of the given event types (nil when they hold no events).
    public func dataSpan(of types: [EventType]) throws -> (first: Int64, last: Int64)? {
        try read("reading the data period") { db in try Self.dataSpan(db, of: types) }
    }
}
