import CSQLite
import GRDB

/// Who wrote what, where, in reply to whom and when — the messages of the store with their identifiers
/// interned to dense integers, in time order — plus the events that community-health measures attach to
/// messages and members (moderation, appeals, activity, joins). Built for analyses that walk every message
/// (ten million in the benchmarks): no string per message is kept.
public struct InteractionGraph: Sendable {
    /// Member pseudonyms; `author`, `parentAuthor` and the member arrays index into it.
    public let members: [String]
    /// Space names; `space` indexes into it.
    public let spaces: [String]
    /// Per message, in time order (ties by message id): time (µs since the epoch), author, space, thread
    /// (dense id), and the author of the message it replies to (−1 for a thread opener or an unknown parent).
    public let time: [Int64]
    /// Author of each message.
    public let author: [Int32]
    /// Space of each message.
    public let space: [Int32]
    /// Thread of each message (dense ids, 0..<threadCount).
    public let thread: [Int32]
    /// The replied-to message (index into the per-message arrays), −1 when none or not in the store.
    public let parent: [Int32]
    /// Author of the replied-to message, −1 when none or not in the store.
    public let parentAuthor: [Int32]
    /// Number of distinct threads.
    public let threadCount: Int
    /// Per member: when they joined (their member event; nil when the store has none), and their research consent.
    public let joined: [Int64?]
    /// Research consent per member (false when the member event is missing: no consent on record).
    public let consent: [Bool]
    /// Moderation actions: time, the index of the moderated message (−1 when the action targets a member
    /// only), the member concerned, and whether an appeal of it was decided (`appealed`) and overturned.
    public let moderations: [Moderation]
    /// Activity events (member, time), in time order.
    public let activity: [(member: Int32, time: Int64)]

    /// One moderation action.
    public struct Moderation: Sendable {
        /// When it was taken.
        public let time: Int64
        /// The moderated message (index into the per-message arrays), or −1.
        public let message: Int32
        /// The member concerned (the message's author, or the moderated member), −1 when unknown.
        public let member: Int32
        /// The action (`hide`, `warn`, …, `restore`).
        public let action: String
        /// Whether it was appealed, and whether an appeal overturned it.
        public let appealed: Bool
        /// Whether an appeal overturned it.
        public let overturned: Bool
    }
}

extension EventStore {
    /// Reads the interaction graph (see `InteractionGraph`). Messages and activity are stepped with the SQLite
    /// C API; member pseudonyms are interned once.
    ///
    /// - Throws: `StoreError.database` when a statement fails.
    public static func interactionGraph(_ db: Database) throws -> InteractionGraph {
        var memberIndex: [String: Int32] = [:], members: [String] = []
        func intern(_ name: String) -> Int32 {
            if let i = memberIndex[name] { return i }
            let i = Int32(members.count)
            memberIndex[name] = i
            members.append(name)
            return i
        }
        var joined: [Int64?] = [], consent: [Bool] = []
        for row in try Row.fetchAll(db, sql: "SELECT member, ts, research_consent FROM member ORDER BY member") {
            let i = intern(row[0])
            if Int(i) == joined.count { joined.append(row[1]); consent.append(row[2]) }
        }
        var spaceIndex: [String: Int32] = [:], spaces: [String] = []
        var threadIndex: [String: Int32] = [:]
        var messageIndex: [String: Int32] = [:]
        var time: [Int64] = [], author: [Int32] = [], space: [Int32] = [], thread: [Int32] = [], parentID: [String?] = []
        try scan(db, sql: "SELECT id, ts, member, space, thread, reply_to FROM message ORDER BY ts, id", [], operation: "reading messages") { row in
            func text(_ column: Int32) -> String? {
                guard let p = sqlite3_column_text(row, column) else { return nil }
                return String(cString: p)
            }
            messageIndex[text(0)!] = Int32(time.count)
            time.append(sqlite3_column_int64(row, 1))
            author.append(intern(text(2)!))
            let s = text(3)!
            if let k = spaceIndex[s] { space.append(k) } else { spaceIndex[s] = Int32(spaces.count); space.append(Int32(spaces.count)); spaces.append(s) }
            let t = text(4)!
            if let k = threadIndex[t] { thread.append(k) } else { let k = Int32(threadIndex.count); threadIndex[t] = k; thread.append(k) }
            parentID.append(text(5))
        }
        let parent = parentID.map { id in id.flatMap { messageIndex[$0] } ?? -1 }
        let parentAuthor = parent.map { $0 >= 0 ? author[Int($0)] : -1 }
        // Members who wrote messages but have no member event: no join time, no consent on record.
        while joined.count < members.count { joined.append(nil); consent.append(false) }

        var overturnedActions: Set<String> = [], appealedActions: Set<String> = []
        for row in try Row.fetchAll(db, sql: "SELECT moderation, outcome FROM appeal") {
            let id: String = row[0]
            appealedActions.insert(id)
            if (row[1] as String) == "overturned" { overturnedActions.insert(id) }
        }
        var moderations: [InteractionGraph.Moderation] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, ts, message, member, action FROM moderation ORDER BY ts, id") {
            let id: String = row[0]
            let message = (row[2] as String?).flatMap { messageIndex[$0] } ?? -1
            let member = message >= 0 ? author[Int(message)] : ((row[3] as String?).flatMap { memberIndex[$0] } ?? -1)
            moderations.append(.init(time: row[1], message: message, member: member, action: row[4], appealed: appealedActions.contains(id),
                                     overturned: overturnedActions.contains(id)))
        }
        var activity: [(member: Int32, time: Int64)] = []
        try scan(db, sql: "SELECT member, ts FROM activity ORDER BY ts, member", [], operation: "reading activity") { row in
            let name = String(cString: sqlite3_column_text(row, 0))
            if let m = memberIndex[name] { activity.append((m, sqlite3_column_int64(row, 1))) }
        }
        return InteractionGraph(members: members, spaces: spaces, time: time, author: author, space: space, thread: thread,
                                parent: parent, parentAuthor: parentAuthor, threadCount: threadIndex.count, joined: joined, consent: consent,
                                moderations: moderations, activity: activity)
    }
}
