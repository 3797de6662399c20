import Foundation
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
        var options = ModerationOptions()
        options.disclosureThreshold = 1
        let r = try ModerationReport.analyse(store: longSimulation.store, options: options)
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
        var options = ModerationOptions()
        options.disclosureThreshold = 1
        let r = try ModerationReport.analyse(store: longSimulation.store, options: options)
        let truth = longSimulation.manifest.parameters
        let human = r.layers.filter { $0.layer != "automatic" }
        let appealed = human.map { $0.appealed.count ?? 0 }.reduce(0, +), actions = human.map { $0.appealed.total ?? 0 }.reduce(0, +)
        let share = Share(appealed, of: actions)
        #expect(share.interval!.lower <= truth.appealProbability && truth.appealProbability <= share.interval!.upper)
        #expect(r.overturnedByScoreBand.allSatisfy { $0.lower >= 0.7 }, "automatic actions only above the 0.8 threshold")
        #expect(r.layers.allSatisfy { ($0.medianMinutesToAction ?? 0) >= 0 })
    }

    @Test("Small cells are suppressed, with a second cell hidden when one could be recovered from the total")
    func suppression() throws {
        let r = try ModerationReport.analyse(store: longSimulation.store, options: ModerationOptions())
        for layer in r.layers {
            #expect(layer.byAction.values.allSatisfy { $0 >= 10 })
            if let total = layer.actions, layer.suppressedKinds > 0 {
                // Hidden kinds together never reveal a single kind: at least two are hidden, or none.
                let hidden = total - layer.byAction.values.reduce(0, +)
                #expect(hidden > 0)
                let kindsInLayer = layer.byAction.count + layer.suppressedKinds
                #expect(kindsInLayer - layer.byAction.count != 1, "\(layer.layer): exactly one kind hidden can be recovered")
            }
            for share in [layer.appealed, layer.overturned] where !share.suppressed {
                if let c = share.count, let t = share.total { #expect((c == 0 || c >= 10) && (t - c == 0 || t - c >= 10)) }
            }
        }
        #expect(Share(3, of: 50).suppressed(below: 10).suppressed && Share(3, of: 50).suppressed(below: 10).count == nil)
        #expect(!Share(0, of: 50).suppressed(below: 10).suppressed && Share(47, of: 50).suppressed(below: 10).suppressed)
    }

    @Test("A store without moderation events is a clear error")
    func empty() throws {
        let store = try RiskEvaluationTests().store(reviews: [(0.2, false), (0.8, true)])
        #expect(throws: AnalysisError.self) { try ModerationReport.analyse(store: store) }
    }
}
