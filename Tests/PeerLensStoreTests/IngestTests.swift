import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore
import ProcessTestSupport

@Suite("Ingestion")
struct IngestTests {
    @Test("Every event type is stored, with the run recorded")
    func allTypes() throws {
        let (store, summary) = try ingested("all-types.jsonl")
        #expect(summary.records == 18)
        #expect(summary.accepted == 18)
        #expect(summary.rejected == 0)
        let counts = try store.eventCounts()
        for type in EventType.allCases { #expect(counts[type]! >= 1, "no \(type.rawValue) stored") }
        #expect(counts[.member] == 2)
        try store.queue.read { (db: Database) throws -> Void in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_condition WHERE member = 'm0001'") == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM group_attendee") == 2)
            #expect(try Double.fetchOne(db, sql: "SELECT support_style FROM \"match\"") == 0.7)
            #expect(try Int64.fetchOne(db, sql: "SELECT ts FROM member WHERE member = 'm0001'") == Timestamp(rfc3339: "2026-01-05T09:00:00Z")!.microseconds)
            let run = try Row.fetchOne(db, sql: "SELECT * FROM ingest_run")!
            #expect(run["records"] == 18)
            #expect((run["sha256"] as String).count == 64)
            #expect(run["tool_version"] == "test")
        }
    }

    @Test("The recorded SHA-256 is the file's (reference: sha256sum)")
    func digest() throws {
        let (_, summary) = try ingested("all-types.jsonl")
        let expected = try ChildProcess.run("/usr/bin/sha256sum", [fixture("all-types.jsonl")]).output.prefix(64)
        #expect(summary.sha256 == String(expected))
    }

    @Test("Ingesting the same file twice adds nothing: every event is a duplicate")
    func idempotent() throws {
        let store = try ingested("all-types.jsonl").store
        let before = try store.eventCounts()
        let second = try ingestor.ingest(path: fixture("all-types.jsonl"), into: store)
        #expect(second.accepted == 0)
        #expect(second.duplicates == 18)
        #expect(try store.eventCounts() == before)
    }

    @Test("Bad records are quarantined with line and reason; good ones are stored; duplicates inside a file are counted")
    func mixed() throws {
        let (store, summary) = try ingested("mixed.jsonl")
        #expect(summary.records == 8)
        #expect(summary.accepted == 4)
        #expect(summary.duplicates == 1) // the second score for msg0100/crisis/v1
        #expect(summary.rejected == 3)
        #expect(summary.droppedFieldNames == ["client": 1])
        let quarantine = try QuarantineEntry.list(in: store)
        #expect(quarantine.map(\.line) == [2, 6, 7])
        #expect(quarantine[0].reason == "score 1.7 is outside [0,1]")
        #expect(quarantine[0].eventType == "score")
        #expect(quarantine[1].category == "free_text")
        #expect(quarantine[2].category == "malformed_record")
        #expect(quarantine[2].eventType == nil)
        let byType = Dictionary(uniqueKeysWithValues: summary.byType.map { ($0.eventType, $0) })
        #expect(byType["score"]?.accepted == 1)
        #expect(byType["score"]?.duplicates == 1)
        #expect(byType["score"]?.rejected == 1)
        #expect(byType["unknown"]?.rejected == 1)
    }

    @Test("Referential problems are reported as counts with examples")
    func referentialCheck() throws {
        let store = try ingested("mixed.jsonl").store
        let problems = Dictionary(uniqueKeysWithValues: try ReferentialCheck.run(on: store).map { ($0.code, $0) })
        #expect(problems["reply_to_missing_message"]?.count == 1)
        #expect(problems["reply_to_missing_message"]?.examples == ["msg0100"])
        #expect(problems["checkin_unknown_member"]?.count == 1)
        #expect(problems["checkin_unknown_member"]?.examples == ["m0404"])
        #expect(problems["score_unknown_message"]?.count == 0)
        #expect(problems.values.filter { $0.count > 0 }.count == 2)
    }

    @Test("Events arriving before what they refer to are fine once the rest arrives")
    func anyOrder() throws {
        let store = try newStore()
        let dir = temporaryDirectory()
        let lines = try String(contentsOfFile: fixture("all-types.jsonl"), encoding: .utf8).split(separator: "\n")
        let reversed = dir.appendingPathComponent("reversed.jsonl")
        try (lines.reversed().joined(separator: "\n") + "\n").write(to: reversed, atomically: true, encoding: .utf8)
        let summary = try ingestor.ingest(path: reversed.path, into: store)
        #expect(summary.accepted == 18)
        #expect(try ReferentialCheck.run(on: store).allSatisfy { $0.count == 0 })
    }

    @Test("A wholly invalid file is an error and stores nothing, not even its quarantine")
    func whollyInvalid() throws {
        let store = try ingested("all-types.jsonl").store
        let before = try store.eventCounts()
        let dir = temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.jsonl")
        try "nope\n{\"type\":\"score\"}\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { try ingestor.ingest(path: bad.path, into: store) }
        #expect(try store.eventCounts() == before)
        try store.queue.read { (db: Database) throws -> Void in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM ingest_run") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM quarantine") == 0)
        }
    }

    @Test("A file that fails mid-way (truncated gzip) leaves the store as it was")
    func failureMidFile() throws {
        let store = try newStore()
        let dir = temporaryDirectory()
        let line = #"{"type":"activity","ts":"2026-01-05T10:30:00Z","member":"m1","duration_s":1}"#
        var text = ""
        for i in 0..<20_000 { text += line.replacingOccurrences(of: "10:30:00", with: String(format: "%02d:%02d:%02d", (i / 3600) % 24, (i / 60) % 60, i % 60)).replacingOccurrences(of: "\"m1\"", with: "\"m\(i)\"") + "\n" }
        let plain = dir.appendingPathComponent("big.jsonl")
        try text.write(to: plain, atomically: true, encoding: .utf8)
        #expect(try ChildProcess.run("/bin/gzip", ["-kn", plain.path]).status == 0)
        let full = try Data(contentsOf: dir.appendingPathComponent("big.jsonl.gz"))
        let cut = dir.appendingPathComponent("cut.jsonl.gz")
        try full.prefix(full.count * 3 / 4).write(to: cut)
        #expect(throws: StoreError.self) { try ingestor.ingest(path: cut.path, into: store) }
        #expect(try store.eventCounts().values.reduce(0, +) == 0)
        try store.queue.read { (db: Database) throws -> Void in #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM ingest_run") == 0) }
        let summary = try ingestor.ingest(path: dir.appendingPathComponent("big.jsonl.gz").path, into: store)
        #expect(summary.accepted == 20_000)
    }

    @Test("Across many batches: duplicates inside one file and first-version-wins are kept exactly")
    func manyBatches() throws {
        let store = try newStore()
        let dir = temporaryDirectory()
        let start = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!
        func line(_ i: Int, _ duration: Double) -> String {
            EventJSON.line(for: .activity(ActivityEvent(ts: Timestamp(microseconds: start.microseconds + Int64(i) * 1_000_000),
                                                        member: "m\(i % 97)", durationSeconds: duration)))
        }
        // 5,000 events, then the same 5,000 keys again with other durations (duplicates, spread over batches).
        let text = (0..<5000).map { line($0, 10) }.joined(separator: "\n") + "\n" + (0..<5000).map { line($0, 99) }.joined(separator: "\n") + "\n"
        let path = dir.appendingPathComponent("activity.jsonl")
        try text.write(to: path, atomically: true, encoding: .utf8)
        let summary = try ingestor.ingest(path: path.path, into: store)
        #expect(summary.accepted == 5000)
        #expect(summary.duplicates == 5000)
        try store.queue.read { (db: Database) throws -> Void in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM activity WHERE duration_s = 10") == 5000, "the first version of each key is kept")
        }
    }

    @Test("CSV files ingest like JSON Lines")
    func csv() throws {
        let store = try newStore()
        let dir = temporaryDirectory()
        let csv = dir.appendingPathComponent("checkins.csv")
        try "ts,member,instrument,score\n2026-01-05T09:10:00Z,m1,PHQ-9,12\n2026-01-19T09:10:00Z,m1,PHQ-9,7\n2026-01-19T09:10:00Z,m1,PHQ-9,40\n".write(to: csv, atomically: true, encoding: .utf8)
        let summary = try ingestor.ingest(path: csv.path, into: store)
        #expect(summary.format == "csv")
        #expect(summary.accepted == 2)
        #expect(summary.rejected == 1)
        #expect(try QuarantineEntry.list(in: store).first?.line == 4)
    }

    @Test("Validation alone writes nothing and reports the same rejections")
    func validateOnly() throws {
        let summary = try ingestor.validate(path: fixture("mixed.jsonl"))
        #expect(summary.accepted == 5)
        #expect(summary.rejected == 3)
        #expect(summary.runID == nil)
    }
}
