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

    @Test("Age bands read in age order; other attributes by size, ties by name")
    func groupOrder() {
        let bands = ["55-64": 117, "13-17": 67, "18-24": 491, "65+": 66, "(not recorded)": 5, "25-34": 468]
        #expect(ImpactReport.ordered(bands, by: "age_band").map(\.key) == ["13-17", "18-24", "25-34", "55-64", "65+", "(not recorded)"])
        let genders = ["man": 612, "woman": 870, "non-binary": 94, "not_stated": 94]
        #expect(ImpactReport.ordered(genders, by: "gender").map(\.key) == ["woman", "man", "non-binary", "not_stated"])
    }

    @Test("Reach (consenting seekers with activity), conversations, matches and reliable improvement equal a second computation in SQL")
    func crossCheck() throws {
        let store = simulatedCommunity.store
        let r = try ImpactReport.analyse(store: store)
        let sql = try store.queue.read { db -> (reached: Int, supporters: [String: Int], threads: Int, matches: Int, trained: Int, improved: Int, measured: Int, excluded: Int) in
            let consenting = "SELECT member FROM member WHERE research_consent = 1"
            let active = """
                SELECT member FROM message UNION SELECT member FROM activity UNION SELECT member FROM checkin
                  UNION SELECT member FROM skill UNION SELECT member FROM training UNION SELECT member FROM group_attendee
                  UNION SELECT seeker FROM "match" UNION SELECT peer FROM "match" WHERE accepted = 1
                """
            let reached = try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(active)) WHERE member IN (\(consenting) AND role = 'seeker')")!
            var supporters: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT m.role, count(*) FROM (\(active)) a JOIN member m USING (member) WHERE m.research_consent = 1 AND m.role <> 'seeker' GROUP BY m.role") {
                supporters[row[0]] = row[1]
            }
            // A thread's starter wrote its earliest message (ties: the smallest id).
            let threads = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (SELECT member, row_number() OVER (PARTITION BY thread ORDER BY ts, id) AS k FROM message) WHERE k = 1 AND member IN (\(consenting))
                """)!
            let matches = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"match\" WHERE accepted = 1 AND seeker IN (\(consenting)) AND peer IN (\(consenting))")!
            let trained = try Int.fetchOne(db, sql: """
                SELECT count(DISTINCT t.member) FROM training t JOIN member m USING (member) WHERE t.completed = 1 AND m.research_consent = 1 AND m.role IN ('peer', 'listener')
                """)!
            let change = """
                WITH c AS (SELECT member, score, row_number() OVER (PARTITION BY member ORDER BY ts) AS a,
                                  row_number() OVER (PARTITION BY member ORDER BY ts DESC) AS z, count(*) OVER (PARTITION BY member) AS n
                           FROM checkin WHERE instrument = 'PHQ-9' AND member IN (\(consenting)))
                SELECT f.score - l.score AS fall FROM c f JOIN c l ON l.member = f.member AND l.z = 1 WHERE f.a = 1 AND f.n >= 2
                """
            let falls = try Double.fetchAll(db, sql: change)
            return (reached, supporters, threads, matches, trained, falls.filter { $0 >= 6 }.count, falls.count,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE research_consent = 0")!)
        }
        #expect(try figure(r, "people_reached").count == sql.reached && sql.reached > 0)
        for role in ["peer", "listener", "professional", "moderator"] {
            #expect(try figure(r, "supporters_active_\(role)").count == sql.supporters[role, default: 0], "\(role)")
        }
        #expect(try figure(r, "conversations").count == sql.threads)
        #expect(try figure(r, "matches").count == sql.matches)
        #expect(try figure(r, "supporters_trained").count == sql.trained)
        let improvement = try figure(r, "reliable_improvement_phq9")
        #expect(improvement.count == sql.measured && abs(improvement.value! - Double(sql.improved) / Double(sql.measured)) < 1e-12)
        #expect(improvement.hits == sql.improved && !improvement.statement.contains(String(sql.measured)) && improvement.sdg == ["3.4"])
        #expect(r.membersExcluded == sql.excluded && sql.excluded > 0)
        let withEveryone = try ImpactReport.analyse(store: store, options: { var o = ImpactOptions(); o.includeNonConsenting = true; return o }())
        #expect(try figure(withEveryone, "people_reached").count > sql.reached && withEveryone.membersExcluded == 0)
        // Every figure names its SDG targets; none claims indicator 3.4.2 (suicide mortality).
        #expect(r.headline.allSatisfy { !$0.sdg.isEmpty && !$0.sdg.contains("3.4.2") })
        #expect(r.equity.allSatisfy { !$0.sdg.contains("3.4.2") })
        #expect(try figure(r, "crisis_alerts_answered_within_15_minutes").sdg == ["3.4"])
    }

    /// A log built for consent: non-consenting members (two seekers and a peer) have alerts (answered in time and
    /// confirmed on review), messages starting threads, check-ins with a reliable improvement, accepted matches
    /// and a completed course; consenting supporters of every role are active, and professionals and moderators
    /// completed courses. Every count is worked out by hand in the comments.
    enum ConsentLog {
        static let start = Timestamp(rfc3339: "2026-02-02T09:00:00Z")!.microseconds
        static let minute: Int64 = 60_000_000, day: Int64 = 86_400_000_000
        static func at(_ offset: Int64) -> Timestamp { Timestamp(microseconds: start + offset) }

        static var events: [Event] {
            var e: [Event] = []
            func member(_ id: String, _ role: Role, consent: Bool = true) {
                e.append(.member(MemberEvent(ts: at(-day), member: id, role: role, gender: "woman", researchConsent: consent)))
            }
            // Consenting seekers s1–s3 have events; s4 has none (not reached). n1, n2 are seekers without consent.
            for s in ["s1", "s2", "s3", "s4"] { member(s, .seeker) }
            member("n1", .seeker, consent: false); member("n2", .seeker, consent: false)
            member("p1", .peer); member("l1", .listener); member("pro1", .professional); member("mod1", .moderator)
            member("np1", .peer, consent: false)
            func msg(_ id: String, _ t: Int64, _ who: String, _ thread: String, _ replyTo: String?) {
                e.append(.message(MessageEvent(ts: at(t), id: id, member: who, space: "general", thread: thread, replyTo: replyTo, chars: 10)))
            }
            // Threads: T1 by s1, T3 by s2 (consenting starters: 2); T2 by n1, T4 by n2 (not counted). A reply by
            // a non-consenting peer (np1 in T3) does not make T3 theirs.
            msg("m1", 0, "s1", "T1", nil); msg("m2", 5 * minute, "p1", "T1", "m1")
            msg("m3", day, "n1", "T2", nil); msg("m4", day + 5 * minute, "p1", "T2", "m3")
            msg("m5", 2 * day, "s2", "T3", nil); msg("m6", 2 * day + 5 * minute, "np1", "T3", "m5")
            msg("m7", 3 * day, "n2", "T4", nil)
            // PHQ-9: s1 falls 10 points (improved), s2 falls 1 (not); n1 falls 17 (not counted); n2 has one.
            // GAD-7: s3 falls 10 (improved: s3 is reached through check-ins alone); n1 falls 12 (not counted).
            for (who, instrument, first, last) in [("s1", "PHQ-9", 20.0, 10.0), ("s2", "PHQ-9", 12.0, 11.0), ("n1", "PHQ-9", 22.0, 5.0),
                                                   ("s3", "GAD-7", 15.0, 5.0), ("n1", "GAD-7", 15.0, 3.0)] {
                e.append(.checkin(CheckinEvent(ts: at(0), member: who, instrument: instrument, score: first)))
                e.append(.checkin(CheckinEvent(ts: at(20 * day), member: who, instrument: instrument, score: last)))
            }
            e.append(.checkin(CheckinEvent(ts: at(0), member: "n2", instrument: "PHQ-9", score: 18)))
            // Crisis alerts: s1 answered in 5 min and confirmed (high); s2 answered after 30 min, reviewed as
            // none; n1 answered in 2 min and confirmed (imminent); n2 never answered. Counted: s1, s2 → 1 of 2
            // answered in time, 1 of 2 reviewed confirmed.
            for (id, message, who, answeredAfter, severity) in [("a1", "m1", "s1", Int64(5), Severity.high), ("a2", "m5", "s2", 30, .none),
                                                                ("a3", "m3", "n1", 2, .imminent), ("a4", "m7", "n2", -1, .high)] {
                let t = (Int64(["a1": 0, "a2": 2, "a3": 1, "a4": 3][id]!) * day) + minute
                e.append(.alert(AlertEvent(ts: at(t), id: id, message: message, member: who, model: "crisis", version: "v1", score: 0.9, threshold: 0.5)))
                if answeredAfter >= 0 {
                    e.append(.response(ResponseEvent(ts: at(t + answeredAfter * minute), alert: id, responder: "r1", responderRole: .professional, outcome: .supported)))
                }
                if id != "a4" { e.append(.review(ReviewEvent(ts: at(t + day), message: message, kind: .crisis, severity: severity, positive: nil, reviewerRole: "clinician"))) }
            }
            // Accepted matches: s1–p1 counts; n1–p1 and s2–np1 do not (one side without consent). s3–l1 was
            // not accepted.
            let parts = MatchComponents(values: Array(repeating: 0.5, count: MatchComponents.fieldNames.count))
            for (id, seeker, peer, accepted) in [("x1", "s1", "p1", true), ("x2", "n1", "p1", true), ("x3", "s2", "np1", true), ("x4", "s3", "l1", false)] {
                e.append(.match(MatchEvent(ts: at(4 * day), id: id, seeker: seeker, peer: peer, kind: .primary, score: 0.5, components: parts, accepted: accepted)))
            }
            // Completed courses: p1 and l1 count; pro1 and mod1 are not peer supporters or listeners; np1 has no consent.
            for who in ["p1", "l1", "pro1", "mod1", "np1"] { e.append(.training(TrainingEvent(ts: at(5 * day), member: who, course: "basics", completed: true))) }
            // The data end, 30 days in.
            e.append(.activity(ActivityEvent(ts: at(30 * day), member: "pro1", durationSeconds: 60)))
            return e
        }
    }

    @Test("Consent applies to every figure: non-consenting members' alerts, messages, check-ins, matches and training count nowhere")
    func consentExclusion() throws {
        let store = try communityStore(ConsentLog.events, name: "impact-consent")
        var options = ImpactOptions()
        options.cost = 60_000
        let r = try ImpactReport.analyse(store: store, options: options)
        // Reached: s1 (messages), s2 (messages), s3 (check-ins, and a match as seeker); not s4 (no events), n1, n2.
        #expect(try figure(r, "people_reached").count == 3)
        #expect(try figure(r, "supporters_active_peer").count == 1)          // p1; np1 has no consent
        #expect(try figure(r, "supporters_active_listener").count == 1)      // l1 (training)
        #expect(try figure(r, "supporters_active_professional").count == 1)  // pro1
        #expect(try figure(r, "supporters_active_moderator").count == 1)     // mod1
        #expect(try figure(r, "conversations").count == 2)                   // T1, T3
        #expect(try figure(r, "matches").count == 1)                         // s1–p1
        #expect(try figure(r, "supporters_trained").count == 2)              // p1, l1
        let answered = try figure(r, "crisis_alerts_answered_within_15_minutes")
        #expect(answered.count == 2 && answered.hits == 1)                   // s1 in time, s2 late; n1, n2 left out
        let confirmed = try figure(r, "crisis_alerts_confirmed")
        #expect(confirmed.count == 2 && confirmed.hits == 1)                 // s1 confirmed, s2 not
        let phq = try figure(r, "reliable_improvement_phq9"), gad = try figure(r, "reliable_improvement_gad7")
        #expect(phq.count == 2 && phq.hits == 1 && gad.count == 1 && gad.hits == 1)
        let either = try figure(r, "reliable_improvement_either")
        #expect(either.count == 3 && either.hits == 2)                       // s1, s3 of s1, s2, s3
        #expect(try figure(r, "cost_per_seeker_reached").value == 20_000)   // 60,000 / 3 seekers
        #expect(try figure(r, "cost_per_reliable_improvement").value == 30_000) // 60,000 / 2 improved
        #expect(r.membersExcluded == 3)
        #expect(r.equity.filter { $0.measure == "reach" }.allSatisfy { $0.total == 3 })
        #expect(r.equity.filter { $0.measure != "reach" }.allSatisfy { $0.total == 2 && $0.totalHits == 1 })

        // With the data owner's permission everyone counts: the same log gives the larger figures.
        options.includeNonConsenting = true
        let all = try ImpactReport.analyse(store: store, options: options)
        #expect(try figure(all, "people_reached").count == 5)                // + n1, n2
        #expect(try figure(all, "supporters_active_peer").count == 2)
        #expect(try figure(all, "conversations").count == 4)
        #expect(try figure(all, "matches").count == 3)
        #expect(try figure(all, "supporters_trained").count == 3)
        #expect(try figure(all, "crisis_alerts_answered_within_15_minutes").count == 4)
        #expect(try figure(all, "crisis_alerts_answered_within_15_minutes").hits == 2)
        #expect(try figure(all, "crisis_alerts_confirmed").hits == 2)
        #expect(try figure(all, "reliable_improvement_phq9").count == 3 && all.membersExcluded == 0)
    }

    @Test("Cost per improvement: the whole cost over the people improved, its interval from the Wilson interval of the count improved")
    func costInterval() throws {
        // 89 improved of 387 measured: Wilson 95% (statsmodels proportion_confint(89, 387, method="wilson") =
        // 0.190824, 0.274432 → 73.85 to 106.21 people) → USD 2,353.93 to USD 3,385.29.
        let f = ImpactReport.costPerOutcome(250_000, improved: 89, of: 387, level: 0.95)
        let w = try #require(Proportion.wilson(89, of: 387))
        #expect(abs(f.value! - 250_000.0 / 89) < 1e-9 && f.count == 89)
        #expect(abs(f.lower! - 250_000 / (387 * w.interval.upper)) < 1e-9 && abs(f.upper! - 250_000 / (387 * w.interval.lower)) < 1e-9)
        #expect(abs(w.interval.lower - 0.190824) < 1e-6 && abs(w.interval.upper - 0.274432) < 1e-6)
        #expect(abs(f.lower! - 2353.933) < 1e-3 && abs(f.upper! - 3385.287) < 1e-3)
        #expect(f.statement.contains("whole budget") && f.statement.contains("divided by the members who improved reliably"))
        // No one improved: no cost per improvement; a Wilson lower bound of 0 leaves the interval open above.
        let none = ImpactReport.costPerOutcome(250_000, improved: 0, of: 40, level: 0.95)
        #expect(none.value == nil && none.upper == nil && none.lower != nil)
    }

    @Test("Group-rate rule: a group meets it only with at least k people with and k without the outcome; differences against the rest carry Newcombe intervals")
    func groupRule() throws {
        var options = ImpactOptions()
        options.groupRateMinimum = 11
        // The funder report's case: non-binary 0 of 18 (withheld), woman 14 of 114 (published), 23 of 227 in all.
        let b = ImpactReport.breakdown("reliable_improvement_phq9", by: "gender", sdg: ["5"], totals: ["woman": 114, "man": 83, "non-binary": 18, "not_stated": 12],
                                       hits: ["woman": 14, "man": 8, "non-binary": 0, "not_stated": 1], total: 227, options: options)
        let g = Dictionary(uniqueKeysWithValues: b.groups.map { ($0.group, $0) })
        #expect(g["woman"]?.meetsRateRule == true)
        #expect(g["non-binary"]?.meetsRateRule == false && g["man"]?.meetsRateRule == false && g["not_stated"]?.meetsRateRule == false)
        // Non-binary against the rest: 0/18 − 23/209, statsmodels confint_proportions_2indep(0, 18, 23, 209,
        // method="newcomb") (Fixtures of PeerLensStatsTests, core_newcombe.json).
        let nb = try #require(g["non-binary"])
        let d = try #require(ProportionDifference.newcombe(0, of: 18, minus: 23, of: 209))
        #expect(nb.difference == d.estimate && nb.differenceLower == d.interval.lower && nb.differenceUpper == d.interval.upper)
        #expect(abs(d.estimate - (0 - 23.0 / 209)) < 1e-15)
        #expect(abs(d.interval.lower - -0.159714) < 1e-6 && abs(d.interval.upper - 0.069396) < 1e-6)
        // k is the rule's: at k = 8 man (8 of 83) meets it too.
        options.groupRateMinimum = 8
        let lower = ImpactReport.breakdown("reliable_improvement_phq9", by: "gender", sdg: ["5"], totals: ["woman": 114, "man": 83], hits: ["woman": 14, "man": 8],
                                           total: 197, options: options)
        #expect(lower.groups.allSatisfy { $0.meetsRateRule == true })
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
        let perSeeker = try figure(r, "cost_per_seeker_reached")
        #expect(abs(perSeeker.value! - 100_000 / Double(try figure(r, "people_reached").count)) < 1e-9)
        // The hand-built community: no check-ins, no alerts, 8 members (one without consent).
        let small = try ImpactReport.analyse(store: try communityStore(HandBuilt.events))
        #expect(try figure(small, "people_reached").count == 5) // the real count (seekers s1–s5): the policy withholds it
        let improvement = try figure(small, "reliable_improvement_phq9")
        #expect(improvement.value == nil && improvement.count == 0 && improvement.hits == 0)
        #expect(try figure(small, "crisis_alerts_answered_within_15_minutes").value == nil)
        #expect(try figure(small, "crisis_alerts_confirmed").value == nil)
        #expect(throws: HealthError.self) { _ = try ImpactReport.analyse(store: try communityStore([])) }
        #expect(throws: HealthError.self) { _ = try ImpactReport.analyse(store: simulatedCommunity.store, options: { var o = ImpactOptions(); o.cost = -1; return o }()) }
    }
}
