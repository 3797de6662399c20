import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

/// Every event type survives the trip into SQLite and back: each stored row, read back through its event type's
/// `init(row:)`, equals the ingested event (conditions and attendees from their own tables).
@Suite("Stored events")
struct RecordTests {
    @Test("Stored rows read back as the ingested events")
    func roundTrip() throws {
        let store = try ingested("all-types.jsonl").store
        let reader = try openLogReader(path: fixture("all-types.jsonl"))
        var events: [Event] = []
        while let record = try reader.next() { events.append(try EventDecoder().decode(try record.content.get()).get().event) }
        try store.queue.read { (db: Database) throws -> Void in
            /// The one row `sql` selects, decoded by `decode`.
            func stored<E>(_ sql: String, _ arguments: StatementArguments, _ decode: (Row) throws -> E) throws -> E {
                try decode(try #require(try Row.fetchOne(db, sql: sql, arguments: arguments), "\(sql) \(arguments)"))
            }
            for event in events {
                let ts = event.ts.microseconds
                switch event {
                case let .member(e):
                    var r = try stored("SELECT * FROM member WHERE member = ?", [e.member], MemberEvent.init(row:))
                    r.conditions = try String.fetchAll(db, sql: "SELECT condition FROM member_condition WHERE member = ? ORDER BY condition",
                                                       arguments: [e.member]).map { try #require(Condition(rawValue: $0)) }
                    #expect(r.conditions.map(\.rawValue) == e.conditions.map(\.rawValue).sorted())
                    r.conditions = e.conditions
                    #expect(r == e)
                case let .message(e):
                    #expect(try stored("SELECT * FROM message WHERE id = ?", [e.id], MessageEvent.init(row:)) == e)
                case let .score(e):
                    #expect(try stored("SELECT * FROM score WHERE message = ? AND model = ? AND version = ?", [e.message, e.model, e.version],
                                       ScoreEvent.init(row:)) == e)
                case let .review(e):
                    #expect(try stored("SELECT * FROM review WHERE message = ? AND kind = ? AND ts = ?", [e.message, e.kind.rawValue, ts],
                                       ReviewEvent.init(row:)) == e)
                case let .alert(e):
                    #expect(try stored("SELECT * FROM alert WHERE id = ?", [e.id], AlertEvent.init(row:)) == e)
                case let .response(e):
                    #expect(try stored("SELECT * FROM response WHERE alert = ? AND ts = ?", [e.alert, ts], ResponseEvent.init(row:)) == e)
                case let .followup(e):
                    #expect(try stored("SELECT * FROM followup WHERE alert = ? AND ts = ?", [e.alert, ts], FollowupEvent.init(row:)) == e)
                case let .moderation(e):
                    #expect(try stored("SELECT * FROM moderation WHERE id = ?", [e.id], ModerationEvent.init(row:)) == e)
                case let .appeal(e):
                    #expect(try stored("SELECT * FROM appeal WHERE moderation = ? AND ts = ?", [e.moderation, ts], AppealEvent.init(row:)) == e)
                case let .match(e):
                    #expect(try stored("SELECT * FROM \"match\" WHERE id = ?", [e.id], MatchEvent.init(row:)) == e)
                case let .matchEnd(e):
                    #expect(try stored("SELECT * FROM match_end WHERE \"match\" = ?", [e.match], MatchEndEvent.init(row:)) == e)
                case let .groupSession(e):
                    var r = try stored("SELECT * FROM group_session WHERE group_id = ? AND session = ?", [e.group, e.session], GroupSessionEvent.init(row:))
                    let count = try stored("SELECT attendee_count FROM group_session WHERE group_id = ? AND session = ?", [e.group, e.session]) { $0[0] as Int }
                    #expect(count == Set(e.attendees).count)
                    r.attendees = try String.fetchAll(db, sql: "SELECT member FROM group_attendee WHERE group_id = ? AND session = ? ORDER BY member",
                                                      arguments: [e.group, e.session])
                    #expect(r.attendees == e.attendees.sorted())
                    r.attendees = e.attendees
                    #expect(r == e)
                case let .checkin(e):
                    #expect(try stored("SELECT * FROM checkin WHERE member = ? AND instrument = ? AND ts = ?", [e.member, e.instrument, ts],
                                       CheckinEvent.init(row:)) == e)
                case let .skill(e):
                    #expect(try stored("SELECT * FROM skill WHERE member = ? AND skill = ? AND ts = ?", [e.member, e.skill, ts], SkillEvent.init(row:)) == e)
                case let .training(e):
                    #expect(try stored("SELECT * FROM training WHERE member = ? AND course = ? AND ts = ?", [e.member, e.course, ts],
                                       TrainingEvent.init(row:)) == e)
                case let .activity(e):
                    #expect(try stored("SELECT * FROM activity WHERE member = ? AND ts = ?", [e.member, ts], ActivityEvent.init(row:)) == e)
                }
            }
            let run = try #require(try IngestRun.fetchOne(db, sql: "SELECT * FROM ingest_run"))
            #expect(run.records == 18 && run.accepted == 18 && run.toolVersion == "test")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM ingest_count") == 16)
        }
    }
}
