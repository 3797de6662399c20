import GRDB
import PeerLensLog

/// One ingest run as recorded in the store (`peerlens ingest` of one file): a row of `ingest_run`.
public struct IngestRun: Sendable, Equatable {
    /// Run id, in ingest order.
    public let id: Int64
    /// The file as given to `peerlens ingest`.
    public let file: String
    /// SHA-256 of the file's bytes (lower-case hex).
    public let sha256: String
    /// `jsonl` or `csv`.
    public let format: String
    /// When the run started (RFC 3339).
    public let startedAt: String
    /// How long it took, in seconds.
    public let durationSeconds: Double
    /// PeerLens version that ingested it.
    public let toolVersion: String
    /// Records read: accepted + duplicates + rejected.
    public let records: Int
    /// New events stored.
    public let accepted: Int
    /// Events already in the store.
    public let duplicates: Int
    /// Records quarantined.
    public let rejected: Int
    /// Unknown fields dropped (counted, never stored).
    public let droppedFields: Int

    /// A run as another engine records it (issue 16: Spark's `ingest_run` table).
    package init(id: Int64, file: String, sha256: String, format: String, startedAt: String, durationSeconds: Double, toolVersion: String,
                 records: Int, accepted: Int, duplicates: Int, rejected: Int, droppedFields: Int) {
        (self.id, self.file, self.sha256, self.format, self.startedAt, self.durationSeconds) = (id, file, sha256, format, startedAt, durationSeconds)
        (self.toolVersion, self.records, self.accepted, self.duplicates, self.rejected, self.droppedFields)
            = (toolVersion, records, accepted, duplicates, rejected, droppedFields)
    }
}

extension IngestRun: FetchableRecord {
    /// A row of `ingest_run` (`SELECT *`).
    public init(row: Row) {
        self.init(id: row["id"], file: row["file"], sha256: row["sha256"], format: row["format"], startedAt: row["started_at"],
                  durationSeconds: row["duration_s"], toolVersion: row["tool_version"], records: row["records"],
                  accepted: row["accepted"], duplicates: row["duplicates"], rejected: row["rejected"], droppedFields: row["dropped_fields"])
    }
}

/// A member with the attributes of a research cohort table (Table 1 of the research report).
public struct CohortMember: Sendable, Equatable {
    /// The member's pseudonym.
    public let member: String
    /// `seeker`, `peer`, …
    public let role: String
    /// Age band, when recorded.
    public let ageBand: String?
    /// Gender label, when recorded.
    public let gender: String?
    /// Region (ISO 3166-1 country code), when recorded.
    public let region: String?
    /// Resource setting, when recorded.
    public let resourceSetting: String?
    /// Whether the member consented to research use.
    public let researchConsent: Bool
    /// The member's conditions, sorted (empty when none are recorded).
    public let conditions: [String]

    /// A member as an engine read it.
    package init(member: String, role: String, ageBand: String?, gender: String?, region: String?, resourceSetting: String?,
                 researchConsent: Bool, conditions: [String]) {
        (self.member, self.role, self.ageBand, self.gender, self.region, self.resourceSetting, self.researchConsent, self.conditions)
            = (member, role, ageBand, gender, region, resourceSetting, researchConsent, conditions)
    }
}

/// The store's query API for everything outside the analyses' own query code: reports, provenance and the
/// command-line tool ask these functions instead of writing SQL. Every function reads in one transaction and
/// returns Swift values; failures are `StoreError.database` naming what was being read.
extension EventStore {
    /// Runs `body` in a read transaction, turning database errors into `StoreError.database(operation:…)`.
    package func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try reading(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.database(operation: operation, reason: error.message ?? error.description)
        } catch {
            throw StoreError.database(operation: operation, reason: "\(error)")
        }
    }

    /// The version of the SQLite library linked at run time (`sqlite_version()`, e.g. `3.46.1`).
    public func sqliteVersion() throws(StoreError) -> String {
        try read("reading the SQLite version") { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") } ?? "unknown"
    }

    /// Every ingest run recorded in the store, in run order.
    public func ingestRuns() throws(StoreError) -> [IngestRun] {
        try read("reading the ingest runs") { db in
            try IngestRun.fetchAll(db, sql: "SELECT * FROM ingest_run ORDER BY id")
        }
    }

    /// The models with at least one score, sorted. Reads every score (no index leads with the model).
    public func scoredModels() throws(StoreError) -> [String] {
        try read("listing scored models") { db in try Self.scoredModels(db) }
    }

    /// The models with at least one alert, sorted.
    public func alertedModels() throws(StoreError) -> [String] {
        try read("listing alerting models") { db in try Self.alertedModels(db) }
    }

    /// The versions of `model` with at least one score, sorted.
    public func versions(ofModel model: String) throws(StoreError) -> [String] {
        try read("listing versions of \(model)") { db in try Self.versions(db, ofModel: model) }
    }

    /// The instruments with at least one check-in, sorted.
    public func instruments() throws(StoreError) -> [String] {
        try read("listing instruments") { db in try Self.instruments(db) }
    }

    /// The spaces with at least one message, sorted.
    public func spaces() throws(StoreError) -> [String] {
        try read("listing spaces") { db in try Self.spaces(db) }
    }

    /// The period the data covers: from the earliest message or activity event to the latest event of any type
    /// (`dataEnd`), in microseconds since the epoch; nil when the store holds no messages and no activity, or no
    /// events at all.
    public func dataPeriod() throws(StoreError) -> (first: Int64, last: Int64)? {
        try read("reading the data period") { db in
            let end = try Self.dataEnd(db)
            guard end > 0, let start = try Self.dataSpan(db, of: [.message, .activity])?.first else { return nil }
            return (start, end)
        }
    }

    /// Every member (sorted by pseudonym) with the attributes of a cohort table and their conditions.
    public func cohortMembers() throws(StoreError) -> [CohortMember] {
        try read("reading the cohort") { db in
            var conditions: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT member, condition FROM member_condition ORDER BY member, condition") {
                conditions[row[0], default: []].append(row[1])
            }
            return try Row.fetchAll(db, sql: """
                SELECT member, role, age_band, gender, region, resource_setting, research_consent FROM member ORDER BY member
                """).map { row in
                let id: String = row[0]
                return CohortMember(member: id, role: row[1], ageBand: row[2], gender: row[3], region: row[4], resourceSetting: row[5],
                                    researchConsent: row[6], conditions: conditions[id] ?? [])
            }
        }
    }

    /// The interaction graph (`InteractionGraph`) and the end of the data (`dataEnd`), from one read.
    public func interactionGraphAndDataEnd() throws(StoreError) -> (graph: InteractionGraph, dataEnd: Int64) {
        do {
            return (try Self.interactionGraph(from: self), try read("reading the end of the data") { db in try Self.dataEnd(db) })
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(operation: "reading the interaction graph", reason: "\(error)")
        }
    }
}

/// The same lists inside a read the caller already holds (the analyses read in one transaction; the queue is not
/// reentrant).
extension EventStore {
    /// `scoredModels()` on `db`.
    package static func scoredModels(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT model FROM score_version ORDER BY model")
    }

    /// `alertedModels()` on `db`.
    package static func alertedModels(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT model FROM alert ORDER BY model")
    }

    /// `versions(ofModel:)` on `db`.
    package static func versions(_ db: Database, ofModel model: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT version FROM score_version WHERE model = ? ORDER BY version", arguments: [model])
    }

    /// `instruments()` on `db`.
    package static func instruments(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT instrument FROM checkin ORDER BY instrument")
    }

    /// Whether `instrument` has at least one check-in (stops at the first one found).
    package static func hasCheckins(_ db: Database, instrument: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM checkin WHERE instrument = ?)", arguments: [instrument]) ?? false
    }

    /// `spaces()` on `db`.
    package static func spaces(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT space FROM message ORDER BY space")
    }
}

/// What the risk-item channel (`peerlens crisis`: check-ins whose self-harm item was endorsed) is computed from:
/// the endorsing check-ins, and the messages, alerts and responses of the members who made them.
public struct RiskItemData: Sendable, Equatable {
    /// A check-in whose `risk_item` is 1 or more.
    public struct Endorsement: Sendable, Equatable {
        /// The member.
        public let member: String
        /// The instrument.
        public let instrument: String
        /// When (microseconds since the epoch).
        public let ts: Int64
        /// The item score (≥ 1).
        public let item: Int

        /// An endorsement.
        package init(member: String, instrument: String, ts: Int64, item: Int) {
            (self.member, self.instrument, self.ts, self.item) = (member, instrument, ts, item)
        }
    }
    /// An alert of the model about one of the endorsing members.
    public struct Alert: Sendable, Equatable {
        /// The alert's id.
        public let id: String
        /// The member the alert is about.
        public let member: String
        /// The message that raised it.
        public let message: String
        /// When it was raised.
        public let ts: Int64

        /// An alert.
        package init(id: String, member: String, message: String, ts: Int64) {
            (self.id, self.member, self.message, self.ts) = (id, member, message, ts)
        }
    }
    /// A message of one of the endorsing members.
    public struct Message: Sendable, Equatable {
        /// The message's id.
        public let id: String
        /// Its author.
        public let member: String
        /// When it was posted.
        public let ts: Int64

        /// A message.
        package init(id: String, member: String, ts: Int64) {
            (self.id, self.member, self.ts) = (id, member, ts)
        }
    }
    /// A response to one of the alerts.
    public struct Response: Sendable, Equatable {
        /// The alert answered.
        public let alert: String
        /// When.
        public let ts: Int64

        /// A response.
        package init(alert: String, ts: Int64) {
            (self.alert, self.ts) = (alert, ts)
        }
    }
    /// Check-ins reporting the item (any score), per instrument.
    public let reportedByInstrument: [String: Int]
    /// Endorsing check-ins, by member and time.
    public let endorsements: [Endorsement]
    /// The endorsing members' messages, by member and time.
    public let messages: [Message]
    /// The model's alerts about the endorsing members, by member and time.
    public let alerts: [Alert]
    /// Responses to those alerts, by time.
    public let responses: [Response]
    /// The end of the data (`EventStore.dataEnd`).
    public let dataEnd: Int64

    /// The data.
    package init(reportedByInstrument: [String: Int], endorsements: [Endorsement], messages: [Message], alerts: [Alert], responses: [Response],
                 dataEnd: Int64) {
        (self.reportedByInstrument, self.endorsements, self.messages) = (reportedByInstrument, endorsements, messages)
        (self.alerts, self.responses, self.dataEnd) = (alerts, responses, dataEnd)
    }
}

extension EventStore {
    /// The risk-item channel's data for alerts of `model`, read in one transaction.
    public func riskItemData(model: String) throws(StoreError) -> RiskItemData {
        try read("reading check-ins with a risk item") { db in
            var reported: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT instrument, count(*) FROM checkin WHERE risk_item IS NOT NULL GROUP BY instrument") {
                reported[row[0]] = row[1]
            }
            let endorsing = "SELECT DISTINCT member FROM checkin WHERE risk_item >= 1"
            let endorsements = try Row.fetchAll(db, sql: """
                SELECT member, instrument, ts, risk_item FROM checkin WHERE risk_item >= 1 ORDER BY member, ts, instrument
                """).map { RiskItemData.Endorsement(member: $0[0], instrument: $0[1], ts: $0[2], item: $0[3]) }
            let messages = try Row.fetchAll(db, sql: """
                SELECT id, member, ts FROM message WHERE member IN (\(endorsing)) ORDER BY member, ts, id
                """).map { RiskItemData.Message(id: $0[0], member: $0[1], ts: $0[2]) }
            let alerts = try Row.fetchAll(db, sql: """
                SELECT id, member, message, ts FROM alert WHERE model = ? AND member IN (\(endorsing)) ORDER BY member, ts, id
                """, arguments: [model]).map { RiskItemData.Alert(id: $0[0], member: $0[1], message: $0[2], ts: $0[3]) }
            let responses = try Row.fetchAll(db, sql: """
                SELECT r.alert, r.ts FROM response r JOIN alert a ON a.id = r.alert
                WHERE a.model = ? AND a.member IN (\(endorsing)) ORDER BY r.ts, r.alert
                """, arguments: [model]).map { RiskItemData.Response(alert: $0[0], ts: $0[1]) }
            return RiskItemData(reportedByInstrument: reported, endorsements: endorsements, messages: messages, alerts: alerts,
                                responses: responses, dataEnd: try Self.dataEnd(db))
        }
    }
}

/// One human review as stored (`review` events), for combining several reviews of a message and measuring
/// reviewer agreement.
public struct StoredReview: Sendable, Equatable {
    /// The reviewed message.
    public let message: String
    /// When the review was made (microseconds since the epoch).
    public let ts: Int64
    /// The binary verdict, when the review gave one.
    public let positive: Bool?
    /// The graded verdict, when the review gave one.
    public let severity: Severity?
    /// The review's sampling weight (1 / inclusion probability), when recorded.
    public let weight: Double?
    /// The reviewer's role (the log records no reviewer identity).
    public let reviewerRole: String

    /// A review.
    package init(message: String, ts: Int64, positive: Bool?, severity: Severity?, weight: Double?, reviewerRole: String) {
        (self.message, self.ts, self.positive, self.severity, self.weight, self.reviewerRole) = (message, ts, positive, severity, weight, reviewerRole)
    }
}

/// One score of a reviewed message, with the message's author and space (`score` joined to `message`).
public struct ReviewedMessageScore: Sendable, Equatable {
    /// The message.
    public let message: String
    /// The model version that scored it.
    public let version: String
    /// The score.
    public let score: Double
    /// When it was scored (microseconds since the epoch).
    public let scoredAt: Int64
    /// The author's pseudonym (nil when the message event is missing).
    public let member: String?
    /// The space (nil when the message event is missing).
    public let space: String?

    /// A score of a reviewed message.
    package init(message: String, version: String, score: Double, scoredAt: Int64, member: String?, space: String?) {
        (self.message, self.version, self.score, self.scoredAt, self.member, self.space) = (message, version, score, scoredAt, member, space)
    }
}

extension EventStore {
    /// Every review of `kind`, grouped by message and in time order within it (ties by reviewer role, so the
    /// order is the same on every run).
    package static func reviews(_ db: Database, kind: String) throws -> [StoredReview] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT message, ts, positive, severity, weight, reviewer_role FROM review WHERE kind = ? ORDER BY message, ts, reviewer_role
            """, arguments: [kind])
        var reviews: [StoredReview] = []
        while let row = try rows.next() {
            reviews.append(StoredReview(message: row[0], ts: row[1], positive: row[2], severity: (row[3] as String?).flatMap(Severity.init(rawValue:)),
                                        weight: row[4], reviewerRole: row[5]))
        }
        return reviews
    }

    /// Every review of `kind` (as `reviews(_:kind:)`).
    public func reviews(kind: String) throws(StoreError) -> [StoredReview] {
        try read("reviews of \(kind)") { db in try Self.reviews(db, kind: kind) }
    }

    /// Calls `body` with each score by `model` of a message that has a review of `kind`, ordered by version and
    /// message. Driving the join from the reviewed messages (a sample) keeps it proportional to the reviews, not
    /// to every scored message.
    package static func scoresOfReviewedMessages(_ db: Database, kind: String, model: String,
                                                 _ body: (ReviewedMessageScore) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT s.message, s.version, s.score, s.ts, m.member, m.space
            FROM (SELECT DISTINCT message FROM review WHERE kind = ?) AS r
            CROSS JOIN score s ON s.message = r.message AND s.model = ?
            LEFT JOIN message m ON m.id = r.message
            ORDER BY s.version, s.message
            """, arguments: [kind, model])
        // Columns by position (the SELECT order above): name lookups per row cost more than the query.
        while let row = try rows.next() {
            try body(ReviewedMessageScore(message: row[0], version: row[1], score: row[2], scoredAt: row[3], member: row[4], space: row[5]))
        }
    }

    /// The threshold most alerts of each version of `model` used (ties: the lower threshold).
    package static func alertThresholds(_ db: Database, model: String) throws -> [String: Double] {
        var thresholds: [String: Double] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT version, threshold, count(*) AS n FROM alert WHERE model = ? GROUP BY version, threshold ORDER BY version, n DESC, threshold
            """, arguments: [model]) {
            let version: String = row["version"]
            if thresholds[version] == nil { thresholds[version] = row["threshold"] }
        }
        return thresholds
    }
}
