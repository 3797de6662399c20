import Foundation
import Testing
@testable import PeerLensStats

/// Reference (Fixtures/core_regression.json, from generate/core_regression.py): statsmodels GLM(Binomial)
/// by IRLS to tol 1e-12, with offsets and integer frequency weights. Tolerance 1e-7 relative + 1e-8 absolute (the absolute part for values near 0 such as an interval bound β − 1.96·SE):
/// both fits stop at their own convergence criteria, so agreement is limited by those, not by rounding.
@Suite("Logistic regression")
struct RegressionTests {
    static let cases = CoreFixture("core_regression.json")["cases"]
    static let names = ["two_covariates", "calibration_in_the_large", "calibration_slope_weighted", "offset_and_weights"]

    @Test("Coefficients, SEs, covariance, Wald intervals, p-values and deviance (statsmodels)", arguments: names)
    func matchesStatsmodels(name: String) throws {
        let c = Self.cases[name]
        let x = c["x"].matrix
        let fit = try LogisticRegression.fit(predictors: x, outcomes: c["y"].bools,
                                             names: (0..<(x.first?.count ?? 0)).map { "x\($0)" },
                                             offset: c.has("offset") ? c["offset"].doubles : nil,
                                             weights: c.has("weights") ? c["weights"].doubles : nil)
        let tol = 1e-7, abs = 1e-8
        expectNear(fit.coefficients, c["params"].doubles, relative: tol, absolute: abs, "\(name) β")
        expectNear(fit.standardErrors, c["bse"].doubles, relative: tol, absolute: abs, "\(name) SE")
        expectNear(fit.covariance.flatMap { $0 }, c["cov"].matrix.flatMap { $0 }, relative: tol, absolute: abs, "\(name) covariance")
        expectNear(fit.deviance, c["deviance"].double, relative: tol, absolute: abs, "\(name) deviance")
        for j in fit.coefficients.indices {
            let ci95 = fit.confidenceInterval(j), ci90 = fit.confidenceInterval(j, level: 0.90)
            expectNear([ci95.lower, ci95.upper], c["ci95"][j].doubles, relative: tol, absolute: abs, "\(name) 95% CI \(j)")
            expectNear([ci90.lower, ci90.upper], c["ci90"][j].doubles, relative: tol, absolute: abs, "\(name) 90% CI \(j)")
            expectNear(fit.pValue(j), c["pvalues"][j].double, relative: 1e-6, absolute: 1e-12, "\(name) p \(j)")
            let or = fit.oddsRatio(j)
            expectNear(or.estimate, exp(c["params"][j].double), relative: tol, "\(name) OR \(j)")
            expectNear([or.interval.lower, or.interval.upper], c["ci95"][j].doubles.map { exp($0) }, relative: tol, "\(name) OR CI \(j)")
        }
        #expect(fit.names.first == "intercept")
        #expect(fit.iterations < 50)
    }

    @Test("Zero weights drop rows: same fit as leaving them out")
    func zeroWeights() throws {
        let c = Self.cases["two_covariates"]
        let x = c["x"].matrix, y = c["y"].bools
        var w = [Double](repeating: 1, count: x.count)
        for i in stride(from: 0, to: x.count, by: 3) { w[i] = 0 }
        let weighted = try LogisticRegression.fit(predictors: x, outcomes: y, names: ["a", "b"], weights: w)
        let kept = x.indices.filter { w[$0] > 0 }
        let subset = try LogisticRegression.fit(predictors: kept.map { x[$0] }, outcomes: kept.map { y[$0] }, names: ["a", "b"])
        expectNear(weighted.coefficients, subset.coefficients, relative: 1e-12, absolute: 1e-14, "β")
        expectNear(weighted.standardErrors, subset.standardErrors, relative: 1e-12, absolute: 1e-14, "SE")
        #expect(weighted.observations == kept.count)
    }

    @Test("Complete and quasi-complete separation are refused (the MLE does not exist)")
    func separation() {
        let x: [[Double]] = [[1], [2], [3], [4], [5], [6]]
        #expect(throws: StatsError("logistic regression", .didNotConverge(iterations: 50))) {
            try LogisticRegression.fit(predictors: x, outcomes: [false, false, false, true, true, true], names: ["x"])
        }
        // Quasi-complete: the classes overlap only at x = 3.
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(predictors: x + [[3]], outcomes: [false, false, false, true, true, true, true], names: ["x"])
        }
        // Separation by a binary covariate: every x = 1 row is an event.
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(predictors: [[0], [0], [0], [0], [1], [1]], outcomes: [false, true, false, true, true, true], names: ["x"])
        }
    }

    @Test("Degenerate input is a typed error")
    func degenerate() {
        let x: [[Double]] = [[1], [2], [3], [4], [5], [6]]
        let y = [false, true, false, true, true, false]
        #expect(throws: StatsError("logistic regression", .emptyInput)) { try LogisticRegression.fit(predictors: [], outcomes: [], names: []) }
        #expect(throws: StatsError("logistic regression", .singleClass)) {
            try LogisticRegression.fit(predictors: x, outcomes: Array(repeating: true, count: 6), names: ["x"])
        }
        #expect(throws: StatsError("logistic regression", .invalidWeights)) {
            try LogisticRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: Array(repeating: 0, count: 6))
        }
        #expect(throws: StatsError("logistic regression", .invalidWeights)) {
            try LogisticRegression.fit(predictors: x, outcomes: y, names: ["x"], weights: [1, 1, 1, 1, 1, -1])
        }
        #expect(throws: StatsError("logistic regression", .nonFiniteValue)) {
            try LogisticRegression.fit(predictors: [[.nan], [1]], outcomes: [true, false], names: ["x"])
        }
        #expect(throws: StatsError("logistic regression", .nonFiniteValue)) {
            try LogisticRegression.fit(predictors: x, outcomes: y, names: ["x"], offset: [0, 0, 0, 0, 0, .infinity])
        }
        #expect(throws: StatsError("logistic regression", .lengthMismatch(expected: 6, got: 5))) {
            try LogisticRegression.fit(predictors: Array(x.prefix(5)), outcomes: y, names: ["x"])
        }
        // n = 1 (and fewer rows than coefficients): a single class anyway; with two rows and three coefficients:
        #expect(throws: StatsError("logistic regression", .tooFewObservations(needed: 3, got: 2))) {
            try LogisticRegression.fit(predictors: [[1, 2], [3, 5]], outcomes: [true, false], names: ["a", "b"])
        }
        // Collinear covariates (b = 2a) and a constant covariate: a singular design, reported by GSL's Cholesky.
        for design in [x.map { [$0[0], 2 * $0[0]] }, x.map { [$0[0], 1] }] {
            #expect {
                try LogisticRegression.fit(predictors: design, outcomes: y, names: ["a", "b"])
            } throws: { error in
                if case .gsl = (error as? StatsError)?.kind { return true }
                return false
            }
        }
    }
}
