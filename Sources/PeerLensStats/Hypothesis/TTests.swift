/// Result of a t test.
public struct TTestResult: Sendable, Equatable, Codable {
    /// t statistic.
    public let statistic: Double
    /// Degrees of freedom (Welch–Satterthwaite for the unequal-variance test).
    public let degreesOfFreedom: Double
    /// Two-sided p-value 2·P(T_df ≥ |t|).
    public let pValue: Double
    /// The estimated mean difference (mean of x − y for paired data, x̄ − ȳ otherwise).
    public let estimate: Double
    /// Standard error of the estimate.
    public let standardError: Double
    /// t interval for the mean difference: estimate ± t_{df, 1−α/2}·SE.
    public let interval: ConfidenceInterval
}

/// Two-sided t tests comparing means, matching R's `t.test` and scipy's `ttest_rel`/`ttest_ind`.
public enum MeanTests {
    /// Paired t test of x − y (Student 1908): dᵢ = xᵢ − yᵢ, t = d̄/(s_d/√n), s_d with the n − 1 denominator,
    /// n − 1 degrees of freedom. R: `t.test(x, y, paired = TRUE)`.
    ///
    /// - Throws: `StatsError` for mismatched lengths, no pairs, fewer than 2 pairs, non-finite values, or all
    ///   differences equal (zero variance: `allTied`).
    public static func pairedT(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> TTestResult {
        let name = "paired t test"
        try Validate.sameLength(x.count, y.count, name)
        guard !x.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        try Validate.level(level, name)
        guard x.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: x.count)) }
        let d = zip(x, y).map { $0 - $1 }
        let (mean, variance) = meanAndVariance(d)
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let se = (variance / Double(d.count)).squareRoot()
        return result(mean, se, df: Double(d.count - 1), level: level)
    }

    /// Welch's unequal-variance t test of mean(x) − mean(y) (Welch 1947): t = (x̄ − ȳ)/√(s²ₓ/nₓ + s²ᵧ/nᵧ),
    /// df = (s²ₓ/nₓ + s²ᵧ/nᵧ)² / ((s²ₓ/nₓ)²/(nₓ−1) + (s²ᵧ/nᵧ)²/(nᵧ−1)), variances with n − 1 denominators.
    /// R: `t.test(x, y)` (its default); scipy: `ttest_ind(x, y, equal_var=False)`.
    ///
    /// - Throws: `StatsError` for an empty group, a group with fewer than 2 values, non-finite values, or zero
    ///   variance in both groups (`allTied`).
    public static func welch(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> TTestResult {
        let name = "Welch t test"
        let (mx, vx, my, vy) = try twoSamples(x, y, level, name)
        let ax = vx / Double(x.count), ay = vy / Double(y.count)
        guard ax + ay > 0 else { throw StatsError(name, .allTied) }
        let df = (ax + ay) * (ax + ay) / (ax * ax / Double(x.count - 1) + ay * ay / Double(y.count - 1))
        return result(mx - my, (ax + ay).squareRoot(), df: df, level: level)
    }

    /// Student's equal-variance two-sample t test: s²_p = ((nₓ−1)s²ₓ + (nᵧ−1)s²ᵧ)/(nₓ + nᵧ − 2),
    /// t = (x̄ − ȳ)/(s_p·√(1/nₓ + 1/nᵧ)), nₓ + nᵧ − 2 degrees of freedom. R: `t.test(x, y, var.equal = TRUE)`.
    ///
    /// - Throws: as `welch`.
    public static func student(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> TTestResult {
        let name = "Student t test"
        let (mx, vx, my, vy) = try twoSamples(x, y, level, name)
        let nx = Double(x.count), ny = Double(y.count)
        let pooled = ((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2)
        guard pooled > 0 else { throw StatsError(name, .allTied) }
        return result(mx - my, (pooled * (1 / nx + 1 / ny)).squareRoot(), df: nx + ny - 2, level: level)
    }

    private static func twoSamples(_ x: [Double], _ y: [Double], _ level: Double, _ name: String) throws(StatsError)
        -> (Double, Double, Double, Double) {
        guard !x.isEmpty, !y.isEmpty else { throw StatsError(name, .emptyInput) }
        guard x.count >= 2, y.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: min(x.count, y.count))) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        try Validate.level(level, name)
        let (mx, vx) = meanAndVariance(x), (my, vy) = meanAndVariance(y)
        return (mx, vx, my, vy)
    }

    private static func result(_ estimate: Double, _ se: Double, df: Double, level: Double) -> TTestResult {
        let t = estimate / se
        let half = Distribution.tQuantile(1 - (1 - level) / 2, df: df) * se
        return TTestResult(statistic: t, degreesOfFreedom: df, pValue: Distribution.twoSidedTP(t, df: df), estimate: estimate,
                           standardError: se,
                           interval: ConfidenceInterval(lower: estimate - half, upper: estimate + half, level: level))
    }
}
