import Testing
@testable import PeerLensStats

/// Reference: R survival (survfit, survdiff) on the aml data; lifelines as a second source. 1e-10.
@Suite("Survival")
struct SurvivalTests {
    let km = r.section("km")

    @Test("Kaplan–Meier survival, Greenwood SE and log intervals (survfit)")
    func kaplanMeier() throws {
        let fit = try KaplanMeier(times: km.doubles("time_in"), events: km.bools("status_in"))
        expectClose(fit.steps.map(\.time), km.doubles("time"), 0, "times")
        expectClose(fit.steps.map { Double($0.atRisk) }, km.doubles("n_risk"), 0, "at risk")
        expectClose(fit.steps.map(\.survival), km.doubles("surv"), 1e-12, "survival")
        expectClose(fit.steps.map(\.standardErrorLogSurvival), km.doubles("std_err"), 1e-10, "std.err")
        expectClose(fit.steps.compactMap(\.lower), km.doubles("lower").filter { !$0.isNaN }, 1e-10, "lower")
        expectClose(fit.steps.compactMap(\.upper), km.doubles("upper").filter { !$0.isNaN }, 1e-10, "upper")
        #expect(fit.median == km.double("median"))
        #expect(fit.medianLower == km.double("median_lcl"))
        if let ucl = km.values["median_ucl"] as? Double { #expect(fit.medianUpper == ucl) } else { #expect(fit.medianUpper == nil) }
        let lifelines = py.section("lifelines")
        expectClose(fit.steps.map(\.survival), lifelines.doubles("surv"), 1e-12, "lifelines")
    }

    @Test("Log-log intervals (survfit conf.type = 'log-log')")
    func logLog() throws {
        let fit = try KaplanMeier(times: km.doubles("time_in"), events: km.bools("status_in"), transform: .logLog)
        expectClose(fit.steps.compactMap(\.lower), km.doubles("lower_loglog").filter { !$0.isNaN }, 1e-10, "lower")
        expectClose(fit.steps.compactMap(\.upper), km.doubles("upper_loglog").filter { !$0.isNaN }, 1e-10, "upper")
    }

    @Test("Log-rank test (survdiff)")
    func logRank() throws {
        let test = try LogRankTest(times: km.doubles("time_in"), events: km.bools("status_in"), groups: km.ints("group_in"))
        expectClose(test.statistic, km.double("logrank_chisq"), 1e-10, "χ²")
        expectClose(test.pValue, km.double("logrank_p"), 1e-10, "p")
        expectClose(test.observed, km.doubles("logrank_observed"), 1e-12, "observed")
        expectClose(test.expected, km.doubles("logrank_expected"), 1e-10, "expected")
    }

    @Test("Degenerate survival input")
    func degenerate() {
        #expect(throws: StatsError("Kaplan–Meier estimate", .emptyInput)) { try KaplanMeier(times: [], events: []) }
        #expect(throws: StatsError.self) { try KaplanMeier(times: [-1], events: [true]) }
        #expect(throws: StatsError.self) { try LogRankTest(times: [1, 2], events: [true, true], groups: [0, 0]) }
    }
}
