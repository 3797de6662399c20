import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// How to choose an alert threshold (`peerlens thresholds`). A message is flagged when score ≥ threshold.
public enum ThresholdPolicy: Sendable, Equatable, Codable {
    /// Maximum Youden J = sensitivity + specificity − 1.
    case youden
    /// The fewest alerts (highest threshold) that keep sensitivity ≥ the target.
    case minimumSensitivity(Double)
    /// The highest sensitivity (lowest threshold) whose alerts per day, over all scored messages, stay within
    /// the budget.
    case maximumAlertsPerDay(Double)
    /// Minimum expected cost: `missed` per missed positive, `falseAlarm` per false alert.
    case cost(missed: Double, falseAlarm: Double)
    /// A sensitivity floor within a capacity: the most sensitive threshold whose alerts per day stay within
    /// `maxAlertsPerDay`; the recommendation says whether it meets the floor `minimum` and, when it does not,
    /// shows the trade-off (the sensitivity reachable within capacity; the alerts per day the floor needs).
    case sensitivityWithinCapacity(minimum: Double, maxAlertsPerDay: Double)

    /// A sentence naming the policy, e.g. `sensitivity ≥ 0.9 with the fewest alerts`.
    public var description: String {
        switch self {
        case .youden: "maximum Youden J (sensitivity + specificity − 1)"
        case let .minimumSensitivity(s): "sensitivity ≥ \(s) with the fewest alerts"
        case let .maximumAlertsPerDay(n): "highest sensitivity within \(ThresholdTuning.format(n)) alerts per day"
        case let .cost(m, f): "minimum expected cost (a missed crisis costs \(m), a false alarm \(f))"
        case let .sensitivityWithinCapacity(s, n): "highest sensitivity within \(ThresholdTuning.format(n)) alerts per day, checked against a floor of \(s)"
        }
    }

    /// The policy in words under `assurance`: a sensitivity floor on the lower confidence bound says so.
    public func description(assurance: SensitivityAssurance, level: Double) -> String {
        guard assurance == .lower else { return description }
        let bound = "the lower \(Int((level * 100).rounded()))% confidence bound of sensitivity"
        switch self {
        case let .minimumSensitivity(s): return "\(bound) ≥ \(s) with the fewest alerts"
        case let .sensitivityWithinCapacity(s, n): return "highest sensitivity within \(ThresholdTuning.format(n)) alerts per day, checked against a floor of \(s) on \(bound)"
        default: return description
        }
    }

    /// The sensitivity floor of the policy, if it has one.
    public var sensitivityFloor: Double? {
        switch self {
        case let .minimumSensitivity(s), let .sensitivityWithinCapacity(s, _): s
        default: nil
        }
    }
}

/// What a sensitivity floor is checked against (`--assurance`).
public enum SensitivityAssurance: String, Sendable, Equatable, Codable, CaseIterable {
    /// The point estimate of sensitivity (the default).
    case point
    /// The lower bound of its confidence interval (Wilson for unweighted reviews, design-based otherwise): the
    /// floor then holds with the stated confidence, not only on average, which needs a lower threshold.
    case lower
}

/// Options of threshold tuning.
public struct ThresholdTuningOptions: Sendable {
    /// Model name in score events.
    public var model = "crisis"
    /// The version to tune (nil: the version with the most alerts, or the only version).
    public var version: String? = nil
    /// For graded reviews, severities at or above this are positive.
    public var positiveAt: Severity = .moderate
    /// The policy that picks the recommended threshold.
    public var policy: ThresholdPolicy = .youden
    /// The deployed threshold to compare with (nil: the threshold most of the version's alerts used).
    public var deployedThreshold: Double? = nil
    /// What a sensitivity floor applies to: the point estimate or the lower confidence bound.
    public var assurance: SensitivityAssurance = .point
    /// The declared responder rota (nil: none, and alerts per responder-hour are not computed).
    public var rota: ResponderRota? = nil
    /// Bootstrap replicates for the interval of the recommended threshold (0: none).
    public var replicates = 500
    /// Seed of the bootstrap.
    public var seed: UInt64 = 1
    /// Confidence level.
    public var level = 0.95
    /// Resampling unit of the design-based intervals (`member`: reviews of one member form a cluster).
    public var cluster: RiskEvaluationOptions.Cluster = .message
    /// How reviews become labels and weights (`--review-rule`, `--unweighted-reviews-weight`).
    public var reviews = ReviewLabelling()
    /// Creates default options.
    public init() {}
}

/// Workload and accuracy of one candidate threshold.
public struct ThresholdRow: Sendable, Equatable, Codable {
    /// The threshold (flagged when score ≥ it), exact.
    public let threshold: Double
    /// The threshold as printed: `--threshold <text>` flags the same scored and reviewed messages.
    public let thresholdText: ThresholdText
    /// Scored messages (reviewed or not) at or above the threshold, per day.
    public let alertsPerDay: Double
    /// Alerts per responder-hour: alerts per day ÷ the declared rota's responder-hours per day (nil without a
    /// declared rota).
    public let alertsPerResponderHour: Double?
    /// Estimated true alerts per day: estimated positives per day × sensitivity.
    public let trueAlertsPerDay: Double
    /// Estimated false alerts per day: alerts per day − true alerts per day (at least 0).
    public let falseAlertsPerDay: Double
    /// Estimated missed positives per week: estimated positives per week × (1 − sensitivity).
    public let missedPerWeek: Double
    /// Sensitivity on the reviewed messages (weighted when reviews carry weights).
    public let sensitivity: Estimate
    /// Positive predictive value on the reviewed messages (nil value when nothing reviewed is flagged).
    public let positivePredictiveValue: Estimate
    /// Specificity on the reviewed messages.
    public let specificity: Double?

    enum CodingKeys: String, CodingKey {
        case threshold, thresholdText = "threshold_text", alertsPerDay = "alerts_per_day", alertsPerResponderHour = "alerts_per_responder_hour"
        case trueAlertsPerDay = "true_alerts_per_day", falseAlertsPerDay = "false_alerts_per_day"
        case missedPerWeek = "missed_per_week", sensitivity, positivePredictiveValue = "ppv", specificity
    }
}

/// What moving from the deployed threshold to the recommended one changes.
public struct ThresholdChange: Sendable, Equatable, Codable {
    /// Change in alerts per day (recommended − deployed).
    public let alertsPerDay: Double
    /// Change in false alerts per day.
    public let falseAlertsPerDay: Double
    /// Change in missed positives per week.
    public let missedPerWeek: Double
    /// Change in sensitivity (proportion, not percentage points).
    public let sensitivity: Double
    /// Recommended alerts per day as a multiple of the deployed threshold's (nil when the deployed threshold
    /// raises none).
    public let alertsMultiple: Double?
    /// The change in words, e.g. `+14.0 alerts a day, −1.2 missed positives a week` (thousands grouped, no
    /// decimals from 1,000: `+10,742 alerts a day`).
    public let summary: String

    enum CodingKeys: String, CodingKey {
        case alertsPerDay = "alerts_per_day", falseAlertsPerDay = "false_alerts_per_day", missedPerWeek = "missed_per_week"
        case sensitivity, alertsMultiple = "alerts_multiple", summary
    }
}

/// The threshold a policy recommends.
public struct ThresholdRecommendation: Sendable, Equatable, Codable {
    /// The policy in words.
    public let policy: String
    /// The recommended threshold.
    public let threshold: Double
    /// Bootstrap percentile interval of the threshold the policy picks on resampled reviews (stratified by
    /// outcome); nil with `intervalNote` when no interval applies.
    public let lower: Double?
    /// Upper bound of that interval.
    public let upper: Double?
    /// The interval's bounds as printed (see `ThresholdRow.thresholdText`).
    public let lowerText: ThresholdText?
    /// The upper bound as printed.
    public let upperText: ThresholdText?
    /// How the interval was obtained, or why there is none.
    public let intervalNote: String
    /// Workload and accuracy at the recommended threshold.
    public let row: ThresholdRow
    /// The change versus the deployed threshold (nil when there is none).
    public let change: ThresholdChange?
    /// What a sensitivity floor was checked against.
    public let assurance: SensitivityAssurance
    /// Whether the recommended threshold meets the policy's sensitivity floor (nil for policies without one).
    public let floorMet: Bool?
    /// Under a floor within capacity that cannot be met: what capacity buys and what the floor needs.
    public let tradeOff: CapacityTradeOff?

    enum CodingKeys: String, CodingKey {
        case policy, threshold, lower, upper, lowerText = "lower_text", upperText = "upper_text", intervalNote = "interval_note", row, change, assurance, floorMet = "floor_met", tradeOff = "trade_off"
    }
}

/// The trade-off when a sensitivity floor cannot be met within an alert capacity.
public struct CapacityTradeOff: Sendable, Equatable, Codable {
    /// The floor.
    public let minimumSensitivity: Double
    /// The capacity, in alerts per day.
    public let maxAlertsPerDay: Double
    /// Sensitivity reachable within capacity (at the most sensitive threshold within it).
    public let sensitivityWithinCapacity: Estimate
    /// The highest threshold that meets the floor, with its workload (nil when no threshold meets it).
    public let floorRow: ThresholdRow?
    /// The trade-off in words.
    public let summary: String

    enum CodingKeys: String, CodingKey {
        case minimumSensitivity = "minimum_sensitivity", maxAlertsPerDay = "max_alerts_per_day"
        case sensitivityWithinCapacity = "sensitivity_within_capacity", floorRow = "floor_row", summary
    }
}

/// Threshold tuning with workload (issue 4, `peerlens thresholds`).
///
/// Accuracy comes from the human-reviewed messages (inverse-probability weighted when reviews carry sampling
/// weights); workload comes from every scored message. With P̂ = prevalence × scored messages (the estimated
/// positives in the period) and D days: alerts/day(t) = #{score ≥ t}/D, true alerts/day = P̂·sens(t)/D,
/// false alerts/day = alerts/day − true alerts/day, missed/week = 7·P̂·(1 − sens(t))/D.
public struct ThresholdTuning: Sendable, Equatable, Codable {
    /// Model and version tuned.
    public let model: String
    /// The version.
    public let version: String
    /// Reviewed messages and positives among them.
    public let reviewed: Int
    /// Positive reviews.
    public let positives: Int
    /// Whether accuracy figures are weighted by review sampling weights.
    public let weighted: Bool
    /// What the analysis assumes about how reviews were sampled, and what kind of intervals it gives.
    public let samplingNote: String
    /// The estimator, its assumption, the review rule and any assumed weights (`review_design`).
    public let reviewDesign: ReviewDesign
    /// Scored messages (the workload base) and the period they span, in days.
    public let scoredMessages: Int
    /// Days the scored messages span (or scored messages ÷ `--per-day`).
    public let days: Double
    /// Where the period came from: `score timestamps`, `per-day option` or `timestamp column`.
    public let periodSource: String
    /// Responder-hours on duty per day from the declared rota (nil without one: never inferred from responses).
    public let responderHoursPerDay: Double?
    /// The rota in words (`3 responders per shift, 24 hours a day`, `rota file rota.csv`), nil without one.
    public let responderSource: String?
    /// Estimated positives per week among all scored messages (prevalence × volume).
    public let estimatedPositivesPerWeek: Double
    /// The deployed threshold and where it came from (`alerts`, `option`).
    public let deployedThreshold: Double?
    /// `alerts` or `option`.
    public let deployedSource: String?
    /// Workload and accuracy at the deployed threshold.
    public let deployed: ThresholdRow?
    /// Whether every reviewed score lies in [0, 1]: the candidate grid and the printed precision follow the scale.
    public let scoresAreProbabilities: Bool
    /// Every candidate threshold (0.01 … 0.99 for probabilities; distinct values or quantiles otherwise).
    public let rows: [ThresholdRow]
    /// The policy's recommendation.
    public let recommendation: ThresholdRecommendation
    /// Decision-curve table at the threshold probabilities of `NetBenefit.lowPrevalenceGrid` (0.005 … 0.50,
    /// densest below 0.05), weighted when reviews are; empty for non-probability scores, whose thresholds are
    /// not risks and so cannot be read as the odds at which a false alert is worth a caught crisis.
    public let netBenefit: [NetBenefit]

    enum CodingKeys: String, CodingKey {
        case model, version, reviewed, positives, weighted, samplingNote = "sampling_note", reviewDesign = "review_design", scoredMessages = "scored_messages", days
        case periodSource = "period_source", responderHoursPerDay = "responder_hours_per_day", responderSource = "responder_source"
        case estimatedPositivesPerWeek = "estimated_positives_per_week", deployedThreshold = "deployed_threshold"
        case deployedSource = "deployed_source", deployed, scoresAreProbabilities = "scores_are_probabilities", rows, recommendation, netBenefit = "net_benefit"
    }
}

/// Message volume and staffing behind the workload figures.
struct Workload: Sendable {
    /// Every scored message of `model` `version`, read through `db` (a connection to `store`, such as a background
    /// one), sorted; the days they span; and the declared rota (`options.rota`; responder-hours are not inferred
    /// from response events, which show who answered, not who was on duty).
    static func read(_ store: EventStore, _ db: Database, model: String, version: String, options: ThresholdTuningOptions) throws -> Workload {
        Workload(.all(try store.scoreColumn(db, model: model, version: version)), options: options)
    }

    /// The scores of `model` `version` from `source`, and the rota.
    static func read(_ source: any EventSource, model: String, version: String, options: ThresholdTuningOptions) throws -> Workload {
        Workload(try source.versionScores(model: model, version: version), options: options)
    }

    /// The workload of `scores` (sorted here when they come as an array) under `options.rota`, over the days
    /// the scores span (at least an hour).
    init(_ scores: VersionScores, options: ThresholdTuningOptions) {
        switch scores {
        case .all(let column):
            self.scores = SortedScores(descending: ScoreSorting.descending(column.scores), firstTime: column.firstTime, lastTime: column.lastTime)
        case .distribution(let distribution):
            self.scores = distribution
        }
        days = max(Double((self.scores.lastTime ?? 0) - (self.scores.firstTime ?? 0)) / 86_400_000_000, 1.0 / 24)
        periodSource = "score timestamps"
        responderHoursPerDay = options.rota?.responderHoursPerDay
        responderSource = options.rota?.source
    }

    /// A workload of scores already sorted, over `days`.
    init(scores: any ScoreDistribution, days: Double, periodSource: String, responderHoursPerDay: Double?, responderSource: String?) {
        (self.scores, self.days, self.periodSource, self.responderHoursPerDay, self.responderSource)
            = (scores, days, periodSource, responderHoursPerDay, responderSource)
    }

    /// Every scored message's score.
    let scores: any ScoreDistribution
    /// Days the scores span.
    var days: Double
    var periodSource: String
    var responderHoursPerDay: Double?
    var responderSource: String?

    /// The largest scored message's score below t, or nil.
    func largestScore(below t: Double) throws -> Double? { try scores.largestScore(below: t) }

    /// Scored messages with score ≥ t.
    func flagged(atOrAbove t: Double) throws -> Int { try scores.flagged(atOrAbove: t) }
}

/// Scores sorted descending in memory: a `ScoreDistribution` answered by binary search.
struct SortedScores: ScoreDistribution {
    /// The scores, largest first.
    let descending: [Double]
    let firstTime: Int64?
    let lastTime: Int64?

    var count: Int { descending.count }

    func flagged(atOrAbove t: Double) -> Int {
        var lo = 0, hi = descending.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if descending[mid] >= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func largestScore(below t: Double) -> Double? {
        let i = flagged(atOrAbove: t)
        return i < descending.count ? descending[i] : nil
    }

    func score(atDescendingIndex index: Int) -> Double { descending[index] }

    func smallestScore(above value: Double) -> Double? {
        // The scores above `value` are a prefix; its last element is the smallest of them.
        var lo = 0, hi = descending.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if descending[mid] > value { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? descending[lo - 1] : nil
    }

    func prepare(thresholds: [Double]) {}
}

extension ThresholdTuning {
    /// Tunes the threshold of one version of `options.model` from the store.
    ///
    /// - Throws: `AnalysisError` for no reviewed scores, one outcome class, several versions and none chosen,
    ///   or a policy no threshold satisfies; `StatsError`/`StoreError` underneath.
    public static func tune(store source: any EventSource, options: ThresholdTuningOptions = ThresholdTuningOptions()) throws -> ThresholdTuning {
        var riskOptions = RiskEvaluationOptions()
        riskOptions.model = options.model
        riskOptions.positiveAt = options.positiveAt
        riskOptions.reviews = options.reviews
        if let v = options.version { riskOptions.versions = [v] }
        // Versions by alert volume: the most alerted one with reviews is the deployed one.
        let alertCounts = try source.alertedVersions(ofModel: options.model)
        // Reading and sorting every scored message of the likely version overlaps with loading the reviews (the
        // embedded store, on a second connection; another engine answers about the scores without sending them).
        let likely = options.version ?? alertCounts.first
        let store = source as? EventStore
        let background = store.flatMap { store in
            likely.map { v in store.readInBackground { db in try Workload.read(store, db, model: options.model, version: v, options: options) } }
        }
        let (byVersion, thresholds) = try RiskEvaluation.load(store: source, options: riskOptions)
        let version: String
        if let v = options.version {
            guard byVersion[v] != nil else { throw AnalysisError("\(options.model) \(v): no reviewed scores") }
            version = v
        } else if let deployed = alertCounts.first(where: { byVersion[$0] != nil }) {
            version = deployed
        } else if byVersion.count == 1 {
            version = byVersion.keys.first!
        } else {
            throw AnalysisError("\(options.model) has several versions (\(byVersion.keys.sorted().joined(separator: ", "))) and no alerts: give --version")
        }
        let workload = { () throws -> Workload in
            if let background, version == likely { return try background.value() }
            return try Workload.read(source, model: options.model, version: version, options: options)
        }
        let (deployed, deployedSource) = RiskSupport.operatingThreshold(option: options.deployedThreshold, alerts: thresholds[version])
        return try tune(byVersion[version]!, model: options.model, version: version, workload: workload,
                        deployed: deployed, deployedSource: deployedSource, options: options)
    }

    /// Tunes the threshold of exported predictions (`thresholds --predictions`). Workload needs the rate at
    /// which cases arrive: `perDay` cases per day, or the days the file's timestamps span (`days`). Cases are
    /// independent: `options.cluster` is not used (exported predictions have no members).
    ///
    /// - Throws: `AnalysisError` for one outcome class or an unsatisfiable policy.
    public static func tune(predictions: Predictions, name: String, perDay: Double?, days: Double?,
                            options given: ThresholdTuningOptions = ThresholdTuningOptions()) throws -> ThresholdTuning {
        var options = given
        options.cluster = .message
        let d = ReviewedScores(predictions)
        let n = Double(predictions.scores.count)
        let period = perDay.map { n / $0 } ?? days ?? n
        // Every case is both reviewed and scored: one sort serves the workload and the sweep of the reviews.
        let order = ScoreOrder(predictions.scores)
        let workload = Workload(scores: SortedScores(descending: order.sorted.reversed(), firstTime: nil, lastTime: nil), days: max(period, 1.0 / 24),
                                periodSource: perDay != nil ? "per-day option" : (days != nil ? "timestamp column" : "one case per day (no rate given)"),
                                responderHoursPerDay: options.rota?.responderHoursPerDay, responderSource: options.rota?.source)
        return try tune(d, model: name, version: "predictions", workload: { workload }, deployed: options.deployedThreshold,
                        deployedSource: options.deployedThreshold == nil ? nil : "option", options: options, order: order)
    }

    /// `workload` is called once, after the review-only work (the bootstrap of the recommended threshold), so
    /// that a workload read in the background overlaps with it.
    static func tune(_ d: ReviewedScores, model: String, version: String, workload workloadSource: () throws -> Workload, deployed: Double?,
                     deployedSource: String?, options: ThresholdTuningOptions, order: ScoreOrder? = nil) throws -> ThresholdTuning {
        let positives = d.labels.filter { $0 }.count
        guard positives > 0, positives < d.labels.count else {
            throw AnalysisError("\(model) \(version): all \(d.labels.count) reviewed messages are \(positives > 0 ? "positive" : "negative"); thresholds need both")
        }
        let weighted = d.anyWeight
        let weights: [Double]? = weighted ? d.weights : nil
        let positiveIndices = d.labels.indices.filter { d.labels[$0] }
        let design = IntervalDesign(d, cluster: options.cluster, level: options.level)
        // One sweep of the reviews (cumulative, possibly weighted, counts by descending score) serves the policy,
        // the rows of unweighted, unclustered reviews, the net-benefit curve and the printed thresholds.
        let fullSweep = try order.map { try ThresholdSweep(scores: d.scores, labels: d.labels, weights: weights, order: $0) }
            ?? ThresholdSweep(scores: d.scores, labels: d.labels, weights: weights)
        let reviewChoice = try chooseOnReviews(d, weights: weights, design: design, positiveIndices: positiveIndices, options: options,
                                               sweep: fullSweep)
        let workload = try workloadSource()
        var totalWeight = 0.0, positiveWeight = 0.0
        for i in d.labels.indices {
            let w = weights?[i] ?? 1
            totalWeight += w
            if d.labels[i] { positiveWeight += w }
        }
        let prevalence = positiveWeight / totalWeight
        let scored = workload.scores.count
        let positivesPerDay = prevalence * Double(scored) / workload.days
        let probabilities = d.scoresAreProbabilities
        let reviewedAscending = Array(fullSweep.thresholds.reversed())
        func largestReviewed(below t: Double) -> Double? {
            var lo = 0, hi = reviewedAscending.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if reviewedAscending[mid] < t { lo = mid + 1 } else { hi = mid }
            }
            return lo > 0 ? reviewedAscending[lo - 1] : nil
        }
        /// Printed so that it flags the same scored messages (workload) and reviewed messages (accuracy).
        func printed(_ t: Double) throws -> ThresholdText {
            let below = [try workload.largestScore(below: t), largestReviewed(below: t)].compactMap { $0 }.max()
            return ThresholdText.printed(t, above: below, minimumPlaces: probabilities ? 2 : 0)
        }
        func share(_ indices: [Int], _ hit: (Int) -> Bool) -> Estimate { design.share(indices, hit) }
        // Unweighted, unclustered reviews: a row's counts come from one sweep (cumulative counts by descending
        // score) by binary search, instead of a pass over the reviews per row.
        let sweep = design.simple ? fullSweep : nil
        func flaggedCounts(_ t: Double, _ sweep: ThresholdSweep) -> (tp: Int, fp: Int) {
            var lo = 0, hi = sweep.thresholds.count // first point whose threshold is below t
            while lo < hi { let mid = (lo + hi) / 2; if sweep.thresholds[mid] >= t { lo = mid + 1 } else { hi = mid } }
            return lo == 0 ? (0, 0) : (Int(sweep.truePositives[lo - 1].rounded()), Int(sweep.falsePositives[lo - 1].rounded()))
        }
        func row(_ t: Double) throws -> ThresholdRow {
            let sensitivity: Estimate, ppv: Estimate
            var fp = 0.0, negatives = 0.0
            if let sweep {
                let counts = flaggedCounts(t, sweep)
                sensitivity = design.share(hits: counts.tp, of: positives)
                ppv = design.share(hits: counts.tp, of: counts.tp + counts.fp)
                fp = Double(counts.fp)
                negatives = Double(d.labels.count - positives)
            } else {
                let flaggedIndices = d.scores.indices.filter { d.scores[$0] >= t }
                sensitivity = share(positiveIndices) { d.scores[$0] >= t }
                ppv = share(flaggedIndices) { d.labels[$0] }
                for i in d.labels.indices where !d.labels[i] {
                    let w = weights?[i] ?? 1
                    negatives += w
                    if d.scores[i] >= t { fp += w }
                }
            }
            let alertsPerDay = Double(try workload.flagged(atOrAbove: t)) / workload.days
            let sens = sensitivity.value ?? 0
            let trueAlerts = positivesPerDay * sens
            return ThresholdRow(threshold: t, thresholdText: try printed(t), alertsPerDay: alertsPerDay,
                                alertsPerResponderHour: workload.responderHoursPerDay.map { alertsPerDay / $0 },
                                trueAlertsPerDay: trueAlerts, falseAlertsPerDay: max(0, alertsPerDay - trueAlerts),
                                missedPerWeek: 7 * positivesPerDay * (1 - sens), sensitivity: sensitivity, positivePredictiveValue: ppv,
                                specificity: negatives > 0 ? 1 - fp / negatives : nil)
        }

        let candidates: [Double]
        if probabilities {
            candidates = (1...99).map { Double($0) / 100 }
        } else {
            let distinct = Array(Set(d.scores)).sorted()
            candidates = distinct.count <= 100 ? distinct
                : Array(Set((1...99).map { RiskEvaluation.quantile(distinct, Double($0) / 100) })).sorted()
        }
        // Every threshold asked about below but the budget's and the floor's: answered at once by an engine that queries.
        try workload.scores.prepare(thresholds: candidates + reviewedAscending + (deployed.map { [$0] } ?? []))
        let rows = try candidates.map(row)
        let deployedRow = try deployed.map(row)
        let recommendation = try recommend(reviewChoice, workload: workload, options: options, row: row, printed: printed, deployedRow: deployedRow) {
            floorThreshold(d, minimum: $0, assurance: options.assurance, design: design, positiveIndices: positiveIndices)
        }
        let netBenefit = probabilities
            ? try NetBenefit.curve(fullSweep, thresholds: NetBenefit.lowPrevalenceGrid) : []
        return ThresholdTuning(
            model: model, version: version, reviewed: d.labels.count, positives: positives, weighted: weighted,
            samplingNote: d.design.statement + (weighted ? "; intervals are design-based (linearised)" : ""), reviewDesign: d.design,
            scoredMessages: scored, days: workload.days, periodSource: workload.periodSource,
            responderHoursPerDay: workload.responderHoursPerDay, responderSource: workload.responderSource,
            estimatedPositivesPerWeek: 7 * positivesPerDay, deployedThreshold: deployed, deployedSource: deployedSource,
            deployed: deployedRow, scoresAreProbabilities: probabilities, rows: rows, recommendation: recommendation, netBenefit: netBenefit)
    }


    /// The threshold a review-based policy picks, with its bootstrap interval (nil under the alert-budget
    /// policies, whose threshold follows from message volume instead).
    static func chooseOnReviews(_ d: ReviewedScores, weights: [Double]?, design: IntervalDesign, positiveIndices: [Int],
                                options: ThresholdTuningOptions, sweep: ThresholdSweep? = nil) throws -> (threshold: Double, lower: Double?, upper: Double?, note: String)? {
        let rule: ThresholdRule
        switch options.policy {
        case .maximumAlertsPerDay, .sensitivityWithinCapacity: return nil
        case .youden: rule = .maxYouden
        case let .minimumSensitivity(s):
            guard options.assurance == .point else {
                guard let t = floorThreshold(d, minimum: s, assurance: .lower, design: design, positiveIndices: positiveIndices) else {
                    let best = design.share(positiveIndices) { _ in true }.lower ?? 0
                    throw AnalysisError("no threshold gives a lower \(Int((options.level * 100).rounded()))% confidence bound of sensitivity ≥ \(s): with "
                                        + "\(positiveIndices.count) positive reviews the bound reaches at most \(String(format: "%.3f", best)) (flagging every message)")
                }
                return (t, nil, nil, "none: the floor applies to the lower confidence bound of sensitivity, which already allows for the uncertainty of the reviews")
            }
            rule = .minimumSensitivity(s)
        case let .cost(m, f): rule = .minimumExpectedCost(costMissed: m, costFalseAlarm: f)
        }
        let chosen: ChosenThreshold
        do {
            chosen = try rule.apply(scores: d.scores, labels: d.labels, weights: weights, replicates: options.replicates,
                                    level: options.level, seed: options.seed, sweep: sweep)
        } catch {
            throw AnalysisError("no threshold satisfies \(options.policy.description) on the reviewed messages")
        }
        guard let b = chosen.interval else { return (chosen.threshold, nil, nil, "none: no bootstrap requested") }
        return (chosen.threshold, b.interval.lower, b.interval.upper,
                "bootstrap percentile over reviewed messages, stratified by outcome (\(b.replicates) replicates, \(b.failedReplicates) failed, seed \(b.seed))"
                    + (chosen.bootstrapCandidates.map { "; a large sample: each replicate resamples the counts of \($0) cells of the sorted scores, so the interval's ends are resolved to a cell (about 1/\(ThresholdRule.bootstrapCells) of the messages)" } ?? ""))
    }

    /// The highest threshold at which sensitivity — its point estimate, or the lower bound of its interval under
    /// `.lower` — reaches `minimum`, or nil when none does. Sensitivity changes only at positive reviews' scores,
    /// so the candidates are those scores. Both the estimate and the Wilson lower bound grow as the threshold
    /// falls (more positives flagged out of the same positives), so the first candidate from the top that
    /// reaches the floor is found by bisection; the design-based bound is monotone in the same way in practice,
    /// and the bisection's answer is checked to reach the floor.
    static func floorThreshold(_ d: ReviewedScores, minimum: Double, assurance: SensitivityAssurance, design: IntervalDesign,
                               positiveIndices: [Int]) -> Double? {
        let candidates = Array(Set(positiveIndices.map { d.scores[$0] })).sorted(by: >)
        func reaches(_ k: Int) -> Bool {
            let t = candidates[k]
            let e = design.share(positiveIndices) { d.scores[$0] >= t }
            let v = assurance == .lower ? e.lower : e.value
            return (v ?? 0) >= minimum - 1e-12
        }
        var lo = 0, hi = candidates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if reaches(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo < candidates.count && reaches(lo) ? candidates[lo] : nil
    }

    /// The lowest threshold whose alerts over every scored message stay within `budget` per day (ties at the
    /// boundary stay out).
    static func capacityThreshold(budget: Double, workload: Workload) throws -> Double {
        let s = workload.scores
        let allowed = Int((budget * workload.days).rounded(.down))
        guard allowed > 0, s.count > 0 else { throw AnalysisError("an alert budget of \(budget) per day allows no alerts over \(String(format: "%.1f", workload.days)) days") }
        if allowed >= s.count { return try s.score(atDescendingIndex: s.count - 1) }
        // The first message over budget (index `allowed`, descending) and every message tied with it stay out: the
        // threshold is the smallest score above its score.
        guard let threshold = try s.smallestScore(above: try s.score(atDescendingIndex: allowed)) else {
            throw AnalysisError("the highest score is shared by more messages than the budget allows")
        }
        return threshold
    }

    static func recommend(_ reviewChoice: (threshold: Double, lower: Double?, upper: Double?, note: String)?, workload: Workload,
                          options: ThresholdTuningOptions, row: (Double) throws -> ThresholdRow, printed: (Double) throws -> ThresholdText, deployedRow: ThresholdRow?,
                          floor: (Double) -> Double?) throws -> ThresholdRecommendation {
        let threshold: Double
        var lower: Double?, upper: Double?
        var note: String
        if let reviewChoice {
            (threshold, lower, upper, note) = reviewChoice
        } else {
            // Alert volume is counted on every scored message, not on the review sample.
            switch options.policy {
            case let .maximumAlertsPerDay(budget), let .sensitivityWithinCapacity(_, budget):
                threshold = try capacityThreshold(budget: budget, workload: workload)
            default: preconditionFailure("review-based policies choose on the reviews")
            }
            note = "none: under this policy the threshold follows from the observed message volume, not from the reviews"
        }
        let chosenRow = try row(threshold)
        func assured(_ e: Estimate) -> Double { (options.assurance == .lower ? e.lower : e.value) ?? 0 }
        var floorMet: Bool?
        var tradeOff: CapacityTradeOff?
        if let s = options.policy.sensitivityFloor {
            floorMet = assured(chosenRow.sensitivity) >= s - 1e-12
            if case let .sensitivityWithinCapacity(_, budget) = options.policy, floorMet == false {
                let floorRow = try floor(s).map(row)
                let bound = options.assurance == .lower ? "lower bound of sensitivity" : "sensitivity"
                let within = "within \(format(budget)) alerts per day the \(bound) reaches at most \(readable(100 * assured(chosenRow.sensitivity)))% (threshold \(chosenRow.thresholdText.text))"
                let needs = floorRow.map { "a \(bound) of \(readable(100 * s))% needs \(readable($0.alertsPerDay)) alerts per day (threshold \($0.thresholdText.text))" }
                    ?? "no threshold reaches a \(bound) of \(readable(100 * s))%"
                tradeOff = CapacityTradeOff(minimumSensitivity: s, maxAlertsPerDay: budget, sensitivityWithinCapacity: chosenRow.sensitivity,
                                            floorRow: floorRow, summary: "The floor cannot be met within capacity: \(within); \(needs).")
            }
        }
        var change: ThresholdChange?
        if let dep = deployedRow {
            let dA = chosenRow.alertsPerDay - dep.alertsPerDay, dM = chosenRow.missedPerWeek - dep.missedPerWeek
            func signed(_ x: Double) -> String { (x < 0 ? "−" : "+") + readable(abs(x)) }
            change = ThresholdChange(alertsPerDay: dA, falseAlertsPerDay: chosenRow.falseAlertsPerDay - dep.falseAlertsPerDay, missedPerWeek: dM,
                                     sensitivity: (chosenRow.sensitivity.value ?? 0) - (dep.sensitivity.value ?? 0),
                                     alertsMultiple: dep.alertsPerDay > 0 ? chosenRow.alertsPerDay / dep.alertsPerDay : nil,
                                     summary: "\(signed(dA)) alerts a day, \(signed(dM)) missed positives a week")
        }
        return ThresholdRecommendation(policy: options.policy.description(assurance: options.assurance, level: options.level), threshold: threshold,
                                       lower: lower, upper: upper, lowerText: try lower.map(printed), upperText: try upper.map(printed), intervalNote: note, row: chosenRow, change: change, assurance: options.assurance,
                                       floorMet: floorMet, tradeOff: tradeOff)
    }

    /// `x` for reading in a sentence: thousands grouped with `,`, one decimal below 1,000 and none from there
    /// (`184.6`, `10,742`), half away from zero.
    static func readable(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        let places = abs(x) >= 1000 ? 0 : 1
        let scaled = (abs(x) * (places == 1 ? 10 : 1)).rounded(.toNearestOrAwayFromZero)
        let integer = Int(places == 1 ? (scaled / 10).rounded(.down) : scaled)
        let digits = String(integer)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        if places == 1 { out += "." + String(Int(scaled) % 10) }
        return (x < 0 && scaled != 0 ? "−" : "") + out
    }

    /// A budget or floor as typed: `20`, `2.5`.
    static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
