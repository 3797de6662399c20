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

    /// A count that an analysis may have withheld (nil).
    static func count(_ n: Int?) -> Cell { n.map { .count($0) } ?? .suppressed }

    static func p(_ p: Double?) -> Cell { p.map { .text(SafetyReport.pValue($0)) } ?? .empty }
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
        options.disclosureThreshold = context.policy.threshold
        return try OutcomesReport.analyse(store: context.store, options: options)
    }

    /// One section per instrument: change, effect size, reliable change and recovery, sensitivity, dose.
    public func sections(_ context: ReportContext) throws -> [Section] {
        try Self.sections(try report(context), by: dose.rawValue)
    }

    /// The sections of an outcomes result: change, effect size, reliable change and recovery, sensitivity,
    /// and the breakdown by `by` (a dose such as `sessions`, or a member attribute), when it has one.
    ///
    /// - Throws: `ResearchError` when no instrument has check-ins.
    public static func sections(_ r: OutcomesReport, by: String) throws -> [Section] {
        guard !r.instruments.isEmpty else { throw ResearchError(r.notes.first ?? "no check-ins") }
        var blocks: [Block] = [.text("Each member's first and last check-in on an instrument are compared (members with two or more). Change is last − first: on symptom scales (PHQ-9, GAD-7) a fall is an improvement. Reliable change follows Jacobson & Truax (1991); reliable improvement, deterioration, recovery and reliable recovery follow the NHS Talking Therapies definitions where the instrument has them.")]
        var rows: [[Cell]] = []
        for i in r.instruments {
            rows.append([.text(i.instrument), .count(i.membersWithCheckins), .count(i.membersWithOneCheckin), .count(i.membersAnalysed),
                         ResearchCells.mean(i.baseline), ResearchCells.mean(i.final), ResearchCells.change(i.change),
                         i.effectSize.map { .number(NumberCell($0.hedgesG, format: .signed(2), lower: $0.intervalG.lower, upper: $0.intervalG.upper)) } ?? .empty,
                         ResearchCells.p(i.pairedT?.pValue), ResearchCells.p(i.wilcoxon?.pValue)])
        }
        blocks.append(.table(Table(caption: "Change from first to last check-in", columns: [
            Column("Instrument", alignment: .left), Column("With check-ins", unit: "members"), Column("Only one", unit: "members"),
            Column("Analysed", unit: "members"), Column("First", unit: "score"), Column("Last", unit: "score"), Column("Change", unit: "points"),
            Column("Hedges' g"), Column("Paired t", unit: "p"), Column("Wilcoxon", unit: "p"),
        ], rows: rows, notes: [
            r.consentNote + ".", "Intervals are 95% t intervals; Hedges' g is standardised by the SD of the differences (paired d_z with the small-sample correction), with a normal-approximation interval.",
            "Members with only one check-in are the attrition: their change cannot be measured.",
        ], disclosive: true)))
        var rates: [[Cell]] = []
        for i in r.instruments {
            func share(_ s: Share?) -> Cell { s.map(Build.cell) ?? .empty }
            rates.append([.text(i.instrument), share(i.reliableImprovement), share(i.reliableDeterioration), i.atCaseness.map { .count($0) } ?? (i.definition.caseness == nil ? .empty : .suppressed),
                          share(i.recovery), share(i.reliableRecovery), share(i.rciImproved),
                          .text(i.definition.serviceThreshold.map { "\(Formatter.number($0, .decimal(2))) points (\(i.definition.serviceThresholdSource ?? ""))" } ?? "none")])
        }
        blocks.append(.table(Table(caption: "Reliable change and recovery", columns: [
            Column("Instrument", alignment: .left), Column("Reliable improvement", unit: "%"), Column("Reliable deterioration", unit: "%"),
            Column("At caseness at first", unit: "members"), Column("Recovery", unit: "%"), Column("Reliable recovery", unit: "%"),
            Column("Jacobson–Truax improved", unit: "%"), Column("Reliable change threshold", alignment: .left),
        ], rows: rates, notes: [
            "Recovery: at caseness at the first check-in and not at the last, among those at caseness at first (PHQ-9 ≥ 10, GAD-7 ≥ 8); reliable recovery adds reliable improvement.",
            "Jacobson–Truax: change of at least 1.96·√2·SD·√(1 − r), with the instrument's published reliability r and the SD of the first scores (n − 1).",
            "Wilson 95% intervals.",
        ])))
        var sensitivity: [[Cell]] = []
        for i in r.instruments {
            for s in i.sensitivity {
                sensitivity.append([.text(i.instrument), .text(s.analysis == "locf" ? "last observation carried forward" : "completers"), .count(s.members),
                                    ResearchCells.change(s.meanChange), Build.cell(s.reliableImprovement)])
            }
        }
        if !sensitivity.isEmpty {
            blocks.append(.table(Table(caption: "Sensitivity analysis: completers vs last observation carried forward", columns: [
                Column("Instrument", alignment: .left), Column("Analysis", alignment: .left), Column("Members", unit: "n"), Column("Change", unit: "points"),
                Column("Reliable improvement", unit: "%"),
            ], rows: sensitivity, notes: ["Carried forward, a single check-in counts as no change: a lower bound if those who stopped did no worse."], disclosive: true)))
        }
        var doseRows: [[Cell]] = []
        var findings: [String] = []
        var charts: [Block] = []
        for i in r.instruments {
            guard let b = i.breakdown else { continue }
            var points: [ChartPoint] = []
            for g in b.groups {
                if g.suppressed {
                    doseRows.append([.text(i.instrument), .text(g.group), .suppressed, .empty, .empty])
                    continue
                }
                doseRows.append([.text(i.instrument), .text(g.group), ResearchCells.count(g.members), ResearchCells.change(g.meanChange), Build.cell(g.reliableImprovement)])
                if let m = g.meanChange { points.append(ChartPoint(x: m.mean, y: 0, lower: m.interval.lower, upper: m.interval.upper, label: g.group)) }
            }
            if let t = b.trend {
                if let ca = t.improvementTrend {
                    findings.append("\(i.instrument): trend in reliable improvement across \(by) bands, Cochran–Armitage z = \(Formatter.number(ca.zStatistic, .signed(2))), p = \(SafetyReport.pValue(ca.pValue)).")
                }
                if let s = t.changePerBand, let ci = t.changePerBandInterval, let p = t.changePerBandP {
                    findings.append("\(i.instrument): change per \(by) band, adjusted for the first score, \(Formatter.number(s, .signed(2))) points (95% CI \(Formatter.number(ci.lower, .signed(2))) to \(Formatter.number(ci.upper, .signed(2))), p = \(SafetyReport.pValue(p))).")
                }
            }
            if points.count >= 2 {
                charts.append(.chart(Chart(title: "\(i.instrument) change by \(by) band",
                                           description: "Mean change from first to last check-in (points; negative is improvement on symptom scales) per band of \(by) between the two check-ins, with 95% intervals.",
                                           kind: .forest, xAxis: Axis("Change", unit: "points", format: .decimal(1)), yAxis: Axis("\(by.prefix(1).uppercased() + by.dropFirst()) band"),
                                           series: [ChartSeries("change", points: points)], markers: [ChartMarker("no change", x: 0)])))
            }
        }
        var doseSection: [Section] = []
        if !doseRows.isEmpty {
            var doseBlocks: [Block] = [.table(Table(caption: "Outcomes by \(by) between the first and last check-in", columns: [
                Column("Instrument", alignment: .left), Column("Band", alignment: .left), Column("Members", unit: "n"), Column("Change", unit: "points"),
                Column("Reliable improvement", unit: "%"),
            ], rows: doseRows, notes: ["Bands with fewer than \(r.disclosureThreshold) members are suppressed, and another with them where one could be worked out from the total.",
                                      "Dose–response is observational: members who engage more may differ in other ways."]))]
            doseBlocks += charts
            if !findings.isEmpty { doseBlocks.append(.list(ListBlock(findings))) }
            doseSection = [Section("Outcomes by engagement dose", id: "outcomes-dose", blocks: doseBlocks)]
        }
        let notes = r.instruments.flatMap { i in i.notes.map { "\(i.instrument): \($0)" } } + r.notes
        if !notes.isEmpty { blocks.append(.note(Note(notes.joined(separator: " "), kind: .caveat))) }
        return [Section("Mood outcomes", id: "mood-outcomes", blocks: blocks, subsections: doseSection)]
    }

    /// Definitions and tests.
    public func methods(_ context: ReportContext) -> [String] {
        ["Mood outcomes: first vs last check-in per member with two or more; mean change with t interval, paired t and Wilcoxon signed-rank tests, Hedges' g standardised by the SD of the differences; Jacobson & Truax (1991) reliable change with the instrument's published reliability (PHQ-9 α 0.89, GAD-7 α 0.92) and the baseline SD (n − 1); NHS Talking Therapies reliable improvement (PHQ-9 6, GAD-7 4 points), caseness (PHQ-9 ≥ 10, GAD-7 ≥ 8), recovery and reliable recovery with Wilson intervals; completers and last observation carried forward; dose bands with the Cochran–Armitage trend test and a least-squares slope adjusted for the first score."]
    }

    /// Attrition and design.
    public func limitations(_ context: ReportContext) -> [String] {
        ["Mood outcomes have no control group: change includes regression to the mean and natural recovery, not only the effect of support."]
    }

    /// Members with two or more check-ins per instrument.
    public func inclusionSteps(_ context: ReportContext) throws -> [InclusionStep] {
        try report(context).instruments.map { InclusionStep("With two or more \($0.instrument) check-ins", members: $0.membersAnalysed) }
    }
}

/// Engagement and retention as a report section.
public struct EngagementContribution: ReportContribution {
    /// Creates the contribution.
    public init() {}

    /// Active members per week, the retention curve, retention at 7/30/90 days, log-rank comparisons.
    public func sections(_ context: ReportContext) throws -> [Section] {
        var options = EngagementOptions()
        options.disclosureThreshold = context.policy.threshold
        let r = try EngagementReport.analyse(store: context.store, options: options)
        var blocks: [Block] = [.list(ListBlock(r.definitions))]
        let weekly = r.activeByPeriod.compactMap { p in p.members.map { ChartPoint(x: 0, y: Double($0), count: $0, label: p.period) } }
        if weekly.count >= 2 {
            blocks.append(.chart(Chart(title: "Active members per week", description: "Distinct consenting members with any activity in each week (Monday, UTC); the last week may be partial.",
                                       kind: .periods, xAxis: Axis("Week (Monday)"), yAxis: Axis("Active members", unit: "n", lower: 0, format: .integer),
                                       series: [ChartSeries("active members", points: weekly, dots: true)])))
        }
        if weekly.count < r.activeByPeriod.count {
            blocks.append(.note(Note("Weeks with fewer than \(r.disclosureThreshold) active members are not shown.", kind: .disclosure)))
        }
        let curve = r.curve.compactMap { p in p.retained.map { ChartPoint(x: p.days, y: $0, lower: p.lower, upper: p.upper, count: p.atRisk) } }
        if curve.count >= 2 {
            blocks.append(.chart(Chart(title: "Retention after joining", description: "Kaplan–Meier probability of still being active, by days since joining, with the 95% Greenwood (log) interval as a band.",
                                       kind: .step, xAxis: Axis("Days since joining", unit: "days", lower: 0, format: .integer),
                                       yAxis: Axis("Still active", unit: "%", lower: 0, upper: 1, format: .percent(0)),
                                       series: [ChartSeries("retained", points: curve, band: true)])))
        }
        var rows: [[Cell]] = [[.text("all new members"), .count(r.newMembers)] + r.retention.map { Build.cell($0.retained, .percent(1), lower: $0.lower, upper: $0.upper) }]
        var tests: [String] = []
        for c in r.comparisons {
            for g in c.groups {
                rows.append([.text("\(c.by): \(g.group)"), ResearchCells.count(g.members)]
                            + (g.suppressed ? r.retention.map { _ in Cell.suppressed } : g.points.map { Build.cell($0.retained, .percent(1), lower: $0.lower, upper: $0.upper) }))
            }
            if let t = c.logRank { tests.append("By \(c.by): log-rank χ² = \(Formatter.number(t.statistic, .decimal(2))) on \(t.degreesOfFreedom) df, p = \(SafetyReport.pValue(t.pValue)).") }
        }
        blocks.append(.table(Table(caption: "Retention at \(r.retention.map { "\(Int($0.days))" }.joined(separator: ", ")) days",
                                   columns: [Column("Members", alignment: .left), Column("New members", unit: "n")] + r.retention.map { Column("\(Int($0.days)) days", unit: "%") },
                                   rows: rows, notes: ["Empty: not estimable, because the data do not follow anyone that long.", "Groups with fewer than \(r.disclosureThreshold) members are suppressed."])))
        if !tests.isEmpty { blocks.append(.list(ListBlock(tests))) }
        if let d = r.activeDays {
            blocks.append(.keyFigures([KeyFigure(label: "Median active days per member", value: Formatter.number(d.median, .decimal(1)),
                                                 interval: "95% CI \(Formatter.number(d.interval.lower, .decimal(1))) to \(Formatter.number(d.interval.upper, .decimal(1)))",
                                                 note: "Order-statistic interval of the median.", basis: d.count)]))
        }
        return [Section("Engagement and retention", id: "engagement", blocks: blocks)]
    }

    /// Retention method.
    public func methods(_ context: ReportContext) -> [String] {
        ["Retention: Kaplan–Meier from joining to the last activity for members who joined within the data; a member with no activity in the last 14 days has left, anyone active later is censored 14 days before the data end; Greenwood (log) intervals; log-rank tests across conditions and cohorts."]
    }
}

/// Peer matching as a report section.
public struct MatchesContribution: ReportContribution {
    /// Creates the contribution.
    public init() {}

    /// Acceptance, endings, outcomes by score decile, the component regression, the score's AUC.
    public func sections(_ context: ReportContext) throws -> [Section] {
        var options = MatchesOptions()
        options.disclosureThreshold = context.policy.threshold
        let r = try MatchesReport.analyse(store: context.store, options: options)
        guard r.proposed > 0 else { throw ResearchError("the store holds no matches") }
        var figures = [KeyFigure(label: "Matches accepted", value: Build.cell(r.acceptance) == .suppressed ? "withheld" : r.acceptance.estimate.map { Formatter.number($0, .percent(0)) } ?? "n/a",
                                 interval: r.acceptance.interval.map { "95% CI \(Formatter.number($0.lower, .percent(0))) to \(Formatter.number($0.upper, .percent(0)))" },
                                 note: "Of \(Formatter.grouped(r.proposed)) proposed matches.", basis: r.proposed)]
        if let a = r.scoreAUC {
            figures.append(KeyFigure(label: "How well the match score ranks successful matches (AUC)", value: Formatter.number(a.auc, .decimal(2)),
                                     interval: "95% CI \(Formatter.number(a.interval.lower, .decimal(2))) to \(Formatter.number(a.interval.upper, .decimal(2)))",
                                     note: "0.5 is no better than chance; success = \(r.success).", basis: r.successKnown))
        }
        var blocks: [Block] = [.keyFigures(figures)]
        blocks.append(.table(Table(caption: "Matches", columns: [Column("Measure", alignment: .left), Column("Value")], rows: [
            [.text("proposed"), .count(r.proposed)], [.text("ended"), .count(r.ended)], [.text("without an end"), .count(r.open)],
            [.text("sessions per ended match"), ResearchCells.mean(r.sessionsPerMatch, 1)],
            [.text("ended for safety reasons"), Build.cell(r.endedForSafety)], [.text("ended in a rematch"), Build.cell(r.rematched)],
            [.text("success (\(r.success))"), Build.cell(r.successRate)],
        ], notes: [r.consentNote + "; matches involving them are left out (\(r.matchesExcluded))."], disclosive: true)))
        let rowCells = { (row: MatchOutcomeRow) -> [Cell] in
            [.text(row.group), ResearchCells.count(row.matches), Build.cell(row.completed), Build.cell(row.ratedWell), Build.cell(row.seekerRetained), ResearchCells.change(row.seekerMoodChange)]
        }
        let outcomeColumns = [Column("Group", alignment: .left), Column("Accepted", unit: "matches"), Column("Completed", unit: "%"), Column("Rated 4–5", unit: "%"),
                              Column("Seeker active 30 days on", unit: "%"), Column("Seeker PHQ-9 change", unit: "points")]
        blocks.append(.table(Table(caption: "Outcomes by decile of the match score", columns: outcomeColumns, rows: r.byScoreDecile.map(rowCells),
                                   notes: ["Deciles of the score among accepted matches; shares among matches where the outcome is known."])))
        let decilePoints = r.byScoreDecile.enumerated().compactMap { i, row -> ChartPoint? in
            guard !row.completed.suppressed, let e = row.completed.estimate else { return nil }
            return ChartPoint(x: Double(i + 1), y: e, lower: row.completed.interval?.lower, upper: row.completed.interval?.upper, label: "\(i + 1)")
        }
        if decilePoints.count >= 2 {
            blocks.append(.chart(Chart(title: "Completed matches by decile of the match score", description: "Share of ended matches that were completed, per decile of the match score (1 = lowest), with 95% Wilson intervals. A useful score rises from left to right.",
                                       kind: .line, xAxis: Axis("Match-score decile", lower: 1, upper: 10, format: .integer), yAxis: Axis("Completed", unit: "%", lower: 0, upper: 1, format: .percent(0)),
                                       series: [ChartSeries("completed", points: decilePoints, band: true, dots: true)])))
        }
        let components = r.components.filter { $0.component != "intercept" }
        if !components.isEmpty {
            blocks.append(.table(Table(caption: "Success (\(r.success)) by match-score component: logistic regression", columns: [
                Column("Component", alignment: .left), Column("Odds ratio", unit: "0 → 1"), Column("p"),
            ], rows: components.map { [.text($0.component.replacingOccurrences(of: "_", with: " ")),
                                       .number(NumberCell($0.oddsRatio, format: .decimal(2), lower: $0.oddsRatioInterval.lower, upper: $0.oddsRatioInterval.upper)), ResearchCells.p($0.pValue)] },
                notes: ["Odds ratio of success for a component at 1 against 0, the others held fixed; Wald 95% intervals."], disclosive: false)))
            blocks.append(.chart(Chart(title: "Odds ratios of success by component", description: "Odds ratio of a successful match per component (from 0 to 1), with 95% Wald intervals; 1 is no association.",
                                       kind: .forest, xAxis: Axis("Odds ratio", format: .decimal(1)), yAxis: Axis("Component"),
                                       series: [ChartSeries("odds ratio", points: components.map { ChartPoint(x: $0.oddsRatio, y: 0, lower: $0.oddsRatioInterval.lower, upper: $0.oddsRatioInterval.upper, label: $0.component.replacingOccurrences(of: "_", with: " ")) })],
                                       markers: [ChartMarker("no association", x: 1)])))
        }
        blocks.append(.table(Table(caption: "By match kind and cultural match", columns: outcomeColumns,
                                   rows: (r.byKind + r.byCulturalMatch).map(rowCells))))
        if !r.notes.isEmpty { blocks.append(.note(Note(r.notes.joined(separator: " "), kind: .caveat))) }
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
        var sections: [Section] = []
        var g = GroupsOptions()
        g.disclosureThreshold = context.policy.threshold
        let groups = try GroupsReport.analyse(store: context.store, options: g)
        if groups.sessions > 0 {
            var rows: [[Cell]] = [
                [.text("groups that met"), .count(groups.groups)], [.text("sessions"), .count(groups.sessions)],
                [.text("attendees per session"), ResearchCells.mean(groups.attendancePerSession)],
                [.text("back at the group's next session"), Build.cell(groups.nextSessionReturn)],
                [.text("came back after their first session"), Build.cell(groups.cameBack)],
                [.text("regular attendees (≥ \(groups.regularSessions) sessions of one group)"), ResearchCells.count(groups.regularAttendees)],
            ]
            if let mean = groups.facilitatorSessionsPerWeek["mean"] { rows.append([.text("sessions per facilitator per week (mean)"), Build.cell(mean, .decimal(2))]) }
            var blocks: [Block] = [.table(Table(caption: "Support groups", columns: [Column("Measure", alignment: .left), Column("Value")], rows: rows, disclosive: true))]
            blocks.append(.table(Table(caption: "\(groups.instrument) change of regular and occasional attendees", columns: [
                Column("Attendees", alignment: .left), Column("Members", unit: "n"), Column("Change", unit: "points")],
                rows: groups.outcomes.map { [.text($0.attendees), ResearchCells.count($0.members), ResearchCells.change($0.meanChange)] },
                notes: groups.notes, disclosive: true)))
            if let t = groups.outcomeDifference {
                blocks.append(.text("Regular − occasional: \(Formatter.number(t.estimate, .signed(2))) points (95% CI \(Formatter.number(t.interval.lower, .signed(2))) to \(Formatter.number(t.interval.upper, .signed(2))), Welch p = \(SafetyReport.pValue(t.pValue)))."))
            }
            sections.append(Section("Support groups", id: "groups", blocks: blocks))
        }
        var s = SkillsOptions()
        s.disclosureThreshold = context.policy.threshold
        let skills = try SkillsReport.analyse(store: context.store, options: s)
        let practice = { (p: SkillPractice) -> [Cell] in [.text(p.name), ResearchCells.count(p.members), ResearchCells.count(p.practices), Build.cell(p.completion)] }
        var blocks: [Block] = []
        if !skills.frameworks.isEmpty {
            blocks.append(.table(Table(caption: "Skills practice by framework", columns: [Column("Framework", alignment: .left), Column("Members", unit: "n"), Column("Practices", unit: "n"), Column("Completed", unit: "%")],
                                       rows: skills.frameworks.map(practice), notes: ["A member who practised several frameworks counts in each."])))
        }
        if let a = skills.association {
            blocks.append(.text("\(skills.instrument) change per completed practice between the first and last check-in, adjusted for the first score: \(Formatter.number(a.changePerPractice, .signed(3))) points (95% CI \(Formatter.number(a.interval.lower, .signed(3))) to \(Formatter.number(a.interval.upper, .signed(3))), p = \(SafetyReport.pValue(a.pValue))), over \(Formatter.grouped(a.members)) members."))
        }
        blocks.append(.table(Table(caption: "Matches by whether the peer had completed training", columns: [
            Column("Peer", alignment: .left), Column("Matches", unit: "n"), Column("Rating", unit: "1–5"), Column("Completed", unit: "%"), Column("Seeker change", unit: "points")],
            rows: skills.matchesByTraining.map { [.text($0.supporters), ResearchCells.count($0.cases), ResearchCells.mean($0.meanRating), Build.cell($0.completed), ResearchCells.change($0.seekerMoodChange)] },
            notes: ["Trained: a course completed before the match started. " + "Supporters trained: " + (skills.supportersTrained.estimate.map { Formatter.number($0, .percent(0)) } ?? "withheld") + "."])))
        if !skills.notes.isEmpty { blocks.append(.note(Note(skills.notes.joined(separator: " "), kind: .caveat))) }
        sections.append(Section("Skills and training", id: "skills", blocks: blocks))
        return sections
    }

    /// Group and skills methods.
    public func methods(_ context: ReportContext) -> [String] {
        ["Groups: regular attendees went to at least 4 sessions of one group; their change is compared with occasional attendees' by Welch's t test. Skills: least squares of change on completed practices between the first and last check-in, adjusted for the first score; training compared by Welch's t (ratings) and χ² (completion)."]
    }
}
