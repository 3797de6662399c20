import PeerLensStore

/// Every measure, component score and the index of one cell, as a function of member multiplicities (nil:
/// the sample itself), so that point estimates and bootstrap replicates share one implementation.
struct CellStatistics: Sendable {
    private let unitCount: Int
    private let weights: HealthWeights
    /// Measures whose denominator reaches the composite minimum (every measure with a denominator gets its
    /// own value; only these may enter the component scores and the index).
    let publishable: Set<HealthMeasure>
    /// The measures that make up the component scores and the index: the series' common set
    /// (`HealthSeries`), the same in every scored week, empty in a week that is not scored. A component
    /// is the mean of its measures in this set and is in the index when it has one; when one of them is
    /// undefined (a bootstrap replicate without appeals, say) the component and the index are undefined
    /// rather than made of fewer measures.
    var inIndex: Set<HealthMeasure> = []
    /// Unweighted denominators of the measures.
    let denominators: [HealthMeasure: Int]
    /// Minutes to first reply and to moderation, sorted (ties by unit), with the unit of each.
    private let replyDelays: SortedDelays, harmActionDelays: SortedDelays
    /// Units by replies received (ascending, ties by unit); the first `firstReceiver` received none.
    private let byReceived: [Int32]
    private let firstReceiver: Int
    /// Supporters by replies given (descending, ties by unit).
    private let supportersByGiven: [Int32]
    /// The member tallies' counts, unit by unit (`Field` order, `rowWidth` values per unit, zero-padded): the
    /// bootstrap evaluates `values` hundreds of times per cell. Counts are integers, so their weighted sums are
    /// summed exactly as integers (the same numbers as summing them as doubles, in any order, below 2⁵³), from
    /// 32-bit values, eight fields per vector operation. Unsigned: a product of two zero-extended 32-bit numbers
    /// is one instruction on x86-64's baseline vectors, of sign-extended ones three.
    private let fields: [UInt32]
    private static let rowWidth = 24
    /// Replies received, in `byReceived` order; replies given, in `supportersByGiven` order.
    private let receivedInOrder: [Double], givenInOrder: [Double]

    /// Positions of the counts in `fields`. Besides the tallies' sums: how many reply and moderation delays a
    /// unit has and whether it received a reply, so that the totals the medians, Gini and top-decile share
    /// need come out of the same single pass instead of one pass each.
    private enum Field: Int, CaseIterable {
        case eligibleHour, answeredHour, eligibleWeek, unansweredWeek, reciprocal, newcomerEligible, newcomerReplied
        case messages, harmful, appealed, overturned, retentionEligible, retained, seeker, supporter, repliesGiven
        case replyDelayCount, harmActionDelayCount, receiver, repliesReceived
    }

    /// Sorted values with the unit each belongs to.
    struct SortedDelays: Sendable {
        let values: [Double]
        let units: [Int32]
    }

    /// Slots of the value vector: the measures in `HealthMeasure.allCases` order, then the components, then
    /// the index.
    static func slot(_ measure: HealthMeasure) -> Int { HealthMeasure.allCases.firstIndex(of: measure)! }
    static func componentSlot(_ component: HealthComponent) -> Int { HealthMeasure.allCases.count + HealthComponent.allCases.firstIndex(of: component)! }
    static let indexSlot = HealthMeasure.allCases.count + HealthComponent.allCases.count
    /// The measures of each component, in `HealthMeasure.allCases` order.
    static let componentMeasures: [HealthComponent: [HealthMeasure]] = Dictionary(grouping: HealthMeasure.allCases, by: \.component)

    init(_ units: [MemberTally], weights: HealthWeights, compositeMinimum k: Int) {
        unitCount = units.count
        self.weights = weights
        func flatten(_ values: (MemberTally) -> [Double]) -> SortedDelays {
            var pairs: [(value: Double, unit: Int)] = []
            for u in units.indices { for v in values(units[u]) { pairs.append((value: v, unit: u)) } }
            pairs.sort { (a: (value: Double, unit: Int), b: (value: Double, unit: Int)) -> Bool in
                a.value < b.value || (a.value == b.value && a.unit < b.unit)
            }
            return SortedDelays(values: pairs.map(\.value), units: pairs.map { Int32($0.unit) })
        }
        replyDelays = flatten(\.replyDelays)
        harmActionDelays = flatten(\.harmActionDelays)
        // Sorting on copied keys: comparing through `units[$0]` retained and released each tally's arrays.
        let received = units.map(\.repliesReceived), given = units.map(\.repliesGiven)
        let byReceived = units.indices.sorted { received[$0] < received[$1] || (received[$0] == received[$1] && $0 < $1) }
        self.byReceived = byReceived.map { Int32($0) }
        firstReceiver = byReceived.firstIndex { received[$0] > 0 } ?? units.count
        let supportersByGiven = units.indices.filter { given[$0] > 0 }
            .sorted { given[$0] > given[$1] || (given[$0] == given[$1] && $0 < $1) }
        self.supportersByGiven = supportersByGiven.map { Int32($0) }
        var fields: [UInt32] = []
        fields.reserveCapacity(units.count * Self.rowWidth)
        let padding = [UInt32](repeating: 0, count: Self.rowWidth - Field.allCases.count)
        for t in units {
            // Every count is at most the number of messages, which the graph indexes with Int32.
            fields += [t.eligibleHour, t.answeredHour, t.eligibleWeek, t.unansweredWeek, t.repliesGiven > 0 && t.repliesReceived > 0 ? 1 : 0,
                       t.newcomerEligible, t.newcomerReplied, t.messages, t.harmful, t.appealed, t.overturned, t.retentionEligible,
                       t.retained, t.opened > 0 ? 1 : 0, t.repliesGiven > 0 ? 1 : 0, t.repliesGiven,
                       t.replyDelays.count, t.harmActionDelays.count, t.repliesReceived > 0 ? 1 : 0, t.repliesReceived].map { UInt32($0) }
            fields += padding
        }
        self.fields = fields
        receivedInOrder = byReceived.map { Double(received[$0]) }
        givenInOrder = supportersByGiven.map { Double(given[$0]) }
        func total(_ f: (MemberTally) -> Int) -> Int { units.reduce(0) { $0 + f($1) } }
        let seekers = units.filter { $0.opened > 0 }.count
        let d: [HealthMeasure: Int] = [
            .answeredWithinHour: total(\.eligibleHour), .medianMinutesToFirstReply: replyDelays.values.count, .unansweredAfterWeek: total(\.eligibleWeek),
            .reciprocalMembers: units.count, .giniOfRepliesReceived: units.count, .newcomersReplied: total(\.newcomerEligible),
            .harmfulPerThousand: total(\.messages), .medianMinutesToHarmAction: harmActionDelays.values.count, .appealOverturnRate: total(\.appealed),
            .fourWeekRetention: total(\.retentionEligible), .supportersPerSeeker: seekers, .repliesPerSupporter: supportersByGiven.count,
            .topDecileReplyShare: supportersByGiven.count,
        ]
        denominators = d
        publishable = Set(HealthMeasure.allCases.filter { (d[$0] ?? 0) >= max(k, 1) })
    }

    /// The number of units (active members) of the cell.
    var count: Int { unitCount }

    /// Measures, component scores (0–100) and the index for the resample with `m[u]` copies of member u.
    func values(multiplicities m: [Int32]?) -> [Double?] {
        // The sample itself is the resample with one copy of each member.
        (m ?? [Int32](repeating: 1, count: unitCount)).withUnsafeBufferPointer { values(weights: $0) }
    }

    /// Measures, component scores and the index for member multiplicities `c` (one per unit).
    func values(weights c: UnsafeBufferPointer<Int32>) -> [Double?] {
        precondition(c.count == unitCount, "one multiplicity per unit")
        var out = [Double?](repeating: nil, count: Self.indexSlot + 1)
        // Σ c·x per field and the number of members drawn, in one pass; exact integer sums.
        // Wrapping operations cannot wrap here (a sum is at most units × the largest count < 2⁶²); unlike checked
        // ones they let the loop run on vectors.
        var sum0 = SIMD8<UInt64>(), sum1 = SIMD8<UInt64>(), sum2 = SIMD8<UInt64>()
        var drawn: UInt64 = 0
        fields.withUnsafeBytes { x in
            let rowBytes = Self.rowWidth * MemoryLayout<UInt32>.stride, vectorBytes = MemoryLayout<SIMD8<UInt32>>.stride
            for u in 0..<unitCount {
                // No test for c = 0: it adds nothing, and the branch mispredicted on a third of the members.
                let w = UInt64(UInt32(bitPattern: c[u]))
                drawn &+= w
                let row = u * rowBytes
                let weight = SIMD8<UInt64>(repeating: w)
                sum0 &+= weight &* SIMD8<UInt64>(truncatingIfNeeded: x.loadUnaligned(fromByteOffset: row, as: SIMD8<UInt32>.self))
                sum1 &+= weight &* SIMD8<UInt64>(truncatingIfNeeded: x.loadUnaligned(fromByteOffset: row + vectorBytes, as: SIMD8<UInt32>.self))
                sum2 &+= weight &* SIMD8<UInt64>(truncatingIfNeeded: x.loadUnaligned(fromByteOffset: row + 2 * vectorBytes, as: SIMD8<UInt32>.self))
            }
        }
        func total(_ f: Field) -> Double {
            let i = f.rawValue
            return Double(i < 8 ? sum0[i] : i < 16 ? sum1[i - 8] : sum2[i - 16])
        }
        let members = Double(drawn)
        let eligibleHour = total(.eligibleHour), answeredHour = total(.answeredHour), eligibleWeek = total(.eligibleWeek)
        let unansweredWeek = total(.unansweredWeek), reciprocal = total(.reciprocal), newcomers = total(.newcomerEligible)
        let newcomersReplied = total(.newcomerReplied), messages = total(.messages), harmful = total(.harmful)
        let appealed = total(.appealed), overturned = total(.overturned), retentionEligible = total(.retentionEligible)
        let retained = total(.retained), seekers = total(.seeker), supporters = total(.supporter), given = total(.repliesGiven)
        func ratio(_ a: Double, _ b: Double) -> Double? { b > 0 ? a / b : nil }
        func set(_ measure: HealthMeasure, _ value: Double?) {
            out[Self.slot(measure)] = value
        }
        set(.answeredWithinHour, ratio(answeredHour, eligibleHour))
        set(.medianMinutesToFirstReply, Self.weightedMedian(replyDelays, total: total(.replyDelayCount), weights: c))
        set(.unansweredAfterWeek, ratio(unansweredWeek, eligibleWeek))
        set(.reciprocalMembers, ratio(reciprocal, members))
        set(.giniOfRepliesReceived, gini(weights: c, total: members, receivers: total(.receiver), mass: total(.repliesReceived)))
        set(.newcomersReplied, ratio(newcomersReplied, newcomers))
        set(.harmfulPerThousand, ratio(1000 * harmful, messages))
        set(.medianMinutesToHarmAction, Self.weightedMedian(harmActionDelays, total: total(.harmActionDelayCount), weights: c))
        set(.appealOverturnRate, ratio(overturned, appealed))
        set(.fourWeekRetention, ratio(retained, retentionEligible))
        set(.supportersPerSeeker, ratio(supporters, seekers))
        set(.repliesPerSupporter, ratio(given, supporters))
        set(.topDecileReplyShare, topDecileShare(weights: c, total: supporters, given: given))
        var weighted = 0.0, weightSum = 0.0, complete = true
        for component in HealthComponent.allCases {
            let members = Self.componentMeasures[component]!.filter { inIndex.contains($0) }
            guard !members.isEmpty else { continue }
            let scores = members.compactMap { measure in out[Self.slot(measure)].flatMap { measure.score($0) } }
            // A measure of the set without a value leaves the component undefined (not made of fewer measures).
            guard scores.count == members.count else { if weights.weight(component) > 0 { complete = false }; continue }
            let score = scores.reduce(0, +) / Double(scores.count)
            out[Self.componentSlot(component)] = score
            let cw = weights.weight(component)
            weighted += cw * score
            weightSum += cw
        }
        out[Self.indexSlot] = complete && weightSum > 0 ? weighted / weightSum : nil
        return out
    }

    /// The weighted median of sorted values whose weights sum to `total`: the first value at which the
    /// cumulative weight reaches half the total, averaged with the next value when it lands exactly on half
    /// (the ordinary median for unit weights).
    static func weightedMedian(_ sorted: SortedDelays, total: Double, weights c: UnsafeBufferPointer<Int32>) -> Double? {
        guard total > 0 else { return nil }
        let values = sorted.values, units = sorted.units
        var cumulative = 0.0
        for k in values.indices {
            let w = c[Int(units[k])]
            guard w > 0 else { continue }
            cumulative += Double(w)
            if cumulative > total / 2 { return values[k] }
            if cumulative == total / 2 {
                let next = (k + 1 ..< values.count).first { c[Int(units[$0])] > 0 }
                return next.map { (values[k] + values[$0]) / 2 } ?? values[k]
            }
        }
        return values.last
    }

    /// Gini (n² form) of replies received, weighted: Σᵢ cᵢxᵢ(C<ᵢ − C>ᵢ) / (W·Σ cx) over members sorted by x,
    /// with W = `total`, the weight of members who received replies `receivers` and Σ cx = `mass`.
    private func gini(weights c: UnsafeBufferPointer<Int32>, total: Double, receivers: Double, mass: Double) -> Double? {
        guard total > 0, mass > 0 else { return nil }
        // Members who received nothing come first and add c·0·(…) = 0 to the sum: start after them, with
        // their weight below (an exact integer, as their running sum was).
        var below = total - receivers, sum = 0.0
        receivedInOrder.withUnsafeBufferPointer { x in
            byReceived.withUnsafeBufferPointer { order in
                for k in firstReceiver..<order.count {
                    // A member not drawn (c = 0) adds ±0 to the sum and nothing below: no branch needed.
                    let w = Double(c[Int(order[k])])
                    let above = total - below - w
                    sum += w * x[k] * (below - above)
                    below += w
                }
            }
        }
        return sum / (total * mass)
    }

    /// Share of replies given by the top tenth of supporters (by weight; `total` of them), with the boundary
    /// member counted in part.
    private func topDecileShare(weights c: UnsafeBufferPointer<Int32>, total: Double, given: Double) -> Double? {
        guard total > 0, given > 0 else { return nil }
        let target = total / 10
        var taken = 0.0, top = 0.0
        for (k, u) in supportersByGiven.enumerated() where c[Int(u)] > 0 {
            let take = min(Double(c[Int(u)]), target - taken)
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
        case .harmfulPerThousand: "no messages"
        case .medianMinutesToHarmAction: "no harmful messages"
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
        case .harmfulPerThousand: "messages"
        case .medianMinutesToHarmAction: "harmful messages"
        case .appealOverturnRate: "appeals"
        case .supportersPerSeeker: "help seekers"
        case .repliesPerSupporter, .topDecileReplyShare: "supporters"
        }
    }
}
