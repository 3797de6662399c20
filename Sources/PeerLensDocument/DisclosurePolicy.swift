import PeerLensStats

/// Why a disclosure policy cannot be made (a threshold or rounding the policy does not allow).
public struct DisclosureError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A sentence a person understands.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// The one disclosure policy every published number passes: `ReportRenderer.render` applies it before any
/// renderer writes text, Markdown, HTML or JSON, for command output, audience reports and notebooks alike.
///
/// - a count of people (or of cases about people) from 1 to k − 1 is suppressed, k = 11 by default (the CMS
///   cell-size rule: counts of 1 to 10 are never published); zeros are publishable (an empty cell hides nobody);
/// - complementary suppression: in a table's `MarginGroup`s, more cells are suppressed until none can be
///   recovered from the row and column totals (`DisclosureControl.twoWaySuppression`); a table without margin
///   groups has its count cells checked one by one, and the builder is responsible for declaring margins
///   wherever its counts add up to a published total;
/// - a number resting on fewer than k people (`NumberCell.basis`), or derived from a suppressed count
///   (`NumberCell.derivedFrom`, e.g. its percentage), is withheld with its interval: a rate over fewer than k
///   people is not published even when its numerator is 0; so is a key figure whose `basis` or `count` is
///   small, and a chart point whose `count` is (with complementary suppression over each series' counts,
///   which may add up to a published total);
/// - optionally (`roundingBase`, e.g. 5 as in NHS practice) every published count is rounded to the nearest
///   multiple of the base after suppression, totals independently of their cells;
/// - tables marked `internalOnly` (raw working views) are dropped unless `internalUse` is set, and the whole
///   document then says it is for internal use;
/// - every table, chart and figure list that lost something says so in a note, in words that keep "suppressed"
///   (too few people to publish) apart from "not evaluable" (too few cases to estimate).
public struct DisclosurePolicy: Sendable, Codable, Equatable {
    /// The default minimum cell count, k = 11: counts of 1 to 10 are suppressed.
    public static let defaultThreshold = 11
    /// Counts from 1 to `threshold − 1` are suppressed.
    public let threshold: Int
    /// Whether `threshold` is below the default because the user asked for it explicitly.
    public let lowered: Bool
    /// Published counts are rounded to the nearest multiple of this (nil: not rounded).
    public let roundingBase: Int?
    /// Whether working views outside disclosure control (`Table.internalOnly`) may be published.
    public let internalUse: Bool

    /// A policy with minimum cell count `threshold`. A threshold below the default needs `allowLowering`
    /// (the output then states it was lowered).
    ///
    /// - Throws: `DisclosureError` for a threshold below 1, below 11 without `allowLowering`, or a rounding
    ///   base below 2.
    public init(threshold: Int = DisclosurePolicy.defaultThreshold, allowLowering: Bool = false, roundingBase: Int? = nil,
                internalUse: Bool = false) throws(DisclosureError) {
        guard threshold >= 1 else { throw DisclosureError("the minimum cell count must be at least 1") }
        guard threshold >= Self.defaultThreshold || allowLowering else {
            throw DisclosureError("a minimum cell count below \(Self.defaultThreshold) (counts of 1 to \(Self.defaultThreshold - 1) people are never published by default) needs --allow-lower-min-cell, and the output then says it was lowered")
        }
        if let roundingBase { guard roundingBase >= 2 else { throw DisclosureError("counts can be rounded to a multiple of 2 or more (5 is the NHS practice)") } }
        self.threshold = threshold
        self.lowered = threshold < Self.defaultThreshold
        self.roundingBase = roundingBase
        self.internalUse = internalUse
    }

    /// The default policy (k = 11, no rounding, no internal views).
    public static let standard = try! DisclosurePolicy()

    /// The policy in a sentence, printed in every output.
    public var description: String {
        var text = threshold > 1
            ? "Counts of 1 to \(threshold - 1) people are suppressed, with further cells suppressed where a suppressed one could otherwise be worked out from the totals; percentages, rates and intervals resting on fewer than \(threshold) people, or on a suppressed count, are withheld too."
            : "No count is suppressed (minimum cell count 1)."
        if lowered { text += " The minimum cell count was lowered from \(Self.defaultThreshold) to \(threshold) by an explicit option of the person who ran the report." }
        if let roundingBase { text += " Published counts are rounded to the nearest multiple of \(roundingBase), totals independently of their parts, so columns may not add up." }
        if internalUse { text += " For internal use: working views outside disclosure control (raw counts) are included and labelled; do not publish them." }
        return text
    }

    enum CodingKeys: String, CodingKey { case threshold, lowered, description, roundingBase = "rounding_base", internalUse = "internal_use" }

    /// Encodes the threshold, whether it was lowered, rounding, internal use, and the policy in words.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(lowered, forKey: .lowered)
        try c.encodeIfPresent(roundingBase, forKey: .roundingBase)
        try c.encode(internalUse, forKey: .internalUse)
        try c.encode(description, forKey: .description)
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(threshold: try c.decode(Int.self, forKey: .threshold), allowLowering: try c.decode(Bool.self, forKey: .lowered),
                      roundingBase: try c.decodeIfPresent(Int.self, forKey: .roundingBase),
                      internalUse: try c.decodeIfPresent(Bool.self, forKey: .internalUse) ?? false)
    }

    /// The policy as provenance options: `min_cell`, and `round_to` and `internal` when set.
    public var provenanceOptions: [String: String] {
        var o = ["min_cell": "\(threshold)"]
        if let roundingBase { o["round_to"] = "\(roundingBase)" }
        if internalUse { o["internal"] = "true" }
        return o
    }

    /// Whether a count must be withheld (1 ≤ n < k; zero hides nobody).
    public func isSmall(_ n: Int) -> Bool { n > 0 && n < threshold }

    /// Whether a rate or mean over `n` people must be withheld (n < k, zero included: a rate over nobody is no
    /// figure, and one over a few people discloses them).
    public func isTooFewForRate(_ n: Int) -> Bool { n < threshold }

    /// Whether a number would reveal a count its row publishes as suppressed: a share's interval gives away its
    /// denominator (the Wilson bounds of 0/n determine n) and its value the numerator, so a number whose basis,
    /// numerator or complement equals a count of its row that the policy withheld is withheld too.
    func revealsSuppressedCount(_ n: NumberCell, row r: Int, original: Table, published: Table) -> Bool {
        let values = [n.basis, n.numerator, n.basis.flatMap { b in n.numerator.map { b - $0 } }].compactMap { $0 }.filter { $0 > 0 }
        guard !values.isEmpty, r < original.rows.count, r < published.rows.count else { return false }
        for (c, cell) in original.rows[r].enumerated() where c < published.rows[r].count && published.rows[r][c] == .suppressed {
            if case let .count(k) = cell, values.contains(k) { return true }
        }
        return false
    }

    /// Whether a share would reveal a small count: its numerator, or its complement within the basis.
    public func revealsSmallCount(_ n: NumberCell) -> Bool {
        guard let k = n.numerator else { return false }
        return isSmall(k) || n.basis.map { isSmall($0 - k) } == true
    }

    /// A published count: `n` rounded to the nearest multiple of the rounding base (halves up), or `n`.
    public func rounded(_ n: Int) -> Int {
        guard let b = roundingBase, n > 0 else { return n }
        return ((n + b / 2) / b) * b
    }

    /// A count for prose: the number (rounded if the policy rounds), or `fewer than k`.
    public func describe(count n: Int) -> String { isSmall(n) ? "fewer than \(threshold)" : Formatter.grouped(rounded(n)) }

    /// The wording of a suppressed cell's reason: `fewer than 11 people`.
    public var suppressedReason: String { "fewer than \(threshold) people" }

    /// The document with the policy applied to every table, chart and key figure (idempotent).
    public func apply(to document: ReportDocument) -> ReportDocument {
        var d = document
        d.disclosure = self
        d.sections = d.sections.map(apply(to:))
        d.records = d.records.map(apply(to:))
        return d
    }

    /// A section with the policy applied; internal-only tables are dropped unless internal use is allowed.
    public func apply(to section: Section) -> Section {
        var s = section
        s.blocks = s.blocks.compactMap { block in
            switch block {
            case let .table(t):
                if t.internalOnly { return internalUse ? .table(labelInternal(t)) : nil }
                return .table(apply(to: t))
            case let .chart(c): return .chart(apply(to: c))
            case let .keyFigures(f): return .keyFigures(f.map(apply(to:)))
            default: return block
            }
        }
        s.subsections = s.subsections.map(apply(to:))
        return s
    }

    /// An internal-only table as published under `--internal`: unchanged but for a note saying what it is.
    func labelInternal(_ table: Table) -> Table {
        var t = table
        let note = "For internal use only: this working view is not under disclosure control (raw counts, small ones included)."
        if !t.notes.contains(note) { t.notes.insert(note, at: 0) }
        return t
    }

    /// A key figure with the policy applied.
    public func apply(to figure: KeyFigure) -> KeyFigure {
        guard !figure.suppressed, figure.notEvaluable == nil else { return figure }
        if let n = figure.basis, isTooFewForRate(n) || figure.count.map(isSmall) == true {
            return KeyFigure(label: figure.label, value: "suppressed", interval: nil, tag: figure.tag,
                             note: "Suppressed: it rests on \(suppressedReason).", basis: nil, suppressed: true)
        }
        if let n = figure.count {
            if isSmall(n) {
                return KeyFigure(label: figure.label, value: "suppressed", interval: nil, tag: figure.tag,
                                 note: "Suppressed: \(suppressedReason).", basis: nil, suppressed: true)
            }
            var f = figure
            if roundingBase != nil { f.value = Formatter.grouped(rounded(n)); f.count = rounded(n) }
            return f
        }
        return figure
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
            if roundingBase != nil { s.points = s.points.map { p in var p = p; p.count = p.count.map(rounded); return p } }
            return s
        }
        c.markers = c.markers.filter { ($0.x?.isFinite ?? true) && ($0.y?.isFinite ?? true) }
        if withheld > 0 {
            c.notes.append("\(withheld) point\(withheld == 1 ? "" : "s") resting on \(suppressedReason) (or withheld with one that does, so that its count cannot be worked out from the total) \(withheld == 1 ? "is" : "are") left out.")
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
        var derived = 0, nonFinite = 0, notEvaluable: [String] = []
        for r in t.rows.indices {
            for c in t.rows[r].indices {
                if case let .notEvaluable(reason) = t.rows[r][c], !notEvaluable.contains(reason) { notEvaluable.append(reason) }
                guard case let .number(n) = t.rows[r][c] else { continue }
                if !n.value.isFinite { t.rows[r][c] = .empty; nonFinite += 1; continue }
                var cell = n
                if let l = cell.lower, !l.isFinite { cell.lower = nil; cell.upper = nil }
                if let u = cell.upper, !u.isFinite { cell.lower = nil; cell.upper = nil }
                t.rows[r][c] = .number(cell)
                guard t.disclosive else { continue }
                if let b = n.basis, isTooFewForRate(b) { t.rows[r][c] = .suppressed; derived += 1; continue }
                if revealsSmallCount(n) { t.rows[r][c] = .suppressed; derived += 1; continue }
                if revealsSuppressedCount(n, row: r, original: table, published: t) { t.rows[r][c] = .suppressed; derived += 1; continue }
                if let ref = n.derivedFrom, ref.row < t.rows.count, ref.column < t.rows[ref.row].count, t.rows[ref.row][ref.column] == .suppressed {
                    t.rows[r][c] = .suppressed; derived += 1
                }
            }
        }
        if t.disclosive, roundingBase != nil {
            for r in t.rows.indices { for c in t.rows[r].indices { if case let .count(n) = t.rows[r][c] { t.rows[r][c] = .count(rounded(n)) } } }
        }
        var parts: [String] = []
        if primary > 0 { parts.append("\(primary) count\(primary == 1 ? "" : "s") of 1 to \(threshold - 1) people suppressed") }
        if secondary > 0 { parts.append("\(secondary) more suppressed so that none can be worked out from the totals") }
        if derived > 0 { parts.append("\(derived) figure\(derived == 1 ? "" : "s") resting on fewer than \(threshold) people, or on a suppressed count, withheld") }
        if !parts.isEmpty {
            let note = "Disclosure control: " + parts.joined(separator: "; ") + "."
            if !t.notes.contains(note) { t.notes.append(note) }
        }
        if t.disclosive, let b = roundingBase {
            let note = "Counts are rounded to the nearest multiple of \(b); totals are rounded independently."
            if !t.notes.contains(note) { t.notes.append(note) }
        }
        if !notEvaluable.isEmpty {
            let note = "Not evaluable (too few cases to estimate, not disclosure control): " + notEvaluable.joined(separator: "; ") + "."
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
        // Totals published elsewhere (no total column or row here) cannot be withheld by this table.
        let masks = DisclosureControl.twoWaySuppression(grid, threshold: threshold, rowTotalsPublished: g.rowTotalsPublished,
                                                        columnTotalsPublished: g.columnTotalsPublished,
                                                        rowTotalsShown: g.rowTotalColumn != nil, columnTotalsShown: g.columnTotalRow != nil)
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
