/// Closed vocabularies of log format v1. Raw values are the spellings used in
/// the logs (and stored in SQLite), so they are part of the contract.

/// A member's role in the community.
public enum Role: String, Sendable, CaseIterable, Codable { case seeker, peer, listener, moderator, professional }

/// Age band of a member.
public enum AgeBand: String, Sendable, CaseIterable, Codable {
    case a13to17 = "13-17", a18to24 = "18-24", a25to34 = "25-34", a35to44 = "35-44"
    case a45to54 = "45-54", a55to64 = "55-64", a65plus = "65+"
}

/// A condition a member reports, or a condition-specific space's focus.
public enum Condition: String, Sendable, CaseIterable, Codable {
    case depression, anxiety, bipolar, eatingDisorder = "eating_disorder", ptsd, ocd, other
}

/// The resource setting a member lives in (SDG 10.2 disaggregation).
public enum ResourceSetting: String, Sendable, CaseIterable, Codable {
    case high, low, conflictAffected = "conflict_affected", rural
}

/// What a human review judged.
public enum ReviewKind: String, Sendable, CaseIterable, Codable { case crisis, toxicity, harmfulAdvice = "harmful_advice" }

/// Reviewed severity, ordered from `none` to `imminent`.
public enum Severity: String, Sendable, CaseIterable, Codable, Comparable {
    case none, low, moderate, high, imminent
    /// Position in the ordering (none = 0 … imminent = 4).
    public var rank: Int { Severity.allCases.firstIndex(of: self)! }
    /// Orders by raw value, for stable sorted output.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Who responded to a crisis alert.
public enum ResponderRole: String, Sendable, CaseIterable, Codable { case peer, professional, hotline, emergency }

/// How a crisis alert ended.
public enum ResponseOutcome: String, Sendable, CaseIterable, Codable {
    case supported, escalated, emergencyServices = "emergency_services", noContact = "no_contact", falseAlarm = "false_alarm"
}

/// A moderation action.
public enum ModerationAction: String, Sendable, CaseIterable, Codable { case hide, warn, educate, suspend, ban, restore }

/// Which layer of moderation acted.
public enum ModerationLayer: String, Sendable, CaseIterable, Codable { case automatic, peer, professional, community }

/// Why moderation acted.
public enum ModerationReason: String, Sendable, CaseIterable, Codable {
    case toxicity, harassment, harmfulAdvice = "harmful_advice", spam, triggerContent = "trigger_content", crisis, other

    /// The reasons that mark a message as harmful to others (`spam` is a nuisance, `crisis` a member at risk
    /// rather than harm done to others, `other` unspecified: none of them counts as harm).
    public static let harm: Set<ModerationReason> = [.toxicity, .harassment, .harmfulAdvice, .triggerContent]
}

/// How an appeal against moderation ended.
public enum AppealOutcome: String, Sendable, CaseIterable, Codable { case upheld, overturned }

/// The kind of peer match.
public enum MatchKind: String, Sendable, CaseIterable, Codable { case primary, group, mentor, crisis }

/// Why a match ended.
public enum MatchEndReason: String, Sendable, CaseIterable, Codable {
    case completed, seekerLeft = "seeker_left", peerLeft = "peer_left", safety, rematch
}

/// A therapeutic skills framework.
public enum SkillFramework: String, Sendable, CaseIterable, Codable { case cbt = "CBT", dbt = "DBT", act = "ACT" }
