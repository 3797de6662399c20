import ArgumentParser
import PeerLensDocument
import PeerLensReport
import PeerLensResearch

/// `peerlens groups`: attendance, return, facilitator load, regular vs occasional attendees.
public struct GroupsCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "Support groups: attendance, return across sessions, facilitator load, outcomes of regular vs occasional attendees.",
        discussion: """
        A regular attendee went to at least --regular-sessions sessions of one group; the others are occasional. \
        Their mood change (last − first check-in) is compared with Welch's t test and Hedges' g — an observational \
        comparison. Members without research consent are excluded from every count.
        """
    )

    @Option(help: "Sessions of one group that make a regular attendee.")
    var regularSessions = 4

    @Option(help: "The instrument of the outcome comparison.")
    var instrument = "PHQ-9"

    /// Defaults.
    public init() {}

    public func validate() throws {
        guard regularSessions >= 2 else { throw ValidationError("--regular-sessions must be at least 2") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        let options = GroupsOptions(regularSessions: regularSessions, instrument: instrument)
        let r = try GroupsReport.analyse(store: try context.source(), options: options)
        return Publication(title: "Support groups", subtitle: "\(r.from.prefix(10)) to \(r.to.prefix(10))",
                           sections: GroupsAndSkillsContribution.groupsSections(r),
                           options: ["regular_sessions": String(regularSessions), "instrument": instrument])
    }
}
