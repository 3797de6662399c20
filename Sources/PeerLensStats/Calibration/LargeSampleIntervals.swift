#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Intervals for large unweighted samples of independent cases whose cost per replicate does not grow with the
/// number of cases. The risk analyses use them for average precision and the expected calibration error of
/// exported predictions, where a case-level bootstrap costs replicates × cases (1,000 × 10,000,000).
public enum LargeSampleInterval {
    /// The logit interval of average precision (Boyd, Eng and Page 2013, "Area under the precision-recall curve:
    /// point estimates and confidence intervals", ECML PKDD, LNCS 8190, pp. 451–466): with n⁺ positives,
    /// η̂ = logit(AP), τ̂ = (n⁺ · AP · (1 − AP))^(−1/2), interval expit(η̂ ± z₁₋α/₂ · τ̂). In their simulations
    /// its coverage was close to nominal once there were a few hundred positives; it is used here only for large
    /// samples (see `RiskEvaluation`).
    ///
    /// - Returns: nil when AP is 0 or 1 (the logit is undefined) or there are no positives.
    /// - Throws: `StatsError` for AP outside [0, 1] or an invalid level.
    public static func averagePrecision(_ ap: Double, positives: Int, level: Double = 0.95) throws(StatsError) -> ConfidenceInterval? {
        let name = "average precision (logit interval)"
        try Validate.level(level, name)
        guard ap.isFinite, ap >= 0, ap <= 1 else { throw StatsError(name, .invalidArgument("average precision must be in [0, 1]")) }
        guard positives > 0, ap > 0, ap < 1 else { return nil }
        let eta = log(ap / (1 - ap))
        let tau = 1 / (Double(positives) * ap * (1 - ap)).squareRoot()
        let z = Distribution.zForLevel(level)
        func expit(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
        return ConfidenceInterval(lower: expit(eta - z * tau), upper: expit(eta + z * tau), level: level)
    }

    /// A percentile bootstrap of the expected calibration error of `ReliabilityTable` (equal-width bins, unweighted)
    /// carried out on bins instead of cases. A case bootstrap resamples n cases; what ECE = Σ_b (n_b/n)·|ȳ_b − p̄_b|
    /// needs of a replicate is, per bin, how many cases it drew (multinomial over the bins, exactly as the case
    /// bootstrap) and the mean residual y − p of those cases. For a bin of `exactBelow` cases or more that mean is
    /// drawn from its sampling distribution, Normal(d̄_b, s_b²/c_b) (s_b the residuals' SD with divisor n_b − 1;
    /// the central limit theorem); a smaller bin's cases are resampled one by one, as the case bootstrap would.
    /// The cost of a replicate is thus the number of bins plus the cases of small bins. Replicate r uses its own
    /// stream (`RandomSource(seed:).split(r)`), so the interval depends only on the seed.
    ///
    /// - Returns: nil when fewer than half the replicates give a value (never, for valid input).
    /// - Throws: `StatsError` for empty or mismatched input, predictions outside [0, 1], or invalid settings.
    public static func expectedCalibrationError(predictions: [Double], outcomes: [Bool], binCount: Int = 10, replicates: Int = 1000,
                                                level: Double = 0.95, seed: UInt64 = 1,
                                                exactBelow: Int = 1000) throws(StatsError) -> ConfidenceInterval? {
        let name = "expected calibration error (bin-level bootstrap)"
        try Validate.predictions(predictions, outcomes, name)
        try Validate.level(level, name)
        guard binCount >= 1, replicates >= 1, exactBelow >= 1 else {
            throw StatsError(name, .invalidArgument("need at least one bin, one replicate and exactBelow ≥ 1"))
        }
        let edges = ReliabilityTable.equalWidthEdges(binCount)
        let interior = Array(edges[1..<binCount])
        func bin(of p: Double) -> Int { ReliabilityTable.bin(of: p, interior: interior, uniform: true) }
        var counts = [Int](repeating: 0, count: binCount)
        var sums = [Double](repeating: 0, count: binCount)
        for (p, y) in zip(predictions, outcomes) {
            let k = bin(of: p)
            counts[k] += 1
            sums[k] += (y ? 1 : 0) - p
        }
        var sd = [Double](repeating: 0, count: binCount)
        var residuals = [[Double]](repeating: [], count: binCount)
        for (p, y) in zip(predictions, outcomes) {
            let k = bin(of: p)
            let r = (y ? 1 : 0) - p
            if counts[k] < exactBelow { residuals[k].append(r) } else { sd[k] += (r - sums[k] / Double(counts[k])) * (r - sums[k] / Double(counts[k])) }
        }
        for k in 0..<binCount where counts[k] >= exactBelow { sd[k] = (sd[k] / Double(counts[k] - 1)).squareRoot() }
        let n = predictions.count
        let shares = counts.map(Double.init)
        let root = RandomSource(seed: seed)
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        for r in 0..<replicates {
            let random = root.split(UInt64(r))
            let drawn = random.multinomial(trials: n, weights: shares)
            var ece = 0.0
            for k in 0..<binCount where drawn[k] > 0 {
                let c = drawn[k]
                let mean: Double
                if counts[k] < exactBelow {
                    var total = 0.0
                    for _ in 0..<c { total += residuals[k][random.integer(below: residuals[k].count)] }
                    mean = total / Double(c)
                } else {
                    mean = random.normal(mean: sums[k] / Double(counts[k]), sd: sd[k] / Double(c).squareRoot())
                }
                ece += Double(c) / Double(n) * abs(mean)
            }
            draws.append(ece)
        }
        guard draws.count * 2 >= replicates else { return nil }
        draws.sort()
        let alpha = 1 - level
        return ConfidenceInterval(lower: Bootstrap.quantile(draws, alpha / 2), upper: Bootstrap.quantile(draws, 1 - alpha / 2), level: level)
    }

    /// A Wald interval of the raw partial area under the ROC curve over FPR ∈ [0, m] (`ThresholdSweep.partialArea`),
    /// with its standard error from the influence functions of A = ∫_{y > ξ} S₁(y) dF₀(y), ξ the negatives'
    /// (1 − m) quantile and S₁ the positives' survival function (ties count ½), as DeLong's method does for
    /// the full area but with the estimated quantile's own term (Dodd and Pepe 2003, Biometrics 59:614, for the
    /// estimator; the quantile term by the delta method):
    ///
    /// - a positive x: ψ₁(x) = P₀(ξ < Y < x) − A;
    /// - a negative y: ψ₀(y) = 1{y > ξ}·S₁(y) − A − S₁(ξ)·(1{y > ξ} − m);
    ///
    /// SE² = s²(ψ₁)/n₁ + s²(ψ₀)/n₀ (sample variances, divisor n − 1), interval `estimate` ± z·SE clipped to
    /// [0, m], where `estimate` is the area as published (`ThresholdSweep.partialArea`, interpolated at m). The
    /// boundary negative counts by the fraction of it that lies within m·n₀. Cost: one sort of all the scores (none
    /// when the caller passes their order) and a binary search per case — nothing per replicate. Unweighted, independent cases only.
    ///
    /// - Returns: nil when fewer than one negative lies within the range (m·n₀ < 1) or a class has fewer than 2 cases.
    /// - Throws: `StatsError` for empty, mismatched or non-finite input, m outside (0, 1], or an invalid level.
    public static func partialAUC(scores: [Double], labels: [Bool], maxFalsePositiveRate m: Double, estimate: Double,
                                  level: Double = 0.95) throws(StatsError) -> ConfidenceInterval? {
        try partialAUC(scores: scores, labels: labels, maxFalsePositiveRate: m, estimate: estimate, level: level, order: nil)
    }

    /// `partialAUC(scores:labels:maxFalsePositiveRate:estimate:level:)` reusing the ascending order of the same
    /// scores (`order`, when the caller has sorted them already) instead of sorting them again.
    package static func partialAUC(scores: [Double], labels: [Bool], maxFalsePositiveRate m: Double, estimate: Double,
                                   level: Double = 0.95, order: ScoreOrder?) throws(StatsError) -> ConfidenceInterval? {
        let name = "partial AUC (influence-function interval)"
        try Validate.sameLength(scores.count, labels.count, name)
        guard !scores.isEmpty else { throw StatsError(name, .emptyInput) }
        guard scores.allSatisfy(\.isFinite) else { throw StatsError(name, .invalidArgument("scores must be finite")) }
        guard m > 0, m <= 1 else { throw StatsError(name, .invalidArgument("the maximum false-positive rate must be in (0, 1]")) }
        try Validate.level(level, name)
        let n1 = labels.count(where: { $0 }), n0 = labels.count - n1
        let k = m * Double(n0)
        guard n1 >= 2, n0 >= 2, k >= 1 else { return nil }
        // Positives ascending, negatives descending, read off one ascending order of all the scores.
        let order = order ?? ScoreOrder(scores)
        precondition(order.indices.count == scores.count, "the order must be of the same scores")
        var positives: [Double] = [], negatives: [Double] = []
        positives.reserveCapacity(n1)
        negatives.reserveCapacity(n0)
        for i in order.indices where labels[Int(i)] { positives.append(scores[Int(i)]) }
        for i in order.indices.reversed() where !labels[Int(i)] { negatives.append(scores[Int(i)]) }
        // The negatives within FPR ≤ m, highest first, each with the share of it inside the range.
        let inside = Int(k.rounded(.up))
        let weight = (0..<inside).map { min(1, k - Double($0)) }
        func survivalOfPositives(_ y: Double) -> Double {
            let below = lowerBound(positives, y), atOrBelow = upperBound(positives, y)
            return (Double(n1 - atOrBelow) + 0.5 * Double(atOrBelow - below)) / Double(n1)
        }
        var area = 0.0
        var psi0 = [Double](repeating: 0, count: n0)
        for j in 0..<inside { psi0[j] = weight[j] * survivalOfPositives(negatives[j]) }
        for j in 0..<inside { area += psi0[j] }
        area /= Double(n0)
        let atBoundary = survivalOfPositives(negatives[inside - 1])
        for j in 0..<n0 { psi0[j] += -area - atBoundary * ((j < inside ? weight[j] : 0) - m) }
        // Positives: the weighted share of inside negatives below x (ties ½), from the inside negatives ascending.
        let ascending = Array(negatives[0..<inside].reversed())
        var cumulative = [0.0]
        cumulative.reserveCapacity(inside + 1)
        for w in weight.reversed() { cumulative.append(cumulative.last! + w) }
        var psi1 = [Double](repeating: 0, count: n1)
        for (i, x) in positives.enumerated() {
            let lo = lowerBound(ascending, x), hi = upperBound(ascending, x)
            psi1[i] = (cumulative[lo] + 0.5 * (cumulative[hi] - cumulative[lo])) / Double(n0) - area
        }
        func sampleVariance(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        let se = (sampleVariance(psi1) / Double(n1) + sampleVariance(psi0) / Double(n0)).squareRoot()
        let z = Distribution.zForLevel(level)
        return ConfidenceInterval(lower: max(0, estimate - z * se), upper: min(m, estimate + z * se), level: level)
    }

    /// The first index of ascending `values` whose value is ≥ `x`.
    static func lowerBound(_ values: [Double], _ x: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi { let mid = (lo + hi) / 2; if values[mid] < x { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// The first index of ascending `values` whose value is > `x`.
    static func upperBound(_ values: [Double], _ x: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi { let mid = (lo + hi) / 2; if values[mid] <= x { lo = mid + 1 } else { hi = mid } }
        return lo
    }
}
