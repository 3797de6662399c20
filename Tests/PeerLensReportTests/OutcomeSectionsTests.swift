import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensResearch
@testable import PeerLensStore

/// Issue 13's outcome figures in the research and funder reports: the NHS Talking Therapies outcomes of PHQ-9 and
/// GAD-7 together beside the per-measure ones, attrition that counts only members whose follow-up was due, and the
/// effect size standardised by the baseline SD named as such.
@Suite("Outcome sections of the research and funder reports", .serialized)
struct OutcomeSectionsTests {
    func build(_ audience: Audience) throws -> ReportDocument {
        var options = testOptions()
        options.cost = 100_000
        return try AudienceReport.build(audience, context: try ReportContext(store: simulatedStore, options: options))
    }

    @Test("Research report: the combined table, the not-yet-due column, d_z and the baseline-SD d")
    func research() throws {
        let doc = try build(.research)
        let all = tables(doc)
        let combined = try #require(all.first { $0.caption == "NHS Talking Therapies outcomes, PHQ-9 and GAD-7 scored together" })
        #expect(combined.rows.map { $0[0] }.contains(.text("Recovery")) && combined.rows.map { $0[0] }.contains(.text("Reliable improvement")))
        let change = try #require(all.first { $0.caption == "Change from first to last check-in" })
        #expect(change.columns.map(\.heading).contains("Follow-up not yet due") && change.columns.map(\.heading).contains("Follow-up, upper quartile"))
        let tests = try #require(all.first { $0.caption.hasPrefix("Tests and standardised change") })
        #expect(tests.columns.map(\.title).contains("d_z (SD of differences)") && tests.columns.map(\.title).contains("d (baseline SD)"))
        #expect(!tests.columns.contains { $0.heading.contains("Hedges") })
        let md = try ReportRenderer.render(doc, format: .markdown)
        #expect(md.contains("pre–post effect size d (baseline SD)"))
        // The analysis itself: the section's combined figures are the report's.
        let r = try OutcomesReport.analyse(store: simulatedStore, options: OutcomesOptions())
        let c = try #require(r.combined)
        #expect(combined.rows[0][2] == .count(c.members) || combined.rows[0][2] == .suppressed)
    }

    @Test("Funder report: the NHS Talking Therapies figures come first, then the per-measure ones, then attrition")
    func funder() throws {
        let doc = try build(.funder)
        let outcomes = try #require(doc.sections.first { $0.heading == "Outcomes" })
        let labels = outcomes.blocks.compactMap { if case let .keyFigures(f) = $0 { return f } else { return nil } }.flatMap { $0 }.map(\.label)
        let combined = try #require(labels.firstIndex { $0.hasPrefix("Recovered (NHS Talking Therapies") })
        let perMeasure = try #require(labels.firstIndex { $0 == "Recovered (depression, PHQ-9)" })
        #expect(combined < perMeasure)
        #expect(labels.contains("Improved reliably (NHS Talking Therapies, depression and anxiety together)"))
        #expect(labels.contains("Members with one PHQ-9 check-in whose follow-up was not yet due"))
    }
}
