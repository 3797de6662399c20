import ArgumentParser
import PeerLensCommands
import PeerLensDocument

/// The `peerlens` command: a thin shell over the PeerLens libraries.
@main
struct PeerLens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerlens",
        abstract: "Evidence workbench for mental-health peer-support communities.",
        discussion: """
        Loads anonymised interaction logs (format v1, see datasets/README.md) into an \
        SQLite store and evaluates the systems a peer-support platform runs.
        """,
        version: PeerLensVersion.current,
        subcommands: [
            Ingest.self, Validate.self, Published<CheckCommand>.self, Published<QuarantineCommand>.self, Simulate.self,
            Published<CrisisCommand>.self, Published<RiskCommand>.self, Published<ThresholdsCommand>.self, Published<ModerationCommand>.self,
            Published<HealthCommand>.self, Published<ImpactCommand>.self, Published<OutcomesCommand>.self, Published<EngagementCommand>.self,
            Published<MatchesCommand>.self, Published<GroupsCommand>.self, Published<SkillsCommand>.self,
            Report.self, NotebookGroup.self, ImportStackExchange.self,
        ]
    )
}

