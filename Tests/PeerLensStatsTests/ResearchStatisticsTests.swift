import Foundation
import Testing
@testable import PeerLensStats

/// References: statsmodels OLS/WLS (Fixtures/core_research_py.json from generate/core_research.py) and R's `lm`,
/// `prop.trend.test` and `summary(survfit, times =, extend = TRUE)` (core_research_r.json from core_research.R).
/// Tolerances (each about 50–100× the largest difference observed, so they catch a wrong formula, a wrong n vs n − p
/// or a wrong quantile, not rounding): least squares 1e-11 relative + 1e-13 absolute for β, SEs, covariance, intervals,
/// t, R² and σ̂ (closed forms via different factorisations: statsmodels uses a pseudo-inverse, R a Householder QR, we a
/// column-pivoted QR; largest observed difference 1.5e-13, in β and t); p-values 1e-11 relative (observed 3e-14);
/// trend test 1e-12 relative (closed form vs R's weighted `lm`; observed 2.5e-14); Kaplan–Meier at a time 1e-12
/// relative + 1e-13 absolute for Ŝ and the interval (observed 2.2e-15); counts at risk exactly. R's NA (JSON null)
/// must be nil here.
@Suite("Linear regression")
struct LinearRegressionTests {
    static let cases = CoreFixture("core_research_py.json")["cases"]
    static let names = ["one_covariate", "two_covariates", "two_covariates_weighted", "no_intercept"]

    @Test("Coefficients, SEs, covariance, t intervals, t and p, R², σ̂², df (statsmodels OLS/WLS)", arguments: names)
    func matchesStatsmodels(name: String) throws {
        let c = Self.cases[name]
        let x = c["x"].matrix
        let intercept = (c["intercept"].value as! NSNumber).boolValue
        let fit = try LinearRegression.fit(predictors: x, outcomes: c["y"].doubles,
                                           names: (0..<x[0].count).map { "x\($0)" },
                                           weights: c.has("weights") ? c["weights"].doubles : nil,
                                           includeIntercept: intercept)
        let tol = 1e-11, abs = 1e-13
        expectNear(fit.coefficients, c["params"].doubles, relative: tol, absolute: abs, "\(name) β")
        expectNear(fit.standardErrors, c["bse"].doubles, relative: tol, absolute: abs, "\(name) SE")
        expectNear(fit.covariance.flatMap { $0 }, c["cov"].matrix.flatMap { $0 }, relative: tol, absolute: abs, "\(name) covariance")
        expectNear(fit.rSquared, c["rsquared"].double, relative: tol, absolute: abs, "\(name) R²")
        expectNear(fit.residualStandardError * fit.residualStandardError, c["scale"].double, relative: tol, "\(name) σ̂²")
        #expect(Double(fit.residualDegreesOfFreedom) == c["df_resid"].double)
        #expect(Double(fit.observations) == c["nobs"].double)
        #expect(fit.names == (intercept ? ["intercept"] : []) + (0..<x[0].count).map { "x\($0)" })
        for j in fit.coefficients.indices {
            let ci95 = fit.confidenceInterval(j), ci90 = fit.confidenceInterval(j, level: 0.90)
            expectNear([ci95.lower, ci95.upper], c["ci95"][j].doubles, relative: tol, absolute: abs, "\(name) 95% CI \(j)")
            expectNear([ci90.lower, ci90.upper], c["ci90"][j].doubles, relative: tol, absolute: abs, "\(name) 90% CI \(j)")
            expectNear(fit.tStatistic(j), c["tvalues"][j].double, relative: tol, "\(name) t \(j)")
            expectNear(fit.pValue(j), c["pvalues"][j].double, relative: 1e-11, "\(name) p \(j)")
        }
        #expect(fit.index(of: "x0") == (intercept ? 1 : 0) && fit.index(of: "nope") == nil)
    }

    @Test("Zero weights leave rows out of the fit and of n and df (R lm)")
    func zeroWeightsMatchR() throws {
        let c = CoreFixture("core_research_r.json")["lm_zero_weights"]
        let fit = try LinearRegression.fit(predictors: c["x"].matrix, outcomes: c["y"].doubles, names: ["wt", "hp"],
                                           weights: c["weights"].doubles)
        let tol = 1e-11, abs = 1e-13
        expectNear(fit.coefficients, c["params"].doubles, relative: tol, absolute: abs, "β")
        expectNear(fit.standardErrors, c["bse"].doubles, relative: tol, absolute: abs, "SE")
        for j in 0..<3 {
            let ci = fit.confidenceInterval(j)
            expectNear([ci.lower, ci.upper], c["ci95"][j].doubles, relative: tol, absolute: abs, "95% CI \(j)")
            expectNear(fit.pValue(j), c["pvalues"][j].double, relative: 1e-11, absolute: 1e-14, "p \(j)")
        }
        expectNear(fit.rSquared, c["r_squared"].double, relative: tol, "R²")
        expectNear(fit.residualStandardError, c["sigma"].double, relative: tol, "σ̂")
        #expect(fit.residualDegreesOfFreedom == c["df_resid"].int)
        #expect(fit.observations == c["nobs"].int)

        // The same as dropping those rows, and scaling all weights changes nothing.
        let x = c["x"].matrix, y = c["y"].doubles, w = c["weights"].doubles
        let kept = w.indices.filter { w[$0] > 0 }
        let dropped = try LinearRegression.fit(predictors: kept.map { x[$0] }, outcomes: kept.map { y[$0] },
                                               names: ["wt", "hp"], weights: kept.map { w[$0] })
        let scaled = try LinearRegression.fit(predictors: x, outcomes: y, names: ["wt", "hp"], weights: w.map { 7.5 * $0 })
        for other in [dropped, scaled] {
            expectNear(other.coefficients, fit.coefficients, relative: 1e-12, absolute: 1e-14, "β")
            expectNear(other.standardErrors, fit.standardErrors, relative: 1e-12, absolute: 1e-14, "SE")
            #expect(other.residualDegreesOfFreedom == fit.residualDegreesOfFreedom)
        }
    }

    @Test("Unit weights give the unweighted fit")
    func unitWeights() throws {
        let c = Self.cases["two_covariates"]
        let x = c["x"].matrix, y = c["y"].doubles
        let plain = try LinearRegression.fit(predictors: x, outcomes: y, names: ["a", "b"])
        let weighted = try LinearRegression.fit(predictors: x, outcomes: y, names: ["a", "b"],
                                                weights: [Double](repeating: 1, count: y.count))
        #expect(plain == weighted)
    }

    @Test("Degenerate input is a typed error, never NaN")
    func degenerate() {
        let stat = "linear regression"
        let x: [[Double]] = [[1], [2], [3], [4], [5]]
        let y: [Double] = [1.2, 1.9, 3.4, 3.8, 5.3]
        #expect(throws: StatsError(stat, .emptyInput)) { try LinearRegression.fit(predictors: [], outcomes: [], names: []) }
        #expect(throws: StatsError(stat, .lengthMismatch(expected: 5, got: 4))) {
            try LinearRegression.fit(predictors: Array(x.prefix(4)), outcomes: y, names: ["x"])
        }
        #expect(throws: StatsError(stat, .lengthMismatch(expected: 1, got: 2))) {
            try LinearRegression.fit(predictors: x, outcomes: y, names: ["x", "z"])
        }
        #expect(throws: StatsError(stat, .lengthMismatch(expected: 1, got: 2))) {
            try LinearRegression.fit(predictors: [[1], [2, 3], [3], [4], [5]], outcomes: y, names: ["x"])
        }
        #expect(throws: StatsError(stat, .nonFiniteValue)) {
            try LinearRegression.fit(predictors: x, outcomes: [1, 2, .nan, 4, 5], names: ["x"])
        }
        #expect(throws: StatsError(stat, .nonFiniteValue)) {
            try LinearRegression.fit(predictors: [[1], [2], [.infinity], [4], [5]], outcomes: y, names: ["x"])
        }
        #expect(throws: StatsError(stat, .invalidWeights)) {
            try LinearRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: [1, 1, -1, 1, 1])
        }
        #expect(throws: StatsError(stat, .invalidWeights)) {
            try LinearRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: [0, 0, 0, 0, 0])
        }
        #expect(throws: StatsError(stat, .invalidWeights)) {
            try LinearRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: [1, 1, .nan, 1, 1])
        }
        #expect(throws: StatsError(stat, .lengthMismatch(expected: 5, got: 3))) {
            try LinearRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: [1, 1, 1])
        }
        #expect(throws: StatsError(stat, .invalidArgument("no coefficients to fit"))) {
            try LinearRegression.fit(predictors: [[], [], []], outcomes: [1, 2, 3], names: [], includeIntercept: false)
        }
        // n = p: no residual degrees of freedom; zero-weight rows do not count.
        #expect(throws: StatsError(stat, .tooFewObservations(needed: 3, got: 2))) {
            try LinearRegression.fit(predictors: [[1], [2]], outcomes: [1, 3], names: ["x"])
        }
        #expect(throws: StatsError(stat, .tooFewObservations(needed: 3, got: 2))) {
            try LinearRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: [1, 0, 0, 1, 0])
        }
        // Constant outcome with an intercept; all-zero outcome without one.
        #expect(throws: StatsError(stat, .allTied)) {
            try LinearRegression.fit(predictors: x, outcomes: [2, 2, 2, 2, 2], names: ["x"])
        }
        #expect(throws: StatsError(stat, .allTied)) {
            try LinearRegression.fit(predictors: x, outcomes: [0, 0, 0, 0, 0], names: ["x"], includeIntercept: false)
        }
        // Exactly collinear covariates, a constant covariate beside the intercept, and a duplicated column.
        let singular = StatsError(stat, .gsl(GSLError(operation: "least squares (singular design: collinear or constant covariates?)",
                                                      status: 21 /* GSL_ESING */)))
        #expect(throws: singular) {
            try LinearRegression.fit(predictors: [[1, 2.5], [2, 4.5], [3, 6.5], [4, 8.5], [5, 10.5]], outcomes: y, names: ["a", "b"])
        }
        #expect(throws: singular) {
            try LinearRegression.fit(predictors: [[1, 3], [2, 3], [3, 3], [4, 3], [5, 3]], outcomes: y, names: ["a", "b"])
        }
        #expect(throws: singular) {
            try LinearRegression.fit(predictors: x.map { [$0[0], $0[0]] }, outcomes: y, names: ["a", "b"], includeIntercept: false)
        }
        // Near-collinear beyond the 1e-7 tolerance (an orthogonal part of 1e-9 of the column's length).
        #expect(throws: singular) {
            try LinearRegression.fit(predictors: x.enumerated().map { [$1[0], $1[0] + ($0 == 2 ? 1e-9 : 0)] }, outcomes: y, names: ["a", "b"])
        }
        // A perfect fit has no meaningful standard errors.
        #expect(throws: StatsError(stat, .invalidArgument("the covariates fit the outcomes exactly (essentially zero residual variance), so standard errors are undefined"))) {
            try LinearRegression.fit(predictors: x, outcomes: x.map { 3 + 2 * $0[0] }, names: ["x"])
        }
    }

    @Test("Badly scaled but independent covariates are not mistaken for collinear ones")
    func scaleFree() throws {
        let c = Self.cases["two_covariates"]
        let x = c["x"].matrix, y = c["y"].doubles
        let base = try LinearRegression.fit(predictors: x, outcomes: y, names: ["a", "b"])
        let rescaled = try LinearRegression.fit(predictors: x.map { [$0[0] * 1e8, $0[1] * 1e-8] }, outcomes: y, names: ["a", "b"])
        expectNear(rescaled.coefficients, [base.coefficients[0], base.coefficients[1] * 1e-8, base.coefficients[2] * 1e8],
                   relative: 1e-8, "rescaled β")
        expectNear(rescaled.rSquared, base.rSquared, relative: 1e-10, "R²")
        expectNear(rescaled.pValue(2), base.pValue(2), relative: 1e-8, "p")
    }
}

@Suite("Cochran–Armitage trend test")
struct TrendTestTests {
    static let fixture = CoreFixture("core_research_r.json")["trend"]

    @Test("χ², signed z and p match R's prop.trend.test",
          arguments: ["smokers", "smokers_step_scores", "falling_with_empty_group", "rising_custom_scores"])
    func matchesR(name: String) throws {
        let c = Self.fixture[name]
        let result = try TrendTests.cochranArmitage(successes: c["successes"].ints, totals: c["totals"].ints,
                                                    scores: c["scores"].isNull ? nil : c["scores"].doubles)
        expectNear(result.statistic, c["chisq"].double, relative: 1e-12, "\(name) χ²")
        expectNear(result.zStatistic, c["z"].double, relative: 1e-12, "\(name) z")
        expectNear(result.pValue, c["p"].double, relative: 1e-12, "\(name) p")
        #expect(result.degreesOfFreedom == c["df"].int)
    }

    @Test("Scores: shifts change nothing, a positive rescale keeps z, reversing the order flips its sign")
    func scoreInvariance() throws {
        let x = [83, 90, 129, 70], n = [86, 93, 136, 82]
        let base = try TrendTests.cochranArmitage(successes: x, totals: n)
        let shifted = try TrendTests.cochranArmitage(successes: x, totals: n, scores: [10, 11, 12, 13])
        let scaled = try TrendTests.cochranArmitage(successes: x, totals: n, scores: [0, 2.5, 5, 7.5])
        let reversed = try TrendTests.cochranArmitage(successes: x, totals: n, scores: [3, 2, 1, 0])
        expectNear([shifted.zStatistic, scaled.zStatistic, -reversed.zStatistic], [base.zStatistic, base.zStatistic, base.zStatistic],
                   relative: 1e-12, "z")
        #expect(base.zStatistic < 0) // the smoking proportion falls across the groups
    }

    @Test("Degenerate input is a typed error")
    func degenerate() {
        let name = "Cochran–Armitage trend test"
        #expect(throws: StatsError(name, .invalidArgument("need at least 2 groups"))) {
            try TrendTests.cochranArmitage(successes: [3], totals: [10])
        }
        #expect(throws: StatsError(name, .lengthMismatch(expected: 3, got: 2))) {
            try TrendTests.cochranArmitage(successes: [1, 2, 3], totals: [10, 10])
        }
        #expect(throws: StatsError(name, .lengthMismatch(expected: 3, got: 2))) {
            try TrendTests.cochranArmitage(successes: [1, 2, 3], totals: [10, 10, 10], scores: [0, 1])
        }
        #expect(throws: StatsError(name, .invalidArgument("counts must be non-negative"))) {
            try TrendTests.cochranArmitage(successes: [1, -2, 3], totals: [10, 10, 10])
        }
        #expect(throws: StatsError(name, .invalidArgument("counts must be non-negative"))) {
            try TrendTests.cochranArmitage(successes: [0, 0, 3], totals: [10, -1, 10])
        }
        #expect(throws: StatsError(name, .invalidArgument("a group has more successes than its total"))) {
            try TrendTests.cochranArmitage(successes: [1, 11, 3], totals: [10, 10, 10])
        }
        #expect(throws: StatsError(name, .emptyInput)) {
            try TrendTests.cochranArmitage(successes: [0, 0, 0], totals: [0, 0, 0])
        }
        #expect(throws: StatsError(name, .nonFiniteValue)) {
            try TrendTests.cochranArmitage(successes: [1, 2, 3], totals: [10, 10, 10], scores: [0, .nan, 2])
        }
        #expect(throws: StatsError(name, .allTied)) {
            try TrendTests.cochranArmitage(successes: [1, 2, 3], totals: [10, 10, 10], scores: [0.1, 0.1, 0.1])
        }
        // Scores differ only on an empty group: constant where it matters.
        #expect(throws: StatsError(name, .allTied)) {
            try TrendTests.cochranArmitage(successes: [1, 2, 0], totals: [10, 10, 0], scores: [1, 1, 5])
        }
        #expect(throws: StatsError(name, .singleClass)) {
            try TrendTests.cochranArmitage(successes: [0, 0, 0], totals: [10, 12, 9])
        }
        #expect(throws: StatsError(name, .singleClass)) {
            try TrendTests.cochranArmitage(successes: [10, 12, 9], totals: [10, 12, 9])
        }
    }
}

@Suite("Kaplan–Meier at a time")
struct SurvivalAtTimeTests {
    static let fixture = CoreFixture("core_research_r.json")["km_at"]

    @Test("Survival, interval and number at risk match summary(survfit, times =, extend = TRUE)",
          arguments: ["aml_log", "aml_loglog", "to_zero", "censored_first"])
    func matchesR(name: String) throws {
        let c = Self.fixture[name]
        let transform: SurvivalIntervalTransform = c["conf_type"].string == "log-log" ? .logLog : .log
        let fit = try KaplanMeier(times: c["time_in"].doubles, events: c["status_in"].bools, transform: transform)
        let times = c["times"].doubles
        let points = times.map { fit.estimate(at: $0) }
        #expect(points.map(\.time) == times)
        expectNear(points.map(\.survival), c["surv"].doubles, relative: 1e-12, "\(name) survival")
        expectNear(points.map { $0.lower ?? .nan }, c["lower"].doubles, relative: 1e-12, absolute: 1e-13, "\(name) lower")
        expectNear(points.map { $0.upper ?? .nan }, c["upper"].doubles, relative: 1e-12, absolute: 1e-13, "\(name) upper")
        #expect(points.map(\.atRisk) == c["n_risk"].ints, "\(name) at risk")
        #expect(points.map(\.survival) == times.map { fit.survival(at: $0) })
    }

    @Test("Before the first time, and after the last")
    func ends() throws {
        let fit = try KaplanMeier(times: [3, 5, 5, 9], events: [true, false, true, false])
        #expect(fit.estimate(at: -.infinity) == SurvivalPoint(time: -.infinity, survival: 1, lower: 1, upper: 1, atRisk: 4))
        #expect(fit.estimate(at: 2.9) == SurvivalPoint(time: 2.9, survival: 1, lower: 1, upper: 1, atRisk: 4))
        let last = fit.steps.last!
        #expect(fit.estimate(at: .infinity) == SurvivalPoint(time: .infinity, survival: last.survival, lower: last.lower,
                                                             upper: last.upper, atRisk: 0))
        #expect(fit.estimate(at: 5).atRisk == 3 && fit.estimate(at: 5.5).atRisk == 1 && fit.estimate(at: 9).atRisk == 1)
    }
}
