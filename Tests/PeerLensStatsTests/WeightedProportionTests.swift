import Testing
@testable import PeerLensStats

/// Reference (Fixtures/core_weighted.json from generate/core_weighted.py): samplics' `TaylorEstimator` for a
/// proportion (Taylor linearisation, PSU-level with-replacement variance, no strata). Tolerance 1e-12 relative:
/// closed forms summed in another order.
@Suite("Weighted proportion (design-based)")
struct WeightedProportionTests {
    static let cases = CoreFixture("core_weighted.json")["cases"]

    @Test("Estimate and linearised standard error match samplics", arguments: cases.array.indices)
    func reference(case index: Int) throws {
        let c = Self.cases[index]
        let clusters: [Int]? = c["clusters"].isNull ? nil : c["clusters"].ints
        let r = try WeightedProportion(outcomes: c["outcomes"].bools, weights: c["weights"].doubles, clusters: clusters)
        expectNear(r.estimate, c["estimate"].double, relative: 1e-12, absolute: 1e-15, "\(c["name"].string): p̂")
        expectNear(r.standardError, c["standard_error"].double, relative: 1e-12, absolute: 1e-15, "\(c["name"].string): SE")
        #expect(r.interval.lower < r.estimate && r.estimate < r.interval.upper)
        #expect(r.interval.lower >= 0 && r.interval.upper <= 1)
    }

    @Test("Equal weights, no clusters: the effective size is n − 1 (the m/(m − 1) factor) and the interval is Wilson's at that size")
    func unweightedIsWilson() throws {
        let y = (0..<50).map { $0 % 5 == 0 }
        let r = try WeightedProportion(outcomes: y, weights: Array(repeating: 2.5, count: 50))
        // V = n/(n−1)·Σ((y−p)/n)² = p(1−p)/(n − 1), so n_eff = n − 1.
        #expect(abs(r.effectiveSize! - 49) < 1e-9)
        let wilson = ProportionInterval.wilson(rate: 0.2, effectiveSize: 49, level: 0.95)
        #expect(abs(r.interval.lower - wilson.lower) < 1e-9 && abs(r.interval.upper - wilson.upper) < 1e-9)
    }

    @Test("Degenerate input is refused or handled")
    func degenerate() throws {
        #expect(throws: StatsError.self) { _ = try WeightedProportion(outcomes: [], weights: []) }
        #expect(throws: StatsError.self) { _ = try WeightedProportion(outcomes: [true, false], weights: [1]) }
        #expect(throws: StatsError.self) { _ = try WeightedProportion(outcomes: [true, false], weights: [1, 1], clusters: [7, 7]) }
        let all = try WeightedProportion(outcomes: [true, true, true], weights: [1, 2, 3])
        #expect(all.estimate == 1 && all.effectiveSize == nil && all.interval.upper == 1 && all.interval.lower < 1)
    }
}

/// Reference: scipy.stats.norm — 2·norm.sf(1.959963984540054) = 0.05 and norm.ppf(0.975) = 1.959963984540054
/// (tolerance 1e-12), so the Wald interval of a difference whose z is Φ⁻¹(0.975) just touches 0.
@Suite("Difference of independent estimates")
struct DifferenceTestTests {
    @Test("Wald test and interval of a − b")
    func wald() throws {
        let t = try DifferenceTest(a: 0.3, standardErrorA: 0.03, b: 0.2, standardErrorB: 0.04)
        #expect(abs(t.standardError - 0.05) < 1e-15 && abs(t.z - 2) < 1e-12)
        // 2·norm.sf(2) = 0.04550026389635842 (scipy).
        #expect(abs(t.pValue - 0.04550026389635842) < 1e-12)
        let edge = try DifferenceTest(a: 1.959963984540054, standardErrorA: 1, b: 0, standardErrorB: 0)
        #expect(abs(edge.pValue - 0.05) < 1e-12 && abs(edge.interval.lower) < 1e-12)
        #expect(throws: StatsError.self) { _ = try DifferenceTest(a: 1, standardErrorA: 0, b: 0, standardErrorB: 0) }
        #expect(throws: StatsError.self) { _ = try DifferenceTest(a: .nan, standardErrorA: 1, b: 0, standardErrorB: 1) }
    }
}

@Suite("Standard normal accessors")
struct StandardNormalTests {
    /// scipy.stats.norm.ppf(0.975) = 1.959963984540054, norm.ppf(0.95) = 1.6448536269514722.
    @Test("Quantiles equal scipy's")
    func quantiles() {
        #expect(abs(StandardNormal.z(forLevel: 0.95) - 1.959963984540054) < 1e-12)
        #expect(abs(StandardNormal.quantile(0.95) - 1.6448536269514722) < 1e-12)
    }
}
