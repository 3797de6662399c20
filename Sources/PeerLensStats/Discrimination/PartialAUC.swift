/// The partial area under the ROC curve over false-positive rates 0 … `maxFalsePositiveRate`, raw and
/// standardised.
///
/// A crisis model runs at a low false-positive rate, where the full AUC says little: the partial area keeps
/// only the part of the curve the team can operate in.
public struct PartialAUCResult: Sendable, Equatable, Codable {
    /// The upper end m of the false-positive-rate range, in (0, 1].
    public let maxFalsePositiveRate: Double
    /// The raw partial area ∫₀ᵐ TPR d(FPR), in [0, m].
    public let raw: Double
    /// McClish's standardised partial area (McClish 1989, Med Decis Making 9:190), in [0, 1] for curves above
    /// the diagonal: ½·(1 + (A − m²/2)/(m − m²/2)), so that 0.5 is chance and 1 a perfect ranking over the
    /// range (pROC's `auc(…, partial.auc.correct = TRUE)`, scikit-learn's `roc_auc_score(max_fpr = m)`).
    /// With m = 1 it equals the full AUC.
    public let standardized: Double

    /// McClish's standardisation of a raw partial area `raw` over FPR ≤ `maxFalsePositiveRate`.
    public static func standardize(_ raw: Double, maxFalsePositiveRate m: Double) -> Double {
        let minimum = m * m / 2, maximum = m
        return 0.5 * (1 + (raw - minimum) / (maximum - minimum))
    }

    /// Creates a result from the raw area; the standardised one follows.
    public init(raw: Double, maxFalsePositiveRate: Double) {
        self.maxFalsePositiveRate = maxFalsePositiveRate
        self.raw = raw
        standardized = Self.standardize(raw, maxFalsePositiveRate: maxFalsePositiveRate)
    }
}

extension ThresholdSweep {
    /// The raw partial area under the ROC curve over FPR ∈ [0, m]: the trapezoid rule over the ROC points
    /// (FPRₖ, TPRₖ) of the sweep from (0, 0), with the curve interpolated linearly between the last point at
    /// or below m and the first above it (as scikit-learn's `roc_auc_score(max_fpr=)` and pROC's `auc(…,
    /// partial.auc =)` do). Ties are one ROC point (a diagonal segment), weights weight the counts.
    public func partialArea(maxFalsePositiveRate m: Double) -> Double {
        var area = PartialROCArea(limit: m)
        for k in thresholds.indices {
            guard area.add(fpr: falsePositiveRate(k), tpr: sensitivity(k)) else { break }
        }
        return area.area
    }
}

/// The trapezoid rule over ROC points given in order of increasing FPR from (0, 0), cut at FPR = `limit` with
/// the curve interpolated linearly between the last point at or below it and the first above it. Shared by
/// `ThresholdSweep.partialArea` and the bootstrap's replicates, so that both compute the same area.
struct PartialROCArea {
    /// The upper end of the FPR range.
    let limit: Double
    /// The area so far (final once `add` has returned false).
    private(set) var area = 0.0
    private var previousFPR = 0.0, previousTPR = 0.0

    init(limit: Double) { self.limit = limit }

    /// Adds the next ROC point; false once the curve has passed `limit` (the area is then complete).
    mutating func add(fpr: Double, tpr: Double) -> Bool {
        guard fpr > limit else {
            area += (fpr - previousFPR) * (tpr + previousTPR) / 2
            (previousFPR, previousTPR) = (fpr, tpr)
            return true
        }
        let atBoundary = previousTPR + (tpr - previousTPR) * (limit - previousFPR) / (fpr - previousFPR)
        area += (limit - previousFPR) * (atBoundary + previousTPR) / 2
        return false
    }
}

extension Discrimination {
    /// Partial AUC over FPR ∈ [0, `maxFalsePositiveRate`], raw and McClish-standardised
    /// (`ThresholdSweep.partialArea`, `PartialAUCResult`); with `weights`, the ROC curve of weighted counts
    /// (scikit-learn's `roc_auc_score(…, sample_weight=, max_fpr=)`). Higher scores indicate positives.
    ///
    /// - Throws: `StatsError` as `ThresholdSweep`, or for `maxFalsePositiveRate` outside (0, 1].
    public static func partialAUC(scores: [Double], labels: [Bool], weights: [Double]? = nil,
                                  maxFalsePositiveRate m: Double) throws(StatsError) -> PartialAUCResult {
        guard m > 0, m <= 1 else { throw StatsError("partial AUC", .invalidArgument("the maximum false-positive rate must be in (0, 1]")) }
        let sweep = try ThresholdSweep(scores: scores, labels: labels, weights: weights)
        return PartialAUCResult(raw: sweep.partialArea(maxFalsePositiveRate: m), maxFalsePositiveRate: m)
    }
}
