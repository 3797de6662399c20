extension CommandRegistry {
    /// The research commands.
    static let researchCommands: [any PublishedCommand.Type] = [
        OutcomesCommand.self, EngagementCommand.self, MatchesCommand.self, GroupsCommand.self, SkillsCommand.self,
    ]
}
