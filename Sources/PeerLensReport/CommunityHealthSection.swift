import PeerLensCommunity
import PeerLensStore

/// The community-health index as report sections: the whole period (index and every component and measure),
/// and, for researchers, the index per period with its band.
public struct CommunityHealthContribution: ReportContribution {
    /// Also show the index per week (research report); the funder report shows the whole period only.
    public var overTime: Bool

    /// Creates the contribution.
    public init(overTime: Bool = true) { self.overTime = overTime }

    func options(_ context: ReportContext, over: HealthOptions.Period) -> HealthOptions {
        var o = HealthOptions()
        o.over = over
        o.bySpace = false
        o.replicates = max(context.options.healthReplicates, 100)
        o.seed = context.options.seed
        o.disclosureThreshold = context.policy.threshold
        return o
    }

    /// The community-health section.
    ///
    /// - Throws: `HealthError` when the store holds no messages.
    public func sections(_ context: ReportContext) throws -> [Section] {
        // One read of the interaction graph serves the whole period and the weeks.
        let (graph, end) = try context.store.interactionGraphAndDataEnd()
        guard !graph.time.isEmpty else { throw HealthError("the store holds no messages: community health needs threads and replies") }
        let whole = try CommunityHealthReport.analyse(graph, dataEnd: end, options: options(context, over: .all))
        var blocks: [Block] = [
            .text("How well the community looks after its members: six components (responsiveness, reciprocity, inclusion, safety, retention, capacity), each from measures mapped to 0–100 by a stated rule; the index is the weighted mean of the components that have data. A component without data is left out, never counted as 0 or 100."),
        ]
        if let cell = whole.cells.first(where: { $0.space == "all" }) {
            if cell.suppressed {
                blocks.append(.note(Note(cell.note ?? "Too few active members: suppressed.", kind: .disclosure)))
            } else {
                let index = cell.index.map { Formatter.fixed($0, 0) } ?? "unavailable"
                blocks.append(.keyFigures([KeyFigure(
                    label: "Community-health index, whole period", value: index + (cell.index == nil ? "" : " / 100"),
                    interval: cell.indexLower.flatMap { l in cell.indexUpper.map { "95% interval \(Formatter.fixed(l, 0)) to \(Formatter.fixed($0, 0))" } },
                    note: "Over \(context.policy.describe(count: cell.activeMembers ?? 0)) active members; percentile bootstrap over members (\(whole.replicates) replicates, seed \(whole.seed)).",
                    basis: cell.activeMembers)]))
                var rows: [[Cell]] = []
                for component in cell.components {
                    rows.append([.text(component.component.rawValue), .text("(component)"), .empty,
                                 Build.cell(component.score, .decimal(0), lower: component.lower, upper: component.upper), .empty, .text(component.score == nil ? "no data" : "")])
                    for m in component.measures {
                        let format: NumberFormat = m.measure.unit == "share" ? .percent(1) : .decimal(2)
                        rows.append([.text(component.component.rawValue), .text(m.measure.rawValue.replacingOccurrences(of: "_", with: " ")),
                                     m.value.map { .number(NumberCell($0, format: format, lower: m.lower, upper: m.upper)) } ?? (m.status.hasPrefix("suppressed") ? .suppressed : .empty),
                                     Build.cell(m.score, .decimal(0)), m.cases.map { .count($0) } ?? (m.status.hasPrefix("suppressed") ? .suppressed : .empty),
                                     .text(m.status == "ok" ? m.measure.unit : m.status)])
                    }
                }
                blocks.append(.table(Table(caption: "Community-health components and measures, whole period, all spaces",
                                           columns: [Column("Component", alignment: .left), Column("Measure", alignment: .left), Column("Value"),
                                                     Column("Score", unit: "0–100"), Column("Cases", unit: "n"), Column("Unit or status", alignment: .left)],
                                           rows: rows,
                                           notes: [whole.consentNote + ".", "Rules mapping each measure to 0–100 are in docs/community-health.md; intervals are 95% percentile bootstrap intervals over active members."])))
            }
        }
        if overTime {
            let weekly = try CommunityHealthReport.analyse(graph, dataEnd: end, options: options(context, over: .week))
            let cells = weekly.cells.filter { $0.space == "all" }
            let rows: [[Cell]] = cells.map { c in
                [.text(c.period), c.suppressed ? .suppressed : (c.activeMembers.map { .count($0) } ?? .empty),
                 Build.cell(c.index, .decimal(0), lower: c.indexLower, upper: c.indexUpper)]
                    + HealthComponent.allCases.map { comp in Build.cell(c.components.first { $0.component == comp }?.score, .decimal(0)) }
                    + [.text(c.note ?? "")]
            }
            blocks.append(.table(Table(caption: "Community-health index per week, all spaces",
                                       columns: [Column("Week (Monday)", alignment: .left), Column("Active members", unit: "n"), Column("Index", unit: "0–100")]
                                           + HealthComponent.allCases.map { Column($0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst(), unit: "0–100") }
                                           + [Column("Note", alignment: .left)],
                                       rows: rows, notes: ["Weeks with fewer than \(weekly.disclosureThreshold) active members are suppressed."])))
            let points = cells.compactMap { c in c.index.map { ChartPoint(x: 0, y: $0, lower: c.indexLower, upper: c.indexUpper, count: c.activeMembers, label: c.period) } }
            if points.count >= 2 {
                blocks.append(.chart(Chart(title: "Community-health index per week",
                                           description: "The index (0–100) of each week over all spaces, with its 95% bootstrap interval as a band. A partial last week rests on fewer days.",
                                           kind: .periods, xAxis: Axis("Week (Monday)"), yAxis: Axis("Index", unit: "0–100", lower: 0, upper: 100, format: .decimal(0)),
                                           series: [ChartSeries("index", points: points, band: true, dots: true)])))
            }
        }
        return [Section("Community health", blocks: blocks)]
    }

    /// The index's definition and uncertainty, for Methods.
    public func methods(_ context: ReportContext) -> [String] {
        ["Community-health index: thirteen measures per cell (a week or the whole period, over all spaces) over the members who posted in it, each mapped to 0–100 by a stated rule, averaged within six components; the index is the weighted mean of the components with data (equal weights). Intervals: 95% percentile bootstrap resampling active members within each cell (\(max(context.options.healthReplicates, 100)) replicates). Definitions in docs/community-health.md."]
    }

    /// The bootstrap seed.
    public func seeds(_ context: ReportContext) -> [String: UInt64] { ["community-health bootstrap": context.options.seed] }

    /// What the index cannot tell.
    public func limitations(_ context: ReportContext) -> [String] {
        ["The community-health index weighs its components by choice, not by evidence of their effect on members; read the components, not only the index."]
    }
}
