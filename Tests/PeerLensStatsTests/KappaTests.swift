import Testing
@testable import PeerLensStats

/// Reference (Fixtures/core_kappa.json from generate/core_kappa.py): statsmodels' `cohens_kappa` (κ and
/// `std_kappa`, plain and linear/quadratic weighted) and `fleiss_kappa(method="fleiss")`.
@Suite("Cohen's and Fleiss' kappa")
struct KappaTests {
    static let fixture = CoreFixture("core_kappa.json")
    static let cohenCases = fixture["cohen"]
    static let fleissCases = fixture["fleiss"]

    @Test("Cohen's κ and its asymptotic SE match statsmodels", arguments: cohenCases.array.indices)
    func cohen(case index: Int) throws {
        let c = Self.cohenCases[index]
        let weighting = Kappa.Weighting(rawValue: c["weighting"].string)!
        let r = try Kappa.cohen(table: c["table"].intMatrix, weighting: weighting)
        expectNear(r.kappa, c["kappa"].double, relative: 1e-12, "\(c["name"].string): kappa")
        expectNear(r.standardError, c["se"].double, relative: 1e-10, "\(c["name"].string): SE")
        #expect(r.items == c["table"].intMatrix.joined().reduce(0, +))
    }

    @Test("Fleiss' κ matches statsmodels", arguments: fleissCases.array.indices)
    func fleiss(case index: Int) throws {
        let c = Self.fleissCases[index]
        expectNear(try Kappa.fleiss(counts: c["counts"].intMatrix), c["kappa"].double, relative: 1e-12, c["name"].string)
    }

    @Test("Perfect agreement is 1; agreement at chance level is 0")
    func bounds() throws {
        #expect(try Kappa.cohen(table: [[5, 0], [0, 7]]).kappa == 1)
        #expect(abs(try Kappa.cohen(table: [[25, 25], [25, 25]]).kappa) < 1e-15)
        #expect(try Kappa.fleiss(counts: [[2, 0], [0, 2], [2, 0]]) == 1)
    }

    @Test("Undefined or malformed inputs throw")
    func invalid() {
        #expect(throws: StatsError.self) { try Kappa.cohen(table: [[4, 0], [0, 0]]) }  // every rating in one category
        #expect(throws: StatsError.self) { try Kappa.cohen(table: [[1, 2]]) }
        #expect(throws: StatsError.self) { try Kappa.cohen(table: [[1, 2], [3]]) }
        #expect(throws: StatsError.self) { try Kappa.cohen(table: [[0, 0], [0, 0]]) }
        #expect(throws: StatsError.self) { try Kappa.cohen(table: [[1, -1], [0, 3]]) }
        #expect(throws: StatsError.self) { try Kappa.fleiss(counts: []) }
        #expect(throws: StatsError.self) { try Kappa.fleiss(counts: [[2, 0], [1, 2]]) }  // varying rating counts
        #expect(throws: StatsError.self) { try Kappa.fleiss(counts: [[1, 0], [0, 1]]) }  // one rating per item
        #expect(throws: StatsError.self) { try Kappa.fleiss(counts: [[2, 0], [2, 0]]) }
    }
}
