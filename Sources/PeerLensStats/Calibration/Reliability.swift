/// How predicted probabilities are grouped into bins.
public enum BinningStrategy: String, Sendable, Codable {
    /// k bins of equal width on [0, 1]: edges i/k; a probability p goes to the bin with edgeᵢ < p ≤ edgeᵢ₊₁
    /// (the first bin includes 0) — scikit-learn's `calibration_curve(strategy="uniform")`, whose
    /// `searchsorted(edges[1:-1], p)` counts the interior edges strictly below p.
    case equalWidth
    /// k bins with edges at the 0, 1/k, …, 1 quantiles of the predictions (linear interpolation, numpy's
    /// default percentile), same assignment rule — `strategy="quantile"`. Tied predictions can leave bins empty.
    case equalCount
}

/// One bin of a reliability table.
public struct ReliabilityBin: Sendable, Equatable, Codable {
    /// Bin edges (lower, upper]; the first bin also holds its lower edge.
    public let lower: Double
    /// Upper bound.
    public let upper: Double
    /// Predictions in the bin.
    public let count: Int
    /// Mean predicted probability p̄ₖ.
    public let meanPredicted: Double
    /// Observed event rate ōₖ.
    public let observedRate: Double
    /// Wilson interval of the observed rate.
    public let observedInterval: ConfidenceInterval
}

/// A reliability (calibration) table with its summary errors.
public struct ReliabilityTable: Sendable, Equatable, Codable {
    /// Non-empty bins, ascending.
    public let bins: [ReliabilityBin]
    /// Binning used.
    public let strategy: BinningStrategy
    /// Expected calibration error Σ (nₖ/n)·|ōₖ − p̄ₖ| over non-empty bins.
    public let expectedCalibrationError: Double
    /// Maximum calibration error maxₖ |ōₖ − p̄ₖ| over non-empty bins.
    public let maximumCalibrationError: Double

    /// Builds the table with `binCount` bins.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, probabilities outside [0, 1] or not finite,
    ///   or fewer than 1 bin.
    ///
    /// With `weights` (e.g. inverse-probability weights of a review sample) bin means, rates and ECE/MCE are
    /// weighted; each bin's interval is then the Wilson interval at Kish's effective size (Σw)²/Σw², an
    /// approximation, and bin quantiles for `.equalCount` remain unweighted.
    public init(predictions: [Double], outcomes: [Bool], binCount: Int = 10, strategy: BinningStrategy = .equalWidth,
                level: Double = 0.95, weights: [Double]? = nil) throws(StatsError) {
        let name = "reliability table"
        try Validate.predictions(predictions, outcomes, name)
        try Validate.weights(weights, count: predictions.count, name)
        guard binCount >= 1 else { throw StatsError(name, .invalidArgument("need at least one bin")) }
        try Validate.level(level, name)
        let edges = strategy == .equalWidth
            ? Self.equalWidthEdges(binCount)
            : Self.quantileEdges(ScoreOrder(predictions).sorted, binCount)
        try self.init(accumulated: Self.accumulate(predictions, outcomes, edges: edges, weights: weights), edges: edges, strategy: strategy, level: level)
    }

    init(accumulated: BinSums, edges: [Double], strategy: BinningStrategy, level: Double) throws(StatsError) {
        let binCount = edges.count - 1
        var bins: [ReliabilityBin] = []
        var ece = 0.0, mce = 0.0
        let total = accumulated.weight.reduce(0, +)
        for k in 0..<binCount where accumulated.count[k] > 0 && accumulated.weight[k] > 0 {
            let w = accumulated.weight[k]
            let mean = accumulated.weightedPredicted[k] / w
            let rate = accumulated.weightedEvents[k] / w
            let gap = abs(rate - mean)
            ece += w / total * gap
            mce = max(mce, gap)
            let interval: ConfidenceInterval
            if accumulated.isWeighted {
                interval = ProportionInterval.wilson(rate: rate, effectiveSize: w * w / accumulated.weightSquares[k], level: level)
            } else {
                interval = try ProportionInterval.wilson(successes: Int(accumulated.weightedEvents[k].rounded()), trials: accumulated.count[k], level: level)
            }
            bins.append(ReliabilityBin(lower: edges[k], upper: edges[k + 1], count: accumulated.count[k], meanPredicted: mean,
                                       observedRate: rate, observedInterval: interval))
        }
        self.bins = bins
        self.strategy = strategy
        self.expectedCalibrationError = ece
        self.maximumCalibrationError = mce
    }

    /// Edges i·(1/k), i = 0…k, computed as numpy's `linspace(0, 1, k + 1)` does.
    static func equalWidthEdges(_ k: Int) -> [Double] {
        let step = 1.0 / Double(k)
        return (0...k).map { $0 == k ? 1.0 : Double($0) * step }
    }

    /// Edges at the i/k quantiles (linear interpolation) of the sorted predictions.
    static func quantileEdges(_ sorted: [Double], _ k: Int) -> [Double] {
        let step = 1.0 / Double(k)
        // As numpy: percentile(x, linspace(0, 1, k + 1) * 100) divides by 100 again.
        return (0...k).map { Bootstrap.quantile(sorted, $0 == k ? 1.0 : (Double($0) * step * 100) / 100) }
    }

    /// Per-bin sums of a binning pass.
    struct BinSums {
        var count: [Int]
        var weight: [Double]
        var weightedEvents: [Double]
        var weightedPredicted: [Double]
        var weightSquares: [Double]
        var isWeighted: Bool
    }

    /// The bin of `p`: the number of `interior` edges below it. `uniform`: the edges are i/k (fast path).
    @inline(__always)
    static func bin(of p: Double, interior: [Double], uniform: Bool) -> Int {
        let k = interior.count + 1
        if uniform {
            // Fast path for equal-width bins, corrected at the edges so it matches the binary search.
            var b = min(Int(p * Double(k)), k - 1)
            while b > 0 && p <= interior[b - 1] { b -= 1 }
            while b < k - 1 && p > interior[b] { b += 1 }
            return b
        }
        var lo = 0, hi = interior.count
        while lo < hi { let mid = (lo + hi) / 2; if interior[mid] < p { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// Per-bin counts and (weighted) sums; bin = number of interior edges < p.
    static func accumulate(_ p: [Double], _ y: [Bool], edges: [Double], weights: [Double]? = nil) -> BinSums {
        let k = edges.count - 1
        var sums = BinSums(count: [Int](repeating: 0, count: k), weight: [Double](repeating: 0, count: k),
                           weightedEvents: [Double](repeating: 0, count: k), weightedPredicted: [Double](repeating: 0, count: k),
                           weightSquares: [Double](repeating: 0, count: k), isWeighted: weights != nil)
        let interior = Array(edges[1..<k])
        let uniform = interior.enumerated().allSatisfy { $1 == Double($0 + 1) * (1.0 / Double(k)) }
        for i in p.indices {
            let b = bin(of: p[i], interior: interior, uniform: uniform)
            let w = weights?[i] ?? 1
            sums.count[b] += 1
            sums.weight[b] += w
            sums.weightSquares[b] += w * w
            sums.weightedPredicted[b] += w * p[i]
            if y[i] { sums.weightedEvents[b] += w }
        }
        return sums
    }
}
