import Foundation
import Testing
@testable import PeerLensSafety
@testable import PeerLensStats

func safetyFixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
}

@Suite("Exported predictions (risk --predictions)")
struct PredictionsTests {
    @Test("pROC's aSAH s100b: AUC 0.7314, DeLong 95% CI 0.6301–0.8326 (values from pROC via make_reference.R)")
    func asah() throws {
        let data = try Predictions(path: safetyFixture("asah.csv"), scoreColumn: "s100b", labelColumn: "outcome", positiveLabel: "Poor")
        var options = RiskEvaluationOptions()
        options.replicates = 100
        let (results, skipped) = try RiskEvaluation.evaluate(predictions: data, name: "s100b", options: options)
        #expect(skipped.isEmpty)
        let r = try #require(results.first)
        #expect(r.reviewed == 113 && r.positives == 41)
        #expect(r.auc.interval == "delong")
        #expect(abs(r.auc.value! - 0.731368563685637) < 1e-12)
        #expect(abs(r.auc.lower! - 0.630118211761623) < 1e-12 && abs(r.auc.upper! - 0.832618915609651) < 1e-12)
        #expect(!r.scoresAreProbabilities, "s100b is a concentration, not a probability")
        #expect(r.brier.value == nil && r.calibrationSlope.value == nil)
    }

    @Test("cutpointr's suicide data (dsi vs past attempt): AUC 0.9238; at dsi ≥ 2 sensitivity 0.8889, specificity 0.8629")
    func suicide() throws {
        // Published in cutpointr's README; make_suicide_csv.py recomputes them with scikit-learn (AUC 0.9237791219).
        let data = try Predictions(path: safetyFixture("suicide.csv"), scoreColumn: "dsi", labelColumn: "suicide", positiveLabel: "yes",
                                   groupColumn: "gender")
        var options = RiskEvaluationOptions()
        options.replicates = 100
        options.threshold = 2
        let (results, skipped) = try RiskEvaluation.evaluate(predictions: data, name: "dsi", options: options)
        let r = try #require(results.first)
        #expect(r.reviewed == 532 && r.positives == 36)
        #expect(abs(r.auc.value! - 0.9237791218637993) < 1e-12)
        #expect(String(format: "%.4f", r.auc.value!) == "0.9238")
        #expect(String(format: "%.4f", r.sensitivity!.value!) == "0.8889" && String(format: "%.4f", r.specificity!.value!) == "0.8629")
        #expect(!r.scoresAreProbabilities)
        // 27 of the 36 attempts are women, 9 are men: men are too few for a separate evaluation.
        #expect(results.map(\.version) == ["all", "female"] && skipped == ["male"])
    }

    @Test("Groups are evaluated separately; groups too small are listed, not hidden")
    func groups() throws {
        let rng = RandomSource(seed: 8)
        var text = "score,label,site\n"
        for i in 0..<400 {
            let y = rng.bernoulli(0.3)
            let site = i < 392 ? (i % 2 == 0 ? "a" : "b") : "tiny"
            text += "\(min(1, max(0, (y ? 0.6 : 0.3) + rng.normal(sd: 0.15)))),\(y ? 1 : 0),\(site)\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pred-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var options = RiskEvaluationOptions()
        options.replicates = 100
        let data = try Predictions(path: path, scoreColumn: "score", labelColumn: "label", groupColumn: "site")
        let (results, skipped) = try RiskEvaluation.evaluate(predictions: data, name: "score", options: options)
        #expect(results.map(\.version) == ["all", "a", "b"])
        #expect(skipped == ["tiny"])
        #expect(results[0].scoresAreProbabilities && results[0].calibrationSlope.interval == "wald")
    }

    @Test("Bad files: messages name the file, line and column, never the cell's value")
    func errors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pred-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.csv").path
        try "score,label\n0.2,1\nsecret-value,0\n".write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            _ = try Predictions(path: bad, scoreColumn: "score", labelColumn: "label")
            Issue.record("a non-numeric score was accepted")
        } catch {
            #expect("\(error)" == "\(bad):3: column 'score' is not a finite number")
        }
        #expect(throws: AnalysisError.self) { _ = try Predictions(path: bad, scoreColumn: "risk", labelColumn: "label") }
        let badTime = dir.appendingPathComponent("time.csv").path
        try "score,label,at\n0.2,1,2026-02-01T00:00:00Z\n0.3,0,yesterday-secret\n".write(toFile: badTime, atomically: true, encoding: .utf8)
        do {
            _ = try Predictions(path: badTime, scoreColumn: "score", labelColumn: "label", timeColumn: "at")
            Issue.record("a malformed time was accepted")
        } catch {
            #expect("\(error)" == "\(badTime):3: column 'at' is not an RFC 3339 time")
        }
        #expect(throws: AnalysisError.self) { _ = try Predictions(path: dir.appendingPathComponent("none.csv").path, scoreColumn: "s", labelColumn: "l") }
    }
}
