/// A difference between two independent proportions, x₁/n₁ − x₂/n₂, with its interval.
public struct ProportionDifference: Sendable, Equatable, Codable {
    /// Successes and trials of the first group.
    public let first: Proportion
    /// Successes and trials of the second group.
    public let second: Proportion
    /// p̂₁ − p̂₂.
    public var estimate: Double { first.estimate - second.estimate }
    /// Newcombe's hybrid score interval of the difference.
    public let interval: ConfidenceInterval

    /// The difference `x1/n1 − x2/n2` with Newcombe's hybrid score interval (Newcombe 1998, *Statistics in
    /// Medicine* 17:873–890, method 10): with (l₁, u₁) and (l₂, u₂) the Wilson intervals of the two proportions
    /// (no continuity correction) and d = p̂₁ − p̂₂,
    /// lower = d − √((p̂₁ − l₁)² + (u₂ − p̂₂)²), upper = d + √((u₁ − p̂₁)² + (p̂₂ − l₂)²).
    /// Defined at 0 and at n (bounds stay in [−1, 1]). Matches statsmodels
    /// `confint_proportions_2indep(method="newcomb", compare="diff")`. Nil when either group is empty.
    public static func newcombe(_ x1: Int, of n1: Int, minus x2: Int, of n2: Int, level: Double = 0.95) -> ProportionDifference? {
        guard let a = Proportion.wilson(x1, of: n1, level: level), let b = Proportion.wilson(x2, of: n2, level: level) else { return nil }
        let p1 = a.estimate, p2 = b.estimate, d = p1 - p2
        let (l1, u1) = (a.interval.lower, a.interval.upper), (l2, u2) = (b.interval.lower, b.interval.upper)
        let lower = d - ((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)).squareRoot()
        let upper = d + ((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)).squareRoot()
        return ProportionDifference(first: a, second: b, interval: ConfidenceInterval(lower: max(-1, lower), upper: min(1, upper), level: level))
    }
}
