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
        subcommands: [Ingest.self, Validate.self, Check.self, Quarantine.self, Simulate.self, Crisis.self, Risk.self, Thresholds.self, Moderation.self, Health.self, Impact.self, Outcomes.self, Engagement.self, Matches.self, Groups.self, Skills.self, Report.self, NotebookGroup.self, ImportStackExchange.self]
    )
}

