import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
import PeerLensStore

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

/// A contribution whose engine fails under it (a lost server, an unreadable database).
struct EngineFailingContribution: ReportContribution {
    func sections(_ context: ReportContext) throws -> [Section] {
        throw StoreError.database(operation: "reading example events", reason: "disk I/O error")
    }
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

    @Test("An engine failure fails the report as a whole; it is not written without the section as if the data could not support it")
    func engineFailureFailsTheReport() throws {
        let context = try ReportContext(store: simulatedStore, options: testOptions())
        #expect(throws: StoreError.self) {
            try ResearchReport.build(context, contributions: [ExampleContribution(), EngineFailingContribution(), FailingContribution()])
        }
        var omitted: [String] = []
        #expect(throws: StoreError.self) { try Build.attempt("x", &omitted) { () throws -> Int in throw StoreError.interruptedWrite(path: "p") } }
        #expect(try Build.attempt("x", &omitted) { () throws -> Int in throw FailingContribution.Unsupported() } == nil)
        #expect(omitted == ["x: no example events in the store"])
    }

    @Test("Concurrent parts: every part runs; the first error in part order is thrown, however the parts were scheduled")
    func concurrentPartsThrowInOrder() throws {
        struct PartError: Error, Equatable { let part: Int }
        #expect(try Concurrently.map(5) { $0 * 2 } == [0, 2, 4, 6, 8])
        for _ in 0..<20 {
            #expect(throws: PartError(part: 1)) {
                try Concurrently.map(6, cost: { 6 - $0 }) { i -> Int in
                    if i == 1 || i == 4 { throw PartError(part: i) }
                    return i
                }
            }
        }
    }
}
