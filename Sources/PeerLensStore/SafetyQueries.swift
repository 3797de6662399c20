import GRDB
import PeerLensLog

/// One moderation action with what the moderation analysis reads about it (`ModerationData`).
public struct StoredModerationAction: Sendable, Equatable {
    /// The action's id.
    public let id: String
    /// When it was taken (microseconds since the epoch).
    public let ts: Int64
    /// The member moderated: the action's own member, else the author of its message; nil when neither is known.
    public let member: String?
    /// `hide`, `warn`, `educate`, `suspend`, …
    public let action: String
    /// `automatic`, `peer`, `professional`, `community`.
    public let layer: String
    /// Why (`harassment`, `trigger_content`, …).
    public let reason: String
    /// When the moderated message was posted; nil for an action on a member, or a message not stored.
    public let messageTs: Int64?
    /// The moderated message's space, when known.
    public let space: String?
    /// The moderated message's score by the model and version asked for, when it has one.
    public let score: Double?
    /// The outcome of the latest appeal against the action (`upheld`, `overturned`); nil when none.
    public let appeal: String?

    /// An action.
    public init(id: String, ts: Int64, member: String?, action: String, layer: String, reason: String, messageTs: Int64?, space: String?,
                score: Double?, appeal: String?) {
        (self.id, self.ts, self.member, self.action, self.layer, self.reason) = (id, ts, member, action, layer, reason)
        (self.messageTs, self.space, self.score, self.appeal) = (messageTs, space, score, appeal)
    }
}

/// What the moderation analysis (`peerlens moderation`) reads: every action in time order (ties: by id), the
/// number of messages, the model version whose scores band the actions, and the end of the data.
public struct ModerationData: Sendable, Equatable {
    /// Every moderation action, by time, then id.
    public let actions: [StoredModerationAction]
    /// Messages stored.
    public let messages: Int
    /// The model's most scored version (ties: the first by name); nil when the model has no scores.
    public let version: String?
    /// The latest event time of any type (microseconds; 0 when the store is empty).
    public let dataEnd: Int64

    /// The data.
    public init(actions: [StoredModerationAction], messages: Int, version: String?, dataEnd: Int64) {
        (self.actions, self.messages, self.version, self.dataEnd) = (actions, messages, version, dataEnd)
    }
}

extension EventStore {
    /// What the moderation analysis reads, with scores of `model`'s most scored version.
    ///
    /// - Throws: `StoreError.database`.
    public func moderationData(model: String) throws(StoreError) -> ModerationData {
        try read("reading the moderation actions") { db in
            let version = try String.fetchOne(db, sql: "SELECT version FROM score_version WHERE model = ? ORDER BY scores DESC, version LIMIT 1",
                                              arguments: [model])
            let actions = try Row.fetchAll(db, sql: """
                SELECT d.id, d.ts, coalesce(d.member, m.member) AS member, d.action, d.layer, d.reason, m.ts AS message_ts, m.space,
                       s.score, (SELECT a.outcome FROM appeal a WHERE a.moderation = d.id ORDER BY a.ts DESC LIMIT 1) AS appeal
                FROM moderation d
                LEFT JOIN message m ON m.id = d.message
                LEFT JOIN score s ON s.message = d.message AND s.model = ? AND s.version = ?
                ORDER BY d.ts, d.id
                """, arguments: [model, version]).map { r in
                StoredModerationAction(id: r["id"], ts: r["ts"], member: r["member"], action: r["action"], layer: r["layer"], reason: r["reason"],
                                 messageTs: r["message_ts"], space: r["space"], score: r["score"], appeal: r["appeal"])
            }
            let messages = try Int.fetchOne(db, sql: "SELECT count(*) FROM message") ?? 0
            return ModerationData(actions: actions, messages: messages, version: version, dataEnd: try Self.dataEnd(db))
        }
    }
}

/// What the crisis-response analysis (`peerlens crisis`) reads: one model's alerts, the responses and follow-ups to
/// them, and the end of the data.
public struct CrisisData: Sendable, Equatable {
    /// An alert: its id and time.
    public struct Alert: Sendable, Equatable {
        /// The alert's id.
        public let id: String
        /// When it was raised (microseconds since the epoch).
        public let ts: Int64

        /// An alert.
        public init(id: String, ts: Int64) {
            (self.id, self.ts) = (id, ts)
        }
    }

    /// The model's alerts, by time, then id.
    public let alerts: [Alert]
    /// The responses to them, by alert, then time (ties in time: by responder).
    public let responses: [ResponseEvent]
    /// The follow-ups of them, by alert, then time.
    public let followups: [FollowupEvent]
    /// The latest event time of any type (microseconds; 0 when the store is empty).
    public let dataEnd: Int64

    /// The data.
    public init(alerts: [Alert], responses: [ResponseEvent], followups: [FollowupEvent], dataEnd: Int64) {
        (self.alerts, self.responses, self.followups, self.dataEnd) = (alerts, responses, followups, dataEnd)
    }
}

extension EventStore {
    /// What the crisis-response analysis reads about the alerts of `model`.
    ///
    /// - Throws: `StoreError.database`.
    public func crisisData(model: String) throws(StoreError) -> CrisisData {
        try read("reading the crisis alerts") { db in
            let alerts = try Row.fetchAll(db, sql: "SELECT id, ts FROM alert WHERE model = ? ORDER BY ts, id", arguments: [model])
                .map { CrisisData.Alert(id: $0["id"], ts: $0["ts"]) }
            let ids = Set(alerts.map(\.id))
            let responses = try Row.fetchAll(db, sql: "SELECT * FROM response ORDER BY alert, ts, responder").map(ResponseEvent.init(row:))
                .filter { ids.contains($0.alert) }
            let followups = try Row.fetchAll(db, sql: "SELECT * FROM followup ORDER BY alert, ts").map(FollowupEvent.init(row:))
                .filter { ids.contains($0.alert) }
            return CrisisData(alerts: alerts, responses: responses, followups: followups, dataEnd: try Self.dataEnd(db))
        }
    }
}
