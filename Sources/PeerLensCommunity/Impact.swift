import Foundation
import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Options of `peerlens impact`.
public struct ImpactOptions: Sendable {
    /// Count members without research consent (only when the data owner says so; default: excluded).
    public var includeNonConsenting = false
    /// Total programme cost, for cost per person reached and per reliable improvement.
    public var cost: Double? = nil
    /// Currency label printed with costs.
    public var currency = "USD"
    /// Confidence level of the intervals.
    public var level = 0.95
    /// Minutes within which a crisis alert counts as responded to in time.
    public var crisisResponseMinutes = 15.0
    /// Creates default options.
    public init() {}
}

/// One headline figure with its SDG targets and a plain-language statement.
public struct ImpactFigure: Sendable, Equatable, Codable {
    /// Stable key, e.g. `people_reached`.
    public let key: String
    /// SDG targets the figure reports on (`3.4`, `3.4.2`, `3.8`, `5`, `10.2`, `17.18`).
    public let sdg: [String]
    /// The count itself (people, conversations, matches), the people or alerts a rate is over, or the people a
    /// cost is divided by.
    public let count: Int
    /// For a rate: how many of `count` have the outcome (the numerator).
    public let hits: Int?
    /// A rate or amount (nil for plain counts, and for a rate or cost over no one).
    public let value: Double?
    /// Interval of the rate (Wilson).
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
    /// Rate − the overall rate (outcomes only).
    public let gap: Double?
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
    /// How members without consent were treated.
    public let consentNote: String
    /// Headline figures.
    public let headline: [ImpactFigure]
    /// Reach and outcomes by gender, resource setting, region and age band.
    public let equity: [ImpactBreakdown]
    /// What the figures cannot tell.
    public let limitations: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", consentNote = "consent_note"
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

    /// Computes the indicators from the store.
    ///
    /// - Throws: `HealthError` for a store without members or invalid options; `StoreError` underneath.
    public static func analyse(store: EventStore, options: ImpactOptions = ImpactOptions()) throws -> ImpactReport {
        if let cost = options.cost { guard cost > 0, cost.isFinite else { throw HealthError("the cost must be a positive amount") } }
        // The scan of every message runs on a second connection, overlapping with the other reads.
        let messageAuthors = store.readInBackground { db in try EventStore.messageAuthorsAndThreadCount(db) }
        return try store.queue.read { db in try analyse(db, options: options, messageAuthors: messageAuthors) }
    }

    static func analyse(_ db: Database, options: ImpactOptions, messageAuthors: BackgroundRead<MessageAuthors>) throws -> ImpactReport {
        struct Member { var gender, resource, region, ageBand: String; var consent: Bool; var role: String }
        var members: [String: Member] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT member, gender, resource_setting, region, age_band, research_consent, role FROM member") {
            members[row[0]] = Member(gender: row[1] ?? "(not recorded)", resource: row[2] ?? "(not recorded)", region: row[3] ?? "(not recorded)",
                                     ageBand: row[4] ?? "(not recorded)", consent: row[5], role: row[6])
        }
        guard !members.isEmpty else { throw HealthError("the store holds no members: impact figures need member events") }
        let counted = { (m: String) -> Bool in options.includeNonConsenting || (members[m]?.consent ?? false) }
        let excluded = options.includeNonConsenting ? 0 : members.values.filter { !$0.consent }.count

        // People reached: members with any event of their own.
        var reached = Set<String>()
        for sql in ["SELECT DISTINCT member FROM activity", "SELECT DISTINCT member FROM checkin",
                    "SELECT DISTINCT member FROM skill", "SELECT DISTINCT member FROM training", "SELECT DISTINCT member FROM group_attendee",
                    "SELECT DISTINCT seeker FROM \"match\"", "SELECT DISTINCT peer FROM \"match\" WHERE accepted = 1"] {
            for m in try String.fetchAll(db, sql: sql) where counted(m) { reached.insert(m) }
        }
        let matches = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"match\" WHERE accepted = 1") ?? 0
        let trained = Set(try String.fetchAll(db, sql: "SELECT DISTINCT member FROM training WHERE completed = 1").filter(counted)).count
        let end = try EventStore.dataEnd(db)
        // The first message or activity, from the spans ingestion keeps (a scan of each table otherwise).
        let start = try EventStore.dataSpan(db, of: [.message, .activity])?.first ?? end

        // Crisis alerts answered by a human within the window (alerts at least that long before the end).
        let window = Int64(options.crisisResponseMinutes * 60_000_000)
        var alerts = 0, inTime = 0
        for row in try Row.fetchAll(db, sql: """
            SELECT a.ts, (SELECT min(r.ts) FROM response r WHERE r.alert = a.id) AS first FROM alert a WHERE a.model = 'crisis'
            """) {
            let ts: Int64 = row[0]
            guard ts + window <= end else { continue }
            alerts += 1
            if let first: Int64 = row[1], first - ts <= window { inTime += 1 }
        }

        // Reliable improvement and recovery per instrument (first vs last check-in of members with two or more).
        struct Change { let member: String; let improved, recovered, reliablyRecovered, cased: Bool }
        var changes: [String: [Change]] = [:]
        for instrument in Instrument.all {
            // Rows come grouped by member (the key order): first, last and count per run, no dictionaries.
            var runs: [(member: String, first: Double, last: Double, n: Int)] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT member, score FROM checkin WHERE instrument = ? ORDER BY member, ts", arguments: [instrument.name])
            while let row = try rows.next() {
                let m: String = row[0], score: Double = row[1]
                if let last = runs.last, last.member == m {
                    runs[runs.count - 1].last = score
                    runs[runs.count - 1].n += 1
                } else if counted(m) {
                    runs.append((m, score, score, 1))
                }
            }
            changes[instrument.name] = runs.sorted { $0.member < $1.member }.compactMap { run in
                let m = run.member, a = run.first, b = run.last
                guard run.n >= 2 else { return nil }
                let improved = a - b >= instrument.reliable
                let cased = a >= instrument.caseness
                let recovered = cased && b < instrument.caseness
                return Change(member: m, improved: improved, recovered: recovered, reliablyRecovered: recovered && improved, cased: cased)
            }
        }

        // Message authors, once the background scan is done (reached is a set: insertion order does not matter).
        let message = try messageAuthors.value()
        for m in message.authors where counted(m) { reached.insert(m) }
        let conversations = message.threads

        func count(_ key: String, _ sdg: [String], _ n: Int, _ words: String) -> ImpactFigure {
            ImpactFigure(key: key, sdg: sdg, count: n, hits: nil, value: nil, lower: nil, upper: nil, statement: words)
        }
        func rate(_ key: String, _ sdg: [String], _ hits: Int, of total: Int, _ words: String) -> ImpactFigure {
            let p = Proportion.wilson(hits, of: total, level: options.level)
            return ImpactFigure(key: key, sdg: sdg, count: total, hits: hits, value: p?.estimate, lower: p?.interval.lower, upper: p?.interval.upper, statement: words)
        }
        var headline: [ImpactFigure] = [
            count("people_reached", ["3.4", "3.8"], reached.count, "people used the service (any message, check-in, match, group, skill or training)"),
            count("conversations", ["3.4"], conversations, "support conversations were started"),
            count("matches", ["3.4"], matches, "peer-support matches were accepted"),
            count("supporters_trained", ["3.4", "3.8"], trained, "peer supporters completed a training course"),
            rate("crises_responded_within_\(Int(options.crisisResponseMinutes))_minutes", ["3.4.2"], inTime, of: alerts,
                 "crisis alerts reached a human responder within \(Int(options.crisisResponseMinutes)) minutes"),
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
            let improvedMembers = Set((changes.values.flatMap { $0 }).filter(\.improved).map(\.member)).count
            for (key, n, what) in [("cost_per_person_reached", reached.count, "person reached"), ("cost_per_reliable_improvement", improvedMembers, "member who improved reliably")] {
                headline.append(ImpactFigure(key: key, sdg: ["3.4", "3.8"], count: n, hits: nil, value: n > 0 ? cost / Double(n) : nil, lower: nil, upper: nil,
                                             statement: "programme cost (\(options.currency)) per \(what)"))
            }
        }

        // Equity: reach and reliable improvement (PHQ-9) by attribute.
        var equity: [ImpactBreakdown] = []
        let attributes: [(String, (Member) -> String, [String])] = [
            ("gender", \.gender, ["5", "10.2", "17.18"]), ("resource_setting", \.resource, ["10.2", "17.18"]),
            ("region", \.region, ["10.2", "17.18"]), ("age_band", \.ageBand, ["17.18"]),
        ]
        let phq = changes["PHQ-9"] ?? []
        let overallImprovement = phq.isEmpty ? nil : Double(phq.filter(\.improved).count) / Double(phq.count)
        // Each reached member's attributes, looked up once rather than once per attribute.
        let reachedMembers = reached.map { members[$0] }
        for (name, attribute, sdg) in attributes {
            var reach: [String: Int] = [:]
            for m in reachedMembers { reach[m.map(attribute) ?? "(not recorded)", default: 0] += 1 }
            equity.append(breakdown("reach", by: name, sdg: sdg, totals: reach, hits: nil, total: reached.count, overall: nil, level: options.level))
            var groupTotals: [String: Int] = [:], groupHits: [String: Int] = [:]
            for c in phq {
                let g = members[c.member].map(attribute) ?? "(not recorded)"
                groupTotals[g, default: 0] += 1
                if c.improved { groupHits[g, default: 0] += 1 }
            }
            equity.append(breakdown("reliable_improvement_phq9", by: name, sdg: sdg, totals: groupTotals, hits: groupHits, total: phq.count,
                                    overall: overallImprovement, level: options.level))
        }
        return ImpactReport(
            from: Timestamp(microseconds: start).rfc3339, to: Timestamp(microseconds: end).rfc3339, membersExcluded: excluded,
            consentNote: options.includeNonConsenting
                ? "members without research consent are included: the data owner said so"
                : "members without research consent are left out of every figure",
            headline: headline, equity: equity,
            limitations: [
                "Observational data: the figures describe people who used the service; they do not show that the service caused the change.",
                "Outcomes rest on members with two or more check-ins; people who stopped early are not in them and may have done worse.",
                "Reach counts members with any recorded event in the period; it cannot tell how much support each person received.",
            ])
    }

    /// A breakdown: every group with its real count (and, for outcomes, the people with the outcome), its
    /// share of the total (reach) or outcome rate with a Wilson interval, and the rate's difference from the
    /// overall rate. Nothing is withheld here: the document's disclosure policy suppresses small cells, with
    /// complementary suppression against the published totals.
    static func breakdown(_ measure: String, by: String, sdg: [String], totals: [String: Int], hits: [String: Int]?, total: Int,
                          overall: Double?, level: Double) -> ImpactBreakdown {
        var groups: [ImpactGroup] = []
        for (g, n) in totals.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            let x = hits.map { $0[g] ?? 0 }
            let p = x.map { Proportion.wilson($0, of: n, level: level) } ?? Proportion.wilson(n, of: total, level: level)
            groups.append(ImpactGroup(group: g, count: n, hits: x, rate: p?.estimate, lower: p?.interval.lower, upper: p?.interval.upper,
                                      gap: hits != nil ? p.flatMap { q in overall.map { q.estimate - $0 } } : nil))
        }
        return ImpactBreakdown(measure: measure, by: by, sdg: sdg, groups: groups, total: total, totalHits: hits.map { $0.values.reduce(0, +) })
    }
}
