import Foundation
import Testing
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensLog
import PeerLensStore

/// A store of twelve crisis v1 messages, one review each, the first `unweighted` without a sampling weight.
private func mixedStore(unweighted: Int) throws -> EventStore {
    let dir = try temporaryDirectory()
    var lines: [String] = []
    let t0 = Timestamp(rfc3339: "2026-02-01T00:00:00Z")!.microseconds
    for i in 0..<12 {
        let t = t0 + Int64(i) * 3_600_000_000
        lines.append(EventJSON.line(for: .message(MessageEvent(ts: Timestamp(microseconds: t), id: "msg\(i)", member: "m\(i % 5)", space: "general", thread: "t\(i)", replyTo: nil, chars: 10))))
        lines.append(EventJSON.line(for: .score(ScoreEvent(ts: Timestamp(microseconds: t + 1_000_000), message: "msg\(i)", model: "crisis", version: "v1", score: Double(i + 1) / 13))))
        let weight: Double? = i < unweighted ? nil : 1 + Double(i)
        lines.append(EventJSON.line(for: .review(ReviewEvent(ts: Timestamp(microseconds: t + 60_000_000), message: "msg\(i)", kind: .crisis,
                                                            severity: i % 3 == 0 ? .high : Severity.none, positive: nil, reviewerRole: "clinician", weight: weight))))
    }
    let path = dir.appendingPathComponent("log.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
    try Ingestor(toolVersion: "test").ingest(path: path, into: store)
    return store
}

private func run<C: PublishedCommand>(_: C.Type, _ arguments: [String], store: EventStore) throws -> ReportDocument {
    try CommandRunner.document(try C.parse(arguments), context: CommandContext(store: store, policy: .standard), commandLine: "peerlens \(C.name)", toolVersion: "test")
}

@Suite("risk and thresholds: review design stated and checked (issue 12, item 7)")
struct ReviewDesignCommandTests {
    @Test("The estimator (Hájek IPW) and its assumption are in risk's and thresholds' JSON when reviews are weighted")
    func statementInJSON() throws {
        for (name, arguments) in [("risk", ["--replicates", "100"]), ("thresholds", ["--replicates", "0"])] {
            let (document, json) = try published(name, arguments, format: .json)
            #expect(json.contains("inverse-probability weighting, Hájek form: Σw·x / Σw"), "\(name)")
            #expect(json.contains("review selection depends only on the recorded inclusion probability"), "\(name)")
            #expect(json.contains("review rule latest"), "\(name)")
            #expect(document.provenance.options["review_rule"] == "latest", "\(name)")
        }
    }

    @Test("risk shows reviewer agreement of the simulated second reviews, with κ intervals; counts go through the policy")
    func agreementSection() throws {
        let (document, _) = try published("risk", ["--replicates", "100", "--review-rule", "majority"])
        #expect(document.provenance.options["review_rule"] == "majority")
        let section = try #require(document.sections.first { $0.id == "reviewer-agreement-crisis" })
        let measures = try #require(section.blocks.compactMap { if case let .table(t) = $0 { t } else { nil } }.first)
        for name in ["Fleiss' κ, label", "Cohen's κ, label (first against second review)", "Cohen's κ, severity, quadratic weights"] {
            let row = try #require(measures.rows.first { $0.first == .text(name) }, "\(name)")
            guard case let .number(n) = row[1] else { Issue.record("\(name): no estimate"); continue }
            #expect(n.lower != nil && n.upper != nil && n.value <= 1, "\(name)")
        }
        #expect(tables(document).contains { $0.caption.contains("majority") } || document.sections.contains { s in
            s.blocks.contains { if case let .paragraph(p) = $0 { p.runs.contains { $0.text.contains("review rule majority") } } else { false } }
        })
    }

    @Test("Mixed weights: refused with the count; accepted with --unweighted-reviews-weight, which the provenance records")
    func mixed() throws {
        let store = try mixedStore(unweighted: 3)
        #expect { try run(RiskCommand.self, ["--replicates", "100"], store: store) } throws: { error in
            "\(error)".contains("3 of 12 reviewed messages of crisis v1 have no sampling weight: give --unweighted-reviews-weight W")
        }
        #expect { try run(ThresholdsCommand.self, ["--replicates", "0"], store: store) } throws: { error in
            "\(error)".contains("3 of 12 reviewed messages of crisis v1 have no sampling weight")
        }
        let d = try run(RiskCommand.self, ["--replicates", "100", "--unweighted-reviews-weight", "2.5"], store: store)
        #expect(d.provenance.options["unweighted_reviews_weight"] == "2.5")
        let json = try ReportRenderer.render(d, format: .json)
        #expect(json.contains("3 reviewed messages without a sampling weight were given weight 2.5 (--unweighted-reviews-weight)"))
        let t = try run(ThresholdsCommand.self, ["--replicates", "0", "--unweighted-reviews-weight", "3", "--youden"], store: store)
        #expect(try ReportRenderer.render(t, format: .json).contains("given weight 3 (--unweighted-reviews-weight)"))
    }

    @Test("--unweighted-reviews-weight below 1 (or not a number) is refused", arguments: ["0.5", "0", "-2", "nan", "inf"])
    func weightBelowOne(_ value: String) {
        #expect(throws: (any Error).self) { try RiskCommand.parse(["--unweighted-reviews-weight", value]) }
        #expect(throws: (any Error).self) { try ThresholdsCommand.parse(["--unweighted-reviews-weight", value]) }
    }

    @Test("--review-rule takes latest, majority or most-severe")
    func ruleValues() throws {
        for rule in ["latest", "majority", "most-severe"] { _ = try RiskCommand.parse(["--review-rule", rule]) }
        #expect(throws: (any Error).self) { try RiskCommand.parse(["--review-rule", "first"]) }
    }
}
