import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport

/// WCAG 2.x relative luminance of `#rrggbb`.
func relativeLuminance(_ hex: String) -> Double {
    let digits = Array(hex.dropFirst())
    func channel(_ i: Int) -> Double {
        let c = Double(Int(String(digits[i..<i + 2]), radix: 16)!) / 255
        return c <= 0.04045 ? c / 12.92 : Foundation.pow((c + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

/// WCAG contrast ratio of two colours, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter.
func contrast(_ a: String, _ b: String) -> Double {
    let la = relativeLuminance(a), lb = relativeLuminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

/// The vertices of an SVG path written by `SVGChart.path` (absolute M, L, H and V commands).
func pathVertices(_ d: String) -> [(Double, Double)] {
    var out: [(Double, Double)] = []
    var x = 0.0, y = 0.0
    let tokens = d.replacingOccurrences(of: "M", with: " M ").replacingOccurrences(of: "L", with: " L ")
        .replacingOccurrences(of: "H", with: " H ").replacingOccurrences(of: "V", with: " V ").split(separator: " ").map(String.init)
    var i = 0
    while i < tokens.count {
        switch tokens[i] {
        case "M", "L": x = Double(tokens[i + 1])!; y = Double(tokens[i + 2])!; i += 3
        case "H": x = Double(tokens[i + 1])!; i += 2
        case "V": y = Double(tokens[i + 1])!; i += 2
        default: i += 1; continue
        }
        out.append((x, y))
    }
    return out
}

/// Distance from a point to a polyline.
func distance(_ p: (Double, Double), to line: [(Double, Double)]) -> Double {
    var best = Double.infinity
    for (a, b) in zip(line, line.dropFirst()) {
        let dx = b.0 - a.0, dy = b.1 - a.1
        let t = dx == 0 && dy == 0 ? 0 : max(0, min(1, ((p.0 - a.0) * dx + (p.1 - a.1) * dy) / (dx * dx + dy * dy)))
        best = min(best, Foundation.hypot(p.0 - (a.0 + t * dx), p.1 - (a.1 + t * dy)))
    }
    if line.count == 1 { best = Foundation.hypot(p.0 - line[0].0, p.1 - line[0].1) }
    return best
}

/// The value of `name="…"` in an element's start tag.
func attribute(_ name: String, in tag: Substring) -> String? {
    guard let r = tag.range(of: " \(name)=\"") else { return nil }
    return String(tag[r.upperBound...].prefix { $0 != "\"" })
}

/// Every start tag `<name …>` in `text`.
func startTags(_ name: String, in text: String) -> [Substring] {
    var out: [Substring] = []
    var rest = text[...]
    while let r = rest.range(of: "<\(name) ") {
        let end = rest[r.lowerBound...].firstIndex(of: ">") ?? rest.endIndex
        out.append(rest[r.lowerBound..<end])
        rest = rest[end...]
    }
    return out
}

/// For each marker that names its series in `svg`: its distance (user units) from that series' drawn line.
func markerDistances(_ svg: String) -> [(series: String, distance: Double)] {
    let curves = startTags("path", in: svg).filter { $0.contains("class=\"curve\"") }
    return startTags("path", in: svg).filter { $0.contains("class=\"marker") }.compactMap { m in
        guard let series = attribute("data-series", in: m), let x = attribute("data-x", in: m).flatMap(Double.init),
              let y = attribute("data-y", in: m).flatMap(Double.init) else { return nil }
        guard let curve = curves.first(where: { attribute("data-series", in: $0) == series }), let d = attribute("d", in: curve) else {
            return (series, .infinity)
        }
        return (series, distance((x, y), to: pathVertices(d)))
    }
}

/// Every chart in a document.
func charts(_ d: ReportDocument) -> [Chart] {
    var out: [Chart] = []
    func walk(_ s: Section) {
        for case let .chart(c) in s.blocks { out.append(c) }
        s.subsections.forEach(walk)
    }
    d.sections.forEach(walk)
    return out
}

@Suite("Charts that read right")
struct ChartReadingTests {
    @Test("Series colours have at least 3:1 contrast against the chart background, light and dark; ink at least 7:1")
    func colourContrast() {
        for c in SVGChart.palette { #expect(contrast(c, SVGChart.background) >= 3, "\(c) on \(SVGChart.background): \(contrast(c, SVGChart.background))") }
        for c in SVGChart.darkPalette { #expect(contrast(c, SVGChart.darkBackground) >= 3, "\(c) on \(SVGChart.darkBackground): \(contrast(c, SVGChart.darkBackground))") }
        #expect(contrast(SVGChart.ink, SVGChart.background) >= 7)
        #expect(contrast(SVGChart.darkInk, SVGChart.darkBackground) >= 7)
        #expect(SVGChart.palette.count == SVGChart.darkPalette.count)
        // The old band fill (#0072B2 at 18% on white) is the defect: 1.29:1. Bands are outlined in the series colour now.
        #expect(contrast("#d1e6f1", "#ffffff") < 3)
        let chart = Chart(title: "t", description: "d", kind: .line, xAxis: Axis("x"), yAxis: Axis("y"),
                          series: [ChartSeries("s", points: [ChartPoint(x: 0, y: 1, lower: 0.5, upper: 1.5), ChartPoint(x: 1, y: 2, lower: 1.5, upper: 2.5)], band: true)])
        let svg = SVGChart.render(chart, id: "c")
        let band = startTags("path", in: svg).first { $0.contains("class=\"band\"") }
        #expect(band?.contains("stroke=\"currentColor\"") == true, "the band is outlined")
        #expect(svg.contains("color=\"\(SVGChart.palette[0])\""), "drawn in the series colour")
        // The dark stylesheet maps every light series colour to its dark one.
        for (light, dark) in zip(SVGChart.palette, SVGChart.darkPalette) {
            #expect(HTMLRenderer.css.contains("svg.chart [color=\"\(light)\"]{color:\(dark)}"))
        }
        #expect(HTMLRenderer.css.contains("@media (prefers-color-scheme:dark)"))
    }

    @Test("A marker that names its series is drawn on that series' line, in both layouts")
    func markerOnCurve() {
        let points = [ChartPoint(x: 0, y: 0), ChartPoint(x: 0.1, y: 0.35), ChartPoint(x: 0.396, y: 0.804), ChartPoint(x: 1, y: 1)]
        let other = [ChartPoint(x: 0, y: 0), ChartPoint(x: 0.2, y: 0.82), ChartPoint(x: 1, y: 1)]
        let chart = Chart(title: "ROC", description: "d", kind: .line, xAxis: Axis("FPR", lower: 0, upper: 1), yAxis: Axis("Sensitivity", lower: 0, upper: 1),
                          series: [ChartSeries("v1", points: points), ChartSeries("v2", points: other)],
                          markers: [ChartMarker("recommended", x: 0.396, y: 0.804, series: "v1")], diagonal: true)
        for layout in [SVGChart.Layout.wide, .compact] {
            let d = markerDistances(SVGChart.render(chart, id: "c", layout: layout))
            #expect(d.count == 1)
            #expect(d.allSatisfy { $0.series == "v1" && $0.distance <= 0.2 }, "\(d)")
        }
        // Named for the wrong series, the same marker is measurably off it (the measurement can fail).
        var wrong = chart
        wrong.markers[0].series = "v2"
        #expect(markerDistances(SVGChart.render(wrong, id: "c")).allSatisfy { $0.distance > 10 })
    }

    @Test("Logarithmic axis: 1–2–5 ticks within the range, thinned when they would crowd, equal ratios equal space")
    func logAxis() {
        #expect(SVGChart.logTicks(0.4, 25) == [0.5, 1, 2, 5, 10, 20])
        #expect(SVGChart.logTicks(0.01, 1000) == [0.01, 0.1, 1, 10, 100, 1000])
        #expect(SVGChart.logTicks(0.9, 1.1).count >= 2)
        let s = SVGChart.Scale(lower: 0.5, upper: 8, from: 0, to: 400, log: true)
        #expect(abs((s.map(2) - s.map(1)) - (s.map(8) - s.map(4))) < 1e-9)
        let axis = Axis("Odds ratio", format: .decimal(2), scale: .log)
        #expect(SVGChart.axisTicks(axis, (0.4, 25), target: 5).map(\.label) == ["0.5", "1", "2", "5", "10", "20"])
        // Written to JSON only when logarithmic, and read back.
        let json = String(decoding: try! JSONEncoder().encode(axis), as: UTF8.self)
        #expect(json.contains("\"scale\":\"log\""))
        #expect(!String(decoding: try! JSONEncoder().encode(Axis("x")), as: UTF8.self).contains("scale"))
        #expect(try! JSONDecoder().decode(Axis.self, from: Data(json.utf8)) == axis)
    }

    @Test("Linear ticks: at least four where the range allows, at most about the target")
    func linearTicks() {
        #expect(SVGChart.ticks(-3.8, 1.2).values.count >= 4)
        #expect(SVGChart.ticks(-2.6, 0.3).values.count >= 4, "the GAD-7 range that had two ticks")
        #expect(SVGChart.ticks(0, 187).step == 50)
        #expect(SVGChart.ticks(0, 1, target: 4).values.count <= 6)
    }

    @Test("An axis of proportions shown as percentages says %, not proportion")
    func unitAgreesWithTicks() {
        #expect(Axis("Answered", unit: "proportion", format: .percent(0)).title == "Answered (%)")
        #expect(Axis("Sensitivity", unit: "proportion", format: .decimal(2)).title == "Sensitivity (proportion)")
        #expect(Axis("Alerts", unit: "alerts/day", format: .percent(0)).title == "Alerts (alerts/day)")
    }

    @Test("Charts compared side by side share one x range, from their published points")
    func sharedRange() throws {
        func dose(_ name: String, _ xs: [Double]) -> Block {
            .chart(Chart(title: name, description: "d", kind: .forest, xAxis: Axis("Change", unit: "points", format: .decimal(1)), yAxis: Axis("Sessions"),
                         series: [ChartSeries("change", points: xs.enumerated().map { ChartPoint(x: $1, y: 0, lower: $1 - 0.5, upper: $1 + 0.5, label: "g\($0)") })],
                         xRangeGroup: "dose"))
        }
        let sections = ReportRenderer.shareRanges([Section("A", blocks: [dose("PHQ-9", [-2, -1]), dose("GAD-7", [-0.5, 0.2])])])
        let shared = charts(ReportDocument(title: "t", provenance: testProvenance(), disclosure: try DisclosurePolicy(), sections: sections))
        #expect(shared.count == 2)
        #expect(shared[0].xAxis.lower == shared[1].xAxis.lower && shared[0].xAxis.upper == shared[1].xAxis.upper)
        let lower = try #require(shared[0].xAxis.lower), upper = try #require(shared[0].xAxis.upper)
        #expect(lower <= -2.5 && upper >= 0.7)
    }

    @Test("Labels avoid each other: marker labels at the same point get distinct places")
    func labelsApart() {
        let chart = Chart(title: "t", description: "d", kind: .line, xAxis: Axis("x", lower: 0, upper: 1), yAxis: Axis("y", lower: 0, upper: 1),
                          series: [ChartSeries("s", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 0.5, y: 0.5), ChartPoint(x: 1, y: 1)])],
                          markers: [ChartMarker("deployed 0.35", x: 0.5, y: 0.5, series: "s"), ChartMarker("recommended 0.03", x: 0.52, y: 0.52, series: "s")])
        for layout in [SVGChart.Layout.wide, .compact] {
            let svg = SVGChart.render(chart, id: "c", layout: layout)
            let texts = startTags("text", in: svg).filter { $0.contains("class=\"halo\"") }
            let places = texts.compactMap { t in attribute("y", in: t).flatMap(Double.init).map { y in (attribute("x", in: t) ?? "", y) } }
            #expect(places.count == 2)
            // Two 13–15 unit labels whose baselines differ by less than a line would overlap if they also shared x.
            if places.count == 2 { #expect(abs(places[0].1 - places[1].1) >= layout.fontSize || places[0].0 != places[1].0) }
        }
    }
}

@Suite("Downloads in the HTML page")
struct DownloadTests {
    @Test("CSV: RFC 4180 quoting, CRLF, numbers as numbers, intervals in their own columns, formula injection guarded in text only")
    func csv() {
        let table = Table(caption: "c", columns: [Column("Group", alignment: .left), Column("Share", unit: "proportion"), Column("Change", unit: "points"), Column("People", unit: "n")],
                          rows: [[.text("=HYPERLINK(\"x\")"), .number(NumberCell(0.4123, format: .percent(1), lower: 0.38, upper: 0.45)), .number(NumberCell(-0.5, format: .signed(2))), .count(1234)],
                                 [.text("a, b"), .suppressed, .number(NumberCell(-12345.678, format: .decimal(1))), .suppressed],
                                 [.text("-1 cm\nnext line"), .notEvaluable("few"), .empty, .count(20)],
                                 [.text("@user +x"), .number(NumberCell(0.5, format: .percent(0))), .number(NumberCell(1.25, format: .signed(2))), .count(11)]])
        let csv = CSVTable.render(table)
        #expect(csv.hasSuffix("\r\n"))
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "Group,Share (%),Share lower (%),Share upper (%),Change (points),People (n)")
        #expect(lines[1] == "\"'=HYPERLINK(\"\"x\"\")\",41.2,38.0,45.0,-0.50,1234")
        #expect(lines[2] == "\"a, b\",suppressed,,,-12345.7,suppressed")
        #expect(lines[3] == "\"'-1 cm\nnext line\",not evaluable,,,,20")
        #expect(lines[4] == "'@user +x,50,,,1.25,11")
        #expect(CSVTable.field(text: "+1") == "'+1" && CSVTable.field(text: "−1") == "−1" && CSVTable.field(text: "plain") == "plain")
    }

    @Test("The page carries the report's JSON (the JSON renderer's bytes) and each table's CSV as data: links")
    func dataLinks() throws {
        let doc = handBuiltDocument(name: "space one")
        let html = try ReportRenderer.render(doc, format: .html)
        let json = try ReportRenderer.render(doc, format: .json)
        let links = startTags("a", in: html).filter { $0.contains(" download=\"") }
        let jsonLink = try #require(links.first { attribute("href", in: $0)?.hasPrefix("data:application/json;base64,") == true })
        let encoded = try #require(attribute("href", in: jsonLink)).dropFirst("data:application/json;base64,".count)
        let decoded = try #require(Data(base64Encoded: String(encoded)))
        #expect(decoded == Data(json.utf8), "the JSON download is the JSON renderer's output")
        // One CSV per table (charts' data tables included), each decoding to the table's CSV.
        let csvLinks = links.filter { attribute("href", in: $0)?.hasPrefix("data:text/csv;charset=utf-8;base64,") == true }
        #expect(csvLinks.count == html.components(separatedBy: "<table>").count - 1)
        for link in csvLinks {
            let href = try #require(attribute("href", in: link))
            let data = try #require(Data(base64Encoded: String(href.drop { $0 != "," }.dropFirst())))
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.hasSuffix("\r\n") && !text.isEmpty)
            #expect(attribute("download", in: link)?.hasSuffix(".csv") == true)
        }
        // Still no scripts and nothing fetched: data links are followed only when the reader asks.
        #expect(!html.contains("<script") && !html.contains("src="))
    }

    @Test("Skip link, dark mode, cards on phones, print expands data tables, the disclosure note once")
    func pageStructure() throws {
        let doc = handBuiltDocument(name: "space one")
        let html = try ReportRenderer.render(doc, format: .html)
        #expect(html.contains("<a class=\"skip\" href=\"#main-content\">") && html.contains("<main id=\"main-content\">"))
        #expect(html.contains("content:attr(data-label)") && html.contains(" data-label=\""))
        #expect(html.contains("details::details-content{content-visibility:visible"))
        #expect(html.components(separatedBy: doc.disclosure.description).count - 1 == 1, "the disclosure note once (in the provenance section)")
        // No th without text.
        #expect(!html.contains("<th scope=\"col\"></th>") && !html.contains("<th scope=\"col\" class=\"num\"></th>"))
        // Headers wrap rather than being cut; charts have no minimum width and two layouts switched by a media query.
        #expect(!HTMLRenderer.css.contains("thead th{border-bottom:2px solid #1a1a1a;text-align:left;white-space:nowrap"))
        #expect(!HTMLRenderer.css.contains("min-width:34rem"))
        #expect(html.contains("class=\"chart chart-wide\"") && html.contains("class=\"chart chart-compact\""))
    }

    @Test("A wide, short table is shown turned in HTML: one row per measure, each cell labelled for cards")
    func turnedTable() {
        let columns = [Column("Version", alignment: .left)] + (1...11).map { Column("Measure \($0)") }
        let rows: [[Cell]] = ["v1", "v2"].map { v in [.text(v)] + (1...11).map { .number(NumberCell(Double($0) / 10, format: .decimal(2))) } }
        let wide = Table(caption: "Per version", columns: columns, rows: rows)
        #expect(HTMLRenderer.turned(wide))
        let html = HTMLRenderer.table(wide)
        #expect(html.contains("<th scope=\"col\">Version</th><th scope=\"col\" class=\"num\">v1</th><th scope=\"col\" class=\"num\">v2</th>"))
        #expect(html.contains("<tr><th scope=\"row\" data-label=\"Version\">Measure 3</th><td class=\"num\" data-label=\"v1\">0.30</td><td class=\"num\" data-label=\"v2\">0.30</td></tr>"))
        // The CSV keeps the table as it is.
        #expect(CSVTable.render(wide).hasPrefix("Version,Measure 1,"))
        // A long table is not turned.
        #expect(!HTMLRenderer.turned(Table(caption: "Long", columns: columns, rows: Array(repeating: rows[0], count: 5))))
    }
}

@Suite("The audience reports read right", .serialized)
struct AudienceReadingTests {
    @Test("Every marked point is one of its series' points, and is drawn on that series' line", arguments: [Audience.safety, .research])
    func markersOnCurves(_ audience: Audience) throws {
        let context = try ReportContext(store: simulatedStore, options: testOptions())
        let doc = try AudienceReport.build(audience, context: context)
        var named = 0
        for chart in charts(doc) {
            for m in chart.markers {
                guard let name = m.series, let x = m.x, let y = m.y else { continue }
                named += 1
                let series = try #require(chart.series.first { $0.name == name }, "\(chart.title): no series \(name)")
                #expect(series.points.contains { $0.x == x && $0.y == y }, "\(chart.title): \(m.label) is not a point of \(name)")
            }
        }
        if audience == .safety { #expect(named >= 4, "the deployed and recommended thresholds on the ROC, PR and workload curves") }
        let html = try ReportRenderer.render(doc, format: .html)
        for svg in svgElements(html) {
            for d in markerDistances(svg) { #expect(d.distance <= 0.2, "a marker \(d.distance) units from \(d.series)") }
        }
    }

    @Test("No table has an empty column heading, and no axis says proportion over percentage ticks", arguments: Audience.allCases)
    func headingsAndUnits(_ audience: Audience) throws {
        var options = testOptions()
        if audience == .funder { options.cost = 250_000 }
        let context = try ReportContext(store: simulatedStore, options: options)
        let doc = try AudienceReport.build(audience, context: context)
        for t in tables(doc) { #expect(!t.columns.contains { $0.title.trimmingCharacters(in: .whitespaces).isEmpty }, "\(t.caption)") }
        for c in charts(doc) {
            for axis in [c.xAxis, c.yAxis] {
                if case .percent = axis.format { #expect(!axis.title.contains("proportion"), "\(c.title): \(axis.title)") }
            }
        }
    }
}
