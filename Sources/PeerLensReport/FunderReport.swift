import PeerLensDocument
import PeerLensCommunity
import PeerLensResearch
import PeerLensStats

/// The funder's SDG impact summary: one screen of headline figures in plain language, each tied to its SDG
/// target; reach (help seekers) and supporters by role, and equity under a stated group-rate rule; outcomes
/// with intervals in words; safety (crisis alerts answered within 15 minutes, beside the share confirmed as
/// crises); cost per seeker reached and per outcome when a cost is given; the community-health index; and what the figures cannot tell.
/// Figures come from `ImpactReport` and `CommunityHealthReport`.
public enum FunderReport {
    /// Builds the report.
    ///
    /// - Throws: `HealthError` when the store holds no members.
    public static func build(_ context: ReportContext) throws -> ReportDocument {
        var options = ImpactOptions()
        options.cost = context.options.cost
        options.currency = context.options.currency
        options.groupRateMinimum = context.policy.threshold
        let impactOptions = options
        // The three analyses at once (`Concurrently`).
        enum Part: Sendable {
            case impact(Result<ImpactReport, any Error>)
            case mood(OutcomesReport?, [String])
            case health([Section]?, [String])
        }
        let parts = try Concurrently.map(3, cost: { [1, 1, 10][$0] }) { i -> Part in
            switch i {
            case 0: return .impact(Result { try ImpactReport.analyse(store: context.store, options: impactOptions) })
            case 1:
                let (mood, omitted) = try Build.attempt("NHS Talking Therapies outcomes") { try OutcomesReport.analyse(store: context.store, options: OutcomesOptions()) }
                return .mood(mood, omitted)
            default:
                let (health, omitted) = try Build.attempt("community health") { try CommunityHealthContribution(overTime: false, plain: true).sections(context) }
                return .health(health, omitted)
            }
        }
        guard case let .impact(analysed) = parts[0], case let .mood(mood, moodOmitted) = parts[1], case let .health(health, healthOmitted) = parts[2] else {
            preconditionFailure("parts in the order asked")
        }
        let impact = try analysed.get()
        let omitted = moodOmitted + healthOmitted
        var sections = [headline(impact, mood: mood, policy: context.policy), glance(impact), reach(impact), outcomes(impact, mood: mood), safety(impact)]
        if let c = context.options.cost { sections.append(cost(impact, cost: c, currency: context.options.currency)) }
        if let health { sections += health }
        sections.append(limitations(impact, omitted: omitted))
        return context.document(title: "Impact summary for funders", audience: .funder,
                                subtitle: subtitle(impact), sections: sections)
    }

    /// `From 5 January to 1 March 2026, against the Sustainable Development Goals (…)`. Targets only: no figure
    /// measures an SDG indicator such as 3.4.2 (suicide mortality), which platform logs cannot.
    public static func subtitle(_ r: ImpactReport) -> String {
        "From \(Formatter.dateRange(from: r.from, to: r.to)), against Sustainable Development Goal targets (SDG 3.4, 3.8, 5, 10.2, 17.18)"
    }

    /// A published benchmark the funder report sets its outcomes beside, with its source.
    public struct Benchmark: Sendable {
        /// Share of people who finished a course of treatment and improved reliably.
        public let reliableImprovement: Double
        /// Share of those at caseness at the start who recovered.
        public let recovery: Double
        /// The year the figures cover (`2017-18`).
        public let period: String
        /// The publication, with its publisher and year.
        public let source: String
        /// A later recovery figure showing the level held, with its period and source.
        public let laterRecovery: (share: Double, period: String, source: String)?

        /// Creates a benchmark (shares as proportions, 0.508 for 50.8%).
        public init(reliableImprovement: Double, recovery: Double, period: String, source: String,
                    laterRecovery: (share: Double, period: String, source: String)? = nil) {
            self.reliableImprovement = reliableImprovement
            self.recovery = recovery
            self.period = period
            self.source = source
            self.laterRecovery = laterRecovery
        }
    }

    /// NHS Talking Therapies (formerly IAPT), England: of the referrals that finished a course of treatment in
    /// 2017-18, 66.4% showed reliable improvement and 50.8% of those at caseness moved to recovery (NHS
    /// Digital, "Psychological Therapies: Annual Report on the use of IAPT services, England, 2017-18", 2018);
    /// recovery was 50.2% in 2021-22 (the same annual report for 2021-22, NHS Digital, 2022). The national
    /// standard is recovery for at least 50% of those who finish treatment. The definitions are the ones the
    /// report's combined outcomes use (PHQ-9 and GAD-7 scored together). Checked on 2026-12-05 against NHS
    /// Digital's release of the 2017-18 report ("More than half of patients who finished psychological therapy
    /// recovered in 2017-18": 50.8% recovery, 66.4% reliable improvement) and the published summaries of the
    /// 2021-22 report (50.2% recovery, down from 51.4% in 2020-21).
    public static let nhsTalkingTherapies = Benchmark(
        reliableImprovement: 0.664, recovery: 0.508, period: "2017-18",
        source: "NHS Digital, Psychological Therapies: Annual Report on the use of IAPT services, England, 2017-18, published 2018",
        laterRecovery: (0.502, "2021-22", "in the report for 2021-22, published 2022"))

    /// The answer first: one plain sentence with denominators (help seekers reached; of the members measured
    /// twice on PHQ-9, how many improved reliably, with the share and its range, the same as the glance
    /// prints), then the NHS Talking Therapies benchmark beside this service's figures by the same
    /// definitions, cited, and why the comparison is only indicative. Counts and shares that the disclosure
    /// policy would withhold are not printed: the sentence says they are too few to publish.
    public static func headline(_ r: ImpactReport, mood: OutcomesReport?, policy: DisclosurePolicy,
                                benchmark: Benchmark = nhsTalkingTherapies) -> Section {
        func published(_ f: KeyFigure) -> KeyFigure? {
            let p = policy.apply(to: f)
            return p.suppressed || p.notEvaluable != nil ? nil : p
        }
        var sentence = ""
        if let reached = r.headline.first(where: { $0.key == "people_reached" }) {
            sentence = "From \(Formatter.dateRange(from: r.from, to: r.to)) the service reached \(policy.describe(count: reached.count)) help seekers"
        }
        if let phq = r.headline.first(where: { $0.key == "reliable_improvement_phq9" }), let hits = phq.hits {
            let measured = "the \(policy.describe(count: phq.count)) members measured twice or more on depression (PHQ-9)"
            let clause: String
            if let f = published(figure(phq)) {
                clause = "of \(measured), \(policy.describe(count: hits)) (\(f.value)\(f.interval.map { ", \($0)" } ?? "")) improved reliably"
            } else {
                clause = "of \(measured), too few improved reliably, or did not, to publish how many"
            }
            sentence += sentence.isEmpty ? clause.prefix(1).uppercased() + clause.dropFirst() : "; " + clause
        }
        var blocks: [Block] = []
        if !sentence.isEmpty { blocks.append(.text(sentence + ".")) }
        var context = "For context, NHS Talking Therapies, England's national talking-therapy service, reported that \(Formatter.number(benchmark.reliableImprovement, .percent(1))) of the people who finished a course of treatment in \(benchmark.period) improved reliably and \(Formatter.number(benchmark.recovery, .percent(1))) of those who started at or above the clinical cut-off recovered (\(benchmark.source))"
        if let later = benchmark.laterRecovery {
            context += "; recovery has stayed around 50% since (\(Formatter.number(later.share, .percent(1))) in \(later.period), \(later.source))"
        }
        context += "."
        if let c = mood?.combined {
            let figures = combinedFigures(c)
            let improved = published(figures[1]), recovered = published(figures[0])
            var here: [String] = []
            if let f = improved, let n = c.reliableImprovement.count {
                here.append("\(policy.describe(count: n)) of the \(policy.describe(count: c.members)) members measured on both depression and anxiety improved reliably (\(f.value))")
            } else {
                here.append("too few members measured on both depression and anxiety improved reliably, or did not, to publish the share")
            }
            if let f = recovered, let n = c.recovery.count {
                here.append("\(policy.describe(count: n)) of the \(policy.describe(count: c.atCaseness)) who started at or above the cut-off recovered (\(f.value))")
            } else {
                here.append("the share who recovered rests on too few people to publish")
            }
            context += " Scored the same way (depression and anxiety together), here " + here.joined(separator: ", and ") + "."
        }
        context += " The comparison is only indicative: NHS Talking Therapies counts adults in England who finished a course of therapy, measured at every session; these are members of a peer-support service in several countries, measured by check-ins a few weeks apart, with no defined end of treatment."
        blocks.append(.text(context))
        return Section("Summary", id: "summary", blocks: blocks, role: .summary)
    }

    /// What the figures cannot tell, with how members without consent were treated.
    public static func limitations(_ r: ImpactReport, omitted: [String] = []) -> Section {
        Section("What these figures cannot tell", blocks: [
            .list(ListBlock(r.limitations)),
            .note(Note(r.consentNote.prefix(1).uppercased() + r.consentNote.dropFirst() + ".", kind: .caveat)),
            .keyFigures([KeyFigure(label: "Members left out for lack of research consent", value: Formatter.grouped(r.membersExcluded), count: r.membersExcluded)]),
        ] + (Build.omissions(omitted).map { [$0] } ?? []))
    }

    /// `SDG 3.4, 3.8`.
    static func tag(_ sdg: [String]) -> String { "SDG " + sdg.joined(separator: ", ") }

    static func label(_ key: String) -> String {
        switch key {
        case "people_reached": "Help seekers reached"
        case "supporters_active_peer": "Peer supporters active"
        case "supporters_active_listener": "Listeners active"
        case "supporters_active_professional": "Professionals active"
        case "supporters_active_moderator": "Moderators active"
        case "conversations": "Support conversations"
        case "matches": "Peer-support matches"
        case "supporters_trained": "Peer supporters and listeners trained"
        case "crisis_alerts_confirmed": "Crisis alerts confirmed as crises on review"
        case "reliable_improvement_either": "Improved reliably (PHQ-9 or GAD-7)"
        case "reliable_improvement_phq9": "Improved reliably (depression, PHQ-9)"
        case "recovery_phq9": "Recovered (depression, PHQ-9)"
        case "reliable_recovery_phq9": "Recovered reliably (depression, PHQ-9)"
        case "reliable_improvement_gad7": "Improved reliably (anxiety, GAD-7)"
        case "recovery_gad7": "Recovered (anxiety, GAD-7)"
        case "reliable_recovery_gad7": "Recovered reliably (anxiety, GAD-7)"
        case "cost_per_seeker_reached": "Cost per help seeker reached"
        case "cost_per_reliable_improvement": "Cost per member who improved reliably"
        default:
            key.hasPrefix("crisis_alerts_answered_within_")
                ? "Crisis alerts answered within " + key.dropFirst("crisis_alerts_answered_within_".count).replacingOccurrences(of: "_", with: " ")
                : key.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// A headline figure as a key figure: the count, rate or amount, the interval in words, what it counts. A
    /// count is itself disclosive (`count`); a rate rests on its people, and since it reveals its numerator and
    /// the complement within the total, on the smallest of the three (`basis`); a cost rests on the people it is
    /// divided by, and is shown in whole currency units (`USD 2,809`) with its interval when it has one.
    public static func figure(_ f: ImpactFigure, currency: String? = nil) -> KeyFigure {
        let note = f.statement.prefix(1).uppercased() + f.statement.dropFirst() + "."
        if let hits = f.hits {
            guard let v = f.value else { return .notEvaluable(label: label(f.key), reason: "no one to measure", tag: tag(f.sdg)) }
            let revealed = [f.count, hits, f.count - hits].filter { $0 > 0 }.min() ?? f.count
            return KeyFigure(label: label(f.key), value: Formatter.number(v, .percent(0)),
                             interval: f.lower.flatMap { l in f.upper.map { "between \(Formatter.number(l, .percent(0))) and \(Formatter.number($0, .percent(0)))" } },
                             tag: tag(f.sdg), note: "Share: " + note, basis: revealed)
        }
        if f.key.hasPrefix("cost_") {
            guard let v = f.value else { return .notEvaluable(label: label(f.key), reason: "no one to divide the cost by", tag: tag(f.sdg)) }
            let amount = { (x: Double) -> String in money(x, currency: currency) }
            let interval: String? = f.lower.map { l in f.upper.map { "between \(amount(l)) and \(amount($0))" } ?? "\(amount(l)) or more" }
            return KeyFigure(label: label(f.key), value: amount(v), interval: interval, tag: tag(f.sdg), note: note, basis: f.count)
        }
        return KeyFigure(label: label(f.key), value: Formatter.grouped(f.count), tag: tag(f.sdg), note: note, count: f.count)
    }

    /// An amount in whole currency units with thousands separators: `USD 250,000` (costs are averages over
    /// people: cents would be false precision).
    public static func money(_ x: Double, currency: String?) -> String {
        Formatter.currency(x, code: currency, wholeUnits: true)
    }

    /// The crisis figures, the alerts answered in time beside the share confirmed as crises.
    static func crisisFigures(_ r: ImpactReport) -> [ImpactFigure] {
        r.headline.filter { $0.key.hasPrefix("crisis_alerts_answered_within_") } + r.headline.filter { $0.key == "crisis_alerts_confirmed" }
    }

    /// The headline figures, one screen.
    public static func glance(_ r: ImpactReport) -> Section {
        let keys = ["people_reached", "conversations", "matches", "supporters_trained", "reliable_improvement_phq9", "reliable_improvement_gad7"]
        let figures = keys.compactMap { k in r.headline.first { $0.key == k } } + crisisFigures(r)
        return Section("At a glance", blocks: [
            .keyFigures(figures.map { figure($0) }),
            .text("Each figure names the Sustainable Development Goal target it reports on. The range after a figure (\"between … and …\") is where the true figure most likely lies (a 95% interval): the data cannot pin it down more closely."),
        ])
    }

    /// Reach and reliable improvement by gender, resource setting, region and age band, after the supporters
    /// active by role. People per group add up to the help seekers reached (or measured), and those who improved
    /// and did not to the overall counts: the tables declare these margins, so the policy's complementary
    /// suppression protects small groups. An outcome table applies the group-rate rule (`ImpactReport.groupRateMinimum`):
    /// a group with fewer than k people with, or without, the outcome has its rate, counts and difference
    /// withheld (the policy protects them as suppressed cells). Each outcome table is followed by its largest
    /// difference between a group and the rest, with its interval, drawn only from groups whose difference
    /// survives the rule and the policy.
    public static func reach(_ r: ImpactReport) -> Section {
        var blocks: [Block] = [
            .text("Who the service reached, and whether outcomes differ between groups (SDG 5 gender equality, 10.2 inclusion, 17.18 disaggregated data). People reached are help seekers; supporters who were active are counted by role, apart from them. Groups too small to publish are shown as suppressed."),
        ]
        let supporters = r.headline.filter { $0.key.hasPrefix("supporters_active_") }
        if !supporters.isEmpty { blocks.append(.keyFigures(supporters.map { figure($0) })) }
        let k = r.groupRateMinimum
        for b in r.equity {
            let by = b.by.replacingOccurrences(of: "_", with: " ")
            let heading = by.prefix(1).uppercased() + by.dropFirst()
            if b.measure == "reach" {
                let rows: [[Cell]] = b.groups.enumerated().map { i, g in
                    [.text(ReportLabels.category(g.group, of: b.by)), .count(g.count),
                     g.rate.map { .number(NumberCell($0, format: .percent(1), lower: g.lower, upper: g.upper, basis: b.total, derivedFrom: CellReference(row: i, column: 1), numerator: g.count)) } ?? .empty]
                }
                blocks.append(.table(Table(
                    caption: "Help seekers reached by \(by) (\(tag(b.sdg)))",
                    columns: [Column(heading, alignment: .left), Column("Help seekers reached", unit: "n"), Column("Share of help seekers reached", unit: "%")],
                    rows: rows, notes: ["Groups add up to the help seekers reached."],
                    margins: [MarginGroup(rows: Array(rows.indices), columns: [1])])))
            } else {
                let rows: [[Cell]] = b.groups.enumerated().map { i, g in
                    let hits = g.hits ?? 0
                    guard g.meetsRateRule == true else {
                        return [.text(ReportLabels.category(g.group, of: b.by)), .count(g.count), .suppressed, .suppressed, .suppressed, .suppressed]
                    }
                    let improved = CellReference(row: i, column: 2)
                    return [.text(ReportLabels.category(g.group, of: b.by)), .count(g.count), .count(hits), .count(g.count - hits),
                            g.rate.map { .number(NumberCell($0, format: .percent(1), lower: g.lower, upper: g.upper, basis: g.count, derivedFrom: improved, numerator: hits)) } ?? .empty,
                            g.difference.map { .number(NumberCell($0, format: .percentagePoints(1), lower: g.differenceLower, upper: g.differenceUpper,
                                                                  basis: g.count, derivedFrom: improved, numerator: hits)) } ?? .empty]
                }
                let withheld = b.groups.filter { $0.meetsRateRule != true }.count
                let table = Table(
                    caption: "Reliable improvement in depression (PHQ-9) by \(by) (\(tag(b.sdg)))",
                    columns: [Column(heading, alignment: .left), Column("People measured", unit: "n"), Column("Improved reliably", unit: "n"),
                              Column("Did not", unit: "n"), Column("Rate of reliable improvement", unit: "%"), Column("Difference from the rest", unit: "pp")],
                    rows: rows,
                    notes: ["Members with two or more PHQ-9 check-ins; rates with 95% Wilson intervals; the difference is the group's rate minus that of everyone else measured, with a 95% Newcombe hybrid score interval. Groups add up to the people measured, and to those who improved and did not.",
                            "Group-rate rule: a group's rate, its counts with and without the outcome, and its difference are published only when at least \(k) of its people improved reliably and at least \(k) did not" + (withheld > 0 ? " (\(withheld) group\(withheld == 1 ? "" : "s") withheld by this rule)." : ".")],
                    margins: [MarginGroup(rows: Array(rows.indices), columns: [1]),
                              MarginGroup(rows: Array(rows.indices), columns: [2, 3], rowTotalColumn: 1)])
                blocks.append(.table(table))
                blocks.append(.keyFigures([largestDifference(b, table: table, k: k)]))
            }
        }
        return Section("Reach and equity", blocks: blocks)
    }

    /// The largest difference (in absolute value) between a group's rate and the rest's, with its interval, among
    /// the groups that meet the group-rate rule and whose difference survives the disclosure policy at threshold
    /// `k` (complementary suppression may withhold a group that meets the rule); not evaluable when there is none.
    /// The figure rests on the smallest of the group's people, those with and those without the outcome.
    static func largestDifference(_ b: ImpactBreakdown, table: Table, k: Int) -> KeyFigure {
        let by = b.by.replacingOccurrences(of: "_", with: " ")
        let label = "Largest difference in reliable improvement by \(by)"
        let published = ((try? DisclosurePolicy(threshold: k, allowLowering: true)) ?? .standard).apply(to: table)
        let candidates = b.groups.enumerated().filter { i, g in
            guard g.meetsRateRule == true, g.difference != nil, i < published.rows.count, case .number = published.rows[i][5] else { return false }
            return true
        }.map(\.element)
        // Largest absolute difference; ties go to the larger group, then the group name, so the choice is stable.
        guard let g = candidates.max(by: { (abs($0.difference!), $0.count, $1.group) < (abs($1.difference!), $1.count, $0.group) }), let d = g.difference else {
            return .notEvaluable(label: label, reason: "no group has at least \(k) people who improved reliably and \(k) who did not, with its figures published", tag: tag(b.sdg))
        }
        let pp = { (x: Double) in Formatter.number(x, .percentagePoints(1)) }
        let hits = g.hits ?? 0
        return KeyFigure(label: label, value: pp(d), interval: g.differenceLower.flatMap { l in g.differenceUpper.map { "between \(pp(l)) and \(pp($0))" } },
                         tag: tag(b.sdg),
                         note: "\(ReportLabels.category(g.group, of: b.by)) against everyone else measured, among the groups published under the group-rate rule; 95% Newcombe hybrid score interval.",
                         basis: [g.count, hits, g.count - hits].min())
    }

    /// The NHS Talking Therapies outcomes, PHQ-9 and GAD-7 scored together, as key figures: each share rests on
    /// the smallest count it reveals (numerator, complement or denominator).
    /// A share over those at caseness also reveals, beside the improvement figure's denominator (everyone paired),
    /// how many were not at caseness: that count joins what it rests on.
    static func combinedFigures(_ c: CombinedOutcomes) -> [KeyFigure] {
        let notCases = c.members - c.atCaseness
        return [("Recovered (NHS Talking Therapies, depression and anxiety together)", c.recovery, "of the members at or above the clinical cut-off on either measure at their first check-in, those below it on both at their last", notCases),
                ("Improved reliably (NHS Talking Therapies, depression and anxiety together)", c.reliableImprovement, "of the members measured on both, those whose score fell reliably on at least one measure and rose reliably on neither", 0),
                ("Recovered reliably (NHS Talking Therapies, depression and anxiety together)", c.reliableRecovery, "of the members at or above the clinical cut-off at their first check-in, those who both recovered and improved reliably", notCases)]
            .map { label, share, words, alsoRevealed in
                guard let e = share.estimate, let n = share.count, let total = share.total else {
                    return .notEvaluable(label: label, reason: "no one to measure", tag: "SDG 3.4")
                }
                return KeyFigure(label: label, value: Formatter.number(e, .percent(0)),
                                 interval: share.interval.map { "between \(Formatter.number($0.lower, .percent(0))) and \(Formatter.number($0.upper, .percent(0)))" },
                                 tag: "SDG 3.4", note: "Share: \(words).", basis: [total, n, total - n, alsoRevealed].filter { $0 > 0 }.min() ?? total)
            }
    }

    /// Reliable improvement, recovery and reliable recovery: PHQ-9 and GAD-7 together by the NHS Talking
    /// Therapies definitions (from `mood`, when given), then per measure, with a forest chart.
    public static func outcomes(_ r: ImpactReport, mood: OutcomesReport? = nil) -> Section {
        let keys = ["reliable_improvement_phq9", "recovery_phq9", "reliable_recovery_phq9", "reliable_improvement_gad7", "recovery_gad7", "reliable_recovery_gad7"]
        let figures = keys.compactMap { k in r.headline.first { $0.key == k } }
        var blocks: [Block] = [
            .text("Change in depression (PHQ-9) and anxiety (GAD-7) scores between a member's first and last check-in. NHS Talking Therapies scores the two together: a person is a case at the start when at or above the clinical cut-off on either (10 for PHQ-9, 8 for GAD-7), has recovered when below it on both at the end, and has improved reliably when at least one score fell by 6 (PHQ-9) or 4 (GAD-7) points or more and neither rose as much."),
        ]
        if let c = mood?.combined { blocks.append(.keyFigures(combinedFigures(c))) }
        if let phq = mood?.instruments.first(where: { $0.instrument == "PHQ-9" }) {
            blocks.append(.text("A member with a single check-in is counted as not followed up only when a second one was due (their first check-in at least \(OutcomesReport.days(OutcomesOptions().minimumDays)) days before the end of the data); those who joined later are not counted as having stopped."))
            blocks.append(.keyFigures([
                KeyFigure(label: "Members with one PHQ-9 check-in whose follow-up was not yet due", value: Formatter.grouped(phq.membersNotYetDue),
                          note: "Left out of the outcome figures, and not counted as having stopped.", count: phq.membersNotYetDue),
                KeyFigure(label: "Members with one PHQ-9 check-in although a second was due", value: Formatter.grouped(phq.membersWithOneCheckin),
                          note: "Not followed up: their outcome is unknown, and may be worse than that of those measured.", count: phq.membersWithOneCheckin),
            ]))
        }
        blocks += [
            .text("Each measure on its own, with the same thresholds: these are not the NHS Talking Therapies figures, which need both measures."),
            .keyFigures(figures.map { figure($0) }),
        ]
        let points = figures.compactMap { f -> ChartPoint? in
            guard let v = f.value, let hits = f.hits else { return nil }
            // The point stands for its smallest revealed count (numerator, complement or total).
            let revealed = [f.count, hits, f.count - hits].filter { $0 > 0 }.min() ?? f.count
            return ChartPoint(x: v, y: 0, lower: f.lower, upper: f.upper, count: revealed, label: label(f.key))
        }
        if !points.isEmpty {
            blocks.append(.chart(Chart(title: "Outcomes with their 95% intervals",
                                       description: "Share of members measured twice or more who improved reliably or recovered, each with the range in which the true share most likely lies.",
                                       kind: .forest, xAxis: Axis("Share of members", unit: "%", lower: 0, upper: 1, format: .percent(0)), yAxis: Axis("Outcome"),
                                       series: [ChartSeries("outcomes", points: points)])))
        }
        return Section("Outcomes", blocks: blocks)
    }

    /// Crisis alerts answered by a human within the window, beside the share of reviewed alerts confirmed as
    /// crises. Both contribute to SDG target 3.4; neither measures indicator 3.4.2 (suicide mortality).
    public static func safety(_ r: ImpactReport) -> Section {
        Section("Safety", blocks: [
            .text("How fast a crisis alert raised by the risk model reached a human responder, and how many alerts a reviewer confirmed as a crisis. These count alerts, not crises, and contribute to SDG target 3.4 (mental health and well-being); they do not measure suicide mortality (SDG indicator 3.4.2), which platform logs cannot. Alerts raised in the last minutes of the data are left out of the response figure, since their window had not closed."),
            .keyFigures(crisisFigures(r).map { figure($0) }),
        ])
    }

    /// Cost per help seeker reached and per member who improved reliably, with the number improved: what each
    /// divides, by what, and that each charges the whole budget to its one outcome.
    public static func cost(_ r: ImpactReport, cost: Double, currency: String) -> Section {
        let keys = ["cost_per_seeker_reached", "reliable_improvement_either", "cost_per_reliable_improvement"]
        let figures = keys.compactMap { k in r.headline.first { $0.key == k } }
        return Section("Cost per outcome", blocks: [
            .text("The whole programme cost given (\(money(cost, currency: currency))) divided by the help seekers reached, and, separately, by the members who improved reliably on PHQ-9 or GAD-7 (a fall of at least 6 or 4 points between their first and last check-in). Each figure charges the whole budget to its one outcome, although the same money also paid for everything else the service did, so the two cannot be added. The range of the cost per improvement comes from the range of the number of members improved (the 95% interval of the share improved, times the members measured). These are averages: they do not say what one more person would cost, nor that the service caused the improvement."),
            .keyFigures(figures.flatMap { f in
                f.key == "reliable_improvement_either" ? [peopleImproved(f), figure(f)] : [figure(f, currency: f.key.hasPrefix("cost_") ? currency : nil)]
            }),
        ])
    }

    /// The number of members who improved reliably (the denominator of the cost per improvement), with the range
    /// the cost's interval comes from: the members measured times the bounds of the share's Wilson interval,
    /// rounded to whole people. A count of people: the policy withholds it when small.
    static func peopleImproved(_ f: ImpactFigure) -> KeyFigure {
        let label = "Members who improved reliably (PHQ-9 or GAD-7)"
        guard let hits = f.hits, f.count > 0 else { return .notEvaluable(label: label, reason: "no one measured twice or more", tag: tag(f.sdg)) }
        let people = { (share: Double) in Formatter.grouped(Int((share * Double(f.count)).rounded())) }
        return KeyFigure(label: label, value: Formatter.grouped(hits),
                         interval: f.lower.flatMap { l in f.upper.map { "between \(people(l)) and \(people($0))" } }, tag: tag(f.sdg),
                         note: "Members with two or more check-ins on PHQ-9 or GAD-7 who improved reliably on at least one: the people the cost per improvement is divided by. The range is the 95% interval of the share improved times the members measured.",
                         basis: [f.count, hits, f.count - hits].filter { $0 > 0 }.min() ?? f.count, count: hits)
    }
}
