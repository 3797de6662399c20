import CGSL

/// A difference of two independent estimates with a normal (Wald) interval and test.
public struct DifferenceTest: Sendable, Equatable, Codable {
    /// a − b.
    public let difference: Double
    /// √(seA² + seB²).
    public let standardError: Double
    /// difference ± z·SE, z = Φ⁻¹(1 − α/2).
    public let interval: ConfidenceInterval
    /// z = difference / SE.
    public let z: Double
    /// Two-sided p-value 2·Φ(−|z|).
    public let pValue: Double

    /// Compares two estimates from independent samples (e.g. a subgroup and the rest of the population), each
    /// with its standard error: the Wald test of H₀: a = b (e.g. Agresti 2013, *Categorical Data Analysis*,
    /// §1.4 for proportions; any asymptotically normal estimator with a design-based or model-based SE).
    ///
    /// - Throws: `StatsError` when an input is not finite, a standard error is negative, both are zero, or
    ///   the level is not in (0, 1).
    public init(a: Double, standardErrorA seA: Double, b: Double, standardErrorB seB: Double, level: Double = 0.95) throws(StatsError) {
        let name = "difference test"
        try Validate.finite([a, b, seA, seB], name)
        try Validate.level(level, name)
        guard seA >= 0, seB >= 0, seA + seB > 0 else { throw StatsError(name, .invalidArgument("standard errors must be non-negative and not both zero")) }
        _ = GSLRuntime.installed
        let se = (seA * seA + seB * seB).squareRoot()
        let d = a - b
        let zc = Distribution.zForLevel(level)
        difference = d
        standardError = se
        interval = ConfidenceInterval(lower: d - zc * se, upper: d + zc * se, level: level)
        z = d / se
        pValue = Distribution.twoSidedNormalP(d / se)
    }
}
