import PeerLensDocument
import PeerLensCommunity
import PeerLensLog
import PeerLensStore

/// The community-health index as report sections: the whole period (index and every component and measure),
/// and, for researchers, the index per period with its band. The builders (`figure`, `componentsTable`,
/// `periodTable`, `periodChart`) are shared with `peerlens health`, so the command and the reports cannot
/// disagree. Every value carries the people it rests on (`basis`): the disclosure policy withholds it.
public struct CommunityHealthContribution: ReportContribution {
    /// Also show the index per week (research report); the funder report shows the whole period only.
    public var overTime: Bool
    /// Plain words for readers who are not researchers (funder report): the same numbers, with the measures
    /// named in words, no unit or status column, and no bootstrap details.
    public var plain: Bool

    /// The heaviest part of the research and funder reports: the interaction graph and two bootstraps.
    public var relativeCost: Int { 10 }

    /// Creates the contribution.
    public init(overTime: Bool = true, plain: Bool = false) {
        self.overTime = overTime
        self.plain = plain
    }

    func options(_ context: ReportContext, over: HealthOptions.Period) -> HealthOptions {
        var o = HealthOptions()
        o.over = over
        o.bySpace = false
        o.replicates = max(context.options.healthReplicates, 100)
        o.seed = context.options.seed
        // Measures the policy will withhold stay out of the composite scores, so that they cannot be worked out.
        o.compositeMinimum = context.policy.threshold
        return o
    }

    /// The paragraph that introduces the index.
    public static let introduction = "How well the community looks after its members: six components (responsiveness, reciprocity, inclusion, safety, retention, capacity), each from measures mapped to 0–100 by a stated rule, computed per full week; the index is the weighted mean of the components. Every week's index is made of the same measures: one without data in some full week is left out of every week, never counted as 0 or 100. The whole-period index is the mean of the full weeks. Safety counts harmful messages (a standing moderation action for harm, once per message) and how fast they are actioned, not how much moderation there is."

    /// The community-health section.
    ///
    /// - Throws: `HealthError` when the store holds no messages.
    public func sections(_ context: ReportContext) throws -> [Section] {
        // One attribution of the messages to members and weeks serves the whole period and the weeks; the
        // embedded store keeps it for the run, so the research and funder reports of one run share it, and the
        // whole-period index too.
        let local = context.store as? EventStore
        let end = try context.store.dataSpan(of: EventType.allCases)?.last ?? 0
        let options = options(context, over: .all)
        func key(_ period: HealthOptions.Period) -> String { "community health \(period) \(options)" }
        let periods: [HealthOptions.Period] = overTime ? [.all, .week] : [.all]
        let reports: [CommunityHealthReport]
        if !overTime, let whole = local?.remembered(key(.all), as: CommunityHealthReport.self) {
            reports = [whole]
        } else {
            let tallies = try context.store.weeklyHealthTallies(dataEnd: end, bySpace: false)
            reports = try CommunityHealthReport.analyse(tallies, dataEnd: end, options: options, over: periods)
            for (period, report) in zip(periods, reports) { local?.remember(key(period), report) }
        }
        let whole = reports[0]
        var blocks: [Block] = [.text(plain ? Self.plainIntroduction : Self.introduction)]
        if let cell = whole.cells.first(where: { $0.space == "all" }) {
            blocks += plain ? Self.plainWholePeriodBlocks(whole, cell: cell) : Self.wholePeriodBlocks(whole, cell: cell)
        }
        if overTime {
            let weekly = reports[1]
            blocks.append(.table(Build.withoutEmptyColumns(Self.periodTable(weekly, space: "all"), why: "a component without data in some full week is in no week's index")))
            if let chart = Self.periodChart(weekly, space: "all") { blocks.append(.chart(chart)) }
        }
        return [Section("Community health", blocks: blocks)]
    }

    // MARK: Plain words (funder report)

    /// The paragraph that introduces the index to readers who are not researchers.
    public static let plainIntroduction = "How well the community looks after its members, in six areas: whether people get a reply (responsiveness), whether help goes both ways (reciprocity), whether everyone is included (inclusion), safety from harmful messages, whether members stay (retention), and whether there are enough supporters (capacity). Each measure is turned into a score from 0 (poor) to 100 (good) by a published rule; an area's score is the average of its measures, and the index is the average of the areas. Figures are averages over the full weeks of the period."

    /// The plain name of a measure, with its unit where the value needs one (the value column has no unit).
    public static func plainName(_ m: HealthMeasure) -> String {
        switch m {
        case .answeredWithinHour: "Conversations answered within an hour"
        case .medianMinutesToFirstReply: "Minutes to the first reply (median)"
        case .unansweredAfterWeek: "Conversations still unanswered after 7 days"
        case .reciprocalMembers: "Members who both gave and received replies"
        case .giniOfRepliesReceived: "How unevenly replies are shared out (0 = evenly, 1 = all to one member)"
        case .newcomersReplied: "Newcomers who got a reply within 7 days"
        case .harmfulPerThousand: "Harmful messages per 1,000 messages"
        case .medianMinutesToHarmAction: "Minutes to act on a harmful message (median)"
        case .appealOverturnRate: "Moderation decisions overturned on appeal"
        case .fourWeekRetention: "Members still active four weeks later"
        case .supportersPerSeeker: "Supporters per help seeker"
        case .repliesPerSupporter: "Replies per supporter"
        case .topDecileReplyShare: "Replies written by the busiest tenth of supporters"
        }
    }

    /// The key figure and the plain-words table of one cell (the funder report's whole period).
    public static func plainWholePeriodBlocks(_ r: CommunityHealthReport, cell: HealthCell) -> [Block] {
        var index = figure(r, cell: cell, label: "Community-health index")
        if index.notEvaluable == nil {
            index.note = "Out of 100: the average of the weekly scores over the full weeks; the range is where the true index most likely lies (a \(Self.level(r.level)) interval)."
        }
        return [.keyFigures([index]), .table(plainTable(r, cell: cell))]
    }

    /// The same values and scores as `componentsTable`, in plain words: each area's score, then its measures
    /// by name, with the value (its interval in brackets) and the score out of 100. Each value rests on the
    /// same people as there, so the policy withholds the same cells.
    public static func plainTable(_ r: CommunityHealthReport, cell: HealthCell) -> Table {
        let members = cell.activeMembers
        var rows: [[Cell]] = [
            [.text("Activity"), .text("Members who posted"), .count(members), .empty],
            [.text("Activity"), .text("Conversations started"), .number(NumberCell(Double(cell.threads), format: .integer, basis: members)), .empty],
            [.text("Activity"), .text("Messages posted"), .number(NumberCell(Double(cell.messages), format: .integer, basis: members)), .empty],
        ]
        var leftOut = false
        for component in cell.components {
            let area = component.component.rawValue.prefix(1).uppercased() + component.component.rawValue.dropFirst()
            let status = component.score != nil ? "Area score" : cell.missingComponents.contains(component.component) ? "Area score: not counted (no data in some week)" : "Area score: no data"
            rows.append([.text(area), .text(status), .empty, Build.cell(component.score, .decimal(0), lower: component.lower, upper: component.upper, basis: members)])
            for m in component.measures {
                let format: NumberFormat = m.measure.unit == "share" ? .percent(1) : .decimal(2)
                let basis = min(m.cases, members)
                let counted = m.status == "ok" && m.inComposite
                if !counted { leftOut = true }
                rows.append([.text(area), .text(plainName(m.measure) + (counted ? "" : " (not counted in the index)")),
                             Build.cell(m.value, format, lower: m.lower, upper: m.upper, basis: basis), Build.cell(m.score, .decimal(0), basis: basis)])
            }
        }
        var notes = ["Members without research consent are left out, as everywhere in this report.",
                     "Values and scores are averages over the full weeks; the range in brackets is where the true value most likely lies (a \(Self.level(r.level)) interval)."]
        if leftOut { notes.append("A measure is counted in the index only when it has enough data in every full week; the others are shown but not counted.") }
        return Table(caption: "Community health by area and measure, whole period",
                     columns: [Column("Area", alignment: .left), Column("Measure", alignment: .left), Column("Value"), Column("Score", unit: "0–100")],
                     rows: rows, notes: notes)
    }

    // MARK: Builders shared with `peerlens health`

    /// `95%` for a level of 0.95.
    public static func level(_ level: Double) -> String { "\(Formatter.fixed(level * 100, 0))%" }

    /// The index of one cell as a key figure, resting on its active members.
    public static func figure(_ r: CommunityHealthReport, cell: HealthCell, label: String) -> KeyFigure {
        guard let index = cell.index else {
            return .notEvaluable(label: label, reason: cell.activeMembers == 0 ? "no activity" : "no component has data")
        }
        return KeyFigure(label: label, value: Formatter.fixed(index, 0) + " / 100",
                         interval: cell.indexLower.flatMap { l in cell.indexUpper.map { "\(Self.level(r.level)) interval \(Formatter.fixed(l, 0)) to \(Formatter.fixed($0, 0))" } },
                         note: cell.period == "all"
                            ? "The mean of the weekly indices over the full weeks (each over the members who posted that week), not one index over the whole period; percentile bootstrap resampling members across all weeks (\(r.replicates) replicates, seed \(r.seed))."
                            : "Over the members who posted in the week; percentile bootstrap over members (\(r.replicates) replicates, seed \(r.seed)).",
                         basis: cell.activeMembers)
    }

    /// The key figure and the components-and-measures table of one cell (the report's whole period).
    public static func wholePeriodBlocks(_ r: CommunityHealthReport, cell: HealthCell) -> [Block] {
        [.keyFigures([figure(r, cell: cell, label: cell.space == "all" ? "Community-health index, whole period (mean of the weeks)" : "Community-health index, whole period (mean of the weeks), \(cell.space)")]),
         .table(componentsTable(r, cell: cell))]
    }

    /// The row label of the cell's counts and of a component's own score in `componentsTable`.
    static let countsRow = "Activity", componentRow = "Component score"

    /// A measure's name for researchers: its definition's words in sentence case (`gini_of_replies_received` →
    /// "Gini of replies received"), with units written out.
    static func measureName(_ m: HealthMeasure) -> String {
        switch m {
        case .answeredWithinHour: "Answered within 1 hour"
        case .harmfulPerThousand: "Harmful messages per 1,000"
        case .fourWeekRetention: "Four-week retention"
        case .topDecileReplyShare: "Top-decile reply share"
        case .supportersPerSeeker: "Supporters per help seeker"
        default: CategoryLabels.sentenceCase(m.rawValue)
        }
    }

    /// Every component and measure of one cell: value with interval, score, cases. Each value rests on the
    /// fewer of its cases and the cell's active members.
    public static func componentsTable(_ r: CommunityHealthReport, cell: HealthCell) -> Table {
        let members = cell.activeMembers
        var rows: [[Cell]] = [
            [.text(Self.countsRow), .text("Active members"), .count(members), .empty, .empty, .text("Members")],
            [.text(Self.countsRow), .text("Threads opened"), .number(NumberCell(Double(cell.threads), format: .integer, basis: members)), .empty, .empty, .text("Threads")],
            [.text(Self.countsRow), .text("Messages posted"), .number(NumberCell(Double(cell.messages), format: .integer, basis: members)), .empty, .empty, .text("Messages")],
        ]
        for component in cell.components {
            let name = CategoryLabels.sentenceCase(component.component.rawValue)
            rows.append([.text(name), .text(Self.componentRow), .empty,
                         Build.cell(component.score, .decimal(0), lower: component.lower, upper: component.upper, basis: members), .empty,
                         .text(component.score != nil ? "" : cell.missingComponents.contains(component.component) ? "Not in the index (no data in some full week)" : "No data")])
            for m in component.measures {
                let format: NumberFormat = m.measure.unit == "share" ? .percent(1) : .decimal(2)
                let basis = min(m.cases, members)
                rows.append([.text(name), .text(Self.measureName(m.measure)),
                             Build.cell(m.value, format, lower: m.lower, upper: m.upper, basis: basis),
                             Build.cell(m.score, .decimal(0), basis: basis),
                             m.cases == 0 ? .count(0) : .number(NumberCell(Double(m.cases), format: .integer, basis: basis)),
                             .text(CategoryLabels.sentenceCase(m.status == "ok" ? m.measure.unit + (m.inComposite ? "" : "; not in the index") : m.status))])
            }
        }
        let place = cell.space == "all" ? "all spaces" : "space \(cell.space)"
        let period = cell.period == "all" ? "whole period" : "week of \(cell.period)"
        var notes: [String] = [r.consentNote.prefix(1).uppercased() + r.consentNote.dropFirst() + ".",
                               "Rules mapping each measure to 0–100 are in docs/community-health.md; intervals are \(Self.level(r.level)) percentile bootstrap intervals over active members.",
                               "A measure enters its component and the index only when it is scored and has data, with enough cases to publish, in every full week; the others are marked `not in the index`."]
        if cell.period == "all" {
            notes.append("Whole period: each value, score, component and the index is the mean over the full weeks (a measure not in the index: over the weeks in which it has a value); cases are summed over those weeks, so members there are member-weeks.")
        }
        if let note = cell.note.map(Formatter.humanDates(in:)) { notes.append(note.prefix(1).uppercased() + note.dropFirst() + ".") }
        return Table(caption: "Community-health components and measures, \(period), \(place)",
                     columns: [Column("Component", alignment: .left), Column("Measure", alignment: .left), Column("Value"),
                               Column("Score", unit: "0–100"), Column("Cases", unit: "n"), Column("Unit or status", alignment: .left)],
                     rows: rows, notes: notes)
    }

    /// The index and the component scores per period of one space, each with its interval, resting on the
    /// period's active members.
    public static func periodTable(_ r: CommunityHealthReport, space: String) -> Table {
        let cells = r.cells.filter { $0.space == space }
        let rows: [[Cell]] = cells.map { c in
            let n = c.activeMembers
            return [.text(c.period), .count(n), .number(NumberCell(Double(c.threads), format: .integer, basis: n)),
                    Build.cell(c.index, .decimal(0), lower: c.indexLower, upper: c.indexUpper, basis: n)]
                + HealthComponent.allCases.map { comp in
                    let v = c.components.first { $0.component == comp }
                    return Build.cell(v?.score, .decimal(0), lower: v?.lower, upper: v?.upper, basis: n)
                }
                + [.text(c.note ?? "")]
        }
        let unit = r.over == .week ? "Week (Monday)" : "Period"
        let included = cells.first { !$0.indexComponents.isEmpty }.map { c in
            "Components in the index of every scored week: \(c.indexComponents.map(\.rawValue).joined(separator: ", "))"
                + (c.missingComponents.isEmpty ? "." : "; left out of every week (no data in some full week): \(c.missingComponents.map(\.rawValue).joined(separator: ", ")).")
        }
        return Table(caption: "Community-health index per \(r.over == .week ? "week" : "period"), \(space == "all" ? "all spaces" : "space \(space)")",
                     columns: [Column(unit, alignment: .left), Column("Active members", unit: "n"), Column("Threads opened", unit: "n"), Column("Index", unit: "0–100")]
                         + HealthComponent.allCases.map { Column($0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst(), unit: "0–100") }
                         + [Column("Note", alignment: .left)],
                     rows: rows,
                     notes: ["Index and components with \(Self.level(r.level)) percentile bootstrap intervals over the members who posted in the period (\(r.replicates) replicates, seed \(r.seed)).",
                             "Every scored week's index is made of the same components and measures; a measure without data in some full week is left out of every week. A partial week (the data cover only part of it) or one with too few active members has no index.",
                             "Members may post in several periods and spaces, so active members do not add up across rows."] + (included.map { [$0] } ?? []))
    }

    /// The index per period of one space as a chart with its band (nil with fewer than two periods).
    public static func periodChart(_ r: CommunityHealthReport, space: String) -> Chart? {
        let points = r.cells.filter { $0.space == space }.compactMap { c in
            c.index.map { ChartPoint(x: 0, y: $0, lower: c.indexLower, upper: c.indexUpper, count: c.activeMembers, label: c.period) }
        }
        guard points.count >= 2 else { return nil }
        return Chart(title: "Community-health index per week" + (space == "all" ? "" : ", \(space)"),
                     description: "The index (0–100) of each full week, with its \(Self.level(r.level)) bootstrap interval as a band; every week's index is made of the same components.",
                     kind: .periods, xAxis: Axis("Week (Monday)"), yAxis: Axis("Index", unit: "0–100", lower: 0, upper: 100, format: .decimal(0)),
                     series: [ChartSeries("index", points: points, band: true, dots: true)])
    }

    /// The index's definition and uncertainty, for Methods.
    public func methods(_ context: ReportContext) -> [String] {
        ["Community-health index: thirteen measures per full week (over all spaces) over the members who posted in it, each mapped to 0–100 by a stated rule, averaged within six components; the index is the weighted mean of the components (equal weights), made of the same measures in every week (a measure without data in some full week is left out of all of them). The whole-period index is the mean of the weekly indices. Safety: harmful messages (a standing moderation action for harm) per 1,000 messages and the median minutes to act on them. Intervals: 95% percentile bootstrap resampling active members within each week, and members across the weeks for the whole-period mean (\(max(context.options.healthReplicates, 100)) replicates). Definitions in docs/community-health.md."]
    }

    /// The bootstrap seed.
    public func seeds(_ context: ReportContext) -> [String: UInt64] { ["community-health bootstrap": context.options.seed] }

    /// What the index cannot tell.
    public func limitations(_ context: ReportContext) -> [String] {
        ["The community-health index weighs its components by choice, not by evidence of their effect on members; read the components, not only the index."]
    }
}
