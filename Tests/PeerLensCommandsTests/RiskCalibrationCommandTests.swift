import Foundation
import Testing
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensReport

/// Every table of a document's sections and subsections.
private func allTables(_ d: ReportDocument) -> [Table] {
    var out: [Table] = []
    func walk(_ s: Section) {
        for b in s.blocks { if case let .table(t) = b { out.append(t) } }
        s.subsections.forEach(walk)
    }
    d.sections.forEach(walk)
    return out
}

@Suite("risk and thresholds: partial AUC, calibration tests, decision curve (issue 12)")
struct RiskCalibrationCommandTests {
    @Test("--max-fpr must lie in (0, 1]", arguments: ["0", "-0.1", "1.5", "nan"])
    func maxFPRRefused(_ value: String) {
        #expect(throws: (any Error).self) { try RiskCommand.parse(["--max-fpr", value]) }
    }

    @Test("risk --predictions refuses --cluster member: exported predictions have no members")
    func predictionsHaveNoMembers() {
        #expect(throws: (any Error).self) { try RiskCommand.parse(["--predictions", "p.csv", "--score-col", "s", "--label-col", "y", "--cluster", "member"]) }
        #expect((try? RiskCommand.parse(["--predictions", "p.csv", "--score-col", "s", "--label-col", "y"])) != nil)
    }

    @Test("risk: partial AUC over FPR ≤ --max-fpr and Spiegelhalter's z per version; the option is in the provenance")
    func risk() throws {
        let d = try document(RiskCommand.self, ["--max-fpr", "0.05", "--replicates", "100"])
        #expect(d.provenance.options["max_fpr"] == "0.05")
        let overview = try #require(allTables(d).first { $0.caption.hasPrefix("Discrimination and calibration of crisis") })
        let pauc = try #require(overview.columns.firstIndex { $0.heading == "Partial AUC, FPR ≤ 0.05" })
        #expect(overview.columns.contains { $0.heading == "Spiegelhalter z" } && overview.columns.contains { $0.heading == "Spiegelhalter p" })
        for row in overview.rows {
            guard case let .number(n) = row[pauc] else { Issue.record("no partial AUC in \(row[0])"); continue }
            #expect(n.lower != nil && n.upper != nil && n.value >= 0 && n.value <= 1)
        }
        let measures = allTables(d).filter { $0.caption.hasSuffix("discrimination and calibration (95% intervals)") }
        #expect(!measures.isEmpty)
        for t in measures {
            #expect(t.rows.contains { $0.first == .text("Partial AUC, FPR ≤ 0.05, standardised (McClish)") })
            #expect(t.rows.contains { $0.first == .text("Spiegelhalter z") })
        }
        let defaults = try document(RiskCommand.self, ["--replicates", "100"])
        #expect(defaults.provenance.options["max_fpr"] == "0.1")
    }

    @Test("risk --compare: the partial AUC of both versions and the paired bootstrap of the difference")
    func compare() throws {
        let d = try document(RiskCommand.self, ["--compare", "v1", "v2", "--replicates", "100"])
        let t = try #require(allTables(d).first { $0.caption.contains("on the reviewed messages both scored") })
        let row = try #require(t.rows.first { $0.first == .text("Partial AUC, FPR ≤ 0.1 (standardised)") })
        guard case let .number(difference) = row[3] else { Issue.record("no difference"); return }
        #expect(difference.lower != nil && difference.upper != nil)
        #expect(t.notes.contains { $0.contains("paired bootstrap") && $0.contains("p = ") })
    }

    @Test("risk --by: each group's Spiegelhalter z")
    func subgroups() throws {
        let d = try document(RiskCommand.self, ["--by", "language", "--replicates", "100"])
        let t = try #require(allTables(d).first { $0.caption.contains("by language") })
        #expect(t.columns.contains { $0.heading == "Spiegelhalter z" })
        #expect(t.notes.contains { $0.contains("Spiegelhalter") })
    }

    @Test("thresholds: the decision curve as a chart and a table from a threshold probability of 0.005")
    func decisionCurve() throws {
        let d = try document(ThresholdsCommand.self, ["--replicates", "0"])
        let blocks = d.sections.flatMap(\.blocks)
        let chart = try #require(blocks.compactMap { if case let .chart(c) = $0 { c } else { nil } }.first { $0.title.hasPrefix("Decision curve") })
        #expect(chart.series.map(\.name).contains("alert everyone") && chart.markers.contains { $0.y == 0 })
        let table = try #require(allTables(d).first { $0.caption.hasPrefix("Net benefit (decision curve)") })
        #expect(table.rows.first?.first.map { cell in if case let .number(n) = cell { n.value == 0.005 } else { false } } == true)
        #expect(table.notes.contains { $0.contains("weighted by the review sampling weights") })
    }
}
