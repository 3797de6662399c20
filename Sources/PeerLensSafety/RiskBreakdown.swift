import Foundation
import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// A member or message attribute to break a risk evaluation down by (`risk --by`).
public enum RiskSubgroup: String, Sendable, Codable, CaseIterable {
    case language, region, culture, gender, condition, space
    case ageBand = "age_band", resourceSetting = "resource_setting"
}

/// The period of a drift analysis (`risk --over`): ISO weeks starting on Monday, or calendar months (UTC).
public typealias DriftPeriod = CalendarPeriod

/// One subgroup of a breakdown: its evaluation, or why there is none.
public struct SubgroupRow: Sendable, Equatable, Codable {
    /// The group's value of the attribute (`(not recorded)` when members did not say).
    public let group: String
    /// Reviewed messages (the real counts: disclosure control is the document policy's).
    public let reviewed: Int
    /// Positive reviews in the group.
    public let positives: Int
    /// Distinct members whose messages are in the group.
    public let members: Int
    /// The full evaluation (nil when it cannot be estimated; `notEvaluable` says why).
    public let evaluation: RiskEvaluation?
    /// Why the group cannot be evaluated (`fewer than 10 positives`), if it cannot.
    public let notEvaluable: String?

    enum CodingKeys: String, CodingKey { case group, reviewed, positives, members, evaluation, notEvaluable = "not_evaluable" }
}

/// The largest gap between a subgroup and the overall figure for one measure, and the tests behind it.
public struct DisparityRow: Sendable, Equatable, Codable {
    /// `false_positive_rate`, `false_negative_rate` or `calibration_slope`.
    public let measure: String
    /// The overall figure.
    public let overall: Double?
    /// The group furthest from the overall figure (nil when no group could be tested).
    public let group: String?
    /// That group's figure.
    public let value: Double?
    /// Group − overall.
    public let gapVersusOverall: Double?
    /// Group − rest of the population, with its Wald interval (design-based SEs for rates; the SE implied by
    /// each slope's interval for calibration slopes).
    public let gapVersusRest: Estimate?
    /// Holm-adjusted p-value of that group's test against the rest (adjusted over every tested group).
    public let holmP: Double?
    /// Every tested group: `{group, value, gap_versus_rest, p, holm_p}`.
    public let tests: [GroupTest]

    /// One group's test against the rest of the population.
    public struct GroupTest: Sendable, Equatable, Codable {
        /// The group.
        public let group: String
        /// The group's figure.
        public let value: Double
        /// Group − rest with its interval.
        public let gapVersusRest: Estimate
        /// Unadjusted two-sided p-value.
        public let p: Double
        /// Holm-adjusted p-value.
        public let holmP: Double

        enum CodingKeys: String, CodingKey { case group, value, gapVersusRest = "gap_versus_rest", p, holmP = "holm_p" }
    }

    enum CodingKeys: String, CodingKey {
        case measure, overall, group, value, gapVersusOverall = "gap_versus_overall", gapVersusRest = "gap_versus_rest", holmP = "holm_p", tests
    }
}

/// A risk evaluation broken down by subgroup, with a disparity summary (`peerlens risk --by`).
public struct SubgroupAnalysis: Sendable, Equatable, Codable {
    /// Model and version.
    public let model: String
    /// The version.
    public let version: String
    /// The attribute.
    public let by: RiskSubgroup
    /// Groups with fewer positives than this are not evaluated (evaluability, not disclosure control).
    public let minimumPositives: Int
    /// The evaluation over every group together.
    public let overall: RiskEvaluation
    /// Groups, largest first, each with its real counts.
    public let groups: [SubgroupRow]
    /// Largest gaps in FPR, FNR and calibration slope.
    public let disparities: [DisparityRow]
    /// How to read it (multi-valued attributes, tests).
    public let note: String

    enum CodingKeys: String, CodingKey { case model, version, by, minimumPositives = "minimum_positives", overall, groups, disparities, note }
}

/// One period of a drift analysis.
public struct DriftRow: Sendable, Equatable, Codable {
    /// The period label (a week's Monday, or a month).
    public let period: String
    /// Reviewed messages in the period.
    public let reviewed: Int
    /// Positive reviews.
    public let positives: Int
    /// Why the period's review-based estimates cannot be computed (`fewer than 10 positives`), if they
    /// cannot; the alert rate, from all scored messages, is still there.
    public let notEvaluable: String?
    /// AUC (nil when the period has one class or too few positives).
    public let auc: Estimate
    /// Calibration-in-the-large (logistic intercept with logit(score) as offset; 0 is ideal).
    public let calibrationIntercept: Estimate
    /// Share of scored messages that raised an alert.
    public let alertRate: Estimate
    /// Measures whose interval excludes the reference period's estimate: `auc`, `calibration_intercept`, `alert_rate`.
    public let flags: [String]

    enum CodingKeys: String, CodingKey {
        case period, reviewed, positives, notEvaluable = "not_evaluable", auc, calibrationIntercept = "calibration_intercept", alertRate = "alert_rate", flags
    }
}

/// Drift of one version over time (`peerlens risk --over`).
public struct DriftAnalysis: Sendable, Equatable, Codable {
    /// Model and version.
    public let model: String
    /// The version.
    public let version: String
    /// `week` or `month`.
    public let over: DriftPeriod
    /// Periods with fewer positives than this have no review-based estimates (evaluability).
    public let minimumPositives: Int
    /// Whether the version raised alerts (otherwise there is no alert rate).
    public let hasAlerts: Bool
    /// The reference period (the first with an evaluable AUC).
    public let reference: String?
    /// Periods in time order.
    public let periods: [DriftRow]

    enum CodingKeys: String, CodingKey {
        case model, version, over, minimumPositives = "minimum_positives", hasAlerts = "has_alerts", reference, periods
    }
}

/// `risk --by` and `risk --over` from one read of the store (`peerlens risk --by … --over …`).
public struct RiskBreakdown: Sendable, Equatable, Codable {
    /// Per-subgroup evaluations, when `options.by` is set.
    public let subgroups: [SubgroupAnalysis]?
    /// Drift over time, when `options.over` is set.
    public let drift: [DriftAnalysis]?

    /// Runs the breakdowns `options.by` and `options.over` ask for (at least one must be set). The reviews are
    /// loaded once for both, and the daily message volumes that drift needs (a scan of every scored message)
    /// are read on a second connection while the subgroups are evaluated.
    ///
    /// - Throws: as `SubgroupAnalysis.analyse` and `DriftAnalysis.analyse`.
    public static func analyse(store: any EventSource, options: RiskEvaluationOptions) throws -> RiskBreakdown {
        precondition(options.by != nil || options.over != nil, "RiskBreakdown needs options.by or options.over")
        let model = options.model
        // The embedded store scans the volumes on a second connection meanwhile; another engine counts them itself.
        let volumes: (() throws -> DriftAnalysis.DailyVolumes)? = options.over.map { _ in
            if let local = store as? EventStore {
                let read = local.readInBackground { db in try DriftAnalysis.DailyVolumes.read(db, model: model) }
                return { try read.value() }
            }
            return { try DriftAnalysis.DailyVolumes(scored: store.dailyCounts(of: .score, model: model),
                                                    alerts: store.dailyCounts(of: .alert, model: model)) }
        }
        let reviews = try LoadedReviews.load(store: store, options: options)
        let subgroups = try options.by.map { _ in try SubgroupAnalysis.analyse(store: store, options: options, reviews: reviews) }
        let drift = try volumes.map { try DriftAnalysis.analyse(options: options, reviews: reviews, volumes: try $0()) }
        return RiskBreakdown(subgroups: subgroups, drift: drift)
    }
}

extension SubgroupAnalysis {
    /// Breaks each version's evaluation down by `options.by` (which must be set).
    ///
    /// A message counts in its author's group (for `space`, its space). Members with several conditions count
    /// in each. Groups with fewer than `options.minimumPositives` positives are not evaluated; every group
    /// keeps its real counts (disclosure control is the document policy's).
    ///
    /// - Throws: as `RiskEvaluation.evaluate`.
    public static func analyse(store: any EventSource, options: RiskEvaluationOptions) throws -> [SubgroupAnalysis] {
        try analyse(store: store, options: options, reviews: LoadedReviews.load(store: store, options: options))
    }

    /// As `analyse(store:options:)`, on reviews already loaded with the same options.
    public static func analyse(store: any EventSource, options: RiskEvaluationOptions, reviews: LoadedReviews) throws -> [SubgroupAnalysis] {
        guard let by = options.by else { preconditionFailure("SubgroupAnalysis needs options.by") }
        let (byVersion, thresholds) = (reviews.byVersion, reviews.thresholds)
        let memberGroups = by == .space ? [:] : try store.memberGroups(by: by.rawValue)
        return try byVersion.keys.sorted().map { version in
            let d = byVersion[version]!
            let (threshold, source) = RiskSupport.operatingThreshold(option: options.threshold, alerts: thresholds[version])
            var indices: [String: [Int]] = [:]
            for i in d.labels.indices {
                let groups = by == .space ? [d.spaces[i]] : (memberGroups[d.members[i]] ?? [by == .condition ? "(none recorded)" : "(not recorded)"])
                for g in groups { indices[g, default: []].append(i) }
            }
            let overall = try RiskEvaluation.evaluate(d, model: options.model, version: version, threshold: threshold, source: source, options: options)
            var rows: [SubgroupRow] = []
            var evaluated: [(group: String, idx: [Int], evaluation: RiskEvaluation)] = []
            for (group, idx) in indices.sorted(by: { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }) {
                let positives = idx.filter { d.labels[$0] }.count
                let members = Set(idx.map { d.members[$0] }).count
                guard positives >= options.minimumPositives else {
                    rows.append(SubgroupRow(group: group, reviewed: idx.count, positives: positives, members: members, evaluation: nil,
                                            notEvaluable: "fewer than \(options.minimumPositives) positives"))
                    continue
                }
                let sub = d.subset(idx)
                do {
                    let e = try RiskEvaluation.evaluate(sub, model: options.model, version: version, threshold: threshold, source: source, options: options)
                    rows.append(SubgroupRow(group: group, reviewed: idx.count, positives: positives, members: members, evaluation: e, notEvaluable: nil))
                    evaluated.append((group, idx, e))
                } catch {
                    rows.append(SubgroupRow(group: group, reviewed: idx.count, positives: positives, members: members, evaluation: nil,
                                            notEvaluable: "\(error)"))
                }
            }
            let disparities = try disparity(d, overall: overall, groups: evaluated, threshold: threshold, options: options)
            return SubgroupAnalysis(
                model: options.model, version: version, by: by, minimumPositives: options.minimumPositives, overall: overall, groups: rows,
                disparities: disparities,
                note: (by == .condition ? "members with several conditions count in each; " : "")
                    + "gaps are tested against the rest of the population (Wald, Holm-adjusted over the tested groups)")
        }
    }

    /// FPR, FNR and calibration-slope gaps of each evaluated group against the rest.
    static func disparity(_ d: ReviewedScores, overall: RiskEvaluation, groups: [(group: String, idx: [Int], evaluation: RiskEvaluation)],
                          threshold: Double?, options: RiskEvaluationOptions) throws -> [DisparityRow] {
        let weights = d.anyWeight ? d.weights : Array(repeating: 1.0, count: d.labels.count)
        let clusters: [Int]? = options.cluster == .member ? RiskSupport.denseIDs(d.members) : nil
        let z = StandardNormal.z(forLevel: options.level)
        func rate(_ idx: [Int], flaggedCounts: Bool, threshold t: Double) -> WeightedProportion? {
            // FPR among negatives (flagged), FNR among positives (not flagged).
            let cases = idx.filter { d.labels[$0] == !flaggedCounts }
            guard cases.count >= 2 else { return nil }
            return try? WeightedProportion(outcomes: cases.map { flaggedCounts ? d.scores[$0] >= t : d.scores[$0] < t },
                                           weights: cases.map { weights[$0] }, clusters: clusters.map { c in cases.map { c[$0] } }, level: options.level)
        }
        // Each group's complement, computed once for the three measures.
        let rests = groups.map { g -> [Int] in
            let inGroup = Set(g.idx)
            return d.labels.indices.filter { !inGroup.contains($0) }
        }
        var out: [DisparityRow] = []
        func summarise(_ measure: String, overallValue: Double?, _ tests: [(group: String, value: Double, test: DifferenceTest)]) throws {
            guard !tests.isEmpty, let overallValue else {
                out.append(DisparityRow(measure: measure, overall: overallValue, group: nil, value: nil, gapVersusOverall: nil, gapVersusRest: nil, holmP: nil, tests: []))
                return
            }
            let holm = try MultipleTesting.holm(tests.map(\.test.pValue))
            let rows = tests.enumerated().map { k, t in
                DisparityRow.GroupTest(group: t.group, value: t.value,
                                       gapVersusRest: Estimate(value: t.test.difference, lower: t.test.interval.lower, upper: t.test.interval.upper, interval: "wald"),
                                       p: t.test.pValue, holmP: holm[k])
            }
            let worst = rows.max { abs($0.value - overallValue) < abs($1.value - overallValue) }!
            out.append(DisparityRow(measure: measure, overall: overallValue, group: worst.group, value: worst.value,
                                    gapVersusOverall: worst.value - overallValue, gapVersusRest: worst.gapVersusRest, holmP: worst.holmP, tests: rows))
        }
        if let t = threshold {
            for (measure, flagged, overallValue) in [("false_positive_rate", true, overall.falsePositiveRate?.value),
                                                     ("false_negative_rate", false, overall.sensitivity?.complement.value)] {
                var tests: [(String, Double, DifferenceTest)] = []
                for (g, others) in zip(groups, rests) {
                    guard let a = rate(g.idx, flaggedCounts: flagged, threshold: t), let b = rate(others, flaggedCounts: flagged, threshold: t),
                          let test = try? DifferenceTest(a: a.estimate, standardErrorA: a.standardError, b: b.estimate, standardErrorB: b.standardError, level: options.level)
                    else { continue }
                    tests.append((g.group, a.estimate, test))
                }
                try summarise(measure, overallValue: overallValue, tests)
            }
        }
        if d.scoresAreProbabilities {
            var tests: [(String, Double, DifferenceTest)] = []
            for (g, others) in zip(groups, rests) {
                let slope = g.evaluation.calibrationSlope
                guard let value = slope.value, let lower = slope.lower, let upper = slope.upper, others.count > 2,
                      let restFit = try? Calibration.slope(predictions: others.map { d.scores[$0] }, outcomes: others.map { d.labels[$0] },
                                                           weights: d.anyWeight ? others.map { d.weights[$0] } : nil,
                                                           clusters: clusters.map { c in others.map { c[$0] } },
                                                           designBased: d.anyWeight || clusters != nil, level: options.level),
                      let test = try? DifferenceTest(a: value, standardErrorA: (upper - lower) / (2 * z), b: restFit.slope,
                                                     standardErrorB: (restFit.interval.upper - restFit.interval.lower) / (2 * z), level: options.level)
                else { continue }
                tests.append((g.group, value, test))
            }
            try summarise("calibration_slope", overallValue: overall.calibrationSlope.value, tests)
        }
        return out
    }
}

extension ReviewedScores {
    /// The cases at `indices`, in that order.
    func subset(_ indices: [Int]) -> ReviewedScores {
        var s = ReviewedScores()
        s.anyWeight = anyWeight
        s.design = design
        for i in indices {
            s.scores.append(scores[i]); s.labels.append(labels[i])
            // Exported predictions carry no weights, members, messages, spaces or times (empty arrays).
            if !weights.isEmpty { s.weights.append(weights[i]) }
            if !members.isEmpty { s.members.append(members[i]) }
            if !messages.isEmpty { s.messages.append(messages[i]); s.spaces.append(spaces[i]); s.times.append(times[i]) }
        }
        return s
    }
}

extension DriftAnalysis {
    /// Tracks AUC, calibration-in-the-large and the alert rate of each version over `options.over` periods
    /// (which must be set). Reviews are assigned to the period in which the message was scored. Periods with
    /// fewer positives than `options.minimumPositives` have no review-based estimates (evaluability;
    /// their counts are kept); versions without alerts have no alert rate. The
    /// reference period is the first one whose AUC can be computed; a period is flagged for a measure when
    /// its interval excludes the reference period's estimate. Intervals: DeLong (AUC) and Wald (intercept)
    /// for unweighted, unclustered reviews, design-based (linearised AUC, sandwich intercept) otherwise;
    /// Wilson for the alert rate.
    ///
    /// - Throws: as `RiskEvaluation.evaluate`.
    public static func analyse(store: any EventSource, options: RiskEvaluationOptions) throws -> [DriftAnalysis] {
        let volumes = DailyVolumes(scored: try store.dailyCounts(of: .score, model: options.model),
                                   alerts: try store.dailyCounts(of: .alert, model: options.model))
        return try analyse(options: options, reviews: LoadedReviews.load(store: store, options: options), volumes: volumes)
    }

    /// Scored messages and alerts of each version per UTC day (days since the epoch).
    struct DailyVolumes: Sendable {
        let scored: [String: [Int64: Int]]
        let alerts: [String: [Int64: Int]]

        static func read(_ db: Database, model: String) throws -> DailyVolumes {
            DailyVolumes(scored: try EventStore.dailyCounts(db, table: .score, model: model),
                         alerts: try EventStore.dailyCounts(db, table: .alert, model: model))
        }
    }

    /// As `analyse(store:options:)`, on reviews and daily volumes already read with the same options.
    static func analyse(options: RiskEvaluationOptions, reviews: LoadedReviews, volumes: DailyVolumes) throws -> [DriftAnalysis] {
        guard let over = options.over else { preconditionFailure("DriftAnalysis needs options.over") }
        let byVersion = reviews.byVersion
        return try byVersion.keys.sorted().map { version in
            let d = byVersion[version]!
            let scoredPerDay = volumes.scored[version] ?? [:], alertsPerDay = volumes.alerts[version] ?? [:]
            var labels: [Int64: String] = [:]
            func label(day: Int64) -> String {
                if let l = labels[day] { return l }
                let l = over.label(day: day)
                labels[day] = l
                return l
            }
            func label(microseconds t: Int64) -> String { label(day: CalendarPeriod.day(t)) }
            var scored: [String: Int] = [:], alerted: [String: Int] = [:]
            for (day, n) in scoredPerDay { scored[label(day: day), default: 0] += n }
            for (day, n) in alertsPerDay { alerted[label(day: day), default: 0] += n }
            var indices: [String: [Int]] = [:]
            for i in d.labels.indices { indices[label(microseconds: d.times[i]), default: []].append(i) }
            let none = Estimate(value: nil, lower: nil, upper: nil, interval: "none")
            var rows: [(period: String, reviewed: Int, positives: Int, auc: Estimate, intercept: Estimate, alertRate: Estimate)] = []
            let hasAlerts = !alertsPerDay.isEmpty
            for period in Set(scored.keys).union(indices.keys).sorted() {
                let idx = indices[period] ?? []
                let sub = d.subset(idx)
                let positives = sub.labels.filter { $0 }.count
                var auc = none, intercept = none
                if positives >= options.minimumPositives, positives < idx.count {
                    (auc, intercept) = try periodEstimates(sub, options: options)
                }
                var alertRate = none
                if hasAlerts, let n = scored[period], n > 0, let p = Proportion.wilson(min(alerted[period] ?? 0, n), of: n, level: options.level) {
                    alertRate = Estimate(value: p.estimate, lower: p.interval.lower, upper: p.interval.upper, interval: "wilson")
                }
                rows.append((period, idx.count, positives, auc, intercept, alertRate))
            }
            let reference = rows.first { $0.auc.value != nil }
            func excludes(_ e: Estimate, _ r: Estimate?) -> Bool {
                guard let v = r?.value, let l = e.lower, let u = e.upper else { return false }
                let tolerance = 1e-12 * max(1, abs(v))
                return v < l - tolerance || v > u + tolerance
            }
            let periods = rows.map { row -> DriftRow in
                var flags: [String] = []
                if let reference, row.period != reference.period {
                    if excludes(row.auc, reference.auc) { flags.append("auc") }
                    if excludes(row.intercept, reference.intercept) { flags.append("calibration_intercept") }
                    if excludes(row.alertRate, reference.alertRate) { flags.append("alert_rate") }
                }
                let tooFew = row.positives < options.minimumPositives
                return DriftRow(period: row.period, reviewed: row.reviewed, positives: row.positives,
                                notEvaluable: tooFew ? "fewer than \(options.minimumPositives) positives" : (row.positives == row.reviewed && row.reviewed > 0 ? "one class only" : nil),
                                auc: row.auc,
                                calibrationIntercept: row.intercept, alertRate: row.alertRate, flags: flags)
            }
            return DriftAnalysis(model: options.model, version: version, over: over, minimumPositives: options.minimumPositives,
                                 hasAlerts: hasAlerts, reference: reference?.period, periods: periods)
        }
    }

    /// AUC and calibration-in-the-large of one period, with intervals (`IntervalDesign`).
    static func periodEstimates(_ d: ReviewedScores, options: RiskEvaluationOptions) throws -> (Estimate, Estimate) {
        let design = IntervalDesign(d, options: options)
        let intercept = d.scoresAreProbabilities ? design.calibrationInTheLarge(d) : nil
        return (try design.auc(d), intercept ?? IntervalDesign.none)
    }
}
