import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensSimulator
@testable import PeerLensStore

/// A simulated community ingested into a fresh store, opened read-only as the commands open it.
let simulatedReadOnlyStore: EventStore = {
    let dir = temporaryDirectory()
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    _ = try! Simulator(config: SimulationConfig(seed: 5, members: 400, days: 30, start: Timestamp(rfc3339: "2026-01-05T00:00:00Z")!)).run(into: sink)
    try! sink.close()
    let path = dir.appendingPathComponent("store.sqlite").path
    try! ingestor.ingest(path: log, into: try! EventStore(path: path, mode: .readWrite))
    return try! EventStore(path: path, mode: .readOnly)
}()

/// The store's query API returns what the SQL it replaced (in reports and provenance) returned.
@Suite("Store query API")
struct StoreQueryTests {
    let store = simulatedReadOnlyStore

    @Test("sqliteVersion, ingestRuns, scoredModels, alertedModels, versions, instruments and spaces match the SQL they replace")
    func lists() throws {
        // The SQL each function replaced, run directly (the queue is not reentrant: read first, compare after).
        let (version, runs, models, alerted, instruments, spaces) = try store.queue.read { db in
            (try String.fetchOne(db, sql: "SELECT sqlite_version()"), try Row.fetchAll(db, sql: "SELECT * FROM ingest_run ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT DISTINCT model FROM score ORDER BY model"),
             try String.fetchAll(db, sql: "SELECT DISTINCT model FROM alert ORDER BY model"),
             try String.fetchAll(db, sql: "SELECT DISTINCT instrument FROM checkin ORDER BY instrument"),
             try String.fetchAll(db, sql: "SELECT DISTINCT space FROM message ORDER BY space"))
        }
        #expect(try store.sqliteVersion() == version)
        #expect(try store.ingestRuns().map {
            ([$0.id, $0.file, $0.sha256, $0.format, $0.startedAt, $0.durationSeconds, $0.toolVersion, $0.records, $0.accepted, $0.duplicates,
              $0.rejected, $0.droppedFields] as [any DatabaseValueConvertible]).map(\.databaseValue)
        } == runs.map { Array($0.databaseValues) })
        #expect(try store.scoredModels() == models)
        #expect(try store.alertedModels() == alerted)
        #expect(try store.instruments() == instruments)
        #expect(try store.spaces() == spaces)
        for model in models {
            let versions = try store.queue.read { db in
                try String.fetchAll(db, sql: "SELECT DISTINCT version FROM score WHERE model = ? ORDER BY version", arguments: [model])
            }
            #expect(try store.versions(ofModel: model) == versions)
        }
        #expect(try store.scoredModels() == ["crisis", "toxicity"])
        #expect(try store.versions(ofModel: "crisis") == ["v1", "v2"])
        #expect(try store.versions(ofModel: "no-such-model").isEmpty)
        #expect(try store.ingestRuns().count == 1)
        #expect(try store.instruments().contains("PHQ-9"))
    }

    @Test("dataPeriod: the earliest message or activity to the latest event, as min(ts) over the tables gave")
    func dataPeriod() throws {
        let old = try store.queue.read { db -> (Int64, Int64)? in
            let end = try EventStore.dataEnd(db)
            let starts = try ["message", "activity"].compactMap { t in try Int64.fetchOne(db, sql: "SELECT min(ts) FROM \"\(t)\"") }
            guard end > 0, let start = starts.min() else { return nil }
            return (start, end)
        }
        let period = try #require(try store.dataPeriod())
        #expect(period.first == old?.0)
        #expect(period.last == old?.1)
        let empty = try EventStore(path: temporaryDirectory().appendingPathComponent("e.sqlite").path)
        #expect(try empty.dataPeriod() == nil)
    }

    @Test("cohortMembers: every member with the cohort attributes and sorted conditions, as the report read them")
    func cohort() throws {
        let members = try store.cohortMembers()
        let rows = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT member, role, age_band, gender, region, resource_setting, research_consent FROM member ORDER BY member")
        }
        let conditions = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT member, condition FROM member_condition ORDER BY member, condition")
        }
        #expect(members.count == rows.count)
        #expect(members.map(\.member) == rows.map { $0[0] as String })
        for (m, row) in zip(members, rows) {
            #expect(m.role == row[1] as String)
            #expect(m.ageBand == row[2] as String?)
            #expect(m.gender == row[3] as String?)
            #expect(m.region == row[4] as String?)
            #expect(m.resourceSetting == row[5] as String?)
            #expect(m.researchConsent == row[6] as Bool)
        }
        #expect(members.flatMap { m in m.conditions.map { [m.member, $0] } } == conditions.map { [$0[0] as String, $0[1] as String] })
        #expect(members.contains { !$0.conditions.isEmpty })
    }

    @Test("interactionGraphAndDataEnd reads the graph and the data end")
    func interactionGraph() throws {
        let (graph, end) = try store.interactionGraphAndDataEnd()
        let direct = try EventStore.interactionGraph(from: store)
        let directEnd = try store.queue.read { db in try EventStore.dataEnd(db) }
        #expect(graph.time == direct.time)
        #expect(graph.members == direct.members)
        #expect(end == directEnd)
        #expect(end > 0)
    }

    @Test("SHA256Digest: known vectors for bytes, and a file's digest equals the digest of its bytes")
    func sha256() throws {
        #expect(SHA256Digest.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let file = temporaryDirectory().appendingPathComponent("f.txt")
        let text = String(repeating: "peer support\n", count: 1000)
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect(try SHA256Digest.hex(ofFile: file.path) == SHA256Digest.hex(text))
        #expect(throws: StoreError.self) { try SHA256Digest.hex(ofFile: file.path + ".missing") }
    }
}
