import Foundation
import Testing
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensReport
import PeerLensSafety
import PeerLensStore

/// "Not evaluable" (too few positives to estimate) and "suppressed" (too few people to publish) are different
/// findings: a safety lead acts on the first by collecting reviews, on the second not at all.
@Suite("Subgroups: not evaluable is not suppressed")
struct SubgroupEvaluabilityTests {
    /// The published subgroup table of `risk --by <attribute>` and the analysis behind it.
    func published(_ attribute: String, minPositives: Int) throws -> (table: Table, analysis: SubgroupAnalysis) {
        let d = try document(RiskCommand.self, ["--by", attribute, "--min-positives", "\(minPositives)", "--replicates", "100", "--version", "v1"])
        let table = try #require(d.sections.flatMap(\.blocks).compactMap { block -> Table? in
            if case let .table(t) = block { return t } else { return nil }
        }.first)
        var options = RiskEvaluationOptions()
        options.by = RiskSubgroup(rawValue: attribute)
        options.minimumPositives = minPositives
        options.replicates = 100
        options.versions = ["v1"]
        let analysis = try #require(SubgroupAnalysis.analyse(store: commandsStore, options: options).first)
        return (table, analysis)
    }

    @Test("risk --by culture / language: every group with fewer than m positives shows 'not evaluable (fewer than m positives)' in each estimate cell, never 'suppressed'",
          arguments: [("culture", 10), ("language", 10), ("culture", 25)])
    func notEvaluableCells(_ attribute: String, _ m: Int) throws {
        let (table, analysis) = try published(attribute, minPositives: m)
        let tooFew = analysis.groups.filter { $0.positives < m }
        #expect(!tooFew.isEmpty, "the store should have a \(attribute) group with fewer than \(m) positives")
        for g in tooFew {
            // Groups are shown by their labels (`fil` → "Filipino").
            let row = try #require(table.rows.first { $0.first == .text(CategoryLabels.label(g.group, attribute == "language" ? .language : .category)) }, "\(g.group) missing")
            for cell in row[4...7] { #expect(cell == .notEvaluable("fewer than \(m) positives"), "\(g.group): \(cell)") }
        }
        #expect(table.notes.contains("Not evaluable (too few cases to estimate, not disclosure control): fewer than \(m) positives."))
        // Estimates of evaluated groups are figures or withheld by the policy, never "not evaluable".
        for g in analysis.groups where g.evaluation != nil {
            let row = try #require(table.rows.first { $0.first == .text(CategoryLabels.label(g.group, attribute == "language" ? .language : .category)) })
            for cell in row[4...7] { if case .notEvaluable = cell { Issue.record("\(g.group) evaluated but shown not evaluable") } }
        }
    }

    @Test("An evaluated group whose positive count is suppressed has its false-positive and false-negative rates withheld (their intervals give the count away)")
    func ratesWithheldWithPositives() throws {
        // m = 2 makes groups with 2 to 10 positives evaluable while the policy (k = 11) suppresses their counts.
        let (table, analysis) = try published("culture", minPositives: 2)
        let small = analysis.groups.filter { $0.evaluation != nil && DisclosurePolicy.standard.isSmall($0.positives) }
        #expect(!small.isEmpty, "the store should have an evaluated culture with 2 to 10 positives")
        for g in small {
            let row = try #require(table.rows.first { $0.first == .text(CategoryLabels.label(g.group)) })
            #expect(row[2] == .suppressed)
            #expect(row[5] == .suppressed && row[6] == .suppressed, "\(g.group): FPR \(row[5]), FNR \(row[6])")
        }
    }

    @Test("The safety report breaks the deployed model down by culture by default")
    func cultureByDefault() {
        let options = ReportOptions(disclosure: .standard, generatedAt: "2026-03-01T00:00:00Z", command: "peerlens report", toolVersion: "test")
        #expect(options.subgroups.contains(.culture))
    }
}
