import ArgumentParser
import PeerLensDocument
import PeerLensReport
import PeerLensResearch

/// `peerlens skills`: CBT/DBT/ACT practice and supporter training, with their association with outcomes.
public struct SkillsCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "skills",
        abstract: "Skills practice (CBT, DBT, ACT) and supporter training, with their association with outcomes.",
        discussion: """
        Practice counts and completion per framework and skill; the change in mood per completed practice between \
        a member's first and last check-in, adjusted for the baseline score (least squares); supporters' training \
        completion, and the ratings, completion and mood change of the seekers matched with trained vs untrained \
        peers, and the outcomes of crisis responses by trained vs untrained responders. All observational. Members \
        without research consent are excluded.
        """
    )

    @Option(help: "The instrument of the practice–outcome association.")
    var instrument = "PHQ-9"

    /// Defaults.
    public init() {}

    public func publish(_ context: CommandContext) throws -> Publication {
        let r = try SkillsReport.analyse(store: try context.source(), options: SkillsOptions(instrument: instrument))
        return Publication(title: "Skills and training", subtitle: "\(r.from.prefix(10)) to \(r.to.prefix(10))",
                           sections: GroupsAndSkillsContribution.skillsSections(r), options: ["instrument": instrument])
    }
}
