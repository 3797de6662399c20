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
        var area = 0.0, previousFPR = 0.0, previousTPR = 0.0
        for k in thresholds.indices {
            let fpr = falsePositiveRate(k), tpr = sensitivity(k)
            if fpr <= m {
                area += (fpr - previousFPR) * (tpr + previousTPR) / 2
                previousFPR = fpr
                previousTPR = tpr
                continue
            }
            let atBoundary = previousTPR + (tpr - previousTPR) * (m - previousFPR) / (fpr - previousFPR)
            area += (m - previousFPR) * (atBoundary + previousTPR) / 2
            break
        }
        return area
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
