import Testing
@testable import PeerLensStats

/// References: scikit-learn calibration_curve, IsotonicRegression; statsmodels GLM/Logit; the HL, Spiegelhalter,
/// Murphy, ECE and MCE definitions evaluated in numpy (Fixtures/generate/make_reference.py). Closed-form
/// quantities agree to 1e-12; iterative fits to 1e-7 (Logit, Newton to 1e-8) or 1e-6 for intervals from
/// statsmodels GLM, whose IRLS stops at a deviance change of 1e-8.
@Suite("Calibration")
struct CalibrationTests {
    let binary = py.section("binary")
    var y: [Bool] { binary.bools("y") }
    var s: [Double] { binary.doubles("score") }

    @Test("Equal-width reliability table matches calibration_curve(strategy='uniform'), with ECE and MCE")
    func equalWidth() throws {
        let table = try ReliabilityTable(predictions: s, outcomes: y, binCount: 10, strategy: .equalWidth)
        expectClose(table.bins.map(\.observedRate), binary.doubles("calibration_uniform_true"), 1e-12, "observed")
        expectClose(table.bins.map(\.meanPredicted), binary.doubles("calibration_uniform_pred"), 1e-12, "predicted")
        expectClose(table.expectedCalibrationError, binary.double("ece"), 1e-12, "ECE")
        expectClose(table.maximumCalibrationError, binary.double("mce"), 1e-12, "MCE")
        for bin in table.bins { #expect(bin.observedInterval.contains(bin.observedRate)) }
        #expect(table.bins.reduce(0) { $0 + $1.count } == s.count)
    }

    @Test("Equal-count reliability table matches calibration_curve(strategy='quantile')")
    func equalCount() throws {
        let table = try ReliabilityTable(predictions: s, outcomes: y, binCount: 10, strategy: .equalCount)
        expectClose(table.bins.map(\.observedRate), binary.doubles("calibration_quantile_true"), 1e-12, "observed")
        expectClose(table.bins.map(\.meanPredicted), binary.doubles("calibration_quantile_pred"), 1e-12, "predicted")
    }

    @Test("Brier score and Murphy decomposition")
    func brier() throws {
        let b = try BrierScore(predictions: s, outcomes: y)
        expectClose(b.score, binary.double("brier"), 1e-12, "Brier")
        expectClose(b.reliability, binary.double("murphy_reliability"), 1e-12, "reliability")
        expectClose(b.resolution, binary.double("murphy_resolution"), 1e-12, "resolution")
        expectClose(b.uncertainty, binary.double("murphy_uncertainty"), 1e-12, "uncertainty")
        expectClose(b.scaled, 1 - binary.double("brier") / binary.double("murphy_uncertainty"), 1e-12, "scaled")
        expectClose(b.score, b.reliability - b.resolution + b.uncertainty + b.decompositionResidual, 1e-15, "identity")
    }

    @Test("Hosmer–Lemeshow and Spiegelhalter")
    func tests() throws {
        let hl = try Calibration.hosmerLemeshow(predictions: s, outcomes: y, sample: .development)
        expectClose(hl.statistic, binary.double("hosmer_lemeshow"), 1e-10, "HL")
        expectClose(hl.pValue, binary.double("hosmer_lemeshow_p"), 1e-10, "HL p")
        #expect(hl.degreesOfFreedom == 8)
        #expect(hl.note?.hasSuffix("development sample: df = g − 2") == true)
        let z = try Calibration.spiegelhalter(predictions: s, outcomes: y)
        expectClose(z.statistic, binary.double("spiegelhalter_z"), 1e-12, "z")
        expectClose(z.pValue, binary.double("spiegelhalter_p"), 1e-10, "p")
    }

    @Test("Calibration-in-the-large and slope with Wald intervals (statsmodels GLM)")
    func logistic() throws {
        let c = try Calibration.logistic(predictions: s, outcomes: y)
        expectClose(c.intercept, binary.double("citl"), 1e-7, "intercept")
        expectClose(c.interceptInterval.lower, binary.doubles("citl_ci")[0], 1e-6, "intercept lower")
        expectClose(c.slope, binary.double("slope"), 1e-7, "slope")
        expectClose(c.slopeInterval.lower, binary.doubles("slope_ci")[0], 1e-6, "slope lower")
        expectClose(c.slopeInterval.upper, binary.doubles("slope_ci")[1], 1e-6, "slope upper")
    }

    @Test("Isotonic (PAVA) and Platt recalibration maps fitted on one sample, applied to a grid")
    func recalibration() throws {
        let grid = binary.doubles("grid")
        let iso = try RecalibrationMap.fitIsotonic(scores: s, outcomes: y)
        expectClose(iso.apply(grid), binary.doubles("isotonic_on_grid"), 1e-12, "isotonic")
        let platt = try RecalibrationMap.fitPlatt(scores: s, outcomes: y)
        expectClose(platt.apply(grid), binary.doubles("platt_on_grid"), 1e-7, "Platt")
    }

    @Test("The smoothed curve is monotone-ish for a calibrated model and its band covers the estimate")
    func smoothed() throws {
        let curve = try SmoothedCalibrationCurve(predictions: s, outcomes: y, replicates: 100, seed: 3)
        #expect(!curve.grid.isEmpty)
        for i in curve.grid.indices { #expect(curve.lower[i] <= curve.observed[i] + 1e-12 && curve.observed[i] <= curve.upper[i] + 1e-12) }
        let again = try SmoothedCalibrationCurve(predictions: s, outcomes: y, replicates: 100, seed: 3)
        #expect(again == curve, "same seed, same band")
    }

    @Test("Degenerate input: typed errors")
    func degenerate() {
        #expect(throws: StatsError("reliability table", .emptyInput)) { try ReliabilityTable(predictions: [], outcomes: []) }
        #expect(throws: StatsError("reliability table", .invalidArgument("predicted probabilities must lie in [0, 1]"))) {
            try ReliabilityTable(predictions: [1.5], outcomes: [true])
        }
        #expect(throws: StatsError("Brier score", .singleClass)) { try BrierScore(predictions: [0.2, 0.3], outcomes: [false, false]) }
        #expect(throws: StatsError("Spiegelhalter z", .allTied)) { try Calibration.spiegelhalter(predictions: [0.5, 0.5], outcomes: [true, false]) }
        #expect(throws: StatsError.self) { try Calibration.hosmerLemeshow(predictions: [0.1, 0.2], outcomes: [true, false], sample: .externalValidation) }
    }
}

@Suite("One-pass risk model evaluation")
struct RiskModelEvaluationTests {
    @Test("Agrees with the separate computations and the scikit-learn references")
    func agrees() throws {
        let binary = py.section("binary")
        let y = binary.bools("y"), s = binary.doubles("score")
        let e = try RiskModelEvaluation(scores: s, outcomes: y)
        #expect(e.auc == (try Discrimination.auc(scores: s, labels: y)))
        #expect(e.reliability == (try ReliabilityTable(predictions: s, outcomes: y)))
        #expect(e.brier == (try BrierScore(predictions: s, outcomes: y)))
        #expect(e.sweep.thresholds == (try ThresholdSweep(scores: s, labels: y)).thresholds)
        expectClose(e.auc.auc, binary.double("auc"), 1e-12, "AUC")
        expectClose(e.reliability.expectedCalibrationError, binary.double("ece"), 1e-12, "ECE")
        #expect(throws: StatsError.self) { try RiskModelEvaluation(scores: [0.2, 1.2], outcomes: [true, false]) }
    }
}

@Suite("Smoothed calibration and weighted sweeps against numpy/scikit-learn")
struct SmoothedAndWeightedTests {
    let binary = py.section("binary")

    @Test("Kernel-smoothed curve and bandwidth equal the numpy Nadaraya–Watson reference at every grid point shown")
    func smoothedEstimate() throws {
        let curve = try SmoothedCalibrationCurve(predictions: binary.doubles("score"), outcomes: binary.bools("y"), replicates: 100, seed: 1)
        expectClose(curve.bandwidth, binary.double("smooth_bandwidth"), 1e-12, "bandwidth")
        let grid = binary.doubles("smooth_grid_p"), reference = binary.doubles("smooth_observed")
        var matched = 0
        for (p, value) in zip(curve.grid, curve.observed) {
            guard let k = grid.firstIndex(where: { abs($0 - p) < 1e-12 }) else { Issue.record("grid point \(p) not in the reference"); continue }
            expectClose(value, reference[k], 1e-12, "smoothed rate at \(p)")
            matched += 1
        }
        #expect(matched >= 40)
    }

    @Test("Weighted average precision (sample_weight) from a weighted sweep")
    func weightedAP() throws {
        let sweep = try ThresholdSweep(scores: binary.doubles("score"), labels: binary.bools("y"), weights: binary.doubles("weights"))
        #expect(sweep.isWeighted)
        expectClose(sweep.averagePrecision, binary.double("weighted_average_precision"), 1e-12, "weighted AP")
    }
}

@Suite("Weighted (inverse-probability) estimates against scikit-learn/numpy")
struct WeightedEstimateTests {
    let binary = py.section("binary")

    @Test("Weighted AUC from the sweep equals roc_auc_score(sample_weight=); unweighted equals the DeLong AUC")
    func weightedAUC() throws {
        let y = binary.bools("y"), s = binary.doubles("score"), w = binary.doubles("weights")
        expectClose(try ThresholdSweep(scores: s, labels: y, weights: w).areaUnderCurve, binary.double("weighted_auc"), 1e-12, "weighted AUC")
        expectClose(try ThresholdSweep(scores: s, labels: y).areaUnderCurve, try Discrimination.auc(scores: s, labels: y).auc, 1e-12, "AUC")
    }

    @Test("Weighted Brier score, Murphy decomposition, ECE and MCE")
    func weightedBrier() throws {
        let y = binary.bools("y"), s = binary.doubles("score"), w = binary.doubles("weights")
        let b = try BrierScore(predictions: s, outcomes: y, weights: w)
        expectClose(b.score, binary.double("weighted_brier"), 1e-12, "Brier")
        expectClose(b.reliability, binary.double("weighted_reliability"), 1e-12, "reliability")
        expectClose(b.resolution, binary.double("weighted_resolution"), 1e-12, "resolution")
        expectClose(b.uncertainty, binary.double("weighted_uncertainty"), 1e-12, "uncertainty")
        let table = try ReliabilityTable(predictions: s, outcomes: y, weights: w)
        expectClose(table.expectedCalibrationError, binary.double("weighted_ece"), 1e-12, "ECE")
        expectClose(table.maximumCalibrationError, binary.double("weighted_mce"), 1e-12, "MCE")
        expectClose(table.bins.map(\.observedRate), binary.doubles("weighted_bin_rates"), 1e-12, "bin rates")
        for bin in table.bins { #expect(bin.observedInterval.contains(bin.observedRate)) }
    }

    @Test("Unit weights give exactly the unweighted results")
    func unitWeights() throws {
        let y = binary.bools("y"), s = binary.doubles("score"), ones = [Double](repeating: 1, count: s.count)
        #expect(try BrierScore(predictions: s, outcomes: y, weights: ones) == BrierScore(predictions: s, outcomes: y))
        let a = try ReliabilityTable(predictions: s, outcomes: y, weights: ones), b = try ReliabilityTable(predictions: s, outcomes: y)
        expectClose(a.expectedCalibrationError, b.expectedCalibrationError, 1e-15, "ECE")
        expectClose(a.bins.map(\.observedRate), b.bins.map(\.observedRate), 1e-15, "rates")
    }
}
