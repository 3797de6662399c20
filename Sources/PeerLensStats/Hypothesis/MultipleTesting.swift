/// Adjustment of p-values for multiple comparisons.
public enum MultipleTesting {
    /// Holm (1979) step-down: sorted ascending, p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎), returned in the input
    /// order. Controls the family-wise error rate. Matches R's `p.adjust(method = "holm")`. One sort: O(m log m).
    ///
    /// - Throws: `StatsError` for no p-values, NaN (`nonFiniteValue`), or a value outside [0, 1].
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

    /// Benjamini & Hochberg (1995) false-discovery rate: with p₍₁₎ ≤ … ≤ p₍ₘ₎,
    /// p̃₍ᵢ₎ = min_{j ≥ i} min(1, m/j·p₍ⱼ₎), returned in the input order. Matches R's `p.adjust(method = "BH")`.
    ///
    /// - Throws: as `holm`.
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
        for v in p {
            guard !v.isNaN else { throw StatsError(name, .nonFiniteValue) }
            guard v >= 0 && v <= 1 else { throw StatsError(name, .invalidArgument("p-values must be in [0, 1]")) }
        }
    }
}
