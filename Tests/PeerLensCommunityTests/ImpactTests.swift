import Foundation
import GRDB
import Testing
@testable import PeerLensCommunity
@testable import PeerLensLog
@testable import PeerLensStats
@testable import PeerLensStore

@Suite("SDG impact indicators (peerlens impact)")
struct ImpactTests {
    func figure(_ r: ImpactReport, _ key: String) throws -> ImpactFigure { try #require(r.headline.first { $0.key == key }, "\(key)") }

    @Test("Reach, conversations, matches and reliable improvement equal a second computation in SQL")
    func crossCheck() throws {
        let store = simulatedCommunity.store
        let r = try ImpactReport.analyse(store: store)
        let sql = try store.queue.read { db -> (reached: Int, threads: Int, matches: Int, improved: Int, measured: Int, excluded: Int) in
            let consenting = "SELECT member FROM member WHERE research_consent = 1"
            let reached = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT member FROM message UNION SELECT member FROM activity UNION SELECT member FROM checkin
                  UNION SELECT member FROM skill UNION SELECT member FROM training UNION SELECT member FROM group_attendee
                  UNION SELECT seeker FROM "match" UNION SELECT peer FROM "match" WHERE accepted = 1) WHERE member IN (\(consenting))
                """)!
            let change = """
                WITH c AS (SELECT member, score, row_number() OVER (PARTITION BY member ORDER BY ts) AS a,
                                  row_number() OVER (PARTITION BY member ORDER BY ts DESC) AS z, count(*) OVER (PARTITION BY member) AS n
                           FROM checkin WHERE instrument = 'PHQ-9' AND member IN (\(consenting)))
                SELECT f.score - l.score AS fall FROM c f JOIN c l ON l.member = f.member AND l.z = 1 WHERE f.a = 1 AND f.n >= 2
                """
            let falls = try Double.fetchAll(db, sql: change)
            return (reached, try Int.fetchOne(db, sql: "SELECT count(DISTINCT thread) FROM message")!,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM \"match\" WHERE accepted = 1")!,
                    falls.filter { $0 >= 6 }.count, falls.count,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE research_consent = 0")!)
        }
        #expect(try figure(r, "people_reached").count == sql.reached)
        #expect(try figure(r, "conversations").count == sql.threads)
        #expect(try figure(r, "matches").count == sql.matches)
        let improvement = try figure(r, "reliable_improvement_phq9")
        #expect(improvement.count == sql.measured && abs(improvement.value! - Double(sql.improved) / Double(sql.measured)) < 1e-12)
        #expect(improvement.statement.hasPrefix("between ") && improvement.sdg == ["3.4"])
        #expect(r.membersExcluded == sql.excluded && sql.excluded > 0)
        let withEveryone = try ImpactReport.analyse(store: store, options: { var o = ImpactOptions(); o.includeNonConsenting = true; return o }())
        #expect(try figure(withEveryone, "people_reached").count! > sql.reached && withEveryone.membersExcluded == 0)
        // Every figure names its SDG targets; crisis response maps to 3.4.2.
        #expect(r.headline.allSatisfy { !$0.sdg.isEmpty })
        #expect(try figure(r, "crises_responded_within_15_minutes").sdg == ["3.4.2"])
    }

    @Test("Suppression: no published count below the threshold, and no withheld cell recoverable from the totals", arguments: [5, 10, 40])
    func suppression(k: Int) throws {
        var options = ImpactOptions()
        options.disclosureThreshold = k
        let published = try ImpactReport.analyse(store: simulatedCommunity.store, options: options)
        options.disclosureThreshold = 1
        let truth = try ImpactReport.analyse(store: simulatedCommunity.store, options: options)
        for f in published.headline where !f.suppressed { if let n = f.count { #expect(n >= k || n == 0, "\(f.key)") } }
        for (b, t) in zip(published.equity, truth.equity) {
            #expect(b.measure == t.measure && b.by == t.by)
            let trueCount = Dictionary(uniqueKeysWithValues: t.groups.map { ($0.group, $0.count!) })
            let trueHits = Dictionary(uniqueKeysWithValues: t.groups.map { ($0.group, Int(($0.rate! * Double($0.count!)).rounded())) })
            for g in b.groups { if let n = g.count { #expect(n >= k, "\(b.measure) by \(b.by): \(g.group)") } }
            // Counts: a single hidden non-empty group could be recovered from the total.
            #expect(b.groups.filter { $0.count == nil && trueCount[$0.group]! > 0 }.count != 1, "\(b.measure) by \(b.by)")
            guard b.measure != "reach" else { continue }
            // Outcome rates: withheld groups (hidden ones included) must not leave exactly one unknown numerator
            // (people improved) or complement (people not improved).
            let withheld = b.groups.filter { $0.rate == nil }.map(\.group)
            #expect(withheld.filter { trueHits[$0]! > 0 }.count != 1, "\(b.measure) by \(b.by): numerators")
            #expect(withheld.filter { trueCount[$0]! - trueHits[$0]! > 0 }.count != 1, "\(b.measure) by \(b.by): complements")
            for g in b.groups where g.rate != nil {
                let x = trueHits[g.group]!, n = trueCount[g.group]!
                #expect((x >= k || x == 0) && (n - x >= k || x == n), "\(b.measure) by \(b.by): \(g.group)")
            }
        }
    }

    @Test("Cost per outcome; degenerate stores say what is not measured")
    func costAndDegenerate() throws {
        var options = ImpactOptions()
        options.cost = 100_000
        let r = try ImpactReport.analyse(store: simulatedCommunity.store, options: options)
        let perPerson = try figure(r, "cost_per_person_reached")
        #expect(abs(perPerson.value! - 100_000 / Double(try figure(r, "people_reached").count!)) < 1e-9)
        // The hand-built community: no check-ins, no alerts, 8 members (one without consent).
        let small = try ImpactReport.analyse(store: try communityStore(HandBuilt.events))
        #expect(try figure(small, "people_reached").suppressed) // 7 people < 10
        let improvement = try figure(small, "reliable_improvement_phq9")
        #expect(improvement.value == nil && !improvement.suppressed && improvement.statement.contains("not measured"))
        #expect(try figure(small, "crises_responded_within_15_minutes").value == nil)
        #expect(throws: HealthError.self) { _ = try ImpactReport.analyse(store: try communityStore([])) }
        #expect(throws: HealthError.self) { _ = try ImpactReport.analyse(store: simulatedCommunity.store, options: { var o = ImpactOptions(); o.cost = -1; return o }()) }
    }
}
