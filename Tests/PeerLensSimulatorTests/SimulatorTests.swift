import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensSimulator

/// One small simulated community shared by the tests (generation is deterministic).
let small: (events: [Event], manifest: SimulationManifest) = {
    let sink = CollectingSink()
    let manifest = try! Simulator(config: SimulationConfig(seed: 11, members: 1500, days: 42)).run(into: sink)
    return (sink.events, manifest)
}()

func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-sim-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

func simulateToFile(seed: UInt64, gzip: Bool = false) throws -> (log: Data, manifest: Data) {
    let path = temporaryPath(gzip ? "events.jsonl.gz" : "events.jsonl")
    let sink = try JSONLinesFileSink(path: path, gzip: gzip)
    let manifest = try Simulator(config: SimulationConfig(seed: seed, members: 300, days: 14)).run(into: sink)
    try sink.close()
    return (try Data(contentsOf: URL(fileURLWithPath: path)), try manifest.jsonData())
}

@Suite("Simulator")
struct SimulatorTests {
    @Test("Same seed and options: byte-identical log and manifest, plain and gzip")
    func deterministic() throws {
        let a = try simulateToFile(seed: 3), b = try simulateToFile(seed: 3)
        #expect(a.log == b.log)
        #expect(a.manifest == b.manifest)
        let ga = try simulateToFile(seed: 3, gzip: true), gb = try simulateToFile(seed: 3, gzip: true)
        #expect(ga.log == gb.log)
        #expect(ga.log.count < a.log.count)
    }

    @Test("A different seed gives a different log")
    func seedMatters() throws {
        #expect(try simulateToFile(seed: 3).log != simulateToFile(seed: 4).log)
    }

    @Test("Every event type is present and the manifest counts match")
    func everyType() {
        var counts: [EventType: Int] = [:]
        for e in small.events { counts[e.type, default: 0] += 1 }
        for type in EventType.allCases { #expect((counts[type] ?? 0) > 0, "no \(type.rawValue) events") }
        #expect(small.manifest.totalEvents == small.events.count)
        for type in EventType.allCases { #expect(small.manifest.counts[type.rawValue] == counts[type]) }
    }

    @Test("Events are in timestamp order and inside the period (member joins may precede it)")
    func ordered() {
        let end = small.manifest.config.start.microseconds + Int64(small.manifest.config.days) * 86_400_000_000
        var previous = Int64.min
        for e in small.events {
            #expect(e.ts.microseconds >= previous)
            previous = e.ts.microseconds
            #expect(e.ts.microseconds < end)
            if e.type != .member { #expect(e.ts >= small.manifest.config.start) }
        }
    }

    @Test("The written log passes validation: every record accepted, nothing dropped")
    func validates() throws {
        let path = temporaryPath("events.jsonl")
        let sink = try JSONLinesFileSink(path: path, gzip: false)
        try sink.write(small.events)
        try sink.close()
        let reader = try openLogReader(path: path)
        let decoder = EventDecoder()
        var decoded: [Event] = []
        while let record = try reader.next() {
            let raw = try record.content.get()
            let event = try decoder.decode(raw).get()
            #expect(event.droppedFields.isEmpty)
            decoded.append(event.event)
        }
        #expect(decoded == small.events)
    }

    @Test("Help-seeking threads left unanswered: the log shows the drawn share, which matches the parameter")
    func unanswered() throws {
        let end = small.manifest.config.start.microseconds + Int64(small.manifest.config.days - 3) * 86_400_000_000
        var openers = Set<String>(), answered = Set<String>()
        for case let .message(m) in small.events {
            if m.replyTo == nil, m.ts.microseconds < end { openers.insert(m.thread) } else if m.replyTo != nil { answered.insert(m.thread) }
        }
        let observed = Double(openers.subtracting(answered).count) / Double(openers.count)
        #expect(openers.count == small.manifest.realised.threadsOpenedBeforeLast3Days)
        #expect(abs(observed - small.manifest.realised.unansweredShareBeforeLast3Days) < 0.005)
        // Binomial 4-SE band around the parameter.
        let p = small.manifest.parameters.unansweredShare
        #expect(abs(observed - p) < 4 * (p * (1 - p) / Double(openers.count)).squareRoot())
    }

    @Test("Inverse-probability-weighted review prevalence recovers the true crisis prevalence")
    func reviewWeights() {
        var weighted = 0.0, total = 0.0
        // A weight belongs to the message's selection for review: a second review of the same message repeats it.
        var seen = Set<String>()
        for case let .review(r) in small.events where r.kind == .crisis {
            guard seen.insert(r.message).inserted else { continue }
            let w = r.weight ?? 1
            total += w
            if let s = r.severity, s >= .moderate { weighted += w }
        }
        let messages = Double(small.manifest.counts["message"]!)
        let estimate = weighted / messages
        let truth = small.manifest.realised.crisisPrevalence
        #expect(abs(total / messages - 1) < 0.1, "weights should sum to about the number of messages")
        #expect(abs(estimate - truth) < 0.35 * truth, "IPW prevalence \(estimate) vs true \(truth)")
    }

    @Test("Second reviews: about secondReviewShare of crisis-reviewed messages, same weight, later, agreeing about as often as simulated")
    func secondReviews() {
        var reviews: [String: [ReviewEvent]] = [:]
        for case let .review(r) in small.events where r.kind == .crisis { reviews[r.message, default: []].append(r) }
        let doubled = reviews.values.filter { $0.count == 2 }
        #expect(reviews.values.allSatisfy { $0.count <= 2 })
        let share = Double(doubled.count) / Double(reviews.count), p = small.manifest.parameters.secondReviewShare
        #expect(abs(share - p) < 4 * (p * (1 - p) / Double(reviews.count)).squareRoot(), "second-review share \(share) vs \(p)")
        for pair in doubled {
            let sorted = pair.sorted { $0.ts.microseconds < $1.ts.microseconds }
            #expect(sorted[0].weight == sorted[1].weight && sorted[1].ts.microseconds - sorted[0].ts.microseconds >= 3_600_000_000)
            let steps = abs(sorted[0].severity!.rank - sorted[1].severity!.rank)
            #expect(steps <= 1)
        }
        let agree = Double(doubled.filter { $0[0].severity == $0[1].severity }.count) / Double(doubled.count)
        let q = small.manifest.parameters.secondReviewAgreement
        #expect(abs(agree - q) < 4 * (q * (1 - q) / Double(doubled.count)).squareRoot(), "same severity \(agree) vs \(q)")
    }

    @Test("Mean PHQ-9 change from first to last check-in matches the true improvement given follow-up time")
    func moodImprovement() {
        var series: [String: [(Int64, Double)]] = [:]
        for case let .checkin(c) in small.events where c.instrument == "PHQ-9" { series[c.member, default: []].append((c.ts.microseconds, c.score)) }
        var changes: [Double] = [], expected: [Double] = []
        let mu = small.manifest.parameters.phq9ImprovementMean
        for points in series.values where points.count >= 2 {
            let weeks = Double(points.last!.0 - points.first!.0) / (7 * 86_400_000_000)
            changes.append(points.first!.1 - points.last!.1)
            expected.append(mu * min(1, weeks / 8))
        }
        #expect(changes.count > 50)
        let n = Double(changes.count)
        let mean = changes.reduce(0, +) / n
        let sd = (changes.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let target = expected.reduce(0, +) / n
        #expect(abs(mean - target) < 4 * sd / n.squareRoot(), "observed \(mean) vs expected \(target)")
    }

    @Test("Ids are opaque pseudonyms that cannot be mistaken for phone numbers")
    func ids() {
        for case let .message(m) in small.events {
            #expect(Anonymity.isPseudonym(m.id) && Anonymity.personalData(in: m.id) == nil)
            #expect(Anonymity.personalData(in: m.member) == nil)
        }
    }

    @Test("Invalid configurations are refused", arguments: [(5, 10), (100, 0), (100, 5000)])
    func invalid(members: Int, days: Int) {
        #expect(throws: SimulationError.self) { _ = try Simulator(config: SimulationConfig(seed: 1, members: members, days: days)) }
    }
}
