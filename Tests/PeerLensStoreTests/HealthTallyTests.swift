import Foundation
import PeerLensLog
import Testing
@testable import PeerLensStore

/// The attribution of messages to members and weeks on `Fixtures/health-edges.jsonl`, a log written for its
/// edge cases: two messages of one thread at the same time, a thread answered only by its own author, a reply
/// to a message not in the store, authors without a member event, a harm action restored and taken again, one
/// overturned on appeal, one before the message, two at the same time, an appealed restore, activity exactly 28
/// days after a first message. Expected values worked out by hand from the file (times in its comments' terms).
@Suite("Weekly health tallies")
struct HealthTallyTests {
    let tallies: WeeklyHealthTallies

    init() throws {
        let (store, _) = try ingested("health-edges.jsonl")
        let end = try #require(try store.dataSpan(of: EventType.allCases)).last
        tallies = try #require(try store.weeklyHealthTallies(dataEnd: end, bySpace: true))
    }

    @Test("Members are numbered by pseudonym, then authors without a member event by their first message")
    func numbering() throws {
        // pa pb pc pd pe, then zy (first message a day in) before zx (an hour later), though zx sorts first.
        #expect(tallies.consent == [true, true, false, true, true, false, false])
        #expect(try #require(tallies.cells[.init(period: 0, space: -1)]).members == [0, 1, 2, 3, 4, 5, 6])
        #expect(tallies.spaces.sorted() == ["anxiety", "depression"])
    }

    @Test("A thread's opener is its first message (ties by id); a harm action restored and taken again stands from the second")
    func openerAndStandingHarm() throws {
        let week0 = try #require(tallies.cells[.init(period: 0, space: -1)])
        var pa = MemberTally()
        pa.messages = 2; pa.opened = 1
        // pb's message at the same time, later by id, is the thread's first reply: 0 minutes.
        pa.eligibleHour = 1; pa.answeredHour = 1; pa.eligibleWeek = 1; pa.replyDelays = [0]
        pa.repliesGiven = 1; pa.repliesReceived = 1
        pa.newcomerEligible = 1; pa.newcomerReplied = 1; pa.retentionEligible = 1; pa.retained = 1
        // hide 1 h after, restore, warn 3 h after a message written at 0:30: 150 minutes.
        pa.harmful = 1; pa.harmActionDelays = [150]
        #expect(week0.tallies[0] == pa)
    }

    @Test("Self-replies answer nothing; overturned and non-harm actions are appeals, not harm; a harm action before its message counts 0 minutes")
    func selfRepliesAndAppeals() throws {
        let week0 = try #require(tallies.cells[.init(period: 0, space: -1)])
        var pc = MemberTally()
        pc.messages = 2; pc.opened = 1
        // First reply by someone else two days later: 46 hours.
        pc.eligibleHour = 1; pc.eligibleWeek = 1; pc.replyDelays = [2760]
        pc.repliesReceived = 1
        pc.newcomerEligible = 1; pc.retentionEligible = 1; pc.retained = 1
        pc.appealed = 2; pc.overturned = 1
        #expect(week0.tallies[2] == pc)
        var pd = MemberTally()
        pd.messages = 1; pd.repliesGiven = 1; pd.newcomerEligible = 1; pd.retentionEligible = 1
        pd.harmful = 1; pd.harmActionDelays = [0]
        #expect(week0.tallies[3] == pd)
    }

    @Test("Activity exactly 28 days after a first message is not retention; an appealed restore is no appeal")
    func retentionBoundaryAndRestore() throws {
        let week0 = try #require(tallies.cells[.init(period: 0, space: -1)])
        #expect(week0.tallies[1].retentionEligible == 1 && week0.tallies[1].retained == 0)
        // Week 1 starts on the Monday at midnight: pa's message then opens it; pd's reply was hidden, then restored.
        let week1 = try #require(tallies.cells[.init(period: 1, space: -1)])
        #expect(week1.members == [0, 3])
        #expect(week1.tallies[1].harmful == 0 && week1.tallies[1].appealed == 0)
    }

    @Test("Per space, each space's cells hold its own messages; all spaces hold their sum")
    func spaces() throws {
        for (key, cell) in tallies.cells where key.space >= 0 {
            let all = try #require(tallies.cells[.init(period: key.period, space: -1)])
            #expect(Set(all.members).isSuperset(of: cell.members))
        }
        let week0 = tallies.cells.filter { $0.key.period == 0 && $0.key.space >= 0 }.values
        #expect(week0.map { $0.tallies.reduce(0) { $0 + $1.messages } }.reduce(0, +) == 12)
    }
}
