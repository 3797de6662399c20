/// Result of a t test.
public struct TTestResult: Sendable, Equatable, Codable {
    /// t statistic.
    public let statistic: Double
    /// Degrees of freedom (Welch–Satterthwaite for the unequal-variance test).
    public let degreesOfFreedom: Double
    /// Two-sided p-value.
    public let pValue: Double
    /// The estimated mean difference.
    public let estimate: Double
    /// Interval for the mean difference.
    public let interval: ConfidenceInterval
}

/// Tests comparing means.
public enum MeanTests {
    /// Paired t test of x − y (Student 1908): t = d̄ / (s_d/√n), n − 1 degrees of freedom.
    ///
    /// - Throws: `StatsError` for mismatched lengths, fewer than 2 pairs, non-finite values, or all
    ///   differences equal (zero variance).
    public static func pairedT(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> TTestResult {
        let name = "paired t test"
        try Validate.sameLength(x.count, y.count, name)
        try Validate.finite(x, name); try Validate.finite(y, name)
        guard x.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: x.count)) }
        let d = zip(x, y).map { $0 - $1 }
        let (mean, variance) = meanAndVariance(d)
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let se = (variance / Double(d.count)).squareRoot()
        return result(mean, se, df: Double(d.count - 1), level: level)
    }

    /// Welch's unequal-variance t test of mean(x) − mean(y) (Welch 1947): t = (x̄ − ȳ)/√(s²ₓ/nₓ + s²ᵧ/nᵧ),
    /// df = (s²ₓ/nₓ + s²ᵧ/nᵧ)² / ((s²ₓ/nₓ)²/(nₓ−1) + (s²ᵧ/nᵧ)²/(nᵧ−1)).
    ///
    /// - Throws: `StatsError` for a group with fewer than 2 values, non-finite values, or zero variance in both.
    public static func welch(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> TTestResult {
        let name = "Welch t test"
        guard x.count >= 2, y.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: min(x.count, y.count))) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        let (mx, vx) = meanAndVariance(x), (my, vy) = meanAndVariance(y)
        let ax = vx / Double(x.count), ay = vy / Double(y.count)
        guard ax + ay > 0 else { throw StatsError(name, .allTied) }
        let df = (ax + ay) * (ax + ay) / (ax * ax / Double(x.count - 1) + ay * ay / Double(y.count - 1))
        return result(mx - my, (ax + ay).squareRoot(), df: df, level: level)
    }

    private static func result(_ estimate: Double, _ se: Double, df: Double, level: Double) -> TTestResult {
        let t = estimate / se
        let half = Distribution.tQuantile(1 - (1 - level) / 2, df: df) * se
        return TTestResult(statistic: t, degreesOfFreedom: df, pValue: Distribution.twoSidedTP(t, df: df), estimate: estimate,
                           interval: ConfidenceInterval(lower: estimate - half, upper: estimate + half, level: level))
    }
}
