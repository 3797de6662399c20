import PeerLensDocument
import PeerLensLog
import PeerLensResearch
import PeerLensStore

/// The researcher's evidence report: the cohort (Table 1), the contributed analyses, and a generated Methods
/// section (data period, inclusion and exclusion counts, definitions, statistical methods, software
/// versions, random seeds) and Limitations section.
///
/// Research analyses are added as `ReportContribution`s: `build(_:contributions:)` puts each contribution's
/// sections after the cohort, in order, and gathers their methods, seeds and limitations into the generated
/// sections. A contribution whose analysis the store cannot support is left out and named in Limitations.
public enum ResearchReport {
    /// The research analyses in report order: mood outcomes, engagement and retention, matching, groups and
    /// skills, and the community-health index over time.
    public static var standardContributions: [any ReportContribution] {
        [MoodOutcomesContribution(), EngagementContribution(), MatchesContribution(), GroupsAndSkillsContribution(), CommunityHealthContribution(overTime: true)]
    }

    /// Builds the report.
    ///
    /// - Throws: `StoreError`/database errors reading the cohort.
    public static func build(_ context: ReportContext, contributions: [any ReportContribution] = standardContributions) throws -> ReportDocument {
        // The cohort and every contribution at once (`Concurrently`); put together in their order. The mood
        // outcomes are analysed once, for their sections, the inclusion steps and the summary.
        enum Part: Sendable {
            case cohort(Result<Cohort, any Error>)
            case contribution(sections: [Section]?, omitted: [String], analysed: any ReportContribution, outcomes: OutcomesReport?)
        }
        let parts = try Concurrently.map(contributions.count + 1, cost: { $0 == 0 ? 2 : contributions[$0 - 1].relativeCost }) { i -> Part in
            guard i > 0 else { return .cohort(Result { try Cohort.read(context.store) }) }
            var c = contributions[i - 1]
            let name = String(describing: type(of: c))
            var outcomes: OutcomesReport? = nil
            if let mood = c as? MoodOutcomesContribution {
                let (report, omitted) = try Build.attempt(name) { try mood.report(context) }
                guard let report else { return .contribution(sections: nil, omitted: omitted, analysed: c, outcomes: nil) }
                outcomes = report
                c = AnalysedMoodOutcomes(contribution: mood, report: report)
            }
            let analysed = c
            let (sections, omitted) = try Build.attempt(name) { try analysed.sections(context) }
            return .contribution(sections: sections, omitted: omitted, analysed: analysed, outcomes: outcomes)
        }
        guard case let .cohort(read) = parts[0] else { preconditionFailure("part 0 is the cohort") }
        let cohort = try read.get()
        var sections = [cohortSection(cohort, context: context)]
        var omitted: [String] = []
        var used: [any ReportContribution] = []
        var outcomes: OutcomesReport? = nil
        for part in parts.dropFirst() {
            guard case let .contribution(s, o, c, analysed) = part else { preconditionFailure("parts after the first are contributions") }
            omitted += o
            if outcomes == nil { outcomes = analysed }
            if let s {
                sections += s
                used.append(c)
            }
        }
        sections.append(try methods(cohort, contributions: used, context: context))
        sections.append(limitations(contributions: used, omitted: omitted, context: context))
        let period = try context.dataPeriod()
        sections.insert(summary(cohort, outcomes: outcomes, period: period, context: context), at: 0)
        return context.document(title: "Evidence report", audience: .research,
                                subtitle: period.map { "Data from \(Formatter.dateRange(from: $0.from, to: $0.to))" }, sections: sections)
    }

    // MARK: Summary

    /// The answer first: design, cohort size, the declared primary outcome with its effect and interval, and
    /// the main limitation. Its figures are the ones the body prints (the same values, formats and bases), so
    /// the policy withholds them as it withholds the body's; counts in its sentences go through the policy's
    /// `describe(count:)`.
    static func summary(_ cohort: Cohort, outcomes: OutcomesReport?, period: (from: String, to: String)?, context: ReportContext) -> Section {
        let policy = context.policy
        let included = cohort.members.filter(\.consent).count, excluded = cohort.members.count - included
        let primary = context.options.primaryOutcome
        var blocks: [Block] = [
            .text("Design: an observational study of the service's anonymised interaction logs"
                  + (period.map { " from \(Formatter.dateRange(from: $0.from, to: $0.to))" } ?? "")
                  + ", with no control group. Cohort: \(policy.describe(count: included)) members with research consent; \(policy.describe(count: excluded)) without it are excluded from every figure."),
        ]
        var figures = [KeyFigure(label: "Members in the cohort", value: Formatter.grouped(included), note: "Members with research consent (Table 1).", count: included)]
        figures += primaryFigures(primary, outcomes: outcomes)
        blocks.append(.keyFigures(figures))
        blocks.append(.text("The primary outcome, \(primary.description), is declared in the report's options (primary_outcome, listed in the provenance at the end; PHQ-9 change unless declared otherwise): the summary leads with it whatever its result, and the other figures in this report are secondary."))
        var limitation = "Main limitation: with no control group, the change includes regression to the mean and natural recovery, not only the effect of support"
        let attrition = outcomes?.instruments.first { $0.instrument == (primary.instrument ?? "PHQ-9") }
        if let a = attrition {
            limitation += "; and \(policy.describe(count: a.membersWithOneCheckin)) members with one \(a.instrument) check-in although a second was due are not in it: their outcome is unknown and may be worse"
        }
        blocks.append(.text(limitation + "."))
        return Section("Summary", id: "summary", blocks: blocks, role: .summary)
    }

    /// The declared primary outcome as key figures, each the same value, interval and basis as its figure in
    /// the body: an instrument's mean change (as in "Change from first to last check-in") and its d over the
    /// baseline SD (as in the pre–post effect-size figure), or the combined NHS Talking Therapies reliable
    /// improvement (as in its table). Not evaluable when the store holds no such outcome.
    static func primaryFigures(_ primary: PrimaryOutcome, outcomes: OutcomesReport?) -> [KeyFigure] {
        let label = "Primary outcome: \(primary.description)"
        if let name = primary.instrument {
            guard let i = outcomes?.instruments.first(where: { $0.instrument == name }), let change = i.change else {
                return [.notEvaluable(label: label, reason: "no member has two \(name) check-ins far enough apart")]
            }
            var out = [KeyFigure(label: label, value: Formatter.number(change.mean, .signed(2)) + " points",
                                 interval: "95% CI \(Formatter.number(change.interval.lower, .signed(2))) to \(Formatter.number(change.interval.upper, .signed(2)))",
                                 note: "Mean change among the \(Formatter.grouped(i.membersAnalysed)) members with two or more \(name) check-ins (t interval); negative is improvement.",
                                 basis: i.membersAnalysed)]
            if let e = i.baselineEffectSize {
                out.append(KeyFigure(label: "Primary outcome as an effect size: \(name) d (baseline SD)", value: Formatter.number(e.d, .signed(2)),
                                     interval: "95% CI \(Formatter.number(e.intervalD.lower, .signed(2))) to \(Formatter.number(e.intervalD.upper, .signed(2)))",
                                     note: "Mean change over the SD of the first scores, comparable with published pre–post effect sizes; uncontrolled.",
                                     basis: i.membersAnalysed))
            }
            return out
        }
        guard let c = outcomes?.combined, let e = c.reliableImprovement.estimate, let n = c.reliableImprovement.count, let total = c.reliableImprovement.total else {
            return [.notEvaluable(label: label, reason: "no member has both PHQ-9 and GAD-7 measured twice")]
        }
        return [KeyFigure(label: label, value: Formatter.number(e, .percent(1)),
                          interval: c.reliableImprovement.interval.map { "95% CI \(Formatter.number($0.lower, .percent(1))) to \(Formatter.number($0.upper, .percent(1)))" },
                          note: "Share of the members measured on both PHQ-9 and GAD-7 whose score fell reliably on at least one and rose reliably on neither (Wilson interval).",
                          basis: [total, n, total - n].filter { $0 > 0 }.min() ?? total)]
    }

    // MARK: Cohort

    /// Members of the store with the attributes of Table 1.
    /// The names the Software table gives the provenance's libraries (the engine's among them: SQLite, or Apache
    /// Spark when the figures were computed on a Spark warehouse).
    static let softwareNames = ["gsl": "GNU Scientific Library", "sqlite": "SQLite", "spark": "Apache Spark (through Spark Connect)"]

    struct Cohort: Sendable {
        struct Member: Sendable { let role: String; let attributes: [String: [String]]; let consent: Bool }
        let members: [Member]
        let eventCounts: [(String, Int)]

        static let variables: [(key: String, label: String)] = [
            ("age_band", "Age band"), ("gender", "Gender"), ("region", "Region (country)"), ("resource_setting", "Resource setting"), ("condition", "Condition"),
        ]

        static func read(_ store: any EventSource) throws -> Cohort {
            func value(_ v: String?) -> [String] { [v ?? "(not recorded)"] }
            let members = try store.cohortMembers().map { m in
                Member(role: m.role, attributes: [
                    "age_band": value(m.ageBand), "gender": value(m.gender), "region": value(m.region), "resource_setting": value(m.resourceSetting),
                    "condition": m.conditions.isEmpty ? ["(none recorded)"] : m.conditions,
                ], consent: m.researchConsent)
            }
            let counts = try store.eventCounts()
            return Cohort(members: members, eventCounts: EventType.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        }
    }

    static func cohortSection(_ cohort: Cohort, context: ReportContext) -> Section {
        let included = cohort.members.filter(\.consent)
        let roles = Role.allCases.map(\.rawValue).filter { r in included.contains { $0.role == r } }
        // Columns: characteristic, category, one per role, all members, % of all members.
        let roleColumns = Array(2..<(2 + roles.count)), allColumn = 2 + roles.count
        var columns = [Column("Characteristic", alignment: .left), Column("Category", alignment: .left)]
        columns += roles.map { Column(CategoryLabels.label($0), unit: "n") }
        columns += [Column("All members", unit: "n"), Column("Share of all members", unit: "%")]
        var rows: [[Cell]] = []
        var margins: [MarginGroup] = []
        let total = included.count
        rows.append([.text("Members"), .text("All")] + roles.map { r in .count(included.filter { $0.role == r }.count) } + [.count(total), .empty])
        let roleIndex = Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($1, $0) })
        for (key, label) in Cohort.variables {
            // One pass over the members per characteristic: members per category and role (a member with several
            // values, such as conditions, counts once in each).
            var counts: [String: [Int]] = [:]
            for m in included {
                for category in Set(m.attributes[key] ?? []) {
                    counts[category, default: [Int](repeating: 0, count: roles.count)][roleIndex[m.role]!] += 1
                }
            }
            let sorted = counts.keys.sorted { a, b in
                let na = a.hasPrefix("("), nb = b.hasPrefix("(")
                return na != nb ? !na : a < b
            }
            let first = rows.count
            for category in sorted {
                let byRole = counts[category]!, members = byRole.reduce(0, +)
                let row = rows.count
                rows.append([.text(label), .text(ReportLabels.category(category, of: key))] + byRole.map { .count($0) }
                            + [.count(members), total > 0 ? .number(NumberCell(Double(members) / Double(total), format: .percent(1),
                                                                               derivedFrom: CellReference(row: row, column: allColumn))) : .empty])
            }
            // Categories of a single-valued characteristic add up to the members row: complementary suppression
            // over the two-way table (roles × categories) with its row totals (all members) and column totals.
            if key != "condition", rows.count > first {
                margins.append(MarginGroup(rows: Array(first..<rows.count), columns: roleColumns, rowTotalColumn: allColumn, columnTotalRow: 0))
            }
        }
        let excluded = cohort.members.count - included.count
        let table = Table(caption: "Table 1. Members by role and characteristic (members with research consent)", columns: columns, rows: rows,
                          notes: ["\(context.policy.describe(count: excluded)) of \(Formatter.grouped(cohort.members.count)) members without research consent are excluded.",
                                  "A member with several conditions counts in each; conditions therefore do not add up to the members row.",
                                  "Roles are as recorded when the member joined."],
                          margins: margins)
        return Section("Cohort", blocks: [
            .text("Who is in the data: members with research consent, by role and by the characteristics the log format records. Small cells are suppressed, and further cells where a small one could be worked out from the totals."),
            .table(table),
        ])
    }

    // MARK: Methods

    static func methods(_ cohort: Cohort, contributions: [any ReportContribution], context: ReportContext) throws -> Section {
        let period = try context.dataPeriod()
        let included = cohort.members.filter(\.consent).count
        var steps: [InclusionStep] = []
        for c in contributions { steps += try c.inclusionSteps(context) }
        let flow = Table(caption: "Inclusion and exclusion",
                         columns: [Column("Step", alignment: .left), Column("Members", unit: "n")],
                         rows: [[.text("Members in the store"), .count(cohort.members.count)],
                                [.text("Excluded: no research consent"), .count(cohort.members.count - included)],
                                [.text("Included"), .count(included)]]
                             + steps.map { [.text($0.label), .count($0.members)] },
                         notes: steps.isEmpty ? [] : ["Steps after \"Included\" are the members each analysis rests on."],
                         margins: [MarginGroup(rows: [1, 2], columns: [1], columnTotalRow: 0)])
        let events = Table(caption: "Events in the store by type", columns: [Column("Event type", alignment: .left), Column("Events", unit: "n")],
                           rows: cohort.eventCounts.map { [.text(CategoryLabels.label($0.0)), .count($0.1)] },
                           notes: ["Counts of events, not people, after de-duplication and quarantine (see the provenance for each file's counts)."])
        var statistical = [
            "Proportions carry 95% Wilson score intervals unless stated otherwise; intervals that come from a bootstrap say so.",
            "Every count below \(context.policy.threshold) is suppressed, with complementary suppression where totals are published (exact recovery by subtraction is ruled out by checking the published totals as linear equations).",
        ]
        for c in contributions { statistical += c.methods(context) }
        var seeds: [String: UInt64] = [:]
        for c in contributions { seeds.merge(c.seeds(context)) { a, _ in a } }
        let libraries = context.provenance.libraries
        let software = Table(caption: "Software", columns: [Column("Component", alignment: .left), Column("Version", alignment: .left)],
                             rows: [[.text("PeerLens"), .text(context.provenance.toolVersion)]]
                                 + libraries.sorted { $0.key < $1.key }.map { [.text(Self.softwareNames[$0.key] ?? $0.key), .text($0.value)] },
                             disclosive: false)
        var blocks: [Block] = [
            .text("Data: anonymised interaction logs (log format v1) " + (period.map { "from \(Formatter.dateRange(from: $0.from, to: $0.to))" } ?? "")
                  + ", ingested into the PeerLens store; the files and their SHA-256 are listed in the provenance at the end of this report."),
            .table(flow), .table(events),
            .text("Definitions: a member is included when they gave research consent. Other definitions are given with each analysis and in docs/community-health.md."),
            .list(ListBlock(statistical)),
            .table(software),
        ]
        if !seeds.isEmpty {
            blocks.append(.table(Table(caption: "Random seeds", columns: [Column("What it seeds", alignment: .left), Column("Seed")],
                                       rows: seeds.sorted { $0.key < $1.key }.map { [.text($0.key), .text("\($0.value)")] }, disclosive: false)))
        }
        return Section("Methods", blocks: blocks)
    }

    static func limitations(contributions: [any ReportContribution], omitted: [String], context: ReportContext) -> Section {
        var items = [
            "Observational design: the data describe members who used the service; differences between groups or over time do not show what the service caused.",
            "Attrition: members who stopped using the service early contribute less, or nothing, to measures that need a second observation; they may have fared differently.",
            "Consent: members without research consent are excluded; if consent is related to outcomes, the included members are not representative of all members.",
            "Review sampling: where figures rest on human reviews of a sample of messages, they assume the sample is random, or that its sampling weights are right.",
        ]
        for c in contributions { items += c.limitations(context) }
        if context.policy.lowered { items.append("The minimum cell count was lowered to \(context.policy.threshold) by an explicit option: small groups are shown that the default of \(DisclosurePolicy.defaultThreshold) would hide.") }
        var blocks: [Block] = [.list(ListBlock(items))]
        if let note = Build.omissions(omitted) { blocks.append(note) }
        return Section("Limitations", blocks: blocks)
    }
}

/// The mood outcomes with their analysis already run: the report builds its sections, inclusion steps and
/// summary from one `OutcomesReport` rather than analysing the store three times.
struct AnalysedMoodOutcomes: ReportContribution {
    let contribution: MoodOutcomesContribution
    let report: OutcomesReport

    func sections(_ context: ReportContext) throws -> [Section] {
        try MoodOutcomesContribution.sections(report, by: contribution.dose.rawValue)
    }
    func methods(_ context: ReportContext) -> [String] { contribution.methods(context) }
    func limitations(_ context: ReportContext) -> [String] { contribution.limitations(context) }
    func seeds(_ context: ReportContext) -> [String: UInt64] { contribution.seeds(context) }
    func inclusionSteps(_ context: ReportContext) throws -> [InclusionStep] {
        MoodOutcomesContribution.inclusionSteps(report)
    }
}
