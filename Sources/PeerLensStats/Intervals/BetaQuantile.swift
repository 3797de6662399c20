import CGSL

/// Quantiles of the beta distribution, robust for large shape parameters.
///
/// GSL's `gsl_cdf_beta_Pinv` returns NaN for large shapes (e.g. a = 123 457, b = 876 544, as in a
/// Clopper–Pearson interval for 123 456 events in a million), while its CDF `gsl_cdf_beta_P` stays accurate.
/// So GSL's inverse is used when it is finite and reproduces p through the CDF (|P(x) − p| ≤ 1e-10·min(p, 1 − p));
/// otherwise the CDF is inverted by bisection to machine precision (at most ~1100 steps, since x is bracketed
/// in [0, 1] and halved until the bracket is a few ulps wide).
enum BetaQuantile {
    /// x such that P(X ≤ x) = p for X ~ Beta(a, b); a, b > 0 and 0 < p < 1.
    static func inverse(_ p: Double, _ a: Double, _ b: Double) -> Double {
        _ = GSLRuntime.installed
        let candidate = gsl_cdf_beta_Pinv(p, a, b)
        if candidate.isFinite, candidate >= 0, candidate <= 1,
           abs(gsl_cdf_beta_P(candidate, a, b) - p) <= 1e-10 * min(p, 1 - p) {
            return candidate
        }
        var lo = 0.0, hi = 1.0
        for _ in 0..<1100 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if gsl_cdf_beta_P(mid, a, b) < p { lo = mid } else { hi = mid }
            if hi - lo <= 4 * hi.ulp { break }
        }
        return lo + (hi - lo) / 2
    }
}
