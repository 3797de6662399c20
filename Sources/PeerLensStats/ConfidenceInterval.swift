/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Equatable, Hashable, Codable {
    /// Lower bound.
    public let lower: Double
    /// Upper bound.
    public let upper: Double
    /// Nominal coverage, e.g. 0.95.
    public let level: Double

    /// Creates an interval; `lower <= upper` is the caller's responsibility.
    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// Whether `value` lies within the closed interval.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
