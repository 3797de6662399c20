import Foundation
import GRDB
import Testing
@testable import PeerLensCommunity
@testable import PeerLensLog
@testable import PeerLensStore

/// A store ingested from `events` (written as JSON Lines).
func communityStore(_ events: [Event], name: String = "community") throws -> EventStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("log.jsonl").path
    try (events.map { EventJSON.line(for: $0) }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
    try Ingestor(toolVersion: "test").ingest(path: path, into: store)
    return store
}

/// A small community whose every measure is worked out by hand (see the comments in `handBuilt`).
enum HandBuilt {
    static let start = Timestamp(rfc3339: "2026-02-02T09:00:00Z")!.microseconds // a Monday
    static let minute: Int64 = 60_000_000, day: Int64 = 86_400_000_000
    static func at(_ offset: Int64) -> Timestamp { Timestamp(microseconds: start + offset) }

    static var events: [Event] {
        var e: [Event] = []
        for m in ["s1", "s2", "s3", "s4", "s5"] { e.append(.member(MemberEvent(ts: at(-day), member: m, role: .seeker))) }
        for m in ["p1", "p2"] { e.append(.member(MemberEvent(ts: at(-day), member: m, role: .peer))) }
        e.append(.member(MemberEvent(ts: at(-day), member: "x1", role: .peer, researchConsent: false)))
        func msg(_ id: String, _ t: Int64, _ member: String, _ thread: String, _ replyTo: String?) {
            e.append(.message(MessageEvent(ts: at(t), id: id, member: member, space: "general", thread: thread, replyTo: replyTo, chars: 10)))
        }
        // T1: answered by p1 after 30 min; s1 answers p1 10 min later.
        msg("m1", 0, "s1", "T1", nil); msg("m2", 30 * minute, "p1", "T1", "m1"); msg("m3", 40 * minute, "s1", "T1", "m2")
        // T2: answered by p2 after 2 h.
        msg("m4", day, "s2", "T2", nil); msg("m5", day + 120 * minute, "p2", "T2", "m4")
        // T3: only its author replies; the opener is hidden after 2 h, appealed and overturned.
        msg("m6", 2 * day, "s3", "T3", nil); msg("m7", 2 * day + 5 * minute, "s3", "T3", "m6")
        e.append(.moderation(ModerationEvent(ts: at(2 * day + 120 * minute), id: "mod1", message: "m6", member: nil, action: .hide, layer: .automatic, reason: .toxicity)))
        e.append(.appeal(AppealEvent(ts: at(3 * day), moderation: "mod1", outcome: .overturned)))
        // The self-reply m7 is hidden for harassment 30 min after it was posted (harm), then warned about (the
        // same harm again); m10 is hidden as spam (not harm).
        e.append(.moderation(ModerationEvent(ts: at(2 * day + 35 * minute), id: "mod2", message: "m7", member: nil, action: .hide, layer: .peer, reason: .harassment)))
        e.append(.moderation(ModerationEvent(ts: at(2 * day + 60 * minute), id: "mod3", message: "m7", member: nil, action: .warn, layer: .peer, reason: .harassment)))
        e.append(.moderation(ModerationEvent(ts: at(4 * day + 10 * minute), id: "mod4", message: "m10", member: nil, action: .hide, layer: .automatic, reason: .spam)))
        // T4: answered after 10 min by x1, who has no research consent (an answer all the same).
        msg("m8", 3 * day, "s4", "T4", nil); msg("m9", 3 * day + 10 * minute, "x1", "T4", "m8")
        // T5: answered by p1 after 3 days, in the next week.
        msg("m10", 4 * day, "s5", "T5", nil); msg("m11", 7 * day, "p1", "T5", "m10")
        // Retention: s1 and p1 come back 21–28 days after their first message; s2 after 30 days (too late).
        e.append(.activity(ActivityEvent(ts: at(25 * day), member: "s1", durationSeconds: 60)))
        e.append(.activity(ActivityEvent(ts: at(22 * day), member: "p1", durationSeconds: 60)))
        e.append(.activity(ActivityEvent(ts: at(31 * day), member: "s2", durationSeconds: 60)))
        // The data end 40 days in.
        e.append(.activity(ActivityEvent(ts: at(40 * day), member: "p2", durationSeconds: 60)))
        return e
    }
}

@Suite("Community health (peerlens health)")
struct HealthTests {
    static func options(_ configure: (inout HealthOptions) -> Void = { _ in }) -> HealthOptions {
        var o = HealthOptions()
        o.over = .all
        o.bySpace = false
        // Two: the second week, where p1 alone answers T5, has too few members to be scored.
        o.compositeMinimum = 2
        o.replicates = 100
        configure(&o)
        return o
    }

    func measure(_ cell: HealthCell, _ m: HealthMeasure) -> HealthMeasureValue? {
        cell.components.flatMap(\.measures).first { $0.measure == m }
    }

    @Test("A hand-built community: every measure, component and the index of its one scored week (the whole period) equal their hand computation")
    func handBuilt() throws {
        let r = try CommunityHealthReport.analyse(store: try communityStore(HandBuilt.events), options: Self.options())
        #expect(r.membersWithoutConsent == 1 && r.cells.count == 1)
        let cell = r.cells[0]
        // The whole period is the mean of the scored weeks: only the first (the second has p1 alone, the rest
        // no messages). Its active members who are units: s1–s5, p1, p2 (x1 has no consent); threads T1–T5;
        // 9 of their messages (m1–m10 but x1's m9).
        #expect(cell.activeMembers == 7 && cell.threads == 5 && cell.messages == 9)
        #expect(cell.note?.hasPrefix("mean of the week of 2026-02-02 (1 partial or small week left out)") == true)
        let expected: [HealthMeasure: Double] = [
            .answeredWithinHour: 2.0 / 5,                 // T1 (30 min), T4 (10 min, by x1)
            .medianMinutesToFirstReply: (30 + 120) / 2,   // delays 10, 30, 120, 4320
            .unansweredAfterWeek: 1.0 / 5,                // T3: self-replies only
            .reciprocalMembers: 2.0 / 7,                  // s1 and p1 both gave and received
            .giniOfRepliesReceived: 24.0 / 56,            // received 1,1,1,1,0,0,0 (s5's reply is next week): Σ|xi − xj| = 24, 2n²μ = 56
            .newcomersReplied: 5.0 / 7,                   // all but s3 (self-reply) and p2 (nobody answered m5)
            .harmfulPerThousand: 1000.0 / 9,              // m7 of 9 messages (m6's action was overturned, m10's is spam; m7 once)
            .medianMinutesToHarmAction: 30,
            .appealOverturnRate: 1,
            .fourWeekRetention: 2.0 / 7,                  // s1 (day 25), p1 (day 22 after day 0)
            .supportersPerSeeker: 3.0 / 5,                // s1, p1, p2 replied; s1–s5 opened threads
            .repliesPerSupporter: 3.0 / 3,
            .topDecileReplyShare: 0.3 * 1 / 3,            // the top 0.3 supporter gave 1 reply of 3
        ]
        for (m, value) in expected {
            let v = try #require(measure(cell, m)?.value, "\(m)")
            #expect(abs(v - value) < 1e-12, "\(m): \(v) vs \(value)")
        }
        let timeScore = { (t: Double) in 100 * (1 - log(t / 5) / log(288)) }
        // Safety: 111 harmful per 1,000 scores 0; the time to action rests on one message (fewer than the
        // composite minimum of 2), so it is out of the index; the appeal overturn rate is not scored.
        let components: [HealthComponent: Double] = [
            .responsiveness: (40 + timeScore(75) + 80) / 3, .reciprocity: 200.0 / 7, .inclusion: (100 * (1 - 24.0 / 56) + 500.0 / 7) / 2,
            .safety: 0, .retention: 200.0 / 7, .capacity: (30 + 100) / 2,
        ]
        #expect(measure(cell, .medianMinutesToHarmAction)?.inComposite == false && measure(cell, .appealOverturnRate)?.score == nil)
        for c in cell.components {
            let s = try #require(c.score, "\(c.component)")
            #expect(abs(s - components[c.component]!) < 1e-9, "\(c.component): \(s)")
        }
        #expect(abs(cell.index! - components.values.reduce(0, +) / 6) < 1e-9)
        #expect(cell.missingComponents.isEmpty && cell.indexComponents == HealthComponent.allCases)
    }

    @Test("Weights change the index, not the components; a zero weight drops a component")
    func weights() throws {
        let store = try communityStore(HandBuilt.events)
        let equal = try CommunityHealthReport.analyse(store: store, options: Self.options()).cells[0]
        let w = try HealthWeights(parsing: "safety=0,reciprocity=3")
        let weighted = try CommunityHealthReport.analyse(store: store, options: Self.options { $0.weights = w }).cells[0]
        #expect(weighted.components == equal.components)
        let s = Dictionary(uniqueKeysWithValues: equal.components.map { ($0.component, $0.score!) })
        let expected = (s[.responsiveness]! + 3 * s[.reciprocity]! + s[.inclusion]! + s[.retention]! + s[.capacity]!) / 7
        #expect(abs(weighted.index! - expected) < 1e-9)
        #expect(throws: HealthError.self) { _ = try HealthWeights(parsing: "kindness=2") }
        #expect(throws: HealthError.self) { _ = try HealthWeights(parsing: HealthComponent.allCases.map { "\($0.rawValue)=0" }.joined(separator: ",")) }
    }

    @Test("No suppression in the analysis: real counts and values; measures under the composite minimum stay out of the index")
    func noSuppression() throws {
        let store = try communityStore(HandBuilt.events)
        // Seven active members: the analysis returns every count and value whatever the policy's threshold.
        let cell = try CommunityHealthReport.analyse(store: store, options: Self.options { $0.compositeMinimum = 6 }).cells[0]
        #expect(cell.activeMembers == 7 && cell.threads == 5 && cell.index != nil)
        let overturn = try #require(measure(cell, .appealOverturnRate))
        #expect(overturn.value != nil && overturn.cases > 0 && overturn.cases < 6 && !overturn.inComposite)
        let answered = try #require(measure(cell, .answeredWithinHour)) // 5 threads
        #expect(answered.value != nil && answered.cases == 5 && !answered.inComposite)
        #expect(measure(cell, .reciprocalMembers)?.inComposite == true) // 7 members
        // With a minimum of 2 the thread measures are in, and the index moves; their values do not.
        let two = try CommunityHealthReport.analyse(store: store, options: Self.options()).cells[0]
        #expect(measure(two, .answeredWithinHour)?.inComposite == true && two.index != cell.index)
        #expect(measure(two, .answeredWithinHour)?.value == answered.value)
    }

    @Test("Degenerate: a week without posts, threads with only self-replies, a component without data, a space of one member")
    func degenerate() throws {
        var events = HandBuilt.events.filter {
            if case .moderation = $0 { return false }
            if case .appeal = $0 { return false }
            return true
        }
        // A lone member in a space of their own, three weeks later, replying only to themselves.
        events.append(.member(MemberEvent(ts: HandBuilt.at(0), member: "lone", role: .seeker)))
        events.append(.message(MessageEvent(ts: HandBuilt.at(21 * HandBuilt.day), id: "l1", member: "lone", space: "quiet", thread: "L", replyTo: nil, chars: 5)))
        events.append(.message(MessageEvent(ts: HandBuilt.at(21 * HandBuilt.day + HandBuilt.minute), id: "l2", member: "lone", space: "quiet", thread: "L", replyTo: "l1", chars: 5)))
        let store = try communityStore(events)
        let r = try CommunityHealthReport.analyse(store: store, options: Self.options { $0.over = .week; $0.bySpace = true; $0.compositeMinimum = 1 })
        let all = r.cells.filter { $0.space == "all" }
        // Weeks 2026-02-02 … the data end: the ones between the two bursts have no posts.
        #expect(all.first?.period == "2026-02-02")
        let empty = all.filter { $0.note == "no activity" }
        #expect(!empty.isEmpty && empty.allSatisfy { $0.index == nil && $0.activeMembers == 0 })
        let quiet = try #require(r.cells.first { $0.space == "quiet" && $0.activeMembers > 0 })
        #expect(quiet.activeMembers == 1)
        #expect(measure(quiet, .unansweredAfterWeek)?.value == 1 && measure(quiet, .answeredWithinHour)?.value == 0)
        #expect(measure(quiet, .reciprocalMembers)?.value == 0)
        // Nobody received a reply: the Gini is undefined, not 0.
        #expect(measure(quiet, .giniOfRepliesReceived)?.value == nil)
        // No moderation at all: the appeal and moderation-time measures are unavailable, never 0 or 100. The
        // lone member joined 19 days before the end: retention has no data and is left out of the index; with
        // nobody replying, capacity is 0 supporters per help seeker (data, so scored 0) and the top-decile share
        // is unavailable.
        let first = try #require(all.first)
        #expect(measure(first, .appealOverturnRate)?.status == "unavailable: no appeals")
        #expect(measure(first, .medianMinutesToHarmAction)?.value == nil)
        let retention = try #require(quiet.components.first { $0.component == .retention })
        #expect(retention.score == nil && quiet.missingComponents == [.retention] && quiet.index != nil)
        #expect(measure(quiet, .supportersPerSeeker)?.value == 0 && measure(quiet, .topDecileReplyShare)?.value == nil)
        #expect(throws: HealthError.self) { _ = try CommunityHealthReport.analyse(store: try communityStore([.member(MemberEvent(ts: HandBuilt.at(0), member: "a", role: .peer))])) }
    }

    @Test("Same seed, same report; intervals contain their estimates")
    func determinism() throws {
        let store = try communityStore(HandBuilt.events)
        let a = try CommunityHealthReport.analyse(store: store, options: Self.options())
        #expect(a == (try CommunityHealthReport.analyse(store: store, options: Self.options())))
        for c in a.cells[0].components.flatMap(\.measures) where c.value != nil {
            if let l = c.lower, let u = c.upper { #expect(l <= c.value! + 1e-12 && c.value! <= u + 1e-12, "\(c.measure)") }
        }
    }
}
