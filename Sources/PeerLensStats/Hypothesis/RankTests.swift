import CGSL

/// Result of a rank test.
public struct RankTestResult: Sendable, Equatable, Codable {
    /// R's statistic: V (sum of positive ranks) for the signed-rank test, W (= U of the first sample) for the
    /// rank-sum test.
    public let statistic: Double
    /// Two-sided p-value.
    public let pValue: Double
    /// Whether the p-value is exact (no ties or zeros, n < 50) or from the normal approximation with tie and
    /// continuity corrections.
    public let exact: Bool
    /// The standardised statistic of the normal approximation (continuity-corrected when that was asked for);
    /// nil for an exact p-value.
    public let zStatistic: Double?
}

/// Wilcoxon signed-rank and Mann–Whitney U (Wilcoxon rank-sum) tests, following R's `wilcox.test`.
public enum RankTests {
    /// Wilcoxon signed-rank test of x − y (paired), two-sided, as R's `wilcox.test(x, y, paired = TRUE)`.
    ///
    /// Zero differences are dropped (R's and scipy's `zero_method = "wilcox"`); V is the sum of the mid-ranks of
    /// |dᵢ| over positive dᵢ. With `exact` nil (R's default), the p-value is exact when fewer than 50 non-zero
    /// differences remain and there are no ties or zeros: 2·min(P(V ≤ v), P(V ≥ v)) from the null
    /// distribution of V (subset-sum counts, O(n³) for n < 50). Otherwise — or with `exact: false` — the normal
    /// approximation z = (V − n(n+1)/4 − ½·sign(V − n(n+1)/4)) / σ with σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over
    /// tie groups of size t (the ½ only when `correct`, R's default; scipy's `correction=True`). Asking for
    /// `exact: true` with ties or zeros falls back to the normal approximation, as R does; so does
    /// `exact: true` beyond 200 differences (PeerLens's limit; R has none). Ranks by one sort:
    /// O(n log n).
    ///
    /// - Throws: `StatsError` for mismatched lengths, empty input, non-finite values, or all differences zero
    ///   or all tied with zero variance (`allTied`).
    public static func signedRank(_ x: [Double], _ y: [Double], exact: Bool? = nil, correct: Bool = true) throws(StatsError) -> RankTestResult {
        let name = "Wilcoxon signed-rank test"
        try Validate.sameLength(x.count, y.count, name)
        guard !x.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        let d = zip(x, y).map { $0 - $1 }.filter { $0 != 0 }
        guard !d.isEmpty else { throw StatsError(name, .allTied) }
        let n = d.count
        let ranks = midranks(d.map { abs($0) })
        var v = 0.0
        for i in 0..<n where d[i] > 0 { v += ranks[i] }
        let ties = tieGroupSizes(d.map { abs($0) })
        if (exact ?? (n < 50)) && n <= 200 && ties.isEmpty && d.count == x.count {
            // Exact null distribution of V: number of subsets of {1…n} with each sum.
            let maxSum = n * (n + 1) / 2
            var counts = [Double](repeating: 0, count: maxSum + 1)
            counts[0] = 1
            for k in 1...n { for s in stride(from: maxSum, through: k, by: -1) { counts[s] += counts[s - k] } }
            let total = pow(2.0, Double(n))
            let vInt = Int(v.rounded())
            let p: Double
            if Double(vInt) > Double(maxSum) / 2 {
                p = 2 * counts[vInt...].reduce(0, +) / total
            } else {
                p = 2 * counts[...vInt].reduce(0, +) / total
            }
            return RankTestResult(statistic: v, pValue: min(1, p), exact: true, zStatistic: nil)
        }
        let nn = Double(n)
        let mean = nn * (nn + 1) / 4
        let variance = nn * (nn + 1) * (2 * nn + 1) / 24 - ties.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / 48
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let diff = v - mean
        let z = (diff - (correct ? (diff > 0 ? 0.5 : diff < 0 ? -0.5 : 0) : 0)) / variance.squareRoot()
        return RankTestResult(statistic: v, pValue: Distribution.twoSidedNormalP(z), exact: false, zStatistic: z)
    }

    /// Mann–Whitney U / Wilcoxon rank-sum test of x against y, two-sided, as R's `wilcox.test(x, y)` and scipy's
    /// `mannwhitneyu(x, y)` (whose U is R's W): W = Σ midranks(x) − nₓ(nₓ+1)/2, the number of pairs with xᵢ > yⱼ
    /// plus half the tied pairs.
    ///
    /// With `exact` nil (R's default) the p-value is exact when both samples have fewer than 50 values and there
    /// are no ties: 2·min(P(W ≤ w), P(W ≥ w)) from the null distribution (the Mann–Whitney recurrence,
    /// O(nₓ·nᵧ·nₓnᵧ)). Otherwise — or with `exact: false` — z = (W − nₓnᵧ/2 − ½·sign(W − nₓnᵧ/2))/σ with
    /// σ² = nₓnᵧ/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))) over tie groups of size t (the ½ only when `correct`).
    /// `exact: true` with ties falls back to the normal approximation, as R does; so does `exact: true` with 50
    /// or more values in a sample (PeerLens's limit; R has none). One sort: O(N log N).
    ///
    /// - Throws: `StatsError` for an empty sample, non-finite values, or all values tied (`allTied`).
    public static func rankSum(_ x: [Double], _ y: [Double], exact: Bool? = nil, correct: Bool = true) throws(StatsError) -> RankTestResult {
        let name = "Mann–Whitney U test"
        guard !x.isEmpty, !y.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        let all = x + y
        let ranks = midranks(all)
        let nx = x.count, ny = y.count
        let w = ranks[0..<nx].reduce(0, +) - Double(nx * (nx + 1)) / 2
        let ties = tieGroupSizes(all)
        if (exact ?? true) && nx < 50 && ny < 50 && ties.isEmpty {
            // Exact distribution of U by the recurrence f(u; m, n) = f(u − n; m − 1, n) + f(u; m, n − 1).
            let maxU = nx * ny
            var table = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: ny + 1)
            // counts for m = 0: only u = 0.
            for j in 0...ny { table[j][0] = 1 }
            for _ in 1...nx {
                var next = [[Double]](repeating: [Double](repeating: 0, count: maxU + 1), count: ny + 1)
                next[0][0] = 1
                for j in 1...ny {
                    for u in 0...maxU {
                        var c = next[j - 1][u]
                        if u >= j { c += table[j][u - j] }
                        next[j][u] = c
                    }
                }
                table = next
            }
            let dist = table[ny]
            let total = dist.reduce(0, +)
            let u = Int(w.rounded())
            let p = Double(u) > Double(maxU) / 2 ? 2 * dist[u...].reduce(0, +) / total : 2 * dist[...u].reduce(0, +) / total
            return RankTestResult(statistic: w, pValue: min(1, p), exact: true, zStatistic: nil)
        }
        let n = Double(nx + ny), m1 = Double(nx), m2 = Double(ny)
        let tieTerm = ties.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / (n * (n - 1))
        let variance = m1 * m2 / 12 * ((n + 1) - tieTerm)
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let diff = w - m1 * m2 / 2
        let z = (diff - (correct ? (diff > 0 ? 0.5 : diff < 0 ? -0.5 : 0) : 0)) / variance.squareRoot()
        return RankTestResult(statistic: w, pValue: Distribution.twoSidedNormalP(z), exact: false, zStatistic: z)
    }
}
