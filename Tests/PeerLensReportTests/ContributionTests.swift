import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport

/// A research contribution as another analysis would write one.
struct ExampleContribution: ReportContribution {
    func sections(_ context: ReportContext) throws -> [Section] {
        [Section("Example outcomes", blocks: [.table(Table(caption: "Example", columns: [Column("Group", alignment: .left), Column("Members", unit: "n")],
                                                            rows: [[.text("a"), .count(40)], [.text("b"), .count(7)], [.text("c"), .count(30)]],
                                                            margins: [MarginGroup(rows: [0, 1, 2], columns: [1])]))])]
    }
    func methods(_ context: ReportContext) -> [String] { ["Example method: a t interval."] }
    func limitations(_ context: ReportContext) -> [String] { ["Example limitation."] }
    func seeds(_ context: ReportContext) -> [String: UInt64] { ["example bootstrap": 42] }
    func inclusionSteps(_ context: ReportContext) throws -> [InclusionStep] { [InclusionStep("With an example outcome", members: 77)] }
}

/// A contribution whose analysis the store cannot support.
struct FailingContribution: ReportContribution {
    struct Unsupported: Error, CustomStringConvertible { var description: String { "no example events in the store" } }
    func sections(_ context: ReportContext) throws -> [Section] { throw Unsupported() }
}

@Suite("Research contributions")
struct ContributionTests {
    @Test("Added sections come after the cohort, in order; their methods, seeds, limitations and inclusion steps are gathered; a failing one is named")
    func contributions() throws {
        let context = try ReportContext(store: simulatedStore, options: testOptions())
        let doc = try ResearchReport.build(context, contributions: [ExampleContribution(), FailingContribution()] + ResearchReport.standardContributions)
        #expect(doc.sections.map(\.heading) == ["Summary", "Cohort", "Example outcomes", "Mood outcomes", "Engagement and retention", "Peer matching",
                                                "Support groups", "Skills and training", "Community health", "Methods", "Limitations"])
        let md = try ReportRenderer.render(doc, format: .markdown)
        #expect(md.contains("Example method: a t interval."))
        #expect(md.contains("| example bootstrap "))
        #expect(md.contains("Example limitation."))
        #expect(md.contains("With an example outcome"))
        #expect(md.contains("FailingContribution: no example events in the store"))
        // The contribution's table went through the same disclosure control.
        #expect(md.contains("| b     |  suppressed |") || md.contains("suppressed"))
        let json = try ReportRenderer.render(doc, format: .json)
        #expect(try countCells(inJSON: json).allSatisfy { $0 == 0 || $0 >= 10 })
    }
}
