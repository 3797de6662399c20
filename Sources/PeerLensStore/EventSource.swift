import GRDB
import PeerLensLog

/// What the commands that read events ask for, whichever engine holds them (issue 16): the embedded SQLite store
/// (`EventStore`) or a Spark warehouse (`SparkEventSource` in PeerLensSparkEngine).
///
/// Each requirement is a named query that returns Swift values in a documented order, so that the two engines
/// give equal results (the Spark parity tests compare them). The engine does the scanning and aggregating; the
/// statistics and disclosure control stay with the callers, unchanged. Errors are the engine's: `StoreError`
/// from SQLite, `SparkError` from Spark, each naming what was being read.
public protocol EventSource: Sendable {
    /// Where the events are, as the provenance names it: the store's path, or the engine's URL and database.
    var location: String { get }

    /// The engine as a publication's provenance options name it (`engine`): nil for the embedded store (the
    /// default, named by no option), `spark` for a Spark warehouse.
    var engineName: String? { get }

    /// Every committed ingest run, in run order.
    func ingestRuns() throws -> [IngestRun]

    /// The version of the engine's software that reads the events, by name, for the provenance: `sqlite` for the
    /// store, `spark` for a Spark warehouse.
    func engineVersions() throws -> [String: String]

    /// Records refused at ingest: newest run first, then by line; only run `run` when given; at most `limit`.
    func quarantine(run: Int64?, limit: Int) throws -> [QuarantineEntry]

    /// Every rule of `ReferentialCheck.rules`, in order, with how many rows break it and the first five keys
    /// (sorted as bytes) of those that do.
    func referentialProblems() throws -> [ReferentialProblem]

    /// The models with at least one score, sorted as bytes.
    func scoredModels() throws -> [String]

    /// The spaces with at least one message, sorted as bytes.
    func spaces() throws -> [String]

    /// What the moderation analysis reads (see `ModerationData`), with the scores of `model`'s most scored version.
    func moderationData(model: String) throws -> ModerationData

    /// The models with at least one alert, sorted as bytes.
    func alertedModels() throws -> [String]

    /// What the crisis-response analysis reads about the alerts of `model` (see `CrisisData`).
    func crisisData(model: String) throws -> CrisisData

    /// What the risk-item channel reads for alerts of `model` (see `RiskItemData`).
    func riskItemData(model: String) throws -> RiskItemData

    /// The versions of `model` with at least one score, sorted as bytes.
    func versions(ofModel model: String) throws -> [String]

    /// Every review of `kind`, by message, then time, then reviewer role.
    func reviews(kind: String) throws -> [StoredReview]

    /// What every evaluation of a review kind's model reads (see `ReviewedScoreData`): the reviews of `kind`, the
    /// scores of `model` on the reviewed messages by version then message, and each version's alert threshold.
    func reviewedScoreData(kind: String, model: String) throws -> ReviewedScoreData

    /// The versions of `model` that raised alerts, most alerts first (ties: by name).
    func alertedVersions(ofModel model: String) throws -> [String]

    /// Every score of `model` `version` (see `VersionScores`).
    func versionScores(model: String, version: String) throws -> VersionScores

    /// Each member's groups by `attribute`, for breakdowns (`risk --by`): `condition` gives a member's conditions
    /// (from `member_condition`, sorted as bytes); any other value names a column of `member` and gives the
    /// member's one value (members without one are left out). `attribute` is a plain identifier of ours, never
    /// user text.
    func memberGroups(by attribute: String) throws -> [String: [String]]

    /// Every member (sorted by pseudonym as bytes) with the attributes of a cohort table and their conditions
    /// (sorted as bytes).
    func cohortMembers() throws -> [CohortMember]

    /// Rows in each event table, by event type (every type, zero included).
    func eventCounts() throws -> [EventType: Int]

    /// How many rows of `table` (scores or alerts) `model` has per version and UTC day (`CalendarPeriod.day`):
    /// the volumes a drift analysis (`risk --over`) needs, counted where the rows are.
    func dailyCounts(of table: EventStore.ScoredTable, model: String) throws -> [String: [Int64: Int]]

    /// Calls `body` with every row of `read`, with the columns and in the order `read` documents.
    func forEachRow(of read: ResearchRead, _ body: (any ReadRow) throws -> Void) throws

    /// The instruments with at least one check-in, sorted as bytes.
    func instruments() throws -> [String]

    /// Whether there is a check-in of `instrument`.
    func hasCheckins(instrument: String) throws -> Bool

    /// The earliest and latest event time of the given event types (nil when they hold no events).
    func dataSpan(of types: [EventType]) throws -> (first: Int64, last: Int64)?

    /// What the impact figures read (see `ImpactData`): `model`'s alerts, the check-ins of `instruments`.
    func impactData(model: String, instruments: [String]) throws -> ImpactData

    /// Every member's community-health tallies per week (see `WeeklyHealthTallies`), with the data ending at
    /// `dataEnd` (µs since the epoch); per space too when `bySpace`. nil when there are no messages.
    func weeklyHealthTallies(dataEnd: Int64, bySpace: Bool) throws -> WeeklyHealthTallies?
}

extension EventStore: EventSource {
    /// The store's path.
    public var location: String { path }

    /// None: the embedded store is the default engine.
    public var engineName: String? { nil }

    /// SQLite's version, as linked at run time.
    public func engineVersions() throws -> [String: String] { ["sqlite": try sqliteVersion()] }

    /// `QuarantineEntry.list(in:run:limit:)` on this store.
    public func quarantine(run: Int64?, limit: Int) throws -> [QuarantineEntry] {
        try QuarantineEntry.list(in: self, run: run, limit: limit)
    }

    /// `ReferentialCheck.run(on:)` on this store.
    public func referentialProblems() throws -> [ReferentialProblem] {
        try ReferentialCheck.run(on: self)
    }

    /// The versions of `model` that raised alerts, most alerts first (ties: by name).
    public func alertedVersions(ofModel model: String) throws -> [String] {
        try read("counting alerts of \(model) by version") { db in
            try String.fetchAll(db, sql: "SELECT version FROM alert WHERE model = ? GROUP BY version ORDER BY count(*) DESC, version",
                                arguments: [model])
        }
    }

    /// Every score of `model` `version`, kept for the life of a read-only store (`scoreColumn`).
    public func versionScores(model: String, version: String) throws -> VersionScores {
        .all(try read("reading the scores of \(model) \(version)") { db in try scoreColumn(db, model: model, version: version) })
    }

    /// Each member's groups by `attribute` (`member_condition`, or a column of `member`).
    public func memberGroups(by attribute: String) throws -> [String: [String]] {
        precondition(!attribute.isEmpty && attribute.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }, "not a column name: \(attribute)")
        return try read("reading members' \(attribute)") { db in
            var groups: [String: [String]] = [:]
            if attribute == "condition" {
                for row in try Row.fetchAll(db, sql: "SELECT member, condition FROM member_condition ORDER BY member, condition") {
                    groups[row["member"], default: []].append(row["condition"])
                }
            } else {
                for row in try Row.fetchAll(db, sql: "SELECT member, \(attribute) AS g FROM member") {
                    if let group = row["g"] as String? { groups[row["member"]] = [group] }
                }
            }
            return groups
        }
    }

    /// The interaction graph (`EventStore.interactionGraph(from:)`) attributed in memory
    /// (`InteractionGraph.weeklyHealthTallies(dataEnd:bySpace:)`), kept for the life of a read-only store (the
    /// research and funder reports of one run share them).
    public func weeklyHealthTallies(dataEnd: Int64, bySpace: Bool) throws -> WeeklyHealthTallies? {
        try memoized("weekly health tallies \(dataEnd) \(bySpace)") {
            try Self.interactionGraph(from: self).weeklyHealthTallies(dataEnd: dataEnd, bySpace: bySpace)
        }
    }

    /// Rows of `table` of `model` per version and day, from one scan in storage order (`dailyCounts(_:table:model:)`).
    public func dailyCounts(of table: ScoredTable, model: String) throws -> [String: [Int64: Int]] {
        try read("counting \(table.rawValue) rows of \(model) per day") { db in try Self.dailyCounts(db, table: table, model: model) }
    }
}

/// Every score of one model version, as the threshold analysis asks about it: how many there are and when, how
/// many score at or above a threshold, the largest below it, and the k-th largest. The embedded store answers
/// from a sorted array in memory; another engine answers by queries, without sending the scores.
public protocol ScoreDistribution: Sendable {
    /// Scored messages.
    var count: Int { get }
    /// The earliest score time (microseconds since the epoch); nil when there are no scores.
    var firstTime: Int64? { get }
    /// The latest score time; nil when there are no scores.
    var lastTime: Int64? { get }
    /// Scored messages with score ≥ `t`.
    func flagged(atOrAbove t: Double) throws -> Int
    /// The largest score below `t`; nil when none is.
    func largestScore(below t: Double) throws -> Double?
    /// The score at `index` (0-based) in descending order: 0 is the largest; `index` < `count`.
    func score(atDescendingIndex index: Int) throws -> Double
    /// The smallest score above `value`; nil when none is.
    func smallestScore(above value: Double) throws -> Double?
    /// Gets ready to answer `flagged(atOrAbove:)` and `largestScore(below:)` for each of `thresholds` (an engine
    /// that queries answers them all in one round trip; an array in memory has nothing to do). Other thresholds
    /// can still be asked about.
    func prepare(thresholds: [Double]) throws
}

/// The scores of one model version as an event source gives them (`EventSource.versionScores(model:version:)`).
public enum VersionScores: Sendable {
    /// Every score, in storage order, with its time span (the embedded store: the caller sorts them).
    case all(ScoreColumn)
    /// Answers about the scores, from an engine that keeps them (`ScoreDistribution`).
    case distribution(any ScoreDistribution)
}
