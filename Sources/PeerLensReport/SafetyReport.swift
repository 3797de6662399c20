import Foundation
import PeerLensLog
import PeerLensSafety
import PeerLensStats
import PeerLensStore

/// The safety team's report: is the deployed alert threshold still right, what to change and what it costs
/// in alerts; discrimination and calibration of every reviewed model; the threshold table under the team's
/// policy; subgroup disparities; drift; the version comparison; crisis response; moderation and appeals;
/// responder load. Every figure comes from the `PeerLensSafety` analyses, run on the store here.
public enum SafetyReport {
    /// Builds the report.
    ///
    /// - Throws: `AnalysisError` when the store has no reviewed scores of `options.model` at all (nothing of
    ///   the report's core could be computed); other analyses the store cannot support are left out and listed.
    public static func build(_ context: ReportContext) throws -> ReportDocument {
        let o = context.options
        var omitted: [String] = []
        var tuningOptions = ThresholdTuningOptions()
        tuningOptions.model = o.model
        tuningOptions.policy = .minimumSensitivity(o.minimumSensitivity)
        tuningOptions.replicates = o.replicates
        tuningOptions.seed = o.seed
        let tuning = try ThresholdTuning.tune(store: context.store, options: tuningOptions)
        let crisis = Build.attempt("crisis response", &omitted) { try CrisisResponseReport.analyse(store: context.store, model: o.model) }
        let curve = crisis == nil ? nil : Build.attempt("time to first response curve", &omitted) {
            try CrisisResponseReport.timeToFirstResponse(store: context.store, model: o.model)
        }
        let models = try reviewedModels(context.store)
        var evaluations: [(model: String, results: [RiskEvaluation])] = []
        for model in models {
            var options = RiskEvaluationOptions()
            options.model = model
            options.replicates = max(o.replicates, 100)
            options.seed = o.seed
            if let r = Build.attempt("risk evaluation of \(model)", &omitted, { try RiskEvaluation.evaluate(store: context.store, options: options) }) {
                evaluations.append((model, r))
            }
        }
        var sections: [Section] = []
        sections.append(summary(tuning, crisis: crisis, evaluations: evaluations, context: context))
        sections.append(discrimination(evaluations, tuning: tuning, context: context, omitted: &omitted))
        sections.append(thresholds(tuning, context: context))
        if let s = subgroups(tuning, context: context, omitted: &omitted) { sections.append(s) }
        if let s = drift(tuning, context: context, omitted: &omitted) { sections.append(s) }
        if let s = comparison(tuning, context: context, omitted: &omitted) { sections.append(s) }
        if let crisis { sections.append(crisisSection(crisis, curve: curve, context: context)) }
        if let m = Build.attempt("moderation", &omitted, { try ModerationReport.analyse(store: context.store) }) {
            sections.append(moderation(m, context: context))
        }
        sections.append(load(tuning, crisis: crisis, context: context))
        if let note = Build.omissions(omitted) { sections[0].blocks.append(note) }
        let period = try context.dataPeriod()
        return context.document(title: "Safety report: crisis alerts, risk models and moderation", audience: .safety,
                                subtitle: period.map { "Data from \($0.from) to \($0.to); model \(o.model), version \(tuning.version)" },
                                sections: sections)
    }

    /// Models with scores whose name matches a human review kind, sorted.
    static func reviewedModels(_ store: EventStore) throws -> [String] {
        try store.scoredModels().filter { ReviewKind(rawValue: $0) != nil }
    }

    // MARK: Executive summary

    static func summary(_ t: ThresholdTuning, crisis: CrisisResponseReport?, evaluations: [(model: String, results: [RiskEvaluation])],
                        context: ReportContext) -> Section {
        let o = context.options
        let rec = t.recommendation
        let floor = Formatter.number(o.minimumSensitivity, .percent(0))
        var figures: [KeyFigure] = []
        var verdict: [TextRun] = []
        let recText = Formatter.fixed(rec.threshold, 2)
        let recInterval = rec.lower.flatMap { l in rec.upper.map { "95% interval of the policy's threshold " + Formatter.fixed(l, 2) + " to " + Formatter.fixed($0, 2) } }
        if let deployed = t.deployed, let d = t.deployedThreshold {
            let sens = deployed.sensitivity
            figures.append(KeyFigure(label: "Deployed threshold", value: Formatter.fixed(d, 2),
                                     interval: "sensitivity " + Build.value(sens, .percent(1)) + (Build.interval(sens, .percent(1)).map { " (\($0))" } ?? ""),
                                     note: "\(Formatter.number(deployed.alertsPerDay, .decimal(1))) alerts per day; \(Formatter.number(deployed.missedPerWeek, .decimal(1))) positives missed per week (estimated)."))
            let within = rec.lower.map { l in d >= l - 1e-12 && d <= (rec.upper ?? l) + 1e-12 } ?? (abs(d - rec.threshold) < 1e-9)
            let belowFloor = (sens.value ?? 0) < o.minimumSensitivity
            if within {
                verdict = [TextRun("The deployed threshold is still right. ", emphasis: .strong),
                           TextRun("At \(Formatter.fixed(d, 2)) it lies within the interval of the threshold the policy picks (\(recText)"
                                   + (recInterval.map { "; \($0)" } ?? "") + "), so the reviews give no reason to move it.")]
            } else if belowFloor {
                verdict = [TextRun("Change the threshold: it misses too many. ", emphasis: .strong),
                           TextRun("At \(Formatter.fixed(d, 2)) the estimated sensitivity is \(Build.value(sens, .percent(1))), below the policy's floor of \(floor). "
                                   + "The policy recommends \(recText)" + (recInterval.map { " (\($0))" } ?? "") + ".")]
            } else {
                verdict = [TextRun("The threshold could be raised. ", emphasis: .strong),
                           TextRun("At \(Formatter.fixed(d, 2)) sensitivity (\(Build.value(sens, .percent(1)))) is above the policy's floor of \(floor); "
                                   + "the policy's threshold is \(recText)" + (recInterval.map { " (\($0))" } ?? "") + ", which keeps the floor with fewer alerts.")]
            }
            if let c = rec.change {
                verdict.append(TextRun(" Moving from \(Formatter.fixed(d, 2)) to \(recText) changes the workload by \(c.summary)."))
                figures.append(KeyFigure(label: "Change in alerts per day if moved", value: Formatter.number(c.alertsPerDay, .signed(1)),
                                         interval: "false alerts " + Formatter.number(c.falseAlertsPerDay, .signed(1)) + " per day",
                                         note: "Missed positives " + Formatter.number(c.missedPerWeek, .signed(1)) + " per week; sensitivity "
                                             + Formatter.number(c.sensitivity, .percentagePoints(1)) + "."))
            }
        } else {
            verdict = [TextRun("No deployed threshold was found ", emphasis: .strong),
                       TextRun("(version \(t.version) raised no alerts). The policy's threshold would be \(recText)" + (recInterval.map { " (\($0))" } ?? "") + ".")]
        }
        figures.insert(KeyFigure(label: "Recommended threshold", value: recText, interval: recInterval,
                                 note: "Policy: \(rec.policy). \(Formatter.number(rec.row.alertsPerDay, .decimal(1))) alerts per day at this threshold."), at: min(1, figures.count))
        if let e = evaluations.first(where: { $0.model == o.model })?.results.first(where: { $0.version == t.version }) {
            figures.append(KeyFigure(label: "Discrimination (AUC) of \(o.model) \(t.version)", value: Build.value(e.auc, .decimal(3)),
                                     interval: Build.interval(e.auc, .decimal(3)), note: "0.5 is chance, 1 is perfect ranking."))
        }
        if let c = crisis {
            let w = c.within15Minutes
            figures.append(KeyFigure(label: "Crisis alerts answered within 15 minutes", value: Formatter.number(w.estimate, .percent(1)),
                                     interval: w.lower.flatMap { l in w.upper.map { "95% CI " + Formatter.number(l, .percent(1)) + " to " + Formatter.number($0, .percent(1)) } },
                                     note: "Kaplan–Meier estimate over \(context.policy.describe(count: c.alerts)) alerts; unanswered alerts censored at the end of the data.",
                                     basis: c.alerts))
        }
        return Section("Executive summary", blocks: [
            .paragraph(Paragraph(runs: verdict)),
            .keyFigures(figures),
            .note(Note("Accuracy comes from \(context.policy.describe(count: t.reviewed)) human-reviewed messages of \(t.model) \(t.version); workload from all "
                       + "\(Formatter.grouped(t.scoredMessages)) scored messages over \(Formatter.number(t.days, .decimal(1))) days. \(t.samplingNote).", kind: .note)),
        ])
    }

    // MARK: Discrimination and calibration

    static func discrimination(_ evaluations: [(model: String, results: [RiskEvaluation])], tuning: ThresholdTuning, context: ReportContext,
                               omitted: inout [String]) -> Section {
        var subsections: [Section] = []
        for (model, results) in evaluations {
            var blocks: [Block] = []
            let columns = [Column("Version", alignment: .left), Column("Reviewed", unit: "messages"), Column("Positive", unit: "messages"),
                           Column("Prevalence", unit: "%"), Column("AUC"), Column("Average precision"), Column("Brier score"), Column("ECE"),
                           Column("Calibration intercept"), Column("Calibration slope"), Column("Threshold"), Column("Sensitivity", unit: "%"),
                           Column("Specificity", unit: "%")]
            let rows: [[Cell]] = results.map { e in
                [.text(e.version), .count(e.reviewed), .count(e.positives), Build.cell(e.prevalence, .percent(1)), Build.cell(e.auc, .decimal(3)),
                 Build.cell(e.averagePrecision, .decimal(3)), Build.cell(e.brier, .decimal(4)), Build.cell(e.expectedCalibrationError, .decimal(3)),
                 Build.cell(e.calibrationIntercept, .decimal(2)), Build.cell(e.calibrationSlope, .decimal(2)), Build.cell(e.threshold, .decimal(2)),
                 Build.cell(e.sensitivity, .percent(1)), Build.cell(e.specificity, .percent(1))]
            }
            blocks.append(.table(Table(caption: "Discrimination and calibration of \(model), per version (95% intervals)", columns: columns, rows: rows,
                                       notes: results.map { "\($0.version): \($0.samplingNote)." }
                                           + ["Calibration intercept 0 and slope 1 are ideal; ECE is the expected calibration error over 10 equal-width bins; a message is flagged when its score is at or above the threshold."])))
            // ROC and PR curves from the threshold sweep of each version (workload rows at 0.01 … 0.99).
            var sweeps: [(String, ThresholdTuning)] = []
            for e in results {
                if model == tuning.model && e.version == tuning.version { sweeps.append((e.version, tuning)); continue }
                var options = ThresholdTuningOptions()
                options.model = model
                options.version = e.version
                options.replicates = 0
                if let t = Build.attempt("threshold sweep of \(model) \(e.version)", &omitted, { try ThresholdTuning.tune(store: context.store, options: options) }) {
                    sweeps.append((e.version, t))
                }
            }
            if !sweeps.isEmpty { blocks.append(.chart(roc(model, sweeps, tuning: tuning))); blocks.append(.chart(pr(model, sweeps, tuning: tuning))) }
            for e in results where !e.reliability.isEmpty { blocks.append(.chart(reliability(e))) }
            if results.contains(where: { !$0.scoresAreProbabilities }) {
                blocks.append(.note(Note("Some versions' scores are not probabilities: they have no calibration figures.", kind: .caveat)))
            }
            subsections.append(Section("Model \(model)", id: "model-\(Section.slug(model))", blocks: blocks))
        }
        return Section("Discrimination and calibration", blocks: [
            .text("How well each reviewed model ranks positive messages above negative ones (AUC, average precision) and whether its scores can be read as probabilities (calibration). Intervals are 95%; each table says how they were obtained."),
        ], subsections: subsections)
    }

    /// Rows of the sweep at every 0.05 of the threshold and at the marked ones (all rows when there are few),
    /// high thresholds first:
    /// enough for a smooth curve and a data table a person can read.
    static func curveRows(_ t: ThresholdTuning) -> [ThresholdRow] {
        // The deployed and recommended thresholds are kept so that their marks sit on the curve.
        let marked = [t.deployed?.threshold, t.recommendation.row.threshold].compactMap { $0 }
        let rows = t.rows.count > 25 ? t.rows.filter { row in
            abs(row.threshold * 20 - (row.threshold * 20).rounded()) < 1e-9 || row == t.rows.first || row == t.rows.last || marked.contains(row.threshold)
        } : t.rows
        return rows.reversed()
    }

    static func markers(_ t: ThresholdTuning, x: (ThresholdRow) -> Double?, y: (ThresholdRow) -> Double?) -> [ChartMarker] {
        var out: [ChartMarker] = []
        if let d = t.deployed, let dx = x(d), let dy = y(d) { out.append(ChartMarker("deployed \(Formatter.fixed(d.threshold, 2))", x: dx, y: dy)) }
        let r = t.recommendation.row
        if let rx = x(r), let ry = y(r) { out.append(ChartMarker("recommended \(Formatter.fixed(r.threshold, 2))", x: rx, y: ry)) }
        return out
    }

    static func roc(_ model: String, _ sweeps: [(String, ThresholdTuning)], tuning: ThresholdTuning) -> Chart {
        let series = sweeps.map { version, t in
            ChartSeries(version, points: [ChartPoint(x: 0, y: 0, label: "above every score")] + curveRows(t).compactMap { row in
                guard let s = row.sensitivity.value, let sp = row.specificity else { return nil }
                return ChartPoint(x: 1 - sp, y: s, label: Formatter.fixed(row.threshold, 2))
            } + [ChartPoint(x: 1, y: 1, label: "below every score")])
        }
        let tuned = sweeps.first { $0.1 == tuning }?.1
        return Chart(title: "ROC curve of \(model)", description: "Sensitivity against false-positive rate at each candidate threshold (0.01 to 0.99), one line per version; the dotted diagonal is chance. "
                        + "The marks show the deployed and recommended thresholds of \(tuning.version).",
                     kind: .line, xAxis: Axis("False-positive rate", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)),
                     yAxis: Axis("Sensitivity", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)), series: series,
                     markers: tuned.map { markers($0, x: { r in r.specificity.map { 1 - $0 } }, y: { $0.sensitivity.value }) } ?? [], diagonal: true,
                     pointLabel: "Threshold")
    }

    static func pr(_ model: String, _ sweeps: [(String, ThresholdTuning)], tuning: ThresholdTuning) -> Chart {
        let series = sweeps.map { version, t in
            ChartSeries(version, points: curveRows(t).compactMap { row in
                guard let s = row.sensitivity.value, let p = row.positivePredictiveValue.value else { return nil }
                return ChartPoint(x: s, y: p, label: Formatter.fixed(row.threshold, 2))
            })
        }
        let tuned = sweeps.first { $0.1 == tuning }?.1
        return Chart(title: "Precision–recall curve of \(model)", description: "Positive predictive value (precision) against sensitivity (recall) at each candidate threshold, one line per version. "
                        + "Where reviews are weighted, both are inverse-probability weighted.",
                     kind: .line, xAxis: Axis("Sensitivity (recall)", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)),
                     yAxis: Axis("Positive predictive value (precision)", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)), series: series,
                     markers: tuned.map { markers($0, x: { $0.sensitivity.value }, y: { $0.positivePredictiveValue.value }) } ?? [], pointLabel: "Threshold")
    }

    static func reliability(_ e: RiskEvaluation) -> Chart {
        Chart(title: "Reliability diagram of \(e.model) \(e.version)",
              description: "Observed share of positive reviews against the mean predicted score in 10 equal-width bins, with 95% Wilson intervals as a band and the number of reviewed messages per bin. "
                + "Points on the dotted diagonal are perfectly calibrated; above it the model under-predicts risk.",
              kind: .line, xAxis: Axis("Mean predicted score", unit: "probability", lower: 0, upper: 1, format: .decimal(2)),
              yAxis: Axis("Observed positive share", unit: "proportion", lower: 0, upper: 1, format: .decimal(2)),
              series: [ChartSeries(e.version, points: e.reliability.map {
                  ChartPoint(x: $0.meanPredicted, y: $0.observedRate, lower: $0.observedInterval.lower, upper: $0.observedInterval.upper, count: $0.count)
              }, band: true, dots: true)], diagonal: true, showCounts: true,
              notes: e.weighted ? ["The bins' observed shares are weighted by the review sampling weights; counts are reviewed messages."] : [])
    }

    // MARK: Thresholds

    static func thresholds(_ t: ThresholdTuning, context: ReportContext) -> Section {
        let rec = t.recommendation
        let every = t.rows.filter { abs($0.threshold * 20 - ($0.threshold * 20).rounded()) < 1e-9 }
        var special: [(String, ThresholdRow)] = []
        if let d = t.deployed { special.append(("deployed", d)) }
        special.append(("recommended", rec.row))
        if let d = t.deployed, d.threshold == rec.row.threshold { special = [("deployed and recommended", d)] }
        // Grid rows at the same threshold as a labelled one are the same row: keep the labelled one only.
        var chosen: [(String, ThresholdRow)] = (t.rows.count > 25 ? every : t.rows)
            .filter { r in !special.contains { abs($0.1.threshold - r.threshold) < 1e-12 } }.map { ("", $0) } + special
        chosen.sort { ($0.1.threshold, $0.0) < ($1.1.threshold, $1.0) }
        let perHour = t.responderHoursPerDay != nil
        var columns = [Column("Threshold"), Column("", alignment: .left), Column("Alerts per day", unit: "alerts/day")]
        if perHour { columns.append(Column("Alerts per responder-hour", unit: "alerts/h")) }
        columns += [Column("True alerts per day", unit: "alerts/day"), Column("False alerts per day", unit: "alerts/day"),
                    Column("Missed positives per week", unit: "messages/week"), Column("Sensitivity", unit: "%"), Column("PPV", unit: "%"),
                    Column("Specificity", unit: "%")]
        let rows: [[Cell]] = chosen.map { label, r in
            var row: [Cell] = [.number(NumberCell(r.threshold, format: .decimal(2))), .text(label), .number(NumberCell(r.alertsPerDay, format: .decimal(1)))]
            if perHour { row.append(Build.cell(r.alertsPerResponderHour, .decimal(2))) }
            row += [.number(NumberCell(r.trueAlertsPerDay, format: .decimal(1))), .number(NumberCell(r.falseAlertsPerDay, format: .decimal(1))),
                    .number(NumberCell(r.missedPerWeek, format: .decimal(1))), Build.cell(r.sensitivity, .percent(1)),
                    Build.cell(r.positivePredictiveValue, .percent(1)), Build.cell(r.specificity, .percent(1))]
            return row
        }
        let table = Table(caption: "Workload and accuracy by threshold, \(t.model) \(t.version)", columns: columns, rows: rows,
                          notes: ["Alerts per day count every scored message at or above the threshold over \(Formatter.number(t.days, .decimal(1))) days; true and false alerts and missed positives are estimated from the reviewed prevalence (\(Formatter.number(t.estimatedPositivesPerWeek, .decimal(1))) positives per week).",
                                  "Intervals: \(t.rows.first?.sensitivity.interval ?? "none").",
                                  t.responderSource == "responses" ? "Responder-hours are the hours in which someone answered an alert: a lower bound of staffed time, so alerts per responder-hour are an upper bound." : ""].filter { !$0.isEmpty },
                          disclosive: false)
        let workload = Chart(title: "Alerts per day against sensitivity, \(t.model) \(t.version)",
                             description: "The cost of sensitivity: alerts a day (all scored messages) needed to reach each sensitivity, over the candidate thresholds. The marks show the deployed and recommended thresholds.",
                             kind: .line, xAxis: Axis("Sensitivity", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)),
                             yAxis: Axis("Alerts per day", unit: "alerts/day", lower: 0, format: .decimal(1)),
                             series: [ChartSeries(t.version, points: curveRows(t).compactMap { r in
                                 r.sensitivity.value.map { ChartPoint(x: $0, y: r.alertsPerDay, label: Formatter.fixed(r.threshold, 2)) }
                             })],
                             markers: markers(t, x: { $0.sensitivity.value }, y: { $0.alertsPerDay }), pointLabel: "Threshold")
        var blocks: [Block] = [
            .text("Policy: \(rec.policy). The recommended threshold is \(Formatter.fixed(rec.threshold, 2))"
                  + (rec.lower.map { l in "; its 95% interval from resampling the reviews is \(Formatter.fixed(l, 2)) to \(Formatter.fixed(rec.upper ?? l, 2))" } ?? "")
                  + ". \(rec.intervalNote.prefix(1).uppercased() + rec.intervalNote.dropFirst())."),
            .table(table), .chart(workload),
        ]
        if let c = rec.change { blocks.insert(.text("Versus the deployed threshold: \(c.summary)."), at: 1) }
        return Section("Threshold and recommendation", blocks: blocks)
    }

    // MARK: Subgroups

    static func subgroups(_ t: ThresholdTuning, context: ReportContext, omitted: inout [String]) -> Section? {
        var options = RiskEvaluationOptions()
        options.model = t.model
        options.versions = [t.version]
        options.replicates = max(context.options.replicates, 100)
        options.seed = context.options.seed
        options.disclosureThreshold = context.policy.threshold
        guard let reviews = Build.attempt("subgroups", &omitted, { try LoadedReviews.load(store: context.store, options: options) }) else { return nil }
        var subsections: [Section] = []
        for attribute in context.options.subgroups {
            var o = options
            o.by = attribute
            guard let analysis = Build.attempt("subgroups by \(attribute.rawValue)", &omitted, {
                try SubgroupAnalysis.analyse(store: context.store, options: o, reviews: reviews)
            })?.first(where: { $0.version == t.version }) else { continue }
            subsections.append(subgroupSection(analysis, policy: context.policy))
        }
        guard !subsections.isEmpty else { return nil }
        return Section("Subgroup disparities", blocks: [
            .text("Does \(t.model) \(t.version) miss more crises, or raise more false alarms, for some groups of members? Each group is compared with the rest of the population; p-values are Holm-adjusted over the groups tested."),
        ], subsections: subsections)
    }

    static func subgroupSection(_ s: SubgroupAnalysis, policy: DisclosurePolicy) -> Section {
        let name = s.by.rawValue.replacingOccurrences(of: "_", with: " ")
        let columns = [Column(name.prefix(1).uppercased() + name.dropFirst(), alignment: .left), Column("Reviewed", unit: "messages"),
                       Column("Positive", unit: "messages"), Column("Members", unit: "n"), Column("AUC"),
                       Column("False-positive rate", unit: "%"), Column("False-negative rate", unit: "%"), Column("Calibration slope")]
        var rows: [[Cell]] = [[.text("(all)"), .count(s.overall.reviewed), .count(s.overall.positives), .empty, Build.cell(s.overall.auc, .decimal(3)),
                               Build.cell(s.overall.falsePositiveRate, .percent(1)), Build.cell(s.overall.sensitivity?.complement, .percent(1)),
                               Build.cell(s.overall.calibrationSlope, .decimal(2))]]
        for g in s.groups {
            guard let e = g.evaluation, !g.suppressed else {
                rows.append([.text(g.group), g.suppressed ? .suppressed : (g.reviewed.map { .count($0) } ?? .empty),
                             g.suppressed ? .suppressed : (g.positives.map { .count($0) } ?? .empty),
                             g.suppressed ? .suppressed : (g.members.map { .count($0) } ?? .empty), .empty, .empty, .empty, .empty])
                continue
            }
            rows.append([.text(g.group), g.reviewed.map { .count($0) } ?? .empty, g.positives.map { .count($0) } ?? .empty,
                         g.members.map { .count($0) } ?? .empty, Build.cell(e.auc, .decimal(3)), Build.cell(e.falsePositiveRate, .percent(1)),
                         Build.cell(e.sensitivity?.complement, .percent(1)), Build.cell(e.calibrationSlope, .decimal(2))])
        }
        let groupRows = Array(1..<rows.count)
        // Group counts add up to the overall row (members with several conditions count in each, which only
        // makes the equations looser), so suppression is complementary within each count column.
        let margins = s.by == .condition ? [] : [1, 2, 3].map { MarginGroup(rows: groupRows, columns: [$0], columnTotalRow: $0 == 3 ? nil : 0) }
        let notes = ["Groups with fewer than \(s.disclosureThreshold) positives or members are not evaluated and their counts are suppressed.", s.note,
                     "Rates at the version's alert threshold; intervals as in the discrimination table."]
        var blocks: [Block] = [.table(Table(caption: "\(s.model) \(s.version) by \(name)", columns: columns, rows: rows, notes: notes, margins: margins))]
        let points = s.groups.compactMap { g -> ChartPoint? in
            guard let e = g.evaluation, let fnr = e.sensitivity?.complement, let v = fnr.value else { return nil }
            // No count on the point: the table holds the counts, under complementary suppression there.
            return ChartPoint(x: v, y: 0, lower: fnr.lower, upper: fnr.upper, label: g.group)
        }
        if !points.isEmpty {
            let overall = s.overall.sensitivity?.complement.value
            blocks.append(.chart(Chart(title: "False-negative rate by \(name), \(s.model) \(s.version)",
                                       description: "Share of positive (crisis) messages the model did not flag, per group, with 95% intervals; the dashed line is the overall rate. A group to the right of it misses more.",
                                       kind: .forest, xAxis: Axis("False-negative rate", unit: "proportion", lower: 0, format: .percent(0)),
                                       yAxis: Axis(name.prefix(1).uppercased() + name.dropFirst()), series: [ChartSeries("false-negative rate", points: points)],
                                       markers: overall.map { [ChartMarker("overall \(Formatter.number($0, .percent(1)))", x: $0)] } ?? [])))
        }
        var findings: [String] = []
        for d in s.disparities {
            let measure = d.measure.replacingOccurrences(of: "_", with: " ")
            guard let group = d.group, let value = d.value, let overall = d.overall, let gap = d.gapVersusRest, let holm = d.holmP else {
                findings.append("\(measure): no group could be tested.")
                continue
            }
            let rate = d.measure != "calibration_slope"
            let f: NumberFormat = rate ? .percent(1) : .decimal(2), g: NumberFormat = rate ? .percentagePoints(1) : .signed(2)
            findings.append("Largest \(measure) gap: \(group), \(Formatter.number(value, f)) against \(Formatter.number(overall, f)) overall; against the rest "
                            + Build.value(gap, g) + (gap.lower.flatMap { l in gap.upper.map { " (95% CI \(Formatter.number(l, g)) to \(Formatter.number($0, g)))" } } ?? "")
                            + ", Holm-adjusted p = \(pValue(holm)).")
        }
        if !findings.isEmpty { blocks.append(.list(ListBlock(findings))) }
        return Section("By \(name)", id: "subgroups-\(s.by.rawValue)", blocks: blocks)
    }

    /// A p-value for reading: three significant digits, `< 0.001` below that.
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        if p < 0.001 { return "< 0.001" }
        return Formatter.fixed(p, p < 0.01 ? 4 : 3)
    }

    // MARK: Drift

    static func drift(_ t: ThresholdTuning, context: ReportContext, omitted: inout [String]) -> Section? {
        var options = RiskEvaluationOptions()
        options.model = t.model
        options.versions = [t.version]
        options.over = context.options.drift
        options.disclosureThreshold = context.policy.threshold
        options.replicates = max(context.options.replicates, 100)
        options.seed = context.options.seed
        guard let d = Build.attempt("drift", &omitted, { try DriftAnalysis.analyse(store: context.store, options: options) })?.first else { return nil }
        let rows: [[Cell]] = d.periods.map { p in
            [.text(p.period), p.suppressed ? .suppressed : (p.reviewed.map { .count($0) } ?? .empty), p.suppressed ? .suppressed : (p.positives.map { .count($0) } ?? .empty),
             Build.cell(p.auc, .decimal(3)), Build.cell(p.calibrationIntercept, .decimal(2)), d.hasAlerts ? Build.cell(p.alertRate, .percent(2)) : .text("no alerts"),
             .text(p.flags.map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: ", "))]
        }
        let table = Table(caption: "\(d.model) \(d.version) per \(d.over.rawValue)",
                          columns: [Column("Period", alignment: .left), Column("Reviewed", unit: "messages"), Column("Positive", unit: "messages"), Column("AUC"),
                                    Column("Calibration intercept"), Column("Alert rate", unit: "%"), Column("Interval excludes the reference", alignment: .left)],
                          rows: rows,
                          notes: ["Reference period: \(d.reference ?? "none") (the first with an evaluable AUC). A week is named by its Monday (UTC).",
                                  "Periods with fewer than \(d.disclosureThreshold) positives have no review-based figures."],
                          margins: [MarginGroup(rows: Array(rows.indices), columns: [1]), MarginGroup(rows: Array(rows.indices), columns: [2])])
        var blocks: [Block] = [.text("Has the model's accuracy, calibration or alert rate moved since the first period? A period is flagged when its interval excludes the reference period's estimate."), .table(table)]
        // No counts on the points: the table holds them, under complementary suppression there.
        let auc = d.periods.compactMap { p in p.auc.value.map { ChartPoint(x: 0, y: $0, lower: p.auc.lower, upper: p.auc.upper, label: p.period) } }
        if auc.count >= 2 {
            blocks.append(.chart(Chart(title: "AUC per \(d.over.rawValue), \(d.model) \(d.version)",
                                       description: "AUC of each period with its 95% interval as a band; the dashed line is the reference period's AUC.",
                                       kind: .periods, xAxis: Axis(d.over == .week ? "Week (Monday)" : "Month"), yAxis: Axis("AUC", unit: "0.5 = chance", format: .decimal(2)),
                                       series: [ChartSeries("AUC", points: auc, band: true, dots: true)],
                                       markers: d.periods.first { $0.period == d.reference }?.auc.value.map { [ChartMarker("reference", y: $0)] } ?? [])))
        }
        let rate = d.periods.compactMap { p in p.alertRate.value.map { ChartPoint(x: 0, y: $0, lower: p.alertRate.lower, upper: p.alertRate.upper, label: p.period) } }
        if d.hasAlerts, rate.count >= 2 {
            blocks.append(.chart(Chart(title: "Alert rate per \(d.over.rawValue), \(d.model) \(d.version)",
                                       description: "Share of scored messages that raised an alert, with 95% Wilson intervals as a band.",
                                       kind: .periods, xAxis: Axis(d.over == .week ? "Week (Monday)" : "Month"), yAxis: Axis("Alert rate", unit: "%", lower: 0, format: .percent(1)),
                                       series: [ChartSeries("alert rate", points: rate, band: true, dots: true)])))
        }
        return Section("Drift", blocks: blocks)
    }

    // MARK: Version comparison

    static func comparison(_ t: ThresholdTuning, context: ReportContext, omitted: inout [String]) -> Section? {
        let versions = (try? context.store.versions(ofModel: t.model)) ?? []
        guard versions.count >= 2 else { return nil }
        let (a, b) = (versions[0], versions[1])
        var options = RiskEvaluationOptions()
        options.model = t.model
        options.replicates = max(context.options.replicates, 100)
        options.seed = context.options.seed
        guard let c = Build.attempt("version comparison \(a) vs \(b)", &omitted, {
            try VersionComparison.compare(store: context.store, versionA: a, versionB: b, options: options)
        }) else { return nil }
        let d = c.aucDifference
        let table = Table(caption: "\(c.model) \(c.versionB) against \(c.versionA) on the reviewed messages both scored",
                          columns: [Column("Measure", alignment: .left), Column(c.versionA), Column(c.versionB), Column("Difference (B − A)")],
                          rows: [
                              [.text("AUC"), .number(NumberCell(c.aucA, format: .decimal(3))), .number(NumberCell(c.aucB, format: .decimal(3))), Build.cell(d, .signed(3))],
                              [.text("Calibration intercept"), Build.cell(c.calibrationInterceptA, .decimal(2)), Build.cell(c.calibrationInterceptB, .decimal(2)), .empty],
                              [.text("Calibration slope"), Build.cell(c.calibrationSlopeA, .decimal(2)), Build.cell(c.calibrationSlopeB, .decimal(2)), .empty],
                          ],
                          notes: ["\(context.policy.describe(count: c.common)) shared reviewed messages, \(context.policy.describe(count: c.positives)) positive\(c.weighted ? "; weighted by review sampling weights" : "").",
                                  "Interval of the difference: \(d.interval)" + (c.pairedDeLongP.map { "; paired DeLong test p = \(pValue($0))" } ?? "") + "."],
                          disclosive: false)
        let points = Table(caption: "Operating points of \(c.versionA) and \(c.versionB)",
                           columns: [Column("Operating point", alignment: .left), Column("Version", alignment: .left), Column("Threshold"),
                                     Column("Messages flagged", unit: "%"), Column("False-positive rate", unit: "%"), Column("False-negative rate", unit: "%")],
                           rows: c.operatingPoints.map { r in
                               [.text(r.label), .text(r.version), .number(NumberCell(r.threshold, format: .decimal(3))), .number(NumberCell(r.flaggedShare, format: .percent(2))),
                                Build.cell(r.falsePositiveRate, .percent(1)), Build.cell(r.falseNegativeRate, .percent(1))]
                           },
                           notes: ["\"B at A's alert volume\" is the threshold at which \(c.versionB) flags as many of all scored messages as \(c.versionA) does at its own: the fair comparison when the team's capacity is fixed."],
                           disclosive: false)
        let better = (d.lower ?? -1) > 0 ? "\(c.versionB) ranks crises better than \(c.versionA): the interval of the AUC difference lies above 0."
            : ((d.upper ?? 1) < 0 ? "\(c.versionB) ranks crises worse than \(c.versionA): the interval of the AUC difference lies below 0."
               : "The AUC difference between \(c.versionB) and \(c.versionA) is within what chance would give (its interval includes 0).")
        return Section("Version comparison", blocks: [.text(better), .table(table), .table(points)])
    }

    // MARK: Crisis response

    static func crisisSection(_ c: CrisisResponseReport, curve: KaplanMeier?, context: ReportContext) -> Section {
        let p = context.policy
        func minutes(_ m: Double?) -> String { m.map { Formatter.fixed($0, 1) + " min" } ?? "not reached" }
        var figures = [
            KeyFigure(label: "Crisis alerts", value: Formatter.grouped(c.alerts), basis: c.alerts),
            KeyFigure(label: "Alerts answered by a human", value: c.responded.estimate.map { Formatter.number($0, .percent(1)) } ?? "n/a",
                      interval: c.responded.interval.map { "95% CI " + Formatter.number($0.lower, .percent(1)) + " to " + Formatter.number($0.upper, .percent(1)) },
                      basis: c.alerts),
            KeyFigure(label: "Median time to first response", value: minutes(c.medianMinutes),
                      interval: "95% CI " + minutes(c.medianLower) + " to " + minutes(c.medianUpper), basis: c.alerts),
        ]
        for w in [c.within5Minutes, c.within15Minutes] {
            figures.append(KeyFigure(label: "Answered within \(Formatter.fixed(w.minutes, 0)) minutes", value: Formatter.number(w.estimate, .percent(1)),
                                     interval: w.lower.flatMap { l in w.upper.map { "95% CI " + Formatter.number(l, .percent(1)) + " to " + Formatter.number($0, .percent(1)) } },
                                     basis: c.alerts))
        }
        var blocks: [Block] = [
            .text("What happened after crisis alerts. Time to a first human response is a time-to-event quantity: alerts nobody answered by the end of the data (\(c.dataEnd)) are censored there, so the median and the shares answered in time come from a Kaplan–Meier curve (Greenwood log intervals), not from answered alerts only."),
            .keyFigures(figures),
        ]
        if let km = curve, let last = km.steps.last {
            let horizon = min(last.time, max(60, c.p90Minutes ?? 60) * 1.5)
            var times: [Double] = [0]
            var t = 0.0
            // Every minute for the first half hour (where the 5- and 15-minute targets lie), coarser after.
            while t < horizon { t += t < 30 ? 1 : (t < 60 ? 5 : (t < 180 ? 15 : 30)); times.append(min(t, horizon)) }
            let points = times.map { time -> ChartPoint in
                let step = km.steps.last { $0.time <= time }
                let atRisk = km.steps.first { $0.time > time }?.atRisk ?? 0
                return ChartPoint(x: time, y: 1 - (step?.survival ?? 1), lower: step?.upper.map { 1 - $0 } ?? 0, upper: step?.lower.map { 1 - $0 } ?? 0,
                                  count: time == 0 ? c.alerts : atRisk)
            }
            blocks.append(.chart(Chart(title: "Share of crisis alerts answered by a human, by minutes since the alert",
                                       description: "Kaplan–Meier estimate of 1 − S(t) read at these times and held until the next (a step curve), with its 95% Greenwood (log) interval as a band; the count is the alerts still unanswered and under observation at that time. The dashed line marks 15 minutes.",
                                       kind: .step, xAxis: Axis("Minutes since the alert", unit: "minutes", lower: 0, format: .decimal(1)),
                                       yAxis: Axis("Answered", unit: "%", lower: 0, upper: 1, format: .percent(0)),
                                       series: [ChartSeries("answered", points: points, band: true)], markers: [ChartMarker("15 minutes", x: 15)])))
        }
        if !c.byHour.isEmpty {
            // Four-hour blocks: single hours hold too few alerts to publish in a small service.
            var blocksOf4 = [Int](repeating: 0, count: 6)
            for h in c.byHour { blocksOf4[h.hour / 4] += h.alerts }
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            blocks.append(.chart(Chart(title: "Crisis alerts by time of day (UTC)",
                                       description: "How many alerts were raised in each four-hour block of the day over the whole period: when responders are needed most.",
                                       kind: .bars, xAxis: Axis("Time of the alert", unit: "UTC hours"), yAxis: Axis("Alerts", unit: "n", lower: 0, format: .integer),
                                       series: [ChartSeries("alerts", points: blocksOf4.enumerated().map { i, n in
                                           ChartPoint(x: Double(i), y: Double(n), count: n, label: "\(two(4 * i))–\(two(4 * i + 3))")
                                       })])))
        }
        let outcomeRows: [[Cell]] = c.outcomes.map { o in [.text(o.outcome.replacingOccurrences(of: "_", with: " ")), Build.count(o.share), Build.cell(o.share)] }
        let rowsWithIndex = Array(outcomeRows.indices)
        blocks.append(.table(Table(
            caption: "Outcomes of responses", columns: [Column("Outcome", alignment: .left), Column("Responses", unit: "n"), Column("Share of responses", unit: "%")],
            rows: outcomeRows.enumerated().map { i, row in
                var r = row
                if case let .number(n) = r[2] { var n = n; n.derivedFrom = CellReference(row: i, column: 1); r[2] = .number(n) }
                return r
            },
            notes: ["Shares with 95% Wilson intervals; follow-ups completed: " + (c.followupCompleted.estimate.map { Formatter.number($0, .percent(1)) } ?? "none recorded")
                    + (p.isSmall(c.followupCompleted.total ?? 0) ? " (withheld: too few follow-ups)" : "") + "."],
            margins: [MarginGroup(rows: rowsWithIndex, columns: [1])])))
        let roleRows: [[Cell]] = c.byRole.map { r in [.text(r.role), .count(r.firstResponses), .number(NumberCell(r.medianMinutes, format: .decimal(1), basis: r.firstResponses))] }
        blocks.append(.table(Table(caption: "First responses by responder role",
                                   columns: [Column("Role", alignment: .left), Column("First responses", unit: "alerts"), Column("Median time to first response", unit: "minutes")],
                                   rows: roleRows, notes: ["Medians among the alerts each role answered first (answered alerts only)."],
                                   margins: [MarginGroup(rows: Array(roleRows.indices), columns: [1])])))
        return Section("Crisis response", blocks: blocks)
    }

    // MARK: Moderation

    static func moderation(_ m: ModerationReport, context: ReportContext) -> Section {
        func minutes(_ x: Double?) -> Cell { x.map { .number(NumberCell($0, format: .decimal(0))) } ?? .empty }
        // The rate per 1,000 messages and the appeal share (whose interval shows its denominator) would reveal
        // a layer's count: both are withheld with it.
        func derived(_ cell: Cell, _ row: Int) -> Cell {
            guard case var .number(n) = cell else { return cell }
            n.derivedFrom = CellReference(row: row, column: 1)
            return .number(n)
        }
        let layerRows: [[Cell]] = m.layers.enumerated().map { i, l in
            // A layer without actions has no kinds either; the analysis leaves out its count like a small one.
            let empty = l.actions == nil && l.suppressedKinds == 0
            guard !empty else { return [.text(l.layer), .count(0), .empty, .empty, .empty, .empty, .empty] }
            return [.text(l.layer), l.actions.map { .count($0) } ?? .suppressed,
             l.actions == nil ? .suppressed : derived(Build.cell(l.perThousandMessages, .decimal(2)), i),
             derived(Build.cell(l.appealed), i), Build.cell(l.overturned), l.actions == nil ? .suppressed : minutes(l.medianMinutesToAction),
             l.actions == nil ? .suppressed : minutes(l.p90MinutesToAction)]
        }
        var blocks: [Block] = [
            .text("\(context.policy.describe(count: m.actions)) moderation actions on \(Formatter.grouped(m.messages)) messages: what each layer does, how often its actions are appealed and overturned, and how fast it acts."),
            .table(Table(caption: "Moderation by layer",
                         columns: [Column("Layer", alignment: .left), Column("Actions", unit: "n"), Column("Per 1,000 messages"), Column("Appealed", unit: "% of actions"),
                                   Column("Overturned on appeal", unit: "% of appeals"), Column("Median message to action", unit: "minutes"),
                                   Column("90th percentile message to action", unit: "minutes")],
                         rows: layerRows, notes: ["Shares with 95% Wilson intervals. A layer with few actions is suppressed, with another where it could otherwise be worked out from the total."],
                         margins: [MarginGroup(rows: Array(layerRows.indices), columns: [1])])),
        ]
        let bandRows: [[Cell]] = m.overturnedByScoreBand.map { b in
            [.text(Formatter.fixed(b.lower, 1) + "–" + Formatter.fixed(b.upper, 1)), Build.count(b.overturned), Build.cell(b.overturned)]
        }
        if !bandRows.isEmpty {
            blocks.append(.table(Table(caption: "Overturned automatic actions by \(m.model) \(m.version ?? "") score band",
                                       columns: [Column("Score band", alignment: .left), Column("Overturned", unit: "actions"), Column("Overturned share", unit: "% of actions in band")],
                                       rows: bandRows, notes: ["A lower bound on the share of automatic actions that were false positives: not every wrongly actioned member appeals."],
                                       margins: [MarginGroup(rows: Array(bandRows.indices), columns: [1])])))
        }
        let reRows: [[Cell]] = m.reoffence.map { r in
            [.text(r.action), r.reoffended.suppressed ? .suppressed : (r.reoffended.total.map { .count($0) } ?? .empty), Build.count(r.reoffended), Build.cell(r.reoffended)]
        }
        blocks.append(.table(Table(caption: "Moderated again within \(m.reoffenceWindowDays) days, by first action",
                                   columns: [Column("Action", alignment: .left), Column("Index actions", unit: "n"), Column("Moderated again", unit: "n"), Column("Share", unit: "%")],
                                   rows: reRows,
                                   notes: ["\(m.reoffenceCensored) recent actions are left out: their window passes the end of the data."]
                                       + (m.reoffenceTest.map { ["Difference between actions: Pearson χ² = \(Formatter.fixed($0.statistic ?? .nan, 2)), df \(Formatter.fixed($0.degreesOfFreedom ?? .nan, 0)), p = \(pValue($0.pValue)) (observational: members given each action differ)."] } ?? []))))
        return Section("Moderation and appeals", blocks: blocks)
    }

    // MARK: Responder load

    static func load(_ t: ThresholdTuning, crisis: CrisisResponseReport?, context: ReportContext) -> Section {
        var figures: [KeyFigure] = []
        if let h = t.responderHoursPerDay {
            figures.append(KeyFigure(label: "Responder-hours per day", value: Formatter.number(h, .decimal(1)),
                                     note: t.responderSource == "responses" ? "Hours in which someone answered an alert: a lower bound of staffed time." : "From the rota given."))
            if let d = t.deployed, let a = d.alertsPerResponderHour {
                figures.append(KeyFigure(label: "Alerts per responder-hour at the deployed threshold", value: Formatter.fixed(a, 2)))
            }
            if let a = t.recommendation.row.alertsPerResponderHour {
                figures.append(KeyFigure(label: "Alerts per responder-hour at the recommended threshold", value: Formatter.fixed(a, 2)))
            }
        }
        if let c = crisis {
            let s = c.responderWeeksAboveThreshold
            figures.append(KeyFigure(label: "Responder-weeks above \(c.burnoutThreshold) responses", value: s.estimate.map { Formatter.number($0, .percent(1)) } ?? "n/a",
                                     interval: s.interval.map { "95% CI " + Formatter.number($0.lower, .percent(1)) + " to " + Formatter.number($0.upper, .percent(1)) },
                                     note: "Of \(context.policy.describe(count: c.responderWeeks)) responder-weeks; a burnout risk.", basis: c.responderWeeks))
        }
        return Section("Responder load", blocks: figures.isEmpty ? [.text("No responses are recorded, so responder load cannot be estimated.")] : [
            .text("How much each responder carries: alerts per staffed hour at the deployed and recommended thresholds, and how often a responder's week went above the burnout threshold."),
            .keyFigures(figures),
        ])
    }
}
