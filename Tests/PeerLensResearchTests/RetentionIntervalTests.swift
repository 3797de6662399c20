import Foundation
import Testing
@testable import PeerLensResearch
@testable import PeerLensStats

/// The retention interval where the Kaplan–Meier estimate is 100%: exact (Clopper–Pearson), never zero-width,
/// against `Fixtures/make_retention_exact.py` (statsmodels and scipy).
@Suite("Retention at 100%: an exact interval instead of Greenwood's zero-width one")
struct RetentionIntervalTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let at_risk: Int
        let level: Double
        let lower: Double
        let upper: Double
        var testDescription: String { "\(at_risk) of \(at_risk) at \(level)" }
    }

    static let cases: [Case] = {
        struct File: Decodable { let cases: [Case] }
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("retention_exact_reference.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()

    @Test("No one has left: the interval is Clopper–Pearson's for n of n, as statsmodels computes it", arguments: cases)
    func exactAtOne(_ c: Case) throws {
        // Greenwood's (log) interval at Ŝ = 1 is [1, 1], as R's survfit reports it.
        let greenwood = SurvivalPoint(time: 7, survival: 1, lower: 1, upper: 1, atRisk: c.at_risk)
        let p = RetentionPoint.reading(greenwood, level: c.level)
        #expect(p.retained == 1 && p.atRisk == c.at_risk && p.days == 7)
        let lower = try #require(p.lower), upper = try #require(p.upper)
        #expect(abs(lower - c.lower) < 1e-9, "lower \(lower) vs \(c.lower)")
        #expect(upper == c.upper)
        #expect(upper - lower > 0, "a zero-width interval at 100%")
    }

    @Test("Below 100% the Greenwood interval is kept; with no one still followed there is no interval")
    func otherwiseUnchanged() {
        let below = RetentionPoint.reading(SurvivalPoint(time: 30, survival: 0.82, lower: 0.79, upper: 0.85, atRisk: 383), level: 0.95)
        #expect(below.lower == 0.79 && below.upper == 0.85 && below.retained == 0.82)
        let nobody = RetentionPoint.reading(SurvivalPoint(time: 30, survival: 1, lower: 1, upper: 1, atRisk: 0), level: 0.95)
        #expect(nobody.lower == nil && nobody.upper == nil)
    }
}
