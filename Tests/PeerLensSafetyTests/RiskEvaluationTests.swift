import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensStats
@testable import PeerLensStore

@Suite("Risk-model evaluation")
struct RiskEvaluationTests {
    static var options: RiskEvaluationOptions {
        var o = RiskEvaluationOptions()
        o.replicates = 100
        o.seed = 3
        return o
    }

    @Test("Weighted prevalence recovers the simulator's true crisis prevalence; ignoring weights would not")
    func prevalence() throws {
        let results = try RiskEvaluation.evaluate(store: simulated.store, options: Self.options)
        #expect(results.map(\.version) == ["v1", "v2"])
        let truth = simulated.manifest.realised.crisisPrevalence
        for r in results {
            #expect(r.weighted)
            let p = r.prevalence
            #expect(p.interval == "linearised (Wilson with effective n)")
            #expect((p.lower ?? 1) <= truth && truth <= (p.upper ?? 0), "\(r.version): [\(p.lower ?? .nan), \(p.upper ?? .nan)] vs truth \(truth)")
            // The review sample is enriched for high scores: the raw share of positives is far above the truth.
            #expect(Double(r.positives) / Double(r.reviewed) > 1.5 * truth)
        }
    }

    @Test("Without resampled intervals: the same evaluation, with average precision, ECE and partial AUC as point values only")
    func withoutResampledIntervals() throws {
        var lean = Self.options
        lean.resampledIntervals = false
        let full = try RiskEvaluation.evaluate(store: simulated.store, options: Self.options)
        let point = try RiskEvaluation.evaluate(store: simulated.store, options: lean)
        #expect(full.count == point.count)
        for (f, p) in zip(full, point) {
            #expect(f.auc == p.auc && f.brier == p.brier && f.calibrationSlope == p.calibrationSlope && f.sensitivity == p.sensitivity)
            #expect(f.falsePositiveRate == p.falsePositiveRate && f.spiegelhalter == p.spiegelhalter && f.prevalence == p.prevalence)
            #expect(f.averagePrecision.value == p.averagePrecision.value && f.expectedCalibrationError.value == p.expectedCalibrationError.value)
            #expect(f.partialAUC.value == p.partialAUC.value)
            #expect(f.averagePrecision.lower != nil && f.partialAUC.lower != nil)
            #expect(p.averagePrecision.lower == nil && p.expectedCalibrationError.upper == nil && p.partialAUC.lower == nil)
            #expect(p.averagePrecision.interval == "not computed")
        }
    }

    @Test("The less noisy version discriminates better, as simulated (v2 noise 0.35 vs v1 0.7)")
    func versions() throws {
        let results = try RiskEvaluation.evaluate(store: simulated.store, options: Self.options)
        let v1 = try #require(results.first { $0.version == "v1" }?.auc.value)
        let v2 = try #require(results.first { $0.version == "v2" }?.auc.value)
        #expect(v2 > v1)
        // v1 alerts at its deployed threshold; v2 runs in shadow mode and has none.
        #expect(results.first { $0.version == "v1" }?.thresholdSource == "alerts")
        #expect(results.first { $0.version == "v2" }?.threshold == nil)
    }

    @Test("Same seed, same results; member clustering is labelled")
    func determinism() throws {
        #expect(try RiskEvaluation.evaluate(store: simulated.store, options: Self.options) == RiskEvaluation.evaluate(store: simulated.store, options: Self.options))
        var clustered = Self.options
        clustered.cluster = .member
        clustered.versions = ["v2"]
        let r = try #require(try RiskEvaluation.evaluate(store: simulated.store, options: clustered).first)
        #expect(r.auc.interval == "linearised Wald, clustered by member" && r.calibrationSlope.interval == "sandwich Wald, clustered by member")
        #expect(r.averagePrecision.interval == "cluster bootstrap percentile (members)")
        #expect(r.prevalence.interval == "linearised, clustered by member (Wilson with effective n)")
    }

    /// A small store: scores, reviews (optionally weighted), messages.
    func store(reviews: [(score: Double, positive: Bool)], weight: Double? = nil) throws -> EventStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-risk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let t = Timestamp(rfc3339: "2026-02-01T00:00:00Z")!
        var lines: [String] = []
        for (i, r) in reviews.enumerated() {
            let ts = Timestamp(microseconds: t.microseconds + Int64(i) * 60_000_000)
            lines.append(EventJSON.line(for: .message(MessageEvent(ts: ts, id: "msg\(i)", member: "m\(i % 7)", space: "general", thread: "t\(i)", replyTo: nil, chars: 10))))
            lines.append(EventJSON.line(for: .score(ScoreEvent(ts: ts, message: "msg\(i)", model: "crisis", version: "v1", score: r.score))))
            lines.append(EventJSON.line(for: .review(ReviewEvent(ts: ts, message: "msg\(i)", kind: .crisis, severity: nil, positive: r.positive, reviewerRole: "clinician", weight: weight))))
        }
        let path = dir.appendingPathComponent("log.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
        try Ingestor(toolVersion: "test").ingest(path: path, into: store)
        return store
    }

    @Test("Without weights: DeLong, Wilson and Wald intervals, equal to the statistics core on the same data")
    func unweighted() throws {
        let rng = RandomSource(seed: 4)
        let reviews = (0..<300).map { _ -> (Double, Bool) in
            let y = rng.bernoulli(0.2)
            return ((min(0.99, max(0.01, (y ? 0.55 : 0.3) + rng.normal(sd: 0.15))) * 1000).rounded() / 1000, y)
        }
        var options = Self.options
        options.threshold = 0.5
        let r = try #require(try RiskEvaluation.evaluate(store: store(reviews: reviews), options: options).first)
        #expect(!r.weighted)
        #expect(r.samplingNote.contains("random sample"))
        #expect(r.auc.interval == "delong" && r.prevalence.interval == "wilson" && r.calibrationSlope.interval == "wald")
        let reference = try Discrimination.auc(scores: reviews.map(\.0), labels: reviews.map(\.1))
        #expect(r.reviewed == reviews.count, "reviewed \(r.reviewed)")
        // Same data in another order: equal up to the order of floating-point sums.
        #expect(abs(r.auc.value! - reference.auc) < 1e-12 && abs(r.auc.lower! - reference.interval.lower) < 1e-12)
        let point = try OperatingPoint.at(threshold: 0.5, scores: reviews.map(\.0), labels: reviews.map(\.1))
        #expect(r.sensitivity?.value == point.sensitivity && r.sensitivity?.lower == point.sensitivityInterval?.lower)
    }

    @Test("Degenerate cases are clear errors: no review kind, no reviews, one class")
    func degenerate() throws {
        var options = Self.options
        options.model = "spam_filter"
        // A model the store does not score is refused as unknown (issue 11); without any scores, no review kind.
        #expect(throws: UnknownValueError.self) { try RiskEvaluation.evaluate(store: simulated.store, options: options) }
        let empty = try store(reviews: [])
        #expect(throws: AnalysisError.self) { try RiskEvaluation.evaluate(store: empty, options: options) }
        #expect(throws: AnalysisError.self) { try RiskEvaluation.evaluate(store: empty, options: Self.options) }
        let oneClass = try store(reviews: [(0.2, false), (0.4, false), (0.9, false)])
        #expect(throws: AnalysisError.self) { try RiskEvaluation.evaluate(store: oneClass, options: Self.options) }
    }
}
