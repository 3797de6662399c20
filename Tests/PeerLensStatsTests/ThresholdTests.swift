import Testing
@testable import PeerLensStats

@Suite("Thresholds")
struct ThresholdTests {
    // Hand-checkable data: scores with their labels.
    let scores: [Double] = [0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    let labels: [Bool] = [true, true, false, true, false, true, false, false, false, false]

    @Test("Cumulative counts at every distinct threshold")
    func sweep() throws {
        let s = try ThresholdSweep(scores: scores, labels: labels)
        #expect(s.thresholds == [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
        #expect(s.truePositives == [1, 2, 3, 3, 4, 4, 4, 4, 4])
        #expect(s.falsePositives == [0, 1, 1, 2, 2, 3, 4, 5, 6])
        #expect(s.alerts == [1, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(s.index(atThreshold: 0.75) == 1)   // score ≥ 0.75 → {0.9, 0.8, 0.8}
        #expect(s.index(atThreshold: 0.95) == nil)
    }

    @Test("Named rules choose the documented thresholds")
    func rules() throws {
        // Youden J at each threshold: 0.25, 0.333, 0.583, 0.417, 0.667, 0.5, … → 0.5.
        #expect(try ThresholdRule.maxYouden.apply(scores: scores, labels: labels).threshold == 0.5)
        #expect(try ThresholdRule.minimumSensitivity(0.75).apply(scores: scores, labels: labels).threshold == 0.7)
        // 10 cases over 5 days; at most 0.8 alerts/day → at most 4 alerts → 0.7.
        #expect(try ThresholdRule.alertBudget(alertsPerPeriod: 0.8, periods: 5).apply(scores: scores, labels: labels).threshold == 0.7)
        // Missing a positive costs 10, a false alarm 1: alert at 0.5 (cost 2) beats 0.7 (cost 11).
        #expect(try ThresholdRule.minimumExpectedCost(costMissed: 10, costFalseAlarm: 1).apply(scores: scores, labels: labels).threshold == 0.5)
        #expect(throws: StatsError.self) { try ThresholdRule.minimumSensitivity(1.5).apply(scores: scores, labels: labels) }
    }

    @Test("Bootstrap interval of the chosen threshold is seeded and contains the estimate")
    func bootstrap() throws {
        let rng = RandomSource(seed: 9)
        let y = (0..<400).map { _ in rng.bernoulli(0.2) }
        let s = y.map { min(1, max(0, ($0 ? 0.6 : 0.35) + rng.normal(sd: 0.15))) }
        let a = try ThresholdRule.maxYouden.apply(scores: s, labels: y, replicates: 300, seed: 42)
        let b = try ThresholdRule.maxYouden.apply(scores: s, labels: y, replicates: 300, seed: 42)
        #expect(a == b)
        let ci = try #require(a.interval)
        #expect(ci.interval.lower <= a.threshold && a.threshold <= ci.interval.upper)
        #expect(ci.interval.lower < ci.interval.upper)
    }

    @Test("Operating point counts and Wilson intervals (statsmodels for the interval values)")
    func operatingPoint() throws {
        let p = try OperatingPoint.at(threshold: 0.7, scores: scores, labels: labels)
        #expect(p.truePositives == 3 && p.falsePositives == 1 && p.falseNegatives == 1 && p.trueNegatives == 5)
        #expect(p.sensitivity == 0.75)
        let ref = try ProportionInterval.wilson(successes: 3, trials: 4)
        #expect(p.sensitivityInterval == ref)
        let none = try OperatingPoint.at(threshold: 0.5, scores: [0.1, 0.2], labels: [false, false])
        #expect(none.sensitivity == nil && none.positivePredictiveValue == nil && none.specificity == 1)
    }

    @Test("Net benefit: model, treat-all and treat-none by the Vickers–Elkin formula")
    func netBenefit() throws {
        let p: [Double] = [0.9, 0.7, 0.6, 0.3, 0.2, 0.1]
        let y = [true, true, false, true, false, false]
        let nb = try NetBenefit.curve(scores: p, labels: y, thresholds: [0.5])[0]
        // TP = 2, FP = 1 at pt = 0.5 (odds 1): 2/6 − 1/6.
        #expect(abs(nb.model - 1.0 / 6) < 1e-15)
        #expect(abs(nb.treatAll - (0.5 - 0.5)) < 1e-15)
        #expect(throws: StatsError.self) { try NetBenefit.curve(scores: p, labels: y, thresholds: [1]) }
    }

    @Test("Weighted net benefit: an integer weight k is k copies of the case (sampling weights' definition)")
    func weightedNetBenefit() throws {
        let p: [Double] = [0.9, 0.7, 0.6, 0.3, 0.2, 0.1, 0.45]
        let y = [true, true, false, true, false, false, true]
        let w: [Double] = [1, 3, 2, 1, 4, 2, 5]
        var expandedP: [Double] = [], expandedY: [Bool] = []
        for i in p.indices { for _ in 0..<Int(w[i]) { expandedP.append(p[i]); expandedY.append(y[i]) } }
        let thresholds = [0.05, 0.25, 0.4, 0.5, 0.65]
        let weighted = try NetBenefit.curve(scores: p, labels: y, thresholds: thresholds, weights: w)
        let expanded = try NetBenefit.curve(scores: expandedP, labels: expandedY, thresholds: thresholds)
        for (a, b) in zip(weighted, expanded) {
            #expect(abs(a.model - b.model) < 1e-15 && abs(a.treatAll - b.treatAll) < 1e-15, "pt \(a.thresholdProbability)")
        }
        #expect(throws: StatsError.self) { try NetBenefit.curve(scores: p, labels: y, thresholds: [0.5], weights: [1, 2]) }
    }
}
