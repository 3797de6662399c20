import PeerLensDocument
import PeerLensLog
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
        // The cohort and every contribution at once (`Concurrently`); put together in their order.
        enum Part: Sendable { case cohort(Result<Cohort, any Error>), contribution(sections: [Section]?, omitted: [String]) }
        let parts = Concurrently.map(contributions.count + 1) { i -> Part in
            guard i > 0 else { return .cohort(Result { try Cohort.read(context.store) }) }
            let c = contributions[i - 1]
            let (sections, omitted) = Build.attempt(String(describing: type(of: c))) { try c.sections(context) }
            return .contribution(sections: sections, omitted: omitted)
        }
        guard case let .cohort(read) = parts[0] else { preconditionFailure("part 0 is the cohort") }
        let cohort = try read.get()
        var sections = [cohortSection(cohort, context: context)]
        var omitted: [String] = []
        var used: [any ReportContribution] = []
        for (c, part) in zip(contributions, parts.dropFirst()) {
            guard case let .contribution(s, o) = part else { preconditionFailure("parts after the first are contributions") }
            omitted += o
            if let s {
                sections += s
                used.append(c)
            }
        }
        sections.append(try methods(cohort, contributions: used, context: context))
        sections.append(limitations(contributions: used, omitted: omitted, context: context))
        let period = try context.dataPeriod()
        return context.document(title: "Evidence report", audience: .research,
                                subtitle: period.map { "Data from \($0.from) to \($0.to)" }, sections: sections)
    }

    // MARK: Cohort

    /// Members of the store with the attributes of Table 1.
    struct Cohort: Sendable {
        struct Member: Sendable { let role: String; let attributes: [String: [String]]; let consent: Bool }
        let members: [Member]
        let eventCounts: [(String, Int)]

        static let variables: [(key: String, label: String)] = [
            ("age_band", "Age band"), ("gender", "Gender"), ("region", "Region (country)"), ("resource_setting", "Resource setting"), ("condition", "Condition"),
        ]

        static func read(_ store: EventStore) throws -> Cohort {
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
        columns += roles.map { Column($0, unit: "n") }
        columns += [Column("All members", unit: "n"), Column("Share of all members", unit: "%")]
        var rows: [[Cell]] = []
        var margins: [MarginGroup] = []
        let total = included.count
        rows.append([.text("Members"), .text("all")] + roles.map { r in .count(included.filter { $0.role == r }.count) } + [.count(total), .empty])
        for (key, label) in Cohort.variables {
            var categories = Set<String>()
            for m in included { categories.formUnion(m.attributes[key] ?? []) }
            let sorted = categories.sorted { a, b in
                let na = a.hasPrefix("("), nb = b.hasPrefix("(")
                return na != nb ? !na : a < b
            }
            let first = rows.count
            for category in sorted {
                let members = included.filter { ($0.attributes[key] ?? []).contains(category) }
                let row = rows.count
                rows.append([.text(label), .text(category)] + roles.map { r in .count(members.filter { $0.role == r }.count) }
                            + [.count(members.count), total > 0 ? .number(NumberCell(Double(members.count) / Double(total), format: .percent(1),
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
                           rows: cohort.eventCounts.map { [.text($0.0), .count($0.1)] },
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
                                 + libraries.sorted { $0.key < $1.key }.map { [.text($0.key == "gsl" ? "GNU Scientific Library" : ($0.key == "sqlite" ? "SQLite" : $0.key)), .text($0.value)] },
                             disclosive: false)
        var blocks: [Block] = [
            .text("Data: anonymised interaction logs (log format v1) " + (period.map { "from \($0.from) to \($0.to)" } ?? "")
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
