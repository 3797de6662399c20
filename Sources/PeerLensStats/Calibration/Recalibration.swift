import CGSL

/// A map from a model's score to a recalibrated probability, fitted on one
/// sample and applied to another.
public enum RecalibrationMap: Sendable, Equatable, Codable {
    /// Platt scaling: p = 1 / (1 + exp(−(a + b·s))) fitted by logistic regression of the outcome on the raw score.
    case platt(a: Double, b: Double)
    /// Isotonic regression (pool-adjacent-violators): a non-decreasing step function through
    /// (`thresholds[i]`, `values[i]`), linearly interpolated between them and clipped outside
    /// (scikit-learn's `IsotonicRegression(out_of_bounds="clip")`).
    case isotonic(thresholds: [Double], values: [Double])

    /// Fits Platt scaling.
    /// - Throws: `StatsError` as `LogisticRegression.fit`.
    public static func fitPlatt(scores: [Double], outcomes: [Bool], weights: [Double]? = nil) throws(StatsError) -> RecalibrationMap {
        let fit = try LogisticRegression.fit(predictors: scores.map { [$0] }, outcomes: outcomes, names: ["score"], weights: weights)
        return .platt(a: fit.coefficients[0], b: fit.coefficients[1])
    }

    /// Fits isotonic regression by pool-adjacent-violators on the scores sorted ascending, pooling tied
    /// scores first (their outcomes are averaged, as scikit-learn does), with optional case weights.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, non-finite scores, or invalid weights.
    public static func fitIsotonic(scores: [Double], outcomes: [Bool], weights: [Double]? = nil) throws(StatsError) -> RecalibrationMap {
        let name = "isotonic recalibration"
        try Validate.sameLength(scores.count, outcomes.count, name)
        guard !scores.isEmpty else { throw StatsError(name, .emptyInput) }
        try Validate.finite(scores, name)
        try Validate.weights(weights, count: scores.count, name)
        let order = ScoreOrder(scores)
        // Pool ties: one block per distinct score.
        var xs: [Double] = [], ys: [Double] = [], ws: [Double] = []
        order.forEachTieGroup { start, end in
            var wsum = 0.0, ysum = 0.0
            for k in start..<end {
                let c = Int(order.indices[k])
                let w = weights?[c] ?? 1
                wsum += w
                if outcomes[c] { ysum += w }
            }
            guard wsum > 0 else { return }
            xs.append(order.sorted[start]); ys.append(ysum / wsum); ws.append(wsum)
        }
        // Pool adjacent violators over blocks.
        var blockValue: [Double] = [], blockWeight: [Double] = [], blockEnd: [Int] = []
        for i in ys.indices {
            blockValue.append(ys[i]); blockWeight.append(ws[i]); blockEnd.append(i)
            while blockValue.count > 1 && blockValue[blockValue.count - 2] > blockValue[blockValue.count - 1] {
                let w = blockWeight[blockWeight.count - 2] + blockWeight[blockWeight.count - 1]
                let v = (blockValue[blockValue.count - 2] * blockWeight[blockWeight.count - 2] + blockValue[blockValue.count - 1] * blockWeight[blockWeight.count - 1]) / w
                blockValue.removeLast(); blockWeight.removeLast(); let end = blockEnd.removeLast()
                blockValue[blockValue.count - 1] = v; blockWeight[blockWeight.count - 1] = w; blockEnd[blockEnd.count - 1] = end
            }
        }
        var fitted = [Double](repeating: 0, count: xs.count)
        var start = 0
        for (b, end) in blockEnd.enumerated() {
            for i in start...end { fitted[i] = blockValue[b] }
            start = end + 1
        }
        return .isotonic(thresholds: xs, values: fitted)
    }

    /// The recalibrated probability for `score`.
    public func apply(_ score: Double) -> Double {
        switch self {
        case let .platt(a, b):
            return 1 / (1 + exp(-(a + b * score)))
        case let .isotonic(x, y):
            guard let first = x.first, let last = x.last else { return .nan }
            if score <= first { return y[0] }
            if score >= last { return y[y.count - 1] }
            var lo = 0, hi = x.count - 1
            while hi - lo > 1 { let mid = (lo + hi) / 2; if x[mid] <= score { lo = mid } else { hi = mid } }
            let t = (score - x[lo]) / (x[hi] - x[lo])
            return y[lo] + t * (y[hi] - y[lo])
        }
    }

    /// The recalibrated probabilities for `scores`.
    public func apply(_ scores: [Double]) -> [Double] { scores.map { apply($0) } }
}

/// A smoothed calibration curve: observed event rate as a smooth function of the predicted probability.
public struct SmoothedCalibrationCurve: Sendable, Equatable, Codable {
    /// Evaluation points (predicted probability).
    public let grid: [Double]
    /// Smoothed observed rate at each grid point.
    public let observed: [Double]
    /// Pointwise percentile-bootstrap band (resampling cases), same level for every point.
    public let lower: [Double]
    /// Upper bound.
    public let upper: [Double]
    /// Kernel bandwidth on the logit scale.
    public let bandwidth: Double

    /// Nadaraya–Watson kernel smoother of the outcome on logit(p) with a Gaussian kernel; bandwidth by
    /// Silverman's rule 1.06·σ̂·n^(−1/5) on the logit scale unless given. The band is a pointwise percentile
    /// bootstrap interval over `replicates` resamples of cases (seeded). Grid points with no data within
    /// 3 bandwidths are omitted.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, invalid probabilities, or fewer than 10 cases.
    public init(predictions: [Double], outcomes: [Bool], gridPoints: Int = 50, bandwidth: Double? = nil,
                replicates: Int = 200, level: Double = 0.95, seed: UInt64 = 1) throws(StatsError) {
        let name = "smoothed calibration curve"
        try Validate.sameLength(predictions.count, outcomes.count, name)
        try Validate.probabilities(predictions, name)
        guard predictions.count >= 10 else { throw StatsError(name, .tooFewObservations(needed: 10, got: predictions.count)) }
        try Validate.level(level, name)
        let lp = Logit.clipped(predictions, to: 1e-6)
        let (_, variance) = meanAndVariance(lp)
        var h = bandwidth ?? 1.06 * variance.squareRoot() * pow(Double(lp.count), -0.2)
        if !(h > 0) { h = 0.1 }
        let lo = lp.min()!, hi = lp.max()!
        let grid = (0..<gridPoints).map { lo + (hi - lo) * Double($0) / Double(max(1, gridPoints - 1)) }
        func smooth(_ idx: [Int]) -> [Double?] {
            grid.map { g in
                var num = 0.0, den = 0.0
                for i in idx {
                    let u = (lp[i] - g) / h
                    guard abs(u) < 3 else { continue }
                    let k = exp(-0.5 * u * u)
                    den += k
                    if outcomes[i] { num += k }
                }
                return den > 1e-12 ? num / den : nil
            }
        }
        let estimate = smooth(Array(lp.indices))
        let rng = RandomSource(seed: seed)
        var draws = [[Double]](repeating: [], count: grid.count)
        var resample = [Int](repeating: 0, count: lp.count)
        for _ in 0..<replicates {
            for i in resample.indices { resample[i] = rng.integer(below: lp.count) }
            for (j, v) in smooth(resample).enumerated() { if let v { draws[j].append(v) } }
        }
        var g: [Double] = [], o: [Double] = [], l: [Double] = [], u: [Double] = []
        for j in grid.indices {
            guard let e = estimate[j], draws[j].count >= 10 else { continue }
            let sorted = draws[j].sorted()
            g.append(1 / (1 + exp(-grid[j])))
            o.append(e)
            l.append(Bootstrap.quantile(sorted, (1 - level) / 2))
            u.append(Bootstrap.quantile(sorted, 1 - (1 - level) / 2))
        }
        self.grid = g; self.observed = o; self.lower = l; self.upper = u; self.bandwidth = h
    }
}
