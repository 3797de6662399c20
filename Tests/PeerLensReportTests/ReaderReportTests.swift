import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensResearch
@testable import PeerLensStore

/// Every key figure of a section and its subsections.
func keyFigures(_ s: Section) -> [KeyFigure] {
    s.blocks.flatMap { b -> [KeyFigure] in if case let .keyFigures(f) = b { return f } else { return [] } } + s.subsections.flatMap(keyFigures)
}

/// Every paragraph of a section as plain text.
func texts(_ s: Section) -> [String] {
    s.blocks.compactMap { b in if case let .paragraph(p) = b { return p.runs.map(\.text).joined() } else { return nil } }
}

/// The Markdown of a report without its provenance (where the command line, with its flags, and the generation
/// time are recorded as they were given).
func readerText(_ markdown: String) -> String {
    markdown.components(separatedBy: "\n## Provenance and disclosure control").first ?? markdown
}

/// The research and funder reports for readers (issue 14): the answer first, with the body's numbers; no
/// command-line flags, raw timestamps or jargon tables; suppression notes that are true.
@Suite("Research and funder reports for readers", .serialized)
struct ReaderReportTests {
    func build(_ audience: Audience, _ adjust: (inout ReportOptions) -> Void = { _ in }) throws -> (ReportDocument, ReportDocument, String) {
        var options = testOptions()
        if audience == .funder { options.cost = 250_000 }
        adjust(&options)
        let context = try ReportContext(store: simulatedStore, options: options)
        let doc = try AudienceReport.build(audience, context: context)
        return (doc, context.policy.apply(to: doc), try ReportRenderer.render(doc, format: .markdown))
    }

    @Test("Research summary first: design, cohort, the declared primary outcome (PHQ-9 change and d) and the main limitation, with the body's numbers")
    func researchSummary() throws {
        let (doc, published, _) = try build(.research)
        let summary = published.sections[0]
        #expect(summary.role == .summary && summary.heading == "Summary")
        #expect(doc.sections.filter { $0.role == .summary }.count == 1)
        let text = texts(summary).joined(separator: " ")
        #expect(text.contains("observational") && text.contains("no control group") && text.contains("Main limitation"))
        #expect(text.contains("declared in the report's options (primary_outcome"))
        #expect(published.provenance.options["primary_outcome"] == "phq9-change")
        let figures = keyFigures(summary)
        // Cohort size = Table 1's members row, all members.
        let table1 = try #require(tables(published).first { $0.caption.hasPrefix("Table 1.") })
        let allColumn = try #require(table1.columns.firstIndex { $0.heading == "All members" })
        let cohort = try #require(figures.first { $0.label == "Members in the cohort" })
        #expect(cohort.value == Formatter.cell(table1.rows[0][allColumn]))
        #expect(text.contains("Cohort: \(cohort.value) members with research consent"))
        // The primary outcome = the PHQ-9 change printed in "Change from first to last check-in".
        let change = try #require(tables(published).first { $0.caption == "Change from first to last check-in" })
        let changeColumn = try #require(change.columns.firstIndex { $0.heading == "Change" })
        let phq = try #require(change.rows.first { $0.first == .text("PHQ-9") })
        guard case let .number(c) = phq[changeColumn], let l = c.lower, let u = c.upper else { Issue.record("PHQ-9 change not published"); return }
        let primary = try #require(figures.first { $0.label.hasPrefix("Primary outcome: PHQ-9 change") })
        #expect(primary.value == Formatter.number(c.value, c.format) + " points")
        #expect(primary.interval == "95% CI \(Formatter.number(l, .signed(2))) to \(Formatter.number(u, .signed(2)))")
        // Its effect size = the body's pre–post d figure.
        let body = published.sections.first { $0.heading == "Mood outcomes" }.map(keyFigures) ?? []
        let d = try #require(body.first { $0.label == "PHQ-9 pre–post effect size d (baseline SD)" })
        let summaryD = try #require(figures.first { $0.label.hasPrefix("Primary outcome as an effect size: PHQ-9") })
        #expect(summaryD.value == d.value && summaryD.interval == d.interval)
    }

    @Test("The primary outcome is configurable: the NHS Talking Therapies reliable improvement, equal to its table's share")
    func researchPrimaryCombined() throws {
        let (_, published, _) = try build(.research) { $0.primaryOutcome = .nhsReliableImprovement }
        #expect(published.provenance.options["primary_outcome"] == "nhs-reliable-improvement")
        let primary = try #require(keyFigures(published.sections[0]).first { $0.label.hasPrefix("Primary outcome: NHS Talking Therapies reliable improvement") })
        let combined = try #require(tables(published).first { $0.caption.hasPrefix("NHS Talking Therapies outcomes") })
        let row = try #require(combined.rows.first { $0.first == .text("Reliable improvement") })
        switch row[3] {
        case let .number(n):
            #expect(primary.value == Formatter.number(n.value, .percent(1)))
            #expect(primary.interval == "95% CI \(Formatter.number(n.lower!, .percent(1))) to \(Formatter.number(n.upper!, .percent(1)))")
        case .suppressed: #expect(primary.suppressed)
        default: Issue.record("unexpected cell \(row[3])")
        }
    }

    @Test("Funder summary: one sentence with denominators whose numbers are the glance's, and the cited NHS Talking Therapies benchmark, marked indicative")
    func funderSummary() throws {
        let (_, published, _) = try build(.funder)
        let summary = published.sections[0]
        #expect(summary.role == .summary)
        let sentences = texts(summary)
        let headline = try #require(sentences.first)
        let glance = keyFigures(try #require(published.sections.first { $0.heading == "At a glance" }))
        let reached = try #require(glance.first { $0.label == "Help seekers reached" })
        #expect(headline.contains("reached \(reached.value) help seekers"))
        let improved = try #require(glance.first { $0.label == "Improved reliably (depression, PHQ-9)" })
        if improved.suppressed {
            #expect(headline.contains("too few"))
        } else {
            #expect(headline.contains("(\(improved.value), \(improved.interval ?? "")) improved reliably"))
            #expect(headline.contains("of the ") && headline.contains("members measured twice or more on depression (PHQ-9)"))
        }
        let context = sentences.dropFirst().joined(separator: " ")
        #expect(context.contains("66.4%") && context.contains("50.8%") && context.contains("2017-18") && context.contains("NHS Digital"))
        #expect(context.contains("only indicative"))
        // The combined figure beside the benchmark is the body's.
        let outcomes = keyFigures(try #require(published.sections.first { $0.heading == "Outcomes" }))
        let combined = try #require(outcomes.first { $0.label.hasPrefix("Improved reliably (NHS Talking Therapies") })
        if !combined.suppressed { #expect(context.contains("improved reliably (\(combined.value))")) }
    }

    @Test("Summary counts go through the disclosure policy: small ones are not printed")
    func summaryDisclosure() throws {
        let (doc, _, _) = try build(.funder) { $0.disclosure = try! DisclosurePolicy(threshold: 400) }
        let headline = texts(doc.sections[0]).first ?? ""
        // At k = 400 the PHQ-9 share (tens of people improved) is withheld: the sentence says so, with no count.
        #expect(headline.contains("too few improved reliably"))
        #expect(headline.range(of: #"\), \d+ \("#, options: .regularExpression) == nil)
    }

    @Test("No command-line flag and no raw timestamp in the reader text of either report", arguments: [Audience.research, .funder])
    func noFlagsOrTimestamps(_ audience: Audience) throws {
        let (_, _, markdown) = try build(audience)
        let text = readerText(markdown)
        #expect(text.range(of: #"(^|[\s(`])--[a-z]"#, options: .regularExpression) == nil, "a command-line flag in the \(audience) report")
        #expect(text.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"#, options: .regularExpression) == nil, "a raw timestamp in the \(audience) report")
        #expect(!text.contains("p = <") && !text.contains("p = \\<"))
        // The period in the subtitle is in words.
        #expect(markdown.range(of: #"\*(Data from|From) \d{1,2} [A-Z][a-z]+"#, options: .regularExpression) != nil)
    }

    @Test("The document never repeats the disclosure policy's note: the provenance prints it once", arguments: [Audience.research, .funder])
    func disclosureNoteOnce(_ audience: Audience) throws {
        let (doc, _, _) = try build(audience)
        let body = String(decoding: try JSONEncoder().encode(doc.sections), as: UTF8.self)
        #expect(!body.contains(doc.disclosure.description))
    }

    @Test("No column of a research or funder table is empty in every row", arguments: [Audience.research, .funder])
    func noEmptyColumns(_ audience: Audience) throws {
        let (doc, _, _) = try build(audience)
        for t in tables(doc) where !t.rows.isEmpty {
            for c in t.columns.indices.dropFirst() {
                #expect(t.rows.contains { c < $0.count && $0[c] != .empty }, "\(t.caption): column \(t.columns[c].heading) is empty in every row")
            }
        }
    }

    @Test("Suppression notes are true: a large group with withheld figures, or a count withheld though large, is explained", arguments: [Audience.research, .funder])
    func suppressionNotes(_ audience: Audience) throws {
        let (doc, published, _) = try build(audience)
        let k = published.disclosure.threshold
        let before = tables(doc), after = tables(published)
        #expect(before.count == after.count)
        for (original, shown) in zip(before, after) {
            let notes = shown.notes.joined(separator: " ")
            for (r, row) in shown.rows.enumerated() {
                for (c, cell) in row.enumerated() where cell == .suppressed {
                    if case let .count(n) = original.rows[r][c], n >= k {
                        // Secondary (complementary) suppression: the policy's note says so.
                        #expect(notes.contains("so that none can be worked out from the totals"), "\(shown.caption): count \(n) withheld without a word")
                    }
                }
            }
            // A note may not claim that only small groups are suppressed while a large group's figures are withheld.
            #expect(notes.range(of: #"(bands|groups) with fewer than \d+ members are suppressed"#, options: .regularExpression) == nil, "\(shown.caption)")
        }
    }

    @Test("Funder community health: the research table's values in plain words, without jargon")
    func funderCommunityHealth() throws {
        let (_, funder, markdown) = try build(.funder)
        let text = readerText(markdown)
        for jargon in ["gini", "Gini", "Component score", "percentile bootstrap", "member-weeks"] {
            #expect(!text.contains(jargon), "\(jargon) in the funder report")
        }
        let (_, research, _) = try build(.research)
        let plain = try #require(tables(funder).first { $0.caption.hasPrefix("Community health by area and measure") })
        let full = try #require(tables(research).first { $0.caption.hasPrefix("Community-health components and measures") })
        // The same values, in the same order: the research table's Value column (measures and the three counts).
        let values = { (t: Table, column: Int, skip: (([Cell]) -> Bool)) in t.rows.filter { !skip($0) }.map { Formatter.cell($0[column]) } }
        let plainValues = values(plain, 2) { $0[1] == .text("Area score") || Formatter.cell($0[1]).hasPrefix("Area score") }
        let fullValues = values(full, 2) { $0[1] == .text(CommunityHealthContribution.componentRow) }
        #expect(plainValues == fullValues)
        #expect(plain.columns.map(\.heading) == ["Area", "Measure", "Value", "Score"])
    }

    @Test("The deciding columns come first after the row label: change, effect size, retention")
    func decidingColumnsFirst() throws {
        let (doc, _, _) = try build(.research)
        let all = tables(doc)
        let change = try #require(all.first { $0.caption == "Change from first to last check-in" })
        #expect(change.columns.prefix(3).map(\.heading) == ["Instrument", "Change", "Analysed"])
        let tests = try #require(all.first { $0.caption.hasPrefix("Tests and standardised change") })
        #expect(tests.columns.prefix(3).map(\.heading) == ["Instrument", "d", "d_z"])
        let retention = try #require(all.first { $0.caption.hasPrefix("Retention at ") })
        #expect(retention.columns[1].heading.hasSuffix(" days") && retention.columns[1].unit == "%")
        // The group's figures still go with its size, wherever its column now is.
        let size = try #require(retention.columns.firstIndex { $0.heading == "New members" })
        for row in retention.rows {
            if case let .number(n) = row[1] { #expect(n.derivedFrom?.column == size) }
        }
    }

    @Test("The glance's explanation gives no worked example that matches no figure: every percentage in its text is a figure's")
    func glanceExample() throws {
        let (_, published, _) = try build(.funder)
        let glance = try #require(published.sections.first { $0.heading == "At a glance" })
        let shown = keyFigures(glance).flatMap { [$0.value] + ($0.interval.map { [$0] } ?? []) }.joined(separator: " ")
        for text in texts(glance) {
            let percents = text.matches(of: /\d+(\.\d+)?%/).map { String($0.output.0) }
            for p in percents where p != "95%" { #expect(shown.contains(p), "\(p) in the glance's text is no figure") }
        }
    }

    @Test("Funder age bands in age order, in the reach and the outcome tables")
    func ageOrder() throws {
        let (doc, _, _) = try build(.funder)
        for t in tables(doc) where t.caption.contains("by age band") {
            let bands = t.rows.compactMap { row -> String? in if case let .text(b)? = row.first { return b } else { return nil } }
            let lowerBound = { (band: String) in Int(band.prefix { $0.isNumber }) ?? Int.max }
            #expect(bands.count >= 2 && bands == bands.sorted { lowerBound($0) < lowerBound($1) }, "\(t.caption): \(bands)")
        }
    }

    @Test("Funder money: thousands separators, no false cents, in the body and the provenance")
    func funderMoney() throws {
        let (doc, _, markdown) = try build(.funder)
        #expect(markdown.contains("USD 250,000"))
        #expect(doc.provenance.options["cost"] == "USD 250,000")
        #expect(markdown.range(of: #"USD \d{4,}"#, options: .regularExpression) == nil)
        #expect(markdown.range(of: #"USD [\d,]+\.\d\d"#, options: .regularExpression) == nil)
    }

    @Test("Funder categories through the label table: no raw codes in the reach tables")
    func funderLabels() throws {
        let (_, _, markdown) = try build(.funder)
        let text = readerText(markdown)
        for raw in ["| not_stated", "| conflict_affected", "| non-binary |", "| woman "] {
            #expect(!text.contains(raw), "\(raw) in the funder report")
        }
    }
}
