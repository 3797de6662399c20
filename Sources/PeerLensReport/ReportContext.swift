import PeerLensDocument
import Foundation
import PeerLensLog
import PeerLensSafety
import PeerLensStats
import PeerLensStore

/// Options of the audience reports (`peerlens report`).
public struct ReportOptions: Sendable {
    /// The disclosure policy (k = 10 unless lowered explicitly).
    public var disclosure: DisclosurePolicy
    /// Generation time written in the provenance (RFC 3339); the same value gives byte-identical reports.
    public var generatedAt: String
    /// The command as run, for the provenance.
    public var command: String
    /// PeerLens version.
    public var toolVersion: String
    /// The alerting model the safety report tunes and whose crisis response it reads.
    public var model = "crisis"
    /// Threshold policy of the safety report: the fewest alerts that keep sensitivity at or above this.
    public var minimumSensitivity = 0.8
    /// What the safety report's sensitivity floor applies to (`--assurance`).
    public var assurance: SensitivityAssurance = .point
    /// The declared responder rota of the safety report (nil: no alerts per responder-hour).
    public var rota: ResponderRota? = nil
    /// Total programme cost (funder report: cost per outcome), and its currency.
    public var cost: Double? = nil
    /// Currency of `cost`.
    public var currency = "USD"
    /// Bootstrap replicates of the risk evaluation and threshold interval, and their seed.
    public var replicates = 500
    /// Seed of every bootstrap in the report.
    public var seed: UInt64 = 1
    /// Period of the safety report's drift table (weeks rarely hold enough positive reviews).
    public var drift: DriftPeriod = .month
    /// Attributes the safety report breaks the deployed model down by. Culture is among them: models trained on
    /// one culture's idiom of distress miss crises expressed in another's (the simulated v1 does, for one culture).
    public var subgroups: [RiskSubgroup] = [.language, .gender, .ageBand, .resourceSetting, .culture]
    /// Safety report: how reviews become labels and weights (`--review-rule`, `--unweighted-reviews-weight`).
    public var reviews = ReviewLabelling()
    /// Bootstrap replicates of the community-health index.
    public var healthReplicates = 200
    /// The research report's declared primary outcome, reported first in its summary (`primary_outcome` in
    /// the provenance). PHQ-9 change unless declared otherwise.
    public var primaryOutcome: PrimaryOutcome = .phq9Change

    /// Options with the given disclosure policy, generation time, command and tool version.
    public init(disclosure: DisclosurePolicy, generatedAt: String, command: String, toolVersion: String) {
        self.disclosure = disclosure
        self.generatedAt = generatedAt
        self.command = command
        self.toolVersion = toolVersion
    }

    /// The options that shape the figures, as printed in the provenance.
    var described: [String: String] {
        var o: [String: String] = [
            "model": model, "min_sensitivity": Formatter.fixed(minimumSensitivity, 2),
            "replicates": "\(replicates)", "seed": "\(seed)", "drift_period": drift.rawValue,
            "subgroups": subgroups.map(\.rawValue).joined(separator: ","), "health_replicates": "\(healthReplicates)",
        ]
        if let cost { o["cost"] = Formatter.currency(cost, code: currency) }
        o["primary_outcome"] = primaryOutcome.rawValue
        if assurance != .point { o["assurance"] = assurance.rawValue }
        if let rota { o["rota"] = rota.source }
        o.merge(reviews.described) { _, labelling in labelling }
        o.merge(disclosure.provenanceOptions) { _, policy in policy }
        return o
    }

    /// The options that shape `audience`'s figures, as printed in its provenance: a funder report does not
    /// list the safety team's threshold policy, nor a safety report the programme cost. The disclosure policy
    /// applies to every audience.
    func described(for audience: Audience) -> [String: String] {
        let keys: Set<String>
        switch audience {
        case .safety:
            keys = ["model", "min_sensitivity", "replicates", "seed", "drift_period", "subgroups", "assurance", "rota",
                    "review_rule", "unweighted_reviews_weight"]
        case .research: keys = ["seed", "health_replicates", "primary_outcome"]
        case .funder: keys = ["cost", "seed", "health_replicates"]
        }
        let policy = disclosure.provenanceOptions
        return described.filter { keys.contains($0.key) || policy[$0.key] != nil }
    }
}

/// The outcome a research report declares as primary: the one its summary leads with, chosen in the report's
/// options rather than after seeing the results, so that a reader knows which of the many figures was meant to
/// answer the question. Each is computed by the mood-outcomes analysis; the summary prints it with its interval.
public enum PrimaryOutcome: String, Sendable, CaseIterable, Codable {
    /// Mean PHQ-9 change from the first to the last check-in (points, t interval), with the pre–post effect
    /// size d over the baseline SD and its interval (the default).
    case phq9Change = "phq9-change"
    /// Mean GAD-7 change from the first to the last check-in, with d over the baseline SD.
    case gad7Change = "gad7-change"
    /// NHS Talking Therapies reliable improvement, PHQ-9 and GAD-7 scored together (share of the paired
    /// members, Wilson interval).
    case nhsReliableImprovement = "nhs-reliable-improvement"

    /// The outcome in words, for the summary (`PHQ-9 change from the first to the last check-in`).
    public var description: String {
        switch self {
        case .phq9Change: "PHQ-9 change from the first to the last check-in"
        case .gad7Change: "GAD-7 change from the first to the last check-in"
        case .nhsReliableImprovement: "NHS Talking Therapies reliable improvement (PHQ-9 and GAD-7 scored together)"
        }
    }

    /// The instrument whose change is the outcome (nil for the combined NHS Talking Therapies outcome).
    public var instrument: String? {
        switch self {
        case .phq9Change: "PHQ-9"
        case .gad7Change: "GAD-7"
        case .nhsReliableImprovement: nil
        }
    }
}

/// What an audience builder works from: the events (the embedded store or another engine), the options, and the
/// provenance block already read.
public struct ReportContext: Sendable {
    /// Where the events are read: the embedded store, or a Spark warehouse (`--engine`).
    public let store: any EventSource
    /// The options.
    public let options: ReportOptions
    /// The provenance every report ends with.
    public let provenance: Provenance

    /// Reads the store's fingerprint and library versions (for another engine: its runs and location, and GSL's and
    /// the engine's versions; the provenance's options then name the engine).
    ///
    /// - Throws: `StoreError`/database errors, or the engine's.
    public init(store: any EventSource, options: ReportOptions) throws {
        self.store = store
        self.options = options
        provenance = Provenance(toolVersion: options.toolVersion, libraries: try Provenance.libraryVersions(source: store),
                                store: try StoreFingerprint.read(store), command: options.command, options: options.described,
                                generatedAt: options.generatedAt, disclosureThreshold: options.disclosure.threshold)
    }

    /// The disclosure policy.
    public var policy: DisclosurePolicy { options.disclosure }

    /// An empty document for `audience` with this context's provenance and policy.
    public func document(title: String, audience: Audience, subtitle: String?, sections: [Section]) -> ReportDocument {
        var provenance = self.provenance
        provenance.options = options.described(for: audience)
        if let engine = store.engineName { provenance.options["engine"] = engine }
        return ReportDocument(title: title, audience: audience, subtitle: subtitle, provenance: provenance, disclosure: policy, sections: sections)
    }

    /// First and last event time (RFC 3339 dates), for subtitles and methods: from the first message or activity
    /// to the last event of any type; nil when there is none.
    public func dataPeriod() throws -> (from: String, to: String)? {
        guard let end = try store.dataSpan(of: EventType.allCases)?.last, end > 0,
              let start = try store.dataSpan(of: [.message, .activity])?.first else { return nil }
        return (String(Timestamp(microseconds: start).rfc3339.prefix(10)), String(Timestamp(microseconds: end).rfc3339.prefix(10)))
    }
}

/// Something that adds sections to a report: the building block of the audience builders, and the way to
/// add research analyses later (`ResearchReport.build(_:contributions:)`). A contribution also says which
/// statistical methods, seeds and limitations its sections rest on, for the generated Methods and
/// Limitations sections.
public protocol ReportContribution: Sendable {
    /// Sections for the body of the report (empty when the store holds nothing for them).
    func sections(_ context: ReportContext) throws -> [Section]
    /// Sentences for the Methods section: definitions and statistical methods of these sections.
    func methods(_ context: ReportContext) -> [String]
    /// Sentences for the Limitations section.
    func limitations(_ context: ReportContext) -> [String]
    /// Random seeds used, by what they seed.
    func seeds(_ context: ReportContext) -> [String: UInt64]
    /// Further steps of the inclusion and exclusion table, after "Included" (e.g. "With two or more PHQ-9
    /// check-ins"), with the members at each step.
    func inclusionSteps(_ context: ReportContext) throws -> [InclusionStep]
    /// A rough guess of the contribution's work relative to the others (1: light), so that the report starts
    /// the costliest first when it runs them at once (`Concurrently`); it changes no figure.
    var relativeCost: Int { get }
}

/// One step of the research report's inclusion and exclusion table.
public struct InclusionStep: Sendable, Equatable {
    /// What the step is (`With two or more PHQ-9 check-ins`).
    public var label: String
    /// Members at this step.
    public var members: Int
    /// Creates a step.
    public init(_ label: String, members: Int) {
        self.label = label
        self.members = members
    }
}

extension ReportContribution {
    /// No methods by default.
    public func methods(_ context: ReportContext) -> [String] { [] }
    /// No limitations by default.
    public func limitations(_ context: ReportContext) -> [String] { [] }
    /// No seeds by default.
    public func seeds(_ context: ReportContext) -> [String: UInt64] { [:] }
    /// No further inclusion steps by default.
    public func inclusionSteps(_ context: ReportContext) throws -> [InclusionStep] { [] }
    /// Light by default.
    public var relativeCost: Int { 1 }
}

/// Shared pieces of the builders.
package enum Build {
    /// A number cell from an analysis estimate (nil value: empty).
    static func cell(_ e: Estimate?, _ format: NumberFormat, basis: Int? = nil) -> Cell {
        guard let e, let v = e.value else { return .empty }
        return .number(NumberCell(v, format: format, lower: e.lower, upper: e.upper, basis: basis))
    }

    /// A number cell from an optional value.
    static func cell(_ v: Double?, _ format: NumberFormat, lower: Double? = nil, upper: Double? = nil, basis: Int? = nil) -> Cell {
        guard let v else { return .empty }
        return .number(NumberCell(v, format: format, lower: lower, upper: upper, basis: basis))
    }

    /// A share: empty without a denominator, else its estimate with the Wilson interval, resting on its total
    /// with its count as numerator (the policy withholds it when either reveals a small count).
    static func cell(_ s: Share) -> Cell {
        guard let e = s.estimate else { return .empty }
        return .number(NumberCell(e, format: .percent(1), lower: s.interval?.lower, upper: s.interval?.upper, basis: s.total, numerator: s.count))
    }

    /// The count cell of a share (`count` of `total`).
    static func count(_ s: Share) -> Cell {
        return s.count.map { .count($0) } ?? .empty
    }

    /// `0.723 (95% CI 0.701–0.745)` in words for prose and key figures.
    static func interval(_ e: Estimate, _ format: NumberFormat) -> String? {
        guard let l = e.lower, let u = e.upper, l.isFinite, u.isFinite else { return nil }
        return "95% CI " + Formatter.number(l, format) + " to " + Formatter.number(u, format)
    }

    /// The estimate's value as text, or `n/a`.
    static func value(_ e: Estimate?, _ format: NumberFormat) -> String {
        guard let v = e?.value else { return "n/a" }
        return Formatter.number(v, format)
    }

    /// `table` without the columns (after the first) that are empty in every row — a column of dashes tells a
    /// reader nothing — with a note naming them and saying why (`why`, e.g. "the component has no data in some
    /// full week"). Cell references and margin groups are renumbered to the remaining columns; a removed column
    /// holds no value, so nothing refers to it. The table is returned unchanged when no column is empty or it
    /// has no rows.
    static func withoutEmptyColumns(_ table: Table, why: String) -> Table {
        guard !table.rows.isEmpty else { return table }
        let empty = Set(table.columns.indices.dropFirst().filter { c in table.rows.allSatisfy { c >= $0.count || $0[c] == .empty } })
        guard !empty.isEmpty else { return table }
        var map: [Int: Int] = [:]
        for c in table.columns.indices where !empty.contains(c) { map[c] = map.count }
        func renumber(_ cell: Cell) -> Cell {
            guard case var .number(n) = cell, let ref = n.derivedFrom, let column = map[ref.column] else { return cell }
            n.derivedFrom = CellReference(row: ref.row, column: column)
            return .number(n)
        }
        var t = table
        t.columns = table.columns.indices.filter { !empty.contains($0) }.map { table.columns[$0] }
        t.rows = table.rows.map { row in row.indices.filter { !empty.contains($0) }.map { renumber(row[$0]) } }
        t.margins = table.margins.map { m in
            var g = m
            g.columns = m.columns.compactMap { map[$0] }
            g.rowTotalColumn = m.rowTotalColumn.flatMap { map[$0] }
            return g
        }
        let names = empty.sorted().map { table.columns[$0].heading }
        t.notes.append("Left out, because no row has a value: \(names.joined(separator: ", ")) (\(why)).")
        return t
    }

    /// Runs `body`; on failure records why under `name` in `omitted` and returns nil — a report leaves out
    /// what the store cannot support and says so, rather than failing as a whole. A failure of the engine itself
    /// (`EngineFailure`: a server that failed or was lost, a database that could not be read) is not a property
    /// of the data: it is thrown, and the report fails as a whole rather than being written without the section.
    package static func attempt<T>(_ name: String, _ omitted: inout [String], _ body: () throws -> T) throws -> T? {
        do { return try body() } catch let error as any EngineFailure {
            throw error
        } catch {
            omitted.append("\(name): \(error)")
            return nil
        }
    }

    /// A list of what was left out and why, as a note (nil when nothing was).
    static func omissions(_ omitted: [String]) -> Block? {
        omitted.isEmpty ? nil : .note(Note("Not in this report, because the store cannot support it: " + omitted.joined(separator: "; ") + ".", kind: .caveat))
    }
}

/// The three audience reports by name.
public enum AudienceReport {
    /// Builds the report for `audience` (research with today's standard contributions).
    ///
    /// - Throws: what the audience's builder throws when the store cannot support its core.
    public static func build(_ audience: Audience, context: ReportContext) throws -> ReportDocument {
        switch audience {
        case .safety: try SafetyReport.build(context)
        case .research: try ResearchReport.build(context)
        case .funder: try FunderReport.build(context)
        }
    }
}

/// Reader-facing names of the categories the research and funder reports break figures down by, through
/// `CategoryLabels`: the attribute says which table a code belongs to (`region` `GB` → "United Kingdom",
/// `resource_setting` `high` → "High-resource", `gender` `not_stated` → "Not stated"). A placeholder the
/// analyses write in parentheses (`(not recorded)`) is already words and is kept; a combination of conditions
/// (`anxiety+ptsd`) is named part by part ("Anxiety + PTSD"). Age bands are numbers and are kept (`13-17`).
enum ReportLabels {
    static func category(_ code: String, of attribute: String) -> String {
        guard !code.hasPrefix("("), !code.isEmpty else { return code }
        switch attribute {
        case "age_band": return code
        case "region": return CategoryLabels.label(code, .region)
        case "resource_setting": return CategoryLabels.label(code, .resourceSetting)
        case "language": return CategoryLabels.label(code, .language)
        case "condition":
            return code.split(separator: "+").map { CategoryLabels.label(String($0)) }.joined(separator: " + ")
        default: return CategoryLabels.label(code)
        }
    }
}
