import Testing
@testable import PeerLensStats

/// References: R survival's `survfit` and `survdiff` (Fixtures/core_survival.json from generate/core_survival.R)
/// and lifelines' `KaplanMeierFitter` (core_survival_lifelines.json from core_survival.py).
/// Tolerances: 1e-12 relative for Ŝ (a product of rationals); 1e-10 relative (+1e-13 absolute) for Greenwood SEs,
/// interval bounds and log-rank statistics (closed forms; R writes 15 significant digits); 1e-9 against lifelines'
/// band; medians and their limits are event times, compared exactly. R's NA (JSON null) must be nil here.
@Suite("Survival")
struct SurvivalTests {
    static let fixture = CoreFixture("core_survival.json")
    static let transforms: [(String, SurvivalIntervalTransform)] = [("log", .log), ("plain", .plain), ("loglog", .logLog)]

    @Test("Kaplan–Meier: survival, Greenwood SE, intervals and median for each transform (survfit)",
          arguments: ["aml", "half", "ties"], [0, 1, 2])
    func kaplanMeier(data: String, transformIndex: Int) throws {
        let ref = Self.fixture[data]
        let (key, transform) = Self.transforms[transformIndex]
        let fit = try KaplanMeier(times: ref["time_in"].doubles, events: ref["status_in"].bools, transform: transform)
        #expect(fit.steps.map(\.time) == ref["time"].doubles, "\(data): times")
        #expect(fit.steps.map(\.atRisk) == ref["n_risk"].ints, "\(data): at risk")
        #expect(fit.steps.map(\.events) == ref["n_event"].ints, "\(data): events")
        #expect(fit.steps.map(\.censored) == ref["n_censor"].ints, "\(data): censored")
        expectNear(fit.steps.map(\.survival), ref["surv"].doubles, relative: 1e-12, "\(data) survival")
        expectNear(fit.steps.map { $0.standardErrorLogSurvival ?? .nan }, ref["std_err"].doubles, relative: 1e-10,
                   "\(data) std.err")
        let band = ref[key]
        expectNear(fit.steps.map { $0.lower ?? .nan }, band["lower"].doubles, relative: 1e-10, absolute: 1e-13, "\(data) \(key) lower")
        expectNear(fit.steps.map { $0.upper ?? .nan }, band["upper"].doubles, relative: 1e-10, absolute: 1e-13, "\(data) \(key) upper")
        for (value, name) in [(fit.median, "median"), (fit.medianLower, "median_lcl"), (fit.medianUpper, "median_ucl")] {
            if band[name].isNull {
                #expect(value == nil, "\(data) \(key) \(name): expected NA, got \(String(describing: value))")
            } else {
                #expect(value == band[name].double, "\(data) \(key) \(name): \(String(describing: value)) vs \(band[name].double)")
            }
        }
    }

    @Test("Kaplan–Meier agrees with lifelines (survival, log-log band, median)")
    func lifelines() throws {
        let ref = CoreFixture("core_survival_lifelines.json")
        let fit = try KaplanMeier(times: ref["time_in"].doubles, events: ref["status_in"].bools, transform: .logLog)
        expectNear(fit.steps.map(\.survival), ref["surv"].doubles, relative: 1e-12, "survival")
        expectNear(fit.steps.map { $0.lower ?? .nan }, ref["lower_loglog"].doubles, relative: 1e-9, "lower")
        expectNear(fit.steps.map { $0.upper ?? .nan }, ref["upper_loglog"].doubles, relative: 1e-9, "upper")
        #expect(fit.median == ref["median"].double)
        #expect(fit.survival(at: 0) == 1 && fit.survival(at: 9.5) == fit.steps[2].survival)
    }

    @Test("Log-rank test for 2 and 4 groups (survdiff)", arguments: ["logrank2", "logrank4"])
    func logRank(key: String) throws {
        let ref = Self.fixture[key]
        let test = try LogRankTest(times: ref["time"].doubles, events: ref["status"].bools, groups: ref["group"].ints)
        expectNear(test.statistic, ref["chisq"].double, relative: 1e-10, "χ²")
        expectNear(test.pValue, ref["p"].double, relative: 1e-10, "p")
        #expect(test.degreesOfFreedom == ref["df"].int)
        expectNear(test.observed, ref["observed"].doubles, relative: 1e-12, "observed")
        expectNear(test.expected, ref["expected"].doubles, relative: 1e-10, "expected")
    }

    @Test("Degenerate survival input")
    func degenerate() throws {
        #expect(throws: StatsError("Kaplan–Meier estimate", .emptyInput)) { try KaplanMeier(times: [], events: []) }
        #expect(throws: StatsError("Kaplan–Meier estimate", .nonFiniteValue)) { try KaplanMeier(times: [.nan], events: [true]) }
        #expect(throws: StatsError("Kaplan–Meier estimate", .lengthMismatch(expected: 2, got: 1))) {
            try KaplanMeier(times: [1, 2], events: [true])
        }
        #expect(throws: StatsError.self) { try KaplanMeier(times: [-1], events: [true]) }
        // All censored: the documented flat curve.
        let flat = try KaplanMeier(times: [1, 2, 3], events: [false, false, false])
        #expect(flat.steps.allSatisfy { $0.survival == 1 && $0.lower == 1 && $0.upper == 1 } && flat.median == nil)
        // n = 1 with an event: Ŝ drops to 0, SE and band undefined (nil), median at that time.
        let one = try KaplanMeier(times: [4], events: [true])
        #expect(one.steps.count == 1 && one.steps[0].survival == 0 && one.steps[0].standardErrorLogSurvival == nil)
        #expect(one.steps[0].lower == nil && one.median == 4)
        #expect(throws: StatsError.self) { try LogRankTest(times: [1, 2], events: [true, true], groups: [0, 0]) }
        #expect(throws: StatsError.self) {
            try LogRankTest(times: [1, 2, 3, 4], events: [false, false, false, false], groups: [0, 0, 1, 1])
        }
        #expect(throws: StatsError("log-rank test", .emptyInput)) { try LogRankTest(times: [], events: [], groups: []) }
        #expect(throws: StatsError("log-rank test", .nonFiniteValue)) {
            try LogRankTest(times: [1, .infinity], events: [true, true], groups: [0, 1])
        }
    }
}
