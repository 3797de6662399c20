extension CommandRegistry {
    /// The safety commands.
    static let safetyCommands: [any PublishedCommand.Type] = [
    ]
}
