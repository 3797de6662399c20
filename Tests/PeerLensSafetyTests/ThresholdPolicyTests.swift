import Foundation
import GRDB
import Testing
@testable import PeerLensSafety
@testable import PeerLensStats
@testable import PeerLensStore

/// Independent reference figures for the suicide data (make_suicide_thresholds.py: pandas + statsmodels).
struct SuicideThresholdReference: Decodable {
    struct Row: Decodable {
        let cut: Int, true_positives: Int, flagged: Int, sensitivity: Double, sensitivity_lower: Double
    }
    let positives: Int, floor: Double, floor_point_cut: Int, floor_lower_cut: Int, rows: [Row]

    static func load() throws -> SuicideThresholdReference {
        try JSONDecoder().decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: safetyFixture("suicide_thresholds.json"))))
    }
}

@Suite("Threshold policies on any score scale, printed thresholds, burden, assurance and capacity")
struct ThresholdPolicyTests {
    static var options: ThresholdTuningOptions {
        var o = ThresholdTuningOptions()
        o.replicates = 0
        return o
    }

    static func suicide() throws -> Predictions {
        try Predictions(path: safetyFixture("suicide.csv"), scoreColumn: "dsi", labelColumn: "suicide", positiveLabel: "yes")
    }

    /// The suicide data with the DSI sum score mapped by `transform` (strictly increasing), written to a CSV.
    static func transformed(_ transform: (Double) -> Double) throws -> Predictions {
        let data = try suicide()
        var text = "score,label\n"
        for (s, y) in zip(data.scores, data.labels) { text += "\(transform(s)),\(y ? 1 : 0)\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("transformed-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try Predictions(path: path, scoreColumn: "score", labelColumn: "label")
    }

    static let policies: [ThresholdPolicy] = [.youden, .minimumSensitivity(0.8), .maximumAlertsPerDay(1.5), .cost(missed: 20, falseAlarm: 1),
                                              .sensitivityWithinCapacity(minimum: 0.5, maxAlertsPerDay: 1.5),
                                              .sensitivityWithinCapacity(minimum: 0.9, maxAlertsPerDay: 1.5)]

    @Test("A logit-like score (negative, non-integer) gets thresholds and every policy, deciding as the sum score does", arguments: policies)
    func anyScale(policy: ThresholdPolicy) throws {
        var options = Self.options
        options.policy = policy
        let sum = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        let logit = try ThresholdTuning.tune(predictions: try Self.transformed { 0.7 * $0 - 3.1 }, name: "score", perDay: 10, days: nil, options: options)
        #expect(!sum.scoresAreProbabilities && !logit.scoresAreProbabilities)
        #expect(logit.rows.count == sum.rows.count && logit.rows.contains { $0.threshold < 0 })
        // A strictly increasing map changes no flagged set: every figure is the same, the threshold is mapped.
        let a = sum.recommendation, b = logit.recommendation
        #expect(abs(b.threshold - (0.7 * a.threshold - 3.1)) < 1e-9)
        #expect(a.row.sensitivity == b.row.sensitivity && a.row.alertsPerDay == b.row.alertsPerDay && a.floorMet == b.floorMet)
        #expect(a.row.positivePredictiveValue == b.row.positivePredictiveValue)
        // Printed thresholds flag the same cases on both scales.
        let data = try Self.transformed { 0.7 * $0 - 3.1 }
        for row in logit.rows {
            let printed = try #require(Double(row.thresholdText.text))
            #expect(data.scores.allSatisfy { ($0 >= printed) == ($0 >= row.threshold) }, "\(row.threshold) printed \(row.thresholdText.text)")
        }
        #expect(sum.rows.map(\.thresholdText.text) == sum.rows.map { String(Int($0.threshold)) })
    }

    @Test("Assurance lower applies the floor to the lower Wilson bound: dsi ≥ 1 instead of ≥ 3 (statsmodels reference)")
    func assuranceLower() throws {
        let ref = try SuicideThresholdReference.load()
        var options = Self.options
        options.policy = .minimumSensitivity(ref.floor)
        let point = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        options.assurance = .lower
        let lower = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        #expect(point.recommendation.threshold == Double(ref.floor_point_cut))
        #expect(lower.recommendation.threshold == Double(ref.floor_lower_cut))
        #expect(lower.recommendation.threshold < point.recommendation.threshold)
        #expect(lower.recommendation.assurance == .lower && lower.recommendation.floorMet == true)
        #expect(lower.recommendation.policy.contains("lower 95% confidence bound"))
        // Every candidate's Wilson bound matches statsmodels.
        for r in ref.rows {
            let row = try #require(lower.rows.first { $0.threshold == Double(r.cut) })
            #expect(abs(row.sensitivity.value! - r.sensitivity) < 1e-12)
            #expect(abs(row.sensitivity.lower! - r.sensitivity_lower) < 1e-9, "cut \(r.cut)")
        }
        // A floor the bound cannot reach with 36 positives is refused, saying how far the bound goes.
        options.policy = .minimumSensitivity(0.95)
        #expect(throws: AnalysisError.self) { try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options) }
    }

    @Test("Assurance lower on weighted reviews (simulated store): a lower threshold than the point floor, whose design-based lower bound holds")
    func assuranceLowerWeighted() throws {
        var options = Self.options
        options.policy = .minimumSensitivity(0.6)
        let point = try ThresholdTuning.tune(store: simulated.store, options: options)
        options.assurance = .lower
        let lower = try ThresholdTuning.tune(store: simulated.store, options: options)
        #expect(lower.recommendation.threshold < point.recommendation.threshold)
        #expect((lower.recommendation.row.sensitivity.lower ?? 0) >= 0.6)
        #expect((point.recommendation.row.sensitivity.lower ?? 1) < 0.6)
    }

    @Test("A floor within capacity, met: the most sensitive threshold within the budget, no trade-off")
    func floorMetWithinCapacity() throws {
        var options = Self.options
        options.policy = .sensitivityWithinCapacity(minimum: 0.5, maxAlertsPerDay: 1.5)
        let r = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        options.policy = .maximumAlertsPerDay(1.5)
        let budget = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        // 532 cases over 53.2 days: 1.5 a day allows 79 alerts; dsi ≥ 4 flags 72 (28 of 36 positives), dsi ≥ 3 flags 85.
        #expect(r.recommendation.threshold == 4 && budget.recommendation.threshold == 4)
        #expect(r.recommendation.floorMet == true && r.recommendation.tradeOff == nil)
        #expect(abs(r.recommendation.row.sensitivity.value! - 28.0 / 36) < 1e-12)
    }

    @Test("A floor within capacity, not met: the trade-off — sensitivity reachable within capacity, alerts per day the floor needs")
    func floorNotMetWithinCapacity() throws {
        let ref = try SuicideThresholdReference.load()
        var options = Self.options
        options.policy = .sensitivityWithinCapacity(minimum: 0.9, maxAlertsPerDay: 1.5)
        let r = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        let rec = r.recommendation
        #expect(rec.threshold == 4 && rec.floorMet == false)
        let trade = try #require(rec.tradeOff)
        #expect(abs(trade.sensitivityWithinCapacity.value! - 28.0 / 36) < 1e-12)
        // The highest cut with sensitivity ≥ 0.9 is dsi ≥ 1 (34 of 36), flagging 154 cases: 154 / 53.2 a day.
        let needed = ref.rows.filter { $0.sensitivity >= 0.9 }.max { $0.cut < $1.cut }!
        let floorRow = try #require(trade.floorRow)
        #expect(floorRow.threshold == Double(needed.cut) && abs(floorRow.alertsPerDay - Double(needed.flagged) / 53.2) < 1e-9)
        #expect(trade.summary.contains("cannot be met") && trade.summary.contains("77.8%") && trade.summary.contains("2.9 alerts per day"))
        // With the floor on the lower bound, the floor needs dsi ≥ 0: every case.
        options.assurance = .lower
        let strict = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        #expect(strict.recommendation.tradeOff?.floorRow?.threshold == 0)
    }

    @Test("The printed recommendation re-evaluated: same flagged messages, same sensitivity, the floor still holds (weighted store)")
    func printedRecommendationHolds() throws {
        var options = Self.options
        options.policy = .minimumSensitivity(0.8)
        let r = try ThresholdTuning.tune(store: simulated.store, options: options)
        let rec = r.recommendation
        let printed = try #require(Double(rec.row.thresholdText.text))
        // Re-run with the printed value as the deployed threshold: the same workload and accuracy.
        options.deployedThreshold = printed
        let again = try ThresholdTuning.tune(store: simulated.store, options: options)
        let row = try #require(again.deployed)
        #expect(row.alertsPerDay == rec.row.alertsPerDay && row.sensitivity == rec.row.sensitivity)
        #expect((row.sensitivity.value ?? 0) >= 0.8)
        // And through risk: the reviewed messages flagged at the printed value give the same sensitivity.
        var risk = RiskEvaluationOptions()
        risk.threshold = printed
        risk.versions = [r.version]
        let e = try #require(try RiskEvaluation.evaluate(store: simulated.store, options: risk).first)
        #expect(e.sensitivity?.value == rec.row.sensitivity.value)
        #expect(e.thresholdText?.text == rec.row.thresholdText.text)
        // Every row's printed value flags the same scored messages as its exact value.
        let scores = try simulated.store.queue.read { db in try EventStore.scores(db, model: "crisis", version: r.version).scores }
        for row in r.rows + [rec.row] {
            let p = try #require(Double(row.thresholdText.text))
            #expect(scores.allSatisfy { ($0 >= p) == ($0 >= row.threshold) }, "\(row.threshold) printed \(row.thresholdText.text)")
        }
    }

    @Test("Alert burden: alerts per responder-hour only with a declared rota, alerts per day ÷ its responder-hours")
    func rota() throws {
        var options = Self.options
        let none = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        #expect(none.responderHoursPerDay == nil && none.rows.allSatisfy { $0.alertsPerResponderHour == nil })
        options.rota = try ResponderRota.parse("""
            weekday,start,end,responders
            # weekdays: two by day, one overnight
            all,08:00,20:00,2
            mon,20:00,08:00,1
            Saturday,00:00,24:00,1
            """, name: "rota.csv")
        // 7 × 12 × 2 + 12 × 1 + 24 × 1 = 204 responder-hours a week.
        #expect(abs(options.rota!.responderHoursPerDay - 204.0 / 7) < 1e-12)
        let r = try ThresholdTuning.tune(predictions: try Self.suicide(), name: "dsi", perDay: 10, days: nil, options: options)
        #expect(r.responderSource == "rota file rota.csv")
        for row in r.rows { #expect(abs(row.alertsPerResponderHour! - row.alertsPerDay / (204.0 / 7)) < 1e-12) }
        #expect(try ResponderRota.constant(responders: 3, hoursPerDay: 12).responderHoursPerDay == 36)
        for bad in ["weekday,start,end\nall,08:00,20:00", "weekday,start,end,responders\nfunday,08:00,20:00,2",
                    "weekday,start,end,responders\nall,8am,20:00,2", "weekday,start,end,responders\nall,08:00,20:00,0", "weekday,start,end,responders\n"] {
            #expect(throws: AnalysisError.self) { try ResponderRota.parse(bad, name: "rota.csv") }
        }
    }

    @Test("The change against the deployed threshold states the multiple of today's alerts")
    func alertsMultiple() throws {
        var options = Self.options
        options.policy = .minimumSensitivity(0.8)
        let r = try ThresholdTuning.tune(store: simulated.store, options: options)
        let c = try #require(r.recommendation.change)
        #expect(abs(c.alertsMultiple! - r.recommendation.row.alertsPerDay / r.deployed!.alertsPerDay) < 1e-12)
    }
}
