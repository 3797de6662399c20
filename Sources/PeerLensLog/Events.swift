/// The event types of log format v1. Raw values are the `type` field's spellings.
public enum EventType: String, Sendable, CaseIterable, Codable, Comparable {
    case member, message, score, review, alert, response, followup, moderation, appeal, match
    case matchEnd = "match_end", groupSession = "group_session"
    case checkin, skill, training, activity

    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A person joining the community (`ts` = when they joined).
public struct MemberEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var member: String
    public var role: Role
    public var region: String?
    public var language: String?
    public var ageBand: AgeBand?
    public var gender: String?
    public var culture: String?
    public var conditions: [Condition]
    public var resourceSetting: ResourceSetting?
    /// `false` means: leave this member out of research outputs. Defaults to `true`.
    public var researchConsent: Bool
    public var cohort: String?

    public init(ts: Timestamp, member: String, role: Role, region: String? = nil, language: String? = nil,
                ageBand: AgeBand? = nil, gender: String? = nil, culture: String? = nil, conditions: [Condition] = [],
                resourceSetting: ResourceSetting? = nil, researchConsent: Bool = true, cohort: String? = nil) {
        self.ts = ts; self.member = member; self.role = role; self.region = region; self.language = language
        self.ageBand = ageBand; self.gender = gender; self.culture = culture; self.conditions = conditions
        self.resourceSetting = resourceSetting; self.researchConsent = researchConsent; self.cohort = cohort
    }
}

/// A message posted in a space (metadata only: its length, never its text).
public struct MessageEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var id: String
    public var member: String
    public var space: String
    public var thread: String
    public var replyTo: String?
    public var chars: Int

    public init(ts: Timestamp, id: String, member: String, space: String, thread: String, replyTo: String?, chars: Int) {
        self.ts = ts; self.id = id; self.member = member; self.space = space; self.thread = thread
        self.replyTo = replyTo; self.chars = chars
    }
}

/// A risk model's score for a message.
public struct ScoreEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var message: String
    public var model: String
    public var version: String
    /// In [0, 1].
    public var score: Double

    public init(ts: Timestamp, message: String, model: String, version: String, score: Double) {
        self.ts = ts; self.message = message; self.model = model; self.version = version; self.score = score
    }
}

/// A human review of a message: the ground truth for risk models.
public struct ReviewEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var message: String
    public var kind: ReviewKind
    /// Graded judgement; at least one of `severity` and `positive` is present.
    public var severity: Severity?
    /// Binary judgement; at least one of `severity` and `positive` is present.
    public var positive: Bool?
    public var reviewerRole: String
    /// Optional sampling weight (inverse inclusion probability), > 0.
    public var weight: Double?

    public init(ts: Timestamp, message: String, kind: ReviewKind, severity: Severity?, positive: Bool?,
                reviewerRole: String, weight: Double? = nil) {
        self.ts = ts; self.message = message; self.kind = kind; self.severity = severity; self.positive = positive
        self.reviewerRole = reviewerRole; self.weight = weight
    }
}

/// An alert raised to human responders because a score crossed a threshold.
public struct AlertEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var id: String
    public var message: String
    public var member: String
    public var model: String
    public var version: String
    public var score: Double
    public var threshold: Double

    public init(ts: Timestamp, id: String, message: String, member: String, model: String, version: String,
                score: Double, threshold: Double) {
        self.ts = ts; self.id = id; self.message = message; self.member = member; self.model = model
        self.version = version; self.score = score; self.threshold = threshold
    }
}

/// A responder acting on an alert (`ts` = when they responded).
public struct ResponseEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var alert: String
    public var responder: String
    public var responderRole: ResponderRole
    public var outcome: ResponseOutcome

    public init(ts: Timestamp, alert: String, responder: String, responderRole: ResponderRole, outcome: ResponseOutcome) {
        self.ts = ts; self.alert = alert; self.responder = responder; self.responderRole = responderRole; self.outcome = outcome
    }
}

/// Whether the follow-up after an alert happened.
public struct FollowupEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var alert: String
    public var completed: Bool

    public init(ts: Timestamp, alert: String, completed: Bool) {
        self.ts = ts; self.alert = alert; self.completed = completed
    }
}

/// A moderation action on a message or a member (exactly one target is usual; at least one is required).
public struct ModerationEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var id: String
    public var message: String?
    public var member: String?
    public var action: ModerationAction
    public var layer: ModerationLayer
    public var reason: ModerationReason

    public init(ts: Timestamp, id: String, message: String?, member: String?, action: ModerationAction,
                layer: ModerationLayer, reason: ModerationReason) {
        self.ts = ts; self.id = id; self.message = message; self.member = member; self.action = action
        self.layer = layer; self.reason = reason
    }
}

/// The decision on an appeal against a moderation action.
public struct AppealEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var moderation: String
    public var outcome: AppealOutcome

    public init(ts: Timestamp, moderation: String, outcome: AppealOutcome) {
        self.ts = ts; self.moderation = moderation; self.outcome = outcome
    }
}

/// The matching algorithm's component scores for a proposed match, each in [0, 1].
public struct MatchComponents: Sendable, Hashable {
    public var experience: Double
    public var communication: Double
    public var supportStyle: Double
    public var demographic: Double
    public var recoveryStage: Double
    public var availability: Double
    public var safety: Double
    public var cultural: Double

    /// Log spellings of the components, in contract order.
    public static let fieldNames = ["experience", "communication", "support_style", "demographic",
                                    "recovery_stage", "availability", "safety", "cultural"]

    /// The components in `fieldNames` order.
    public var values: [Double] {
        [experience, communication, supportStyle, demographic, recoveryStage, availability, safety, cultural]
    }

    /// Creates components from values in `fieldNames` order.
    public init(values v: [Double]) {
        precondition(v.count == 8, "MatchComponents needs 8 values")
        experience = v[0]; communication = v[1]; supportStyle = v[2]; demographic = v[3]
        recoveryStage = v[4]; availability = v[5]; safety = v[6]; cultural = v[7]
    }
}

/// A proposed peer match.
public struct MatchEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var id: String
    public var seeker: String
    public var peer: String
    public var kind: MatchKind
    /// The matching score, in [0, 1].
    public var score: Double
    public var components: MatchComponents
    public var accepted: Bool

    public init(ts: Timestamp, id: String, seeker: String, peer: String, kind: MatchKind, score: Double,
                components: MatchComponents, accepted: Bool) {
        self.ts = ts; self.id = id; self.seeker = seeker; self.peer = peer; self.kind = kind; self.score = score
        self.components = components; self.accepted = accepted
    }
}

/// The end of a match.
public struct MatchEndEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var match: String
    public var sessions: Int
    /// 1–5 when the seeker rated the match.
    public var rating: Int?
    public var reason: MatchEndReason

    public init(ts: Timestamp, match: String, sessions: Int, rating: Int?, reason: MatchEndReason) {
        self.ts = ts; self.match = match; self.sessions = sessions; self.rating = rating; self.reason = reason
    }
}

/// One meeting of a support group.
public struct GroupSessionEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var group: String
    public var session: String
    public var facilitator: String
    /// A condition's spelling or `general`.
    public var focus: String
    public var attendees: [String]

    public init(ts: Timestamp, group: String, session: String, facilitator: String, focus: String, attendees: [String]) {
        self.ts = ts; self.group = group; self.session = session; self.facilitator = facilitator; self.focus = focus
        self.attendees = attendees
    }
}

/// A questionnaire total score reported by a member.
public struct CheckinEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var member: String
    public var instrument: String
    public var score: Double

    public init(ts: Timestamp, member: String, instrument: String, score: Double) {
        self.ts = ts; self.member = member; self.instrument = instrument; self.score = score
    }
}

/// A CBT/DBT/ACT skill practised.
public struct SkillEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var member: String
    public var framework: SkillFramework
    public var skill: String
    public var completed: Bool

    public init(ts: Timestamp, member: String, framework: SkillFramework, skill: String, completed: Bool) {
        self.ts = ts; self.member = member; self.framework = framework; self.skill = skill; self.completed = completed
    }
}

/// A training course taken by a listener or volunteer.
public struct TrainingEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var member: String
    public var course: String
    public var completed: Bool

    public init(ts: Timestamp, member: String, course: String, completed: Bool) {
        self.ts = ts; self.member = member; self.course = course; self.completed = completed
    }
}

/// Time a member spent active in a session.
public struct ActivityEvent: Sendable, Hashable {
    public var ts: Timestamp
    public var member: String
    public var durationSeconds: Double

    public init(ts: Timestamp, member: String, durationSeconds: Double) {
        self.ts = ts; self.member = member; self.durationSeconds = durationSeconds
    }
}

/// One validated event of log format v1.
public enum Event: Sendable, Hashable {
    case member(MemberEvent)
    case message(MessageEvent)
    case score(ScoreEvent)
    case review(ReviewEvent)
    case alert(AlertEvent)
    case response(ResponseEvent)
    case followup(FollowupEvent)
    case moderation(ModerationEvent)
    case appeal(AppealEvent)
    case match(MatchEvent)
    case matchEnd(MatchEndEvent)
    case groupSession(GroupSessionEvent)
    case checkin(CheckinEvent)
    case skill(SkillEvent)
    case training(TrainingEvent)
    case activity(ActivityEvent)

    /// The event's type.
    public var type: EventType {
        switch self {
        case .member: .member
        case .message: .message
        case .score: .score
        case .review: .review
        case .alert: .alert
        case .response: .response
        case .followup: .followup
        case .moderation: .moderation
        case .appeal: .appeal
        case .match: .match
        case .matchEnd: .matchEnd
        case .groupSession: .groupSession
        case .checkin: .checkin
        case .skill: .skill
        case .training: .training
        case .activity: .activity
        }
    }

    /// The event's timestamp.
    public var ts: Timestamp {
        switch self {
        case let .member(e): e.ts
        case let .message(e): e.ts
        case let .score(e): e.ts
        case let .review(e): e.ts
        case let .alert(e): e.ts
        case let .response(e): e.ts
        case let .followup(e): e.ts
        case let .moderation(e): e.ts
        case let .appeal(e): e.ts
        case let .match(e): e.ts
        case let .matchEnd(e): e.ts
        case let .groupSession(e): e.ts
        case let .checkin(e): e.ts
        case let .skill(e): e.ts
        case let .training(e): e.ts
        case let .activity(e): e.ts
        }
    }
}
