import Foundation
import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Options of `peerlens health`.
public struct HealthOptions: Sendable {
    /// Cells per ISO week (Monday, UTC) or one cell over the whole data.
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
    /// Its value with a percentile bootstrap interval (members resampled), nil when unavailable.
    public let value: Double?
    /// Interval bounds.
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// The value on the 0–100 scale (`HealthMeasure.rule`), nil when not scored or unavailable.
    public let score: Double?
    /// The denominator the value rests on (threads, members, messages, appeals …).
    public let cases: Int
    /// Whether the measure enters its component score and the index (its denominator reaches
    /// `HealthOptions.compositeMinimum`).
    public let inComposite: Bool
    /// `ok`, or why there is no value (`unavailable: …`) — never shown as 0 or 100.
    public let status: String

    enum CodingKeys: String, CodingKey { case measure, value, lower, upper, score, cases, inComposite = "in_composite", status }
}

/// One component of one cell.
public struct HealthComponentValue: Sendable, Equatable, Codable {
    /// The component.
    public let component: HealthComponent
    /// Mean of its scored, available measures (0–100) with a bootstrap interval; nil when none is available.
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
    /// The index: weighted mean of the available components, with a bootstrap interval.
    public let index: Double?
    /// Interval bounds.
    public let indexLower: Double?
    /// Upper bound.
    public let indexUpper: Double?
    /// Components left out of the index because they had no data.
    public let missingComponents: [HealthComponent]
    /// What the row means when it has no values, or that the week is partial.
    public let note: String?

    enum CodingKeys: String, CodingKey {
        case period, space, activeMembers = "active_members", threads, messages, components, index
        case indexLower = "index_lower", indexUpper = "index_upper", missingComponents = "missing_components", note
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
    /// Computes the index from the store.
    ///
    /// - Throws: `HealthError` for an empty store or invalid options; `StoreError` underneath.
    public static func analyse(store: EventStore, options: HealthOptions = HealthOptions()) throws -> CommunityHealthReport {
        let (graph, end) = try store.queue.read { db in (try EventStore.interactionGraph(db), try EventStore.dataEnd(db)) }
        return try analyse(graph, dataEnd: end, options: options)
    }

    /// Computes the index from an interaction graph whose data end at `dataEnd` (µs since the epoch).
    public static func analyse(_ g: InteractionGraph, dataEnd end: Int64, options: HealthOptions) throws -> CommunityHealthReport {
        guard options.replicates >= 100 else { throw HealthError("replicates: at least 100 are needed for percentile intervals") }
        guard options.compositeMinimum >= 1 else { throw HealthError("the composite minimum must be at least 1") }
        guard !g.time.isEmpty else { throw HealthError("the store holds no messages: community health needs threads and replies") }
        let units = HealthUnits(g, dataEnd: end, options: options)
        var cells: [HealthCell] = []
        let spaces: [Int32] = [-1] + (options.bySpace ? g.spaces.indices.sorted { g.spaces[$0] < g.spaces[$1] }.map { Int32($0) } : [])
        for space in spaces {
            for period in units.periods(space: space) {
                cells.append(try evaluate(units.cell(period: period, space: space), period: units.label(period), space: space < 0 ? "all" : g.spaces[Int(space)],
                                          partial: units.isPartial(period, dataEnd: end), options: options))
            }
        }
        let withoutConsent = g.consent.filter { !$0 }.count
        return CommunityHealthReport(
            over: options.over, weights: options.weights,
            rules: Dictionary(uniqueKeysWithValues: HealthMeasure.allCases.map { ($0.rawValue, $0.rule) }),
            compositeMinimum: options.compositeMinimum, replicates: options.replicates, seed: options.seed, level: options.level,
            dataEnd: Timestamp(microseconds: end).rfc3339, membersWithoutConsent: withoutConsent,
            consentNote: options.includeNonConsenting
                ? "members without research consent count as units (the data owner said so)"
                : "members without research consent are not units (their threads, replies given and retention are left out); a reply they wrote still counts as an answer to someone else's thread",
            cells: cells)
    }

    /// The values of one cell: point estimates on the active members, intervals from resampling them.
    static func evaluate(_ cell: [MemberTally], period: String, space: String, partial: Bool, options: HealthOptions) throws -> HealthCell {
        let k = options.compositeMinimum
        let active = cell.filter { $0.messages > 0 }
        guard !active.isEmpty else {
            return HealthCell(period: period, space: space, activeMembers: 0, threads: 0, messages: 0, components: [],
                              index: nil, indexLower: nil, indexUpper: nil, missingComponents: [], note: "no activity")
        }
        let statistics = CellStatistics(active, weights: options.weights, compositeMinimum: k)
        let point = statistics.values(multiplicities: nil)
        let draws = Bootstrap.parallelReplicates(options.replicates, seed: options.seed, scratch: { [Int32](repeating: 0, count: active.count) }) { m, rng, _ in
            m.withUnsafeMutableBufferPointer { counts in
                counts.update(repeating: 0)
                for _ in 0..<counts.count { counts[rng.integer(below: counts.count)] += 1 }
            }
            return statistics.values(multiplicities: m)
        }
        func interval(_ slot: Int) -> (Double?, Double?) {
            guard point[slot] != nil else { return (nil, nil) }
            let values = draws.compactMap { $0[slot] }.filter(\.isFinite).sorted()
            guard values.count >= options.replicates / 2 else { return (nil, nil) }
            let alpha = 1 - options.level
            return (Bootstrap.quantile(values, alpha / 2), Bootstrap.quantile(values, 1 - alpha / 2))
        }
        let denominators = statistics.denominators
        var components: [HealthComponentValue] = []
        for component in HealthComponent.allCases {
            var measures: [HealthMeasureValue] = []
            for measure in HealthMeasure.allCases where measure.component == component {
                let slot = CellStatistics.slot(measure)
                let n = denominators[measure] ?? 0
                if n == 0 {
                    measures.append(HealthMeasureValue(measure: measure, value: nil, lower: nil, upper: nil, score: nil, cases: 0, inComposite: false,
                                                       status: "unavailable: \(CellStatistics.emptyReason(measure))"))
                    continue
                }
                guard let value = point[slot] else {
                    measures.append(HealthMeasureValue(measure: measure, value: nil, lower: nil, upper: nil, score: nil, cases: n, inComposite: false,
                                                       status: "unavailable: undefined for these data"))
                    continue
                }
                let (lower, upper) = interval(slot)
                measures.append(HealthMeasureValue(measure: measure, value: value, lower: lower, upper: upper, score: measure.score(value), cases: n,
                                                   inComposite: n >= k, status: "ok"))
            }
            let slot = CellStatistics.componentSlot(component)
            let (lower, upper) = interval(slot)
            components.append(HealthComponentValue(component: component, score: point[slot], lower: lower, upper: upper, measures: measures))
        }
        let (lower, upper) = interval(CellStatistics.indexSlot)
        let missing = components.filter { $0.score == nil }.map(\.component)
        return HealthCell(period: period, space: space, activeMembers: active.count,
                          threads: active.reduce(0) { $0 + $1.opened }, messages: active.reduce(0) { $0 + $1.messages },
                          components: components, index: point[CellStatistics.indexSlot], indexLower: lower, indexUpper: upper,
                          missingComponents: missing,
                          note: [partial ? "partial week: the data end before it does" : nil,
                                 missing.isEmpty ? nil : "components without data are left out of the index"].compactMap { $0 }.joined(separator: "; ").nilIfEmpty)
    }
}
