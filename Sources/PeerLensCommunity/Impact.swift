import Foundation
import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Options of `peerlens impact`.
public struct ImpactOptions: Sendable {
    /// Count members without research consent (only when the data owner says so; default: excluded).
    public var includeNonConsenting = false
    /// Total programme cost, for cost per seeker reached and per reliable improvement.
    public var cost: Double? = nil
    /// Currency label printed with costs.
    public var currency = "USD"
    /// Confidence level of the intervals.
    public var level = 0.95
    /// Minutes within which a crisis alert counts as responded to in time.
    public var crisisResponseMinutes = 15.0
    /// k of the group-rate rule: a group's outcome rate (and its difference from the rest) is published only
    /// when at least k of its people have the outcome and at least k do not. Commands set it to the disclosure
    /// threshold.
    public var groupRateMinimum = 11
    /// Creates default options.
    public init() {}
}

/// One headline figure with its SDG targets and a plain-language statement.
public struct ImpactFigure: Sendable, Equatable, Codable {
    /// Stable key, e.g. `people_reached`.
    public let key: String
    /// SDG targets the figure contributes to (`3.4`, `3.8`, `5`, `10.2`, `17.18`). Never indicator 3.4.2
    /// (the suicide mortality rate): platform logs cannot measure it.
    public let sdg: [String]
    /// The count itself (people, conversations, matches), the people or alerts a rate is over, or the people a
    /// cost is divided by.
    public let count: Int
    /// For a rate: how many of `count` have the outcome (the numerator).
    public let hits: Int?
    /// A rate or amount (nil for plain counts, and for a rate or cost over no one).
    public let value: Double?
    /// Interval of the rate (Wilson), or of a cost per outcome (the cost over the bounds of the interval of
    /// the number of people with the outcome; nil when that interval reaches 0).
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// What the figure counts, in words a non-statistician reads correctly, without the number itself (the
    /// number is published through the disclosure policy, words are not).
    public let statement: String
}

/// One group of a breakdown of reach or outcomes.
public struct ImpactGroup: Sendable, Equatable, Codable {
    /// The group (`(not recorded)` for members who did not say).
    public let group: String
    /// People in the group.
    public let count: Int
    /// For outcomes: people in the group with the outcome.
    public let hits: Int?
    /// Their share of the total (reach) or the outcome rate (outcomes), with a Wilson interval.
    public let rate: Double?
    /// Lower bound.
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// Outcomes only: the group's rate minus the rate of everyone else measured (the rest of the breakdown),
    /// with Newcombe's hybrid score interval (`ProportionDifference.newcombe`).
    public let difference: Double?
    /// Lower bound of the difference.
    public let differenceLower: Double?
    /// Upper bound of the difference.
    public let differenceUpper: Double?
    /// Outcomes only: whether the group meets the group-rate rule (at least `groupRateMinimum` people with the
    /// outcome and as many without); a group that does not has its rate, its counts with and without the
    /// outcome and its difference withheld.
    public let meetsRateRule: Bool?

    /// Creates a group.
    public init(group: String, count: Int, hits: Int?, rate: Double?, lower: Double?, upper: Double?, difference: Double? = nil,
                differenceLower: Double? = nil, differenceUpper: Double? = nil, meetsRateRule: Bool? = nil) {
        self.group = group
        self.count = count
        self.hits = hits
        self.rate = rate
        self.lower = lower
        self.upper = upper
        self.difference = difference
        self.differenceLower = differenceLower
        self.differenceUpper = differenceUpper
        self.meetsRateRule = meetsRateRule
    }

    enum CodingKeys: String, CodingKey {
        case group, count, hits, rate, lower, upper, difference, differenceLower = "difference_lower", differenceUpper = "difference_upper"
        case meetsRateRule = "meets_rate_rule"
    }
}

/// A breakdown of reach or of an outcome by one attribute (SDG 5, 10.2, 17.18).
public struct ImpactBreakdown: Sendable, Equatable, Codable {
    /// `reach` or `reliable_improvement_phq9` …
    public let measure: String
    /// `gender`, `resource_setting`, `region` or `age_band`.
    public let by: String
    /// SDG targets.
    public let sdg: [String]
    /// Groups, largest first (every group, with its real counts: the disclosure policy decides what is shown).
    public let groups: [ImpactGroup]
    /// People in the breakdown (reached, or measured for outcomes).
    public let total: Int
    /// For outcomes: people with the outcome over all groups.
    public let totalHits: Int?

    enum CodingKeys: String, CodingKey { case measure, by, sdg, groups, total, totalHits = "total_hits" }
}

/// SDG impact indicators for funders (`peerlens impact`).
public struct ImpactReport: Sendable, Equatable, Codable {
    /// First message or activity, and the data end (RFC 3339).
    public let from: String
    /// Last event.
    public let to: String
    /// Members left out for lack of research consent (0 when they were included).
    public let membersExcluded: Int
    /// k of the group-rate rule (`ImpactOptions.groupRateMinimum`).
    public let groupRateMinimum: Int
    /// How members without consent were treated.
    public let consentNote: String
    /// Headline figures.
    public let headline: [ImpactFigure]
    /// Reach and outcomes by gender, resource setting, region and age band.
    public let equity: [ImpactBreakdown]
    /// What the figures cannot tell.
    public let limitations: [String]

    /// Creates a report.
    public init(from: String, to: String, membersExcluded: Int, groupRateMinimum: Int = 11, consentNote: String, headline: [ImpactFigure],
                equity: [ImpactBreakdown], limitations: [String]) {
        self.from = from
        self.to = to
        self.membersExcluded = membersExcluded
        self.groupRateMinimum = groupRateMinimum
        self.consentNote = consentNote
        self.headline = headline
        self.equity = equity
        self.limitations = limitations
    }

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", groupRateMinimum = "group_rate_minimum", consentNote = "consent_note"
        case headline, equity, limitations
    }
}

extension ImpactReport {
    /// Reliable change as NHS Talking Therapies defines it: a fall of at least `reliable` points is a reliable
    /// improvement; moving from at or above `caseness` to below it is recovery; both is reliable recovery. The
    /// thresholds are the built-in instrument definitions' (PHQ-9: 6 points, caseness 10; GAD-7: 4 and 8).
    struct Instrument {
        let name: String, reliable: Double, caseness: Double
        static let all: [Instrument] = ["PHQ-9", "GAD-7"].map { name in
            let definition = PeerLensLog.Instrument.builtIn.first { $0.name == name }!
            return Instrument(name: name, reliable: definition.reliableChange!, caseness: definition.caseness!)
        }
    }

    /// Supporter roles, in the order the figures list them.
    static let supporterRoles: [Role] = [.peer, .listener, .professional, .moderator]
    /// Roles whose completed training counts as supporters trained: peer supporters and listeners (professionals
    /// and moderators are trained elsewhere; their courses are not the programme's output).
    static let trainedRoles: Set<String> = [Role.peer.rawValue, Role.listener.rawValue]

    /// Computes the indicators from the store.
    ///
    /// Consent applies to every figure: unless `includeNonConsenting`, a member without research consent is not
    /// counted as reached or trained, their alerts, check-ins and the threads they started are left out, and a
    /// match counts only when both its seeker and its peer consented.
    ///
    /// - Throws: `HealthError` for a store without members or invalid options; `StoreError` underneath.
    public static func analyse(store: any EventSource, options: ImpactOptions = ImpactOptions()) throws -> ImpactReport {
        if let cost = options.cost { guard cost > 0, cost.isFinite else { throw HealthError("the cost must be a positive amount") } }
        guard options.groupRateMinimum >= 1 else { throw HealthError("the group-rate minimum must be at least 1") }
        return try analyse(try store.impactData(model: "crisis", instruments: Instrument.all.map(\.name)), options: options)
    }

    static func analyse(_ data: ImpactData, options: ImpactOptions) throws -> ImpactReport {
        struct Member { var gender, resource, region, ageBand: String; var consent: Bool; var role: String }
        var members: [String: Member] = [:]
        for m in data.members {
            members[m.member] = Member(gender: m.gender ?? "(not recorded)", resource: m.resourceSetting ?? "(not recorded)", region: m.region ?? "(not recorded)",
                                       ageBand: m.ageBand ?? "(not recorded)", consent: m.researchConsent, role: m.role)
        }
        guard !members.isEmpty else { throw HealthError("the store holds no members: impact figures need member events") }
        // A member without a member event has no recorded consent: never counted (unless everyone is).
        let counted = { (m: String) -> Bool in options.includeNonConsenting || (members[m]?.consent ?? false) }
        let excluded = options.includeNonConsenting ? 0 : members.values.filter { !$0.consent }.count

        // Members with any event of their own (messages are added once the background scan is done).
        var active = data.ownEventMembers.filter(counted)
        let matches = data.acceptedMatches.filter { counted($0.seeker) && counted($0.peer) }.count
        let trained = data.completedTraining.filter { counted($0) && trainedRoles.contains(members[$0]?.role ?? "") }.count
        let end = data.dataEnd
        // The first message or activity.
        let start = data.dataStart ?? end

        // Crisis alerts on consenting members: answered by a human within the window (alerts at least that long
        // before the end), and confirmed as crises by review (alerts whose message was reviewed).
        let window = Int64(options.crisisResponseMinutes * 60_000_000)
        var alerts = 0, inTime = 0, reviewed = 0, confirmed = 0
        for alert in data.crisisAlerts where counted(alert.member) {
            if let c = alert.confirmed { reviewed += 1; if c { confirmed += 1 } }
            guard alert.raisedAt + window <= end else { continue }
            alerts += 1
            if let first = alert.firstResponseAt, first - alert.raisedAt <= window { inTime += 1 }
        }

        // Reliable improvement and recovery per instrument (first vs last check-in of members with two or more).
        struct Change { let member: String; let improved, recovered, reliablyRecovered, cased: Bool }
        var changes: [String: [Change]] = [:]
        for instrument in Instrument.all {
            let runs = (data.checkinRuns[instrument.name] ?? []).filter { counted($0.member) }
            changes[instrument.name] = runs.sorted { $0.member < $1.member }.compactMap { run in
                let m = run.member, a = run.first, b = run.last
                guard run.count >= 2 else { return nil }
                let improved = a - b >= instrument.reliable
                let cased = a >= instrument.caseness
                let recovered = cased && b < instrument.caseness
                return Change(member: m, improved: improved, recovered: recovered, reliablyRecovered: recovered && improved, cased: cased)
            }
        }

        // Message authors and thread starters, once the background scan is done.
        let message = data.messageAuthors
        for m in message.authors where counted(m) { active.insert(m) }
        let conversations = message.starters.values.filter(counted).count
        // People reached are seekers (IRIS+ PI4060 counts clients); supporters are counted by role beside them.
        let reached = active.filter { members[$0]?.role == Role.seeker.rawValue }
        var supporters: [String: Int] = [:]
        for m in active { if let role = members[m]?.role, role != Role.seeker.rawValue { supporters[role, default: 0] += 1 } }

        func count(_ key: String, _ sdg: [String], _ n: Int, _ words: String) -> ImpactFigure {
            ImpactFigure(key: key, sdg: sdg, count: n, hits: nil, value: nil, lower: nil, upper: nil, statement: words)
        }
        func rate(_ key: String, _ sdg: [String], _ hits: Int, of total: Int, _ words: String) -> ImpactFigure {
            let p = Proportion.wilson(hits, of: total, level: options.level)
            return ImpactFigure(key: key, sdg: sdg, count: total, hits: hits, value: p?.estimate, lower: p?.interval.lower, upper: p?.interval.upper, statement: words)
        }
        let minutes = Int(options.crisisResponseMinutes)
        var headline: [ImpactFigure] = [
            count("people_reached", ["3.4", "3.8"], reached.count,
                  "help seekers used the service (any message, check-in, match, group, skill or training of their own); supporters are counted separately"),
        ]
        for role in supporterRoles {
            headline.append(count("supporters_active_\(role.rawValue)", ["3.4", "3.8"], supporters[role.rawValue] ?? 0,
                                  "\(role.rawValue)s were active (any event of their own), counted apart from the help seekers reached"))
        }
        headline += [
            count("conversations", ["3.4"], conversations, "support conversations (threads) were started by members counted here"),
            count("matches", ["3.4"], matches, "peer-support matches were accepted"),
            count("supporters_trained", ["3.4", "3.8"], trained, "peer supporters and listeners completed a training course (professionals and moderators are not counted)"),
            rate("crisis_alerts_answered_within_\(minutes)_minutes", ["3.4"], inTime, of: alerts,
                 "crisis alerts raised by the risk model were answered by a human responder within \(minutes) minutes (alerts, not confirmed crises)"),
            rate("crisis_alerts_confirmed", ["3.4"], confirmed, of: reviewed,
                 "crisis alerts whose message a reviewer rated were confirmed as a crisis (the latest crisis review positive, or severity moderate or higher)"),
        ]
        for instrument in Instrument.all {
            let list = changes[instrument.name] ?? []
            let key = instrument.name.lowercased().replacingOccurrences(of: "-", with: "")
            headline.append(rate("reliable_improvement_\(key)", ["3.4"], list.filter(\.improved).count, of: list.count,
                                 "members with two or more \(instrument.name) check-ins improved reliably (a fall of \(Int(instrument.reliable)) points or more)"))
            let cased = list.filter(\.cased)
            headline.append(rate("recovery_\(key)", ["3.4"], cased.filter(\.recovered).count, of: cased.count,
                                 "members who started at or above the \(instrument.name) clinical cut-off ended below it"))
            headline.append(rate("reliable_recovery_\(key)", ["3.4"], cased.filter(\.reliablyRecovered).count, of: cased.count,
                                 "members who started at or above the \(instrument.name) clinical cut-off both recovered and improved reliably"))
        }
        if let cost = options.cost {
            let measured = Set(changes.values.flatMap { $0 }.map(\.member))
            let improved = Set(changes.values.flatMap { $0 }.filter(\.improved).map(\.member))
            headline.append(rate("reliable_improvement_either", ["3.4"], improved.count, of: measured.count,
                                 "members with two or more check-ins on PHQ-9 or GAD-7 improved reliably on at least one"))
            headline.append(ImpactFigure(key: "cost_per_seeker_reached", sdg: ["3.4", "3.8"], count: reached.count, hits: nil,
                                         value: reached.isEmpty ? nil : cost / Double(reached.count), lower: nil, upper: nil,
                                         statement: "the whole programme cost divided by the help seekers reached (supporters are not in the denominator)"))
            headline.append(costPerOutcome(cost, improved: improved.count, of: measured.count, level: options.level))
        }

        // Equity: reach of seekers and reliable improvement (PHQ-9) by attribute.
        var equity: [ImpactBreakdown] = []
        let attributes: [(String, (Member) -> String, [String])] = [
            ("gender", \.gender, ["5", "10.2", "17.18"]), ("resource_setting", \.resource, ["10.2", "17.18"]),
            ("region", \.region, ["10.2", "17.18"]), ("age_band", \.ageBand, ["17.18"]),
        ]
        let phq = changes["PHQ-9"] ?? []
        // Each reached member's attributes, looked up once rather than once per attribute.
        let reachedMembers = reached.map { members[$0] }
        for (name, attribute, sdg) in attributes {
            var reach: [String: Int] = [:]
            for m in reachedMembers { reach[m.map(attribute) ?? "(not recorded)", default: 0] += 1 }
            equity.append(breakdown("reach", by: name, sdg: sdg, totals: reach, hits: nil, total: reached.count, options: options))
            var groupTotals: [String: Int] = [:], groupHits: [String: Int] = [:]
            for c in phq {
                let g = members[c.member].map(attribute) ?? "(not recorded)"
                groupTotals[g, default: 0] += 1
                if c.improved { groupHits[g, default: 0] += 1 }
            }
            equity.append(breakdown("reliable_improvement_phq9", by: name, sdg: sdg, totals: groupTotals, hits: groupHits, total: phq.count, options: options))
        }
        return ImpactReport(
            from: Timestamp(microseconds: start).rfc3339, to: Timestamp(microseconds: end).rfc3339, membersExcluded: excluded,
            groupRateMinimum: options.groupRateMinimum,
            consentNote: options.includeNonConsenting
                ? "members without research consent are included: the data owner said so"
                : "members without research consent are left out of every figure: they are not counted as reached, active or trained, and their alerts, check-ins, the conversations they started and their matches are not counted",
            headline: headline, equity: equity,
            limitations: [
                "Observational data: the figures describe people who used the service; they do not show that the service caused the change.",
                "Outcomes rest on members with two or more check-ins. Members with one check-in whose second was due are not in them and may have done worse; those whose second check-in was not yet due when the data end are left out, not counted as having stopped.",
                "Reach counts help seekers with any recorded event in the period; it cannot tell how much support each person received.",
                "Crisis figures count alerts raised by a risk model, not crises: only some alerts are confirmed as crises on review. They do not measure suicide mortality (SDG indicator 3.4.2), which platform logs cannot.",
            ])
    }

    /// Cost per reliable improvement: the whole cost C over the x members who improved reliably (on either
    /// instrument), with an interval from the outcome's: the Wilson interval (l, u) of x / n (n members measured)
    /// gives n·l to n·u people improved, hence C / (n·u) to C / (n·l) (no upper bound when n·l is 0). The whole
    /// budget is charged to this one outcome. `count` is x.
    static func costPerOutcome(_ cost: Double, improved x: Int, of n: Int, level: Double) -> ImpactFigure {
        let p = Proportion.wilson(x, of: n, level: level)
        let lowPeople = p.map { Double(n) * $0.interval.lower }, highPeople = p.map { Double(n) * $0.interval.upper }
        return ImpactFigure(key: "cost_per_reliable_improvement", sdg: ["3.4", "3.8"], count: x, hits: nil,
                            value: x > 0 ? cost / Double(x) : nil,
                            // The Wilson lower bound of 0/n is 0 up to rounding: no finite upper bound then.
                            lower: highPeople.flatMap { $0 > 0 ? cost / $0 : nil }, upper: x > 0 ? lowPeople.flatMap { $0 > 0 ? cost / $0 : nil } : nil,
                            statement: "the whole programme cost divided by the members who improved reliably on PHQ-9 or GAD-7; it charges the whole budget to this one outcome, though the same money paid for everything else the service did")
    }

    /// The groups in reading order: age bands by age (`13-17` before `18-24`, `65+` last among them, labels
    /// without an age after), every other attribute by size (largest first), ties by name.
    static func ordered(_ totals: [String: Int], by: String) -> [(key: String, value: Int)] {
        guard by == "age_band" else { return totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) } }
        func age(_ band: String) -> Int { Int(band.prefix { $0.isNumber }) ?? Int.max }
        return totals.sorted { (age($0.key), $0.key) < (age($1.key), $1.key) }
    }

    /// A breakdown: every group with its real count (and, for outcomes, the people with the outcome), its
    /// share of the total (reach) or outcome rate with a Wilson interval, and, for outcomes, the difference
    /// between the group's rate and the rest's with Newcombe's interval, and whether the group meets the
    /// group-rate rule. Nothing is withheld here: the report withholds what the rule says and the document's
    /// disclosure policy suppresses small cells, with complementary suppression against the published totals.
    static func breakdown(_ measure: String, by: String, sdg: [String], totals: [String: Int], hits: [String: Int]?, total: Int,
                          options: ImpactOptions) -> ImpactBreakdown {
        var groups: [ImpactGroup] = []
        let allHits = hits.map { $0.values.reduce(0, +) }
        for (g, n) in ordered(totals, by: by) {
            guard let hits, let allHits else {
                let p = Proportion.wilson(n, of: total, level: options.level)
                groups.append(ImpactGroup(group: g, count: n, hits: nil, rate: p?.estimate, lower: p?.interval.lower, upper: p?.interval.upper))
                continue
            }
            let x = hits[g] ?? 0
            let p = Proportion.wilson(x, of: n, level: options.level)
            let d = ProportionDifference.newcombe(x, of: n, minus: allHits - x, of: total - n, level: options.level)
            groups.append(ImpactGroup(group: g, count: n, hits: x, rate: p?.estimate, lower: p?.interval.lower, upper: p?.interval.upper,
                                      difference: d?.estimate, differenceLower: d?.interval.lower, differenceUpper: d?.interval.upper,
                                      meetsRateRule: x >= options.groupRateMinimum && n - x >= options.groupRateMinimum))
        }
        return ImpactBreakdown(measure: measure, by: by, sdg: sdg, groups: groups, total: total, totalHits: allHits)
    }
}
