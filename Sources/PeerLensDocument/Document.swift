/// The reader a report is written for.
public enum Audience: String, Sendable, Codable, CaseIterable {
    /// A platform's safety team: thresholds, calibration, disparities, crisis response, moderation.
    case safety
    /// Researchers: cohort, methods, limitations and the research analyses.
    case research
    /// Funders: SDG headline figures in plain language.
    case funder
}

/// Everything PeerLens publishes — a command's result, an audience report, a notebook — as a typed document:
/// sections of prose, key figures, tables, charts, notes and lists. Built by one builder per analysis, made
/// safe by `DisclosurePolicy.apply(to:)`, and rendered by `ReportRenderer` as text, Markdown, HTML or JSON —
/// never strings glued together.
public struct ReportDocument: Sendable, Codable, Equatable {
    /// The title (`Safety report`, `Mood outcomes`, …).
    public var title: String
    /// Who it is for, when it is an audience report.
    public var audience: Audience?
    /// The registered command that produced it (`outcomes`, `risk`, …), when it is a command's output.
    public var command: String?
    /// A line under the title (data period, store), if any.
    public var subtitle: String?
    /// Where the figures came from: tool, store fingerprint, command, time, disclosure threshold.
    public var provenance: Provenance
    /// The disclosure policy the document was (or will be) made safe with.
    public var disclosure: DisclosurePolicy
    /// The sections, in reading order.
    public var sections: [Section]
    /// Results also published as top-level JSON objects (only the JSON renderer writes them; their figures
    /// are in the sections too).
    public var records: [FigureRecord] = []

    enum CodingKeys: String, CodingKey { case title, audience, command, subtitle, provenance, disclosure, sections }

    /// Creates a document.
    public init(title: String, audience: Audience? = nil, command: String? = nil, subtitle: String? = nil, provenance: Provenance,
                disclosure: DisclosurePolicy, sections: [Section], records: [FigureRecord] = []) {
        self.records = records
        self.title = title
        self.audience = audience
        self.command = command
        self.subtitle = subtitle
        self.provenance = provenance
        self.disclosure = disclosure
        self.sections = sections
    }
}

/// A section with a heading, its blocks, and subsections (rendered one heading level deeper).
public struct Section: Sendable, Codable, Equatable {
    /// The heading.
    public var heading: String
    /// A stable anchor (lower-case letters, digits and hyphens), derived from the heading unless given.
    public var id: String
    /// The content, in order.
    public var blocks: [Block]
    /// Subsections.
    public var subsections: [Section]
    /// What the section is for, when it is not an ordinary section (`nil`).
    public var role: Role?

    /// The part a section plays in its document.
    public enum Role: String, Sendable, Codable {
        /// The answer first: a report's opening summary, shown before the contents in a box (HTML) so that it
        /// is on the reader's first screen.
        case summary
    }

    /// Creates a section; `id` defaults to a slug of `heading`.
    public init(_ heading: String, id: String? = nil, blocks: [Block] = [], subsections: [Section] = [], role: Role? = nil) {
        self.heading = heading
        self.id = id ?? Section.slug(heading)
        self.blocks = blocks
        self.subsections = subsections
        self.role = role
    }

    /// `Crisis response (KM)` → `crisis-response-km`: ASCII letters and digits, other runs become one hyphen.
    public static func slug(_ text: String) -> String {
        var out = ""
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                if pendingHyphen && !out.isEmpty { out.append("-") }
                pendingHyphen = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingHyphen = true
            }
        }
        return out.isEmpty ? "section" : out
    }
}

/// One block of content.
public enum Block: Sendable, Codable, Equatable {
    /// A paragraph of plain text runs.
    case paragraph(Paragraph)
    /// Headline figures, each with its interval and tag.
    case keyFigures([KeyFigure])
    /// A table with units and intervals.
    case table(Table)
    /// A chart (always also available as its data table).
    case chart(Chart)
    /// A note or caveat.
    case note(Note)
    /// A bulleted (or numbered) list of plain-text items.
    case list(ListBlock)
    /// Preformatted text shown exactly as it is (a command line, a command's text output).
    case code(CodeBlock)

    /// A paragraph of plain text.
    public static func text(_ text: String) -> Block { .paragraph(Paragraph(text)) }

    enum CodingKeys: String, CodingKey { case kind, paragraph, keyFigures = "key_figures", table, chart, note, list, code }

    /// Encodes as `{"kind": "table", "table": {…}}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .paragraph(p): try c.encode("paragraph", forKey: .kind); try c.encode(p, forKey: .paragraph)
        case let .keyFigures(f): try c.encode("key_figures", forKey: .kind); try c.encode(f, forKey: .keyFigures)
        case let .table(t): try c.encode("table", forKey: .kind); try c.encode(t, forKey: .table)
        case let .chart(ch): try c.encode("chart", forKey: .kind); try c.encode(ch, forKey: .chart)
        case let .note(n): try c.encode("note", forKey: .kind); try c.encode(n, forKey: .note)
        case let .list(l): try c.encode("list", forKey: .kind); try c.encode(l, forKey: .list)
        case let .code(b): try c.encode("code", forKey: .kind); try c.encode(b, forKey: .code)
        }
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "paragraph": self = .paragraph(try c.decode(Paragraph.self, forKey: .paragraph))
        case "key_figures": self = .keyFigures(try c.decode([KeyFigure].self, forKey: .keyFigures))
        case "table": self = .table(try c.decode(Table.self, forKey: .table))
        case "chart": self = .chart(try c.decode(Chart.self, forKey: .chart))
        case "note": self = .note(try c.decode(Note.self, forKey: .note))
        case "list": self = .list(try c.decode(ListBlock.self, forKey: .list))
        case "code": self = .code(try c.decode(CodeBlock.self, forKey: .code))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown block kind '\(other)'")
        }
    }
}

/// A run of plain text, optionally emphasised. Text is never markup: renderers escape it.
public struct TextRun: Sendable, Codable, Equatable {
    /// How a run is emphasised.
    public enum Emphasis: String, Sendable, Codable { case none, emphasis, strong }
    /// The text.
    public var text: String
    /// Its emphasis.
    public var emphasis: Emphasis

    /// Creates a run.
    public init(_ text: String, emphasis: Emphasis = .none) {
        self.text = text
        self.emphasis = emphasis
    }
}

/// A paragraph: text runs, rendered in order.
public struct Paragraph: Sendable, Codable, Equatable {
    /// The runs.
    public var runs: [TextRun]
    /// A paragraph of one plain run.
    public init(_ text: String) { runs = [TextRun(text)] }
    /// A paragraph of several runs.
    public init(runs: [TextRun]) { self.runs = runs }
    /// The text without emphasis.
    public var plainText: String { runs.map(\.text).joined() }
}

/// A headline figure: a label, the value as text, its interval in words or numbers, a tag (e.g. `SDG 3.4`).
public struct KeyFigure: Sendable, Codable, Equatable {
    /// What the figure is (`Recommended threshold`).
    public var label: String
    /// The value as it is shown (`0.42`, `41%`); replaced by `withheld` when `basis` is below the threshold.
    public var value: String
    /// The interval, as text (`95% CI 0.38–0.47`, `between 38% and 45%`), if any.
    public var interval: String?
    /// A tag such as `SDG 3.4`, if any.
    public var tag: String?
    /// A sentence that says what the figure means, if any.
    public var note: String?
    /// The number of people (or cases) the figure rests on, when disclosure control applies to it.
    public var basis: Int?
    /// The figure is itself this count of people (shown as `value`): suppressed when small, rounded when the
    /// policy rounds counts.
    public var count: Int?
    /// Whether the figure was withheld by disclosure control.
    public var suppressed: Bool
    /// Why the figure cannot be estimated (`fewer than 10 positives`), when it cannot: not disclosure control.
    public var notEvaluable: String?

    enum CodingKeys: String, CodingKey { case label, value, interval, tag, note, basis, count, suppressed, notEvaluable = "not_evaluable" }

    /// Creates a figure.
    public init(label: String, value: String, interval: String? = nil, tag: String? = nil, note: String? = nil, basis: Int? = nil,
                count: Int? = nil, suppressed: Bool = false, notEvaluable: String? = nil) {
        self.label = label
        self.value = value
        self.interval = interval
        self.tag = tag
        self.note = note
        self.basis = basis
        self.count = count
        self.suppressed = suppressed
        self.notEvaluable = notEvaluable
    }

    /// A figure that cannot be estimated, saying why (`fewer than 10 positives`).
    public static func notEvaluable(label: String, reason: String, tag: String? = nil) -> KeyFigure {
        KeyFigure(label: label, value: "not evaluable", tag: tag, note: "Not evaluable: \(reason).", notEvaluable: reason)
    }
}

/// How a number is shown: fixed decimals, never locale-dependent.
public enum NumberFormat: Sendable, Codable, Equatable {
    /// An integer with thousands separators (`12,345`).
    case integer
    /// Fixed decimals (`0.734`).
    case decimal(Int)
    /// A proportion shown as a percentage with fixed decimals (`0.4123` → `41.2%`).
    case percent(Int)
    /// Fixed decimals with an explicit sign (`+1.25`, `−0.50`).
    case signed(Int)
    /// A signed proportion as percentage points (`+4.1 pp`).
    case percentagePoints(Int)

    enum CodingKeys: String, CodingKey { case style, places }

    /// Encodes as `{"style": "percent", "places": 1}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .integer: try c.encode("integer", forKey: .style); try c.encode(0, forKey: .places)
        case let .decimal(d): try c.encode("decimal", forKey: .style); try c.encode(d, forKey: .places)
        case let .percent(d): try c.encode("percent", forKey: .style); try c.encode(d, forKey: .places)
        case let .signed(d): try c.encode("signed", forKey: .style); try c.encode(d, forKey: .places)
        case let .percentagePoints(d): try c.encode("percentage_points", forKey: .style); try c.encode(d, forKey: .places)
        }
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = try c.decode(Int.self, forKey: .places)
        switch try c.decode(String.self, forKey: .style) {
        case "integer": self = .integer
        case "decimal": self = .decimal(d)
        case "percent": self = .percent(d)
        case "signed": self = .signed(d)
        case "percentage_points": self = .percentagePoints(d)
        case let other: throw DecodingError.dataCorruptedError(forKey: .style, in: c, debugDescription: "unknown number style '\(other)'")
        }
    }
}

/// A number in a table, with its format, optional interval, and what it rests on for disclosure control.
public struct NumberCell: Sendable, Codable, Equatable {
    /// The value (finite; non-finite values are refused by `DisclosurePolicy.apply(to:)`).
    public var value: Double
    /// How it is shown.
    public var format: NumberFormat
    /// Interval bounds, if any.
    public var lower: Double?
    /// Upper bound.
    public var upper: Double?
    /// The count of people (or cases) the value rests on: below the threshold, the value is withheld.
    public var basis: Int?
    /// A count cell in the same table this value is derived from (a percentage of it): when that cell is
    /// suppressed, this one is too, so that it cannot reveal it.
    public var derivedFrom: CellReference?
    /// When the value is a share `numerator / basis` of people: the numerator. With the denominator published
    /// (or worked out), a share reveals its numerator and the complement `basis − numerator`, so the value is
    /// withheld when either is a small count.
    public var numerator: Int?

    enum CodingKeys: String, CodingKey { case value, format, lower, upper, basis, derivedFrom = "derived_from", numerator }

    /// Creates a number.
    public init(_ value: Double, format: NumberFormat, lower: Double? = nil, upper: Double? = nil, basis: Int? = nil,
                derivedFrom: CellReference? = nil, numerator: Int? = nil) {
        self.value = value
        self.format = format
        self.lower = lower
        self.upper = upper
        self.basis = basis
        self.derivedFrom = derivedFrom
        self.numerator = numerator
    }
}

/// A cell's position in a table's `rows`.
public struct CellReference: Sendable, Codable, Equatable, Hashable {
    /// Row index.
    public var row: Int
    /// Column index.
    public var column: Int
    /// Creates a reference.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

/// A table cell.
public enum Cell: Sendable, Codable, Equatable {
    /// Text (a group name, a label, `n/a`).
    case text(String)
    /// A count of people or events: subject to the disclosure threshold.
    case count(Int)
    /// A number with its format and interval.
    case number(NumberCell)
    /// Withheld by disclosure control: too few people to publish. The threshold is said in the table's notes.
    case suppressed
    /// Not evaluable: the group exists and may be published, but the statistic cannot be estimated (for
    /// example fewer than m positives for a sensitivity). The reason (`fewer than 10 positives`) is kept; it is
    /// not disclosure control and is never worded as such.
    case notEvaluable(String)
    /// No value (not applicable, not computed): shown as `–`.
    case empty

    enum CodingKeys: String, CodingKey { case kind, text, value, number, reason }

    /// Encodes as `{"kind": "count", "value": 12}` and so on.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .text(t): try c.encode("text", forKey: .kind); try c.encode(t, forKey: .text)
        case let .count(n): try c.encode("count", forKey: .kind); try c.encode(n, forKey: .value)
        case let .number(n): try c.encode("number", forKey: .kind); try c.encode(n, forKey: .number); try c.encode(Formatter.cell(self), forKey: .text)
        case .suppressed: try c.encode("suppressed", forKey: .kind)
        case let .notEvaluable(reason): try c.encode("not_evaluable", forKey: .kind); try c.encode(reason, forKey: .reason)
        case .empty: try c.encode("empty", forKey: .kind)
        }
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "text": self = .text(try c.decode(String.self, forKey: .text))
        case "count": self = .count(try c.decode(Int.self, forKey: .value))
        case "number": self = .number(try c.decode(NumberCell.self, forKey: .number))
        case "suppressed": self = .suppressed
        case "not_evaluable": self = .notEvaluable(try c.decode(String.self, forKey: .reason))
        case "empty": self = .empty
        case let other: throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown cell kind '\(other)'")
        }
    }
}

/// A table column: heading, unit, alignment.
public struct Column: Sendable, Codable, Equatable {
    /// Alignment of a column's cells.
    public enum Alignment: String, Sendable, Codable { case left, right }
    /// The heading.
    public var heading: String
    /// The unit of its values (`alerts/day`, `%`, `minutes`), shown with the heading.
    public var unit: String?
    /// Alignment (numbers right).
    public var alignment: Alignment

    /// Creates a column; numbers should be `.right`.
    public init(_ heading: String, unit: String? = nil, alignment: Alignment = .right) {
        self.heading = heading
        self.unit = unit
        self.alignment = alignment
    }

    /// The heading with its unit: `Alerts per day (alerts/day)`.
    public var title: String { unit.map { "\(heading) (\($0))" } ?? heading }
}

/// A block of count cells whose row and column totals are published, so that complementary suppression must
/// keep every suppressed cell from being recovered by subtraction (`DisclosureControl.twoWaySuppression`).
public struct MarginGroup: Sendable, Codable, Equatable {
    /// Rows of the interior cells.
    public var rows: [Int]
    /// Columns of the interior cells.
    public var columns: [Int]
    /// The column holding each row's total, if this table shows them.
    public var rowTotalColumn: Int?
    /// The row holding each column's total, if this table shows them.
    public var columnTotalRow: Int?
    /// Whether each row's total is published (in `rowTotalColumn` or elsewhere in the report).
    public var rowTotalsPublished: Bool
    /// Whether each column's total is published (in `columnTotalRow` or elsewhere in the report).
    public var columnTotalsPublished: Bool

    enum CodingKeys: String, CodingKey {
        case rows, columns, rowTotalColumn = "row_total_column", columnTotalRow = "column_total_row"
        case rowTotalsPublished = "row_totals_published", columnTotalsPublished = "column_totals_published"
    }

    /// Creates a margin group. Row totals count as published when the table shows them; column totals count
    /// as published unless `columnTotalsPublished` is false — a one-way breakdown's total is usually printed
    /// somewhere in the report.
    public init(rows: [Int], columns: [Int], rowTotalColumn: Int? = nil, columnTotalRow: Int? = nil,
                rowTotalsPublished: Bool? = nil, columnTotalsPublished: Bool = true) {
        self.rows = rows
        self.columns = columns
        self.rowTotalColumn = rowTotalColumn
        self.columnTotalRow = columnTotalRow
        self.rowTotalsPublished = rowTotalsPublished ?? (rowTotalColumn != nil)
        self.columnTotalsPublished = columnTotalsPublished
    }
}

/// A table: caption, columns with units, rows of cells, notes.
public struct Table: Sendable, Codable, Equatable {
    /// The caption (what the table shows).
    public var caption: String
    /// Columns.
    public var columns: [Column]
    /// Rows of cells, one per column.
    public var rows: [[Cell]]
    /// Whether the first column names the row (rendered as a row header).
    public var rowHeaders: Bool
    /// Notes under the table (sources, definitions, what was suppressed).
    public var notes: [String]
    /// Count blocks with published margins (complementary suppression).
    public var margins: [MarginGroup]
    /// Whether counts in this table are of people or of cases about people (subject to disclosure control);
    /// false for counts of, e.g., candidate thresholds.
    public var disclosive: Bool
    /// A working view outside disclosure control (raw counts for the safety team's own use): published only
    /// when the policy allows internal use (`--internal`), and then labelled as such; dropped otherwise.
    public var internalOnly: Bool

    enum CodingKeys: String, CodingKey {
        case caption, columns, rows, rowHeaders = "row_headers", notes, margins, disclosive, internalOnly = "internal_only"
    }

    /// Creates a table.
    public init(caption: String, columns: [Column], rows: [[Cell]], rowHeaders: Bool = true, notes: [String] = [],
                margins: [MarginGroup] = [], disclosive: Bool = true, internalOnly: Bool = false) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.rowHeaders = rowHeaders
        self.notes = notes
        self.margins = margins
        self.disclosive = disclosive
        self.internalOnly = internalOnly
    }
}

/// A note or caveat.
public struct Note: Sendable, Codable, Equatable {
    /// What kind of note.
    public enum Kind: String, Sendable, Codable { case note, caveat, disclosure }
    /// Its kind.
    public var kind: Kind
    /// Its text.
    public var text: String
    /// Creates a note.
    public init(_ text: String, kind: Kind = .note) {
        self.text = text
        self.kind = kind
    }
}

/// A list of plain-text items.
public struct ListBlock: Sendable, Codable, Equatable {
    /// The items.
    public var items: [String]
    /// Numbered rather than bulleted.
    public var ordered: Bool
    /// Creates a list.
    public init(_ items: [String], ordered: Bool = false) {
        self.items = items
        self.ordered = ordered
    }
}

/// Preformatted text: rendered verbatim (escaped) in a fenced block in Markdown and a `<pre>` in HTML.
public struct CodeBlock: Sendable, Codable, Equatable {
    /// The text, lines separated by newlines.
    public var text: String
    /// What the text is (`peerlens` for notebook commands, `text` for output), if known: letters, digits,
    /// `-` and `_` only are kept by the renderers.
    public var language: String?
    /// Creates a block.
    public init(_ text: String, language: String? = nil) {
        self.text = text
        self.language = language
    }

    /// `language` reduced to ASCII letters, digits, `-` and `_` (nil when nothing is left), safe as a fence
    /// info string and a class name.
    public var safeLanguage: String? {
        guard let language else { return nil }
        let kept = String(language.unicodeScalars.filter { s in
            (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_"
        }.map(Character.init))
        return kept.isEmpty ? nil : kept
    }
}
