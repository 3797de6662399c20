/// The event types of log format v1. Raw values are the `type` field's spellings.
public enum EventType: String, Sendable, CaseIterable, Codable, Comparable {
    case member, message, score, review, alert, response, followup, moderation, appeal, match
    case matchEnd = "match_end", groupSession = "group_session"
    case checkin, skill, training, activity

    /// Orders by raw value, for stable sorted output.
    public static func < (lhs: EventType, rhs: EventType) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The event type spelled `name`, matched on length and bytes (`init(rawValue:)` compares the
    /// spellings one after another, which shows on the ingest hot path).
    public init?(name: String) {
        var copy = name
        guard let type = copy.withUTF8({ bytes -> EventType? in
            guard let first = bytes.first else { return nil }
            let candidates: [EventType]
            switch (bytes.count, first) {
            case (5, UInt8(ascii: "s")): candidates = [.score, .skill]
            case (5, UInt8(ascii: "a")): candidates = [.alert]
            case (5, UInt8(ascii: "m")): candidates = [.match]
            case (6, _): candidates = [.member, .review, .appeal]
            case (7, _): candidates = [.message, .checkin]
            case (8, _): candidates = [.response, .followup, .training, .activity]
            case (9, _): candidates = [.matchEnd]
            case (10, _): candidates = [.moderation]
            case (13, _): candidates = [.groupSession]
            default: return nil
            }
            for candidate in candidates where candidate.rawValue.utf8.elementsEqual(bytes) { return candidate }
            return nil
        }) else { return nil }
        self = type
    }

    /// Position in `allCases`, by a switch: cheaper than hashing on the ingest hot path.
    public var index: Int {
        switch self {
        case .member: 0
        case .message: 1
        case .score: 2
        case .review: 3
        case .alert: 4
        case .response: 5
        case .followup: 6
        case .moderation: 7
        case .appeal: 8
        case .match: 9
        case .matchEnd: 10
        case .groupSession: 11
        case .checkin: 12
        case .skill: 13
        case .training: 14
        case .activity: 15
        }
    }
}

/// A person joining the community (`ts` = when they joined).
public struct MemberEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `role` (see datasets/README.md).
    public var role: Role
    /// The log field `region` (see datasets/README.md).
    public var region: String?
    /// The log field `language` (see datasets/README.md).
    public var language: String?
    /// The log field `age_band` (see datasets/README.md).
    public var ageBand: AgeBand?
    /// The log field `gender` (see datasets/README.md).
    public var gender: String?
    /// The log field `culture` (see datasets/README.md).
    public var culture: String?
    /// The log field `conditions` (see datasets/README.md).
    public var conditions: [Condition]
    /// The log field `resource_setting` (see datasets/README.md).
    public var resourceSetting: ResourceSetting?
    /// `false` means: leave this member out of research outputs. Defaults to `true`.
    public var researchConsent: Bool
    /// The log field `cohort` (see datasets/README.md).
    public var cohort: String?

    /// Creates a value from its fields (already validated).
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
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `id` (see datasets/README.md).
    public var id: String
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `space` (see datasets/README.md).
    public var space: String
    /// The log field `thread` (see datasets/README.md).
    public var thread: String
    /// The log field `reply_to` (see datasets/README.md).
    public var replyTo: String?
    /// The log field `chars` (see datasets/README.md).
    public var chars: Int

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, id: String, member: String, space: String, thread: String, replyTo: String?, chars: Int) {
        self.ts = ts; self.id = id; self.member = member; self.space = space; self.thread = thread
        self.replyTo = replyTo; self.chars = chars
    }
}

/// A risk model's score for a message.
public struct ScoreEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `message` (see datasets/README.md).
    public var message: String
    /// The log field `model` (see datasets/README.md).
    public var model: String
    /// The log field `version` (see datasets/README.md).
    public var version: String
    /// In [0, 1].
    public var score: Double

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, message: String, model: String, version: String, score: Double) {
        self.ts = ts; self.message = message; self.model = model; self.version = version; self.score = score
    }
}

/// A human review of a message: the ground truth for risk models.
public struct ReviewEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `message` (see datasets/README.md).
    public var message: String
    /// The log field `kind` (see datasets/README.md).
    public var kind: ReviewKind
    /// Graded judgement; at least one of `severity` and `positive` is present.
    public var severity: Severity?
    /// Binary judgement; at least one of `severity` and `positive` is present.
    public var positive: Bool?
    /// The log field `reviewer_role` (see datasets/README.md).
    public var reviewerRole: String
    /// Optional sampling weight (inverse inclusion probability), > 0.
    public var weight: Double?

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, message: String, kind: ReviewKind, severity: Severity?, positive: Bool?,
                reviewerRole: String, weight: Double? = nil) {
        self.ts = ts; self.message = message; self.kind = kind; self.severity = severity; self.positive = positive
        self.reviewerRole = reviewerRole; self.weight = weight
    }
}

/// An alert raised to human responders because a score crossed a threshold.
public struct AlertEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `id` (see datasets/README.md).
    public var id: String
    /// The log field `message` (see datasets/README.md).
    public var message: String
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `model` (see datasets/README.md).
    public var model: String
    /// The log field `version` (see datasets/README.md).
    public var version: String
    /// The log field `score` (see datasets/README.md).
    public var score: Double
    /// The log field `threshold` (see datasets/README.md).
    public var threshold: Double

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, id: String, message: String, member: String, model: String, version: String,
                score: Double, threshold: Double) {
        self.ts = ts; self.id = id; self.message = message; self.member = member; self.model = model
        self.version = version; self.score = score; self.threshold = threshold
    }
}

/// A responder acting on an alert (`ts` = when they responded).
public struct ResponseEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `alert` (see datasets/README.md).
    public var alert: String
    /// The log field `responder` (see datasets/README.md).
    public var responder: String
    /// The log field `responder_role` (see datasets/README.md).
    public var responderRole: ResponderRole
    /// The log field `outcome` (see datasets/README.md).
    public var outcome: ResponseOutcome

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, alert: String, responder: String, responderRole: ResponderRole, outcome: ResponseOutcome) {
        self.ts = ts; self.alert = alert; self.responder = responder; self.responderRole = responderRole; self.outcome = outcome
    }
}

/// Whether the follow-up after an alert happened.
public struct FollowupEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `alert` (see datasets/README.md).
    public var alert: String
    /// The log field `completed` (see datasets/README.md).
    public var completed: Bool

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, alert: String, completed: Bool) {
        self.ts = ts; self.alert = alert; self.completed = completed
    }
}

/// A moderation action on a message or a member (exactly one target is usual; at least one is required).
public struct ModerationEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `id` (see datasets/README.md).
    public var id: String
    /// The log field `message` (see datasets/README.md).
    public var message: String?
    /// The log field `member` (see datasets/README.md).
    public var member: String?
    /// The log field `action` (see datasets/README.md).
    public var action: ModerationAction
    /// The log field `layer` (see datasets/README.md).
    public var layer: ModerationLayer
    /// The log field `reason` (see datasets/README.md).
    public var reason: ModerationReason

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, id: String, message: String?, member: String?, action: ModerationAction,
                layer: ModerationLayer, reason: ModerationReason) {
        self.ts = ts; self.id = id; self.message = message; self.member = member; self.action = action
        self.layer = layer; self.reason = reason
    }
}

/// The decision on an appeal against a moderation action.
public struct AppealEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `moderation` (see datasets/README.md).
    public var moderation: String
    /// The log field `outcome` (see datasets/README.md).
    public var outcome: AppealOutcome

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, moderation: String, outcome: AppealOutcome) {
        self.ts = ts; self.moderation = moderation; self.outcome = outcome
    }
}

/// The matching algorithm's component scores for a proposed match, each in [0, 1].
public struct MatchComponents: Sendable, Hashable {
    /// The log field `experience` (see datasets/README.md).
    public var experience: Double
    /// The log field `communication` (see datasets/README.md).
    public var communication: Double
    /// The log field `support_style` (see datasets/README.md).
    public var supportStyle: Double
    /// The log field `demographic` (see datasets/README.md).
    public var demographic: Double
    /// The log field `recovery_stage` (see datasets/README.md).
    public var recoveryStage: Double
    /// The log field `availability` (see datasets/README.md).
    public var availability: Double
    /// The log field `safety` (see datasets/README.md).
    public var safety: Double
    /// The log field `cultural` (see datasets/README.md).
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
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `id` (see datasets/README.md).
    public var id: String
    /// The log field `seeker` (see datasets/README.md).
    public var seeker: String
    /// The log field `peer` (see datasets/README.md).
    public var peer: String
    /// The log field `kind` (see datasets/README.md).
    public var kind: MatchKind
    /// The matching score, in [0, 1].
    public var score: Double
    /// The log field `components` (see datasets/README.md).
    public var components: MatchComponents
    /// The log field `accepted` (see datasets/README.md).
    public var accepted: Bool

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, id: String, seeker: String, peer: String, kind: MatchKind, score: Double,
                components: MatchComponents, accepted: Bool) {
        self.ts = ts; self.id = id; self.seeker = seeker; self.peer = peer; self.kind = kind; self.score = score
        self.components = components; self.accepted = accepted
    }
}

/// The end of a match.
public struct MatchEndEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `match` (see datasets/README.md).
    public var match: String
    /// The log field `sessions` (see datasets/README.md).
    public var sessions: Int
    /// 1–5 when the seeker rated the match.
    public var rating: Int?
    /// The log field `reason` (see datasets/README.md).
    public var reason: MatchEndReason

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, match: String, sessions: Int, rating: Int?, reason: MatchEndReason) {
        self.ts = ts; self.match = match; self.sessions = sessions; self.rating = rating; self.reason = reason
    }
}

/// One meeting of a support group.
public struct GroupSessionEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `group` (see datasets/README.md).
    public var group: String
    /// The log field `session` (see datasets/README.md).
    public var session: String
    /// The log field `facilitator` (see datasets/README.md).
    public var facilitator: String
    /// A condition's spelling or `general`.
    public var focus: String
    /// The log field `attendees` (see datasets/README.md).
    public var attendees: [String]

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, group: String, session: String, facilitator: String, focus: String, attendees: [String]) {
        self.ts = ts; self.group = group; self.session = session; self.facilitator = facilitator; self.focus = focus
        self.attendees = attendees
    }
}

/// A questionnaire total score reported by a member.
public struct CheckinEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `instrument` (see datasets/README.md).
    public var instrument: String
    /// The log field `score` (see datasets/README.md).
    public var score: Double
    /// The log field `risk_item`: the instrument's self-harm item as scored (PHQ-9 item 9 0–3, CORE-10 item 6
    /// 0–4; see `Instrument.riskItem`), when reported.
    public var riskItem: Int?

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, member: String, instrument: String, score: Double, riskItem: Int? = nil) {
        self.ts = ts; self.member = member; self.instrument = instrument; self.score = score; self.riskItem = riskItem
    }
}

/// A CBT/DBT/ACT skill practised.
public struct SkillEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `framework` (see datasets/README.md).
    public var framework: SkillFramework
    /// The log field `skill` (see datasets/README.md).
    public var skill: String
    /// The log field `completed` (see datasets/README.md).
    public var completed: Bool

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, member: String, framework: SkillFramework, skill: String, completed: Bool) {
        self.ts = ts; self.member = member; self.framework = framework; self.skill = skill; self.completed = completed
    }
}

/// A training course taken by a listener or volunteer.
public struct TrainingEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `course` (see datasets/README.md).
    public var course: String
    /// The log field `completed` (see datasets/README.md).
    public var completed: Bool

    /// Creates a value from its fields (already validated).
    public init(ts: Timestamp, member: String, course: String, completed: Bool) {
        self.ts = ts; self.member = member; self.course = course; self.completed = completed
    }
}

/// Time a member spent active in a session.
public struct ActivityEvent: Sendable, Hashable {
    /// The log field `ts` (see datasets/README.md).
    public var ts: Timestamp
    /// The log field `member` (see datasets/README.md).
    public var member: String
    /// The log field `duration_seconds` (see datasets/README.md).
    public var durationSeconds: Double

    /// Creates a value from its fields (already validated).
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
