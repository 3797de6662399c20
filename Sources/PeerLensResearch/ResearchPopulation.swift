import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// A problem that stops a research analysis (no data of the kind needed, an invalid option).
public struct ResearchError: Error, Sendable, CustomStringConvertible {
    /// The sentence, naming what was being done; never a row value.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// A member attribute that research outputs are disaggregated by.
public enum ResearchAttribute: String, Sendable, Codable, CaseIterable {
    /// The member's `cohort` (study arm, pilot site or wave).
    case cohort
    /// The member's conditions: the single condition, or the sorted combination joined by `+`
    /// (`anxiety+depression`), so that the groups partition the members.
    case condition
    /// The member's `culture` label.
    case culture
    /// The member's `region` (ISO 3166-1 country code).
    case region
    /// `high`, `low`, `conflict_affected` or `rural`.
    case resourceSetting = "resource_setting"
    /// The member's age band.
    case ageBand = "age_band"
    /// The member's `gender` label.
    case gender
    /// The member's role.
    case role
}

/// The members a research output may use: those with research consent (members with
/// `research_consent: false` are excluded from all research outputs, and counted).
struct ResearchPopulation {
    /// Attributes of one consenting member.
    struct Member {
        let id: String
        let joined: Int64
        let role: Role
        let attributes: [ResearchAttribute: String]
    }

    /// Consenting members by dense index (sorted by id, so that every output is deterministic).
    let members: [Member]
    /// Dense index of each consenting member's id.
    let index: [String: Int32]
    /// Members left out because they did not consent.
    let excluded: Int
    /// First and last event time in the store (microseconds).
    let dataStart: Int64
    /// The end of the data (`EventStore.dataEnd`).
    let dataEnd: Int64

    /// The label used for a member who did not record an attribute.
    static let notRecorded = "(not recorded)"

    static func load(_ db: Database) throws -> ResearchPopulation {
        var conditions: [String: [String]] = [:]
        let conditionRows = try Row.fetchCursor(db, sql: "SELECT member, condition FROM member_condition ORDER BY member, condition")
        while let row = try conditionRows.next() { conditions[row[0], default: []].append(row[1]) }
        var members: [Member] = []
        var excluded = 0
        let rows = try Row.fetchCursor(db, sql: """
            SELECT member, ts, role, cohort, culture, region, resource_setting, age_band, gender, research_consent
            FROM member ORDER BY member
            """)
        while let row = try rows.next() {
            guard row[9] as Bool else { excluded += 1; continue }
            let id: String = row[0]
            let role = Role(rawValue: row[2]) ?? .seeker
            let text = { (i: Int) -> String in (row[i] as String?) ?? notRecorded }
            let attributes: [ResearchAttribute: String] = [
                .cohort: text(3), .culture: text(4), .region: text(5), .resourceSetting: text(6), .ageBand: text(7), .gender: text(8),
                .role: role.rawValue, .condition: conditions[id].map { $0.joined(separator: "+") } ?? notRecorded,
            ]
            members.append(Member(id: id, joined: row[1], role: role, attributes: attributes))
        }
        var index: [String: Int32] = [:]
        index.reserveCapacity(members.count)
        for (i, m) in members.enumerated() { index[m.id] = Int32(i) }
        let end = try EventStore.dataEnd(db)
        let starts = try ["message", "activity", "checkin", "skill", "group_session", "\"match\""].compactMap {
            try Int64.fetchOne(db, sql: "SELECT min(ts) FROM \($0)")
        }
        return ResearchPopulation(members: members, index: index, excluded: excluded, dataStart: starts.min() ?? end, dataEnd: end)
    }

    /// A sentence for every output: how many members were left out for lack of consent.
    var consentNote: String {
        excluded == 0 ? "no member declined research consent"
            : "\(excluded) member\(excluded == 1 ? "" : "s") without research consent excluded from every figure"
    }
}

/// A group of a disaggregated table: its label and whether its numbers are shown.
struct GroupCells {
    /// Groups whose rows may be published (complementary suppression against the total of all groups).
    let shown: Set<String>

    init(sizes: [String: Int], threshold: Int) {
        shown = Set(DisclosureControl.complementarySuppression(sizes, threshold: threshold).keys)
    }
}

extension Timestamp {
    /// RFC 3339 text of a microsecond time.
    static func text(_ microseconds: Int64) -> String { Timestamp(microseconds: microseconds).rfc3339 }
}

/// Microseconds in a day.
let microsecondsPerDay: Int64 = 86_400_000_000
