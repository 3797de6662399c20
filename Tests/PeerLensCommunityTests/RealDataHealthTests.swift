import Foundation
import GRDB
import Testing
@testable import PeerLensCommunity
@testable import PeerLensLog
@testable import PeerLensStore

/// `shared/data/stackexchange-history-meta` beside the project root (present on developer machines and in CI).
let stackExchangeDump: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.deletingLastPathComponent().appendingPathComponent("shared/data/stackexchange-history-meta").path
    return FileManager.default.fileExists(atPath: dir + "/posts.csv") ? dir : nil
}()

@Suite("Community health on real data (Stack Exchange)", .enabled(if: stackExchangeDump != nil, "needs shared/data/stackexchange-history-meta beside the project"))
struct RealDataHealthTests {
    @Test("Responsiveness and reciprocity of the busiest week equal an independent SQL computation on the same store")
    func crossCheck() throws {
        let store = try communityStore(try StackExchangeAdapter.events(from: stackExchangeDump!).events, name: "se-health")
        var options = HealthOptions()
        options.over = .week
        options.bySpace = false
        options.replicates = 100
        // The week with the most threads (cells are weeks; the whole period is their mean).
        let cell = try #require(try CommunityHealthReport.analyse(store: store, options: options).cells.max { $0.threads < $1.threads })
        let lo = Timestamp(rfc3339: cell.period + "T00:00:00Z")!.microseconds, hi = lo + 7 * 86_400_000_000
        func value(_ m: HealthMeasure) -> Double? { cell.components.flatMap(\.measures).first { $0.measure == m }?.value }

        // The second way: SQL over the message table (openers by time then id; first message by anyone else).
        let sql = try store.queue.read { db -> (hour: Double, week: Double, delays: [Double], reciprocal: Double, threads: Int, members: Int) in
            let end = try EventStore.dataEnd(db)
            let threads = try Row.fetchAll(db, sql: """
                WITH ordered AS (SELECT thread, member, ts, row_number() OVER (PARTITION BY thread ORDER BY ts, id) AS k FROM message),
                     opener AS (SELECT thread, member, ts FROM ordered WHERE k = 1)
                SELECT o.ts AS opened, (SELECT min(m.ts) FROM ordered m WHERE m.thread = o.thread AND m.k > 1 AND m.member <> o.member) AS replied
                FROM opener o WHERE o.ts >= ? AND o.ts < ?
                """, arguments: [lo, hi])
            let hour: Int64 = 3_600_000_000, week: Int64 = 7 * 86_400_000_000
            var eligibleHour = 0, answeredHour = 0, eligibleWeek = 0, unanswered = 0
            var delays: [Double] = []
            for t in threads {
                let opened: Int64 = t["opened"], replied: Int64? = t["replied"]
                if opened + hour <= end { eligibleHour += 1; if let r = replied, r <= opened + hour { answeredHour += 1 } }
                if opened + week <= end {
                    eligibleWeek += 1
                    if let r = replied, r <= opened + week { delays.append(Double(r - opened) / 60_000_000) } else { unanswered += 1 }
                }
            }
            let members = try Int.fetchOne(db, sql: "SELECT count(DISTINCT member) FROM message WHERE ts >= ? AND ts < ?", arguments: [lo, hi])!
            let reciprocal = try Int.fetchOne(db, sql: """
                WITH r AS (SELECT m.member AS giver, p.member AS receiver FROM message m JOIN message p ON p.id = m.reply_to
                           WHERE p.member <> m.member AND m.ts >= ?1 AND m.ts < ?2)
                SELECT count(*) FROM (SELECT DISTINCT member FROM message WHERE ts >= ?1 AND ts < ?2) a
                WHERE a.member IN (SELECT giver FROM r) AND a.member IN (SELECT receiver FROM r)
                """, arguments: [lo, hi])!
            return (Double(answeredHour) / Double(eligibleHour), Double(unanswered) / Double(eligibleWeek), delays.sorted(),
                    Double(reciprocal) / Double(members), threads.count, members)
        }
        #expect(cell.threads == sql.threads && cell.activeMembers == sql.members)
        #expect(abs(value(.answeredWithinHour)! - sql.hour) < 1e-12)
        #expect(abs(value(.unansweredAfterWeek)! - sql.week) < 1e-12)
        #expect(abs(value(.reciprocalMembers)! - sql.reciprocal) < 1e-12)
        let n = sql.delays.count
        let median = n % 2 == 1 ? sql.delays[n / 2] : (sql.delays[n / 2 - 1] + sql.delays[n / 2]) / 2
        #expect(abs(value(.medianMinutesToFirstReply)! - median) < 1e-9)
        // Plausible for a Q&A meta site: most questions get an answer or comment within a week, few within
        // minutes; no moderation events exist in the dump, so the harm rate is 0 and its timing unavailable.
        #expect(sql.week < 0.5 && sql.hour > 0.05 && median > 5)
        #expect(value(.harmfulPerThousand) == 0 && value(.medianMinutesToHarmAction) == nil)
        print("Stack Exchange history meta, week of \(cell.period): \(sql.threads) threads, \(sql.members) members; answered within 1 h \(sql.hour), unanswered after 7 days \(sql.week), median minutes to first reply \(median), reciprocal members \(sql.reciprocal); index \(cell.index ?? .nan)")
    }
}
