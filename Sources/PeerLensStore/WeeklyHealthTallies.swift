import PeerLensLog

/// What one member did in one cell (ISO week × space): the per-member sums every community-health measure is
/// built from, so that a bootstrap replicate is a vector of member multiplicities.
public struct MemberTally: Sendable, Equatable {
    /// Messages written.
    public var messages = 0
    /// Threads opened.
    public var opened = 0
    /// Threads opened at least an hour before the data end, and those answered (by someone else) within the hour.
    public var eligibleHour = 0, answeredHour = 0
    /// Threads opened at least 7 days before the data end, and those without a reply within 7 days.
    public var eligibleWeek = 0, unansweredWeek = 0
    /// Minutes to the first reply of threads answered within 7 days (eligible ones), in time order.
    public var replyDelays: [Double] = []
    /// Replies to someone else's message, and replies from someone else received.
    public var repliesGiven = 0, repliesReceived = 0
    /// A first message at least 7 days before the data end, and whether someone else replied to it within 7 days.
    public var newcomerEligible = 0, newcomerReplied = 0
    /// A first message at least 28 days before the data end, and whether the member was active 21 to 28 days after it.
    public var retentionEligible = 0, retained = 0
    /// Harmful messages (a standing harm action).
    public var harmful = 0
    /// Minutes from each harmful message to its first standing harm action, in time order.
    public var harmActionDelays: [Double] = []
    /// Moderation actions on the member's messages that were appealed, and that an appeal overturned.
    public var appealed = 0, overturned = 0

    /// An empty tally.
    public init() {}
}

/// Every member's tallies per ISO week, for all spaces together and, when asked for, per space: what the
/// community-health index is computed from. The embedded store attributes its interaction graph in memory
/// (`InteractionGraph.weeklyHealthTallies(dataEnd:bySpace:)`); an engine that aggregates where the data are
/// computes the same tallies there, so that only one row per member and week comes back.
///
/// Attribution (a message belongs to the week of its UTC day, weeks counted from the Monday on or before the
/// first message; `end` is the end of the data):
/// - the author's tally counts the message; a thread opener (its thread's first message, ties by id) with the
///   thread's first message by someone other than the opener's author (`answeredHour`, `unansweredWeek`,
///   `replyDelays`, each only when the deadline is at or before `end`); the author's first message (ties by id)
///   with the first reply to it by someone else within 7 days, and activity (a message or an activity event)
///   21 to 28 days after it; the first harm action that stands on the message (taken for a harm reason
///   (`ModerationReason.harm`), not overturned on appeal, not undone by a later `restore`; actions in time
///   order, ties by id) and the minutes to it (0 when it came first); appealed and overturned actions other
///   than `restore`; a reply to someone else's message;
/// - the replied-to message's author, when someone else, counts a reply received in the reply's week.
///
/// Members are numbered as the interaction graph numbers them: members with a member event by pseudonym (as
/// bytes), then authors without one by their first message. Every member is tallied, consenting or not: the
/// analysis chooses its units.
public struct WeeklyHealthTallies: Sendable {
    /// One cell: a week (0 is the week of the first message) and a space (−1: all spaces).
    public struct Key: Hashable, Sendable {
        /// The week, counted from the week of the first message.
        public let period: Int
        /// The space (index into `spaces`), −1 for all spaces.
        public let space: Int32

        /// The cell of `space` (−1: all spaces) in week `period`.
        public init(period: Int, space: Int32) {
            self.period = period
            self.space = space
        }
    }

    /// The members of a cell (ascending) and their tallies.
    public struct Cell: Sendable, Equatable {
        /// Member indices, ascending.
        public let members: [Int32]
        /// The tally of each member.
        public let tallies: [MemberTally]

        /// A cell of `members` (ascending) and their `tallies`.
        public init(members: [Int32], tallies: [MemberTally]) {
            precondition(members.count == tallies.count && zip(members, members.dropFirst()).allSatisfy { $0 < $1 }, "members ascending, one tally each")
            self.members = members
            self.tallies = tallies
        }
    }

    /// Space names; `Key.space` indexes into it.
    public let spaces: [String]
    /// Research consent per member (false for an author without a member event: no consent on record).
    public let consent: [Bool]
    /// The first and the last message time (µs since the epoch).
    public let firstMessage: Int64, lastMessage: Int64
    /// The cells with at least one tally; per space only when the tallies were made `bySpace`.
    public let cells: [Key: Cell]

    /// Tallies made elsewhere (an engine's aggregate).
    public init(spaces: [String], consent: [Bool], firstMessage: Int64, lastMessage: Int64, cells: [Key: Cell]) {
        self.spaces = spaces
        self.consent = consent
        self.firstMessage = firstMessage
        self.lastMessage = lastMessage
        self.cells = cells
    }

    /// The day number (`CalendarPeriod.day`) of the Monday that starts week 0.
    public var firstMonday: Int64 { CalendarPeriod.monday(ofDay: CalendarPeriod.day(firstMessage)) }

    /// The week of a message at `time` (µs since the epoch), counted from `monday` (a day number).
    public static func period(of time: Int64, firstMonday monday: Int64) -> Int { Int((CalendarPeriod.day(time) - monday) / 7) }
}

extension InteractionGraph {
    private static let minute: Int64 = 60_000_000, hour: Int64 = 3_600_000_000, day: Int64 = 86_400_000_000

    /// The graph's messages attributed to members and weeks (see `WeeklyHealthTallies`), with data ending at
    /// `end`; per space too when `bySpace`. nil when there are no messages.
    public func weeklyHealthTallies(dataEnd end: Int64, bySpace: Bool) -> WeeklyHealthTallies? {
        let g = self, n = g.time.count
        guard n > 0 else { return nil }
        let monday = CalendarPeriod.monday(ofDay: CalendarPeriod.day(g.time[0]))
        let spaceCount = g.spaces.count

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
        // Moderation per message, in time order: the first harm action that stands, and appeals and overturns
        // of any action but a restore. Actions on a message already harmful add nothing: the measure is harm,
        // not moderation volume.
        let harm = Set(ModerationReason.harm.map(\.rawValue))
        var standingHarmAction = [Int64?](repeating: nil, count: n), appeals = [Int: (Int, Int)]()
        for m in g.moderations where m.message >= 0 {
            let i = Int(m.message)
            if m.action == ModerationAction.restore.rawValue { standingHarmAction[i] = nil; continue }
            if m.appealed { appeals[i, default: (0, 0)].0 += 1; if m.overturned { appeals[i, default: (0, 0)].1 += 1 } }
            if !m.overturned, harm.contains(m.reason), standingHarmAction[i] == nil { standingHarmAction[i] = m.time }
        }

        // Messages come in time order, so each period's cells fill from one run of messages: the current
        // period's tallies are found through a member → position table per space (all spaces first), reset
        // when the period ends, instead of a dictionary lookup per message and cell.
        var cells: [WeeklyHealthTallies.Key: WeeklyHealthTallies.Cell] = [:]
        var period = 0
        var position = [[Int32]](repeating: [Int32](repeating: -1, count: g.members.count), count: spaceCount + 1)
        // One fill per space, a class so that a tally is mutated in place (through an array of tuples, each
        // update copied the tuple's arrays).
        final class Fill { var members: [Int32] = [], tallies: [MemberTally] = [] }
        var current = (0...spaceCount).map { _ in Fill() }
        func finishPeriod() {
            for s in 0...spaceCount where !current[s].members.isEmpty {
                let fill = current[s]
                for m in fill.members { position[s][Int(m)] = -1 }
                let order = fill.members.indices.sorted { fill.members[$0] < fill.members[$1] }
                cells[.init(period: period, space: Int32(s) - 1)] = .init(members: order.map { fill.members[$0] }, tallies: order.map { fill.tallies[$0] })
                current[s] = Fill()
            }
        }
        func update(_ i: Int, member: Int32, _ body: (inout MemberTally) -> Void) {
            let p = WeeklyHealthTallies.period(of: g.time[i], firstMonday: monday)
            precondition(p >= period, "messages in time order")
            if p != period { finishPeriod(); period = p }
            // Cells of each space only when they are asked for: otherwise all spaces only.
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
            let receiver = g.parentAuthor[i]
            if receiver >= 0, receiver != a {
                update(i, member: receiver) { $0.repliesReceived += 1 }
            }
        }
        finishPeriod()
        return WeeklyHealthTallies(spaces: g.spaces, consent: g.consent, firstMessage: g.time[0], lastMessage: g.time[n - 1], cells: cells)
    }
}
