/// A standardised mean difference with its interval.
///
/// Intervals use the Hedges & Olkin (1985, eq. 5.15) large-sample normal approximation
/// d ± z₁₋α/₂·SE(d); Hedges' g's interval is J times d's (its SE is J·SE(d)), as in Borenstein et al. (2009,
/// ch. 4). The approximation is good for n of about 20 per group and |d| < 2; the exact alternative (inverting
/// the noncentral t) is not offered because GSL has no noncentral t distribution.
public struct EffectSize: Sendable, Equatable, Codable {
    /// What the mean difference is divided by.
    public enum Standardiser: String, Sendable, Codable {
        /// The pooled SD of two independent groups, √(((nₓ−1)s²ₓ + (nᵧ−1)s²ᵧ)/(nₓ + nᵧ − 2)).
        case pooledStandardDeviation
        /// The SD of the paired differences (n − 1 denominator): Cohen's d_z.
        case standardDeviationOfDifferences
    }

    /// Cohen's d: the mean difference over `standardiser`.
    public let cohensD: Double
    /// Hedges' g = J·d with the small-sample correction J = 1 − 3/(4·df − 1) (Hedges 1981), df = nₓ + nᵧ − 2
    /// for independent groups (so J = 1 − 3/(4(nₓ + nᵧ) − 9)) and n − 1 for paired data.
    public let hedgesG: Double
    /// Normal-approximation standard error of d: √((nₓ + nᵧ)/(nₓnᵧ) + d²/(2(nₓ + nᵧ))) for independent groups,
    /// √(1/n + d²/(2n)) for paired data (d_z). g's is J times it.
    public let standardErrorD: Double
    /// d ± z·SE(d).
    public let intervalD: ConfidenceInterval
    /// J·(d ± z·SE(d)).
    public let intervalG: ConfidenceInterval
    /// The standardiser used.
    public let standardiser: Standardiser

    /// Effect size of two independent groups (x̄ − ȳ), standardised by the pooled SD. statsmodels'
    /// `effectsize_smd` gives the same g.
    ///
    /// - Throws: `StatsError` for an empty group or fewer than 2 values in one, non-finite values, a level outside
    ///   (0, 1), or zero pooled SD (`allTied`).
    public static func independent(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> EffectSize {
        let name = "Cohen's d"
        guard !x.isEmpty, !y.isEmpty else { throw StatsError(name, .emptyInput) }
        guard x.count >= 2, y.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: min(x.count, y.count))) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        try Validate.level(level, name)
        let (mx, vx) = meanAndVariance(x), (my, vy) = meanAndVariance(y)
        let nx = Double(x.count), ny = Double(y.count)
        let pooled = (((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2)).squareRoot()
        guard pooled > 0 else { throw StatsError(name, .allTied) }
        let d = (mx - my) / pooled
        let se = ((nx + ny) / (nx * ny) + d * d / (2 * (nx + ny))).squareRoot()
        return make(d: d, se: se, df: nx + ny - 2, level: level, .pooledStandardDeviation)
    }

    /// Effect size of paired data (x − y), standardised by the SD of the differences: Cohen's d_z = d̄/s_d
    /// (Cohen 1988, §2.3; Lakens 2013). Note d_z is not comparable with a between-groups d when the pairs are
    /// correlated.
    ///
    /// - Throws: `StatsError` for mismatched lengths, no pairs or only one, non-finite values, a level outside
    ///   (0, 1), or all differences equal (`allTied`).
    public static func paired(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> EffectSize {
        let name = "Cohen's d_z"
        try Validate.pairs(x, y, level: level, name)
        let (mean, variance) = meanAndVariance(zip(x, y).map { $0 - $1 })
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let n = Double(x.count)
        let d = mean / variance.squareRoot()
        let se = (1 / n + d * d / (2 * n)).squareRoot()
        return make(d: d, se: se, df: n - 1, level: level, .standardDeviationOfDifferences)
    }

    private static func make(d: Double, se: Double, df: Double, level: Double, _ standardiser: Standardiser) -> EffectSize {
        let j = 1 - 3 / (4 * df - 1)
        let z = Distribution.zForLevel(level)
        return EffectSize(cohensD: d, hedgesG: j * d, standardErrorD: se,
                          intervalD: ConfidenceInterval(lower: d - z * se, upper: d + z * se, level: level),
                          intervalG: ConfidenceInterval(lower: j * (d - z * se), upper: j * (d + z * se), level: level),
                          standardiser: standardiser)
    }
}

/// The pre–post standardised mean change standardised by the SD of the baseline scores (Becker 1988; "SMCR" in
/// metafor's `escalc`): the effect that published benchmarks of uncontrolled pre–post change report, unlike d_z.
///
/// d = (ȳ₂ − ȳ₁)/s₁ with s₁ the SD of the baseline (first) scores, n − 1 denominator. Its large-sample variance
/// (Becker 1988; the sampling variance metafor's `escalc` uses for SMCR) is Var(d) ≈ 2(1 − r)/n + d²/(2n), with r the Pearson correlation of the
/// baseline and follow-up scores, and the interval is d ± z₁₋α/₂·√Var(d). The small-sample corrected g = J·d,
/// J = 1 − 3/(4(n − 1) − 1), has the same variance with g in place of d (as metafor computes it); its interval is
/// g ± z·√Var(g). When the follow-up scores are all equal r is undefined (no covariance): it is taken as 0.
public struct StandardisedMeanChange: Sendable, Equatable, Codable {
    /// d = (mean follow-up − mean baseline)/SD of the baseline scores (n − 1).
    public let d: Double
    /// g = J·d, the small-sample corrected d.
    public let g: Double
    /// Pearson correlation of baseline and follow-up scores (0 when the follow-up scores are all equal).
    public let correlation: Double
    /// The SD of the baseline scores (n − 1) that standardises the change.
    public let baselineStandardDeviation: Double
    /// Number of pairs.
    public let count: Int
    /// √(2(1 − r)/n + d²/(2n)).
    public let standardErrorD: Double
    /// d ± z·SE(d).
    public let intervalD: ConfidenceInterval
    /// g ± z·√(2(1 − r)/n + g²/(2n)).
    public let intervalG: ConfidenceInterval

    enum CodingKeys: String, CodingKey {
        case d, g, correlation, baselineStandardDeviation = "baseline_standard_deviation", count
        case standardErrorD = "standard_error_d", intervalD = "interval_d", intervalG = "interval_g"
    }

    /// The standardised change from `before` to `after` (paired by position).
    ///
    /// - Throws: `StatsError` for mismatched lengths, no pairs or only one, non-finite values, a level outside
    ///   (0, 1), or baseline scores all equal (`allTied`: no SD to standardise by).
    public static func baselineStandardised(before: [Double], after: [Double], level: Double = 0.95) throws(StatsError) -> StandardisedMeanChange {
        let name = "standardised mean change (baseline SD)"
        try Validate.pairs(before, after, level: level, name)
        let (m1, v1) = meanAndVariance(before), (m2, v2) = meanAndVariance(after)
        guard v1 > 0 else { throw StatsError(name, .allTied) }
        let n = Double(before.count)
        let covariance = zip(before, after).map { ($0 - m1) * ($1 - m2) }.reduce(0, +) / (n - 1)
        let r = v2 > 0 ? covariance / (v1 * v2).squareRoot() : 0
        let s1 = v1.squareRoot()
        let d = (m2 - m1) / s1
        let j = 1 - 3 / (4 * (n - 1) - 1)
        let g = j * d
        let z = Distribution.zForLevel(level)
        func se(_ e: Double) -> Double { (2 * (1 - r) / n + e * e / (2 * n)).squareRoot() }
        return StandardisedMeanChange(d: d, g: g, correlation: r, baselineStandardDeviation: s1, count: before.count, standardErrorD: se(d),
                                      intervalD: ConfidenceInterval(lower: d - z * se(d), upper: d + z * se(d), level: level),
                                      intervalG: ConfidenceInterval(lower: g - z * se(g), upper: g + z * se(g), level: level))
    }
}
