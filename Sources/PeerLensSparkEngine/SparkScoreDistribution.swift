import PeerLensSpark
import PeerLensStore
import Synchronization

/// Every score of one model version in a Spark warehouse, answered by queries without sending the scores
/// (`ScoreDistribution`): each answer is kept, and `prepare(thresholds:)` answers many thresholds in one query.
final class SparkScoreDistribution: ScoreDistribution {
    let count: Int
    let firstTime: Int64?
    let lastTime: Int64?
    private let source: SparkEventSource
    private let model: String
    private let version: String
    /// Answers so far: scores at or above each threshold, and the largest score below it (nil: none).
    private let answers = Mutex<(flagged: [Double: Int], below: [Double: Double?])>(([:], [:]))

    /// How many scores a version has and the time span they cover.
    struct Summary: Sendable {
        /// Scored messages.
        let count: Int
        /// The earliest and latest score time; nil when there are no scores.
        let firstTime: Int64?, lastTime: Int64?
    }

    /// The scores of `model` `version` in `source`'s warehouse, whose count and time span `summary` gives.
    init(source: SparkEventSource, model: String, version: String, summary: Summary) {
        (self.source, self.model, self.version) = (source, model, version)
        (count, firstTime, lastTime) = (summary.count, summary.firstTime, summary.lastTime)
    }

    /// Reads the count and time span of the scores of `model` `version` in `source`'s warehouse.
    ///
    /// - Throws: `SparkError`.
    static func summary(source: SparkEventSource, model: String, version: String) throws -> Summary {
        let operation = "reading the scores of \(model) \(version)"
        let summary = try source.withSession(operation, tables: ["score"]) { client in
            try DecodedResult(try await client.sql(
                "SELECT count(*) AS n, min(ts) AS first, max(ts) AS last FROM score WHERE model = :model AND version = :version",
                arguments: ["model": .string(model), "version": .string(version)], label: operation))
        }
        return Summary(count: Int((try summary.integers("n").first ?? nil) ?? 0),
                       firstTime: try summary.integers("first").first ?? nil, lastTime: try summary.integers("last").first ?? nil)
    }

    func flagged(atOrAbove t: Double) throws -> Int {
        if let answer = answers.withLock({ $0.flagged[t] }) { return answer }
        try prepare(thresholds: [t])
        return answers.withLock { $0.flagged[t] ?? 0 }
    }

    func largestScore(below t: Double) throws -> Double? {
        if let answer = answers.withLock({ $0.below[t] }) { return answer }
        try prepare(thresholds: [t])
        return answers.withLock { $0.below[t] ?? nil }
    }

    /// The largest and the smallest score are aggregates; any other rank is read off a running count over the
    /// version's distinct scores (descending), which Spark sorts and spills like any window. `ORDER BY … LIMIT 1
    /// OFFSET k` would be shorter, but Spark keeps the top k + 1 rows of a single partition in memory for it:
    /// an executor ran out of memory so at 57 million scores.
    func score(atDescendingIndex index: Int) throws -> Double {
        precondition(index >= 0 && index < count, "score index \(index) outside 0..<\(count)")
        let operation = "reading the scores of \(model) \(version)"
        let (model, version) = (self.model, self.version)
        var arguments: [String: SparkLiteral] = ["model": .string(model), "version": .string(version)]
        let statement: String
        switch index {
        case 0: statement = "SELECT max(score) AS score FROM score WHERE model = :model AND version = :version"
        case count - 1: statement = "SELECT min(score) AS score FROM score WHERE model = :model AND version = :version"
        default:
            statement = """
            SELECT v AS score FROM (
                SELECT v, c, sum(c) OVER (ORDER BY v DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS through
                FROM (SELECT score AS v, count(*) AS c FROM score WHERE model = :model AND version = :version GROUP BY score) d
            ) w WHERE through > :index AND through - c <= :index
            """
            arguments["index"] = .int64(Int64(index))
        }
        let result = try source.withSession(operation, tables: ["score"]) { [arguments] client in
            try DecodedResult(try await client.sql(statement, arguments: arguments, label: operation))
        }
        guard let score = try result.doubles("score").first ?? nil, result.rowCount == 1 else {
            throw SparkEngineError.unexpectedValue(column: "score.score", operation: operation)
        }
        return score
    }

    func smallestScore(above value: Double) throws -> Double? {
        let operation = "reading the scores of \(model) \(version)"
        let (model, version) = (self.model, self.version)
        let result = try source.withSession(operation, tables: ["score"]) { client in
            try DecodedResult(try await client.sql(
                "SELECT min(score) AS s FROM score WHERE model = :model AND version = :version AND score > :value",
                arguments: ["model": .string(model), "version": .string(version), "value": .double(value)], label: operation))
        }
        return try result.doubles("s").first ?? nil
    }

    /// Answers every threshold not answered yet in one query: the thresholds go up as rows, are merged with the
    /// version's distinct scores (with their counts), and two running aggregates read off each threshold's row
    /// the scores at or above it (descending, a score before a threshold of the same value) and the largest score
    /// below it (ascending, a threshold before a score of the same value).
    func prepare(thresholds: [Double]) throws {
        let missing = answers.withLock { known in Set(thresholds).filter { known.flagged[$0] == nil } }.sorted()
        guard !missing.isEmpty else { return }
        var rows = ArrowRows(columns: [.init(name: "t", type: .real, nullable: false)])
        for t in missing { rows.append(values: [t]) }
        let upload = try rows.arrowStream()
        let operation = "counting the scores of \(model) \(version) at \(missing.count) thresholds"
        let (model, version) = (self.model, self.version)
        let result = try source.withSession(operation, tables: ["score"]) { client in
            try await client.createTemporaryView("peerlens_thresholds", arrowStream: upload, label: operation)
            return try DecodedResult(try await client.sql("""
                SELECT v AS t, flagged, below FROM (
                    SELECT v, is_t,
                        sum(c) OVER (ORDER BY v DESC, is_t ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS flagged,
                        max(CASE WHEN is_t = 0 THEN v END) OVER (ORDER BY v ASC, is_t DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS below
                    FROM (
                        SELECT score AS v, count(*) AS c, 0 AS is_t FROM score WHERE model = :model AND version = :version GROUP BY score
                        UNION ALL
                        SELECT t AS v, CAST(0 AS BIGINT) AS c, 1 AS is_t FROM peerlens_thresholds
                    ) u
                ) w WHERE is_t = 1
                """, arguments: ["model": .string(model), "version": .string(version)], label: operation))
        }
        let ts = try result.doubles("t"), flagged = try result.integers("flagged"), below = try result.doubles("below")
        guard ts.count == missing.count else {
            throw SparkEngineError.unexpectedValue(column: "the threshold counts", operation: operation)
        }
        answers.withLock { known in
            for i in ts.indices {
                guard let t = ts[i] else { continue }
                known.flagged[t] = Int(flagged[i] ?? 0)
                known.below[t] = .some(below[i])
            }
        }
    }
}
