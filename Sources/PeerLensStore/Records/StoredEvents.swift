import GRDB
import PeerLensLog

// The event tables are read back as the event types of PeerLensLog themselves: the event type is the one Swift
// description of an event's fields, `StoreSchema.tables` the one SQL description of its table, `RowLayout.bindRow`
// maps an event to its row and `init(row:)` below maps a row (`SELECT *`) back (`RecordTests` checks that every
// ingested event comes back equal). There is no separate record struct per event table to keep in step with both.

extension Row {
    /// The `ts` column as a `Timestamp`.
    var timestamp: Timestamp { Timestamp(microseconds: self["ts"]) }

    /// A closed-vocabulary column (`role`, `kind`, …) as its enum; NULL is nil.
    ///
    /// - Throws: `StoreError.database` for a spelling the enum does not know (the table's CHECK refuses those, so
    ///   only a store written by something else than PeerLens can hold one).
    func vocabulary<Value: RawRepresentable>(_ column: String) throws -> Value? where Value.RawValue == String {
        guard let spelling: String = self[column] else { return nil }
        guard let value = Value(rawValue: spelling) else {
            throw StoreError.database(operation: "reading column \(column)", reason: "a value outside the column's vocabulary")
        }
        return value
    }

    /// A closed-vocabulary column that is NOT NULL in the schema.
    func vocabulary<Value: RawRepresentable>(_ column: String) throws -> Value where Value.RawValue == String {
        guard let value: Value = try vocabulary(column) else {
            throw StoreError.database(operation: "reading column \(column)", reason: "NULL in a NOT NULL column")
        }
        return value
    }
}

extension MemberEvent {
    /// A `member` row; `conditions` stay empty: they are rows of `member_condition` (`MemberConditionRecord`).
    package init(row: Row) throws {
        self.init(ts: row.timestamp, member: row["member"], role: try row.vocabulary("role"), region: row["region"],
                  language: row["language"], ageBand: try row.vocabulary("age_band"), gender: row["gender"],
                  culture: row["culture"], conditions: [], resourceSetting: try row.vocabulary("resource_setting"),
                  researchConsent: row["research_consent"], cohort: row["cohort"])
    }
}

extension MessageEvent {
    /// A `message` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, id: row["id"], member: row["member"], space: row["space"], thread: row["thread"],
                  replyTo: row["reply_to"], chars: row["chars"])
    }
}

extension ScoreEvent {
    /// A `score` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, message: row["message"], model: row["model"], version: row["version"], score: row["score"])
    }
}

extension ReviewEvent {
    /// A `review` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, message: row["message"], kind: try row.vocabulary("kind"), severity: try row.vocabulary("severity"),
                  positive: row["positive"], reviewerRole: row["reviewer_role"], weight: row["weight"])
    }
}

extension AlertEvent {
    /// An `alert` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, id: row["id"], message: row["message"], member: row["member"], model: row["model"],
                  version: row["version"], score: row["score"], threshold: row["threshold"])
    }
}

extension ResponseEvent {
    /// A `response` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, alert: row["alert"], responder: row["responder"],
                  responderRole: try row.vocabulary("responder_role"), outcome: try row.vocabulary("outcome"))
    }
}

extension FollowupEvent {
    /// A `followup` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, alert: row["alert"], completed: row["completed"])
    }
}

extension ModerationEvent {
    /// A `moderation` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, id: row["id"], message: row["message"], member: row["member"], action: try row.vocabulary("action"),
                  layer: try row.vocabulary("layer"), reason: try row.vocabulary("reason"))
    }
}

extension AppealEvent {
    /// An `appeal` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, moderation: row["moderation"], outcome: try row.vocabulary("outcome"))
    }
}

extension MatchEvent {
    /// A `match` row: the components are its columns named by `MatchComponents.fieldNames`.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, id: row["id"], seeker: row["seeker"], peer: row["peer"], kind: try row.vocabulary("kind"),
                  score: row["score"], components: MatchComponents(values: MatchComponents.fieldNames.map { row[$0] }),
                  accepted: row["accepted"])
    }
}

extension MatchEndEvent {
    /// A `match_end` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, match: row["match"], sessions: row["sessions"], rating: row["rating"],
                  reason: try row.vocabulary("reason"))
    }
}

extension GroupSessionEvent {
    /// A `group_session` row; `attendees` stay empty: they are rows of `group_attendee` (`GroupAttendeeRecord`),
    /// and the row keeps only their number (`attendee_count`).
    package init(row: Row) throws {
        self.init(ts: row.timestamp, group: row["group_id"], session: row["session"], facilitator: row["facilitator"],
                  focus: row["focus"], attendees: [])
    }
}

extension CheckinEvent {
    /// A `checkin` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, member: row["member"], instrument: row["instrument"], score: row["score"], riskItem: row["risk_item"])
    }
}

extension SkillEvent {
    /// A `skill` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, member: row["member"], framework: try row.vocabulary("framework"), skill: row["skill"],
                  completed: row["completed"])
    }
}

extension TrainingEvent {
    /// A `training` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, member: row["member"], course: row["course"], completed: row["completed"])
    }
}

extension ActivityEvent {
    /// An `activity` row.
    package init(row: Row) throws {
        self.init(ts: row.timestamp, member: row["member"], durationSeconds: row["duration_s"])
    }
}
