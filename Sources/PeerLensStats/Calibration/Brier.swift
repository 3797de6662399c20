/// Brier score and its Murphy (1973) decomposition.
public struct BrierScore: Sendable, Equatable, Codable {
    /// Mean squared error (1/n)·Σ (pᵢ − yᵢ)².
    public let score: Double
    /// Reliability Σ nₖ(p̄ₖ − ōₖ)²/n over the bins (lower is better).
    public let reliability: Double
    /// Resolution Σ nₖ(ōₖ − ō)²/n (higher is better).
    public let resolution: Double
    /// Uncertainty ō(1 − ō).
    public let uncertainty: Double
    /// score − (reliability − resolution + uncertainty): zero when predictions are constant within bins;
    /// otherwise the within-bin variance terms of Stephenson, Coelho & Jolliffe (2008).
    public let decompositionResidual: Double
    /// Scaled Brier 1 − score/uncertainty (1 is perfect, 0 is no better than predicting the prevalence).
    public let scaled: Double
    /// Number of bins (equal width) used for the decomposition.
    public let binCount: Int

    /// Computes the score and its decomposition over `binCount` equal-width bins. With `weights` every
    /// mean is weighted: score Σw(p − y)²/Σw (scikit-learn's `brier_score_loss(sample_weight=)`), bin means
    /// and the base rate ō = Σwy/Σw likewise.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, probabilities outside [0, 1], or a single outcome
    ///   class (uncertainty 0, so the scaled score is undefined).
    public init(predictions: [Double], outcomes: [Bool], binCount: Int = 10, weights: [Double]? = nil) throws(StatsError) {
        let name = "Brier score"
        try Validate.predictions(predictions, outcomes, name)
        try Validate.twoClasses(outcomes, name)
        try Validate.weights(weights, count: predictions.count, name)
        guard binCount >= 1 else { throw StatsError(name, .invalidArgument("need at least one bin")) }
        self.init(validated: predictions, outcomes: outcomes, weights: weights,
                  accumulated: ReliabilityTable.accumulate(predictions, outcomes, edges: ReliabilityTable.equalWidthEdges(binCount), weights: weights))
    }

    init(validated predictions: [Double], outcomes: [Bool], weights: [Double]? = nil, accumulated acc: ReliabilityTable.BinSums) {
        let binCount = acc.count.count
        var se = 0.0, events = 0.0, n = 0.0
        for i in predictions.indices {
            let y = outcomes[i] ? 1.0 : 0.0
            let w = weights?[i] ?? 1
            se += w * (predictions[i] - y) * (predictions[i] - y)
            events += w * y
            n += w
        }
        let base = events / n
        var rel = 0.0, res = 0.0
        for k in 0..<binCount where acc.weight[k] > 0 {
            let c = acc.weight[k]
            let pk = acc.weightedPredicted[k] / c, ok = acc.weightedEvents[k] / c
            rel += c * (pk - ok) * (pk - ok)
            res += c * (ok - base) * (ok - base)
        }
        score = se / n
        reliability = rel / n
        resolution = res / n
        uncertainty = base * (1 - base)
        decompositionResidual = score - (reliability - resolution + uncertainty)
        scaled = 1 - score / uncertainty
        self.binCount = binCount
    }
}

/// The Brier score and the scaled Brier score with design-based (linearised) intervals.
public struct LinearisedBrier: Sendable, Equatable, Codable {
    /// Brier score Σw(p − y)²/Σw with its linearised interval (clipped to [0, 1]).
    public let score: LinearisedEstimate
    /// Scaled Brier 1 − B/(ō(1 − ō)) with its linearised interval (clipped above at 1).
    public let scaled: LinearisedEstimate

    /// Both scores of `predictions` against `outcomes`, weighted by `weights` (e.g. inverse review-sampling
    /// probabilities) and with variances over `clusters` (e.g. members), by `Linearisation.variance`.
    ///
    /// Linearised values, with W = Σw, B the Brier score, ō = Σwy/W and U = ō(1 − ō):
    /// z_B,k = wₖ((pₖ − yₖ)² − B)/W; z_ō,k = wₖ(yₖ − ō)/W; for the scaled score 1 − B/U,
    /// z_S,k = −z_B,k/U + B(1 − 2ō)·z_ō,k/U² (the delta method on the three totals). Unweighted and
    /// unclustered, the Brier interval is the Wald interval of a mean with an n − 1 variance denominator.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, predictions outside [0, 1], invalid weights, a
    ///   single outcome class (U = 0), fewer than two clusters, or a level outside (0, 1).
    public init(predictions: [Double], outcomes: [Bool], weights: [Double]? = nil, clusters: [Int]? = nil, level: Double = 0.95) throws(StatsError) {
        let name = "Brier score (linearised)"
        try Validate.predictions(predictions, outcomes, name)
        try Validate.twoClasses(outcomes, name)
        try Validate.weights(weights, count: predictions.count, name)
        var total = 0.0, squared = 0.0, events = 0.0
        for i in predictions.indices {
            let w = weights?[i] ?? 1, y = outcomes[i] ? 1.0 : 0.0
            total += w
            squared += w * (predictions[i] - y) * (predictions[i] - y)
            events += w * y
        }
        let brier = squared / total, base = events / total, uncertainty = base * (1 - base)
        guard uncertainty > 0 else { throw StatsError(name, .singleClass) }
        var zBrier = [Double](repeating: 0, count: predictions.count), zScaled = zBrier
        for i in predictions.indices {
            let w = weights?[i] ?? 1, y = outcomes[i] ? 1.0 : 0.0
            let b = w * ((predictions[i] - y) * (predictions[i] - y) - brier) / total
            let o = w * (y - base) / total
            zBrier[i] = b
            zScaled[i] = -b / uncertainty + brier * (1 - 2 * base) * o / (uncertainty * uncertainty)
        }
        score = try Linearisation.estimate(brier, linearised: zBrier, clusters: clusters, level: level, bounds: 0...1, name)
        scaled = try Linearisation.estimate(1 - brier / uncertainty, linearised: zScaled, clusters: clusters, level: level,
                                            bounds: -Double.infinity...1, name)
    }
}
