import PeerLensDocument
import PeerLensSafety
import PeerLensStats

/// The safety report's answer to "is the deployed alert threshold still right?", in one of three phrases.
///
/// The rule (`SafetyReport.status`), in order:
/// 1. **Model not fit for alerting** when the evaluation of the tuned version shows that no threshold can make
///    its alerts trustworthy: its AUC's 95% interval reaches 0.5 (the ranking is not shown to beat chance), or,
///    for scores that are probabilities, calibration fails on two counts at once — Spiegelhalter's test rejects
///    calibration (p < 0.05) and the calibration slope's 95% interval excludes 1 (the scores' spread is wrong,
///    not only their level).
/// 2. **Threshold fine** when the deployed threshold lies within the 95% interval of the threshold the policy
///    picks (or is that threshold, when there is no interval).
/// 3. **Change the threshold** otherwise: the deployed threshold misses more than the sensitivity floor allows,
///    or keeps the floor with more alerts than needed, or no deployed threshold was found.
public enum ThresholdStatus: String, Sendable, Equatable, CaseIterable {
    /// The deployed threshold is within the uncertainty of the policy's threshold.
    case fine = "Threshold fine"
    /// The deployed threshold should move to the recommended one (or one on the way).
    case change = "Change the threshold"
    /// The model does not rank or calibrate well enough for any threshold to be trusted.
    case modelNotFit = "Model not fit for alerting"
}

extension SafetyReport {
    // MARK: The answer first

    /// The status of the deployed threshold under the rule of `ThresholdStatus`, with the reason as a sentence
    /// (starting with a capital, ending with a full stop).
    ///
    /// - Parameters:
    ///   - evaluation: the evaluation of the tuned model version (nil when it could not be computed: the model
    ///     part of the rule is then not applied).
    ///   - minimumSensitivity: the policy's sensitivity floor.
    ///   - assurance: whether the floor applies to the point estimate or the lower confidence bound.
    static func status(_ t: ThresholdTuning, evaluation e: RiskEvaluation?, minimumSensitivity: Double,
                       assurance: SensitivityAssurance) -> (status: ThresholdStatus, reason: String) {
        let noun = positivesNoun(t)
        if let e {
            let auc = e.auc
            if auc.value == nil || (auc.lower ?? 0) <= 0.5 {
                return (.modelNotFit, "The model's ranking is not shown to beat chance: its AUC is \(Build.value(auc, .decimal(3)))"
                        + (Build.interval(auc, .decimal(3)).map { " (\($0))" } ?? "") + ", an interval that reaches 0.5, so no threshold makes its alerts informative.")
            }
            if e.scoresAreProbabilities, let z = e.spiegelhalter, z.pValue.isFinite, z.pValue < 0.05,
               let slope = e.calibrationSlope.value, let l = e.calibrationSlope.lower, let u = e.calibrationSlope.upper, l > 1 || u < 1 {
                return (.modelNotFit, "Its scores are miscalibrated: Spiegelhalter's test gives p = \(pValue(z.pValue)) and the calibration slope is "
                        + "\(Formatter.number(slope, .decimal(2))) (95% CI \(Formatter.number(l, .decimal(2))) to \(Formatter.number(u, .decimal(2)))), away from 1, "
                        + "so the scores cannot be read as risks and a threshold set today would not mean the same risk tomorrow.")
            }
        }
        let rec = t.recommendation
        let recText = rec.row.thresholdText.text
        let recInterval = rec.lowerText.flatMap { l in rec.upperText.map { "95% interval " + l.text + " to " + $0.text } }
        guard let deployed = t.deployed, let d = t.deployedThreshold else {
            return (.change, "No deployed threshold was found: version \(t.version) raised no alerts.")
        }
        let dText = deployed.thresholdText.text
        let within = rec.lower.map { l in d >= l - 1e-12 && d <= (rec.upper ?? l) + 1e-12 } ?? (abs(d - rec.threshold) < 1e-9)
        if within {
            return (.fine, "The deployed threshold \(dText) lies within the uncertainty of the threshold the policy picks (\(recText)"
                    + (recInterval.map { "; \($0)" } ?? "") + "), so the reviews give no reason to move it.")
        }
        let sens = deployed.sensitivity
        let floor = Formatter.number(minimumSensitivity, .percent(0))
        let assured = (assurance == .lower ? sens.lower : sens.value) ?? 0
        if assured < minimumSensitivity {
            return (.change, "At the deployed threshold \(dText) the model finds \(Build.value(sens, .percent(1))) of \(noun.plural)"
                    + (Build.interval(sens, .percent(1)).map { " (\($0))" } ?? "")
                    + (assurance == .lower ? ", whose lower bound is below" : ", below") + " the policy's floor of \(floor).")
        }
        return (.change, "At the deployed threshold \(dText) the model finds \(Build.value(sens, .percent(1))) of \(noun.plural), above the policy's floor of \(floor): "
                + "a higher threshold keeps the floor with fewer alerts.")
    }

    /// Two thresholds between the deployed and the recommended one, taken from the rows the workload table
    /// prints (`gridRows`), so that the summary offers the way part-way in the same figures. Of the printed
    /// rows strictly between the two, the ones whose sensitivity is nearest to one third and two thirds of the way
    /// from the deployed threshold's sensitivity to the recommended one's (ties: the higher threshold, fewer
    /// alerts); fewer when fewer rows lie between. Without a deployed threshold, the printed rows just above
    /// and just below the recommended threshold. Ordered from the deployed side to the recommended side.
    static func intermediateRows(_ t: ThresholdTuning) -> [ThresholdRow] {
        let rec = t.recommendation.row
        let grid = gridRows(t).filter { $0.sensitivity.value != nil }
        guard let d = t.deployed else {
            let above = grid.filter { $0.threshold > rec.threshold + 1e-12 }.min { $0.threshold < $1.threshold }
            let below = grid.filter { $0.threshold < rec.threshold - 1e-12 }.max { $0.threshold < $1.threshold }
            return [above, below].compactMap { $0 }
        }
        let (low, high) = (min(d.threshold, rec.threshold), max(d.threshold, rec.threshold))
        var candidates = grid.filter { $0.threshold > low + 1e-12 && $0.threshold < high - 1e-12 }
        guard let sd = d.sensitivity.value, let sr = rec.sensitivity.value else { return [] }
        var chosen: [ThresholdRow] = []
        for fraction in [1.0 / 3, 2.0 / 3] where !candidates.isEmpty {
            let target = sd + (sr - sd) * fraction
            let best = candidates.min { a, b in
                let da = abs(a.sensitivity.value! - target), db = abs(b.sensitivity.value! - target)
                return abs(da - db) > 1e-12 ? da < db : a.threshold > b.threshold
            }!
            chosen.append(best)
            candidates.removeAll { $0.threshold == best.threshold }
        }
        // From the deployed side to the recommended side.
        return chosen.sorted { d.threshold > rec.threshold ? $0.threshold > $1.threshold : $0.threshold < $1.threshold }
    }

    /// The deployed, intermediate and recommended thresholds of the summary, labelled, from the deployed side to
    /// the recommended side (one row when the deployed threshold is the recommended one).
    static func summaryRows(_ t: ThresholdTuning) -> [(String, ThresholdRow)] {
        let rec = t.recommendation.row
        if let d = t.deployed, d.threshold == rec.threshold { return [("deployed and recommended", d)] }
        return (t.deployed.map { [("deployed", $0)] } ?? []) + intermediateRows(t).map { ("in between", $0) } + [("recommended", rec)]
    }

    /// The report's opening section: the status in one phrase with its reason, the trade-off at the deployed,
    /// two intermediate and the recommended thresholds in staff terms (a table from the same threshold rows the
    /// workload table prints), the model's discrimination and the crisis response at a glance.
    static func summary(_ t: ThresholdTuning, crisis: CrisisResponseReport?, evaluations: [(model: String, results: [RiskEvaluation])],
                        context: ReportContext) -> Section {
        let o = context.options
        let rec = t.recommendation
        let noun = positivesNoun(t)
        let evaluation = evaluations.first { $0.model == o.model }?.results.first { $0.version == t.version }
        let (state, reason) = status(t, evaluation: evaluation, minimumSensitivity: o.minimumSensitivity, assurance: o.assurance)
        // Thresholds are printed so that passing the printed value back flags the same messages.
        let recText = rec.row.thresholdText.text
        let recInterval = rec.lowerText.flatMap { l in rec.upperText.map { "95% interval " + l.text + " to " + $0.text } }
        var tradeOff = "The recommended threshold \(recText)" + (recInterval.map { " (\($0))" } ?? "")
            + " would find \(Build.value(rec.row.sensitivity, .percent(1))) of \(noun.plural) and miss \(Formatter.number(rec.row.missedPerWeek, .decimal(1))) a week"
        let n = alerts(rec.row, t)
        if n >= context.policy.threshold || n == 0 {
            tradeOff += ", but raise \(Formatter.number(rec.row.alertsPerDay, .decimal(1))) alerts a day"
                + (rec.change?.alertsMultiple.map { " (\(Formatter.number($0, .decimal(1)))× today's)" } ?? "")
            if let a = rec.row.alertsPerResponderHour { tradeOff += ", \(Formatter.number(a, .decimal(2))) per responder-hour" }
        } else {
            tradeOff += ", with fewer than \(context.policy.threshold) alerts over the period"
        }
        let notPositive = rec.row.positivePredictiveValue.value == nil ? nil : rec.row.positivePredictiveValue.complement
        tradeOff += (notPositive.map { ", \(Build.value($0, .percent(1))) of them not \(noun.plural)" } ?? "") + "."
        let rows = summaryRows(t)
        let between = rows.filter { $0.0 == "in between" }.count
        var runs = [TextRun(state.rawValue + ". ", emphasis: .strong), TextRun(reason + " " + tradeOff)]
        if between > 0 {
            runs.append(TextRun(" The table adds \(between == 1 ? "a threshold" : "two thresholds") in between, for moving part of the way."))
        }
        let shown = decidingTable(rows, t)
        let table = Table(caption: "The alert threshold in staff terms, \(t.model) \(t.version)", columns: shown.columns, rows: shown.rows,
                          notes: ["The same figures as the workload table (section Threshold and recommendation): alerts count every scored message at or above the threshold; "
                                  + "the share of alerts that are not \(noun.plural) (1 − PPV) and sensitivity rest on the \(Formatter.grouped(t.reviewed)) reviewed messages; "
                                  + "missed \(noun.plural) per week are estimated from the reviewed prevalence. Intervals are 95%."]
                              + (t.responderHoursPerDay == nil ? ["Alerts per responder-hour need a declared rota, and none was given."] : []))
        var figures: [KeyFigure] = []
        if let e = evaluation {
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
        var blocks: [Block] = [.paragraph(Paragraph(runs: runs)), .table(table)]
        if !figures.isEmpty { blocks.append(.keyFigures(figures)) }
        blocks.append(.note(Note("Accuracy comes from \(context.policy.describe(count: t.reviewed)) human-reviewed messages of \(t.model) \(t.version); workload from all "
                                 + "\(Formatter.grouped(t.scoredMessages)) scored messages over \(Formatter.number(t.days, .decimal(1))) days. "
                                 + "The status rule: the model is not fit for alerting when its AUC interval reaches 0.5, or when its scores fail calibration "
                                 + "(Spiegelhalter's p < 0.05 with a calibration slope interval excluding 1); otherwise the threshold is fine when it lies within the interval of the policy's threshold.",
                                 kind: .note)))
        return Section("Summary", id: "summary", blocks: blocks, role: .summary)
    }
}
