import PeerLensDocument
import PeerLensSafety

extension SafetyReport {
    /// Reviewer agreement (`risk` and the safety report): Fleiss' and Cohen's κ on the positive/negative label
    /// of the first two reviews of messages reviewed at least twice, quadratic-weighted κ on severity, and the
    /// first-against-second table. Counts go through the disclosure policy like any other (a cell below k is
    /// withheld, with its complement); κ rests on the messages reviewed twice.
    public static func agreementSection(_ a: ReviewerAgreement, rule: ReviewRule) -> Section {
        let n = a.messages
        let positiveAt = a.kind == "crisis" ? " (positive: severity \(a.positiveAt.rawValue) or above, or a positive verdict)" : ""
        func row(_ name: String, _ e: Estimate?, basis: Int) -> [Cell] {
            guard let e, e.value != nil else { return [.text(name), .notEvaluable("undefined: every rating in one category"), .text("none")] }
            return [.text(name), Build.cell(e, .decimal(3), basis: basis), .text(e.lower == nil ? "no interval" : e.interval)]
        }
        var rows: [[Cell]] = [
            [.text("Messages reviewed at least twice"), .count(n), .text("the sample for κ")],
            // With its numerator, so that the policy withholds it when the agreeing or the disagreeing messages are few
            // (the share would give away the count the cross table suppresses).
            [.text("Observed agreement on the label"),
             .number(NumberCell(a.observedAgreement, format: .percent(1), basis: n, numerator: a.labelTable[0][0] + a.labelTable[1][1])),
             .text("share of messages whose two reviews agree")],
            row("Fleiss' κ, label", a.fleiss, basis: n),
            row("Cohen's κ, label (first against second review)", a.cohen, basis: n),
        ]
        if let s = a.severityWeighted {
            rows.append(row("Cohen's κ, severity, quadratic weights", s, basis: a.gradedMessages))
        }
        let measures = Table(
            caption: "Agreement between the first and second review of \(a.kind) messages\(positiveAt) (95% intervals)",
            columns: [Column("Measure", alignment: .left), Column("Estimate"), Column("Interval", alignment: .left)], rows: rows,
            notes: [
                "The log records a reviewer role, not a reviewer identity, so the two ratings of a message come from raters who are not identified: Fleiss' κ (Fleiss 1971) with two ratings per message suits this (it equals Scott's π). Cohen's κ (Cohen 1960) treats the first and the second review as two raters.",
                "Only the first two reviews of a message (in time order) are used, so every message has exactly two ratings\(a.moreThanTwo > 0 ? "; messages with three or more reviews contribute their first two" : "").",
                "κ = (observed − chance agreement) / (1 − chance agreement): 1 is perfect agreement, 0 agreement by chance alone.",
                "Intervals: Fleiss' κ by a percentile bootstrap over messages (a message's two ratings resampled together); Cohen's κ by a Wald interval from the large-sample standard error of Fleiss, Cohen & Everitt (1969), as statsmodels' cohens_kappa.",
            ] + (a.severityWeighted != nil ? ["Severity κ: Cohen's weighted κ (Cohen 1968) with disagreement weight (i − j)² / 16 over the five ordered severities, on messages whose two reviews both give a severity."] : []))
        let cross = Table(
            caption: "First review against second review of \(a.kind) messages reviewed at least twice (messages)",
            columns: [Column("First review", alignment: .left), Column("Second positive"), Column("Second negative"), Column("Total")],
            rows: [
                [.text("Positive"), .count(a.labelTable[0][0]), .count(a.labelTable[0][1]), .count(a.labelTable[0][0] + a.labelTable[0][1])],
                [.text("Negative"), .count(a.labelTable[1][0]), .count(a.labelTable[1][1]), .count(a.labelTable[1][0] + a.labelTable[1][1])],
                [.text("Total"), .count(a.labelTable[0][0] + a.labelTable[1][0]), .count(a.labelTable[0][1] + a.labelTable[1][1]), .count(n)],
            ],
            notes: ["The diagonal (positive–positive, negative–negative) holds the messages whose reviews agree."],
            margins: [MarginGroup(rows: [0, 1], columns: [1, 2], rowTotalColumn: 3, columnTotalRow: 2)])
        return Section("Reviewer agreement", id: "reviewer-agreement-\(Section.slug(a.kind))", blocks: [
            .paragraph(Paragraph("Several reviews of one message become one label by the review rule \(rule.rawValue): \(rule.description). Agreement between reviews measures how reliable that label is.")),
            .table(measures), .table(cross),
        ])
    }

    /// The section saying why reviewer agreement is not shown: no message of the model's kind has two reviews.
    public static func noAgreementSection(kind: String, rule: ReviewRule) -> Section {
        Section("Reviewer agreement", id: "reviewer-agreement-\(Section.slug(kind))", blocks: [
            .note(Note("Reviewer agreement is not measured: fewer than two \(kind) messages have two or more reviews. Review rule \(rule.rawValue): \(rule.description).")),
        ])
    }
}
