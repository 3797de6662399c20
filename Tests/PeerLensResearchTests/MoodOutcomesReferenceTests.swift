import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensResearch
@testable import PeerLensStats
@testable import PeerLensStore

/// Mood outcomes on the constructed log of `Fixtures/make_mood_outcomes.py`, against the values that script computed
/// with numpy from the NHS Talking Therapies definitions: combined vs per-measure figures, attrition with follow-up
/// not yet due, follow-up quartiles, the outcome at a fixed time and the baseline-SD effect size.
@Suite("Mood outcomes against an independent computation (NHS Talking Therapies combined, attrition)")
struct MoodOutcomesReferenceTests {
    nonisolated(unsafe) static let fixture: [String: Any] = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("mood_outcomes_reference.json")
        return try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }()

    static func expected(_ key: String) -> [String: Double] {
        ((fixture["expected"] as! [String: Any])[key] as! [String: Any]).mapValues { ($0 as! NSNumber).doubleValue }
    }

    /// The store of the constructed log, with an activity on the data end's day.
    static func store() throws -> EventStore {
        let (store, dir) = try newResearchStore()
        var lines: [String] = []
        for m in fixture["members"] as! [[String: Any]] {
            let id = m["id"] as! String
            lines.append(Lines.member(id))
            for c in m["checkins"] as! [[Any]] {
                lines.append(Lines.checkin(id, c[0] as! String, (c[2] as! NSNumber).doubleValue, day: (c[1] as! NSNumber).intValue))
            }
        }
        lines.append(Lines.activity("b0", day: (fixture["data_end_day"] as! NSNumber).intValue))
        try ingest(lines, into: store, directory: dir)
        return store
    }

    @Test("Combined NHS Talking Therapies outcomes equal the reference and differ from the per-measure ones")
    func combined() throws {
        let report = try OutcomesReport.analyse(store: try Self.store(), options: OutcomesOptions())
        let c = try #require(report.combined)
        let e = Self.expected("combined")
        #expect(c.definition == "nhs_talking_therapies")
        #expect(Double(c.members) == e["members"] && Double(c.membersNotPaired) == e["members_not_paired"] && Double(c.atCaseness) == e["at_caseness"])
        #expect(Double(c.recovery.count!) == e["recovery"] && c.recovery.total == c.atCaseness)
        #expect(Double(c.reliableRecovery.count!) == e["reliable_recovery"] && c.reliableRecovery.total == c.atCaseness)
        #expect(Double(c.reliableImprovement.count!) == e["reliable_improvement"] && c.reliableImprovement.total == c.members)
        #expect(Double(c.reliableDeterioration.count!) == e["reliable_deterioration"] && c.reliableDeterioration.total == c.members)
        for name in ["PHQ-9", "GAD-7"] {
            let i = try #require(report.instruments.first { $0.instrument == name })
            let x = Self.expected(name)
            #expect(Double(i.membersAnalysed) == x["analysed"] && Double(i.atCaseness!) == x["at_caseness"])
            #expect(Double(i.recovery!.count!) == x["recovery"] && Double(i.reliableImprovement!.count!) == x["reliable_improvement"])
            // The per-measure recovery rate is not the combined one on this log.
            #expect(abs(i.recovery!.estimate! - c.recovery.estimate!) > 0.05)
            #expect(abs(i.baselineEffectSize!.d - x["d_baseline_sd"]!) < 1e-12)
        }
    }

    @Test("A narrower pairing window pairs fewer members, and those it leaves out are counted as not paired")
    func pairingWindow() throws {
        let store = try Self.store()
        var options = OutcomesOptions()
        options.pairWithinDays = 3
        let narrow = try #require(try OutcomesReport.analyse(store: store, options: options).combined)
        let e = Self.expected("combined")
        #expect(Double(narrow.members) < e["members"]! && Double(narrow.members + narrow.membersNotPaired) == e["members"]! + e["members_not_paired"]!)
    }

    @Test("Attrition counts only members whose follow-up was due; the rest are not yet due and out of LOCF")
    func attrition() throws {
        let report = try OutcomesReport.analyse(store: try Self.store(), options: OutcomesOptions())
        let phq = try #require(report.instruments.first { $0.instrument == "PHQ-9" })
        let x = Self.expected("PHQ-9")
        #expect(Double(phq.membersWithOneCheckin) == x["one_checkin_due"] && Double(phq.membersNotYetDue) == x["not_yet_due"])
        #expect(phq.membersNotYetDue > 0 && phq.membersWithOneCheckin > 0)
        #expect(phq.membersWithCheckins == phq.membersAnalysed + phq.membersWithOneCheckin + phq.membersNotYetDue + phq.membersWithShortFollowUp)
        #expect(Double(phq.sensitivity.first { $0.analysis == "locf" }!.members) == x["locf_members"])
        #expect(phq.medianFollowUpDays == x["median_follow_up"] && phq.followUpLowerQuartileDays == x["lower_quartile_follow_up"]
            && phq.followUpUpperQuartileDays == x["upper_quartile_follow_up"])
        // With no due rule every single check-in is attrition, as before.
        var options = OutcomesOptions()
        options.minimumDays = 0
        let all = try #require(try OutcomesReport.analyse(store: try Self.store(), options: options).instruments.first { $0.instrument == "PHQ-9" })
        #expect(Double(all.membersWithOneCheckin) == x["one_checkin_due"]! + x["not_yet_due"]! && all.membersNotYetDue == 0)
    }

    @Test("Outcomes at a fixed time use the check-in nearest the day, within the window")
    func atDays() throws {
        var options = OutcomesOptions()
        options.atDays = 30
        options.atWindow = 7
        let report = try OutcomesReport.analyse(store: try Self.store(), options: options)
        for name in ["PHQ-9", "GAD-7"] {
            let i = try #require(report.instruments.first { $0.instrument == name })
            let x = Self.expected(name)
            #expect(Double(i.membersAnalysed) == x["at_30_paired"])
            #expect(abs(try #require(i.change).mean - x["at_30_mean_change"]!) < 1e-12)
        }
        options.maximumDays = 40
        #expect(throws: ResearchError.self) { try OutcomesReport.analyse(store: try Self.store(), options: options) }
    }

    @Test("CORE-10 uses its published reliable change (6 points) and cut-off (11), not the Jacobson–Truax fallback")
    func core10() throws {
        let (store, dir) = try newResearchStore()
        // Falls of 6 and 5 points, a rise of 7, and pairs across the cut-off of 11.
        let pairs: [(Double, Double)] = [(20, 14), (20, 15), (12, 19), (11, 10), (15, 9), (9, 8), (25, 18), (14, 13), (30, 24), (18, 11), (13, 7), (16, 16)]
        var lines: [String] = []
        for (i, (a, b)) in pairs.enumerated() {
            lines += [Lines.member("c\(i)"), Lines.checkin("c\(i)", "CORE-10", a, day: 0), Lines.checkin("c\(i)", "CORE-10", b, day: 28)]
        }
        try ingest(lines, into: store, directory: dir)
        let core = try #require(try OutcomesReport.analyse(store: store).instruments.first)
        #expect(core.definition.serviceThreshold == 6 && core.definition.serviceThresholdSource?.contains("Barkham et al. 2013") == true)
        #expect(core.definition.caseness == 11 && core.definition.jacobsonTruaxThreshold != nil)
        #expect(core.reliableImprovement?.count == pairs.filter { $0.0 - $0.1 >= 6 }.count)                // 7
        #expect(core.reliableDeterioration?.count == pairs.filter { $0.1 - $0.0 >= 6 }.count)              // 1
        let cases = pairs.filter { $0.0 >= 11 }
        #expect(core.atCaseness == cases.count && core.recovery?.count == cases.filter { $0.1 < 11 }.count)
        #expect(try OutcomesReport.analyse(store: store).combined == nil)
    }
}
