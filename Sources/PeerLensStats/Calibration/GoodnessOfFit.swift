import CGSL

/// A goodness-of-fit statistic with its p-value.
public struct CalibrationTest: Sendable, Equatable, Codable {
    /// The statistic (χ² for Hosmer–Lemeshow, z for Spiegelhalter).
    public let statistic: Double
    /// Degrees of freedom (Hosmer–Lemeshow) or nil (z test).
    public let degreesOfFreedom: Double?
    /// p-value (upper χ² tail, or two-sided normal).
    public let pValue: Double
    /// Which rule or variance the test used, in words (`external validation: df = g`, `weighted, null variance
    /// Σw²(1 − 2p)²p(1 − p)`), so that the output can say so; nil when not stated.
    public let note: String?

    enum CodingKeys: String, CodingKey { case statistic, degreesOfFreedom = "degrees_of_freedom", pValue = "p_value", note }

    /// Creates a test result.
    public init(statistic: Double, degreesOfFreedom: Double?, pValue: Double, note: String? = nil) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.note = note
    }
}

/// Whether the predictions tested by Hosmer–Lemeshow come from a model fitted on the same data, which decides
/// the degrees of freedom of the χ² reference.
public enum HosmerLemeshowSample: String, Sendable, Codable {
    /// The model was fitted (or recalibrated) on these data: χ² with g − 2 degrees of freedom, because the
    /// fit used two degrees of freedom (Hosmer & Lemeshow 1980).
    case development
    /// The model was not fitted on these data (a deployed model's scores, exported predictions): χ² with g
    /// degrees of freedom, since no parameter was estimated from them (Hosmer, Lemeshow & Sturdivant 2013,
    /// Applied Logistic Regression, 3rd ed., ch. 5, assessing fit in an external validation sample).
    case externalValidation = "external_validation"

    /// The degrees of freedom for `groups` groups.
    public func degreesOfFreedom(groups: Int) -> Int { self == .development ? groups - 2 : groups }

    /// The rule in words, e.g. `external validation: df = g`.
    public var rule: String { self == .development ? "development sample: df = g − 2" : "external validation: df = g" }
}

/// Calibration-in-the-large and calibration slope from logistic recalibration.
public struct LogisticCalibration: Sendable, Equatable, Codable {
    /// Calibration-in-the-large: α in logit P(y) = α + logit(p) (logit(p) as an offset); 0 is ideal.
    public let intercept: Double
    /// Wald interval of the intercept.
    public let interceptInterval: ConfidenceInterval
    /// Calibration slope: β in logit P(y) = a + β·logit(p); 1 is ideal, < 1 means over-confident predictions.
    public let slope: Double
    /// Wald interval of the slope.
    public let slopeInterval: ConfidenceInterval
}

/// Calibration tests and logistic recalibration of predicted probabilities.
public enum Calibration {
    /// Hosmer–Lemeshow test (Hosmer & Lemeshow 1980): sort by predicted risk, split into `groups` groups of
    /// sizes as equal as possible (the first n mod g groups get one more case), and sum
    /// (Oₖ − Eₖ)² / (Eₖ(1 − Eₖ/nₖ)) with Eₖ = Σ pᵢ in the group; χ² with g − 2 degrees of freedom when the
    /// model was fitted on these data (`.development`), g when it was not (`.externalValidation`). The
    /// result's `note` names the rule. Unweighted: each case counts once.
    ///
    /// - Throws: `StatsError` for fewer cases than groups, fewer than 3 groups, invalid probabilities, or a
    ///   group whose expected count is 0 or equal to its size (the statistic is undefined).
    public static func hosmerLemeshow(predictions: [Double], outcomes: [Bool], groups: Int = 10,
                                      sample: HosmerLemeshowSample) throws(StatsError) -> CalibrationTest {
        try hosmerLemeshow(predictions: predictions, outcomes: outcomes, groups: groups, sample: sample, order: nil)
    }

    /// `hosmerLemeshow(predictions:outcomes:groups:sample:)` reusing the order of `predictions` when the caller
    /// has it.
    package static func hosmerLemeshow(predictions: [Double], outcomes: [Bool], groups: Int = 10,
                                       sample: HosmerLemeshowSample, order given: ScoreOrder?) throws(StatsError) -> CalibrationTest {
        let name = "Hosmer–Lemeshow test"
        try Validate.sameLength(predictions.count, outcomes.count, name)
        try Validate.probabilities(predictions, name)
        guard groups >= 3 else { throw StatsError(name, .invalidArgument("need at least 3 groups")) }
        guard predictions.count >= groups else { throw StatsError(name, .tooFewObservations(needed: groups, got: predictions.count)) }
        let order = given ?? ScoreOrder(predictions)
        let n = predictions.count
        var statistic = 0.0, start = 0
        for g in 0..<groups {
            let size = n / groups + (g < n % groups ? 1 : 0)
            var observed = 0.0, expected = 0.0
            for k in start..<(start + size) {
                let c = Int(order.indices[k])
                expected += predictions[c]
                if outcomes[c] { observed += 1 }
            }
            let denominator = expected * (1 - expected / Double(size))
            guard denominator > 0 else { throw StatsError(name, .invalidArgument("a group has expected events 0 or equal to its size")) }
            statistic += (observed - expected) * (observed - expected) / denominator
            start += size
        }
        let df = Double(sample.degreesOfFreedom(groups: groups))
        return CalibrationTest(statistic: statistic, degreesOfFreedom: df, pValue: Distribution.chiSquaredUpper(statistic, df: df),
                               note: "\(groups) groups of equal size by predicted risk; \(sample.rule)")
    }

    /// Spiegelhalter's (1986, Stat Med 5:421) z test of calibration: with uᵢ = wᵢ(yᵢ − pᵢ)(1 − 2pᵢ),
    /// z = Σ uᵢ / √V and a two-sided normal p-value, where under the null hypothesis (each yᵢ an independent
    /// Bernoulli(pᵢ)) V = Σ wᵢ² (1 − 2pᵢ)² pᵢ(1 − pᵢ). Without weights (wᵢ = 1) this is Spiegelhalter's z as in
    /// R's `rms::val.prob` (`S:z`, `S:p`). With sampling weights (inverse inclusion probabilities) Σ uᵢ
    /// estimates the population total and V is its variance given the sample, so the test still has its size
    /// when reviews are sampled on the score. With `clusters` (e.g. messages of one member), independence
    /// within a cluster is not assumed: V = Σ_c (Σ_{i∈c} uᵢ)², the cluster-robust variance of a sum whose
    /// terms have mean 0 under the null (no centring, no finite-cluster factor). The result's `note` names
    /// the variance used.
    ///
    /// - Throws: `StatsError` for empty or mismatched input, invalid probabilities or weights, fewer than two
    ///   clusters, or a zero variance (e.g. all predictions in {0, ½, 1}).
    public static func spiegelhalter(predictions: [Double], outcomes: [Bool], weights: [Double]? = nil,
                                     clusters: [Int]? = nil) throws(StatsError) -> CalibrationTest {
        let name = "Spiegelhalter z"
        try Validate.predictions(predictions, outcomes, name)
        try Validate.weights(weights, count: predictions.count, name)
        var num = 0.0, variance = 0.0
        var clusterSums: [Int: Double] = [:]
        if let clusters { try Validate.sameLength(predictions.count, clusters.count, name) }
        for i in predictions.indices {
            let p = predictions[i], y = outcomes[i] ? 1.0 : 0.0, w = weights?[i] ?? 1
            let u = w * (y - p) * (1 - 2 * p)
            num += u
            if let clusters { clusterSums[clusters[i], default: 0] += u } else { variance += w * w * (1 - 2 * p) * (1 - 2 * p) * p * (1 - p) }
        }
        if clusters != nil {
            guard clusterSums.count >= 2 else { throw StatsError(name, .tooFewObservations(needed: 2, got: clusterSums.count)) }
            // Summed in key order so that the result does not depend on dictionary order.
            variance = clusterSums.keys.sorted().reduce(0) { $0 + clusterSums[$1]! * clusterSums[$1]! }
        }
        guard variance > 0 else { throw StatsError(name, .allTied) }
        let z = num / variance.squareRoot()
        let note = clusters != nil
            ? (weights != nil ? "weighted, cluster-robust variance Σ_c (Σ w(y − p)(1 − 2p))²" : "cluster-robust variance Σ_c (Σ (y − p)(1 − 2p))²")
            : (weights != nil ? "weighted, null variance Σ w²(1 − 2p)² p(1 − p)" : "unweighted, null variance Σ (1 − 2p)² p(1 − p)")
        return CalibrationTest(statistic: z, degreesOfFreedom: nil, pValue: Distribution.twoSidedNormalP(z), note: note)
    }

    /// Calibration-in-the-large and slope (Cox 1958; Van Calster et al. 2016) by logistic regression on
    /// logit(p), with Wald intervals. Predictions are clipped to [1e-12, 1 − 1e-12] before the logit.
    /// Calibration-in-the-large is the intercept of logit P(y) = a + logit(p) (slope fixed at 1, an offset);
    /// the slope is b in logit P(y) = a + b·logit(p).
    ///
    /// - Parameters:
    ///   - weights: prior weights. With `designBased: false` their standard errors treat them as frequency
    ///     weights (R's `glm`); with sampling weights pass `designBased: true`.
    ///   - clusters: with `designBased`, the cluster of each case (e.g. the member), or nil for none.
    ///   - designBased: use the design-based sandwich covariance (`LogisticRegression.CovarianceEstimator`).
    /// - Throws: `StatsError` as `LogisticRegression.fit`.
    public static func logistic(predictions: [Double], outcomes: [Bool], weights: [Double]? = nil, clusters: [Int]? = nil,
                                designBased: Bool = false, level: Double = 0.95) throws(StatsError) -> LogisticCalibration {
        let lp = try logits(predictions, outcomes, "calibration intercept and slope")
        let estimator = covariance(designBased: designBased, clusters: clusters)
        let inTheLarge = try inTheLargeFit(lp, outcomes, weights, estimator)
        let slopeFit = try slopeFit(lp, outcomes, weights, estimator)
        return LogisticCalibration(intercept: inTheLarge.coefficients[0], interceptInterval: inTheLarge.confidenceInterval(0, level: level),
                                   slope: slopeFit.coefficients[1], slopeInterval: slopeFit.confidenceInterval(1, level: level))
    }

    /// Calibration slope alone (the second fit of `logistic`, half the work): b in logit P(y) = a + b·logit(p),
    /// with its Wald interval, model-based or design-based as in `logistic`.
    ///
    /// - Throws: `StatsError` as `LogisticRegression.fit`.
    public static func slope(predictions: [Double], outcomes: [Bool], weights: [Double]? = nil, clusters: [Int]? = nil,
                             designBased: Bool = false, level: Double = 0.95) throws(StatsError) -> (slope: Double, interval: ConfidenceInterval) {
        let lp = try logits(predictions, outcomes, "calibration slope")
        let fit = try slopeFit(lp, outcomes, weights, covariance(designBased: designBased, clusters: clusters))
        return (fit.coefficients[1], fit.confidenceInterval(1, level: level))
    }

    /// Calibration-in-the-large alone (the first fit of `logistic`, half the work): the intercept a of
    /// logit P(y) = a + logit(p), with its Wald interval, model-based or design-based as in `logistic`.
    ///
    /// - Throws: `StatsError` as `LogisticRegression.fit`.
    public static func inTheLarge(predictions: [Double], outcomes: [Bool], weights: [Double]? = nil, clusters: [Int]? = nil,
                                  designBased: Bool = false, level: Double = 0.95) throws(StatsError) -> (intercept: Double, interval: ConfidenceInterval) {
        let lp = try logits(predictions, outcomes, "calibration-in-the-large")
        let fit = try inTheLargeFit(lp, outcomes, weights, covariance(designBased: designBased, clusters: clusters))
        return (fit.coefficients[0], fit.confidenceInterval(0, level: level))
    }

    /// logit(p) of each prediction clipped to [1e-12, 1 − 1e-12], after checking the input of `statistic`.
    private static func logits(_ predictions: [Double], _ outcomes: [Bool], _ statistic: String) throws(StatsError) -> [Double] {
        try Validate.sameLength(predictions.count, outcomes.count, statistic)
        try Validate.probabilities(predictions, statistic)
        return Logit.clipped(predictions, to: 1e-12)
    }

    private static func covariance(designBased: Bool, clusters: [Int]?) -> LogisticRegression.CovarianceEstimator {
        designBased ? .designBased(clusters: clusters) : .modelBased
    }

    /// logit P(y) = a + logit(p): the intercept with logit(p) as an offset.
    private static func inTheLargeFit(_ lp: [Double], _ outcomes: [Bool], _ weights: [Double]?,
                                      _ estimator: LogisticRegression.CovarianceEstimator) throws(StatsError) -> LogisticRegression {
        try LogisticRegression.fit(predictors: lp.map { _ in [] }, outcomes: outcomes, names: [], offset: lp, weights: weights,
                                   covarianceEstimator: estimator)
    }

    /// logit P(y) = a + b·logit(p).
    private static func slopeFit(_ lp: [Double], _ outcomes: [Bool], _ weights: [Double]?,
                                 _ estimator: LogisticRegression.CovarianceEstimator) throws(StatsError) -> LogisticRegression {
        try LogisticRegression.fit(predictors: lp.map { [$0] }, outcomes: outcomes, names: ["logit(p)"], weights: weights,
                                   covarianceEstimator: estimator)
    }
}
