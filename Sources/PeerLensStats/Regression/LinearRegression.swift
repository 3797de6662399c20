import CGSL

/// A fitted linear regression yᵢ = xᵢᵀβ + εᵢ by ordinary (or, with prior weights, weighted) least squares.
///
/// β̂ minimises Σ wᵢ(yᵢ − xᵢᵀβ)² (wᵢ = 1 without weights), solved by GSL's column-pivoted Householder QR of
/// W^½X (`gsl_linalg_QRPT_decomp`, `gsl_linalg_QRPT_lssolve`) rather than by forming XᵀWX, so the solution
/// keeps the conditioning of X, not its square. With n positively weighted rows and p coefficients:
///
/// - RSS = Σ wᵢ(yᵢ − ŷᵢ)²; σ̂² = RSS/(n − p) — the unbiased **n − p** denominator, not n (R's `sigma(lm)`²,
///   statsmodels' `scale`).
/// - Cov(β̂) = σ̂²·(XᵀWX)⁻¹; SEⱼ = √Cov(β̂)ⱼⱼ; tⱼ = β̂ⱼ/SEⱼ on n − p degrees of freedom.
/// - R² = 1 − RSS/TSS with TSS = Σ wᵢ(yᵢ − ȳ_w)², ȳ_w = Σwᵢyᵢ/Σwᵢ, when an intercept is fitted, and the
///   uncentred TSS = Σ wᵢyᵢ² without one (as R's `summary.lm` and statsmodels do).
///
/// Weights are precision (inverse-variance) weights with the scale σ² estimated from the data, as in R's
/// `lm(weights = )` and statsmodels' `WLS`: multiplying every weight by a constant changes nothing. Rows with
/// weight 0 are left out entirely and do not count towards n (R's `lm` rule; statsmodels' `WLS` would still
/// count them in its residual degrees of freedom).
///
/// Reference: Seber & Lee (2003), *Linear Regression Analysis*, 2nd ed., §3.1–3.4 and §3.10 (weighted least
/// squares); Golub & Van Loan (2013), *Matrix Computations*, 4th ed., §5.4.1 (QR with column pivoting).
public struct LinearRegression: Sendable, Equatable {
    /// β̂, intercept first when `includeIntercept` was true.
    public let coefficients: [Double]
    /// Standard errors √diag(`covariance`).
    public let standardErrors: [Double]
    /// The estimated covariance σ̂²·(XᵀWX)⁻¹ of β̂, p × p, in the order of `coefficients`.
    public let covariance: [[Double]]
    /// Names of the coefficients (`intercept` first when fitted), in the order of `coefficients`.
    public let names: [String]
    /// n: observations with a positive weight (all of them without weights).
    public let observations: Int
    /// n − p, the residual degrees of freedom (at least 1).
    public let residualDegreesOfFreedom: Int
    /// σ̂ = √(RSS/(n − p)), the residual standard error (R's `sigma`; statsmodels' `√scale`).
    public let residualStandardError: Double
    /// R² = 1 − RSS/TSS (centred TSS with an intercept, uncentred without; weighted with weights).
    public let rSquared: Double

    /// Interval β̂ᵢ ± t_{n−p, 1−α/2}·SEᵢ with the Student t quantile on n − p degrees of freedom (R's `confint`,
    /// statsmodels' `conf_int`). `index` must be a valid coefficient index and `level` in (0, 1).
    public func confidenceInterval(_ index: Int, level: Double = 0.95) -> ConfidenceInterval {
        precondition(level > 0 && level < 1, "confidence level must be in (0, 1)")
        let half = Distribution.tQuantile(1 - (1 - level) / 2, df: Double(residualDegreesOfFreedom)) * standardErrors[index]
        return ConfidenceInterval(lower: coefficients[index] - half, upper: coefficients[index] + half, level: level)
    }

    /// tᵢ = β̂ᵢ/SEᵢ for H₀: βᵢ = 0.
    public func tStatistic(_ index: Int) -> Double { coefficients[index] / standardErrors[index] }

    /// Two-sided p-value 2·P(T_{n−p} ≥ |tᵢ|) for H₀: βᵢ = 0.
    public func pValue(_ index: Int) -> Double {
        Distribution.twoSidedTP(tStatistic(index), df: Double(residualDegreesOfFreedom))
    }

    /// The index of the coefficient called `name`, if any.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    /// Relative size below which a pivoted column of W^½X counts as a linear combination of the columns chosen
    /// before it: |Rⱼⱼ| < 1e-7·‖column‖, i.e. the column's component orthogonal to the others is under 1e-7 of
    /// its length (scale-free; the tolerance R's `lm` passes to its QR, `tol = 1e-7`).
    static let collinearityTolerance = 1e-7

    /// Fits the model by least squares.
    ///
    /// - Parameters:
    ///   - predictors: one array of covariates per observation (no intercept column); all rows the same length
    ///     (length 0 with `includeIntercept` fits the mean).
    ///   - outcomes: the outcome per observation.
    ///   - names: one name per covariate (without the intercept).
    ///   - weights: prior precision weights, finite and ≥ 0, not all zero; zero-weight rows are left out.
    ///   - includeIntercept: prepend a column of ones (named `intercept`).
    /// - Throws: `StatsError` for empty input (`emptyInput`), mismatched lengths (`lengthMismatch`), NaN or
    ///   infinite values (`nonFiniteValue`), invalid weights (`invalidWeights`), no coefficient to fit
    ///   (`invalidArgument`), n ≤ p so that no residual degree of freedom is left (`tooFewObservations`,
    ///   needing p + 1), constant outcomes with an intercept or all-zero outcomes (`allTied`), a singular
    ///   design — collinear or, with an intercept, constant covariates (`gsl` with `GSL_ESING`) — and an
    ///   essentially perfect fit, σ̂² ≤ 1e-30·mean(wᵢŷᵢ²), where standard errors and t statistics are
    ///   meaningless (`invalidArgument`; R's `summary.lm` only warns there).
    public static func fit(predictors: [[Double]], outcomes: [Double], names: [String], weights: [Double]? = nil,
                           includeIntercept: Bool = true) throws(StatsError) -> LinearRegression {
        let stat = "linear regression"
        let n = outcomes.count
        let (k, p) = try Validate.design(predictors, cases: n, names: names, includeIntercept: includeIntercept, stat)
        try Validate.rows(predictors, width: k, stat)
        try Validate.finite(outcomes, stat)
        try Validate.weights(weights, count: n, stat)
        let rows = (0..<n).filter { (weights?[$0] ?? 1) > 0 }
        let m = rows.count
        guard m > p else { throw StatsError(stat, .tooFewObservations(needed: p + 1, got: m)) }
        let y = rows.map { outcomes[$0] }
        let w = rows.map { weights?[$0] ?? 1 }
        if y.allSatisfy({ $0 == y[0] }) && (includeIntercept || y[0] == 0) { throw StatsError(stat, .allTied) }

        // W^½X and W^½y, row-major.
        var design = [Double](repeating: 0, count: m * p)
        var response = [Double](repeating: 0, count: m)
        for (r, i) in rows.enumerated() {
            let root = w[r].squareRoot()
            var j = 0
            if includeIntercept { design[r * p] = root; j = 1 }
            for c in 0..<k { design[r * p + j + c] = root * predictors[i][c] }
            response[r] = root * y[r]
        }
        let (beta, unscaled) = try leastSquares(design, response, rows: m, columns: p, stat)

        var rss = 0.0, fittedSquares = 0.0, sumW = 0.0, sumWY = 0.0
        for (r, i) in rows.enumerated() {
            var fitted = includeIntercept ? beta[0] : 0
            for c in 0..<k { fitted += beta[c + (includeIntercept ? 1 : 0)] * predictors[i][c] }
            let residual = y[r] - fitted
            rss += w[r] * residual * residual
            fittedSquares += w[r] * fitted * fitted
            sumW += w[r]; sumWY += w[r] * y[r]
        }
        let df = m - p
        let variance = rss / Double(df)
        guard variance > 1e-30 * fittedSquares / Double(m) else {
            throw StatsError(stat, .invalidArgument("the covariates fit the outcomes exactly (essentially zero residual variance), so standard errors are undefined"))
        }
        let centre = includeIntercept ? sumWY / sumW : 0
        var tss = 0.0
        for r in 0..<m { tss += w[r] * (y[r] - centre) * (y[r] - centre) }
        guard tss > 0 else { throw StatsError(stat, .allTied) }

        let covariance = (0..<p).map { a in (0..<p).map { variance * unscaled[a * p + $0] } }
        var se = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let v = covariance[j][j]
            guard v > 0, v.isFinite else {
                throw StatsError(stat, .gsl(GSLError(operation: "least-squares covariance (singular design)", status: Int32(GSL_ESING))))
            }
            se[j] = v.squareRoot()
        }
        return LinearRegression(coefficients: beta, standardErrors: se, covariance: covariance,
                                names: (includeIntercept ? ["intercept"] : []) + names, observations: m,
                                residualDegreesOfFreedom: df, residualStandardError: variance.squareRoot(),
                                rSquared: 1 - rss / tss)
    }

    /// Least-squares solution of A·β ≈ b (A is rows × columns, row-major, rows > columns) by GSL's QR with
    /// column pivoting, AP = QR, and (AᵀA)⁻¹ = (P R⁻¹)(P R⁻¹)ᵀ (row-major, columns × columns).
    /// Throws `GSL_ESING` when a pivoted column fails the `collinearityTolerance` test.
    private static func leastSquares(_ a: [Double], _ b: [Double], rows: Int, columns p: Int,
                                     _ stat: String) throws(StatsError) -> (beta: [Double], inverse: [Double]) {
        _ = GSLRuntime.installed
        var columnNorms = [Double](repeating: 0, count: p)
        for r in 0..<rows { for j in 0..<p { columnNorms[j] += a[r * p + j] * a[r * p + j] } }
        columnNorms = columnNorms.map { $0.squareRoot() }

        var qr = a, b = b
        var beta = [Double](repeating: 0, count: p)
        var inverseFactor = [Double](repeating: 0, count: p * p) // column j: P R⁻¹ eⱼ
        var failure = ""
        let status: Int32 = GSLRuntime.withSystem(&qr, rows: rows, columns: p, &b, &beta) { matrix, rhs, solution in
            guard let tau = gsl_vector_alloc(p), let norm = gsl_vector_alloc(p),
                  let residual = gsl_vector_alloc(rows), let unit = gsl_vector_alloc(p),
                  let column = gsl_vector_alloc(p), let permutation = gsl_permutation_alloc(p) else {
                return Int32(GSL_ENOMEM)
            }
            defer {
                gsl_vector_free(tau); gsl_vector_free(norm); gsl_vector_free(residual)
                gsl_vector_free(unit); gsl_vector_free(column); gsl_permutation_free(permutation)
            }
            var signum: Int32 = 0
            failure = "QR decomposition of the design"
            var s = gsl_linalg_QRPT_decomp(matrix, tau, permutation, &signum, norm)
            if s != GSL_SUCCESS { return s }
            // GSL's QR "succeeds" on a rank-deficient matrix; test each pivot against its column's length.
            for j in 0..<p {
                let original = columnNorms[gsl_permutation_get(permutation, j)]
                let pivot = abs(gsl_matrix_get(matrix, j, j))
                if !(original > 0) || !(pivot >= collinearityTolerance * original) {
                    failure = "least squares (singular design: collinear or constant covariates?)"
                    return Int32(GSL_ESING)
                }
            }
            failure = "least-squares solve"
            s = gsl_linalg_QRPT_lssolve(matrix, tau, permutation, rhs, solution, residual)
            if s != GSL_SUCCESS { return s }
            failure = "inverting R for the covariance"
            // QRPT_Rsolve wants a square matrix: the top p rows hold R (upper triangle).
            var upper = [Double](repeating: 0, count: p * p)
            for i in 0..<p { for j in i..<p { upper[i * p + j] = gsl_matrix_get(matrix, i, j) } }
            return upper.withUnsafeMutableBufferPointer { up in
                var square = gsl_matrix_view_array(up.baseAddress, p, p)
                for j in 0..<p {
                    gsl_vector_set_basis(unit, j)
                    let r = gsl_linalg_QRPT_Rsolve(&square.matrix, permutation, unit, column)
                    if r != GSL_SUCCESS { return r }
                    for i in 0..<p { inverseFactor[i * p + j] = gsl_vector_get(column, i) }
                }
                return Int32(GSL_SUCCESS)
            }
        }
        guard status == GSL_SUCCESS else { throw StatsError(stat, .gsl(GSLError(operation: failure, status: status))) }
        guard beta.allSatisfy({ $0.isFinite }), inverseFactor.allSatisfy({ $0.isFinite }) else {
            throw StatsError(stat, .gsl(GSLError(operation: "least squares (singular design)", status: Int32(GSL_ESING))))
        }
        var inverse = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var sum = 0.0
                for c in 0..<p { sum += inverseFactor[i * p + c] * inverseFactor[j * p + c] }
                inverse[i * p + j] = sum; inverse[j * p + i] = sum
            }
        }
        return (beta, inverse)
    }
}
