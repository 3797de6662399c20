/// Everything a safety team needs about one risk model's scores in one pass:
/// discrimination (AUC with DeLong interval), the full threshold sweep, the
/// equal-width reliability table with ECE/MCE, and the Brier score with its
/// Murphy decomposition. Shares one sort and one binning pass between them, so
/// it is the fast path for large score sets (see `Benchmarks/StatsBenchmark`).
public struct RiskModelEvaluation: Sendable {
    /// AUC with its DeLong interval.
    public let auc: AUCResult
    /// Confusion counts at every distinct threshold.
    public let sweep: ThresholdSweep
    /// Equal-width reliability table (ECE and MCE included).
    public let reliability: ReliabilityTable
    /// Brier score and decomposition over the same bins.
    public let brier: BrierScore

    /// Evaluates probability scores against binary outcomes.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, scores outside [0, 1] or not finite, a single
    ///   outcome class, fewer than one bin, or a bad level.
    public init(scores: [Double], outcomes: [Bool], binCount: Int = 10, level: Double = 0.95) throws(StatsError) {
        let name = "risk model evaluation"
        try Validate.sameLength(scores.count, outcomes.count, name)
        try Validate.probabilities(scores, name)
        try Validate.twoClasses(outcomes, name)
        try Validate.level(level, name)
        guard binCount >= 1 else { throw StatsError(name, .invalidArgument("need at least one bin")) }
        let order = ScoreOrder(scores)
        let delong = DeLongComponents(scores: scores, labels: outcomes, order: order)
        let z = Distribution.zForLevel(level)
        let se = delong.variance.squareRoot()
        auc = AUCResult(auc: delong.auc, variance: delong.variance,
                        interval: ConfidenceInterval(lower: max(0, delong.auc - z * se), upper: min(1, delong.auc + z * se), level: level),
                        positives: delong.positives, negatives: delong.negatives)
        sweep = ThresholdSweep(order: order, labels: outcomes, weights: nil)
        let edges = ReliabilityTable.equalWidthEdges(binCount)
        let accumulated = ReliabilityTable.accumulate(scores, outcomes, edges: edges)
        reliability = try ReliabilityTable(accumulated: accumulated, edges: edges, strategy: .equalWidth, level: level)
        brier = BrierScore(validated: scores, outcomes: outcomes, accumulated: accumulated)
    }
}
