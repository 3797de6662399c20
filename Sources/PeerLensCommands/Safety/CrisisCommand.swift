import ArgumentParser
import PeerLensDocument
import PeerLensReport
import PeerLensLog
import PeerLensSafety

/// `peerlens crisis`: what happened after crisis alerts.
public struct CrisisCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "crisis",
        abstract: "Crisis response: time to first human response, outcomes, follow-ups and responder load.",
        discussion: """
        Alerts nobody answered by the end of the data are censored there: the median, 90th percentile and the \
        shares answered within 5 and 15 minutes come from a Kaplan–Meier curve with Greenwood (log) intervals. \
        Members who endorsed a check-in's self-harm item (PHQ-9 item 9, CORE-10 item 6: risk_item ≥ 1) are \
        followed from their first endorsement: crisis alerts and human contact within 24 hours and 7 days, time \
        to contact (Kaplan–Meier) and the model's sensitivity among those who posted.
        """
    )

    @Option(help: "The alerting model.")
    var model: String = "crisis"

    @Option(help: "Responses per responder per week above which the load counts as a burnout risk.")
    var burnoutAlertsPerWeek: Int = 20

    /// Defaults.
    public init() {}

    public func validate() throws {
        guard burnoutAlertsPerWeek > 0 else { throw ValidationError("--burnout-alerts-per-week must be positive") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        let store = try context.source()
        let report = try CrisisResponseReport.analyse(store: store, model: model, burnoutThreshold: burnoutAlertsPerWeek)
        let curve = try CrisisResponseReport.timeToFirstResponse(store: store, model: model)
        let riskItem = try RiskItemReport.analyse(store: store, model: model, instruments: try ProjectConfig.load().catalog())
        return Publication(title: "Crisis response", subtitle: "\(model) alerts; data up to \(CalendarText.day(report.dataEnd))",
                           sections: [SafetyReport.crisisSection(report, curve: curve), SafetyReport.riskItemSection(riskItem),
                                      SafetyReport.crisisLoadSection(report)],
                           options: ["model": model, "burnout_alerts_per_week": "\(burnoutAlertsPerWeek)"])
    }
}
