extension CommandRegistry {
    /// The safety commands.
    static let safetyCommands: [any PublishedCommand.Type] = [
        CrisisCommand.self,
        ModerationCommand.self,
        RiskCommand.self,
        ThresholdsCommand.self,
    ]
}
