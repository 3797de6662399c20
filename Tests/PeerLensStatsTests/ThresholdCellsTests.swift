import Testing
@testable import PeerLensStats

/// The cell bootstrap of a threshold rule (`ThresholdCells`) against the case bootstrap it stands in for.
@Suite("Threshold rule bootstrap on cells of the sorted scores")
struct ThresholdCellsTests {
    /// 120,000 cases with integer scores 6…30, positives (10 %) scoring higher: few distinct scores, so every
    /// cell is one score and the cell bootstrap is the stratified case bootstrap exactly, in law.
    static let data: (scores: [Double], labels: [Bool]) = {
        var random = FastRandom(seed: 42)
        var scores: [Double] = [], labels: [Bool] = []
        for i in 0..<120_000 {
            let positive = i % 10 == 0
            let base = positive ? 14 : 6
            scores.append(Double(base + random.integer(below: 17)))
            labels.append(positive)
        }
        return (scores, labels)
    }()

    @Test("Cells partition the cases: descending edges, totals kept, about equal sizes")
    func cells() throws {
        var random = FastRandom(seed: 3)
        let scores = (0..<50_000).map { _ in Double(random.integer(below: 1_000_000)) / 1_000_000 }
        let labels = (0..<50_000).map { $0 % 7 == 0 }
        let sweep = try ThresholdSweep(scores: scores, labels: labels)
        let cells = ThresholdCells(sweep, cells: 100)
        #expect(cells.thresholds == cells.thresholds.sorted(by: >))
        #expect(cells.positives.reduce(0, +) == sweep.positives && cells.negatives.reduce(0, +) == sweep.negatives)
        let sizes = zip(cells.positives, cells.negatives).map { $0 + $1 }
        #expect(cells.thresholds.count >= 99 && cells.thresholds.count <= 101)
        #expect(sizes.dropLast().allSatisfy { $0 >= 500 && $0 < 510 })
        #expect(cells.thresholds.last == sweep.thresholds.last)
    }

    @Test("With one score per cell, the cell bootstrap's interval is the case bootstrap's (to one score step)",
          arguments: [ThresholdRule.maxYouden, .minimumSensitivity(0.8), .minimumExpectedCost(costMissed: 9, costFalseAlarm: 1)])
    func matchesCaseBootstrap(rule: ThresholdRule) throws {
        let (scores, labels) = Self.data
        let large = try rule.apply(scores: scores, labels: labels, replicates: 200, seed: 5)
        #expect(large.bootstrapCandidates == 25) // scores 6…30
        // The case bootstrap of the same rule (weights of 1 keep apply() on its case path).
        let cases = try rule.apply(scores: scores, labels: labels, weights: [Double](repeating: 1, count: scores.count), replicates: 200, seed: 5)
        #expect(cases.bootstrapCandidates == nil)
        #expect(large.threshold == cases.threshold)
        let a = try #require(large.interval?.interval), b = try #require(cases.interval?.interval)
        #expect(abs(a.lower - b.lower) <= 1 && abs(a.upper - b.upper) <= 1, "cells \(a), cases \(b)")
    }

    @Test("Below 100,000 cases, or weighted, the replicates resample cases")
    func casePathBelowLargeSample() throws {
        let (scores, labels) = Self.data
        let small = try ThresholdRule.maxYouden.apply(scores: Array(scores.prefix(5_000)), labels: Array(labels.prefix(5_000)), replicates: 100)
        #expect(small.bootstrapCandidates == nil && small.interval != nil)
    }
}

@Suite("Net benefit from a sweep")
struct NetBenefitSweepTests {
    @Test("The sweep's curve equals the case-by-case curve, unweighted and weighted")
    func sameAsCases() throws {
        var random = FastRandom(seed: 9)
        let scores = (0..<3_000).map { _ in Double(random.integer(below: 1000)) / 1000 }
        let labels = scores.map { Double(random.integer(below: 1000)) / 1000 < $0 * 0.3 }
        let weights = (0..<3_000).map { _ in 1 + Double(random.integer(below: 20)) }
        for w in [nil, weights] {
            let cases = try NetBenefit.curve(scores: scores, labels: labels, thresholds: NetBenefit.lowPrevalenceGrid, weights: w)
            let swept = try NetBenefit.curve(ThresholdSweep(scores: scores, labels: labels, weights: w), thresholds: NetBenefit.lowPrevalenceGrid)
            #expect(cases.count == swept.count)
            for (a, b) in zip(cases, swept) {
                #expect(a.thresholdProbability == b.thresholdProbability)
                #expect(abs(a.model - b.model) < 1e-12 && abs(a.treatAll - b.treatAll) < 1e-12)
            }
        }
        #expect(throws: StatsError.self) { try NetBenefit.curve(ThresholdSweep(scores: scores, labels: labels), thresholds: [1]) }
    }
}
