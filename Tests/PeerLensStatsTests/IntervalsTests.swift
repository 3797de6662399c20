import Testing
@testable import PeerLensStats

/// References (Fixtures/core_intervals.json, from generate/core_intervals.py): statsmodels
/// `proportion_confint` (methods "wilson" and "beta") and scipy `t.interval`.
/// Tolerances: Wilson and the t interval are closed forms → 1e-12 relative; Clopper–Pearson inverts the beta
/// CDF numerically (GSL vs scipy's boost) → 1e-9 relative.
@Suite("Intervals")
struct IntervalsTests {
    static let fixture = CoreFixture("core_intervals.json")

    @Test("Wilson and Clopper–Pearson intervals (statsmodels)", arguments: fixture["proportions"].array.indices)
    func proportions(case index: Int) throws {
        let row = Self.fixture["proportions"][index]
        let x = row["x"].int, n = row["n"].int, level = row["level"].double
        let w = try ProportionInterval.wilson(successes: x, trials: n, level: level)
        expectNear([w.lower, w.upper], row["wilson"].doubles, relative: 1e-12, "Wilson \(x)/\(n) at \(level)")
        #expect(w.level == level)
        let cp = try ProportionInterval.clopperPearson(successes: x, trials: n, level: level)
        expectNear([cp.lower, cp.upper], row["clopper_pearson"].doubles, relative: 1e-9, "Clopper–Pearson \(x)/\(n) at \(level)")
    }

    @Test("Invalid proportions are typed errors")
    func invalid() {
        #expect(throws: StatsError("Wilson interval", .emptyInput)) { try ProportionInterval.wilson(successes: 0, trials: 0) }
        #expect(throws: StatsError("Clopper–Pearson interval", .emptyInput)) { try ProportionInterval.clopperPearson(successes: 0, trials: 0) }
        #expect(throws: StatsError.self) { try ProportionInterval.wilson(successes: 5, trials: 4) }
        #expect(throws: StatsError.self) { try ProportionInterval.wilson(successes: -1, trials: 4) }
        #expect(throws: StatsError.self) { try ProportionInterval.clopperPearson(successes: 1, trials: 4, level: 1) }
        #expect(throws: StatsError.self) { try ProportionInterval.wilson(successes: 1, trials: 4, level: .nan) }
    }

    @Test("t interval for a mean (scipy)", arguments: fixture["means"].array.indices)
    func tInterval(case index: Int) throws {
        let row = Self.fixture["means"][index]
        let m = try MeanEstimate.t(row["values"].doubles, level: row["level"].double)
        expectNear(m.mean, row["mean"].double, relative: 1e-12, "mean")
        expectNear(m.standardDeviation, row["sd"].double, relative: 1e-9, "SD (n − 1)")
        expectNear([m.interval.lower, m.interval.upper], row["ci"].doubles, relative: 1e-12, "CI")
    }

    @Test("t interval: degenerate input")
    func tDegenerate() throws {
        #expect(throws: StatsError("t interval", .emptyInput)) { try MeanEstimate.t([]) }
        #expect(throws: StatsError("t interval", .tooFewObservations(needed: 2, got: 1))) { try MeanEstimate.t([1]) }
        #expect(throws: StatsError("t interval", .nonFiniteValue)) { try MeanEstimate.t([1, .infinity]) }
        // All values equal: the documented result is a zero-width interval at the mean.
        let tied = try MeanEstimate.t([2, 2, 2])
        #expect(tied.interval.lower == 2 && tied.interval.upper == 2 && tied.standardDeviation == 0)
    }
}
