import PeerLensDocument
import PeerLensLog
import PeerLensSafety
import PeerLensStats

extension SafetyReport {
    /// The risk-item section (`peerlens crisis` and the safety report): members who endorsed a questionnaire's
    /// self-harm item, whether the model alerted and a human made contact within 24 hours and 7 days, time to
    /// contact (Kaplan–Meier), and the model's sensitivity among them. Every count is a count cell in a margin
    /// group with the totals it adds up to, so the disclosure policy suppresses complements too; every share
    /// carries its numerator and denominator and is withheld with its count.
    public static func riskItemSection(_ r: RiskItemReport) -> Section {
        let id = "crisis-risk-item", heading = "Self-harm item in check-ins: a second detection channel"
        let items = r.instruments.map { "\($0.instrument) \($0.item) (0–\($0.maximum))" }.joined(separator: ", ")
        var blocks: [Block] = [
            .text("Members who endorsed a questionnaire's self-harm item (\(items); a score of 1 or more) told the service something the \(r.model) model may not have seen. "
                  + "Each member counts once, from their first endorsing check-in (the index check-in). Did the model raise a crisis alert, did a human respond, and how soon?"),
        ]
        guard r.instruments.contains(where: { $0.reported > 0 }) else {
            blocks.append(.text("No check-in in the store reports the self-harm item (`risk_item`), so this channel cannot be compared with the model's alerts. Record it on PHQ-9 and CORE-10 check-ins (datasets/README.md)."))
            return Section(heading, id: id, blocks: blocks)
        }
        var figures = [KeyFigure(label: "Members who endorsed the self-harm item", value: Formatter.grouped(r.endorsingMembers),
                                 note: "Item score 1 or more on at least one check-in.", count: r.endorsingMembers)]
        if let t = r.timeToContact {
            func hours(_ h: Double?) -> String { h.map { Formatter.fixed($0, 1) + " h" } ?? "not reached" }
            figures.append(KeyFigure(label: "Median time from the check-in to human contact", value: hours(t.medianHours),
                                     interval: "95% CI " + hours(t.medianLower) + " to " + hours(t.medianUpper),
                                     note: "Kaplan–Meier; members never contacted are censored at the end of the data.", basis: t.members))
            for (label, w) in [("24 hours", t.within24Hours), ("7 days", t.within7Days)] {
                figures.append(KeyFigure(label: "Human contact within \(label) (Kaplan–Meier)", value: Formatter.number(w.estimate, .percent(1)),
                                         interval: w.lower.flatMap { l in w.upper.map { "95% CI " + Formatter.number(l, .percent(1)) + " to " + Formatter.number($0, .percent(1)) } },
                                         basis: t.members))
            }
        }
        blocks.append(.keyFigures(figures))
        blocks.append(.table(riskItemWindowTable(r)))
        let instrumentRows: [[Cell]] = r.instruments.map { i in
            [.text(i.instrument), .text(i.item), .count(i.reported), .count(i.endorsed), .count(i.reported - i.endorsed), .count(i.members)]
        }
        blocks.append(.table(Table(caption: "Check-ins reporting the self-harm item, by instrument",
                                   columns: [Column("Instrument", alignment: .left), Column("Item", alignment: .left), Column("Check-ins reporting it", unit: "n"),
                                             Column("Endorsed (1 or more)", unit: "check-ins"), Column("Not endorsed (0)", unit: "check-ins"),
                                             Column("Endorsing members", unit: "n")],
                                   rows: instrumentRows,
                                   notes: ["A member who endorsed the item on two instruments counts under each."],
                                   margins: [MarginGroup(rows: Array(instrumentRows.indices), columns: [3, 4], rowTotalColumn: 2, columnTotalsPublished: false),
                                             MarginGroup(rows: Array(instrumentRows.indices), columns: [5])])))
        if !r.byIndexScore.isEmpty {
            let scoreRows: [[Cell]] = r.byIndexScore.map { [.text("\($0.score)"), .count($0.members)] }
            blocks.append(.table(Table(caption: "Endorsing members by item score at the index check-in",
                                       columns: [Column("Item score", alignment: .left), Column("Members", unit: "n")], rows: scoreRows,
                                       notes: ["Higher scores mean the thoughts were more frequent (PHQ-9 item 9: 1 several days, 2 more than half the days, 3 nearly every day)."],
                                       margins: [MarginGroup(rows: Array(scoreRows.indices), columns: [1])])))
        }
        return Section(heading, id: id, blocks: blocks)
    }

    /// What followed the index check-in within each window: one count column and one share column per window;
    /// each yes/no pair adds up to the row above it (a margin group per pair and window).
    static func riskItemWindowTable(_ r: RiskItemReport) -> PeerLensDocument.Table {
        let endorsing = r.endorsingMembers
        // (label, count per window, share per window), in table order; rows 1–2 add up to row 0, 3–4 and 5–6 and
        // 7–8 to row 1, 9–10 to row 7.
        let labels = ["Endorsing members", "Whole window within the data", "Window cut off by the end of the data",
                      "Crisis alert in the window", "No crisis alert in the window",
                      "Human contact in the window", "No human contact in the window",
                      "Posted a message in the window", "Did not post in the window",
                      "Posted, and a message got a crisis alert (model sensitivity)", "Posted, and no message got a crisis alert"]
        var rows: [[Cell]] = labels.map { [.text($0)] }
        for (w, window) in r.windows.enumerated() {
            let countColumn = 1 + 2 * w
            func share(_ count: Int, of total: Int, row: Int) -> Cell {
                guard case var .number(n) = Build.cell(Share(count, of: total)) else { return .empty }
                n.derivedFrom = CellReference(row: row, column: countColumn)
                return .number(n)
            }
            let observed = window.observed, posted = window.posted.count ?? 0
            let alerted = window.alerted.count ?? 0, contacted = window.contacted.count ?? 0, caught = window.sensitivity.count ?? 0
            let values: [(Int, Cell)] = [
                (endorsing, .empty), (observed, .empty), (window.notYetObserved, .empty),
                (alerted, share(alerted, of: observed, row: 3)), (observed - alerted, share(observed - alerted, of: observed, row: 4)),
                (contacted, share(contacted, of: observed, row: 5)), (observed - contacted, share(observed - contacted, of: observed, row: 6)),
                (posted, share(posted, of: observed, row: 7)), (observed - posted, share(observed - posted, of: observed, row: 8)),
                (caught, share(caught, of: posted, row: 9)), (posted - caught, share(posted - caught, of: posted, row: 10)),
            ]
            for (i, (count, shareCell)) in values.enumerated() { rows[i] += [.count(count), shareCell] }
        }
        var columns = [Column("", alignment: .left)]
        var margins: [MarginGroup] = []
        for (w, window) in r.windows.enumerated() {
            columns += [Column("Within \(window.window)", unit: "members"), Column("Share", unit: "%")]
            let c = 1 + 2 * w
            margins += [MarginGroup(rows: [1, 2], columns: [c], columnTotalRow: 0), MarginGroup(rows: [3, 4], columns: [c], columnTotalRow: 1),
                        MarginGroup(rows: [5, 6], columns: [c], columnTotalRow: 1), MarginGroup(rows: [7, 8], columns: [c], columnTotalRow: 1),
                        MarginGroup(rows: [9, 10], columns: [c], columnTotalRow: 7)]
        }
        return Table(caption: "What followed an endorsement of the self-harm item, within 24 hours and 7 days of the index check-in",
                     columns: columns, rows: rows,
                     notes: ["A window is [check-in, check-in + 24 hours] or [check-in, check-in + 7 days]. Members whose window the end of the data (\(r.dataEnd)) cuts off are left out of that window's shares: they could still be alerted or contacted.",
                             "Crisis alert: an alert of \(r.model) about the member raised in the window. Human contact: a response by any responder to an alert of \(r.model) about the member, given in the window (the alert may predate the check-in).",
                             "Shares of alert, contact and posting are of the members whose whole window is within the data; model sensitivity is of those who posted (the model only scores messages). 95% Wilson intervals; members are the unit."],
                     margins: margins)
    }
}
