import PeerLensDocument
import PeerLensLog
import PeerLensResearch
import PeerLensStats
import PeerLensStore

/// Shared cells of the research sections.
enum ResearchCells {
    /// A mean with its t interval (empty when absent).
    static func mean(_ m: MeanEstimate?, _ places: Int = 2) -> Cell {
        guard let m else { return .empty }
        return .number(NumberCell(m.mean, format: .decimal(places), lower: m.interval.lower, upper: m.interval.upper, basis: m.count))
    }

    /// A signed mean change with its interval.
    static func change(_ m: MeanEstimate?) -> Cell {
        guard let m else { return .empty }
        return .number(NumberCell(m.mean, format: .signed(2), lower: m.interval.lower, upper: m.interval.upper, basis: m.count))
    }

    /// An analysis's notes as one caveat: joined with semicolons, in sentence case (the analyses write their
    /// notes as clauses in lower case, for the command line), ending in a full stop.
    static func caveat(_ notes: [String]) -> Block {
        let text = notes.joined(separator: "; ")
        return .note(Note(text.prefix(1).uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : "."), kind: .caveat))
    }

    /// `table` with each row's label (a text first cell) starting with a capital letter: the analyses name
    /// their rows in lower case (`reliable improvement`), a table shows them as labels in sentence case.
    static func sentenceCasedLabels(_ table: Table) -> Table {
        var t = table
        t.rows = table.rows.map { row in
            guard case let .text(label)? = row.first else { return row }
            return [.text(label.prefix(1).uppercased() + label.dropFirst())] + row.dropFirst()
        }
        return t
    }

    /// A count that an analysis may have withheld (nil).
    static func count(_ n: Int?) -> Cell { n.map { .count($0) } ?? .suppressed }

    /// A p-value for prose: `p = 0.031`, `p < 0.001`.
    static func pPhrase(_ p: Double) -> String { Formatter.pPhrase(p) }

    /// A p-value as text (`0.031`, `< 0.001`).
    static func p(_ p: Double?) -> Cell { p.map { .text(Formatter.pValue($0)) } ?? .empty }

    /// The basis of a share shown as a key figure (which has no numerator): the smaller of its non-empty parts
    /// (numerator and complement), so that the policy withholds it when either is a small count.
    static func shareBasis(_ s: Share) -> Int? {
        guard let n = s.count, let total = s.total else { return nil }
        return [n, total - n].filter { $0 > 0 }.min() ?? total
    }

    /// `cell` withheld whenever the count cell at `reference` is suppressed (a group's figures go with its size).
    static func derived(_ cell: Cell, from reference: CellReference) -> Cell {
        guard case var .number(n) = cell else { return cell }
        n.derivedFrom = reference
        return .number(n)
    }
}

extension Cell {
    /// A number cell resting on `basis` people (other cells unchanged).
    func withBasis(_ basis: Int) -> Cell {
        guard case var .number(n) = self else { return self }
        n.basis = basis
        return .number(n)
    }
}

/// Mood outcomes (first vs last check-in, reliable change, recovery) as a report section.
public struct MoodOutcomesContribution: ReportContribution {
    /// The dose the outcomes are broken down by (with its trend test).
    public var dose: EngagementDose = .sessions
    /// Creates the contribution.
    public init(dose: EngagementDose = .sessions) { self.dose = dose }

    func report(_ context: ReportContext) throws -> OutcomesReport {
        var options = OutcomesOptions()
        options.by = .dose(dose)
        return try OutcomesReport.analyse(store: context.store, options: options)
    }

    /// One section per instrument: change, effect size, reliable change and recovery, sensitivity, dose.
    public func sections(_ context: ReportContext) throws -> [Section] {
        try Self.sections(try report(context), by: dose.rawValue)
    }

    /// The sections of an outcomes result: change, effect size, reliable change and recovery, sensitivity,
    /// and the breakdown by `by` (a dose such as `sessions`, or a member attribute), when it has one. Counts are
    /// the real ones: the disclosure policy suppresses when the document is rendered.
    ///
    /// - Throws: `ResearchError` when no instrument has check-ins.
    public static func sections(_ r: OutcomesReport, by: String) throws -> [Section] {
        guard !r.instruments.isEmpty else { throw ResearchError(r.notes.first ?? "no check-ins") }
        var blocks: [Block] = [.text("Each member's first check-in on an instrument is compared with a later one: \(r.window). Change is later − first: on symptom scales (PHQ-9, GAD-7) a fall is an improvement. Reliable change follows Jacobson & Truax (1991); reliable improvement, deterioration, recovery and reliable recovery per measure use the NHS Talking Therapies thresholds where the instrument has them, and the NHS Talking Therapies definitions proper score PHQ-9 and GAD-7 together (below).")]
        var rows: [[Cell]] = []
        var margins: [MarginGroup] = []
        for (row, i) in r.instruments.enumerated() {
            let n = i.membersAnalysed
            // The deciding figure first (the change with its interval), then whom it rests on, then the flow.
            rows.append([.text(i.instrument), ResearchCells.change(i.change), .count(n), ResearchCells.mean(i.baseline), ResearchCells.mean(i.final),
                         Build.cell(i.medianFollowUpDays, .decimal(0), basis: n), Build.cell(i.followUpLowerQuartileDays, .decimal(0), basis: n),
                         Build.cell(i.followUpUpperQuartileDays, .decimal(0), basis: n),
                         .count(i.membersWithCheckins), .count(i.membersNotYetDue), .count(i.membersWithOneCheckin), .count(i.membersWithShortFollowUp)])
            // With check-ins = not yet due + stopped + short follow-up + analysed.
            margins.append(MarginGroup(rows: [row], columns: [9, 10, 11, 2], rowTotalColumn: 8, columnTotalsPublished: false))
        }
        blocks.append(.table(Table(caption: "Change from first to last check-in", columns: [
            Column("Instrument", alignment: .left), Column("Change", unit: "points"), Column("Analysed", unit: "members"),
            Column("First", unit: "score"), Column("Last", unit: "score"),
            Column("Median follow-up", unit: "days"), Column("Follow-up, lower quartile", unit: "days"), Column("Follow-up, upper quartile", unit: "days"),
            Column("With check-ins", unit: "members"), Column("Follow-up not yet due", unit: "members"),
            Column("No follow-up although due", unit: "members"), Column("Short follow-up", unit: "members"),
        ], rows: rows, notes: [
            r.consentNote + ".", "Intervals are 95% t intervals.",
            "Follow-up not yet due: a single check-in (or none in the window asked for) whose follow-up could not have happened before the end of the data; these members are left out of the completers, the carried-forward analysis and the attrition.",
            "No follow-up although due: the attrition, whose change cannot be measured. Short follow-up: two or more check-ins, but fewer days apart than the minimum.",
            "Follow-up: days from the first to the compared check-in of the members analysed (median and quartiles); it is not the length of a course of treatment.",
        ], margins: margins)))
        var tests: [[Cell]] = []
        for i in r.instruments {
            let n = i.membersAnalysed
            // The effect sizes with their intervals first, then the tests.
            tests.append([.text(i.instrument),
                          i.baselineEffectSize.map { .number(NumberCell($0.d, format: .signed(2), lower: $0.intervalD.lower, upper: $0.intervalD.upper, basis: n)) } ?? .empty,
                          i.effectSize.map { .number(NumberCell($0.cohensD, format: .signed(2), lower: $0.intervalD.lower, upper: $0.intervalD.upper, basis: n)) } ?? .empty,
                          Build.cell(i.pairedT?.statistic, .decimal(2), basis: n), Build.cell(i.pairedT?.degreesOfFreedom, .decimal(0), basis: n), ResearchCells.p(i.pairedT?.pValue),
                          Build.cell(i.wilcoxon?.statistic, .decimal(1), basis: n), ResearchCells.p(i.wilcoxon?.pValue),
                          i.wilcoxon.map { .text($0.exact ? "exact" : "normal approximation") } ?? .empty])
        }
        blocks.append(.table(Table(caption: "Tests and standardised change, last vs first check-in", columns: [
            Column("Instrument", alignment: .left), Column("d", unit: "baseline SD"), Column("d_z", unit: "SD of differences"),
            Column("Paired t"), Column("df"), Column("Paired t", unit: "p"),
            Column("Wilcoxon V"), Column("Wilcoxon", unit: "p"), Column("Wilcoxon p from", alignment: .left),
        ], rows: tests, notes: [
            "d: mean change over the SD of the first scores (n − 1), the pre–post effect size of published benchmarks, with the 95% interval d ± 1.96·√(2(1 − r)/n + d²/(2n)), r the correlation of first and last scores (Becker 1988; metafor's SMCR).",
            "d_z: mean change over the SD of the differences (n − 1), with the normal-approximation 95% interval √(1/n + d_z²/(2n)); it grows with the correlation of the two scores and is not comparable with published pre–post effect sizes.",
        ])))
        let benchmarked = r.instruments.compactMap { i -> KeyFigure? in
            guard let e = i.baselineEffectSize else { return nil }
            return KeyFigure(label: "\(i.instrument) pre–post effect size d (baseline SD)", value: Formatter.number(e.d, .signed(2)),
                             interval: "95% CI \(Formatter.number(e.intervalD.lower, .signed(2))) to \(Formatter.number(e.intervalD.upper, .signed(2)))",
                             note: "Mean change over the SD of the first scores: the effect size that published pre–post benchmarks report (negative is improvement on symptom scales). Uncontrolled: it includes regression to the mean and natural recovery.",
                             basis: i.membersAnalysed)
        }
        if !benchmarked.isEmpty { blocks.append(.keyFigures(benchmarked)) }
        var definitions: [[Cell]] = []
        for i in r.instruments {
            let d = i.definition
            definitions.append([.text(i.instrument), .text(d.lowerIsBetter ? "lower" : "higher"),
                                d.reliability.map { .text("\(Formatter.number($0, .decimal(2))) (\(d.reliabilitySource ?? ""))") } ?? .text("none known"),
                                d.standardDeviation.map { .text("\(Formatter.number($0, .decimal(2))) (\(d.standardDeviationSource ?? ""))") } ?? .empty,
                                Build.cell(d.jacobsonTruaxThreshold, .decimal(2)),
                                .text(d.serviceThreshold.map { "\(Formatter.number($0, .decimal(2))) points (\(d.serviceThresholdSource ?? ""))" } ?? "none"),
                                .text(d.caseness.map { "\(d.lowerIsBetter ? "≥" : "≤") \(Formatter.number($0, .decimal(0)))" } ?? "none")])
        }
        blocks.append(.table(Table(caption: "Definitions of reliable change and caseness", columns: [
            Column("Instrument", alignment: .left), Column("Better", alignment: .left), Column("Reliability r", alignment: .left), Column("SD", alignment: .left),
            Column("Jacobson–Truax threshold", unit: "points"), Column("Reliable change threshold", alignment: .left), Column("Caseness", alignment: .left),
        ], rows: definitions, notes: [
            "Jacobson–Truax: change of at least 1.96·√2·SD·√(1 − r), with the instrument's published reliability r and the SD of the first scores (n − 1) unless given.",
        ], disclosive: false)))
        var rates: [[Cell]] = []
        for i in r.instruments {
            func share(_ s: Share?) -> Cell { s.map(Build.cell) ?? .empty }
            rates.append([.text(i.instrument), share(i.reliableImprovement), share(i.reliableDeterioration), share(i.rciImproved), share(i.rciDeteriorated),
                          i.atCaseness.map { .count($0) } ?? .empty, share(i.recovery), share(i.reliableRecovery)])
        }
        blocks.append(.table(Table(caption: "Reliable change and recovery", columns: [
            Column("Instrument", alignment: .left), Column("Reliable improvement", unit: "%"), Column("Reliable deterioration", unit: "%"),
            Column("Jacobson–Truax improved", unit: "%"), Column("Jacobson–Truax deteriorated", unit: "%"),
            Column("At caseness at first", unit: "members"), Column("Recovery", unit: "%"), Column("Reliable recovery", unit: "%"),
        ], rows: rates, notes: [
            "Reliable improvement and deterioration: change of at least the reliable change threshold in the better or worse direction, among the members analysed.",
            "Recovery: at caseness at the first check-in and not at the last, among those at caseness at first; reliable recovery adds reliable improvement.",
            "Each measure is scored on its own here; NHS Talking Therapies scores PHQ-9 and GAD-7 together (next table), which gives different figures.",
            "Wilson 95% intervals.",
        ])))
        if let c = r.combined { blocks.append(.table(ResearchCells.sentenceCasedLabels(combinedTable(c)))) }
        var sensitivity: [[Cell]] = []
        for i in r.instruments {
            for s in i.sensitivity {
                sensitivity.append([.text(i.instrument), .text(s.analysis == "locf" ? "Last observation carried forward" : "Completers"), .count(s.members),
                                    ResearchCells.change(s.meanChange), s.reliableImprovement.map(Build.cell) ?? .empty])
            }
        }
        if !sensitivity.isEmpty {
            blocks.append(.table(Table(caption: "Sensitivity analysis: completers vs last observation carried forward", columns: [
                Column("Instrument", alignment: .left), Column("Analysis", alignment: .left), Column("Members", unit: "n"), Column("Change", unit: "points"),
                Column("Reliable improvement", unit: "%"),
            ], rows: sensitivity, notes: ["Carried forward, a single check-in whose follow-up was due counts as no change: a lower bound if those who stopped did no worse. Members whose follow-up was not yet due are in neither analysis."])))
        }
        var doseRows: [[Cell]] = []
        var doseMargins: [MarginGroup] = []
        var findings: [String] = []
        var charts: [Block] = []
        for i in r.instruments {
            guard let b = i.breakdown else { continue }
            var points: [ChartPoint] = []
            var bandRows: [Int] = []
            for g in b.groups {
                let row = doseRows.count
                bandRows.append(row)
                // The band's figures go with its member count: withheld whenever the count is.
                let members = CellReference(row: row, column: 2)
                doseRows.append([.text(i.instrument), .text(g.group), .count(g.members),
                                 ResearchCells.derived(ResearchCells.change(g.meanChange), from: members),
                                 ResearchCells.derived(g.reliableImprovement.map(Build.cell) ?? .empty, from: members),
                                 ResearchCells.derived(g.recovery.map(Build.cell) ?? .empty, from: members)])
                if let m = g.meanChange { points.append(ChartPoint(x: m.mean, y: 0, lower: m.interval.lower, upper: m.interval.upper, count: g.members, label: g.group)) }
            }
            // The members of the bands add up to the members analysed, published above.
            doseMargins.append(MarginGroup(rows: bandRows, columns: [2]))
            if let t = b.trend {
                if let ca = t.improvementTrend {
                    findings.append("\(i.instrument): trend in reliable improvement across \(by) bands, Cochran–Armitage z = \(Formatter.number(ca.zStatistic, .signed(2))), \(ResearchCells.pPhrase(ca.pValue)).")
                }
                if let s = t.changePerBand, let ci = t.changePerBandInterval, let p = t.changePerBandP {
                    findings.append("\(i.instrument): change per \(by) band, adjusted for the first score, \(Formatter.number(s, .signed(2))) points (95% CI \(Formatter.number(ci.lower, .signed(2))) to \(Formatter.number(ci.upper, .signed(2))), \(ResearchCells.pPhrase(p))).")
                }
                findings += t.notes.map { "\(i.instrument): \($0)." }
            }
            if points.count >= 2 {
                charts.append(.chart(Chart(title: "\(i.instrument) change by \(by)",
                                           description: "Mean change from first to last check-in (points; negative is improvement on symptom scales) per \(by) group, with 95% intervals.",
                                           kind: .forest, xAxis: Axis("Change", unit: "points", format: .decimal(1)), yAxis: Axis(by.prefix(1).uppercased() + by.dropFirst()),
                                           series: [ChartSeries("change", points: points)], markers: [ChartMarker("no change", x: 0)],
                                           xRangeGroup: "change-by-\(Section.slug(by))")))
            }
        }
        var doseSection: [Section] = []
        if !doseRows.isEmpty {
            let isDose = EngagementDose(rawValue: by) != nil
            var notes = ["Each group's figures go with its member count, and are withheld with it. A share (reliable improvement, recovery) is also withheld when the members it counts, or those it does not, are too few to publish, even in a large group; and a group's count may be suppressed, however large, so that a small group's count cannot be worked out from the total analysed (the disclosure-control note below counts both kinds)."]
            if isDose { notes.append("Dose–response is observational: members who engage more may differ in other ways.") }
            var doseBlocks: [Block] = [.table(Table(caption: "Outcomes by \(by)\(isDose ? " between the first and last check-in" : "")", columns: [
                Column("Instrument", alignment: .left), Column(isDose ? "Band" : "Group", alignment: .left), Column("Members", unit: "n"), Column("Change", unit: "points"),
                Column("Reliable improvement", unit: "%"), Column("Recovery", unit: "%"),
            ], rows: doseRows, notes: notes, margins: doseMargins))]
            doseBlocks += charts
            if !findings.isEmpty { doseBlocks.append(.list(ListBlock(findings))) }
            doseSection = [Section(isDose ? "Outcomes by engagement dose" : "Outcomes by \(by)", id: "outcomes-dose", blocks: doseBlocks)]
        }
        let notes = r.instruments.flatMap { i in i.notes.map { "\(i.instrument): \($0)" } } + r.notes
        if !notes.isEmpty { blocks.append(ResearchCells.caveat(notes)) }
        return [Section("Mood outcomes", id: "mood-outcomes", blocks: blocks, subsections: doseSection)]
    }

    /// The NHS Talking Therapies outcomes of PHQ-9 and GAD-7 scored together, as a table: each share with its
    /// denominator (paired members, or those at caseness).
    static func combinedTable(_ c: CombinedOutcomes) -> Table {
        let days = OutcomesReport.days(c.pairWithinDays)
        let paired = CellReference(row: 0, column: 2), cases = CellReference(row: 1, column: 2)
        return Table(caption: "NHS Talking Therapies outcomes, PHQ-9 and GAD-7 scored together", columns: [
            Column("Outcome", alignment: .left), Column("Out of", alignment: .left), Column("Members", unit: "n"), Column("Share", unit: "%"),
        ], rows: [
            [.text("paired on both measures"), .empty, .count(c.members), .empty],
            [.text("at caseness at the start"), .text("paired members"), .count(c.atCaseness), .empty],
            [.text("not at caseness at the start"), .text("paired members"), .count(c.members - c.atCaseness), .empty],
            [.text("both measured, first check-ins more than \(days) days apart: not paired"), .empty, .count(c.membersNotPaired), .empty],
            // Each share goes with its denominator's count, and is withheld with it.
            [.text("recovery"), .text("members at caseness at the start"), .empty, ResearchCells.derived(Build.cell(c.recovery), from: cases)],
            [.text("reliable recovery"), .text("members at caseness at the start"), .empty, ResearchCells.derived(Build.cell(c.reliableRecovery), from: cases)],
            [.text("reliable improvement"), .text("paired members"), .empty, ResearchCells.derived(Build.cell(c.reliableImprovement), from: paired)],
            [.text("reliable deterioration"), .text("paired members"), .empty, ResearchCells.derived(Build.cell(c.reliableDeterioration), from: paired)],
        ], notes: [
            "Paired: first and last check-in on both PHQ-9 and GAD-7, the two first check-ins at most \(days) days apart.",
            "At caseness at the start: PHQ-9 ≥ 10 or GAD-7 ≥ 8. Recovery: at caseness at the start and below caseness on both at the end. Reliable improvement: a fall of at least 6 (PHQ-9) or 4 (GAD-7) points on at least one measure and a reliable rise on neither; reliable deterioration is the mirror; reliable recovery is recovery with reliable improvement.",
            "As NHS Talking Therapies reports them, recovery and reliable recovery are among those at caseness at the start, reliable improvement and deterioration among all paired members. Wilson 95% intervals.",
        ], margins: [MarginGroup(rows: [1, 2], columns: [2], columnTotalRow: 0)])
    }

    /// `combined`, the top-level JSON object of `peerlens outcomes`: the NHS Talking Therapies outcomes in the
    /// share shape (`count`, `total`, `estimate`, `interval`, `suppressed`), under the disclosure policy.
    public static func combinedRecord(_ c: CombinedOutcomes) -> FigureRecord {
        func share(_ s: Share) -> FigureValue {
            .share(ShareFigure(count: s.count ?? 0, total: s.total ?? 0, estimate: s.estimate, interval: s.interval))
        }
        return FigureRecord(key: "combined", fields: [
            FigureField("definition", .text(c.definition)), FigureField("pair_within_days", .setting(c.pairWithinDays)),
            FigureField("members", .count(c.members)), FigureField("members_not_paired", .count(c.membersNotPaired)),
            FigureField("at_caseness", .part(c.atCaseness, of: "members")),
            FigureField("recovery", share(c.recovery)), FigureField("reliable_improvement", share(c.reliableImprovement)),
            FigureField("reliable_deterioration", share(c.reliableDeterioration)), FigureField("reliable_recovery", share(c.reliableRecovery)),
            FigureField("recovery_denominator", .text("at_caseness")), FigureField("improvement_denominator", .text("members")),
        ])
    }

    /// Definitions and tests.
    public func methods(_ context: ReportContext) -> [String] {
        ["Mood outcomes: first vs last check-in per member with two or more; a member with a single check-in is attrition only when a second was due (their first check-in at least 14 days before the end of the data), else their follow-up was not yet due and they are left out; mean change with t interval, paired t and Wilcoxon signed-rank tests; standardised change as d_z (SD of the differences) and as d over the baseline SD with the Becker (1988) interval, the latter for comparison with published benchmarks; Jacobson & Truax (1991) reliable change with the instrument's published reliability (PHQ-9 α 0.89, GAD-7 α 0.92) and the baseline SD (n − 1); reliable change, caseness, recovery and reliable recovery per measure with the NHS Talking Therapies thresholds (PHQ-9 6 points, caseness ≥ 10; GAD-7 4 and ≥ 8) and CORE-10's published ones (6 points, ≥ 11; Barkham et al. 2013), and PHQ-9 and GAD-7 scored together by the NHS Talking Therapies definitions (first check-ins at most 7 days apart); Wilson intervals; completers and last observation carried forward; dose bands with the Cochran–Armitage trend test and a least-squares slope adjusted for the first score."]
    }

    /// Attrition and design.
    public func limitations(_ context: ReportContext) -> [String] {
        ["Mood outcomes have no control group: change includes regression to the mean and natural recovery, not only the effect of support. The follow-up is the last check-in, often a few weeks after the first: not the end of a course of treatment."]
    }

    /// Members with two or more check-ins per instrument.
    public func inclusionSteps(_ context: ReportContext) throws -> [InclusionStep] {
        Self.inclusionSteps(try report(context))
    }

    /// Members with two or more check-ins per instrument of `r`.
    static func inclusionSteps(_ r: OutcomesReport) -> [InclusionStep] {
        r.instruments.map { InclusionStep("With two or more \($0.instrument) check-ins", members: $0.membersAnalysed) }
    }
}

/// Engagement and retention as a report section.
public struct EngagementContribution: ReportContribution {
    /// Creates the contribution.
    public init() {}

    /// Reads every activity and message event per member.
    public var relativeCost: Int { 3 }

    /// Active members per week, the retention curve, retention at 7/30/90 days, log-rank comparisons.
    public func sections(_ context: ReportContext) throws -> [Section] {
        try Self.sections(try EngagementReport.analyse(store: context.store, options: EngagementOptions()), over: .week)
    }

    /// The sections of an engagement result (active members per `over` period, retention, comparisons), with
    /// the real counts: the disclosure policy suppresses when the document is rendered.
    public static func sections(_ r: EngagementReport, over: ActivityPeriod) throws -> [Section] {
        var blocks: [Block] = [.list(ListBlock(r.definitions.map { $0.prefix(1).uppercased() + $0.dropFirst() }))]
        var figures = [KeyFigure(label: "Active members", value: Formatter.grouped(r.activeMembers), count: r.activeMembers),
                       KeyFigure(label: "Members who joined within the data (retention cohort)", value: Formatter.grouped(r.newMembers), count: r.newMembers),
                       KeyFigure(label: "Of them, left", value: Formatter.grouped(r.left), count: r.left)]
        if r.newMembers > 0 {
            figures.append(r.medianDaysToLeaving.map { KeyFigure(label: "Median days from joining to leaving", value: Formatter.number($0, .decimal(1)), note: "Kaplan–Meier median.", basis: r.newMembers) }
                           ?? KeyFigure(label: "Median days from joining to leaving", value: "not reached", note: "Fewer than half of the cohort left within the follow-up.", basis: r.newMembers))
        }
        if let d = r.activeDays {
            figures.append(KeyFigure(label: "Median active days per member", value: Formatter.number(d.median, .decimal(1)),
                                     interval: "95% CI \(Formatter.number(d.interval.lower, .decimal(1))) to \(Formatter.number(d.interval.upper, .decimal(1)))",
                                     note: "Order-statistic interval of the median.", basis: d.count))
        }
        if let m = r.activeMinutes {
            figures.append(KeyFigure(label: "Median minutes of activity per member", value: Formatter.number(m.median, .decimal(0)),
                                     interval: "95% CI \(Formatter.number(m.interval.lower, .decimal(0))) to \(Formatter.number(m.interval.upper, .decimal(0)))",
                                     note: "Order-statistic interval of the median.", basis: m.count))
        }
        blocks.append(.keyFigures(figures))
        let unit = over.rawValue
        let periods = r.activeByPeriod.map { ChartPoint(x: 0, y: Double($0.members), count: $0.members, label: $0.period) }
        if periods.count >= 2 {
            blocks.append(.chart(Chart(title: "Active members per \(unit)", description: "Distinct consenting members with any activity in each \(unit) (UTC\(over == .week ? "; weeks named by their Monday" : "")); the last \(unit) may be partial.",
                                       kind: .periods, xAxis: Axis(over == .week ? "Week (Monday)" : unit.prefix(1).uppercased() + unit.dropFirst()),
                                       yAxis: Axis("Active members", unit: "n", lower: 0, format: .integer),
                                       series: [ChartSeries("active members", points: periods, dots: true)])))
        }
        if !r.activeByPeriod.isEmpty && periods.count < 2 {
            blocks.append(.table(Table(caption: "Active members per \(unit)", columns: [Column(unit.prefix(1).uppercased() + unit.dropFirst(), alignment: .left), Column("Active members", unit: "n")],
                                       rows: r.activeByPeriod.map { [.text($0.period), .count($0.members)] },
                                       notes: ["A member active in several periods counts in each, so the periods do not add up to the active members."])))
        }
        let curve = r.curve.compactMap { p in p.retained.map { ChartPoint(x: p.days, y: $0, lower: p.lower, upper: p.upper, count: p.atRisk) } }
        if curve.count >= 2 {
            blocks.append(.chart(Chart(title: "Retention after joining", description: "Kaplan–Meier probability of still being active, by days since joining, with the 95% Greenwood (log) interval as a band.",
                                       kind: .step, xAxis: Axis("Days since joining", unit: "days", lower: 0, format: .integer),
                                       yAxis: Axis("Still active", unit: "%", lower: 0, upper: 1, format: .percent(0)),
                                       series: [ChartSeries("retained", points: curve, band: true)],
                                       notes: ["Each point's count is the members still followed (at risk) at that day."])))
        }
        // A group's retention goes with its size: withheld whenever its member count is.
        // A horizon no group is followed long enough for would be a column of dashes: it is left out, and a
        // note says why.
        let horizons = r.retention.indices.filter { h in
            r.retention[h].retained != nil || r.comparisons.contains { c in c.groups.contains { h < $0.points.count && $0.points[h].retained != nil } }
        }
        let dropped = r.retention.indices.filter { !horizons.contains($0) }.map { "\(Int(r.retention[$0].days))" }
        // The deciding figures first: retention at each horizon, then the group's size and median.
        let sizeColumn = 1 + horizons.count
        func retention(_ p: RetentionPoint, members: Int, row: Int) -> Cell {
            ResearchCells.derived(Build.cell(p.retained, .percent(1), lower: p.lower, upper: p.upper, basis: members), from: CellReference(row: row, column: sizeColumn))
        }
        func median(_ d: Double?, members: Int, row: Int) -> Cell {
            ResearchCells.derived(d.map { .number(NumberCell($0, format: .decimal(1), basis: members)) } ?? .empty, from: CellReference(row: row, column: sizeColumn))
        }
        var rows: [[Cell]] = [[.text("All new members")] + horizons.map { retention(r.retention[$0], members: r.newMembers, row: 0) }
                              + [.count(r.newMembers), r.newMembers > 0 ? median(r.medianDaysToLeaving, members: r.newMembers, row: 0) : .empty]]
        var margins: [MarginGroup] = []
        var tests: [String] = []
        for c in r.comparisons {
            var groupRows: [Int] = []
            for g in c.groups {
                let row = rows.count
                groupRows.append(row)
                rows.append([.text("\(CategoryLabels.sentenceCase(c.by)): \(ReportLabels.category(g.group, of: c.by))")]
                            + horizons.map { h in h < g.points.count ? retention(g.points[h], members: g.members, row: row) : .empty }
                            + [.count(g.members), median(g.medianDays, members: g.members, row: row)])
            }
            // The groups of an attribute add up to the new members, published in the first row.
            if !groupRows.isEmpty { margins.append(MarginGroup(rows: groupRows, columns: [sizeColumn])) }
            if let t = c.logRank {
                tests.append("By \(c.by): log-rank χ² = \(Formatter.number(t.statistic, .decimal(2))) on \(t.degreesOfFreedom) df, \(ResearchCells.pPhrase(t.pValue)).")
            } else if let note = c.note {
                tests.append("By \(c.by): \(note).")
            }
        }
        var retentionNotes = ["Kaplan–Meier estimates with 95% Greenwood (log) intervals; where no one in the group had left yet (100%), the exact (Clopper–Pearson) interval of the members still followed, since Greenwood's interval has no width there.",
                              "Empty: not estimable, because the data do not follow anyone (in the group) that long; an empty median: fewer than half left within the follow-up (not reached).",
                              "Each group's figures go with its member count, and are withheld with it."]
        if !dropped.isEmpty {
            retentionNotes.append("Retention at \(Self.joined(dropped)) days is left out: the data follow no one that long.")
        }
        blocks.append(.table(Table(caption: "Retention at \(Self.joined(horizons.map { "\(Int(r.retention[$0].days))" })) days",
                                   columns: [Column("Members", alignment: .left)] + horizons.map { Column("\(Int(r.retention[$0].days)) days", unit: "%") }
                                       + [Column("New members", unit: "n"), Column("Median to leaving", unit: "days")],
                                   rows: rows, notes: retentionNotes,
                                   margins: margins)))
        if !tests.isEmpty { blocks.append(.list(ListBlock(tests))) }
        let notes = [r.consentNote] + r.notes
        blocks.append(ResearchCells.caveat(notes))
        return [Section("Engagement and retention", id: "engagement", blocks: blocks)]
    }

    /// `7`, `7 and 30`, `7, 30 and 90`.
    static func joined(_ items: [String]) -> String {
        items.count <= 1 ? (items.first ?? "") : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// Retention method.
    public func methods(_ context: ReportContext) -> [String] {
        ["Retention: Kaplan–Meier from joining to the last activity for members who joined within the data; a member with no activity in the last 14 days has left, anyone active later is censored 14 days before the data end; Greenwood (log) intervals, and exact (Clopper–Pearson) intervals of the members still followed where no one has left yet; log-rank tests across conditions and cohorts."]
    }
}

/// Peer matching as a report section.
public struct MatchesContribution: ReportContribution {
    /// Creates the contribution.
    public init() {}

    /// Acceptance, endings, outcomes by score decile, the component regression, the score's AUC.
    public func sections(_ context: ReportContext) throws -> [Section] {
        try Self.sections(try MatchesReport.analyse(store: context.store, options: MatchesOptions()))
    }

    /// The sections of a matching result, with the real counts: the disclosure policy suppresses when the
    /// document is rendered.
    ///
    /// - Throws: `ResearchError` when the store holds no matches.
    public static func sections(_ r: MatchesReport) throws -> [Section] {
        guard r.proposed > 0 else { throw ResearchError("the store holds no matches") }
        var figures: [KeyFigure] = []
        if let e = r.acceptance.estimate {
            figures.append(KeyFigure(label: "Matches accepted", value: Formatter.number(e, .percent(0)),
                                     interval: r.acceptance.interval.map { "95% CI \(Formatter.number($0.lower, .percent(0))) to \(Formatter.number($0.upper, .percent(0)))" },
                                     note: "Of the proposed matches.", basis: ResearchCells.shareBasis(r.acceptance)))
        }
        if let a = r.scoreAUC {
            figures.append(KeyFigure(label: "How well the match score ranks successful matches (AUC)", value: Formatter.number(a.auc, .decimal(2)),
                                     interval: "95% CI \(Formatter.number(a.interval.lower, .decimal(2))) to \(Formatter.number(a.interval.upper, .decimal(2)))",
                                     note: "0.5 is no better than chance; success = \(r.success); DeLong interval.", basis: min(a.positives, a.negatives)))
        }
        if let c = r.scoreCalibration {
            figures.append(KeyFigure(label: "Calibration intercept of the score", value: Formatter.number(c.intercept, .decimal(2)),
                                     interval: "95% CI \(Formatter.number(c.interceptInterval.lower, .decimal(2))) to \(Formatter.number(c.interceptInterval.upper, .decimal(2)))",
                                     note: "0 when the score is calibrated in the large.", basis: r.successKnown))
            figures.append(KeyFigure(label: "Calibration slope of the score", value: Formatter.number(c.slope, .decimal(2)),
                                     interval: "95% CI \(Formatter.number(c.slopeInterval.lower, .decimal(2))) to \(Formatter.number(c.slopeInterval.upper, .decimal(2)))",
                                     note: "1 when the score's spread is right.", basis: r.successKnown))
        }
        var blocks: [Block] = figures.isEmpty ? [] : [.keyFigures(figures)]
        let accepted = r.acceptance.count ?? 0
        blocks.append(.table(ResearchCells.sentenceCasedLabels(Table(caption: "Matches", columns: [Column("Measure", alignment: .left), Column("Value")], rows: [
            [.text("proposed"), .count(r.proposed)], [.text("accepted"), .count(accepted)], [.text("accepted and ended"), .count(r.ended)],
            [.text("accepted, without an end"), .count(r.open)],
            [.text("acceptance"), Build.cell(r.acceptance)],
            [.text("sessions per ended match (mean)"), ResearchCells.mean(r.sessionsPerMatch, 1)],
            [.text("sessions per ended match (median)"), Build.cell(r.medianSessions, .decimal(1), basis: r.ended)],
            [.text("ended for safety reasons"), Build.cell(r.endedForSafety)], [.text("ended in a rematch"), Build.cell(r.rematched)],
            [.text("with a known outcome (\(r.success))"), .count(r.successKnown)],
            [.text("success (\(r.success))"), Build.cell(r.successRate)],
        ], notes: [r.consentNote + "; matches involving them are left out (\(r.matchesExcluded)).",
                   "Shares of ended matches (endings), of matches with a known outcome (success); Wilson 95% intervals."],
            // Ended and open add up to the accepted matches; accepted and not accepted to the proposed ones.
            margins: [MarginGroup(rows: [2, 3], columns: [1]), MarginGroup(rows: [1], columns: [1])]))))
        blocks.append(.table(Table(caption: "Ratings of ended matches", columns: [Column("Rating", alignment: .left), Column("Matches", unit: "n")],
                                   rows: r.ratings.enumerated().map { [.text("\($0 + 1)"), .count($1)] },
                                   notes: ["Seekers' ratings from 1 (worst) to 5 (best), among rated ended matches."],
                                   margins: [MarginGroup(rows: Array(r.ratings.indices), columns: [1])])))
        let outcomeColumns = [Column("Group", alignment: .left), Column("Accepted", unit: "matches"), Column("Acceptance", unit: "%"), Column("Completed", unit: "%"),
                              Column("Rated 4–5", unit: "%"), Column("Seeker active 30 days on", unit: "%"), Column("Seeker mood change", unit: "points")]
        func outcomeRows(_ list: [MatchOutcomeRow], from first: Int) -> [[Cell]] {
            list.enumerated().map { i, row in
                let ref = CellReference(row: first + i, column: 1)
                return [.text(row.group), .count(row.matches), row.accepted.map(Build.cell) ?? .empty,
                        ResearchCells.derived(Build.cell(row.completed), from: ref), ResearchCells.derived(Build.cell(row.ratedWell), from: ref),
                        ResearchCells.derived(Build.cell(row.seekerRetained), from: ref), ResearchCells.derived(ResearchCells.change(row.seekerMoodChange), from: ref)]
            }
        }
        let groupNotes = ["Shares among the group's matches where the outcome is known (Wilson 95% intervals); acceptance among proposed matches; mood change of seekers with two check-ins (t intervals).",
                          "Each group's figures go with its count of accepted matches, and are withheld with it."]
        if !r.byScoreDecile.isEmpty {
            blocks.append(.table(Build.withoutEmptyColumns(Table(caption: "Outcomes by decile of the match score", columns: outcomeColumns, rows: outcomeRows(r.byScoreDecile, from: 0),
                                       notes: ["Deciles of the score among accepted matches (ties stay together)."] + groupNotes,
                                       margins: [MarginGroup(rows: Array(r.byScoreDecile.indices), columns: [1])]),
                                       why: "the deciles are of accepted matches, so every one was accepted")))
        }
        let decilePoints = r.byScoreDecile.enumerated().compactMap { i, row -> ChartPoint? in
            guard let e = row.completed.estimate else { return nil }
            // A share reveals its numerator and complement: the point rests on the smaller of the two.
            return ChartPoint(x: Double(i + 1), y: e, lower: row.completed.interval?.lower, upper: row.completed.interval?.upper,
                              count: ResearchCells.shareBasis(row.completed), label: "\(i + 1)")
        }
        if decilePoints.count >= 2 {
            blocks.append(.chart(Chart(title: "Completed matches by decile of the match score", description: "Share of ended matches that were completed, per decile of the match score (1 = lowest), with 95% Wilson intervals. A useful score rises from left to right.",
                                       kind: .line, xAxis: Axis("Match-score decile", lower: 1, upper: 10, format: .integer), yAxis: Axis("Completed", unit: "%", lower: 0, upper: 1, format: .percent(0)),
                                       series: [ChartSeries("completed", points: decilePoints, band: true, dots: true)],
                                       notes: ["Each point's count is the smaller of its completed and not completed matches, so that a share revealing a small count is left out."])))
        }
        let components = r.components.filter { $0.component != "intercept" }
        if !components.isEmpty {
            blocks.append(.table(Table(caption: "Success (\(r.success)) by match-score component: logistic regression", columns: [
                Column("Component", alignment: .left), Column("Odds ratio", unit: "0 → 1"), Column("p"),
            ], rows: components.map { [.text($0.component.replacingOccurrences(of: "_", with: " ")),
                                       .number(NumberCell($0.oddsRatio, format: .decimal(2), lower: $0.oddsRatioInterval.lower, upper: $0.oddsRatioInterval.upper)), ResearchCells.p($0.pValue)] },
                notes: ["Odds ratio of success for a component at 1 against 0, the others held fixed; Wald 95% intervals."], disclosive: false)))
            blocks.append(.chart(Chart(title: "Odds ratios of success by component", description: "Odds ratio of a successful match per component (from 0 to 1), with 95% Wald intervals; 1 is no association.",
                                       kind: .forest, xAxis: Axis("Odds ratio", unit: "log scale", format: .decimal(2), scale: .log), yAxis: Axis("Component"),
                                       series: [ChartSeries("odds ratio", points: components.map { ChartPoint(x: $0.oddsRatio, y: 0, lower: $0.oddsRatioInterval.lower, upper: $0.oddsRatioInterval.upper, label: $0.component.replacingOccurrences(of: "_", with: " ")) })],
                                       markers: [ChartMarker("no association", x: 1)])))
        }
        let kindAndCulture = r.byKind + r.byCulturalMatch
        if !kindAndCulture.isEmpty {
            var margins: [MarginGroup] = []
            if !r.byKind.isEmpty { margins.append(MarginGroup(rows: Array(r.byKind.indices), columns: [1])) }
            if !r.byCulturalMatch.isEmpty { margins.append(MarginGroup(rows: Array(r.byKind.count..<kindAndCulture.count), columns: [1])) }
            blocks.append(.table(Table(caption: "By match kind and cultural match", columns: outcomeColumns, rows: outcomeRows(kindAndCulture, from: 0),
                                       notes: ["Cultural match: seeker and peer share a recorded culture; pairs where either is not recorded are in neither row."] + groupNotes,
                                       margins: margins)))
        }
        if !r.notes.isEmpty { blocks.append(ResearchCells.caveat(r.notes)) }
        return [Section("Peer matching", id: "matching", blocks: blocks)]
    }

    /// Matching methods.
    public func methods(_ context: ReportContext) -> [String] {
        ["Peer matching: success is a match that ended as completed; logistic regression of success on the eight score components (Wald intervals); the AUC of the match score for success with DeLong's interval; outcomes by decile of the score with Wilson intervals."]
    }
}

/// Support groups and skills practice as report sections.
public struct GroupsAndSkillsContribution: ReportContribution {
    /// Creates the contribution.
    public init() {}

    /// Attendance, return and outcomes of groups; practice, training and their associations.
    public func sections(_ context: ReportContext) throws -> [Section] {
        let groups = try GroupsReport.analyse(store: context.store, options: GroupsOptions())
        let skills = try SkillsReport.analyse(store: context.store, options: SkillsOptions())
        return (groups.sessions > 0 ? Self.groupsSections(groups) : []) + Self.skillsSections(skills)
    }

    /// The sections of a support-groups result, with the real counts: the disclosure policy suppresses when
    /// the document is rendered.
    public static func groupsSections(_ r: GroupsReport) -> [Section] {
        var blocks: [Block] = [.table(Table(caption: "Groups and sessions", columns: [Column("Measure", alignment: .left), Column("Value")], rows: [
            [.text("groups that met"), .count(r.groups)], [.text("sessions held"), .count(r.sessions)],
        ], notes: ["Counts of groups and sessions, not of people."], disclosive: false))]
        var rows: [[Cell]] = [
            [.text("attendees (consenting members who attended any session)"), .count(r.attendees)],
            [.text("attendees per session (mean)"), ResearchCells.mean(r.attendancePerSession).withBasis(r.attendees)],
            [.text("attendees per session (median)"), Build.cell(r.medianAttendance, .decimal(1), basis: r.attendees)],
            [.text("sessions with a single attendee"), .count(r.sessionsWithOneAttendee)],
            [.text("attendances followed by the same member at the group's next session"), Build.cell(r.nextSessionReturn)],
            [.text("members who came back after their first session of a group"), Build.cell(r.cameBack)],
            [.text("regular attendees (≥ \(r.regularSessions) sessions of one group)"), .count(r.regularAttendees)],
            [.text("facilitators"), .count(r.facilitators)],
        ]
        for (key, label) in [("mean", "mean"), ("p90", "90th percentile"), ("max", "maximum")] {
            if let v = r.facilitatorSessionsPerWeek[key] { rows.append([.text("sessions per facilitator per week (\(label))"), Build.cell(v, .decimal(2), basis: r.facilitators)]) }
        }
        blocks.append(.table(Table(caption: "Support groups", columns: [Column("Measure", alignment: .left), Column("Value")], rows: rows,
                                   notes: [r.consentNote + ".", "Means with 95% t intervals over sessions; shares with Wilson 95% intervals."])))
        blocks.append(.table(Table(caption: "\(r.instrument) change of regular and occasional attendees", columns: [
            Column("Attendees", alignment: .left), Column("With two check-ins", unit: "members"), Column("Change", unit: "points")],
            rows: r.outcomes.enumerated().map { i, o in [.text(o.attendees), .count(o.members), ResearchCells.derived(ResearchCells.change(o.meanChange), from: CellReference(row: i, column: 1))] },
            notes: ["Change from the first to the last check-in (t intervals); a regular attendee went to at least \(r.regularSessions) sessions of one group."])))
        if let t = r.outcomeDifference {
            let basis = r.outcomes.map(\.members).min()
            var figures = [KeyFigure(label: "Regular − occasional attendees, \(r.instrument) change", value: Formatter.number(t.estimate, .signed(2)) + " points",
                                     interval: "95% CI \(Formatter.number(t.interval.lower, .signed(2))) to \(Formatter.number(t.interval.upper, .signed(2)))",
                                     note: "Welch's t test, \(ResearchCells.pPhrase(t.pValue)).", basis: basis)]
            if let g = r.outcomeEffectSize {
                figures.append(KeyFigure(label: "Hedges' g, regular vs occasional", value: Formatter.number(g.hedgesG, .signed(2)),
                                         interval: "95% CI \(Formatter.number(g.intervalG.lower, .signed(2))) to \(Formatter.number(g.intervalG.upper, .signed(2)))",
                                         note: "Standardised by the pooled SD.", basis: basis))
            }
            blocks.append(.keyFigures(figures))
        }
        if !r.notes.isEmpty { blocks.append(ResearchCells.caveat(r.notes)) }
        return [Section("Support groups", id: "groups", blocks: blocks)]
    }

    /// The sections of a skills-and-training result, with the real counts: the disclosure policy suppresses
    /// when the document is rendered.
    public static func skillsSections(_ r: SkillsReport) -> [Section] {
        var blocks: [Block] = []
        func practiceTable(_ caption: String, _ rows: [SkillPractice], what: String, notes: [String]) {
            guard !rows.isEmpty else { return }
            blocks.append(.table(Table(caption: caption, columns: [Column(what, alignment: .left), Column("Members", unit: "n"), Column(what == "Course" ? "Enrolments" : "Practices", unit: "n"), Column("Completed", unit: "%")],
                                       rows: rows.enumerated().map { i, p in
                                           [.text(p.name), .count(p.members), .count(p.practices), ResearchCells.derived(Build.cell(p.completion), from: CellReference(row: i, column: 1))]
                                       }, notes: notes + ["Each row's share goes with its member count, and is withheld with it."])))
        }
        practiceTable("Skills practice by framework", r.frameworks, what: "Framework", notes: ["A member who practised several frameworks counts in each; completion among logged practices."])
        practiceTable("Skills practice by skill", r.skills, what: "Skill", notes: ["A member who practised several skills counts in each."])
        if let a = r.association {
            blocks.append(.keyFigures([KeyFigure(label: "\(r.instrument) change per completed practice", value: Formatter.number(a.changePerPractice, .signed(3)) + " points",
                                                 interval: "95% CI \(Formatter.number(a.interval.lower, .signed(3))) to \(Formatter.number(a.interval.upper, .signed(3)))",
                                                 note: "Between the first and last check-in, adjusted for the first score (least squares); \(ResearchCells.pPhrase(a.pValue)).", basis: a.members)]))
        }
        practiceTable("Training courses", r.courses, what: "Course", notes: ["Completion among enrolments."])
        blocks.append(.table(Table(caption: "Supporter training", columns: [Column("Measure", alignment: .left), Column("Value")], rows: [
            [.text("supporters (peers, listeners, professionals)"), r.supportersTrained.total.map { Cell.count($0) } ?? .empty],
            [.text("who completed a course"), Build.cell(r.supportersTrained)],
        ], notes: ["Wilson 95% interval."])))
        blocks.append(.table(Table(caption: "Matches by whether the peer had completed training", columns: [
            Column("Peer", alignment: .left), Column("Matches", unit: "n"), Column("Rating", unit: "1–5"), Column("Completed", unit: "%"), Column("Seeker change", unit: "points")],
            rows: r.matchesByTraining.enumerated().map { i, c in
                let ref = CellReference(row: i, column: 1)
                return [.text(c.supporters), .count(c.cases), ResearchCells.derived(ResearchCells.mean(c.meanRating), from: ref),
                        ResearchCells.derived(c.completed.map(Build.cell) ?? .empty, from: ref), ResearchCells.derived(ResearchCells.change(c.seekerMoodChange), from: ref)]
            },
            notes: ["Trained: a course completed before the match started. Accepted matches; completion among ended ones; seeker change between the first and last check-in."],
            margins: r.matchesByTraining.isEmpty ? [] : [MarginGroup(rows: Array(r.matchesByTraining.indices), columns: [1])])))
        var tests: [String] = []
        if let t = r.ratingDifference {
            tests.append("Rating, trained − untrained: \(Formatter.number(t.estimate, .signed(2))) (95% CI \(Formatter.number(t.interval.lower, .signed(2))) to \(Formatter.number(t.interval.upper, .signed(2))), Welch \(ResearchCells.pPhrase(t.pValue))).")
        }
        if let c = r.completionTest {
            tests.append("Completion by training: χ² = \(c.statistic.map { Formatter.number($0, .decimal(2)) } ?? "n/a"), \(ResearchCells.pPhrase(c.pValue)).")
        }
        if !tests.isEmpty { blocks.append(.list(ListBlock(tests))) }
        if !r.responsesByTraining.isEmpty {
            blocks.append(.table(Table(caption: "Crisis responses by whether the responder had completed training", columns: [
                Column("Responder", alignment: .left), Column("Responses", unit: "n"), Column("Supported", unit: "%"), Column("Follow-up completed", unit: "%")],
                rows: r.responsesByTraining.enumerated().map { i, c in
                    let ref = CellReference(row: i, column: 1)
                    return [.text(c.supporters), .count(c.cases), ResearchCells.derived(c.supported.map(Build.cell) ?? .empty, from: ref),
                            ResearchCells.derived(c.followUpCompleted.map(Build.cell) ?? .empty, from: ref)]
                },
                notes: ["Trained: a course completed before the response. Follow-up among responses whose alert had one; Wilson 95% intervals."],
                margins: [MarginGroup(rows: Array(r.responsesByTraining.indices), columns: [1])])))
        }
        if !r.notes.isEmpty { blocks.append(ResearchCells.caveat([r.consentNote] + r.notes)) }
        return [Section("Skills and training", id: "skills", blocks: blocks)]
    }

    /// Group and skills methods.
    public func methods(_ context: ReportContext) -> [String] {
        ["Groups: regular attendees went to at least 4 sessions of one group; their change is compared with occasional attendees' by Welch's t test. Skills: least squares of change on completed practices between the first and last check-in, adjusted for the first score; training compared by Welch's t (ratings) and χ² (completion)."]
    }
}
