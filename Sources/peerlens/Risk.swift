import ArgumentParser
import Foundation
import PeerLensLog
import PeerLensSafety

extension Severity: ExpressibleByArgument {}
extension RiskEvaluationOptions.Cluster: ExpressibleByArgument {}
extension RiskSubgroup: ExpressibleByArgument {}
extension DriftPeriod: ExpressibleByArgument {}

/// `peerlens risk`
struct Risk: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Discrimination and calibration of a risk model against human reviews, per version.",
        discussion: """
        Reviews are joined to scores by message. With review sampling weights every estimate is \
        inverse-probability weighted and intervals are design-based (linearised; sandwich for calibration); \
        otherwise reviews are assumed to be a random sample. Average precision and ECE use a percentile \
        bootstrap. Each interval says how it was obtained. A message is flagged when score ≥ threshold.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(help: "Model name in score events (crisis, toxicity, harmful_advice).")
    var model: String = "crisis"

    @Option(name: .customLong("version"), help: "A version to evaluate (repeatable; default: every version).")
    var versions: [String] = []

    @Option(help: "Graded reviews at or above this severity are positive (none, low, moderate, high, imminent).")
    var positiveAt: Severity = .moderate

    @Option(help: "Operating threshold (default: the threshold the version's alerts used).")
    var threshold: Double?

    @Option(help: "Independent unit for intervals: message, or member (messages of one member form a cluster).")
    var cluster: RiskEvaluationOptions.Cluster = .message

    @Option(help: "Bootstrap replicates (average precision, ECE; version comparison).")
    var replicates: Int = 1000

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 1

    @Option(parsing: .upToNextOption, help: "Compare two versions: --compare A B (paired on messages both scored).")
    var compare: [String] = []

    @Option(help: "Break down by language, region, culture, age_band, gender, condition, resource_setting or space, with a disparity summary.")
    var by: RiskSubgroup?

    @Option(help: "Drift of AUC, calibration-in-the-large and alert rate per week or month.")
    var over: DriftPeriod?

    @Option(help: "With --by: groups with fewer positives or members than this are suppressed.")
    var disclosureThreshold: Int = 10

    @OptionGroup var exported: PredictionsOptions

    @Option(help: "With --predictions: a column to evaluate groups separately.")
    var groupCol: String?

    func validate() throws {
        if let threshold, !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be in [0, 1]") }
        guard replicates >= 100 else { throw ValidationError("--replicates must be at least 100") }
        if !compare.isEmpty, compare.count != 2 { throw ValidationError("--compare takes exactly two versions") }
        if !compare.isEmpty, exported.given { throw ValidationError("--compare works on the store, not with --predictions") }
        if by != nil || over != nil {
            if exported.given { throw ValidationError("--by and --over work on the store; with --predictions use --group-col") }
            if !compare.isEmpty { throw ValidationError("--by and --over cannot be combined with --compare") }
        }
        guard disclosureThreshold >= 1 else { throw ValidationError("--disclosure-threshold must be at least 1") }
        if !exported.given, groupCol != nil { throw ValidationError("--group-col goes with --predictions") }
    }

    func run() throws {
        var options = RiskEvaluationOptions()
        options.model = model
        options.versions = versions.isEmpty ? nil : versions
        options.positiveAt = positiveAt
        options.threshold = threshold
        options.cluster = cluster
        options.replicates = replicates
        options.seed = seed
        options.by = by
        options.over = over
        options.disclosureThreshold = disclosureThreshold
        if by != nil || over != nil {
            let report = try RiskBreakdown.analyse(store: try store.openReadOnly(), options: options)
            if output.format == .json { try JSONOutput.print(report); return }
            for s in report.subgroups ?? [] { print(Self.text(s)) }
            for d in report.drift ?? [] { print(Self.text(d)) }
            return
        }
        if compare.count == 2 {
            let c = try VersionComparison.compare(store: try store.openReadOnly(), versionA: compare[0], versionB: compare[1], options: options)
            if output.format == .json { try JSONOutput.print(c); return }
            print("\(c.model) \(c.versionB) vs \(c.versionA) on \(Formatting.count(c.common)) reviewed messages both scored (\(Formatting.count(c.positives)) positive)\(c.weighted ? ", weighted" : "")")
            let d = c.aucDifference
            print(String(format: "  AUC %@ %.4f, %@ %.4f; difference %+.4f", c.versionA, c.aucA, c.versionB, c.aucB, d.value ?? .nan)
                  + (d.lower.map { l in String(format: " [%+.4f, %+.4f] %@", l, d.upper ?? .nan, d.interval) } ?? "")
                  + (c.pairedDeLongP.map { String(format: ", paired DeLong p = %.4g", $0) } ?? ""))
            func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "n/a" }
            print("  calibration intercept \(c.versionA) \(f(c.calibrationInterceptA)), \(c.versionB) \(f(c.calibrationInterceptB)); slope \(c.versionA) \(f(c.calibrationSlopeA)), \(c.versionB) \(f(c.calibrationSlopeB))")
            for row in c.operatingPoints {
                print(String(format: "  %@: %@ ≥ %.4g flags %.2f%% of messages; FPR %@, FNR %@", row.label, row.version, row.threshold, row.flaggedShare * 100,
                             row.falsePositiveRate.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a",
                             row.falseNegativeRate.map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"))
            }
            return
        }
        var results: [RiskEvaluation]
        var skipped: [String] = []
        if let data = try exported.load(groupColumn: groupCol) {
            (results, skipped) = try RiskEvaluation.evaluate(predictions: data, name: exported.scoreCol!, options: options)
        } else {
            results = try RiskEvaluation.evaluate(store: try store.openReadOnly(), options: options)
        }
        if output.format == .json {
            if exported.given { try JSONOutput.print(PredictionsReport(results: results, skippedGroups: skipped)) } else { try JSONOutput.print(results) }
            return
        }
        if !skipped.isEmpty { print("groups with fewer than 10 positives or negatives, not evaluated: \(skipped.joined(separator: ", "))") }
        func show(_ name: String, _ e: Estimate?, percent: Bool = false) {
            guard let e, let v = e.value else { print("    \(name): n/a"); return }
            let f: (Double) -> String = { percent ? String(format: "%.1f%%", $0 * 100) : String(format: "%.4f", $0) }
            let ci = e.lower.flatMap { l in e.upper.map { "[\(f(l)), \(f($0))] \(e.interval)" } } ?? "(no interval)"
            print("    \(name): \(f(v)) \(ci)")
        }
        for r in results {
            let unit = exported.given ? "cases" : "reviewed messages"
            print("\(r.model) \(r.version): \(Formatting.count(r.reviewed)) \(unit), \(Formatting.count(r.positives)) positive")
            if !exported.given { print("  \(r.samplingNote)") }
            show("prevalence", r.prevalence, percent: true)
            show("AUC", r.auc)
            show("average precision", r.averagePrecision)
            show("Brier", r.brier)
            show("scaled Brier", r.scaledBrier)
            if let rel = r.brierReliability, let res = r.brierResolution, let unc = r.brierUncertainty {
                print(String(format: "    Murphy: reliability %.4f, resolution %.4f, uncertainty %.4f", rel, res, unc))
            }
            show("ECE", r.expectedCalibrationError)
            if let mce = r.maximumCalibrationError { print(String(format: "    MCE: %.4f", mce)) }
            if !r.scoresAreProbabilities { print("    scores are not probabilities: calibration measures not computed") }
            if let hl = r.hosmerLemeshow { print(String(format: "    Hosmer–Lemeshow: χ² %.2f, df %.0f, p %.4f", hl.statistic, hl.degreesOfFreedom ?? 0, hl.pValue)) }
            show("calibration intercept", r.calibrationIntercept)
            show("calibration slope", r.calibrationSlope)
            if let t = r.threshold {
                print(String(format: "  at threshold %.4g (%@):", t, r.thresholdSource ?? ""))
                show("sensitivity", r.sensitivity, percent: true)
                show("specificity", r.specificity, percent: true)
                show("PPV", r.positivePredictiveValue, percent: true)
                show("NPV", r.negativePredictiveValue, percent: true)
                show("FPR", r.falsePositiveRate, percent: true)
            } else {
                print("  no threshold (no alerts for this version): give --threshold for rates at a threshold")
            }
            if !r.reliability.isEmpty { print("  reliability (equal-width bins): " + r.reliability.map { String(format: "%.2f–%.2f n=%d obs %.3f", $0.lower, $0.upper, $0.count, $0.observedRate) }.joined(separator: "; ")) }
        }
    }
}

extension Risk {
    static func estimate(_ e: Estimate?, percent: Bool = false) -> String {
        guard let e, let v = e.value else { return "n/a" }
        let f: (Double) -> String = { percent ? String(format: "%.1f%%", $0 * 100) : String(format: "%.3f", $0) }
        guard let l = e.lower, let u = e.upper else { return f(v) }
        return "\(f(v)) [\(f(l)), \(f(u))]"
    }

    static func text(_ s: SubgroupAnalysis) -> String {
        var lines = ["\(s.model) \(s.version) by \(s.by.rawValue): \(s.overall.reviewed) reviewed messages, \(s.overall.positives) positive; \(s.overall.samplingNote)"]
        lines.append("  intervals: AUC \(s.overall.auc.interval); rates \(s.overall.falsePositiveRate?.interval ?? "n/a"); slope \(s.overall.calibrationSlope.interval)")
        lines.append("  " + ["group", "reviewed", "positive", "members", "AUC", "FPR", "FNR", "calibration slope"].joined(separator: " | "))
        func row(_ name: String, _ e: RiskEvaluation, members: String) -> String {
            let fnr = e.sensitivity?.complement
            return "  " + [name, "\(e.reviewed)", "\(e.positives)", members, estimate(e.auc), estimate(e.falsePositiveRate, percent: true),
                           estimate(fnr, percent: true), estimate(e.calibrationSlope)].joined(separator: " | ")
        }
        lines.append(row("(all)", s.overall, members: ""))
        for g in s.groups {
            if let e = g.evaluation {
                lines.append(row(g.group, e, members: "\(g.members ?? 0)"))
            } else {
                lines.append("  \(g.group) | \(g.note ?? "")")
            }
        }
        for d in s.disparities {
            guard let group = d.group, let gap = d.gapVersusRest else { lines.append("  \(d.measure): no group could be tested"); continue }
            lines.append(String(format: "  largest %@ gap: %@ %.3f vs overall %.3f (gap %+.3f); vs the rest %+.3f [%+.3f, %+.3f], Holm p = %.3g",
                                d.measure.replacingOccurrences(of: "_", with: " "), group, d.value ?? .nan, d.overall ?? .nan, d.gapVersusOverall ?? .nan,
                                gap.value ?? .nan, gap.lower ?? .nan, gap.upper ?? .nan, d.holmP ?? .nan))
        }
        lines.append("  \(s.note)")
        return lines.joined(separator: "\n")
    }

    static func text(_ d: DriftAnalysis) -> String {
        var lines = ["\(d.model) \(d.version) per \(d.over.rawValue) (reference period \(d.reference ?? "none"); * = interval excludes the reference estimate)"]
        lines.append("  " + ["period", "reviewed", "positive", "AUC", "calibration intercept", "alert rate"].joined(separator: " | "))
        for p in d.periods {
            func mark(_ key: String) -> String { p.flags.contains(key) ? " *" : "" }
            let counts = p.suppressed ? ["< \(d.disclosureThreshold) positives: suppressed", ""] : ["\(p.reviewed ?? 0)", "\(p.positives ?? 0)"]
            let auc: String = estimate(p.auc) + mark("auc")
            let intercept: String = estimate(p.calibrationIntercept) + mark("calibration_intercept")
            let alertRate: String = d.hasAlerts ? estimate(p.alertRate, percent: true) + mark("alert_rate") : "no alerts"
            let cells: [String] = [p.period] + counts + [auc, intercept, alertRate]
            lines.append("  " + cells.joined(separator: " | "))
        }
        if let first = d.periods.first(where: { $0.auc.value != nil }) { lines.append("  AUC intervals: \(first.auc.interval)") }
        return lines.joined(separator: "\n")
    }
}

/// JSON document of `risk --predictions`: the evaluations and the groups too small to evaluate.
struct PredictionsReport: Encodable {
    var results: [RiskEvaluation]
    var skippedGroups: [String]

    enum CodingKeys: String, CodingKey { case results, skippedGroups = "skipped_groups" }
}
