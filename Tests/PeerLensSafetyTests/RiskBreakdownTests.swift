import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensSimulator
@testable import PeerLensStats
@testable import PeerLensStore

/// A store of unweighted reviews: each case has a day offset, a member (with a language), a score and a label.
func breakdownStore(_ cases: [(day: Int, member: String, score: Double, positive: Bool)], languages: [String: String],
                    alertThreshold: Double? = nil) throws -> EventStore {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-breakdown-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let start = Timestamp(rfc3339: "2026-02-02T00:00:00Z")!.microseconds // a Monday
    var lines: [String] = []
    for (member, language) in languages.sorted(by: { $0.key < $1.key }) {
        lines.append(EventJSON.line(for: .member(MemberEvent(ts: Timestamp(microseconds: start - 86_400_000_000), member: member, role: .seeker, language: language))))
    }
    for (i, c) in cases.enumerated() {
        let ts = Timestamp(microseconds: start + Int64(c.day) * 86_400_000_000 + Int64(i) * 1_000_000)
        lines.append(EventJSON.line(for: .message(MessageEvent(ts: ts, id: "msg\(i)", member: c.member, space: "general", thread: "t\(i)", replyTo: nil, chars: 10))))
        lines.append(EventJSON.line(for: .score(ScoreEvent(ts: ts, message: "msg\(i)", model: "crisis", version: "v1", score: c.score))))
        lines.append(EventJSON.line(for: .review(ReviewEvent(ts: ts, message: "msg\(i)", kind: .crisis, severity: nil, positive: c.positive, reviewerRole: "clinician", weight: nil))))
        if let t = alertThreshold, c.score >= t {
            lines.append(EventJSON.line(for: .alert(AlertEvent(ts: ts, id: "al\(i)", message: "msg\(i)", member: c.member, model: "crisis", version: "v1", score: c.score, threshold: t))))
        }
    }
    let path = dir.appendingPathComponent("log.jsonl").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let store = try EventStore(path: dir.appendingPathComponent("s.sqlite").path)
    try Ingestor(toolVersion: "test").ingest(path: path, into: store)
    return store
}

/// A community with a high crisis prevalence, so that even small cultures have enough reviewed crises.
let highPrevalenceSimulation: EventStore = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-prevalence-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let log = dir.appendingPathComponent("events.jsonl").path
    let sink = try! JSONLinesFileSink(path: log, gzip: false)
    var truth = TrueParameters()
    truth.crisisIntercept = -2.2
    truth.reviewBase = 0.1
    _ = try! Simulator(config: SimulationConfig(seed: 17, members: 4000, days: 30), truth: truth).run(into: sink)
    try! sink.close()
    let store = try! EventStore(path: dir.appendingPathComponent("store.sqlite").path)
    try! Ingestor(toolVersion: "test").ingest(path: log, into: store)
    return store
}()

@Suite("Risk breakdown (risk --by, --over)")
struct RiskBreakdownTests {
    static var options: RiskEvaluationOptions {
        var o = RiskEvaluationOptions()
        o.replicates = 100
        o.seed = 3
        return o
    }

    @Test("By culture on simulated logs: the culture the simulator scores 0.9 logits low misses more crises than the rest")
    func simulatedDisparity() throws {
        var options = Self.options
        options.by = .culture
        options.versions = ["v1"]
        options.threshold = 0.15
        let analysis = try #require(try SubgroupAnalysis.analyse(store: highPrevalenceSimulation, options: options).first)
        let fnr = try #require(analysis.disparities.first { $0.measure == "false_negative_rate" })
        let eastAfrican = try #require(fnr.tests.first { $0.group == "east_african" }, "\(analysis.groups.map { "\($0.group) \($0.positives) \($0.notEvaluable ?? "")" })")
        #expect((eastAfrican.gapVersusRest.value ?? 0) > 0, "east_african FNR gap vs rest \(eastAfrican.gapVersusRest); \(analysis.groups.map { "\($0.group) \($0.positives)" })")
        #expect(abs(fnr.gapVersusOverall ?? 0) >= abs((eastAfrican.value) - (fnr.overall ?? 0)), "the summary names the largest gap")
        #expect(fnr.tests.count >= 2 && fnr.tests.allSatisfy { $0.holmP >= $0.p })
        // Every group keeps its real counts; one with fewer positives than the evaluability minimum is not
        // evaluable (and says so), never hidden by the analysis.
        for g in analysis.groups {
            #expect(g.reviewed >= g.positives && g.members > 0)
            if g.positives < options.minimumPositives {
                #expect(g.evaluation == nil && g.notEvaluable == "fewer than \(options.minimumPositives) positives")
            }
        }
        #expect(Set(analysis.disparities.map(\.measure)) == ["false_positive_rate", "false_negative_rate", "calibration_slope"])
    }

    @Test("A planted disparity is found and survives Holm; small groups (down to one member) keep their real counts and are not evaluable")
    func plantedDisparity() throws {
        let rng = RandomSource(seed: 12)
        var cases: [(day: Int, member: String, score: Double, positive: Bool)] = []
        var languages: [String: String] = [:]
        for m in 0..<120 {
            let language = m < 40 ? "sw" : (m < 80 ? "en" : "es")
            languages["mem\(m)"] = language
            for _ in 0..<8 {
                let y = rng.bernoulli(0.25)
                // Swahili speakers' crises score 0.25 lower: more of them are missed at 0.5.
                let shift = language == "sw" && y ? -0.25 : 0
                cases.append((0, "mem\(m)", min(0.99, max(0.01, (y ? 0.7 : 0.3) + shift + rng.normal(sd: 0.12))), y))
            }
        }
        languages["lonely"] = "uk"
        cases.append((0, "lonely", 0.9, true))
        var options = Self.options
        options.by = .language
        options.threshold = 0.5
        let a = try #require(try SubgroupAnalysis.analyse(store: breakdownStore(cases, languages: languages), options: options).first)
        let fnr = try #require(a.disparities.first { $0.measure == "false_negative_rate" })
        #expect(fnr.group == "sw" && (fnr.holmP ?? 1) < 0.001)
        #expect(fnr.gapVersusRest?.interval == "wald" && (fnr.gapVersusRest?.lower ?? 0) > 0)
        let uk = try #require(a.groups.first { $0.group == "uk" })
        #expect(uk.reviewed == 1 && uk.positives == 1 && uk.members == 1 && uk.evaluation == nil)
        #expect(uk.notEvaluable == "fewer than 10 positives")
        #expect(a.groups.map(\.group).sorted() == ["en", "es", "sw", "uk"])
    }

    @Test("Drift: a model that loses discrimination and starts over-alerting in week 3 is flagged there and not before")
    func drift() throws {
        let rng = RandomSource(seed: 21)
        var cases: [(day: Int, member: String, score: Double, positive: Bool)] = []
        for day in 0..<28 {
            for k in 0..<40 {
                let y = rng.bernoulli(0.3)
                let late = day >= 14
                // From day 14 scores carry less signal and sit higher.
                let base = late ? (y ? 0.53 : 0.5) : (y ? 0.6 : 0.4)
                cases.append((day, "mem\(k)", min(0.99, max(0.01, base + rng.normal(sd: 0.1))), y))
            }
        }
        var options = Self.options
        options.over = .week
        let store = try breakdownStore(cases, languages: [:], alertThreshold: 0.6)
        let d = try #require(try DriftAnalysis.analyse(store: store, options: options).first)
        #expect(d.periods.map(\.period) == ["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"])
        #expect(d.reference == "2026-02-02" && d.hasAlerts)
        #expect(d.periods[1].flags.isEmpty)
        #expect(d.periods[2].flags.contains("auc") && d.periods[3].flags.contains("auc"))
        #expect(d.periods[2].auc.interval == "delong" && d.periods[2].alertRate.interval == "wilson")
        var monthly = options
        monthly.over = .month
        // Day 27 is 1 March.
        #expect(try DriftAnalysis.analyse(store: store, options: monthly).first?.periods.map(\.period) == ["2026-02", "2026-03"])
    }

    @Test("Week labels are Mondays; month labels are calendar months (UTC)")
    func labels() {
        let sunday = Timestamp(rfc3339: "2026-02-08T23:59:59Z")!.microseconds
        let monday = Timestamp(rfc3339: "2026-02-09T00:00:00Z")!.microseconds
        #expect(DriftPeriod.week.label(sunday) == "2026-02-02" && DriftPeriod.week.label(monday) == "2026-02-09")
        #expect(DriftPeriod.month.label(sunday) == "2026-02")
        #expect(DriftPeriod.week.label(0) == "1969-12-29")
    }
}

@Suite("Reading the store for the risk analyses")
struct RiskStoreReadTests {
    @Test("One breakdown for --by and --over equals the two analyses run separately")
    func combined() throws {
        var o = RiskBreakdownTests.options
        o.by = .culture
        o.over = .week
        let both = try RiskBreakdown.analyse(store: simulated.store, options: o)
        #expect(both.subgroups == (try SubgroupAnalysis.analyse(store: simulated.store, options: o)))
        #expect(both.drift == (try DriftAnalysis.analyse(store: simulated.store, options: o)))
        o.by = nil
        let driftOnly = try RiskBreakdown.analyse(store: simulated.store, options: o)
        #expect(driftOnly.subgroups == nil && driftOnly.drift == both.drift)
    }

    @Test("Daily counts and the score column equal what SQL computes with GROUP BY and aggregates")
    func columnReads() throws {
        try simulated.store.queue.read { db in
            for table in [EventStore.ScoredTable.score, .alert] {
                let counts = try EventStore.dailyCounts(db, table: table, model: "crisis")
                var expected: [String: [Int64: Int]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT version, ts / 86400000000 AS day, count(*) AS n FROM \(table.rawValue) WHERE model = 'crisis' GROUP BY version, day") {
                    expected[row["version"], default: [:]][row["day"]] = row["n"]
                }
                #expect(!counts.isEmpty && counts == expected, "\(table)")
            }
            let column = try EventStore.scores(db, model: "crisis", version: "v1")
            let row = try #require(try Row.fetchOne(db, sql: "SELECT count(*) AS n, sum(score) AS s, min(ts) AS a, max(ts) AS b FROM score WHERE model = 'crisis' AND version = 'v1'"))
            #expect(column.scores.count == row["n"] as Int)
            #expect(abs(column.scores.reduce(0, +) - (row["s"] as Double)) < 1e-6)
            #expect(column.firstTime == row["a"] && column.lastTime == row["b"])
            #expect(try EventStore.scores(db, model: "crisis", version: "no-such-version").firstTime == nil)
        }
    }

    @Test("A background read returns its value, and its error")
    func background() throws {
        let read = simulated.store.readInBackground { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM score") ?? 0 }
        #expect(try read.value() > 0)
        #expect(try read.value() == read.value()) // a second call does not wait again
        let failing = simulated.store.readInBackground { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM no_such_table") ?? 0 }
        #expect(throws: DatabaseError.self) { _ = try failing.value() }
    }
}
