import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensStats

@Suite("Disclosure policy")
struct DisclosureTests {
    @Test("k below 11 only with the explicit flag, and the report says so")
    func lowering() throws {
        #expect(throws: DisclosureError.self) { try DisclosurePolicy(threshold: 5) }
        #expect(throws: DisclosureError.self) { try DisclosurePolicy(threshold: 0, allowLowering: true) }
        let p = try DisclosurePolicy(threshold: 5, allowLowering: true)
        #expect(p.lowered)
        #expect(p.description.contains("lowered from 11 to 5"))
        #expect(try !DisclosurePolicy(threshold: 20).lowered)
    }

    @Test("Small counts, their complements and their percentages are withheld; the table says why")
    func table() throws {
        let doc = try DisclosurePolicy().apply(to: handBuiltDocument(name: "x"))
        guard case let .table(t) = doc.sections[0].subsections[0].blocks[0] else { Issue.record("no table"); return }
        #expect(t.rows[1][1] == .suppressed, "4 < 11")
        #expect(t.rows[1][2] == .suppressed, "its percentage too")
        #expect(t.rows[2][1] == .suppressed, "the smallest other count, so that 4 cannot be worked out from the total")
        #expect(t.rows[0][1] == .count(120))
        #expect(t.rows[2][2] == .empty, "a non-finite value is not printed")
        #expect(t.notes.contains { $0.hasPrefix("Disclosure control:") && $0.contains("1 count of 1 to 10 people suppressed") && $0.contains("1 more") })
        // Idempotent.
        #expect(try DisclosurePolicy().apply(to: doc) == doc)
    }

    @Test("Key figures resting on fewer than k cases are withheld")
    func figures() throws {
        let doc = try DisclosurePolicy().apply(to: handBuiltDocument(name: "x"))
        guard case let .keyFigures(f) = doc.sections[0].blocks[1] else { Issue.record("no figures"); return }
        #expect(f[0].value == "42" && !f[0].suppressed)
        #expect(f[1].value == "suppressed" && f[1].suppressed && f[1].basis == nil)
    }

    @Test("Two-way margins: no published count below k, and no suppressed cell recoverable from the totals", arguments: [5, 10, 15])
    func twoWay(k: Int) throws {
        // A roles × categories table with its row totals and the column totals row, as Table 1 is built.
        let interior = [[40, 3, 12, 0], [25, 11, 2, 30], [60, 9, 14, 8], [7, 20, 33, 41]]
        var rows: [[Cell]] = [[.text("all")] + (0..<4).map { c in .count(interior.reduce(0) { $0 + $1[c] }) } + [.count(interior.joined().reduce(0, +))]]
        for r in interior { rows.append([.text("g")] + r.map { .count($0) } + [.count(r.reduce(0, +))]) }
        let table = Table(caption: "t", columns: [Column("g", alignment: .left)] + (0..<5).map { Column("c\($0)") }, rows: rows,
                          margins: [MarginGroup(rows: [1, 2, 3, 4], columns: [1, 2, 3, 4], rowTotalColumn: 5, columnTotalRow: 0)])
        let safe = try DisclosurePolicy(threshold: k, allowLowering: true).apply(to: table)
        for row in safe.rows { for cell in row { if case let .count(n) = cell { #expect(n == 0 || n >= k) } } }
        // No suppressed interior cell is determined: for each, there is another table that agrees with every
        // published cell and total and differs there (found by the same equations as any reader would use).
        var hidden: [[Bool]] = interior.map { $0.map { _ in false } }
        for r in 0..<4 { for c in 0..<4 { hidden[r][c] = safe.rows[r + 1][c + 1] == .suppressed } }
        let rowTotalsHidden = (0..<4).map { safe.rows[$0 + 1][5] == .suppressed }
        let columnTotalsHidden = (0..<4).map { safe.rows[0][$0 + 1] == .suppressed }
        let equations = (0..<4).map { r in (0..<4).map { r * 4 + $0 } } + (0..<4).map { c in (0..<4).map { $0 * 4 + c } }
        // A reader solves each row and column whose total is shown and that has exactly one hidden cell,
        // repeatedly (the subtraction attack).
        var known = hidden.map { $0.map { !$0 } }
        var changed = true
        while changed {
            changed = false
            for (i, eq) in equations.enumerated() {
                let totalShown = i < 4 ? !rowTotalsHidden[i] : !columnTotalsHidden[i - 4]
                let unknown = eq.filter { !known[$0 / 4][$0 % 4] }
                if totalShown, unknown.count == 1 { known[unknown[0] / 4][unknown[0] % 4] = true; changed = true }
            }
        }
        for r in 0..<4 { for c in 0..<4 where hidden[r][c] { #expect(!known[r][c], "cell \(r),\(c) recoverable by subtraction at k = \(k)") } }
    }
}
