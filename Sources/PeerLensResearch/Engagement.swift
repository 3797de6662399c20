import Foundation
import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// The events that count as a member being active.
public enum ActivitySource: String, Sendable, Codable, CaseIterable {
    /// The source in words, for definitions a reader sees (`a platform session`, `a check-in`).
    public var words: String {
        switch self {
        case .activity: "a platform session"
        case .message: "a message"
        case .checkin: "a check-in"
        case .skill: "a skill practice"
        case .group: "a group session"
        }
    }

    /// `activity` events (sessions on the platform).
    case activity
    /// Messages the member wrote.
    case message
    /// Questionnaire check-ins.
    case checkin
    /// Skill practices.
    case skill
    /// Group sessions attended.
    case group

    /// The store's events of this kind, with their member and time.
    var table: MemberTimeTable {
        switch self {
        case .activity: .activity
        case .message: .message
        case .checkin: .checkin
        case .skill: .skill
        case .group: .groupAttendance
        }
    }
}

/// The unit of the active-member series.
public enum ActivityPeriod: String, Sendable, Codable, CaseIterable {
    /// Calendar days (UTC).
    case day
    /// ISO weeks, named by their Monday.
    case week
    /// Calendar months.
    case month

    func label(day: Int64) -> String {
        switch self {
        case .day: Self.dayLabel(day)
        case .week: CalendarPeriod.week.label(day: day)
        case .month: CalendarPeriod.month.label(day: day)
        }
    }

    static func dayLabel(_ day: Int64) -> String { String(Timestamp(microseconds: day * microsecondsPerDay).rfc3339.prefix(10)) }
}

/// Options of `peerlens engagement`.
public struct EngagementOptions: Sendable {
    /// Period of the active-member series.
    public var over: ActivityPeriod = .week
    /// Only members of this role (nil: every role).
    public var role: Role? = nil
    /// The events that count as activity.
    public var sources: [ActivitySource] = ActivitySource.allCases
    /// A member with no activity in the last `inactiveDays` days of the data has left (an event at their last
    /// activity); everyone else is censored at the horizon, `inactiveDays` before the data end (the last time at
    /// which leaving can be told apart from a pause), and members who joined after the horizon are not followed.
    public var inactiveDays = 14.0
    /// Days at which retention is reported.
    public var retentionDays: [Double] = [7, 30, 90]
    /// Attributes whose retention curves are compared with the log-rank test.
    public var compare: [ResearchAttribute] = [.condition, .cohort]
    /// Confidence level.
    public var level = 0.95
    /// Creates default options.
    public init() {}
}

/// Active members in one period.
public struct ActivePeriodCount: Sendable, Equatable, Codable {
    /// The period label (a day, the Monday of a week, or a month).
    public let period: String
    /// Distinct active members.
    public let members: Int
}

/// Retention at a time after joining.
public struct RetentionPoint: Sendable, Equatable, Codable {
    /// Days since joining.
    public let days: Double
    /// Kaplan–Meier probability of still being active, with its Greenwood (log) interval; nil when the
    /// follow-up is shorter than `days` (not estimable, never extrapolated).
    public let retained: Double?
    /// Lower bound.
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// Members still followed at that time (nil when not estimable).
    public let atRisk: Int?

    enum CodingKeys: String, CodingKey { case days, retained, lower, upper, atRisk = "at_risk" }

    /// Creates a point.
    public init(days: Double, retained: Double?, lower: Double?, upper: Double?, atRisk: Int?) {
        self.days = days
        self.retained = retained
        self.lower = lower
        self.upper = upper
        self.atRisk = atRisk
    }

    /// The curve read at a time, with an interval that is never zero-width where the estimate is 100%.
    ///
    /// Before anyone in the group has left, Ŝ(t) = 1 and Greenwood's variance Σ dᵢ/(nᵢ(nᵢ − dᵢ)) is 0, so the
    /// log interval is [1, 1] (as R's `survfit` reports it): a claim of certainty that a group of 19 cannot
    /// support. There the interval is the Clopper–Pearson (1934) exact interval for n of n, with n the members
    /// still followed at t (`atRisk`, none of whom has left): lower = (α/2)^(1/n), the B⁻¹(α/2; n, 1) quantile,
    /// upper = 1. Members censored before t are left out of n, which makes the bound conservative. With no one
    /// still followed (n = 0) the interval stays undefined (nil). Elsewhere the Greenwood (log) interval is kept.
    public static func reading(_ p: SurvivalPoint, level: Double) -> RetentionPoint {
        var lower = p.lower, upper = p.upper
        if p.survival == 1 {
            if p.atRisk > 0, let exact = try? ProportionInterval.clopperPearson(successes: p.atRisk, trials: p.atRisk, level: level) {
                lower = exact.lower
                upper = exact.upper
            } else {
                lower = nil
                upper = nil
            }
        }
        return RetentionPoint(days: p.time, retained: p.survival, lower: lower, upper: upper, atRisk: p.atRisk)
    }
}

/// Retention of one group, for a comparison.
public struct RetentionGroup: Sendable, Equatable, Codable {
    /// Group label.
    public let group: String
    /// New members in the group.
    public let members: Int
    /// Kaplan–Meier median days to leaving (nil when not reached).
    public let medianDays: Double?
    /// Retention at each of the report's `retention_days`.
    public let points: [RetentionPoint]

    enum CodingKeys: String, CodingKey { case group, members, medianDays = "median_days", points }
}

/// Retention curves compared across the groups of an attribute.
public struct RetentionComparison: Sendable, Equatable, Codable {
    /// The attribute.
    public let by: String
    /// Groups, largest first.
    public let groups: [RetentionGroup]
    /// Log-rank test across all groups with members (nil when fewer than two groups have events).
    public let logRank: LogRankTest?
    /// Why the test is missing, if it is.
    public let note: String?

    enum CodingKeys: String, CodingKey { case by, groups, logRank = "log_rank", note }
}

/// A median with its distribution-free interval.
public struct MedianSummary: Sendable, Equatable, Codable {
    /// Members.
    public let count: Int
    /// The median (R type 7).
    public let median: Double
    /// Order-statistic interval of the median.
    public let interval: ConfidenceInterval
}

/// Engagement and retention (`peerlens engagement`).
public struct EngagementReport: Sendable, Equatable, Codable {
    /// First event.
    public let from: String
    /// Data end.
    public let to: String
    /// Members left out for lack of research consent.
    public let membersExcluded: Int
    /// The consent sentence.
    public let consentNote: String
    /// What counts as activity and as leaving, in words.
    public let definitions: [String]
    /// Consenting members (of the role asked for) with any activity.
    public let activeMembers: Int
    /// Active members per period.
    public let activeByPeriod: [ActivePeriodCount]
    /// Members who joined within the data before the horizon (the retention cohort).
    public let newMembers: Int
    /// Of them, members who left (no activity in the last `inactive_days`).
    public let left: Int
    /// Kaplan–Meier median days from joining to leaving (nil: not reached).
    public let medianDaysToLeaving: Double?
    /// Retention at 7, 30 and 90 days (or as asked).
    public let retention: [RetentionPoint]
    /// The retention curve at each whole day of follow-up.
    public let curve: [RetentionPoint]
    /// Log-rank comparisons.
    public let comparisons: [RetentionComparison]
    /// Median active days per active member.
    public let activeDays: MedianSummary?
    /// Median minutes of `activity` per active member.
    public let activeMinutes: MedianSummary?
    /// What could not be computed, and why.
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", consentNote = "consent_note"
        case definitions, activeMembers = "active_members", activeByPeriod = "active_by_period", newMembers = "new_members", left
        case medianDaysToLeaving = "median_days_to_leaving", retention, curve, comparisons
        case activeDays = "active_days", activeMinutes = "active_minutes", notes
    }
}

extension EngagementOptions: ResearchOptions {
    /// - Throws: `ResearchError` for options the analysis cannot run with.
    public func validate() throws {
        guard inactiveDays > 0, inactiveDays.isFinite else { throw ResearchError("the inactivity window must be a positive number of days") }
        guard !sources.isEmpty else { throw ResearchError("at least one kind of activity is needed") }
        guard retentionDays.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw ResearchError("retention days must be zero or more") }
    }
}

extension EngagementReport: ResearchAnalysis {
    public static func analyse(_ source: any EventSource, options: EngagementOptions) throws -> EngagementReport {
        let population = try ResearchPopulation.load(source, for: "engagement analyses")
        let included = population.members.map { options.role == nil || $0.role == options.role }
        // One pass per source: each member's active days (packed member·2³² + day, sorted and made unique after)
        // and last activity.
        var memberDays: [Int64] = []
        var last = [Int64](repeating: .min, count: population.members.count)
        for kind in Set(options.sources).sorted(by: { $0.rawValue < $1.rawValue }) {
            try population.forEachEvent(source, .activeDays(kind.table)) { m, ts in
                guard included[Int(m)] else { return }
                memberDays.append(Int64(m) << 32 | (CalendarPeriod.day(ts) & 0xFFFF_FFFF))
                if ts > last[Int(m)] { last[Int(m)] = ts }
            }
        }
        memberDays.sort()
        var activeDayCount = [Int](repeating: 0, count: population.members.count)
        // Keys are ordered by member, so a member's days are consecutive: a period counts a member once by
        // remembering the last member it counted.
        var perPeriod: [String: (members: Int, last: Int32)] = [:]
        var labels: [Int64: String] = [:]
        var previous = Int64.min
        for key in memberDays where key != previous {
            previous = key
            let m = Int32(key >> 32), day = key & 0xFFFF_FFFF
            activeDayCount[Int(m)] += 1
            let label = labels[day] ?? { let l = options.over.label(day: day); labels[day] = l; return l }()
            if perPeriod[label]?.last != m { perPeriod[label, default: (0, -1)].members += 1; perPeriod[label]!.last = m }
        }
        // Each member's durations come by increasing value with their multiplicities, and are added in that order
        // (compensated: Neumaier), so that the sum is the same whichever engine grouped them.
        var seconds = [Double](repeating: 0, count: population.members.count)
        var compensation = [Double](repeating: 0, count: population.members.count)
        var durationMembers = RunLookup<Int32>()
        try source.forEachRow(of: .activityDurations) { row in
            guard let m = durationMembers.value(for: row.bytes(0), { population.index[$0] }), included[Int(m)] else { return }
            let duration = row.double(1), i = Int(m)
            for _ in 0..<row.int64(2) {
                let total = seconds[i] + duration
                compensation[i] += abs(seconds[i]) >= abs(duration) ? (seconds[i] - total) + duration : (duration - total) + seconds[i]
                seconds[i] = total
            }
        }
        let minutes = zip(seconds, compensation).map { ($0 + $1) / 60 }

        // Active members per period.
        let active = activeDayCount.filter { $0 > 0 }.count
        let activeByPeriod = perPeriod.keys.sorted().map { p in ActivePeriodCount(period: p, members: perPeriod[p]!.members) }

        // Retention of members who joined within the data. Whether someone has left is only known `grace` days
        // after their last activity, so follow-up ends at the horizon τ = data end − grace: a member with no
        // activity after τ left at their last activity; anyone active after τ is censored at τ. Censoring at a
        // fixed horizon is independent of leaving; censoring recent leavers at their last activity is not, and
        // inflated retention by several points in simulation.
        let grace = Int64(options.inactiveDays * Double(microsecondsPerDay))
        let horizon = population.dataEnd - grace
        var cohort: [Int] = [], times: [Double] = [], events: [Bool] = []
        for (i, m) in population.members.enumerated() where included[i] && m.joined >= population.dataStart && m.joined < horizon {
            let lastSeen = max(last[i], m.joined)
            let leftService = lastSeen <= horizon
            cohort.append(i)
            times.append(Double((leftService ? lastSeen : horizon) - m.joined) / Double(microsecondsPerDay))
            events.append(leftService)
        }
        var notes: [String] = []
        var km: KaplanMeier? = nil
        if !cohort.isEmpty {
            do { km = try KaplanMeier(times: times, events: events, level: options.level) } catch { notes.append("retention curve not computed: \(error)") }
        } else {
            notes.append("no member joined within the data, so there is no retention cohort")
        }
        let followUp = times.max() ?? 0
        func points(_ curve: KaplanMeier?, _ at: [Double], maximum: Double) -> [RetentionPoint] {
            at.map { t in
                guard let curve, t <= maximum else { return RetentionPoint(days: t, retained: nil, lower: nil, upper: nil, atRisk: nil) }
                return RetentionPoint.reading(curve.estimate(at: t), level: options.level)
            }
        }
        if options.retentionDays.contains(where: { $0 > followUp }), km != nil {
            notes.append("retention beyond \(Int(followUp)) days is not estimable: the data do not follow anyone that long")
        }
        let curve = km.map { points($0, stride(from: 0.0, through: floor(followUp), by: 1).map { $0 }, maximum: followUp) } ?? []

        var comparisons: [RetentionComparison] = []
        if km != nil {
            for attribute in options.compare {
                let labels = cohort.map { population.attribute(attribute, of: $0) }
                var sizes: [String: Int] = [:]
                for l in labels { sizes[l, default: 0] += 1 }
                let ordered = sizes.keys.sorted { (sizes[$0]!, $1) > (sizes[$1]!, $0) }
                let position = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
                var groups: [RetentionGroup] = []
                for label in ordered {
                    let idx = labels.indices.filter { labels[$0] == label }
                    let gTimes = idx.map { times[$0] }, gEvents = idx.map { events[$0] }
                    let curve = try? KaplanMeier(times: gTimes, events: gEvents, level: options.level)
                    groups.append(RetentionGroup(group: label, members: idx.count, medianDays: curve?.median,
                                                 points: points(curve, options.retentionDays, maximum: gTimes.max() ?? 0)))
                }
                var test: LogRankTest? = nil, note: String? = nil
                if ordered.count < 2 { note = "only one group" } else {
                    do { test = try LogRankTest(times: times, events: events, groups: labels.map { position[$0]! }) } catch { note = "log-rank test not computed: \(error)" }
                }
                comparisons.append(RetentionComparison(by: attribute.rawValue, groups: groups, logRank: test, note: note))
            }
        }

        let activeIdx = population.members.indices.filter { activeDayCount[$0] > 0 }
        let activeDays = MedianSummary.of(activeIdx.map { Double(activeDayCount[$0]) }, level: options.level)
        let activeMinutes = options.sources.contains(.activity) ? MedianSummary.of(activeIdx.map { minutes[$0] }, level: options.level) : nil
        let role = options.role.map { " with role \($0.rawValue)" } ?? ""
        return EngagementReport(
            from: Timestamp.text(population.dataStart), to: Timestamp.text(population.dataEnd), membersExcluded: population.excluded,
            consentNote: population.consentNote,
            definitions: [
                "active: a consenting member\(role) with at least one of \(options.sources.map(\.words).joined(separator: ", ")) in the period",
                "retention cohort: members who joined within the data, before the horizon \(OutcomesReport.days(options.inactiveDays)) days before its end; time runs from joining",
                "left: no activity after the horizon (the event is at the last activity); anyone active after it is censored at the horizon",
                "retention intervals: Kaplan–Meier with Greenwood's variance on the log scale, and the exact (Clopper–Pearson) interval of the members still followed where no one has left yet, since Greenwood's is zero-width there; median intervals from order statistics",
            ],
            activeMembers: active, activeByPeriod: activeByPeriod, newMembers: cohort.count, left: events.filter { $0 }.count,
            medianDaysToLeaving: km?.median, retention: points(km, options.retentionDays, maximum: followUp), curve: curve,
            comparisons: comparisons, activeDays: activeDays, activeMinutes: activeMinutes, notes: notes)
    }
}

extension MedianSummary {
    /// The median of `values` with its distribution-free interval, or nil for fewer than two values (not
    /// estimable; disclosure control is the published document's, through `count`).
    static func of(_ values: [Double], level: Double) -> MedianSummary? {
        guard values.count >= 2 else { return nil }
        let sorted = values.sorted()
        guard let ci = try? QuantileInterval.orderStatistic(sorted: sorted, quantile: 0.5, level: level) else { return nil }
        return MedianSummary(count: sorted.count, median: Bootstrap.quantile(sorted, 0.5), interval: ci)
    }
}
