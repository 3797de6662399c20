import GRDB

/// One kind of referential problem found by `peerlens check`.
public struct ReferentialProblem: Sendable, Codable, Equatable {
    /// Short identifier, e.g. `score_unknown_message`.
    public var code: String
    /// What the problem means.
    public var description: String
    /// How many rows have it.
    public var count: Int
    /// Up to five example keys (pseudonyms only, never other values).
    public var examples: [String]

    /// A rule's result.
    package init(code: String, description: String, count: Int, examples: [String]) {
        (self.code, self.description, self.count, self.examples) = (code, description, count, examples)
    }
}

/// Referential integrity of the store. Events may arrive in any order, so
/// links are not enforced at insert time; this reports what is still missing.
public enum ReferentialCheck {
    /// (code, description, SQL selecting the offending key as `k`).
    package static let rules: [(String, String, String)] = [
        ("message_unknown_member", "message from a member with no member event", "SELECT m.id AS k FROM message m WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = m.member)"),
        ("reply_to_missing_message", "reply to a message that is not stored", "SELECT m.id AS k FROM message m WHERE m.reply_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM message x WHERE x.id = m.reply_to)"),
        ("score_unknown_message", "score for an unknown message", "SELECT s.message AS k FROM score s WHERE NOT EXISTS (SELECT 1 FROM message x WHERE x.id = s.message)"),
        ("review_unknown_message", "review of an unknown message", "SELECT r.message AS k FROM review r WHERE NOT EXISTS (SELECT 1 FROM message x WHERE x.id = r.message)"),
        ("alert_unknown_message", "alert on an unknown message", "SELECT a.id AS k FROM alert a WHERE NOT EXISTS (SELECT 1 FROM message x WHERE x.id = a.message)"),
        ("alert_unknown_member", "alert for an unknown member", "SELECT a.id AS k FROM alert a WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = a.member)"),
        ("response_unknown_alert", "response to an unknown alert", "SELECT r.alert AS k FROM response r WHERE NOT EXISTS (SELECT 1 FROM alert x WHERE x.id = r.alert)"),
        ("followup_unknown_alert", "follow-up of an unknown alert", "SELECT f.alert AS k FROM followup f WHERE NOT EXISTS (SELECT 1 FROM alert x WHERE x.id = f.alert)"),
        ("moderation_unknown_message", "moderation of an unknown message", "SELECT m.id AS k FROM moderation m WHERE m.message IS NOT NULL AND NOT EXISTS (SELECT 1 FROM message x WHERE x.id = m.message)"),
        ("moderation_unknown_member", "moderation of an unknown member", "SELECT m.id AS k FROM moderation m WHERE m.member IS NOT NULL AND NOT EXISTS (SELECT 1 FROM member x WHERE x.member = m.member)"),
        ("appeal_unknown_moderation", "appeal against an unknown moderation", "SELECT a.moderation AS k FROM appeal a WHERE NOT EXISTS (SELECT 1 FROM moderation x WHERE x.id = a.moderation)"),
        ("match_unknown_member", "match whose seeker or peer is unknown", "SELECT m.id AS k FROM \"match\" m WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = m.seeker) OR NOT EXISTS (SELECT 1 FROM member x WHERE x.member = m.peer)"),
        ("match_end_unknown_match", "end of an unknown match", "SELECT e.\"match\" AS k FROM match_end e WHERE NOT EXISTS (SELECT 1 FROM \"match\" x WHERE x.id = e.\"match\")"),
        ("group_unknown_member", "group session with an unknown facilitator or attendee", "SELECT g.group_id || ':' || g.session AS k FROM group_session g WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = g.facilitator) UNION SELECT a.group_id || ':' || a.session FROM group_attendee a WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = a.member)"),
        ("checkin_unknown_member", "check-in from an unknown member", "SELECT c.member AS k FROM checkin c WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = c.member)"),
        ("skill_unknown_member", "skill practice by an unknown member", "SELECT s.member AS k FROM skill s WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = s.member)"),
        ("training_unknown_member", "training of an unknown member", "SELECT t.member AS k FROM training t WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = t.member)"),
        ("activity_unknown_member", "activity of an unknown member", "SELECT a.member AS k FROM activity a WHERE NOT EXISTS (SELECT 1 FROM member x WHERE x.member = a.member)"),
    ]

    /// Runs every rule; problems with a zero count are included so the output
    /// shows what was checked.
    public static func run(on store: EventStore) throws(StoreError) -> [ReferentialProblem] {
        do {
            return try store.reading { db in
                try rules.map { code, description, sql in
                    let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))") ?? 0
                    let examples = count == 0 ? [] : try String.fetchAll(db, sql: "SELECT k FROM (\(sql)) ORDER BY k LIMIT 5")
                    return ReferentialProblem(code: code, description: description, count: count, examples: examples)
                }
            }
        } catch {
            throw StoreError.database(operation: "checking references", reason: "\(error)")
        }
    }
}

/// A quarantined record as listed by `peerlens quarantine`.
public struct QuarantineEntry: Sendable, Codable, Equatable {
    /// The ingest run that read it.
    public var runID: Int64
    /// The file it came from.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// Event type, when it could be read.
    public var eventType: String?
    /// Rejection category.
    public var category: String
    /// Why it was refused.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", file, line, eventType = "event_type", category, reason
    }

    /// A quarantined record.
    package init(runID: Int64, file: String, line: Int, eventType: String?, category: String, reason: String) {
        (self.runID, self.file, self.line, self.eventType, self.category, self.reason) = (runID, file, line, eventType, category, reason)
    }

    /// Quarantined records, newest run first, then by line; optionally one run only.
    public static func list(in store: EventStore, run: Int64? = nil, limit: Int = 100) throws(StoreError) -> [QuarantineEntry] {
        do {
            return try store.reading { db in
                try Row.fetchAll(db, sql: """
                    SELECT q.run_id, r.file, q.line, q.event_type, q.category, q.reason
                    FROM quarantine q JOIN ingest_run r ON r.id = q.run_id
                    WHERE (? IS NULL OR q.run_id = ?)
                    ORDER BY q.run_id DESC, q.line LIMIT ?
                    """, arguments: [run, run, limit]).map { row in
                    QuarantineEntry(runID: row[0], file: row[1], line: row[2], eventType: row[3], category: row[4], reason: row[5])
                }
            }
        } catch {
            throw StoreError.database(operation: "listing the quarantine", reason: "\(error)")
        }
    }
}
