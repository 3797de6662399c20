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
    var flagged = 0
    var moderationDelays: [Double] = []
    var appealed = 0, overturned = 0
}

/// The attribution of messages, threads, replies, newcomers and moderation to cells and members.
struct HealthUnits {
    private static let minute: Int64 = 60_000_000, hour: Int64 = 3_600_000_000, day: Int64 = 86_400_000_000
    let over: HealthOptions.Period
    /// Period index of each message (0 for `all`), the first period's first day.
    private let periodOf: [Int32]
    private let firstDay: Int64
    private let periodCount: Int
    /// Tallies per cell: key = period × (spaces + 1) + (space + 1), space −1 meaning all spaces.
    private var tallies: [Int: [Int32: MemberTally]] = [:]
    private let spaceCount: Int

    init(_ g: InteractionGraph, dataEnd end: Int64, options: HealthOptions) {
        over = options.over
        spaceCount = g.spaces.count
        let n = g.time.count
        firstDay = CalendarPeriod.monday(ofDay: CalendarPeriod.day(g.time[0]))
        if options.over == .week {
            periodOf = g.time.map { Int32((CalendarPeriod.day($0) - CalendarPeriod.monday(ofDay: CalendarPeriod.day(g.time[0]))) / 7) }
            periodCount = Int((CalendarPeriod.day(max(end, g.time[n - 1])) - firstDay) / 7) + 1
        } else {
            periodOf = [Int32](repeating: 0, count: n)
            periodCount = 1
        }
        let isUnit = g.consent.map { options.includeNonConsenting || $0 }

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
        // Every member's times of activity (messages and activity events), sorted, for retention.
        var seen = [[Int64]](repeating: [], count: g.members.count)
        for i in 0..<n { seen[Int(g.author[i])].append(g.time[i]) }
        for a in g.activity { seen[Int(a.member)].append(a.time) }
        // Moderation per message: the first action, appeals and overturns.
        var firstAction = [Int: Int64](), appeals = [Int: (Int, Int)]()
        // A `restore` undoes an action: it flags nothing.
        for m in g.moderations where m.message >= 0 && m.action != "restore" {
            let i = Int(m.message)
            firstAction[i] = min(firstAction[i] ?? .max, m.time)
            if m.appealed { appeals[i, default: (0, 0)].0 += 1; if m.overturned { appeals[i, default: (0, 0)].1 += 1 } }
        }

        func update(_ i: Int, member: Int32, _ body: (inout MemberTally) -> Void) {
            let p = Int(periodOf[i])
            for space in [-1, Int(g.space[i])] {
                body(&tallies[p * (spaceCount + 1) + space + 1, default: [:]][member, default: MemberTally()])
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
                            if Self.any(seen[Int(a)], from: t0 + 21 * Self.day, before: t0 + 28 * Self.day) { tally.retained += 1 }
                        }
                    }
                    if let action = firstAction[i] {
                        tally.flagged += 1
                        tally.moderationDelays.append(Double(max(0, action - t0)) / Double(Self.minute))
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
    }

    /// Whether `times` hold one in [from, before).
    private static func any(_ times: [Int64], from: Int64, before: Int64) -> Bool {
        // Unsorted (messages, then activity events); each member is a newcomer once, so one scan each.
        times.contains { $0 >= from && $0 < before }
    }

    /// The periods with a cell for `space` (−1: all spaces): every period from the first message to the end
    /// for all spaces; for a space, from its first message on.
    func periods(space: Int32) -> [Int] {
        let present = (0..<periodCount).filter { tallies[$0 * (spaceCount + 1) + Int(space) + 1] != nil }
        guard let first = present.first else { return [] }
        return space < 0 ? Array(0..<periodCount) : Array(first..<periodCount)
    }

    /// The tallies of a cell, in member order (deterministic).
    func cell(period: Int, space: Int32) -> [MemberTally] {
        let t = tallies[period * (spaceCount + 1) + Int(space) + 1] ?? [:]
        return t.keys.sorted().map { t[$0]! }
    }

    /// Whether the period runs past the end of the data (its measures then rest on fewer days).
    func isPartial(_ period: Int, dataEnd end: Int64) -> Bool {
        over == .week && firstDay + Int64(period + 1) * 7 > CalendarPeriod.day(end) + 1
    }

    /// The label of a period.
    func label(_ period: Int) -> String {
        over == .all ? "all" : CalendarPeriod.week.label(day: firstDay + Int64(period) * 7)
    }
}
