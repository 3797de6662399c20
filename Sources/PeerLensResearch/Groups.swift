import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Options of `peerlens groups`.
public struct GroupsOptions: Sendable {
    /// A member who attended at least this many sessions of a group is a regular attendee; fewer, occasional.
    public var regularSessions = 4
    /// The instrument of the outcome comparison.
    public var instrument = InstrumentOption.defaultInstrument
    /// Confidence level.
    public var level = 0.95
    /// Creates default options.
    public init() {}
    /// Options with these choices and the defaults otherwise.
    public init(regularSessions: Int, instrument: String) {
        (self.regularSessions, self.instrument) = (regularSessions, instrument)
    }
}

/// Mood change of one kind of attendee.
public struct AttendeeOutcome: Sendable, Equatable, Codable {
    /// `regular` or `occasional`.
    public let attendees: String
    /// Attendees with two or more check-ins.
    public let members: Int
    /// Mean change (last − first) with its t interval.
    public let meanChange: MeanEstimate?

    enum CodingKeys: String, CodingKey { case attendees, members, meanChange = "mean_change" }
}

/// Group sessions (`peerlens groups`).
public struct GroupsReport: Sendable, Equatable, Codable {
    /// First event.
    public let from: String
    /// Data end.
    public let to: String
    /// Members left out for lack of research consent.
    public let membersExcluded: Int
    /// The consent sentence.
    public let consentNote: String
    /// Groups that met.
    public let groups: Int
    /// Sessions held.
    public let sessions: Int
    /// Consenting attendees per session: mean with t interval (over sessions).
    public let attendancePerSession: MeanEstimate?
    /// Median consenting attendees per session.
    public let medianAttendance: Double?
    /// Sessions attended by only one consenting member.
    public let sessionsWithOneAttendee: Int
    /// Share of attendances followed by the same member attending the group's next session.
    public let nextSessionReturn: Share
    /// Share of members whose first session in a group was followed by another in that group.
    public let cameBack: Share
    /// Consenting members who attended any session.
    public let attendees: Int
    /// Regular attendees (at least `regular_sessions` sessions of one group).
    public let regularAttendees: Int
    /// The regular-attendee threshold.
    public let regularSessions: Int
    /// Facilitators.
    public let facilitators: Int
    /// Sessions per facilitator per week: mean, 90th percentile and maximum.
    public let facilitatorSessionsPerWeek: [String: Double]
    /// Mood change of regular vs occasional attendees.
    public let outcomes: [AttendeeOutcome]
    /// Welch t test of the difference in change (regular − occasional).
    public let outcomeDifference: TTestResult?
    /// Hedges' g of the difference (pooled SD).
    public let outcomeEffectSize: EffectSize?
    /// The instrument of the outcome comparison.
    public let instrument: String
    /// What could not be computed, and why.
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", consentNote = "consent_note"
        case groups, sessions, attendancePerSession = "attendance_per_session", medianAttendance = "median_attendance"
        case sessionsWithOneAttendee = "sessions_with_one_attendee", nextSessionReturn = "next_session_return", cameBack = "came_back"
        case attendees, regularAttendees = "regular_attendees", regularSessions = "regular_sessions", facilitators
        case facilitatorSessionsPerWeek = "facilitator_sessions_per_week", outcomes, outcomeDifference = "outcome_difference"
        case outcomeEffectSize = "outcome_effect_size", instrument, notes
    }
}

extension GroupsOptions: ResearchOptions {
    /// - Throws: `ResearchError` for options the analysis cannot run with.
    public func validate() throws {
        guard regularSessions >= 2 else { throw ResearchError("a regular attendee needs at least 2 sessions") }
    }
}

extension GroupsReport: ResearchAnalysis {
    public static func analyse(_ source: any EventSource, options: GroupsOptions) throws -> GroupsReport {
        try InstrumentOption.require(source, options.instrument)
        let population = try ResearchPopulation.load(source, for: "group analyses")
        struct Meeting { let ts: Int64; let facilitator: String; var attendees: [Int32] }
        var meetings: [String: [Meeting]] = [:]
        var byKey: [String: (group: String, position: Int)] = [:]
        try source.forEachRow(of: .groupSessions) { row in
            let group = row.string(0)
            byKey[group + "\u{0}" + row.string(1)] = (group, meetings[group]?.count ?? 0)
            meetings[group, default: []].append(Meeting(ts: row.int64(2), facilitator: row.string(3), attendees: []))
        }
        try source.forEachRow(of: .groupAttendees) { row in
            guard let m = population.index[row.string(2)], let at = byKey[row.string(0) + "\u{0}" + row.string(1)] else { return }
            meetings[at.group]![at.position].attendees.append(m)
        }
        var notes: [String] = []
        if meetings.isEmpty { notes.append("the store holds no group sessions") }
        let all = meetings.keys.sorted().flatMap { meetings[$0]! }
        let sizes = all.map { Double($0.attendees.count) }
        var returned = 0, attendances = 0, firsts = 0, cameBack = 0
        var perMember: [Int32: Int] = [:]   // the most sessions a member attended in one group
        for group in meetings.keys.sorted() {
            let list = meetings[group]!
            var count: [Int32: Int] = [:]
            for (i, meeting) in list.enumerated() {
                let next = i + 1 < list.count ? Set(list[i + 1].attendees) : nil
                for m in meeting.attendees {
                    count[m, default: 0] += 1
                    if let next { attendances += 1; if next.contains(m) { returned += 1 } }
                }
            }
            for (m, c) in count {
                firsts += 1
                if c >= 2 { cameBack += 1 }
                perMember[m] = max(perMember[m] ?? 0, c)
            }
        }
        // Facilitator load: sessions per facilitator per week of the data.
        let weeks = max(1, Double(population.dataEnd - population.dataStart) / Double(7 * microsecondsPerDay))
        var facilitated: [String: Int] = [:]
        for m in all { facilitated[m.facilitator, default: 0] += 1 }
        let loads = facilitated.values.map { Double($0) / weeks }.sorted()
        var load: [String: Double] = [:]
        if !facilitated.isEmpty {
            load = ["mean": loads.reduce(0, +) / Double(loads.count), "p90": Bootstrap.quantile(loads, 0.9), "max": loads.last!]
        }

        let change = try MemberActivity.moodChange(source, instrument: options.instrument, population: population)
        let regular = perMember.filter { $0.value >= options.regularSessions }.keys.sorted()
        let occasional = perMember.filter { $0.value < options.regularSessions }.keys.sorted()
        let regularChange = regular.compactMap { change[$0] }, occasionalChange = occasional.compactMap { change[$0] }
        // An evaluability minimum, not disclosure control: Welch's test needs two members on each side.
        let shown = regularChange.count >= 2 && occasionalChange.count >= 2
        var outcomes: [AttendeeOutcome] = []
        for (name, list) in [("regular", regularChange), ("occasional", occasionalChange)] {
            outcomes.append(AttendeeOutcome(attendees: name, members: list.count,
                                            meanChange: list.count >= 2 ? try? MeanEstimate.t(list, level: options.level) : nil))
        }
        var difference: TTestResult? = nil, effect: EffectSize? = nil
        if shown {
            do {
                difference = try MeanTests.welch(regularChange, occasionalChange, level: options.level)
                effect = try EffectSize.independent(regularChange, occasionalChange, level: options.level)
            } catch { notes.append("regular vs occasional comparison not computed: \(error)") }
        } else if !perMember.isEmpty {
            notes.append("too few regular or occasional attendees with two \(options.instrument) check-ins to compare their outcomes")
        }
        notes.append("observational comparison: regular attendees may differ from occasional ones in ways that also affect their outcomes")
        let one = all.filter { $0.attendees.count == 1 }.count
        return GroupsReport(
            from: Timestamp.text(population.dataStart), to: Timestamp.text(population.dataEnd), membersExcluded: population.excluded,
            consentNote: population.consentNote, groups: meetings.count, sessions: all.count,
            attendancePerSession: sizes.count >= 2 ? try? MeanEstimate.t(sizes, level: options.level) : nil,
            medianAttendance: sizes.isEmpty ? nil : Bootstrap.quantile(sizes.sorted(), 0.5),
            sessionsWithOneAttendee: one,
            nextSessionReturn: Share(returned, of: attendances), cameBack: Share(cameBack, of: firsts),
            attendees: perMember.count, regularAttendees: regular.count, regularSessions: options.regularSessions,
            facilitators: facilitated.count, facilitatorSessionsPerWeek: load, outcomes: outcomes, outcomeDifference: difference,
            outcomeEffectSize: effect, instrument: options.instrument, notes: notes)
    }
}
