import Testing
@testable import PeerLensStats

/// Tolerance: pROC prints 15 significant digits; DeLong is closed-form, so agreement to 1e-12 is expected.
@Suite("Discrimination: AUC, DeLong, ROC and PR curves")
struct DiscriminationTests {
    let asah = r.section("asah")

    /// AUC and DeLong interval against pROC's `<marker>_auc` and `<marker>_ci`, to 1e-12.
    func expectAUC(_ result: AUCResult, _ reference: Section, _ marker: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(result.auc, reference.double("\(marker)_auc"), 1e-12, "AUC", sourceLocation: sourceLocation)
        expectClose(result.interval.lower, reference.doubles("\(marker)_ci")[0], 1e-12, "lower", sourceLocation: sourceLocation)
        expectClose(result.interval.upper, reference.doubles("\(marker)_ci")[1], 1e-12, "upper", sourceLocation: sourceLocation)
    }

    @Test("aSAH s100b: AUC 0.7314, DeLong 95% CI 0.6301–0.8326 (pROC)")
    func asahS100b() throws {
        let result = try Discrimination.auc(scores: asah.doubles("s100b"), labels: asah.bools("outcome"))
        expectAUC(result, asah, "s100b")
        #expect(abs(result.auc - 0.7314) < 5e-5)
        #expect(abs(result.interval.lower - 0.6301) < 5e-5 && abs(result.interval.upper - 0.8326) < 5e-5)
    }

    @Test("aSAH ndka AUC and interval (pROC)")
    func asahNdka() throws {
        let result = try Discrimination.auc(scores: asah.doubles("ndka"), labels: asah.bools("outcome"))
        expectAUC(result, asah, "ndka")
    }

    @Test("Paired and unpaired DeLong tests, s100b vs ndka (pROC roc.test)")
    func delongTests() throws {
        let y = asah.bools("outcome")
        let paired = try Discrimination.compareCorrelated(scoresA: asah.doubles("s100b"), scoresB: asah.doubles("ndka"), labels: y)
        expectClose(paired.z, asah.double("paired_z"), 1e-10, "paired z")
        expectClose(paired.pValue, asah.double("paired_p"), 1e-10, "paired p")
        let unpaired = try Discrimination.compareIndependent(scoresA: asah.doubles("s100b"), labelsA: y, scoresB: asah.doubles("ndka"), labelsB: y)
        expectClose(unpaired.z, asah.double("unpaired_d"), 1e-10, "unpaired D")
        expectClose(unpaired.pValue, asah.double("unpaired_p"), 1e-10, "unpaired p")
    }

    let binary = py.section("binary")

    @Test("AUC and average precision on tied scores (scikit-learn)")
    func sklearnAUC() throws {
        let y = binary.bools("y"), s = binary.doubles("score")
        expectClose(try Discrimination.auc(scores: s, labels: y).auc, binary.double("auc"), 1e-12, "AUC")
        expectClose(try ThresholdSweep(scores: s, labels: y).averagePrecision, binary.double("average_precision"), 1e-12, "AP")
    }

    @Test("ROC curve points match roc_curve(drop_intermediate=False)")
    func rocCurve() throws {
        let sweep = try ThresholdSweep(scores: binary.doubles("score"), labels: binary.bools("y"))
        let roc = sweep.rocCurve
        expectClose(roc.map(\.falsePositiveRate), binary.doubles("roc_fpr"), 1e-12, "FPR")
        expectClose(roc.map(\.truePositiveRate), binary.doubles("roc_tpr"), 1e-12, "TPR")
        expectClose(sweep.thresholds, binary.doubles("roc_thresholds"), 0, "thresholds")
    }

    @Test("Precision–recall points match precision_recall_curve")
    func prCurve() throws {
        let sweep = try ThresholdSweep(scores: binary.doubles("score"), labels: binary.bools("y"))
        // scikit-learn lists thresholds ascending and appends the (recall 0, precision 1) end point.
        let precision = binary.doubles("pr_precision").dropLast().reversed().map { $0 }
        let recall = binary.doubles("pr_recall").dropLast().reversed().map { $0 }
        let points = sweep.precisionRecallCurve
        expectClose(points.map(\.threshold), binary.doubles("pr_thresholds").reversed(), 0, "thresholds")
        expectClose(points.map(\.precision), precision, 1e-12, "precision")
        expectClose(points.map(\.recall), recall, 1e-12, "recall")
    }

    @Test("Degenerate input is a typed error, never a trap or NaN")
    func degenerate() throws {
        #expect(throws: StatsError("AUC (DeLong)", .emptyInput)) { try Discrimination.auc(scores: [], labels: []) }
        #expect(throws: StatsError("AUC (DeLong)", .singleClass)) { try Discrimination.auc(scores: [0.1, 0.2], labels: [true, true]) }
        #expect(throws: StatsError("AUC (DeLong)", .nonFiniteValue)) { try Discrimination.auc(scores: [.nan, 0.2], labels: [true, false]) }
        #expect(throws: StatsError("AUC (DeLong)", .lengthMismatch(expected: 2, got: 1))) { try Discrimination.auc(scores: [0.1, 0.2], labels: [true]) }
        let tied = try Discrimination.auc(scores: [0.5, 0.5, 0.5, 0.5], labels: [true, false, true, false])
        #expect(tied.auc == 0.5)
        #expect(tied.variance == 0)
        let one = try Discrimination.auc(scores: [0.9, 0.1], labels: [true, false])
        #expect(one.auc == 1 && one.interval.upper == 1)
        #expect(throws: StatsError.self) {
            try Discrimination.compareCorrelated(scoresA: [0.1, 0.9], scoresB: [0.1, 0.9], labels: [false, true])
        }
    }

    @Test("The radix-sorted DeLong agrees with the direct O(mn) definition on random data with ties", arguments: [7, 60, 500])
    func bruteForce(n: Int) throws {
        let rng = RandomSource(seed: UInt64(n))
        let y = (0..<n).map { _ in rng.bernoulli(0.3) } + [true, false]
        let s = y.map { label in (Double(rng.integer(below: 20)) + (label ? 4 : 0)) / 25 - 0.3 }
        let result = try Discrimination.auc(scores: s, labels: y)
        let pos = zip(s, y).filter { $0.1 }.map(\.0), neg = zip(s, y).filter { !$0.1 }.map(\.0)
        var psi = 0.0
        var v10 = [Double](repeating: 0, count: pos.count), v01 = [Double](repeating: 0, count: neg.count)
        for (i, a) in pos.enumerated() {
            for (j, b) in neg.enumerated() {
                let k = a > b ? 1.0 : a == b ? 0.5 : 0
                psi += k; v10[i] += k / Double(neg.count); v01[j] += k / Double(pos.count)
            }
        }
        let auc = psi / Double(pos.count * neg.count)
        func variance(_ v: [Double]) -> Double { let m = v.reduce(0, +) / Double(v.count); return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1) }
        expectClose(result.auc, auc, 1e-12, "AUC")
        expectClose(result.variance, variance(v10) / Double(pos.count) + variance(v01) / Double(neg.count), 1e-12, "variance")
    }
}
