import Foundation
import Testing
@testable import PeerLensStats

/// Reference: statsmodels Logit (Newton) on a seeded data set; IRLS agrees to 1e-7.
@Suite("Logistic regression")
struct RegressionTests {
    let ref = py.section("logistic")

    @Test("Coefficients, standard errors, intervals and deviance")
    func fit() throws {
        let x1 = ref.doubles("x1"), x2 = ref.doubles("x2")
        let fit = try LogisticRegression.fit(predictors: zip(x1, x2).map { [$0, $1] }, outcomes: ref.bools("y"), names: ["x1", "x2"])
        expectClose(fit.coefficients, ref.doubles("params"), 1e-7, "β")
        expectClose(fit.standardErrors, ref.doubles("bse"), 1e-7, "SE")
        let ci = (ref.values["conf_int"] as! [[Double]])
        for i in 0..<3 {
            expectClose([fit.confidenceInterval(i).lower, fit.confidenceInterval(i).upper], ci[i], 1e-7, "CI \(i)")
        }
        expectClose(fit.deviance, ref.double("deviance"), 1e-7, "deviance")
        #expect(fit.names == ["intercept", "x1", "x2"])
        let or = fit.oddsRatio(1)
        expectClose(or.estimate, exp(ref.doubles("params")[1]), 1e-7, "odds ratio")
    }

    @Test("Separation, collinearity and one class are typed errors")
    func degenerate() {
        let x: [[Double]] = [[1], [2], [3], [4], [5], [6]]
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(predictors: x, outcomes: [false, false, false, true, true, true], names: ["x"])
        }
        #expect(throws: StatsError.self) {
            try LogisticRegression.fit(predictors: x.map { [$0[0], 2 * $0[0]] }, outcomes: [false, true, false, true, true, false], names: ["a", "b"])
        }
        #expect(throws: StatsError("logistic regression", .singleClass)) {
            try LogisticRegression.fit(predictors: x, outcomes: Array(repeating: true, count: 6), names: ["x"])
        }
        #expect(throws: StatsError("logistic regression", .invalidWeights)) {
            try LogisticRegression.fit(predictors: x, outcomes: [false, true, false, true, true, false], names: ["x"], weights: Array(repeating: 0, count: 6))
        }
    }
}
