import PeerLensStats

/// Why a disclosure policy cannot be made.
public struct ReportError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A sentence a person understands.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// The one disclosure policy every renderer applies (`ReportRenderer` calls `apply(to:)` before writing):
///
/// - a count below `threshold` (and above 0: empty cells hide nobody) is suppressed;
/// - complementary suppression: in a table's `MarginGroup`s, more cells are suppressed until none can be
///   recovered from the row and column totals (`DisclosureControl.twoWaySuppression`); a table without margin
///   groups has its count cells checked one by one, and the builder is responsible for declaring margins
///   wherever its counts add up to a published total;
/// - a number resting on fewer than `threshold` cases (`NumberCell.basis`), or derived from a suppressed count
///   (`NumberCell.derivedFrom`, e.g. its percentage), is withheld with its interval; so is a key figure whose
///   `basis` is small, and a chart point whose `count` is (with complementary suppression over each series'
///   counts, which may add up to a published total);
/// - every table, chart and figure list that lost something says so in a note.
public struct DisclosurePolicy: Sendable, Codable, Equatable {
    /// The default minimum cell count, k = 10.
    public static let defaultThreshold = 10
    /// Counts below this are suppressed.
    public let threshold: Int
    /// Whether `threshold` is below the default because the user asked for it explicitly.
    public let lowered: Bool

    /// A policy with minimum cell count `threshold`. A threshold below the default needs `allowLowering`
    /// (the report then states it was lowered).
    ///
    /// - Throws: `ReportError` for a threshold below 1, or below 10 without `allowLowering`.
    public init(threshold: Int = DisclosurePolicy.defaultThreshold, allowLowering: Bool = false) throws {
        guard threshold >= 1 else { throw ReportError("the minimum cell count must be at least 1") }
        guard threshold >= Self.defaultThreshold || allowLowering else {
            throw ReportError("a minimum cell count below \(Self.defaultThreshold) needs the explicit flag that allows lowering it")
        }
        self.threshold = threshold
        self.lowered = threshold < Self.defaultThreshold
    }

    /// The policy in a sentence, printed in every report.
    public var description: String {
        "Counts below \(threshold) are suppressed, with further cells suppressed where a suppressed one could otherwise be worked out from the totals; "
            + "percentages and intervals of suppressed cells are withheld too."
            + (lowered ? " The minimum cell count was lowered from \(Self.defaultThreshold) to \(threshold) by an explicit option." : "")
    }

    enum CodingKeys: String, CodingKey { case threshold, lowered, description }

    /// Encodes the threshold, whether it was lowered, and the policy in words.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(lowered, forKey: .lowered)
        try c.encode(description, forKey: .description)
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(threshold: try c.decode(Int.self, forKey: .threshold), allowLowering: try c.decode(Bool.self, forKey: .lowered))
    }

    /// Whether a count must be withheld.
    public func isSmall(_ n: Int) -> Bool { n > 0 && n < threshold }

    /// A count for prose: the number, or `fewer than k`.
    public func describe(count n: Int) -> String { isSmall(n) ? "fewer than \(threshold)" : Formatter.grouped(n) }

    /// The document with the policy applied to every table, chart and key figure (idempotent).
    public func apply(to document: ReportDocument) -> ReportDocument {
        var d = document
        d.disclosure = self
        d.sections = d.sections.map(apply(to:))
        return d
    }

    /// A section with the policy applied.
    public func apply(to section: Section) -> Section {
        var s = section
        s.blocks = s.blocks.map { block in
            switch block {
            case let .table(t): .table(apply(to: t))
            case let .chart(c): .chart(apply(to: c))
            case let .keyFigures(f): .keyFigures(f.map(apply(to:)))
            default: block
            }
        }
        s.subsections = s.subsections.map(apply(to:))
        return s
    }

    /// A key figure with the policy applied.
    public func apply(to figure: KeyFigure) -> KeyFigure {
        guard let n = figure.basis, isSmall(n), !figure.suppressed else { return figure }
        return KeyFigure(label: figure.label, value: "withheld", interval: nil, tag: figure.tag,
                         note: "It rests on fewer than \(threshold) cases, so it is not shown.", basis: nil, suppressed: true)
    }

    /// A chart with points resting on small counts (or with non-finite coordinates) removed.
    public func apply(to chart: Chart) -> Chart {
        var c = chart
        var withheld = 0, nonFinite = 0
        c.series = c.series.map { s in
            var s = s
            s.points = s.points.filter { p in
                if !p.isFinite { nonFinite += 1; return false }
                return true
            }
            // A series' counts may add up to a published total (reliability bins to the reviewed messages):
            // complementary suppression over them, as for a one-way table.
            var counts: [String: Int] = [:]
            for (i, p) in s.points.enumerated() { if let n = p.count { counts[String(i)] = n } }
            let shown = DisclosureControl.complementarySuppression(counts, threshold: threshold)
            s.points = s.points.enumerated().filter { i, p in
                guard let n = p.count, n > 0, shown[String(i)] == nil else { return true }
                withheld += 1
                return false
            }.map(\.element)
            return s
        }
        c.markers = c.markers.filter { ($0.x?.isFinite ?? true) && ($0.y?.isFinite ?? true) }
        if withheld > 0 {
            c.notes.append("\(withheld) point\(withheld == 1 ? "" : "s") resting on fewer than \(threshold) cases (or withheld with one that does, so that its count cannot be worked out from the total) \(withheld == 1 ? "is" : "are") left out.")
        }
        if nonFinite > 0 { c.notes.append("\(nonFinite) point\(nonFinite == 1 ? "" : "s") without a finite value \(nonFinite == 1 ? "is" : "are") left out.") }
        return c
    }

    /// A table with the policy applied: primary, complementary and derived suppression, with a note.
    public func apply(to table: Table) -> Table {
        var t = table
        var primary = 0, secondary = 0
        if t.disclosive {
            var suppressed = Set<CellReference>()
            for (r, row) in t.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    if case let .count(n) = cell, isSmall(n) { suppressed.insert(CellReference(row: r, column: c)); primary += 1 }
                }
            }
            for group in t.margins {
                // Cells the analysis had withheld already are not counted as suppressed here.
                let extra = complementary(t, group, alreadySuppressed: suppressed).filter { ref in
                    if case .count = t.rows[ref.row][ref.column] { return true } else { return false }
                }
                secondary += extra.subtracting(suppressed).count
                suppressed.formUnion(extra)
            }
            for ref in suppressed where ref.row < t.rows.count && ref.column < t.rows[ref.row].count { t.rows[ref.row][ref.column] = .suppressed }
        }
        var derived = 0, nonFinite = 0
        for r in t.rows.indices {
            for c in t.rows[r].indices {
                guard case let .number(n) = t.rows[r][c] else { continue }
                if !n.value.isFinite { t.rows[r][c] = .empty; nonFinite += 1; continue }
                var cell = n
                if let l = cell.lower, !l.isFinite { cell.lower = nil; cell.upper = nil }
                if let u = cell.upper, !u.isFinite { cell.lower = nil; cell.upper = nil }
                t.rows[r][c] = .number(cell)
                guard t.disclosive else { continue }
                if let b = n.basis, isSmall(b) { t.rows[r][c] = .suppressed; derived += 1; continue }
                if let ref = n.derivedFrom, ref.row < t.rows.count, ref.column < t.rows[ref.row].count, t.rows[ref.row][ref.column] == .suppressed {
                    t.rows[r][c] = .suppressed; derived += 1
                }
            }
        }
        var parts: [String] = []
        if primary > 0 { parts.append("\(primary) count\(primary == 1 ? "" : "s") below \(threshold) suppressed") }
        if secondary > 0 { parts.append("\(secondary) more suppressed so that none can be worked out from the totals") }
        if derived > 0 { parts.append("\(derived) figure\(derived == 1 ? "" : "s") resting on fewer than \(threshold) cases, or on a suppressed count, withheld") }
        if !parts.isEmpty {
            let note = "Disclosure control: " + parts.joined(separator: "; ") + "."
            if !t.notes.contains(note) { t.notes.append(note) }
        }
        if nonFinite > 0 { t.notes.append("\(nonFinite) value\(nonFinite == 1 ? "" : "s") could not be computed and \(nonFinite == 1 ? "is" : "are") shown as –.") }
        return t
    }

    /// Cells of a margin group to suppress (primary ones included), by two-way complementary suppression.
    func complementary(_ t: Table, _ g: MarginGroup, alreadySuppressed: Set<CellReference>) -> Set<CellReference> {
        func count(_ r: Int, _ c: Int) -> Int {
            guard r < t.rows.count, c < t.rows[r].count else { return 0 }
            switch t.rows[r][c] {
            case let .count(n): return n
            // Withheld by the analysis: its value is unknown here, but it is a small non-empty cell to protect.
            case .suppressed: return 1
            default: return 0
            }
        }
        let grid = g.rows.map { r in g.columns.map { c in count(r, c) } }
        let masks = DisclosureControl.twoWaySuppression(grid, threshold: threshold, rowTotalsPublished: g.rowTotalsPublished,
                                                        columnTotalsPublished: g.columnTotalsPublished)
        var out = Set<CellReference>()
        for (i, r) in g.rows.enumerated() {
            for (j, c) in g.columns.enumerated() where masks.cells[i][j] { out.insert(CellReference(row: r, column: c)) }
            if let tc = g.rowTotalColumn, masks.rowTotals[i] { out.insert(CellReference(row: r, column: tc)) }
        }
        if let tr = g.columnTotalRow {
            for (j, c) in g.columns.enumerated() where masks.columnTotals[j] { out.insert(CellReference(row: tr, column: c)) }
            if let tc = g.rowTotalColumn, masks.grandTotal { out.insert(CellReference(row: tr, column: tc)) }
        }
        return out
    }
}
