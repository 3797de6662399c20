import PeerLensDocument
import PeerLensSafety
import PeerLensStats

/// The threshold section and the alert burden in the safety team's words (`peerlens thresholds` and the
/// safety report).
extension SafetyReport {
    /// Alerts raised in the period at a row's threshold: the count behind its alerts per day.
    static func alerts(_ r: ThresholdRow, _ t: ThresholdTuning) -> Int { Int((r.alertsPerDay * t.days).rounded()) }

    /// What a positive is called in staff terms: `crises` for the crisis model, `positives` otherwise.
    static func positivesNoun(_ t: ThresholdTuning) -> (singular: String, plural: String) {
        t.model == "crisis" ? ("crisis", "crises") : ("positive", "positives")
    }

    /// A threshold cell: the exact value, shown with the places that keep its flagged set (`ThresholdText`), so
    /// that JSON carries the exact value (`value`) and the printed one (`text`); text when no fixed number of
    /// places up to 12 does.
    static func thresholdCell(_ exact: Double, _ printed: ThresholdText) -> Cell {
        printed.places.map { .number(NumberCell(exact, format: .decimal($0))) } ?? .text(printed.text)
    }

    /// The number needed to evaluate, NNE = 1/PPV: alerts a responder handles for each true positive
    /// (Romero-Brufau et al. 2015, Crit Care 19:285). Its interval is the PPV interval inverted, [1/upper,
    /// 1/lower]; with PPV 0 there is no finite NNE (nil), and with a lower PPV bound of 0 no upper NNE bound
    /// (the interval is left out). It rests on the reviews, as the PPV does.
    static func nne(_ ppv: Estimate) -> (value: Double, lower: Double?, upper: Double?)? {
        guard let p = ppv.value, p > 0 else { return nil }
        let lower = ppv.upper.flatMap { $0 > 0 ? 1 / $0 : nil }, upper = ppv.lower.flatMap { $0 > 0 ? 1 / $0 : nil }
        return (1 / p, upper == nil ? nil : lower, lower == nil ? nil : upper)
    }

    /// The NNE as a table cell (see `nne(_:)`).
    static func numberNeededToEvaluate(_ ppv: Estimate, basis: Int) -> Cell {
        guard let n = nne(ppv) else { return .empty }
        return .number(NumberCell(n.value, format: .decimal(1), lower: n.lower, upper: n.upper, basis: basis))
    }

    /// The rows a reader sees: all of them when there are few; else every 0.05 on a probability scale, or about
    /// 20 evenly spaced candidates on any other scale (sum scores, logits, ranks), with the first and last.
    static func gridRows(_ t: ThresholdTuning) -> [ThresholdRow] {
        guard t.rows.count > 25 else { return t.rows }
        if t.scoresAreProbabilities {
            return t.rows.filter { row in abs(row.threshold * 20 - (row.threshold * 20).rounded()) < 1e-9 || row == t.rows.first || row == t.rows.last }
        }
        let step = Double(t.rows.count - 1) / 20
        let picked = Set((0...20).map { Int((Double($0) * step).rounded()) })
        return t.rows.indices.filter(picked.contains).map { t.rows[$0] }
    }

    /// Rows of the sweep for the curves (`gridRows` and the marked thresholds), high thresholds first.
    static func curveRows(_ t: ThresholdTuning) -> [ThresholdRow] {
        // The deployed and recommended thresholds are kept so that their marks sit on the curve.
        let marked = [t.deployed, t.recommendation.row].compactMap { $0 }
        var rows = gridRows(t)
        for m in marked where !rows.contains(where: { $0.threshold == m.threshold }) { rows.append(m) }
        return rows.sorted { $0.threshold > $1.threshold }
    }

    /// The deployed and recommended thresholds' marks on the curve of `series` (drawn from `curveRows(t)`, which
    /// holds both rows, so each mark is one of the curve's own points).
    static func markers(_ t: ThresholdTuning, series: String, x: (ThresholdRow) -> Double?, y: (ThresholdRow) -> Double?) -> [ChartMarker] {
        var out: [ChartMarker] = []
        if let d = t.deployed, let dx = x(d), let dy = y(d) { out.append(ChartMarker("deployed \(d.thresholdText.text)", x: dx, y: dy, series: series)) }
        let r = t.recommendation.row
        if let rx = x(r), let ry = y(r) { out.append(ChartMarker("recommended \(r.thresholdText.text)", x: rx, y: ry, series: series)) }
        return out
    }

    /// The deciding columns of a threshold, in the order a reader weighs them: alerts per day, sensitivity, the
    /// share of alerts that are not positives, missed positives per week, and alerts per responder-hour with a
    /// declared rota. Units are said once, in the heading or in brackets, never both.
    static func decidingColumns(_ t: ThresholdTuning) -> [PeerLensDocument.Column] {
        let noun = positivesNoun(t)
        var columns = [Column("Alerts per day"), Column("Sensitivity", unit: "%"), Column("Not \(noun.plural)", unit: "% of alerts"),
                       Column("Missed \(noun.plural) per week")]
        if t.responderHoursPerDay != nil { columns.append(Column("Alerts per responder-hour")) }
        return columns
    }

    /// The cells of `decidingColumns` for row `r`. Alerts per day (and per responder-hour) rest on the alert
    /// count: with `countCell` they are derived from that cell (withheld with it), else they carry the count
    /// as their basis. Sensitivity rests on the positives, the share not positive on the reviews.
    static func decidingCells(_ r: ThresholdRow, _ t: ThresholdTuning, countCell: CellReference?) -> [Cell] {
        let n = alerts(r, t)
        func perAlert(_ v: Double?, _ f: NumberFormat) -> Cell {
            v.map { .number(NumberCell($0, format: f, basis: countCell == nil && n > 0 ? n : nil, derivedFrom: countCell)) } ?? .empty
        }
        var cells: [Cell] = [perAlert(r.alertsPerDay, .decimal(1)), Build.cell(r.sensitivity, .percent(1), basis: t.positives),
                             Build.cell(r.positivePredictiveValue.value == nil ? nil : r.positivePredictiveValue.complement, .percent(1), basis: t.reviewed),
                             .number(NumberCell(r.missedPerWeek, format: .decimal(1), basis: t.positives))]
        if t.responderHoursPerDay != nil { cells.append(perAlert(r.alertsPerResponderHour, .decimal(2))) }
        return cells
    }

    /// The summary's table: threshold, which it is, and the deciding columns (no count column: the rates carry
    /// the alert count as their basis).
    static func decidingTable(_ chosen: [(String, ThresholdRow)], _ t: ThresholdTuning) -> (columns: [PeerLensDocument.Column], rows: [[Cell]]) {
        let columns = [Column("Threshold"), Column("Status", alignment: .left)] + decidingColumns(t)
        let rows: [[Cell]] = chosen.map { label, r in [thresholdCell(r.threshold, r.thresholdText), .text(CategoryLabels.sentenceCase(label))] + decidingCells(r, t, countCell: nil) }
        return (columns, rows)
    }

    /// The threshold table's columns and rows for `chosen` (label, row): the deciding columns first (alerts per
    /// day, sensitivity, the share of alerts that are not positives, missed positives per week; alerts per
    /// responder-hour only with a declared rota), then the alert count, false alerts per day and specificity.
    /// Alert counts are counts, rates per day derived from them (withheld with a small count); accuracy rests on
    /// the reviews. The PPV, true alerts per day and the NNE follow from columns shown (1 − the share not
    /// positive; alerts − false alerts; 1/PPV), so only the `full` table (the internal working view) adds them.
    static func thresholdRows(_ chosen: [(String, ThresholdRow)], _ t: ThresholdTuning, full: Bool = false) -> (columns: [PeerLensDocument.Column], rows: [[Cell]]) {
        let deciding = decidingColumns(t)
        let countColumn = 2 + deciding.count
        let columns = [Column("Threshold"), Column("Status", alignment: .left)] + deciding
            + [Column("Alerts", unit: "n"), Column("False alerts per day"), Column("Specificity", unit: "%")]
            + (full ? [Column("True alerts per day"), Column("PPV", unit: "%"), Column("Alerts per true positive (NNE)")] : [])
        let rows: [[Cell]] = chosen.enumerated().map { i, pair in
            let (label, r) = pair
            let count = CellReference(row: i, column: countColumn)
            return [thresholdCell(r.threshold, r.thresholdText), .text(CategoryLabels.sentenceCase(label))] + decidingCells(r, t, countCell: count)
                + [.count(alerts(r, t)), .number(NumberCell(r.falseAlertsPerDay, format: .decimal(1), derivedFrom: count)),
                   r.specificity.map { .number(NumberCell($0, format: .percent(1), basis: t.reviewed)) } ?? .empty]
                + (full ? [.number(NumberCell(r.trueAlertsPerDay, format: .decimal(1), derivedFrom: count)),
                           Build.cell(r.positivePredictiveValue, .percent(1), basis: t.reviewed), numberNeededToEvaluate(r.positivePredictiveValue, basis: t.reviewed)] : [])
        }
        return (columns, rows)
    }

    /// The change from the deployed to the recommended threshold in words: `+180.9 alerts a day, −75.5 missed
    /// crises a week` (thousands grouped, one decimal below 1,000 alerts a day and none from there).
    static func changeInWords(_ c: ThresholdChange, _ t: ThresholdTuning) -> String {
        "\(Formatter.number(c.alertsPerDay, .signed(abs(c.alertsPerDay) >= 1000 ? 0 : 1))) alerts a day, "
            + "\(Formatter.number(c.missedPerWeek, .signed(1))) missed \(positivesNoun(t).plural) a week"
    }

    /// Why alerts per responder-hour are shown or not.
    static func rotaNote(_ t: ThresholdTuning) -> String {
        if let h = t.responderHoursPerDay, let source = t.responderSource {
            return "Alerts per responder-hour = alerts per day ÷ \(Formatter.number(h, .decimal(1))) responder-hours per day (\(source)): the load each staffed hour absorbs on average, alerts outside staffed hours waiting for the next shift."
        }
        return "Alerts per responder-hour are not shown: no rota was declared (responders per shift with the shift hours, or a rota file). Response events show who answered an alert, not how many people were on duty, so staffed time is not inferred from them."
    }

    /// The burden of one threshold in the safety team's words, for key figures: alerts per day (with the
    /// multiple of today's), the share of alerts that are not positives, alerts per positive found (NNE), missed
    /// positives per week, and alerts per responder-hour with a rota. Rates per day rest on the alert count and
    /// are withheld with it.
    static func burdenFigures(_ r: ThresholdRow, _ t: ThresholdTuning, change: ThresholdChange?, at: String) -> [KeyFigure] {
        let noun = positivesNoun(t)
        let n = alerts(r, t)
        let multiple = change?.alertsMultiple.map { "\(Formatter.number($0, .decimal(1)))× today's alerts per day." } ?? ""
        var figures = [
            KeyFigure(label: "Alerts per day \(at)", value: Formatter.number(r.alertsPerDay, .decimal(1)), note: multiple.isEmpty ? nil : multiple,
                      basis: n > 0 ? n : nil),
        ]
        let ppv = r.positivePredictiveValue
        if ppv.value != nil {
            let notPositive = ppv.complement
            figures.append(KeyFigure(label: "Alerts that are not \(noun.plural) \(at)", value: Build.value(notPositive, .percent(1)),
                                     interval: Build.interval(notPositive, .percent(1)), note: "1 − PPV, from the reviewed messages.", basis: t.reviewed))
        }
        if let e = nne(ppv) {
            figures.append(KeyFigure(label: "Alerts per \(noun.singular) found (NNE) \(at)", value: Formatter.number(e.value, .decimal(1)),
                                     interval: e.lower.flatMap { l in e.upper.map { "95% CI " + Formatter.number(l, .decimal(1)) + " to " + Formatter.number($0, .decimal(1)) } },
                                     note: "Number needed to evaluate = 1/PPV: alerts a responder handles for each true \(noun.singular).", basis: t.reviewed))
        }
        figures.append(KeyFigure(label: "\(noun.plural.prefix(1).uppercased() + noun.plural.dropFirst()) missed per week \(at)", value: Formatter.number(r.missedPerWeek, .decimal(1)),
                                 note: "Estimated: positives per week × (1 − sensitivity).", basis: t.positives))
        if let a = r.alertsPerResponderHour {
            figures.append(KeyFigure(label: "Alerts per responder-hour \(at)", value: Formatter.number(a, .decimal(2)), note: t.responderSource.map { "Rota: \($0)." },
                                     basis: n > 0 ? n : nil))
        }
        return figures
    }

    /// One sentence of the burden at a row (alerts per day only when they rest on at least k = 11 alerts, as in the tables).
    static func burdenSentence(_ r: ThresholdRow, _ t: ThresholdTuning, change: ThresholdChange?) -> String {
        let noun = positivesNoun(t)
        var parts: [String] = ["sensitivity \(Build.value(r.sensitivity, .percent(1)))" + (Build.interval(r.sensitivity, .percent(1)).map { " (\($0))" } ?? "")]
        if alerts(r, t) >= DisclosurePolicy.defaultThreshold || alerts(r, t) == 0 {
            parts.append("\(Formatter.number(r.alertsPerDay, .decimal(1))) alerts per day"
                         + (change?.alertsMultiple.map { " (\(Formatter.number($0, .decimal(1)))× today's)" } ?? ""))
        } else {
            parts.append("fewer than \(DisclosurePolicy.defaultThreshold) alerts over the period")
        }
        let ppv = r.positivePredictiveValue
        if ppv.value != nil {
            let c = ppv.complement
            parts.append("\(Build.value(c, .percent(1)))" + (c.lower.flatMap { l in c.upper.map { " (95% CI \(Formatter.number(l, .percent(1))) to \(Formatter.number($0, .percent(1))))" } } ?? "")
                         + " of alerts are not \(noun.plural)")
        }
        if let e = nne(ppv) {
            parts.append("\(Formatter.number(e.value, .decimal(1)))" + (e.lower.flatMap { l in e.upper.map { " (\(Formatter.number(l, .decimal(1))) to \(Formatter.number($0, .decimal(1))))" } } ?? "")
                         + " alerts per \(noun.singular) found (NNE)")
        }
        parts.append("\(Formatter.number(r.missedPerWeek, .decimal(1))) \(noun.plural) missed per week")
        return parts.joined(separator: "; ")
    }

    /// The threshold section (`peerlens thresholds` and the safety report): the policy's recommendation in staff
    /// terms with its interval, the capacity trade-off when a floor cannot be met, deployed against recommended,
    /// the threshold table under the disclosure policy, the workload curve, and the safety team's working view
    /// with raw alert counts at every candidate threshold (internal only: published with `--internal`, labelled
    /// by the policy).
    public static func thresholdSection(_ t: ThresholdTuning) -> Section {
        let rec = t.recommendation
        var special: [(String, ThresholdRow)] = []
        if let d = t.deployed { special.append(("deployed", d)) }
        special.append(("recommended", rec.row))
        if let d = t.deployed, d.threshold == rec.row.threshold { special = [("deployed and recommended", d)] }
        if let f = rec.tradeOff?.floorRow, !special.contains(where: { $0.1.threshold == f.threshold }) { special.append(("meets the floor", f)) }
        // Grid rows at the same threshold as a labelled one are the same row: keep the labelled one only.
        var chosen: [(String, ThresholdRow)] = gridRows(t)
            .filter { r in !special.contains { abs($0.1.threshold - r.threshold) < 1e-12 } }.map { ("", $0) } + special
        chosen.sort { ($0.1.threshold, $0.0) < ($1.1.threshold, $1.0) }
        let notes = ["Alerts count every scored message at or above the threshold over \(Formatter.number(t.days, .decimal(1))) days (\(t.periodSource)); true and false alerts and missed positives are estimated from the reviewed prevalence (\(Formatter.number(t.estimatedPositivesPerWeek, .decimal(1))) positives per week).",
                     "Not \(positivesNoun(t).plural) = the share of alerts that are not \(positivesNoun(t).plural), 1 − PPV; it rests on the reviewed messages, as sensitivity and specificity do.",
                     "Thresholds are printed with enough digits that giving the printed value back as a threshold flags the same messages\(t.scoresAreProbabilities ? "" : "; scores are not probabilities, so candidates are the score's own values (or its quantiles)").",
                     "Intervals: \(t.rows.first?.sensitivity.interval ?? "none").", rotaNote(t)]
        let shown = thresholdRows(chosen, t)
        let table = Table(caption: "Workload and accuracy by threshold, \(t.model) \(t.version)", columns: shown.columns, rows: shown.rows, notes: notes)
        var all = t.rows.map { ("", $0) } + special
        all.sort { ($0.1.threshold, $0.0) < ($1.1.threshold, $1.0) }
        let raw = thresholdRows(all, t, full: true)
        let working = Table(caption: "Working view: every candidate threshold, \(t.model) \(t.version)", columns: raw.columns, rows: raw.rows,
                            notes: notes + ["Alerts per true positive (NNE) = 1/PPV, its interval the PPV interval inverted."], internalOnly: true)
        let workload = Chart(title: "Alerts per day against sensitivity, \(t.model) \(t.version)",
                             description: "The cost of sensitivity: alerts a day (all scored messages) needed to reach each sensitivity, over the candidate thresholds. The marks show the deployed and recommended thresholds.",
                             kind: .line, xAxis: Axis("Sensitivity", unit: "proportion", lower: 0, upper: 1, format: .decimal(3)),
                             yAxis: Axis("Alerts per day", lower: 0, format: .decimal(1)),
                             series: [ChartSeries(t.version, points: curveRows(t).compactMap { r in
                                 r.sensitivity.value.map { ChartPoint(x: $0, y: r.alertsPerDay, label: r.thresholdText.text) }
                             })],
                             markers: markers(t, series: t.version, x: { $0.sensitivity.value }, y: { $0.alertsPerDay }), pointLabel: "Threshold")
        let interval = rec.lowerText.flatMap { l in rec.upperText.map { "95% interval " + l.text + " to " + $0.text } }
        var figures = [KeyFigure(label: "Recommended threshold", value: rec.row.thresholdText.text, interval: interval,
                                 note: "Policy: \(rec.policy). Flag a message when its score is at or above \(rec.row.thresholdText.text).")]
        if let d = t.deployed {
            figures.append(KeyFigure(label: "Deployed threshold", value: d.thresholdText.text, note: "From the \(t.deployedSource ?? "alerts")."))
        }
        var blocks: [Block] = [
            .paragraph(Paragraph(runs: [
                TextRun("Recommended threshold \(rec.row.thresholdText.text): ", emphasis: .strong),
                TextRun(burdenSentence(rec.row, t, change: rec.change) + "."),
            ])),
            .text("Policy: \(rec.policy). " + (rec.floorMet == false ? "The sensitivity floor is not met within capacity. "
                                                  : (rec.floorMet == true && rec.tradeOff == nil && t.recommendation.policy.contains("within") ? "The sensitivity floor is met within capacity. " : ""))
                  + (interval.map { "The threshold's \($0) from resampling the reviews. " } ?? "")
                  + "\(rec.intervalNote.prefix(1).uppercased() + rec.intervalNote.dropFirst())."),
            .keyFigures(figures + burdenFigures(rec.row, t, change: rec.change, at: "at the recommended threshold")),
        ]
        if let trade = rec.tradeOff {
            var f = [KeyFigure(label: "Sensitivity within \(Formatter.number(trade.maxAlertsPerDay, .decimal(1))) alerts per day",
                               value: Build.value(trade.sensitivityWithinCapacity, .percent(1)), interval: Build.interval(trade.sensitivityWithinCapacity, .percent(1)),
                               note: "At \(rec.row.thresholdText.text), the most sensitive threshold within capacity.", basis: t.positives)]
            if let floorRow = trade.floorRow {
                f.append(KeyFigure(label: "Alerts per day needed for sensitivity \(Formatter.number(trade.minimumSensitivity, .percent(0)))",
                                   value: Formatter.number(floorRow.alertsPerDay, .decimal(1)),
                                   note: "At \(floorRow.thresholdText.text), the highest threshold that meets the floor\(rec.assurance == .lower ? " (on the lower confidence bound)" : "").",
                                   basis: alerts(floorRow, t) > 0 ? alerts(floorRow, t) : nil))
            }
            let parts = trade.summary.split(separator: ":", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            blocks.insert(.paragraph(Paragraph(runs: [TextRun(parts[0] + ": ", emphasis: .strong), TextRun(parts.count > 1 ? parts[1] : "")])), at: 1)
            blocks.insert(.keyFigures(f), at: 3)
        }
        if let d = t.deployed, let c = rec.change {
            blocks.append(.text("Versus the deployed threshold: \(changeInWords(c, t))."))
            let pair = thresholdRows([("deployed", d), ("recommended", rec.row)], t)
            var change = [Cell](repeating: .empty, count: pair.columns.count)
            func column(_ heading: String) -> Int? { pair.columns.firstIndex { $0.heading.hasPrefix(heading) } }
            change[1] = .text("Change")
            let from = CellReference(row: 0, column: 2 + decidingColumns(t).count)
            if let i = column("Alerts per day") { change[i] = .number(NumberCell(c.alertsPerDay, format: .signed(1), derivedFrom: from)) }
            if let i = column("False alerts per day") { change[i] = .number(NumberCell(c.falseAlertsPerDay, format: .signed(1), derivedFrom: from)) }
            if let i = column("Missed ") { change[i] = .number(NumberCell(c.missedPerWeek, format: .signed(1), basis: t.positives)) }
            if let i = column("Sensitivity") { change[i] = .number(NumberCell(c.sensitivity, format: .percentagePoints(1), basis: t.positives)) }
            blocks.append(.table(Table(caption: "Deployed against recommended threshold, \(t.model) \(t.version)", columns: pair.columns, rows: pair.rows + [change],
                                       notes: ["The change is recommended − deployed" + (c.alertsMultiple.map { "; the recommended threshold raises \(Formatter.number($0, .decimal(1)))× today's alerts per day" } ?? "") + "."])))
        } else if t.deployed == nil {
            blocks.append(.text("No deployed threshold (no alerts for this version), so there is nothing to compare the recommendation with."))
        }
        blocks += [.table(table), .chart(workload), .table(working)]
        return Section("Threshold and recommendation", blocks: blocks)
    }
}
