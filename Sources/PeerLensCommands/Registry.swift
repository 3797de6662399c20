import ArgumentParser

/// PeerLens's version, recorded with every ingest run and in every provenance.
public enum PeerLensVersion {
    /// The version string.
    public static let current = "0.1.0"
}

/// Every published (read-only) command, by name: the executable registers them as subcommands and the
/// notebook runner runs them in process. A command not listed here cannot appear in a notebook.
public enum CommandRegistry {
    /// The published commands.
    public static let commands: [any PublishedCommand.Type] = safetyCommands + researchCommands + communityCommands + storeCommands

    /// The command named `name`, if registered.
    public static func command(named name: String) -> (any PublishedCommand.Type)? {
        commands.first { $0.name == name }
    }
}
