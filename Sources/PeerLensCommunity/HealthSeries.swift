import PeerLensStats
import PeerLensStore

/// The weeks of one space (or of all spaces) as one series, so that their indices can be compared.
///
/// - A week is **scored** when the data cover all seven days of it and at least `compositeMinimum` members
///   posted in it. A partial week (the first or the last) or one with too few members keeps its measures but
///   has no component scores and no index: its measures rest on fewer days or people than the others.
/// - The **measures in the index** are the same in every scored week: a scored measure enters its component
///   and the index only when it has a value and a denominator of at least `compositeMinimum` in *every*
///   scored week of the series; otherwise it is left out of every week (never of some weeks only). A
///   component without such a measure is left out of the index of the whole series. Retention, which needs
///   28 days of follow-up, is therefore out of the weekly index whenever the data end less than four weeks
///   after a scored week.
/// - The **whole-period** cell is the mean of the scored weeks: index, components, measure values and
///   scores each the unweighted mean over the scored weeks (a measure outside the index: over the scored
///   weeks in which it has a value). Its interval resamples the series' members once per replicate, each
///   member carrying their tallies in every week (a cluster bootstrap over members), so that the
///   dependence between weeks that share members is kept.
struct HealthSeries {
    /// One week of the series.
    struct Week {
        let period: Int
        let label: String
        let partial: Bool
        /// The active members (sorted) and their tallies.
        let members: [Int32]
        let tallies: [MemberTally]
        /// nil when nobody posted.
        var statistics: CellStatistics?
        /// Point values (`CellStatistics` slots).
        var point: [Double?]
        let scored: Bool
    }

    private(set) var weeks: [Week] = []
    /// The measures in the index of every scored week.
    let common: Set<HealthMeasure>
    /// The components with a measure in `common`, and the others.
    let indexComponents: [HealthComponent], missingComponents: [HealthComponent]
    private let compositeMinimum: Int

    init(_ units: HealthUnits, space: Int32, dataEnd end: Int64, options: HealthOptions) {
        let k = options.compositeMinimum
        compositeMinimum = k
        for period in units.periods(space: space) {
            let (members, tallies) = units.cell(period: period, space: space)
            let partial = units.isPartial(period, dataEnd: end)
            let statistics = members.isEmpty ? nil : CellStatistics(tallies, weights: options.weights, compositeMinimum: k)
            weeks.append(Week(period: period, label: units.label(period), partial: partial, members: members, tallies: tallies,
                              statistics: statistics, point: statistics?.values(multiplicities: nil) ?? [],
                              scored: statistics != nil && !partial && members.count >= k))
        }
        let scored = weeks.filter(\.scored)
        let common = scored.isEmpty ? [] : Set(HealthMeasure.allCases.filter { measure in
            measure.isScored && scored.allSatisfy { $0.statistics!.publishable.contains(measure) && $0.point[CellStatistics.slot(measure)] != nil }
        })
        self.common = common
        let included = HealthComponent.allCases.filter { c in common.contains { $0.component == c } }
        indexComponents = included
        missingComponents = HealthComponent.allCases.filter { !included.contains($0) }
        // Component scores and the index come from the common set only (one more pass over each week's units).
        for i in weeks.indices where weeks[i].scored {
            weeks[i].statistics!.inIndex = common
            weeks[i].point = weeks[i].statistics!.values(multiplicities: nil)
        }
    }

    /// Why a week with activity has no index, nil when it is scored.
    private func unscoredReason(_ week: Week) -> String? {
        if week.scored { return nil }
        if week.partial { return "partial week: the data cover only part of it, so it is not scored (every index rests on seven days)" }
        return "fewer active members than \(compositeMinimum): not scored"
    }

    private var missingNote: String? {
        missingComponents.isEmpty ? nil
            : "left out of the index of every week (no data in some scored week): \(missingComponents.map(\.rawValue).joined(separator: ", "))"
    }

    /// One cell per week, each with its own bootstrap over the week's active members.
    func weeklyCells(space: String, options: HealthOptions) -> [HealthCell] {
        weeks.map { week in
            guard let statistics = week.statistics else {
                return HealthCell(period: week.label, space: space, activeMembers: 0, threads: 0, messages: 0, components: [],
                                  index: nil, indexLower: nil, indexUpper: nil, indexComponents: [], missingComponents: [], note: "no activity")
            }
            let point = week.point
            let n = statistics.count
            let draws = Bootstrap.parallelReplicates(options.replicates, seed: options.seed, scratch: { [Int32](repeating: 0, count: n) }) { m, rng, _ in
                m.withUnsafeMutableBufferPointer { counts in
                    counts.update(repeating: 0)
                    for _ in 0..<counts.count { counts[rng.integer(below: counts.count)] += 1 }
                }
                return statistics.values(multiplicities: m)
            }
            let denominators = statistics.denominators
            let components = CommunityHealthReport.components(
                value: { point[$0] }, interval: { CommunityHealthReport.interval($0, point: point, draws: draws, options: options) },
                score: { m in point[CellStatistics.slot(m)].flatMap { m.score($0) } },
                cases: { denominators[$0] ?? 0 }, inIndex: { week.scored && common.contains($0) && (denominators[$0] ?? 0) >= options.compositeMinimum })
            let (lower, upper) = CommunityHealthReport.interval(CellStatistics.indexSlot, point: point, draws: draws, options: options)
            return HealthCell(period: week.label, space: space, activeMembers: n,
                              threads: week.tallies.reduce(0) { $0 + $1.opened }, messages: week.tallies.reduce(0) { $0 + $1.messages },
                              components: components, index: point[CellStatistics.indexSlot], indexLower: lower, indexUpper: upper,
                              indexComponents: week.scored ? indexComponents : [], missingComponents: missingComponents,
                              // The components left out of every week are listed once, with the table (`missingComponents`).
                              note: unscoredReason(week))
        }
    }

    /// The whole period: the mean of the scored weeks, with a bootstrap that resamples the series' members
    /// (nil when nobody posted in the series).
    func wholePeriodCell(space: String, options: HealthOptions) -> HealthCell? {
        let active = weeks.filter { $0.statistics != nil }
        guard !active.isEmpty else { return nil }
        let scored = weeks.filter(\.scored)
        guard !scored.isEmpty else {
            let members = Set(active.flatMap(\.members))
            return HealthCell(period: "all", space: space, activeMembers: members.count,
                              threads: active.reduce(0) { $0 + $1.tallies.reduce(0) { $0 + $1.opened } },
                              messages: active.reduce(0) { $0 + $1.tallies.reduce(0) { $0 + $1.messages } },
                              components: [], index: nil, indexLower: nil, indexUpper: nil, indexComponents: [], missingComponents: HealthComponent.allCases,
                              note: "no scored week (a full week with at least \(compositeMinimum) active members): the whole-period figure is the mean of the scored weeks")
        }
        // The series' members, and each week's members as positions among them.
        let members = Array(Set(scored.flatMap(\.members))).sorted()
        var position: [Int32: Int32] = [:]
        for (k, m) in members.enumerated() { position[m] = Int32(k) }
        let maps = scored.map { $0.members.map { position[$0]! } }
        let statistics = scored.map { $0.statistics! }
        let points = scored.map(\.point)
        let slots = CellStatistics.indexSlot + 1
        // Per slot, the weeks with a point value: the whole-period value is their mean, in the sample and in
        // every replicate (a replicate in which one of them is undefined leaves the slot undefined).
        let weeksOf: [[Int]] = (0..<slots).map { s in points.indices.filter { points[$0][s] != nil } }
        @Sendable func mean(_ values: [[Double?]]) -> [Double?] {
            (0..<slots).map { s in
                let w = weeksOf[s]
                guard !w.isEmpty else { return nil }
                var total = 0.0
                for i in w { guard let v = values[i][s] else { return nil }; total += v }
                return total / Double(w.count)
            }
        }
        let point = mean(points)
        let n = members.count, largest = maps.map(\.count).max() ?? 0
        let draws = Bootstrap.parallelReplicates(options.replicates, seed: options.seed,
                                                 scratch: { ([Int32](repeating: 0, count: n), [Int32](repeating: 0, count: largest)) }) { scratch, rng, _ in
            scratch.0.withUnsafeMutableBufferPointer { counts in
                counts.update(repeating: 0)
                for _ in 0..<n { counts[rng.integer(below: n)] += 1 }
            }
            var values: [[Double?]] = []
            values.reserveCapacity(maps.count)
            for (w, map) in maps.enumerated() {
                for (j, u) in map.enumerated() { scratch.1[j] = scratch.0[Int(u)] }
                values.append(scratch.1.withUnsafeBufferPointer { statistics[w].values(weights: UnsafeBufferPointer(rebasing: $0[0..<map.count])) })
            }
            return mean(values)
        }
        func cases(_ measure: HealthMeasure) -> Int {
            let w = weeksOf[CellStatistics.slot(measure)]
            return (w.isEmpty ? Array(statistics.indices) : w).reduce(0) { $0 + (statistics[$1].denominators[measure] ?? 0) }
        }
        func score(_ measure: HealthMeasure) -> Double? {
            let w = weeksOf[CellStatistics.slot(measure)]
            guard measure.isScored, !w.isEmpty else { return nil }
            return w.reduce(0) { $0 + measure.score(points[$1][CellStatistics.slot(measure)]!)! } / Double(w.count)
        }
        let components = CommunityHealthReport.components(
            value: { point[$0] }, interval: { CommunityHealthReport.interval($0, point: point, draws: draws, options: options) },
            score: score, cases: cases, inIndex: { common.contains($0) })
        let (lower, upper) = CommunityHealthReport.interval(CellStatistics.indexSlot, point: point, draws: draws, options: options)
        let skipped = active.count - scored.count
        let span = scored.count == 1 ? "the week of \(scored[0].label)" : "the \(scored.count) scored weeks from \(scored.first!.label) to \(scored.last!.label)"
        return HealthCell(period: "all", space: space, activeMembers: n,
                          threads: scored.reduce(0) { $0 + $1.tallies.reduce(0) { $0 + $1.opened } },
                          messages: scored.reduce(0) { $0 + $1.tallies.reduce(0) { $0 + $1.messages } },
                          components: components, index: point[CellStatistics.indexSlot], indexLower: lower, indexUpper: upper,
                          indexComponents: indexComponents, missingComponents: missingComponents,
                          note: (["mean of \(span)" + (skipped > 0 ? " (\(skipped) partial or small week\(skipped == 1 ? "" : "s") left out)" : "")
                                  + "; counts are over those weeks, measure cases summed over them"]
                                 + [missingNote].compactMap { $0 }).joined(separator: "; "))
    }
}
