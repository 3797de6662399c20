import Testing
@testable import PeerLensStats

/// Reference (Fixtures/core_inequality.json from generate/core_inequality.py): PySAL `inequality`'s Gini and the
/// O(n²) double-sum definition computed with numpy. Tolerance 1e-12 relative: closed forms, summed in another order.
@Suite("Inequality")
struct InequalityTests {
    static let cases = CoreFixture("core_inequality.json")["cases"]

    @Test("Gini coefficient (PySAL inequality; double-sum definition)", arguments: cases.array.indices)
    func gini(case index: Int) throws {
        let c = Self.cases[index]
        let result = try GiniCoefficient(c["values"].doubles)
        expectNear(result.gini, c["gini_pysal"].double, relative: 1e-12, absolute: 1e-15, "\(c["name"].string): G vs PySAL")
        expectNear(result.gini, c["gini_double_sum"].double, relative: 1e-12, absolute: 1e-15, "\(c["name"].string): G vs double sum")
        expectNear(result.corrected, c["corrected"].double, relative: 1e-12, absolute: 1e-15, "\(c["name"].string): n/(n − 1)·G")
        #expect(result.interval == nil)
    }

    @Test("Bootstrap interval: contains G, reproducible, and the count-based replicate equals a direct computation")
    func bootstrap() throws {
        let values = Self.cases[1]["values"].doubles
        let a = try GiniCoefficient(values, replicates: 500, seed: 5)
        let b = try GiniCoefficient(values, replicates: 500, seed: 5)
        let ci = try #require(a.interval)
        #expect(a == b)
        #expect(ci.interval.lower < a.gini && a.gini < ci.interval.upper)
        #expect(ci.estimate == a.gini && ci.method == .bca && ci.replicates == 500)
        let percentile = try #require(try GiniCoefficient(values, replicates: 500, method: .percentile, seed: 5).interval)
        #expect(percentile.method == .percentile && percentile.interval != ci.interval)
        // A resample given as counts over sorted positions gives the same G as the expanded, re-sorted sample.
        let sorted = values.sorted()
        let rng = RandomSource(seed: 9)
        var counts = [Int](repeating: 0, count: sorted.count)
        var expanded: [Double] = []
        for _ in sorted.indices { let i = rng.integer(below: sorted.count); counts[i] += 1; expanded.append(sorted[i]) }
        expectNear(GiniCoefficient.fromSorted(sorted, counts: counts), try GiniCoefficient(expanded).gini, relative: 1e-12,
                   "count-based G")
    }

    @Test("Degenerate input")
    func degenerate() throws {
        #expect(try GiniCoefficient([3, 3, 3]).gini == 0)
        #expect(throws: StatsError("Gini coefficient", .emptyInput)) { try GiniCoefficient([]) }
        #expect(throws: StatsError("Gini coefficient", .tooFewObservations(needed: 2, got: 1))) { try GiniCoefficient([4]) }
        #expect(throws: StatsError("Gini coefficient", .allTied)) { try GiniCoefficient([0, 0]) }
        #expect(throws: StatsError("Gini coefficient", .nonFiniteValue)) { try GiniCoefficient([1, .nan]) }
        #expect(throws: StatsError.self) { try GiniCoefficient([1, -1]) }
    }
}
