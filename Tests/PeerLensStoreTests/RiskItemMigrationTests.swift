import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

@Suite("Schema v3: checkin.risk_item")
struct RiskItemMigrationTests {
    @Test("A v2 store with check-ins migrates to v3: rows kept with risk_item NULL, new check-ins store the item")
    func fromV2() throws {
        let path = temporaryDirectory().appendingPathComponent("v2.sqlite").path
        do {
            let queue = try olderStore(at: path, upTo: .v2)
            try queue.write { db in
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(checkin)").map { $0["name"] as String }
                #expect(!columns.contains("risk_item"))
                try db.execute(sql: "INSERT INTO checkin (member, instrument, ts, score, run_id) VALUES ('m1', 'PHQ-9', 1000, 14, 1)")
            }
        }
        // A read-only open (every analysis command) refuses the old store and says an ingest upgrades it.
        #expect(throws: StoreError.self) { try EventStore(path: path, mode: .readOnly) }
        let store = try EventStore(path: path)
        let log = temporaryDirectory().appendingPathComponent("checkin.jsonl").path
        try """
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m2","instrument":"PHQ-9","score":17,"risk_item":2}

        """.write(toFile: log, atomically: true, encoding: .utf8)
        try ingestor.ingest(path: log, into: store)
        let rows = try store.queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM checkin ORDER BY member").map(CheckinEvent.init(row:)) }
        #expect(rows.map(\.member) == ["m1", "m2"])
        #expect(rows.map(\.riskItem) == [nil, 2])
        #expect(rows[0].score == 14)
        let applied = try store.queue.read(appliedMigrations)
        #expect(applied == SchemaVersion.allCases.map(\.migration))
        // The v3 store now opens read-only.
        _ = try EventStore(path: path, mode: .readOnly)
    }

    @Test("Ingest quarantines a bad risk_item with its line and the rule, and stores the good ones (JSON Lines and CSV)")
    func quarantined() throws {
        let dir = temporaryDirectory()
        let jsonl = dir.appendingPathComponent("checkins.jsonl").path, csv = dir.appendingPathComponent("checkin.csv").path
        try """
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":17,"risk_item":2}
        {"type":"checkin","ts":"2026-01-06T09:10:00Z","member":"m1","instrument":"PHQ-9","score":17,"risk_item":4}
        {"type":"checkin","ts":"2026-01-07T09:10:00Z","member":"m1","instrument":"GAD-7","score":12,"risk_item":1}

        """.write(toFile: jsonl, atomically: true, encoding: .utf8)
        try """
        ts,member,instrument,score,risk_item
        2026-01-08T09:10:00Z,m2,CORE-10,25,3
        2026-01-09T09:10:00Z,m2,CORE-10,25,2.5

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let store = try newStore()
        try ingestor.ingest(path: jsonl, into: store)
        try ingestor.ingest(path: csv, into: store)
        let (stored, quarantine) = try store.queue.read { db in
            (try Row.fetchAll(db, sql: "SELECT * FROM checkin ORDER BY ts").map(CheckinEvent.init(row:)),
             try Row.fetchAll(db, sql: "SELECT r.format, q.line, q.category, q.reason FROM quarantine q JOIN ingest_run r ON r.id = q.run_id ORDER BY q.id"))
        }
        #expect(stored.map(\.riskItem) == [2, 3])
        #expect(quarantine.map { $0["format"] as String } == ["jsonl", "jsonl", "csv"])
        #expect(quarantine.map { $0["line"] as Int } == [2, 3, 3])
        #expect(quarantine.map { $0["category"] as String } == ["out_of_range", "invalid_value", "wrong_type"])
        #expect((quarantine[0]["reason"] as String) == "risk_item 4 is outside [0,3]")
        #expect((quarantine[2]["reason"] as String) == "field 'risk_item' must be a whole number")
    }

    @Test("The v3 migration is one ALTER TABLE adding a nullable, range-checked column")
    func statement() {
        #expect(StoreSchema.statements(for: .v3) == [
            "ALTER TABLE checkin ADD COLUMN risk_item INTEGER CHECK (risk_item IS NULL OR risk_item BETWEEN 0 AND 100)",
        ])
    }
}
