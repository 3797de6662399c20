import PeerLensLog
import PeerLensSpark
import PeerLensStore

extension SparkEventSource {
    /// The community-health tallies (`WeeklyHealthTallies`), attributed in Spark: the messages are joined with
    /// their threads, replies, first messages, activity and moderation where they are, and one row per member,
    /// week and space (all spaces: `GROUPING SETS`) comes back, with the member's reply and harm-action delays
    /// as one text field each (in time order: their count is the threads and harmful messages, not the messages).
    ///
    /// The same attribution as the interaction graph's (`InteractionGraph.weeklyHealthTallies(dataEnd:bySpace:)`),
    /// written as SQL: ties in time broken by message or action id (bytes), as the graph orders them; members
    /// numbered as the graph numbers them (with a member event by pseudonym, then the other authors by their
    /// first message). Delays come back in microseconds and are turned into minutes here, as the graph does.
    ///
    /// - Throws: `SparkError`; `SparkEngineError` for a member or space that the tallies name but the member
    ///   list does not.
    public func weeklyHealthTallies(dataEnd end: Int64, bySpace: Bool) throws -> WeeklyHealthTallies? {
        let operation = "tallying community health per member and week"
        return try withSession(operation, tables: ["message", "member", "activity", "moderation", "appeal"]) { client in
            func rows(_ statement: String) async throws -> DecodedResult {
                try DecodedResult(try await client.sql(statement, label: operation))
            }
            let span = try await rows("SELECT space, min(ts) AS first, max(ts) AS last, count(*) AS n FROM message GROUP BY space")
            let spaces = try span.strings("space").map { $0 ?? "" }.sorted()
            guard let first = try span.integers("first").compactMap({ $0 }).min(), let last = try span.integers("last").compactMap({ $0 }).max() else {
                return nil
            }
            let spaceIndex = Dictionary(uniqueKeysWithValues: spaces.enumerated().map { ($1, Int32($0)) })
            let m = try await rows(Self.healthMembers)
            let names = try m.strings("member"), consents = try m.integers("consent")
            var memberIndex: [String: Int32] = [:]
            memberIndex.reserveCapacity(names.count)
            for (i, name) in names.enumerated() { memberIndex[name ?? ""] = Int32(i) }
            let consent = consents.map { ($0 ?? 0) != 0 }

            let monday = CalendarPeriod.monday(ofDay: CalendarPeriod.day(first))
            let messages = try span.integers("n").reduce(0) { $0 + Int($1 ?? 0) }
            let tallies = try await client.sql(Self.healthTallies(monday: monday, dataEnd: end, bySpace: bySpace, parts: Self.resultParts(messages: messages)),
                                               label: operation)
            // Folded batch by batch (about as many rows as messages: never all decoded at once).
            var fills: [WeeklyHealthTallies.Key: (members: [Int32], tallies: [MemberTally])] = [:]
            let fields = Self.tallyFields
            try DecodedResult.forEachBatch(of: tallies) { t in
                let who = try t.strings("member"), period = try t.integers("period"), space = try t.strings("space")
                let allSpaces = try t.integers("all_spaces")
                let counts = try fields.map { try t.integers($0.column) }
                let replyDelays = try t.strings("reply_delays"), harmDelays = try t.strings("harm_delays")
                for r in 0..<t.rowCount {
                    guard let member = who[r].flatMap({ memberIndex[$0] }) else {
                        throw SparkEngineError.unexpectedValue(column: "message.member", operation: operation)
                    }
                    let s: Int32
                    if (allSpaces[r] ?? 0) != 0 { s = -1 } else if let k = space[r].flatMap({ spaceIndex[$0] }) { s = k } else {
                        throw SparkEngineError.unexpectedValue(column: "message.space", operation: operation)
                    }
                    var tally = MemberTally()
                    for (k, field) in fields.enumerated() { tally[keyPath: field.field] = Int(counts[k][r] ?? 0) }
                    tally.replyDelays = try Self.minutes(replyDelays[r], operation)
                    tally.harmActionDelays = try Self.minutes(harmDelays[r], operation)
                    let key = WeeklyHealthTallies.Key(period: Int(period[r] ?? 0), space: s)
                    fills[key, default: ([], [])].members.append(member)
                    fills[key, default: ([], [])].tallies.append(tally)
                }
            }
            let cells = fills.mapValues { fill in
                let order = fill.members.indices.sorted { fill.members[$0] < fill.members[$1] }
                return WeeklyHealthTallies.Cell(members: order.map { fill.members[$0] }, tallies: order.map { fill.tallies[$0] })
            }
            return WeeklyHealthTallies(spaces: spaces, consent: consent, firstMessage: first, lastMessage: last, cells: cells)
        }
    }

    /// Comma-separated microseconds as minutes (`Double(µs) / 60,000,000`, as the graph computes them).
    private static func minutes(_ list: String?, _ operation: String) throws -> [Double] {
        guard let list, !list.isEmpty else { return [] }
        return try list.split(separator: ",").map { item in
            guard let us = Int64(item) else { throw SparkEngineError.unexpectedValue(column: "delay", operation: operation) }
            return Double(us) / 60_000_000
        }
    }

    /// How many parts the tallies come back in: about one per 100,000 messages (a part of a few MB), at most 1,000.
    /// The rows are about as many as the messages (a member writes a few messages a week), and each part is one
    /// task's result that the Connect server's driver holds whole: in the two parts Spark chose by itself, 2.4 M
    /// rows at 10 M events ran a 2 GiB driver out of memory.
    static func resultParts(messages: Int) -> Int { min(max(messages / 100_000, 1), 1_000) }

    /// Every member in the graph's numbering, with research consent: members with a member event by pseudonym,
    /// then authors without one by their first message (time, then id).
    static let healthMembers = """
        SELECT member, consent FROM (
            SELECT member, research_consent AS consent, 0 AS unknown, CAST(NULL AS BIGINT) AS ts, CAST(NULL AS STRING) AS id FROM member
            UNION ALL
            SELECT a.member, 0, 1, a.ts, a.id
            FROM (SELECT member, ts, id, row_number() OVER (PARTITION BY member ORDER BY ts, id) AS k FROM message) a
            LEFT ANTI JOIN member k ON k.member = a.member
            WHERE a.k = 1
        ) m ORDER BY unknown, ts, id, member
        """

    /// The count columns of a tally row and the `MemberTally` field each fills: the one list that names both.
    static var tallyFields: [(column: String, field: WritableKeyPath<MemberTally, Int>)] {
        [("messages", \.messages), ("opened", \.opened), ("eligible_hour", \.eligibleHour), ("answered_hour", \.answeredHour),
         ("eligible_week", \.eligibleWeek), ("unanswered_week", \.unansweredWeek), ("replies_given", \.repliesGiven),
         ("replies_received", \.repliesReceived), ("newcomer_eligible", \.newcomerEligible), ("newcomer_replied", \.newcomerReplied),
         ("retention_eligible", \.retentionEligible), ("retained", \.retained), ("harmful", \.harmful), ("appealed", \.appealed),
         ("overturned", \.overturned)]
    }

    /// The tallies per member, week and space (see `weeklyHealthTallies`). `monday` (the day number of week 0's
    /// Monday) and `end` are our own integers; the harm reasons our own vocabulary. The rows come back in `parts`
    /// parts (`resultParts`), by member.
    static func healthTallies(monday: Int64, dataEnd end: Int64, bySpace: Bool, parts: Int) -> String {
        let day: Int64 = 86_400_000_000, hour: Int64 = 3_600_000_000, week = 7 * day
        let harm = ModerationReason.harm.map(\.rawValue).sorted().map(SparkSQL.string).joined(separator: ", ")
        let restore = SparkSQL.string(ModerationAction.restore.rawValue), overturned = SparkSQL.string(AppealOutcome.overturned.rawValue)
        func flag(_ condition: String) -> String { "CASE WHEN \(condition) THEN 1 ELSE 0 END" }
        // The author's side of a message and the replied-to author's (a reply received), one row each; a count
        // not named is 0 on that side.
        let author = [
            "messages": "1", "opened": flag("is_opener"),
            "eligible_hour": flag("is_opener AND ts + \(hour) <= \(end)"),
            "answered_hour": flag("is_opener AND ts + \(hour) <= \(end) AND thread_reply <= ts + \(hour)"),
            "eligible_week": flag("is_opener AND ts + \(week) <= \(end)"),
            "unanswered_week": flag("is_opener AND ts + \(week) <= \(end) AND NOT coalesce(thread_reply <= ts + \(week), false)"),
            "replies_given": flag("parent_author IS NOT NULL AND parent_author <> member"),
            "newcomer_eligible": flag("is_first AND ts + \(week) <= \(end)"),
            "newcomer_replied": flag("is_first AND ts + \(week) <= \(end) AND first_reply <= ts + \(week)"),
            "retention_eligible": flag("is_first AND ts + \(4 * week) <= \(end)"),
            "retained": flag("is_first AND ts + \(4 * week) <= \(end) AND is_retained"),
            "harmful": flag("harm_ts IS NOT NULL"), "appealed": "appealed", "overturned": "overturned",
        ]
        let receiver = ["replies_received": "1"]
        let columns = tallyFields.map(\.column)
        precondition(Set(author.keys).union(receiver.keys).isSubset(of: columns), "every side names tally columns only")
        func select(_ values: [String: String]) -> String { columns.map { "\(values[$0] ?? "0") AS \($0)" }.joined(separator: ", ") }
        let sums = columns.map { "CAST(sum(\($0)) AS INT) AS \($0)" }.joined(separator: ", ")
        // A delay list: the delays of the group in time order (ties by message id), as text.
        func delays(_ column: String) -> String {
            "concat_ws(',', transform(array_sort(collect_list(\(column))), d -> CAST(d.us AS STRING)))"
        }
        // All spaces together (`all_spaces` = 1, `space` NULL), and each space when asked for.
        let (grouping, spaceColumns) = bySpace
            ? ("GROUPING SETS ((period, member), (period, space, member))", "space, CAST(grouping(space) AS INT) AS all_spaces")
            : ("period, member", "CAST(NULL AS STRING) AS space, 1 AS all_spaces")
        return """
            WITH m AS (
                SELECT id, ts, member, space, thread, reply_to,
                       (((ts - pmod(ts, \(day))) DIV \(day)) - \(monday)) DIV 7 AS period,
                       row_number() OVER (PARTITION BY thread ORDER BY ts, id) = 1 AS is_opener,
                       row_number() OVER (PARTITION BY member ORDER BY ts, id) = 1 AS is_first
                FROM message),
            replies AS (SELECT c.id, c.ts, c.member, p.id AS parent, p.member AS parent_author FROM m c JOIN m p ON p.id = c.reply_to),
            first_reply AS (SELECT parent AS id, min(ts) AS first_reply FROM replies WHERE member <> parent_author GROUP BY parent),
            thread_reply AS (
                SELECT x.thread, min(x.ts) AS thread_reply
                FROM m x JOIN (SELECT thread, member FROM m WHERE is_opener) o ON o.thread = x.thread AND x.member <> o.member
                GROUP BY x.thread),
            retained AS (
                SELECT DISTINCT f.member
                FROM (SELECT member, ts FROM m WHERE is_first) f
                JOIN (SELECT member, ts FROM message UNION ALL SELECT member, ts FROM activity) e
                  ON e.member = f.member AND e.ts >= f.ts + \(3 * week) AND e.ts < f.ts + \(4 * week)),
            actions AS (
                SELECT d.message, d.ts, d.action, d.reason, a.moderation IS NOT NULL AS appealed, coalesce(a.overturned, false) AS overturned,
                       row_number() OVER (PARTITION BY d.message ORDER BY d.ts, d.id) AS k
                FROM moderation d
                LEFT SEMI JOIN message s ON s.id = d.message
                LEFT JOIN (SELECT moderation, max(outcome = \(overturned)) AS overturned FROM appeal GROUP BY moderation) a ON a.moderation = d.id),
            moderated AS (
                SELECT message, max(CASE WHEN action = \(restore) THEN k END) AS last_restore,
                       sum(CASE WHEN action <> \(restore) AND appealed THEN 1 ELSE 0 END) AS appealed,
                       sum(CASE WHEN action <> \(restore) AND overturned THEN 1 ELSE 0 END) AS overturned
                FROM actions GROUP BY message),
            standing AS (
                SELECT x.message, min_by(x.ts, x.k) AS harm_ts
                FROM actions x JOIN moderated y ON y.message = x.message
                WHERE x.action <> \(restore) AND NOT x.overturned AND x.reason IN (\(harm)) AND x.k > coalesce(y.last_restore, 0)
                GROUP BY x.message),
            facts AS (
                SELECT m.id, m.ts, m.member, m.space, m.period, m.is_opener, m.is_first, r.parent_author, f.first_reply, t.thread_reply,
                       k.member IS NOT NULL AS is_retained, s.harm_ts, coalesce(d.appealed, 0) AS appealed, coalesce(d.overturned, 0) AS overturned
                FROM m
                LEFT JOIN replies r ON r.id = m.id
                LEFT JOIN first_reply f ON f.id = m.id
                LEFT JOIN thread_reply t ON t.thread = m.thread AND m.is_opener
                LEFT JOIN retained k ON k.member = m.member AND m.is_first
                LEFT JOIN standing s ON s.message = m.id
                LEFT JOIN moderated d ON d.message = m.id),
            parts AS (
                SELECT period, space, member, \(select(author)),
                       CASE WHEN is_opener AND ts + \(week) <= \(end) AND thread_reply <= ts + \(week)
                            THEN named_struct('ts', ts, 'id', id, 'us', thread_reply - ts) END AS reply_delay,
                       CASE WHEN harm_ts IS NOT NULL THEN named_struct('ts', ts, 'id', id, 'us', greatest(harm_ts - ts, 0)) END AS harm_delay
                FROM facts
                UNION ALL
                SELECT period, space, parent_author, \(select(receiver)), NULL, NULL
                FROM facts WHERE parent_author IS NOT NULL AND parent_author <> member)
            SELECT /*+ REPARTITION(\(parts), member) */ period, member, \(spaceColumns), \(sums),
                   \(delays("reply_delay")) AS reply_delays, \(delays("harm_delay")) AS harm_delays
            FROM parts GROUP BY \(grouping)
            """
    }
}
