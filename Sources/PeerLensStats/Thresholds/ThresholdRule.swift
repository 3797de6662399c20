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
        let k = sweep.thresholds.count
        switch self {
        case .maxYouden:
            var best: Int?, bestJ = -Double.infinity
            for i in 0..<k {
                let j = sweep.sensitivity(i) + sweep.specificity(i) - 1
                if j > bestJ + 1e-15 { bestJ = j; best = i }
            }
            return best
        case let .minimumExpectedCost(missed, falseAlarm):
            // Also consider alerting on nothing (cost of missing every positive).
            var best: Int?, bestCost = missed * sweep.positives
            for i in 0..<k {
                let cost = missed * (sweep.positives - sweep.truePositives[i]) + falseAlarm * sweep.falsePositives[i]
                if cost < bestCost - 1e-12 { bestCost = cost; best = i }
            }
            return best
        case let .minimumSensitivity(s):
            return (0..<k).first { sweep.sensitivity($0) >= s - 1e-12 }
        case let .alertBudget(perPeriod, periods):
            return (0..<k).last { Double(sweep.alerts[$0]) / periods <= perPeriod + 1e-12 }
        }
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
}

extension ThresholdRule {
    /// Applies the rule to scores and outcomes; with `replicates` > 0 also bootstraps the chosen threshold
    /// (cases resampled within outcome class; percentile interval; replicates where the rule chooses nothing
    /// are counted as failed).
    ///
    /// - Throws: `StatsError` as `ThresholdSweep`, for invalid rule parameters, or `invalidArgument` when no
    ///   threshold satisfies the rule.
    public func apply(scores: [Double], labels: [Bool], weights: [Double]? = nil, replicates: Int = 0,
                      level: Double = 0.95, seed: UInt64 = 1) throws(StatsError) -> ChosenThreshold {
        try validate()
        let sweep = try ThresholdSweep(scores: scores, labels: labels, weights: weights)
        guard let k = choose(in: sweep) else { throw StatsError("threshold rule", .invalidArgument("no threshold satisfies \(description)")) }
        var interval: BootstrapResult?
        if replicates > 0 {
            // Resamples reuse the full sample's sort: a replicate is a vector of case multiplicities.
            let order = ScoreOrder(scores)
            let rule = self
            interval = try Bootstrap.percentileByMultiplicities(count: scores.count, strata: labels.map { $0 ? 1 : 0 }, replicates: replicates,
                                                                level: level, seed: seed, estimate: sweep.thresholds[k]) { counts in
                let resampled = ThresholdSweep(order: order, labels: labels, weights: weights, counts: counts)
                guard resampled.positives > 0, resampled.negatives > 0, let c = rule.choose(in: resampled) else { return nil }
                return resampled.thresholds[c]
            }
        }
        return ChosenThreshold(rule: description, threshold: sweep.thresholds[k], sensitivity: sweep.sensitivity(k),
                               specificity: sweep.specificity(k), positivePredictiveValue: sweep.positivePredictiveValue(k),
                               alerts: sweep.alerts[k], interval: interval)
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
