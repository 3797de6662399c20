import CGSL

/// A fitted logistic regression: logit P(yᵢ = 1) = offsetᵢ + xᵢᵀβ, by maximum likelihood.
///
/// Fitted by iteratively reweighted least squares (Newton–Raphson on the binomial log-likelihood), each step
/// solving the normal equations XᵀWX·β = XᵀWz with GSL's Cholesky factorisation. Standard errors, Wald
/// intervals and odds ratios come from the inverse Fisher information (XᵀWX)⁻¹ at the optimum, with the
/// binomial dispersion fixed at 1 — as R's `glm(family = binomial)` and statsmodels' `GLM`/`Logit` report them.
///
/// Reference: McCullagh & Nelder (1989), *Generalized Linear Models*, 2nd ed., §2.5 and §4.4.
public struct LogisticRegression: Sendable, Equatable {
    /// β, intercept first when `includeIntercept` was true.
    public let coefficients: [Double]
    /// Wald standard errors: √diag(`covariance`).
    public let standardErrors: [Double]
    /// The estimated covariance of β: (XᵀWX)⁻¹ at convergence, or the sandwich with `.designBased`.
    public let covariance: [[Double]]
    /// Residual deviance −2·Σ wᵢ·[yᵢ log μᵢ + (1 − yᵢ) log(1 − μᵢ)] (prior weights wᵢ; R's `deviance`).
    public let deviance: Double
    /// Newton (IRLS) steps taken.
    public let iterations: Int
    /// Names of the coefficients (`intercept` first when fitted), in the order of `coefficients`.
    public let names: [String]
    /// Observations with a positive weight (the ones that inform the fit).
    public let observations: Int
    /// How `covariance` and `standardErrors` were estimated.
    public let covarianceEstimator: CovarianceEstimator

    /// How the covariance of β̂ is estimated.
    public enum CovarianceEstimator: Sendable, Equatable {
        /// The inverse Fisher information (XᵀWX)⁻¹, treating weights as frequency weights (R's `glm`).
        case modelBased
        /// The design-based sandwich A⁻¹BA⁻¹ for sampling weights and clustered cases (Binder 1983; R's
        /// `survey::svyglm`): A = XᵀWX, uᵢ = wᵢ(yᵢ − μᵢ)xᵢ summed within clusters (each case its own cluster
        /// when `clusters` is nil) to u_c, and B = m/(m − 1)·Σ_c (u_c − ū)(u_c − ū)ᵀ over the m clusters.
        case designBased(clusters: [Int]?)
    }

    /// Wald interval βᵢ ± z₁₋α/₂·SEᵢ (normal quantile, as R's `confint.default` and statsmodels' `conf_int`).
    public func confidenceInterval(_ index: Int, level: Double = 0.95) -> ConfidenceInterval {
        let z = Distribution.zForLevel(level)
        return ConfidenceInterval(lower: coefficients[index] - z * standardErrors[index],
                                  upper: coefficients[index] + z * standardErrors[index], level: level)
    }

    /// Odds ratio exp(βᵢ) with the exponentiated Wald interval exp(βᵢ ± z·SEᵢ).
    public func oddsRatio(_ index: Int, level: Double = 0.95) -> (estimate: Double, interval: ConfidenceInterval) {
        let ci = confidenceInterval(index, level: level)
        return (exp(coefficients[index]), ConfidenceInterval(lower: exp(ci.lower), upper: exp(ci.upper), level: level))
    }

    /// Wald statistic zᵢ = βᵢ/SEᵢ.
    public func zStatistic(_ index: Int) -> Double { coefficients[index] / standardErrors[index] }

    /// Two-sided Wald p-value 2·Φ(−|zᵢ|) for H₀: βᵢ = 0.
    public func pValue(_ index: Int) -> Double { Distribution.twoSidedNormalP(zStatistic(index)) }

    /// The index of the coefficient called `name`, if any.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Fits the model by IRLS.
    ///
    /// Starts from β = 0 and takes full Newton steps. The fit has converged when both the relative change in
    /// deviance |Δdev|/(|dev| + 0.1) is below `tolerance` (R's `glm.control` criterion) and every coefficient
    /// moved by less than √tolerance·(|βⱼ| + 1) in the last step. The second condition is what detects
    /// (quasi-)complete separation: there the deviance flattens while the diverging coefficients keep moving
    /// by about one unit per step, so the fit runs out of iterations and is refused with `didNotConverge`
    /// (R's `glm` would instead report huge coefficients with a warning; the MLE does not exist).
    ///
    /// Fitted probabilities, working weights μ(1 − μ) and the deviance are computed from η in a form that is
    /// stable for any finite η (no clamping of μ, unlike R's ±30 threshold on η, which changes estimates only
    /// below 10⁻¹³), so extreme offsets such as logit(10⁻¹²) in a calibration fit are handled exactly.
    ///
    /// - Parameters:
    ///   - predictors: one array of covariates per observation (no intercept column); all rows the same length
    ///     (length 0 with `includeIntercept` fits an intercept-only model).
    ///   - outcomes: the binary outcome per observation.
    ///   - names: one name per covariate (without the intercept).
    ///   - offset: a known term added to the linear predictor, e.g. logit(p̂) for calibration-in-the-large.
    ///   - weights: prior (frequency or sampling) weights, finite and ≥ 0, not all zero; zero-weight rows are
    ///     ignored. Standard errors treat them as frequency weights, as `glm(weights = )` does.
    ///   - includeIntercept: prepend a column of ones (named `intercept`).
    ///   - maxIterations: Newton steps allowed.
    ///   - tolerance: convergence tolerance (see above).
    ///   - covarianceEstimator: model-based (default) or design-based (sandwich) covariance.
    /// - Throws: `StatsError` for empty or mismatched input (`emptyInput`, `lengthMismatch`), non-finite values,
    ///   invalid weights, a single outcome class among positively weighted rows (`singleClass`), fewer
    ///   positively weighted rows than coefficients, a singular design such as collinear or constant
    ///   covariates (`gsl`, from the Cholesky factorisation), or `didNotConverge` — which includes separation.
    public static func fit(predictors: [[Double]], outcomes: [Bool], names: [String], offset: [Double]? = nil,
                           weights: [Double]? = nil, includeIntercept: Bool = true, maxIterations: Int = 50,
                           tolerance: Double = 1e-10, covarianceEstimator: CovarianceEstimator = .modelBased) throws(StatsError) -> LogisticRegression {
        let stat = "logistic regression"
        let n = outcomes.count
        let (k, p) = try Validate.design(predictors, cases: n, names: names, includeIntercept: includeIntercept, stat)
        guard maxIterations >= 1 else { throw StatsError(stat, .invalidArgument("maxIterations must be at least 1")) }
        guard tolerance > 0, tolerance < 1 else { throw StatsError(stat, .invalidArgument("tolerance must be in (0, 1)")) }
        try Validate.rows(predictors, width: k, stat)
        if let offset { try Validate.sameLength(n, offset.count, stat); try Validate.finite(offset, stat) }
        if case let .designBased(clusters?) = covarianceEstimator { try Validate.sameLength(n, clusters.count, stat) }
        try Validate.weights(weights, count: n, stat)
        let priorWeights = weights ?? [Double](repeating: 1, count: n)
        var hasPositive = false, hasNegative = false, informative = 0
        for i in 0..<n where priorWeights[i] > 0 {
            informative += 1
            if outcomes[i] { hasPositive = true } else { hasNegative = true }
        }
        guard hasPositive && hasNegative else { throw StatsError(stat, .singleClass) }
        guard informative >= p else { throw StatsError(stat, .tooFewObservations(needed: p, got: informative)) }

        // Design matrix of the informative rows, row-major.
        var rows: [Int] = []
        rows.reserveCapacity(informative)
        for i in 0..<n where priorWeights[i] > 0 { rows.append(i) }
        var design = [Double](repeating: 0, count: informative * p)
        for (r, i) in rows.enumerated() {
            var j = 0
            if includeIntercept { design[r * p] = 1; j = 1 }
            for c in 0..<k { design[r * p + j + c] = predictors[i][c] }
        }
        let system = NormalEquations(design: design, p: p, outcomes: rows.map { outcomes[$0] },
                                     offset: rows.map { offset?[$0] ?? 0 }, weights: rows.map { priorWeights[$0] })

        var beta = [Double](repeating: 0, count: p)
        var current = system.evaluate(beta)
        var iterations = 0
        let stepTolerance = tolerance.squareRoot()
        while true {
            if iterations == maxIterations { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
            iterations += 1
            let next: [Double]
            do {
                next = try solve(current.information, current.score, p, stat)
            } catch {
                // Singular at the start: the design itself is singular. Singular later: the weights of some
                // rows collapsed to zero, i.e. the fit is running away (separation).
                if iterations == 1 { throw error }
                throw StatsError(stat, .didNotConverge(iterations: iterations))
            }
            guard next.allSatisfy({ $0.isFinite }) else { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
            let updated = system.evaluate(next)
            guard updated.deviance.isFinite else { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
            var largestStep = 0.0
            for j in 0..<p { largestStep = max(largestStep, abs(next[j] - beta[j]) / (abs(next[j]) + 1)) }
            let devianceChange = abs(updated.deviance - current.deviance) / (abs(updated.deviance) + 0.1)
            beta = next
            current = updated
            if devianceChange < tolerance && largestStep < stepTolerance { break }
        }
        var inverse = try invert(current.information, p, stat)
        if case let .designBased(clusters) = covarianceEstimator {
            inverse = try system.sandwich(beta, bread: inverse, clusters: clusters.map { c in rows.map { c[$0] } }, stat)
        }
        var se = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let v = inverse[j * p + j]
            guard v > 0, v.isFinite else { throw StatsError(stat, .didNotConverge(iterations: iterations)) }
            se[j] = v.squareRoot()
        }
        return LogisticRegression(coefficients: beta, standardErrors: se,
                                  covariance: (0..<p).map { a in (0..<p).map { inverse[a * p + $0] } },
                                  deviance: current.deviance, iterations: iterations,
                                  names: (includeIntercept ? ["intercept"] : []) + names, observations: informative,
                                  covarianceEstimator: covarianceEstimator)
    }

    /// The IRLS normal equations at a given β: information XᵀWX, the right-hand side XᵀWz of the Newton step
    /// (so that solving gives the next β directly), and the deviance.
    private struct NormalEquations {
        let design: [Double]
        let p: Int
        let outcomes: [Bool]
        let offset: [Double]
        let weights: [Double]

        func evaluate(_ beta: [Double]) -> (information: [Double], score: [Double], deviance: Double) {
            var information = [Double](repeating: 0, count: p * p)
            var rhs = [Double](repeating: 0, count: p)
            var deviance = 0.0
            design.withUnsafeBufferPointer { x in
                for i in 0..<outcomes.count {
                    let row = i * p
                    var linear = 0.0
                    for j in 0..<p { linear += x[row + j] * beta[j] }
                    let eta = offset[i] + linear
                    // μ and μ(1 − μ) from e = exp(−|η|), stable for any η.
                    let e = exp(-abs(eta))
                    let mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
                    // No floor on the variance: a floor would freeze diverging coefficients under separation
                    // and hide it; the right-hand side below never divides by it.
                    let variance = e / ((1 + e) * (1 + e))
                    let y = outcomes[i] ? 1.0 : 0.0
                    // −log μ = softplus(−η), −log(1 − μ) = softplus(η).
                    let softplusNeg = max(-eta, 0) + log1p(e)
                    let softplusPos = max(eta, 0) + log1p(e)
                    deviance += 2 * weights[i] * (outcomes[i] ? softplusNeg : softplusPos)
                    let w = weights[i] * variance
                    // XᵀW·z with z = Xβ + (y − μ)/(μ(1 − μ)), written to avoid dividing by a tiny variance.
                    let wz = w * linear + weights[i] * (y - mu)
                    for a in 0..<p {
                        let xa = x[row + a]
                        rhs[a] += xa * wz
                        let wxa = w * xa
                        for b in 0...a { information[a * p + b] += wxa * x[row + b] }
                    }
                }
            }
            for a in 0..<p { for b in 0..<a { information[b * p + a] = information[a * p + b] } }
            return (information, rhs, deviance)
        }

        /// The sandwich A⁻¹BA⁻¹ at β (`bread` = A⁻¹, row-major), with B from the score contributions
        /// wᵢ(yᵢ − μᵢ)xᵢ summed within `clusters` (one per row; nil: every row its own cluster).
        func sandwich(_ beta: [Double], bread: [Double], clusters: [Int]?, _ stat: String) throws(StatsError) -> [Double] {
            var sums: [Double] = []
            var slot: [Int: Int] = [:]
            for i in 0..<outcomes.count {
                let row = i * p
                var eta = offset[i]
                for j in 0..<p { eta += design[row + j] * beta[j] }
                let e = exp(-abs(eta))
                let mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e)
                let u = weights[i] * ((outcomes[i] ? 1 : 0) - mu)
                let k: Int
                if let clusters {
                    if let existing = slot[clusters[i]] { k = existing } else {
                        k = sums.count / p; slot[clusters[i]] = k; sums.append(contentsOf: repeatElement(0, count: p))
                    }
                } else {
                    k = i; sums.append(contentsOf: repeatElement(0, count: p))
                }
                for j in 0..<p { sums[k * p + j] += u * design[row + j] }
            }
            let m = sums.count / p
            guard m >= 2 else { throw StatsError(stat, .invalidArgument("at least two clusters are needed for a design-based covariance")) }
            var mean = [Double](repeating: 0, count: p)
            for c in 0..<m { for j in 0..<p { mean[j] += sums[c * p + j] / Double(m) } }
            var meat = [Double](repeating: 0, count: p * p)
            for c in 0..<m {
                for a in 0..<p {
                    let da = sums[c * p + a] - mean[a]
                    for b in 0..<p { meat[a * p + b] += da * (sums[c * p + b] - mean[b]) }
                }
            }
            let factor = Double(m) / Double(m - 1)
            // bread · meat · bread (all symmetric p × p).
            var left = [Double](repeating: 0, count: p * p)
            for a in 0..<p { for b in 0..<p { for k in 0..<p { left[a * p + b] += bread[a * p + k] * meat[k * p + b] * factor } } }
            var out = [Double](repeating: 0, count: p * p)
            for a in 0..<p { for b in 0..<p { for k in 0..<p { out[a * p + b] += left[a * p + k] * bread[k * p + b] } } }
            return out
        }
    }

    /// Solves the symmetric positive-definite system A·x = b (GSL Cholesky); A is p × p, row-major.
    static func solve(_ a: [Double], _ b: [Double], _ p: Int, _ stat: String) throws(StatsError) -> [Double] {
        _ = GSLRuntime.installed
        var a = a, b = b
        var x = [Double](repeating: 0, count: p)
        let status: Int32 = GSLRuntime.withSystem(&a, rows: p, columns: p, &b, &x) { m, bv, xv in
            let s = gsl_linalg_cholesky_decomp1(m)
            if s != GSL_SUCCESS { return s }
            // A factorisation can "succeed" on a numerically singular matrix (exactly collinear columns
            // leave a rounding-sized pivot): refuse a reciprocal condition number below 1e-13.
            guard let work = gsl_vector_alloc(3 * p) else { return Int32(GSL_ENOMEM) }
            defer { gsl_vector_free(work) }
            var rcond = 0.0
            let c = gsl_linalg_cholesky_rcond(m, &rcond, work)
            if c != GSL_SUCCESS { return c }
            if !(rcond >= 1e-13) { return Int32(GSL_ESING) }
            return gsl_linalg_cholesky_solve(m, bv, xv)
        }
        guard status == GSL_SUCCESS else {
            throw StatsError(stat, .gsl(GSLError(operation: "Cholesky solve of the normal equations (singular design: collinear or constant covariates?)", status: status)))
        }
        return x
    }

    /// Inverse of a symmetric positive-definite matrix (GSL Cholesky); p × p, row-major.
    static func invert(_ a: [Double], _ p: Int, _ stat: String) throws(StatsError) -> [Double] {
        _ = GSLRuntime.installed
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
