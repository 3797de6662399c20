import Foundation
import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Options of `peerlens health`.
public struct HealthOptions: Sendable {
    /// Cells per ISO week (Monday, UTC), or one cell for the whole period: the mean of the scored weeks.
    public enum Period: String, Sendable, Codable, CaseIterable { case week, all }
    /// The period of a cell.
    public var over: Period = .week
    /// Also one row per space (besides all spaces together).
    public var bySpace = true
    /// Component weights of the index.
    public var weights = HealthWeights()
    /// Bootstrap replicates (members resampled within each cell) and seed.
    public var replicates = 200
    /// Seed of the bootstrap.
    public var seed: UInt64 = 1
    /// Confidence level.
    public var level = 0.95
    /// Measures whose denominator is smaller than this still get their own value but take no part in the
    /// component scores and the index. A published command sets it to the disclosure policy's threshold, so
    /// that a measure the policy withholds cannot be worked out from the composite scores (the analysis does
    /// not suppress anything itself).
    public var compositeMinimum = 1
    /// Count members without research consent as units too (the data owner's decision; default: they are not).
    public var includeNonConsenting = false
    /// Creates default options.
    public init() {}
}

/// One measure of one cell.
public struct HealthMeasureValue: Sendable, Equatable, Codable {
    /// The measure.
    public let measure: HealthMeasure
    /// Its value with a percentile bootstrap interval (members resampled), nil when unavailable. In a
    /// whole-period cell: the mean of its values over the scored weeks in which it has one.
    public let value: Double?
    /// Interval bounds.
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// The value on the 0–100 scale (`HealthMeasure.rule`), nil when not scored or unavailable. In a
    /// whole-period cell: the mean of the weekly scores.
    public let score: Double?
    /// The denominator the value rests on (threads, members, messages, appeals …); in a whole-period cell,
    /// summed over the weeks averaged (so members there are member-weeks).
    public let cases: Int
    /// Whether the measure enters its component score and the index: it is scored and, in every scored week
    /// of the series, has a value and a denominator of at least `HealthOptions.compositeMinimum`.
    public let inComposite: Bool
    /// `ok`, or why there is no value (`unavailable: …`) — never shown as 0 or 100.
    public let status: String

    enum CodingKeys: String, CodingKey { case measure, value, lower, upper, score, cases, inComposite = "in_composite", status }
}

/// One component of one cell.
public struct HealthComponentValue: Sendable, Equatable, Codable {
    /// The component.
    public let component: HealthComponent
    /// Mean of its measures in the index (0–100) with a bootstrap interval; nil when it has none (then it
    /// is out of the index of every week of the series) or the week is not scored. In a whole-period cell:
    /// the mean of the weekly scores.
    public let score: Double?
    /// Interval bounds.
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// The measures.
    public let measures: [HealthMeasureValue]
}

/// The health of one space (or all spaces) in one period.
public struct HealthCell: Sendable, Equatable, Codable {
    /// The week's Monday (`2026-02-02`) or `all`.
    public let period: String
    /// The space, or `all`.
    public let space: String
    /// Members who posted in the cell (the people every value of the cell rests on).
    public let activeMembers: Int
    /// Threads opened in the cell.
    public let threads: Int
    /// Messages posted in the cell.
    public let messages: Int
    /// The six components (empty when no one posted).
    public let components: [HealthComponentValue]
    /// The index: weighted mean of the components in `indexComponents`, with a bootstrap interval; nil when
    /// the week is not scored (partial, or fewer active members than the composite minimum). In a
    /// whole-period cell: the mean of the weekly indices.
    public let index: Double?
    /// Interval bounds.
    public let indexLower: Double?
    /// Upper bound.
    public let indexUpper: Double?
    /// The components the index is made of: the same in every scored week of a space's series (empty when
    /// the cell has no index).
    public let indexComponents: [HealthComponent]
    /// Components left out of the index of the whole series because some scored week has no data for them.
    public let missingComponents: [HealthComponent]
    /// What the row means when it has no values, or that the week is partial.
    public let note: String?

    enum CodingKeys: String, CodingKey {
        case period, space, activeMembers = "active_members", threads, messages, components, index
        case indexLower = "index_lower", indexUpper = "index_upper", indexComponents = "index_components"
        case missingComponents = "missing_components", note
    }
}

/// The community-health index over time and spaces (`peerlens health`).
public struct CommunityHealthReport: Sendable, Equatable, Codable {
    /// `week` or `all`.
    public let over: HealthOptions.Period
    /// The component weights used.
    public let weights: HealthWeights
    /// The 0–100 rule of every measure.
    public let rules: [String: String]
    /// Measures with a smaller denominator take no part in the component scores and the index.
    public let compositeMinimum: Int
    /// Bootstrap replicates, seed and confidence level.
    public let replicates: Int
    /// Seed.
    public let seed: UInt64
    /// Level.
    public let level: Double
    /// The end of the data (RFC 3339): recent threads and newcomers are censored there.
    public let dataEnd: String
    /// Members without research consent, and whether they count as units.
    public let membersWithoutConsent: Int
    /// How members without consent were treated.
    public let consentNote: String
    /// All spaces first, then each space (sorted); periods in time order.
    public let cells: [HealthCell]

    enum CodingKeys: String, CodingKey {
        case over, weights, rules, compositeMinimum = "composite_minimum", replicates, seed, level, dataEnd = "data_end"
        case membersWithoutConsent = "members_without_consent", consentNote = "consent_note", cells
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension CommunityHealthReport {
    /// Computes the index from the store: the store tallies its messages per member and week
    /// (`EventSource.weeklyHealthTallies(dataEnd:bySpace:)`), the index is computed here.
    ///
    /// - Throws: `HealthError` for an empty store or invalid options; `StoreError` underneath.
    public static func analyse(store: any EventSource, options: HealthOptions = HealthOptions()) throws -> CommunityHealthReport {
        try validate(options)
        let end = try store.dataSpan(of: EventType.allCases)?.last ?? 0
        return try analyse(try store.weeklyHealthTallies(dataEnd: end, bySpace: options.bySpace), dataEnd: end, options: options)
    }

    /// Computes the index from a store's tallies (nil: the store holds no messages), with data ending at
    /// `dataEnd` (µs since the epoch).
    ///
    /// Every space's cells form a series of ISO weeks (`HealthSeries`): the measures that make up the index are
    /// the same in every scored week, and the whole-period cell (`over: .all`) is the mean of the scored weeks.
    public static func analyse(_ tallies: WeeklyHealthTallies?, dataEnd end: Int64, options: HealthOptions) throws -> CommunityHealthReport {
        try analyse(tallies, dataEnd: end, options: options, over: [options.over])[0]
    }

    private static func validate(_ options: HealthOptions) throws {
        guard options.replicates >= 100 else { throw HealthError("replicates: at least 100 are needed for percentile intervals") }
        guard options.compositeMinimum >= 1 else { throw HealthError("the composite minimum must be at least 1") }
    }

    /// The index over each of `over` (`options.over` is ignored), from one attribution of the messages to weeks:
    /// the same reports as one `analyse` per period, for less work (the research report shows both). The
    /// tallies must have been made per space when `options.bySpace`.
    public static func analyse(_ tallies: WeeklyHealthTallies?, dataEnd end: Int64, options: HealthOptions,
                               over: [HealthOptions.Period]) throws -> [CommunityHealthReport] {
        try validate(options)
        guard let tallies else { throw HealthError("the store holds no messages: community health needs threads and replies") }
        let units = HealthUnits(tallies, dataEnd: end, options: options)
        var cells = [[HealthCell]](repeating: [], count: over.count)
        let spaces: [Int32] = [-1] + (options.bySpace ? tallies.spaces.indices.sorted { tallies.spaces[$0] < tallies.spaces[$1] }.map { Int32($0) } : [])
        for space in spaces {
            let series = HealthSeries(units, space: space, dataEnd: end, options: options)
            let name = space < 0 ? "all" : tallies.spaces[Int(space)]
            for (k, period) in over.enumerated() {
                switch period {
                case .week: cells[k] += series.weeklyCells(space: name, options: options)
                case .all: if let cell = series.wholePeriodCell(space: name, options: options) { cells[k].append(cell) }
                }
            }
        }
        return over.indices.map { k in report(tallies, dataEnd: end, options: options, over: over[k], cells: cells[k]) }
    }

    private static func report(_ tallies: WeeklyHealthTallies, dataEnd end: Int64, options: HealthOptions, over: HealthOptions.Period,
                               cells: [HealthCell]) -> CommunityHealthReport {
        let withoutConsent = tallies.consent.filter { !$0 }.count
        return CommunityHealthReport(
            over: over, weights: options.weights,
            rules: Dictionary(uniqueKeysWithValues: HealthMeasure.allCases.map { ($0.rawValue, $0.rule) }),
            compositeMinimum: options.compositeMinimum, replicates: options.replicates, seed: options.seed, level: options.level,
            dataEnd: Timestamp(microseconds: end).rfc3339, membersWithoutConsent: withoutConsent,
            consentNote: options.includeNonConsenting
                ? "members without research consent count as units (the data owner said so)"
                : "members without research consent are not units (their threads, replies given and retention are left out); a reply they wrote still counts as an answer to someone else's thread",
            cells: cells)
    }

    /// The components of a cell with their measures, from a value and an interval per slot, and per measure
    /// its score, denominator and whether it is in the index.
    static func components(value: (Int) -> Double?, interval: (Int) -> (Double?, Double?), score: (HealthMeasure) -> Double?,
                           cases: (HealthMeasure) -> Int, inIndex: (HealthMeasure) -> Bool) -> [HealthComponentValue] {
        HealthComponent.allCases.map { component in
            let measures = CellStatistics.componentMeasures[component]!.map { measure -> HealthMeasureValue in
                let slot = CellStatistics.slot(measure), n = cases(measure)
                if n == 0 {
                    return HealthMeasureValue(measure: measure, value: nil, lower: nil, upper: nil, score: nil, cases: 0, inComposite: false,
                                              status: "unavailable: \(CellStatistics.emptyReason(measure))")
                }
                guard let v = value(slot) else {
                    return HealthMeasureValue(measure: measure, value: nil, lower: nil, upper: nil, score: nil, cases: n, inComposite: false,
                                              status: "unavailable: undefined for these data")
                }
                let (lower, upper) = interval(slot)
                return HealthMeasureValue(measure: measure, value: v, lower: lower, upper: upper, score: score(measure), cases: n,
                                          inComposite: inIndex(measure), status: "ok")
            }
            let slot = CellStatistics.componentSlot(component)
            let (lower, upper) = interval(slot)
            return HealthComponentValue(component: component, score: value(slot), lower: lower, upper: upper, measures: measures)
        }
    }

    /// The percentile interval of one slot over bootstrap draws (nil without a point value, or when fewer than
    /// half the replicates define it).
    static func interval(_ slot: Int, point: [Double?], draws: [[Double?]], options: HealthOptions) -> (Double?, Double?) {
        guard point[slot] != nil else { return (nil, nil) }
        let values = draws.compactMap { $0[slot] }.filter(\.isFinite).sorted()
        guard values.count >= options.replicates / 2 else { return (nil, nil) }
        let alpha = 1 - options.level
        return (Bootstrap.quantile(values, alpha / 2), Bootstrap.quantile(values, 1 - alpha / 2))
    }
}
