import Foundation

/// Output format of a published document.
public enum ReportFormat: String, Sendable, Codable, CaseIterable {
    /// Plain text for a terminal: aligned tables, no markup.
    case text
    /// GitHub-flavoured Markdown.
    case markdown = "md"
    /// One self-contained HTML file.
    case html
    /// JSON: the document model with sorted keys.
    case json
}

/// Renders a document. Every format goes through `render(_:format:)`, which applies the document's
/// disclosure policy first, so no renderer can publish what the policy withholds.
public enum ReportRenderer {
    /// The document in `format`, after `document.disclosure.apply(to:)`.
    ///
    /// - Throws: `EncodingError` from the JSON encoder (never for a document the policy has made safe).
    public static func render(_ document: ReportDocument, format: ReportFormat) throws -> String {
        var safe = document.disclosure.apply(to: document)
        var used: Set<String> = ["provenance", HTMLRenderer.mainID]
        safe.sections = safe.sections.map { uniqueIDs($0, &used) }
        safe.sections = shareRanges(safe.sections)
        switch format {
        case .text: return TextRenderer.render(safe)
        case .markdown: return MarkdownRenderer.render(safe)
        // The HTML page carries the JSON of the same document as a download: the same bytes `--format json` writes.
        case .html: return HTMLRenderer.render(safe, json: try JSONRenderer.render(safe))
        case .json: return try JSONRenderer.render(safe)
        }
    }

    /// The section with ids made unique across the document (`-2`, `-3`, … appended in reading order), so
    /// that anchors and `aria-labelledby` references never collide.
    static func uniqueIDs(_ section: Section, _ used: inout Set<String>) -> Section {
        var s = section
        var id = s.id, n = 1
        while used.contains(id) { n += 1; id = "\(s.id)-\(n)" }
        used.insert(id)
        s.id = id
        s.subsections = s.subsections.map { uniqueIDs($0, &used) }
        return s
    }

    /// The sections with one x range for each group of charts that name the same `xRangeGroup`: the range that
    /// holds every group member's published points, intervals and x markers (as `SVGChart.domain` pads it), set
    /// as fixed axis ends. Computed after disclosure control, so a withheld point never widens a range.
    static func shareRanges(_ sections: [Section]) -> [Section] {
        var values: [String: [Double]] = [:]
        var axes: [String: Axis] = [:]
        func collect(_ s: Section) {
            for case let .chart(c) in s.blocks {
                guard let g = c.xRangeGroup, c.xAxis.lower == nil, c.xAxis.upper == nil else { continue }
                let points = c.series.flatMap(\.points).filter(\.isFinite)
                values[g, default: []] += points.flatMap { [$0.x, $0.lower ?? $0.x, $0.upper ?? $0.x] } + c.markers.compactMap(\.x)
                axes[g] = axes[g] ?? c.xAxis
            }
            s.subsections.forEach(collect)
        }
        sections.forEach(collect)
        guard !values.isEmpty else { return sections }
        func apply(_ s: Section) -> Section {
            var s = s
            s.blocks = s.blocks.map { b in
                guard case var .chart(c) = b, let g = c.xRangeGroup, c.xAxis.lower == nil, c.xAxis.upper == nil,
                      let v = values[g], let axis = axes[g] else { return b }
                let range = SVGChart.domain(axis, values: v)
                c.xAxis.lower = range.0
                c.xAxis.upper = range.1
                return .chart(c)
            }
            s.subsections = s.subsections.map(apply)
            return s
        }
        return sections.map(apply)
    }

    /// `safety-report.html`, `research-report.md`, …
    public static func fileName(audience: Audience, format: ReportFormat) -> String { "\(audience.rawValue)-report.\(format.fileExtension)" }

    /// The provenance and disclosure section that ends every Markdown and HTML report.
    package static func provenanceSection(_ d: ReportDocument) -> Section {
        let p = d.provenance
        var blocks: [Block] = [
            .table(Table(caption: "How this report was made", columns: [Column("Item", alignment: .left), Column("Value", alignment: .left)],
                         rows: [
                             [.text("Tool"), .text("PeerLens \(p.toolVersion)")],
                             [.text("Libraries"), .text(p.libraries.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))],
                             [.text("Command"), .text(p.command)],
                             [.text("Options"), .text(p.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))],
                             [.text("Generated at"), .text(p.generatedAt ?? "not recorded (no --generated-at)")],
                             [.text("Store"), .text(p.store.path)],
                             [.text("Store fingerprint (SHA-256 of the ingest runs)"), .text(p.store.combinedSHA256)],
                             [.text("Minimum cell count"), .text("\(p.disclosureThreshold)")],
                         ], disclosive: false)),
        ]
        if !p.store.files.isEmpty {
            blocks.append(.table(Table(
                caption: "Ingested files (from the store's ingest runs)",
                columns: [Column("Run"), Column("File", alignment: .left), Column("SHA-256", alignment: .left), Column("Records", unit: "n"),
                          Column("Accepted", unit: "n"), Column("Duplicates", unit: "n"), Column("Rejected", unit: "n")],
                rows: p.store.files.map { f in
                    [.text("\(f.run)"), .text(f.file), .text(f.sha256), .text(Formatter.grouped(f.records)), .text(Formatter.grouped(f.accepted)),
                     .text(Formatter.grouped(f.duplicates)), .text(Formatter.grouped(f.rejected))]
                }, notes: p.store.ingestNotes, disclosive: false)))
        }
        blocks.append(.note(Note(d.disclosure.description, kind: .disclosure)))
        return Section("Provenance and disclosure control", id: "provenance", blocks: blocks)
    }
}

extension ReportFormat {
    /// The file name extension: `txt`, `md`, `html`, `json`.
    public var fileExtension: String { self == .text ? "txt" : rawValue }
}

// MARK: - Text

/// Plain text for a terminal: headings underlined, tables as padded columns (numbers right-aligned), notes
/// and caveats labelled, charts as their data tables, and a short provenance with the disclosure policy.
/// Every string is written as it is but for control characters, which are replaced (a log-derived string
/// cannot move the cursor or recolour the terminal).
package enum TextRenderer {
    static func render(_ d: ReportDocument) -> String {
        var out = line(d.title) + "\n" + String(repeating: "=", count: d.title.count) + "\n"
        if let s = d.subtitle { out += line(s) + "\n" }
        if d.disclosure.internalUse { out += "FOR INTERNAL USE: includes working views outside disclosure control.\n" }
        out += "\n"
        for s in d.sections { out += section(s, depth: 0) }
        let p = d.provenance
        out += "--\n"
        var source = "PeerLens \(p.toolVersion); store \(p.store.path)"
        if !p.store.combinedSHA256.isEmpty { source += " (fingerprint \(p.store.combinedSHA256.prefix(16)))" }
        if let g = p.generatedAt { source += "; generated at \(g)" }
        out += line(source) + "\n"
        out += line("Disclosure control: " + d.disclosure.description) + "\n"
        return out
    }

    /// Key figures as indented lines: `  label: value (interval) [tag]`, the note on the next line.
    static let keyFigures = KeyFigureLayout(escape: line, head: { "  \($0): \($1)" }, interval: { " (\($0))" },
                                            tag: { " [\($0)]" }, note: { "\n    \($0)" })

    /// Control characters (C0 but tab, DEL, C1) replaced, line breaks folded to spaces.
    static func line(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x09: out += " "
            case 0..<0x20, 0x7F, 0x80..<0xA0: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func section(_ s: Section, depth: Int) -> String {
        let heading = line(s.heading)
        var out = heading + "\n" + String(repeating: depth == 0 ? "-" : "·", count: heading.count) + "\n"
        for b in s.blocks { out += block(b) }
        for sub in s.subsections { out += section(sub, depth: depth + 1) }
        return out
    }

    static func block(_ b: Block) -> String {
        switch b {
        case let .paragraph(p): return line(p.plainText) + "\n\n"
        case let .keyFigures(figures): return keyFigures.render(figures)
        case let .table(t): return table(t)
        case let .chart(c):
            var out = "Figure: \(line(c.title))\n  \(line(c.description))\n"
            for n in c.notes { out += "  note: \(line(n))\n" }
            return out + table(c.dataTable(), caption: nil)
        case let .note(n):
            let label = n.kind == .caveat ? "Caveat" : (n.kind == .disclosure ? "Disclosure control" : "Note")
            return "\(label): \(line(n.text))\n\n"
        case let .list(l):
            return l.items.enumerated().map { i, item in (l.ordered ? "  \(i + 1). " : "  - ") + line(item) }.joined(separator: "\n") + "\n\n"
        case let .code(c):
            return CodeText.clean(c.text).split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n\n"
        }
    }

    static func table(_ t: Table, caption: String? = "") -> String {
        var out = ""
        if caption != nil { out += "Table: \(line(t.caption))\n" }
        let header = t.columns.map { line($0.title) }
        let body = t.rows.map { row in row.map { line(Formatter.cell($0)) } }
        let count = t.columns.count
        var widths = header.map(\.count)
        for row in body { for (i, c) in row.enumerated() where i < count { widths[i] = max(widths[i], c.count) } }
        func pad(_ s: String, _ i: Int) -> String {
            let fill = String(repeating: " ", count: max(0, widths[i] - s.count))
            return t.columns[i].alignment == .right ? fill + s : s + fill
        }
        func row(_ cells: [String]) -> String {
            var text = "  " + (0..<count).map { i in pad(i < cells.count ? cells[i] : "", i) }.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        out += row(header)
        out += row(widths.map { String(repeating: "-", count: $0) })
        for r in body { out += row(r) }
        for n in t.notes { out += "  note: \(line(n))\n" }
        return out + "\n"
    }
}

// MARK: - Markdown

/// GitHub-flavoured Markdown whose tables read well as plain text (columns padded, numbers right-aligned).
package enum MarkdownRenderer {
    static func render(_ d: ReportDocument) -> String {
        var out = "# \(MarkdownText.escape(d.title))\n\n"
        if let s = d.subtitle { out += "*\(MarkdownText.escape(s))*\n\n" }
        for s in d.sections + [ReportRenderer.provenanceSection(d)] { out += section(s, level: 2) }
        return out
    }

    /// Key figures as a list: `- **label:** value (interval) — tag. note`.
    static let keyFigures = KeyFigureLayout(escape: MarkdownText.escape, head: { "- **\($0):** \($1)" }, interval: { " (\($0))" },
                                            tag: { " — \($0)" }, note: { ". \($0)" })

    static func section(_ s: Section, level: Int) -> String {
        var out = String(repeating: "#", count: min(level, 6)) + " " + MarkdownText.escape(s.heading) + "\n\n"
        for b in s.blocks { out += block(b) }
        for sub in s.subsections { out += section(sub, level: level + 1) }
        return out
    }

    static func runs(_ p: Paragraph) -> String {
        p.runs.map { r in
            let t = MarkdownText.escape(r.text)
            // Emphasis markers must touch the text: spaces at either end go outside them.
            let core = t.trimmingCharacters(in: .whitespaces)
            guard !core.isEmpty, r.emphasis != .none else { return t }
            let leading = t.prefix { $0 == " " }, trailing = String(t.reversed().prefix { $0 == " " })
            let marker = r.emphasis == .strong ? "**" : "*"
            return leading + marker + core + marker + trailing
        }.joined()
    }

    static func block(_ b: Block) -> String {
        switch b {
        case let .paragraph(p): return runs(p) + "\n\n"
        case let .keyFigures(figures): return keyFigures.render(figures)
        case let .table(t): return table(t)
        case let .chart(c):
            var out = "**Figure: \(MarkdownText.escape(c.title))**\n\n\(MarkdownText.escape(c.description))\n\n"
            out += table(c.dataTable(), captionPrefix: "")
            return out
        case let .note(n):
            let label = n.kind == .caveat ? "Caveat" : (n.kind == .disclosure ? "Disclosure control" : "Note")
            return "> **\(label):** \(MarkdownText.escape(n.text))\n\n"
        case let .list(l):
            return l.items.enumerated().map { i, item in (l.ordered ? "\(i + 1). " : "- ") + MarkdownText.escape(item) }.joined(separator: "\n") + "\n\n"
        case let .code(c): return code(c)
        }
    }

    /// A fenced block whose fence is longer than any run of backticks inside, so no line can close it; the
    /// text is otherwise verbatim (Markdown does not interpret a code block's content), control characters
    /// other than tab replaced.
    static func code(_ c: CodeBlock) -> String {
        var longest = 0, run = 0
        for ch in c.text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = CodeText.clean(c.text)
        return fence + (c.safeLanguage ?? "") + "\n" + body + (body.isEmpty || body.hasSuffix("\n") ? "" : "\n") + fence + "\n\n"
    }

    static func table(_ t: Table, captionPrefix: String = "Table: ") -> String {
        var out = "**\(MarkdownText.escape(captionPrefix + t.caption))**\n\n"
        let header = t.columns.map { MarkdownText.escape($0.title) }
        let body = t.rows.map { row in row.map { MarkdownText.escape(Formatter.cell($0)) } }
        let count = t.columns.count
        var widths = header.map { max(3, $0.count) }
        for row in body { for (i, c) in row.enumerated() where i < count { widths[i] = max(widths[i], c.count) } }
        func pad(_ s: String, _ i: Int) -> String {
            let fill = String(repeating: " ", count: max(0, widths[i] - s.count))
            return t.columns[i].alignment == .right ? fill + s : s + fill
        }
        out += "| " + header.enumerated().map { pad($1, $0) }.joined(separator: " | ") + " |\n"
        out += "|" + t.columns.enumerated().map { i, c in
            c.alignment == .right ? " " + String(repeating: "-", count: widths[i] - 1) + ": " : " " + String(repeating: "-", count: widths[i]) + " "
        }.joined(separator: "|") + "|\n"
        for row in body {
            let cells = (0..<count).map { i in pad(i < row.count ? row[i] : "", i) }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += "\n"
        for n in t.notes { out += "Note: \(MarkdownText.escape(n))\n\n" }
        return out
    }
}

// MARK: - HTML

/// One self-contained HTML file: inline CSS and SVG, no script, no fonts, no external requests (a
/// Content-Security-Policy forbids them too), a skip link, a light and a dark colour scheme, a print stylesheet,
/// semantic headings, captions and header cells, charts with titles and text alternatives, and downloads
/// carried in the page as `data:` links: every table as CSV and the whole report as JSON.
///
/// Tables: headers wrap rather than being cut; below 40rem each row becomes a card whose cells are labelled with
/// their column heading (`data-label`, shown by CSS); in print, tables wrap to the page, rows are not split and the
/// collapsed chart data tables are expanded. Charts: drawn twice, for wide and narrow windows (`SVGChart.Layout`),
/// one shown by a media query, so that chart text is at least 12 CSS pixels at every width from 320 px up.
package enum HTMLRenderer {
    /// The id of the `<main>` element, the skip link's target (reserved: no section takes it).
    static let mainID = "main-content"

    static let css = """
    :root{color-scheme:light dark}*{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;background:#ffffff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
    .skip{position:absolute;left:-10000px;top:0}.skip:focus{left:1rem;top:.5rem;z-index:10;background:#ffffff;color:#005a8c;padding:.4rem .7rem;outline:3px solid #0072B2}
    .vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
    header,main,footer{max-width:80rem;margin:0 auto;padding:0 1rem}
    section.summary{border:2px solid #0072B2;border-radius:8px;padding:.25rem 1.1rem .75rem;margin:1rem 0 1.25rem;background:#f3f8fc;box-shadow:0 1px 3px rgba(0,0,0,.08)}
    section.summary>h2{border-bottom:0;margin:.6rem 0 .4rem;font-size:1.3rem;color:#003d5c}
    section.summary .figure{background:#ffffff}
    main p,main>section li,.note,figcaption,.subtitle{max-width:48rem}
    header{padding-top:1.5rem}h1{font-size:1.8rem;line-height:1.2;margin:0 0 .25rem}
    .subtitle{color:#4d4d4d;margin:0 0 .5rem}
    .downloads{font-size:.9rem;margin:0 0 1rem}
    h2{font-size:1.4rem;margin:2rem 0 .5rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem}
    h3{font-size:1.15rem;margin:1.5rem 0 .5rem}h4,h5,h6{font-size:1rem;margin:1.2rem 0 .4rem}
    h1,h2,h3,h4,p,li,caption,figcaption,.note{overflow-wrap:anywhere}
    a{color:#005a8c}
    nav ol{padding-left:1.25rem;margin:.5rem 0 1rem}
    .figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.75rem;margin:1rem 0;padding:0;list-style:none}
    .figure{border:1px solid #c4c4c4;border-left:6px solid #0072B2;border-radius:4px;padding:.6rem .8rem;background:#f7f9fb}
    .figure .label{font-size:.9rem;color:#333333;margin:0}
    .figure .value{font-size:1.6rem;font-weight:700;margin:.1rem 0;line-height:1.2}
    .figure .interval{font-size:.9rem;margin:0}.figure .tag{display:inline-block;font-size:.8rem;font-weight:700;color:#ffffff;background:#005a8c;border-radius:3px;padding:0 .35rem;margin:.25rem 0}
    .figure .fnote{font-size:.85rem;color:#333333;margin:.2rem 0 0}
    .figure.suppressed{border-left-color:#767676}
    .table-wrap{overflow-x:auto;max-width:100%;margin:1rem 0 .25rem;-webkit-overflow-scrolling:touch}
    .table-wrap:focus{outline:2px solid #0072B2}
    table{border-collapse:collapse;font-size:.92rem;font-variant-numeric:tabular-nums}
    caption{text-align:left;font-weight:700;padding:.3rem 0;caption-side:top}
    .table-wrap caption{position:sticky;left:0;max-width:calc(100vw - 2rem)}
    th,td{border-bottom:1px solid #d0d0d0;padding:.3rem .5rem;vertical-align:top}
    thead th{border-bottom:2px solid #1a1a1a;text-align:left;vertical-align:bottom}
    td.long{overflow-wrap:anywhere;min-width:12rem}
    td.num,th.num{text-align:right}td.num{white-space:nowrap}td.num:has(.ci){white-space:normal}.ci{font-size:.88em;color:#4d4d4d}
    tbody th{text-align:left;font-weight:600}
    td.suppressed,td.not-evaluable{color:#595959;font-style:italic}
    .table-note{font-size:.88rem;color:#333333;margin:.25rem 0}
    .download{font-size:.85rem;margin:.2rem 0 1rem}
    figure{margin:1.25rem 0}
    .chart-wrap svg{display:block;width:100%;height:auto}
    .chart-wrap .chart-wide{max-width:46rem}.chart-wrap .chart-compact{display:none;max-width:30rem}
    figcaption{font-size:.92rem}figcaption strong{display:block}
    pre{overflow-x:auto;max-width:100%;background:#f5f5f5;border:1px solid #d0d0d0;border-radius:4px;padding:.6rem .8rem;margin:1rem 0;font-size:.85rem;line-height:1.4}
    pre:focus{outline:2px solid #0072B2}code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
    pre.labelled::before{content:attr(data-label);display:block;font:600 .75rem/1.4 system-ui,sans-serif;color:#4d4d4d;text-transform:uppercase;letter-spacing:.04em;margin-bottom:.25rem}
    pre:has(code.language-peerlens){border-left:4px solid #0072B2;background:#eef5fa}pre code.language-peerlens{color:#003d5c;font-weight:600}
    pre:has(code.language-text){margin-top:-.5rem}
    details{margin:.4rem 0}summary{cursor:pointer;color:#005a8c}
    .note{border-left:4px solid #009E73;background:#f3faf7;padding:.5rem .8rem;margin:1rem 0}
    .note.caveat{border-left-color:#D55E00;background:#fdf5ef}.note.disclosure{border-left-color:#767676;background:#f5f5f5}
    footer{color:#4d4d4d;font-size:.85rem;padding-bottom:2rem}
    @media (max-width:40rem){
      body{font-size:15px}h1{font-size:1.45rem}.figure .value{font-size:1.35rem}section.summary{padding:.2rem .75rem .6rem}
      .table-wrap{overflow-x:visible}
      .table-wrap table,.table-wrap tbody,.table-wrap tr,.table-wrap th,.table-wrap td{display:block}
      .table-wrap table{width:100%}.table-wrap caption{display:block;position:static;max-width:none}
      .table-wrap thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%)}
      .table-wrap tbody tr{border:1px solid #c4c4c4;border-radius:6px;margin:.5rem 0;padding:.35rem .7rem}
      .table-wrap tbody th,.table-wrap td{display:grid;grid-template-columns:minmax(6.5rem,42%) minmax(0,1fr);gap:.6rem;border:0;padding:.2rem 0;text-align:left;white-space:normal}
      .table-wrap tbody th{border-bottom:1px solid #d0d0d0;margin-bottom:.15rem}
      .table-wrap tbody th::before,.table-wrap td::before{content:attr(data-label);font-weight:600;font-style:normal;color:#4d4d4d}
    }
    @media (max-width:39.99rem){.chart-wrap .chart-wide{display:none}.chart-wrap .chart-compact{display:block}}
    @media (prefers-color-scheme:dark){
      body{background:#14171a;color:#e6e6e6}a,summary{color:#8ccaf0}.subtitle,footer{color:#b8b8b8}
      .skip:focus{background:#14171a;color:#8ccaf0}
      h2{border-bottom-color:#56B4E9}
      section.summary{border-color:#56B4E9;background:#172430;box-shadow:none}section.summary>h2{color:#cfe9f9}section.summary .figure{background:#1d2227}
      .figure{border-color:#4a5058;border-left-color:#56B4E9;background:#1d2227}.figure .label,.figure .fnote,.table-note{color:#cccccc}
      .figure .tag{background:#8ccaf0;color:#0d1114}.figure.suppressed{border-left-color:#8c8c8c}
      th,td{border-bottom-color:#3d434a}.ci{color:#b8b8b8}thead th{border-bottom-color:#e6e6e6}td.suppressed,td.not-evaluable{color:#a6a6a6}
      pre{background:#1d2227;border-color:#3d434a}pre:has(code.language-peerlens){background:#17242e;border-left-color:#56B4E9}pre code.language-peerlens{color:#9fd3f5}
      pre.labelled::before{color:#b8b8b8}
      .note{background:#15241e;border-left-color:#2CC497}.note.caveat{background:#2a1d14;border-left-color:#F08A4B}.note.disclosure{background:#1f2226;border-left-color:#8c8c8c}
      .table-wrap tbody tr{border-color:#4a5058}.table-wrap tbody th::before,.table-wrap td::before{color:#b8b8b8}
      svg.chart,svg.chart [color="#1a1a1a"]{color:#e6e6e6}svg.chart [fill="#ffffff"]{fill:#14171a}svg.chart [stroke="#ffffff"]{stroke:#14171a}
      svg.chart [stroke="#d9d9d9"],svg.chart [stroke="#e5e5e5"]{stroke:#3d434a}svg.chart [stroke="#767676"]{stroke:#9a9a9a}
    \(darkPaletteCSS)
    }
    @media print{
      body{font-size:11pt}nav,.skip,.download,.downloads,details>summary{display:none}
      main>section{break-before:page}main>section:first-child,main>section.summary+nav+section{break-before:auto}
      .table-wrap{overflow:visible}table{width:100%}th,td,td.num,thead th{white-space:normal}tr,.figure,figure svg{break-inside:avoid}
      thead{display:table-header-group}pre{white-space:pre-wrap;overflow-wrap:anywhere}
      .chart-wrap .chart-compact{display:none}.chart-wrap .chart-wide{display:block;max-width:100%}
      h2,h3,caption{break-after:avoid}a{color:#1a1a1a}
    }
    @media print{details::details-content{content-visibility:visible;display:block}}
    """

    /// Dark-mode colours of the chart series: each light palette colour, as written in the SVG, mapped to its dark one.
    static var darkPaletteCSS: String {
        zip(SVGChart.palette, SVGChart.darkPalette).map { "  svg.chart [color=\"\($0)\"]{color:\($1)}" }.joined()
    }

    static func render(_ d: ReportDocument, json: String) -> String {
        var chartCounter = 0
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"generator\" content=\"PeerLens \(HTML.escape(d.provenance.toolVersion))\">\n"
        out += "<title>\(HTML.escape(d.title))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n"
        out += "<a class=\"skip\" href=\"#\(mainID)\">Skip to the main content</a>\n"
        out += "<header>\n<h1>\(HTML.escape(d.title))</h1>\n"
        if let s = d.subtitle { out += "<p class=\"subtitle\">\(HTML.escape(s))</p>\n" }
        let jsonName = d.audience.map { ReportRenderer.fileName(audience: $0, format: .json) } ?? "\(Section.slug(d.title)).json"
        out += "</header>\n"
        // The summary (the answer first) comes before the contents, so that it is on the first screen.
        let summaries = d.sections.filter { $0.role == .summary }
        let sections = d.sections.filter { $0.role != .summary } + [ReportRenderer.provenanceSection(d)]
        out += "<main id=\"\(mainID)\">\n"
        for s in summaries { out += section(s, level: 2, chartCounter: &chartCounter) }
        out += "<nav aria-label=\"Contents\">\n<ol>\n"
        for s in sections { out += "<li><a href=\"#\(HTML.escape(s.id))\">\(HTML.escape(s.heading))</a></li>\n" }
        out += "</ol>\n</nav>\n"
        out += "<p class=\"downloads\">" + dataLink(Data(json.utf8), type: "application/json", name: jsonName, text: "Download the whole report as JSON")
            + " (every figure of this page, for reuse); each table has its own CSV download below it.</p>\n"
        for s in sections { out += section(s, level: 2, chartCounter: &chartCounter) }
        // The disclosure note is stated once, in the provenance section; the footer only says where the page came from.
        out += "</main>\n<footer>\n<p>\(HTML.escape("Generated \(d.provenance.generatedAt.map { "at \($0) " } ?? "")by PeerLens \(d.provenance.toolVersion)."))</p>\n</footer>\n"
        out += "</body>\n</html>\n"
        return out
    }

    /// A download link whose target is in the page: `data:TYPE;base64,…` with a `download` file name.
    static func dataLink(_ data: Data, type: String, name: String, text: String, hidden: String? = nil) -> String {
        "<a download=\"\(HTML.escape(name))\" href=\"data:\(type);base64,\(data.base64EncodedString())\">\(HTML.escape(text))"
            + (hidden.map { "<span class=\"vh\"> \(HTML.escape($0))</span>" } ?? "") + "</a>"
    }

    static func section(_ s: Section, level: Int, chartCounter: inout Int) -> String {
        let h = min(level, 6)
        let id = HTML.escape(s.id)
        let summary = s.role == .summary ? " class=\"summary\"" : ""
        var out = "<section id=\"\(id)\"\(summary) aria-labelledby=\"\(id)-h\">\n<h\(h) id=\"\(id)-h\">\(HTML.escape(s.heading))</h\(h)>\n"
        for b in s.blocks { out += block(b, chartCounter: &chartCounter) }
        for sub in s.subsections { out += section(sub, level: level + 1, chartCounter: &chartCounter) }
        return out + "</section>\n"
    }

    static func runs(_ p: Paragraph) -> String {
        p.runs.map { r in
            let t = HTML.escape(r.text)
            switch r.emphasis {
            case .none: return t
            case .emphasis: return "<em>\(t)</em>"
            case .strong: return "<strong>\(t)</strong>"
            }
        }.joined()
    }

    static func block(_ b: Block, chartCounter: inout Int) -> String {
        switch b {
        case let .paragraph(p): return "<p>\(runs(p))</p>\n"
        case let .keyFigures(figures):
            var out = "<ul class=\"figures\">\n"
            for k in figures {
                out += "<li class=\"figure\(k.suppressed ? " suppressed" : "")\">"
                out += "<p class=\"label\">\(HTML.escape(k.label))</p><p class=\"value\">\(HTML.escape(k.value))</p>"
                if let i = k.interval { out += "<p class=\"interval\">\(HTML.escape(i))</p>" }
                if let t = k.tag { out += "<span class=\"tag\">\(HTML.escape(t))</span>" }
                if let n = k.note { out += "<p class=\"fnote\">\(HTML.escape(n))</p>" }
                out += "</li>\n"
            }
            return out + "</ul>\n"
        case let .table(t): return table(t)
        case let .chart(c):
            chartCounter += 1
            let id = "chart-\(chartCounter)"
            var out = "<figure aria-labelledby=\"\(id)-caption\">\n"
            // Drawn for wide and for narrow windows; CSS shows one, so that the text stays legible at any width.
            out += "<div class=\"chart-wrap\">\n" + SVGChart.render(c, id: id, layout: .wide) + "\n" + SVGChart.render(c, id: "\(id)-c", layout: .compact) + "\n</div>\n"
            out += "<figcaption id=\"\(id)-caption\"><strong>\(HTML.escape(c.title))</strong>\(HTML.escape(c.description))</figcaption>\n"
            for n in c.notes { out += "<p class=\"table-note\">\(HTML.escape(n))</p>\n" }
            // Collapsed on screen; the print stylesheet expands it.
            out += "<details class=\"data-table\"><summary>Data table</summary>\n\(table(c.dataTable()))</details>\n</figure>\n"
            return out
        case let .note(n):
            let label = n.kind == .caveat ? "Caveat" : (n.kind == .disclosure ? "Disclosure control" : "Note")
            return "<aside class=\"note \(n.kind.rawValue)\" aria-label=\"\(label)\"><strong>\(label):</strong> \(HTML.escape(n.text))</aside>\n"
        case let .list(l):
            let tag = l.ordered ? "ol" : "ul"
            return "<\(tag)>\n" + l.items.map { "<li>\(HTML.escape($0))</li>\n" }.joined() + "</\(tag)>\n"
        case let .code(c):
            let language = c.safeLanguage.map { " class=\"language-\($0)\"" } ?? ""
            // Notebook commands and their output are labelled for the reader; other code is not.
            let label = c.safeLanguage == "peerlens" ? "Command" : (c.safeLanguage == "text" ? "Output" : nil)
            let labelled = label.map { " class=\"labelled\" data-label=\"\($0)\" aria-label=\"\($0)\"" } ?? ""
            // Scrolls inside itself on a phone (tabindex: reachable by keyboard to scroll).
            return "<pre tabindex=\"0\"\(labelled)><code\(language)>\(HTML.escape(CodeText.clean(c.text)))</code></pre>\n"
        }
    }

    /// A cell's content: as `Formatter.cell` writes it, with a number's interval in its own span so that a narrow
    /// column breaks between the estimate and its interval, never inside either.
    static func cellContent(_ cell: Cell) -> String {
        if case let .number(c) = cell, let l = c.lower, let u = c.upper, l.isFinite, u.isFinite, c.value.isFinite {
            // One element, so that it is one grid item beside its label in a card.
            return "<span>" + HTML.escape(Formatter.number(c.value, c.format)) + " <span class=\"ci\">\(HTML.escape(Formatter.interval(l, u, c.format)))</span></span>"
        }
        return HTML.escape(Formatter.cell(cell))
    }

    /// Whether a table is shown turned in HTML: many columns and few rows (a per-version summary with a dozen
    /// measures) read as one row per measure, so that it fits a screen without scrolling its headers away.
    static func turned(_ t: Table) -> Bool {
        t.rowHeaders && t.columns.count > 10 && t.rows.count <= 4 && t.rows.allSatisfy { $0.count == t.columns.count }
    }

    static func table(_ t: Table) -> String {
        var out = "<div class=\"table-wrap\" role=\"region\" aria-label=\"\(HTML.escape(t.caption))\" tabindex=\"0\">\n<table>\n"
        out += "<caption>\(HTML.escape(t.caption))</caption>\n<thead>\n<tr>"
        // Turned: the first column's heading and each row's name head the columns; each other column becomes a row.
        let turn = turned(t)
        let headings: [(String, Bool)] = turn ? [(t.columns[0].title, false)] + t.rows.map { (Formatter.cell($0[0]), true) }
            : t.columns.map { ($0.title, $0.alignment == .right) }
        let body: [[(Cell, Bool)]] = turn
            ? t.columns.indices.dropFirst().map { j in [(Cell.text(t.columns[j].title), false)] + t.rows.map { ($0[j], t.columns[j].alignment == .right) } }
            : t.rows.map { row in row.enumerated().map { i, c in (c, i < t.columns.count && t.columns[i].alignment == .right) } }
        for (title, right) in headings {
            out += "<th scope=\"col\"\(right ? " class=\"num\"" : "")>\(HTML.escape(title))</th>"
        }
        out += "</tr>\n</thead>\n<tbody>\n"
        // On a phone each row is a card; a cell's column heading labels it there.
        let labels = headings.map { " data-label=\"\(HTML.escape($0.0))\"" }
        for row in body {
            out += "<tr>"
            for (i, (cell, right)) in row.enumerated() {
                var classes: [String] = []
                if right { classes.append("num") }
                if cell == .suppressed { classes.append("suppressed") }
                if case .notEvaluable = cell { classes.append("not-evaluable") }
                // A hash or a path has no place to break: it may break anywhere rather than widen the table.
                if case let .text(text) = cell, text.split(separator: " ").contains(where: { $0.count > 24 }) { classes.append("long") }
                let classAttribute = (classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"") + (i < labels.count ? labels[i] : "")
                let text = cellContent(cell)
                out += i == 0 && (t.rowHeaders || turn) ? "<th scope=\"row\"\(classAttribute)>\(text)</th>" : "<td\(classAttribute)>\(text)</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n</div>\n"
        for n in t.notes { out += "<p class=\"table-note\">\(HTML.escape(n))</p>\n" }
        let name = String(Section.slug(t.caption).prefix(60)) + ".csv"
        out += "<p class=\"download\">" + dataLink(Data(CSVTable.render(t).utf8), type: "text/csv;charset=utf-8", name: name, text: "Download CSV",
                                                   hidden: "of the table: \(t.caption)") + "</p>\n"
        return out
    }
}

// MARK: - CSV

/// A published table as CSV (RFC 4180): a header row, one record per row, CRLF line ends, fields quoted when they
/// hold a comma, a quote or a line break (quotes doubled). Cells are the published ones (the table after
/// disclosure control): numbers as plain numbers in the unit the report shows (percentages as 41.2, no `%`, no
/// thousands separator, `-` for negatives), a number's interval in two extra columns after it, `suppressed` and
/// `not evaluable` as words, empty cells empty. A text cell that a spreadsheet would read as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe (OWASP's CSV injection
/// advice); numbers are never changed, so negative numbers stay numbers.
package enum CSVTable {
    /// The table as CSV text.
    package static func render(_ t: Table) -> String {
        let count = t.columns.count
        // A column's numbers' format (the first number in it) and whether any of them has an interval.
        var formats: [NumberFormat?] = Array(repeating: nil, count: count)
        var intervals = Array(repeating: false, count: count)
        for row in t.rows {
            for (i, cell) in row.enumerated() where i < count {
                guard case let .number(c) = cell else { continue }
                if formats[i] == nil { formats[i] = c.format }
                if c.lower != nil && c.upper != nil { intervals[i] = true }
            }
        }
        var header: [String] = []
        for (i, column) in t.columns.enumerated() {
            let unit = formats[i].map { unitOf(column, $0) } ?? column.unit
            header.append(Column(column.heading, unit: unit).title)
            if intervals[i] {
                header.append(Column(column.heading + " lower", unit: unit).title)
                header.append(Column(column.heading + " upper", unit: unit).title)
            }
        }
        var lines = [header.map { field(text: $0) }.joined(separator: ",")]
        for row in t.rows {
            var fields: [String] = []
            for i in 0..<count {
                let cell = i < row.count ? row[i] : .empty
                fields.append(value(cell))
                if intervals[i] {
                    if case let .number(c) = cell, let l = c.lower, let u = c.upper {
                        fields.append(number(l, c.format)); fields.append(number(u, c.format))
                    } else {
                        fields += ["", ""]
                    }
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The unit of a column's numbers in the CSV: percentages are in `%`, percentage points in `pp`.
    static func unitOf(_ column: Column, _ format: NumberFormat) -> String? {
        switch format {
        case .percent: return "%"
        case .percentagePoints: return "pp"
        default: return column.unit
        }
    }

    /// A cell's field.
    static func value(_ cell: Cell) -> String {
        switch cell {
        case let .text(t): return field(text: t)
        case let .count(n): return String(n)
        case let .number(c): return number(c.value, c.format)
        case .suppressed: return "suppressed"
        case .notEvaluable: return "not evaluable"
        case .empty: return ""
        }
    }

    /// A number as CSV: the format's decimals, percentages ×100, ASCII minus, no grouping (empty if not finite).
    static func number(_ x: Double, _ format: NumberFormat) -> String {
        guard x.isFinite else { return "" }
        switch format {
        case .integer: return Formatter.fixed(x, 0)
        case let .decimal(d), let .signed(d): return Formatter.fixed(x, d)
        case let .percent(d), let .percentagePoints(d): return Formatter.fixed(x * 100, d)
        }
    }

    /// A text field: guarded against formula injection, then quoted if it must be.
    package static func field(text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { t = "'" + t }
        guard t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

// MARK: - JSON

/// The document as JSON: pretty-printed with sorted keys, so the same document always gives the same bytes.
enum JSONRenderer {
    static func render(_ d: ReportDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(JSONDocument(d)), as: UTF8.self) + "\n"
    }

    /// The document with a format version, for readers of the JSON.
    struct JSONDocument: Encodable {
        let formatVersion = 1
        let document: ReportDocument
        init(_ d: ReportDocument) { document = d }

        enum CodingKeys: String, CodingKey { case formatVersion = "format_version", title, audience, command, subtitle, provenance, disclosure, sections }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(formatVersion, forKey: .formatVersion)
            try c.encode(document.title, forKey: .title)
            try c.encodeIfPresent(document.audience, forKey: .audience)
            try c.encodeIfPresent(document.command, forKey: .command)
            try c.encodeIfPresent(document.subtitle, forKey: .subtitle)
            try c.encode(document.provenance, forKey: .provenance)
            try c.encode(document.disclosure, forKey: .disclosure)
            try c.encode(document.sections, forKey: .sections)
            // Each record under its own top-level key (`combined`), its fields by name.
            var records = encoder.container(keyedBy: RecordKey.self)
            for record in document.records {
                var fields = records.nestedContainer(keyedBy: RecordKey.self, forKey: RecordKey(record.key))
                for field in record.fields { try fields.encode(field.value, forKey: RecordKey(field.name)) }
            }
        }

        /// A key named at run time.
        struct RecordKey: CodingKey {
            let stringValue: String
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
    }
}

/// How a line-based format (text, Markdown) writes key figures: one line each, its parts escaped and then
/// wrapped; the interval, tag and note only when the figure has them.
struct KeyFigureLayout: Sendable {
    let escape: @Sendable (String) -> String
    let head: @Sendable (_ label: String, _ value: String) -> String
    let interval: @Sendable (String) -> String
    let tag: @Sendable (String) -> String
    let note: @Sendable (String) -> String

    func render(_ figures: [KeyFigure]) -> String {
        figures.map { k in
            var text = head(escape(k.label), escape(k.value))
            if let i = k.interval { text += interval(escape(i)) }
            if let t = k.tag { text += tag(escape(t)) }
            if let n = k.note { text += note(escape(n)) }
            return text
        }.joined(separator: "\n") + "\n\n"
    }
}
