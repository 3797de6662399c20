import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensStats
@testable import PeerLensStore

@Suite("Threshold tuning (peerlens thresholds)")
struct ThresholdTuningTests {
    static var options: ThresholdTuningOptions {
        var o = ThresholdTuningOptions()
        o.replicates = 100
        o.seed = 3
        return o
    }

    @Test("Workload at the deployed threshold equals the alerts the simulator raised; estimated positives recover the true prevalence")
    func workloadMatchesAlerts() throws {
        let r = try ThresholdTuning.tune(store: simulated.store, options: Self.options)
        #expect(r.version == "v1" && r.deployedSource == "alerts" && r.weighted)
        let deployed = try #require(r.deployed)
        let alerts = try simulated.store.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM alert WHERE model = 'crisis' AND version = 'v1'")! }
        // The simulator alerts on every v1 score ≥ its threshold, so the volume counted from scores is the alert count.
        #expect(abs(deployed.alertsPerDay * r.days - Double(alerts)) < 0.5, "\(deployed.alertsPerDay * r.days) vs \(alerts)")
        // Estimated positives = weighted prevalence × scored messages: within 15 % of the realised positives.
        let truth = simulated.manifest.realised.crisisPrevalence * Double(r.scoredMessages)
        let estimated = r.estimatedPositivesPerWeek / 7 * r.days
        #expect(abs(estimated / truth - 1) < 0.15, "\(estimated) vs \(truth)")
        // Alerts split into true and false; missed + caught = all positives.
        for row in r.rows {
            #expect(abs(row.trueAlertsPerDay + row.falseAlertsPerDay - row.alertsPerDay) < 1e-9 || row.falseAlertsPerDay == 0)
            #expect(abs(row.trueAlertsPerDay * 7 + row.missedPerWeek - r.estimatedPositivesPerWeek) < 1e-9)
        }
        // Lower thresholds never mean fewer alerts.
        #expect(zip(r.rows, r.rows.dropFirst()).allSatisfy { $0.alertsPerDay >= $1.alertsPerDay })
        #expect(r.rows.first?.sensitivity.interval.hasPrefix("linearised") == true)
        // Without a declared rota there are no responder-hours: they are never inferred from response events.
        #expect(r.responderSource == nil && r.responderHoursPerDay == nil && r.rows.allSatisfy { $0.alertsPerResponderHour == nil })
    }

    @Test("Policies do what they say", arguments: [ThresholdPolicy.minimumSensitivity(0.6), .maximumAlertsPerDay(20), .cost(missed: 50, falseAlarm: 1), .youden])
    func policies(policy: ThresholdPolicy) throws {
        var options = Self.options
        options.policy = policy
        let r = try ThresholdTuning.tune(store: simulated.store, options: options)
        let rec = r.recommendation
        switch policy {
        case let .minimumSensitivity(s):
            #expect((rec.row.sensitivity.value ?? 0) >= s)
        case let .maximumAlertsPerDay(n):
            #expect(rec.row.alertsPerDay <= n)
            // The next lower candidate would break the budget.
            let below = r.rows.filter { $0.threshold < rec.threshold }.max { $0.threshold < $1.threshold }
            #expect(below.map { $0.alertsPerDay > n } ?? true)
            #expect(rec.lower == nil && rec.intervalNote.hasPrefix("none"))
        default:
            #expect(rec.lower != nil && rec.lower! <= rec.threshold && rec.threshold <= rec.upper!)
        }
        let change = try #require(rec.change)
        #expect(abs(change.alertsPerDay - (rec.row.alertsPerDay - r.deployed!.alertsPerDay)) < 1e-9)
        #expect(change.summary.contains("alerts a day") && change.summary.contains("missed positives a week"))
    }

    @Test("cutpointr's suicide data through --predictions: Youden picks dsi ≥ 2 with sensitivity 0.8889, specificity 0.8629")
    func suicide() throws {
        let data = try Predictions(path: safetyFixture("suicide.csv"), scoreColumn: "dsi", labelColumn: "suicide", positiveLabel: "yes")
        let r = try ThresholdTuning.tune(predictions: data, name: "dsi", perDay: 10, days: nil, options: Self.options)
        #expect(r.reviewed == 532 && r.positives == 36 && !r.weighted)
        #expect(r.recommendation.threshold == 2)
        #expect(abs(r.recommendation.row.sensitivity.value! - 32.0 / 36) < 1e-12)
        #expect(abs(r.recommendation.row.specificity! - 428.0 / 496) < 1e-12)
        #expect(r.recommendation.row.sensitivity.interval == "wilson")
        // 10 cases a day: 532 cases span 53.2 days; dsi ≥ 2 flags 32 + 68 = 100 cases.
        #expect(abs(r.days - 53.2) < 1e-9 && abs(r.recommendation.row.alertsPerDay - 100 / 53.2) < 1e-9)
        #expect(r.netBenefit.isEmpty, "a sum score is not a probability")
        #expect(r.rows.map(\.threshold) == (0...12).map(Double.init).filter { v in data.scores.contains(v) })
    }

    @Test("A timestamp column sets the period: alerts per day over the days the cases span")
    func timeColumn() throws {
        var text = "score,label,at\n"
        for i in 0..<40 { text += "\(Double(i % 10) / 10),\(i % 10 >= 6 ? 1 : 0),2026-03-0\(1 + i % 3)T12:00:00Z\n" }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("timed-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let data = try Predictions(path: path, scoreColumn: "score", labelColumn: "label", timeColumn: "at")
        #expect(data.spanDays == 2)
        let r = try ThresholdTuning.tune(predictions: data, name: "score", perDay: nil, days: data.spanDays, options: Self.options)
        #expect(r.periodSource == "timestamp column" && r.days == 2)
        // score ≥ 0.5 flags the cases with i % 10 ≥ 5: 20 of 40, over 2 days.
        let half = try #require(r.rows.first { $0.threshold == 0.5 })
        #expect(half.alertsPerDay == 10)
    }

    @Test("Degenerate cases: one class, a version without alerts, a policy nothing satisfies")
    func degenerate() throws {
        let oneClass = try RiskEvaluationTests().store(reviews: [(0.2, false), (0.4, false), (0.9, false)])
        #expect(throws: AnalysisError.self) { try ThresholdTuning.tune(store: oneClass, options: Self.options) }
        var options = Self.options
        options.version = "v2"
        let shadow = try ThresholdTuning.tune(store: simulated.store, options: options)
        #expect(shadow.deployed == nil && shadow.recommendation.change == nil)
        options.policy = .maximumAlertsPerDay(0.0001)
        #expect(throws: AnalysisError.self) { try ThresholdTuning.tune(store: simulated.store, options: options) }
        options.version = "v9"
        // A version the store does not hold is refused as unknown (issue 11).
        #expect(throws: UnknownValueError.self) { try ThresholdTuning.tune(store: simulated.store, options: options) }
    }

    @Test("Same seed, same result")
    func determinism() throws {
        #expect(try ThresholdTuning.tune(store: simulated.store, options: Self.options) == ThresholdTuning.tune(store: simulated.store, options: Self.options))
    }
}
