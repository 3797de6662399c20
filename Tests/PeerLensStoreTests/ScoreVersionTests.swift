import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensSimulator
@testable import PeerLensStore

@Suite("Schema v4: score_version")
struct ScoreVersionTests {
    /// `score_version` as stored, and what a scan of `score` finds: model, version and the count as text.
    func recordedAndScanned(_ store: EventStore) throws -> (recorded: [[String]], scanned: [[String]]) {
        try store.queue.read { db in
            (try Row.fetchAll(db, sql: "SELECT model, version, scores FROM score_version ORDER BY model, version").map { [$0[0], $0[1], String($0[2] as Int)] },
             try Row.fetchAll(db, sql: "SELECT model, version, count(*) FROM score GROUP BY model, version ORDER BY model, version").map { [$0[0], $0[1], String($0[2] as Int)] })
        }
    }

    @Test("Ingestion keeps score_version equal to a scan of the scores: new scores, a repeated file, a new version, a refused file")
    func keptByIngest() throws {
        let dir = temporaryDirectory()
        let store = try EventStore(path: dir.appendingPathComponent("store.sqlite").path)
        let simulated = dir.appendingPathComponent("sim.jsonl").path
        let sink = try JSONLinesFileSink(path: simulated, gzip: false)
        _ = try Simulator(config: SimulationConfig(seed: 5, members: 300, days: 10)).run(into: sink)
        try sink.close()
        try ingestor.ingest(path: simulated, into: store)
        var (recorded, scanned) = try recordedAndScanned(store)
        #expect(!recorded.isEmpty)
        #expect(recorded == scanned)
        // The same file again: all duplicates.
        try ingestor.ingest(path: simulated, into: store)
        (recorded, scanned) = try recordedAndScanned(store)
        #expect(recorded == scanned)
        // A file in which some scores are new and some are already stored (the pairs are recounted).
        let mixed = dir.appendingPathComponent("mixed.jsonl").path
        let firstScore = try String(contentsOfFile: simulated, encoding: .utf8).split(separator: "\n").first { $0.contains("\"type\":\"score\"") }!
        try (String(firstScore) + "\n" + """
        {"type":"score","ts":"2026-02-01T09:00:00Z","message":"x0","model":"crisis","version":"v1","score":0.1}

        """).write(toFile: mixed, atomically: true, encoding: .utf8)
        try ingestor.ingest(path: mixed, into: store)
        (recorded, scanned) = try recordedAndScanned(store)
        #expect(recorded == scanned)
        // A new model version, and a score of an existing version interleaved with it.
        let more = dir.appendingPathComponent("more.jsonl").path
        try """
        {"type":"score","ts":"2026-02-01T10:00:00Z","message":"x1","model":"crisis","version":"v9-test","score":0.2}
        {"type":"score","ts":"2026-02-01T10:00:01Z","message":"x2","model":"crisis","version":"v1","score":0.3}
        {"type":"score","ts":"2026-02-01T10:00:02Z","message":"x3","model":"crisis","version":"v9-test","score":0.4}

        """.write(toFile: more, atomically: true, encoding: .utf8)
        try ingestor.ingest(path: more, into: store)
        (recorded, scanned) = try recordedAndScanned(store)
        #expect(recorded == scanned)
        #expect(recorded.contains(["crisis", "v9-test", "2"]))
        #expect(try store.versions(ofModel: "crisis").contains("v9-test"))
        // A refused file changes nothing.
        let bad = dir.appendingPathComponent("bad.jsonl").path
        try """
        {"type":"score","ts":"2026-02-01T10:00:00Z","message":"y1","model":"newmodel","version":"v1","score":0.2}
        not json

        """.write(toFile: bad, atomically: true, encoding: .utf8)
        _ = try? ingestor.ingest(path: bad, into: store)
        (recorded, scanned) = try recordedAndScanned(store)
        #expect(recorded == scanned)
    }

    @Test("A v3 store with scores migrates to v4 with score_version filled from them")
    func fromV3() throws {
        let path = temporaryDirectory().appendingPathComponent("v3.sqlite").path
        do {
            let queue = try olderStore(at: path, upTo: .v3)
            try queue.write { db in
                for (message, model, version) in [("m1", "crisis", "v1"), ("m2", "crisis", "v2"), ("m3", "toxicity", "v1"), ("m4", "crisis", "v1")] {
                    try db.execute(sql: "INSERT INTO score (message, model, version, ts, score, run_id) VALUES (?, ?, ?, 1000, 0.5, 1)",
                                   arguments: [message, model, version])
                }
            }
        }
        #expect(throws: StoreError.self) { try EventStore(path: path, mode: .readOnly) }
        let store = try EventStore(path: path)
        let (recorded, scanned) = try recordedAndScanned(store)
        #expect(recorded == [["crisis", "v1", "2"], ["crisis", "v2", "1"], ["toxicity", "v1", "1"]])
        #expect(recorded == scanned)
        let readOnly = try EventStore(path: path, mode: .readOnly)
        #expect(try readOnly.scoredModels() == ["crisis", "toxicity"])
        #expect(try readOnly.versions(ofModel: "crisis") == ["v1", "v2"])
    }
}

@Suite("Reviewed score data")
struct ReviewedScoreDataTests {
    @Test("A read-only store serves the reviewed scores once read, equal to a fresh read of a read-write store")
    func cachedEqualsFresh() throws {
        let (writable, _) = try ingested("all-types.jsonl")
        let readOnly = try EventStore(path: writable.path, mode: .readOnly)
        for (kind, model) in [("crisis", "crisis"), ("toxicity", "toxicity"), ("crisis", "nomodel")] {
            let fresh = try writable.reviewedScoreData(kind: kind, model: model)
            let first = try readOnly.reviewedScoreData(kind: kind, model: model)
            let again = try readOnly.reviewedScoreData(kind: kind, model: model)
            #expect(first.scores == fresh.scores && again.scores == fresh.scores)
            #expect(first.reviews.count == fresh.reviews.count && again.alertThresholds == fresh.alertThresholds)
        }
        #expect(try !readOnly.reviewedScoreData(kind: "crisis", model: "crisis").scores.isEmpty)
    }
}
