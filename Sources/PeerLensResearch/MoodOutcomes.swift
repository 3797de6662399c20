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
    /// The follow-up that was due: a member with a single check-in is a non-completer (attrition) only when
    /// their first check-in was at least this many days before the end of the data, so that a second one was
    /// due; otherwise their follow-up was not yet due and they are left out of completers, LOCF and attrition.
    /// Members with two or more check-ins fewer than this many days apart are not analysed either (short
    /// follow-up). Default 14, the shortest interval between the platform's check-ins.
    public var minimumDays = 14.0
    /// The last check-in used is the last within this many days of the first (nil: no limit).
    public var maximumDays: Double? = nil
    /// Outcomes at a fixed time: the follow-up score is the check-in nearest this many days after the first,
    /// within `atWindow` days of it (nil: the last check-in). Members without one are not paired at this time.
    public var atDays: Double? = nil
    /// Half-width in days of the window around `atDays`.
    public var atWindow = 7.0
    /// The combined NHS Talking Therapies outcomes pair a member's PHQ-9 and GAD-7 series only when their
    /// first check-ins are at most this many days apart.
    public var pairWithinDays = 7.0
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
    /// Of them, members with a single check-in (in the window; with `atDays`, none in the window around it) whose
    /// follow-up was due before the end of the data: the attrition, carried forward in the LOCF analysis.
    public let membersWithOneCheckin: Int
    /// Members with a single check-in (or, with `atDays`, none in its window) whose follow-up was not yet due at
    /// the end of the data (first check-in fewer than `minimumDays`, or `atDays` + `atWindow`, days before it):
    /// left out of completers, LOCF and attrition.
    public let membersNotYetDue: Int
    /// Members with two or more check-ins whose follow-up was shorter than the minimum.
    public let membersWithShortFollowUp: Int
    /// Members analysed (two or more check-ins in the window, follow-up at least the minimum).
    public let membersAnalysed: Int
    /// Median days from first to last (or, with `atDays`, the paired) check-in of the analysed members.
    public let medianFollowUpDays: Double?
    /// Lower quartile of the follow-up days (type-7 quantile, as R's default and numpy's `quantile`).
    public let followUpLowerQuartileDays: Double?
    /// Upper quartile of the follow-up days.
    public let followUpUpperQuartileDays: Double?
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
    /// Standardised mean change (last − first) over the SD of the differences: d_z (`cohensD`) and its small-sample
    /// corrected g_z (`hedgesG`), with normal-approximation intervals. Not comparable with published pre–post
    /// benchmarks, which standardise by the baseline SD (`baselineEffectSize`).
    public let effectSize: EffectSize?
    /// Standardised mean change over the SD of the first scores (Becker 1988), with its interval: the effect
    /// size comparable with published pre–post benchmarks.
    public let baselineEffectSize: StandardisedMeanChange?
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
        case membersNotYetDue = "members_not_yet_due"
        case membersWithShortFollowUp = "members_with_short_follow_up", membersAnalysed = "members_analysed"
        case medianFollowUpDays = "median_follow_up_days", followUpLowerQuartileDays = "follow_up_lower_quartile_days"
        case followUpUpperQuartileDays = "follow_up_upper_quartile_days", baseline, final, change, pairedT = "paired_t", wilcoxon
        case effectSize = "effect_size", baselineEffectSize = "baseline_effect_size", rciImproved = "rci_improved", rciDeteriorated = "rci_deteriorated"
        case reliableImprovement = "reliable_improvement", reliableDeterioration = "reliable_deterioration"
        case atCaseness = "at_caseness", recovery, reliableRecovery = "reliable_recovery", sensitivity, breakdown, notes
    }
}

/// PHQ-9 and GAD-7 scored together as NHS Talking Therapies does (NHS Talking Therapies Manual; NHS Digital,
/// Psychological Therapies: reports on the use of IAPT services, "Recovery", "Reliable improvement" definitions):
/// a member is at caseness at the start when PHQ-9 ≥ 10 or GAD-7 ≥ 8; recovered when at caseness at the start and
/// below caseness on both at the end; reliably improved when at least one measure fell reliably (PHQ-9 by ≥ 6,
/// GAD-7 by ≥ 4 points) and neither rose reliably; reliably deteriorated in the mirror case; reliably recovered
/// when both recovered and reliably improved. Recovery and reliable recovery are over the members at caseness at
/// the start; reliable improvement and deterioration over every paired member, as NHS Talking Therapies counts
/// them. A member is paired when both measures have an analysed first/last pair whose first check-ins are at most
/// `pairWithinDays` apart. Cut-offs and thresholds come from the instrument catalog (built-in values above).
public struct CombinedOutcomes: Sendable, Equatable, Codable {
    /// `nhs_talking_therapies`.
    public let definition: String
    /// The greatest number of days between the two measures' first check-ins for a member to be paired.
    public let pairWithinDays: Double
    /// Members with both measures analysed whose first check-ins are further apart: not paired.
    public let membersNotPaired: Int
    /// Members with both measures paired.
    public let members: Int
    /// Of them, at caseness at the start on either measure (the denominator of recovery).
    public let atCaseness: Int
    /// At caseness at the start and below caseness on both measures at the end, among those at caseness.
    public let recovery: Share
    /// A reliable fall on at least one measure and a reliable rise on neither, among all paired members.
    public let reliableImprovement: Share
    /// A reliable rise on at least one measure and a reliable fall on neither, among all paired members.
    public let reliableDeterioration: Share
    /// Recovered and reliably improved, among those at caseness at the start.
    public let reliableRecovery: Share

    enum CodingKeys: String, CodingKey {
        case definition, pairWithinDays = "pair_within_days", membersNotPaired = "members_not_paired", members
        case atCaseness = "at_caseness", recovery, reliableImprovement = "reliable_improvement"
        case reliableDeterioration = "reliable_deterioration", reliableRecovery = "reliable_recovery"
    }

    /// The combined outcomes of members analysed on PHQ-9 (`depression`) and GAD-7 (`anxiety`).
    static func compute(depression: [MemberOutcome], anxiety: [MemberOutcome], depressionInstrument: Instrument, anxietyInstrument: Instrument,
                        pairWithinDays: Double) -> CombinedOutcomes? {
        guard let dCase = depressionInstrument.caseness, let dReliable = depressionInstrument.reliableChange,
              let aCase = anxietyInstrument.caseness, let aReliable = anxietyInstrument.reliableChange,
              !depressionInstrument.higherIsBetter, !anxietyInstrument.higherIsBetter else { return nil }
        let anxietyByMember = Dictionary(anxiety.map { ($0.member, $0) }, uniquingKeysWith: { a, _ in a })
        let limit = pairWithinDays * Double(microsecondsPerDay)
        var notPaired = 0, members = 0, cases = 0, recovered = 0, improved = 0, deteriorated = 0, reliablyRecovered = 0
        for d in depression {
            guard let a = anxietyByMember[d.member] else { continue }
            guard Double(abs(d.firstTs - a.firstTs)) <= limit else { notPaired += 1; continue }
            members += 1
            let fell = d.first - d.last >= dReliable || a.first - a.last >= aReliable
            let rose = d.last - d.first >= dReliable || a.last - a.first >= aReliable
            let better = fell && !rose
            if better { improved += 1 }
            if rose && !fell { deteriorated += 1 }
            guard d.first >= dCase || a.first >= aCase else { continue }
            cases += 1
            if d.last < dCase && a.last < aCase {
                recovered += 1
                if better { reliablyRecovered += 1 }
            }
        }
        return CombinedOutcomes(definition: "nhs_talking_therapies", pairWithinDays: pairWithinDays, membersNotPaired: notPaired, members: members,
                                atCaseness: cases, recovery: Share(recovered, of: cases), reliableImprovement: Share(improved, of: members),
                                reliableDeterioration: Share(deteriorated, of: members), reliableRecovery: Share(reliablyRecovered, of: cases))
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
    /// PHQ-9 and GAD-7 scored together by the NHS Talking Therapies definitions (nil unless both were analysed).
    public let combined: CombinedOutcomes?
    /// Whole-report notes (no check-ins, unknown instruments).
    public let notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, membersExcluded = "members_excluded", consentNote = "consent_note"
        case window, instruments, combined, notes
    }
}

/// One member's outcome on one instrument.
struct MemberOutcome {
    let member: Int32
    let firstTs: Int64, lastTs: Int64
    let first: Double, last: Double
}

/// Check-ins per member of one instrument: the first, and the last in the window (or the one nearest `atDays`).
struct CheckinSeries {
    /// Members with a follow-up check-in in the window and at least the minimum follow-up.
    var analysed: [MemberOutcome] = []
    /// Members with no follow-up check-in although one was due (their baseline): the attrition.
    var single: [(member: Int32, score: Double)] = []
    /// Members with no follow-up check-in whose follow-up was not yet due at the end of the data.
    var notYetDue = 0
    /// Members whose follow-up was shorter than the minimum.
    var shortFollowUp = 0

    /// First vs last check-in (within `maximumDays` of the first), with no due rule unless `minimumDays` > 0.
    static func load(_ source: any EventSource, instrument: String, population: ResearchPopulation, minimumDays: Double, maximumDays: Double?) throws -> CheckinSeries {
        var options = OutcomesOptions()
        options.minimumDays = minimumDays
        options.maximumDays = maximumDays
        return try load(source, instrument: instrument, population: population, options: options)
    }

    static func load(_ source: any EventSource, instrument: String, population: ResearchPopulation, options: OutcomesOptions) throws -> CheckinSeries {
        var series = CheckinSeries()
        let day = Double(microsecondsPerDay)
        var current: Int32? = nil, currentID = ""
        var points: [(ts: Int64, score: Double)] = []
        let limit = options.maximumDays.map { Int64($0 * day) }
        func flush() {
            guard let m = current, let first = points.first else { return }
            // Days from the first check-in to the end of the data: whether a follow-up could have happened.
            let elapsed = Double(population.dataEnd - first.ts) / day
            var follow: (ts: Int64, score: Double)? = nil
            let due: Double
            if let at = options.atDays {
                // The check-in nearest `at` days after the first, within the window (the earlier one on a tie).
                let target = Double(first.ts) + at * day, halfWidth = options.atWindow * day
                for p in points.dropFirst() where p.ts > first.ts && abs(Double(p.ts) - target) <= halfWidth {
                    if follow == nil || abs(Double(p.ts) - target) < abs(Double(follow!.ts) - target) { follow = p }
                }
                // Not yet due while the window had not closed by the end of the data.
                due = at + options.atWindow
            } else {
                for p in points.dropFirst() where p.ts > first.ts {
                    if let limit, p.ts - first.ts > limit { break }
                    follow = p
                }
                due = options.minimumDays
            }
            guard let last = follow else {
                if elapsed < due { series.notYetDue += 1 } else { series.single.append((m, first.score)) }
                return
            }
            if options.atDays == nil, Double(last.ts - first.ts) < options.minimumDays * day {
                series.shortFollowUp += 1
            } else {
                series.analysed.append(MemberOutcome(member: m, firstTs: first.ts, lastTs: last.ts, first: first.score, last: last.score))
            }
        }
        // Every check-in of the instrument, in member order.
        try source.forEachRow(of: .checkins(instrument: instrument)) { row in
            let id = row.bytes(0)
            if !currentID.utf8.elementsEqual(id) {
                flush()
                currentID = String(decoding: id, as: UTF8.self)
                current = population.index[currentID]
                points.removeAll(keepingCapacity: true)
            }
            guard current != nil else { return }
            points.append((row.int64(1), row.double(2)))
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
        if let at = atDays {
            guard at > 0, at.isFinite else { throw ResearchError("the time of the outcome (--at-days) must be a positive number of days") }
            guard maximumDays == nil else { throw ResearchError("--at-days and --max-days choose the follow-up check-in in different ways: give one of them") }
        }
        guard atWindow >= 0, atWindow.isFinite else { throw ResearchError("the window around --at-days must be zero or more days") }
        guard pairWithinDays >= 0, pairWithinDays.isFinite else { throw ResearchError("the pairing window of PHQ-9 and GAD-7 must be zero or more days") }
        for (name, r) in reliability where !(r >= 0 && r < 1) { throw ResearchError("the reliability of \(name) must be in [0, 1)") }
        for (name, sd) in standardDeviation where !(sd > 0 && sd.isFinite) { throw ResearchError("the SD of \(name) must be positive") }
    }
}

extension OutcomesReport: ResearchAnalysis {
    public static func analyse(_ source: any EventSource, options: OutcomesOptions) throws -> OutcomesReport {
        let population = try ResearchPopulation.load(source, for: "outcome analyses")
        let present = try source.instruments()
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
            if case .dose(let d) = by { return try DoseCounter.load(source, dose: d, population: population) }
            return nil
        }
        var results: [InstrumentOutcomes] = []
        var analysed: [String: [MemberOutcome]] = [:]
        for name in names {
            let series = try CheckinSeries.load(source, instrument: name, population: population, options: options)
            let instrument = options.catalog[name] ?? Instrument(name: name, minimum: -.infinity, maximum: .infinity)
            results.append(InstrumentAnalysis(instrument: instrument, series: series, options: options, population: population, doses: doses).run())
            analysed[name] = series.analysed
        }
        var combined: CombinedOutcomes? = nil
        if let depression = analysed["PHQ-9"], let anxiety = analysed["GAD-7"], let phq = options.catalog["PHQ-9"], let gad = options.catalog["GAD-7"] {
            combined = CombinedOutcomes.compute(depression: depression, anxiety: anxiety, depressionInstrument: phq, anxietyInstrument: gad,
                                                pairWithinDays: options.pairWithinDays)
            if combined == nil { notes.append("the combined NHS Talking Therapies outcomes need caseness cut-offs and reliable change thresholds for PHQ-9 and GAD-7 (lower is better)") }
        }
        var window: String
        if let at = options.atDays {
            window = "first check-in vs the one nearest \(Self.days(at)) days later (within ±\(Self.days(options.atWindow)) days)"
        } else {
            window = "first vs last check-in per member with two or more"
            if options.minimumDays > 0 { window += ", at least \(Self.days(options.minimumDays)) days apart" }
            if let maximum = options.maximumDays { window += ", the last within \(Self.days(maximum)) days of the first" }
        }
        return OutcomesReport(from: Timestamp.text(population.dataStart), to: Timestamp.text(population.dataEnd),
                              membersExcluded: population.excluded, consentNote: population.consentNote,
                              window: window, instruments: results, combined: combined, notes: notes)
    }

    /// A number of days for prose: `14`, or `10.5` when not whole.
    public static func days(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
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
            if let at = options.atDays {
                notes.append("no member has a check-in within \(OutcomesReport.days(options.atWindow)) days of day \(OutcomesReport.days(at)) after their first: change at that time cannot be measured")
            } else {
                notes.append(series.single.isEmpty && series.notYetDue == 0 ? "no member has two or more check-ins" : "every member has a single check-in in the window: change cannot be measured")
            }
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
        let effect = attempt("effect size d_z") { try EffectSize.paired(last, first, level: options.level) }
        let baselineEffect = attempt("effect size standardised by the baseline SD") {
            try StandardisedMeanChange.baselineStandardised(before: first, after: last, level: options.level)
        }

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
            membersWithCheckins: series.analysed.count + series.single.count + series.notYetDue + series.shortFollowUp,
            membersWithOneCheckin: series.single.count, membersNotYetDue: series.notYetDue, membersWithShortFollowUp: series.shortFollowUp, membersAnalysed: n,
            medianFollowUpDays: shown ? Bootstrap.quantile(followUps, 0.5) : nil,
            followUpLowerQuartileDays: shown ? Bootstrap.quantile(followUps, 0.25) : nil,
            followUpUpperQuartileDays: shown ? Bootstrap.quantile(followUps, 0.75) : nil,
            baseline: baseline, final: final, change: change, pairedT: pairedT, wilcoxon: wilcoxon, effectSize: effect, baselineEffectSize: baselineEffect,
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
        if let override = options.reliability[name] { r = override; rSource = "given in the options" }
        var sd: Double? = instrument.standardDeviation, sdSource: String? = sd == nil ? nil : "instrument definition"
        if let override = options.standardDeviation[name] { sd = override; sdSource = "given in the options" }
        if sd == nil, let s = try? MeanEstimate.t(series.analysed.map(\.first)).standardDeviation, s > 0 {
            sd = s; sdSource = "baseline SD of the analysed members (n − 1)"
        }
        var jt: Double? = nil
        if let r, let sd { jt = try? ReliableChange.threshold(standardDeviation: sd, reliability: r) }
        if r == nil { notes.append("\(name) has no known reliability: the Jacobson–Truax index is not computed (a reliability for it can be given in the options)") }
        let service = instrument.reliableChange ?? jt
        let builtIn = Instrument.builtIn.contains(where: { $0 == instrument })
        let publishedSource = name == "CORE-10" ? "published reliable change index, Barkham et al. 2013" : "NHS Talking Therapies fixed threshold"
        let serviceSource = instrument.reliableChange != nil
            ? (builtIn ? publishedSource : "instrument definition")
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

    static func load(_ source: any EventSource, dose: EngagementDose, population: ResearchPopulation) throws -> DoseCounter {
        var counter = DoseCounter()
        func add(_ read: ResearchRead.Dose) throws {
            try source.forEachRow(of: .doses(read)) { row in
                guard let m = population.index[row.string(0)] else { return }
                counter.events[m, default: []].append((row.int64(1), Int(row.int64(2))))
            }
        }
        switch dose {
        case .sessions:
            try add(.groupSessions)
            try add(.matchSessions)
        case .skills:
            try add(.completedSkills)
        case .matches:
            try add(.acceptedMatches)
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
