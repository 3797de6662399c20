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
