extension CommandRegistry {
    /// The research commands.
    static let researchCommands: [any PublishedCommand.Type] = [
        OutcomesCommand.self,
    ]
}
