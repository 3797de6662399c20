import PeerLensDocument
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
        var tuningOptions = ThresholdTuningOptions()
        tuningOptions.model = o.model
        tuningOptions.policy = .minimumSensitivity(o.minimumSensitivity)
        tuningOptions.assurance = o.assurance
        tuningOptions.rota = o.rota
        tuningOptions.replicates = o.replicates
        tuningOptions.seed = o.seed
        tuningOptions.reviews = o.reviews
        let tuning = try ThresholdTuning.tune(store: context.store, options: tuningOptions)
        let models = try reviewedModels(context.store)
        // Everything after the tuning is independent: computed at once (`Concurrently`), put together in order.
        enum Part: Sendable {
            case crisis(CrisisResponseReport?, curve: KaplanMeier?, [String])
            case evaluations([(model: String, results: [RiskEvaluation])], [String])
            case section(Section?, [String])
        }
        // Costs measured on the 10-million-event benchmark store: the version comparison and the subgroups are
        // the longest, so they start first.
        let parts = try Concurrently.map(8, cost: { [1, 3, 1, 6, 2, 6, 1, 2][$0] }) { i -> Part in
            var omitted: [String] = []
            switch i {
            case 0:
                let crisis = try Build.attempt("crisis response", &omitted) { try CrisisResponseReport.analyse(store: context.store, model: o.model) }
                let curve = crisis == nil ? nil : try Build.attempt("time to first response curve", &omitted) {
                    try CrisisResponseReport.timeToFirstResponse(store: context.store, model: o.model)
                }
                return .crisis(crisis, curve: curve, omitted)
            case 1:
                var evaluations: [(model: String, results: [RiskEvaluation])] = []
                for model in models {
                    let options = riskOptions(model: model, context: context)
                    if let r = try Build.attempt("risk evaluation of \(model)", &omitted, { try RiskEvaluation.evaluate(store: context.store, options: options) }) {
                        evaluations.append((model, r))
                    }
                }
                return .evaluations(evaluations, omitted)
            case 2:
                guard let kind = ReviewKind(rawValue: o.model) else { return .section(nil, []) }
                let agreementOptions = riskOptions(model: o.model, context: context)
                let a = try Build.attempt("reviewer agreement", &omitted) { try ReviewerAgreement.measure(store: context.store, options: agreementOptions) }
                return .section(a.map { $0.map { agreementSection($0, rule: o.reviews.rule) } ?? noAgreementSection(kind: kind.rawValue, rule: o.reviews.rule) }, omitted)
            case 3: return .section(try subgroups(tuning, context: context, omitted: &omitted), omitted)
            case 4: return .section(try drift(tuning, context: context, omitted: &omitted), omitted)
            case 5: return .section(try comparison(tuning, context: context, omitted: &omitted), omitted)
            case 6:
                let item = try Build.attempt("self-harm item channel", &omitted) {
                    try RiskItemReport.analyse(store: context.store, model: o.model, instruments: try ProjectConfig.load().catalog())
                }
                return .section(item.map(riskItemSection), omitted)
            default:
                let m = try Build.attempt("moderation", &omitted) { try ModerationReport.analyse(store: context.store) }
                return .section(m.map(moderationSection), omitted)
            }
        }
        guard case let .crisis(crisis, curve, crisisOmitted) = parts[0], case let .evaluations(evaluations, evaluationOmitted) = parts[1] else {
            preconditionFailure("parts in the order asked")
        }
        func section(_ i: Int) -> (Section?, [String]) {
            guard case let .section(s, omitted) = parts[i] else { preconditionFailure("part \(i) is a section") }
            return (s, omitted)
        }
        // Omissions in the order the parts were listed (the order the report has always named them in).
        var omitted = crisisOmitted + evaluationOmitted
        var sections: [Section] = []
        sections.append(summary(tuning, crisis: crisis, evaluations: evaluations, context: context))
        sections.append(try discrimination(evaluations, tuning: tuning, context: context, omitted: &omitted))
        let (agreement, agreementOmitted) = section(2)
        omitted += agreementOmitted
        if let agreement { sections.append(agreement) }
        sections.append(thresholdSection(tuning))
        sections.append(decisionCurveSection(tuning))
        for i in 3...5 {
            let (s, o) = section(i)
            omitted += o
            if let s { sections.append(s) }
        }
        if let crisis { sections.append(crisisSection(crisis, curve: curve)) }
        for i in 6...7 {
            let (s, o) = section(i)
            omitted += o
            if let s { sections.append(s) }
        }
        sections.append(load(tuning, crisis: crisis, context: context))
        if let note = Build.omissions(omitted) { sections[0].blocks.append(note) }
        let period = try context.dataPeriod()
        return context.document(title: "Safety report: crisis alerts, risk models and moderation", audience: .safety,
                                subtitle: period.map { "Data from \(CalendarText.day($0.from)) to \(CalendarText.day($0.to)); model \(o.model), version \(tuning.version)" },
                                sections: sections)
    }

    /// Models with scores whose name matches a human review kind, sorted.
    static func reviewedModels(_ store: any EventSource) throws -> [String] {
        try store.scoredModels().filter { ReviewKind(rawValue: $0) != nil }
    }

    // MARK: Discrimination and calibration

    static func discrimination(_ evaluations: [(model: String, results: [RiskEvaluation])], tuning: ThresholdTuning, context: ReportContext,
                               omitted: inout [String]) throws -> Section {
        var subsections: [Section] = []
        for (model, results) in evaluations {
            var blocks: [Block] = []
            blocks.append(.table(evaluationTable(model, results)))
            // ROC and PR curves from the threshold sweep of each version (workload rows at 0.01 … 0.99).
            var sweeps: [(String, ThresholdTuning)] = []
            for e in results {
                if model == tuning.model && e.version == tuning.version { sweeps.append((e.version, tuning)); continue }
                var options = ThresholdTuningOptions()
                options.model = model
                options.version = e.version
                options.replicates = 0
                if let t = try Build.attempt("threshold sweep of \(model) \(e.version)", &omitted, { try ThresholdTuning.tune(store: context.store, options: options) }) {
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

    /// Discrimination and calibration of one model, per version (`peerlens risk` and the safety report):
    /// reviewed and positive messages as counts, estimates resting on the reviewed messages.
    public static func evaluationTable(_ model: String, _ results: [RiskEvaluation], unit: String = "messages") -> PeerLensDocument.Table {
        let maxFPR = shortDecimal(results.first?.partialAUC.maxFalsePositiveRate ?? 0.1)
        let columns = [Column("Version", alignment: .left), Column("Reviewed", unit: unit), Column("Positive", unit: unit),
                       Column("Prevalence", unit: "%"), Column("AUC"), Column("Partial AUC, FPR ≤ \(maxFPR)", unit: "standardised"),
                       Column("Average precision"), Column("Brier score"), Column("ECE"),
                       Column("Calibration intercept"), Column("Calibration slope"), Column("Spiegelhalter z"), Column("Spiegelhalter p"),
                       Column("Threshold"), Column("Sensitivity", unit: "%"), Column("Specificity", unit: "%")]
        let rows: [[Cell]] = results.map { e in
            let n = e.reviewed
            return [.text(e.version), .count(e.reviewed), .count(e.positives), Build.cell(e.prevalence, .percent(1), basis: n), Build.cell(e.auc, .decimal(3), basis: n),
                    Build.cell(e.partialAUC.value, .decimal(3), lower: e.partialAUC.lower, upper: e.partialAUC.upper, basis: n),
                    Build.cell(e.averagePrecision, .decimal(3), basis: n), Build.cell(e.brier, .decimal(4), basis: n), Build.cell(e.expectedCalibrationError, .decimal(3), basis: n),
                    Build.cell(e.calibrationIntercept, .decimal(2), basis: n), Build.cell(e.calibrationSlope, .decimal(2), basis: n),
                    Build.cell(e.spiegelhalter?.statistic, .decimal(2), basis: n), Build.cell(e.spiegelhalter?.pValue, .decimal(3), basis: n),
                    e.threshold.map { thresholdCell($0, e.thresholdText ?? ThresholdText.printed($0, above: nil)) } ?? .empty,
                    Build.cell(e.sensitivity, .percent(1), basis: e.positives), Build.cell(e.specificity, .percent(1), basis: n)]
        }
        return Table(caption: "Discrimination and calibration of \(model), per version (95% intervals)", columns: columns, rows: rows,
                     notes: results.map { "\($0.version): \($0.samplingNote)." }
                         + results.filter { !$0.scoresAreProbabilities }.map { "\($0.version): \(notProbabilitiesNote)" }
                         + ["Partial AUC: the ROC area over false-positive rates up to \(maxFPR), McClish-standardised (0.5 is chance, 1 is perfect ranking in that range); each version's interval method is in its note above.",
                            "Calibration intercept 0 and slope 1 are ideal; ECE is the expected calibration error over 10 equal-width bins; Spiegelhalter's z tests calibration (0 is ideal; weighted by the review sampling weights when there are any). A message is flagged when its score is at or above the threshold."])
    }

    /// `x` with the fewest decimal places (at most 4) that show it exactly: 0.1, 0.05, 0.005.
    static func shortDecimal(_ x: Double) -> String {
        for places in 0..<4 {
            let scaled = x * Double([1, 10, 100, 1000][places])
            if abs(scaled - scaled.rounded()) < 1e-9 { return Formatter.fixed(x, places) }
        }
        return Formatter.fixed(x, 4)
    }

    /// Why a score outside [0, 1] has no calibration figures.
    static let notProbabilitiesNote = "Scores are not probabilities (some lie outside [0, 1], e.g. a sum score, logit or rank): calibration measures (Brier score, ECE, Hosmer–Lemeshow, Spiegelhalter's z, calibration intercept and slope, reliability diagram) compare predicted probabilities with observed rates, so they are not computed; discrimination and the rates at a threshold are."

    /// Every figure of one version's evaluation (`peerlens risk`): the measures with their intervals and how
    /// they were obtained, the Murphy decomposition, Hosmer–Lemeshow, the rates at the operating threshold, and
    /// the reliability diagram (bins resting on few messages are withheld by the policy).
    public static func evaluationSection(_ e: RiskEvaluation) -> Section {
        let n = e.reviewed
        func row(_ name: String, _ est: Estimate?, _ f: NumberFormat, basis: Int) -> [Cell] {
            guard let est, est.value != nil else {
                // Calibration needs probabilities: on another scale the row says why it is empty.
                let calibration = ["Brier score", "Scaled Brier score", "Expected calibration error", "Calibration intercept", "Calibration slope"]
                if !e.scoresAreProbabilities, calibration.contains(name) { return [.text(name), .notEvaluable("scores are not probabilities"), .text("not computed")] }
                return [.text(name), .empty, .text("n/a")]
            }
            return [.text(name), Build.cell(est, f, basis: basis), .text(est.lower == nil ? "no interval" : est.interval)]
        }
        func plain(_ name: String, _ v: Double?, _ f: NumberFormat, _ how: String) -> [Cell] {
            [.text(name), v.map { .number(NumberCell($0, format: f, basis: n)) } ?? .empty, .text(how)]
        }
        let pauc = e.partialAUC, maxFPR = shortDecimal(pauc.maxFalsePositiveRate)
        var rows: [[Cell]] = [
            row("Prevalence", e.prevalence, .percent(1), basis: n), row("AUC", e.auc, .decimal(4), basis: n),
            [.text("Partial AUC, FPR ≤ \(maxFPR), standardised (McClish)"), Build.cell(pauc.value, .decimal(4), lower: pauc.lower, upper: pauc.upper, basis: n),
             .text(pauc.lower == nil ? "no interval" : pauc.interval)],
            plain("Partial AUC, FPR ≤ \(maxFPR), raw area (at most \(maxFPR))", pauc.raw, .decimal(4), "∫ TPR dFPR over [0, \(maxFPR)], before standardising"),
            row("Average precision", e.averagePrecision, .decimal(4), basis: n), row("Brier score", e.brier, .decimal(4), basis: n),
            row("Scaled Brier score", e.scaledBrier, .decimal(4), basis: n),
        ]
        if let rel = e.brierReliability, let res = e.brierResolution, let unc = e.brierUncertainty {
            rows += [plain("Murphy reliability", rel, .decimal(4), "decomposition"), plain("Murphy resolution", res, .decimal(4), "decomposition"),
                     plain("Murphy uncertainty", unc, .decimal(4), "decomposition")]
        }
        rows.append(row("Expected calibration error", e.expectedCalibrationError, .decimal(4), basis: n))
        if let mce = e.maximumCalibrationError { rows.append(plain("Maximum calibration error", mce, .decimal(4), "over the bins")) }
        if let hl = e.hosmerLemeshow {
            rows.append(plain("Hosmer–Lemeshow χ²", hl.statistic, .decimal(2),
                              "df \(Formatter.fixed(hl.degreesOfFreedom ?? .nan, 0)), p = \(pValue(hl.pValue))" + (hl.note.map { " (\($0))" } ?? "")))
        }
        if let z = e.spiegelhalter {
            rows.append(plain("Spiegelhalter z", z.statistic, .decimal(3), "p = \(pValue(z.pValue))" + (z.note.map { " (\($0))" } ?? "")))
        }
        rows += [row("Calibration intercept", e.calibrationIntercept, .decimal(3), basis: n), row("Calibration slope", e.calibrationSlope, .decimal(3), basis: n)]
        if e.threshold != nil {
            rows += [row("Sensitivity", e.sensitivity, .percent(1), basis: e.positives), row("Specificity", e.specificity, .percent(1), basis: n),
                     row("Positive predictive value", e.positivePredictiveValue, .percent(1), basis: n),
                     row("Negative predictive value", e.negativePredictiveValue, .percent(1), basis: n),
                     row("False-positive rate", e.falsePositiveRate, .percent(1), basis: n)]
        }
        var notes = [sentence(e.samplingNote) + "."]
        if let t = e.threshold {
            notes.append("Rates at the threshold \((e.thresholdText ?? ThresholdText.printed(t, above: nil)).text) (\(e.thresholdSource ?? "given")); a message is flagged when its score is at or above it.")
        }
        else { notes.append("No threshold (no alerts for this version), so there are no rates at a threshold.") }
        if !e.scoresAreProbabilities {
            notes.append(notProbabilitiesNote)
        } else {
            if e.hosmerLemeshow != nil {
                notes.append("Hosmer–Lemeshow: the model was not fitted on these \(e.weighted ? "reviews" : "data"), so this is an external validation and the χ² reference has g degrees of freedom (g − 2 applies only on the data a model was fitted on).")
            } else if e.weighted {
                notes.append("Hosmer–Lemeshow is not computed with review sampling weights (its χ² reference assumes case counts); Spiegelhalter's z is weighted instead.")
            }
            notes.append("Spiegelhalter's z = Σ w(y − p)(1 − 2p) / √V (Spiegelhalter 1986), w = 1 without sampling weights; 0 is ideal, a large |z| means the scores are miscalibrated.")
        }
        notes.append("Partial AUC: the area under the ROC curve over false-positive rates 0 to \(maxFPR), interpolated linearly at \(maxFPR); standardised (McClish 1989) as ½(1 + (A − m²/2)/(m − m²/2)), so 0.5 is chance and 1 a perfect ranking in that range.")
        var blocks: [Block] = [
            .keyFigures([KeyFigure(label: "Reviewed", value: Formatter.grouped(e.reviewed), count: e.reviewed),
                         KeyFigure(label: "Positive", value: Formatter.grouped(e.positives), count: e.positives)]),
            .table(Table(caption: "\(e.model) \(e.version): discrimination and calibration (95% intervals)",
                         columns: [Column("Measure", alignment: .left), Column("Estimate"), Column("Interval", alignment: .left)], rows: rows, notes: notes)),
        ]
        if !e.reliability.isEmpty { blocks.append(.chart(reliability(e))) }
        return Section("\(e.model) \(e.version)", id: "evaluation-\(Section.slug(e.model))-\(Section.slug(e.version))", blocks: blocks)
    }

    static func roc(_ model: String, _ sweeps: [(String, ThresholdTuning)], tuning: ThresholdTuning) -> Chart {
        let series = sweeps.map { version, t in
            ChartSeries(version, points: [ChartPoint(x: 0, y: 0, label: "above every score")] + curveRows(t).compactMap { row in
                guard let s = row.sensitivity.value, let sp = row.specificity else { return nil }
                return ChartPoint(x: 1 - sp, y: s, label: row.thresholdText.text)
            } + [ChartPoint(x: 1, y: 1, label: "below every score")])
        }
        let tuned = sweeps.first { $0.1 == tuning }?.1
        return Chart(title: "ROC curve of \(model)", description: "Sensitivity against false-positive rate at each candidate threshold (0.01 to 0.99 for probabilities; the score's own values otherwise), one line per version; the dotted diagonal is chance. "
                        + "The marks show the deployed and recommended thresholds of \(tuning.version).",
                     kind: .line, xAxis: Axis("False-positive rate", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)),
                     yAxis: Axis("Sensitivity", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)), series: series,
                     markers: tuned.map { markers($0, series: tuning.version, x: { r in r.specificity.map { 1 - $0 } }, y: { $0.sensitivity.value }) } ?? [], diagonal: true,
                     pointLabel: "Threshold")
    }

    static func pr(_ model: String, _ sweeps: [(String, ThresholdTuning)], tuning: ThresholdTuning) -> Chart {
        let series = sweeps.map { version, t in
            ChartSeries(version, points: curveRows(t).compactMap { row in
                guard let s = row.sensitivity.value, let p = row.positivePredictiveValue.value else { return nil }
                return ChartPoint(x: s, y: p, label: row.thresholdText.text)
            })
        }
        let tuned = sweeps.first { $0.1 == tuning }?.1
        return Chart(title: "Precision–recall curve of \(model)", description: "Positive predictive value (precision) against sensitivity (recall) at each candidate threshold, one line per version. "
                        + "Where reviews are weighted, both are inverse-probability weighted.",
                     kind: .line, xAxis: Axis("Sensitivity, or recall", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)),
                     yAxis: Axis("Positive predictive value, or precision", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)), series: series,
                     markers: tuned.map { markers($0, series: tuning.version, x: { $0.sensitivity.value }, y: { $0.positivePredictiveValue.value }) } ?? [], pointLabel: "Threshold")
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

    /// The risk-evaluation options the report's sections share: its review labelling and seed, and at least 100
    /// bootstrap replicates (fewer give unstable percentile intervals).
    static func riskOptions(model: String, context: ReportContext) -> RiskEvaluationOptions {
        var options = RiskEvaluationOptions()
        options.model = model
        options.reviews = context.options.reviews
        options.replicates = max(context.options.replicates, 100)
        options.seed = context.options.seed
        return options
    }

    // MARK: Subgroups

    static func subgroups(_ t: ThresholdTuning, context: ReportContext, omitted: inout [String]) throws -> Section? {
        var options = riskOptions(model: t.model, context: context)
        options.versions = [t.version]
        // The subgroup tables print AUC, error rates and calibration, not average precision, ECE or partial AUC:
        // their bootstrap would be most of the work for nothing shown.
        options.resampledIntervals = false
        guard let reviews = try Build.attempt("subgroups", &omitted, { try LoadedReviews.load(store: context.store, options: options) }) else { return nil }
        var subsections: [Section] = []
        for attribute in context.options.subgroups {
            var o = options
            o.by = attribute
            guard let analysis = try Build.attempt("subgroups by \(attribute.rawValue)", &omitted, {
                try SubgroupAnalysis.analyse(store: context.store, options: o, reviews: reviews)
            })?.first(where: { $0.version == t.version }) else { continue }
            subsections.append(subgroupSection(analysis))
        }
        guard !subsections.isEmpty else { return nil }
        return Section("Subgroup disparities", blocks: [
            .text("Does \(t.model) \(t.version) miss more crises, or raise more false alarms, for some groups of members? Each group is compared with the rest of the population; p-values are Holm-adjusted over the groups tested."),
        ], subsections: subsections)
    }

    /// A breakdown by one attribute (`peerlens risk --by` and the report's subgroup disparities): real counts
    /// per group (the policy suppresses small ones, with complements), rates resting on the group's members,
    /// groups with too few positives not evaluable, and the largest gaps against the rest.
    public static func subgroupSection(_ s: SubgroupAnalysis) -> Section {
        let name = s.by.rawValue.replacingOccurrences(of: "_", with: " ")
        let dimension: CategoryLabels.Dimension = s.by == .language ? .language : (s.by == .resourceSetting ? .resourceSetting : .category)
        func label(_ group: String) -> String { CategoryLabels.label(group, dimension) }
        // Ordinal categories in their natural order (age bands by their lower age, unstated last); others as the
        // analysis orders them (largest first).
        let groups = s.by == .ageBand ? s.groups.sorted { ageOrder($0.group) < ageOrder($1.group) } : s.groups
        let columns = [Column(name.prefix(1).uppercased() + name.dropFirst(), alignment: .left), Column("Reviewed", unit: "messages"),
                       Column("Positive", unit: "messages"), Column("Members", unit: "n"), Column("AUC"),
                       Column("False-positive rate", unit: "%"), Column("False-negative rate", unit: "%"), Column("Calibration slope"),
                       Column("Spiegelhalter z"), Column("Spiegelhalter p")]
        var rows: [[Cell]] = [[.text("All"), .count(s.overall.reviewed), .count(s.overall.positives), .empty, Build.cell(s.overall.auc, .decimal(3)),
                               Build.cell(s.overall.falsePositiveRate, .percent(1)), Build.cell(s.overall.sensitivity?.complement, .percent(1)),
                               Build.cell(s.overall.calibrationSlope, .decimal(2)), Build.cell(s.overall.spiegelhalter?.statistic, .decimal(2)),
                               Build.cell(s.overall.spiegelhalter?.pValue, .decimal(3))]]
        for g in groups {
            guard let e = g.evaluation else {
                let reason = Cell.notEvaluable(g.notEvaluable ?? "no evaluation")
                rows.append([.text(label(g.group)), .count(g.reviewed), .count(g.positives), .count(g.members), reason, reason, reason, reason, reason, reason])
                continue
            }
            // Rates rest on the group's members: withheld with a small group. The false-positive and false-negative
            // rates' intervals give away their denominators (negatives, positives), so they are withheld with the
            // group's positive count too (an evaluable group may still have fewer than k positives when k > m).
            func withPositives(_ cell: Cell) -> Cell {
                guard case var .number(n) = cell else { return cell }
                n.derivedFrom = CellReference(row: rows.count, column: 2)
                return .number(n)
            }
            rows.append([.text(label(g.group)), .count(g.reviewed), .count(g.positives), .count(g.members),
                         Build.cell(e.auc, .decimal(3), basis: g.members), withPositives(Build.cell(e.falsePositiveRate, .percent(1), basis: g.members)),
                         withPositives(Build.cell(e.sensitivity?.complement, .percent(1), basis: g.members)), Build.cell(e.calibrationSlope, .decimal(2), basis: g.members),
                         withPositives(Build.cell(e.spiegelhalter?.statistic, .decimal(2), basis: g.members)),
                         withPositives(Build.cell(e.spiegelhalter?.pValue, .decimal(3), basis: g.members))])
        }
        let groupRows = Array(1..<rows.count)
        // Group counts add up to the overall row (members with several conditions count in each, which only
        // makes the equations looser), so suppression is complementary within each count column.
        let margins = s.by == .condition ? [] : [1, 2, 3].map { MarginGroup(rows: groupRows, columns: [$0], columnTotalRow: $0 == 3 ? nil : 0) }
        let notes = [sentence(s.note) + ".", "Rates at the version's alert threshold; intervals as in the discrimination table.",
                     "Spiegelhalter's z tests each group's calibration on its own (0 is ideal; \(s.overall.spiegelhalter?.note ?? "not computed for non-probability scores")); p-values are not adjusted for the number of groups."]
        var blocks: [Block] = [.table(Table(caption: "\(s.model) \(s.version) by \(name)", columns: columns, rows: rows, notes: notes, margins: margins))]
        let points = groups.compactMap { g -> ChartPoint? in
            guard let e = g.evaluation, let fnr = e.sensitivity?.complement, let v = fnr.value else { return nil }
            // The group's members on the point: the policy withholds a small group's rate here as in the table.
            return ChartPoint(x: v, y: 0, lower: fnr.lower, upper: fnr.upper, count: g.members, label: label(g.group))
        }
        if !points.isEmpty {
            let overall = s.overall.sensitivity?.complement.value
            blocks.append(.chart(Chart(title: "False-negative rate by \(name), \(s.model) \(s.version)",
                                       description: "Share of positive (crisis) messages the model did not flag, per group, with 95% intervals; the dashed line is the overall rate. A group to the right of it misses more.",
                                       kind: .forest, xAxis: Axis("False-negative rate", unit: "%", lower: 0, format: .percent(0)),
                                       yAxis: Axis(name.prefix(1).uppercased() + name.dropFirst()), series: [ChartSeries("false-negative rate", points: points)],
                                       markers: overall.map { [ChartMarker("overall \(Formatter.number($0, .percent(1)))", x: $0)] } ?? [])))
        }
        var findings: [String] = []
        for d in s.disparities {
            let measure = measureName(d.measure)
            guard let group = d.group, let value = d.value, let overall = d.overall, let gap = d.gapVersusRest, let holm = d.holmP else {
                findings.append(sentence(measure) + ": no group could be tested.")
                continue
            }
            let rate = d.measure != "calibration_slope"
            let f: NumberFormat = rate ? .percent(1) : .decimal(2), g: NumberFormat = rate ? .percentagePoints(1) : .signed(2)
            findings.append("Largest \(measure) gap: \(label(group)), \(Formatter.number(value, f)) against \(Formatter.number(overall, f)) overall; against the rest "
                            + Build.value(gap, g) + (gap.lower.flatMap { l in gap.upper.map { " (95% CI \(Formatter.number(l, g)) to \(Formatter.number($0, g)))" } } ?? "")
                            + ", Holm-adjusted p = \(pValue(holm)).")
        }
        if !findings.isEmpty { blocks.append(.list(ListBlock(findings))) }
        return Section("By \(name)", id: "subgroups-\(Section.slug(s.by.rawValue))", blocks: blocks)
    }

    /// `text` as the start of a sentence: its first letter in upper case (notes built from analysis phrases
    /// such as "reviews carry sampling weights…" begin a sentence of their own in a report).
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    /// A category label inside a sentence: "Eating disorder" → "eating disorder". Labels that are names keep
    /// their capitals: an acronym (`PTSD`), a label with a capitalised later word ("North American") and the
    /// language and culture names of `CategoryLabels` ("English", "Filipino").
    static func inSentence(_ label: String) -> String {
        let words = label.split(separator: " ")
        guard let first = words.first, first.count > 1, first.first?.isUppercase == true else { return label }
        let acronym = first.allSatisfy { $0.isUppercase || $0.isNumber }
        let named = words.dropFirst().contains { $0.first?.isUppercase == true }
            || CategoryLabels.languages.values.contains(label) || CategoryLabels.categories.values.contains { $0 == label && !$0.contains(" ") }
        return acronym || named ? label : first.lowercased() + label.dropFirst(first.count)
    }

    /// A measure's code (`false_negative_rate`, `auc`) in words: "false-negative rate", "AUC".
    static func measureName(_ code: String) -> String {
        ["auc": "AUC", "false_positive_rate": "false-positive rate", "false_negative_rate": "false-negative rate", "calibration_slope": "calibration slope",
         "calibration_intercept": "calibration intercept", "alert_rate": "alert rate"][code] ?? code.replacingOccurrences(of: "_", with: " ")
    }

    /// Where an age band sorts: by its lower age (`13-17` → 13, `65+` → 65); bands without a leading number
    /// (`not_stated`, `unknown`) after every band, by name.
    static func ageOrder(_ band: String) -> (Int, String) {
        let digits = band.prefix { $0.isNumber }
        return (Int(digits) ?? Int.max, band)
    }

    /// A p-value for reading: three significant digits, `< 0.001` below that.
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        if p < 0.001 { return "< 0.001" }
        return Formatter.fixed(p, p < 0.01 ? 4 : 3)
    }

    // MARK: Drift

    static func drift(_ t: ThresholdTuning, context: ReportContext, omitted: inout [String]) throws -> Section? {
        var options = riskOptions(model: t.model, context: context)
        options.versions = [t.version]
        options.over = context.options.drift
        guard let d = try Build.attempt("drift", &omitted, { try DriftAnalysis.analyse(store: context.store, options: options) })?.first else { return nil }
        return driftSection(d)
    }

    /// Drift of one version per week or month (`peerlens risk --over` and the safety report): real counts per
    /// period, review-based figures only where the period has enough positives to estimate them.
    public static func driftSection(_ d: DriftAnalysis) -> Section {
        let rows: [[Cell]] = d.periods.map { p in
            let review: (Estimate, NumberFormat) -> Cell = { e, f in p.notEvaluable.map { .notEvaluable($0) } ?? Build.cell(e, f, basis: p.reviewed) }
            return [.text(CalendarText.period(p.period)), .count(p.reviewed), .count(p.positives),
             review(p.auc, .decimal(3)), review(p.calibrationIntercept, .decimal(2)), d.hasAlerts ? Build.cell(p.alertRate, .percent(2)) : .text("no alerts"),
             .text(sentence(p.flags.map(measureName).joined(separator: ", ")))]
        }
        let table = Table(caption: "\(d.model) \(d.version) per \(d.over.rawValue)",
                          columns: [Column("Period", alignment: .left), Column("Reviewed", unit: "messages"), Column("Positive", unit: "messages"), Column("AUC"),
                                    Column("Calibration intercept"), Column("Alert rate", unit: "%"), Column("Interval excludes the reference", alignment: .left)],
                          rows: rows,
                          notes: ["Reference period: \(d.reference.map(CalendarText.period) ?? "none") (the first with an evaluable AUC)." + (d.over == .week ? " Weeks run from Monday (UTC)." : "")],
                          margins: [MarginGroup(rows: Array(rows.indices), columns: [1]), MarginGroup(rows: Array(rows.indices), columns: [2])])
        var blocks: [Block] = [.text("Has the model's accuracy, calibration or alert rate moved since the first period? A period is flagged when its interval excludes the reference period's estimate."), .table(table)]
        // The reviewed messages on the AUC points: the policy withholds a period's AUC here as in the table.
        let auc = d.periods.compactMap { p in p.auc.value.map { ChartPoint(x: 0, y: $0, lower: p.auc.lower, upper: p.auc.upper, count: p.reviewed, label: CalendarText.period(p.period)) } }
        if auc.count >= 2 {
            blocks.append(.chart(Chart(title: "AUC per \(d.over.rawValue), \(d.model) \(d.version)",
                                       description: "AUC of each period with its 95% interval as a band; the dashed line is the reference period's AUC.",
                                       kind: .periods, xAxis: Axis(d.over == .week ? "Week" : "Month"), yAxis: Axis("AUC", unit: "0.5 = chance", format: .decimal(2)),
                                       series: [ChartSeries("AUC", points: auc, band: true, dots: true)],
                                       markers: d.periods.first { $0.period == d.reference }?.auc.value.map { [ChartMarker("reference", y: $0)] } ?? [])))
        }
        let rate = d.periods.compactMap { p in p.alertRate.value.map { ChartPoint(x: 0, y: $0, lower: p.alertRate.lower, upper: p.alertRate.upper, label: CalendarText.period(p.period)) } }
        if d.hasAlerts, rate.count >= 2 {
            blocks.append(.chart(Chart(title: "Alert rate per \(d.over.rawValue), \(d.model) \(d.version)",
                                       description: "Share of scored messages that raised an alert, with 95% Wilson intervals as a band.",
                                       kind: .periods, xAxis: Axis(d.over == .week ? "Week" : "Month"), yAxis: Axis("Alert rate", unit: "%", lower: 0, format: .percent(1)),
                                       series: [ChartSeries("alert rate", points: rate, band: true, dots: true)])))
        }
        return Section("Drift", blocks: blocks)
    }

    // MARK: Version comparison

    static func comparison(_ t: ThresholdTuning, context: ReportContext, omitted: inout [String]) throws -> Section? {
        let versions = try context.store.versions(ofModel: t.model)
        guard versions.count >= 2 else { return nil }
        let (a, b) = (versions[0], versions[1])
        let options = riskOptions(model: t.model, context: context)
        guard let c = try Build.attempt("version comparison \(a) vs \(b)", &omitted, {
            try VersionComparison.compare(store: context.store, versionA: a, versionB: b, options: options)
        }) else { return nil }
        return comparisonSection(c)
    }

    /// Two versions compared on the reviewed messages both scored (`peerlens risk --compare` and the safety
    /// report): AUC with the paired difference, calibration, and operating points.
    public static func comparisonSection(_ c: VersionComparison) -> Section {
        let d = c.aucDifference
        let table = Table(caption: "\(c.model) \(c.versionB) against \(c.versionA) on the reviewed messages both scored",
                          columns: [Column("Measure", alignment: .left), Column(c.versionA), Column(c.versionB), Column("Difference (B − A)")],
                          rows: [
                              [.text("AUC"), .number(NumberCell(c.aucA, format: .decimal(3))), .number(NumberCell(c.aucB, format: .decimal(3))), Build.cell(d, .signed(3))],
                              [.text("Partial AUC, FPR ≤ \(shortDecimal(c.partialAUCA.maxFalsePositiveRate)) (standardised)"),
                               Build.cell(c.partialAUCA.value, .decimal(3), lower: c.partialAUCA.lower, upper: c.partialAUCA.upper),
                               Build.cell(c.partialAUCB.value, .decimal(3), lower: c.partialAUCB.lower, upper: c.partialAUCB.upper),
                               Build.cell(c.partialAUCDifference, .signed(3))],
                              [.text("Calibration intercept"), Build.cell(c.calibrationInterceptA, .decimal(2)), Build.cell(c.calibrationInterceptB, .decimal(2)), .empty],
                              [.text("Calibration slope"), Build.cell(c.calibrationSlopeA, .decimal(2)), Build.cell(c.calibrationSlopeB, .decimal(2)), .empty],
                          ],
                          notes: ["Review design: " + c.reviewDesign.statement + ". Interval of the difference: \(d.interval)" + (c.pairedDeLongP.map { "; paired DeLong test p = \(pValue($0))" } ?? "") + ".",
                                  "Partial AUC over false-positive rates up to \(shortDecimal(c.partialAUCA.maxFalsePositiveRate)), McClish-standardised; intervals and the test of the difference from a paired \(c.partialAUCDifference.interval) (both versions evaluated on each resample)"
                                      + (c.partialAUCDifferenceP.map { "; p = \(pValue($0)) (difference over the bootstrap SD, normal reference)" } ?? "; no test: too few usable resamples") + "."],
                          disclosive: false)
        let points = Table(caption: "Operating points of \(c.versionA) and \(c.versionB)",
                           columns: [Column("Operating point", alignment: .left), Column("Version", alignment: .left), Column("Threshold"),
                                     Column("Messages flagged", unit: "%"), Column("False-positive rate", unit: "%"), Column("False-negative rate", unit: "%")],
                           rows: c.operatingPoints.map { r in
                               [.text(r.label), .text(r.version), thresholdCell(r.threshold, r.thresholdText), .number(NumberCell(r.flaggedShare, format: .percent(2))),
                                Build.cell(r.falsePositiveRate, .percent(1)), Build.cell(r.falseNegativeRate, .percent(1))]
                           },
                           notes: ["\"B at A's alert volume\" is the threshold at which \(c.versionB) flags as many of all scored messages as \(c.versionA) does at its own: the fair comparison when the team's capacity is fixed."],
                           disclosive: false)
        let better = (d.lower ?? -1) > 0 ? "\(c.versionB) ranks crises better than \(c.versionA): the interval of the AUC difference lies above 0."
            : ((d.upper ?? 1) < 0 ? "\(c.versionB) ranks crises worse than \(c.versionA): the interval of the AUC difference lies below 0."
               : "The AUC difference between \(c.versionB) and \(c.versionA) is within what chance would give (its interval includes 0).")
        let basis = [KeyFigure(label: "Reviewed messages both versions scored", value: Formatter.grouped(c.common), count: c.common),
                     KeyFigure(label: "Positive among them", value: Formatter.grouped(c.positives), count: c.positives)]
        return Section("Version comparison", blocks: [.text(better), .keyFigures(basis), .table(table), .table(points)])
    }

    // MARK: Crisis response

    /// The crisis-response section (`peerlens crisis` and the safety report): alerts, time to a first human
    /// response (Kaplan–Meier), by time of day, outcomes and first responders. Counts are published as counts
    /// and rates carry the alerts they rest on: the disclosure policy decides what is shown.
    public static func crisisSection(_ c: CrisisResponseReport, curve: KaplanMeier?) -> Section {
        func minutes(_ m: Double?) -> String { m.map { Formatter.fixed($0, 1) + " min" } ?? "not reached" }
        var figures = [
            KeyFigure(label: "Crisis alerts", value: Formatter.grouped(c.alerts), count: c.alerts),
            KeyFigure(label: "Alerts answered by a human", value: c.responded.estimate.map { Formatter.number($0, .percent(1)) } ?? "n/a",
                      interval: c.responded.interval.map { "95% CI " + Formatter.number($0.lower, .percent(1)) + " to " + Formatter.number($0.upper, .percent(1)) },
                      basis: c.alerts),
            KeyFigure(label: "Median time to first response", value: minutes(c.medianMinutes),
                      interval: "95% CI " + minutes(c.medianLower) + " to " + minutes(c.medianUpper), basis: c.alerts),
            KeyFigure(label: "90th percentile of time to first response", value: minutes(c.p90Minutes), basis: c.alerts),
        ]
        for w in [c.within5Minutes, c.within15Minutes] {
            figures.append(KeyFigure(label: "Answered within \(Formatter.fixed(w.minutes, 0)) minutes", value: Formatter.number(w.estimate, .percent(1)),
                                     interval: w.lower.flatMap { l in w.upper.map { "95% CI " + Formatter.number(l, .percent(1)) + " to " + Formatter.number($0, .percent(1)) } },
                                     basis: c.alerts))
        }
        var blocks: [Block] = [
            .text("What happened after crisis alerts. Time to a first human response is a time-to-event quantity: alerts nobody answered by the end of the data (\(CalendarText.day(c.dataEnd))) are censored there, so the median and the shares answered in time come from a Kaplan–Meier curve (Greenwood log intervals), not from answered alerts only."),
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
                                       description: "Kaplan–Meier estimate of 1 − S(t) read at these times and held until the next (a step curve), with its 95% Greenwood (log) interval as a band; the data table adds the alerts still unanswered and under observation at each time. The dashed line marks 15 minutes.",
                                       kind: .step, xAxis: Axis("Minutes since the alert", lower: 0, format: .decimal(1)),
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
        let outcomeRows: [[Cell]] = c.outcomes.map { o in [.text(CategoryLabels.label(o.outcome)), Build.count(o.share), Build.cell(o.share)] }
        let rowsWithIndex = Array(outcomeRows.indices)
        blocks.append(.table(Table(
            caption: "Outcomes of responses", columns: [Column("Outcome", alignment: .left), Column("Responses", unit: "n"), Column("Share of responses", unit: "%")],
            rows: outcomeRows.enumerated().map { i, row in
                var r = row
                if case let .number(n) = r[2] { var n = n; n.derivedFrom = CellReference(row: i, column: 1); r[2] = .number(n) }
                return r
            },
            notes: ["Shares with 95% Wilson intervals."],
            margins: [MarginGroup(rows: rowsWithIndex, columns: [1])])))
        let roleRows: [[Cell]] = c.byRole.map { r in [.text(CategoryLabels.label(r.role)), .count(r.firstResponses), .number(NumberCell(r.medianMinutes, format: .decimal(1), basis: r.firstResponses))] }
        blocks.append(.table(Table(caption: "First responses by responder role",
                                   columns: [Column("Role", alignment: .left), Column("First responses", unit: "alerts"), Column("Median time to first response", unit: "minutes")],
                                   rows: roleRows, notes: ["Medians among the alerts each role answered first (answered alerts only)."],
                                   margins: [MarginGroup(rows: Array(roleRows.indices), columns: [1])])))
        let f = c.followupCompleted
        blocks.append(.keyFigures([KeyFigure(label: "Follow-ups completed", value: f.estimate.map { Formatter.number($0, .percent(1)) } ?? "none recorded",
                                             interval: f.interval.map { "95% CI " + Formatter.number($0.lower, .percent(1)) + " to " + Formatter.number($0.upper, .percent(1)) },
                                             note: "Share of recorded follow-ups marked completed.", basis: f.total)]))
        return Section("Crisis response", blocks: blocks)
    }

    // MARK: Moderation

    /// The moderation section (`peerlens moderation` and the safety report): actions by layer and kind with
    /// their totals (two-way complementary suppression over them), appeals, overturns and time to action per
    /// layer, overturned automatic actions by score band, re-offence and trigger content.
    public static func moderationSection(_ m: ModerationReport) -> Section {
        func minutes(_ x: Double?, basis: Int) -> Cell { x.map { .number(NumberCell($0, format: .decimal(0), basis: basis)) } ?? .empty }
        let kinds = ModerationAction.allCases.map(\.rawValue).filter { k in m.layers.contains { ($0.byAction[k] ?? 0) > 0 } }
        let totalColumn = 1 + kinds.count
        // The rate per 1,000 messages and the appeal share (whose interval shows its denominator) would reveal
        // a layer's count: both are withheld with it.
        func derived(_ cell: Cell, _ row: Int) -> Cell {
            guard case var .number(n) = cell else { return cell }
            n.derivedFrom = CellReference(row: row, column: totalColumn)
            return .number(n)
        }
        var rows: [[Cell]] = m.layers.enumerated().map { i, l in
            [.text(CategoryLabels.label(l.layer))] + kinds.map { .count(l.byAction[$0] ?? 0) } + [
                .count(l.actions), derived(Build.cell(l.perThousandMessages, .decimal(2)), i), derived(Build.cell(l.appealed), i), Build.cell(l.overturned),
                minutes(l.medianMinutesToAction, basis: l.actions), minutes(l.p90MinutesToAction, basis: l.actions),
            ]
        }
        let totalRow = rows.count
        rows.append([.text("All layers")] + kinds.map { k in .count(m.layers.map { $0.byAction[k] ?? 0 }.reduce(0, +)) } + [
            .count(m.actions), derived(Build.cell(m.messages > 0 ? 1000 * Double(m.actions) / Double(m.messages) : nil, .decimal(2)), totalRow),
            .empty, .empty, .empty, .empty,
        ])
        var blocks: [Block] = [
            .text("Moderation actions on the messages in the store: what each layer does, how often its actions are appealed and overturned, and how fast it acts."),
            .keyFigures([KeyFigure(label: "Moderation actions", value: Formatter.grouped(m.actions), count: m.actions),
                         KeyFigure(label: "Messages", value: Formatter.grouped(m.messages), note: "The denominator of the rates per 1,000 messages.", count: m.messages)]),
            .table(Table(caption: "Moderation by layer and kind of action",
                         columns: [Column("Layer", alignment: .left)] + kinds.map { Column(CategoryLabels.label($0), unit: "actions") }
                             + [Column("Actions", unit: "n"), Column("Per 1,000 messages"), Column("Appealed", unit: "% of actions"),
                                Column("Overturned on appeal", unit: "% of appeals"), Column("Median message to action", unit: "minutes"),
                                Column("90th percentile message to action", unit: "minutes")],
                         rows: rows, notes: ["Shares with 95% Wilson intervals. Times from message to action count actions on messages only."],
                         margins: [MarginGroup(rows: Array(0..<totalRow), columns: Array(1..<totalColumn), rowTotalColumn: totalColumn, columnTotalRow: totalRow)])),
        ]
        let bandRows: [[Cell]] = m.overturnedByScoreBand.map { b in
            [.text(Formatter.fixed(b.lower, 1) + "–" + Formatter.fixed(b.upper, 1)), b.overturned.total.map { .count($0) } ?? .empty, Build.count(b.overturned), Build.cell(b.overturned)]
        }
        if !bandRows.isEmpty {
            blocks.append(.table(Table(caption: "Overturned automatic actions by \(m.model) \(m.version ?? "") score band",
                                       columns: [Column("Score band", alignment: .left), Column("Automatic actions", unit: "n"), Column("Overturned", unit: "actions"),
                                                 Column("Overturned share", unit: "% of actions in band")],
                                       rows: bandRows, notes: ["A lower bound on the share of automatic actions that were false positives: not every wrongly actioned member appeals."],
                                       margins: [MarginGroup(rows: Array(bandRows.indices), columns: [1]), MarginGroup(rows: Array(bandRows.indices), columns: [2], columnTotalsPublished: false)])))
        }
        let reRows: [[Cell]] = m.reoffence.map { r in
            [.text(CategoryLabels.label(r.action)), r.reoffended.total.map { .count($0) } ?? .empty, Build.count(r.reoffended), Build.cell(r.reoffended)]
        }
        blocks.append(.table(Table(caption: "Moderated again within \(m.reoffenceWindowDays) days, by first action",
                                   columns: [Column("Action", alignment: .left), Column("Index actions", unit: "n"), Column("Moderated again", unit: "n"), Column("Share", unit: "%")],
                                   rows: reRows,
                                   notes: (m.reoffenceTest.map { ["Difference between actions: Pearson χ² = \(Formatter.fixed($0.statistic ?? .nan, 2)), df \(Formatter.fixed($0.degreesOfFreedom ?? .nan, 0)), p = \(pValue($0.pValue)) (observational: members given each action differ)."] } ?? []),
                                   margins: [MarginGroup(rows: Array(reRows.indices), columns: [1], columnTotalsPublished: false),
                                             MarginGroup(rows: Array(reRows.indices), columns: [2], columnTotalsPublished: false)])))
        blocks.append(.keyFigures([KeyFigure(label: "Recent index actions left out", value: Formatter.grouped(m.reoffenceCensored),
                                             note: "Their \(m.reoffenceWindowDays)-day window passes the end of the data.", count: m.reoffenceCensored)]))
        let t = m.triggerContent
        func fromActions(_ cell: Cell) -> Cell {
            guard case var .number(n) = cell else { return cell }
            n.derivedFrom = CellReference(row: 0, column: 1)
            return .number(n)
        }
        blocks.append(.table(Table(caption: "Trigger content in \(t.spaces.map { inSentence(CategoryLabels.label($0)) }.joined(separator: ", ")) spaces",
                                   columns: [Column("Reason", alignment: .left), Column("Actions", unit: "n"), Column("Automatic", unit: "% of actions"),
                                             Column("Appealed", unit: "% of actions"), Column("Overturned on appeal", unit: "% of appeals")],
                                   rows: [[.text(CategoryLabels.label("trigger_content")), .count(t.actions), fromActions(Build.cell(t.automatic)), fromActions(Build.cell(t.appealed)),
                                           Build.cell(t.overturned)]],
                                   notes: ["Reported on its own: trigger content in eating-disorder spaces is moderated differently from other harm."])))
        return Section("Moderation and appeals", blocks: blocks)
    }

    // MARK: Responder load

    /// Responder-weeks and the share above the burnout threshold (`peerlens crisis` and the report's load
    /// section).
    public static func responderWeekFigures(_ c: CrisisResponseReport) -> [KeyFigure] {
        let s = c.responderWeeksAboveThreshold
        return [
            KeyFigure(label: "Responder-weeks", value: Formatter.grouped(c.responderWeeks), note: "Weeks (ISO) in which a responder answered at least one alert.",
                      count: c.responderWeeks),
            KeyFigure(label: "Responder-weeks above \(c.burnoutThreshold) responses", value: s.estimate.map { Formatter.number($0, .percent(1)) } ?? "n/a",
                      interval: s.interval.map { "95% CI " + Formatter.number($0.lower, .percent(1)) + " to " + Formatter.number($0.upper, .percent(1)) },
                      note: "A burnout risk.", basis: c.responderWeeks),
        ]
    }

    /// The responder load of `peerlens crisis`: responder-weeks, the share above the burnout threshold and the
    /// busiest week.
    public static func crisisLoadSection(_ c: CrisisResponseReport) -> Section {
        var figures = responderWeekFigures(c)
        figures.append(KeyFigure(label: "Responses in the busiest responder-week", value: Formatter.grouped(c.maxResponsesInAWeek),
                                 note: "The most first and later responses one responder gave in one week.", count: c.maxResponsesInAWeek))
        return Section("Responder load", id: "crisis-responder-load", blocks: [
            .text("How much each responder carried: responses per responder per ISO week, and how often a week went above \(c.burnoutThreshold) responses."),
            .keyFigures(figures),
        ])
    }

    static func load(_ t: ThresholdTuning, crisis: CrisisResponseReport?, context: ReportContext) -> Section {
        var figures: [KeyFigure] = []
        if let h = t.responderHoursPerDay {
            figures.append(KeyFigure(label: "Responder-hours per day", value: Formatter.number(h, .decimal(1)), note: t.responderSource.map { "From the declared rota: \($0)." }))
            if let d = t.deployed, let a = d.alertsPerResponderHour {
                figures.append(KeyFigure(label: "Alerts per responder-hour at the deployed threshold", value: Formatter.fixed(a, 2)))
            }
            if let a = t.recommendation.row.alertsPerResponderHour {
                figures.append(KeyFigure(label: "Alerts per responder-hour at the recommended threshold", value: Formatter.fixed(a, 2)))
            }
        }
        if let c = crisis { figures += responderWeekFigures(c) }
        var blocks: [Block] = [.text("How much each responder carries: alerts per staffed hour at the deployed and recommended thresholds (with a declared rota), and how often a responder's week went above the burnout threshold.")]
        if t.responderHoursPerDay == nil { blocks.append(.note(Note(rotaNote(t), kind: .caveat))) }
        if figures.isEmpty { blocks.append(.text("No responses are recorded, so responder-weeks cannot be counted.")) } else { blocks.append(.keyFigures(figures)) }
        return Section("Responder load", blocks: blocks)
    }
}

extension SafetyReport {
    /// The provenance source of exported predictions (`--predictions FILE`): the file with its SHA-256 and
    /// rows, in place of a store's fingerprint.
    ///
    /// - Throws: `StoreError` when the file cannot be read.
    package static func predictionsSource(path: String, rows: Int, toolVersion: String) throws -> StoreFingerprint {
        let sha = try SHA256Digest.hex(ofFile: path)
        let file = StoreFingerprint.IngestedFile(run: 1, file: path, sha256: sha, format: "csv", records: rows, accepted: rows, duplicates: 0,
                                                 rejected: 0, toolVersion: toolVersion)
        let line = "1 \(path) \(sha) csv \(rows) \(rows) 0 0\n"
        return StoreFingerprint(path: path, files: [file], combinedSHA256: SHA256Digest.hex(line))
    }

    /// Who the threshold figures rest on: reviews, positives, the workload base and staffing.
    public static func tuningBasis(_ t: ThresholdTuning, exported: Bool) -> [KeyFigure] {
        var f = [
            KeyFigure(label: exported ? "Cases" : "Reviewed messages", value: Formatter.grouped(t.reviewed), note: sentence(t.samplingNote) + ".", count: t.reviewed),
            KeyFigure(label: "Positive", value: Formatter.grouped(t.positives), count: t.positives),
            KeyFigure(label: "Scored \(exported ? "cases" : "messages") (workload base)", value: Formatter.grouped(t.scoredMessages),
                      note: "Over \(Formatter.number(t.days, .decimal(1))) days (\(t.periodSource)).", count: t.scoredMessages),
            KeyFigure(label: "Estimated positives per week", value: Formatter.number(t.estimatedPositivesPerWeek, .decimal(1)), basis: t.positives),
        ]
        if let h = t.responderHoursPerDay {
            f.append(KeyFigure(label: "Responder-hours per day", value: Formatter.number(h, .decimal(1)), note: t.responderSource.map { "From the declared rota: \($0)." }))
        }
        return f
    }

    /// The decision curve as a table (net benefit per case at each threshold probability of the grid, with
    /// alerting everyone and no one), if the scores are probabilities.
    public static func netBenefitTable(_ t: ThresholdTuning) -> PeerLensDocument.Table? {
        guard !t.netBenefit.isEmpty else { return nil }
        return Table(caption: "Net benefit (decision curve), \(t.model) \(t.version)",
                     columns: [Column("Threshold probability"), Column("Model", unit: "per case"), Column("Alert everyone", unit: "per case"),
                               Column("Alert no one", unit: "per case"), Column("Model − best default", unit: "per case")],
                     rows: t.netBenefit.map { n in
                         [.number(NumberCell(n.thresholdProbability, format: .decimal(3))), .number(NumberCell(n.model, format: .decimal(4), basis: t.reviewed)),
                          .number(NumberCell(n.treatAll, format: .decimal(4), basis: t.reviewed)), .number(NumberCell(0, format: .decimal(4))),
                          .number(NumberCell(n.model - max(n.treatAll, 0), format: .signed(4), basis: t.reviewed))]
                     },
                     notes: ["Net benefit = TP/n − FP/n · pₜ/(1 − pₜ) (Vickers & Elkin 2006): true alerts per case, less false alerts weighed at the odds pₜ/(1 − pₜ) — a team that would accept pₜ = 0.02 counts a false alert as 1/49 of a caught crisis. The model is worth using where it lies above both alerting everyone and alerting no one (positive last column).",
                             t.weighted ? "TP, FP and n are weighted by the review sampling weights (inverse inclusion probabilities), so the figures estimate net benefit over all scored messages." : "Unweighted: the reviewed messages are taken as a random sample of scored messages.",
                             "Threshold probabilities from 0.005 to 0.05 by 0.005, 0.06 to 0.10 by 0.01, then 0.15 to 0.50 by 0.05: densest where a rare outcome's thresholds lie."])
    }

    /// The decision curve of `t` (`peerlens thresholds` and the safety report): a chart over the operating
    /// range and the table over the whole grid, or, for scores that are not probabilities, a note saying why
    /// there is none.
    public static func decisionCurveBlocks(_ t: ThresholdTuning) -> [Block] {
        guard let table = netBenefitTable(t) else {
            return [.note(Note("No decision curve: net benefit weighs a false alert by the odds of the threshold, pₜ/(1 − pₜ), which needs scores that are probabilities; the scores of \(t.model) \(t.version) are not all in [0, 1].", kind: .caveat))]
        }
        // Alerting everyone falls fast as the threshold rises (prevalence − (1 − prevalence)·pₜ/(1 − pₜ)); below
        // −prevalence it is left off the chart (the table has it) so that the model's curve stays readable. The
        // chart spans the thresholds up to the first grid point at or above max(0.10, 5 × prevalence) (at most
        // 0.50): the operating range of a rare outcome, where the grid is dense. Alerting no one is the line y = 0.
        // The prevalence, recovered exactly from alerting everyone: treat-all = π − (1 − π)·odds.
        let prevalence = t.netBenefit.first.map { n -> Double in
            let odds = n.thresholdProbability / (1 - n.thresholdProbability)
            return (n.treatAll + odds) / (1 + odds)
        } ?? 0
        let wanted = min(0.5, max(0.10, 5 * prevalence))
        let upper = t.netBenefit.map(\.thresholdProbability).first { $0 >= wanted - 1e-12 } ?? t.netBenefit.last!.thresholdProbability
        let shown = t.netBenefit.filter { $0.thresholdProbability <= upper + 1e-12 }
        let floor = min(-prevalence, shown.map(\.model).min() ?? 0)
        var markers: [ChartMarker] = []
        if let d = t.deployedThreshold, d > 0, d <= upper { markers.append(ChartMarker("deployed \(Formatter.fixed(d, 3))", x: d)) }
        let r = t.recommendation.threshold
        if r > 0, r <= upper { markers.append(ChartMarker("recommended \(Formatter.fixed(r, 3))", x: r)) }
        // A threshold beyond the chart is named under it, so that its absence is not read as "none".
        let beyond = [("deployed", t.deployedThreshold), ("recommended", Optional(r))].compactMap { label, x in
            x.flatMap { $0 > upper ? "the \(label) threshold \(Formatter.fixed($0, 3)) lies beyond the range shown" : nil }
        }
        let chart = Chart(title: "Decision curve, \(t.model) \(t.version)",
                          description: "Net benefit per case of alerting at each threshold probability from 0.005 to \(shortDecimal(upper)), against alerting everyone and alerting no one (0). "
                            + "Where the model's line lies above both, alerting by the model does more good than either default at that weighing of false alerts against missed crises.",
                          kind: .line, xAxis: Axis("Threshold probability", lower: 0, upper: upper, format: .decimal(3)),
                          yAxis: Axis("Net benefit", unit: "per case", lower: floor, format: .decimal(4)),
                          series: [ChartSeries("model \(t.version)", points: shown.map { ChartPoint(x: $0.thresholdProbability, y: $0.model) }, dots: true),
                                   ChartSeries("alert everyone", points: shown.filter { $0.treatAll >= floor }.map { ChartPoint(x: $0.thresholdProbability, y: $0.treatAll) })],
                          markers: [ChartMarker("alert no one (net benefit 0)", y: 0)] + markers,
                          notes: ["Alerting everyone is drawn down to \(Formatter.number(floor, .decimal(4))) (minus the prevalence, or the model's lowest net benefit); the table below has every value and the grid up to 0.50."]
                            + (beyond.isEmpty ? [] : [beyond.joined(separator: "; ").prefix(1).uppercased() + beyond.joined(separator: "; ").dropFirst() + "."]))
        return [.chart(chart), .table(table)]
    }

    /// The safety report's decision-curve section: is alerting by the model worth its false alerts at the
    /// thresholds the team could choose?
    static func decisionCurveSection(_ t: ThresholdTuning) -> Section {
        Section("Decision curve", blocks: [
            .text("Net benefit weighs the crises an alert catches against the false alerts it raises, at the exchange rate a threshold probability implies; it is shown from a threshold probability of 0.005 up, the range in which a model of a rare outcome operates."),
        ] + decisionCurveBlocks(t))
    }
}
