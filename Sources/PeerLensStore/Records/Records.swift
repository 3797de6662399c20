import GRDB
import PeerLensLog

// One read-only record type per table (house style: "one record type per table").
// Columns are as in `StoreSchema.tables`, in its order (`SchemaTests` checks names, types and nullability);
// timestamps stay in microseconds (`ts`), with `timestamp` for convenience.

/// A record of an event table: the event's time and the ingest run that stored it.
public protocol EventRecord: Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    var ts: Int64 { get }
    /// The ingest run that stored the row.
    var runID: Int64 { get }
}

extension EventRecord {
    /// `ts` as a `Timestamp`.
    public var timestamp: Timestamp { Timestamp(microseconds: ts) }
}

/// A stored `member` event (one row per member).
public struct MemberRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `member`.
    public static let databaseTableName = "member"
    /// Column `member`.
    public var member: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `role`.
    public var role: String
    /// Column `region`.
    public var region: String?
    /// Column `language`.
    public var language: String?
    /// Column `age_band`.
    public var ageBand: String?
    /// Column `gender`.
    public var gender: String?
    /// Column `culture`.
    public var culture: String?
    /// Column `resource_setting`.
    public var resourceSetting: String?
    /// Column `research_consent`.
    public var researchConsent: Bool
    /// Column `cohort`.
    public var cohort: String?
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case member, ts, role, region, language, ageBand = "age_band", gender, culture, resourceSetting = "resource_setting", researchConsent = "research_consent", cohort, runID = "run_id"
    }
}

/// A condition a member reported (one row per member and condition).
public struct MemberConditionRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `member_condition`.
    public static let databaseTableName = "member_condition"
    /// Column `member`.
    public var member: String
    /// Column `condition`.
    public var condition: String

    enum CodingKeys: String, CodingKey {
        case member, condition
    }
}

/// A stored `message` event: metadata only.
public struct MessageRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `message`.
    public static let databaseTableName = "message"
    /// Identifier (pseudonym, or row id for bookkeeping tables).
    public var id: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `member`.
    public var member: String
    /// Column `space`.
    public var space: String
    /// Column `thread`.
    public var thread: String
    /// Column `reply_to`.
    public var replyTo: String?
    /// Column `chars`.
    public var chars: Int
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case id, ts, member, space, thread, replyTo = "reply_to", chars, runID = "run_id"
    }
}

/// A stored `score` event.
public struct ScoreRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `score`.
    public static let databaseTableName = "score"
    /// Column `message`.
    public var message: String
    /// Column `model`.
    public var model: String
    /// Column `version`.
    public var version: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `score`.
    public var score: Double
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case message, model, version, ts, score, runID = "run_id"
    }
}

/// A stored `review` event (human ground truth).
public struct ReviewRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `review`.
    public static let databaseTableName = "review"
    /// Column `message`.
    public var message: String
    /// Column `kind`.
    public var kind: String
    /// Column `reviewer_role`.
    public var reviewerRole: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `severity`.
    public var severity: String?
    /// Column `positive`.
    public var positive: Bool?
    /// Column `weight`.
    public var weight: Double?
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case message, kind, reviewerRole = "reviewer_role", ts, severity, positive, weight, runID = "run_id"
    }
}

/// A stored `alert` event.
public struct AlertRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `alert`.
    public static let databaseTableName = "alert"
    /// Identifier (pseudonym, or row id for bookkeeping tables).
    public var id: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `message`.
    public var message: String
    /// Column `member`.
    public var member: String
    /// Column `model`.
    public var model: String
    /// Column `version`.
    public var version: String
    /// Column `score`.
    public var score: Double
    /// Column `threshold`.
    public var threshold: Double
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case id, ts, message, member, model, version, score, threshold, runID = "run_id"
    }
}

/// A stored `response` event.
public struct ResponseRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `response`.
    public static let databaseTableName = "response"
    /// Column `alert`.
    public var alert: String
    /// Column `responder`.
    public var responder: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `responder_role`.
    public var responderRole: String
    /// Column `outcome`.
    public var outcome: String
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case alert, responder, ts, responderRole = "responder_role", outcome, runID = "run_id"
    }
}

/// A stored `followup` event.
public struct FollowupRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `followup`.
    public static let databaseTableName = "followup"
    /// Column `alert`.
    public var alert: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `completed`.
    public var completed: Bool
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case alert, ts, completed, runID = "run_id"
    }
}

/// A stored `moderation` event.
public struct ModerationRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `moderation`.
    public static let databaseTableName = "moderation"
    /// Identifier (pseudonym, or row id for bookkeeping tables).
    public var id: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `message`.
    public var message: String?
    /// Column `member`.
    public var member: String?
    /// Column `action`.
    public var action: String
    /// Column `layer`.
    public var layer: String
    /// Column `reason`.
    public var reason: String
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case id, ts, message, member, action, layer, reason, runID = "run_id"
    }
}

/// A stored `appeal` event.
public struct AppealRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `appeal`.
    public static let databaseTableName = "appeal"
    /// Column `moderation`.
    public var moderation: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `outcome`.
    public var outcome: String
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case moderation, ts, outcome, runID = "run_id"
    }
}

/// A stored `match` event, components as columns.
public struct MatchRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `match`.
    public static let databaseTableName = "match"
    /// Identifier (pseudonym, or row id for bookkeeping tables).
    public var id: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `seeker`.
    public var seeker: String
    /// Column `peer`.
    public var peer: String
    /// Column `kind`.
    public var kind: String
    /// Column `score`.
    public var score: Double
    /// Column `experience`.
    public var experience: Double
    /// Column `communication`.
    public var communication: Double
    /// Column `support_style`.
    public var supportStyle: Double
    /// Column `demographic`.
    public var demographic: Double
    /// Column `recovery_stage`.
    public var recoveryStage: Double
    /// Column `availability`.
    public var availability: Double
    /// Column `safety`.
    public var safety: Double
    /// Column `cultural`.
    public var cultural: Double
    /// Column `accepted`.
    public var accepted: Bool
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case id, ts, seeker, peer, kind, score, experience, communication, supportStyle = "support_style", demographic, recoveryStage = "recovery_stage", availability, safety, cultural, accepted, runID = "run_id"
    }
}

/// A stored `match_end` event.
public struct MatchEndRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `match_end`.
    public static let databaseTableName = "match_end"
    /// Column `match`.
    public var match: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `sessions`.
    public var sessions: Int
    /// Column `rating`.
    public var rating: Int?
    /// Column `reason`.
    public var reason: String
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case match, ts, sessions, rating, reason, runID = "run_id"
    }
}

/// A stored `group_session` event (attendees in `group_attendee`).
public struct GroupSessionRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `group_session`.
    public static let databaseTableName = "group_session"
    /// Column `group_id`.
    public var groupID: String
    /// Column `session`.
    public var session: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `facilitator`.
    public var facilitator: String
    /// Column `focus`.
    public var focus: String
    /// Column `attendee_count`.
    public var attendeeCount: Int
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case groupID = "group_id", session, ts, facilitator, focus, attendeeCount = "attendee_count", runID = "run_id"
    }
}

/// One attendee of a group session.
public struct GroupAttendeeRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `group_attendee`.
    public static let databaseTableName = "group_attendee"
    /// Column `group_id`.
    public var groupID: String
    /// Column `session`.
    public var session: String
    /// Column `member`.
    public var member: String

    enum CodingKeys: String, CodingKey {
        case groupID = "group_id", session, member
    }
}

/// A stored `checkin` event.
public struct CheckinRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `checkin`.
    public static let databaseTableName = "checkin"
    /// Column `member`.
    public var member: String
    /// Column `instrument`.
    public var instrument: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `score`.
    public var score: Double
    /// Column `risk_item` (schema v3): the instrument's self-harm item, when reported.
    public var riskItem: Int?
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case member, instrument, ts, score, riskItem = "risk_item", runID = "run_id"
    }
}

/// A stored `skill` event.
public struct SkillRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `skill`.
    public static let databaseTableName = "skill"
    /// Column `member`.
    public var member: String
    /// Column `framework`.
    public var framework: String
    /// Column `skill`.
    public var skill: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `completed`.
    public var completed: Bool
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case member, framework, skill, ts, completed, runID = "run_id"
    }
}

/// A stored `training` event.
public struct TrainingRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `training`.
    public static let databaseTableName = "training"
    /// Column `member`.
    public var member: String
    /// Column `course`.
    public var course: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `completed`.
    public var completed: Bool
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case member, course, ts, completed, runID = "run_id"
    }
}

/// A stored `activity` event.
public struct ActivityRecord: EventRecord, Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `activity`.
    public static let databaseTableName = "activity"
    /// Column `member`.
    public var member: String
    /// Microseconds since 1970-01-01T00:00:00Z (UTC).
    public var ts: Int64
    /// Column `duration_s`.
    public var durationS: Double
    /// The ingest run that stored the row.
    public var runID: Int64

    enum CodingKeys: String, CodingKey {
        case member, ts, durationS = "duration_s", runID = "run_id"
    }
}

/// One ingest run: which file, its SHA-256, counts, duration and tool version.
public struct IngestRunRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `ingest_run`.
    public static let databaseTableName = "ingest_run"
    /// Identifier (pseudonym, or row id for bookkeeping tables).
    public var id: Int64
    /// Column `file`.
    public var file: String
    /// Column `sha256`.
    public var sha256: String
    /// Column `format`.
    public var format: String
    /// Column `started_at`.
    public var startedAt: String
    /// Column `duration_s`.
    public var durationS: Double
    /// Column `tool_version`.
    public var toolVersion: String
    /// Column `records`.
    public var records: Int
    /// Column `accepted`.
    public var accepted: Int
    /// Column `duplicates`.
    public var duplicates: Int
    /// Column `rejected`.
    public var rejected: Int
    /// Column `dropped_fields`.
    public var droppedFields: Int

    enum CodingKeys: String, CodingKey {
        case id, file, sha256, format, startedAt = "started_at", durationS = "duration_s", toolVersion = "tool_version", records, accepted, duplicates, rejected, droppedFields = "dropped_fields"
    }
}

/// Counts of one event type in one ingest run.
public struct IngestCountRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `ingest_count`.
    public static let databaseTableName = "ingest_count"
    /// The ingest run that stored the row.
    public var runID: Int64
    /// Column `event_type`.
    public var eventType: String
    /// Column `accepted`.
    public var accepted: Int
    /// Column `duplicates`.
    public var duplicates: Int
    /// Column `rejected`.
    public var rejected: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", eventType = "event_type", accepted, duplicates, rejected
    }
}

/// How often an unknown field was dropped in one ingest run.
public struct DroppedFieldRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `dropped_field`.
    public static let databaseTableName = "dropped_field"
    /// The ingest run that stored the row.
    public var runID: Int64
    /// Column `field`.
    public var field: String
    /// Column `count`.
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", field, count
    }
}

/// A refused record: run, line, type, category and reason (never its content).
public struct QuarantineRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `quarantine`.
    public static let databaseTableName = "quarantine"
    /// Identifier (pseudonym, or row id for bookkeeping tables).
    public var id: Int64
    /// The ingest run that stored the row.
    public var runID: Int64
    /// Column `line`.
    public var line: Int
    /// Column `event_type`.
    public var eventType: String?
    /// Column `category`.
    public var category: String
    /// Column `reason`.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case id, runID = "run_id", line, eventType = "event_type", category, reason
    }
}

/// The earliest and latest `ts` of one event table (kept by ingestion).
public struct EventSpanRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `event_span`.
    public static let databaseTableName = "event_span"
    /// Column `event_type`.
    public var eventType: String
    /// Earliest `ts` (microseconds since 1970-01-01T00:00:00Z, UTC).
    public var firstTS: Int64
    /// Latest `ts`.
    public var lastTS: Int64

    enum CodingKeys: String, CodingKey {
        case eventType = "event_type", firstTS = "first_ts", lastTS = "last_ts"
    }
}

/// One model version with at least one score (kept by ingestion).
public struct ScoreVersionRecord: Codable, Sendable, Equatable, FetchableRecord, TableRecord {
    /// The table: `score_version`.
    public static let databaseTableName = "score_version"
    /// Column `model`.
    public var model: String
    /// Column `version`.
    public var version: String
}
