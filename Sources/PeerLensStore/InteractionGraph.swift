import CSQLite
import Foundation
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
        /// Why it was taken (`toxicity`, `harassment`, `harmful_advice`, `spam`, `trigger_content`, `crisis`, `other`).
        public let reason: String
        /// Whether it was appealed, and whether an appeal overturned it.
        public let appealed: Bool
        /// Whether an appeal overturned it.
        public let overturned: Bool
    }
}

extension EventStore {
    /// Reads the interaction graph (see `InteractionGraph`) from `source`'s rows (the embedded store steps them
    /// with the SQLite C API); member pseudonyms are interned once.
    ///
    /// - Throws: the source's errors.
    package static func interactionGraph(from source: any EventSource) throws -> InteractionGraph {
        var memberIndex: [String: Int32] = [:], members: [String] = []
        func intern(_ name: String) -> Int32 {
            if let i = memberIndex[name] { return i }
            let i = Int32(members.count)
            memberIndex[name] = i
            members.append(name)
            return i
        }
        var joined: [Int64?] = [], consent: [Bool] = []
        try source.forEachRow(of: .graphMembers) { row in
            let i = intern(row.string(0))
            if Int(i) == joined.count { joined.append(row.int64(1)); consent.append(row.bool(2)) }
        }
        // Messages in key order (the table's own order, no sort in SQLite), then sorted by time in Swift; ties
        // by key, as `ORDER BY ts, id` did. Identifiers are read as bytes: the ids, for finding replied-to
        // messages by binary search; threads and spaces compared with the previous row before any lookup.
        let ids = SortedIDs()
        var stored: (time: [Int64], author: [Int32], space: [Int32], thread: [Int32]) = ([], [], [], [])
        // Replied-to ids packed one after another (row, end offset), not an array per reply.
        var replyBytes: [UInt8] = [], replies: [(row: Int32, end: Int)] = []
        var spaceIndex: [String: Int32] = [:], spaceNames: [String] = []
        var threadIndex: [String: Int32] = [:]
        // Authors without a member event, numbered provisionally (−1, −2, …) until time order is known.
        var unknownIndex: [String: Int32] = [:], unknownNames: [String] = []
        var spaceRuns = RunLookup<Int32>(), threadRuns = RunLookup<Int32>()
        try source.forEachRow(of: .graphMessages) { row in
            let r = Int32(stored.time.count)
            ids.append(row.bytes(0))
            stored.time.append(row.int64(1))
            let name = row.string(2)
            if let m = memberIndex[name] { stored.author.append(m) } else if let m = unknownIndex[name] { stored.author.append(m) } else {
                unknownNames.append(name)
                let m = -Int32(unknownNames.count)
                unknownIndex[name] = m
                stored.author.append(m)
            }
            stored.space.append(spaceRuns.value(for: row.bytes(3)) { name in
                if let k = spaceIndex[name] { return k }
                spaceIndex[name] = Int32(spaceNames.count)
                spaceNames.append(name)
                return Int32(spaceNames.count - 1)
            }!)
            stored.thread.append(threadRuns.value(for: row.bytes(4)) { name in
                if let k = threadIndex[name] { return k }
                threadIndex[name] = Int32(threadIndex.count)
                return Int32(threadIndex.count - 1)
            }!)
            if !row.isNull(5) { replyBytes.append(contentsOf: row.bytes(5)); replies.append((r, replyBytes.count)) }
        }
        let n = stored.time.count
        // Time order; `order[k]` is the stored row of the k-th message, `rank` its inverse.
        let order = stored.time.withUnsafeBufferPointer { ts in
            (0..<Int32(n)).sorted { (x: Int32, y: Int32) -> Bool in
                let tx = ts[Int(x)], ty = ts[Int(y)]
                return tx < ty || (tx == ty && x < y)
            }
        }
        var rank = [Int32](repeating: 0, count: n)
        for (k, r) in order.enumerated() { rank[Int(r)] = Int32(k) }
        // Spaces, threads and unknown authors numbered by first appearance in time order, as before.
        var spaceNumber = [Int32](repeating: -1, count: spaceNames.count), spaces: [String] = []
        var threadNumber = [Int32](repeating: -1, count: threadIndex.count), threadCount: Int32 = 0
        var unknownNumber = [Int32](repeating: -1, count: unknownNames.count)
        var time: [Int64] = [], author: [Int32] = [], space: [Int32] = [], thread: [Int32] = []
        time.reserveCapacity(n); author.reserveCapacity(n); space.reserveCapacity(n); thread.reserveCapacity(n)
        for r in order.lazy.map({ Int($0) }) {
            time.append(stored.time[r])
            var a = stored.author[r]
            if a < 0 {
                let u = Int(-a - 1)
                if unknownNumber[u] < 0 { unknownNumber[u] = intern(unknownNames[u]) }
                a = unknownNumber[u]
            }
            author.append(a)
            let s = Int(stored.space[r])
            if spaceNumber[s] < 0 { spaceNumber[s] = Int32(spaces.count); spaces.append(spaceNames[s]) }
            space.append(spaceNumber[s])
            let t = Int(stored.thread[r])
            if threadNumber[t] < 0 { threadNumber[t] = threadCount; threadCount += 1 }
            thread.append(threadNumber[t])
        }
        func messageIndex(_ id: String) -> Int32? {
            var id = id
            return id.withUTF8 { ids.position(of: $0, near: 0) }.map { rank[$0] }
        }
        var parent = [Int32](repeating: -1, count: n)
        replyBytes.withUnsafeBufferPointer { all in
            var start = 0
            for (row, end) in replies {
                // A reply usually follows its parent closely in key order: search outwards from the reply.
                let id = UnsafeBufferPointer(rebasing: all[start..<end])
                if let p = ids.position(of: id, near: Int(row)) { parent[Int(rank[Int(row)])] = rank[p] }
                start = end
            }
        }
        let parentAuthor = parent.map { $0 >= 0 ? author[Int($0)] : -1 }
        // Members who wrote messages but have no member event: no join time, no consent on record.
        while joined.count < members.count { joined.append(nil); consent.append(false) }

        var overturnedActions: Set<String> = [], appealedActions: Set<String> = []
        try source.forEachRow(of: .appeals) { row in
            let id = row.string(0)
            appealedActions.insert(id)
            if row.string(1) == "overturned" { overturnedActions.insert(id) }
        }
        var moderations: [InteractionGraph.Moderation] = []
        try source.forEachRow(of: .moderationActions) { row in
            let id = row.string(0)
            let message = row.optionalString(2).flatMap(messageIndex) ?? -1
            let member = message >= 0 ? author[Int(message)] : (row.optionalString(3).flatMap { memberIndex[$0] } ?? -1)
            moderations.append(.init(time: row.int64(1), message: message, member: member, action: row.string(4), reason: row.string(5),
                                     appealed: appealedActions.contains(id), overturned: overturnedActions.contains(id)))
        }
        // Activity in key order (member, ts): no sort in SQLite, and one lookup per member rather than per row;
        // then sorted by time, ties in key order, which is `ORDER BY ts, member`.
        var byMember: [(member: Int32, time: Int64)] = []
        var memberRuns = RunLookup<Int32>()
        try source.forEachRow(of: .activityByMember) { row in
            if let m = memberRuns.value(for: row.bytes(0), { memberIndex[$0] }) { byMember.append((m, row.int64(1))) }
        }
        let activity = byMember.indices.sorted { byMember[$0].time < byMember[$1].time || (byMember[$0].time == byMember[$1].time && $0 < $1) }
            .map { byMember[$0] }
        return InteractionGraph(members: members, spaces: spaces, time: time, author: author, space: space, thread: thread,
                                parent: parent, parentAuthor: parentAuthor, threadCount: Int(threadCount), joined: joined, consent: consent,
                                moderations: moderations, activity: activity)
    }
}

/// Message ids in key order (SQLite's BINARY collation: bytes compared as `memcmp`, a prefix first), packed
/// into one buffer, for finding a message's position without a dictionary of ten million strings.
final class SortedIDs {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    /// Appends the next id (ids must come in key order).
    func append(_ id: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: id)
        ends.append(bytes.count)
    }

    /// memcmp order of the id at `position` against `id`: negative when it sorts first.
    private func compare(_ position: Int, _ id: UnsafeBufferPointer<UInt8>) -> Int {
        let start = position == 0 ? 0 : ends[position - 1], length = ends[position] - start
        let common = min(length, id.count)
        let c = common == 0 ? 0 : bytes.withUnsafeBufferPointer { Int(memcmp($0.baseAddress! + start, id.baseAddress!, common)) }
        return c != 0 ? c : length - id.count
    }

    /// The position of `id`, nil when absent, searching outwards from `near` (galloping, then binary search).
    func position(of id: UnsafeBufferPointer<UInt8>, near: Int) -> Int? {
        guard !ends.isEmpty else { return nil }
        var low = 0, high = ends.count // the answer, if any, is in low..<high
        let start = min(max(near, 0), ends.count - 1)
        if compare(start, id) > 0 {
            // Look below: widen until an id sorts at or before `id`.
            high = start
            var step = 1
            while high - step > 0, compare(high - step, id) > 0 { high -= step; step *= 2 }
            low = max(0, high - step)
        } else {
            low = start
            var step = 1
            while low + step < ends.count, compare(low + step, id) <= 0 { low += step; step *= 2 }
            high = min(ends.count, low + step + 1)
        }
        while low < high {
            let mid = (low + high) / 2
            let c = compare(mid, id)
            if c == 0 { return mid }
            if c < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
