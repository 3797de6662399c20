import Foundation
import Testing
@testable import PeerLensStats

/// Reference (Fixtures/core_linearised.json from generate/core_linearised.py): scikit-learn point estimates,
/// linearised values computed independently (the AUC's from its O(n²) pairwise form, the Brier scores' by
/// numerical differentiation of scikit-learn), survey's PSU variance m/(m − 1)·Σ(z_c − z̄)², and statsmodels'
/// cluster-robust GLM covariance times m/(m − 1) for the calibration sandwich.
@Suite("Design-based (linearised) estimators")
struct LinearisationTests {
    static let cases = CoreFixture("core_linearised.json")["cases"]

    static func inputs(_ c: CoreFixture) -> (scores: [Double], labels: [Bool], weights: [Double]?, clusters: [Int]?) {
        (c["scores"].doubles, c["labels"].bools, c["weights"].isNull ? nil : c["weights"].doubles, c["clusters"].isNull ? nil : c["clusters"].ints)
    }

    @Test("Weighted AUC and its linearised SE match the pairwise reference", arguments: cases.array.indices)
    func auc(case index: Int) throws {
        let c = Self.cases[index], x = Self.inputs(c)
        let r = try Discrimination.linearisedAUC(scores: x.scores, labels: x.labels, weights: x.weights, clusters: x.clusters)
        expectNear(r.estimate, c["auc"].double, relative: 1e-12, "\(c["name"].string): AUC")
        expectNear(r.standardError, c["auc_se"].double, relative: 1e-10, "\(c["name"].string): SE")
        #expect(r.interval.lower < r.estimate && r.estimate < r.interval.upper && r.interval.upper <= 1)
    }

    @Test("Brier and scaled Brier with linearised SEs match the numerical derivatives of scikit-learn", arguments: cases.array.indices)
    func brier(case index: Int) throws {
        let c = Self.cases[index], x = Self.inputs(c)
        let r = try LinearisedBrier(predictions: x.scores, outcomes: x.labels, weights: x.weights, clusters: x.clusters)
        expectNear(r.score.estimate, c["brier"].double, relative: 1e-12, "\(c["name"].string): Brier")
        expectNear(r.score.standardError, c["brier_se"].double, relative: 1e-6, "\(c["name"].string): Brier SE")
        expectNear(r.scaled.estimate, c["scaled_brier"].double, relative: 1e-12, "\(c["name"].string): scaled Brier")
        expectNear(r.scaled.standardError, c["scaled_brier_se"].double, relative: 1e-6, "\(c["name"].string): scaled Brier SE")
    }

    @Test("Calibration intercept and slope with the sandwich covariance match statsmodels", arguments: cases.array.indices)
    func sandwich(case index: Int) throws {
        let c = Self.cases[index], x = Self.inputs(c)
        let r = try Calibration.logistic(predictions: x.scores, outcomes: x.labels, weights: x.weights, clusters: x.clusters, designBased: true)
        let z = StandardNormal.z(forLevel: 0.95)
        expectNear(r.intercept, c["calibration_intercept"].double, relative: 1e-8, "\(c["name"].string): intercept")
        expectNear((r.interceptInterval.upper - r.interceptInterval.lower) / (2 * z), c["calibration_intercept_se"].double, relative: 1e-7,
                   "\(c["name"].string): intercept SE")
        expectNear(r.slope, c["calibration_slope"].double, relative: 1e-8, "\(c["name"].string): slope")
        expectNear((r.slopeInterval.upper - r.slopeInterval.lower) / (2 * z), c["calibration_slope_se"].double, relative: 1e-7,
                   "\(c["name"].string): slope SE")
        // The whole 2 × 2 sandwich of the slope fit.
        let lp = x.scores.map { p in let q = min(max(p, 1e-12), 1 - 1e-12); return log(q / (1 - q)) }
        let fit = try LogisticRegression.fit(predictors: lp.map { [$0] }, outcomes: x.labels, names: ["lp"], weights: x.weights,
                                             covarianceEstimator: .designBased(clusters: x.clusters))
        expectNear(fit.covariance.flatMap { $0 }, c["slope_fit_covariance"].array.flatMap(\.doubles), relative: 1e-7, absolute: 1e-12, "\(c["name"].string): covariance")
    }

    @Test("Unweighted and unclustered, the linearised AUC variance is DeLong's up to its finite-sample factors")
    func deLongRelation() throws {
        let c = Self.cases[0], x = Self.inputs(c)
        #expect(x.weights == nil && x.clusters == nil)
        let lin = try Discrimination.linearisedAUC(scores: x.scores, labels: x.labels)
        // DeLong: S10/n₊ + S01/n₋ with n − 1 denominators; linearised: N/(N − 1)·[(n₊ − 1)/n₊·S10/n₊ + (n₋ − 1)/n₋·S01/n₋].
        let positives = Double(x.labels.filter { $0 }.count), negatives = Double(x.labels.count) - positives
        let n = Double(x.labels.count)
        let components = DeLongComponents(scores: x.scores, labels: x.labels)
        let expected = n / (n - 1) * ((positives - 1) / positives * components.s10 / positives + (negatives - 1) / negatives * components.s01 / negatives)
        expectNear(lin.standardError * lin.standardError, expected, relative: 1e-12, "variance")
        expectNear(lin.estimate, components.auc, relative: 1e-14, "AUC")
    }

    @Test("Degenerate input: one class, one cluster, bad weights")
    func degenerate() throws {
        #expect(throws: StatsError.self) { _ = try Discrimination.linearisedAUC(scores: [0.1, 0.2], labels: [true, true]) }
        #expect(throws: StatsError.self) { _ = try Discrimination.linearisedAUC(scores: [0.1, 0.2], labels: [true, false], clusters: [3, 3]) }
        #expect(throws: StatsError.self) { _ = try Discrimination.linearisedAUC(scores: [0.1, 0.2], labels: [true, false], weights: [1, -1]) }
        #expect(throws: StatsError.self) { _ = try LinearisedBrier(predictions: [0.1, 1.2], outcomes: [true, false]) }
        #expect(throws: StatsError.self) { _ = try Linearisation.variance([1, 2], clusters: [0]) }
        // All scores tied: AUC ½ with zero variance.
        let tied = try Discrimination.linearisedAUC(scores: [0.5, 0.5, 0.5, 0.5], labels: [true, false, true, false])
        #expect(tied.estimate == 0.5 && tied.standardError == 0)
    }
}

@Suite("Presorted sample (bootstrap by multiplicities)")
struct PresortedSampleTests {
    @Test("AP and ECE of multiplicities equal the sweep and the reliability table on the replicated cases", arguments: [false, true])
    func replicated(weighted: Bool) throws {
        let rng = RandomSource(seed: 5)
        let n = 300
        let scores = (0..<n).map { _ in (rng.uniform() * 50).rounded() / 50 }
        let labels = scores.map { rng.uniform() < $0 }
        let weights: [Double]? = weighted ? (0..<n).map { _ in 1 + rng.uniform() * 9 } : nil
        let sample = try PresortedSample(scores: scores, labels: labels, weights: weights)
        let perCase = (0..<n).map { _ in Int32(rng.integer(below: 3)) }
        var m = [Int32](repeating: 0, count: n)
        for i in 0..<n { m[sample.position(ofCase: i)] = perCase[i] }
        var s: [Double] = [], y: [Bool] = [], w: [Double] = []
        for i in 0..<n { for _ in 0..<Int(perCase[i]) { s.append(scores[i]); y.append(labels[i]); w.append(weights?[i] ?? 1) } }
        let sweep = try ThresholdSweep(scores: s, labels: y, weights: weighted ? w : nil)
        let table = try ReliabilityTable(predictions: s, outcomes: y, weights: weighted ? w : nil)
        let r = sample.statistics(multiplicities: m)
        expectNear(try #require(r.averagePrecision), sweep.averagePrecision, relative: 1e-12, "AP")
        expectNear(try #require(r.expectedCalibrationError), table.expectedCalibrationError, relative: 1e-12, "ECE")
        // All ones: the full sample.
        let ones = [Int32](repeating: 1, count: n)
        let full = try ThresholdSweep(scores: scores, labels: labels, weights: weights)
        expectNear(try #require(sample.statistics(multiplicities: ones).averagePrecision), full.averagePrecision, relative: 1e-12, "AP (full)")
    }

    @Test("No positives in the resample: no AP; scores outside [0, 1]: no ECE")
    func degenerate() throws {
        let sample = try PresortedSample(scores: [0.2, 0.4, 0.9], labels: [false, false, true])
        #expect(sample.statistics(multiplicities: [2, 1, 0]).averagePrecision == nil) // positions: scores are already ascending
        let ordinal = try PresortedSample(scores: [1, 2, 3], labels: [false, true, true])
        #expect(ordinal.statistics(multiplicities: [1, 1, 1]) == .init(averagePrecision: 1, expectedCalibrationError: nil))
        #expect(sample.statistics(multiplicities: [0, 0, 0]) == .init(averagePrecision: nil, expectedCalibrationError: nil))
    }
}

/// Reference (Fixtures/core_fastrandom.json from generate/core_fastrandom.py): NumPy's SFC64 with its state set.
@Suite("Fast bootstrap generator (SFC64)")
struct FastRandomTests {
    static let cases = CoreFixture("core_fastrandom.json")["cases"]

    @Test("Raw outputs equal NumPy's SFC64 from the same state", arguments: cases.array.indices)
    func numpy(case index: Int) {
        let c = Self.cases[index]
        let state = c["state"].array.map { UInt64($0.string)! }
        var g = FastRandom(state: state[0], state[1], state[2], counter: state[3])
        let first = (0..<8).map { _ in g.next() }
        #expect(first == c["first"].array.map { UInt64($0.string)! })
        for _ in 8..<999 { _ = g.next() }
        #expect(g.next() == UInt64(c["thousandth"].string)!)
    }

    @Test("Bounded integers are in range, deterministic per seed, and roughly uniform")
    func bounded() {
        var a = FastRandom(seed: 9), b = FastRandom(seed: 9), c = FastRandom(seed: 10)
        var counts = [Int](repeating: 0, count: 7)
        var differs = false
        for _ in 0..<70_000 {
            let x = a.integer(below: 7)
            #expect(x == b.integer(below: 7))
            if x != c.integer(below: 7) { differs = true }
            counts[x] += 1
        }
        #expect(differs)
        // 10,000 expected per value; 5 SDs of a binomial(70000, 1/7) is about 463.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 463 })
        var one = FastRandom(seed: 1)
        #expect((0..<100).allSatisfy { _ in one.integer(below: 1) == 0 })
    }
}

@Suite("Radix sort of scores")
struct ScoreSortingTests {
    @Test("Equals the standard library's descending sort, with negatives, ties, zeros and infinities")
    func matchesSort() {
        let rng = RandomSource(seed: 12)
        var values = (0..<5000).map { _ in (rng.normal() * 1000).rounded() / 1000 }
        values += [0, -0.0, .infinity, -.infinity, 1e-300, -1e-300, 0.5, 0.5, 0.5]
        #expect(ScoreSorting.descending(values) == values.sorted(by: >))
        #expect(ScoreSorting.descending([]) == [])
        #expect(ScoreSorting.descending([0.3]) == [0.3])
    }
}

@Suite("Threshold rules on resamples")
struct ThresholdRuleResampleTests {
    static let rules: [ThresholdRule] = [.maxYouden, .minimumExpectedCost(costMissed: 9, costFalseAlarm: 1), .minimumSensitivity(0.8),
                                         .alertBudget(alertsPerPeriod: 40, periods: 3)]

    @Test("Choosing on multiplicities equals choosing on the sweep of the replicated cases", arguments: rules)
    func streamingEqualsSweep(rule: ThresholdRule) throws {
        let rng = RandomSource(seed: 21)
        let n = 400
        let scores = (0..<n).map { _ in (rng.uniform() * 40).rounded() / 40 }
        let labels = scores.map { rng.uniform() < $0 * 0.6 }
        let weights = (0..<n).map { _ in 1 + (rng.uniform() * 4).rounded() }
        let cases = ThresholdRule.SortedCases(scores: scores, labels: labels, weights: weights)
        for _ in 0..<20 {
            let m = (0..<n).map { _ in Int32(rng.integer(below: 3)) }
            var s: [Double] = [], y: [Bool] = [], w: [Double] = []
            for i in 0..<n { for _ in 0..<Int(m[i]) { s.append(scores[i]); y.append(labels[i]); w.append(weights[i]) } }
            let sweep = try ThresholdSweep(scores: s, labels: y, weights: w)
            #expect(rule.choose(in: cases, multiplicities: m) == rule.choose(in: sweep).map { sweep.thresholds[$0] })
        }
        #expect(rule.choose(in: cases, multiplicities: labels.map { $0 ? 1 : 0 }) == nil) // one class
    }
}

@Suite("Parallel bootstrap replicates")
struct ParallelReplicatesTests {
    @Test("Results come back in replicate order, each from its own seeded stream, whatever the scheduling")
    func ordered() {
        let results = Bootstrap.parallelReplicates(257, seed: 99, scratch: { 0 }) { calls, rng, r -> [UInt64] in
            calls += 1
            return [UInt64(r), rng.next(), rng.next()]
        }
        #expect(results.count == 257)
        for (r, values) in results.enumerated() {
            var rng = FastRandom(seed: 99 &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(r + 1))
            #expect(values == [UInt64(r), rng.next(), rng.next()])
        }
        #expect(Bootstrap.parallelReplicates(0, seed: 1, scratch: { 0 }) { _, _, r in r }.isEmpty)
    }

    @Test("The stratified multiplicity bootstrap keeps stratum sizes and is reproducible")
    func strata() throws {
        let strata = (0..<60).map { $0 < 10 ? 1 : 0 }
        let a = try Bootstrap.percentileByMultiplicities(count: 60, strata: strata, replicates: 200, seed: 4, estimate: 10) { m in
            // Copies drawn from the small stratum: always its size.
            Double(m[0..<10].reduce(0, +))
        }
        #expect(a.interval.lower == 10 && a.interval.upper == 10 && a.failedReplicates == 0)
        let mean: @Sendable ([Int32]) -> Double? = { m in Double(m.enumerated().reduce(0) { $0 + $1.offset * Int($1.element) }) / 60 }
        let b = try Bootstrap.percentileByMultiplicities(count: 60, replicates: 200, seed: 4, estimate: 29.5, statistic: mean)
        let c = try Bootstrap.percentileByMultiplicities(count: 60, replicates: 200, seed: 4, estimate: 29.5, statistic: mean)
        #expect(b == c && b.interval.lower < 29.5 && 29.5 < b.interval.upper)
        #expect(throws: StatsError.self) { _ = try Bootstrap.percentileByMultiplicities(count: 60, replicates: 200, seed: 4, estimate: 1) { _ in nil } }
    }
}
