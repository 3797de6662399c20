import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensStore

/// Headings of a document's top-level sections.
func headings(_ d: ReportDocument) -> [String] { d.sections.map(\.heading) }

/// Every table in a document (charts' data tables included).
func tables(_ d: ReportDocument) -> [Table] {
    var out: [Table] = []
    func walk(_ s: Section) {
        for b in s.blocks {
            if case let .table(t) = b { out.append(t) }
            if case let .chart(c) = b { out.append(c.dataTable()) }
        }
        s.subsections.forEach(walk)
    }
    d.sections.forEach(walk)
    return out
}

@Suite("Audience reports on a simulated store", .serialized)
struct AudienceReportTests {
    func render(_ audience: Audience, options: ReportOptions = testOptions()) throws -> (ReportDocument, [ReportFormat: String]) {
        let context = try ReportContext(store: simulatedStore, options: options)
        let doc = try AudienceReport.build(audience, context: context)
        var out: [ReportFormat: String] = [:]
        for f in ReportFormat.allCases { out[f] = try ReportRenderer.render(doc, format: f) }
        return (doc, out)
    }

    /// What every audience report must satisfy.
    func expectSound(_ doc: ReportDocument, _ out: [ReportFormat: String], k: Int = 10) throws {
        for (format, text) in out { expectClean(text, "\(String(describing: doc.audience)) \(format)") }
        let html = try #require(out[.html])
        #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("<h2 id=\"provenance-h\">Provenance and disclosure control</h2>"))
        for svg in svgElements(html) { #expect(ElementCollector.parse(svg) != nil, "malformed SVG in the \(doc.audience) report") }
        // No published count below k, anywhere in the JSON (cells and chart points).
        let counts = try countCells(inJSON: try #require(out[.json]))
        #expect(!counts.isEmpty)
        #expect(counts.allSatisfy { $0 == 0 || $0 >= k }, "small counts: \(counts.filter { $0 > 0 && $0 < k })")
        // Every table has a caption and as many cells per row as columns.
        for t in tables(doc) {
            #expect(!t.caption.isEmpty)
            for row in t.rows { #expect(row.count == t.columns.count, "\(t.caption): \(row.count) cells for \(t.columns.count) columns") }
        }
        #expect(doc.provenance.store.files.count == 1)
        #expect(doc.provenance.store.combinedSHA256.count == 64)
    }

    @Test("Each report's provenance lists only the options that shape its figures, and the disclosure policy")
    func provenancePerAudience() {
        var options = testOptions()
        options.cost = 250_000
        let safety = options.described(for: .safety), funder = options.described(for: .funder), research = options.described(for: .research)
        #expect(safety["model"] == "crisis" && safety["min_sensitivity"] == "0.80" && safety["review_rule"] == "latest" && safety["cost"] == nil)
        #expect(funder["cost"] != nil && funder["model"] == nil && funder["min_sensitivity"] == nil && funder["review_rule"] == nil)
        #expect(research["model"] == nil && research["cost"] == nil && research["health_replicates"] == "100")
        for d in [safety, funder, research] { #expect(d["min_cell"] == "11" && d["seed"] == "1") }
    }

    @Test("Safety report: the review design (Hájek estimator, assumption, review rule) and reviewer agreement; --review-rule in the provenance")
    func safetyReviewDesign() throws {
        var options = testOptions()
        options.reviews.rule = .mostSevere
        let (doc, out) = try render(.safety, options: options)
        #expect(doc.provenance.options["review_rule"] == "most-severe")
        let json = try #require(out[.json])
        #expect(json.contains("inverse-probability weighting, Hájek form") && json.contains("review selection depends only on the recorded inclusion probability"))
        #expect(json.contains("review rule most-severe"))
        let agreement = try #require(doc.sections.first { $0.heading == "Reviewer agreement" })
        #expect(agreement.blocks.contains { if case let .table(t) = $0 { t.rows.contains { $0.first == .text("Fleiss' κ, label") } } else { false } })
    }

    @Test("Safety report: summary, calibration, thresholds, disparities, drift, comparison, crisis, moderation, load")
    func safety() throws {
        let (doc, out) = try render(.safety)
        #expect(headings(doc) == ["Summary", "Discrimination and calibration", "Reviewer agreement", "Threshold and recommendation", "Decision curve", "Subgroup disparities",
                                  "Drift", "Version comparison", "Crisis response", "Self-harm item in check-ins: a second detection channel",
                                  "Moderation and appeals", "Responder load"])
        try expectSound(doc, out)
        // Culture is among the default subgroups (issue 12); the risk-item section is the crisis command's.
        let subgroups = try #require(doc.sections.first { $0.heading == "Subgroup disparities" })
        #expect(subgroups.subsections.map(\.id) == ["subgroups-language", "subgroups-gender", "subgroups-age-band", "subgroups-resource-setting", "subgroups-culture"])
        #expect(doc.sections.contains { $0.id == "crisis-risk-item" })
        let html = try #require(out[.html])
        #expect(html.contains("ROC curve of crisis"))
        #expect(html.contains("Reliability diagram of crisis"))
        #expect(html.contains("Alerts per day against sensitivity"))
        // Issue 12: the decision curve (chart and table from a threshold probability of 0.005) and Spiegelhalter's z.
        let curve = try #require(doc.sections.first { $0.heading == "Decision curve" })
        #expect(curve.blocks.contains { if case let .chart(c) = $0 { c.title.hasPrefix("Decision curve") && c.series.first?.points.first?.x == 0.005 } else { false } })
        let netBenefit = try #require(tables(doc).first { $0.caption.hasPrefix("Net benefit (decision curve)") })
        #expect(netBenefit.rows.count == 23)
        #expect(html.contains("Decision curve, crisis"))
        #expect(tables(doc).contains { t in t.caption.hasPrefix("Discrimination and calibration of crisis") && t.columns.contains { $0.heading == "Spiegelhalter z" } })
        #expect(html.contains("Share of crisis alerts answered by a human"))
        #expect(svgElements(html).count >= 8)
        #expect(try #require(out[.markdown]).contains("Policy: sensitivity ≥ 0.8 with the fewest alerts"))
        // The recommendation in staff terms, first in the summary (issue 14: a table of thresholds); burden columns
        // at every threshold row; no responder-hours without a declared rota, and the report says why (issue 12).
        let summary = doc.sections[0].blocks.compactMap { if case let .table(t) = $0 { return t } else { return nil } }
        #expect(summary.first?.columns.map(\.heading).prefix(6) == ["Threshold", "Status", "Alerts per day", "Sensitivity", "Not crises", "Missed crises per week"])
        let markdown = try #require(out[.markdown])
        #expect(markdown.contains("× today's"))
        #expect(markdown.contains("Alerts that are not crises") && markdown.contains("alerts per crisis found (NNE)") && markdown.contains("Missed crises per week"))
        #expect(!markdown.contains("Alerts per responder-hour (") && markdown.contains("no rota was declared"))
    }

    @Test("Funder report: headline figures tied to SDG targets, intervals in words, cost per outcome")
    func funder() throws {
        var o = testOptions()
        o.cost = 100_000
        let (doc, out) = try render(.funder, options: o)
        #expect(headings(doc) == ["Summary", "At a glance", "Reach and equity", "Outcomes", "Safety", "Cost per outcome", "Community health", "What these figures cannot tell"])
        try expectSound(doc, out)
        guard case let .keyFigures(figures) = doc.sections[1].blocks[0] else { Issue.record("no headline figures"); return }
        #expect(figures.allSatisfy { $0.tag?.hasPrefix("SDG ") == true })
        #expect(figures.contains { ($0.interval ?? "").hasPrefix("between ") })
        #expect(try #require(out[.markdown]).contains("USD "))
        // No figure claims SDG indicator 3.4.2 (suicide mortality): crisis alerts contribute to target 3.4.
        let all = doc.sections.flatMap(\.blocks).flatMap { block -> [KeyFigure] in if case let .keyFigures(f) = block { return f } else { return [] } }
        #expect(all.allSatisfy { !($0.tag ?? "").contains("3.4.2") })
        #expect(!(try #require(out[.markdown])).contains("SDG 3.4.2") && !(doc.subtitle ?? "").contains("3.4.2"))
        #expect(all.contains { $0.label == "Crisis alerts answered within 15 minutes" && $0.tag == "SDG 3.4" })
    }

    @Test("Research report: Table 1, the research analyses, community health, generated Methods and Limitations")
    func research() throws {
        let (doc, out) = try render(.research)
        #expect(headings(doc) == ["Summary", "Cohort", "Mood outcomes", "Engagement and retention", "Peer matching", "Support groups", "Skills and training",
                                  "Community health", "Methods", "Limitations"])
        try expectSound(doc, out)
        let md = try #require(out[.markdown])
        #expect(md.contains("Table 1. Members by role and characteristic"))
        #expect(md.contains("Excluded: no research consent"))
        #expect(md.contains("Random seeds"))
        #expect(md.contains("GNU Scientific Library"))
        #expect(md.contains("Reliable change and recovery") && md.contains("Retention at 7") && md.contains("Outcomes by decile of the match score"))
        #expect(md.contains("With two or more PHQ-9 check-ins"))
    }

    @Test("A lowered k is allowed for research with the flag, and stated")
    func loweredK() throws {
        let (doc, out) = try render(.research, options: testOptions(k: 5, lowered: true))
        try expectSound(doc, out, k: 5)
        #expect(try #require(out[.markdown]).contains("lowered from 11 to 5"))
    }

    @Test("Same store, options and generation time: byte-identical reports")
    func determinism() throws {
        let (_, a) = try render(.safety)
        let (_, b) = try render(.safety)
        for f in ReportFormat.allCases { #expect(a[f] == b[f], "\(f) differs between two runs") }
    }

    @Test("Hostile space names and versions from the logs render as text")
    func hostileStore() throws {
        // A copy of the simulated store with log strings an attacker controls replaced.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-report-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("store.sqlite").path
        try simulatedStore.queue.backup(to: try EventStore(path: path).queue)
        let store = try EventStore(path: path)
        try store.queue.write { db in
            try db.execute(sql: "UPDATE score SET version = ? WHERE version = 'v2'", arguments: [hostile[1]])
            try db.execute(sql: "UPDATE member SET language = ? WHERE language = 'en-GB'", arguments: [hostile[0]])
            try db.execute(sql: "UPDATE member SET gender = ? WHERE gender = 'woman'", arguments: [hostile[2]])
        }
        let context = try ReportContext(store: store, options: testOptions())
        for audience in [Audience.safety, .research] {
            let html = try ReportRenderer.render(try AudienceReport.build(audience, context: context), format: .html)
            #expect(!html.contains("<script"), "\(audience)")
            #expect(!html.contains("<img"), "\(audience)")
            #expect(!html.contains("<svg onload"), "\(audience)")
            for svg in svgElements(html) { #expect(ElementCollector.parse(svg) != nil) }
        }
        let safety = try ReportRenderer.render(try AudienceReport.build(.safety, context: context), format: .html)
        #expect(safety.contains(HTML.escape(hostile[1])), "the hostile version is shown, escaped")
    }
}
