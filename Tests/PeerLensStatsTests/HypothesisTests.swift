import Testing
@testable import PeerLensStats

/// References: R (Fixtures/core_hypothesis_r.json from generate/core_hypothesis.R: t.test, wilcox.test,
/// chisq.test, fisher.test, p.adjust) and scipy/statsmodels (core_hypothesis_py.json from core_hypothesis.py).
/// Tolerances: closed forms (t, χ², normal-approximation rank tests, p.adjust, effect sizes) 1e-10 relative —
/// R writes 15 significant digits; exact rank-test and Fisher p-values 1e-10; Fisher's conditional MLE and
/// interval 1e-7 against scipy (both solved to near machine precision) but only 2e-3 against R, whose `uniroot`
/// stops at its default tolerance (≈ 1.2e-4 on the odds-ratio scale).
@Suite("Hypothesis tests and effect sizes")
struct HypothesisTests {
    static let r = CoreFixture("core_hypothesis_r.json")
    static let py = CoreFixture("core_hypothesis_py.json")

    /// A rank test against R's `wilcox.test` (statistic named `statistic`: V or W), exact or normal approximation.
    func checkRank(_ result: RankTestResult, _ ref: CoreFixture, _ key: String, _ statistic: String, exact: Bool) {
        #expect(result.exact == exact, "\(key): exact")
        expectNear(result.statistic, ref["statistic"].double, relative: 1e-12, "\(key) \(statistic)")
        expectNear(result.pValue, ref["p"].double, relative: 1e-10, "\(key) p")
    }

    func check(_ result: TTestResult, _ ref: CoreFixture, _ what: String) {
        expectNear(result.statistic, ref["statistic"].double, relative: 1e-10, "\(what) t")
        expectNear(result.degreesOfFreedom, ref["df"].double, relative: 1e-10, "\(what) df")
        expectNear(result.pValue, ref["p"].double, relative: 1e-10, "\(what) p")
        expectNear(result.estimate, ref["estimate"].double, relative: 1e-10, "\(what) estimate")
        expectNear([result.interval.lower, result.interval.upper], ref["ci"].doubles, relative: 1e-10, "\(what) CI")
    }

    @Test("t tests: Welch, Student, paired, one-sample (R t.test)")
    func tTests() throws {
        let t = Self.r["t"]
        let a = t["a"].doubles, b = t["b"].doubles
        check(try MeanTests.welch(a, b), t["welch"], "Welch")
        check(try MeanTests.welch(a, b, level: 0.9), t["welch90"], "Welch 90%")
        check(try MeanTests.student(a, b), t["student"], "Student")
        check(try MeanTests.pairedT(t["p1"].doubles, t["p2"].doubles), t["paired"], "paired")
        let one = try MeanEstimate.t(a)
        expectNear([one.interval.lower, one.interval.upper], t["one_sample"]["ci"].doubles, relative: 1e-10, "one-sample CI")
    }

    @Test("t tests: degenerate input")
    func tDegenerate() {
        #expect(throws: StatsError("paired t test", .allTied)) { try MeanTests.pairedT([1, 2, 3], [0, 1, 2]) }
        #expect(throws: StatsError("paired t test", .emptyInput)) { try MeanTests.pairedT([], []) }
        #expect(throws: StatsError("paired t test", .tooFewObservations(needed: 2, got: 1))) { try MeanTests.pairedT([1], [2]) }
        #expect(throws: StatsError("paired t test", .lengthMismatch(expected: 2, got: 1))) { try MeanTests.pairedT([1, 2], [2]) }
        #expect(throws: StatsError("Welch t test", .emptyInput)) { try MeanTests.welch([], [1, 2]) }
        #expect(throws: StatsError("Welch t test", .tooFewObservations(needed: 2, got: 1))) { try MeanTests.welch([1], [2, 3]) }
        #expect(throws: StatsError("Welch t test", .allTied)) { try MeanTests.welch([1, 1], [1, 1]) }
        #expect(throws: StatsError("Welch t test", .nonFiniteValue)) { try MeanTests.welch([1, .nan], [1, 2]) }
        #expect(throws: StatsError("Student t test", .allTied)) { try MeanTests.student([3, 3], [1, 1, 1]) }
    }

    @Test("Wilcoxon signed-rank (R wilcox.test paired; scipy wilcoxon)")
    func signedRank() throws {
        let w = Self.r["wilcox"]
        let x = w["x"].doubles, y = w["y"].doubles, ta = w["ta"].doubles, tb = w["tb"].doubles
        func check(_ result: RankTestResult, _ key: String, exact: Bool) { checkRank(result, w[key], key, "V", exact: exact) }
        check(try RankTests.signedRank(x, y), "signed_exact", exact: true)
        check(try RankTests.signedRank(ta, tb), "signed_ties", exact: false)
        check(try RankTests.signedRank(ta, tb, correct: false), "signed_ties_nocorrect", exact: false)
        check(try RankTests.signedRank(w["z1"].doubles, w["z2"].doubles), "signed_zeros", exact: false)
        check(try RankTests.signedRank(Array(w["big1"].doubles.prefix(70)), w["big2"].doubles), "signed_big", exact: false)
        check(try RankTests.signedRank(x, y, exact: false), "signed_forced_normal", exact: false)
        let py = Self.py["rank"]
        expectNear(try RankTests.signedRank(x, y).pValue, py["signed_exact_p"].double, relative: 1e-10, "scipy exact p")
        expectNear(try RankTests.signedRank(ta, tb).pValue, py["signed_ties_p"].double, relative: 1e-10, "scipy approx p")
    }

    @Test("Mann–Whitney U (R wilcox.test; scipy mannwhitneyu)")
    func rankSum() throws {
        let w = Self.r["wilcox"]
        let x = w["x"].doubles, y = w["y"].doubles, ta = w["ta"].doubles, tb = w["tb"].doubles
        func check(_ result: RankTestResult, _ key: String, exact: Bool) { checkRank(result, w[key], key, "W", exact: exact) }
        check(try RankTests.rankSum(w["ex1"].doubles, w["ex2"].doubles), "ranksum_exact", exact: true)
        check(try RankTests.rankSum(x, y), "ranksum_xy_ties", exact: false)
        check(try RankTests.rankSum(ta, tb), "ranksum_ties", exact: false)
        check(try RankTests.rankSum(ta, tb, correct: false), "ranksum_ties_nocorrect", exact: false)
        check(try RankTests.rankSum(w["big1"].doubles, w["big2"].doubles), "ranksum_big", exact: false)
        check(try RankTests.rankSum(x, y, exact: false), "ranksum_forced_normal", exact: false)
        let py = Self.py["rank"]
        let exact = try RankTests.rankSum(w["ex1"].doubles, w["ex2"].doubles)
        expectNear(exact.statistic, py["ranksum_exact_u"].double, relative: 1e-12, "scipy U")
        expectNear(exact.pValue, py["ranksum_exact_p"].double, relative: 1e-10, "scipy exact p")
        expectNear(try RankTests.rankSum(ta, tb).pValue, py["ranksum_ties_p"].double, relative: 1e-10, "scipy approx p")
        // Hand-checkable: 3 vs 3 fully separated, W = 9, p = 2/20.
        let separated = try RankTests.rankSum([4, 5, 6], [1, 2, 3])
        #expect(separated.exact && separated.statistic == 9 && abs(separated.pValue - 0.1) < 1e-15)
    }

    @Test("Rank tests: degenerate input")
    func rankDegenerate() {
        #expect(throws: StatsError("Wilcoxon signed-rank test", .allTied)) { try RankTests.signedRank([1, 2], [1, 2]) }
        #expect(throws: StatsError("Wilcoxon signed-rank test", .emptyInput)) { try RankTests.signedRank([], []) }
        #expect(throws: StatsError("Wilcoxon signed-rank test", .nonFiniteValue)) { try RankTests.signedRank([1, .infinity], [0, 0]) }
        #expect(throws: StatsError("Mann–Whitney U test", .emptyInput)) { try RankTests.rankSum([], [1]) }
        #expect(throws: StatsError("Mann–Whitney U test", .allTied)) { try RankTests.rankSum([1, 1], [1, 1]) }
        #expect(throws: StatsError("Mann–Whitney U test", .nonFiniteValue)) { try RankTests.rankSum([.nan], [1]) }
    }

    @Test("χ² tests with and without Yates (R chisq.test)", arguments: ["t22", "t22b", "t22c"])
    func chiSquared(table name: String) throws {
        let c = Self.r["contingency"]
        let table = c["tables"][name].intMatrix
        for (yates, key) in [(false, "chisq"), (true, "chisq_yates")] {
            let result = try ContingencyTests.chiSquared(table, yates: yates)
            expectNear(result.statistic!, c[key][name]["statistic"].double, relative: 1e-10, "\(name) \(key)")
            expectNear(result.pValue, c[key][name]["p"].double, relative: 1e-10, "\(name) \(key) p")
            #expect(result.degreesOfFreedom == 1)
        }
    }

    @Test("χ² on a 3×3 table (R chisq.test)")
    func chiSquared33() throws {
        let c = Self.r["contingency"]
        let result = try ContingencyTests.chiSquared(c["t33"].intMatrix)
        expectNear(result.statistic!, c["chisq33"]["statistic"].double, relative: 1e-10, "χ²")
        expectNear(result.pValue, c["chisq33"]["p"].double, relative: 1e-10, "p")
        #expect(result.degreesOfFreedom == 4)
    }

    @Test("Fisher's exact test: p, conditional MLE odds ratio and interval (R fisher.test)", arguments: ["t22", "t22b", "t22c"])
    func fisherR(table name: String) throws {
        let c = Self.r["contingency"]
        let table = c["tables"][name].intMatrix
        for (level, key) in [(0.95, "fisher"), (0.9, "fisher90")] {
            let f = try ContingencyTests.fisherExact(table, level: level)
            expectNear(f.pValue, c[key][name]["p"].double, relative: 1e-10, "\(name) p")
            expectNear(f.oddsRatio!, c[key][name]["or"].double, relative: 2e-3, "\(name) OR")
            expectNear([f.oddsRatioInterval!.lower, f.oddsRatioInterval!.upper], c[key][name]["ci"].doubles, relative: 2e-3,
                       "\(name) CI at \(level)")
        }
    }

    @Test("Fisher's exact test against scipy's odds_ratio(kind='conditional')", arguments: ["t22", "t22c", "t22d"])
    func fisherScipy(table name: String) throws {
        let f = Self.py["fisher"][name]
        let result = try ContingencyTests.fisherExact(f["table"].intMatrix)
        expectNear(result.pValue, f["p"].double, relative: 1e-10, "\(name) p")
        expectNear(result.oddsRatio!, f["or"].double, relative: 1e-7, "\(name) conditional MLE")
        expectNear([result.oddsRatioInterval!.lower, result.oddsRatioInterval!.upper], f["ci"].doubles, relative: 1e-7, "\(name) CI")
    }

    @Test("Contingency tests: degenerate input")
    func contingencyDegenerate() {
        #expect(throws: StatsError.self) { try ContingencyTests.chiSquared([[1, 2]]) }
        #expect(throws: StatsError.self) { try ContingencyTests.chiSquared([[1, 0], [2, 0]]) }
        #expect(throws: StatsError.self) { try ContingencyTests.chiSquared([[1, 2], [3]]) }
        #expect(throws: StatsError.self) { try ContingencyTests.chiSquared([[1, -2], [3, 4]]) }
        #expect(throws: StatsError.self) { try ContingencyTests.fisherExact([[0, 0], [1, 2]]) }
        #expect(throws: StatsError.self) { try ContingencyTests.fisherExact([[1, 2, 3], [1, 2, 3]]) }
    }

    @Test("Holm and Benjamini–Hochberg (R p.adjust)")
    func adjust() throws {
        let p = Self.r["p_adjust"]
        expectNear(try MultipleTesting.holm(p["p"].doubles), p["holm"].doubles, relative: 1e-12, "Holm")
        expectNear(try MultipleTesting.benjaminiHochberg(p["p"].doubles), p["bh"].doubles, relative: 1e-12, "BH")
        #expect(throws: StatsError("Holm adjustment", .emptyInput)) { try MultipleTesting.holm([]) }
        #expect(throws: StatsError.self) { try MultipleTesting.holm([0.5, 1.2]) }
        #expect(throws: StatsError("Benjamini–Hochberg adjustment", .nonFiniteValue)) { try MultipleTesting.benjaminiHochberg([.nan]) }
    }

    @Test("Cohen's d and Hedges' g with Hedges–Olkin intervals (statsmodels g; formula check of the SE)")
    func effectSize() throws {
        let e = Self.py["effect"]
        let independent = try EffectSize.independent(e["a"].doubles, e["b"].doubles)
        #expect(independent.standardiser == .pooledStandardDeviation)
        expectNear(independent.cohensD, e["cohens_d"].double, relative: 1e-12, "d")
        expectNear(independent.hedgesG, e["hedges_g_statsmodels"].double, relative: 1e-12, "g (statsmodels)")
        expectNear(independent.standardErrorD, e["se_d"].double, relative: 1e-12, "SE(d)")
        expectNear([independent.intervalD.lower, independent.intervalD.upper], e["d_ci"].doubles, relative: 1e-10, "d CI")
        expectNear([independent.intervalG.lower, independent.intervalG.upper], e["g_ci"].doubles, relative: 1e-10, "g CI")
        let paired = try EffectSize.paired(e["p1"].doubles, e["p2"].doubles)
        #expect(paired.standardiser == .standardDeviationOfDifferences)
        expectNear(paired.cohensD, e["dz"].double, relative: 1e-12, "d_z")
        expectNear(paired.hedgesG, e["gz"].double, relative: 1e-12, "g_z")
        expectNear([paired.intervalD.lower, paired.intervalD.upper], e["dz_ci"].doubles, relative: 1e-10, "d_z CI")
        #expect(throws: StatsError("Cohen's d", .allTied)) { try EffectSize.independent([2, 2], [2, 2]) }
        #expect(throws: StatsError("Cohen's d", .emptyInput)) { try EffectSize.independent([], [2, 2]) }
        #expect(throws: StatsError("Cohen's d", .tooFewObservations(needed: 2, got: 1))) { try EffectSize.independent([1], [2, 2]) }
        #expect(throws: StatsError("Cohen's d_z", .allTied)) { try EffectSize.paired([3, 4], [2, 3]) }
    }

    @Test("Jacobson–Truax reliable change index: PHQ-9 example by hand")
    func rci() throws {
        // SD 5, r 0.84: S_diff = √2·5·√0.16 = 2.828…; a 6-point drop gives RCI −2.121 (reliable improvement).
        let value = try ReliableChange.index(before: 18, after: 12, standardDeviation: 5, reliability: 0.84)
        #expect(abs(value - (-6 / (2.0.squareRoot() * 5 * 0.4))) < 1e-12)
        #expect(abs(try ReliableChange.threshold(standardDeviation: 5, reliability: 0.84) - 1.959963984540054 * 2.0.squareRoot() * 2) < 1e-12)
        let classes = try ReliableChange.classify(before: [18, 18, 10], after: [12, 16, 16], standardDeviation: 5, reliability: 0.84)
        #expect(classes == [.improved, .noReliableChange, .deteriorated])
        #expect(throws: StatsError.self) { try ReliableChange.index(before: 1, after: 2, standardDeviation: 5, reliability: 1) }
        #expect(throws: StatsError.self) { try ReliableChange.index(before: 1, after: 2, standardDeviation: 0, reliability: 0.5) }
        #expect(throws: StatsError.self) { try ReliableChange.index(before: .nan, after: 2, standardDeviation: 5, reliability: 0.5) }
        #expect(throws: StatsError.self) { try ReliableChange.classify(before: [1], after: [], standardDeviation: 5, reliability: 0.5) }
    }
}
