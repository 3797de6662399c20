import Foundation
import Testing
@testable import PeerLensSafety
@testable import PeerLensSimulator
@testable import PeerLensStats
@testable import PeerLensStore

/// A simulated community large enough for about a thousand crisis alerts, ingested once.
let simulated: (store: EventStore, manifest: SimulationManifest) = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-safety-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    let manifest = try! Simulator(config: SimulationConfig(seed: 5, members: 9000, days: 40)).run(into: sink)
    try! sink.close()
    let store = try! EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return (store, manifest)
}()

@Suite("Crisis response")
struct CrisisResponseTests {
    /// P(first response by t minutes) under the simulator: q·Φ((ln t − ln m)/σ), q = response probability,
    /// m = median latency, σ = log-scale SD (TrueParameters).
    func truth(_ minutes: Double) -> Double {
        let p = simulated.manifest.parameters
        let z = (log(minutes) - log(p.responseMedianMinutes)) / p.responseSigma
        return p.responseProbability * 0.5 * erfc(-z / 2.0.squareRoot())
    }

    @Test("Kaplan–Meier shares answered within 5 and 15 minutes cover the simulator's truth")
    func withinMinutes() throws {
        let report = try CrisisResponseReport.analyse(store: simulated.store)
        #expect(report.alerts > 500, "too few alerts for the check: \(report.alerts)")
        for w in [report.within5Minutes, report.within15Minutes] {
            let t = truth(w.minutes)
            #expect((w.lower ?? 0) <= t && t <= (w.upper ?? 1), "within \(w.minutes) min: [\(w.lower ?? .nan), \(w.upper ?? .nan)] vs truth \(t)")
        }
    }

    @Test("The median time to first response covers the truth (the time where q·F(t) = ½)")
    func median() throws {
        let report = try CrisisResponseReport.analyse(store: simulated.store)
        let p = simulated.manifest.parameters
        // Solve q·Φ(z) = ½ for z by bisection, then t = m·exp(σ z).
        var lo = -5.0, hi = 5.0
        for _ in 0..<100 { let mid = (lo + hi) / 2; if p.responseProbability * 0.5 * erfc(-mid / 2.0.squareRoot()) < 0.5 { lo = mid } else { hi = mid } }
        let trueMedian = p.responseMedianMinutes * exp(p.responseSigma * lo)
        let lower = try #require(report.medianLower), upper = try #require(report.medianUpper)
        #expect(lower <= trueMedian && trueMedian <= upper, "median interval [\(lower), \(upper)] vs truth \(trueMedian)")
        let answered = try #require(report.responded.interval)
        #expect(answered.lower <= p.responseProbability + 0.02, "answered share cannot exceed the response probability by much")
    }

    @Test("Outcome shares and follow-ups are proper shares; JSON keys are the documented ones")
    func shares() throws {
        let report = try CrisisResponseReport.analyse(store: simulated.store)
        #expect(report.outcomes.map { $0.share.count ?? 0 }.reduce(0, +) == report.outcomes.first!.share.total)
        let completed = try #require(report.followupCompleted.interval)
        #expect(completed.contains(simulated.manifest.parameters.followupCompletedProbability))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as! [String: Any]
        for key in ["alerts", "responded", "median_minutes", "within_5_minutes", "within_15_minutes", "by_role", "by_hour",
                    "outcomes", "followup_completed", "responder_weeks_above_threshold"] {
            #expect(json[key] != nil, "missing key \(key)")
        }
    }

    @Test("A store without alerts is a clear error")
    func noAlerts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-safety-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
        #expect(throws: AnalysisError.self) { try CrisisResponseReport.analyse(store: store) }
    }
}
