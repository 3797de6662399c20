import PeerLensStats

/// Pieces shared by the risk analyses.
enum RiskSupport {
    /// Bootstrap units as offsets into one array of case indices: unit u holds
    /// `cases[starts[u]..<starts[u + 1]]`. One unit per case, or one per member (first-seen order) holding
    /// all that member's cases in case order.
    /// `members` may be empty when the cases are independent (`cluster` is `.message`); `cases` counts them.
    static func units(members: [String], cases caseCount: Int, cluster: RiskEvaluationOptions.Cluster) -> (starts: [Int], cases: [Int32]) {
        guard cluster == .member else { return (Array(0...caseCount), (0..<caseCount).map { Int32($0) }) }
        precondition(members.count == caseCount, "clustering by member needs one member per case")
        let ids = denseIDs(members)
        let unitCount = (ids.max() ?? -1) + 1
        var starts = [Int](repeating: 0, count: unitCount + 1)
        for id in ids { starts[id + 1] += 1 }
        for u in 0..<unitCount { starts[u + 1] += starts[u] }
        var next = starts
        var cases = [Int32](repeating: 0, count: members.count)
        for (i, id) in ids.enumerated() { cases[next[id]] = Int32(i); next[id] += 1 }
        return (starts, cases)
    }

    /// The operating threshold: the one given as an option (`option`), else the one the version's alerts used
    /// (`alerts`), else none.
    static func operatingThreshold(option: Double?, alerts: Double?) -> (threshold: Double?, source: String?) {
        if let option { return (option, "option") }
        if let alerts { return (alerts, "alerts") }
        return (nil, nil)
    }

    /// Dense integer ids for labels, in first-seen order (e.g. members as clusters).
    static func denseIDs(_ labels: [String]) -> [Int] {
        var ids: [String: Int] = [:]
        return labels.map { label in
            if let id = ids[label] { return id }
            ids[label] = ids.count
            return ids.count - 1
        }
    }

    /// (Weighted) confusion counts of "score ≥ threshold" against the labels.
    static func confusion(scores: [Double], labels: [Bool], weights: [Double]?, threshold: Double)
        -> (truePositives: Double, falsePositives: Double, falseNegatives: Double, trueNegatives: Double) {
        var tp = 0.0, fp = 0.0, fn = 0.0, tn = 0.0
        for i in scores.indices {
            let w = weights?[i] ?? 1
            switch (scores[i] >= threshold, labels[i]) {
            case (true, true): tp += w
            case (true, false): fp += w
            case (false, true): fn += w
            case (false, false): tn += w
            }
        }
        return (tp, fp, fn, tn)
    }
}

/// The percentile bootstrap of the risk analyses: resample units (messages, or members with all their
/// reviewed messages) with replacement, recompute the statistics, and read intervals off the draws.
struct UnitBootstrap {
    /// Resampling units: unit u holds cases `unitCases[unitStarts[u]..<unitStarts[u + 1]]`.
    let unitStarts: [Int]
    let unitCases: [Int32]
    /// Number of units.
    var unitCount: Int { unitStarts.count - 1 }
    /// Replicates, seed and confidence level, as in the options.
    let replicates: Int
    let seed: UInt64
    let level: Double
    /// How the intervals are named in the output.
    let name: String

    /// Units over `cases` cases: one per case, or one per member of `members` (one per case, or empty for
    /// independent cases) when `options.cluster` is `.member`.
    init(members: [String], cases: Int, options: RiskEvaluationOptions) {
        (unitStarts, unitCases) = RiskSupport.units(members: members, cases: cases, cluster: options.cluster)
        replicates = options.replicates
        seed = options.seed
        level = options.level
        name = options.cluster == .member ? "cluster bootstrap percentile (members)" : "bootstrap percentile (messages)"
    }

    /// The draws of each of `count` statistics. `statistics` maps the resampled case indices to the values, or
    /// to nil when the replicate is unusable (e.g. one outcome class); nil and non-finite values are left out.
    func draws(count: Int, _ statistics: ([Int]) -> [Double?]?) -> [[Double]] {
        let rng = RandomSource(seed: seed)
        var draws = [[Double]](repeating: [], count: count)
        for _ in 0..<replicates {
            var idx: [Int] = []
            idx.reserveCapacity(unitCases.count)
            for _ in 0..<unitCount {
                let u = rng.integer(below: unitCount)
                for k in unitStarts[u]..<unitStarts[u + 1] { idx.append(Int(unitCases[k])) }
            }
            guard let values = statistics(idx) else { continue }
            for (k, v) in values.enumerated() { if let v, v.isFinite { draws[k].append(v) } }
        }
        return draws
    }

    /// The draws of each of `count` statistics, from replicates given as multiplicities: `m[slots[i]]` copies
    /// of case i (`slots` lays the cases out as the statistics want them, e.g. `PresortedSample` positions).
    /// Replicates are spread over the machine's cores; replicate r draws its units from its own stream
    /// (`Bootstrap.parallelReplicates`) and the draws are collected in replicate order, so the result
    /// does not depend on the number of cores. `statistics` returns nil for an unusable replicate; nil and
    /// non-finite values are left out.
    func multiplicityDraws(count: Int, slots: [Int32], _ statistics: @escaping @Sendable ([Int32]) -> [Double?]?) -> [[Double]] {
        let offsets = unitStarts, slotOfUnitCase = unitCases.map { slots[Int($0)] }, cases = slots.count, unitCount = self.unitCount
        let singletons = unitCount == cases
        let results = Bootstrap.parallelReplicates(replicates, seed: seed, scratch: { [Int32](repeating: 0, count: cases) }) { m, rng, _ in
            m.withUnsafeMutableBufferPointer { counts in
                offsets.withUnsafeBufferPointer { offset in
                    slotOfUnitCase.withUnsafeBufferPointer { slot in
                        counts.update(repeating: 0)
                        if singletons {
                            for _ in 0..<unitCount { counts[Int(slot[rng.integer(below: unitCount)])] &+= 1 }
                        } else {
                            for _ in 0..<unitCount {
                                let u = rng.integer(below: unitCount)
                                for k in offset[u]..<offset[u + 1] { counts[Int(slot[k])] &+= 1 }
                            }
                        }
                    }
                }
            }
            return statistics(m)
        }
        var draws = [[Double]](repeating: [], count: count)
        for values in results { if let values { for (k, v) in values.enumerated() { if let v, v.isFinite { draws[k].append(v) } } } }
        return draws
    }

    /// `value` with the percentile interval of `draws`, or without an interval (`none`) when there is no
    /// value or fewer than half the replicates gave one.
    func estimate(_ value: Double?, draws: [Double]) -> Estimate {
        guard let value, draws.count >= replicates / 2 else { return Estimate(value: value, lower: nil, upper: nil, interval: "none") }
        let sorted = draws.sorted()
        let alpha = 1 - level
        return Estimate(value: value, lower: RiskEvaluation.quantile(sorted, alpha / 2), upper: RiskEvaluation.quantile(sorted, 1 - alpha / 2), interval: name)
    }
}

/// How the risk analyses compute intervals for one set of reviewed messages.
///
/// An unweighted review sample of independent messages (`simple`) gets the classical intervals: Wilson for
/// rates, DeLong for the AUC, model-based Wald for calibration. Weighted reviews (inverse sampling
/// probabilities) or clustering by member get design-based intervals by linearisation instead — Wilson with
/// the effective sample size for rates (`WeightedProportion`), Wald with a linearised SE for the AUC and the
/// Brier scores, and the sandwich covariance for calibration — each naming which it is. These cost a sort at
/// most, where a bootstrap of the same estimates would cost a sort and two logistic fits per replicate.
struct IntervalDesign: Sendable {
    /// Sampling weights (nil when the reviews carry none).
    let weights: [Double]?
    /// Dense member ids when intervals are clustered by member.
    let clusters: [Int]?
    /// Confidence level.
    let level: Double

    init(_ d: ReviewedScores, options: RiskEvaluationOptions) {
        self.init(d, cluster: options.cluster, level: options.level)
    }

    init(_ d: ReviewedScores, cluster: RiskEvaluationOptions.Cluster, level: Double) {
        weights = d.anyWeight ? d.weights : nil
        clusters = cluster == .member ? RiskSupport.denseIDs(d.members) : nil
        self.level = level
    }

    /// Classical intervals apply (unweighted, unclustered).
    var simple: Bool { weights == nil && clusters == nil }
    /// Name of the interval of rates.
    var proportionName: String {
        simple ? "wilson" : (clusters != nil ? "linearised, clustered by member (Wilson with effective n)" : "linearised (Wilson with effective n)")
    }
    /// Name of linearised Wald intervals.
    var waldName: String { clusters != nil ? "linearised Wald, clustered by member" : "linearised Wald" }

    static let none = Estimate(value: nil, lower: nil, upper: nil, interval: "none")

    /// The (weighted) share of `indices` for which `hit` holds, with its interval; `none` when `indices` is
    /// empty, and the value without an interval when the design-based variance is undefined (one cluster).
    /// The share `hits`/`total` with its Wilson interval, for the simple design (unweighted, unclustered) where
    /// counts are all `share(_:_:)` would use: `none` when `total` is 0.
    func share(hits: Int, of total: Int) -> Estimate {
        precondition(simple, "counts carry no weights or clusters")
        guard total > 0, let p = Proportion.wilson(hits, of: total, level: level) else { return Self.none }
        return Estimate(value: p.estimate, lower: p.interval.lower, upper: p.interval.upper, interval: "wilson")
    }

    func share(_ indices: [Int], _ hit: (Int) -> Bool) -> Estimate {
        guard !indices.isEmpty else { return Self.none }
        let outcomes = indices.map(hit)
        if simple {
            let p = Proportion.wilson(outcomes.filter { $0 }.count, of: indices.count, level: level)!
            return Estimate(value: p.estimate, lower: p.interval.lower, upper: p.interval.upper, interval: "wilson")
        }
        let w = indices.map { weights?[$0] ?? 1 }
        guard let p = try? WeightedProportion(outcomes: outcomes, weights: w, clusters: clusters.map { ids in indices.map { ids[$0] } }, level: level) else {
            var hits = 0.0, total = 0.0
            for (y, wk) in zip(outcomes, w) { total += wk; if y { hits += wk } }
            return Estimate(value: total > 0 ? hits / total : nil, lower: nil, upper: nil, interval: "none")
        }
        return Estimate(value: p.estimate, lower: p.interval.lower, upper: p.interval.upper, interval: proportionName)
    }

    /// AUC: DeLong when simple, otherwise weighted with a linearised interval.
    func auc(_ d: ReviewedScores, order: ScoreOrder? = nil) throws -> Estimate {
        if simple {
            let r = try Discrimination.auc(scores: d.scores, labels: d.labels, level: level, order: order)
            return Estimate(value: r.auc, lower: r.interval.lower, upper: r.interval.upper, interval: "delong")
        }
        let r = try Discrimination.linearisedAUC(scores: d.scores, labels: d.labels, weights: weights, clusters: clusters, level: level)
        return Estimate(value: r.estimate, lower: r.interval.lower, upper: r.interval.upper, interval: waldName)
    }

    /// Calibration-in-the-large and slope with Wald intervals (model-based when simple, sandwich otherwise);
    /// nil when the fit fails (e.g. separation).
    func calibration(_ d: ReviewedScores) -> (intercept: Estimate, slope: Estimate)? {
        guard let c = try? Calibration.logistic(predictions: d.scores, outcomes: d.labels, weights: weights, clusters: clusters,
                                                designBased: !simple, level: level) else { return nil }
        return (Estimate(value: c.intercept, lower: c.interceptInterval.lower, upper: c.interceptInterval.upper, interval: calibrationName),
                Estimate(value: c.slope, lower: c.slopeInterval.lower, upper: c.slopeInterval.upper, interval: calibrationName))
    }

    /// Calibration-in-the-large alone, as in `calibration`; nil when the fit fails.
    func calibrationInTheLarge(_ d: ReviewedScores) -> Estimate? {
        guard let c = try? Calibration.inTheLarge(predictions: d.scores, outcomes: d.labels, weights: weights, clusters: clusters,
                                                  designBased: !simple, level: level) else { return nil }
        return Estimate(value: c.intercept, lower: c.interval.lower, upper: c.interval.upper, interval: calibrationName)
    }

    /// Name of calibration intervals.
    var calibrationName: String { simple ? "wald" : (clusters != nil ? "sandwich Wald, clustered by member" : "sandwich Wald") }

    /// `calibration(_:)` for the simple design from the sweep of the same reviews: one row per distinct score and
    /// outcome with its count as a frequency weight. Model-based standard errors treat weights as frequency
    /// weights, so the fit and its intervals are those of the case-level fit, on as many rows as distinct
    /// (score, outcome) pairs — a tenth of the cases for scores exported with six decimals.
    func calibration(aggregating sweep: ThresholdSweep) -> (intercept: Estimate, slope: Estimate)? {
        precondition(simple, "aggregation needs unweighted, unclustered reviews")
        var scores: [Double] = [], outcomes: [Bool] = [], counts: [Double] = []
        var previousTP = 0.0, previousFP = 0.0
        for k in sweep.thresholds.indices {
            let tp = sweep.truePositives[k] - previousTP, fp = sweep.falsePositives[k] - previousFP
            if tp > 0 { scores.append(sweep.thresholds[k]); outcomes.append(true); counts.append(tp) }
            if fp > 0 { scores.append(sweep.thresholds[k]); outcomes.append(false); counts.append(fp) }
            previousTP = sweep.truePositives[k]
            previousFP = sweep.falsePositives[k]
        }
        guard let c = try? Calibration.logistic(predictions: scores, outcomes: outcomes, weights: counts, level: level) else { return nil }
        return (Estimate(value: c.intercept, lower: c.interceptInterval.lower, upper: c.interceptInterval.upper, interval: calibrationName),
                Estimate(value: c.slope, lower: c.slopeInterval.lower, upper: c.slopeInterval.upper, interval: calibrationName))
    }

    /// Brier and scaled Brier with linearised intervals.
    func brier(_ d: ReviewedScores) throws -> (score: Estimate, scaled: Estimate) {
        let b = try LinearisedBrier(predictions: d.scores, outcomes: d.labels, weights: weights, clusters: clusters, level: level)
        func estimate(_ e: LinearisedEstimate) -> Estimate {
            Estimate(value: e.estimate, lower: e.interval.lower, upper: e.interval.upper, interval: waldName)
        }
        return (estimate(b.score), estimate(b.scaled))
    }
}
