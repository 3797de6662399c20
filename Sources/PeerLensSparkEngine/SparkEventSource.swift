import Foundation
import PeerLensArrow
import PeerLensLog
import PeerLensSpark
import PeerLensStore

/// The events of a Spark warehouse, for the commands that read events (`--engine sc://HOST:PORT`, issue 16).
///
/// Every query runs in one session, the source's own (`SparkSessionHost`), in which the name of every store table it
/// reads is a temporary view of that table's committed rows with the store's columns
/// (`SparkWarehouse.viewStatement(_:runs:)`), and double-quoted identifiers are identifiers
/// (`spark.sql.ansi.doubleQuotedIdentifiers`): statements that read few rows can then be the very SQL the embedded
/// store runs. The heavy analyses have statements of their own, which aggregate in Spark. Calls are synchronous, like
/// the analyses; the client runs on a thread of its own (`BlockingBridge`).
public final class SparkEventSource: EventSource {
    /// The Spark Connect server.
    public let url: SparkConnectURL
    /// The warehouse's tables.
    package let warehouse: SparkWarehouse
    private let bridge = BlockingBridge(name: "peerlens-spark")
    private let session: SparkSessionHost
    /// Reads a report asks for more than once, each read once (the safety report read each model's reviewed scores
    /// six times: 97 of its 295 s at 10.1 M events).
    private let cache = ReadCache()

    /// The events in database `database` of the warehouse behind `url`. Nothing is sent before the first query.
    ///
    /// - Parameter progress: Called with Spark's progress reports of every query and the query's label ("counting
    ///   messages per week"), from the client's thread; how a command shows its long work.
    public init(url: SparkConnectURL, database: String = "peerlens",
                progress: (@Sendable (_ operation: String, _ progress: SparkProgress) -> Void)? = nil) {
        self.url = url
        warehouse = SparkWarehouse(database: database)
        session = SparkSessionHost(url: url, warehouse: warehouse, executor: bridge.executor, progress: progress)
    }

    /// Releases the source's Spark session (see `SparkSessionHost.close()`).
    deinit { session.close() }

    /// The server's URL and the database.
    public var location: String { "\(url) (Spark database \(warehouse.database))" }

    /// `spark`.
    public var engineName: String? { "spark" }

    /// Runs `body` in the source's session (`SparkSessionHost`) once each of `tables` is a view of its committed
    /// rows; `operation` names the work in errors.
    ///
    /// - Throws: `SparkError`; what `body` throws.
    func withSession<T: Sendable>(_ operation: String, tables: [String],
                                  _ body: @escaping @Sendable (SparkConnectClient) async throws -> T) throws -> T {
        let session = session
        return try bridge.run { try await session.perform(operation, tables: tables, body) }
    }

    /// `withSession`, run once per source for `key` (`ReadCache.valueOnce`): for reads several sections of a report
    /// ask for.
    private func once<T: Sendable>(_ key: String, _ operation: String, tables: [String],
                                   _ body: @escaping @Sendable (SparkConnectClient) async throws -> T) throws -> T {
        try cache.valueOnce(key) { try withSession(operation, tables: tables, body) }
    }

    /// The server's Spark version (`version()`: the release, without the build's commit).
    public func engineVersions() throws -> [String: String] {
        try withSession("reading the Spark version", tables: []) { client in
            let version = try DecodedResult(try await client.sql("SELECT version() AS v", label: "reading the Spark version")).strings("v").first ?? nil
            return ["spark": version.map { String($0.split(separator: " ").first ?? "") } ?? "unknown"]
        }
    }

    public func ingestRuns() throws -> [IngestRun] {
        try withSession("reading the ingest runs", tables: ["ingest_run"]) { [warehouse] client in
            try await warehouse.ingestRuns(using: client, relation: "ingest_run")
        }
    }

    public func quarantine(run: Int64?, limit: Int) throws -> [QuarantineEntry] {
        try withSession("reading the quarantine", tables: ["quarantine", "ingest_run"]) { client in
            let result = try await client.sql("""
                SELECT q.run_id, r.file, q.line, q.event_type, q.category, q.reason
                FROM quarantine q JOIN ingest_run r ON r.id = q.run_id
                WHERE (:run IS NULL OR q.run_id = :run)
                ORDER BY q.run_id DESC, q.line LIMIT \(max(0, limit))
                """, arguments: ["run": run.map(SparkLiteral.int64) ?? .null(.int64)], label: "reading the quarantine")
            let rows = try DecodedResult(result)
            let runs = try rows.integers("run_id"), files = try rows.strings("file"), lines = try rows.integers("line")
            let types = try rows.strings("event_type"), categories = try rows.strings("category"), reasons = try rows.strings("reason")
            return (0..<rows.rowCount).map { row in
                QuarantineEntry(runID: runs[row] ?? 0, file: files[row] ?? "", line: Int(lines[row] ?? 0), eventType: types[row],
                                category: categories[row] ?? "", reason: reasons[row] ?? "")
            }
        }
    }

    public func referentialProblems() throws -> [ReferentialProblem] {
        let tables = SparkWarehouse.tables.filter { $0.eventType != nil || StoreSchema.childTables[$0.name] != nil }.map(\.name)
        return try withSession("checking references", tables: tables) { client in
            var problems: [ReferentialProblem] = []
            for (code, description, sql) in ReferentialCheck.rules {
                let counted = try await client.sql("SELECT count(*) AS n FROM (\(sql)) c", label: "checking references (\(code))")
                var count: Int64 = 0
                for batch in counted.batches where batch.rowCount > 0 {
                    count += try ArrowStream.decode(batch.ipcStream).integers("n").reduce(0) { $0 + ($1 ?? 0) }
                }
                var examples: [String] = []
                if count > 0 {
                    let listed = try await client.sql("SELECT k FROM (\(sql)) c ORDER BY k LIMIT 5", label: "checking references (\(code))")
                    for batch in listed.batches where batch.rowCount > 0 {
                        examples += try ArrowStream.decode(batch.ipcStream).string("k").map { $0 ?? "" }
                    }
                }
                problems.append(ReferentialProblem(code: code, description: description, count: Int(count), examples: examples))
            }
            return problems
        }
    }

    public func scoredModels() throws -> [String] { try distinct("model", of: "score", "listing scored models") }

    public func spaces() throws -> [String] { try distinct("space", of: "message", "listing spaces") }

    public func moderationData(model: String) throws -> ModerationData {
        let operation = "reading the moderation actions"
        return try once("moderation\u{0}\(model)", operation, tables: Self.eventTables) { client in
            let version = try DecodedResult(try await client.sql("""
                SELECT version FROM score WHERE model = :model GROUP BY version ORDER BY count(*) DESC, version LIMIT 1
                """, arguments: ["model": .string(model)], label: operation)).strings("version").first ?? nil
            // The latest appeal of each action: appeals are keyed by (moderation, ts), so `max_by` has one answer.
            let rows = try DecodedResult(try await client.sql("""
                SELECT d.id, d.ts, coalesce(d.member, m.member) AS member, d.action, d.layer, d.reason, m.ts AS message_ts, m.space,
                       s.score, ap.outcome AS appeal
                FROM moderation d
                LEFT JOIN message m ON m.id = d.message
                LEFT JOIN score s ON s.message = d.message AND s.model = :model AND s.version = :version
                LEFT JOIN (SELECT moderation, max_by(outcome, ts) AS outcome FROM appeal GROUP BY moderation) ap ON ap.moderation = d.id
                ORDER BY d.ts, d.id
                """, arguments: ["model": .string(model), "version": version.map(SparkLiteral.string) ?? .null(.string)], label: operation))
            let ids = try rows.strings("id"), times = try rows.integers("ts"), members = try rows.strings("member")
            let kinds = try rows.strings("action"), layers = try rows.strings("layer"), reasons = try rows.strings("reason")
            let messageTimes = try rows.integers("message_ts"), spaces = try rows.strings("space"), scores = try rows.doubles("score")
            let appeals = try rows.strings("appeal")
            let actions = (0..<rows.rowCount).map { i in
                StoredModerationAction(id: ids[i] ?? "", ts: times[i] ?? 0, member: members[i], action: kinds[i] ?? "", layer: layers[i] ?? "",
                                 reason: reasons[i] ?? "", messageTs: messageTimes[i], space: spaces[i], score: scores[i], appeal: appeals[i])
            }
            let messages = try DecodedResult(try await client.sql("SELECT count(*) AS n FROM message", label: operation)).integers("n").first ?? nil
            return ModerationData(actions: actions, messages: Int(messages ?? 0), version: version, dataEnd: try await Self.dataEnd(client, operation))
        }
    }

    public func alertedModels() throws -> [String] { try distinct("model", of: "alert", "listing alerting models") }

    public func crisisData(model: String) throws -> CrisisData {
        let operation = "reading the crisis alerts"
        return try once("crisis\u{0}\(model)", operation, tables: Self.eventTables) { client in
            let arguments: [String: SparkLiteral] = ["model": .string(model)]
            let alertRows = try DecodedResult(try await client.sql("SELECT id, ts FROM alert WHERE model = :model ORDER BY ts, id",
                                                                   arguments: arguments, label: operation))
            let alertIDs = try alertRows.strings("id"), alertTimes = try alertRows.integers("ts")
            let alerts = (0..<alertRows.rowCount).map { CrisisData.Alert(id: alertIDs[$0] ?? "", ts: alertTimes[$0] ?? 0) }
            let responseRows = try DecodedResult(try await client.sql("""
                SELECT alert, responder, ts, responder_role, outcome FROM response
                WHERE alert IN (SELECT id FROM alert WHERE model = :model) ORDER BY alert, ts, responder
                """, arguments: arguments, label: operation))
            let answered = try responseRows.strings("alert"), responders = try responseRows.strings("responder")
            let responseTimes = try responseRows.integers("ts"), roles = try responseRows.strings("responder_role")
            let outcomes = try responseRows.strings("outcome")
            let responses = try (0..<responseRows.rowCount).map { i in
                ResponseEvent(ts: Timestamp(microseconds: responseTimes[i] ?? 0), alert: answered[i] ?? "", responder: responders[i] ?? "",
                              responderRole: try Self.vocabulary(roles[i], "response.responder_role", operation),
                              outcome: try Self.vocabulary(outcomes[i], "response.outcome", operation))
            }
            let followupRows = try DecodedResult(try await client.sql("""
                SELECT alert, ts, completed FROM followup WHERE alert IN (SELECT id FROM alert WHERE model = :model) ORDER BY alert, ts
                """, arguments: arguments, label: operation))
            let followed = try followupRows.strings("alert"), followupTimes = try followupRows.integers("ts")
            let completed = try followupRows.integers("completed")
            let followups = (0..<followupRows.rowCount).map { i in
                FollowupEvent(ts: Timestamp(microseconds: followupTimes[i] ?? 0), alert: followed[i] ?? "", completed: (completed[i] ?? 0) != 0)
            }
            return CrisisData(alerts: alerts, responses: responses, followups: followups, dataEnd: try await Self.dataEnd(client, operation))
        }
    }

    public func riskItemData(model: String) throws -> RiskItemData {
        let operation = "reading check-ins with a risk item"
        return try once("risk items\u{0}\(model)", operation, tables: Self.eventTables) { client in
            let arguments: [String: SparkLiteral] = ["model": .string(model)]
            let endorsing = "SELECT DISTINCT member FROM checkin WHERE risk_item >= 1"
            let reportedRows = try DecodedResult(try await client.sql(
                "SELECT instrument, count(*) AS n FROM checkin WHERE risk_item IS NOT NULL GROUP BY instrument", label: operation))
            var reported: [String: Int] = [:]
            for (instrument, count) in zip(try reportedRows.strings("instrument"), try reportedRows.integers("n")) {
                reported[instrument ?? ""] = Int(count ?? 0)
            }
            let e = try DecodedResult(try await client.sql(
                "SELECT member, instrument, ts, risk_item FROM checkin WHERE risk_item >= 1 ORDER BY member, ts, instrument", label: operation))
            let eMembers = try e.strings("member"), eInstruments = try e.strings("instrument"), eTimes = try e.integers("ts")
            let eItems = try e.integers("risk_item")
            let endorsements = (0..<e.rowCount).map { i in
                RiskItemData.Endorsement(member: eMembers[i] ?? "", instrument: eInstruments[i] ?? "", ts: eTimes[i] ?? 0, item: Int(eItems[i] ?? 0))
            }
            let m = try DecodedResult(try await client.sql(
                "SELECT id, member, ts FROM message WHERE member IN (\(endorsing)) ORDER BY member, ts, id", label: operation))
            let mIDs = try m.strings("id"), mMembers = try m.strings("member"), mTimes = try m.integers("ts")
            let messages = (0..<m.rowCount).map { i in RiskItemData.Message(id: mIDs[i] ?? "", member: mMembers[i] ?? "", ts: mTimes[i] ?? 0) }
            let a = try DecodedResult(try await client.sql(
                "SELECT id, member, message, ts FROM alert WHERE model = :model AND member IN (\(endorsing)) ORDER BY member, ts, id",
                arguments: arguments, label: operation))
            let aIDs = try a.strings("id"), aMembers = try a.strings("member"), aMessages = try a.strings("message"), aTimes = try a.integers("ts")
            let alerts = (0..<a.rowCount).map { i in
                RiskItemData.Alert(id: aIDs[i] ?? "", member: aMembers[i] ?? "", message: aMessages[i] ?? "", ts: aTimes[i] ?? 0)
            }
            let r = try DecodedResult(try await client.sql("""
                SELECT r.alert, r.ts FROM response r JOIN alert a ON a.id = r.alert
                WHERE a.model = :model AND a.member IN (\(endorsing)) ORDER BY r.ts, r.alert
                """, arguments: arguments, label: operation))
            let rAlerts = try r.strings("alert"), rTimes = try r.integers("ts")
            let responses = (0..<r.rowCount).map { i in RiskItemData.Response(alert: rAlerts[i] ?? "", ts: rTimes[i] ?? 0) }
            return RiskItemData(reportedByInstrument: reported, endorsements: endorsements, messages: messages, alerts: alerts,
                                responses: responses, dataEnd: try await Self.dataEnd(client, operation))
        }
    }

    public func versions(ofModel model: String) throws -> [String] {
        try distinct("version", of: "score", model: model, "listing versions of \(model)")
    }

    /// The distinct values of `column` in `table` (rows of `model` only, when given), sorted as bytes.
    func distinct(_ column: String, of table: String, model: String? = nil, _ operation: String) throws -> [String] {
        let filter = model == nil ? "" : " WHERE model = :model"
        let arguments: [String: SparkLiteral] = model.map { ["model": .string($0)] } ?? [:]
        return try withSession(operation, tables: [table]) { client in
            try DecodedResult(try await client.sql("SELECT DISTINCT \(column) FROM \(table)\(filter) ORDER BY \(column)",
                                                   arguments: arguments, label: operation)).strings(column).map { $0 ?? "" }
        }
    }

    public func reviews(kind: String) throws -> [StoredReview] {
        try withSession("reading the reviews of \(kind)", tables: ["review"]) { client in
            try await Self.reviews(client, kind: kind, operation: "reading the reviews of \(kind)")
        }
    }

    public func reviewedScoreData(kind: String, model: String) throws -> ReviewedScoreData {
        let operation = "reading reviewed \(kind) scores of \(model)"
        return try once("reviewed scores\u{0}\(kind)\u{0}\(model)", operation, tables: ["review", "score", "message", "alert"]) { client in
            let reviews = try await Self.reviews(client, kind: kind, operation: operation)
            // Driven from the reviewed messages, as the embedded store does; (version, message) is a key of a model's scores.
            let s = try DecodedResult(try await client.sql("""
                SELECT s.message, s.version, s.score, s.ts, m.member, m.space
                FROM (SELECT DISTINCT message FROM review WHERE kind = :kind) r
                JOIN score s ON s.message = r.message AND s.model = :model
                LEFT JOIN message m ON m.id = r.message
                ORDER BY s.version, s.message
                """, arguments: ["kind": .string(kind), "model": .string(model)], label: operation))
            let messages = try s.strings("message"), versions = try s.strings("version"), scores = try s.doubles("score")
            let times = try s.integers("ts"), members = try s.strings("member"), spaces = try s.strings("space")
            let scored = (0..<s.rowCount).map { i in
                ReviewedMessageScore(message: messages[i] ?? "", version: versions[i] ?? "", score: scores[i] ?? 0, scoredAt: times[i] ?? 0,
                                     member: members[i], space: spaces[i])
            }
            // The threshold most alerts of each version used; ties: the lower threshold (the first row per version).
            let t = try DecodedResult(try await client.sql("""
                SELECT version, threshold, count(*) AS n FROM alert WHERE model = :model GROUP BY version, threshold
                ORDER BY version, n DESC, threshold
                """, arguments: ["model": .string(model)], label: operation))
            var thresholds: [String: Double] = [:]
            for (version, threshold) in zip(try t.strings("version"), try t.doubles("threshold")) {
                if let version, let threshold, thresholds[version] == nil { thresholds[version] = threshold }
            }
            return ReviewedScoreData(reviews: reviews, scores: scored, alertThresholds: thresholds)
        }
    }

    /// Every review of `kind`, by message, time and reviewer role (the key of a kind's reviews), in a session where
    /// `review` is a view.
    static func reviews(_ client: SparkConnectClient, kind: String, operation: String) async throws -> [StoredReview] {
        let r = try DecodedResult(try await client.sql("""
            SELECT message, ts, positive, severity, weight, reviewer_role FROM review WHERE kind = :kind ORDER BY message, ts, reviewer_role
            """, arguments: ["kind": .string(kind)], label: operation))
        let messages = try r.strings("message"), times = try r.integers("ts"), positives = try r.integers("positive")
        let severities = try r.strings("severity"), weights = try r.doubles("weight"), roles = try r.strings("reviewer_role")
        return try (0..<r.rowCount).map { i in
            StoredReview(message: messages[i] ?? "", ts: times[i] ?? 0, positive: positives[i].map { $0 != 0 },
                         severity: try severities[i].map { try vocabulary($0, "review.severity", operation) as Severity },
                         weight: weights[i], reviewerRole: roles[i] ?? "")
        }
    }

    public func alertedVersions(ofModel model: String) throws -> [String] {
        let operation = "counting alerts of \(model) by version"
        return try withSession(operation, tables: ["alert"]) { client in
            try DecodedResult(try await client.sql(
                "SELECT version FROM alert WHERE model = :model GROUP BY version ORDER BY count(*) DESC, version",
                arguments: ["model": .string(model)], label: operation)).strings("version").map { $0 ?? "" }
        }
    }

    /// Answers about the scores, read by queries (`SparkScoreDistribution`): the scores stay in the warehouse.
    /// The count and time span of a version's scores are read once per source (the distribution, which holds the
    /// source, is not kept: the source would never go).
    public func versionScores(model: String, version: String) throws -> VersionScores {
        let summary = try cache.valueOnce("scores\u{0}\(model)\u{0}\(version)") {
            try SparkScoreDistribution.summary(source: self, model: model, version: version)
        }
        return .distribution(SparkScoreDistribution(source: self, model: model, version: version, summary: summary))
    }

    public func memberGroups(by attribute: String) throws -> [String: [String]] {
        precondition(!attribute.isEmpty && attribute.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }, "not a column name: \(attribute)")
        let operation = "reading members' \(attribute)"
        let (table, statement) = attribute == "condition"
            ? ("member_condition", "SELECT member, condition AS g FROM member_condition ORDER BY member, condition")
            : ("member", "SELECT member, \(attribute) AS g FROM member WHERE \(attribute) IS NOT NULL")
        return try withSession(operation, tables: [table]) { client in
            let rows = try DecodedResult(try await client.sql(statement, label: operation))
            var groups: [String: [String]] = [:]
            for (member, group) in zip(try rows.strings("member"), try rows.strings("g")) {
                guard let member, let group else { continue }
                groups[member, default: []].append(group)
            }
            return groups
        }
    }

    /// Counted in Spark: one row per version and day comes back. The day is the floor of the time over a day's
    /// microseconds, in integers (`pmod` makes the remainder of a time before 1970 non-negative).
    public func dailyCounts(of table: EventStore.ScoredTable, model: String) throws -> [String: [Int64: Int]] {
        let operation = "counting \(table.rawValue) rows of \(model) per day"
        return try withSession(operation, tables: [table.rawValue]) { client in
            let rows = try DecodedResult(try await client.sql("""
                SELECT version, (ts - pmod(ts, 86400000000)) div 86400000000 AS day, count(*) AS n
                FROM \(table.rawValue) WHERE model = :model GROUP BY 1, 2
                """, arguments: ["model": .string(model)], label: operation))
            var counts: [String: [Int64: Int]] = [:]
            for (version, (day, n)) in zip(try rows.strings("version"), zip(try rows.integers("day"), try rows.integers("n"))) {
                guard let version, let day, let n else { continue }
                counts[version, default: [:]][day] = Int(n)
            }
            return counts
        }
    }

    public func cohortMembers() throws -> [CohortMember] {
        let operation = "reading the cohort"
        return try withSession(operation, tables: ["member", "member_condition"]) { client in
            let c = try DecodedResult(try await client.sql("SELECT member, condition FROM member_condition ORDER BY member, condition", label: operation))
            var conditions: [String: [String]] = [:]
            for (member, condition) in zip(try c.strings("member"), try c.strings("condition")) {
                if let member, let condition { conditions[member, default: []].append(condition) }
            }
            let m = try DecodedResult(try await client.sql("""
                SELECT member, role, age_band, gender, region, resource_setting, research_consent FROM member ORDER BY member
                """, label: operation))
            let members = try m.strings("member"), roles = try m.strings("role"), ages = try m.strings("age_band")
            let genders = try m.strings("gender"), regions = try m.strings("region"), settings = try m.strings("resource_setting")
            let consents = try m.integers("research_consent")
            return (0..<m.rowCount).map { i in
                let id = members[i] ?? ""
                return CohortMember(member: id, role: roles[i] ?? "", ageBand: ages[i], gender: genders[i], region: regions[i],
                                    resourceSetting: settings[i], researchConsent: (consents[i] ?? 0) != 0, conditions: conditions[id] ?? [])
            }
        }
    }

    public func eventCounts() throws -> [EventType: Int] {
        let operation = "counting events"
        return try withSession(operation, tables: Self.eventTables) { client in
            let counts = EventType.allCases.map { "SELECT '\($0.rawValue)' AS t, count(*) AS n FROM \(SparkSQL.identifier($0.rawValue))" }
                .joined(separator: " UNION ALL ")
            let r = try DecodedResult(try await client.sql(counts, label: operation))
            var out: [EventType: Int] = [:]
            for (type, n) in zip(try r.strings("t"), try r.integers("n")) {
                if let type, let eventType = EventType(rawValue: type) { out[eventType] = Int(n ?? 0) }
            }
            return out
        }
    }

    /// The tables of every event type.
    static let eventTables = EventType.allCases.map(\.rawValue)

    /// The latest event time in any event table (0 when there are none), in a session where they are views.
    static func dataEnd(_ client: SparkConnectClient, _ operation: String) async throws -> Int64 {
        let latest = eventTables.map { "SELECT max(ts) AS t FROM \(SparkSQL.identifier($0))" }.joined(separator: " UNION ALL ")
        let result = try DecodedResult(try await client.sql("SELECT coalesce(max(t), 0) AS n FROM (\(latest)) latest", label: operation))
        return (try result.integers("n").first ?? nil) ?? 0
    }

    /// A closed-vocabulary value read back from the warehouse; one the log format does not know means the tables were
    /// written by something other than PeerLens's ingest.
    static func vocabulary<Value: RawRepresentable>(_ raw: String?, _ column: String, _ operation: String) throws -> Value where Value.RawValue == String {
        guard let raw, let value = Value(rawValue: raw) else {
            throw SparkEngineError.unexpectedValue(column: column, operation: operation)
        }
        return value
    }
}

/// What the Spark engine found wrong in the warehouse, or an ingest that met another (besides `SparkError`, the server's and the
/// connection's).
public enum SparkEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A column held a value PeerLens's ingest never writes (the value itself is not repeated).
    case unexpectedValue(column: String, operation: String)
    /// Another ingest claimed the same run id while `file` was ingested: one ingest at a time per warehouse.
    case concurrentIngest(file: String, run: Int64)
    /// The server has no PeerLens tables in `database`, neither in its catalog nor as files in its warehouse.
    case noWarehouse(url: String, database: String)

    public var description: String {
        switch self {
        case let .unexpectedValue(column, operation):
            "\(operation): the warehouse's \(column) holds a value PeerLens's ingest never writes; were its tables written by something else?"
        case let .concurrentIngest(file, run):
            "ingesting \(file) into Spark: another ingest claimed run \(run) at the same time; nothing of the file is visible. "
                + "Run one ingest at a time per warehouse, then ingest the file again"
        case let .noWarehouse(url, database):
            "no PeerLens tables in Spark database \(database) at \(url): run `peerlens ingest --engine \(url) --spark-database \(database) FILE…` first"
        }
    }
}

extension SparkEngineError: EngineFailure {}
extension SparkError: EngineFailure {}
