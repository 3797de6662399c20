import ArgumentParser
import Foundation
import PeerLensSafety
import PeerLensStats
import PeerLensStore

/// `peerlens crisis`
struct Crisis: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Crisis response: time to first human response, outcomes, follow-ups and responder load.",
        discussion: """
        Alerts nobody answered by the end of the data are censored there: the median, 90th percentile and the \
        shares answered within 5 and 15 minutes come from a Kaplan–Meier curve with Greenwood (log) intervals.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(help: "The alerting model.")
    var model: String = "crisis"

    @Option(help: "Responses per responder per week above which the load counts as a burnout risk.")
    var burnoutAlertsPerWeek: Int = 20

    func validate() throws {
        guard burnoutAlertsPerWeek > 0 else { throw ValidationError("--burnout-alerts-per-week must be positive") }
    }

    func run() throws {
        let report = try CrisisResponseReport.analyse(store: try store.openReadOnly(), model: model, burnoutThreshold: burnoutAlertsPerWeek)
        if output.format == .json { try JSONOutput.print(report); return }
        func pct(_ share: Share) -> String { Formatting.share(share) }
        func minutes(_ m: Double?) -> String { m.map { String(format: "%.1f min", $0) } ?? "not reached" }
        print("Crisis response (\(model) alerts; data end \(report.dataEnd))")
        print("  alerts: \(Formatting.count(report.alerts)); answered: \(pct(report.responded))")
        print("  time to first response (Kaplan–Meier, unanswered alerts censored at the data end):")
        print("    median \(minutes(report.medianMinutes)) [\(minutes(report.medianLower)), \(minutes(report.medianUpper))]; 90th percentile \(minutes(report.p90Minutes))")
        for w in [report.within5Minutes, report.within15Minutes] {
            print(String(format: "    answered within %.0f min: %.1f%% [%.1f, %.1f]", w.minutes, w.estimate * 100, (w.lower ?? 0) * 100, (w.upper ?? 0) * 100))
        }
        print("  first responses by role:")
        for r in report.byRole { print("    \(r.role): \(Formatting.count(r.firstResponses)), median \(minutes(r.medianMinutes))") }
        print("  outcomes of responses:")
        for o in report.outcomes { print("    \(o.outcome): \(pct(o.share))") }
        print("  follow-ups completed: \(pct(report.followupCompleted))")
        print("  responder-weeks above \(report.burnoutThreshold) responses: \(pct(report.responderWeeksAboveThreshold)); busiest week \(report.maxResponsesInAWeek)")
    }
}
