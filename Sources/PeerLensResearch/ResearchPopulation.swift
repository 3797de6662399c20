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
    static func load(_ source: any EventSource, for purpose: String) throws -> ResearchPopulation {
        // Rows are read straight from SQLite (a million members in the benchmark); conditions first, in member
        // order like `member`, then merged in one pass.
        var conditionRows: [(member: String, condition: String)] = []
        try source.forEachRow(of: .memberConditions) { row in
            conditionRows.append((row.string(0), row.string(1)))
        }
        var nextCondition = 0
        var members: [Member] = []
        var values = [[String]](repeating: [], count: ResearchAttribute.allCases.count)
        var excluded = 0
        try source.forEachRow(of: .members) { row in
            let id = row.string(0)
            // Conditions of members before this one (members without a member event, or without consent) are skipped.
            var conditions: [String] = []
            while nextCondition < conditionRows.count, conditionRows[nextCondition].member <= id {
                if conditionRows[nextCondition].member == id { conditions.append(conditionRows[nextCondition].condition) }
                nextCondition += 1
            }
            guard row.bool(9) else { excluded += 1; return }
            let role = Role(rawValue: row.string(2)) ?? .seeker
            members.append(Member(id: id, joined: row.int64(1), role: role))
            for (position, attribute) in ResearchAttribute.allCases.enumerated() {
                let column: Int32
                switch attribute {
                case .cohort: column = 3
                case .culture: column = 4
                case .region: column = 5
                case .resourceSetting: column = 6
                case .ageBand: column = 7
                case .gender: column = 8
                case .role: values[position].append(role.rawValue); continue
                case .condition: values[position].append(conditions.isEmpty ? notRecorded : conditions.joined(separator: "+")); continue
                }
                values[position].append(row.optionalString(column) ?? notRecorded)
            }
        }
        var index: [String: Int32] = [:]
        index.reserveCapacity(members.count)
        for (i, m) in members.enumerated() { index[m.id] = Int32(i) }
        let end = try source.dataSpan(of: EventType.allCases)?.last ?? 0
        let start = try source.dataSpan(of: [.message, .activity, .checkin, .skill, .groupSession, .match])?.first
        guard !members.isEmpty || excluded > 0 else { throw ResearchError("the store holds no members: \(purpose) need member events") }
        return ResearchPopulation(members: members, values: values, index: index, excluded: excluded, dataStart: start ?? end, dataEnd: end)
    }

    /// Calls `body` with the dense index and the time of every row of `read` (whose columns are a member id and a
    /// time) whose member is a consenting member. Rows are read straight from SQLite (tens of millions of events
    /// in the benchmark), and consecutive rows of the same member, compared as bytes, look the id up once.
    func forEachEvent(_ source: any EventSource, _ read: ResearchRead, _ body: (Int32, Int64) -> Void) throws {
        var members = RunLookup<Int32>()
        try source.forEachRow(of: read) { row in
            if let m = members.value(for: row.bytes(0), { index[$0] }) { body(m, row.int64(1)) }
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
    static func require(_ source: any EventSource, _ instrument: String) throws {
        guard instrument != defaultInstrument, try !source.hasCheckins(instrument: instrument) else { return }
        let known = try source.instruments()
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
