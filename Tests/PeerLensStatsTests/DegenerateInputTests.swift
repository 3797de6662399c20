import Testing
@testable import PeerLensStats

/// Every statistic refuses degenerate input with a typed `StatsError` (or returns its documented result):
/// empty input, n = 1, a single class, all scores tied, NaN or infinite values, weights that sum to zero.
@Suite("Degenerate input")
struct DegenerateInputTests {
    typealias Case = (String, @Sendable () throws -> Void)

    static let cases: [Case] = [
        ("AUC, empty", { _ = try Discrimination.auc(scores: [], labels: []) }),
        ("AUC, n = 1", { _ = try Discrimination.auc(scores: [0.3], labels: [true]) }),
        ("AUC, infinite score", { _ = try Discrimination.auc(scores: [.infinity, 0.1], labels: [true, false]) }),
        ("sweep, single class", { _ = try ThresholdSweep(scores: [0.1, 0.2], labels: [false, false]) }),
        ("sweep, zero weights", { _ = try ThresholdSweep(scores: [0.1, 0.2], labels: [true, false], weights: [0, 0]) }),
        ("sweep, negative weight", { _ = try ThresholdSweep(scores: [0.1, 0.2], labels: [true, false], weights: [1, -1]) }),
        ("sweep, NaN score", { _ = try ThresholdSweep(scores: [.nan, 0.2], labels: [true, false]) }),
        ("reliability, NaN", { _ = try ReliabilityTable(predictions: [.nan], outcomes: [true]) }),
        ("reliability, no bins", { _ = try ReliabilityTable(predictions: [0.5], outcomes: [true], binCount: 0) }),
        ("Brier, empty", { _ = try BrierScore(predictions: [], outcomes: []) }),
        ("Brier, n = 1", { _ = try BrierScore(predictions: [0.4], outcomes: [true]) }),
        ("Hosmer–Lemeshow, n = 1", { _ = try Calibration.hosmerLemeshow(predictions: [0.4], outcomes: [true], sample: .externalValidation) }),
        ("Spiegelhalter, empty", { _ = try Calibration.spiegelhalter(predictions: [], outcomes: []) }),
        ("calibration slope, single class", { _ = try Calibration.logistic(predictions: [0.2, 0.4, 0.6], outcomes: [true, true, true]) }),
        ("calibration slope, all tied", { _ = try Calibration.logistic(predictions: [0.3, 0.3, 0.3, 0.3], outcomes: [true, false, true, false]) }),
        ("calibration slope, zero weights", { _ = try Calibration.logistic(predictions: [0.2, 0.6], outcomes: [true, false], weights: [0, 0]) }),
        ("isotonic, empty", { _ = try RecalibrationMap.fitIsotonic(scores: [], outcomes: []) }),
        ("isotonic, zero weights", { _ = try RecalibrationMap.fitIsotonic(scores: [0.1, 0.2], outcomes: [true, false], weights: [0, 0]) }),
        ("smoothed curve, n = 1", { _ = try SmoothedCalibrationCurve(predictions: [0.5], outcomes: [true]) }),
        ("net benefit, empty", { _ = try NetBenefit.curve(scores: [], labels: [], thresholds: [0.2]) }),
        ("threshold rule, single class", { _ = try ThresholdRule.maxYouden.apply(scores: [0.1, 0.2], labels: [true, true]) }),
        ("Wilson, n = 0", { _ = try ProportionInterval.wilson(successes: 0, trials: 0) }),
        ("t interval, n = 1", { _ = try MeanEstimate.t([3]) }),
        ("t interval, NaN", { _ = try MeanEstimate.t([3, .nan]) }),
        ("Welch, n = 1", { _ = try MeanTests.welch([1], [2, 3]) }),
        ("Welch, all tied", { _ = try MeanTests.welch([1, 1], [1, 1]) }),
        ("signed rank, all zero differences", { _ = try RankTests.signedRank([1, 2], [1, 2]) }),
        ("rank sum, empty", { _ = try RankTests.rankSum([], [1]) }),
        ("rank sum, all tied", { _ = try RankTests.rankSum([1, 1], [1, 1]) }),
        ("χ², 1×2 table", { _ = try ContingencyTests.chiSquared([[1, 2]]) }),
        ("Fisher, empty margin", { _ = try ContingencyTests.fisherExact([[0, 0], [1, 2]]) }),
        ("Cohen's d, all tied", { _ = try EffectSize.independent([2, 2], [2, 2]) }),
        ("Holm, empty", { _ = try MultipleTesting.holm([]) }),
        ("BH, NaN", { _ = try MultipleTesting.benjaminiHochberg([.nan]) }),
        ("logistic, empty", { _ = try LogisticRegression.fit(predictors: [], outcomes: [], names: []) }),
        ("logistic, NaN covariate", { _ = try LogisticRegression.fit(predictors: [[.nan], [1]], outcomes: [true, false], names: ["x"]) }),
        ("Kaplan–Meier, NaN time", { _ = try KaplanMeier(times: [.nan], events: [true]) }),
        ("log-rank, no events", { _ = try LogRankTest(times: [1, 2, 3, 4], events: [false, false, false, false], groups: [0, 0, 1, 1]) }),
        ("Gini, n = 1", { _ = try GiniCoefficient([4]) }),
        ("bootstrap, too few replicates", { _ = try Bootstrap.intervalByIndex(count: 5, replicates: 10, seed: 1) { _ in 1 } }),
        ("bootstrap, statistic fails on the sample", { _ = try Bootstrap.intervalByIndex(count: 5, seed: 1) { _ in throw StatsError("x", .emptyInput) } }),
    ]

    @Test("A typed StatsError, not a trap or a NaN", arguments: cases.indices)
    func refuses(index: Int) {
        let (name, body) = Self.cases[index]
        #expect(throws: StatsError.self, "\(name)") { try body() }
    }

    @Test("Documented results instead of errors")
    func documented() throws {
        // All scores tied: AUC 0.5, zero variance, the interval collapses.
        let tied = try Discrimination.auc(scores: [0.2, 0.2, 0.2], labels: [true, false, false])
        #expect(tied.auc == 0.5 && tied.interval.lower == 0.5 && tied.interval.upper == 0.5)
        // Operating point with no positives: sensitivity is nil, not NaN.
        let point = try OperatingPoint.at(threshold: 0.5, scores: [0.7, 0.1], labels: [false, false])
        #expect(point.sensitivity == nil && point.falsePositiveRate == 0.5)
        // Kaplan–Meier with every case censored: survival stays 1, median undefined (nil).
        let km = try KaplanMeier(times: [1, 2, 3], events: [false, false, false])
        #expect(km.steps.allSatisfy { $0.survival == 1 } && km.median == nil)
        // Isotonic map from one distinct score: constant.
        let iso = try RecalibrationMap.fitIsotonic(scores: [0.3, 0.3], outcomes: [true, false])
        #expect(iso.apply(0.1) == 0.5 && iso.apply(0.9) == 0.5)
    }
}
