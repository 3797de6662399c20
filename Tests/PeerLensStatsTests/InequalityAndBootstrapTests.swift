import Testing
@testable import PeerLensStats

@Suite("Gini and bootstrap")
struct InequalityAndBootstrapTests {
    @Test("Gini coefficient against the double-sum definition (numpy)")
    func gini() throws {
        let g = py.section("gini")
        let result = try GiniCoefficient(g.doubles("values"), replicates: 500, seed: 5)
        expectClose(result.gini, g.double("gini"), 1e-12, "G")
        expectClose(result.corrected, g.double("corrected"), 1e-12, "corrected")
        let ci = try #require(result.interval)
        #expect(ci.interval.lower <= result.gini && result.gini <= ci.interval.upper)
        #expect(try GiniCoefficient([3, 3, 3]).gini == 0)
        #expect(throws: StatsError.self) { try GiniCoefficient([0, 0]) }
        #expect(throws: StatsError.self) { try GiniCoefficient([1, -1]) }
    }

    @Test("Bootstrap: same seed same interval; percentile and BCa cover a normal mean at about the nominal rate")
    func coverage() throws {
        var coveredPercentile = 0, coveredBCa = 0
        let trials = 60
        for trial in 0..<trials {
            let rng = RandomSource(seed: UInt64(1000 + trial))
            let sample = (0..<40).map { _ in rng.normal(mean: 2, sd: 1) }
            let mean: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
            let p = try Bootstrap.interval(sample: sample, replicates: 400, method: .percentile, seed: 7, statistic: mean)
            let b = try Bootstrap.interval(sample: sample, replicates: 400, method: .bca, seed: 7, statistic: mean)
            if p.interval.contains(2) { coveredPercentile += 1 }
            if b.interval.contains(2) { coveredBCa += 1 }
        }
        // 95 % nominal: with 60 trials, fewer than 48 covered would be very unlikely (binomial p < 0.001).
        #expect(coveredPercentile >= 48)
        #expect(coveredBCa >= 48)
        let sample = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let a = try Bootstrap.interval(sample: sample, seed: 1) { $0.reduce(0, +) }
        let b = try Bootstrap.interval(sample: sample, seed: 1) { $0.reduce(0, +) }
        #expect(a == b)
    }

    @Test("Stratified resampling keeps stratum sizes; failures are counted, too many refused")
    func strata() throws {
        let strata = [0, 0, 0, 0, 1, 1]
        let r = try stratumSizeInterval(strata, stratum: 1)
        #expect(r.interval.lower == 2 && r.interval.upper == 2)
        #expect(throws: StatsError.self) {
            try Bootstrap.intervalByIndex(count: 6, replicates: 200, seed: 3) { idx in
                if idx.contains(0) { throw StatsError("x", .singleClass) }
                return 1
            }
        }
        #expect(throws: StatsError("bootstrap interval", .emptyInput)) { try Bootstrap.intervalByIndex(count: 0, seed: 1) { _ in 0 } }
    }
}
