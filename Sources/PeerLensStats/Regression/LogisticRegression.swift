import CGSL

/// A fitted logistic regression: logit P(y = 1) = offset + Xβ.
public struct LogisticRegression: Sendable, Equatable {
    /// β, intercept first when `includeIntercept` was true.
    public let coefficients: [Double]
    /// Wald standard errors: √diag((XᵀWX)⁻¹) at convergence.
    public let standardErrors: [Double]
    /// (XᵀWX)⁻¹.
    public let covariance: [[Double]]
    /// Residual deviance −2·log-likelihood (weighted).
    public let deviance: Double
    /// IRLS iterations used.
    public let iterations: Int
    /// Names of the coefficients (`intercept` first when fitted).
    public let names: [String]

    /// Wald interval β ± z·SE.
    public func confidenceInterval(_ index: Int, level: Double = 0.95) -> ConfidenceInterval {
        let z = Distribution.zForLevel(level)
        return ConfidenceInterval(lower: coefficients[index] - z * standardErrors[index],
                                  upper: coefficients[index] + z * standardErrors[index], level: level)
    }

    /// Odds ratio exp(β) with the exponentiated Wald interval.
    public func oddsRatio(_ index: Int, level: Double = 0.95) -> (estimate: Double, interval: ConfidenceInterval) {
        let ci = confidenceInterval(index, level: level)
        return (exp(coefficients[index]), ConfidenceInterval(lower: exp(ci.lower), upper: exp(ci.upper), level: level))
    }

    /// Two-sided Wald p-value for βᵢ = 0.
    public func pValue(_ index: Int) -> Double { Distribution.twoSidedNormalP(coefficients[index] / standardErrors[index]) }

    /// Fits by iteratively reweighted least squares (Newton–Raphson), solving each step's normal equations
    /// XᵀWX·β = XᵀWz with GSL's Cholesky factorisation; stops when the relative change in deviance is below
    /// `tolerance` (R's `glm` criterion |Δdev|/(|dev| + 0.1) < ε). Wald standard errors from (XᵀWX)⁻¹.
    ///
    /// - Parameters:
    ///   - predictors: one array of covariates per observation (no intercept column).
    ///   - offset: a known term added to the linear predictor (e.g. logit(p) for calibration-in-the-large).
    ///   - weights: prior (frequency or sampling) weights, ≥ 0, not all zero.
    /// - Throws: `StatsError` for empty or mismatched input, non-finite values, a single outcome class,
    ///   a singular design (collinear covariates), or `didNotConverge` — which includes (quasi-)complete
    ///   separation, where the maximum-likelihood estimate does not exist.
    public static func fit(predictors: [[Double]], outcomes: [Bool], names: [String], offset: [Double]? = nil,
                           weights: [Double]? = nil, includeIntercept: Bool = true, maxIterations: Int = 50,
                           tolerance: Double = 1e-10) throws(StatsError) -> LogisticRegression {
        let stat = "logistic regression"
        let n = outcomes.count
        guard n > 0 else { throw StatsError(stat, .emptyInput) }
        try Validate.sameLength(n, predictors.count, stat)
        let k = predictors.first?.count ?? 0
        let p = k + (includeIntercept ? 1 : 0)
        guard p > 0 else { throw StatsError(stat, .invalidArgument("no coefficients to fit")) }
        try Validate.sameLength(p, names.count + (includeIntercept ? 1 : 0), stat)
        for row in predictors {
            try Validate.sameLength(k, row.count, stat)
            try Validate.finite(row, stat)
        }
        if let offset { try Validate.sameLength(n, offset.count, stat); try Validate.finite(offset, stat) }
        try Validate.weights(weights, count: n, stat)
        let w0 = weights ?? [Double](repeating: 1, count: n)
        var hasPositive = false, hasNegative = false
        for i in 0..<n where w0[i] > 0 { if outcomes[i] { hasPositive = true } else { hasNegative = true } }
        guard hasPositive && hasNegative else { throw StatsError(stat, .singleClass) }
        guard n >= p else { throw StatsError(stat, .tooFewObservations(needed: p, got: n)) }

        // Design matrix, row-major.
        var x = [Double](repeating: 0, count: n * p)
        for i in 0..<n {
            var j = 0
            if includeIntercept { x[i * p] = 1; j = 1 }
            for c in 0..<k { x[i * p + j + c] = predictors[i][c] }
        }
        let y = outcomes.map { $0 ? 1.0 : 0.0 }
        var beta = [Double](repeating: 0, count: p)
        var deviance = Double.infinity
        var iterations = 0
        var xtwx = [Double](repeating: 0, count: p * p)
        _ = GSLRuntime.installed
        while iterations < maxIterations {
            iterations += 1
            var xtwz = [Double](repeating: 0, count: p)
            for i in 0..<(p * p) { xtwx[i] = 0 }
            var newDeviance = 0.0
            for i in 0..<n {
                var eta = offset?[i] ?? 0
                for j in 0..<p { eta += x[i * p + j] * beta[j] }
                let mu = min(max(1 / (1 + exp(-eta)), 1e-15), 1 - 1e-15)
                let wi = w0[i] * mu * (1 - mu)
                let z = eta - (offset?[i] ?? 0) + (y[i] - mu) / (mu * (1 - mu))
                newDeviance -= 2 * w0[i] * (y[i] * log(mu) + (1 - y[i]) * log(1 - mu))
                for a in 0..<p {
                    let xa = x[i * p + a] * wi
                    xtwz[a] += xa * z
                    for b in 0...a { xtwx[a * p + b] += xa * x[i * p + b] }
                }
            }
            for a in 0..<p { for b in 0..<a { xtwx[b * p + a] = xtwx[a * p + b] } }
            if iterations > 1, abs(newDeviance - deviance) / (abs(newDeviance) + 0.1) < tolerance {
                deviance = newDeviance
                break
            }
            deviance = newDeviance
            beta = try solve(xtwx, xtwz, p, stat)
            if beta.contains(where: { !$0.isFinite || abs($0) > 1e6 }) { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
            if iterations == maxIterations { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
        }
        // Separation: fitted probabilities pinned at 0 or 1 with huge coefficients.
        if beta.contains(where: { abs($0) > 30 }) { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
        let inverse = try invert(xtwx, p, stat)
        let se = (0..<p).map { inverse[$0 * p + $0].squareRoot() }
        let allNames = (includeIntercept ? ["intercept"] : []) + names
        return LogisticRegression(coefficients: beta, standardErrors: se,
                                  covariance: (0..<p).map { a in (0..<p).map { inverse[a * p + $0] } },
                                  deviance: deviance, iterations: iterations, names: allNames)
    }

    /// Solves the symmetric positive-definite system A·x = b (Cholesky).
    static func solve(_ a: [Double], _ b: [Double], _ p: Int, _ stat: String) throws(StatsError) -> [Double] {
        var a = a, b = b
        var x = [Double](repeating: 0, count: p)
        let status: Int32 = a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                x.withUnsafeMutableBufferPointer { xp in
                    var m = gsl_matrix_view_array(ap.baseAddress, p, p)
                    var bv = gsl_vector_view_array(bp.baseAddress, p)
                    var xv = gsl_vector_view_array(xp.baseAddress, p)
                    let s = gsl_linalg_cholesky_decomp1(&m.matrix)
                    if s != GSL_SUCCESS { return s }
                    return gsl_linalg_cholesky_solve(&m.matrix, &bv.vector, &xv.vector)
                }
            }
        }
        guard status == GSL_SUCCESS else {
            throw StatsError(stat, .gsl(GSLError(operation: "Cholesky solve of the IRLS normal equations (singular design: collinear covariates?)", status: status)))
        }
        return x
    }

    /// Inverse of a symmetric positive-definite matrix (Cholesky).
    static func invert(_ a: [Double], _ p: Int, _ stat: String) throws(StatsError) -> [Double] {
        var a = a
        let status: Int32 = a.withUnsafeMutableBufferPointer { ap in
            var m = gsl_matrix_view_array(ap.baseAddress, p, p)
            let s = gsl_linalg_cholesky_decomp1(&m.matrix)
            if s != GSL_SUCCESS { return s }
            return gsl_linalg_cholesky_invert(&m.matrix)
        }
        guard status == GSL_SUCCESS else {
            throw StatsError(stat, .gsl(GSLError(operation: "inverting XᵀWX for standard errors", status: status)))
        }
        return a
    }
}
