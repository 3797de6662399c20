/// Chance-corrected agreement between ratings of the same items: Cohen's κ (two ratings per item, in a fixed
/// order), its weighted form for ordinal categories, and Fleiss' κ (a fixed number of ratings per item by
/// raters who are not identified).
public enum Kappa {
    /// Disagreement weights of Cohen's weighted κ over ordered categories 0…k−1.
    public enum Weighting: String, Sendable, Codable {
        /// Every disagreement counts fully (plain Cohen's κ).
        case none
        /// Disagreement |i − j| / (k − 1).
        case linear
        /// Disagreement (i − j)² / (k − 1)² (equivalent to an intraclass correlation for large samples).
        case quadratic
    }

    /// Cohen's κ with its asymptotic standard error.
    public struct Result: Sendable, Equatable, Codable {
        /// κ = (p_o − p_e) / (1 − p_e) with agreement weights (1 on the diagonal).
        public let kappa: Double
        /// Large-sample standard error under no assumption about κ (Fleiss, Cohen & Everitt 1969), the one to
        /// build an interval from.
        public let standardError: Double
        /// Items rated (the table's total).
        public let items: Int
    }

    /// Cohen's (1960) κ, or Cohen's (1968) weighted κ, from a k × k table of counts: `table[i][j]` items got
    /// category i from the first rating and j from the second.
    ///
    /// With agreement weights w_ij = 1 − d_ij (d the disagreement weights of `weighting`; identity for
    /// `.none`), cell shares p_ij, margins p_i· and p_·j: p_o = Σ w_ij p_ij, p_e = Σ w_ij p_i· p_·j and
    /// κ = (p_o − p_e) / (1 − p_e). The variance is Fleiss, Cohen & Everitt's (1969) large-sample formula
    /// Var(κ) = [Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n (1 − p_e)²), with
    /// w̄_i· = Σ_j p_·j w_ij and w̄_·j = Σ_i p_i· w_ij (n in the denominator, as statsmodels' `cohens_kappa`
    /// `std_kappa` and SAS PROC FREQ).
    ///
    /// - Throws: `StatsError` for a table that is not square, has fewer than 2 categories, negative or
    ///   non-integer counts, no items, or p_e = 1 (every rating in one category: κ is undefined).
    public static func cohen(table: [[Int]], weighting: Weighting = .none) throws(StatsError) -> Result {
        let statistic = "Cohen's kappa"
        let k = table.count
        guard k >= 2 else { throw StatsError(statistic, .invalidArgument("the table needs at least 2 categories")) }
        for row in table {
            try Validate.sameLength(k, row.count, statistic)
            for c in row where c < 0 { throw StatsError(statistic, .invalidArgument("counts must not be negative")) }
        }
        let items = table.reduce(0) { $0 + $1.reduce(0, +) }
        guard items > 0 else { throw StatsError(statistic, .emptyInput) }
        let n = Double(items)
        let p = table.map { $0.map { Double($0) / n } }
        let rowShare = p.map { $0.reduce(0, +) }
        let columnShare = (0..<k).map { j in p.reduce(0) { $0 + $1[j] } }
        let w: [[Double]] = (0..<k).map { i in
            (0..<k).map { j in
                let d = Double(abs(i - j)) / Double(k - 1)
                switch weighting {
                case .none: return i == j ? 1 : 0
                case .linear: return 1 - d
                case .quadratic: return 1 - d * d
                }
            }
        }
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k {
                observed += w[i][j] * p[i][j]
                expected += w[i][j] * rowShare[i] * columnShare[j]
            }
        }
        guard expected < 1 - 1e-12 else {
            throw StatsError(statistic, .invalidArgument("every rating falls in one category, so agreement expected by chance is 1 and kappa is undefined"))
        }
        let kappa = (observed - expected) / (1 - expected)
        let rowMean = (0..<k).map { i in (0..<k).reduce(0.0) { $0 + columnShare[$1] * w[i][$1] } }
        let columnMean = (0..<k).map { j in (0..<k).reduce(0.0) { $0 + rowShare[$1] * w[$1][j] } }
        var sum = 0.0
        for i in 0..<k {
            for j in 0..<k {
                let d = w[i][j] - (rowMean[i] + columnMean[j]) * (1 - kappa)
                sum += p[i][j] * d * d
            }
        }
        let c = kappa - expected * (1 - kappa)
        let variance = max(0, (sum - c * c) / (n * (1 - expected) * (1 - expected)))
        return Result(kappa: kappa, standardError: variance.squareRoot(), items: items)
    }

    /// Fleiss' (1971) κ: `counts[i][j]` raters put item i in category j, every item rated by the same number
    /// m ≥ 2 of raters, who need not be the same people (raters are not identified).
    ///
    /// With N items: p_j = Σ_i n_ij / (N m), P_i = (Σ_j n_ij² − m) / (m (m − 1)), P̄ = mean P_i,
    /// P̄_e = Σ p_j² and κ = (P̄ − P̄_e) / (1 − P̄_e) (as statsmodels' `fleiss_kappa(method = "fleiss")`). For
    /// m = 2 this is Scott's π of the two ratings.
    ///
    /// - Throws: `StatsError` for no items, fewer than 2 categories, negative counts, items rated by
    ///   different numbers of raters or by fewer than 2, or P̄_e = 1 (every rating in one category).
    public static func fleiss(counts: [[Int]]) throws(StatsError) -> Double {
        let statistic = "Fleiss' kappa"
        guard let first = counts.first else { throw StatsError(statistic, .emptyInput) }
        let k = first.count
        guard k >= 2 else { throw StatsError(statistic, .invalidArgument("at least 2 categories are needed")) }
        let m = first.reduce(0, +)
        guard m >= 2 else { throw StatsError(statistic, .invalidArgument("every item needs at least 2 ratings")) }
        var categoryTotals = [Double](repeating: 0, count: k)
        var agreement = 0.0
        for row in counts {
            try Validate.sameLength(k, row.count, statistic)
            guard row.allSatisfy({ $0 >= 0 }) else { throw StatsError(statistic, .invalidArgument("counts must not be negative")) }
            guard row.reduce(0, +) == m else {
                throw StatsError(statistic, .invalidArgument("every item must have the same number of ratings (\(m))"))
            }
            var squares = 0
            for (j, c) in row.enumerated() { categoryTotals[j] += Double(c); squares += c * c }
            agreement += Double(squares - m) / Double(m * (m - 1))
        }
        let total = Double(counts.count * m)
        let chance = categoryTotals.reduce(0) { $0 + ($1 / total) * ($1 / total) }
        guard chance < 1 - 1e-12 else {
            throw StatsError(statistic, .invalidArgument("every rating falls in one category, so agreement expected by chance is 1 and kappa is undefined"))
        }
        return (agreement / Double(counts.count) - chance) / (1 - chance)
    }
}
