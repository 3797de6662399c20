/// Confusion counts at every distinct threshold, for the rule "alert when
/// score ≥ threshold". Built with one sort and one pass: O(N log N) (radix
/// sort, so effectively O(N)).
///
/// Index k refers to the k-th largest distinct score: at `thresholds[k]`,
/// `truePositives[k]` positives and `falsePositives[k]` negatives have a score
/// at or above it. Counts are weighted when weights are given (e.g. inverse
/// probability weights of a review sample), otherwise they are case counts.
public struct ThresholdSweep: Sendable {
    /// Distinct scores, descending.
    public let thresholds: [Double]
    /// Cumulative (weighted) positives with score ≥ threshold.
    public let truePositives: [Double]
    /// Cumulative (weighted) negatives with score ≥ threshold.
    public let falsePositives: [Double]
    /// Cumulative number of cases (unweighted) with score ≥ threshold: the alert volume.
    public let alerts: [Int]
    /// Total (weighted) positives and negatives.
    public let positives: Double
    /// Number (or weight) of negatives (controls).
    public let negatives: Double
    /// Number of cases.
    public let count: Int
    /// Whether counts are weighted.
    public let isWeighted: Bool

    /// Builds the sweep.
    ///
    /// - Throws: `StatsError` for empty input, mismatched lengths, non-finite scores, invalid weights, or a
    ///   single class (sensitivity or specificity would be undefined).
    public init(scores: [Double], labels: [Bool], weights: [Double]? = nil) throws(StatsError) {
        let name = "threshold sweep"
        try Validate.sameLength(scores.count, labels.count, name)
        try Validate.finite(scores, name)
        try Validate.weights(weights, count: scores.count, name)
        try Validate.twoClasses(labels, name)
        self.init(order: ScoreOrder(scores), labels: labels, weights: weights)
    }

    /// `init(scores:labels:weights:)` reusing the order of `scores` when the caller has it.
    package init(scores: [Double], labels: [Bool], weights: [Double]? = nil, order: ScoreOrder) throws(StatsError) {
        let name = "threshold sweep"
        try Validate.sameLength(scores.count, labels.count, name)
        guard !scores.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(scores, name)
        try Validate.weights(weights, count: scores.count, name)
        try Validate.twoClasses(labels, name)
        precondition(order.indices.count == scores.count, "the order is of other scores")
        self.init(order: order, labels: labels, weights: weights)
    }

    /// The sweep over cases already sorted by `order`. With `counts`, the sweep of a resample given as case
    /// multiplicities (`counts[i]` copies of case i; cases with count 0 are absent), so that a bootstrap
    /// replicate reuses the full sample's sort: O(N) instead of a sort per replicate.
    init(order: ScoreOrder, labels: [Bool], weights: [Double]?, counts: [Int32]? = nil) {
        var thresholds: [Double] = [], tp: [Double] = [], fp: [Double] = [], alerts: [Int] = []
        var cumTP = 0.0, cumFP = 0.0, cumN = 0
        var end = order.sorted.count
        while end > 0 {
            var start = end - 1
            while start > 0 && order.sorted[start - 1] == order.sorted[end - 1] { start -= 1 }
            var present = 0
            for k in start..<end {
                let c = Int(order.indices[k])
                let m = counts.map { Int($0[c]) } ?? 1
                guard m > 0 else { continue }
                present += m
                let w = (weights?[c] ?? 1) * Double(m)
                if labels[c] { cumTP += w } else { cumFP += w }
            }
            if present > 0 {
                cumN += present
                thresholds.append(order.sorted[start])
                tp.append(cumTP)
                fp.append(cumFP)
                alerts.append(cumN)
            }
            end = start
        }
        self.thresholds = thresholds
        self.truePositives = tp
        self.falsePositives = fp
        self.alerts = alerts
        self.positives = cumTP
        self.negatives = cumFP
        self.count = cumN
        self.isWeighted = weights != nil
    }

    /// Sensitivity (true-positive rate) TP/P at index k.
    public func sensitivity(_ k: Int) -> Double { truePositives[k] / positives }
    /// Specificity TN/N at index k.
    public func specificity(_ k: Int) -> Double { 1 - falsePositives[k] / negatives }
    /// False-positive rate FP/N at index k.
    public func falsePositiveRate(_ k: Int) -> Double { falsePositives[k] / negatives }
    /// Positive predictive value TP/(TP + FP) at index k.
    public func positivePredictiveValue(_ k: Int) -> Double { truePositives[k] / (truePositives[k] + falsePositives[k]) }

    /// The index of the lowest distinct score ≥ `threshold` (the operating point of "score ≥ threshold"),
    /// or nil when no score reaches it (no alerts).
    public func index(atThreshold threshold: Double) -> Int? {
        // thresholds are descending: find the last index with thresholds[k] >= threshold.
        var lo = 0, hi = thresholds.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if thresholds[mid] >= threshold { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// ROC curve points (FPR, TPR), starting at (0, 0) and ending at (1, 1).
    public var rocCurve: [(falsePositiveRate: Double, truePositiveRate: Double)] {
        [(0, 0)] + thresholds.indices.map { (falsePositiveRate($0), sensitivity($0)) }
    }

    /// Area under the (weighted) ROC curve by the trapezoid rule over the sweep, which equals the
    /// Mann–Whitney form with ties counted ½; with weights it is Σᵢ Σⱼ wᵢwⱼ[sᵢ > sⱼ + ½·tie] / (Σ_pos w · Σ_neg w),
    /// scikit-learn's `roc_auc_score(sample_weight=)`. (For intervals of an unweighted AUC use `Discrimination.auc`.)
    public var areaUnderCurve: Double {
        var area = 0.0, previousTP = 0.0, previousFP = 0.0
        for k in thresholds.indices {
            area += (falsePositives[k] - previousFP) * (truePositives[k] + previousTP) / 2
            previousTP = truePositives[k]
            previousFP = falsePositives[k]
        }
        return area / (positives * negatives)
    }

    /// Precision–recall points at each distinct threshold (descending threshold).
    public var precisionRecallCurve: [(recall: Double, precision: Double, threshold: Double)] {
        thresholds.indices.map { (sensitivity($0), positivePredictiveValue($0), thresholds[$0]) }
    }

    /// Average precision, scikit-learn's definition: AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over thresholds in
    /// decreasing order with R₀ = 0 (a step function, no interpolation).
    public var averagePrecision: Double {
        var ap = 0.0, previousRecall = 0.0
        for k in thresholds.indices {
            let r = sensitivity(k)
            ap += (r - previousRecall) * positivePredictiveValue(k)
            previousRecall = r
        }
        return ap
    }
}
