/// Statistical disclosure control for published tables of counts of people.
public enum DisclosureControl {
    /// The cells of a table that can be published: cells below `threshold` are hidden, and when exactly one
    /// non-empty cell would be hidden (empty cells hide nobody, so they do not count), the smallest shown cell
    /// is hidden with it (complementary suppression), so that no hidden cell can be recovered by subtracting
    /// the published cells from a published total.
    public static func complementarySuppression(_ cells: [String: Int], threshold: Int) -> [String: Int] {
        var shown = cells.filter { $0.value >= threshold }
        let hiddenNonEmpty = cells.filter { $0.value > 0 && $0.value < threshold }
        if hiddenNonEmpty.count == 1, let smallest = shown.min(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
            shown[smallest.key] = nil
        }
        return shown
    }
}

extension DisclosureControl {
    /// Which cells of a two-way table of counts to withhold when its row totals, column totals and grand total
    /// are published (or can be worked out elsewhere). Totals that are not published (`rowTotalsPublished`,
    /// `columnTotalsPublished` false) are unknowns to a reader; the grand total is published when either set
    /// of totals is.
    ///
    /// Primary suppression hides every interior cell and every total with 0 < n < `threshold` (empty cells hide
    /// nobody). Secondary (complementary) suppression then repeats: write the published totals as linear
    /// equations in the hidden cells (Σ_c x_rc = R_r, Σ_r x_rc = C_c, Σ_r R_r = Σ_c C_c = G), reduce them to
    /// row-echelon form, and if some hidden cell (or total) is determined — uniquely solvable, e.g. the only
    /// hidden cell of a row, or a "bridge" between two groups of hidden cells — also hide the smallest
    /// non-empty shown cell sharing an equation with it (interior cells before totals; ties by position), else
    /// the smallest non-empty shown value anywhere, else an empty cell sharing an equation with a determined value
    /// (a published zero completes a sum as well as any count).
    /// It stops when no hidden value is determined. This protects against exact recovery by subtraction;
    /// bounds from non-negativity remain (a hidden cell is known to lie between 0 and its line's remainder),
    /// as with any cell suppression.
    ///
    /// Totals published elsewhere in the report (`rowTotalsShown` or `columnTotalsShown` false while they are
    /// published; the grand total unless both are shown) cannot be withheld by this table: they are never chosen
    /// for complementary suppression — interior cells are hidden instead — and count as known to a reader, small
    /// or not (where they are shown, a small one is suppressed; but a cell withheld by the analysis, counted 1
    /// here, may make a total that is small here a published one there). Their masks are false. When nothing that can be hidden would help,
    /// the loop stops as when nothing is left (a one-column table whose row totals are published elsewhere, for
    /// example: those totals are its cells, which no table can protect).
    ///
    /// - Returns: masks (`true` = withhold) for the interior cells, the row totals, the column totals and the
    ///   grand total. A ragged `cells` is the caller's bug.
    public static func twoWaySuppression(_ cells: [[Int]], threshold: Int, rowTotalsPublished: Bool = true, columnTotalsPublished: Bool = true,
                                         rowTotalsShown: Bool = true, columnTotalsShown: Bool = true)
        -> (cells: [[Bool]], rowTotals: [Bool], columnTotals: [Bool], grandTotal: Bool) {
        let rows = cells.count, columns = cells.first?.count ?? 0
        precondition(cells.allSatisfy { $0.count == columns }, "twoWaySuppression: ragged table")
        // Unknown slots: interior r*columns + c, then row totals, column totals, grand total.
        let rowBase = rows * columns, columnBase = rowBase + rows, grandSlot = columnBase + columns
        var values = [Int](repeating: 0, count: grandSlot + 1)
        for r in 0..<rows { for c in 0..<columns { values[r * columns + c] = cells[r][c] } }
        for r in 0..<rows { values[rowBase + r] = cells[r].reduce(0, +) }
        for c in 0..<columns { values[columnBase + c] = cells.reduce(0) { $0 + $1[c] } }
        values[grandSlot] = values[rowBase..<columnBase].reduce(0, +)
        var hidden = values.map { $0 > 0 && $0 < threshold }
        // Unpublished totals are unknown to a reader whatever their size (and are never hidden "in addition").
        let unpublished = Set((rowTotalsPublished ? [] : Array(rowBase..<columnBase)) + (columnTotalsPublished ? [] : Array(columnBase..<grandSlot))
                              + (rowTotalsPublished || columnTotalsPublished ? [] : [grandSlot]))
        for slot in unpublished { hidden[slot] = true }
        // Published totals this table does not show: it cannot withhold them, and a reader may know them whatever
        // their size here (a cell the analysis withheld counts 1 here, so a total may be larger, and published, there).
        let fixed = Set((rowTotalsShown ? [] : Array(rowBase..<columnBase)) + (columnTotalsShown ? [] : Array(columnBase..<grandSlot))
                        + (rowTotalsShown && columnTotalsShown ? [] : [grandSlot])).subtracting(unpublished)
        for slot in fixed { hidden[slot] = false }
        // Equations as lists of slots with coefficient +1 (cells) or −1 (the total).
        var equations: [[(slot: Int, coefficient: Double)]] = []
        for r in 0..<rows { equations.append((0..<columns).map { (r * columns + $0, 1.0) } + [(rowBase + r, -1.0)]) }
        for c in 0..<columns { equations.append((0..<rows).map { ($0 * columns + c, 1.0) } + [(columnBase + c, -1.0)]) }
        equations.append((0..<rows).map { (rowBase + $0, 1.0) } + [(grandSlot, -1.0)])
        equations.append((0..<columns).map { (columnBase + $0, 1.0) } + [(grandSlot, -1.0)])
        // Only cells hidden for disclosure must stay undetermined; an unpublished total may well follow from
        // published cells (and then hides nobody).
        while case let determined = determinedSlots(hidden: hidden, targets: { !unpublished.contains($0) }, equations: equations),
              let first = determined.first {
            func sharing(_ slot: Int) -> Set<Int> { Set(equations.filter { eq in eq.contains { $0.slot == slot } }.flatMap { $0.map(\.slot) }) }
            let open = Set(values.indices.filter { !hidden[$0] && !fixed.contains($0) })
            let candidates = sharing(first).intersection(open).filter { values[$0] > 0 }
            var pool = candidates.isEmpty ? open.filter { values[$0] > 0 } : candidates
            // No non-empty value left to hide (the rest is empty or published elsewhere): an empty cell sharing an
            // equation with a determined value is hidden, since a published zero completes a sum as well as any count.
            if pool.isEmpty { pool = determined.reduce(into: Set<Int>()) { $0.formUnion(sharing($1)) }.intersection(open) }
            guard let next = pool.min(by: { a, b in
                let ka = (a >= rowBase ? 1 : 0, values[a], a), kb = (b >= rowBase ? 1 : 0, values[b], b)
                return ka < kb
            }) else { break } // nothing left to hide: every value that could help is hidden already
            hidden[next] = true
        }
        // Report unpublished totals as hidden only when they would have had to be (they are not shown anyway).
        for slot in unpublished { hidden[slot] = values[slot] > 0 && values[slot] < threshold }
        return ((0..<rows).map { r in (0..<columns).map { hidden[r * columns + $0] } },
                (0..<rows).map { hidden[rowBase + $0] }, (0..<columns).map { hidden[columnBase + $0] }, hidden[grandSlot])
    }

    /// The hidden slots among `targets` whose values the equations determine, in increasing order. Row-reduces the equations
    /// restricted to hidden slots (known values move to the right-hand side, which does not matter for determinacy): a
    /// pivot variable is determined when its reduced row has no free variable.
    static func determinedSlots(hidden: [Bool], targets: (Int) -> Bool, equations: [[(slot: Int, coefficient: Double)]]) -> [Int] {
        let unknowns = hidden.indices.filter { hidden[$0] }
        guard !unknowns.isEmpty else { return [] }
        let position = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var matrix: [[Double]] = equations.compactMap { eq in
            var row = [Double](repeating: 0, count: unknowns.count)
            var any = false
            for term in eq { if let p = position[term.slot] { row[p] += term.coefficient; any = true } }
            return any ? row : nil
        }
        let tolerance = 1e-9
        var pivots: [(row: Int, column: Int)] = []
        var r = 0
        for c in 0..<unknowns.count where r < matrix.count {
            guard let p = (r..<matrix.count).max(by: { abs(matrix[$0][c]) < abs(matrix[$1][c]) }), abs(matrix[p][c]) > tolerance else { continue }
            matrix.swapAt(r, p)
            let pivot = matrix[r][c]
            for j in 0..<unknowns.count { matrix[r][j] /= pivot }
            for i in 0..<matrix.count where i != r && abs(matrix[i][c]) > tolerance {
                let f = matrix[i][c]
                for j in 0..<unknowns.count { matrix[i][j] -= f * matrix[r][j] }
            }
            pivots.append((r, c))
            r += 1
        }
        let pivotColumns = Set(pivots.map(\.column))
        let determined = pivots.filter { p in
            (0..<unknowns.count).allSatisfy { j in pivotColumns.contains(j) || abs(matrix[p.row][j]) <= tolerance }
        }.map { unknowns[$0.column] }.filter(targets)
        return determined.sorted()
    }
}
