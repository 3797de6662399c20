import Foundation
import GRDB
import Testing
import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensSimulator
@testable import PeerLensStats
@testable import PeerLensStore

/// A longer simulation (150 days), so that many moderation actions have a complete 30-day follow-up and small
/// cultures have enough reviewed crises for a subgroup evaluation.
let longSimulation: (store: EventStore, manifest: SimulationManifest) = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-moderation-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    let manifest = try! Simulator(config: SimulationConfig(seed: 9, members: 4000, days: 150)).run(into: sink)
    try! sink.close()
    let store = try! EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return (store, manifest)
}()

@Suite("Moderation")
struct ModerationTests {
    @Test("Re-offence after educate, warn and suspend recovers the simulator's probabilities within the Wilson intervals")
    func reoffence() throws {
        let r = try ModerationReport.analyse(store: longSimulation.store)
        let truth = longSimulation.manifest.parameters
        for row in r.reoffence {
            let p = try #require(truth.reoffenceProbability(after: ModerationAction(rawValue: row.action)!))
            let ci = try #require(row.reoffended.interval, "\(row.action): no index actions")
            #expect(ci.lower <= p && p <= ci.upper, "\(row.action): \(row.reoffended.estimate ?? .nan) [\(ci.lower), \(ci.upper)] vs truth \(p) (n = \(row.reoffended.total ?? 0))")
        }
        // Warned members re-offend far more often than suspended ones in the simulation: the test sees it.
        #expect((r.reoffenceTest?.pValue ?? 1) < 0.05)
        #expect(r.reoffenceCensored > 0)
    }

    @Test("Appeals: overturn shares are consistent, and automatic actions are banded by toxicity score")
    func appeals() throws {
        let r = try ModerationReport.analyse(store: longSimulation.store)
        let truth = longSimulation.manifest.parameters
        let human = r.layers.filter { $0.layer != "automatic" }
        let appealed = human.map { $0.appealed.count ?? 0 }.reduce(0, +), actions = human.map { $0.appealed.total ?? 0 }.reduce(0, +)
        let share = Share(appealed, of: actions)
        #expect(share.interval!.lower <= truth.appealProbability && truth.appealProbability <= share.interval!.upper)
        #expect(r.overturnedByScoreBand.allSatisfy { $0.lower >= 0.7 }, "automatic actions only above the 0.8 threshold")
        #expect(r.layers.allSatisfy { ($0.medianMinutesToAction ?? 0) >= 0 })
    }

    @Test("The analysis returns the real counts: disclosure control is the document policy's, not the analysis's")
    func realCounts() throws {
        let truth = try longSimulation.store.queue.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT layer, count(*) AS n FROM moderation GROUP BY layer").map { ($0["layer"] as String, $0["n"] as Int) })
        }
        let kinds = try longSimulation.store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT layer, action, count(*) AS n FROM moderation GROUP BY layer, action").map { ($0["layer"] as String, $0["action"] as String, $0["n"] as Int) }
        }
        let r = try ModerationReport.analyse(store: longSimulation.store)
        #expect(r.actions == truth.values.reduce(0, +))
        for layer in r.layers {
            #expect(layer.actions == truth[layer.layer] ?? 0)
            #expect(layer.byAction.values.reduce(0, +) == layer.actions)
            #expect(layer.appealed.total == layer.actions)
        }
        for (layer, action, n) in kinds {
            #expect(r.layers.first { $0.layer == layer }?.byAction[action] == n, "\(layer) \(action): small kinds are kept")
        }
    }

    @Test("Complementary suppression: no hidden cell can be recovered from the total")
    func complementary() {
        // One small cell: the next smallest goes too.
        #expect(DisclosureControl.complementarySuppression(["a": 50, "b": 12, "c": 3], threshold: 10) == ["a": 50])
        // Two small cells already hide each other; an empty cell reveals nobody.
        #expect(DisclosureControl.complementarySuppression(["a": 50, "b": 4, "c": 3], threshold: 10) == ["a": 50])
        #expect(DisclosureControl.complementarySuppression(["a": 50, "b": 12, "c": 0], threshold: 10) == ["a": 50, "b": 12])
        // An empty hidden cell does not protect a small one.
        #expect(DisclosureControl.complementarySuppression(["a": 50, "b": 12, "c": 3, "d": 0], threshold: 10) == ["a": 50])
        #expect(DisclosureControl.complementarySuppression(["a": 50, "b": 12], threshold: 10) == ["a": 50, "b": 12])
    }

    @Test("A store without moderation events is a clear error")
    func empty() throws {
        let store = try RiskEvaluationTests().store(reviews: [(0.2, false), (0.8, true)])
        #expect(throws: AnalysisError.self) { try ModerationReport.analyse(store: store) }
    }
}
