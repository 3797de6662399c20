import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensStats
@testable import PeerLensStore

/// A store holding `lines` (JSON Lines), ingested.
private func store(_ lines: [String]) throws -> EventStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-review-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("log.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
    try Ingestor(toolVersion: "test").ingest(path: path, into: store)
    return store
}

/// One scored message (crisis v1) with its reviews: severities in time order, each with an optional weight.
private func message(_ i: Int, score: Double, reviews: [(Severity, Double?)]) -> [String] {
    let t = Timestamp(rfc3339: "2026-02-01T00:00:00Z")!.microseconds + Int64(i) * 3_600_000_000
    var lines = [
        EventJSON.line(for: .message(MessageEvent(ts: Timestamp(microseconds: t), id: "msg\(i)", member: "m\(i % 5)", space: "general", thread: "t\(i)", replyTo: nil, chars: 10))),
        EventJSON.line(for: .score(ScoreEvent(ts: Timestamp(microseconds: t + 1_000_000), message: "msg\(i)", model: "crisis", version: "v1", score: score))),
    ]
    for (k, r) in reviews.enumerated() {
        lines.append(EventJSON.line(for: .review(ReviewEvent(ts: Timestamp(microseconds: t + Int64(k + 2) * 60_000_000), message: "msg\(i)", kind: .crisis,
                                                            severity: r.0, positive: nil, reviewerRole: "clinician", weight: r.1))))
    }
    return lines
}

@Suite("Review design: estimator statement, mixed weights, review rules, reviewer agreement")
struct ReviewDesignTests {
    /// Seven messages whose reviews the three rules combine differently (positive: moderate or above).
    static let ruleLog: [String] = [
        message(0, score: 0.9, reviews: [(.high, nil)]),                              // + + +
        message(1, score: 0.8, reviews: [(.none, nil), (.high, nil)]),                // latest +, tie → +, any +
        message(2, score: 0.7, reviews: [(.high, nil), (.low, nil)]),                 // latest −, tie → +, any +
        message(3, score: 0.6, reviews: [(.low, nil), (.none, nil), (.high, nil)]),   // latest +, 1 of 3 −, any +
        message(4, score: 0.5, reviews: [(.moderate, nil), (.moderate, nil), (.none, nil)]), // latest −, 2 of 3 +, any +
        message(5, score: 0.4, reviews: [(.none, nil)]),                              // − − −
        message(6, score: 0.3, reviews: [(.low, nil), (.low, nil)]),                  // − − −
    ].flatMap { $0 }

    @Test("Each review rule combines a message's reviews as documented", arguments: [
        (ReviewRule.latest, [true, true, false, true, false, false, false]),
        (ReviewRule.majority, [true, true, true, false, true, false, false]),
        (ReviewRule.mostSevere, [true, true, true, true, true, false, false]),
    ])
    func rules(_ rule: ReviewRule, expected: [Bool]) throws {
        let s = try store(Self.ruleLog)
        var options = RiskEvaluationOptions()
        options.reviews.rule = rule
        let (byVersion, _) = try RiskEvaluation.load(store: s, options: options)
        let v1 = try #require(byVersion["v1"])
        let labels: [String: Bool] = Dictionary(uniqueKeysWithValues: zip(v1.messages, v1.labels))
        let combined: [Bool?] = (0..<7).map { labels["msg\($0)"] }
        let wanted: [Bool?] = expected.map { Optional($0) }
        #expect(combined == wanted)
        #expect(v1.design.rule == rule && v1.design.multiplyReviewed == 5 && !v1.design.weighted)
        options.replicates = 50
        let e = try #require(try RiskEvaluation.evaluate(store: s, options: options).first)
        #expect(e.positives == expected.filter { $0 }.count)
        #expect(e.samplingNote.contains("review rule \(rule.rawValue)") && e.samplingNote.contains("5 messages have several reviews"))
    }

    /// Twelve messages: the first `unweighted` without a sampling weight, the others with weight 1 + i.
    static func mixedLog(unweighted: Int) -> [String] {
        var lines: [String] = []
        for i in 0..<12 {
            let severity: Severity = i % 3 == 0 ? .high : .none
            let weight: Double? = i < unweighted ? nil : 1 + Double(i)
            lines += message(i, score: Double(i + 1) / 13, reviews: [(severity, weight)])
        }
        return lines
    }

    @Test("Mixed weighted and unweighted reviews are refused, naming the count and the option")
    func mixedRefused() throws {
        let s = try store(Self.mixedLog(unweighted: 3))
        var options = RiskEvaluationOptions()
        options.replicates = 50
        #expect { try RiskEvaluation.evaluate(store: s, options: options) } throws: { error in
            "\(error)" == "3 of 12 reviewed messages of crisis v1 have no sampling weight: give --unweighted-reviews-weight W to weight them W, or fix the log"
        }
        var tuning = ThresholdTuningOptions()
        tuning.replicates = 0
        #expect(throws: AnalysisError.self) { try ThresholdTuning.tune(store: s, options: tuning) }
    }

    @Test("--unweighted-reviews-weight W gives the unweighted messages weight W: the Hájek prevalence Σw·y / Σw by hand")
    func mixedAccepted() throws {
        let s = try store(Self.mixedLog(unweighted: 3))
        var options = RiskEvaluationOptions()
        options.replicates = 50
        options.reviews.unweightedReviewsWeight = 4
        let e = try #require(try RiskEvaluation.evaluate(store: s, options: options).first)
        let weights = (0..<12).map { $0 < 3 ? 4.0 : 1 + Double($0) }, positive = (0..<12).map { $0 % 3 == 0 }
        let hajek = zip(weights, positive).reduce(0) { $0 + ($1.1 ? $1.0 : 0) } / weights.reduce(0, +)
        #expect(abs((e.prevalence.value ?? .nan) - hajek) < 1e-12, "prevalence \(e.prevalence.value ?? .nan) vs \(hajek)")
        #expect(e.weighted && e.reviewDesign.messagesGivenAssumedWeight == 3 && e.reviewDesign.unweightedReviewsWeight == 4)
        #expect(e.samplingNote.contains("3 reviewed messages without a sampling weight were given weight 4 (--unweighted-reviews-weight)"))
        #expect(e.samplingNote.contains(ReviewDesign.weightedEstimator) && e.samplingNote.contains(ReviewDesign.weightedAssumption))
        var tuning = ThresholdTuningOptions()
        tuning.replicates = 0
        tuning.reviews.unweightedReviewsWeight = 4
        tuning.policy = .youden
        let t = try ThresholdTuning.tune(store: s, options: tuning)
        #expect(t.reviewDesign.messagesGivenAssumedWeight == 3 && t.samplingNote.contains("Hájek"))
    }

    @Test("All reviews unweighted, or all weighted: no refusal, and the option changes nothing")
    func consistentWeights() throws {
        for unweighted in [0, 12] {
            let s = try store(Self.mixedLog(unweighted: unweighted))
            var options = RiskEvaluationOptions()
            options.replicates = 50
            let plain = try #require(try RiskEvaluation.evaluate(store: s, options: options).first)
            options.reviews.unweightedReviewsWeight = 4
            let given = try #require(try RiskEvaluation.evaluate(store: s, options: options).first)
            #expect(plain == given)
            #expect(plain.weighted == (unweighted == 0) && plain.reviewDesign.messagesGivenAssumedWeight == 0)
            #expect(plain.samplingNote.contains(unweighted == 0 ? "Hájek" : "simple random sample"))
        }
    }

    @Test("Reviewer agreement on a hand-built log matches statsmodels (Fixtures/make_review_agreement.py)")
    func agreement() throws {
        let s = try store(try String(contentsOfFile: safetyFixture("review-agreement.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init))
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: safetyFixture("review_agreement_expected.json")))) as! [String: Any]
        func number(_ key: String) -> Double { (expected[key] as! NSNumber).doubleValue }
        var options = RiskEvaluationOptions()
        options.replicates = 400
        options.seed = 5
        let a = try #require(try ReviewerAgreement.measure(store: s, options: options))
        #expect(a.messages == (expected["messages"] as! Int) && a.moreThanTwo == (expected["more_than_two"] as! Int))
        #expect(a.labelTable == (expected["label_table"] as! [[Int]]))
        #expect(abs(a.observedAgreement - number("observed_agreement")) < 1e-12)
        #expect(abs((a.fleiss.value ?? .nan) - number("fleiss_kappa")) < 1e-12)
        #expect(abs((a.cohen.value ?? .nan) - number("cohen_kappa")) < 1e-12)
        let z = StandardNormal.z(forLevel: 0.95)
        #expect(abs((a.cohen.upper ?? .nan) - min(1, number("cohen_kappa") + z * number("cohen_se"))) < 1e-10)
        #expect(abs((a.cohen.lower ?? .nan) - (number("cohen_kappa") - z * number("cohen_se"))) < 1e-10)
        let severity = try #require(a.severityWeighted)
        #expect(abs((severity.value ?? .nan) - number("severity_kappa_quadratic")) < 1e-12)
        #expect(abs((severity.upper ?? .nan) - min(1, number("severity_kappa_quadratic") + z * number("severity_se_quadratic"))) < 1e-10)
        // The bootstrap interval of Fleiss' κ surrounds it and is reproducible.
        let f = a.fleiss
        #expect((f.lower ?? 2) < (f.value ?? .nan) && (f.value ?? .nan) < (f.upper ?? -2) && f.interval.hasPrefix("bootstrap percentile over messages"))
        #expect(try ReviewerAgreement.measure(store: s, options: options) == a)
        // The log's messages with three reviews: the third never enters κ, whatever the rule.
        #expect(a.gradedMessages == a.messages)
    }

    @Test("Without double reviews there is no agreement to measure")
    func noAgreement() throws {
        let s = try store(Self.mixedLog(unweighted: 0))
        #expect(try ReviewerAgreement.measure(store: s, options: RiskEvaluationOptions()) == nil)
    }
}
