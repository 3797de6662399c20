/// Result of a test for trend in proportions.
public struct TrendTestResult: Sendable, Equatable, Codable {
    /// χ² = z², referred to χ² with 1 degree of freedom (R's `X-squared`).
    public let statistic: Double
    /// Signed z = T/√V: positive when the proportion rises with the score, negative when it falls.
    public let zStatistic: Double
    /// Two-sided p-value P(χ²₁ ≥ statistic) = 2·Φ(−|z|).
    public let pValue: Double
    /// Always 1.
    public let degreesOfFreedom: Int
}

/// Tests for a trend in proportions across ordered groups.
public enum TrendTests {
    /// The Cochran–Armitage test for a linear trend in proportions xᵢ/nᵢ across groups with scores sᵢ, exactly as
    /// R's `prop.trend.test(x, n, score)` computes it.
    ///
    /// With N = Σnᵢ, p̄ = Σxᵢ/N and s̄ = Σnᵢsᵢ/N:
    ///
    ///     T = Σ xᵢ(sᵢ − s̄),   V = p̄(1 − p̄)·Σ nᵢ(sᵢ − s̄)²,   z = T/√V,   χ² = z² on 1 df.
    ///
    /// V is the variance of T under H₀ (a common proportion) with the **binomial** variance p̄(1 − p̄) — the
    /// maximum-likelihood estimate, denominator N, not N − 1. R obtains the same χ² as the regression sum of
    /// squares of the weighted least-squares fit of xᵢ/nᵢ on sᵢ with weights nᵢ/(p̄(1 − p̄)) (`anova(lm(…))`),
    /// and this is the textbook statistic of Armitage (1955) and of Agresti's *Categorical Data Analysis*
    /// (there written with Σnᵢsᵢ² − (Σnᵢsᵢ)²/N for Σnᵢ(sᵢ − s̄)²). The permutation (hypergeometric) version, such as the linear-by-linear test
    /// M² = (N − 1)r², uses the variance with N − 1 in place of N and equals (N − 1)/N · χ² here.
    ///
    /// The statistic does not change under sᵢ → a + b·sᵢ with b ≠ 0, except that the sign of z flips for b < 0;
    /// the default scores 0, 1, 2, … therefore give R's default 1, 2, 3, … result. Groups with nᵢ = 0 carry no
    /// information and drop out of every sum (R's `lm` drops their 0/0 row).
    ///
    /// References: Cochran (1954), *Biometrics* 10:417–451; Armitage (1955), *Biometrics* 11:375–386; Agresti
    /// (2013), *Categorical Data Analysis*, 3rd ed. (Cochran–Armitage trend test); R `stats::prop.trend.test`.
    ///
    /// - Parameters:
    ///   - successes: xᵢ, the number of successes in each group, in score order.
    ///   - totals: nᵢ, the group sizes.
    ///   - scores: sᵢ, finite; nil means 0, 1, 2, ….
    /// - Throws: `StatsError` for fewer than 2 groups (`invalidArgument`), mismatched lengths (`lengthMismatch`),
    ///   negative counts or successes above a group's total (`invalidArgument`), all totals zero (`emptyInput`),
    ///   non-finite scores (`nonFiniteValue`), scores constant across the non-empty groups (`allTied`), or
    ///   all successes or all failures, where p̄(1 − p̄) = 0 (`singleClass`).
    public static func cochranArmitage(successes: [Int], totals: [Int], scores: [Double]? = nil) throws(StatsError) -> TrendTestResult {
        let name = "Cochran–Armitage trend test"
        try Validate.sameLength(successes.count, totals.count, name)
        if let scores { try Validate.sameLength(successes.count, scores.count, name) }
        guard successes.count >= 2 else { throw StatsError(name, .invalidArgument("need at least 2 groups")) }
        for (x, n) in zip(successes, totals) {
            guard x >= 0, n >= 0 else { throw StatsError(name, .invalidArgument("counts must be non-negative")) }
            guard x <= n else { throw StatsError(name, .invalidArgument("a group has more successes than its total")) }
        }
        let s = scores ?? successes.indices.map(Double.init)
        try Validate.finite(s, name)
        let total = Double(totals.reduce(0, +))
        guard total > 0 else { throw StatsError(name, .emptyInput) }
        let events = Double(successes.reduce(0, +))
        guard events > 0, events < total else { throw StatsError(name, .singleClass) }
        var meanScore = 0.0
        for (n, score) in zip(totals, s) { meanScore += Double(n) * score }
        meanScore /= total
        var trend = 0.0, spread = 0.0
        for i in s.indices {
            let deviation = s[i] - meanScore
            trend += Double(successes[i]) * deviation
            spread += Double(totals[i]) * deviation * deviation
        }
        // Tested exactly, not through spread > 0: rounding in s̄ can leave a tiny positive spread for equal scores.
        let used = s.indices.filter { totals[$0] > 0 }.map { s[$0] }
        guard used.contains(where: { $0 != used[0] }), spread > 0 else { throw StatsError(name, .allTied) }
        let pooled = events / total
        let z = trend / (pooled * (1 - pooled) * spread).squareRoot()
        let chiSquared = z * z
        return TrendTestResult(statistic: chiSquared, zStatistic: z,
                               pValue: Distribution.chiSquaredUpper(chiSquared, df: 1), degreesOfFreedom: 1)
    }
}
