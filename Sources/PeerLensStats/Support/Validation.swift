import CGSL

/// Input checks shared by every statistic. GSL does not validate its inputs
/// (it can "succeed" with NaN), so PeerLens checks before calling it.
enum Validate {
    /// Paired samples: the same length, at least two pairs, finite values and a level in (0, 1).
    static func pairs(_ x: [Double], _ y: [Double], level: Double, _ statistic: String) throws(StatsError) {
        try sameLength(x.count, y.count, statistic)
        guard !x.isEmpty else { throw StatsError(statistic, .emptyInput) }
        guard x.count >= 2 else { throw StatsError(statistic, .tooFewObservations(needed: 2, got: x.count)) }
        try finite(x, statistic); try finite(y, statistic)
        try Validate.level(level, statistic)
    }

    static func finite(_ values: [Double], _ statistic: String) throws(StatsError) {
        for v in values where !v.isFinite { throw StatsError(statistic, .nonFiniteValue) }
    }

    static func probabilities(_ values: [Double], _ statistic: String) throws(StatsError) {
        for v in values {
            guard v.isFinite else { throw StatsError(statistic, .nonFiniteValue) }
            guard v >= 0 && v <= 1 else {
                throw StatsError(statistic, .invalidArgument("predicted probabilities must lie in [0, 1]"))
            }
        }
    }

    /// Predicted probabilities and their outcomes: as many of each, at least one, each prediction in [0, 1].
    static func predictions(_ predictions: [Double], _ outcomes: [Bool], _ statistic: String) throws(StatsError) {
        try sameLength(predictions.count, outcomes.count, statistic)
        guard !predictions.isEmpty else { throw StatsError(statistic, .emptyInput) }
        try probabilities(predictions, statistic)
    }

    /// The shape of a regression: `cases` outcomes (at least one), as many predictor rows, one name per covariate
    /// and at least one coefficient. Returns the covariates k and the coefficients p (k, plus the intercept).
    static func design(_ predictors: [[Double]], cases n: Int, names: [String], includeIntercept: Bool,
                       _ statistic: String) throws(StatsError) -> (k: Int, p: Int) {
        guard n > 0 else { throw StatsError(statistic, .emptyInput) }
        try sameLength(n, predictors.count, statistic)
        let k = predictors[0].count
        let p = k + (includeIntercept ? 1 : 0)
        guard p > 0 else { throw StatsError(statistic, .invalidArgument("no coefficients to fit")) }
        try sameLength(k, names.count, statistic)
        return (k, p)
    }

    /// Every predictor row has `width` finite values.
    static func rows(_ predictors: [[Double]], width k: Int, _ statistic: String) throws(StatsError) {
        for row in predictors {
            try sameLength(k, row.count, statistic)
            try finite(row, statistic)
        }
    }

    static func sameLength(_ a: Int, _ b: Int, _ statistic: String) throws(StatsError) {
        if a != b { throw StatsError(statistic, .lengthMismatch(expected: a, got: b)) }
    }

    static func level(_ level: Double, _ statistic: String) throws(StatsError) {
        guard level > 0 && level < 1 else { throw StatsError(statistic, .invalidArgument("confidence level must be in (0, 1)")) }
    }

    static func weights(_ weights: [Double]?, count: Int, _ statistic: String) throws(StatsError) {
        guard let weights else { return }
        try sameLength(count, weights.count, statistic)
        var total = 0.0
        for w in weights {
            guard w.isFinite, w >= 0 else { throw StatsError(statistic, .invalidWeights) }
            total += w
        }
        if total <= 0 { throw StatsError(statistic, .invalidWeights) }
    }

    /// Both classes must be present.
    static func twoClasses(_ labels: [Bool], _ statistic: String) throws(StatsError) {
        if labels.isEmpty { throw StatsError(statistic, .emptyInput) }
        let positives = labels.lazy.filter { $0 }.count
        if positives == 0 || positives == labels.count { throw StatsError(statistic, .singleClass) }
    }
}

/// The logit of probabilities.
enum Logit {
    /// log(q / (1 − q)) of each p clipped to q in [ε, 1 − ε], so that 0 and 1 stay finite.
    static func clipped(_ probabilities: [Double], to epsilon: Double) -> [Double] {
        probabilities.map { p in
            let q = min(max(p, epsilon), 1 - epsilon)
            return log(q / (1 - q))
        }
    }
}

/// Normal and other distribution functions (GSL), named.
enum Distribution {
    /// Standard normal quantile Φ⁻¹(p).
    static func normalQuantile(_ p: Double) -> Double { gsl_cdf_ugaussian_Pinv(p) }
    /// Standard normal CDF Φ(x).
    static func normalCDF(_ x: Double) -> Double { gsl_cdf_ugaussian_P(x) }
    /// Two-sided p-value of a standard normal statistic: 2·Φ(−|z|).
    static func twoSidedNormalP(_ z: Double) -> Double { 2 * gsl_cdf_ugaussian_Q(abs(z)) }
    /// Upper tail of χ² with `df` degrees of freedom.
    static func chiSquaredUpper(_ x: Double, df: Double) -> Double { gsl_cdf_chisq_Q(x, df) }
    /// Student t quantile.
    static func tQuantile(_ p: Double, df: Double) -> Double { gsl_cdf_tdist_Pinv(p, df) }
    /// Two-sided p-value of a t statistic.
    static func twoSidedTP(_ t: Double, df: Double) -> Double { 2 * gsl_cdf_tdist_Q(abs(t), df) }
    /// z for a two-sided interval at `level`.
    static func zForLevel(_ level: Double) -> Double { normalQuantile(1 - (1 - level) / 2) }
}

/// The standard normal distribution (GSL's `gsl_cdf_ugaussian_*`), for callers outside this module.
public enum StandardNormal {
    /// Φ⁻¹(p) for p in (0, 1).
    public static func quantile(_ p: Double) -> Double { Distribution.normalQuantile(p) }
    /// z for a two-sided interval at `level`: Φ⁻¹(1 − (1 − level)/2).
    public static func z(forLevel level: Double) -> Double { Distribution.zForLevel(level) }
    /// The two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)).
    public static func twoSidedP(_ z: Double) -> Double { Distribution.twoSidedNormalP(z) }
}
