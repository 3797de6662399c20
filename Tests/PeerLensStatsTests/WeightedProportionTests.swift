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
