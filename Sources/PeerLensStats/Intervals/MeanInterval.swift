/// A mean with its t interval.
public struct MeanEstimate: Sendable, Equatable, Codable {
    /// Sample mean x̄.
    public let mean: Double
    /// Sample standard deviation s (n − 1 denominator).
    public let standardDeviation: Double
    /// n.
    public let count: Int
    /// x̄ ± t_{n−1, 1−α/2} · s/√n.
    public let interval: ConfidenceInterval

    /// The mean of `values` with its Student t interval x̄ ± t_{n−1, 1−α/2}·s/√n, s with the n − 1 denominator
    /// (Student 1908; as R's `t.test(x)$conf.int` and scipy's `t.interval`).
    ///
    /// All values equal gives the documented zero-width interval [x̄, x̄] (s = 0).
    ///
    /// - Throws: `StatsError` for no values (`emptyInput`), n = 1 (`tooFewObservations`), non-finite values, or a
    ///   level outside (0, 1).
    public static func t(_ values: [Double], level: Double = 0.95) throws(StatsError) -> MeanEstimate {
        let name = "t interval"
        guard !values.isEmpty else { throw StatsError(name, .emptyInput) }
        guard values.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: values.count)) }
        try Validate.finite(values, name)
        try Validate.level(level, name)
        let (mean, variance) = meanAndVariance(values)
        let sd = variance.squareRoot()
        let half = Distribution.tQuantile(1 - (1 - level) / 2, df: Double(values.count - 1)) * sd / Double(values.count).squareRoot()
        return MeanEstimate(mean: mean, standardDeviation: sd, count: values.count,
                            interval: ConfidenceInterval(lower: mean - half, upper: mean + half, level: level))
    }
}
