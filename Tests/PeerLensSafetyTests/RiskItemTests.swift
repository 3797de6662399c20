import Foundation
import GRDB
import Testing
@testable import PeerLensSafety
@testable import PeerLensStats
@testable import PeerLensStore

@Suite("Risk-item channel (self-harm item in check-ins)")
struct RiskItemTests {
    /// `Fixtures/risk-item.jsonl` ingested into a new store.
    func handBuiltStore() throws -> EventStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-risk-item-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try EventStore(path: dir.appendingPathComponent("store.sqlite").path)
        let summary = try Ingestor(toolVersion: "test").ingest(path: safetyFixture("risk-item.jsonl"), into: store)
        #expect(summary.rejected == 0)
        return store
    }

    /// The log, by member (index check-in = first with item ≥ 1; data end = the last event, 2026-01-20T00:00Z):
    /// - m1: item 0 on 01-05 (not an endorsement), item 2 on 01-06 10:00 (index). Posts at 12:00, crisis alert at
    ///   12:01 on that message, response 12:10 → alert, contact and a caught message in both windows; contact
    ///   after 2 h 10 min.
    /// - m2: item 1 on 01-07 00:00 (index; the item 3 on 01-08 is a later endorsement). Posts at 06:00 (no alert);
    ///   posts again on 01-09 00:00, alerted 30 s later, response 01:00 → within 24 h: posted, nothing else;
    ///   within 7 days: alert, contact, caught. Contact after 49 h.
    /// - m3: CORE-10 item 4 on 01-10 00:00 (index). Its alert (01-09 20:01) predates the check-in, the response
    ///   (01-10 01:00) follows it → contact in both windows after 1 h, no alert in the window, no message.
    /// - m4: item 3 on 01-12 00:00 (index). Posts at 00:30; only a toxicity alert and its response, which are not
    ///   the crisis model's → posted, nothing else; never contacted: censored at the data end, 192 h.
    /// - m5: item 1 on 01-18 00:00 (index), 2 days before the data end: not followed for 7 days, so left out of
    ///   both windows (its alert at 05:01 does not count); in the time to contact, censored at 48 h.
    /// - m6: item 0 only (and a GAD-7 check-in without the item): not an endorser; its alert and response are
    ///   ignored.
    ///
    /// So endorsing members 5, followed for 7 days 4 (m1–m4), not yet 1 (m5). 24 hours: alerted 1 (m1),
    /// contacted 2 (m1, m3), posted 3 (m1, m2, m4), caught 1 of the 3 who posted (m1). 7 days: alerted 2 (m1, m2),
    /// contacted 3 (m1, m2, m3), posted 3 (m1, m2, m4), caught 2 of 3 (m1, m2).
    /// Kaplan–Meier of hours to contact (all 5): events at 1, 2.1667, 49; censored at 48, 192. S(1) = 4/5,
    /// S(2.1667) = 4/5·3/4 = 0.6, S(49) = 0.6·1/2 = 0.3: contact within 24 h 0.4, within 7 days 0.7, median 49 h.
    /// Greenwood log intervals and Wilson intervals: `Fixtures/risk_item_expected.py` (statsmodels and the
    /// published formula).
    @Test("The hand-built log gives the hand-computed counts, shares, Wilson intervals and Kaplan–Meier figures")
    func handBuiltLog() throws {
        let r = try RiskItemReport.analyse(store: try handBuiltStore())
        #expect(r.endorsingMembers == 5 && r.followedMembers == 4 && r.notYetFollowed == 1)
        #expect(r.dataEnd == "2026-01-20T00:00:00Z")
        #expect(r.instruments.map(\.instrument) == ["CORE-10", "PHQ-9"])
        let core = r.instruments[0], phq = r.instruments[1]
        #expect(core.item == "item 6" && core.maximum == 4 && core.reported == 1 && core.endorsed == 1 && core.members == 1)
        // PHQ-9 check-ins with the item: m1 ×2, m2 ×2, m4, m5, m6 = 7; endorsed: m1 (1), m2 (2), m4, m5 = 5; members 4.
        #expect(phq.item == "item 9" && phq.maximum == 3 && phq.reported == 7 && phq.endorsed == 5 && phq.members == 4)
        // Index scores of the followed members: m2 1, m1 2, m4 3, m3 4 (CORE-10).
        #expect(r.byIndexScore.map(\.score) == [1, 2, 3, 4])
        #expect(r.byIndexScore.map(\.members) == [1, 1, 1, 1])

        let day = try #require(r.windows.first { $0.hours == 24 }), week = try #require(r.windows.first { $0.hours == 168 })
        #expect(day.alerted.count == 1 && day.alerted.total == 4)
        #expect(day.contacted.count == 2 && day.contacted.total == 4)
        #expect(day.posted.count == 3 && day.posted.total == 4)
        #expect(day.sensitivity.count == 1 && day.sensitivity.total == 3)
        #expect(week.alerted.count == 2 && week.alerted.total == 4)
        #expect(week.contacted.count == 3 && week.contacted.total == 4)
        #expect(week.posted.count == 3 && week.posted.total == 4)
        #expect(week.sensitivity.count == 2 && week.sensitivity.total == 3)
        // Wilson 95 % intervals from statsmodels (risk_item_expected.py).
        func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-5 } ?? false }
        #expect(close(day.sensitivity.estimate, 1.0 / 3) && close(day.sensitivity.interval?.lower, 0.061492)
                && close(day.sensitivity.interval?.upper, 0.792340))
        #expect(close(day.alerted.interval?.lower, 0.045587) && close(day.alerted.interval?.upper, 0.699358))
        #expect(close(week.sensitivity.estimate, 2.0 / 3) && close(week.sensitivity.interval?.lower, 0.207660)
                && close(week.sensitivity.interval?.upper, 0.938508))
        #expect(close(week.contacted.interval?.lower, 0.300642) && close(week.contacted.interval?.upper, 0.954413))

        let t = try #require(r.timeToContact)
        #expect(t.members == 5 && t.contacted == 3)
        #expect(close(t.medianHours, 49))
        #expect(close(t.medianLower, 2 + 10.0 / 60), "the lower band reaches ½ at 2.1667 h (S·e^(−zσ) = 0.2933)")
        #expect(t.medianUpper == nil, "the upper band never reaches ½ within follow-up")
        #expect(close(t.within24Hours.estimate, 0.4) && close(t.within24Hours.lower, 0) && close(t.within24Hours.upper, 0.706684))
        #expect(close(t.within7Days.estimate, 0.7) && close(t.within7Days.lower, 0) && close(t.within7Days.upper, 0.936946))
        // The plotted curve: 0.2 from 1 h, 0.4 from 2.1667 h (read at 3 h), 0.7 from 49 h (read at 72 h); at risk
        // after 24 h: m2, m4, m5 (3); after 72 h: m4 only (m5 censored at 48 h, m2 contacted at 49 h).
        let at = { (h: Double) in t.curve.first { $0.hours == h } }
        #expect(close(at(1)?.estimate, 0.2) && close(at(2)?.estimate, 0.2) && close(at(3)?.estimate, 0.4) && close(at(72)?.estimate, 0.7))
        #expect(at(0)?.atRisk == 5 && at(24)?.atRisk == 3 && at(72)?.atRisk == 1)
    }

    @Test("Another model's alerts are another channel: with --model toxicity only m4's toxicity alert and response count")
    func otherModel() throws {
        let r = try RiskItemReport.analyse(store: try handBuiltStore(), model: "toxicity")
        let day = try #require(r.windows.first)
        // m4 (followed) posted at 00:30, toxicity alert at 01:00 on that message, response at 02:00.
        #expect(day.alerted.count == 1 && day.contacted.count == 1 && day.sensitivity.count == 1)
        #expect(r.timeToContact?.contacted == 1)
    }

    @Test("A store without the item: no endorsing members and no curve, not an error")
    func noItem() throws {
        let r = try RiskItemReport.analyse(store: simulatedWithoutItem())
        #expect(r.endorsingMembers == 0 && r.timeToContact == nil)
        #expect(r.instruments.allSatisfy { $0.reported == 0 })
        #expect(r.followedMembers == 0 && r.windows.allSatisfy { $0.alerted.total == 0 && $0.sensitivity.estimate == nil })
    }

    func simulatedWithoutItem() throws -> EventStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-no-item-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("events.jsonl").path
        try """
        {"type":"member","ts":"2026-01-01T00:00:00Z","member":"m1","role":"seeker"}
        {"type":"checkin","ts":"2026-01-02T00:00:00Z","member":"m1","instrument":"PHQ-9","score":12}

        """.write(toFile: log, atomically: true, encoding: .utf8)
        let store = try EventStore(path: dir.appendingPathComponent("store.sqlite").path)
        try Ingestor(toolVersion: "test").ingest(path: log, into: store)
        return store
    }

    @Test("In the simulated community the item is informative: endorsers' messages are crisis-positive more often")
    func simulatedChannelIsInformative() throws {
        let r = try RiskItemReport.analyse(store: simulated.store)
        #expect(r.endorsingMembers > 50, "too few endorsers: \(r.endorsingMembers)")
        let phq = try #require(r.instruments.first { $0.instrument == "PHQ-9" })
        #expect(phq.reported > 0 && phq.endorsed < phq.reported)
        // Alerts per message among members with PHQ-9 check-ins: endorsers against the others (the simulator ties
        // endorsement to the member's crisis propensity, which also drives their messages' true risk and scores).
        let (endorser, other) = try simulated.store.queue.read { db -> (Double, Double) in
            func rate(_ condition: String) throws -> Double {
                let row = try Row.fetchOne(db, sql: """
                    SELECT (SELECT count(*) FROM alert WHERE model = 'crisis' AND member IN (\(condition))) * 1.0,
                           (SELECT count(*) FROM message WHERE member IN (\(condition))) * 1.0
                    """)!
                return (row[0] as Double) / max(1, row[1] as Double)
            }
            return (try rate("SELECT member FROM checkin WHERE risk_item >= 1"),
                    try rate("SELECT member FROM checkin WHERE instrument = 'PHQ-9' EXCEPT SELECT member FROM checkin WHERE risk_item >= 1"))
        }
        #expect(endorser > 1.5 * other, "alerts per message: endorsers \(endorser), others \(other)")
    }
}
