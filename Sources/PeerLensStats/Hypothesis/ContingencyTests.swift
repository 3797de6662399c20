import CGSL

/// Result of a test on a contingency table.
public struct ContingencyTestResult: Sendable, Equatable, Codable {
    /// χ² statistic (nil for Fisher's exact test).
    public let statistic: Double?
    /// Degrees of freedom (χ² only).
    public let degreesOfFreedom: Double?
    /// p-value.
    public let pValue: Double
    /// Fisher: the conditional maximum-likelihood odds ratio, as R's `fisher.test`.
    public let oddsRatio: Double?
    /// Fisher: its exact interval.
    public let oddsRatioInterval: ConfidenceInterval?
}

/// Tests of independence in contingency tables.
public enum ContingencyTests {
    /// Pearson's χ² test of independence on an r×c table of counts: Σ (O − E)²/E with E = row·col/N,
    /// (r − 1)(c − 1) degrees of freedom. `yates` applies the continuity correction
    /// Σ (max(0, |O − E| − ½))²/E to 2×2 tables (as R's `chisq.test(correct = TRUE)`).
    ///
    /// - Throws: `StatsError` for a ragged or empty table, negative counts, or a zero row or column total.
    public static func chiSquared(_ table: [[Int]], yates: Bool = false) throws(StatsError) -> ContingencyTestResult {
        let name = "χ² test"
        guard table.count >= 2, let c = table.first?.count, c >= 2, table.allSatisfy({ $0.count == c }) else {
            throw StatsError(name, .invalidArgument("need a rectangular table with at least 2 rows and 2 columns"))
        }
        guard table.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else { throw StatsError(name, .invalidArgument("counts must be non-negative")) }
        let rows = table.map { Double($0.reduce(0, +)) }
        let cols = (0..<c).map { j in Double(table.reduce(0) { $0 + $1[j] }) }
        let total = rows.reduce(0, +)
        guard rows.allSatisfy({ $0 > 0 }), cols.allSatisfy({ $0 > 0 }) else { throw StatsError(name, .invalidArgument("a row or column total is zero")) }
        let correct = yates && table.count == 2 && c == 2
        var x2 = 0.0
        for i in table.indices {
            for j in 0..<c {
                let e = rows[i] * cols[j] / total
                var d = abs(Double(table[i][j]) - e)
                if correct { d = max(0, d - 0.5) }
                x2 += d * d / e
            }
        }
        let df = Double((table.count - 1) * (c - 1))
        return ContingencyTestResult(statistic: x2, degreesOfFreedom: df, pValue: Distribution.chiSquaredUpper(x2, df: df),
                                     oddsRatio: nil, oddsRatioInterval: nil)
    }

    /// Fisher's exact test on a 2×2 table [[a, b], [c, d]], two-sided as R's `fisher.test`: the sum of the
    /// hypergeometric probabilities of all tables (same margins) no more likely than the observed one
    /// (relative tolerance 1e-7). Also the conditional MLE of the odds ratio and its exact interval (roots of
    /// the noncentral hypergeometric tail probabilities), as R reports.
    ///
    /// - Throws: `StatsError` for a table that is not 2×2 or has negative counts or an empty margin.
    public static func fisherExact(_ table: [[Int]], level: Double = 0.95) throws(StatsError) -> ContingencyTestResult {
        let name = "Fisher's exact test"
        guard table.count == 2, table.allSatisfy({ $0.count == 2 }), table.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else {
            throw StatsError(name, .invalidArgument("need a 2×2 table of non-negative counts"))
        }
        try Validate.level(level, name)
        let a = table[0][0], m = table[0][0] + table[1][0], n = table[0][1] + table[1][1], k = table[0][0] + table[0][1]
        guard m > 0, n > 0, k > 0, k < m + n else { throw StatsError(name, .invalidArgument("a margin is empty")) }
        let lo = max(0, k - n), hi = min(k, m)
        let support = Array(lo...hi)
        // log of choose(m, x)·choose(n, k − x)
        let logWeights = support.map { gsl_sf_lnchoose(UInt32(m), UInt32($0)) + gsl_sf_lnchoose(UInt32(n), UInt32(k - $0)) }
        func density(_ logPsi: Double) -> [Double] {
            let terms = zip(support, logWeights).map { $1 + Double($0) * logPsi }
            let top = terms.max()!
            let e = terms.map { exp($0 - top) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
        let null = density(0)
        let observed = null[a - lo]
        let p = min(1, zip(support, null).filter { $0.1 <= observed * (1 + 1e-7) }.reduce(0) { $0 + $1.1 })
        func mean(_ logPsi: Double) -> Double { zip(support, density(logPsi)).reduce(0) { $0 + Double($1.0) * $1.1 } }
        func upperTail(_ logPsi: Double) -> Double { zip(support, density(logPsi)).filter { $0.0 >= a }.reduce(0) { $0 + $1.1 } }
        func lowerTail(_ logPsi: Double) -> Double { zip(support, density(logPsi)).filter { $0.0 <= a }.reduce(0) { $0 + $1.1 } }
        /// Root of an increasing function f(logψ) = target by bisection on logψ ∈ [−50, 50].
        func solve(_ f: (Double) -> Double, _ target: Double) -> Double {
            var l = -50.0, h = 50.0
            for _ in 0..<200 { let mid = (l + h) / 2; if f(mid) < target { l = mid } else { h = mid } }
            return (l + h) / 2
        }
        let alpha = 1 - level
        let estimate = a == lo ? 0 : a == hi ? Double.infinity : exp(solve(mean, Double(a)))
        let lower = a == lo ? 0 : exp(solve(upperTail, alpha / 2))
        let upper = a == hi ? Double.infinity : exp(solve({ -lowerTail($0) }, -alpha / 2))
        return ContingencyTestResult(statistic: nil, degreesOfFreedom: nil, pValue: p, oddsRatio: estimate,
                                     oddsRatioInterval: ConfidenceInterval(lower: lower, upper: upper, level: level))
    }
}
