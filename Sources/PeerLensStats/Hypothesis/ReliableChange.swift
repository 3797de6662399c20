/// Jacobson & Truax (1991) reliable change index.
public enum ReliableChange {
    /// RCI = (x₂ − x₁)/S_diff with S_diff = √2·SE = √2 · SD · √(1 − r) (Jacobson & Truax 1991, eq. 2), where SD
    /// is the instrument's reference (normative or baseline) standard deviation and r its test–retest or
    /// internal-consistency reliability. |RCI| > 1.96 is reliable change at the 5 % level.
    ///
    /// - Throws: `StatsError` if a score is not finite, SD is not positive and finite, or r is not in [0, 1).
    public static func index(before: Double, after: Double, standardDeviation: Double, reliability: Double) throws(StatsError) -> Double {
        let name = "reliable change index"
        guard before.isFinite, after.isFinite else { throw StatsError(name, .nonFiniteValue) }
        return (after - before) / (try standardError(standardDeviation, reliability, name))
    }

    /// The smallest absolute change that is reliable: z · S_diff (z = 1.96 by default).
    ///
    /// - Throws: `StatsError` as `index`, or if z is not positive and finite.
    public static func threshold(standardDeviation: Double, reliability: Double, z: Double = 1.959963984540054) throws(StatsError) -> Double {
        let name = "reliable change threshold"
        guard z > 0, z.isFinite else { throw StatsError(name, .invalidArgument("z must be positive")) }
        return z * (try standardError(standardDeviation, reliability, name))
    }

    /// Classifies each before/after pair: `.improved` when RCI ≤ −z for instruments where lower is better
    /// (`lowerIsBetter`, e.g. PHQ-9), `.deteriorated` when RCI ≥ z, `.noReliableChange` otherwise.
    ///
    /// - Throws: `StatsError` as `index`, or for mismatched lengths.
    public static func classify(before: [Double], after: [Double], standardDeviation: Double, reliability: Double,
                                lowerIsBetter: Bool = true, z: Double = 1.959963984540054) throws(StatsError) -> [Change] {
        let name = "reliable change index"
        try Validate.sameLength(before.count, after.count, name)
        let sDiff = try standardError(standardDeviation, reliability, name)
        return try zip(before, after).map { (pair: (Double, Double)) throws(StatsError) -> Change in
            guard pair.0.isFinite, pair.1.isFinite else { throw StatsError(name, .nonFiniteValue) }
            let rci = (pair.1 - pair.0) / sDiff
            let better = lowerIsBetter ? rci <= -z : rci >= z
            let worse = lowerIsBetter ? rci >= z : rci <= -z
            return better ? .improved : worse ? .deteriorated : .noReliableChange
        }
    }

    /// A reliable-change category.
    public enum Change: String, Sendable, Codable {
        /// Reliable change in the better direction.
        case improved
        /// Reliable change in the worse direction.
        case deteriorated
        /// |RCI| < z.
        case noReliableChange
    }

    /// S_diff = √2 · SD · √(1 − r), validated.
    static func standardError(_ sd: Double, _ r: Double, _ name: String) throws(StatsError) -> Double {
        guard sd > 0, sd.isFinite else { throw StatsError(name, .invalidArgument("SD must be positive and finite")) }
        guard r >= 0, r < 1 else { throw StatsError(name, .invalidArgument("reliability must be in [0, 1)")) }
        return 2.0.squareRoot() * sd * (1 - r).squareRoot()
    }
}
