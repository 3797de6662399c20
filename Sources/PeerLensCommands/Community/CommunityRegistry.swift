extension CommandRegistry {
    /// The community commands.
    static let communityCommands: [any PublishedCommand.Type] = [
        HealthCommand.self,
        ImpactCommand.self,
    ]
}
