import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensSimulator
@testable import PeerLensStore

@Suite("Event time span")
struct EventSpanTests {
    /// The span of every table, recomputed by scanning it.
    func scanned(_ store: EventStore) throws -> [String: [Int64]] {
        try store.queue.read { db in
            var out: [String: [Int64]] = [:]
            for type in EventType.allCases {
                if let row = try Row.fetchOne(db, sql: "SELECT min(ts), max(ts) FROM \"\(type.rawValue)\" HAVING count(*) > 0") {
                    out[type.rawValue] = [row[0], row[1]]
                }
            }
            return out
        }
    }

    func recorded(_ store: EventStore) throws -> [String: [Int64]] {
        try store.queue.read { db in
            var out: [String: [Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT event_type, first_ts, last_ts FROM event_span") { out[row[0]] = [row[1], row[2]] }
            return out
        }
    }

    @Test("Ingestion keeps event_span equal to a scan of every table: new rows, duplicates, a second file, a refused file")
    func keptByIngest() throws {
        let dir = temporaryDirectory()
        let store = try EventStore(path: dir.appendingPathComponent("store.sqlite").path)
        let early = dir.appendingPathComponent("early.jsonl").path, late = dir.appendingPathComponent("late.jsonl").path
        for (path, start) in [(early, "2026-01-05T00:00:00Z"), (late, "2026-03-02T00:00:00Z")] {
            let sink = try JSONLinesFileSink(path: path, gzip: false)
            _ = try Simulator(config: SimulationConfig(seed: 3, members: 300, days: 10, start: Timestamp(rfc3339: start)!)).run(into: sink)
            try sink.close()
        }
        try ingestor.ingest(path: late, into: store)
        #expect(try recorded(store) == scanned(store))
        // The same file again: every batch is all duplicates, so nothing changes.
        try ingestor.ingest(path: late, into: store)
        #expect(try recorded(store) == scanned(store))
        // An earlier file with the same ids: some rows are duplicates (members), most are new and earlier.
        try ingestor.ingest(path: early, into: store)
        let spans = try recorded(store)
        #expect(spans == (try scanned(store)))
        #expect(spans.count == EventType.allCases.count)
        let (end, checkinStart) = try store.queue.read { db in (try EventStore.dataEnd(db), try EventStore.dataSpan(db, of: [.checkin])?.first) }
        #expect(end == spans.values.map { $0[1] }.max())
        #expect(checkinStart == spans["checkin"]?[0])
        // A refused file changes nothing.
        let bad = dir.appendingPathComponent("bad.jsonl").path
        try "not json\n".write(toFile: bad, atomically: true, encoding: .utf8)
        _ = try? ingestor.ingest(path: bad, into: store)
        #expect(try recorded(store) == spans)
    }

    @Test("Rows written without ingestion into an empty table are found by a scan")
    func writtenByHand() throws {
        let store = try ingested("all-types.jsonl").store
        try store.queue.write { db in
            try db.execute(sql: "DELETE FROM event_span WHERE event_type = 'activity'")
            try db.execute(sql: "INSERT INTO activity (member, ts, duration_s, run_id) VALUES ('m_hand', 9000000000000000, 1, 1)")
        }
        let end = try store.queue.read { db in try EventStore.dataEnd(db) }
        #expect(end == 9_000_000_000_000_000)
    }
}
