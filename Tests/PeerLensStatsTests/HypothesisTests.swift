import Testing
@testable import PeerLensStats

/// References: R wilcox.test, fisher.test, chisq.test, p.adjust; scipy ttest_ind/ttest_rel; numpy for effect
/// sizes. Tolerance 1e-10 for closed forms; 1e-3 relative for Fisher's conditional MLE and interval, because R
/// finds them with `uniroot` at its default tolerance (≈ 1.2e-4) while PeerLens bisects to machine precision.
@Suite("Hypothesis tests and effect sizes")
struct HypothesisTests {
    let t = py.section("t")
    let w = r.section("wilcox")
    let c = r.section("contingency")

    @Test("Welch and paired t tests (scipy)")
    func tTests() throws {
        let welch = try MeanTests.welch(t.doubles("a"), t.doubles("b"))
        expectClose(welch.statistic, t.double("welch_t"), 1e-10, "t")
        expectClose(welch.degreesOfFreedom, t.double("welch_df"), 1e-10, "df")
        expectClose(welch.pValue, t.double("welch_p"), 1e-10, "p")
        expectClose([welch.interval.lower, welch.interval.upper], t.doubles("welch_ci"), 1e-10, "CI")
        let paired = try MeanTests.pairedT(t.doubles("p1"), t.doubles("p2"))
        expectClose(paired.statistic, t.double("paired_t"), 1e-10, "t")
        expectClose(paired.pValue, t.double("paired_p"), 1e-10, "p")
        expectClose([paired.interval.lower, paired.interval.upper], t.doubles("paired_ci"), 1e-10, "CI")
        #expect(throws: StatsError("paired t test", .allTied)) { try MeanTests.pairedT([1, 2, 3], [0, 1, 2]) }
    }

    @Test("Cohen's d and Hedges' g with intervals")
    func effectSize() throws {
        let e = try EffectSize.independent(t.doubles("a"), t.doubles("b"))
        expectClose(e.cohensD, t.double("cohens_d"), 1e-12, "d")
        expectClose(e.hedgesG, t.double("hedges_g"), 1e-12, "g")
        expectClose(e.standardErrorD, t.double("se_d"), 1e-12, "SE")
        expectClose([e.intervalD.lower, e.intervalD.upper], t.doubles("d_ci"), 1e-9, "CI")
    }

    @Test("Wilcoxon signed-rank and rank-sum, exact and with ties (R wilcox.test)")
    func wilcoxon() throws {
        let exact = try RankTests.signedRank(w.doubles("x"), w.doubles("y"))
        #expect(exact.exact)
        expectClose(exact.statistic, w.double("signed_exact_v"), 0, "V")
        expectClose(exact.pValue, w.double("signed_exact_p"), 1e-10, "p")
        let rankSum = try RankTests.rankSum(w.doubles("x"), w.doubles("y"))
        expectClose(rankSum.statistic, w.double("ranksum_exact_w"), 0, "W")
        expectClose(rankSum.pValue, w.double("ranksum_exact_p"), 1e-10, "p")
        let ties = try RankTests.rankSum(w.doubles("a"), w.doubles("b"))
        #expect(!ties.exact)
        expectClose(ties.statistic, w.double("ranksum_ties_w"), 0, "W")
        expectClose(ties.pValue, w.double("ranksum_ties_p"), 1e-10, "p")
        let mw = py.section("mannwhitney")
        expectClose(ties.pValue, mw.double("p"), 1e-10, "scipy p")
        let signedTies = try RankTests.signedRank(w.doubles("a"), w.doubles("b"))
        expectClose(signedTies.statistic, w.double("signed_ties_v"), 0, "V")
        expectClose(signedTies.pValue, w.double("signed_ties_p"), 1e-10, "p")
    }

    @Test("Exact rank-sum p-values without ties (hand-checkable: 3 vs 3 fully separated, p = 2/20)")
    func exactSmall() throws {
        let result = try RankTests.rankSum([4, 5, 6], [1, 2, 3])
        #expect(result.exact)
        #expect(result.statistic == 9)
        #expect(abs(result.pValue - 0.1) < 1e-15)
    }

    @Test("χ² (with and without Yates) and Fisher's exact test (R)")
    func contingency() throws {
        let t22 = c.intTable("table22")
        let yates = try ContingencyTests.chiSquared(t22, yates: true)
        expectClose(yates.statistic!, c.double("chisq_yates"), 1e-10, "Yates")
        expectClose(yates.pValue, c.double("chisq_yates_p"), 1e-10, "Yates p")
        let plain = try ContingencyTests.chiSquared(t22)
        expectClose(plain.statistic!, c.double("chisq"), 1e-10, "χ²")
        let t23 = try ContingencyTests.chiSquared(c.intTable("table23"))
        expectClose(t23.statistic!, c.double("chisq23"), 1e-10, "χ² 2×3")
        expectClose(t23.pValue, c.double("chisq23_p"), 1e-10, "p 2×3")
        let fisher = try ContingencyTests.fisherExact(t22)
        expectClose(fisher.pValue, c.double("fisher_p"), 1e-10, "Fisher p")
        expectClose(fisher.oddsRatio!, c.double("fisher_or"), 1e-3, "conditional MLE")
        expectClose(fisher.oddsRatioInterval!.lower, c.doubles("fisher_ci")[0], 1e-3, "lower")
        expectClose(fisher.oddsRatioInterval!.upper, c.doubles("fisher_ci")[1], 1e-3, "upper")
        #expect(throws: StatsError.self) { try ContingencyTests.chiSquared([[1, 0], [2, 0]]) }
    }

    @Test("Holm and Benjamini–Hochberg (R p.adjust)")
    func adjust() throws {
        let p = r.section("p_adjust")
        expectClose(try MultipleTesting.holm(p.doubles("p")), p.doubles("holm"), 1e-12, "Holm")
        expectClose(try MultipleTesting.benjaminiHochberg(p.doubles("p")), p.doubles("bh"), 1e-12, "BH")
        #expect(throws: StatsError.self) { try MultipleTesting.holm([0.5, 1.2]) }
    }

    @Test("Jacobson–Truax reliable change index: PHQ-9 example by hand")
    func rci() throws {
        // SD 5, r 0.84: S_diff = √2·5·√0.16 = 2.828…; a 6-point drop gives RCI −2.121.
        let value = try ReliableChange.index(before: 18, after: 12, standardDeviation: 5, reliability: 0.84)
        #expect(abs(value - (-6 / (2.0.squareRoot() * 5 * 0.4))) < 1e-12)
        #expect(abs(ReliableChange.threshold(standardDeviation: 5, reliability: 0.84) - 1.959963984540054 * 2.0.squareRoot() * 2) < 1e-12)
        #expect(throws: StatsError.self) { try ReliableChange.index(before: 1, after: 2, standardDeviation: 5, reliability: 1) }
    }
}
