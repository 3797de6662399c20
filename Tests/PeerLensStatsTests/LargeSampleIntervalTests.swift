import Testing
@testable import PeerLensStats

/// References: Fixtures/core_large_sample.json from generate/core_large_sample.py (scikit-learn's
/// average_precision_score with the Boyd et al. logit interval; a case-level numpy bootstrap of ECE, 4000
/// replicates). The data are rebuilt here by the script's integer formulas.
@Suite("Large-sample intervals: AP logit interval, bin-level bootstrap of ECE")
struct LargeSampleIntervalTests {
    static let reference = CoreFixture("core_large_sample.json")

    static let data: (p: [Double], y: [Bool]) = {
        let n = reference["n"].int
        var p: [Double] = [], y: [Bool] = []
        for i in 0..<n {
            let pi = (Double((i * 7919) % 10007) + 0.5) / 10007 * 0.6
            p.append(pi)
            y.append((i * 104729 + 13) % 1000 < Int((1000 * (pi * 0.8 + 0.02)).rounded(.down)))
        }
        return (p, y)
    }()

    @Test("The data match the script's: positives and AP as scikit-learn computed them")
    func data() throws {
        let (p, y) = Self.data
        #expect(y.filter { $0 }.count == Self.reference["positives"].int)
        let sweep = try ThresholdSweep(scores: p, labels: y)
        #expect(abs(sweep.averagePrecision - Self.reference["average_precision"].double) < 1e-12)
    }

    @Test("Logit interval of average precision = expit(logit(AP) ± z / √(n⁺·AP·(1 − AP)))")
    func averagePrecision() throws {
        let ref = Self.reference
        let interval = try #require(try LargeSampleInterval.averagePrecision(ref["average_precision"].double, positives: ref["positives"].int))
        #expect(abs(interval.lower - ref["ap_logit_interval"][0].double) < 1e-12)
        #expect(abs(interval.upper - ref["ap_logit_interval"][1].double) < 1e-12)
        #expect(try LargeSampleInterval.averagePrecision(1, positives: 10) == nil)
        #expect(try LargeSampleInterval.averagePrecision(0.5, positives: 0) == nil)
        #expect(throws: StatsError.self) { try LargeSampleInterval.averagePrecision(1.5, positives: 10) }
    }

    /// The bin-level bootstrap agrees with a case-level bootstrap within Monte Carlo error (1,000 against
    /// 4,000 replicates: about 0.0001 on each end here, where the interval is 0.0037 wide), whether the bins'
    /// means are drawn from the normal approximation (bins of 1,000 cases or more) or case by case.
    @Test("ECE: the bin-level bootstrap matches a case-level bootstrap", arguments: [1000, Int.max])
    func calibrationError(exactBelow: Int) throws {
        let (p, y) = Self.data
        let ref = Self.reference
        let table = try ReliabilityTable(predictions: p, outcomes: y)
        #expect(abs(table.expectedCalibrationError - ref["ece"].double) < 1e-12)
        let interval = try #require(try LargeSampleInterval.expectedCalibrationError(predictions: p, outcomes: y, seed: 7, exactBelow: exactBelow))
        #expect(abs(interval.lower - ref["ece_case_bootstrap_interval"][0].double) < 3e-4)
        #expect(abs(interval.upper - ref["ece_case_bootstrap_interval"][1].double) < 3e-4)
        #expect(interval.lower < table.expectedCalibrationError && table.expectedCalibrationError < interval.upper)
    }

    @Test("Same seed, same interval; bad input refused")
    func determinism() throws {
        let p = [0.1, 0.2, 0.8, 0.9, 0.4], y = [false, false, true, true, false]
        let a = try LargeSampleInterval.expectedCalibrationError(predictions: p, outcomes: y, replicates: 200, seed: 3)
        let b = try LargeSampleInterval.expectedCalibrationError(predictions: p, outcomes: y, replicates: 200, seed: 3)
        #expect(a == b)
        #expect(throws: StatsError.self) { try LargeSampleInterval.expectedCalibrationError(predictions: [1.2], outcomes: [true]) }
        #expect(throws: StatsError.self) { try LargeSampleInterval.expectedCalibrationError(predictions: p, outcomes: y, replicates: 0) }
    }
}

/// Reference: Fixtures/core_partial_auc_se.json from generate/core_partial_auc_se.py (scikit-learn's ROC curve,
/// 4000 bootstrap replicates resampling positives and negatives separately).
@Suite("Large-sample intervals: influence-function SE of the partial AUC")
struct PartialAUCStandardErrorTests {
    static let reference = CoreFixture("core_partial_auc_se.json")

    static let data: (s: [Double], y: [Bool]) = {
        var s: [Double] = [], y: [Bool] = []
        for i in 0..<reference["n"].int {
            let positive = (i * 7 + 3) % 10 == 0
            y.append(positive)
            s.append(Double((i * 7919) % 10007) / 10007 + (positive ? 1.1 : 0) * (Double((i * 104729) % 1000) / 1000))
        }
        return (s, y)
    }()

    /// The bootstrap SD carries Monte Carlo error of about 1.1 % (4000 replicates); the influence-function SE is
    /// asymptotic. They agree within 3 % (here within 0.8 %).
    @Test("Raw area as scikit-learn; the half-width / z matches the bootstrap SD", arguments: [0, 1, 2])
    func standardError(index: Int) throws {
        let c = Self.reference["cases"][index]
        let m = c["max_fpr"].double
        let (s, y) = Self.data
        let raw = try ThresholdSweep(scores: s, labels: y).partialArea(maxFalsePositiveRate: m)
        #expect(abs(raw - c["raw"].double) < 1e-12)
        #expect(abs(PartialAUCResult.standardize(raw, maxFalsePositiveRate: m) - c["mcclish"].double) < 1e-12)
        let interval = try #require(try LargeSampleInterval.partialAUC(scores: s, labels: y, maxFalsePositiveRate: m, estimate: raw))
        let se = (interval.upper - interval.lower) / 2 / 1.959963984540054
        #expect(abs(se / c["bootstrap_sd"].double - 1) < 0.03, "SE \(se) vs bootstrap SD \(c["bootstrap_sd"].double)")
        #expect(abs((interval.upper + interval.lower) / 2 - raw) < 1e-12)
    }

    @Test("Too few negatives in range, one class, bad m: nil or refused")
    func edges() throws {
        #expect(try LargeSampleInterval.partialAUC(scores: [0.1, 0.2, 0.8, 0.9], labels: [false, false, true, true], maxFalsePositiveRate: 0.1, estimate: 0.1) == nil)
        #expect(throws: StatsError.self) { try LargeSampleInterval.partialAUC(scores: [0.1, 0.2], labels: [false, true], maxFalsePositiveRate: 0, estimate: 0) }
        #expect(throws: StatsError.self) { try LargeSampleInterval.partialAUC(scores: [.nan, 0.2], labels: [false, true], maxFalsePositiveRate: 0.5, estimate: 0) }
    }
}
