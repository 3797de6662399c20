/// Every measure, component score and the index of one cell, as a function of member multiplicities (nil:
/// the sample itself), so that point estimates and bootstrap replicates share one implementation.
struct CellStatistics: Sendable {
    private let units: [MemberTally]
    private let weights: HealthWeights
    /// Measures whose denominator reaches the disclosure threshold; the others take no part.
    private let available: Set<HealthMeasure>
    /// Unweighted denominators of the measures.
    let denominators: [HealthMeasure: Int]
    private let replyDelays: [(value: Double, unit: Int)]
    private let moderationDelays: [(value: Double, unit: Int)]
    private let byReceived: [Int]
    private let supportersByGiven: [Int]
    /// The member tallies' counts, unit by unit (`Field.count` values per unit, in `Field` order): the bootstrap
    /// evaluates `values` hundreds of times per cell, and reading flat numbers instead of tallies that hold
    /// arrays (retained and released per unit) made it several times faster.
    private let fields: [Double]
    /// Replies received, in `byReceived` order; replies given, in `supportersByGiven` order.
    private let receivedInOrder: [Double], givenInOrder: [Double]

    /// Positions of the counts in `fields`.
    private enum Field: Int, CaseIterable {
        case eligibleHour, answeredHour, eligibleWeek, unansweredWeek, reciprocal, newcomerEligible, newcomerReplied
        case messages, flagged, appealed, overturned, retentionEligible, retained, seeker, supporter, repliesGiven
    }

    /// Slots of the value vector: the measures in `HealthMeasure.allCases` order, then the components, then
    /// the index.
    static func slot(_ measure: HealthMeasure) -> Int { HealthMeasure.allCases.firstIndex(of: measure)! }
    static func componentSlot(_ component: HealthComponent) -> Int { HealthMeasure.allCases.count + HealthComponent.allCases.firstIndex(of: component)! }
    static let indexSlot = HealthMeasure.allCases.count + HealthComponent.allCases.count

    init(_ units: [MemberTally], weights: HealthWeights, disclosureThreshold k: Int) {
        self.units = units
        self.weights = weights
        func flatten(_ values: (MemberTally) -> [Double]) -> [(value: Double, unit: Int)] {
            var pairs: [(value: Double, unit: Int)] = []
            for u in units.indices { for v in values(units[u]) { pairs.append((value: v, unit: u)) } }
            pairs.sort { (a: (value: Double, unit: Int), b: (value: Double, unit: Int)) -> Bool in
                a.value < b.value || (a.value == b.value && a.unit < b.unit)
            }
            return pairs
        }
        replyDelays = flatten(\.replyDelays)
        moderationDelays = flatten(\.moderationDelays)
        byReceived = units.indices.sorted { units[$0].repliesReceived < units[$1].repliesReceived || (units[$0].repliesReceived == units[$1].repliesReceived && $0 < $1) }
        supportersByGiven = units.indices.filter { units[$0].repliesGiven > 0 }
            .sorted { units[$0].repliesGiven > units[$1].repliesGiven || (units[$0].repliesGiven == units[$1].repliesGiven && $0 < $1) }
        var fields: [Double] = []
        fields.reserveCapacity(units.count * Field.allCases.count)
        for t in units {
            fields += [t.eligibleHour, t.answeredHour, t.eligibleWeek, t.unansweredWeek, t.repliesGiven > 0 && t.repliesReceived > 0 ? 1 : 0,
                       t.newcomerEligible, t.newcomerReplied, t.messages, t.flagged, t.appealed, t.overturned, t.retentionEligible,
                       t.retained, t.opened > 0 ? 1 : 0, t.repliesGiven > 0 ? 1 : 0, t.repliesGiven].map(Double.init)
        }
        self.fields = fields
        receivedInOrder = byReceived.map { Double(units[$0].repliesReceived) }
        givenInOrder = supportersByGiven.map { Double(units[$0].repliesGiven) }
        func total(_ f: (MemberTally) -> Int) -> Int { units.reduce(0) { $0 + f($1) } }
        let seekers = units.filter { $0.opened > 0 }.count
        let d: [HealthMeasure: Int] = [
            .answeredWithinHour: total(\.eligibleHour), .medianMinutesToFirstReply: replyDelays.count, .unansweredAfterWeek: total(\.eligibleWeek),
            .reciprocalMembers: units.count, .giniOfRepliesReceived: units.count, .newcomersReplied: total(\.newcomerEligible),
            .harmFlaggedPerThousand: total(\.messages), .medianMinutesToModeration: moderationDelays.count, .appealOverturnRate: total(\.appealed),
            .fourWeekRetention: total(\.retentionEligible), .supportersPerSeeker: seekers, .repliesPerSupporter: supportersByGiven.count,
            .topDecileReplyShare: supportersByGiven.count,
        ]
        denominators = d
        available = Set(HealthMeasure.allCases.filter { (d[$0] ?? 0) >= k })
    }

    /// Measures, component scores (0–100) and the index for the resample with `m[u]` copies of member u.
    func values(multiplicities m: [Int32]?) -> [Double?] {
        @inline(__always) func w(_ u: Int) -> Double { m.map { Double($0[u]) } ?? 1 }
        var out = [Double?](repeating: nil, count: Self.indexSlot + 1)
        // Σ c·x per field, unit by unit in order (the same additions, in the same order, as summing tallies).
        let width = Field.allCases.count
        var sums = [Double](repeating: 0, count: width)
        var members = 0.0
        fields.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { sum in
                for u in 0..<units.count {
                    let c = w(u)
                    guard c > 0 else { continue }
                    members += c
                    let row = u * width
                    for f in 0..<width {
                        let v = x[row + f]
                        // Indicator fields hold 1 or 0: c·v adds c or nothing, exactly as the tally sums did.
                        sum[f] += c * v
                    }
                }
            }
        }
        func total(_ f: Field) -> Double { sums[f.rawValue] }
        let eligibleHour = total(.eligibleHour), answeredHour = total(.answeredHour), eligibleWeek = total(.eligibleWeek)
        let unansweredWeek = total(.unansweredWeek), reciprocal = total(.reciprocal), newcomers = total(.newcomerEligible)
        let newcomersReplied = total(.newcomerReplied), messages = total(.messages), flagged = total(.flagged)
        let appealed = total(.appealed), overturned = total(.overturned), retentionEligible = total(.retentionEligible)
        let retained = total(.retained), seekers = total(.seeker), supporters = total(.supporter), given = total(.repliesGiven)
        func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }
        func set(_ measure: HealthMeasure, _ value: Double?) {
            if available.contains(measure) { out[Self.slot(measure)] = value }
        }
        set(.answeredWithinHour, ratio(answeredHour, eligibleHour))
        set(.medianMinutesToFirstReply, Self.weightedMedian(replyDelays, weight: w))
        set(.unansweredAfterWeek, ratio(unansweredWeek, eligibleWeek))
        set(.reciprocalMembers, ratio(reciprocal, members))
        set(.giniOfRepliesReceived, gini(weight: w))
        set(.newcomersReplied, ratio(newcomersReplied, newcomers))
        set(.harmFlaggedPerThousand, ratio(1000 * flagged, messages))
        set(.medianMinutesToModeration, Self.weightedMedian(moderationDelays, weight: w))
        set(.appealOverturnRate, ratio(overturned, appealed))
        set(.fourWeekRetention, ratio(retained, retentionEligible))
        set(.supportersPerSeeker, ratio(supporters, seekers))
        set(.repliesPerSupporter, ratio(given, supporters))
        set(.topDecileReplyShare, topDecileShare(weight: w, given: given))
        var weighted = 0.0, weightSum = 0.0
        for component in HealthComponent.allCases {
            let scores = HealthMeasure.allCases.filter { $0.component == component }.compactMap { measure in
                out[Self.slot(measure)].flatMap { measure.score($0) }
            }
            guard !scores.isEmpty else { continue }
            let score = scores.reduce(0, +) / Double(scores.count)
            out[Self.componentSlot(component)] = score
            let cw = weights.weight(component)
            weighted += cw * score
            weightSum += cw
        }
        out[Self.indexSlot] = weightSum > 0 ? weighted / weightSum : nil
        return out
    }

    /// The weighted median of sorted values: the first value at which the cumulative weight reaches half the
    /// total, averaged with the next value when it lands exactly on half (the ordinary median for unit weights).
    static func weightedMedian(_ sorted: [(value: Double, unit: Int)], weight: (Int) -> Double) -> Double? {
        let total = sorted.reduce(0) { $0 + weight($1.unit) }
        guard total > 0 else { return nil }
        var cumulative = 0.0
        for (k, item) in sorted.enumerated() {
            let w = weight(item.unit)
            guard w > 0 else { continue }
            cumulative += w
            if cumulative > total / 2 { return item.value }
            if cumulative == total / 2 {
                let next = sorted[(k + 1)...].first { weight($0.unit) > 0 }
                return next.map { (item.value + $0.value) / 2 } ?? item.value
            }
        }
        return sorted.last?.value
    }

    /// Gini (n² form) of replies received, weighted: Σᵢ cᵢxᵢ(C<ᵢ − C>ᵢ) / (W·Σ cx) over members sorted by x.
    private func gini(weight: (Int) -> Double) -> Double? {
        var total = 0.0, mass = 0.0
        for (k, u) in byReceived.enumerated() { total += weight(u); mass += weight(u) * receivedInOrder[k] }
        guard total > 0, mass > 0 else { return nil }
        var below = 0.0, sum = 0.0
        for (k, u) in byReceived.enumerated() {
            let c = weight(u)
            guard c > 0 else { continue }
            let above = total - below - c
            sum += c * receivedInOrder[k] * (below - above)
            below += c
        }
        return sum / (total * mass)
    }

    /// Share of replies given by the top tenth of supporters (by weight), with the boundary member counted in
    /// part.
    private func topDecileShare(weight: (Int) -> Double, given: Double) -> Double? {
        let total = supportersByGiven.reduce(0) { $0 + weight($1) }
        guard total > 0, given > 0 else { return nil }
        let target = total / 10
        var taken = 0.0, top = 0.0
        for (k, u) in supportersByGiven.enumerated() where weight(u) > 0 {
            let take = min(weight(u), target - taken)
            if take <= 0 { break }
            top += take * givenInOrder[k]
            taken += take
        }
        return top / given
    }

    /// Why a measure has no denominator.
    static func emptyReason(_ measure: HealthMeasure) -> String {
        switch measure {
        case .answeredWithinHour, .unansweredAfterWeek: "no threads old enough to judge"
        case .medianMinutesToFirstReply: "no thread answered within 7 days"
        case .reciprocalMembers, .giniOfRepliesReceived: "no active members"
        case .newcomersReplied: "no newcomers old enough to judge"
        case .harmFlaggedPerThousand: "no messages"
        case .medianMinutesToModeration: "no moderated messages"
        case .appealOverturnRate: "no appeals"
        case .fourWeekRetention: "no newcomers 28 days before the end of the data"
        case .supportersPerSeeker: "no threads opened"
        case .repliesPerSupporter, .topDecileReplyShare: "no replies"
        }
    }

    /// What the denominator of a measure counts.
    static func denominatorName(_ measure: HealthMeasure) -> String {
        switch measure {
        case .answeredWithinHour, .unansweredAfterWeek: "threads"
        case .medianMinutesToFirstReply: "answered threads"
        case .reciprocalMembers, .giniOfRepliesReceived: "members"
        case .newcomersReplied, .fourWeekRetention: "newcomers"
        case .harmFlaggedPerThousand: "messages"
        case .medianMinutesToModeration: "moderated messages"
        case .appealOverturnRate: "appeals"
        case .supportersPerSeeker: "help seekers"
        case .repliesPerSupporter, .topDecileReplyShare: "supporters"
        }
    }
}
