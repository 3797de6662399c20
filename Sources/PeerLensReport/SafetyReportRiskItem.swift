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
        // The total of all endorsing members is not published: with the members followed for 7 days and those not
        // yet followed both shown, it would let a suppressed one be worked out from the other.
        var figures = [KeyFigure(label: "Members who endorsed the self-harm item, followed for 7 days", value: Formatter.grouped(r.followedMembers),
                                 note: "Item score 1 or more, first endorsement at least 7 days before the end of the data: the members of the table below.",
                                 count: r.followedMembers),
                       KeyFigure(label: "Members who first endorsed it in the last 7 days of the data", value: Formatter.grouped(r.notYetFollowed),
                                 note: "Not yet followed for 7 days: left out of the table, included in the time to contact (censored).",
                                 count: r.notYetFollowed)]
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
        if let t = r.timeToContact, t.contacted > 0 {
            let points = t.curve.map { p in
                ChartPoint(x: p.hours, y: p.estimate, lower: p.lower, upper: p.upper, count: p.atRisk)
            }
            blocks.append(.chart(Chart(title: "Share of endorsing members contacted by a human, by hours since the check-in",
                                       description: "Kaplan–Meier estimate of 1 − S(t) from the first endorsing check-in to the first response to a \(r.model) alert about the member, read at these times and held until the next (a step curve), with its 95% Greenwood (log) interval as a band; the data table adds the members not yet contacted and still followed at each time. The dashed lines mark 24 hours and 7 days.",
                                       kind: .step, xAxis: Axis("Hours since the check-in", lower: 0, format: .decimal(0)),
                                       yAxis: Axis("Contacted", unit: "%", lower: 0, upper: 1, format: .percent(0)),
                                       series: [ChartSeries("contacted", points: points, band: true)],
                                       markers: [ChartMarker("24 hours", x: 24), ChartMarker("7 days", x: 168)])))
        }
        // Check-ins, not members: per-instrument member counts would add up to the unpublished total of endorsers.
        let instrumentRows: [[Cell]] = r.instruments.map { i in
            [.text(i.instrument), .text(i.item), .count(i.reported), .count(i.endorsed), .count(i.reported - i.endorsed)]
        }
        blocks.append(.table(Table(caption: "Check-ins reporting the self-harm item, by instrument",
                                   columns: [Column("Instrument", alignment: .left), Column("Item", alignment: .left), Column("Check-ins reporting it", unit: "n"),
                                             Column("Endorsed, score 1 or more", unit: "check-ins"), Column("Not endorsed, score 0", unit: "check-ins")],
                                   rows: instrumentRows,
                                   notes: ["Every check-in with the item recorded, over the whole period; a member may have several."],
                                   margins: [MarginGroup(rows: Array(instrumentRows.indices), columns: [3, 4], rowTotalColumn: 2, columnTotalsPublished: false)])))
        if !r.byIndexScore.isEmpty {
            let scoreRows: [[Cell]] = r.byIndexScore.map { [.text("\($0.score)"), .count($0.members)] }
            blocks.append(.table(Table(caption: "Members followed for 7 days by item score at the index check-in",
                                       columns: [Column("Item score", alignment: .left), Column("Members", unit: "n")], rows: scoreRows,
                                       notes: ["Higher scores mean the thoughts were more frequent (PHQ-9 item 9: 1 several days, 2 more than half the days, 3 nearly every day)."],
                                       margins: [MarginGroup(rows: Array(scoreRows.indices), columns: [1])])))
        }
        return Section(heading, id: id, blocks: blocks)
    }

    /// What followed the index check-in within each window, for the members followed for 7 days: one count column
    /// and one share column per window. Each group of rows (alert or not; contact or not; did not post, posted and
    /// alerted, posted and not alerted) is a partition of the followed members, a published total, and is one
    /// margin group per window. A share is withheld with its own count and with the count it would reveal as the
    /// rest of its denominator.
    static func riskItemWindowTable(_ r: RiskItemReport) -> PeerLensDocument.Table {
        let labels = ["Crisis alert in the window", "No crisis alert in the window",
                      "Human contact in the window", "No human contact in the window",
                      "Did not post in the window",
                      "Posted; a message got a crisis alert (model sensitivity)", "Posted; no message got a crisis alert"]
        var rows: [[Cell]] = labels.map { [.text($0)] }
        let followed = r.followedMembers
        for (w, window) in r.windows.enumerated() {
            let countColumn = 1 + 2 * w
            /// `count` of `total` as a share, withheld when the cell `complementRow` (the rest of the denominator) is.
            func share(_ count: Int, of total: Int, complementRow: Int?) -> Cell {
                guard case var .number(n) = Build.cell(Share(count, of: total)) else { return .empty }
                n.derivedFrom = complementRow.map { CellReference(row: $0, column: countColumn) }
                return .number(n)
            }
            let alerted = window.alerted.count ?? 0, contacted = window.contacted.count ?? 0
            let posted = window.posted.count ?? 0, caught = window.sensitivity.count ?? 0
            let values: [(Int, Cell)] = [
                (alerted, share(alerted, of: followed, complementRow: 1)), (followed - alerted, share(followed - alerted, of: followed, complementRow: 0)),
                (contacted, share(contacted, of: followed, complementRow: 3)), (followed - contacted, share(followed - contacted, of: followed, complementRow: 2)),
                (followed - posted, share(followed - posted, of: followed, complementRow: nil)),
                (caught, share(caught, of: posted, complementRow: 6)), (posted - caught, share(posted - caught, of: posted, complementRow: 5)),
            ]
            for (i, (count, shareCell)) in values.enumerated() { rows[i] += [.count(count), shareCell] }
        }
        var columns = [Column("Members followed for 7 days", alignment: .left)]
        var margins: [MarginGroup] = []
        for (w, window) in r.windows.enumerated() {
            columns += [Column("Within \(window.window)", unit: "members"), Column("Share", unit: "%")]
            let c = 1 + 2 * w
            margins += [MarginGroup(rows: [0, 1], columns: [c]), MarginGroup(rows: [2, 3], columns: [c]), MarginGroup(rows: [4, 5, 6], columns: [c])]
        }
        return Table(caption: "What followed an endorsement of the self-harm item, within 24 hours and 7 days of the index check-in",
                     columns: columns, rows: rows,
                     notes: ["Members whose first endorsement was at least 7 days before the end of the data (\(CalendarText.day(r.dataEnd))); a window is [check-in, check-in + 24 hours] or [check-in, check-in + 7 days].",
                             "Crisis alert: an alert of \(r.model) about the member raised in the window. Human contact: a response by any responder to an alert of \(r.model) about the member, given in the window (the alert may predate the check-in).",
                             "Shares of alert, contact and not posting are of the members followed; the last two rows are of those who posted (the model only scores messages), so the first of them is the model's sensitivity among endorsing members. 95% Wilson intervals; members are the unit."],
                     margins: margins)
    }
}
