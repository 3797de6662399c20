import ArgumentParser
import PeerLensDocument
import PeerLensLog
import PeerLensReport
import PeerLensResearch

extension ActivityPeriod: ExpressibleByArgument {}
extension ActivitySource: ExpressibleByArgument {}
extension ResearchAttribute: ExpressibleByArgument {}

/// `peerlens engagement`: active members over time, Kaplan–Meier retention, log-rank comparisons.
public struct EngagementCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "engagement",
        abstract: "Engagement and retention: active members over time, Kaplan–Meier retention, log-rank comparisons.",
        discussion: """
        Retention follows members who joined within the data from their join time to their last activity. Leaving \
        can only be told from a pause --inactive-days after the last activity, so follow-up ends at that horizon \
        before the data end: a member with no activity after it has left; anyone active after it is censored there. \
        Retention at 7, 30 and 90 days carries Greenwood intervals, and is not estimated beyond the longest follow-up. \
        Members without research consent are excluded.
        """
    )

    @Option(help: "Active members per day, week or month.")
    var over: ActivityPeriod = .week

    @Option(help: "Only members of this role (\(Role.allCases.map(\.rawValue).joined(separator: ", "))).")
    var role: String?

    @Option(name: .customLong("activity"), help: "What counts as activity (repeatable; default all: activity, message, checkin, skill, group).")
    var sources: [ActivitySource] = []

    @Option(help: "A member with no activity in this many final days of the data has left.")
    var inactiveDays: Double = 14

    @Option(name: .customLong("compare"), help: "Attributes whose retention is compared by log-rank (repeatable; default condition and cohort).")
    var compare: [ResearchAttribute] = []

    /// Defaults.
    public init() {}

    public func validate() throws {
        guard inactiveDays > 0, inactiveDays.isFinite else { throw ValidationError("--inactive-days must be positive") }
        if let role, Role(rawValue: role) == nil { throw ValidationError("--role takes one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        var options = EngagementOptions()
        options.over = over
        options.role = role.flatMap(Role.init(rawValue:))
        if !sources.isEmpty { options.sources = sources }
        options.inactiveDays = inactiveDays
        if !compare.isEmpty { options.compare = compare }
        let r = try EngagementReport.analyse(store: try context.source(), options: options)
        var described = ["over": over.rawValue, "inactive_days": Formatter.fixed(inactiveDays, 1)]
        if let role { described["role"] = role }
        if !sources.isEmpty { described["activity"] = sources.map(\.rawValue).joined(separator: ",") }
        if !compare.isEmpty { described["compare"] = compare.map(\.rawValue).joined(separator: ",") }
        return Publication(title: "Engagement and retention", subtitle: "\(r.from.prefix(10)) to \(r.to.prefix(10))",
                           sections: try EngagementContribution.sections(r, over: over), options: described)
    }
}
