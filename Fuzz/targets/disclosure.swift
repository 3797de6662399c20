#if canImport(Glibc)
import Glibc
#endif

// Fuzz target `disclosure`: the disclosure policy's two-way complementary suppression (`DisclosurePolicy.apply(to:)`
// on a table with a `MarginGroup`, which calls `DisclosureControl.twoWaySuppression`), on tables decoded from the
// input, checked by an independent exact linear-algebra test of what a reader can work out.
//
// Input: byte 0 the rows (1–6), byte 1 the columns (1–6), byte 2 the layout (a row-total column or not; a
// column-total row or not; without them, whether row and column totals are published elsewhere in the report —
// of two or more parts: elsewhere, a one-column table's row totals would be its cells),
// byte 3 the policy (k = 11, or lowered to 5 or 3; rounding to 5 or 10 or none), then one byte per interior cell:
// empty, a small count (1 to k − 1), a larger count (k to k + 63), or a cell the analysis withheld already
// (`.suppressed`, a small count). Missing bytes are empty cells.
//
// What a reader knows after the policy: every published count, and the totals published elsewhere in the report
// (as a one-way breakdown with the grand total, under the same policy: see `elsewhere`). The unknowns are the suppressed cells and totals, the totals
// not published, and the withheld ones. Their linear system is "each row's cells add up to its total, each
// column's to its total, the row totals and the column totals each to the grand total", with the known values on
// the right-hand side. A suppressed cell or total is recoverable iff its unit vector lies in the row space of the
// system's coefficients over the unknowns: found by exact integer Gauss–Jordan elimination (no floating point,
// nothing shared with the policy's code). Traps: a recoverable count of 1 to k − 1 people (suppressed or withheld),
// a recoverable cell suppressed in addition (when every published total is in the table: see the check), a
// published count of 1 to k − 1
// (the policy's promise), a published count other than the true one (rounded, when the policy rounds: the nearest
// multiple of the base, halves up), or a cell other than a count's changed.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDisclosure(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 4 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let rows = 1 + Int(bytes[0]) % 6, columns = 1 + Int(bytes[1]) % 6
    let layout = bytes[2], options = bytes[3]
    let hasRowTotalColumn = layout & 1 != 0, hasColumnTotalRow = layout & 2 != 0
    // Totals published elsewhere are margins only with two or more parts: a one-column table's row totals are its
    // cells (published elsewhere, they would publish the cells, which no table can protect), so they are not.
    let rowTotalsPublished = hasRowTotalColumn || (layout & 4 != 0 && columns > 1)
    let columnTotalsPublished = hasColumnTotalRow || (layout & 8 != 0 && rows > 1)
    let k = [11, 11, 5, 3][Int(options & 3)]
    let base: Int? = [nil, nil, 5, 10][Int(options >> 2 & 3)]
    let policy = try! DisclosurePolicy(threshold: k, allowLowering: true, roundingBase: base)

    // The true counts, and which cells the analysis withheld before the policy.
    var truth = [[Int]](repeating: [Int](repeating: 0, count: columns), count: rows)
    var withheld = Set<Int>()
    for r in 0..<rows {
        for c in 0..<columns {
            let i = 4 + r * columns + c
            guard i < size else { continue }
            let b = Int(bytes[i])
            switch b & 7 {
            case 0, 1: truth[r][c] = 0
            case 2, 3, 4: truth[r][c] = 1 + (b >> 3) % (k - 1 == 0 ? 1 : k - 1)
            case 5, 6: truth[r][c] = k + (b >> 3) % 64
            default: truth[r][c] = 1 + (b >> 3) % max(k - 1, 1); withheld.insert(r * columns + c)
            }
        }
    }
    let rowTotals = truth.map { $0.reduce(0, +) }
    let columnTotals = (0..<columns).map { c in truth.reduce(0) { $0 + $1[c] } }
    let grand = rowTotals.reduce(0, +)

    // The table: a label column, the interior, then the row totals; the column totals in a last row.
    let totalColumn = hasRowTotalColumn ? columns + 1 : nil, totalRow = hasColumnTotalRow ? rows : nil
    let width = columns + 1 + (hasRowTotalColumn ? 1 : 0)
    var cells: [[Cell]] = (0..<rows).map { r in
        [.text("row \(r)")] + (0..<columns).map { c in withheld.contains(r * columns + c) ? .suppressed : .count(truth[r][c]) }
            + (hasRowTotalColumn ? [.count(rowTotals[r])] : [])
    }
    if hasColumnTotalRow { cells.append([.text("Total")] + columnTotals.map(Cell.count) + (hasRowTotalColumn ? [.count(grand)] : [])) }
    let table = Table(caption: "fuzz", columns: (0..<width).map { Column("c\($0)") }, rows: cells,
                      margins: [MarginGroup(rows: Array(0..<rows), columns: Array(1...columns), rowTotalColumn: totalColumn, columnTotalRow: totalRow,
                                            rowTotalsPublished: rowTotalsPublished, columnTotalsPublished: columnTotalsPublished)])
    let published = policy.apply(to: table)
    require(published.rows.count == cells.count && zip(published.rows, cells).allSatisfy { $0.count == $1.count }, "the table changed shape")

    // Published values against the truth, and what the reader knows. Slots: interior r*columns+c, row totals,
    // column totals, grand total.
    let rowBase = rows * columns, columnBase = rowBase + rows, grandSlot = columnBase + columns
    var known = [Bool](repeating: false, count: grandSlot + 1)
    var suppressed = [Bool](repeating: false, count: grandSlot + 1)
    func read(_ slot: Int, at r: Int, _ c: Int, truth value: Int) {
        switch published.rows[r][c] {
        case let .count(n):
            require(!policy.isSmall(value), "a count of \(value) (fewer than \(k)) was published")
            require(n == policy.rounded(value), "count \(value) published as \(n)")
            require(base == nil || n % base! == 0, "count \(n) is not a multiple of \(base!)")
            known[slot] = true
        case .suppressed: suppressed[slot] = true
        default: failure("a count cell became \(published.rows[r][c])")
        }
    }
    /// Totals published elsewhere in the report (a one-way breakdown with the grand total): known, but for those
    /// the policy suppresses there — 1 to k − 1 and, when exactly one non-empty total is that small, the smallest
    /// other non-empty one with it (else it would be the grand total minus the others). The least it can hide there,
    /// so the most a reader can know.
    func elsewhere(_ base: Int, truths: [Int]) {
        var hidden = truths.map { policy.isSmall($0) }
        if hidden.filter({ $0 }).count == 1,
           let smallest = truths.indices.filter({ !hidden[$0] && truths[$0] > 0 }).min(by: { (truths[$0], $0) < (truths[$1], $1) }) {
            hidden[smallest] = true
        }
        for (i, h) in hidden.enumerated() { known[base + i] = !h }
    }
    for r in 0..<rows {
        require(published.rows[r][0] == .text("row \(r)"), "a label changed")
        for c in 0..<columns {
            if withheld.contains(r * columns + c) {
                require(published.rows[r][c + 1] == .suppressed, "a withheld cell was published")
            } else {
                read(r * columns + c, at: r, c + 1, truth: truth[r][c])
            }
        }
        if let totalColumn { read(rowBase + r, at: r, totalColumn, truth: rowTotals[r]) }
    }
    if totalColumn == nil && rowTotalsPublished { elsewhere(rowBase, truths: rowTotals) }
    for c in 0..<columns {
        if let totalRow { read(columnBase + c, at: totalRow, c + 1, truth: columnTotals[c]) }
    }
    if totalRow == nil && columnTotalsPublished { elsewhere(columnBase, truths: columnTotals) }
    if let totalRow, let totalColumn { read(grandSlot, at: totalRow, totalColumn, truth: grand) }
    else if rowTotalsPublished || columnTotalsPublished { known[grandSlot] = !policy.isSmall(grand) }

    // The system over the unknowns: each equation's coefficients on the unknown slots (+1 a part, −1 its total).
    let unknowns = (0...grandSlot).filter { !known[$0] }
    guard !unknowns.isEmpty else { return 0 }
    let position = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
    var equations: [[(slot: Int, coefficient: Int)]] = []
    for r in 0..<rows { equations.append((0..<columns).map { (r * columns + $0, 1) } + [(rowBase + r, -1)]) }
    for c in 0..<columns { equations.append((0..<rows).map { ($0 * columns + c, 1) } + [(columnBase + c, -1)]) }
    equations.append((0..<rows).map { (rowBase + $0, 1) } + [(grandSlot, -1)])
    equations.append((0..<columns).map { (columnBase + $0, 1) } + [(grandSlot, -1)])
    let matrix = equations.map { equation -> [Int] in
        var row = [Int](repeating: 0, count: unknowns.count)
        for term in equation { if let p = position[term.slot] { row[p] += term.coefficient } }
        return row
    }
    // Every count of 1 to k − 1 people (suppressed or withheld) must stay unknown. So must every cell suppressed in
    // addition — unless the table relies on totals published elsewhere: it cannot withhold those, and a cell whose
    // value they give away (its line's other cells all empty, say) is no secret the table could keep.
    let reliesOnOtherTables = (rowTotalsPublished && !hasRowTotalColumn) || (columnTotalsPublished && !hasColumnTotalRow)
        || ((rowTotalsPublished || columnTotalsPublished) && !(hasRowTotalColumn && hasColumnTotalRow)) // the grand total
    let values = truth.flatMap { $0 } + rowTotals + columnTotals + [grand]
    for slot in ExactRowSpace(matrix).unitVectors().map({ unknowns[$0] })
    where withheld.contains(slot) || (suppressed[slot] && (policy.isSmall(values[slot]) || !reliesOnOtherTables)) {
        // To read a finding: `FUZZ_SHOW=1 Fuzz/.build/fuzz-disclosure FILE` prints the table before and after.
        if getenv("FUZZ_SHOW") != nil {
            print("k = \(k), rounding \(base.map(String.init) ?? "none"), row totals \(hasRowTotalColumn ? "shown" : rowTotalsPublished ? "elsewhere" : "unpublished"), column totals \(hasColumnTotalRow ? "shown" : columnTotalsPublished ? "elsewhere" : "unpublished")")
            print("truth (withheld marked *):")
            for r in 0..<rows { print((0..<columns).map { c in "\(truth[r][c])\(withheld.contains(r * columns + c) ? "*" : "")" }.joined(separator: "\t") + "\t| \(rowTotals[r])") }
            print(columnTotals.map(String.init).joined(separator: "\t") + "\t| \(grand)")
            print("published:")
            for row in published.rows { print(row.dropFirst().map { if case let .count(n) = $0 { "\(n)" } else if $0 == .suppressed { "x" } else { "?" } }.joined(separator: "\t")) }
            print("known elsewhere: row totals \((0..<rows).map { known[rowBase + $0] }), column totals \((0..<columns).map { known[columnBase + $0] }), grand \(known[grandSlot])")
            fflush(stdout)
        }
        let name = slot < rowBase ? "cell (\(slot / columns), \(slot % columns))" : slot < columnBase ? "row total \(slot - rowBase)"
            : slot < grandSlot ? "column total \(slot - columnBase)" : "the grand total"
        failure("suppressed \(name) can be worked out from the published cells and totals")
    }
    return 0
}

/// The row space of an integer matrix, in reduced row-echelon form by fraction-free Gauss–Jordan elimination
/// (every row kept as integers divided by their gcd; overflow traps, so an answer is exact or there is none).
struct ExactRowSpace {
    private(set) var rows: [[Int]]
    private(set) var pivots: [Int] = []

    init(_ matrix: [[Int]]) {
        rows = matrix.filter { $0.contains { $0 != 0 } }
        let width = matrix.first?.count ?? 0
        var r = 0
        for c in 0..<width where r < rows.count {
            guard let p = (r..<rows.count).first(where: { rows[$0][c] != 0 }) else { continue }
            rows.swapAt(r, p)
            for i in rows.indices where i != r && rows[i][c] != 0 {
                let a = rows[r][c], b = rows[i][c]
                rows[i] = Self.normalised(zip(rows[i], rows[r]).map { x, y in a * x - b * y })
            }
            rows[r] = Self.normalised(rows[r])
            pivots.append(c)
            r += 1
        }
        rows = Array(rows.prefix(r))
    }

    /// The columns j whose unit vector e_j lies in the row space: in reduced row-echelon form (unique), e_j is
    /// a combination of the rows only if some row is a multiple of e_j (its coefficients on the pivots decide).
    func unitVectors() -> [Int] {
        zip(rows, pivots).filter { row, pivot in row.indices.allSatisfy { $0 == pivot || row[$0] == 0 } }.map(\.1)
    }

    private static func normalised(_ row: [Int]) -> [Int] {
        let g = row.reduce(0) { gcd($0, abs($1)) }
        return g > 1 ? row.map { $0 / g } : row
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

/// `precondition` whose message survives `-O` (the fuzzer's report should say what broke).
private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}

/// `preconditionFailure` whose message survives `-O`.
private func failure(_ message: @autoclosure () -> String) -> Never { fatalError(message()) }
