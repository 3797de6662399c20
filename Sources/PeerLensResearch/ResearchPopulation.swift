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

    /// Position in `allCases`.
    var position: Int { Self.allCases.firstIndex(of: self)! }
}

/// The members a research output may use: those with research consent (members with
/// `research_consent: false` are excluded from all research outputs, and counted).
///
/// Attributes are held column by column (one array per attribute) so that a million members cost eight arrays,
/// not a million dictionaries; conditions are merged from `member_condition`, which is ordered by member like
/// `member`, in the same pass.
struct ResearchPopulation {
    /// One consenting member.
    struct Member {
        let id: String
        let joined: Int64
        let role: Role
    }

    /// Consenting members by dense index (sorted by id, so that every output is deterministic).
    let members: [Member]
    /// Attribute values: `values[attribute.position][member]`.
    private let values: [[String]]
    /// Dense index of each consenting member's id.
    let index: [String: Int32]
    /// Members left out because they did not consent.
    let excluded: Int
    /// First event time in the store (microseconds).
    let dataStart: Int64
    /// The end of the data (`EventStore.dataEnd`).
    let dataEnd: Int64

    /// The label used for a member who did not record an attribute.
    static let notRecorded = "(not recorded)"

    /// The member's value of `attribute` (`(not recorded)` when absent).
    func attribute(_ attribute: ResearchAttribute, of member: Int) -> String { values[attribute.position][member] }

    /// Loads the population for `purpose` (`outcome analyses`, …).
    ///
    /// - Throws: `ResearchError` when the store holds no members at all (with or without consent).
    static func load(_ db: Database, for purpose: String) throws -> ResearchPopulation {
        let conditionRows = try Row.fetchCursor(db, sql: "SELECT member, condition FROM member_condition ORDER BY member, condition")
        var pendingCondition = try conditionRows.next().map { ($0[0] as String, $0[1] as String) }
        var members: [Member] = []
        var values = [[String]](repeating: [], count: ResearchAttribute.allCases.count)
        var excluded = 0
        let rows = try Row.fetchCursor(db, sql: """
            SELECT member, ts, role, cohort, culture, region, resource_setting, age_band, gender, research_consent
            FROM member ORDER BY member
            """)
        while let row = try rows.next() {
            let id: String = row[0]
            // Conditions of members before this one (members without a member event, or without consent) are skipped.
            var conditions: [String] = []
            while let (member, condition) = pendingCondition, member <= id {
                if member == id { conditions.append(condition) }
                pendingCondition = try conditionRows.next().map { ($0[0] as String, $0[1] as String) }
            }
            guard row[9] as Bool else { excluded += 1; continue }
            let role = Role(rawValue: row[2]) ?? .seeker
            members.append(Member(id: id, joined: row[1], role: role))
            for (position, attribute) in ResearchAttribute.allCases.enumerated() {
                let value: String
                switch attribute {
                case .cohort: value = row[3] ?? notRecorded
                case .culture: value = row[4] ?? notRecorded
                case .region: value = row[5] ?? notRecorded
                case .resourceSetting: value = row[6] ?? notRecorded
                case .ageBand: value = row[7] ?? notRecorded
                case .gender: value = row[8] ?? notRecorded
                case .role: value = role.rawValue
                case .condition: value = conditions.isEmpty ? notRecorded : conditions.joined(separator: "+")
                }
                values[position].append(value)
            }
        }
        var index: [String: Int32] = [:]
        index.reserveCapacity(members.count)
        for (i, m) in members.enumerated() { index[m.id] = Int32(i) }
        let end = try EventStore.dataEnd(db)
        let start = try EventStore.dataSpan(db, of: [.message, .activity, .checkin, .skill, .groupSession, .match])?.first
        guard !members.isEmpty || excluded > 0 else { throw ResearchError("the store holds no members: \(purpose) need member events") }
        return ResearchPopulation(members: members, values: values, index: index, excluded: excluded, dataStart: start ?? end, dataEnd: end)
    }

    /// Calls `body` with the dense index and the time of every row of `sql` (which selects a member id and a
    /// time) whose member is a consenting member. Consecutive rows of the same member look the id up once.
    func forEachEvent(_ db: Database, sql: String, _ body: (Int32, Int64) -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql)
        var previousID = "", previous: Int32? = nil
        while let row = try rows.next() {
            let id: String = row[0]
            if id != previousID { previousID = id; previous = index[id] }
            if let m = previous { body(m, row[1]) }
        }
    }

    /// A sentence for every output: how many members were left out for lack of consent.
    var consentNote: String {
        excluded == 0 ? "no member declined research consent"
            : "\(excluded) member\(excluded == 1 ? "" : "s") without research consent excluded from every figure"
    }
}

/// The instrument option of the matches, groups and skills analyses (`--instrument`).
enum InstrumentOption {
    /// The default instrument. A store without it gives the analyses' notes ("fewer than k members with two
    /// PHQ-9 check-ins"), not an error.
    static let defaultInstrument = "PHQ-9"

    /// Throws `UnknownValueError` when `instrument` (other than the default) has no check-ins in a store that
    /// holds check-ins of other instruments.
    static func require(_ db: Database, _ instrument: String) throws {
        guard instrument != defaultInstrument, try !EventStore.hasCheckins(db, instrument: instrument) else { return }
        let known = try EventStore.instruments(db)
        guard !known.isEmpty else { return }
        throw UnknownValueError(option: "--instrument", value: instrument, known: known, knownDescription: "instruments with check-ins in the store")
    }
}

extension Timestamp {
    /// RFC 3339 text of a microsecond time.
    static func text(_ microseconds: Int64) -> String { Timestamp(microseconds: microseconds).rfc3339 }
}

/// Microseconds in a day.
let microsecondsPerDay: Int64 = 86_400_000_000
