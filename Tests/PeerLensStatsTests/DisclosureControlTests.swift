import Testing
@testable import PeerLensStats

/// Two-way complementary suppression, checked by an independent argument: write the table with its totals as
/// an augmented (r+1)×(c+1) table in which every row and every column sums to zero (totals negated). A hidden
/// entry can be recovered from the shown ones exactly when it is a bridge of the bipartite graph whose edges
/// are the hidden entries (rows and columns of the augmented table as vertices): an edge on a cycle can be
/// shifted by +d/−d around the cycle without changing any sum, a bridge cannot (sum the equations of the
/// rows and columns on one side of it).
@Suite("Disclosure control: two-way complementary suppression")
struct DisclosureControlTests {
    /// Hidden entries of the augmented table that are bridges (recoverable), given the masks.
    func recoverable(_ masks: (cells: [[Bool]], rowTotals: [Bool], columnTotals: [Bool], grandTotal: Bool), rows: Int, columns: Int) -> [String] {
        // Vertices: rows 0…rows (the last is the totals row), columns 0…columns (the last is the totals column).
        var edges: [(Int, Int, String)] = []
        for r in 0..<rows { for c in 0..<columns where masks.cells[r][c] { edges.append((r, c, "cell \(r),\(c)")) } }
        for r in 0..<rows where masks.rowTotals[r] { edges.append((r, columns, "row total \(r)")) }
        for c in 0..<columns where masks.columnTotals[c] { edges.append((rows, c, "column total \(c)")) }
        if masks.grandTotal { edges.append((rows, columns, "grand total")) }
        func connected(_ a: Int, _ b: Int, without skip: Int) -> Bool {
            // Row vertex r is r; column vertex c is rows + 1 + c.
            var adjacency: [Int: [Int]] = [:]
            for (i, e) in edges.enumerated() where i != skip {
                adjacency[e.0, default: []].append(rows + 1 + e.1)
                adjacency[rows + 1 + e.1, default: []].append(e.0)
            }
            var seen: Set<Int> = [a], stack = [a]
            while let v = stack.popLast() {
                if v == b { return true }
                for w in adjacency[v] ?? [] where seen.insert(w).inserted { stack.append(w) }
            }
            return false
        }
        return edges.enumerated().filter { i, e in !connected(e.0, rows + 1 + e.1, without: i) }.map(\.element.2)
    }

    @Test("A single small cell brings a second one in its row and column, and no hidden cell is recoverable")
    func singleSmallCell() {
        let table = [[50, 3, 40], [60, 70, 80], [20, 30, 90]]
        let m = DisclosureControl.twoWaySuppression(table, threshold: 10)
        #expect(m.cells[0][1])
        #expect(m.cells.flatMap { $0 }.filter { $0 }.count >= 4, "a lone hidden cell needs partners in its row and its column: \(m.cells)")
        #expect(recoverable(m, rows: 3, columns: 3).isEmpty)
        // Shown cells are never below the threshold unless empty.
        for r in 0..<3 { for c in 0..<3 where !m.cells[r][c] { #expect(table[r][c] == 0 || table[r][c] >= 10) } }
    }

    @Test("Nothing small, nothing hidden; empty cells are never hidden for their own sake")
    func nothingToHide() {
        let m = DisclosureControl.twoWaySuppression([[0, 12], [15, 0]], threshold: 10)
        #expect(m.cells.flatMap { $0 }.allSatisfy { !$0 })
        #expect(!m.grandTotal && m.rowTotals.allSatisfy { !$0 } && m.columnTotals.allSatisfy { !$0 })
    }

    @Test("A small total is hidden too")
    func smallTotal() {
        let m = DisclosureControl.twoWaySuppression([[4, 3], [40, 50]], threshold: 10)
        #expect(m.rowTotals[0], "row total 7 < 10")
        #expect(recoverable(m, rows: 2, columns: 2).isEmpty)
    }

    @Test("Random tables at three thresholds: no hidden value is recoverable from the published ones", arguments: [5, 10, 20])
    func randomTables(threshold: Int) {
        var rng = SplitMix64(state: UInt64(threshold))
        for _ in 0..<300 {
            let rows = 1 + Int(rng.next() % 5), columns = 1 + Int(rng.next() % 5)
            let table = (0..<rows).map { _ in (0..<columns).map { _ in
                let kind = rng.next() % 4
                return kind == 0 ? 0 : (kind == 1 ? 1 + Int(rng.next() % UInt64(threshold)) : threshold + Int(rng.next() % 200))
            } }
            let m = DisclosureControl.twoWaySuppression(table, threshold: threshold)
            #expect(recoverable(m, rows: rows, columns: columns).isEmpty, "table \(table): \(m)")
            for r in 0..<rows { for c in 0..<columns where table[r][c] > 0 && table[r][c] < threshold { #expect(m.cells[r][c]) } }
        }
    }

    @Test("One-way breakdown with an unpublished row total: the one-way rule, exactly")
    func oneWay() {
        // Column of group counts; each row total is the cell itself and is not separately published.
        let cells = [[278], [3], [114], [190]]
        let m = DisclosureControl.twoWaySuppression(cells, threshold: 10, rowTotalsPublished: false)
        let hidden = m.cells.map { $0[0] }
        #expect(hidden == [false, true, true, false], "the small group and the smallest other: \(hidden)")
        let oneWay = DisclosureControl.complementarySuppression(["a": 278, "b": 3, "c": 114, "d": 190], threshold: 10)
        #expect(Set(oneWay.keys) == ["a", "d"])
    }

    @Test("Totals published elsewhere are never hidden as complements (the table cannot withhold them); empty cells are, when nothing else is left")
    func totalsPublishedElsewhere() {
        // The disclosure fuzz target's finding: row and column totals published elsewhere in the report. The small cell's
        // row and column partners are hidden, then row 1's 31, which its published row total (31, with two empty
        // cells beside it) would give away: only hiding an empty cell of that row protects it. Before, the row total
        // was chosen, which the table could not withhold, and 1 = 32 − 31 could be worked out.
        let m = DisclosureControl.twoWaySuppression([[1, 31, 31], [31, 0, 0]], threshold: 11, rowTotalsShown: false, columnTotalsShown: false)
        #expect(m.rowTotals == [false, false] && m.columnTotals == [false, false, false] && !m.grandTotal, "\(m)")
        #expect(m.cells[0][0] && m.cells[1][0])
        #expect(m.cells[1][1] || m.cells[1][2], "an empty cell of row 1 hidden: \(m.cells)")
        // With every total known, a hidden cell is recoverable exactly when it is a bridge among the hidden cells.
        #expect(recoverable(m, rows: 2, columns: 3).isEmpty)
    }
}

