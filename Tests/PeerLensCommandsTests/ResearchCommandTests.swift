import Foundation
import Testing
@testable import PeerLensCommands
@testable import PeerLensDocument
@testable import PeerLensLog
@testable import PeerLensSimulator
@testable import PeerLensStore

/// Log lines for the research commands' hand-built stores.
enum ResearchLines {
    static func member(_ id: String, role: String = "seeker") -> String {
        "{\"type\":\"member\",\"ts\":\"2026-01-01T00:00:00Z\",\"member\":\"\(id)\",\"role\":\"\(role)\",\"research_consent\":true}"
    }
    static func checkin(_ member: String, _ score: Double, day: Int) -> String {
        "{\"type\":\"checkin\",\"ts\":\"\(date(day))\",\"member\":\"\(member)\",\"instrument\":\"PHQ-9\",\"score\":\(score)}"
    }
    static func groupSession(_ group: String, _ session: String, day: Int, attendees: [String]) -> String {
        "{\"type\":\"group_session\",\"ts\":\"\(date(day))\",\"group\":\"\(group)\",\"session\":\"\(session)\",\"facilitator\":\"f1\",\"focus\":\"general\","
            + "\"attendees\":[" + attendees.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
    }
    static func match(_ id: String, seeker: String, day: Int, score: Double) -> String {
        "{\"type\":\"match\",\"ts\":\"\(date(day))\",\"id\":\"\(id)\",\"seeker\":\"\(seeker)\",\"peer\":\"p1\",\"kind\":\"primary\",\"score\":\(score),"
            + "\"components\":{\"experience\":0.5,\"communication\":0.5,\"support_style\":0.5,\"demographic\":0.5,\"recovery_stage\":0.5,\"availability\":0.5,\"safety\":0.5,\"cultural\":0.5},"
            + "\"accepted\":true}"
    }
    static func matchEnd(_ id: String, day: Int, sessions: Int, rating: Int, reason: String) -> String {
        "{\"type\":\"match_end\",\"ts\":\"\(date(day))\",\"match\":\"\(id)\",\"sessions\":\(sessions),\"rating\":\(rating),\"reason\":\"\(reason)\"}"
    }
    static func date(_ day: Int) -> String {
        Timestamp(microseconds: Timestamp(rfc3339: "2026-01-02T12:00:00Z")!.microseconds + Int64(day) * 86_400_000_000).rfc3339
    }
}

/// A store in a new temporary directory holding `lines`.
func researchStore(_ lines: [String]) throws -> EventStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-research-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("events.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let store = try EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try Ingestor(toolVersion: "test").ingest(path: path, into: store)
    return store
}

/// A small simulated community for the research commands (90 days: second check-ins and returns to groups).
let researchSimulatedStore = simulatedStore(seed: 5, members: 1500, days: 90)

/// The command's document with the standard policy applied, as the renderer publishes it.
func publishedDocument<C: PublishedCommand>(_ command: C, store: EventStore) throws -> ReportDocument {
    let document = try CommandRunner.document(command, context: CommandContext(store: store, policy: .standard), commandLine: "peerlens \(C.name)",
                                              toolVersion: "test", generatedAt: "2026-03-01T00:00:00Z")
    return DisclosurePolicy.standard.apply(to: document)
}

func tables(_ sections: [Section]) -> [Table] {
    sections.flatMap { s in s.blocks.compactMap { if case let .table(t) = $0 { t } else { nil } } + tables(s.subsections) }
}

func charts(_ sections: [Section]) -> [Chart] {
    sections.flatMap { s in s.blocks.compactMap { if case let .chart(c) = $0 { c } else { nil } } + charts(s.subsections) }
}

@Suite("Research commands through the one output path")
struct ResearchCommandTests {
    /// 25 members without group sessions between their check-ins, 3 with one, 12 with three: the band of three
    /// is small, and another band must go with it, because the bands add up to the members analysed.
    static func doseStore() throws -> EventStore {
        var lines = [ResearchLines.member("f1", role: "peer")]
        var one: [String] = [], three: [String] = []
        for i in 0..<40 {
            let id = "m\(i)"
            lines += [ResearchLines.member(id), ResearchLines.checkin(id, Double(10 + i % 9), day: 0), ResearchLines.checkin(id, Double(4 + i % 7), day: 40)]
            if i >= 25 && i < 28 { one.append(id) } else if i >= 28 { three.append(id) }
        }
        lines.append(ResearchLines.groupSession("g1", "s1", day: 5, attendees: one + three))
        lines.append(ResearchLines.groupSession("g1", "s2", day: 10, attendees: three))
        lines.append(ResearchLines.groupSession("g1", "s3", day: 15, attendees: three))
        return try researchStore(lines)
    }

    @Test("Outcomes by dose: a small band is suppressed with a complementary one, in the table and the chart")
    func outcomesDoseBands() throws {
        let store = try Self.doseStore()
        let document = try publishedDocument(try OutcomesCommand.parse(["--by", "sessions"]), store: store)
        let dose = try #require(tables(document.sections).first { $0.caption.hasPrefix("Outcomes by sessions") })
        let rows = Dictionary(uniqueKeysWithValues: dose.rows.map { row -> (String, [Cell]) in
            guard case let .text(band) = row[1] else { return ("?", row) }
            return (band, row)
        })
        // The band of three is suppressed, and so is a second one (else 40 − 25 − 12 gives it away).
        #expect(rows["1–2"]?[2] == .suppressed)
        #expect(dose.rows.filter { $0[2] == .suppressed }.count >= 2)
        #expect(rows["6–10"]?[2] == .count(0) && rows["11+"]?[2] == .count(0))
        // A suppressed band's figures go with it.
        for row in dose.rows where row[2] == .suppressed { #expect(row[3] == .suppressed || row[3] == .empty) }
        #expect(dose.notes.contains { $0.hasPrefix("Disclosure control:") })
        // The chart leaves the small band out too.
        let chart = try #require(charts(document.sections).first { $0.title.contains("change by sessions") })
        #expect(!chart.series.flatMap(\.points).contains { $0.label == "1–2" })
        // The trend tests stay: they are statistics, not cells.
        let rendered = try ReportRenderer.render(document, format: .text)
        #expect(rendered.contains("Cochran–Armitage"))
        // No analysis-level threshold or suppression wording left.
        #expect(!rendered.contains("fewer than 1 ") && !rendered.contains("withheld (<"))
        // The analysis returned the real counts: with the threshold at 1 everything is published.
        let open = try CommandRunner.document(try OutcomesCommand.parse(["--by", "sessions"]),
                                              context: CommandContext(store: store, policy: try DisclosurePolicy(threshold: 1, allowLowering: true)),
                                              commandLine: "peerlens outcomes", toolVersion: "test")
        let all = try #require(tables(try DisclosurePolicy(threshold: 1, allowLowering: true).apply(to: open).sections).first { $0.caption.hasPrefix("Outcomes by sessions") })
        #expect(all.rows.map { $0[2] } == [.count(25), .count(3), .count(12), .count(0), .count(0)])
    }

    @Test("Matches: small rating counts and a share over a small count are suppressed by the policy, not the analysis")
    func matchesSmallCells() throws {
        var lines = [ResearchLines.member("p1", role: "peer")]
        for i in 0..<12 {
            lines += [ResearchLines.member("s\(i)"), ResearchLines.match("mt\(i)", seeker: "s\(i)", day: i, score: 0.3 + Double(i) / 20)]
            if i > 0 { lines.append(ResearchLines.matchEnd("mt\(i)", day: i + 10, sessions: i, rating: i % 5 + 1, reason: i % 2 == 0 ? "completed" : "seeker_left")) }
        }
        let document = try publishedDocument(try MatchesCommand.parse([]), store: try researchStore(lines))
        let ratings = try #require(tables(document.sections).first { $0.caption == "Ratings of ended matches" })
        #expect(ratings.rows.allSatisfy { $0[1] == .suppressed })
        let matches = try #require(tables(document.sections).first { $0.caption == "Matches" })
        #expect(matches.rows[0][1] == .count(12))
        let success = try #require(matches.rows.first { $0[0] == .text("Success (a completed match)") || ($0[0].textValue?.hasPrefix("Success") ?? false) })
        #expect(success[1] == .suppressed)
        let rendered = try ReportRenderer.render(document, format: .text)
        #expect(rendered.contains("cannot be estimated"))
    }

    @Test("Every research command renders in every format, byte-identical on a second run")
    func everyFormatDeterministic() throws {
        let commands: [any PublishedCommand] = [try OutcomesCommand.parse(["--by", "condition"]), try EngagementCommand.parse(["--over", "month"]),
                                                try MatchesCommand.parse([]), try GroupsCommand.parse([]), try SkillsCommand.parse([])]
        for command in commands {
            for format in ReportFormat.allCases {
                let a = try render(command, format: format), b = try render(command, format: format)
                #expect(a == b, "\(type(of: command)) \(format)")
                #expect(!a.contains("disclosure_threshold\":10") && !a.contains("withheld (<"))
            }
        }
    }

    func render(_ command: some PublishedCommand, format: ReportFormat) throws -> String {
        let document = try CommandRunner.document(command, context: CommandContext(store: researchSimulatedStore, policy: .standard),
                                                  commandLine: "peerlens", toolVersion: "test", generatedAt: "2026-03-01T00:00:00Z")
        return try ReportRenderer.render(document, format: format)
    }
}

extension Cell {
    var textValue: String? { if case let .text(t) = self { t } else { nil } }
}
