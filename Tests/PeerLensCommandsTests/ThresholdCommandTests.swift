import Foundation
import Testing
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensReport
import PeerLensSafety

/// The suicide fixture of the safety tests (cutpointr's data, see Tests/PeerLensSafetyTests/Fixtures).
let suicideCSV = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("PeerLensSafetyTests/Fixtures/suicide.csv").path
let suicideArguments = ["--predictions", suicideCSV, "--score-col", "dsi", "--label-col", "suicide", "--positive-label", "yes"]

/// The number cell of `measure` in the first table whose first column holds it.
func measure(_ d: ReportDocument, _ name: String) -> NumberCell? {
    for t in tables(d) { for row in t.rows where row.first == .text(name) { if case let .number(n) = row[1] { return n } } }
    return nil
}

/// Every key figure of a document.
func keyFigures(_ d: ReportDocument) -> [KeyFigure] {
    func walk(_ s: Section) -> [KeyFigure] {
        s.blocks.flatMap { block -> [KeyFigure] in if case let .keyFigures(f) = block { return f } else { return [] } } + s.subsections.flatMap(walk)
    }
    return d.sections.flatMap(walk)
}

@Suite("Thresholds on any scale, printed thresholds, alert burden, assurance and capacity (commands)")
struct ThresholdCommandTests {
    @Test("risk --predictions suicide.csv --score-col dsi --threshold 2: sensitivity 0.8889, specificity 0.8629 (cutpointr)")
    func suicideAtTwo() throws {
        let (d, text) = try published("risk", suicideArguments + ["--threshold", "2", "--replicates", "100"])
        let sensitivity = try #require(measure(d, "Sensitivity")), specificity = try #require(measure(d, "Specificity"))
        #expect(Formatter.fixed(sensitivity.value, 4) == "0.8889" && Formatter.fixed(specificity.value, 4) == "0.8629")
        #expect(abs(sensitivity.value - 32.0 / 36) < 1e-12 && abs(specificity.value - 428.0 / 496) < 1e-12)
        // Calibration is absent, and the output says why.
        #expect(measure(d, "Brier score") == nil && text.contains("Scores are not probabilities"))
        #expect(text.contains("Rates at the threshold 2 (option)"))
    }

    @Test("risk --threshold takes any finite number, negative ones as --threshold=-1.7")
    func negativeThreshold() throws {
        let data = try Predictions(path: suicideCSV, scoreColumn: "dsi", labelColumn: "suicide", positiveLabel: "yes")
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("logit.csv").path
        var csv = "logit,y\n"
        for (s, y) in zip(data.scores, data.labels) { csv += "\(Formatter.fixed(0.7 * s - 3.1, 1)),\(y ? 1 : 0)\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        // 0.7·2 − 3.1 = −1.7: the same cases as dsi ≥ 2.
        let (d, _) = try published("risk", ["--predictions", path, "--score-col", "logit", "--label-col", "y", "--threshold=-1.7", "--replicates", "100"])
        #expect(abs(try #require(measure(d, "Sensitivity")).value - 32.0 / 36) < 1e-12)
        #expect(throws: (any Error).self) { try RiskCommand.parse(suicideArguments + ["--threshold", "nan"]) }
    }

    @Test("thresholds on a sum score: every policy recommends a threshold on the score's scale", arguments: [
        [], ["--youden"], ["--min-sensitivity", "0.8"], ["--max-alerts-per-day", "1.5"], ["--cost-missed", "20", "--cost-false-alarm", "1"],
        ["--min-sensitivity", "0.8", "--assurance", "lower"], ["--min-sensitivity", "0.5", "--max-alerts-per-day", "1.5"],
    ])
    func sumScorePolicies(_ policy: [String]) throws {
        let (d, text) = try published("thresholds", suicideArguments + ["--per-day", "10", "--replicates", "0"] + policy)
        let recommended = try #require(keyFigures(d).first { $0.label == "Recommended threshold" })
        let value = try #require(Double(recommended.value))
        #expect(value >= 0 && value <= 12 && value == value.rounded(), "\(policy): \(recommended.value)")
        #expect(text.contains("scores are not probabilities"))
    }

    @Test("The printed recommendation re-run through risk --threshold: the same sensitivity, still ≥ the floor")
    func printedRecommendation() throws {
        let (d, _) = try published("thresholds", ["--min-sensitivity", "0.8", "--replicates", "0"])
        let printed = try #require(keyFigures(d).first { $0.label == "Recommended threshold" }?.value)
        let version = try #require(d.subtitle?.split(separator: " ").last.map(String.init))
        let table = try #require(tables(d).first { $0.caption.hasPrefix("Workload and accuracy by threshold") })
        let sensitivityColumn = try #require(table.columns.firstIndex { $0.heading == "Sensitivity" })
        let row = try #require(table.rows.first { $0[1] == .text("Recommended") || $0[1] == .text("Deployed and recommended") })
        guard case let .number(threshold) = row[0], case let .number(sensitivity) = row[sensitivityColumn] else { Issue.record("no recommended row"); return }
        // The cell carries the exact value and prints the same text as the key figure.
        #expect(Formatter.cell(row[0]) == printed && threshold.value >= Double(printed)!)
        let (e, _) = try published("risk", ["--version", version, "--threshold", printed, "--replicates", "100"])
        let again = try #require(measure(e, "Sensitivity"))
        #expect(again.value == sensitivity.value && again.value >= 0.8)
    }

    @Test("The recommendation in staff terms: alerts per day and the multiple of today's, share not crises, NNE, missed per week")
    func staffTerms() throws {
        let (d, text) = try published("thresholds", ["--min-sensitivity", "0.8", "--replicates", "0"])
        let labels = keyFigures(d).map(\.label)
        for label in ["Alerts per day at the recommended threshold", "Alerts that are not crises at the recommended threshold",
                      "Alerts per crisis found (NNE) at the recommended threshold", "Crises missed per week at the recommended threshold"] {
            #expect(labels.contains(label), "\(label)")
        }
        #expect(keyFigures(d).first { $0.label == "Alerts per day at the recommended threshold" }?.note?.contains("× today's alerts per day") == true)
        guard case let .paragraph(p) = d.sections[0].blocks[1] else { Issue.record("no recommendation paragraph first"); return }
        let first = p.runs.map(\.text).joined()
        #expect(first.hasPrefix("Recommended threshold ") && first.contains("alerts per day (") && first.contains("× today's")
                && first.contains("of alerts are not crises") && first.contains("(NNE)") && first.contains("crises missed per week"))
        // No rota: no responder-hour column, and the table says why.
        let table = try #require(tables(d).first { $0.caption.hasPrefix("Workload and accuracy by threshold") })
        #expect(!table.columns.contains { $0.heading == "Alerts per responder-hour" })
        #expect(table.columns.contains { $0.heading == "Not crises" } && table.columns.contains { $0.heading == "Missed crises per week" })
        #expect(text.contains("no rota was declared"))
    }

    @Test("A declared rota adds alerts per responder-hour: --responders-per-shift with --shift-hours, or --rota FILE")
    func rota() throws {
        let (d, _) = try published("thresholds", ["--min-sensitivity", "0.8", "--replicates", "0", "--responders-per-shift", "2", "--shift-hours", "12"])
        let table = try #require(tables(d).first { $0.caption.hasPrefix("Workload and accuracy by threshold") })
        let perHour = try #require(table.columns.firstIndex { $0.heading == "Alerts per responder-hour" })
        let perDay = try #require(table.columns.firstIndex { $0.heading == "Alerts per day" })
        for row in table.rows {
            if case let .number(a) = row[perDay], case let .number(h) = row[perHour] { #expect(abs(h.value - a.value / 24) < 1e-12) }
        }
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("rota.csv").path
        try "weekday,start,end,responders\nall,08:00,20:00,3\nall,20:00,08:00,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (r, text) = try published("thresholds", ["--replicates", "0", "--rota", path])
        #expect(tables(r).first { $0.caption.hasPrefix("Workload and accuracy") }?.columns.contains { $0.heading == "Alerts per responder-hour" } == true)
        #expect(text.contains("48.0 responder-hours per day (rota file rota.csv)"))
    }

    @Test("--min-sensitivity with --max-alerts-per-day: the floor not met within capacity shows the trade-off")
    func tradeOff() throws {
        let (d, text) = try published("thresholds", suicideArguments + ["--per-day", "10", "--replicates", "0", "--min-sensitivity", "0.9", "--max-alerts-per-day", "1.5"])
        #expect(keyFigures(d).first { $0.label == "Recommended threshold" }?.value == "4")
        #expect(keyFigures(d).contains { $0.label == "Sensitivity within 1.5 alerts per day" && $0.value == "77.8%" })
        #expect(keyFigures(d).contains { $0.label == "Alerts per day needed for sensitivity 90%" && $0.value == "2.9" })
        #expect(text.contains("The floor cannot be met within capacity"))
    }

    @Test("Validation: the one policy combination allowed, assurance and rota options checked", arguments: [
        (["--min-sensitivity", "0.8", "--max-alerts-per-day", "20"], true),
        (["--min-sensitivity", "0.8", "--youden"], false),
        (["--max-alerts-per-day", "20", "--cost-missed", "2", "--cost-false-alarm", "1"], false),
        (["--assurance", "lower"], false),
        (["--min-sensitivity", "0.8", "--assurance", "lower"], true),
        (["--shift-hours", "8"], false),
        (["--responders-per-shift", "2", "--shift-hours", "30"], false),
        (["--responders-per-shift", "2", "--rota", "rota.csv"], false),
        (["--responders-per-shift", "-1"], false),
        (["--predictions", "p.csv", "--score-col", "s", "--label-col", "y", "--cluster", "member"], false),
        (["--predictions", "p.csv", "--score-col", "s", "--label-col", "y", "--per-day", "10"], true),
    ] as [([String], Bool)])
    func validation(_ arguments: [String], _ valid: Bool) {
        let parsed = Result { try ThresholdsCommand.parse(arguments) }
        if valid { #expect((try? parsed.get()) != nil, "\(arguments)") } else { #expect((try? parsed.get()) == nil, "\(arguments)") }
    }
}
