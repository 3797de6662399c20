import Foundation
import Testing
@testable import PeerLensCommunity
@testable import PeerLensLog
@testable import PeerLensSimulator
@testable import PeerLensStats
@testable import PeerLensStore

/// A simulated community (known reply delays and unanswered share), ingested once.
let simulatedCommunity: (store: EventStore, manifest: SimulationManifest) = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-community-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    let manifest = try! Simulator(config: SimulationConfig(seed: 11, members: 3000, days: 35)).run(into: sink)
    try! sink.close()
    let store = try! EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return (store, manifest)
}()

@Suite("Community health on simulated logs")
struct SimulatedHealthTests {
    @Test("Responsiveness recovers the simulator's reply process within its intervals")
    func responsiveness() throws {
        var options = HealthOptions()
        options.over = .all
        options.bySpace = false
        options.replicates = 400
        let cell = try #require(try CommunityHealthReport.analyse(store: simulatedCommunity.store, options: options).cells.first)
        func measure(_ m: HealthMeasure) throws -> HealthMeasureValue { try #require(cell.components.flatMap(\.measures).first { $0.measure == m }) }
        let truth = simulatedCommunity.manifest.parameters
        // A thread is left unanswered with probability u; otherwise its first reply comes after a log-normal
        // delay (median m minutes, log-SD σ), always from someone other than its author.
        let u = truth.unansweredShare, median = truth.firstReplyMedianMinutes, sigma = truth.firstReplySigma
        func lognormalCDF(_ minutes: Double) -> Double { Distribution.normalCDF(log(minutes / median) / sigma) }
        let expected: [(HealthMeasure, Double)] = [
            (.answeredWithinHour, (1 - u) * lognormalCDF(60)),
            (.unansweredAfterWeek, u + (1 - u) * (1 - lognormalCDF(7 * 24 * 60))),
            (.medianMinutesToFirstReply, median), // the median of the delay given an answer within 7 days (≈ m: P(delay > 7 days) ≈ 3e-7)
        ]
        for (m, value) in expected {
            let e = try measure(m)
            let (lower, upper) = (try #require(e.lower), try #require(e.upper))
            #expect(lower <= value && value <= upper, "\(m): truth \(value) outside [\(lower), \(upper)]")
        }
        // An index component mixes measures; check it is within its own interval and on the 0–100 scale.
        for c in cell.components { if let s = c.score { #expect(s >= 0 && s <= 100 && c.lower! <= s + 1e-9 && s <= c.upper! + 1e-9) } }
    }
}
