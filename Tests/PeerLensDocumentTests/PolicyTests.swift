import Foundation
import Testing
@testable import PeerLensDocument

/// A provenance for hand-built documents.
func provenance(k: Int = DisclosurePolicy.defaultThreshold) -> Provenance {
    Provenance(toolVersion: "test", libraries: [:], store: StoreFingerprint(path: "s.sqlite", files: [], combinedSHA256: ""),
               command: "peerlens test", options: [:], generatedAt: nil, disclosureThreshold: k)
}

/// A one-table document under `policy`.
func document(_ table: Table, policy: DisclosurePolicy = .standard) -> ReportDocument {
    ReportDocument(title: "T", command: "test", provenance: provenance(k: policy.threshold), disclosure: policy,
                   sections: [Section("S", blocks: [.table(table)])])
}

func firstTable(_ d: ReportDocument) -> Table? {
    for s in d.sections { for b in s.blocks { if case let .table(t) = b { return t } } }
    return nil
}

@Suite("The one disclosure policy: the CMS cell-size rule and its refinements")
struct PolicyTests {
    @Test("k = 11 by default: counts of 1 to 10 are suppressed, 0 and 11 are published", arguments: [(0, false), (1, true), (10, true), (11, false), (12, false)])
    func boundary(_ n: Int, _ suppressed: Bool) {
        let t = DisclosurePolicy.standard.apply(to: Table(caption: "c", columns: [Column("g", alignment: .left), Column("n")],
                                                          rows: [[.text("a"), .count(n)]]))
        #expect((t.rows[0][1] == .suppressed) == suppressed)
    }

    @Test("A rate over fewer than 11 people is withheld even when its numerator is 0")
    func rateBasis() {
        let t = DisclosurePolicy.standard.apply(to: Table(caption: "c", columns: [Column("rate")], rows: [
            [.number(NumberCell(0, format: .percent(1), lower: 0, upper: 0.3, basis: 10, numerator: 0))],
            [.number(NumberCell(0, format: .percent(1), lower: 0, upper: 0.3, basis: 11, numerator: 0))],
        ]))
        #expect(t.rows[0][0] == .suppressed)
        #expect(t.rows[1][0] != .suppressed)
    }

    @Test("A share is withheld when its numerator or its complement is 1 to 10 people", arguments: [(3, 200, true), (197, 200, true), (11, 200, false), (189, 200, false), (0, 200, false)])
    func shareNumerator(_ k: Int, _ n: Int, _ withheld: Bool) {
        let t = DisclosurePolicy.standard.apply(to: Table(caption: "c", columns: [Column("share")], rows: [
            [.number(NumberCell(Double(k) / Double(n), format: .percent(1), basis: n, numerator: k))],
        ]))
        #expect((t.rows[0][0] == .suppressed) == withheld)
    }

    @Test("A share whose denominator is a count its row withholds is withheld too (Wilson bounds of 0/n give n away)")
    func shareOfSuppressedBasis() {
        // Row 1's people (12) are withheld to protect row 2 (3 people) against the published total; its 0% rate
        // with the interval [0, 24.2] would give 12 back.
        let t = Table(caption: "c", columns: [Column("g", alignment: .left), Column("people"), Column("rate")], rows: [
            [.text("a"), .count(200), .number(NumberCell(0.1, format: .percent(1), lower: 0.06, upper: 0.15, basis: 200, numerator: 20))],
            [.text("b"), .count(12), .number(NumberCell(0, format: .percent(1), lower: 0, upper: 0.242, basis: 12, numerator: 0))],
            [.text("c"), .count(3), .empty],
        ], margins: [MarginGroup(rows: [0, 1, 2], columns: [1])])
        let safe = DisclosurePolicy.standard.apply(to: t)
        #expect(safe.rows[2][1] == .suppressed)
        #expect(safe.rows[1][1] == .suppressed, "the smallest other group, so that 3 cannot be worked out from the total")
        #expect(safe.rows[1][2] == .suppressed, "its rate's interval would give its 12 people back")
        #expect(safe.rows[0][2] != .suppressed)
    }

    @Test("A threshold below 11 is refused unless lowering is allowed, and the description then says so")
    func lowering() throws {
        #expect(throws: DisclosureError.self) { try DisclosurePolicy(threshold: 10) }
        #expect(throws: DisclosureError.self) { try DisclosurePolicy(threshold: 0, allowLowering: true) }
        let p = try DisclosurePolicy(threshold: 5, allowLowering: true)
        #expect(p.lowered)
        #expect(p.description.contains("lowered from 11 to 5"))
    }

    @Test("Rounding to 5: counts rounded after suppression, totals independently, and the table says so")
    func rounding() throws {
        let p = try DisclosurePolicy(roundingBase: 5)
        #expect(throws: DisclosureError.self) { try DisclosurePolicy(roundingBase: 1) }
        let t = p.apply(to: Table(caption: "c", columns: [Column("g", alignment: .left), Column("n")],
                                  rows: [[.text("a"), .count(12)], [.text("b"), .count(13)], [.text("total"), .count(25)], [.text("c"), .count(3)], [.text("z"), .count(0)]]))
        #expect(t.rows.map { $0[1] } == [.count(10), .count(15), .count(25), .suppressed, .count(0)])
        #expect(t.notes.contains { $0.contains("rounded to the nearest multiple of 5") })
        #expect(p.rounded(12) == 10 && p.rounded(13) == 15 && p.rounded(0) == 0)
    }

    @Test("Suppressed and not evaluable are different cells, words and JSON kinds")
    func notEvaluable() throws {
        let t = Table(caption: "c", columns: [Column("g", alignment: .left), Column("n"), Column("AUC")],
                      rows: [[.text("a"), .count(4), .number(NumberCell(0.8, format: .decimal(3), basis: 4))],
                             [.text("b"), .count(500), .notEvaluable("fewer than 10 positives")]])
        let d = document(t)
        let text = try ReportRenderer.render(d, format: .text)
        #expect(text.contains("suppressed"))
        #expect(text.contains("not evaluable"))
        #expect(text.contains("Not evaluable (too few cases to estimate, not disclosure control): fewer than 10 positives."))
        let json = try ReportRenderer.render(d, format: .json)
        #expect(json.contains("\"kind\" : \"suppressed\""))
        #expect(json.contains("\"kind\" : \"not_evaluable\""))
        #expect(json.contains("\"reason\" : \"fewer than 10 positives\""))
        let html = try ReportRenderer.render(d, format: .html)
        #expect(html.contains("class=\"num not-evaluable\""))
        let f = DisclosurePolicy.standard.apply(to: KeyFigure.notEvaluable(label: "Sensitivity", reason: "fewer than 10 positives"))
        #expect(!f.suppressed && f.notEvaluable == "fewer than 10 positives")
    }

    @Test("Internal-only working views are dropped under the standard policy and labelled under --internal")
    func internalViews() throws {
        let raw = Table(caption: "raw", columns: [Column("t"), Column("alerts")], rows: [[.text("0.1"), .count(3)]], internalOnly: true)
        let standard = document(raw)
        #expect(firstTable(DisclosurePolicy.standard.apply(to: standard)) == nil)
        let internalPolicy = try DisclosurePolicy(internalUse: true)
        let shown = try #require(firstTable(internalPolicy.apply(to: document(raw, policy: internalPolicy))))
        #expect(shown.rows[0][1] == .count(3))
        #expect(shown.notes.first?.contains("For internal use only") == true)
        for format in ReportFormat.allCases {
            let text = try ReportRenderer.render(document(raw, policy: internalPolicy), format: format)
            #expect(text.contains("internal use") || text.contains("INTERNAL USE") || text.contains("\"internal_use\" : true"), "\(format)")
        }
    }

    @Test("Key figures on fewer than 11 people, or that are small counts, are suppressed; rounding reaches them")
    func keyFigures() throws {
        let p = DisclosurePolicy.standard
        #expect(p.apply(to: KeyFigure(label: "x", value: "41%", basis: 10)).suppressed)
        #expect(!p.apply(to: KeyFigure(label: "x", value: "41%", basis: 11)).suppressed)
        #expect(p.apply(to: KeyFigure(label: "n", value: "7", count: 7)).suppressed)
        let rounded = try DisclosurePolicy(roundingBase: 5).apply(to: KeyFigure(label: "n", value: "2,729", count: 2729))
        #expect(rounded.value == "2,730")
    }
}

@Suite("Text renderer")
struct TextRendererTests {
    @Test("Tables are aligned columns, numbers right-aligned; control characters from logs are replaced")
    func table() throws {
        let t = Table(caption: "Members by space", columns: [Column("Space", alignment: .left), Column("Members", unit: "n")],
                      rows: [[.text("calm\u{1B}[31mred"), .count(1234)], [.text("b"), .count(56)]], disclosive: false)
        let text = try ReportRenderer.render(document(t), format: .text)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("  Space" + String(repeating: " ", count: 9) + "Members (n)\n"))
        #expect(text.contains("  calm\u{FFFD}[31mred        1,234\n"))
        #expect(text.contains("  b" + String(repeating: " ", count: 22) + "56\n"))
        #expect(text.contains("Disclosure control: Counts of 1 to 10 people are suppressed"))
    }
}
