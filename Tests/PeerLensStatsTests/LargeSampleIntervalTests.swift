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
