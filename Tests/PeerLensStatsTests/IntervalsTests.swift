import Testing
@testable import PeerLensStats

/// References: statsmodels proportion_confint (wilson, beta) and scipy t intervals; 1e-10 relative.
@Suite("Intervals")
struct IntervalsTests {

    @Test("Wilson and Clopper–Pearson intervals (statsmodels)")
    func proportions() throws {
        for entry in py.root["proportions"] as! [[String: Any]] {
            let row = Section(values: entry)
            let x = Int(row.double("x")), n = Int(row.double("n"))
            let w = try ProportionInterval.wilson(successes: x, trials: n)
            expectClose([w.lower, w.upper], row.doubles("wilson"), 1e-10, "Wilson \(x)/\(n)")
            let cp = try ProportionInterval.clopperPearson(successes: x, trials: n)
            expectClose([cp.lower, cp.upper], row.doubles("clopper_pearson"), 1e-9, "Clopper–Pearson \(x)/\(n)")
        }
    }

    @Test("Invalid proportions are typed errors")
    func invalid() {
        #expect(throws: StatsError("Wilson interval", .emptyInput)) { try ProportionInterval.wilson(successes: 0, trials: 0) }
        #expect(throws: StatsError.self) { try ProportionInterval.wilson(successes: 5, trials: 4) }
        #expect(throws: StatsError.self) { try ProportionInterval.clopperPearson(successes: 1, trials: 4, level: 1) }
    }

    @Test("t interval for a mean (scipy)")
    func tInterval() throws {
        let t = py.section("t")
        let m = try MeanEstimate.t(t.doubles("sample"))
        expectClose(m.mean, t.double("mean"), 1e-12, "mean")
        expectClose([m.interval.lower, m.interval.upper], t.doubles("ci"), 1e-10, "CI")
        #expect(throws: StatsError("t interval", .tooFewObservations(needed: 2, got: 1))) { try MeanEstimate.t([1]) }
    }
}
