import Testing
@testable import PeerLensStats

/// The pre–post effect standardised by the baseline SD against numpy/scipy (`core_standardised_change.py`).
@Suite("Standardised mean change over the baseline SD (Becker 1988) against scipy")
struct StandardisedChangeReferenceTests {
    static let cases = CoreFixture("core_standardised_change.json")["cases"].array

    @Test("d, g, r, SE and intervals equal the reference", arguments: 0..<3)
    func reference(_ i: Int) throws {
        let c = Self.cases[i]
        let e = try StandardisedMeanChange.baselineStandardised(before: c["pre"].doubles, after: c["post"].doubles, level: c["level"].double)
        #expect(abs(e.d - c["d"].double) < 1e-12)
        #expect(abs(e.g - c["g"].double) < 1e-12)
        #expect(abs(e.correlation - c["r"].double) < 1e-12)
        #expect(abs(e.baselineStandardDeviation - c["baseline_sd"].double) < 1e-12)
        #expect(abs(e.standardErrorD - c["se_d"].double) < 1e-12)
        #expect(abs(e.intervalD.lower - c["lower_d"].double) < 1e-9 && abs(e.intervalD.upper - c["upper_d"].double) < 1e-9)
        #expect(abs(e.intervalG.lower - c["lower_g"].double) < 1e-9 && abs(e.intervalG.upper - c["upper_g"].double) < 1e-9)
    }

    @Test("d_z and the baseline-SD d differ when the scores are correlated")
    func differsFromDz() throws {
        let c = Self.cases[0]
        let dz = try EffectSize.paired(c["post"].doubles, c["pre"].doubles)
        let d = try StandardisedMeanChange.baselineStandardised(before: c["pre"].doubles, after: c["post"].doubles)
        #expect(abs(dz.cohensD) > abs(d.d) + 0.1)
    }

    @Test("Constant baselines, one pair and mismatched lengths are refused; constant follow-ups take r = 0")
    func edges() throws {
        #expect(throws: StatsError.self) { try StandardisedMeanChange.baselineStandardised(before: [3, 3, 3], after: [1, 2, 3]) }
        #expect(throws: StatsError.self) { try StandardisedMeanChange.baselineStandardised(before: [3], after: [1]) }
        #expect(throws: StatsError.self) { try StandardisedMeanChange.baselineStandardised(before: [3, 4], after: [1]) }
        let flat = try StandardisedMeanChange.baselineStandardised(before: [10, 12, 14], after: [5, 5, 5])
        #expect(flat.correlation == 0 && abs(flat.d - (-7 / 2)) < 1e-12)
    }
}
