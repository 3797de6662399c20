import PeerLensLog
import PeerLensStats
import PeerLensStore

/// How several human reviews of one message are combined into the one label the risk analyses use
/// (`--review-rule`).
public enum ReviewRule: String, Sendable, Codable, CaseIterable {
    /// The latest review decides (ties in time: the last by reviewer role). PeerLens's behaviour before the rule
    /// could be chosen.
    case latest
    /// The label most reviews give; a tie (one positive, one negative) is positive, the more severe label,
    /// because a missed crisis costs more than a false alarm.
    case majority
    /// Positive when any review is positive (the most severe verdict decides).
    case mostSevere = "most-severe"

    /// The rule in a sentence, for notes.
    public var description: String {
        switch self {
        case .latest: "the latest review of each message decides"
        case .majority: "the majority of a message's reviews decides (a tie counts as positive, the more severe label)"
        case .mostSevere: "a message is positive when any of its reviews is positive (the most severe review decides)"
        }
    }

    /// The combined label of one message's reviews, each already turned into positive / negative, in time order.
    func combine(_ labels: [Bool]) -> Bool {
        switch self {
        case .latest: return labels.last ?? false
        case .majority: return 2 * labels.filter { $0 }.count >= labels.count
        case .mostSevere: return labels.contains(true)
        }
    }
}

/// How reviews become the labels and weights of the risk analyses: the rule that combines several reviews of a
/// message (`--review-rule`) and the sampling weight of reviewed messages without one when others have one
/// (`--unweighted-reviews-weight`, ≥ 1 since a weight is 1 / inclusion probability; without it such a mix is
/// refused: giving them weight 1 silently would treat them as certain to be reviewed).
public struct ReviewLabelling: Sendable, Equatable {
    /// The rule that combines several reviews of one message (default: the latest review decides).
    public var rule: ReviewRule
    /// The weight of reviewed messages without a sampling weight when others have one (nil: such a mix is refused).
    public var unweightedReviewsWeight: Double?
    /// Labelling by `rule`, with `unweightedReviewsWeight` for unweighted reviews among weighted ones.
    public init(rule: ReviewRule = .latest, unweightedReviewsWeight: Double? = nil) {
        self.rule = rule
        self.unweightedReviewsWeight = unweightedReviewsWeight
    }

    /// The labelling as printed in a provenance: `review_rule`, and `unweighted_reviews_weight` when given.
    public var described: [String: String] {
        var o = ["review_rule": rule.rawValue]
        if let w = unweightedReviewsWeight { o["unweighted_reviews_weight"] = "\(w)" }
        return o
    }
}

/// How the reviewed messages of one model version were turned into estimates: the estimator, what it
/// assumes about how reviews were sampled, the rule that combined several reviews of a message, and what was
/// done with reviews that had no sampling weight (`risk`'s and `thresholds`' `sampling_note`).
public struct ReviewDesign: Sendable, Equatable, Codable {
    /// The rule that combined several reviews of a message (nil for exported predictions: one label per case).
    public let rule: ReviewRule?
    /// Whether the estimates are inverse-probability weighted.
    public let weighted: Bool
    /// The weight given to reviewed messages without a sampling weight (`--unweighted-reviews-weight`), when
    /// some had none and others had one.
    public let unweightedReviewsWeight: Double?
    /// Reviewed messages that got `unweightedReviewsWeight` (0 when none needed it).
    public let messagesGivenAssumedWeight: Int
    /// Reviewed messages with at least two reviews (combined by `rule`).
    public let multiplyReviewed: Int

    /// The estimator in words.
    public var estimator: String {
        weighted ? Self.weightedEstimator : "unweighted shares and areas over the reviewed messages"
    }

    /// What the estimator assumes about how messages came to be reviewed.
    public var assumption: String {
        weighted ? Self.weightedAssumption : "reviewed messages are a simple random sample of scored messages (no sampling weights recorded)"
    }

    /// The inverse-probability-weighted estimator, named.
    public static let weightedEstimator = "inverse-probability weighting, Hájek form: Σw·x / Σw with w = 1 / inclusion probability"
    /// Its assumption.
    public static let weightedAssumption = "review selection depends only on the recorded inclusion probability (no other reason a message was or was not reviewed is related to its label)"

    /// Estimator, assumption, review rule and assumed weights in one statement.
    public var statement: String {
        var parts = [weighted ? "reviews carry sampling weights: estimator \(estimator); assumes \(assumption)"
                              : "no sampling weights: assumes \(assumption)"]
        if let w = unweightedReviewsWeight, messagesGivenAssumedWeight > 0 {
            parts.append("\(messagesGivenAssumedWeight) reviewed messages without a sampling weight were given weight \(Self.weightText(w)) (--unweighted-reviews-weight)")
        }
        if let rule {
            parts.append("review rule \(rule.rawValue): \(rule.description)"
                         + (multiplyReviewed > 0 ? " (\(multiplyReviewed) messages have several reviews)" : " (no message has several reviews)"))
        }
        return parts.joined(separator: "; ")
    }

    /// A weight as given on the command line (no trailing zeros).
    static func weightText(_ w: Double) -> String {
        w == w.rounded() && abs(w) < 1e15 ? String(Int(w)) : "\(w)"
    }
}

/// The reviews of one message combined by a `ReviewRule`.
struct CombinedReview {
    /// The combined label.
    let label: Bool
    /// The message's sampling weight: that of its latest review carrying one (nil when none does).
    let weight: Double?
    /// How many reviews the message has.
    let reviews: Int

    /// Combines every review of `kind` per message (reviews in the store's message, time order).
    static func combine(_ reviews: [StoredReview], rule: ReviewRule, positiveAt: Severity) -> [String: CombinedReview] {
        var combined: [String: CombinedReview] = [:]
        var start = 0
        while start < reviews.count {
            var end = start + 1
            while end < reviews.count, reviews[end].message == reviews[start].message { end += 1 }
            let group = reviews[start..<end]
            combined[reviews[start].message] = CombinedReview(
                label: rule.combine(group.map { $0.label(positiveAt: positiveAt) }),
                weight: group.last(where: { $0.weight != nil })?.weight, reviews: group.count)
            start = end
        }
        return combined
    }
}

extension StoredReview {
    /// The review's verdict: its binary label, else severity ≥ `positiveAt`.
    func label(positiveAt: Severity) -> Bool {
        positive ?? (severity.map { $0 >= positiveAt } ?? false)
    }
}

/// Agreement between the first and the second review of messages reviewed at least twice (`risk`'s "Reviewer
/// agreement"). The log records a reviewer role but no reviewer identity, so the two ratings of a message come
/// from raters who are not identified: Fleiss' κ with two ratings per message (Scott's π) is the measure that
/// suits this; Cohen's κ of first against second review is shown beside it (it treats "first" and "second" as
/// two raters). Further reviews of a message (a third, …) are not used, so every message contributes two
/// ratings, as Fleiss' κ requires.
public struct ReviewerAgreement: Sendable, Equatable, Codable {
    /// The review kind (`crisis`, `toxicity`, `harmful_advice`).
    public let kind: String
    /// Reviews at or above this severity are positive (graded reviews).
    public let positiveAt: Severity
    /// Messages with at least two reviews (the κ sample).
    public let messages: Int
    /// Messages with three or more reviews (their reviews after the second are not used).
    public let moreThanTwo: Int
    /// First-review label (positive, negative) against second-review label: [[pos·pos, pos·neg], [neg·pos, neg·neg]].
    public let labelTable: [[Int]]
    /// Share of messages whose two reviews agree on the label.
    public let observedAgreement: Double
    /// Fleiss' κ on the label (two ratings per message), with a percentile bootstrap interval over messages.
    public let fleiss: Estimate
    /// Cohen's κ on the label (first against second review), with a Wald interval from its asymptotic SE.
    public let cohen: Estimate
    /// Cohen's quadratic-weighted κ on severity (messages whose two reviews are both graded), with a Wald
    /// interval from its asymptotic SE; nil when fewer than two such messages or undefined.
    public let severityWeighted: Estimate?
    /// Messages whose first two reviews both carry a severity.
    public let gradedMessages: Int

    /// Measures agreement between the first two reviews (in time order) of every message reviewed at least twice.
    /// Returns nil when fewer than two messages have two reviews.
    ///
    /// - Throws: `StatsError` underneath.
    public static func measure(_ reviews: [StoredReview], kind: String, positiveAt: Severity, replicates: Int, seed: UInt64,
                               level: Double) throws -> ReviewerAgreement? {
        var pairs: [(StoredReview, StoredReview)] = []
        var moreThanTwo = 0
        var start = 0
        while start < reviews.count {
            var end = start + 1
            while end < reviews.count, reviews[end].message == reviews[start].message { end += 1 }
            if end - start >= 2 { pairs.append((reviews[start], reviews[start + 1])) }
            if end - start >= 3 { moreThanTwo += 1 }
            start = end
        }
        guard pairs.count >= 2 else { return nil }
        let labels = pairs.map { ($0.0.label(positiveAt: positiveAt), $0.1.label(positiveAt: positiveAt)) }
        var table = [[0, 0], [0, 0]]
        for (a, b) in labels { table[a ? 0 : 1][b ? 0 : 1] += 1 }
        let observed = Double(table[0][0] + table[1][1]) / Double(pairs.count)
        let z = StandardNormal.z(forLevel: level)
        func wald(_ r: Kappa.Result?) -> Estimate {
            guard let r else { return Estimate(value: nil, lower: nil, upper: nil, interval: "none") }
            return Estimate(value: r.kappa, lower: max(-1, r.kappa - z * r.standardError), upper: min(1, r.kappa + z * r.standardError),
                            interval: "Wald, asymptotic SE (Fleiss, Cohen & Everitt 1969)")
        }
        let cohen = wald(try? Kappa.cohen(table: table))
        // Fleiss' κ: each message's two ratings as counts over (positive, negative).
        let counts = labels.map { (a, b) in [(a ? 1 : 0) + (b ? 1 : 0), (a ? 0 : 1) + (b ? 0 : 1)] }
        let fleissValue = try? Kappa.fleiss(counts: counts)
        var fleiss = Estimate(value: fleissValue, lower: nil, upper: nil, interval: "none")
        if fleissValue != nil, replicates > 0 {
            // Percentile bootstrap over messages: a message's two ratings stay together.
            let rng = RandomSource(seed: seed)
            var draws: [Double] = []
            draws.reserveCapacity(replicates)
            for _ in 0..<replicates {
                let sample = (0..<counts.count).map { _ in counts[rng.integer(below: counts.count)] }
                if let k = try? Kappa.fleiss(counts: sample) { draws.append(k) }
            }
            if draws.count >= replicates / 2 {
                draws.sort()
                let alpha = (1 - level) / 2
                fleiss = Estimate(value: fleissValue, lower: Bootstrap.quantile(draws, alpha), upper: Bootstrap.quantile(draws, 1 - alpha),
                                  interval: "bootstrap percentile over messages (\(replicates) replicates, \(replicates - draws.count) undefined, seed \(seed))")
            }
        }
        let graded = pairs.compactMap { p -> (Severity, Severity)? in
            guard let a = p.0.severity, let b = p.1.severity else { return nil }
            return (a, b)
        }
        var severityWeighted: Estimate?
        if graded.count >= 2 {
            var severityTable = [[Int]](repeating: [Int](repeating: 0, count: Severity.allCases.count), count: Severity.allCases.count)
            for (a, b) in graded { severityTable[a.rank][b.rank] += 1 }
            severityWeighted = (try? Kappa.cohen(table: severityTable, weighting: .quadratic)).map { wald($0) }
        }
        return ReviewerAgreement(kind: kind, positiveAt: positiveAt, messages: pairs.count, moreThanTwo: moreThanTwo, labelTable: table,
                                 observedAgreement: observed, fleiss: fleiss, cohen: cohen, severityWeighted: severityWeighted,
                                 gradedMessages: graded.count)
    }

    /// Reads the reviews of `options.model`'s review kind and measures agreement (nil when the model has no
    /// review kind or fewer than two messages are reviewed twice).
    ///
    /// - Throws: `StoreError`, `StatsError`.
    public static func measure(store: any EventSource, options: RiskEvaluationOptions) throws -> ReviewerAgreement? {
        guard let kind = ReviewKind(rawValue: options.model) else { return nil }
        return try measure(store.reviews(kind: kind.rawValue), kind: kind.rawValue, positiveAt: options.positiveAt,
                           replicates: options.replicates, seed: options.seed, level: options.level)
    }

    enum CodingKeys: String, CodingKey {
        case kind, positiveAt = "positive_at", messages, moreThanTwo = "more_than_two", labelTable = "label_table"
        case observedAgreement = "observed_agreement", fleiss, cohen, severityWeighted = "severity_weighted", gradedMessages = "graded_messages"
    }
}
