import Foundation
import Testing
@testable import PeerLensCommunity
@testable import PeerLensLog
@testable import PeerLensStore

/// `Tests/CommunityFixtures`: logs and the independent references computed from them (scripts beside them).
let communityFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("CommunityFixtures")

@Suite("Community health: one make-up for every week, the whole period as their mean, safety as harm")
struct HealthSeriesTests {
    static func options(_ over: HealthOptions.Period, minimum: Int = 1, bySpace: Bool = false) -> HealthOptions {
        var o = HealthOptions()
        o.over = over
        o.bySpace = bySpace
        o.compositeMinimum = minimum
        o.replicates = 100
        return o
    }

    func measure(_ cell: HealthCell, _ m: HealthMeasure) -> HealthMeasureValue? { cell.components.flatMap(\.measures).first { $0.measure == m } }
    func component(_ cell: HealthCell, _ c: HealthComponent) -> HealthComponentValue? { cell.components.first { $0.component == c } }

    @Test("Every scored week of every space has the same components and measures in its index; partial weeks have none")
    func sameComponentsEveryWeek() throws {
        let r = try CommunityHealthReport.analyse(store: simulatedCommunity.store, options: Self.options(.week, minimum: 10, bySpace: true))
        for space in Set(r.cells.map(\.space)) {
            let cells = r.cells.filter { $0.space == space }
            let scored = cells.filter { $0.index != nil }
            guard let first = scored.first else { continue }
            let inIndex = { (c: HealthCell) in Set(c.components.flatMap(\.measures).filter(\.inComposite).map(\.measure)) }
            for c in scored {
                #expect(c.indexComponents == first.indexComponents, "\(space) \(c.period)")
                #expect(inIndex(c) == inIndex(first), "\(space) \(c.period)")
                // Exactly the components of the index have a score.
                #expect(c.components.filter { $0.score != nil }.map(\.component) == c.indexComponents, "\(space) \(c.period)")
                #expect(!(c.note ?? "").contains("partial"))
            }
            for c in cells where c.index == nil { #expect(c.indexComponents.isEmpty && c.components.allSatisfy { $0.score == nil }) }
        }
        // Not vacuous: all spaces have several scored weeks; retention (28 days of follow-up) cannot be in every
        // week of 35 days of data, so it is out of all of them.
        let all = r.cells.filter { $0.space == "all" }
        #expect(all.filter { $0.index != nil }.count >= 4)
        #expect(r.cells.filter { ($0.note ?? "").contains("partial week") }.allSatisfy { $0.index == nil })
        #expect(all.filter { $0.index != nil }.allSatisfy { !$0.indexComponents.contains(.retention) && $0.missingComponents.contains(.retention) })
        // A week with retention data still shows it, outside the index.
        #expect(all.contains { measure($0, .fourWeekRetention)?.value != nil && measure($0, .fourWeekRetention)?.inComposite == false })
    }

    @Test("The whole-period index, components and measure values are the means of the scored weeks'")
    func wholePeriodIsMeanOfWeeks() throws {
        let store = simulatedCommunity.store
        let weekly = try CommunityHealthReport.analyse(store: store, options: Self.options(.week, minimum: 10)).cells.filter { $0.index != nil }
        let whole = try #require(try CommunityHealthReport.analyse(store: store, options: Self.options(.all, minimum: 10)).cells.first)
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        #expect(weekly.count >= 4)
        #expect(abs(whole.index! - mean(weekly.map { $0.index! })) < 1e-9)
        #expect(whole.indexComponents == weekly[0].indexComponents)
        for c in HealthComponent.allCases {
            let scores = weekly.compactMap { component($0, c)?.score }
            if scores.isEmpty { #expect(component(whole, c)?.score == nil) } else {
                #expect(scores.count == weekly.count)
                #expect(abs(component(whole, c)!.score! - mean(scores)) < 1e-9, "\(c)")
            }
        }
        for m in [HealthMeasure.reciprocalMembers, .answeredWithinHour, .harmfulPerThousand] {
            let values = weekly.compactMap { measure($0, m)?.value }
            #expect(abs(measure(whole, m)!.value! - mean(values)) < 1e-9, "\(m)")
        }
        // The mean sits within the range of the weeks (the old whole-period index, one window over all the
        // data, did not: reciprocity grows with the window), and its interval contains it.
        #expect(whole.index! >= weekly.map { $0.index! }.min()! && whole.index! <= weekly.map { $0.index! }.max()!)
        #expect(whole.indexLower! <= whole.index! && whole.index! <= whole.indexUpper!)
        #expect(whole.threads == weekly.reduce(0) { $0 + $1.threads } && whole.activeMembers >= weekly.map(\.activeMembers).max()!)
    }

    @Test("Harm per 1,000 messages, minutes to action and safety, weekly and their mean, equal an independent computation (make_harm_weeks.py)")
    func harmAgainstReference() throws {
        struct Expected: Decodable {
            struct Week: Decodable { let week: String; let messages: Int; let harmful: Int; let harmful_per_1000: Double; let median_minutes_to_harm_action: Double; let safety: Double }
            struct Whole: Decodable { let harmful_per_1000: Double; let median_minutes_to_harm_action: Double; let safety: Double }
            let weeks: [Week]
            let whole_period_mean: Whole
        }
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: communityFixtures.appendingPathComponent("harm_weeks_expected.json")))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-harm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
        try Ingestor(toolVersion: "test").ingest(path: communityFixtures.appendingPathComponent("harm-weeks.jsonl").path, into: store)

        let weeks = try CommunityHealthReport.analyse(store: store, options: Self.options(.week)).cells.filter { $0.index != nil }
        #expect(weeks.map(\.period) == expected.weeks.map(\.week))
        for (cell, e) in zip(weeks, expected.weeks) {
            #expect(cell.messages == e.messages)
            #expect(abs(measure(cell, .harmfulPerThousand)!.value! - e.harmful_per_1000) < 1e-9, "\(e.week)")
            #expect(measure(cell, .medianMinutesToHarmAction)?.cases == e.harmful)
            #expect(abs(measure(cell, .medianMinutesToHarmAction)!.value! - e.median_minutes_to_harm_action) < 1e-9, "\(e.week)")
            #expect(abs(component(cell, .safety)!.score! - e.safety) < 1e-9, "\(e.week)")
        }
        let whole = try #require(try CommunityHealthReport.analyse(store: store, options: Self.options(.all)).cells.first)
        #expect(abs(measure(whole, .harmfulPerThousand)!.value! - expected.whole_period_mean.harmful_per_1000) < 1e-9)
        #expect(abs(measure(whole, .medianMinutesToHarmAction)!.value! - expected.whole_period_mean.median_minutes_to_harm_action) < 1e-9)
        #expect(abs(component(whole, .safety)!.score! - expected.whole_period_mean.safety) < 1e-9)
    }

    /// Two full weeks in one space: 20 members, threads of four messages; `harmful` messages per week hidden
    /// for toxicity 30 minutes after posting; `extra`: more moderation on the same harm (further actions on
    /// the harmful messages) and moderation that is no harm (spam, and harassment overturned on appeal).
    static func moderatedLog(harmful: Int, extra: Bool) -> [Event] {
        let start = Timestamp(rfc3339: "2026-02-02T08:00:00Z")!.microseconds, minute: Int64 = 60_000_000, day = 1440 * minute
        func at(_ t: Int64) -> Timestamp { Timestamp(microseconds: start + t) }
        let members = (0..<20).map { "m\($0)" }
        var e: [Event] = members.map { .member(MemberEvent(ts: at(-day), member: $0, role: .peer)) }
        var ids: [(id: String, t: Int64)] = []
        for week in 0..<2 {
            for k in 0..<50 {
                let t0 = Int64(week) * 7 * day + Int64(k) * 180 * minute
                for r in 0..<4 {
                    let id = "w\(week)t\(k)r\(r)"
                    e.append(.message(MessageEvent(ts: at(t0 + Int64(r) * 20 * minute), id: id, member: members[(k + r) % 20], space: "general",
                                                   thread: "w\(week)t\(k)", replyTo: r == 0 ? nil : "w\(week)t\(k)r\(r - 1)", chars: 10)))
                    ids.append((id, t0 + Int64(r) * 20 * minute))
                }
            }
        }
        var n = 0
        func moderate(_ m: (id: String, t: Int64), after: Int64, _ action: ModerationAction, _ reason: ModerationReason, overturned: Bool = false) {
            n += 1
            e.append(.moderation(ModerationEvent(ts: at(m.t + after), id: "mod\(n)", message: m.id, member: nil, action: action, layer: .peer, reason: reason)))
            if overturned { e.append(.appeal(AppealEvent(ts: at(m.t + after + 60 * minute), moderation: "mod\(n)", outcome: .overturned))) }
        }
        for week in 0..<2 {
            let messages = Array(ids[(week * 200)..<(week * 200 + 200)])
            for h in 0..<harmful {
                let m = messages[h * 7]
                moderate(m, after: 30 * minute, .hide, .toxicity)
                if extra {
                    moderate(m, after: 90 * minute, .warn, .harassment)
                    moderate(m, after: 150 * minute, .suspend, .toxicity)
                }
            }
            if extra {
                for s in 0..<10 { moderate(messages[199 - s], after: 5 * minute, .hide, .spam) }
                for s in 0..<5 { moderate(messages[150 - s], after: 10 * minute, .hide, .harassment, overturned: true) }
            }
        }
        // A thread in the third week, which the data end a day into: a partial week.
        for r in 0..<2 {
            e.append(.message(MessageEvent(ts: at(14 * day + Int64(r) * 20 * minute), id: "late\(r)", member: members[r], space: "general",
                                           thread: "late", replyTo: r == 0 ? nil : "late0", chars: 10)))
        }
        e.append(.activity(ActivityEvent(ts: at(15 * day), member: "m0", durationSeconds: 60)))
        return e
    }

    @Test("Safety falls with more harmful messages; more moderation of the same harm, spam or overturned actions do not move it")
    func safetyRespondsToHarm() throws {
        func whole(_ events: [Event]) throws -> HealthCell {
            try #require(try CommunityHealthReport.analyse(store: try communityStore(events, name: "safety"), options: Self.options(.all)).cells.first)
        }
        let base = try whole(Self.moderatedLog(harmful: 4, extra: false))
        // The whole period is the mean of the two full weeks; the partial third has no index.
        #expect(base.note?.hasPrefix("mean of the 2 scored weeks from 2026-02-02 to 2026-02-09 (1 partial or small week left out)") == true)
        let weeks = try CommunityHealthReport.analyse(store: try communityStore(Self.moderatedLog(harmful: 4, extra: false), name: "safety"),
                                                      options: Self.options(.week)).cells
        #expect(weeks.count == 3 && weeks[2].index == nil && weeks[2].note?.hasPrefix("partial week") == true && weeks[2].messages == 2)
        let moreHarm = try whole(Self.moderatedLog(harmful: 8, extra: false))
        let moreModeration = try whole(Self.moderatedLog(harmful: 4, extra: true))
        // 4 of 200 messages a week: 20 per 1,000; each actioned after 30 minutes.
        #expect(abs(measure(base, .harmfulPerThousand)!.value! - 20) < 1e-12)
        #expect(measure(base, .medianMinutesToHarmAction)?.value == 30)
        #expect(abs(measure(moreHarm, .harmfulPerThousand)!.value! - 40) < 1e-12)
        #expect(component(moreHarm, .safety)!.score! < component(base, .safety)!.score! - 10)
        #expect(moreHarm.index! < base.index!)
        // Three actions per harmful message, plus 10 spam hides and 5 overturned actions a week: the same harm.
        #expect(measure(moreModeration, .harmfulPerThousand)?.value == measure(base, .harmfulPerThousand)?.value)
        #expect(measure(moreModeration, .medianMinutesToHarmAction)?.value == 30)
        #expect(component(moreModeration, .safety)?.score == component(base, .safety)?.score)
        #expect(moreModeration.index == base.index)
        // The appeal overturn rate is reported but not scored.
        #expect(measure(moreModeration, .appealOverturnRate)?.value == 1 && measure(moreModeration, .appealOverturnRate)?.score == nil)
    }
}
