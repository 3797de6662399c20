/// Sensitivity, specificity, PPV, NPV and FPR at one threshold from case
/// counts (unweighted), each with a Wilson interval.
public struct OperatingPoint: Sendable, Equatable, Codable {
    /// The threshold: cases with score ≥ threshold are flagged.
    public let threshold: Double
    /// Confusion counts (weighted when the sweep is).
    public let truePositives: Double
    /// False positives.
    public let falsePositives: Double
    /// False negatives.
    public let falseNegatives: Double
    /// True negatives.
    public let trueNegatives: Double
    /// TP/(TP+FN), TN/(TN+FP), TP/(TP+FP), TN/(TN+FN), FP/(FP+TN); nil when the denominator is 0.
    public let sensitivity: Double?
    /// Specificity TN/(TN + FP).
    public let specificity: Double?
    /// Positive predictive value TP/(TP + FP).
    public let positivePredictiveValue: Double?
    /// Negative predictive value TN/(TN + FN).
    public let negativePredictiveValue: Double?
    /// False-positive rate FP/(FP + TN).
    public let falsePositiveRate: Double?
    /// Wilson intervals for the five rates (nil with the rate).
    public let sensitivityInterval: ConfidenceInterval?
    /// Wilson interval of the specificity.
    public let specificityInterval: ConfidenceInterval?
    /// Wilson interval of the PPV.
    public let positivePredictiveValueInterval: ConfidenceInterval?
    /// Wilson interval of the NPV.
    public let negativePredictiveValueInterval: ConfidenceInterval?
    /// Wilson interval of the FPR.
    public let falsePositiveRateInterval: ConfidenceInterval?
    /// Cases flagged.
    public let alerts: Int

    /// The operating point of `scores ≥ threshold` for `labels`.
    ///
    /// - Throws: `StatsError` for empty input, mismatched lengths or non-finite scores. A single class is
    ///   allowed: the undefined rates are nil.
    public static func at(threshold: Double, scores: [Double], labels: [Bool], level: Double = 0.95) throws(StatsError) -> OperatingPoint {
        let name = "operating point"
        try Validate.sameLength(scores.count, labels.count, name)
        try Validate.finite(scores, name)
        try Validate.level(level, name)
        guard !scores.isEmpty else { throw StatsError(name, .emptyInput) }
        guard threshold.isFinite else { throw StatsError(name, .nonFiniteValue) }
        var tp = 0, fp = 0, fn = 0, tn = 0
        for (s, y) in zip(scores, labels) {
            switch (s >= threshold, y) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            case (false, false): tn += 1
            }
        }
        func rate(_ x: Int, _ n: Int) -> (Double?, ConfidenceInterval?) {
            guard n > 0 else { return (nil, nil) }
            return (Double(x) / Double(n), try? ProportionInterval.wilson(successes: x, trials: n, level: level))
        }
        let sens = rate(tp, tp + fn), spec = rate(tn, tn + fp), ppv = rate(tp, tp + fp), npv = rate(tn, tn + fn), fpr = rate(fp, fp + tn)
        return OperatingPoint(threshold: threshold, truePositives: Double(tp), falsePositives: Double(fp),
                              falseNegatives: Double(fn), trueNegatives: Double(tn),
                              sensitivity: sens.0, specificity: spec.0, positivePredictiveValue: ppv.0,
                              negativePredictiveValue: npv.0, falsePositiveRate: fpr.0,
                              sensitivityInterval: sens.1, specificityInterval: spec.1, positivePredictiveValueInterval: ppv.1,
                              negativePredictiveValueInterval: npv.1, falsePositiveRateInterval: fpr.1, alerts: tp + fp)
    }
}
