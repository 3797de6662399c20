import Testing
@testable import PeerLensStats

/// References (Fixtures/core_newcombe.json, from generate/core_newcombe.py): statsmodels
/// `confint_proportions_2indep(method="newcomb", compare="diff")`, on Newcombe's (1998) worked examples and on
/// groups against the rest as the funder report compares them. Closed form → 1e-12 relative.
@Suite("Difference of two proportions (Newcombe)")
struct ProportionDifferenceTests {
    static let fixture = CoreFixture("core_newcombe.json")

    @Test("Newcombe hybrid score interval (statsmodels)", arguments: fixture["cases"].array.indices)
    func newcombe(case index: Int) throws {
        let row = Self.fixture["cases"][index]
        let x1 = row["x1"].int, n1 = row["n1"].int, x2 = row["x2"].int, n2 = row["n2"].int, level = row["level"].double
        let d = try #require(ProportionDifference.newcombe(x1, of: n1, minus: x2, of: n2, level: level))
        expectNear(d.estimate, row["difference"].double, relative: 1e-12, "difference \(x1)/\(n1) − \(x2)/\(n2)")
        expectNear([d.interval.lower, d.interval.upper], [row["lower"].double, row["upper"].double], relative: 1e-12, "Newcombe \(x1)/\(n1) − \(x2)/\(n2) at \(level)")
        #expect(d.interval.lower <= d.estimate && d.estimate <= d.interval.upper && d.interval.level == level)
    }

    @Test("Newcombe's published example: 56/70 − 48/80 is 0.2000, 95% interval 0.0524 to 0.3339 (1998, Table II, method 10)")
    func publishedExample() throws {
        let d = try #require(ProportionDifference.newcombe(56, of: 70, minus: 48, of: 80))
        #expect(abs(d.interval.lower - 0.0524) < 5e-5 && abs(d.interval.upper - 0.3339) < 5e-5)
    }

    @Test("An empty group has no difference")
    func empty() {
        #expect(ProportionDifference.newcombe(0, of: 0, minus: 3, of: 10) == nil)
        #expect(ProportionDifference.newcombe(3, of: 10, minus: 0, of: 0) == nil)
    }
}
