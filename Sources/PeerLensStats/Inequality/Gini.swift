/// The Gini coefficient of non-negative values (e.g. replies received per member).
public struct GiniCoefficient: Sendable, Equatable, Codable {
    /// G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄), computed in O(n log n) as
    /// G = (2 Σᵢ i·x₍ᵢ₎)/(n Σ x) − (n + 1)/n on the ascending order statistics; 0 is perfect equality.
    public let gini: Double
    /// The small-sample version n/(n − 1)·G (unbiased for the population Gini under simple random sampling).
    public let corrected: Double
    /// Bootstrap interval for G (resampling values), when requested.
    public let interval: BootstrapResult?

    /// Computes G (and, with `replicates` > 0, a seeded percentile bootstrap interval).
    ///
    /// - Throws: `StatsError` for fewer than 2 values, negative or non-finite values, or a zero total.
    public init(_ values: [Double], replicates: Int = 0, level: Double = 0.95, seed: UInt64 = 1) throws(StatsError) {
        let name = "Gini coefficient"
        guard values.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: values.count)) }
        try Validate.finite(values, name)
        guard values.allSatisfy({ $0 >= 0 }) else { throw StatsError(name, .invalidArgument("values must be non-negative")) }
        guard values.reduce(0, +) > 0 else { throw StatsError(name, .allTied) }
        let g = Self.compute(values)
        gini = g
        corrected = g * Double(values.count) / Double(values.count - 1)
        interval = replicates > 0
            ? try Bootstrap.interval(sample: values, replicates: replicates, level: level, method: .percentile, seed: seed) { sample in
                guard sample.reduce(0, +) > 0 else { throw StatsError(name, .allTied) }
                return Self.compute(sample)
            }
            : nil
    }

    static func compute(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var weighted = 0.0, total = 0.0
        for (i, x) in sorted.enumerated() { weighted += Double(i + 1) * x; total += x }
        return 2 * weighted / (n * total) - (n + 1) / n
    }
}
