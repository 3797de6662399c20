import CGSL

/// Distribution-free confidence intervals for a population quantile from order statistics.
public enum QuantileInterval {
    /// The two-sided interval [x₍ₗ₎, x₍ᵤ₎] for the p-quantile from the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎, with
    /// B ~ Binomial(n, p), α = 1 − level: l = F⁻¹(α/2) (the smallest k with P(B ≤ k) ≥ α/2) and
    /// u = the smallest k with P(B > k) ≤ α/2, plus one (1-based ranks). Coverage is at least `level` for any
    /// continuous distribution (Conover 1999, *Practical Nonparametric Statistics*, §3.2); with ties it is
    /// conservative. This is `scipy.stats.quantile_test(x, p=p).confidence_interval(level)`, whose values the
    /// tests reproduce exactly.
    ///
    /// - Throws: `StatsError` for an empty or unsorted sample, non-finite values, p outside (0, 1), a bad level,
    ///   or a sample too small for the level (an order statistic would fall outside the sample: for the median
    ///   at 95 % that is n < 6).
    public static func orderStatistic(sorted: [Double], quantile p: Double, level: Double = 0.95) throws(StatsError) -> ConfidenceInterval {
        let name = "quantile interval"
        guard !sorted.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(sorted, name)
        try Validate.level(level, name)
        guard p > 0, p < 1 else { throw StatsError(name, .invalidArgument("the quantile must be in (0, 1)")) }
        for i in 1..<sorted.count where sorted[i] < sorted[i - 1] { throw StatsError(name, .invalidArgument("the sample must be sorted")) }
        let n = sorted.count
        let tail = (1 - level) / 2
        // Smallest k in [0, n] with P(B ≤ k) ≥ a (binary search: the CDF rises with k).
        func ppf(_ a: Double) -> Int {
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                if gsl_cdf_binomial_P(UInt32(mid), p, UInt32(n)) >= a { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        // Smallest k with P(B > k) ≤ a.
        func isf(_ a: Double) -> Int {
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                if gsl_cdf_binomial_Q(UInt32(mid), p, UInt32(n)) <= a { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        let low = ppf(tail) - 1, high = isf(tail)
        guard low >= 0, high < n else { throw StatsError(name, .tooFewObservations(needed: n + 1, got: n)) }
        return ConfidenceInterval(lower: sorted[low], upper: sorted[high], level: level)
    }
}
