import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensStats
@testable import PeerLensStore

@Suite("Version comparison (risk --compare)")
struct VersionComparisonTests {
    @Test("On the simulated community the less noisy v2 beats v1, and the matched-volume threshold flags as much as v1 does")
    func simulatedCommunity() throws {
        var options = RiskEvaluationOptions()
        options.replicates = 100
        let c = try VersionComparison.compare(store: simulated.store, versionA: "v1", versionB: "v2", options: options)
        #expect(c.weighted)
        #expect(c.aucB > c.aucA)
        #expect(c.aucDifference.interval.hasPrefix("bootstrap"))
        let d = c.aucDifference
        #expect((d.lower ?? 1) <= d.value! && d.value! <= (d.upper ?? -1), "the interval brackets the estimate: \(String(describing: d))")
        let a = try #require(c.operatingPoints.first { $0.label == "A at its threshold" })
        let matched = try #require(c.operatingPoints.first { $0.label == "B at A's alert volume" })
        #expect(abs(matched.flaggedShare - a.flaggedShare) < 0.001)
    }

    @Test("Without weights: the paired DeLong test of the statistics core, on the shared messages only")
    func unweighted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let rng = RandomSource(seed: 12)
        let t0 = Timestamp(rfc3339: "2026-02-01T00:00:00Z")!
        var lines: [String] = [], sa: [Double] = [], sb: [Double] = [], y: [Bool] = []
        for i in 0..<300 {
            let ts = Timestamp(microseconds: t0.microseconds + Int64(i) * 60_000_000)
            let positive = rng.bernoulli(0.25)
            let a = ((min(0.99, max(0.01, (positive ? 0.5 : 0.35) + rng.normal(sd: 0.2)))) * 1000).rounded() / 1000
            let b = ((min(0.99, max(0.01, (positive ? 0.6 : 0.3) + rng.normal(sd: 0.15)))) * 1000).rounded() / 1000
            lines.append(EventJSON.line(for: .message(MessageEvent(ts: ts, id: "msg\(i)", member: "m\(i)", space: "general", thread: "t\(i)", replyTo: nil, chars: 5))))
            lines.append(EventJSON.line(for: .score(ScoreEvent(ts: ts, message: "msg\(i)", model: "crisis", version: "v1", score: a))))
            // v2 scored only the first 250 messages: the comparison must use the 250 both scored.
            if i < 250 { lines.append(EventJSON.line(for: .score(ScoreEvent(ts: ts, message: "msg\(i)", model: "crisis", version: "v2", score: b)))) }
            lines.append(EventJSON.line(for: .review(ReviewEvent(ts: ts, message: "msg\(i)", kind: .crisis, severity: nil, positive: positive, reviewerRole: "clinician"))))
            if i < 250 { sa.append(a); sb.append(b); y.append(positive) }
        }
        let path = dir.appendingPathComponent("log.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
        try Ingestor(toolVersion: "test").ingest(path: path, into: store)
        let c = try VersionComparison.compare(store: store, versionA: "v1", versionB: "v2")
        #expect(c.common == 250 && !c.weighted)
        let reference = try Discrimination.compareCorrelated(scoresA: sb, scoresB: sa, labels: y)
        #expect(c.aucDifference.interval == "delong")
        #expect(abs(c.aucDifference.value! - reference.difference) < 1e-12)
        #expect(abs(c.pairedDeLongP! - reference.pValue) < 1e-12)
        #expect(c.operatingPoints.isEmpty, "no alerts and no --threshold: no operating points")
        // A version the store does not hold is refused as unknown, naming --compare (issue 11).
        #expect(throws: UnknownValueError.self) { try VersionComparison.compare(store: store, versionA: "v1", versionB: "v9") }
    }
}
