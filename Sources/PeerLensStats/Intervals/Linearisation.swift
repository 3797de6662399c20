/// A point estimate with a design-based standard error obtained by linearisation, and its Wald interval.
public struct LinearisedEstimate: Sendable, Equatable, Codable {
    /// The estimate.
    public let estimate: Double
    /// Linearised (Taylor / influence-function) standard error.
    public let standardError: Double
    /// Wald interval estimate ± z·SE, clipped to the estimator's range where it has one (e.g. [0, 1] for AUC).
    public let interval: ConfidenceInterval
    /// Cases that entered the estimate.
    public let cases: Int
    /// Primary sampling units (clusters); equal to `cases` without clustering.
    public let clusters: Int
}

/// Design-based variance by Taylor linearisation, for estimators of a weighted, possibly clustered sample.
///
/// An estimator θ̂ that is a smooth function of weighted totals is replaced by its linearisation: each case k
/// gets a linearised value zₖ = wₖ·∂θ̂/∂wₖ (its weighted influence), the values are summed within clusters
/// (primary sampling units) to z_c, and with m clusters
///
///     V̂(θ̂) = m/(m − 1) · Σ_c (z_c − z̄)²,   z̄ = Σ_c z_c / m,
///
/// the with-replacement approximation at the cluster level (Särndal, Swensson & Wretman 1992, *Model Assisted
/// Survey Sampling*, §5.5–5.7; Binder 1983). It is what R's `survey` package computes for a design with
/// `ids = cluster, weights = w` and no strata. Without clusters every case is its own cluster. Cluster sums are
/// accumulated in first-seen order, so results do not depend on hashing.
public enum Linearisation {
    /// V̂ = m/(m − 1) Σ_c (z_c − z̄)² over the m clusters of `clusters` (or the cases).
    ///
    /// - Throws: `StatsError` for mismatched lengths, non-finite values or fewer than two clusters.
    public static func variance(_ z: [Double], clusters: [Int]?, _ statistic: String = "linearised variance") throws(StatsError) -> (variance: Double, clusters: Int) {
        try Validate.finite(z, statistic)
        var sums: [Double]
        if let clusters {
            try Validate.sameLength(z.count, clusters.count, statistic)
            var slot: [Int: Int] = [:]
            slot.reserveCapacity(min(z.count, 1 << 16))
            sums = []
            for i in z.indices {
                if let k = slot[clusters[i]] { sums[k] += z[i] } else { slot[clusters[i]] = sums.count; sums.append(z[i]) }
            }
        } else {
            sums = z
        }
        guard sums.count >= 2 else { throw StatsError(statistic, .invalidArgument("at least two clusters are needed for a variance")) }
        let m = Double(sums.count)
        let mean = sums.reduce(0, +) / m
        var squares = 0.0
        for s in sums { squares += (s - mean) * (s - mean) }
        return (m / (m - 1) * squares, sums.count)
    }

    /// `value` with the linearised standard error of `z` and its Wald interval at `level`, clipped to `bounds`.
    ///
    /// - Throws: as `variance`, and for a level outside (0, 1) or a non-finite value.
    public static func estimate(_ value: Double, linearised z: [Double], clusters: [Int]?, level: Double,
                                bounds: ClosedRange<Double>? = nil, _ statistic: String) throws(StatsError) -> LinearisedEstimate {
        try Validate.level(level, statistic)
        guard value.isFinite else { throw StatsError(statistic, .nonFiniteValue) }
        let (variance, m) = try Self.variance(z, clusters: clusters, statistic)
        let se = variance.squareRoot()
        let half = Distribution.zForLevel(level) * se
        var lower = value - half, upper = value + half
        if let bounds { lower = max(lower, bounds.lowerBound); upper = min(upper, bounds.upperBound) }
        return LinearisedEstimate(estimate: value, standardError: se, interval: ConfidenceInterval(lower: lower, upper: upper, level: level),
                                  cases: z.count, clusters: m)
    }
}
