import Testing
@testable import PeerLensDocument

/// Tables found by the `disclosure` fuzz target (Fuzz/targets/disclosure.swift), kept so that what it found stays
/// fixed, with the same check: what a reader can work out from the published table and the totals published
/// elsewhere in the report, by exact linear algebra.
@Suite("Fuzz findings: disclosure control")
struct DisclosureFuzzRegressionTests {
    /// `truth` (counts; `withheld` cells the analysis suppressed already) as a table with a label column, with a
    /// row-total column and a column-total row when asked for; totals otherwise published elsewhere.
    func table(_ truth: [[Int]], withheld: Set<[Int]>, totalColumn: Bool, totalRow: Bool) -> Table {
        let rows = truth.count, columns = truth[0].count
        var cells: [[Cell]] = truth.enumerated().map { r, row in
            [.text("row \(r)")] + row.enumerated().map { c, n in withheld.contains([r, c]) ? .suppressed : .count(n) }
                + (totalColumn ? [.count(row.reduce(0, +))] : [])
        }
        let columnTotals = (0..<columns).map { c in truth.reduce(0) { $0 + $1[c] } }
        if totalRow { cells.append([.text("Total")] + columnTotals.map(Cell.count) + (totalColumn ? [.count(columnTotals.reduce(0, +))] : [])) }
        return Table(caption: "t", columns: (0..<cells[0].count).map { Column("c\($0)") }, rows: cells,
                     margins: [MarginGroup(rows: Array(0..<rows), columns: Array(1...columns), rowTotalColumn: totalColumn ? columns + 1 : nil,
                                           columnTotalRow: totalRow ? rows : nil, rowTotalsPublished: true, columnTotalsPublished: true)])
    }

    /// The interior cells (row, column) a reader can work out: unknowns are the suppressed cells and totals, and
    /// the totals published elsewhere that are 1 to k − 1 (suppressed there); a cell is recoverable iff its unit
    /// vector lies in the row space of the sums' coefficients over the unknowns (integer Gauss–Jordan).
    func recoverable(_ published: Table, truth: [[Int]], totalColumn: Bool, totalRow: Bool, policy: DisclosurePolicy) -> [[Int]] {
        let rows = truth.count, columns = truth[0].count
        let rowBase = rows * columns, columnBase = rowBase + rows, grandSlot = columnBase + columns
        let rowTotals = truth.map { $0.reduce(0, +) }, columnTotals = (0..<columns).map { c in truth.reduce(0) { $0 + $1[c] } }
        var known = [Bool](repeating: false, count: grandSlot + 1)
        func shown(_ r: Int, _ c: Int) -> Bool { if case .count = published.rows[r][c] { return true } else { return false } }
        for r in 0..<rows { for c in 0..<columns { known[r * columns + c] = shown(r, c + 1) } }
        for r in 0..<rows { known[rowBase + r] = totalColumn ? shown(r, columns + 1) : !policy.isSmall(rowTotals[r]) }
        for c in 0..<columns { known[columnBase + c] = totalRow ? shown(rows, c + 1) : !policy.isSmall(columnTotals[c]) }
        known[grandSlot] = totalRow && totalColumn ? shown(rows, columns + 1) : !policy.isSmall(rowTotals.reduce(0, +))
        let unknowns = known.indices.filter { !known[$0] }
        // Each equation as its coefficients over the unknowns: +1 for a part, −1 for the total it adds up to.
        var equations: [[(slot: Int, coefficient: Int)]] = []
        for r in 0..<rows { equations.append((0..<columns).map { (r * columns + $0, 1) } + [(rowBase + r, -1)]) }
        for c in 0..<columns { equations.append((0..<rows).map { ($0 * columns + c, 1) } + [(columnBase + c, -1)]) }
        equations.append((0..<rows).map { (rowBase + $0, 1) } + [(grandSlot, -1)])
        equations.append((0..<columns).map { (columnBase + $0, 1) } + [(grandSlot, -1)])
        var matrix = equations.map { terms in unknowns.map { u in terms.first { $0.slot == u }?.coefficient ?? 0 } }
        var pivots: [Int] = [], r = 0
        for c in unknowns.indices where r < matrix.count {
            guard let p = (r..<matrix.count).first(where: { matrix[$0][c] != 0 }) else { continue }
            matrix.swapAt(r, p)
            for i in matrix.indices where i != r && matrix[i][c] != 0 {
                let a = matrix[r][c], b = matrix[i][c]
                matrix[i] = zip(matrix[i], matrix[r]).map { a * $0 - b * $1 }
            }
            pivots.append(c)
            r += 1
        }
        return zip(matrix.prefix(r), pivots).filter { row, pivot in row.indices.allSatisfy { $0 == pivot || row[$0] == 0 } }
            .map { unknowns[$0.1] }.filter { $0 < rowBase }.map { [$0 / columns, $0 % columns] }
    }

    @Test("Totals published elsewhere were chosen as complements, which the table cannot withhold: 2 = 33 − 31 could be worked out")
    func totalsPublishedElsewhere() {
        // The fuzzer's table: a cell of 2 the analysis withheld; row and column totals published elsewhere.
        let truth = [[2, 31, 31], [31, 0, 0]]
        let published = DisclosurePolicy.standard.apply(to: table(truth, withheld: [[0, 0]], totalColumn: false, totalRow: false))
        #expect(recoverable(published, truth: truth, totalColumn: false, totalRow: false, policy: .standard).isEmpty, "\(published.rows)")
        #expect(published.rows[1][1] == .suppressed, "row 1's 31 is hidden: its row total would give it away")
        #expect(published.rows[1][2] == .suppressed || published.rows[1][3] == .suppressed, "and an empty cell beside it: \(published.rows[1])")
    }

    @Test("A withheld cell counted as 1 made a published row total (5) look small, so the policy counted on it being hidden: 2 could be worked out")
    func withheldCellUnderAPublishedTotal() throws {
        // The fuzzer's table, k = 5: row totals published elsewhere, column totals shown. Row 2 holds 1, 2 and a
        // withheld 2: its total, 5, is published; the policy saw 1 + 2 + 1 = 4 and took it for suppressed.
        let policy = try DisclosurePolicy(threshold: 5, allowLowering: true)
        let truth = [[25, 25, 25, 25, 18], [3, 0, 0, 0, 0], [0, 0, 1, 2, 2], [1, 2, 0, 0, 0], [0, 0, 0, 0, 0]]
        let published = policy.apply(to: table(truth, withheld: [[2, 4]], totalColumn: false, totalRow: true))
        #expect(recoverable(published, truth: truth, totalColumn: false, totalRow: true, policy: policy).isEmpty, "\(published.rows)")
        for (r, c) in [(1, 0), (2, 2), (2, 3), (3, 0), (3, 1)] { #expect(published.rows[r][c + 1] == .suppressed) }
    }
}
