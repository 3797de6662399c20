import Foundation
import Testing
@testable import PeerLensSafety
@testable import PeerLensStats

/// The large-sample path of the risk evaluation (100,000 or more independent, unweighted cases).
@Suite("Risk evaluation on large samples")
struct LargeSampleRiskTests {
    /// Cases with scores on a grid of 0.01 (many ties), positives more likely at higher scores.
    static func cases(_ n: Int, seed: UInt64) -> ReviewedScores {
        var random = FastRandom(seed: seed)
        var d = ReviewedScores()
        for i in 0..<n {
            let p = Double(1 + random.integer(below: 60)) / 100
            let y = Double(random.integer(below: 10_000)) / 10_000 < p * 0.8
            d.append(score: p, label: y, weight: nil, member: "m\(i)", message: "x\(i)", space: "s", time: 0)
        }
        return d
    }

    @Test("Calibration fitted on distinct scores with their counts equals the case-level fit")
    func aggregatedCalibration() throws {
        let d = Self.cases(20_000, seed: 4)
        let design = IntervalDesign(d, cluster: .message, level: 0.95)
        let sweep = try ThresholdSweep(scores: d.scores, labels: d.labels)
        let cases = try #require(design.calibration(d)), aggregated = try #require(design.calibration(aggregating: sweep))
        for (a, b) in [(cases.intercept, aggregated.intercept), (cases.slope, aggregated.slope)] {
            #expect(abs(a.value! - b.value!) < 1e-9 && abs(a.lower! - b.lower!) < 1e-9 && abs(a.upper! - b.upper!) < 1e-9)
            #expect(a.interval == b.interval)
        }
    }

    @Test("From 100,000 cases: logit AP, bin-level ECE and influence-function partial-AUC intervals, named; below, the bootstrap")
    func intervalMethods() throws {
        var options = RiskEvaluationOptions()
        options.replicates = 200
        let large = try RiskEvaluation.evaluate(Self.cases(RiskEvaluation.largeSample, seed: 8), model: "m", version: "v", threshold: 0.3,
                                                source: "option", options: options)
        #expect(large.averagePrecision.interval == "logit (Boyd et al. 2013)")
        #expect(large.expectedCalibrationError.interval == "bin-level bootstrap percentile")
        #expect(large.partialAUC.interval == "Wald, influence-function SE")
        for e in [large.averagePrecision, large.expectedCalibrationError] {
            #expect(e.lower! < e.value! && e.value! < e.upper!)
        }
        #expect(large.partialAUC.lower! < large.partialAUC.value! && large.partialAUC.value! < large.partialAUC.upper!)
        #expect(large.samplingNote.contains("large-sample"))
        let small = try RiskEvaluation.evaluate(Self.cases(2_000, seed: 8), model: "m", version: "v", threshold: 0.3, source: "option", options: options)
        #expect(small.averagePrecision.interval.contains("bootstrap") && small.partialAUC.interval.contains("bootstrap"))
    }
}
