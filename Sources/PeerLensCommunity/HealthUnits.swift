import PeerLensLog
import PeerLensStore

/// What one member did in one cell (period × space): the per-member sums every health measure is built from,
/// so that a bootstrap replicate is a vector of member multiplicities.
struct MemberTally {
    var messages = 0
    var opened = 0
    var eligibleHour = 0, answeredHour = 0
    var eligibleWeek = 0, unansweredWeek = 0
    /// Minutes to the first reply of threads answered within 7 days (eligible ones).
    var replyDelays: [Double] = []
    var repliesGiven = 0, repliesReceived = 0
    var newcomerEligible = 0, newcomerReplied = 0
    var retentionEligible = 0, retained = 0
    /// Harmful messages (a standing harm action) and the minutes from each to its first standing harm action.
    var harmful = 0
    var harmActionDelays: [Double] = []
    var appealed = 0, overturned = 0
}

/// The attribution of messages, threads, replies, newcomers and moderation to weekly cells and members. Cells
/// are always ISO weeks: the whole-period figure is the mean of the weeks (`HealthSeries`).
struct HealthUnits {
    private static let minute: Int64 = 60_000_000, hour: Int64 = 3_600_000_000, day: Int64 = 86_400_000_000
    /// Week index of each message, the first week's Monday (day number) and the day of the first message.
    private let periodOf: [Int32]
    private let firstDay: Int64
    private let firstMessageDay: Int64
    private let periodCount: Int
    /// Tallies per cell, with the member of each: key = period × (spaces + 1) + (space + 1), space −1 meaning
    /// all spaces.
    private var tallies: [Int: (members: [Int32], tallies: [MemberTally])] = [:]
    private let spaceCount: Int

    init(_ g: InteractionGraph, dataEnd end: Int64, options: HealthOptions) {
        spaceCount = g.spaces.count
        let n = g.time.count
        firstMessageDay = CalendarPeriod.day(g.time[0])
        firstDay = CalendarPeriod.monday(ofDay: firstMessageDay)
        let monday = firstDay
        periodOf = g.time.map { Int32((CalendarPeriod.day($0) - monday) / 7) }
        periodCount = Int((CalendarPeriod.day(max(end, g.time[n - 1])) - firstDay) / 7) + 1
        let isUnit = g.consent.map { options.includeNonConsenting || $0 }
        let bySpace = options.bySpace

        // Per message: the first reply by someone else. Per thread: its opener and its first reply by someone
        // other than the opener's author. Per member: the first message.
        var firstReply = [Int64](repeating: .max, count: n)
        var opener = [Int32](repeating: -1, count: g.threadCount), threadReply = [Int64](repeating: .max, count: g.threadCount)
        var firstMessage = [Int32](repeating: -1, count: g.members.count)
        for i in 0..<n {
            let a = g.author[i], t = Int(g.thread[i])
            if firstMessage[Int(a)] < 0 { firstMessage[Int(a)] = Int32(i) }
            let p = g.parent[i]
            if p >= 0, g.author[Int(p)] != a, firstReply[Int(p)] == .max { firstReply[Int(p)] = g.time[i] }
            if opener[t] < 0 { opener[t] = Int32(i) } else if threadReply[t] == .max, g.author[Int(opener[t])] != a { threadReply[t] = g.time[i] }
        }
        // Retention: whether a member was active (a message or an activity event) 21 to 28 days after their
        // first message. Marked in one pass over the events instead of keeping every member's times.
        var retainedMember = [Bool](repeating: false, count: g.members.count)
        func markActivity(_ a: Int32, at t: Int64) {
            let first = firstMessage[Int(a)]
            guard first >= 0 else { return }
            let t0 = g.time[Int(first)]
            if t >= t0 + 21 * Self.day && t < t0 + 28 * Self.day { retainedMember[Int(a)] = true }
        }
        for i in 0..<n { markActivity(g.author[i], at: g.time[i]) }
        for a in g.activity { markActivity(a.member, at: a.time) }
        // Moderation per message, in time order: the first harm action that stands (taken for a harm reason, not
        // overturned on appeal, not undone by a later `restore`), and appeals and overturns of any action.
        // Actions on a message already harmful add nothing: the measure is harm, not moderation volume.
        var standingHarmAction = [Int64?](repeating: nil, count: n), appeals = [Int: (Int, Int)]()
        for m in g.moderations where m.message >= 0 {
            let i = Int(m.message)
            if m.action == ModerationAction.restore.rawValue { standingHarmAction[i] = nil; continue }
            if m.appealed { appeals[i, default: (0, 0)].0 += 1; if m.overturned { appeals[i, default: (0, 0)].1 += 1 } }
            if !m.overturned, HealthMeasure.harmReasons.contains(m.reason), standingHarmAction[i] == nil { standingHarmAction[i] = m.time }
        }

        // Messages come in time order, so each period's cells fill from one run of messages: the current
        // period's tallies are found through a member → position table per space (all spaces first), reset
        // when the period ends, instead of a dictionary lookup per message and cell.
        var period = 0
        var position = [[Int32]](repeating: [Int32](repeating: -1, count: g.members.count), count: spaceCount + 1)
        // One fill per space, a class so that a tally is mutated in place (through an array of tuples, each
        // update copied the tuple's arrays).
        final class Fill { var members: [Int32] = [], tallies: [MemberTally] = [] }
        var current = (0...spaceCount).map { _ in Fill() }
        func finishPeriod() {
            for s in 0...spaceCount where !current[s].members.isEmpty {
                for m in current[s].members { position[s][Int(m)] = -1 }
                tallies[period * (spaceCount + 1) + s] = (current[s].members, current[s].tallies)
                current[s] = Fill()
            }
        }
        func update(_ i: Int, member: Int32, _ body: (inout MemberTally) -> Void) {
            let p = Int(periodOf[i])
            precondition(p >= period, "messages in time order")
            if p != period { finishPeriod(); period = p }
            // Cells of each space only when they are asked for (`bySpace`): otherwise all spaces only.
            for s in 0..<(bySpace ? 2 : 1) {
                let s = s == 0 ? 0 : Int(g.space[i]) + 1
                let fill = current[s]
                var k = Int(position[s][Int(member)])
                if k < 0 {
                    k = fill.tallies.count
                    position[s][Int(member)] = Int32(k)
                    fill.members.append(member)
                    fill.tallies.append(MemberTally())
                }
                body(&fill.tallies[k])
            }
        }
        for i in 0..<n {
            let a = g.author[i]
            let t0 = g.time[i]
            if isUnit[Int(a)] {
                update(i, member: a) { tally in
                    tally.messages += 1
                    let t = Int(g.thread[i])
                    if opener[t] == Int32(i) {
                        tally.opened += 1
                        let reply = threadReply[t]
                        if t0 + Self.hour <= end { tally.eligibleHour += 1; if reply <= t0 + Self.hour { tally.answeredHour += 1 } }
                        if t0 + 7 * Self.day <= end {
                            tally.eligibleWeek += 1
                            if reply <= t0 + 7 * Self.day { tally.replyDelays.append(Double(reply - t0) / Double(Self.minute)) } else { tally.unansweredWeek += 1 }
                        }
                    }
                    if firstMessage[Int(a)] == Int32(i) {
                        if t0 + 7 * Self.day <= end { tally.newcomerEligible += 1; if firstReply[i] <= t0 + 7 * Self.day { tally.newcomerReplied += 1 } }
                        if t0 + 28 * Self.day <= end {
                            tally.retentionEligible += 1
                            if retainedMember[Int(a)] { tally.retained += 1 }
                        }
                    }
                    if let action = standingHarmAction[i] {
                        tally.harmful += 1
                        tally.harmActionDelays.append(Double(max(0, action - t0)) / Double(Self.minute))
                    }
                    if let (appealed, overturned) = appeals[i] { tally.appealed += appealed; tally.overturned += overturned }
                    if g.parentAuthor[i] >= 0, g.parentAuthor[i] != a { tally.repliesGiven += 1 }
                }
            }
            let receiver = g.parentAuthor[i]
            if receiver >= 0, receiver != a, isUnit[Int(receiver)] {
                update(i, member: receiver) { $0.repliesReceived += 1 }
            }
        }
        finishPeriod()
    }

    /// The periods with a cell for `space` (−1: all spaces; a space's cells exist only when the units were
    /// built with `bySpace`): every period from the first message to the end
    /// for all spaces; for a space, from its first message on.
    func periods(space: Int32) -> [Int] {
        let present = (0..<periodCount).filter { tallies[$0 * (spaceCount + 1) + Int(space) + 1] != nil }
        guard let first = present.first else { return [] }
        return space < 0 ? Array(0..<periodCount) : Array(first..<periodCount)
    }

    /// The active members of a cell (members who posted there) and their tallies, in member order (deterministic).
    func cell(period: Int, space: Int32) -> (members: [Int32], tallies: [MemberTally]) {
        guard let t = tallies[period * (spaceCount + 1) + Int(space) + 1] else { return ([], []) }
        let order = t.members.indices.filter { t.tallies[$0].messages > 0 }.sorted { t.members[$0] < t.members[$1] }
        return (order.map { t.members[$0] }, order.map { t.tallies[$0] })
    }

    /// Whether the data cover only part of the week: it starts before the first message's day or runs past the
    /// end of the data (its measures then rest on fewer than seven days).
    func isPartial(_ period: Int, dataEnd end: Int64) -> Bool {
        (period == 0 && firstMessageDay > firstDay) || firstDay + Int64(period + 1) * 7 > CalendarPeriod.day(end) + 1
    }

    /// The label of a week (its Monday).
    func label(_ period: Int) -> String { CalendarPeriod.week.label(day: firstDay + Int64(period) * 7) }
}
