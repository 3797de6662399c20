/// A standardised mean difference with its interval.
public struct EffectSize: Sendable, Equatable, Codable {
    /// Cohen's d = (x̄ − ȳ)/s_pooled, s²_pooled = ((nₓ−1)s²ₓ + (nᵧ−1)s²ᵧ)/(nₓ + nᵧ − 2).
    public let cohensD: Double
    /// Hedges' g = J·d with J = 1 − 3/(4(nₓ + nᵧ) − 9) (small-sample correction).
    public let hedgesG: Double
    /// Hedges & Olkin (1985) normal-approximation standard error of d:
    /// √((nₓ + nᵧ)/(nₓnᵧ) + d²/(2(nₓ + nᵧ))); g's is J times it.
    public let standardErrorD: Double
    /// d ± z·SE and g ± z·J·SE.
    public let intervalD: ConfidenceInterval
    /// Interval for Hedges' g.
    public let intervalG: ConfidenceInterval

    /// Effect size of two independent groups, standardised by the pooled SD.
    ///
    /// - Throws: `StatsError` for a group with fewer than 2 values, non-finite values, or zero pooled SD.
    public static func independent(_ x: [Double], _ y: [Double], level: Double = 0.95) throws(StatsError) -> EffectSize {
        let name = "Cohen's d"
        guard x.count >= 2, y.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: min(x.count, y.count))) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        try Validate.level(level, name)
        let (mx, vx) = meanAndVariance(x), (my, vy) = meanAndVariance(y)
        let nx = Double(x.count), ny = Double(y.count)
        let pooled = (((nx - 1) * vx + (ny - 1) * vy) / (nx + ny - 2)).squareRoot()
        guard pooled > 0 else { throw StatsError(name, .allTied) }
        let d = (mx - my) / pooled
        let j = 1 - 3 / (4 * (nx + ny) - 9)
        let se = ((nx + ny) / (nx * ny) + d * d / (2 * (nx + ny))).squareRoot()
        let z = Distribution.zForLevel(level)
        return EffectSize(cohensD: d, hedgesG: j * d, standardErrorD: se,
                          intervalD: ConfidenceInterval(lower: d - z * se, upper: d + z * se, level: level),
                          intervalG: ConfidenceInterval(lower: j * (d - z * se), upper: j * (d + z * se), level: level))
    }
}

/// Jacobson & Truax (1991) reliable change index.
public enum ReliableChange {
    /// RCI = (x₂ − x₁)/S_diff with S_diff = √2 · SD · √(1 − r), where SD is the instrument's reference
    /// standard deviation and r its reliability. |RCI| > 1.96 is reliable change at the 5 % level.
    ///
    /// - Throws: `StatsError` if SD ≤ 0 or r is not in [0, 1), or a value is not finite.
    public static func index(before: Double, after: Double, standardDeviation: Double, reliability: Double) throws(StatsError) -> Double {
        let name = "reliable change index"
        guard before.isFinite, after.isFinite else { throw StatsError(name, .nonFiniteValue) }
        guard standardDeviation > 0, standardDeviation.isFinite else { throw StatsError(name, .invalidArgument("SD must be positive")) }
        guard reliability >= 0, reliability < 1 else { throw StatsError(name, .invalidArgument("reliability must be in [0, 1)")) }
        return (after - before) / (2.0.squareRoot() * standardDeviation * (1 - reliability).squareRoot())
    }

    /// The smallest absolute change that is reliable: 1.96 · S_diff.
    public static func threshold(standardDeviation: Double, reliability: Double, z: Double = 1.959963984540054) -> Double {
        z * 2.0.squareRoot() * standardDeviation * (1 - reliability).squareRoot()
    }
}

/// Adjustment of p-values for multiple comparisons.
public enum MultipleTesting {
    /// Holm (1979) step-down: sorted ascending, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎). Matches R's `p.adjust(method = "holm")`.
    public static func holm(_ p: [Double]) throws(StatsError) -> [Double] {
        try check(p, "Holm adjustment")
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var out = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[i]))
            out[i] = running
        }
        return out
    }

    /// Benjamini & Hochberg (1995) false-discovery rate: sorted descending, p̃₍ᵢ₎ = min_{j ≥ i} min(1, m/j·p₍ⱼ₎).
    /// Matches R's `p.adjust(method = "BH")`.
    public static func benjaminiHochberg(_ p: [Double]) throws(StatsError) -> [Double] {
        try check(p, "Benjamini–Hochberg adjustment")
        let m = p.count
        let order = p.indices.sorted { p[$0] > p[$1] }
        var out = [Double](repeating: 0, count: m)
        var running = 1.0
        for (k, i) in order.enumerated() {
            let rank = m - k
            running = min(running, min(1, Double(m) / Double(rank) * p[i]))
            out[i] = running
        }
        return out
    }

    private static func check(_ p: [Double], _ name: String) throws(StatsError) {
        guard !p.isEmpty else { throw StatsError(name, .emptyInput) }
        for v in p where !(v >= 0 && v <= 1) { throw StatsError(name, .invalidArgument("p-values must be in [0, 1]")) }
    }
}
