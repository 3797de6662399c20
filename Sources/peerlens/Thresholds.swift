import ArgumentParser
import Foundation
import PeerLensLog
import PeerLensSafety

/// `peerlens thresholds`
struct Thresholds: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Threshold tuning with workload: alerts per day, missed positives per week, and a recommendation under a policy.",
        discussion: """
        Accuracy comes from human reviews (weighted by review sampling weights when present); workload from \
        every scored message. A message is flagged when score ≥ threshold. Give at most one policy; the \
        default is maximum Youden J.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(help: "Model name in score events (crisis, toxicity, harmful_advice).")
    var model: String = "crisis"

    @Option(help: "The version to tune (default: the version with the most alerts).")
    var version: String?

    @Option(help: "Graded reviews at or above this severity are positive.")
    var positiveAt: Severity = .moderate

    @Option(help: "Policy: the fewest alerts that keep sensitivity at or above this (0–1).")
    var minSensitivity: Double?

    @Option(help: "Policy: the highest sensitivity within this many alerts per day.")
    var maxAlertsPerDay: Double?

    @Option(help: "Policy (with --cost-false-alarm): the cost of a missed positive.")
    var costMissed: Double?

    @Option(help: "Policy (with --cost-missed): the cost of a false alarm.")
    var costFalseAlarm: Double?

    @Flag(help: "Policy: maximum Youden J (the default).")
    var youden = false

    @Option(help: "The deployed threshold to compare with (default: the threshold of the version's alerts).")
    var deployedThreshold: Double?

    @Option(help: "Responders on duty at any time (default: inferred from response events).")
    var respondersPerShift: Double?

    @Option(help: "Bootstrap replicates for the recommended threshold's interval (0: none).")
    var replicates: Int = 500

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 1

    @Option(help: "Unit of the design-based intervals: message, or member (clustered).")
    var cluster: RiskEvaluationOptions.Cluster = .message

    @OptionGroup var exported: PredictionsOptions

    @Option(help: "With --predictions: cases arriving per day (for alerts per day).")
    var perDay: Double?

    @Option(help: "With --predictions: a column of RFC 3339 case times (for alerts per day).")
    var timeCol: String?

    func validate() throws {
        let policies = [minSensitivity != nil, maxAlertsPerDay != nil, costMissed != nil || costFalseAlarm != nil, youden].filter { $0 }.count
        guard policies <= 1 else { throw ValidationError("give one policy: --min-sensitivity, --max-alerts-per-day, --cost-missed/--cost-false-alarm or --youden") }
        if (costMissed == nil) != (costFalseAlarm == nil) { throw ValidationError("--cost-missed and --cost-false-alarm go together") }
        if let s = minSensitivity, !(s > 0 && s <= 1) { throw ValidationError("--min-sensitivity must be in (0, 1]") }
        if let n = maxAlertsPerDay, !(n > 0 && n.isFinite) { throw ValidationError("--max-alerts-per-day must be positive") }
        for (name, c) in [("--cost-missed", costMissed), ("--cost-false-alarm", costFalseAlarm)] {
            if let c, !(c >= 0 && c.isFinite) { throw ValidationError("\(name) must be a non-negative number") }
        }
        if let m = costMissed, let f = costFalseAlarm, m + f == 0 { throw ValidationError("the costs cannot both be zero") }
        if let t = deployedThreshold, !(t.isFinite) { throw ValidationError("--deployed-threshold must be a number") }
        if let r = respondersPerShift, !(r > 0 && r.isFinite) { throw ValidationError("--responders-per-shift must be positive") }
        guard replicates == 0 || replicates >= 100 else { throw ValidationError("--replicates must be 0 or at least 100") }
        if !exported.given, perDay != nil || timeCol != nil { throw ValidationError("--per-day and --time-col go with --predictions") }
        if perDay != nil, timeCol != nil { throw ValidationError("give --per-day or --time-col, not both") }
        if let p = perDay, !(p > 0 && p.isFinite) { throw ValidationError("--per-day must be positive") }
        if exported.given, maxAlertsPerDay != nil, perDay == nil, timeCol == nil {
            throw ValidationError("--max-alerts-per-day with --predictions needs --per-day or --time-col")
        }
    }

    func run() throws {
        var options = ThresholdTuningOptions()
        options.model = model
        options.version = version
        options.positiveAt = positiveAt
        if let s = minSensitivity { options.policy = .minimumSensitivity(s) }
        if let n = maxAlertsPerDay { options.policy = .maximumAlertsPerDay(n) }
        if let m = costMissed, let f = costFalseAlarm { options.policy = .cost(missed: m, falseAlarm: f) }
        options.deployedThreshold = deployedThreshold
        options.respondersPerShift = respondersPerShift
        options.replicates = replicates
        options.seed = seed
        options.cluster = cluster
        let result: ThresholdTuning
        if let data = try exported.load(timeColumn: timeCol) {
            result = try ThresholdTuning.tune(predictions: data, name: exported.scoreCol!, perDay: perDay, days: data.spanDays, options: options)
        } else {
            result = try ThresholdTuning.tune(store: try store.openReadOnly(), options: options)
        }
        if output.format == .json { try JSONOutput.print(result); return }
        print(text(result))
    }

    func text(_ r: ThresholdTuning) -> String {
        var lines: [String] = []
        let unit = r.version == "predictions" ? "cases" : "reviewed messages"
        lines.append("\(r.model) \(r.version): \(Formatting.count(r.reviewed)) \(unit), \(Formatting.count(r.positives)) positive")
        lines.append("  \(r.samplingNote)")
        lines.append(String(format: "  workload base: %@ scored over %.1f days (%@); estimated positives %.1f per week",
                            Formatting.count(r.scoredMessages), r.days, r.periodSource, r.estimatedPositivesPerWeek))
        if let h = r.responderHoursPerDay {
            lines.append(String(format: "  responder-hours per day: %.1f (%@)", h, r.responderSource == "responses"
                                ? "hours in which someone answered an alert: a lower bound of staffed time" : "--responders-per-shift × 24"))
        }
        func pct(_ e: Estimate) -> String {
            guard let v = e.value else { return "n/a" }
            guard let l = e.lower, let u = e.upper else { return String(format: "%.1f%%", v * 100) }
            return String(format: "%.1f%% [%.1f, %.1f]", v * 100, l * 100, u * 100)
        }
        func line(_ label: String, _ row: ThresholdRow) -> String {
            let perHour = row.alertsPerResponderHour.map { String(format: "%7.2f", $0) } ?? "    n/a"
            return String(format: "  %-12@ %9.4g %9.1f %@ %8.1f %8.1f %8.2f  %-22@ %@", label, row.threshold, row.alertsPerDay, perHour,
                          row.trueAlertsPerDay, row.falseAlertsPerDay, row.missedPerWeek, pct(row.sensitivity), pct(row.positivePredictiveValue))
        }
        lines.append("  intervals: " + (r.rows.first?.sensitivity.interval ?? "none"))
        lines.append("               threshold alerts/d /resp-h  true/d  false/d missed/wk  sensitivity            PPV")
        let shown = r.rows.count > 25 ? r.rows.filter { abs($0.threshold * 20 - ($0.threshold * 20).rounded()) < 1e-9 } : r.rows
        for row in shown { lines.append(line("", row)) }
        if let dep = r.deployed { lines.append(line("deployed", dep)) }
        let rec = r.recommendation
        lines.append(line("recommended", rec.row))
        lines.append("  recommendation (\(rec.policy)): threshold \(String(format: "%.4g", rec.threshold))"
                     + (rec.lower.map { l in String(format: " [%.4g, %.4g]", l, rec.upper ?? .nan) } ?? "") + "; interval: \(rec.intervalNote)")
        if let c = rec.change, let d = r.deployedThreshold {
            lines.append("  versus the deployed threshold \(String(format: "%.4g", d)) (\(r.deployedSource ?? "")): \(c.summary)"
                         + String(format: ", sensitivity %+.1f points", c.sensitivity * 100))
        } else {
            lines.append("  no deployed threshold (no alerts for this version): give --deployed-threshold to compare")
        }
        if !r.netBenefit.isEmpty {
            lines.append("  net benefit (decision curve; per case): " + r.netBenefit.map {
                String(format: "p=%.2f model %.4f all %.4f", $0.thresholdProbability, $0.model, $0.treatAll)
            }.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}
