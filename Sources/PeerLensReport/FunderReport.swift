import PeerLensDocument
import PeerLensCommunity

/// The funder's SDG impact summary: one screen of headline figures in plain language, each tied to its SDG
/// target; reach and equity; outcomes with intervals in words; safety (crisis response within 15 minutes);
/// cost per outcome when a cost is given; the community-health index; and what the figures cannot tell.
/// Figures come from `ImpactReport` and `CommunityHealthReport`.
public enum FunderReport {
    /// Builds the report.
    ///
    /// - Throws: `HealthError` when the store holds no members.
    public static func build(_ context: ReportContext) throws -> ReportDocument {
        var options = ImpactOptions()
        options.disclosureThreshold = context.policy.threshold
        options.cost = context.options.cost
        options.currency = context.options.currency
        let impact = try ImpactReport.analyse(store: context.store, options: options)
        var omitted: [String] = []
        var sections = [glance(impact), reach(impact, context: context), outcomes(impact), safety(impact)]
        if context.options.cost != nil { sections.append(cost(impact, context: context)) }
        if let health = Build.attempt("community health", &omitted, { try CommunityHealthContribution(overTime: false).sections(context) }) {
            sections += health
        }
        sections.append(Section("What these figures cannot tell", blocks: [.list(ListBlock(impact.limitations)), .note(Note(impact.consentNote.prefix(1).uppercased() + impact.consentNote.dropFirst() + " (\(context.policy.describe(count: impact.membersExcluded)) members).", kind: .caveat))]
                                + (Build.omissions(omitted).map { [$0] } ?? [])))
        return context.document(title: "Impact summary for funders", audience: .funder,
                                subtitle: "From \(impact.from.prefix(10)) to \(impact.to.prefix(10)), against the Sustainable Development Goals (SDG 3.4, 3.4.2, 3.8, 5, 10.2, 17.18)",
                                sections: sections)
    }

    /// `SDG 3.4, 3.8`.
    static func tag(_ sdg: [String]) -> String { "SDG " + sdg.joined(separator: ", ") }

    static func label(_ key: String) -> String {
        switch key {
        case "people_reached": "People reached"
        case "conversations": "Support conversations"
        case "matches": "Peer-support matches"
        case "supporters_trained": "Peer supporters trained"
        case "reliable_improvement_phq9": "Improved reliably (depression, PHQ-9)"
        case "recovery_phq9": "Recovered (depression, PHQ-9)"
        case "reliable_recovery_phq9": "Recovered reliably (depression, PHQ-9)"
        case "reliable_improvement_gad7": "Improved reliably (anxiety, GAD-7)"
        case "recovery_gad7": "Recovered (anxiety, GAD-7)"
        case "reliable_recovery_gad7": "Recovered reliably (anxiety, GAD-7)"
        case "cost_per_person_reached": "Cost per person reached"
        case "cost_per_reliable_improvement": "Cost per reliable improvement"
        default: key.hasPrefix("crises_responded_within_") ? "Crises answered in time" : key.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// A headline figure as a key figure: the count or rate, the interval in words, the statement.
    static func figure(_ f: ImpactFigure) -> KeyFigure {
        guard !f.suppressed else {
            return KeyFigure(label: label(f.key), value: "withheld", tag: tag(f.sdg), note: f.statement.prefix(1).uppercased() + f.statement.dropFirst() + ".", suppressed: true)
        }
        let value: String
        var interval: String?
        if f.key.hasPrefix("cost_") {
            value = f.value.map { Formatter.fixed($0, 2) } ?? "n/a"
        } else if let v = f.value {
            value = Formatter.number(v, .percent(0))
            interval = f.lower.flatMap { l in f.upper.map { "between \(Formatter.number(l, .percent(0))) and \(Formatter.number($0, .percent(0)))" } }
        } else {
            value = f.count.map(Formatter.grouped) ?? "none"
        }
        return KeyFigure(label: label(f.key), value: value, interval: interval, tag: tag(f.sdg),
                         note: f.statement.prefix(1).uppercased() + f.statement.dropFirst() + ".", basis: f.value == nil ? f.count : nil)
    }

    static func glance(_ r: ImpactReport) -> Section {
        let keys = ["people_reached", "conversations", "supporters_trained", "reliable_improvement_phq9", "reliable_improvement_gad7"]
        let figures = keys.compactMap { k in r.headline.first { $0.key == k } } + r.headline.filter { $0.key.hasPrefix("crises_responded_within_") }
        return Section("At a glance", blocks: [
            .keyFigures(figures.map(figure)),
            .text("Each figure names the Sustainable Development Goal target it reports on. A range such as \"between 38% and 45%\" is where the true figure most likely lies (a 95% interval): the data cannot pin it down more closely."),
        ])
    }

    static func reach(_ r: ImpactReport, context: ReportContext) -> Section {
        var blocks: [Block] = [
            .text("Who the service reached, and whether outcomes differ between groups (SDG 5 gender equality, 10.2 inclusion, 17.18 disaggregated data). Groups too small to publish are shown as suppressed."),
        ]
        for b in r.equity {
            let by = b.by.replacingOccurrences(of: "_", with: " ")
            let isReach = b.measure == "reach"
            let rows: [[Cell]] = b.groups.enumerated().map { i, g in
                let count: Cell = g.suppressed ? .suppressed : (g.count.map { .count($0) } ?? .empty)
                let rate: Cell = g.rate.map { .number(NumberCell($0, format: .percent(1), lower: g.lower, upper: g.upper, derivedFrom: CellReference(row: i, column: 1))) }
                    ?? (g.suppressed || !isReach ? .suppressed : .empty)
                var row: [Cell] = [.text(g.group), count, rate]
                if !isReach { row.append(g.gap.map { .number(NumberCell($0, format: .percentagePoints(1), derivedFrom: CellReference(row: i, column: 1))) } ?? .empty) }
                return row
            }
            var columns = [Column(by.prefix(1).uppercased() + by.dropFirst(), alignment: .left), Column(isReach ? "People reached" : "People measured", unit: "n"),
                           Column(isReach ? "Share of people reached" : "Improved reliably", unit: "%")]
            if !isReach { columns.append(Column("Difference from the overall rate", unit: "pp")) }
            blocks.append(.table(Table(
                caption: isReach ? "People reached by \(by) (\(tag(b.sdg)))" : "Reliable improvement in depression (PHQ-9) by \(by) (\(tag(b.sdg)))",
                columns: columns, rows: rows,
                notes: (isReach ? [] : ["Members with two or more PHQ-9 check-ins; a rate is withheld when fewer than \(r.disclosureThreshold) people in the group improved, or did not."])
                    + (b.largestGap.map { ["Largest difference from the overall rate: \(Formatter.number($0, .percentagePoints(1)))."] } ?? []),
                margins: [MarginGroup(rows: Array(rows.indices), columns: [1])])))
        }
        return Section("Reach and equity", blocks: blocks)
    }

    static func outcomes(_ r: ImpactReport) -> Section {
        let keys = ["reliable_improvement_phq9", "recovery_phq9", "reliable_recovery_phq9", "reliable_improvement_gad7", "recovery_gad7", "reliable_recovery_gad7"]
        let figures = keys.compactMap { k in r.headline.first { $0.key == k } }
        var blocks: [Block] = [
            .text("Change in depression (PHQ-9) and anxiety (GAD-7) scores between a member's first and last check-in, as NHS Talking Therapies defines it: a reliable improvement is a fall of at least 6 (PHQ-9) or 4 (GAD-7) points; recovery is moving from at or above the clinical cut-off (10 and 8) to below it."),
            .list(ListBlock(figures.map { $0.statement.prefix(1).uppercased() + $0.statement.dropFirst() + "." })),
        ]
        let points = figures.compactMap { f -> ChartPoint? in
            guard !f.suppressed, let v = f.value else { return nil }
            return ChartPoint(x: v, y: 0, lower: f.lower, upper: f.upper, count: f.count, label: label(f.key))
        }
        if !points.isEmpty {
            blocks.append(.chart(Chart(title: "Outcomes with their 95% intervals",
                                       description: "Share of members measured twice or more who improved reliably or recovered, each with the range in which the true share most likely lies.",
                                       kind: .forest, xAxis: Axis("Share of members", unit: "%", lower: 0, upper: 1, format: .percent(0)), yAxis: Axis("Outcome"),
                                       series: [ChartSeries("outcomes", points: points)])))
        }
        return Section("Outcomes", blocks: blocks)
    }

    static func safety(_ r: ImpactReport) -> Section {
        let crisis = r.headline.filter { $0.key.hasPrefix("crises_responded_within_") }
        return Section("Safety", blocks: [
            .text("How fast a person in crisis reached a human responder (SDG 3.4.2: suicide prevention). Alerts raised in the last minutes of the data are left out, since their window had not closed."),
            .keyFigures(crisis.map(figure)),
        ])
    }

    static func cost(_ r: ImpactReport, context: ReportContext) -> Section {
        let costs = r.headline.filter { $0.key.hasPrefix("cost_") }
        return Section("Cost per outcome", blocks: [
            .text("The programme cost given (\(context.options.currency) \(Formatter.fixed(context.options.cost ?? 0, 2))) divided by the people reached, and by the members who improved reliably on PHQ-9 or GAD-7. These are averages: they do not say what one more person would cost, nor that the service caused the improvement."),
            .keyFigures(costs.map { f in
                var k = figure(f)
                if !f.suppressed { k.value = context.options.currency + " " + k.value }
                return k
            }),
        ])
    }
}
