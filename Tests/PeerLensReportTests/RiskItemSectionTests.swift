import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensSafety
@testable import PeerLensStats

@Suite("Risk-item section under the disclosure policy")
struct RiskItemSectionTests {
    /// A report of 40 members followed for 7 days and 5 not yet followed, with the given per-window counts
    /// (alerted, contacted, posted, caught).
    func report(_ day: (Int, Int, Int, Int), _ week: (Int, Int, Int, Int), notYet: Int = 5) -> RiskItemReport {
        let followed = 40
        func window(_ label: String, _ hours: Double, _ c: (Int, Int, Int, Int)) -> RiskItemReport.WindowRow {
            RiskItemReport.WindowRow(window: label, hours: hours, alerted: Share(c.0, of: followed), contacted: Share(c.1, of: followed),
                                     posted: Share(c.2, of: followed), sensitivity: Share(c.3, of: c.2))
        }
        let share = CrisisResponseReport.KaplanMeierShare(minutes: 1440, estimate: 0.3, lower: 0.2, upper: 0.4)
        return RiskItemReport(model: "crisis", dataEnd: "2026-03-01T00:00:00Z",
                              instruments: [.init(instrument: "CORE-10", item: "item 6", maximum: 4, reported: 0, endorsed: 0, members: 0),
                                            .init(instrument: "PHQ-9", item: "item 9", maximum: 3, reported: 300, endorsed: 60, members: 45)],
                              endorsingMembers: followed + notYet, followedMembers: followed, notYetFollowed: notYet,
                              byIndexScore: [.init(score: 1, members: 25), .init(score: 2, members: 12), .init(score: 3, members: 3)],
                              windows: [window("24 hours", 24, day), window("7 days", 168, week)],
                              timeToContact: .init(members: followed + notYet, contacted: 20, medianHours: 30, medianLower: 20, medianUpper: nil,
                                                   within24Hours: share, within7Days: share,
                                                   curve: [.init(hours: 0, estimate: 0, lower: 0, upper: 0, atRisk: followed + notYet),
                                                           .init(hours: 24, estimate: 0.3, lower: 0.2, upper: 0.4, atRisk: 30),
                                                           .init(hours: 168, estimate: 0.45, lower: 0.3, upper: 0.6, atRisk: 8)]))
    }

    func windowTable(_ s: Section) throws -> Table {
        try #require(s.blocks.compactMap { block -> Table? in
            if case let .table(t) = block, t.caption.hasPrefix("What followed") { return t } else { return nil }
        }.first)
    }

    @Test("Counts above k are shown with their shares; sensitivity is caught / posted with its Wilson interval")
    func shown() throws {
        let s = DisclosurePolicy.standard.apply(to: SafetyReport.riskItemSection(report((12, 14, 29, 18), (20, 25, 29, 15))))
        let t = try windowTable(s)
        // 24 hours: alerts 12 and 28 of 40, contact 14 and 26, did not post 11, posted and caught 18, not caught 11.
        #expect(t.rows.map { $0[1] } == [.count(12), .count(28), .count(14), .count(26), .count(11), .count(18), .count(11)])
        guard case let .number(alerted) = t.rows[0][2] else { Issue.record("alert share withheld"); return }
        #expect(alerted.value == 0.3)
        guard case let .number(sensitivity) = t.rows[5][2] else { Issue.record("sensitivity withheld: \(t.rows[5][2])"); return }
        let wilson = try #require(Proportion.wilson(18, of: 29))
        #expect(sensitivity.value == 18.0 / 29 && sensitivity.lower == wilson.interval.lower && sensitivity.upper == wilson.interval.upper)
        // 7 days: 29 posted, 15 caught, 14 not; 11 did not post.
        #expect(t.rows[4][3] == .count(11) && t.rows[5][3] == .count(15) && t.rows[6][3] == .count(14))
        guard case let .number(week) = t.rows[5][4] else { Issue.record("7-day sensitivity withheld"); return }
        #expect(abs(week.value - 15.0 / 29) < 1e-12)
    }

    @Test("Small counts are suppressed with a complement in their partition; shares of suppressed counts, and sensitivity when the not-caught count is suppressed, are withheld; the not-yet-followed count is suppressed and the total of endorsers is never published")
    func suppressed() throws {
        // 24 hours: 3 alerted (small), posted 30 of 40 → 10 did not post (small), 25 caught, 5 not caught (small).
        let s = DisclosurePolicy.standard.apply(to: SafetyReport.riskItemSection(report((3, 12, 30, 25), (20, 25, 35, 30))))
        let t = try windowTable(s)
        #expect(t.rows[0][1] == .suppressed && t.rows[1][1] == .suppressed, "3 alerted and its complement 37")
        #expect(t.rows[0][2] == .suppressed && t.rows[1][2] == .suppressed)
        #expect(t.rows[2][1] == .count(12) && t.rows[3][1] == .count(28))
        #expect(t.rows[4][1] == .suppressed && t.rows[6][1] == .suppressed && t.rows[5][1] == .count(25))
        #expect(t.rows[5][2] == .suppressed, "sensitivity 25/30 would give away the 5 not caught")
        #expect(t.rows[4][2] == .suppressed && t.rows[6][2] == .suppressed)
        // 7 days: 5 did not post, 5 not caught.
        #expect(t.rows[4][3] == .suppressed && t.rows[6][3] == .suppressed && t.rows[5][4] == .suppressed)
        let figures = s.blocks.flatMap { block -> [KeyFigure] in if case let .keyFigures(f) = block { f } else { [] } }
        #expect(figures.first { $0.label.hasPrefix("Members who endorsed") }?.value == "40")
        #expect(figures.first { $0.label.hasPrefix("Members who first endorsed it in the last 7 days") }?.suppressed == true)
        #expect(!figures.contains { $0.count == 45 || $0.value == "45" }, "the total 40 + 5 would give the suppressed 5 away")
        // The curve's point resting on 8 members still followed is left out.
        let chart = try #require(s.blocks.compactMap { block -> Chart? in if case let .chart(c) = block { c } else { nil } }.first)
        #expect(!chart.series[0].points.contains { $0.count == 8 })
        for case let .table(table) in s.blocks {
            for row in table.rows { for cell in row { if case let .count(n) = cell { #expect(!DisclosurePolicy.standard.isSmall(n), "\(table.caption): \(n)") } } }
        }
    }

    @Test("A store without the item: the section says so and has no figures")
    func noneReported() {
        var r = report((0, 0, 0, 0), (0, 0, 0, 0))
        r = RiskItemReport(model: r.model, dataEnd: r.dataEnd, instruments: r.instruments.map {
            .init(instrument: $0.instrument, item: $0.item, maximum: $0.maximum, reported: 0, endorsed: 0, members: 0)
        }, endorsingMembers: 0, followedMembers: 0, notYetFollowed: 0, byIndexScore: [], windows: r.windows, timeToContact: nil)
        let s = SafetyReport.riskItemSection(r)
        #expect(s.id == "crisis-risk-item")
        #expect(s.blocks.allSatisfy { if case .paragraph = $0 { true } else { false } })
        #expect(s.blocks.contains { if case let .paragraph(p) = $0 { p.plainText.contains("No check-in in the store reports the self-harm item") } else { false } })
    }
}
