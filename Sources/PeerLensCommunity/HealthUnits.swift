import PeerLensLog
import PeerLensStore

/// The weekly cells of the index: a store's per-member tallies (`WeeklyHealthTallies`), restricted to the
/// members who are units (members without research consent only when the data owner allows). Cells are
/// always ISO weeks: the whole-period figure is the mean of the weeks (`HealthSeries`).
struct HealthUnits {
    private let tallies: WeeklyHealthTallies
    private let isUnit: [Bool]
    private let firstDay: Int64
    private let firstMessageDay: Int64
    private let periodCount: Int

    init(_ tallies: WeeklyHealthTallies, dataEnd end: Int64, options: HealthOptions) {
        self.tallies = tallies
        isUnit = tallies.consent.map { options.includeNonConsenting || $0 }
        firstMessageDay = CalendarPeriod.day(tallies.firstMessage)
        firstDay = tallies.firstMonday
        periodCount = WeeklyHealthTallies.period(of: max(end, tallies.lastMessage), firstMonday: firstDay) + 1
    }

    /// The periods with a cell for `space` (−1: all spaces; a space's cells exist only when the tallies were
    /// made `bySpace`): every period from the first message to the end for all spaces; for a space, from its
    /// first message on.
    func periods(space: Int32) -> [Int] {
        let present = (0..<periodCount).filter { tallies.cells[.init(period: $0, space: space)] != nil }
        guard let first = present.first else { return [] }
        return space < 0 ? Array(0..<periodCount) : Array(first..<periodCount)
    }

    /// The active units of a cell (units who posted there) and their tallies, in member order (deterministic).
    func cell(period: Int, space: Int32) -> (members: [Int32], tallies: [MemberTally]) {
        guard let t = tallies.cells[.init(period: period, space: space)] else { return ([], []) }
        let kept = t.members.indices.filter { isUnit[Int(t.members[$0])] && t.tallies[$0].messages > 0 }
        return (kept.map { t.members[$0] }, kept.map { t.tallies[$0] })
    }

    /// Whether the data cover only part of the week: it starts before the first message's day or runs past the
    /// end of the data (its measures then rest on fewer than seven days).
    func isPartial(_ period: Int, dataEnd end: Int64) -> Bool {
        (period == 0 && firstMessageDay > firstDay) || firstDay + Int64(period + 1) * 7 > CalendarPeriod.day(end) + 1
    }

    /// The label of a week (its Monday).
    func label(_ period: Int) -> String { CalendarPeriod.week.label(day: firstDay + Int64(period) * 7) }
}
