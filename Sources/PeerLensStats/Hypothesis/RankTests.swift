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
}

/// Wilcoxon signed-rank and Mann–Whitney U (Wilcoxon rank-sum) tests, following R's `wilcox.test`.
public enum RankTests {
    /// Wilcoxon signed-rank test of x − y (paired). Zero differences are dropped. Exact p-value when fewer
    /// than 50 non-zero differences and no ties; otherwise z = (V − n(n+1)/4 − ½·sign) / σ with
    /// σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups t.
    ///
    /// - Throws: `StatsError` for mismatched lengths, non-finite values, or no non-zero difference.
    public static func signedRank(_ x: [Double], _ y: [Double]) throws(StatsError) -> RankTestResult {
        let name = "Wilcoxon signed-rank test"
        try Validate.sameLength(x.count, y.count, name)
        try Validate.finite(x, name); try Validate.finite(y, name)
        let d = zip(x, y).map { $0 - $1 }.filter { $0 != 0 }
        guard !d.isEmpty else { throw StatsError(name, .allTied) }
        let n = d.count
        let ranks = midranks(d.map { abs($0) })
        var v = 0.0
        for i in 0..<n where d[i] > 0 { v += ranks[i] }
        let ties = tieGroupSizes(d.map { abs($0) })
        if n < 50 && ties.isEmpty && d.count == x.count {
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
            return RankTestResult(statistic: v, pValue: min(1, p), exact: true)
        }
        let nn = Double(n)
        let mean = nn * (nn + 1) / 4
        let variance = nn * (nn + 1) * (2 * nn + 1) / 24 - ties.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / 48
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let diff = v - mean
        let z = (diff - (diff > 0 ? 0.5 : diff < 0 ? -0.5 : 0)) / variance.squareRoot()
        return RankTestResult(statistic: v, pValue: Distribution.twoSidedNormalP(z), exact: false)
    }

    /// Mann–Whitney U / Wilcoxon rank-sum test of x against y. W = Σ ranks(x) − nₓ(nₓ+1)/2. Exact p-value when
    /// both samples have fewer than 50 values and there are no ties; otherwise z = (W − nₓnᵧ/2 − ½·sign)/σ
    /// with σ² = nₓnᵧ/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1))).
    ///
    /// - Throws: `StatsError` for an empty sample, non-finite values, or all values tied.
    public static func rankSum(_ x: [Double], _ y: [Double]) throws(StatsError) -> RankTestResult {
        let name = "Mann–Whitney U test"
        guard !x.isEmpty, !y.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(x, name); try Validate.finite(y, name)
        let all = x + y
        let ranks = midranks(all)
        let nx = x.count, ny = y.count
        let w = ranks[0..<nx].reduce(0, +) - Double(nx * (nx + 1)) / 2
        let ties = tieGroupSizes(all)
        if nx < 50 && ny < 50 && ties.isEmpty {
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
            return RankTestResult(statistic: w, pValue: min(1, p), exact: true)
        }
        let n = Double(nx + ny), m1 = Double(nx), m2 = Double(ny)
        let tieTerm = ties.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) } / (n * (n - 1))
        let variance = m1 * m2 / 12 * ((n + 1) - tieTerm)
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let diff = w - m1 * m2 / 2
        let z = (diff - (diff > 0 ? 0.5 : diff < 0 ? -0.5 : 0)) / variance.squareRoot()
        return RankTestResult(statistic: w, pValue: Distribution.twoSidedNormalP(z), exact: false)
    }
}
