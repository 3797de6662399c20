import GRDB
import PeerLensLog

/// The store's schema, defined only through GRDB migrations.
///
/// Conventions: `ts` columns hold microseconds since 1970-01-01T00:00:00Z
/// (UTC); closed vocabularies are checked by `CHECK` constraints; every event
/// row records the ingest run (`run_id`) that stored it. Referential links
/// (a score's message, a reply's parent) are deliberately not foreign keys:
/// events may arrive in any order, and `peerlens check` reports gaps.
public enum StoreSchema {
    /// The migrator that brings any store up to the current schema.
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: log format v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: event time span") { db in
            try db.execute(sql: eventSpan)
            for type in EventType.allCases {
                try db.execute(sql: """
                    INSERT INTO event_span (event_type, first_ts, last_ts)
                    SELECT ?, min(ts), max(ts) FROM "\(type.rawValue)" HAVING count(*) > 0
                    """, arguments: [type.rawValue])
            }
        }
        return migrator
    }

    /// A vocabulary check written as an OR chain: SQLite evaluates `x IN (…)` in a CHECK through an
    /// ephemeral index built per statement, which tripled the cost of a single-row insert.
    static func oneOf<E: RawRepresentable & CaseIterable>(_ column: String, _: E.Type, nullable: Bool = false) -> String
    where E.RawValue == String {
        let chain = E.allCases.map { "\(column) = '\($0.rawValue)'" }.joined(separator: " OR ")
        return nullable ? "CHECK (\(column) IS NULL OR \(chain))" : "CHECK (\(chain))"
    }

    static func between(_ column: String, _ low: Double, _ high: Double) -> String {
        "CHECK (\(column) BETWEEN \(low) AND \(high))"
    }

    /// The earliest and latest `ts` of each event table, kept by ingestion (`EventInserter`) in the same
    /// transaction as the rows, so that the span of the data is read without scanning ten million rows.
    static let eventSpan: String = """
    CREATE TABLE event_span (
        event_type TEXT PRIMARY KEY,
        first_ts INTEGER NOT NULL,
        last_ts INTEGER NOT NULL,
        CHECK (first_ts <= last_ts)
    ) WITHOUT ROWID;
    """

    static let v1: String = """
    CREATE TABLE ingest_run (
        id INTEGER PRIMARY KEY,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        format TEXT NOT NULL CHECK (format = 'jsonl' OR format = 'csv'),
        started_at TEXT NOT NULL,
        duration_s REAL NOT NULL CHECK (duration_s >= 0),
        tool_version TEXT NOT NULL,
        records INTEGER NOT NULL CHECK (records >= 0),
        accepted INTEGER NOT NULL CHECK (accepted >= 0),
        duplicates INTEGER NOT NULL CHECK (duplicates >= 0),
        rejected INTEGER NOT NULL CHECK (rejected >= 0),
        dropped_fields INTEGER NOT NULL CHECK (dropped_fields >= 0),
        CHECK (records = accepted + duplicates + rejected)
    );
    CREATE TABLE ingest_count (
        run_id INTEGER NOT NULL REFERENCES ingest_run(id) ON DELETE CASCADE,
        event_type TEXT NOT NULL,
        accepted INTEGER NOT NULL CHECK (accepted >= 0),
        duplicates INTEGER NOT NULL CHECK (duplicates >= 0),
        rejected INTEGER NOT NULL CHECK (rejected >= 0),
        PRIMARY KEY (run_id, event_type)
    ) WITHOUT ROWID;
    CREATE TABLE dropped_field (
        run_id INTEGER NOT NULL REFERENCES ingest_run(id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        PRIMARY KEY (run_id, field)
    ) WITHOUT ROWID;
    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES ingest_run(id) ON DELETE CASCADE,
        line INTEGER NOT NULL CHECK (line > 0),
        event_type TEXT,
        category TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX quarantine_run ON quarantine(run_id, line);

    CREATE TABLE member (
        member TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        role TEXT NOT NULL \(oneOf("role", Role.self)),
        region TEXT CHECK (region IS NULL OR (length(region) = 2 AND region = upper(region))),
        language TEXT,
        age_band TEXT \(oneOf("age_band", AgeBand.self, nullable: true)),
        gender TEXT,
        culture TEXT,
        resource_setting TEXT \(oneOf("resource_setting", ResourceSetting.self, nullable: true)),
        research_consent INTEGER NOT NULL CHECK (research_consent = 0 OR research_consent = 1),
        cohort TEXT,
        run_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE member_condition (
        member TEXT NOT NULL,
        condition TEXT NOT NULL \(oneOf("condition", Condition.self)),
        PRIMARY KEY (member, condition)
    ) WITHOUT ROWID;
    CREATE TABLE message (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        member TEXT NOT NULL,
        space TEXT NOT NULL,
        thread TEXT NOT NULL,
        reply_to TEXT,
        chars INTEGER NOT NULL CHECK (chars >= 0),
        run_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE score (
        message TEXT NOT NULL,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        ts INTEGER NOT NULL,
        score REAL NOT NULL \(between("score", 0, 1)),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (message, model, version)
    ) WITHOUT ROWID;
    CREATE TABLE review (
        message TEXT NOT NULL,
        kind TEXT NOT NULL \(oneOf("kind", ReviewKind.self)),
        reviewer_role TEXT NOT NULL,
        ts INTEGER NOT NULL,
        severity TEXT \(oneOf("severity", Severity.self, nullable: true)),
        positive INTEGER CHECK (positive IS NULL OR positive = 0 OR positive = 1),
        weight REAL CHECK (weight IS NULL OR weight > 0),
        run_id INTEGER NOT NULL,
        CHECK (severity IS NOT NULL OR positive IS NOT NULL),
        PRIMARY KEY (message, kind, reviewer_role, ts)
    ) WITHOUT ROWID;
    CREATE TABLE alert (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        message TEXT NOT NULL,
        member TEXT NOT NULL,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        score REAL NOT NULL \(between("score", 0, 1)),
        threshold REAL NOT NULL \(between("threshold", 0, 1)),
        run_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE response (
        alert TEXT NOT NULL,
        responder TEXT NOT NULL,
        ts INTEGER NOT NULL,
        responder_role TEXT NOT NULL \(oneOf("responder_role", ResponderRole.self)),
        outcome TEXT NOT NULL \(oneOf("outcome", ResponseOutcome.self)),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (alert, responder, ts)
    ) WITHOUT ROWID;
    CREATE TABLE followup (
        alert TEXT NOT NULL,
        ts INTEGER NOT NULL,
        completed INTEGER NOT NULL CHECK (completed = 0 OR completed = 1),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (alert, ts)
    ) WITHOUT ROWID;
    CREATE TABLE moderation (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        message TEXT,
        member TEXT,
        action TEXT NOT NULL \(oneOf("action", ModerationAction.self)),
        layer TEXT NOT NULL \(oneOf("layer", ModerationLayer.self)),
        reason TEXT NOT NULL \(oneOf("reason", ModerationReason.self)),
        run_id INTEGER NOT NULL,
        CHECK (message IS NOT NULL OR member IS NOT NULL)
    ) WITHOUT ROWID;
    CREATE TABLE appeal (
        moderation TEXT NOT NULL,
        ts INTEGER NOT NULL,
        outcome TEXT NOT NULL \(oneOf("outcome", AppealOutcome.self)),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (moderation, ts)
    ) WITHOUT ROWID;
    CREATE TABLE "match" (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        seeker TEXT NOT NULL,
        peer TEXT NOT NULL,
        kind TEXT NOT NULL \(oneOf("kind", MatchKind.self)),
        score REAL NOT NULL \(between("score", 0, 1)),
        experience REAL NOT NULL \(between("experience", 0, 1)),
        communication REAL NOT NULL \(between("communication", 0, 1)),
        support_style REAL NOT NULL \(between("support_style", 0, 1)),
        demographic REAL NOT NULL \(between("demographic", 0, 1)),
        recovery_stage REAL NOT NULL \(between("recovery_stage", 0, 1)),
        availability REAL NOT NULL \(between("availability", 0, 1)),
        safety REAL NOT NULL \(between("safety", 0, 1)),
        cultural REAL NOT NULL \(between("cultural", 0, 1)),
        accepted INTEGER NOT NULL CHECK (accepted = 0 OR accepted = 1),
        run_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE match_end (
        "match" TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        sessions INTEGER NOT NULL CHECK (sessions >= 0),
        rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
        reason TEXT NOT NULL \(oneOf("reason", MatchEndReason.self)),
        run_id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE group_session (
        group_id TEXT NOT NULL,
        session TEXT NOT NULL,
        ts INTEGER NOT NULL,
        facilitator TEXT NOT NULL,
        focus TEXT NOT NULL,
        attendee_count INTEGER NOT NULL CHECK (attendee_count >= 0),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (group_id, session)
    ) WITHOUT ROWID;
    CREATE TABLE group_attendee (
        group_id TEXT NOT NULL,
        session TEXT NOT NULL,
        member TEXT NOT NULL,
        PRIMARY KEY (group_id, session, member)
    ) WITHOUT ROWID;
    CREATE TABLE checkin (
        member TEXT NOT NULL,
        instrument TEXT NOT NULL,
        ts INTEGER NOT NULL,
        score REAL NOT NULL,
        run_id INTEGER NOT NULL,
        PRIMARY KEY (member, instrument, ts)
    ) WITHOUT ROWID;
    CREATE TABLE skill (
        member TEXT NOT NULL,
        framework TEXT NOT NULL \(oneOf("framework", SkillFramework.self)),
        skill TEXT NOT NULL,
        ts INTEGER NOT NULL,
        completed INTEGER NOT NULL CHECK (completed = 0 OR completed = 1),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (member, framework, skill, ts)
    ) WITHOUT ROWID;
    CREATE TABLE training (
        member TEXT NOT NULL,
        course TEXT NOT NULL,
        ts INTEGER NOT NULL,
        completed INTEGER NOT NULL CHECK (completed = 0 OR completed = 1),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (member, course, ts)
    ) WITHOUT ROWID;
    CREATE TABLE activity (
        member TEXT NOT NULL,
        ts INTEGER NOT NULL,
        duration_s REAL NOT NULL CHECK (duration_s >= 0),
        run_id INTEGER NOT NULL,
        PRIMARY KEY (member, ts)
    ) WITHOUT ROWID;
    """
}
