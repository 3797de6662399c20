import Foundation

/// Maps a Stack Exchange data dump with its text removed (posts.csv, comments.csv, users.csv, as in
/// `shared/data/stackexchange-history-meta`) onto log format v1, so community-health measures can be tried
/// on real data nobody here generated.
///
/// Mapping: users → `member` (role `peer`, joined at CreationDate) plus one `activity` at LastAccessDate
/// (duration 0: the last time they were seen); questions → thread-opening `message`s (thread = the
/// question); answers → replies to their question; comments → replies to the post they sit under, in that
/// post's thread. Ids become pseudonyms `se_u<Id>`, `se_p<Id>`, `se_c<Id>`, `se_t<Id>`; posts of deleted
/// users get the member `se_u_deleted` (also emitted as a member). Post lengths are unknown (text removed),
/// so `chars` is 0. Timestamps have no zone in the dump and are UTC. Other post types (tag wikis,
/// nominations, …) and rows with unreadable fields are skipped and counted.
public enum StackExchangeAdapter {
    /// What the conversion produced and skipped.
    public struct Summary: Sendable, Equatable, Codable {
        /// Events written, by type.
        public var written: [String: Int] = [:]
        /// Rows skipped, by reason.
        public var skipped: [String: Int] = [:]
    }

    /// Why the dump cannot be converted.
    public struct AdapterError: Error, Sendable, CustomStringConvertible {
        /// A sentence naming the file and the problem.
        public let description: String
    }

    /// Converts the dump in `directory` into events, sorted by time (ties: users, posts, comments, in id order).
    public static func events(from directory: String) throws -> (events: [Event], summary: Summary) {
        var summary = Summary()
        var events: [(Timestamp, Int, Event)] = []
        var order = 0
        func add(_ event: Event) {
            order += 1
            events.append((event.ts, order, event))
            summary.written[event.type.rawValue, default: 0] += 1
        }
        func skip(_ reason: String) { summary.skipped[reason, default: 0] += 1 }

        let users = try rows(directory, "users.csv", ["Id", "CreationDate", "LastAccessDate"])
        var earliest: Timestamp?
        for row in users {
            guard let id = Int(row["Id"]!), let joined = timestamp(row["CreationDate"]!) else { skip("user with unreadable id or date"); continue }
            let member = id < 0 ? "se_u_community" : "se_u\(id)"
            add(.member(MemberEvent(ts: joined, member: member, role: id < 0 ? .moderator : .peer)))
            if let seen = timestamp(row["LastAccessDate"]!), seen >= joined {
                add(.activity(ActivityEvent(ts: seen, member: member, durationSeconds: 0)))
            }
            earliest = min(earliest ?? joined, joined)
        }
        if let earliest { add(.member(MemberEvent(ts: earliest, member: "se_u_deleted", role: .peer))) }

        let posts = try rows(directory, "posts.csv", ["Id", "PostTypeId", "ParentId", "CreationDate", "OwnerUserId"])
        var threadOfPost: [Int: String] = [:]
        var pending: [(id: Int, type: Int, parent: Int?, ts: Timestamp, owner: String)] = []
        for row in posts {
            guard let id = Int(row["Id"]!), let type = Int(row["PostTypeId"]!), let ts = timestamp(row["CreationDate"]!) else {
                skip("post with unreadable id, type or date"); continue
            }
            let owner = Int(row["OwnerUserId"]!).map { $0 < 0 ? "se_u_community" : "se_u\($0)" } ?? "se_u_deleted"
            pending.append((id, type, Int(row["ParentId"]!), ts, owner))
            if type == 1 { threadOfPost[id] = "se_t\(id)" }
        }
        for post in pending {
            switch post.type {
            case 1:
                add(.message(MessageEvent(ts: post.ts, id: "se_p\(post.id)", member: post.owner, space: "history_meta",
                                          thread: "se_t\(post.id)", replyTo: nil, chars: 0)))
            case 2:
                guard let parent = post.parent, let thread = threadOfPost[parent] else { skip("answer to an unknown question"); continue }
                threadOfPost[post.id] = thread
                add(.message(MessageEvent(ts: post.ts, id: "se_p\(post.id)", member: post.owner, space: "history_meta",
                                          thread: thread, replyTo: "se_p\(parent)", chars: 0)))
            default:
                skip("post type other than question or answer")
            }
        }

        let comments = try rows(directory, "comments.csv", ["Id", "PostId", "CreationDate", "UserId"])
        for row in comments {
            guard let id = Int(row["Id"]!), let post = Int(row["PostId"]!), let ts = timestamp(row["CreationDate"]!) else {
                skip("comment with unreadable id, post or date"); continue
            }
            guard let thread = threadOfPost[post] else { skip("comment on a post that is not a question or answer"); continue }
            let member = Int(row["UserId"]!).map { $0 < 0 ? "se_u_community" : "se_u\($0)" } ?? "se_u_deleted"
            add(.message(MessageEvent(ts: ts, id: "se_c\(id)", member: member, space: "history_meta", thread: thread,
                                      replyTo: "se_p\(post)", chars: 0)))
        }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return (events.map(\.2), summary)
    }

    /// Dump timestamps look like `2011-10-11T19:42:20.713`, UTC without a zone.
    static func timestamp(_ text: String) -> Timestamp? {
        text.isEmpty ? nil : Timestamp(rfc3339: text + "Z")
    }

    /// All rows of a dump CSV as dictionaries of the needed columns.
    static func rows(_ directory: String, _ file: String, _ columns: [String]) throws -> [[String: String]] {
        let path = directory + "/" + file
        do {
            let reader = try CSVRowReader(path: path)
            guard try reader.next(), let header = reader.strings() else {
                throw AdapterError(description: "\(path): cannot read the header row")
            }
            var indices: [Int] = []
            for column in columns {
                guard let i = header.firstIndex(of: column) else { throw AdapterError(description: "\(path): no column '\(column)'") }
                indices.append(i)
            }
            var out: [[String: String]] = []
            while try reader.next() {
                if reader.isBlank { continue }
                var values: [String: String] = [:]
                for (column, i) in zip(columns, indices) {
                    guard i < reader.count else { values[column] = ""; continue }
                    guard let value = reader.string(i) else {
                        throw AdapterError(description: "\(path):\(reader.line): column '\(column)' is not valid UTF-8 text")
                    }
                    values[column] = value
                }
                out.append(values)
            }
            return out
        } catch let error as LogReadError {
            throw AdapterError(description: error.description)
        }
    }
}
