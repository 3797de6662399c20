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
        #expect(improvement.hits == sql.improved && !improvement.statement.contains(String(sql.measured)) && improvement.sdg == ["3.4"])
        #expect(r.membersExcluded == sql.excluded && sql.excluded > 0)
        let withEveryone = try ImpactReport.analyse(store: store, options: { var o = ImpactOptions(); o.includeNonConsenting = true; return o }())
        #expect(try figure(withEveryone, "people_reached").count > sql.reached && withEveryone.membersExcluded == 0)
        // Every figure names its SDG targets; crisis response maps to 3.4.2.
        #expect(r.headline.allSatisfy { !$0.sdg.isEmpty })
        #expect(try figure(r, "crises_responded_within_15_minutes").sdg == ["3.4.2"])
    }

    @Test("No suppression in the analysis: every group with its real counts, adding up to the totals")
    func realCounts() throws {
        let r = try ImpactReport.analyse(store: simulatedCommunity.store)
        let reached = try figure(r, "people_reached").count
        let improvement = try figure(r, "reliable_improvement_phq9")
        for b in r.equity {
            #expect(b.groups.reduce(0) { $0 + $1.count } == b.total, "\(b.measure) by \(b.by)")
            #expect(b.groups.allSatisfy { $0.count > 0 && $0.rate != nil })
            if b.measure == "reach" {
                #expect(b.total == reached && b.totalHits == nil)
            } else {
                #expect(b.total == improvement.count && b.totalHits == improvement.hits)
                #expect(b.groups.reduce(0) { $0 + ($1.hits ?? 0) } == improvement.hits)
                for g in b.groups { #expect(abs(g.rate! - Double(g.hits!) / Double(g.count)) < 1e-12) }
            }
        }
        // Small groups are there too (the policy, not the analysis, withholds them).
        #expect(r.equity.contains { b in b.groups.contains { $0.count < 10 } })
    }

    @Test("Cost per outcome; degenerate stores say what is not measured")
    func costAndDegenerate() throws {
        var options = ImpactOptions()
        options.cost = 100_000
        let r = try ImpactReport.analyse(store: simulatedCommunity.store, options: options)
        let perPerson = try figure(r, "cost_per_person_reached")
        #expect(abs(perPerson.value! - 100_000 / Double(try figure(r, "people_reached").count)) < 1e-9)
        // The hand-built community: no check-ins, no alerts, 8 members (one without consent).
        let small = try ImpactReport.analyse(store: try communityStore(HandBuilt.events))
        #expect(try figure(small, "people_reached").count == 7) // the real count: the policy withholds it
        let improvement = try figure(small, "reliable_improvement_phq9")
        #expect(improvement.value == nil && improvement.count == 0 && improvement.hits == 0)
        #expect(try figure(small, "crises_responded_within_15_minutes").value == nil)
        #expect(throws: HealthError.self) { _ = try ImpactReport.analyse(store: try communityStore([])) }
        #expect(throws: HealthError.self) { _ = try ImpactReport.analyse(store: simulatedCommunity.store, options: { var o = ImpactOptions(); o.cost = -1; return o }()) }
    }
}
