import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// What a mood-outcome analysis is broken down by (`--by`): a member attribute, or an engagement dose.
public enum OutcomeBreakdown: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A member attribute (cohort, condition, culture, region, resource setting, age band, gender, role).
    case attribute(ResearchAttribute)
    /// An engagement dose within the member's outcome window, in ordered bands, with a trend test.
    case dose(EngagementDose)

    /// Parses `cohort`, `condition`, … or `sessions`, `skills`, `matches`.
    public init?(_ text: String) {
        if let a = ResearchAttribute(rawValue: text) { self = .attribute(a) } else if let d = EngagementDose(rawValue: text) { self = .dose(d) } else { return nil }
    }

    /// Every accepted value, for help texts.
    public static var allValues: [String] { ResearchAttribute.allCases.map(\.rawValue) + EngagementDose.allCases.map(\.rawValue) }

    /// The option value.
    public var description: String {
        switch self {
        case .attribute(let a): a.rawValue
        case .dose(let d): d.rawValue
        }
    }
}

/// An engagement dose counted per member between their first and last check-in (inclusive).
public enum EngagementDose: String, Sendable, Codable, CaseIterable {
    /// Group sessions attended plus the sessions of peer matches (as seeker) that started in the window.
    case sessions
    /// Completed skill practices (CBT, DBT, ACT).
    case skills
    /// Accepted peer matches as seeker that started in the window.
    case matches

    /// Band edges: a dose d falls in the band whose lower edge is the largest edge ≤ d.
    var bandEdges: [Int] {
        switch self {
        case .sessions, .skills: [0, 1, 3, 6, 11]
        case .matches: [0, 1, 2, 3]
        }
    }

    /// The band labels (`0`, `1–2`, `3–5`, `6–10`, `11+`).
    var bandLabels: [String] {
        let e = bandEdges
        return e.indices.map { i in
            i == e.count - 1 ? "\(e[i])+" : e[i + 1] - e[i] == 1 ? "\(e[i])" : "\(e[i])–\(e[i + 1] - 1)"
        }
    }

    func band(_ dose: Int) -> Int { bandEdges.lastIndex { $0 <= dose } ?? 0 }
}

/// Options of `peerlens outcomes`.
public struct OutcomesOptions: Sendable {
    /// Instruments to analyse (nil: every instrument with check-ins).
    public var instruments: [String]? = nil
    /// The known instruments with their defaults (built-in plus `peerlens.json`).
    public var catalog = InstrumentCatalog()
    /// Reliability overrides by instrument name (`--reliability PHQ-9=0.84`).
    public var reliability: [String: Double] = [:]
    /// Reference SD overrides by instrument name (`--sd PHQ-9=5.7`).
    public var standardDeviation: [String: Double] = [:]
    /// Members whose last check-in in the window is fewer than this many days after their first are not
    /// analysed (counted as short follow-up).
    public var minimumDays = 0.0
    /// The last check-in used is the last within this many days of the first (nil: no limit).
    public var maximumDays: Double? = nil
    /// Disaggregation.
    public var by: OutcomeBreakdown? = nil
    /// Confidence level.
    public var level = 0.95
    /// Creates default options.
    public init() {}
}

/// How reliable change and recovery were defined for one instrument.
public struct ReliableChangeDefinition: Sendable, Equatable, Codable {
    /// Whether lower scores are better (symptom scales) or higher (well-being scales).
    public let lowerIsBetter: Bool
    /// Reliability r used in S_diff = √2 · SD · √(1 − r) (nil: none known, so no Jacobson–Truax RCI).
    public let reliability: Double?
    /// Where r came from (`built-in default (…)`, `peerlens.json`, `--reliability`).
    public let reliabilitySource: String?
    /// The SD used in S_diff.
    public let standardDeviation: Double?
    /// Where the SD came from (declared, option, or the baseline SD of the analysed members with n − 1).
    public let standardDeviationSource: String?
    /// 1.96 · S_diff: the smallest change that is reliable by the Jacobson–Truax criterion.
    public let jacobsonTruaxThreshold: Double?
    /// Points of change that count as reliable for the service definitions (NHS Talking Therapies' fixed
    /// thresholds where they exist, else the Jacobson–Truax threshold).
    public let serviceThreshold: Double?
    /// Where the service threshold came from.
    public let serviceThresholdSource: String?
    /// Caseness cut-off (a case scores ≥ it on symptom scales, ≤ it on well-being scales); nil: none, so no recovery.
    public let caseness: Double?

    enum CodingKeys: String, CodingKey {
        case lowerIsBetter = "lower_is_better", reliability, reliabilitySource = "reliability_source"
        case standardDeviation = "standard_deviation", standardDeviationSource = "standard_deviation_source"
        case jacobsonTruaxThreshold = "jacobson_truax_threshold", serviceThreshold = "service_threshold"
        case serviceThresholdSource = "service_threshold_source", caseness
    }
}

/// Mean change and reliable improvement under one way of handling members with a single check-in.
public struct OutcomeSensitivity: Sendable, Equatable, Codable {
    /// `completers` (members with two or more check-ins) or `locf` (every member with a check-in; a single
    /// check-in is carried forward, so its change is 0).
    public let analysis: String
    /// Members in the analysis.
    public let members: Int
    /// Mean change (last − first) with its t interval (nil when fewer than 2 members).
    public let meanChange: MeanEstimate?
    /// Share of members with reliable improvement (service definition; nil when the instrument has no
    /// reliable-change threshold).
    public let reliableImprovement: Share?

    enum CodingKeys: String, CodingKey { case analysis, members, meanChange = "mean_change", reliableImprovement = "reliable_improvement" }
}

/// One group of a disaggregated outcome table.
public struct OutcomeGroup: Sendable, Equatable, Codable {
    /// The group label (a dose band such as `3–5`, or an attribute value).
    public let group: String
    /// Members analysed in the group (the real count: disclosure control is the published document's).
    public let members: Int
    /// Mean change with its t interval (nil when fewer than 2 members).
    public let meanChange: MeanEstimate?
    /// Reliable improvement (service definition; nil without a reliable-change threshold).
    public let reliableImprovement: Share?
    /// Recovery among members at caseness at baseline (nil without a caseness cut-off).
    public let recovery: Share?

    enum CodingKeys: String, CodingKey { case group, members, meanChange = "mean_change", reliableImprovement = "reliable_improvement", recovery }
}

/// A test of trend across ordered dose bands.
public struct DoseTrend: Sendable, Equatable, Codable {
    /// Cochran–Armitage test of reliable improvement across the bands (scores 0, 1, 2, …).
    public let improvementTrend: TrendTestResult?
    /// Slope of change (last − first) per band, from least squares of change on the band score, adjusted for
    /// the baseline score; with its t interval and p-value.
    public let changePerBand: Double?
    /// Interval of the slope.
    public let changePerBandInterval: ConfidenceInterval?
    /// Two-sided p-value of the slope.
    public let changePerBandP: Double?
    /// Why a part could not be computed.
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case improvementTrend = "improvement_trend", changePerBand = "change_per_band"
        case changePerBandInterval = "change_per_band_interval", changePerBandP = "change_per_band_p", notes
    }
}

/// A disaggregated outcome table.
public struct OutcomeBreakdownTable: Sendable, Equatable, Codable {
    /// What the table is broken down by.
    public let by: String
    /// The groups, in band order for doses, largest first for attributes.
    public let groups: [OutcomeGroup]
    /// For doses: the trend across bands.
    public let trend: DoseTrend?
}

/// Outcomes of one instrument: first vs last check-in per member.
public struct InstrumentOutcomes: Sendable, Equatable, Codable {
    /// Instrument name.
    public let instrument: String
    /// How reliable change and recovery were defined.
    public let definition: ReliableChangeDefinition
    /// Consenting members with at least one check-in on the instrument.
    public let membersWithCheckins: Int
    /// Of them, members with a single check-in (in the window): the attrition.
    public let membersWithOneCheckin: Int
    /// Members with two or more check-ins whose follow-up was shorter than the minimum.
    public let membersWithShortFollowUp: Int
    /// Members analysed (two or more check-ins in the window, follow-up at least the minimum).
    public let membersAnalysed: Int
    /// Median days from first to last check-in of the analysed members.
    public let medianFollowUpDays: Double?
    /// Baseline (first check-in) mean with t interval.
    public let baseline: MeanEstimate?
    /// Final (last check-in) mean with t interval.
    public let final: MeanEstimate?
    /// Mean change last − first with its t interval (negative is improvement on symptom scales).
    public let change: MeanEstimate?
    /// Paired t test of last vs first.
    public let pairedT: TTestResult?
    /// Wilcoxon signed-rank test of last vs first (normal approximation with continuity correction for
    /// n > 50 or ties, as R's `wilcox.test`).
    public let wilcoxon: RankTestResult?
    /// Standardised mean change (last − first): Cohen's d_z and Hedges' g, standardised by the SD of the
    /// differences (`standardiser` says so), with normal-approximation intervals.
    public let effectSize: EffectSize?
    /// Jacobson–Truax: |RCI| ≥ 1.96 in the better direction.
    public let rciImproved: Share?
    /// Jacobson–Truax: |RCI| ≥ 1.96 in the worse direction.
    public let rciDeteriorated: Share?
    /// Service definition: change in the better direction of at least the service threshold.
    public let reliableImprovement: Share?
    /// Service definition: change in the worse direction of at least the service threshold.
    public let reliableDeterioration: Share?
    /// Members at caseness at baseline (the denominator of recovery).
    public let atCaseness: Int?
    /// At caseness at baseline and not at the end, among those at caseness at baseline.
    public let recovery: Share?
    /// Recovery together with reliable improvement, among those at caseness at baseline.
    public let reliableRecovery: Share?
    /// Completers vs last observation carried forward.
    public let sensitivity: [OutcomeSensitivity]
    /// The disaggregation, when asked for.
    public let breakdown: OutcomeBreakdownTable?
    /// What could not be computed, and why.
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case instrument, definition, membersWithCheckins = "members_with_checkins", membersWithOneCheckin = "members_with_one_checkin"
        case membersWithShortFollowUp = "members_with_short_follow_up", membersAnalysed = "members_analysed"
        case medianFollowUpDays = "median_follow_up_days", baseline, final, change, pairedT = "paired_t", wilcoxon
        case effectSize = "effect_size", rciImproved = "rci_improved", rciDeteriorated = "rci_deteriorated"
        case reliableImprovement = "reliable_improvement", reliableDeterioration = "reliable_deterioration"
        case atCaseness = "at_caseness", recovery, reliableRecovery = "reliable_recovery", sensitivity, breakdown, notes
    }
}

/// Mood outcomes (`peerlens outcomes`): change from first to last check-in, reliable change (Jacobson &
/// Truax 1991) and the NHS Talking Therapies definitions of reliable improvement, deterioration, recovery and
/// reliable recovery, with attrition, a completers vs LOCF sensitivity analysis and disaggregation.
public struct OutcomesReport: Sendable, Equatable, Codable {
    /// First event in the store.
    public let from: String
    /// End of the data.
    public let to: String
    /// Members left out for lack of research consent.
    public let membersExcluded: Int
    /// The consent sentence.
    public let consentNote: String
    /// The check-in window in words.
    public let window: String
    /// One entry per instrument, by name.
    public let instruments: [InstrumentOutcomes]
    /// Whole-report notes (no check-ins, unknown instruments).
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", consentNote = "consent_note"
        case window, instruments, notes
    }
}

/// One member's outcome on one instrument.
struct MemberOutcome {
    let member: Int32
    let firstTs: Int64, lastTs: Int64
    let first: Double, last: Double
}

/// Check-ins per member of one instrument, first and last in the window.
struct CheckinSeries {
    /// Members with two or more check-ins in the window and at least the minimum follow-up.
    var analysed: [MemberOutcome] = []
    /// Members with exactly one check-in (their baseline).
    var single: [(member: Int32, score: Double)] = []
    /// Members whose follow-up was shorter than the minimum.
    var shortFollowUp = 0

    static func load(_ db: Database, instrument: String, population: ResearchPopulation, minimumDays: Double, maximumDays: Double?) throws -> CheckinSeries {
        var series = CheckinSeries()
        let rows = try Row.fetchCursor(db, sql: "SELECT member, ts, score FROM checkin WHERE instrument = ? ORDER BY member, ts", arguments: [instrument])
        var current: Int32? = nil, currentID = ""
        var first: (Int64, Double) = (0, 0), last: (Int64, Double) = (0, 0), count = 0
        let limit = maximumDays.map { Int64($0 * Double(microsecondsPerDay)) }
        func flush() {
            guard let m = current else { return }
            if count == 1 {
                series.single.append((m, first.1))
            } else if Double(last.0 - first.0) < minimumDays * Double(microsecondsPerDay) {
                series.shortFollowUp += 1
            } else {
                series.analysed.append(MemberOutcome(member: m, firstTs: first.0, lastTs: last.0, first: first.1, last: last.1))
            }
        }
        while let row = try rows.next() {
            let id: String = row[0]
            if id != currentID {
                flush()
                currentID = id
                current = population.index[id]
                count = 0
            }
            guard current != nil else { continue }
            let point = (row[1] as Int64, row[2] as Double)
            if count == 0 { first = point; last = point; count = 1; continue }
            if let limit, point.0 - first.0 > limit { continue }
            last = point
            count += 1
        }
        flush()
        return series
    }
}

extension OutcomesOptions: ResearchOptions {
    /// - Throws: `ResearchError` for options the analysis cannot run with.
    public func validate() throws {
        guard minimumDays >= 0, minimumDays.isFinite else { throw ResearchError("the minimum follow-up must be zero or more days") }
        if let maximum = maximumDays {
            guard maximum > 0, maximum.isFinite, maximum >= minimumDays else {
                throw ResearchError("the window must be a positive number of days, at least the minimum follow-up")
            }
        }
        for (name, r) in reliability where !(r >= 0 && r < 1) { throw ResearchError("the reliability of \(name) must be in [0, 1)") }
        for (name, sd) in standardDeviation where !(sd > 0 && sd.isFinite) { throw ResearchError("the SD of \(name) must be positive") }
    }
}

extension OutcomesReport: ResearchAnalysis {
    public static func analyse(_ db: Database, options: OutcomesOptions) throws -> OutcomesReport {
        let population = try ResearchPopulation.load(db, for: "outcome analyses")
        let present = try EventStore.instruments(db)
        var notes: [String] = []
        var names = options.instruments ?? present
        if let asked = options.instruments {
            for name in asked where !present.isEmpty {
                try UnknownValueError.check(option: "--instrument", value: name, known: present, knownDescription: "instruments with check-ins in the store")
            }
            for name in asked where !present.contains(name) { notes.append("\(name): no check-ins in the store") }
            names = asked.filter(present.contains)
        }
        if present.isEmpty { notes.append("the store holds no check-ins, so there are no mood outcomes to report") }
        let doses = try options.by.flatMap { by -> DoseCounter? in
            if case .dose(let d) = by { return try DoseCounter.load(db, dose: d, population: population) }
            return nil
        }
        var results: [InstrumentOutcomes] = []
        for name in names {
            let series = try CheckinSeries.load(db, instrument: name, population: population, minimumDays: options.minimumDays, maximumDays: options.maximumDays)
            let instrument = options.catalog[name] ?? Instrument(name: name, minimum: -.infinity, maximum: .infinity)
            results.append(InstrumentAnalysis(instrument: instrument, series: series, options: options, population: population, doses: doses).run())
        }
        var window = "first vs last check-in per member with two or more"
        if options.minimumDays > 0 { window += ", at least \(Self.days(options.minimumDays)) days apart" }
        if let maximum = options.maximumDays { window += ", the last within \(Self.days(maximum)) days of the first" }
        return OutcomesReport(from: Timestamp.text(population.dataStart), to: Timestamp.text(population.dataEnd),
                              membersExcluded: population.excluded, consentNote: population.consentNote,
                              window: window, instruments: results, notes: notes)
    }

    static func days(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
}

/// The analysis of one instrument's series.
struct InstrumentAnalysis {
    let instrument: Instrument
    let series: CheckinSeries
    let options: OutcomesOptions
    let population: ResearchPopulation
    let doses: DoseCounter?

    var lowerIsBetter: Bool { !instrument.higherIsBetter }

    /// Improvement in points: positive when the member got better.
    func improvement(_ o: MemberOutcome) -> Double { lowerIsBetter ? o.first - o.last : o.last - o.first }

    func isCase(_ score: Double) -> Bool? {
        guard let c = instrument.caseness else { return nil }
        return lowerIsBetter ? score >= c : score <= c
    }

    func run() -> InstrumentOutcomes {
        var notes: [String] = []
        let analysed = series.analysed
        let n = analysed.count
        let definition = self.definition(notes: &notes)
        // An evaluability minimum, not disclosure control: a mean and its interval need two members.
        let shown = n >= 2
        if n == 0 {
            notes.append(series.single.isEmpty ? "no member has two or more check-ins" : "every member has a single check-in in the window: change cannot be measured")
        } else if !shown {
            notes.append("too few members have two or more check-ins to estimate change")
        }
        let first = analysed.map(\.first), last = analysed.map(\.last)
        let changes = analysed.map { $0.last - $0.first }
        func attempt<T>(_ what: String, _ body: () throws -> T) -> T? {
            guard shown else { return nil }
            do { return try body() } catch { notes.append("\(what) not computed: \(error)"); return nil }
        }
        let baseline = attempt("baseline mean") { try MeanEstimate.t(first, level: options.level) }
        let final = attempt("final mean") { try MeanEstimate.t(last, level: options.level) }
        let change = attempt("mean change") { try MeanEstimate.t(changes, level: options.level) }
        let pairedT = attempt("paired t test") { try MeanTests.pairedT(last, first, level: options.level) }
        let wilcoxon = attempt("Wilcoxon signed-rank test") { try RankTests.signedRank(last, first) }
        let effect = attempt("effect size") { try EffectSize.paired(last, first, level: options.level) }

        var rciImproved: Share?, rciDeteriorated: Share?
        if shown, let threshold = definition.jacobsonTruaxThreshold {
            let better = analysed.filter { improvement($0) >= threshold }.count
            let worse = analysed.filter { -improvement($0) >= threshold }.count
            rciImproved = Share(better, of: n)
            rciDeteriorated = Share(worse, of: n)
        }
        var improved: Share?, deteriorated: Share?, recovery: Share?, reliableRecovery: Share?, atCaseness: Int?
        if shown, let threshold = definition.serviceThreshold {
            improved = Share(analysed.filter { improvement($0) >= threshold }.count, of: n)
            deteriorated = Share(analysed.filter { -improvement($0) >= threshold }.count, of: n)
        }
        if shown, instrument.caseness != nil {
            let cases = analysed.filter { isCase($0.first) == true }
            atCaseness = cases.count
            let recovered = cases.filter { isCase($0.last) == false }
            recovery = Share(recovered.count, of: cases.count)
            if let threshold = definition.serviceThreshold {
                reliableRecovery = Share(recovered.filter { improvement($0) >= threshold }.count, of: cases.count)
            }
        } else if instrument.caseness == nil {
            notes.append("\(instrument.name) has no caseness cut-off: recovery is not defined (declare `caseness` in peerlens.json)")
        }
        let followUps = analysed.map { Double($0.lastTs - $0.firstTs) / Double(microsecondsPerDay) }.sorted()
        return InstrumentOutcomes(
            instrument: instrument.name, definition: definition,
            membersWithCheckins: series.analysed.count + series.single.count + series.shortFollowUp,
            membersWithOneCheckin: series.single.count, membersWithShortFollowUp: series.shortFollowUp, membersAnalysed: n,
            medianFollowUpDays: shown ? Bootstrap.quantile(followUps, 0.5) : nil,
            baseline: baseline, final: final, change: change, pairedT: pairedT, wilcoxon: wilcoxon, effectSize: effect,
            rciImproved: rciImproved, rciDeteriorated: rciDeteriorated, reliableImprovement: improved, reliableDeterioration: deteriorated,
            atCaseness: atCaseness, recovery: recovery, reliableRecovery: reliableRecovery,
            sensitivity: shown ? sensitivity(threshold: definition.serviceThreshold) : [],
            breakdown: shown ? breakdown(threshold: definition.serviceThreshold) : nil,
            notes: notes)
    }

    func definition(notes: inout [String]) -> ReliableChangeDefinition {
        let name = instrument.name
        var r: Double? = instrument.reliability, rSource: String? = r == nil ? nil : "instrument definition"
        if Instrument.builtIn.contains(where: { $0 == instrument }), r != nil { rSource = "built-in default, published Cronbach's α" }
        if let override = options.reliability[name] { r = override; rSource = "--reliability" }
        var sd: Double? = instrument.standardDeviation, sdSource: String? = sd == nil ? nil : "instrument definition"
        if let override = options.standardDeviation[name] { sd = override; sdSource = "--sd" }
        if sd == nil, let s = try? MeanEstimate.t(series.analysed.map(\.first)).standardDeviation, s > 0 {
            sd = s; sdSource = "baseline SD of the analysed members (n − 1)"
        }
        var jt: Double? = nil
        if let r, let sd { jt = try? ReliableChange.threshold(standardDeviation: sd, reliability: r) }
        if r == nil { notes.append("\(name) has no known reliability: the Jacobson–Truax index is not computed (give --reliability \(name)=r)") }
        let service = instrument.reliableChange ?? jt
        let serviceSource = instrument.reliableChange != nil
            ? (Instrument.builtIn.contains(where: { $0 == instrument }) ? "NHS Talking Therapies fixed threshold" : "instrument definition")
            : jt != nil ? "Jacobson–Truax threshold 1.96·S_diff" : nil
        return ReliableChangeDefinition(lowerIsBetter: lowerIsBetter, reliability: r, reliabilitySource: rSource, standardDeviation: sd,
                                        standardDeviationSource: sdSource, jacobsonTruaxThreshold: jt, serviceThreshold: service,
                                        serviceThresholdSource: serviceSource, caseness: instrument.caseness)
    }

    func sensitivity(threshold: Double?) -> [OutcomeSensitivity] {
        let completerChanges = series.analysed.map { $0.last - $0.first }
        let locfChanges = completerChanges + series.single.map { _ in 0.0 }
        func improvedCount(_ list: [Double]) -> Int {
            guard let threshold else { return 0 }
            return list.filter { (lowerIsBetter ? -$0 : $0) >= threshold }.count
        }
        return [("completers", completerChanges), ("locf", locfChanges)].map { name, list in
            OutcomeSensitivity(analysis: name, members: list.count,
                               meanChange: list.count >= 2 ? try? MeanEstimate.t(list, level: options.level) : nil,
                               reliableImprovement: threshold == nil ? nil : Share(improvedCount(list), of: list.count))
        }
    }

    func breakdown(threshold: Double?) -> OutcomeBreakdownTable? {
        guard let by = options.by else { return nil }
        let analysed = series.analysed
        var labels: [String]
        var groupOf: [Int]
        switch by {
        case .attribute(let attribute):
            let values = analysed.map { population.attribute(attribute, of: Int($0.member)) }
            var sizes: [String: Int] = [:]
            for v in values { sizes[v, default: 0] += 1 }
            labels = sizes.keys.sorted { (sizes[$0]!, $1) > (sizes[$1]!, $0) }
            let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
            groupOf = values.map { position[$0]! }
        case .dose(let dose):
            labels = dose.bandLabels
            groupOf = analysed.map { dose.band(doses?.count(member: $0.member, from: $0.firstTs, to: $0.lastTs) ?? 0) }
        }
        var members = [[MemberOutcome]](repeating: [], count: labels.count)
        for (o, g) in zip(analysed, groupOf) { members[g].append(o) }
        let groups: [OutcomeGroup] = labels.indices.map { g in
            let list = members[g]
            let improved = threshold.map { t in list.filter { improvement($0) >= t }.count }
            let cases = list.filter { isCase($0.first) == true }
            return OutcomeGroup(
                group: labels[g], members: list.count,
                meanChange: list.count >= 2 ? try? MeanEstimate.t(list.map { $0.last - $0.first }, level: options.level) : nil,
                reliableImprovement: improved.map { Share($0, of: list.count) },
                recovery: instrument.caseness == nil ? nil : Share(cases.filter { isCase($0.last) == false }.count, of: cases.count))
        }
        var trend: DoseTrend? = nil
        if case .dose = by { trend = doseTrend(groupOf: groupOf, bands: labels.count, threshold: threshold) }
        return OutcomeBreakdownTable(by: by.description, groups: groups, trend: trend)
    }

    func doseTrend(groupOf: [Int], bands: Int, threshold: Double?) -> DoseTrend {
        var notes: [String] = []
        let analysed = series.analysed
        var trendTest: TrendTestResult? = nil
        if let threshold {
            var successes = [Int](repeating: 0, count: bands), totals = [Int](repeating: 0, count: bands)
            for (o, g) in zip(analysed, groupOf) {
                totals[g] += 1
                if improvement(o) >= threshold { successes[g] += 1 }
            }
            let used = totals.indices.filter { totals[$0] > 0 }
            do {
                trendTest = try TrendTests.cochranArmitage(successes: used.map { successes[$0] }, totals: used.map { totals[$0] },
                                                           scores: used.map(Double.init))
            } catch { notes.append("trend in reliable improvement not computed: \(error)") }
        }
        var slope: Double?, interval: ConfidenceInterval?, p: Double?
        do {
            let fit = try LinearRegression.fit(predictors: zip(analysed, groupOf).map { [Double($1), $0.first] },
                                               outcomes: analysed.map { $0.last - $0.first }, names: ["band", "baseline"])
            let i = fit.index(of: "band")!
            slope = fit.coefficients[i]
            interval = fit.confidenceInterval(i, level: options.level)
            p = fit.pValue(i)
        } catch { notes.append("trend in change not computed: \(error)") }
        return DoseTrend(improvementTrend: trendTest, changePerBand: slope, changePerBandInterval: interval, changePerBandP: p, notes: notes)
    }
}

/// Per-member engagement events with times, to count a dose within a window.
struct DoseCounter {
    /// Event times (and weights: sessions per match) per member, sorted by time.
    var events: [Int32: [(ts: Int64, amount: Int)]] = [:]

    static func load(_ db: Database, dose: EngagementDose, population: ResearchPopulation) throws -> DoseCounter {
        var counter = DoseCounter()
        func add(_ sql: String) throws {
            let rows = try Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                guard let m = population.index[row[0] as String] else { continue }
                counter.events[m, default: []].append((row[1], row[2]))
            }
        }
        switch dose {
        case .sessions:
            try add("SELECT a.member, s.ts, 1 FROM group_attendee a JOIN group_session s ON s.group_id = a.group_id AND s.session = a.session")
            try add("SELECT m.seeker, m.ts, coalesce(e.sessions, 0) FROM \"match\" m LEFT JOIN match_end e ON e.\"match\" = m.id WHERE m.accepted = 1")
        case .skills:
            try add("SELECT member, ts, 1 FROM skill WHERE completed = 1")
        case .matches:
            try add("SELECT seeker, ts, 1 FROM \"match\" WHERE accepted = 1")
        }
        for key in counter.events.keys { counter.events[key]!.sort { $0.ts < $1.ts } }
        return counter
    }

    /// The dose of `member` with times in [from, to].
    func count(member: Int32, from: Int64, to: Int64) -> Int {
        guard let list = events[member] else { return 0 }
        return list.lazy.filter { $0.ts >= from && $0.ts <= to }.map(\.amount).reduce(0, +)
    }
}
