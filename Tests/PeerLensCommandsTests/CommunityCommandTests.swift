import Foundation
import Testing
@testable import PeerLensCommands
@testable import PeerLensCommunity
import PeerLensDocument
@testable import PeerLensReport
import PeerLensStore

@Suite("health and impact through the one output path")
struct CommunityCommandTests {
    @Test("health: every format from one document, deterministic; the whole period shows components and measures")
    func health() throws {
        let args = ["--over", "all", "--no-by-space", "--replicates", "100"]
        let (doc, text) = try published("health", args)
        #expect(doc.command == "health" && doc.title == "Community health")
        #expect(tables(doc).contains { $0.caption.hasPrefix("Community-health components and measures, whole period, all spaces") })
        #expect(text == (try published("health", args)).1)
        let json = try published("health", args, format: .json).1
        #expect(json.contains("\"sections\"") && !json.contains("disclosureThreshold"))
        let weekly = try published("health", ["--replicates", "100"]).0
        #expect(tables(weekly).contains { $0.caption == "Community-health index per week, all spaces" })
    }

    @Test("impact and the funder report share their builders: the same sections from the same result")
    func impactSharesFunderBuilders() throws {
        let (doc, _) = try published("impact", ["--cost", "100000"])
        #expect(doc.sections.map(\.heading) == ["At a glance", "Reach and equity", "Outcomes", "Safety", "Cost per outcome", "What these figures cannot tell"])
        var options = ImpactOptions()
        options.cost = 100_000
        let r = try ImpactReport.analyse(store: commandsStore, options: options)
        #expect(doc.sections[0] == FunderReport.glance(r) && doc.sections[1] == FunderReport.reach(r))
        #expect(throws: (any Error).self) { _ = try ImpactCommand.parse(["--cost", "0"]) }
    }

    @Test("The policy, not the analysis, suppresses a small group of a breakdown, and its complement against the published total")
    func impactBreakdownSuppression() throws {
        let groups = [ImpactGroup(group: "a", count: 100, hits: nil, rate: 100.0 / 155, lower: nil, upper: nil),
                      ImpactGroup(group: "c", count: 50, hits: nil, rate: 50.0 / 155, lower: nil, upper: nil),
                      ImpactGroup(group: "b", count: 5, hits: nil, rate: 5.0 / 155, lower: nil, upper: nil)]
        let r = ImpactReport(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", membersExcluded: 3, consentNote: "members without research consent are left out of every figure",
                             headline: [ImpactFigure(key: "people_reached", sdg: ["3.4"], count: 155, hits: nil, value: nil, lower: nil, upper: nil, statement: "people used the service"),
                                        ImpactFigure(key: "reliable_improvement_phq9", sdg: ["3.4"], count: 40, hits: 3, value: 3.0 / 40, lower: 0.02, upper: 0.2, statement: "members improved reliably")],
                             equity: [ImpactBreakdown(measure: "reach", by: "gender", sdg: ["5"], groups: groups, total: 155, totalHits: nil)],
                             limitations: [])
        let reach = DisclosurePolicy.standard.apply(to: FunderReport.reach(r))
        guard case let .table(t) = reach.blocks[1] else { Issue.record("no table"); return }
        #expect(t.rows[2][1] == .suppressed && t.rows[2][2] == .suppressed)      // 5 people
        #expect(t.rows[1][1] == .suppressed)                                      // its complement: 155 − 100 − 5 would reveal it
        #expect(t.rows[0][1] == .count(100))
        let glance = DisclosurePolicy.standard.apply(to: FunderReport.glance(r))
        guard case let .keyFigures(f) = glance.blocks[0] else { Issue.record("no figures"); return }
        #expect(f.first { $0.label.hasPrefix("Help seekers reached") }?.suppressed == false)
        #expect(f.first { $0.label.hasPrefix("Improved reliably") }?.suppressed == true) // 3 of 40 improved
        let limits = DisclosurePolicy.standard.apply(to: FunderReport.limitations(r))
        #expect(limits.blocks.contains { if case let .keyFigures(k) = $0 { return k.allSatisfy(\.suppressed) } else { return false } }) // 3 excluded
    }

    @Test("impact tags no figure SDG 3.4.2: crisis alerts answered contribute to target 3.4, beside the share confirmed; costs in whole currency")
    func impactNoIndicator342() throws {
        let (doc, text) = try published("impact", ["--cost", "100000"])
        let json = try published("impact", ["--cost", "100000"], format: .json).1
        let figures = doc.sections.flatMap(\.blocks).flatMap { block -> [KeyFigure] in if case let .keyFigures(f) = block { return f } else { return [] } }
        #expect(!figures.isEmpty && figures.allSatisfy { !($0.tag ?? "").contains("3.4.2") })
        #expect(tables(doc).allSatisfy { !$0.caption.contains("3.4.2") } && !(doc.subtitle ?? "").contains("3.4.2"))
        #expect(!text.contains("SDG 3.4.2") && !json.contains("SDG 3.4.2"))
        let labels = figures.map(\.label)
        #expect(labels.contains("Crisis alerts answered within 15 minutes") && labels.contains("Crisis alerts confirmed as crises on review"))
        #expect(figures.first { $0.label == "Crisis alerts answered within 15 minutes" }?.tag == "SDG 3.4")
        #expect(labels.contains("Help seekers reached") && labels.contains("Peer supporters active") && !labels.contains("People reached"))
        // Whole currency with thousands separators: "USD 100,000" in the text, never "100000.00".
        #expect(text.contains("USD 100,000") && !text.contains("100000.00"))
        let perImprovement = try #require(figures.first { $0.label == "Cost per member who improved reliably" })
        #expect(perImprovement.value.range(of: #"^USD [0-9]{1,3}(,[0-9]{3})*$"#, options: .regularExpression) != nil)
        #expect((perImprovement.interval ?? "").hasPrefix("between USD ") && (perImprovement.note ?? "").contains("whole budget"))
        #expect(labels.contains("Members who improved reliably (PHQ-9 or GAD-7)") && labels.contains("Cost per help seeker reached"))
    }

    @Test("Group-rate rule in the funder table: 0 of 18 is withheld with its counts, and the largest difference (with its interval) comes from a published group")
    func groupRateRule() throws {
        var options = ImpactOptions()
        options.groupRateMinimum = 11
        let outcome = ImpactReport.breakdown("reliable_improvement_phq9", by: "gender", sdg: ["5", "10.2", "17.18"],
                                             totals: ["woman": 114, "man": 83, "non-binary": 18, "not_stated": 30],
                                             hits: ["woman": 14, "man": 20, "non-binary": 0, "not_stated": 1], total: 245, options: options)
        let r = ImpactReport(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", membersExcluded: 0, groupRateMinimum: 11, consentNote: "n",
                             headline: [], equity: [outcome], limitations: [])
        let section = DisclosurePolicy.standard.apply(to: FunderReport.reach(r))
        guard case let .table(t) = section.blocks[1], case let .keyFigures(largest) = section.blocks[2] else { Issue.record("no table or figure"); return }
        // Rows are labelled through the label table (`not_stated` → "Not stated").
        let row = { (group: String) in t.rows.first { $0[0] == .text(CategoryLabels.label(group)) }! }
        // non-binary: 0 improved, 18 did not → rate, counts and difference withheld (the rule), not "0.0%".
        #expect(Array(row("non-binary")[2...5]) == [.suppressed, .suppressed, .suppressed, .suppressed])
        #expect(Array(row("not_stated")[2...5]) == [.suppressed, .suppressed, .suppressed, .suppressed])
        // woman (14 of 114) and man (20 of 83) meet the rule; what the policy publishes of them is theirs.
        let published = ["woman", "man"].filter { if case .number = row($0)[5] { return true } else { return false } }
        #expect(!published.isEmpty)
        #expect(t.notes.contains { $0.hasPrefix("Group-rate rule: ") && $0.contains("at least 11 of its people improved reliably and at least 11 did not") })
        // The largest difference: among the published groups only, with its Newcombe interval.
        let f = try #require(largest.first)
        let expected = outcome.groups.filter { published.contains($0.group) }.max { abs($0.difference!) < abs($1.difference!) }!
        #expect(f.note?.hasPrefix(CategoryLabels.label(expected.group) + " against everyone else measured") == true)
        #expect(f.value == Formatter.number(expected.difference!, .percentagePoints(1)))
        #expect(f.interval == "between \(Formatter.number(expected.differenceLower!, .percentagePoints(1))) and \(Formatter.number(expected.differenceUpper!, .percentagePoints(1)))")
        #expect(!f.suppressed && f.notEvaluable == nil)
        // No group meets the rule: the largest difference is not evaluable rather than drawn from a withheld group.
        let none = ImpactReport.breakdown("reliable_improvement_phq9", by: "gender", sdg: ["5"], totals: ["a": 40, "b": 18], hits: ["a": 5, "b": 0], total: 58, options: options)
        let empty = FunderReport.reach(ImpactReport(from: "x", to: "y", membersExcluded: 0, consentNote: "n", headline: [], equity: [none], limitations: []))
        guard case let .keyFigures(nf) = empty.blocks[2] else { Issue.record("no figure"); return }
        #expect(nf.first?.notEvaluable != nil)
    }

    @Test("A cell with too few active members: the analysis returns its values, the policy withholds them")
    func healthSmallCell() throws {
        let cell = HealthCell(period: "2026-02-02", space: "all", activeMembers: 5, threads: 40, messages: 120, components: [], index: 61,
                              indexLower: 50, indexUpper: 70, indexComponents: [], missingComponents: [], note: nil)
        let big = HealthCell(period: "2026-02-09", space: "all", activeMembers: 50, threads: 4, messages: 300, components: [], index: 55,
                             indexLower: 50, indexUpper: 60, indexComponents: [], missingComponents: [], note: nil)
        let r = CommunityHealthReport(over: .week, weights: HealthWeights(), rules: [:], compositeMinimum: 11, replicates: 100, seed: 1, level: 0.95,
                                      dataEnd: "2026-02-15T00:00:00Z", membersWithoutConsent: 0, consentNote: "note", cells: [cell, big])
        let t = DisclosurePolicy.standard.apply(to: CommunityHealthContribution.periodTable(r, space: "all"))
        #expect(t.rows[0][1] == .suppressed && t.rows[0][2] == .suppressed && t.rows[0][3] == .suppressed)
        #expect(t.rows[1][1] == .count(50) && t.rows[1][3] != .suppressed)
        let f = DisclosurePolicy.standard.apply(to: CommunityHealthContribution.figure(r, cell: cell, label: "x"))
        #expect(f.suppressed)
    }
}

@Suite("check and quarantine through the one output path")
struct StoreCommandTests {
    @Test("check: counts of records, not people, are published as they are, with their pseudonymous examples")
    func check() throws {
        let (doc, text) = try published("check")
        let t = try #require(tables(doc).first)
        #expect(!t.disclosive)
        let problems = try ReferentialCheck.run(on: commandsStore)
        #expect(t.rows.count == problems.count)
        for (row, p) in zip(t.rows, problems) {
            #expect(row[2] == .count(p.count) && row[3] == .text(p.examples.joined(separator: ", ")))
        }
        let small = Table(caption: "x", columns: [Column("n")], rows: [[.count(3)]], disclosive: false)
        #expect(DisclosurePolicy.standard.apply(to: small).rows[0][0] == .count(3))
        #expect(text.contains("Referential check"))
    }

    @Test("quarantine: an empty quarantine says so; --limit is checked")
    func quarantine() throws {
        let (_, text) = try published("quarantine")
        #expect(text.contains("The quarantine is empty.") || text.contains("Records refused at ingest"))
        #expect(throws: (any Error).self) { _ = try QuarantineCommand.parse(["--limit", "0"]) }
    }
}
