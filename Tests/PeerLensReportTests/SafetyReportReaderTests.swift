import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensSafety
@testable import PeerLensStore

/// The safety report as its readers meet it (issue 14): the answer first, deciding columns first, words and
/// numbers for people.
@Suite("Safety report for readers", .serialized)
struct SafetyReportReaderTests {
    /// The safety report of the simulated store, its document and its renderings.
    static let rendered: (doc: ReportDocument, out: [ReportFormat: String]) = {
        let context = try! ReportContext(store: simulatedStore, options: testOptions())
        let doc = try! SafetyReport.build(context)
        var out: [ReportFormat: String] = [:]
        for f in ReportFormat.allCases { out[f] = try! ReportRenderer.render(doc, format: f) }
        return (doc, out)
    }()

    /// The threshold tuning the report rests on, with the report's options.
    static let tuning: ThresholdTuning = {
        let o = testOptions()
        var options = ThresholdTuningOptions()
        options.model = o.model
        options.policy = .minimumSensitivity(o.minimumSensitivity)
        options.replicates = o.replicates
        options.seed = o.seed
        return try! ThresholdTuning.tune(store: simulatedStore, options: options)
    }()

    /// A rendering without its provenance section (which names the command, its flags and RFC 3339 times on
    /// purpose: it is for reproducing the report, not for reading it).
    static func body(_ format: ReportFormat) -> String {
        let text = rendered.out[format]!
        let marker = format == .html ? "<section id=\"provenance\"" : (format == .markdown ? "## Provenance and disclosure control" : "\n--\nPeerLens ")
        return text.range(of: marker).map { String(text[..<$0.lowerBound]) } ?? text
    }

    /// Every text cell of every table (charts' data tables included), with the table's caption.
    static func textCells(_ d: ReportDocument) -> [(caption: String, text: String)] {
        tables(d).flatMap { t in t.rows.flatMap { $0.compactMap { if case let .text(s) = $0 { (t.caption, s) } else { nil } } } }
    }

    @Test("The report opens with a summary section: the status in one of three phrases and a table of the deployed, two intermediate and the recommended thresholds")
    func summaryFirst() throws {
        let doc = Self.rendered.doc
        let summary = try #require(doc.sections.first)
        #expect(summary.role == .summary)
        guard case let .paragraph(p) = try #require(summary.blocks.first) else { Issue.record("the summary does not open with a paragraph"); return }
        let opening = try #require(p.runs.first)
        #expect(opening.emphasis == .strong)
        #expect(ThresholdStatus.allCases.contains { opening.text == $0.rawValue + ". " }, "\(opening.text)")
        let table = try #require(summary.blocks.compactMap { if case let .table(t) = $0 { t } else { nil } }.first)
        #expect(table.columns.map(\.heading) == ["Threshold", "Status", "Alerts per day", "Sensitivity", "Not crises", "Missed crises per week"])
        let t = Self.tuning
        let labels = table.rows.map { $0[1] }
        // The simulated store has a deployed threshold far from the recommended one, with grid rows between.
        #expect(t.deployed != nil && SafetyReport.intermediateRows(t).count == 2)
        #expect(labels == [.text("Deployed"), .text("In between"), .text("In between"), .text("Recommended")])
        // From the deployed side to the recommended side.
        let thresholds = table.rows.compactMap { if case let .number(n) = $0[0] { n.value } else { nil } }
        #expect(thresholds.count == 4)
        #expect(thresholds.first == t.deployed?.threshold && thresholds.last == t.recommendation.threshold)
        let descending = t.deployed!.threshold > t.recommendation.threshold
        #expect(thresholds == thresholds.sorted(by: descending ? (>) : (<)))
        // The summary comes before every other section in HTML (the renderer puts it before the contents).
        let html = try #require(Self.rendered.out[.html])
        let box = try #require(html.range(of: "class=\"summary\""))
        #expect(html.range(of: "Discrimination and calibration</h2>").map { box.lowerBound < $0.lowerBound } == true)
    }

    @Test("The summary's figures are the workload table's rows for the same thresholds")
    func summaryMatchesWorkload() throws {
        let doc = Self.rendered.doc
        let summary = try #require(doc.sections[0].blocks.compactMap { if case let .table(t) = $0 { t } else { nil } }.first)
        let workload = try #require(tables(doc).first { $0.caption.hasPrefix("Workload and accuracy by threshold") })
        func threshold(_ row: [Cell]) -> Double? { if case let .number(n) = row[0] { n.value } else { nil } }
        for row in summary.rows {
            let t = try #require(threshold(row))
            let match = try #require(workload.rows.first { threshold($0) == t }, "no workload row at \(t)")
            for (i, column) in summary.columns.enumerated() where i >= 2 {
                let j = try #require(workload.columns.firstIndex { $0.heading == column.heading && $0.unit == column.unit }, "\(column.title)")
                switch (row[i], match[j]) {
                case let (.number(a), .number(b)):
                    #expect(a.value == b.value && a.lower == b.lower && a.upper == b.upper && a.format == b.format, "\(column.title) at \(t)")
                    #expect(Formatter.cell(row[i]) == Formatter.cell(match[j]))
                case let (a, b): #expect(a == b, "\(column.title) at \(t)")
                }
            }
        }
        // The two intermediate thresholds are rows the workload table prints.
        for r in SafetyReport.intermediateRows(Self.tuning) { #expect(SafetyReport.gridRows(Self.tuning).contains(r)) }
    }

    @Test("With a declared rota the summary adds alerts per responder-hour, equal to the workload table's")
    func summaryWithRota() throws {
        var options = testOptions()
        options.rota = try ResponderRota.constant(responders: 3, hoursPerDay: 16)
        let doc = try SafetyReport.build(try ReportContext(store: simulatedStore, options: options))
        let summary = try #require(doc.sections[0].blocks.compactMap { if case let .table(t) = $0 { t } else { nil } }.first)
        #expect(summary.columns.last?.heading == "Alerts per responder-hour")
        let workload = try #require(tables(doc).first { $0.caption.hasPrefix("Workload and accuracy by threshold") })
        let j = try #require(workload.columns.firstIndex { $0.heading == "Alerts per responder-hour" })
        for row in summary.rows {
            guard case let .number(threshold) = row[0], case let .number(perHour) = row[summary.columns.count - 1] else { Issue.record("no per-hour figure"); continue }
            let match = try #require(workload.rows.first { if case let .number(n) = $0[0] { n.value == threshold.value } else { false } })
            guard case let .number(expected) = match[j] else { Issue.record("no per-hour figure in the workload table"); continue }
            #expect(perHour.value == expected.value && perHour.format == expected.format)
            // 48 responder-hours a day: alerts per day ÷ 48.
            guard case let .number(perDay) = row[2] else { continue }
            #expect(abs(perHour.value - perDay.value / 48) < 1e-9)
        }
        guard case let .paragraph(p) = doc.sections[0].blocks[0] else { Issue.record("no opening paragraph"); return }
        #expect(p.runs.map(\.text).joined().contains("per responder-hour"))
    }

    @Test("A chart's description promises counts only when the chart draws them")
    func captionsMatchCharts() {
        var charts: [Chart] = []
        func walk(_ s: Section) {
            for b in s.blocks { if case let .chart(c) = b { charts.append(c) } }
            s.subsections.forEach(walk)
        }
        Self.rendered.doc.sections.forEach(walk)
        #expect(charts.count >= 8)
        // An axis read as a proportion is not drawn with % ticks (nor the reverse).
        for c in charts {
            for axis in [c.xAxis, c.yAxis] {
                if case .percent = axis.format { #expect(axis.unit != "proportion", "\(c.title): \(axis.label)") }
                if axis.unit == "%" { if case .percent = axis.format {} else { Issue.record("\(c.title): \(axis.label) in % without a percent format") } }
            }
        }
        for c in charts where !c.showCounts {
            #expect(!c.description.contains("the count is") && !c.description.contains("number of"), "\(c.title)")
        }
    }

    @Test("Intermediate thresholds lie strictly between the deployed and the recommended one, nearest to a third and two thirds of the way in sensitivity")
    func intermediates() throws {
        let t = Self.tuning
        let d = try #require(t.deployed), r = t.recommendation.row
        let between = SafetyReport.intermediateRows(t)
        for row in between { #expect(row.threshold > min(d.threshold, r.threshold) && row.threshold < max(d.threshold, r.threshold)) }
        let candidates = SafetyReport.gridRows(t).filter { $0.threshold > min(d.threshold, r.threshold) + 1e-12 && $0.threshold < max(d.threshold, r.threshold) - 1e-12 }
        let target = d.sensitivity.value! + (r.sensitivity.value! - d.sensitivity.value!) / 3
        let nearest = candidates.map { abs($0.sensitivity.value! - target) }.min()!
        #expect(between.contains { abs(abs($0.sensitivity.value! - target) - nearest) < 1e-12 })
    }

    @Test("The status rule: an AUC interval reaching 0.5, or failed calibration, makes the model not fit; a deployed threshold within the policy's interval is fine")
    func statusRule() throws {
        let t = Self.tuning
        var eo = RiskEvaluationOptions()
        eo.model = t.model
        eo.versions = [t.version]
        eo.replicates = 50
        let e = try #require(try RiskEvaluation.evaluate(store: simulatedStore, options: eo).first { $0.version == t.version })
        /// `value` with its JSON edited (the analyses' results are immutable values).
        func edited<T: Codable>(_ value: T, _ edit: (inout [String: Any]) -> Void) throws -> T {
            var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
            edit(&object)
            return try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: object))
        }
        let base = SafetyReport.status(t, evaluation: e, minimumSensitivity: 0.8, assurance: .point)
        #expect(base.status != .modelNotFit || (e.auc.lower ?? 0) <= 0.5)
        let chance = try edited(e) { o in o["auc"] = ["value": 0.55, "lower": 0.48, "upper": 0.62, "interval": "test"] }
        let notFit = SafetyReport.status(t, evaluation: chance, minimumSensitivity: 0.8, assurance: .point)
        #expect(notFit.status == .modelNotFit)
        #expect(notFit.reason.contains("0.550") && notFit.reason.first?.isUppercase == true && notFit.reason.hasSuffix("."))
        let miscalibrated = try edited(e) { o in
            o["auc"] = ["value": 0.8, "lower": 0.7, "upper": 0.9, "interval": "test"]
            o["calibration_slope"] = ["value": 0.4, "lower": 0.2, "upper": 0.6, "interval": "test"]
            o["scores_are_probabilities"] = true
            o["spiegelhalter"] = ["statistic": 3.5, "p_value": 0.0005]
        }
        if let z = miscalibrated.spiegelhalter, z.pValue < 0.05 {
            #expect(SafetyReport.status(t, evaluation: miscalibrated, minimumSensitivity: 0.8, assurance: .point).status == .modelNotFit)
        } else {
            Issue.record("the edited evaluation lost its Spiegelhalter test")
        }
        // Calibration that fails one test only is not enough.
        let slopeOnly = try edited(miscalibrated) { o in o["spiegelhalter"] = ["statistic": 1.0, "p_value": 0.3] }
        #expect(SafetyReport.status(t, evaluation: slopeOnly, minimumSensitivity: 0.8, assurance: .point).status != .modelNotFit)
        // A deployed threshold equal to the recommended one is fine; far below the floor, change it.
        let good = try edited(slopeOnly) { _ in }
        let same = try edited(t) { o in
            o["deployed_threshold"] = t.recommendation.threshold
            o["deployed"] = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(t.recommendation.row)))
        }
        #expect(SafetyReport.status(same, evaluation: good, minimumSensitivity: 0.8, assurance: .point).status == .fine)
        if let s = t.deployed?.sensitivity.value, s < 0.8 {
            #expect(SafetyReport.status(t, evaluation: good, minimumSensitivity: 0.8, assurance: .point).status == .change)
        }
        let none = try edited(t) { o in o.removeValue(forKey: "deployed_threshold"); o.removeValue(forKey: "deployed") }
        #expect(SafetyReport.status(none, evaluation: good, minimumSensitivity: 0.8, assurance: .point).status == .change)
    }

    @Test("Workload table: deciding columns first, no empty heading, no heading that repeats its unit, one count column")
    func workloadColumns() throws {
        let workload = try #require(tables(Self.rendered.doc).first { $0.caption.hasPrefix("Workload and accuracy by threshold") })
        #expect(workload.columns.prefix(6).map(\.heading) == ["Threshold", "Status", "Alerts per day", "Sensitivity", "Not crises", "Missed crises per week"])
        #expect(workload.columns.allSatisfy { !$0.heading.isEmpty })
        #expect(workload.columns.count <= 9)
        for t in tables(Self.rendered.doc) {
            for c in t.columns {
                // A unit of more than one letter that is already a word of the heading is said twice.
                if let unit = c.unit, unit.count > 1 {
                    let words = Set(c.heading.lowercased().split { !$0.isLetter }.map(String.init))
                    #expect(!unit.lowercased().split { !$0.isLetter && $0 != "/" }.allSatisfy { words.contains(String($0)) }, "\(t.caption): \(c.title)")
                }
                #expect(!c.title.contains(") ("), "\(t.caption): \(c.title)")
            }
            let counts = t.columns.filter { $0.heading == "Count" }.count
            if counts > 0 { #expect(!t.columns.contains { $0.unit == "n" && $0.heading != "Count" && t.caption.hasPrefix("Data of the chart: Crisis alerts by time of day") }) }
        }
        let markdown = Self.body(.markdown)
        for bad in ["Alerts per day (alerts/day)", "(precision) (proportion)", "(recall) (proportion)", "| Alerts (n) | Count (n) |"] {
            #expect(!markdown.contains(bad), "\(bad)")
        }
    }

    @Test("No raw codes, RFC 3339 timestamps, command-line flags or lower-case sentence starts reach a reader")
    func wordsForPeople() throws {
        let doc = Self.rendered.doc
        // Category cells are labels: no underscores, no bare language codes (`fil`, `uk`, `en-US`).
        let code = try Regex("^[a-z]{2,3}(-[A-Za-z]{2})?$")
        for (caption, text) in Self.textCells(doc) where !caption.hasPrefix("Data of the chart: ROC") && !caption.hasPrefix("Data of the chart: Precision") {
            #expect(!text.contains("_"), "\(caption): \(text)")
            #expect(text.wholeMatch(of: code) == nil || ["v1", "v2"].contains(text), "\(caption): \(text)")
        }
        let timestamp = try Regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
        let flag = try Regex(" --[a-z]")
        let lowerStart = try Regex("[a-z0-9%)]\\. [a-z]")
        for format in [ReportFormat.markdown, .html, .text] {
            let body = Self.body(format)
            #expect(body.firstMatch(of: timestamp) == nil, "\(format): \(body.firstMatch(of: timestamp).map { String(body[$0.range]) } ?? "")")
            #expect(body.firstMatch(of: flag) == nil, "\(format): \(body.firstMatch(of: flag).map { String(body[$0.range]) } ?? "")")
            for raw in ["not_stated", "conflict_affected", "| fil ", "| uk ", "north_american", "eating_disorder", "emergency_services", "false_alarm"] {
                #expect(!body.contains(raw), "\(format): \(raw)")
            }
            // "e.g. a sum score" is an abbreviation, not a sentence end.
            let prose = body.replacingOccurrences(of: "e.g. ", with: "").replacingOccurrences(of: "i.e. ", with: "")
            #expect(prose.firstMatch(of: lowerStart) == nil, "\(format): \(prose.firstMatch(of: lowerStart).map { String(prose[$0.range]) } ?? "")")
        }
        let isoDate = try Regex("[0-9]{4}-[0-9]{2}")
        #expect(doc.subtitle?.contains("Data from") == true && doc.subtitle?.firstMatch(of: isoDate) == nil)
    }

    @Test("Age bands in age order, not by size")
    func ageBandsInOrder() throws {
        let table = try #require(tables(Self.rendered.doc).first { $0.caption.hasSuffix("by age band") })
        let bands = table.rows.dropFirst().compactMap { if case let .text(s) = $0[0] { s } else { nil } }
        #expect(bands.count >= 3)
        #expect(bands == bands.sorted { SafetyReport.ageOrder($0) < SafetyReport.ageOrder($1) })
        #expect(SafetyReport.ageOrder("13-17") < SafetyReport.ageOrder("65+") && SafetyReport.ageOrder("65+") < SafetyReport.ageOrder("not_stated"))
    }

    @Test("Changes in alerts group thousands and drop decimals from 1,000")
    func readableChanges() {
        #expect(ThresholdTuning.readable(10742.04) == "10,742")
        #expect(ThresholdTuning.readable(184.56) == "184.6")
        #expect(ThresholdTuning.readable(-75.45) == "−75.5")
        #expect(ThresholdTuning.readable(999.96) == "1,000.0")
        let change = ThresholdChange(alertsPerDay: 10742.04, falseAlertsPerDay: 10700, missedPerWeek: -75.45, sensitivity: 0.5, alertsMultiple: 51, summary: "")
        #expect(SafetyReport.changeInWords(change, Self.tuning) == "+10,742 alerts a day, −75.5 missed crises a week")
        #expect(SafetyReport.inSentence("Eating disorder") == "eating disorder")
        #expect(SafetyReport.inSentence("North American") == "North American" && SafetyReport.inSentence("PTSD") == "PTSD" && SafetyReport.inSentence("English") == "English")
        #expect(SafetyReport.measureName("false_negative_rate") == "false-negative rate" && SafetyReport.measureName("auc") == "AUC")
    }
}
