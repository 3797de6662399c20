extension CommandRegistry {
    /// The store commands.
    static let storeCommands: [any PublishedCommand.Type] = [
        CheckCommand.self,
        QuarantineCommand.self,
    ]
}
