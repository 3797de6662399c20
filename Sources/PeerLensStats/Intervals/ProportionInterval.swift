import CGSL

/// Confidence intervals for a binomial proportion x/n.
public enum ProportionInterval {
    /// Wilson score interval (Wilson 1927; Newcombe 1998, method 3):
    /// centre (p̂ + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p̂(1−p̂)/n + z²/4n²),
    /// with z = Φ⁻¹(1 − α/2). Well-behaved at x = 0 and x = n (bounds stay in [0, 1]). Matches statsmodels
    /// `proportion_confint(method="wilson")` and R `prop.test(correct = FALSE)$conf.int`.
    ///
    /// - Throws: `StatsError` if `trials` < 1, `successes` is outside 0…trials, or the level is not in (0, 1).
    public static func wilson(successes: Int, trials: Int, level: Double = 0.95) throws(StatsError) -> ConfidenceInterval {
        try check(successes, trials, level, "Wilson interval")
        let n = Double(trials)
        let p = Double(successes) / n
        let z = Distribution.zForLevel(level)
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half), level: level)
    }

    /// Clopper–Pearson "exact" interval (Clopper & Pearson 1934) from beta quantiles:
    /// lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0), upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n).
    /// Conservative: coverage is at least the nominal level. Beta quantiles via `BetaQuantile` (GSL, with a
    /// bisection fallback where GSL's inverse fails for large counts).
    ///
    /// - Throws: as `wilson`.
    public static func clopperPearson(successes: Int, trials: Int, level: Double = 0.95) throws(StatsError) -> ConfidenceInterval {
        try check(successes, trials, level, "Clopper–Pearson interval")
        _ = GSLRuntime.installed
        let alpha = 1 - level
        let x = Double(successes), n = Double(trials)
        let lower = successes == 0 ? 0 : BetaQuantile.inverse(alpha / 2, x, n - x + 1)
        let upper = successes == trials ? 1 : BetaQuantile.inverse(1 - alpha / 2, x + 1, n - x)
        return ConfidenceInterval(lower: lower, upper: upper, level: level)
    }

    /// Wilson interval for a proportion `rate` observed with a real-valued (effective) sample size, e.g.
    /// Kish's (Σw)²/Σw² for weighted data. The same formula as `wilson(successes:trials:)`.
    static func wilson(rate p: Double, effectiveSize n: Double, level: Double) -> ConfidenceInterval {
        let z = Distribution.zForLevel(level)
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return ConfidenceInterval(lower: max(0, centre - half), upper: min(1, centre + half), level: level)
    }

    private static func check(_ x: Int, _ n: Int, _ level: Double, _ name: String) throws(StatsError) {
        if n < 1 { throw StatsError(name, .emptyInput) }
        if x < 0 || x > n { throw StatsError(name, .invalidArgument("successes must be between 0 and the number of trials")) }
        try Validate.level(level, name)
    }
}

/// A proportion with its interval.
public struct Proportion: Sendable, Equatable, Codable {
    /// Successes.
    public let successes: Int
    /// Trials.
    public let trials: Int
    /// successes / trials.
    public var estimate: Double { Double(successes) / Double(trials) }
    /// Wilson interval.
    public let interval: ConfidenceInterval

    /// A proportion with its Wilson interval; nil when `trials` is 0 (the proportion is undefined).
    public static func wilson(_ successes: Int, of trials: Int, level: Double = 0.95) -> Proportion? {
        guard trials > 0, let ci = try? ProportionInterval.wilson(successes: successes, trials: trials, level: level) else { return nil }
        return Proportion(successes: successes, trials: trials, interval: ci)
    }
}

/// A weighted proportion from a weighted (possibly clustered) sample, with a design-based interval.
public struct WeightedProportion: Sendable, Equatable, Codable {
    /// p̂ = Σ wᵢ yᵢ / Σ wᵢ.
    public let estimate: Double
    /// Taylor-linearised standard error of p̂.
    public let standardError: Double
    /// Kish-style effective sample size p̂(1 − p̂)/SE² (nil when p̂ is 0 or 1 or SE is 0).
    public let effectiveSize: Double?
    /// Wilson interval computed with the effective sample size (Korn & Graubard 1998's idea applied to
    /// the Wilson interval); when p̂ is 0 or 1 the interval uses the number of sampled units instead.
    public let interval: ConfidenceInterval
    /// Sampled cases and primary sampling units (clusters) that entered the estimate.
    public let cases: Int
    /// Clusters (equal to `cases` without clustering).
    public let clusters: Int

    /// The weighted share of `outcomes` among cases, e.g. sensitivity over reviewed positives weighted by
    /// inverse review-sampling probabilities.
    ///
    /// Variance by linearisation of the ratio Σwy/Σw (Särndal, Swensson & Wretman 1992, *Model Assisted
    /// Survey Sampling*, §5.6), with-replacement approximation at the cluster level:
    /// zᵢ = wᵢ(yᵢ − p̂)/Σw, summed within cluster to z_c, V̂ = m/(m − 1) · Σ_c (z_c − z̄)² for m clusters
    /// (`Linearisation.variance`; z̄ is 0 here up to rounding).
    /// This is what R's `survey::svymean` and `samplics`' `TaylorEstimator("proportion")` compute for a
    /// design with `ids = cluster, weights = w` and no strata (reference values in the tests come from
    /// samplics). Without `clusters`, every case is its own cluster.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, non-positive or non-finite weights, a level
    ///   outside (0, 1), or fewer than two clusters.
    public init(outcomes: [Bool], weights: [Double], clusters: [Int]? = nil, level: Double = 0.95) throws(StatsError) {
        let name = "weighted proportion"
        try Validate.sameLength(outcomes.count, weights.count, name)
        guard !outcomes.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.weights(weights, count: outcomes.count, name)
        try Validate.level(level, name)
        if let clusters { try Validate.sameLength(clusters.count, outcomes.count, name) }
        var total = 0.0, hits = 0.0
        for (y, w) in zip(outcomes, weights) { total += w; if y { hits += w } }
        let p = hits / total
        let z = outcomes.indices.map { weights[$0] * ((outcomes[$0] ? 1 : 0) - p) / total }
        let (variance, clusterCount) = try Linearisation.variance(z, clusters: clusters, name)
        let m = Double(clusterCount)
        let se = variance.squareRoot()
        let effective: Double? = (p > 0 && p < 1 && variance > 0) ? p * (1 - p) / variance : nil
        self.estimate = p
        self.standardError = se
        self.effectiveSize = effective
        self.interval = ProportionInterval.wilson(rate: p, effectiveSize: effective ?? m, level: level)
        self.cases = outcomes.count
        self.clusters = clusterCount
    }
}
