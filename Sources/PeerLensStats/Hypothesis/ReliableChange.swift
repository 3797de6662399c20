/// Jacobson & Truax (1991) reliable change index and clinical-significance cut-offs (criteria a, b, c).
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

    /// Jacobson & Truax (1991) cut-off c between the dysfunctional and functional populations: the score at which a
    /// person is equally far, in each population's own standard deviations, from both means,
    /// (c − M₀)/s₀ = (M₁ − c)/s₁, i.e.
    ///
    ///     c = (s₀·M₁ + s₁·M₀) / (s₀ + s₁)
    ///
    /// with M₁, s₁ the dysfunctional (clinical) and M₀, s₀ the functional (normative) population's mean and SD
    /// (Jacobson & Truax 1991, J Consult Clin Psychol 59(1):12–19, criterion c; Jacobson, Follette & Revenstorf
    /// 1984). c is the usual choice when functional norms exist; with equal SDs it is the midpoint of the means.
    /// c does not depend on the direction of the scale. When norms are missing, see `dysfunctionalRangeCutoff` (a)
    /// and `functionalRangeCutoff` (b). The SDs are population descriptions (as published for an instrument), so no
    /// n vs n − 1 choice is made here.
    ///
    /// - Throws: `StatsError` if a mean is not finite or an SD is not positive and finite.
    public static func clinicalCutoff(dysfunctionalMean: Double, dysfunctionalSD: Double,
                                      functionalMean: Double, functionalSD: Double) throws(StatsError) -> Double {
        let name = "clinical significance cut-off c"
        try checkPopulation(dysfunctionalMean, dysfunctionalSD, "dysfunctional", name)
        try checkPopulation(functionalMean, functionalSD, "functional", name)
        return (functionalSD * dysfunctionalMean + dysfunctionalSD * functionalMean) / (functionalSD + dysfunctionalSD)
    }

    /// Jacobson & Truax (1991) cut-off a: the edge of the dysfunctional range, two dysfunctional SDs from the
    /// dysfunctional mean in the better direction, a = M₁ − 2·s₁ when lower scores are better (M₁ + 2·s₁ otherwise).
    /// Needs no functional norms; with overlapping populations it is more demanding than b.
    ///
    /// - Throws: `StatsError` if the mean is not finite or the SD is not positive and finite.
    public static func dysfunctionalRangeCutoff(dysfunctionalMean: Double, dysfunctionalSD: Double,
                                                lowerIsBetter: Bool = true) throws(StatsError) -> Double {
        let name = "clinical significance cut-off a"
        try checkPopulation(dysfunctionalMean, dysfunctionalSD, "dysfunctional", name)
        return lowerIsBetter ? dysfunctionalMean - 2 * dysfunctionalSD : dysfunctionalMean + 2 * dysfunctionalSD
    }

    /// Jacobson & Truax (1991) cut-off b: the edge of the functional range, two functional SDs from the functional
    /// mean towards the dysfunctional side, b = M₀ + 2·s₀ when lower scores are better (M₀ − 2·s₀ otherwise).
    /// With overlapping populations it is more lenient than a.
    ///
    /// - Throws: `StatsError` if the mean is not finite or the SD is not positive and finite.
    public static func functionalRangeCutoff(functionalMean: Double, functionalSD: Double,
                                             lowerIsBetter: Bool = true) throws(StatsError) -> Double {
        let name = "clinical significance cut-off b"
        try checkPopulation(functionalMean, functionalSD, "functional", name)
        return lowerIsBetter ? functionalMean + 2 * functionalSD : functionalMean - 2 * functionalSD
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

    /// A population's mean must be finite and its SD positive and finite.
    static func checkPopulation(_ mean: Double, _ sd: Double, _ population: String, _ name: String) throws(StatsError) {
        guard mean.isFinite else { throw StatsError(name, .nonFiniteValue) }
        guard sd > 0, sd.isFinite else {
            throw StatsError(name, .invalidArgument("the \(population) population's SD must be positive and finite"))
        }
    }

    /// S_diff = √2 · SD · √(1 − r), validated.
    static func standardError(_ sd: Double, _ r: Double, _ name: String) throws(StatsError) -> Double {
        guard sd > 0, sd.isFinite else { throw StatsError(name, .invalidArgument("SD must be positive and finite")) }
        guard r >= 0, r < 1 else { throw StatsError(name, .invalidArgument("reliability must be in [0, 1)")) }
        return 2.0.squareRoot() * sd * (1 - r).squareRoot()
    }
}
