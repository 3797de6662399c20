import Foundation
import Testing
@testable import PeerLensStats

/// `ReliableChange` against published worked examples: `Fixtures/core_reliable_change.json`, typed in by
/// `Fixtures/generate/core_reliable_change.py`, which cites the page and the sentences each number was read from
/// (and records what could not be found, notably the worked example of Jacobson & Truax 1991 itself).
///
/// Published numbers are rounded, so each tolerance is half a unit in the last printed place plus what the printed
/// intermediate roundings can add, worked out in each test.
@Suite("Reliable change: published worked examples")
struct ReliableChangeReferenceTests {
    static let fixture = CoreFixture("core_reliable_change.json")

    /// The published example `name` of the fixture's `section`, with its inputs and published results.
    static func example(_ section: String, _ name: String) -> (example: CoreFixture, inputs: CoreFixture, published: CoreFixture) {
        let example = fixture[section].array.first { $0["name"].string == name }!
        return (example, example["inputs"], example["published"])
    }

    @Test("Wodrich Appendix E (Piers-Harris-2 SEM 3.07): S_diff 4.34, threshold 8.51 at z = 1.96, 24 → 35 reliable")
    func wodrichPiersHarris() throws {
        let (example, inputs, published) = Self.example("reliable_change", "wodrich_piers_harris_2")
        let sem = inputs["standard_error_of_measurement"].double, z = inputs["z"].double
        let before = inputs["before"].double, after = inputs["after"].double
        // The example starts from SE itself. SE = SD·√(1 − r) equals SD when r = 0, so SD := SEM with r := 0
        // feeds the published SE through the same code unchanged.
        let sd = sem, r = 0.0

        // Printed to 2 decimals: half a unit is 0.005. The book squares the SEM and rounds (9.42, ±0.005), doubles it
        // (18.84, ±0.01) and takes the root, which moves S_diff by at most 0.01/(2·4.34) ≈ 0.0012 before its own
        // rounding; the threshold is 1.96 times the printed S_diff, then rounded again.
        let halfUnit = 0.5 * pow(10, -Double(example["decimals"].int))
        let sDiffTolerance = halfUnit + 0.01 / (2 * published["s_diff"].double)
        let thresholdTolerance = halfUnit + z * sDiffTolerance

        let sDiff = try ReliableChange.threshold(standardDeviation: sd, reliability: r, z: 1) // 1 · S_diff
        expectNear(sDiff, published["s_diff"].double, relative: 0, absolute: sDiffTolerance, "S_diff")
        let threshold = try ReliableChange.threshold(standardDeviation: sd, reliability: r, z: z)
        expectNear(threshold, published["threshold"].double, relative: 0, absolute: thresholdTolerance,
                   "reliable change threshold (z = \(z))")

        // "35 – 24 = 11" and "Reliable change was detected".
        #expect(after - before == published["change"].double)
        #expect((published["reliable"].value as! NSNumber).boolValue)
        let rci = try ReliableChange.index(before: before, after: after, standardDeviation: sd, reliability: r)
        #expect(abs(rci) >= z, "RCI \(rci) for 24 → 35 should be reliable at z = \(z)")

        // The published rule: a change larger than 8.51 is reliable. 8 and 9 lie either side of it by more than the
        // rounding tolerance, so both answers follow from the book whatever its unrounded threshold was.
        let classes = try ReliableChange.classify(before: [before, before, before, before], after: [after, before + 9, before + 8, before - 9],
                                                  standardDeviation: sd, reliability: r, lowerIsBetter: false, z: z)
        #expect(classes == [.improved, .improved, .noReliableChange, .deteriorated])
    }

    @Test("Claus vignette (clinical M 32, SD 7; functional M 10, SD 7; lower is better): a = 18, b = 24, c = 21")
    func clausCutoffs() throws {
        let (_, inputs, published) = Self.example("cutoffs", "claus_vignette_depression")
        let dysMean = inputs["dysfunctional_mean"].double, dysSD = inputs["dysfunctional_sd"].double
        let funMean = inputs["functional_mean"].double, funSD = inputs["functional_sd"].double
        let lowerIsBetter = (inputs["lower_is_better"].value as! NSNumber).boolValue
        // Integer inputs and results printed as exact equalities: only floating-point rounding is allowed.
        let tolerance = 1e-12
        let c = try ReliableChange.clinicalCutoff(dysfunctionalMean: dysMean, dysfunctionalSD: dysSD,
                                                  functionalMean: funMean, functionalSD: funSD)
        expectNear(c, published["c"].double, relative: 0, absolute: tolerance, "cut-off c")
        let a = try ReliableChange.dysfunctionalRangeCutoff(dysfunctionalMean: dysMean, dysfunctionalSD: dysSD,
                                                            lowerIsBetter: lowerIsBetter)
        expectNear(a, published["a"].double, relative: 0, absolute: tolerance, "cut-off a")
        let b = try ReliableChange.functionalRangeCutoff(functionalMean: funMean, functionalSD: funSD, lowerIsBetter: lowerIsBetter)
        expectNear(b, published["b"].double, relative: 0, absolute: tolerance, "cut-off b")
    }

    // The vignette's SDs are equal, so it cannot tell c's weighting from its reverse, nor which SD b uses. These check
    // the definitions on arbitrary (not published) unequal SDs: c is where a score is equally many own-SDs from both means,
    // (c − M₀)/s₀ = (M₁ − c)/s₁ (Jacobson & Truax 1991, criterion c), and b is the functional population's own range.
    @Test("Cut-off c is equidistant in own-SD units; a and b use their own population's SD", arguments: [
        (dysMean: 32.0, dysSD: 7.0, funMean: 10.0, funSD: 4.0),
        (dysMean: 18.3, dysSD: 6.1, funMean: 4.9, funSD: 3.4),
        (dysMean: 60.0, dysSD: 12.0, funMean: 100.0, funSD: 16.0), // higher is better
    ])
    func cutoffDefinitions(dysMean: Double, dysSD: Double, funMean: Double, funSD: Double) throws {
        let c = try ReliableChange.clinicalCutoff(dysfunctionalMean: dysMean, dysfunctionalSD: dysSD,
                                                  functionalMean: funMean, functionalSD: funSD)
        let fromFunctional = abs(c - funMean) / funSD, fromDysfunctional = abs(dysMean - c) / dysSD
        expectNear(fromFunctional, fromDysfunctional, relative: 1e-13, "own-SD distances of c from the two means")
        #expect(min(dysMean, funMean) < c && c < max(dysMean, funMean))
        // c lies nearer the mean of the narrower population.
        #expect((abs(c - funMean) < abs(c - dysMean)) == (funSD < dysSD))

        let lowerIsBetter = funMean < dysMean
        let a = try ReliableChange.dysfunctionalRangeCutoff(dysfunctionalMean: dysMean, dysfunctionalSD: dysSD, lowerIsBetter: lowerIsBetter)
        expectNear(abs(a - dysMean), 2 * dysSD, relative: 1e-14, "a is 2 dysfunctional SDs from the dysfunctional mean")
        #expect((a < dysMean) == lowerIsBetter, "a lies on the better side of the dysfunctional mean")
        let b = try ReliableChange.functionalRangeCutoff(functionalMean: funMean, functionalSD: funSD, lowerIsBetter: lowerIsBetter)
        expectNear(abs(b - funMean), 2 * funSD, relative: 1e-14, "b is 2 functional SDs from the functional mean")
        #expect((b > funMean) == lowerIsBetter, "b lies on the dysfunctional side of the functional mean")
    }

    @Test("Cut-offs refuse non-finite means and non-positive or non-finite SDs")
    func cutoffInputs() {
        #expect(throws: StatsError.self) {
            try ReliableChange.clinicalCutoff(dysfunctionalMean: .nan, dysfunctionalSD: 7, functionalMean: 10, functionalSD: 7)
        }
        #expect(throws: StatsError.self) {
            try ReliableChange.clinicalCutoff(dysfunctionalMean: 32, dysfunctionalSD: 7, functionalMean: 10, functionalSD: 0)
        }
        #expect(throws: StatsError.self) {
            try ReliableChange.clinicalCutoff(dysfunctionalMean: 32, dysfunctionalSD: .infinity, functionalMean: 10, functionalSD: 7)
        }
        #expect(throws: StatsError.self) {
            try ReliableChange.dysfunctionalRangeCutoff(dysfunctionalMean: 32, dysfunctionalSD: -1)
        }
        #expect(throws: StatsError.self) {
            try ReliableChange.functionalRangeCutoff(functionalMean: .infinity, functionalSD: 7)
        }
    }
}
