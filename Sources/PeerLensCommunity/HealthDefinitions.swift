import Foundation
import PeerLensLog

/// The six components of the community-health index (`peerlens health`).
public enum HealthComponent: String, Sendable, Codable, CaseIterable {
    case responsiveness, reciprocity, inclusion, safety, retention, capacity
}

/// The measures behind the components, each with the rule that maps it to 0–100.
///
/// Definitions (every measure is computed per cell — a period and a space, or all spaces — over the *active
/// members* of the cell, i.e. members who posted there in the period):
/// - a **thread** is help-seeking; it is **answered** at its first message from someone other than its author.
///   A thread belongs to the cell of its first message.
/// - a **reply** is a message whose parent was written by someone else; it belongs to the cell of the reply.
/// - a **newcomer** is a member whose first message in the store is in the cell.
public enum HealthMeasure: String, Sendable, Codable, CaseIterable {
    /// Share of threads answered within 1 hour (threads opened at least 1 hour before the data end).
    case answeredWithinHour = "answered_within_1h"
    /// Median minutes to the first reply, over threads answered within 7 days (opened ≥ 7 days before the end).
    case medianMinutesToFirstReply = "median_minutes_to_first_reply"
    /// Share of threads with no reply within 7 days (opened ≥ 7 days before the end).
    case unansweredAfterWeek = "unanswered_after_7_days"
    /// Share of active members who both gave and received replies in the cell.
    case reciprocalMembers = "reciprocal_members"
    /// Gini coefficient (n² form) of replies received by the active members.
    case giniOfRepliesReceived = "gini_of_replies_received"
    /// Share of newcomers whose first message was replied to within 7 days.
    case newcomersReplied = "newcomers_replied_within_7_days"
    /// Harmful messages per 1,000 messages: messages with a moderation action taken for harm (toxicity,
    /// harassment, harmful advice, trigger content) that stands — not overturned on appeal, not undone by a
    /// later `restore`. A message counts once however many actions it has, so more moderation of the same
    /// harm does not move it (harm prevalence, not moderation volume).
    case harmfulPerThousand = "harmful_messages_per_1000"
    /// Median minutes from a harmful message to the first standing harm action on it (moderation speed).
    case medianMinutesToHarmAction = "median_minutes_to_harm_action"
    /// Share of appealed moderation actions that were overturned (reported, not scored: appeals are too
    /// rare to be in every week, and an overturned action already counts as no harm).
    case appealOverturnRate = "appeal_overturn_rate"
    /// Share of newcomers active again (message or activity) 21–28 days after their first message (newcomers
    /// whose first message is at least 28 days before the end).
    case fourWeekRetention = "four_week_retention"
    /// Members who replied to others per member who opened a thread.
    case supportersPerSeeker = "supporters_per_seeker"
    /// Replies given per supporter (reported; not scored: a load is neither good nor bad by itself).
    case repliesPerSupporter = "replies_per_supporter"
    /// Share of all replies given by the top 10 % of supporters.
    case topDecileReplyShare = "top_decile_reply_share"

    /// The component the measure belongs to.
    public var component: HealthComponent {
        switch self {
        case .answeredWithinHour, .medianMinutesToFirstReply, .unansweredAfterWeek: .responsiveness
        case .reciprocalMembers: .reciprocity
        case .giniOfRepliesReceived, .newcomersReplied: .inclusion
        case .harmfulPerThousand, .medianMinutesToHarmAction, .appealOverturnRate: .safety
        case .fourWeekRetention: .retention
        case .supportersPerSeeker, .repliesPerSupporter, .topDecileReplyShare: .capacity
        }
    }

    /// The 0–100 rule, in words (printed with the report).
    public var rule: String {
        switch self {
        case .answeredWithinHour, .reciprocalMembers, .newcomersReplied, .fourWeekRetention: "100 × share"
        case .unansweredAfterWeek: "100 × (1 − share)"
        case .giniOfRepliesReceived: "100 × (1 − Gini)"
        case .medianMinutesToFirstReply, .medianMinutesToHarmAction:
            "100 at ≤ 5 minutes, 0 at ≥ 24 hours, linear in log(minutes) between: 100 × (1 − ln(t/5)/ln(288))"
        case .harmfulPerThousand: "100 × max(0, 1 − rate/50): 0 at 50 or more per 1,000"
        case .supportersPerSeeker: "100 × min(1, ratio/2): full marks at 2 supporters per help seeker"
        case .repliesPerSupporter, .appealOverturnRate: "not scored"
        case .topDecileReplyShare: "100 × (1 − share)/0.9, within [0, 100]: 100 when the load is even (share 0.1), 0 when the top tenth gives every reply"
        }
    }

    /// The measure mapped to 0–100 (nil for measures that are not scored).
    public func score(_ value: Double) -> Double? {
        func clamp(_ x: Double) -> Double { min(100, max(0, x)) }
        switch self {
        case .answeredWithinHour, .reciprocalMembers, .newcomersReplied, .fourWeekRetention: return clamp(100 * value)
        case .unansweredAfterWeek, .giniOfRepliesReceived: return clamp(100 * (1 - value))
        case .medianMinutesToFirstReply, .medianMinutesToHarmAction:
            return value <= 5 ? 100 : clamp(100 * (1 - log(value / 5) / log(288)))
        case .harmfulPerThousand: return clamp(100 * (1 - value / 50))
        case .supportersPerSeeker: return clamp(100 * value / 2)
        case .repliesPerSupporter, .appealOverturnRate: return nil
        case .topDecileReplyShare: return clamp(100 * (1 - value) / 0.9)
        }
    }

    /// Whether the measure has a 0–100 score (and so can enter its component and the index).
    public var isScored: Bool { score(0) != nil }

    /// Moderation reasons that mark a message as harmful to others (`ModerationReason.harm`).
    public static let harmReasons: Set<String> = Set(ModerationReason.harm.map(\.rawValue))

    /// The unit printed with the value.
    public var unit: String {
        switch self {
        case .medianMinutesToFirstReply, .medianMinutesToHarmAction: "minutes"
        case .harmfulPerThousand: "per 1,000 messages"
        case .giniOfRepliesReceived: "Gini"
        case .supportersPerSeeker: "supporters per help seeker"
        case .repliesPerSupporter: "replies"
        default: "share"
        }
    }
}

/// Weights of the components in the index (default: equal). The index is the weighted mean of the
/// components in the index of the series (the components with a scored measure that has data in every
/// scored week of the series; the cells list the others).
public struct HealthWeights: Sendable, Equatable, Codable {
    /// Weight per component (non-negative; missing components weigh 1).
    public var weights: [HealthComponent: Double]

    /// Equal weights.
    public init() { weights = Dictionary(uniqueKeysWithValues: HealthComponent.allCases.map { ($0, 1) }) }

    /// The weight of `component`.
    public func weight(_ component: HealthComponent) -> Double { weights[component] ?? 1 }

    /// Parses `responsiveness=2,safety=1.5` (components not named keep weight 1).
    ///
    /// - Throws: `HealthError` naming the part that is not `component=weight` with a known component and a
    ///   non-negative number, or when every weight is 0.
    public init(parsing text: String) throws {
        self.init()
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let component = HealthComponent(rawValue: pair[0]), let w = Double(pair[1]), w >= 0, w.isFinite else {
                let names = HealthComponent.allCases.map(\.rawValue)
                let hint = pair.count == 2 && HealthComponent(rawValue: pair[0]) == nil
                    ? Suggestion.closest(to: pair[0], among: names).map { " (did you mean \($0)?)" } ?? "" : ""
                throw HealthError("weights: '\(part)' is not component=weight with a component among \(names.joined(separator: ", ")) and a non-negative number\(hint)")
            }
            weights[component] = w
        }
        guard HealthComponent.allCases.contains(where: { weight($0) > 0 }) else { throw HealthError("weights: at least one component needs a positive weight") }
    }

    enum CodingKeys: String, CodingKey { case weights }

    /// Encodes as `{component: weight}` in component order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for component in HealthComponent.allCases { try c.encode(weight(component), forKey: AnyKey(component.rawValue)) }
    }

    /// Decodes `{component: weight}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        self.init()
        for component in HealthComponent.allCases {
            if let w = try c.decodeIfPresent(Double.self, forKey: AnyKey(component.rawValue)) { weights[component] = w }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Why a community analysis cannot run (a sentence; never echoes row values).
public struct HealthError: Error, Sendable, CustomStringConvertible {
    /// The sentence.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
