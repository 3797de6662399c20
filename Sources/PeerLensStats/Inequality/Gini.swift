/// The Gini coefficient of non-negative values (e.g. replies received per member), with an optional
/// bootstrap interval.
///
/// G = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄) — the "n" (population, plug-in) version, as PySAL's `inequality` and R's
/// `ineq::Gini(corr = FALSE)` — computed in O(n log n) from the ascending order statistics x₍₁₎ ≤ … ≤ x₍ₙ₎ as
/// G = 2 Σᵢ i·x₍ᵢ₎ / (n Σ x) − (n + 1)/n. G = 0 is perfect equality; G = 1 − 1/n when one unit holds everything.
/// `corrected` is n/(n − 1)·G, which reaches 1 in that case and is unbiased for the population Gini under simple
/// random sampling (Deltas 2003).
public struct GiniCoefficient: Sendable, Equatable, Codable {
    /// G with the n² denominator.
    public let gini: Double
    /// The small-sample version n/(n − 1)·G.
    public let corrected: Double
    /// Bootstrap interval for G (resampling values), when requested with `replicates` > 0.
    public let interval: BootstrapResult?

    /// Computes G and, with `replicates` > 0, a seeded bootstrap interval for it (`Bootstrap.intervalByIndex`,
    /// BCa by default).
    ///
    /// The values are sorted once; each replicate then counts how often each sorted position was drawn and
    /// evaluates G from the counts in O(n) (a value drawn c times occupies c consecutive ranks), so the
    /// bootstrap costs O(B·n) rather than O(B·n log n). A replicate whose values are all zero has no Gini and is
    /// counted as failed.
    ///
    /// - Throws: `StatsError` for no values or n = 1, negative or non-finite values, all values zero (`allTied`:
    ///   G is 0/0), or a bootstrap error (see `Bootstrap.intervalByIndex`).
    public init(_ values: [Double], replicates: Int = 0, level: Double = 0.95, method: BootstrapMethod = .bca,
                seed: UInt64 = 1) throws(StatsError) {
        let name = "Gini coefficient"
        guard !values.isEmpty else { throw StatsError(name, .emptyInput) }
        guard values.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: values.count)) }
        try Validate.finite(values, name)
        guard values.allSatisfy({ $0 >= 0 }) else { throw StatsError(name, .invalidArgument("values must be non-negative")) }
        let sorted = values.sorted()
        guard sorted.last! > 0 else { throw StatsError(name, .allTied) }
        let n = values.count
        let g = Self.fromSorted(sorted, counts: nil)
        gini = g
        corrected = g * Double(n) / Double(n - 1)
        guard replicates > 0 else { interval = nil; return }
        // Index i of the resample refers to sorted[i]: resampling sorted positions is resampling values.
        var counts = [Int](repeating: 0, count: n)
        interval = try Bootstrap.intervalByIndex(count: n, replicates: replicates, level: level, method: method, seed: seed) { idx in
            for k in counts.indices { counts[k] = 0 }
            for i in idx { counts[i] += 1 }
            let value = Self.fromSorted(sorted, counts: counts)
            guard value.isFinite else { throw StatsError(name, .allTied) }
            return value
        }
    }

    /// G of ascending `sorted` values, each taken `counts[i]` times (once when nil):
    /// G = 2 Σ rank·x / (m Σ x) − (m + 1)/m over the m values of the expanded sample, where a value taken c times
    /// after r earlier ones has ranks r + 1 … r + c, summing to c·(2r + c + 1)/2. NaN when the total is zero.
    static func fromSorted(_ sorted: [Double], counts: [Int]?) -> Double {
        var rankWeighted = 0.0, total = 0.0
        var before = 0
        for (i, x) in sorted.enumerated() {
            let c = counts?[i] ?? 1
            if c == 0 { continue }
            rankWeighted += x * Double(c) * Double(2 * before + c + 1) / 2
            total += x * Double(c)
            before += c
        }
        let m = Double(before)
        guard total > 0 else { return .nan }
        return 2 * rankWeighted / (m * total) - (m + 1) / m
    }
}
