import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

/// Every event type survives the trip into SQLite and back through its record type, field by field.
@Suite("Record types")
struct RecordTests {
    @Test("Stored rows equal the ingested events")
    func roundTrip() throws {
        let store = try ingested("all-types.jsonl").store
        let reader = try openLogReader(path: fixture("all-types.jsonl"))
        var events: [Event] = []
        while let record = try reader.next() { events.append(try EventDecoder().decode(try record.content.get()).get().event) }
        try store.queue.read { (db: Database) throws -> Void in
            for event in events {
                switch event {
                case let .member(e):
                    let r = try #require(try MemberRecord.fetchOne(db, key: e.member))
                    #expect(r == MemberRecord(member: e.member, ts: e.ts.microseconds, role: e.role.rawValue, region: e.region, language: e.language,
                                              ageBand: e.ageBand?.rawValue, gender: e.gender, culture: e.culture,
                                              resourceSetting: e.resourceSetting?.rawValue, researchConsent: e.researchConsent, cohort: e.cohort, runID: r.runID))
                    let conditions = try MemberConditionRecord.filter(Column("member") == e.member).fetchAll(db).map(\.condition).sorted()
                    #expect(conditions == e.conditions.map(\.rawValue).sorted())
                case let .message(e):
                    let r = try #require(try MessageRecord.fetchOne(db, key: e.id))
                    #expect(r == MessageRecord(id: e.id, ts: e.ts.microseconds, member: e.member, space: e.space, thread: e.thread, replyTo: e.replyTo, chars: e.chars, runID: r.runID))
                case let .score(e):
                    let r = try #require(try ScoreRecord.fetchOne(db, key: ["message": e.message, "model": e.model, "version": e.version]))
                    #expect(r.score == e.score && r.timestamp == e.ts)
                case let .review(e):
                    let r = try #require(try ReviewRecord.filter(Column("message") == e.message && Column("kind") == e.kind.rawValue).fetchOne(db))
                    #expect(r == ReviewRecord(message: e.message, kind: e.kind.rawValue, reviewerRole: e.reviewerRole, ts: e.ts.microseconds,
                                              severity: e.severity?.rawValue, positive: e.positive, weight: e.weight, runID: r.runID))
                case let .alert(e):
                    let r = try #require(try AlertRecord.fetchOne(db, key: e.id))
                    #expect(r == AlertRecord(id: e.id, ts: e.ts.microseconds, message: e.message, member: e.member, model: e.model, version: e.version, score: e.score, threshold: e.threshold, runID: r.runID))
                case let .response(e):
                    let r = try #require(try ResponseRecord.filter(Column("alert") == e.alert).fetchOne(db))
                    #expect(r == ResponseRecord(alert: e.alert, responder: e.responder, ts: e.ts.microseconds, responderRole: e.responderRole.rawValue, outcome: e.outcome.rawValue, runID: r.runID))
                case let .followup(e):
                    let r = try #require(try FollowupRecord.filter(Column("alert") == e.alert).fetchOne(db))
                    #expect(r.completed == e.completed && r.timestamp == e.ts)
                case let .moderation(e):
                    let r = try #require(try ModerationRecord.fetchOne(db, key: e.id))
                    #expect(r == ModerationRecord(id: e.id, ts: e.ts.microseconds, message: e.message, member: e.member, action: e.action.rawValue, layer: e.layer.rawValue, reason: e.reason.rawValue, runID: r.runID))
                case let .appeal(e):
                    let r = try #require(try AppealRecord.filter(Column("moderation") == e.moderation).fetchOne(db))
                    #expect(r.outcome == e.outcome.rawValue && r.timestamp == e.ts)
                case let .match(e):
                    let r = try #require(try MatchRecord.fetchOne(db, key: e.id))
                    #expect([r.experience, r.communication, r.supportStyle, r.demographic, r.recoveryStage, r.availability, r.safety, r.cultural] == e.components.values)
                    #expect(r.seeker == e.seeker && r.peer == e.peer && r.kind == e.kind.rawValue && r.score == e.score && r.accepted == e.accepted)
                case let .matchEnd(e):
                    let r = try #require(try MatchEndRecord.fetchOne(db, key: e.match))
                    #expect(r == MatchEndRecord(match: e.match, ts: e.ts.microseconds, sessions: e.sessions, rating: e.rating, reason: e.reason.rawValue, runID: r.runID))
                case let .groupSession(e):
                    let r = try #require(try GroupSessionRecord.fetchOne(db, key: ["group_id": e.group, "session": e.session]))
                    #expect(r.facilitator == e.facilitator && r.focus == e.focus && r.attendeeCount == e.attendees.count)
                    let attendees = try GroupAttendeeRecord.filter(Column("group_id") == e.group).fetchAll(db).map(\.member).sorted()
                    #expect(attendees == e.attendees.sorted())
                case let .checkin(e):
                    let r = try #require(try CheckinRecord.fetchOne(db, key: ["member": e.member, "instrument": e.instrument, "ts": e.ts.microseconds]))
                    #expect(r.score == e.score)
                case let .skill(e):
                    let r = try #require(try SkillRecord.filter(Column("member") == e.member).fetchOne(db))
                    #expect(r.framework == e.framework.rawValue && r.skill == e.skill && r.completed == e.completed)
                case let .training(e):
                    let r = try #require(try TrainingRecord.filter(Column("member") == e.member).fetchOne(db))
                    #expect(r.course == e.course && r.completed == e.completed)
                case let .activity(e):
                    let r = try #require(try ActivityRecord.fetchOne(db, key: ["member": e.member, "ts": e.ts.microseconds]))
                    #expect(r.durationS == e.durationSeconds)
                }
            }
            let run = try #require(try IngestRunRecord.fetchOne(db))
            #expect(run.records == 18 && run.accepted == 18 && run.toolVersion == "test")
            #expect(try IngestCountRecord.fetchCount(db) == 16)
        }
    }
}
