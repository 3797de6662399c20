import Foundation

/// A named rule for choosing an alert threshold from a `ThresholdSweep`.
public enum ThresholdRule: Sendable, Equatable, Codable {
    /// Maximum Youden J = sensitivity + specificity − 1 (ties: the highest threshold).
    case maxYouden
    /// Minimum expected cost per case, costMissed·FN + costFalseAlarm·FP (ties: the highest threshold).
    case minimumExpectedCost(costMissed: Double, costFalseAlarm: Double)
    /// The fewest alerts (highest threshold) that keep sensitivity ≥ `minimumSensitivity`.
    case minimumSensitivity(Double)
    /// The highest sensitivity (lowest threshold) whose alerts per period stay within `alertsPerPeriod`,
    /// where the data span `periods` periods (e.g. days).
    case alertBudget(alertsPerPeriod: Double, periods: Double)

    /// A short description, e.g. `sensitivity ≥ 0.90 with the fewest alerts`.
    public var description: String {
        switch self {
        case .maxYouden: "maximum Youden J"
        case let .minimumExpectedCost(m, f): "minimum expected cost (missed positive \(m), false alarm \(f))"
        case let .minimumSensitivity(s): "fewest alerts with sensitivity ≥ \(s)"
        case let .alertBudget(a, p): "highest sensitivity within \(a) alerts per period over \(p) periods"
        }
    }

    /// The index in `sweep` the rule chooses, or nil when no threshold satisfies it.
    public func choose(in sweep: ThresholdSweep) -> Int? {
        var chooser = Chooser(self, positives: sweep.positives, negatives: sweep.negatives)
        for k in sweep.thresholds.indices {
            guard chooser.offer(threshold: sweep.thresholds[k], truePositives: sweep.truePositives[k],
                                falsePositives: sweep.falsePositives[k], alerts: sweep.alerts[k]) else { break }
        }
        return chooser.index
    }

    /// The rule applied online to the points of a sweep offered in descending threshold order, so that a
    /// bootstrap replicate can choose without building a `ThresholdSweep` (no allocation per replicate).
    struct Chooser {
        let rule: ThresholdRule
        let positives: Double, negatives: Double
        /// The chosen point so far: its index among the offered points and its threshold.
        private(set) var index: Int?
        private(set) var threshold: Double?
        private var offered = 0
        private var best: Double

        init(_ rule: ThresholdRule, positives: Double, negatives: Double) {
            self.rule = rule
            self.positives = positives
            self.negatives = negatives
            switch rule {
            case let .minimumExpectedCost(missed, _): best = missed * positives // alerting on nothing
            default: best = -Double.infinity
            }
        }

        /// Offers the next point; returns false when no later point can be chosen (stop early).
        mutating func offer(threshold t: Double, truePositives tp: Double, falsePositives fp: Double, alerts: Int) -> Bool {
            defer { offered += 1 }
            switch rule {
            case .maxYouden:
                // Ties: the highest threshold (the first offered).
                let j = tp / positives + (1 - fp / negatives) - 1
                if j > best + 1e-15 { best = j; index = offered; threshold = t }
                return true
            case let .minimumExpectedCost(missed, falseAlarm):
                let cost = missed * (positives - tp) + falseAlarm * fp
                if cost < best - 1e-12 { best = cost; index = offered; threshold = t }
                return true
            case let .minimumSensitivity(target):
                // The first (highest) threshold that reaches the target.
                guard tp / positives >= target - 1e-12 else { return true }
                index = offered; threshold = t
                return false
            case let .alertBudget(perPeriod, periods):
                // Alerts only grow as the threshold falls: the last point within budget is the one before the
                // first point over it.
                guard Double(alerts) / periods <= perPeriod + 1e-12 else { return false }
                index = offered; threshold = t
                return true
            }
        }
    }

    /// Cases sorted once, with their tie groups, for choosing on resamples.
    struct SortedCases: Sendable {
        let order: ScoreOrder
        let groupStarts: [Int]
        let labels: [Bool]
        let weights: [Double]

        init(scores: [Double], labels: [Bool], weights: [Double]?) {
            order = ScoreOrder(scores)
            var starts: [Int] = []
            order.forEachTieGroup { start, _ in starts.append(start) }
            starts.append(scores.count)
            groupStarts = starts
            self.labels = labels
            self.weights = weights ?? [Double](repeating: 1, count: scores.count)
        }
    }

    /// The threshold the rule chooses on the resample with `multiplicities[i]` copies of case i — the same as
    /// `choose(in:)` on a `ThresholdSweep` of the replicated cases — or nil when the resample lacks a class or
    /// no threshold satisfies the rule.
    func choose(in cases: SortedCases, multiplicities counts: [Int32]) -> Double? {
        var positives = 0.0, negatives = 0.0
        for i in counts.indices where counts[i] > 0 {
            if cases.labels[i] { positives += cases.weights[i] * Double(counts[i]) } else { negatives += cases.weights[i] * Double(counts[i]) }
        }
        guard positives > 0, negatives > 0 else { return nil }
        var chooser = Chooser(self, positives: positives, negatives: negatives)
        var tp = 0.0, fp = 0.0, alerts = 0
        var g = cases.groupStarts.count - 1
        while g > 0 {
            var present = 0
            for p in cases.groupStarts[g - 1]..<cases.groupStarts[g] {
                let i = Int(cases.order.indices[p])
                let c = Int(counts[i])
                guard c > 0 else { continue }
                present += c
                if cases.labels[i] { tp += cases.weights[i] * Double(c) } else { fp += cases.weights[i] * Double(c) }
            }
            if present > 0 {
                alerts += present
                guard chooser.offer(threshold: cases.order.sorted[cases.groupStarts[g - 1]], truePositives: tp, falsePositives: fp, alerts: alerts) else { break }
            }
            g -= 1
        }
        return chooser.threshold
    }

    /// Checks the rule's parameters.
    func validate() throws(StatsError) {
        let name = "threshold rule"
        switch self {
        case .maxYouden: break
        case let .minimumExpectedCost(m, f):
            guard m.isFinite, f.isFinite, m >= 0, f >= 0, m + f > 0 else { throw StatsError(name, .invalidArgument("costs must be non-negative and not both zero")) }
        case let .minimumSensitivity(s):
            guard s > 0, s <= 1 else { throw StatsError(name, .invalidArgument("the sensitivity target must be in (0, 1]")) }
        case let .alertBudget(a, p):
            guard a >= 0, a.isFinite, p > 0, p.isFinite else { throw StatsError(name, .invalidArgument("the alert budget must be ≥ 0 and the number of periods > 0")) }
        }
    }
}

/// A threshold chosen by a rule, with its operating characteristics and a bootstrap interval.
public struct ChosenThreshold: Sendable, Equatable, Codable {
    /// The rule's description.
    public let rule: String
    /// The chosen threshold (alert when score ≥ it).
    public let threshold: Double
    /// Sensitivity, specificity and PPV there (weighted when the sweep is).
    public let sensitivity: Double
    /// Specificity TN/(TN + FP).
    public let specificity: Double
    /// Positive predictive value TP/(TP + FP).
    public let positivePredictiveValue: Double
    /// Cases flagged.
    public let alerts: Int
    /// Percentile bootstrap interval of the threshold the rule picks on resampled cases
    /// (stratified by outcome), or nil when not requested.
    public let interval: BootstrapResult?
    /// With 100,000 or more unweighted cases, the number of candidate thresholds the replicates chose among
    /// (`ThresholdRule.bootstrapCells` cells of about equally many cases; see `ThresholdCells`); nil when the
    /// replicates chose among every distinct score.
    public let bootstrapCandidates: Int?
}

extension ThresholdRule {
    /// From this many unweighted cases on, the bootstrap of the chosen threshold resamples counts of cells of
    /// the sorted scores (`ThresholdCells`) instead of cases.
    public static let largeSample = 100_000
    /// How many cells: each then holds about 0.05 % of the cases, the resolution of the interval's ends.
    public static let bootstrapCells = 2_000

    /// Applies the rule to scores and outcomes; with `replicates` > 0 also bootstraps the chosen threshold
    /// (cases resampled within outcome class; percentile interval; replicates where the rule chooses nothing
    /// are counted as failed). With `largeSample` or more unweighted cases the replicates resample cells of the
    /// sorted scores (`ThresholdCells`): the same stratified bootstrap, with the candidate thresholds limited
    /// to the cells' lower edges, at a cost per replicate that does not grow with the number of cases.
    ///
    /// - Throws: `StatsError` as `ThresholdSweep`, for invalid rule parameters, or `invalidArgument` when no
    ///   threshold satisfies the rule.
    public func apply(scores: [Double], labels: [Bool], weights: [Double]? = nil, replicates: Int = 0,
                      level: Double = 0.95, seed: UInt64 = 1) throws(StatsError) -> ChosenThreshold {
        try apply(scores: scores, labels: labels, weights: weights, replicates: replicates, level: level, seed: seed, sweep: nil)
    }

    /// `apply(scores:labels:weights:replicates:level:seed:)` reusing the caller's sweep of the same scores,
    /// labels and weights.
    package func apply(scores: [Double], labels: [Bool], weights: [Double]?, replicates: Int, level: Double, seed: UInt64,
                       sweep given: ThresholdSweep?) throws(StatsError) -> ChosenThreshold {
        try validate()
        let sweep: ThresholdSweep
        if let given { sweep = given } else { sweep = try ThresholdSweep(scores: scores, labels: labels, weights: weights) }
        guard let k = choose(in: sweep) else { throw StatsError("threshold rule", .invalidArgument("no threshold satisfies \(description)")) }
        var interval: BootstrapResult?
        var candidates: Int?
        if replicates > 0, weights == nil, scores.count >= Self.largeSample {
            let cells = ThresholdCells(sweep, cells: Self.bootstrapCells)
            interval = try cells.bootstrap(self, replicates: replicates, level: level, seed: seed, estimate: sweep.thresholds[k])
            candidates = cells.thresholds.count
        } else if replicates > 0 {
            // Resamples reuse the full sample's sort: a replicate is a vector of case multiplicities, streamed
            // through the rule in descending score order without building a sweep.
            let cases = SortedCases(scores: scores, labels: labels, weights: weights)
            let rule = self
            interval = try Bootstrap.percentileByMultiplicities(count: scores.count, strata: labels.map { $0 ? 1 : 0 }, replicates: replicates,
                                                                level: level, seed: seed, estimate: sweep.thresholds[k]) { counts in
                rule.choose(in: cases, multiplicities: counts)
            }
        }
        return ChosenThreshold(rule: description, threshold: sweep.thresholds[k], sensitivity: sweep.sensitivity(k),
                               specificity: sweep.specificity(k), positivePredictiveValue: sweep.positivePredictiveValue(k),
                               alerts: sweep.alerts[k], interval: interval, bootstrapCandidates: candidates)
    }
}

/// Net benefit for decision-curve analysis (Vickers & Elkin 2006, Med Decis Making 26:565).
public struct NetBenefit: Sendable, Equatable, Codable {
    /// Threshold probability pₜ (alert when predicted risk ≥ pₜ).
    public let thresholdProbability: Double
    /// Model: TP/n − FP/n · pₜ/(1 − pₜ).
    public let model: Double
    /// Alert everyone: prevalence − (1 − prevalence)·pₜ/(1 − pₜ).
    public let treatAll: Double
    /// Alert no one: 0.
    public var treatNone: Double { 0 }

    /// Threshold probabilities for a rare outcome's decision curve: 0.005 to 0.05 by 0.005, 0.06 to 0.10 by
    /// 0.01, then 0.15 to 0.50 by 0.05 (23 points). A crisis model whose prevalence is around 1 % operates at
    /// threshold probabilities of a few per cent (a false alert weighed at 1/200 to 1/20 of a caught crisis),
    /// so the grid is densest there; above 0.10 it is coarse, as net benefit there is near 0 for such a model
    /// and the grid only shows where the curve ends. Each value is a ratio of integers, so it prints exactly.
    public static let lowPrevalenceGrid: [Double] =
        (1...10).map { Double($0) / 200 } + (6...10).map { Double($0) / 100 } + (3...10).map { Double($0) / 20 }

    /// Net benefit at each threshold probability in `thresholds` (each in (0, 1)) from a sweep of probability
    /// scores (weighted when the sweep is): the same figures as `curve(scores:labels:thresholds:weights:)`, each
    /// point found by binary search in the sweep's cumulative counts instead of a pass over the cases.
    ///
    /// - Throws: `StatsError` for thresholds outside (0, 1) or a sweep with no cases.
    public static func curve(_ sweep: ThresholdSweep, thresholds: [Double]) throws(StatsError) -> [NetBenefit] {
        let name = "net benefit"
        for t in thresholds where !(t > 0 && t < 1) { throw StatsError(name, .invalidArgument("threshold probabilities must be in (0, 1)")) }
        let n = sweep.positives + sweep.negatives
        guard n > 0 else { throw StatsError(name, .emptyInput) }
        let prevalence = sweep.positives / n
        return thresholds.map { t in
            var lo = 0, hi = sweep.thresholds.count // the first point whose threshold is below t
            while lo < hi { let mid = (lo + hi) / 2; if sweep.thresholds[mid] >= t { lo = mid + 1 } else { hi = mid } }
            let tp = lo == 0 ? 0 : sweep.truePositives[lo - 1], fp = lo == 0 ? 0 : sweep.falsePositives[lo - 1]
            let odds = t / (1 - t)
            return NetBenefit(thresholdProbability: t, model: tp / n - fp / n * odds, treatAll: prevalence - (1 - prevalence) * odds)
        }
    }

    /// Net benefit at each threshold probability in `thresholds` (each in (0, 1)); scores must be probabilities.
    /// With `weights` (e.g. inverse review-sampling probabilities), TP, FP and n are weighted sums, so the
    /// figures estimate the net benefit in the population the weights represent.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, scores outside [0, 1], invalid weights, or
    ///   thresholds outside (0, 1).
    public static func curve(scores: [Double], labels: [Bool], thresholds: [Double], weights: [Double]? = nil) throws(StatsError) -> [NetBenefit] {
        let name = "net benefit"
        try Validate.sameLength(scores.count, labels.count, name)
        guard !scores.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.probabilities(scores, name)
        try Validate.weights(weights, count: scores.count, name)
        for t in thresholds where !(t > 0 && t < 1) { throw StatsError(name, .invalidArgument("threshold probabilities must be in (0, 1)")) }
        var n = 0.0, positives = 0.0
        for i in scores.indices {
            let w = weights?[i] ?? 1
            n += w
            if labels[i] { positives += w }
        }
        let prevalence = positives / n
        return thresholds.map { t in
            var tp = 0.0, fp = 0.0
            for i in scores.indices where scores[i] >= t {
                if labels[i] { tp += weights?[i] ?? 1 } else { fp += weights?[i] ?? 1 }
            }
            let odds = t / (1 - t)
            return NetBenefit(thresholdProbability: t, model: tp / n - fp / n * odds, treatAll: prevalence - (1 - prevalence) * odds)
        }
    }
}

/// The cases of a sweep cut into cells of about equally many cases (never splitting tied scores), for a
/// bootstrap of a threshold rule whose cost per replicate does not grow with the number of cases.
///
/// A stratified case bootstrap draws n⁺ positives and n⁻ negatives with replacement; how many land in each
/// cell is then multinomial, Multinomial(n⁺, pos_c/n⁺) and Multinomial(n⁻, neg_c/n⁻), and a rule that only
/// sees "score ≥ t" counts at the cells' lower edges gets exactly what the case bootstrap would give it. The
/// approximation is the candidate set: replicates choose among the cells' lower edges, so the interval's ends
/// are resolved to a cell (about 1/`cells` of the cases).
struct ThresholdCells {
    /// Each cell's lowest score (alert when score ≥ it), in descending order.
    let thresholds: [Double]
    /// Positive and negative cases per cell.
    let positives: [Double], negatives: [Double]
    /// Positives and negatives in all.
    let positiveTotal: Int, negativeTotal: Int

    /// Cuts the unweighted `sweep` into at most about `cells` cells.
    init(_ sweep: ThresholdSweep, cells: Int) {
        let n = sweep.alerts.last ?? 0
        let size = max(1, n / max(1, cells))
        var thresholds: [Double] = [], positives: [Double] = [], negatives: [Double] = []
        var lastAlerts = 0, lastTP = 0.0, lastFP = 0.0
        for k in sweep.thresholds.indices where sweep.alerts[k] - lastAlerts >= size || k == sweep.thresholds.count - 1 {
            thresholds.append(sweep.thresholds[k])
            positives.append(sweep.truePositives[k] - lastTP)
            negatives.append(sweep.falsePositives[k] - lastFP)
            lastAlerts = sweep.alerts[k]; lastTP = sweep.truePositives[k]; lastFP = sweep.falsePositives[k]
        }
        self.thresholds = thresholds
        self.positives = positives
        self.negatives = negatives
        positiveTotal = Int(sweep.positives.rounded())
        negativeTotal = Int(sweep.negatives.rounded())
    }

    /// Percentile interval of the threshold `rule` picks over `replicates` stratified resamples of the cells;
    /// replicate r draws from `RandomSource(seed:).split(r)`.
    ///
    /// - Throws: `StatsError` for fewer than 100 replicates, an invalid level, or more than 10 % of replicates
    ///   where the rule chooses nothing.
    func bootstrap(_ rule: ThresholdRule, replicates: Int, level: Double, seed: UInt64, estimate: Double) throws(StatsError) -> BootstrapResult {
        let name = "bootstrap interval"
        guard replicates >= 100 else { throw StatsError(name, .invalidArgument("use at least 100 replicates")) }
        try Validate.level(level, name)
        // Replicates spread over the cores; replicate r draws from its own stream, so the result does not depend
        // on the number of cores.
        let root = RandomSource(seed: seed)
        let seeds = (0..<replicates).map { root.split(UInt64($0)).seed }
        let chosen = UnsafeMutableBufferPointer<Double?>.allocate(capacity: replicates)
        chosen.initialize(repeating: nil)
        defer { chosen.deinitialize(); chosen.deallocate() }
        nonisolated(unsafe) let output = chosen
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, replicates))
        let cells = self
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for r in stride(from: worker, to: replicates, by: workers) {
                output[r] = cells.replicate(rule, random: RandomSource(seed: seeds[r]))
            }
        }
        let values = chosen.compactMap { $0 }
        let failed = replicates - values.count
        guard failed * 10 <= replicates else {
            throw StatsError(name, .invalidArgument("\(failed) of \(replicates) replicates failed (too few events to resample?)"))
        }
        let ci = try Bootstrap.interval(replicates: values, estimate: estimate, acceleration: 0, level: level, method: .percentile, name)
        return BootstrapResult(estimate: estimate, interval: ci, method: .percentile, replicates: values.count, failedReplicates: failed, seed: seed)
    }

    /// The threshold `rule` picks on one resample of the cells drawn from `random`, or nil when it picks none.
    func replicate(_ rule: ThresholdRule, random: RandomSource) -> Double? {
        let drawnPositives = positiveTotal > 0 ? random.multinomial(trials: positiveTotal, weights: positives) : [Int](repeating: 0, count: thresholds.count)
        let drawnNegatives = negativeTotal > 0 ? random.multinomial(trials: negativeTotal, weights: negatives) : [Int](repeating: 0, count: thresholds.count)
        var chooser = ThresholdRule.Chooser(rule, positives: Double(positiveTotal), negatives: Double(negativeTotal))
        var tp = 0.0, fp = 0.0, alerts = 0
        for c in thresholds.indices where drawnPositives[c] + drawnNegatives[c] > 0 {
            tp += Double(drawnPositives[c])
            fp += Double(drawnNegatives[c])
            alerts += drawnPositives[c] + drawnNegatives[c]
            guard chooser.offer(threshold: thresholds[c], truePositives: tp, falsePositives: fp, alerts: alerts) else { break }
        }
        return chooser.threshold
    }
}
