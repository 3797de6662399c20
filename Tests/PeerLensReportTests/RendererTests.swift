import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import PeerLensDocument
@testable import PeerLensReport

/// Parses XML and records element names; fails on malformed input.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [[String: String]] = []
    var text = ""
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        elements.append(name)
        self.attributes.append(attributes)
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    static func parse(_ xml: String) -> ElementCollector? {
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }
}

/// Every `<svg …>…</svg>` element in an HTML document.
func svgElements(_ html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}

/// What must hold of every rendered report, whatever its content.
func expectClean(_ text: String, _ what: String) {
    for bad in ["NaN", "nan ", "inf\"", ">inf<", " inf ", "Infinity", "-inf", "+inf"] {
        #expect(!text.contains(bad), "\(what) contains \(bad)")
    }
}

@Suite("Renderers")
struct RendererTests {
    @Test("Markdown: headings, padded tables with right-aligned numbers, notes")
    func markdownLayout() throws {
        let md = try ReportRenderer.render(handBuiltDocument(name: "space one"), format: .markdown)
        #expect(md.hasPrefix("# Report on space one\n"))
        #expect(md.contains("\n## Summary of space one\n"))
        #expect(md.contains("\n### Detail\n"))
        // Every table line of one table has the same width (padded columns).
        let lines = md.components(separatedBy: "\n")
        let header = try #require(lines.firstIndex { $0.hasPrefix("| Group") })
        let block = lines[header...].prefix { $0.hasPrefix("|") }
        #expect(block.count == 5, "header, alignment row, three rows")
        #expect(Set(block.map(\.count)).count == 1, "rows of one width: \(block)")
        #expect(block[block.startIndex + 1].contains("-:"), "numbers right-aligned")
        #expect(block.contains { $0.contains("suppressed") })
        #expect(md.contains("Disclosure control:"))
        #expect(md.contains("## Provenance and disclosure control"))
        expectClean(md, "markdown")
    }

    @Test("HTML: one self-contained document with semantic structure and no external fetches")
    func htmlStructure() throws {
        let html = try ReportRenderer.render(handBuiltDocument(name: "space one"), format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.components(separatedBy: "<h1>").count == 2, "exactly one h1")
        #expect(html.contains("<h2 id=\"summary-of-space-one-h\">"))
        #expect(html.contains("<h3 id=\"detail-h\">"))
        #expect(html.contains("<caption>Groups in space one</caption>"))
        #expect(html.contains("<th scope=\"col\""))
        #expect(html.contains("<th scope=\"row\""))
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.contains("@media print"))
        #expect(html.contains("break-before:page"))
        #expect(html.contains("class=\"table-wrap\""), "tables scroll inside a wrapper")
        #expect(html.contains("overflow-x:auto"))
        #expect(html.contains("Content-Security-Policy"))
        for external in ["http://", "https://", "src=", "<link", "@import", "url(http", "<script", "@font-face"] {
            #expect(!html.contains(external), "external or scripted content: \(external)")
        }
        for svg in svgElements(html) {
            #expect(svg.contains("role=\"img\""))
            // Named by its title and described by its description: not also an aria-label, which would override both.
            let tag = String(svg.prefix { $0 != ">" })
            #expect(tag.contains("aria-labelledby=\"") && tag.contains("aria-describedby=\""))
            #expect(!tag.contains("aria-label="))
            #expect(svg.contains("<title id="))
            #expect(svg.contains("<desc id="))
        }
        #expect(svgElements(html).count == 8, "each chart drawn wide and compact")
        #expect(!html.contains("min-width:34rem"), "no fixed minimum width for charts")
        #expect(html.contains("<details class=\"data-table\"><summary>Data table</summary>"), "every chart also as its table")
        // Ids are unique (two sections with the same heading get distinct anchors).
        var twice = handBuiltDocument(name: "space one")
        twice.sections.append(twice.sections[1])
        let again = try ReportRenderer.render(twice, format: .html)
        let ids = again.components(separatedBy: " id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Set(ids).count == ids.count, "duplicate ids")
        expectClean(html, "html")
    }

    @Test("JSON: the same content, parseable, keys sorted, bytes stable")
    func json() throws {
        let doc = handBuiltDocument()
        let a = try ReportRenderer.render(doc, format: .json), b = try ReportRenderer.render(doc, format: .json)
        #expect(a == b)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])
        #expect(root["format_version"] as? Int == 1)
        #expect((root["sections"] as? [Any])?.count == 2)
        #expect((root["provenance"] as? [String: Any])?["generated_at"] as? String == "2026-03-01T00:00:00Z")
        #expect(((root["disclosure"] as? [String: Any])?["threshold"]) as? Int == 11)
        // Keys of the top object appear in sorted order (those before the long sections array: later keys
        // also occur nested inside it).
        let keys = ["audience", "disclosure", "format_version", "provenance", "sections"]
        let positions = keys.map { a.range(of: "\"\($0)\" :")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        // The document model round-trips (the renderer writes the policy-applied document).
        let safe = doc.disclosure.apply(to: doc)
        let data = try JSONEncoder().encode(safe)
        #expect(try JSONDecoder().decode(ReportDocument.self, from: data) == safe)
        expectClean(a, "json")
    }

    @Test("Numbers: fixed decimals, no locale, non-finite never printed")
    func formatting() {
        #expect(Formatter.fixed(0.12345, 3) == "0.123")
        #expect(Formatter.fixed(-0.0004, 3) == "0.000")
        #expect(Formatter.fixed(-1.5, 0) == "-2")
        #expect(Formatter.fixed(2.5, 0) == "3")
        #expect(Formatter.fixed(1234567.891, 2) == "1234567.89")
        #expect(Formatter.fixed(.nan, 2) == "n/a")
        #expect(Formatter.grouped(1234567) == "1,234,567")
        #expect(Formatter.number(10997.04, .decimal(1)) == "10,997.0")
        #expect(Formatter.number(-1234.5, .signed(1)) == "−1,234.5")
        #expect(Formatter.number(999.95, .decimal(1)) == "1,000.0")
        #expect(Formatter.number(0.4123, .percent(1)) == "41.2%")
        #expect(Formatter.number(-0.5, .signed(2)) == "−0.50")
        #expect(Formatter.number(0.25, .signed(2)) == "+0.25")
        #expect(Formatter.number(0.041, .percentagePoints(1)) == "+4.1 pp")
        #expect(Formatter.cell(.number(NumberCell(0.5, format: .decimal(2), lower: 0.4, upper: 0.6))) == "0.50 [0.40, 0.60]")
        #expect(Formatter.cell(.number(NumberCell(0.5, format: .percent(0), lower: 0.4, upper: 0.6))) == "50% [40, 60]")
    }
}

@Suite("Escaping")
struct EscapingTests {
    @Test("The escaping function", arguments: hostile)
    func escape(_ s: String) {
        let e = HTML.escape(s)
        for raw in ["<", ">", "\""] { #expect(!e.contains(raw)) }
        #expect(!e.contains("'"))
        #expect(HTML.escape("a\u{0}b\u{7}c") == "a\u{FFFD}b\u{FFFD}c", "XML-forbidden controls replaced")
    }

    @Test("Hostile names render as text in HTML and SVG, and in Markdown", arguments: hostile)
    func hostileNames(_ name: String) throws {
        let html = try ReportRenderer.render(handBuiltDocument(name: name), format: .html)
        #expect(!html.contains("<script"), "raw <script from data")
        #expect(!html.contains("<img"), "raw <img from data")
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("\"><img") && !html.contains("'><svg"), "no quote from data closes an attribute")
        #expect(html.contains(HTML.escape(name)), "the name is there, as text")
        for svg in svgElements(html) {
            let parsed = try #require(ElementCollector.parse(svg), "SVG is well-formed XML: \(svg.prefix(200))")
            #expect(parsed.elements.first == "svg")
            #expect(!parsed.elements.contains("script") && !parsed.elements.contains("img"))
        }
        let md = try ReportRenderer.render(handBuiltDocument(name: name), format: .markdown)
        // In Markdown every `<` from data is backslash-escaped, so no tag can start.
        let characters = Array(md)
        for (i, c) in characters.enumerated() where c == "<" { #expect(i > 0 && characters[i - 1] == "\\", "unescaped < in Markdown") }
    }
}

@Suite("Charts")
struct ChartTests {
    @Test("Every chart kind is well-formed SVG with labelled axes and no non-finite coordinates")
    func svgValidity() throws {
        let doc = try DisclosurePolicy().apply(to: handBuiltDocument(name: "x"))
        var charts: [Chart] = []
        func collect(_ s: Section) {
            for b in s.blocks { if case let .chart(c) = b { charts.append(c) } }
            s.subsections.forEach(collect)
        }
        doc.sections.forEach(collect)
        #expect(charts.count == 4)
        for (i, c) in charts.enumerated() {
            let svg = SVGChart.render(c, id: "c\(i)")
            let parsed = try #require(ElementCollector.parse(svg), "\(c.title) is not well-formed")
            #expect(parsed.elements.first == "svg")
            #expect(parsed.elements.contains("title") && parsed.elements.contains("desc"))
            #expect(parsed.text.contains(c.xAxis.title), "x axis labelled with its unit")
            expectClean(svg, c.title)
            // Coordinates are fixed-decimal numbers.
            for attributes in parsed.attributes {
                for key in ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height"] {
                    if let v = attributes[key] { #expect(Double(v) != nil && Double(v)!.isFinite, "\(key)=\(v)") }
                }
            }
        }
    }

    @Test("Points resting on small counts and non-finite points are withheld, with a note")
    func chartDisclosure() throws {
        let doc = try DisclosurePolicy().apply(to: handBuiltDocument(name: "x"))
        guard case let .chart(c) = doc.sections[0].subsections[0].blocks[1] else { Issue.record("no chart"); return }
        let points = c.series[0].points
        #expect(points.count == 2, "the infinite point goes, the one with 3 cases, and the one with 50 so that 3 cannot be worked out")
        #expect(!points.contains { $0.count != nil })
        #expect(c.notes.contains { $0.contains("fewer than 11 people") })
        #expect(c.notes.contains { $0.contains("finite") })
        // The data table holds the same points.
        #expect(c.dataTable().rows.count == 2)
    }

    @Test("Nice ticks and deterministic labels")
    func ticks() {
        let t = SVGChart.ticks(0, 1)
        #expect(t.values == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1] || t.values.count == 6)
        #expect(SVGChart.tickLabel(0.25, step: 0.05, format: .decimal(2)) == "0.25")
        #expect(SVGChart.tickLabel(0.4, step: 0.2, format: .percent(0)) == "40%")
        #expect(SVGChart.ticks(0, 187).step == 50)
    }
}
