import Testing
@testable import PeerLensStats

/// The interval formulas are checked against scipy.stats.bootstrap on the same replicate values
/// (Fixtures/core_bootstrap.json from generate/core_bootstrap.py: scipy's `_bca_interval` and numpy's
/// linear percentile), tolerance 1e-10 relative — closed forms, but through Φ and Φ⁻¹ (GSL vs scipy).
/// The resampling itself (GSL MT19937, so no shared reference stream) is checked by properties that could fail:
/// determinism, stratum sizes, failure accounting, and coverage.
@Suite("Bootstrap")
struct BootstrapTests {
    static let cases = CoreFixture("core_bootstrap.json")["cases"]

    @Test("BCa and percentile intervals from given replicates (scipy)", arguments: cases.array.indices)
    func formulas(case index: Int) throws {
        let c = Self.cases[index]
        let sample = c["sample"].doubles
        let statistic: ([Double]) -> Double = c["statistic"].string == "mean"
            ? { $0.reduce(0, +) / Double($0.count) }
            : { values in
                let m = values.reduce(0, +) / Double(values.count)
                return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
            }
        expectNear(statistic(sample), c["estimate"].double, relative: 1e-12, "estimate")
        // Leave-one-out jackknife (n ≤ 200, so Bootstrap uses exactly this), through the same code path.
        let a = Bootstrap.acceleration(count: sample.count, groups: [Array(sample.indices)]) { idx in statistic(idx.map { sample[$0] }) }
        expectNear(a, c["acceleration"].double, relative: 1e-10, "acceleration")
        for row in c["intervals"].array {
            let level = row["level"].double
            let bca = try Bootstrap.interval(replicates: c["replicates"].doubles, estimate: statistic(sample), acceleration: a,
                                             level: level, method: .bca, "test")
            expectNear([bca.lower, bca.upper], row["bca"].doubles, relative: 1e-10, "BCa at \(level)")
            let pct = try Bootstrap.interval(replicates: c["replicates"].doubles, estimate: statistic(sample), acceleration: 0,
                                             level: level, method: .percentile, "test")
            expectNear([pct.lower, pct.upper], row["percentile"].doubles, relative: 1e-12, "percentile at \(level)")
        }
    }

    @Test("Same seed, same interval (bit for bit); another seed, another interval")
    func determinism() throws {
        let sample = (1...25).map { Double($0 * $0 % 17) }
        let sum: ([Double]) -> Double = { $0.reduce(0, +) }
        let a = try Bootstrap.interval(sample: sample, seed: 11, statistic: sum)
        let b = try Bootstrap.interval(sample: sample, seed: 11, statistic: sum)
        let c = try Bootstrap.interval(sample: sample, seed: 12, statistic: sum)
        #expect(a == b)
        #expect(a.interval != c.interval)
        #expect(a.seed == 11 && a.replicates == 2000 && a.failedReplicates == 0 && a.method == .bca)
        // The sample and index variants resample identically.
        let byIndex = try Bootstrap.intervalByIndex(count: sample.count, seed: 11) { idx in idx.reduce(0) { $0 + sample[$1] } }
        #expect(byIndex == a)
    }

    @Test("Percentile and BCa cover a normal mean at about the nominal rate")
    func coverage() throws {
        var coveredPercentile = 0, coveredBCa = 0
        let trials = 60
        let mean: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
        for trial in 0..<trials {
            let rng = RandomSource(seed: UInt64(1000 + trial))
            let sample = (0..<40).map { _ in rng.normal(mean: 2, sd: 1) }
            let p = try Bootstrap.interval(sample: sample, replicates: 400, method: .percentile, seed: 7, statistic: mean)
            let b = try Bootstrap.interval(sample: sample, replicates: 400, method: .bca, seed: 7, statistic: mean)
            if p.interval.contains(2) { coveredPercentile += 1 }
            if b.interval.contains(2) { coveredBCa += 1 }
            #expect(p.interval.lower < p.interval.upper)
        }
        // 95 % nominal: with 60 trials, fewer than 48 covered has binomial probability < 0.001.
        #expect(coveredPercentile >= 48)
        #expect(coveredBCa >= 48)
    }

    @Test("Stratified resampling keeps stratum sizes")
    func strata() throws {
        let strata = [5, 5, 5, 5, 9, 9]
        let r = try stratumSizeInterval(strata, stratum: 9)
        #expect(r.interval.lower == 2 && r.interval.upper == 2)
        // Without strata the count of stratum-9 units varies.
        let free = try stratumSizeInterval(strata, stratum: 9, stratified: false)
        #expect(free.interval.lower < free.interval.upper)
    }

    @Test("Failed replicates are counted; too many are refused")
    func failures() throws {
        // Fails when unit 0 is drawn 3+ times: rare (≈ 8 % of replicates for n = 10), so it is tolerated and counted.
        let r = try Bootstrap.intervalByIndex(count: 10, replicates: 500, method: .percentile, seed: 3) { idx in
            if idx.filter({ $0 == 0 }).count >= 3 { throw StatsError("x", .singleClass) }
            return Double(idx.reduce(0, +))
        }
        #expect(r.failedReplicates > 0 && r.failedReplicates + r.replicates == 500)
        // Fails whenever unit 0 is drawn (≈ 65 % of replicates): refused.
        #expect(throws: StatsError.self) {
            try Bootstrap.intervalByIndex(count: 10, replicates: 200, seed: 3) { idx in
                if idx.contains(0) { throw StatsError("x", .singleClass) }
                return 1
            }
        }
        // Non-finite values count as failures too.
        #expect(throws: StatsError.self) {
            try Bootstrap.intervalByIndex(count: 10, replicates: 200, seed: 3) { idx in idx.contains(0) ? .nan : 1 }
        }
    }

    @Test("All values tied: a documented zero-width interval")
    func tied() throws {
        let r = try Bootstrap.interval(sample: [4.0, 4, 4, 4], seed: 1) { $0.reduce(0, +) / Double($0.count) }
        #expect(r.interval.lower == 4 && r.interval.upper == 4)
    }

    @Test("Degenerate input is a typed error")
    func degenerate() {
        #expect(throws: StatsError("bootstrap interval", .emptyInput)) { try Bootstrap.intervalByIndex(count: 0, seed: 1) { _ in 0 } }
        #expect(throws: StatsError("bootstrap interval", .tooFewObservations(needed: 2, got: 1))) {
            try Bootstrap.interval(sample: [1.0], seed: 1) { $0[0] }
        }
        #expect(throws: StatsError.self) { try Bootstrap.intervalByIndex(count: 5, replicates: 10, seed: 1) { _ in 1 } }
        #expect(throws: StatsError.self) { try Bootstrap.intervalByIndex(count: 5, level: 1.5, seed: 1) { _ in 1 } }
        #expect(throws: StatsError("bootstrap interval", .lengthMismatch(expected: 5, got: 2))) {
            try Bootstrap.intervalByIndex(count: 5, strata: [0, 1], seed: 1) { _ in 1 }
        }
        #expect(throws: StatsError("bootstrap interval", .nonFiniteValue)) { try Bootstrap.intervalByIndex(count: 5, seed: 1) { _ in .infinity } }
        // The statistic's own error on the original sample is passed on.
        #expect(throws: StatsError("x", .emptyInput)) {
            try Bootstrap.intervalByIndex(count: 5, seed: 1) { _ in throw StatsError("x", .emptyInput) }
        }
    }
}
