import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensSimulator
@testable import PeerLensStore

/// Strings a log could carry in an id, a space name or a version, meant to break out of HTML or SVG.
let hostile = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>", "a&b</title><script>x</script>"]

/// A small simulated community, ingested once, shared by the audience-report tests.
let simulatedStore: EventStore = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-report-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    _ = try! Simulator(config: SimulationConfig(seed: 21, members: 3000, days: 42)).run(into: sink)
    try! sink.close()
    let store = try! EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return store
}()

/// Report options with a fixed generation time, so that output is reproducible.
func testOptions(k: Int = 11, lowered: Bool = false) -> ReportOptions {
    var o = ReportOptions(disclosure: try! DisclosurePolicy(threshold: k, allowLowering: lowered), generatedAt: "2026-03-01T00:00:00Z",
                          command: "peerlens report --audience test", toolVersion: "test")
    o.replicates = 200
    o.healthReplicates = 100
    return o
}

/// A provenance block for hand-built documents.
func testProvenance(k: Int = 11) -> Provenance {
    Provenance(toolVersion: "test", libraries: ["gsl": "2.7"], store: StoreFingerprint(path: "s.sqlite", files: [], combinedSHA256: String(repeating: "0", count: 64)),
               command: "peerlens report", options: ["min_cell": "\(k)"], generatedAt: "2026-03-01T00:00:00Z", disclosureThreshold: k)
}

/// A hand-built document with every kind of block, log-like hostile strings in names, a small count and a
/// non-finite value.
func handBuiltDocument(name: String = hostile[1]) -> ReportDocument {
    let table = Table(caption: "Groups in \(name)", columns: [Column("Group", alignment: .left), Column("Members", unit: "n"), Column("Share", unit: "%")],
                      rows: [[.text(name), .count(120), .number(NumberCell(0.6, format: .percent(1), lower: 0.5, upper: 0.7, derivedFrom: CellReference(row: 0, column: 1)))],
                             [.text("b"), .count(4), .number(NumberCell(0.02, format: .percent(1), derivedFrom: CellReference(row: 1, column: 1)))],
                             [.text("c"), .count(76), .number(NumberCell(.nan, format: .percent(1)))]],
                      margins: [MarginGroup(rows: [0, 1, 2], columns: [1])])
    let chart = Chart(title: "Curve of \(name)", description: "A test curve for \(name).", kind: .line,
                      xAxis: Axis("Threshold", unit: "score", lower: 0, upper: 1), yAxis: Axis("Sensitivity", unit: "proportion", lower: 0, upper: 1),
                      series: [ChartSeries(name, points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 0.5, y: 0.7, lower: 0.6, upper: 0.8, count: 50),
                                                         ChartPoint(x: 0.7, y: .infinity), ChartPoint(x: 0.8, y: 0.9, count: 3), ChartPoint(x: 1, y: 1)], band: true)],
                      markers: [ChartMarker("deployed \(name)", x: 0.5, y: 0.7)], diagonal: true, showCounts: true)
    let forest = Chart(title: "Forest", description: "Rates by group.", kind: .forest, xAxis: Axis("Rate", unit: "%", format: .percent(0)), yAxis: Axis("Group"),
                       series: [ChartSeries("rate", points: [ChartPoint(x: 0.3, y: 0, lower: 0.2, upper: 0.4, count: 40, label: name),
                                                             ChartPoint(x: 0.5, y: 0, lower: 0.4, upper: 0.6, count: 44, label: "b")])],
                       markers: [ChartMarker("overall", x: 0.4)])
    let periods = Chart(title: "Weekly", description: "Index per week.", kind: .periods, xAxis: Axis("Week"), yAxis: Axis("Index", unit: "0–100", lower: 0, upper: 100, format: .decimal(0)),
                        series: [ChartSeries("index", points: (0..<6).map { ChartPoint(x: 0, y: 50 + Double($0), lower: 45, upper: 60, label: "2026-01-0\($0 + 1)") }, band: true)])
    let bars = Chart(title: "Bars", description: "Counts.", kind: .bars, xAxis: Axis("Hour"), yAxis: Axis("Alerts", unit: "n", format: .integer),
                     series: [ChartSeries("alerts", points: [ChartPoint(x: 0, y: 12, count: 12, label: "00"), ChartPoint(x: 1, y: 30, count: 30, label: "01")])])
    return ReportDocument(
        title: "Report on \(name)", audience: .safety, subtitle: "Space \(name), version \(hostile[0])", provenance: testProvenance(),
        disclosure: try! DisclosurePolicy(),
        sections: [
            Section("Summary of \(name)", blocks: [
                .paragraph(Paragraph(runs: [TextRun("Version \(hostile[0]) ", emphasis: .strong), TextRun("is deployed in \(name).")])),
                .keyFigures([KeyFigure(label: "Alerts in \(name)", value: "42", interval: "95% CI 1 to 2", tag: "SDG 3.4", note: "In \(name).", basis: 42),
                             KeyFigure(label: "Small", value: "3", basis: 3)]),
                .note(Note("Caveat about \(name)", kind: .caveat)),
                .list(ListBlock(["item \(name)", "second"])),
            ], subsections: [Section("Detail", blocks: [.table(table), .chart(chart)])]),
            Section("Charts", blocks: [.chart(forest), .chart(periods), .chart(bars)]),
        ])
}

/// Every count of a count cell or chart point in a rendered JSON report, found by walking the JSON.
func countCells(inJSON text: String) throws -> [Int] {
    let root = try JSONSerialization.jsonObject(with: Data(text.utf8))
    var out: [Int] = []
    func walk(_ v: Any) {
        if let d = v as? [String: Any] {
            if d["kind"] as? String == "count", let n = d["value"] as? Int { out.append(n) }
            if d["x"] != nil, d["y"] != nil, let n = d["count"] as? Int { out.append(n) } // chart points
            for x in d.values { walk(x) }
        } else if let a = v as? [Any] {
            for x in a { walk(x) }
        }
    }
    walk(root)
    return out
}
