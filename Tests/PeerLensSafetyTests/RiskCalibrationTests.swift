import Foundation
import Testing
@testable import PeerLensSafety
@testable import PeerLensStats

/// A JSON fixture of this folder (risk_reference_r.json from risk_reference.R, risk_reference_py.json from
/// risk_reference.py), as nested dictionaries.
private func reference(_ name: String) -> [String: Any] {
    let data = try! Data(contentsOf: URL(fileURLWithPath: safetyFixture(name)))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
}

private var rReference: [String: Any] { reference("risk_reference_r.json") }
private var pyReference: [String: Any] { reference("risk_reference_py.json") }

private func number(_ any: Any?) -> Double { (any as! NSNumber).doubleValue }
private func object(_ any: Any?) -> [String: Any] { any as! [String: Any] }

/// calibration.csv (make_calibration_csv.py): an externally validated logistic model on public data.
private func calibrationData(groups: Bool = true) throws -> Predictions {
    try Predictions(path: safetyFixture("calibration.csv"), scoreColumn: "risk", labelColumn: "outcome", groupColumn: groups ? "group" : nil)
}

private func calibrationWeights() throws -> [Double] {
    let lines = try String(contentsOfFile: safetyFixture("calibration.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
    return lines.map { Double($0.split(separator: ",")[3])! }
}

@Suite("Calibration tests in risk: Spiegelhalter's z and Hosmer–Lemeshow (issue 12)")
struct RiskCalibrationTests {
    static var options: RiskEvaluationOptions {
        var o = RiskEvaluationOptions()
        o.replicates = 100
        return o
    }

    @Test("risk --predictions --group-col: Spiegelhalter's z and p overall and per group equal rms::val.prob's S:z and S:p")
    func spiegelhalterAgainstR() throws {
        let (results, skipped) = try RiskEvaluation.evaluate(predictions: try calibrationData(), name: "risk", options: Self.options)
        #expect(skipped.isEmpty)
        #expect(results.map(\.version) == ["all", "high", "low"])
        let r = object(rReference["spiegelhalter"])
        for e in results {
            let z = try #require(e.spiegelhalter, "\(e.version) has Spiegelhalter's z")
            let expected = object(r[e.version])
            #expect(abs(z.statistic - number(expected["z"])) < 1e-10, "\(e.version): z \(z.statistic) vs R \(number(expected["z"]))")
            #expect(abs(z.pValue - number(expected["p"])) / number(expected["p"]) < 1e-8, "\(e.version): p")
            #expect(z.note == "unweighted, null variance Σ (1 − 2p)² p(1 − p)")
        }
    }

    @Test("Weighted and cluster-robust Spiegelhalter z equal the hand computation from the formula (risk_reference.py)")
    func spiegelhalterWeighted() throws {
        let data = try calibrationData(groups: false), w = try calibrationWeights()
        let py = object(pyReference["spiegelhalter"])
        let weighted = try Calibration.spiegelhalter(predictions: data.scores, outcomes: data.labels, weights: w)
        #expect(abs(weighted.statistic - number(object(object(py["weighted"])["all"])["z"])) < 1e-12)
        #expect(abs(weighted.pValue - number(object(object(py["weighted"])["all"])["p"])) < 1e-18 + 1e-9 * weighted.pValue)
        #expect(weighted.note?.hasPrefix("weighted") == true)
        let clusters = data.scores.indices.map { $0 / 3 }
        let clustered = try Calibration.spiegelhalter(predictions: data.scores, outcomes: data.labels, clusters: clusters)
        #expect(abs(clustered.statistic - number(object(py["clustered"])["z"])) < 1e-12)
        let both = try Calibration.spiegelhalter(predictions: data.scores, outcomes: data.labels, weights: w, clusters: clusters)
        #expect(abs(both.statistic - number(object(py["weighted_clustered"])["z"])) < 1e-12)
        #expect(both.note?.contains("cluster-robust") == true)
        // Unit weights give the unweighted statistic.
        let unit = try Calibration.spiegelhalter(predictions: data.scores, outcomes: data.labels, weights: Array(repeating: 1, count: w.count))
        #expect(abs(unit.statistic - number(object(object(py["unweighted"])["all"])["z"])) < 1e-12)
        #expect(throws: StatsError.self) { try Calibration.spiegelhalter(predictions: [0.2, 0.3], outcomes: [true, false], clusters: [1, 1]) }
    }

    @Test("Hosmer–Lemeshow: external validation uses df = g (risk says so), development df = g − 2, same statistic")
    func hosmerLemeshowDegreesOfFreedom() throws {
        let (results, _) = try RiskEvaluation.evaluate(predictions: try calibrationData(groups: false), name: "risk", options: Self.options)
        let hl = try #require(results.first?.hosmerLemeshow)
        let py = object(pyReference["hosmer_lemeshow"])
        #expect(abs(hl.statistic - number(py["statistic"])) < 1e-9)
        #expect(hl.degreesOfFreedom == 10)
        #expect(abs(hl.pValue - number(py["p_external_df10"])) / number(py["p_external_df10"]) < 1e-8)
        #expect(hl.note == "10 groups of equal size by predicted risk; external validation: df = g")
        let data = try calibrationData(groups: false)
        let development = try Calibration.hosmerLemeshow(predictions: data.scores, outcomes: data.labels, sample: .development)
        #expect(development.statistic == hl.statistic && development.degreesOfFreedom == 8)
        #expect(abs(development.pValue - number(py["p_development_df8"])) / number(py["p_development_df8"]) < 1e-8)
        #expect(development.note?.hasSuffix("development sample: df = g − 2") == true)
        #expect(HosmerLemeshowSample.externalValidation.degreesOfFreedom(groups: 5) == 5)
    }

    @Test("Weighted reviews: Spiegelhalter's z is weighted and Hosmer–Lemeshow is left out (its χ² assumes case counts)")
    func weightedStore() throws {
        var options = Self.options
        options.versions = ["v1"]
        let e = try #require(try RiskEvaluation.evaluate(store: simulated.store, options: options).first)
        #expect(e.weighted && e.hosmerLemeshow == nil)
        // The partial AUC of weighted reviews is the weighted one (checked against scikit-learn's sample_weight above).
        let d = try #require(try LoadedReviews.load(store: simulated.store, options: options).byVersion["v1"])
        let weightedPartial = try Discrimination.partialAUC(scores: d.scores, labels: d.labels, weights: d.weights, maxFalsePositiveRate: 0.1)
        #expect(e.partialAUC.raw == weightedPartial.raw && e.partialAUC.value == weightedPartial.standardized)
        #expect(try Discrimination.partialAUC(scores: d.scores, labels: d.labels, maxFalsePositiveRate: 0.1).raw != weightedPartial.raw)
        #expect(e.spiegelhalter == (try Calibration.spiegelhalter(predictions: d.scores, outcomes: d.labels, weights: d.weights)))
        let z = try #require(e.spiegelhalter)
        #expect(z.note?.hasPrefix("weighted, null variance") == true)
        options.cluster = .member
        let clustered = try #require(try RiskEvaluation.evaluate(store: simulated.store, options: options).first?.spiegelhalter)
        #expect(clustered.note?.contains("cluster-robust") == true)
        // Clustering changes the variance under the square root, not the sum of residuals above it.
        #expect(clustered.statistic.sign == z.statistic.sign && clustered.statistic != z.statistic)
    }

    @Test("Scores that are not probabilities get no calibration test")
    func ordinal() throws {
        let data = try Predictions(path: safetyFixture("suicide.csv"), scoreColumn: "dsi", labelColumn: "suicide", positiveLabel: "yes")
        let e = try #require(try RiskEvaluation.evaluate(predictions: data, name: "dsi", options: Self.options).results.first)
        #expect(e.spiegelhalter == nil && e.hosmerLemeshow == nil)
    }
}

@Suite("Partial AUC (issue 12): against scikit-learn and pROC on public data")
struct PartialAUCTests {
    /// (name in the fixtures, file, score column, label column, positive label).
    static let sets: [(String, String, String, String, String?)] = [
        ("asah_s100b", "asah.csv", "s100b", "outcome", "Poor"), ("asah_ndka", "asah.csv", "ndka", "outcome", "Poor"),
        ("suicide_dsi", "suicide.csv", "dsi", "suicide", "yes"), ("calibration_risk", "calibration.csv", "risk", "outcome", nil),
    ]

    static func rows(_ reference: [String: Any], _ data: String) -> [[String: Any]] {
        (reference["partial_auc"] as! [[String: Any]]).filter { $0["data"] as! String == data }
    }

    @Test("Raw and McClish-standardised partial AUC equal scikit-learn's roc_auc_score(max_fpr=) and pROC's partial.auc(.correct)", arguments: 0..<4)
    func againstReferences(_ k: Int) throws {
        let (name, file, score, label, positive) = Self.sets[k]
        let data = try Predictions(path: safetyFixture(file), scoreColumn: score, labelColumn: label, positiveLabel: positive)
        let references = Self.rows(pyReference, name) + Self.rows(rReference, name)
        #expect(references.count >= 5)
        for row in references {
            let m = number(row["max_fpr"])
            let r = try Discrimination.partialAUC(scores: data.scores, labels: data.labels, maxFalsePositiveRate: m)
            #expect(abs(r.raw - number(row["raw"])) < 1e-12, "\(name) m = \(m): raw \(r.raw) vs \(number(row["raw"]))")
            #expect(abs(r.standardized - number(row["standardized"])) < 1e-12, "\(name) m = \(m): standardised")
        }
    }

    @Test("Weighted partial AUC equals scikit-learn's roc_auc_score(sample_weight=, max_fpr=)")
    func weighted() throws {
        let data = try calibrationData(groups: false), w = try calibrationWeights()
        for row in Self.rows(pyReference, "calibration_risk_weighted") {
            let m = number(row["max_fpr"])
            let r = try Discrimination.partialAUC(scores: data.scores, labels: data.labels, weights: w, maxFalsePositiveRate: m)
            #expect(abs(r.raw - number(row["raw"])) < 1e-12 && abs(r.standardized - number(row["standardized"])) < 1e-12, "m = \(m)")
        }
        #expect(throws: StatsError.self) { try Discrimination.partialAUC(scores: data.scores, labels: data.labels, maxFalsePositiveRate: 0) }
        #expect(throws: StatsError.self) { try Discrimination.partialAUC(scores: data.scores, labels: data.labels, maxFalsePositiveRate: 1.01) }
    }

    @Test("risk --predictions: partial_auc {max_fpr, raw, value, lower, upper, interval} with a bootstrap interval around scikit-learn's value")
    func inRisk() throws {
        let data = try Predictions(path: safetyFixture("asah.csv"), scoreColumn: "s100b", labelColumn: "outcome", positiveLabel: "Poor")
        var options = RiskEvaluationOptions()
        options.replicates = 200
        let e = try #require(try RiskEvaluation.evaluate(predictions: data, name: "s100b", options: options).results.first)
        let p = e.partialAUC
        let sklearn = try #require(Self.rows(pyReference, "asah_s100b").first { number($0["max_fpr"]) == 0.1 })
        #expect(p.maxFalsePositiveRate == 0.1)
        #expect(abs(p.value! - number(sklearn["standardized"])) < 1e-12 && abs(p.raw! - number(sklearn["raw"])) < 1e-12)
        #expect(p.interval == "bootstrap percentile (messages)")
        let lower = try #require(p.lower), upper = try #require(p.upper)
        #expect(lower <= p.value! && p.value! <= upper && lower < upper)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(e)) as! [String: Any]
        #expect(Set(object(json["partial_auc"]).keys) == ["max_fpr", "raw", "value", "lower", "upper", "interval"])
        // Same seed, same interval; another range, another area.
        #expect(try RiskEvaluation.evaluate(predictions: data, name: "s100b", options: options).results.first?.partialAUC == p)
        options.maxFalsePositiveRate = 0.2
        let wider = try #require(try RiskEvaluation.evaluate(predictions: data, name: "s100b", options: options).results.first?.partialAUC)
        #expect(wider.maxFalsePositiveRate == 0.2 && abs(wider.value! - number(Self.rows(pyReference, "asah_s100b").first { number($0["max_fpr"]) == 0.2 }!["standardized"])) < 1e-12)
    }

    @Test("A resample's partial area from the presorted sample equals the sweep of the resampled cases")
    func resample() throws {
        let data = try calibrationData(groups: false), w = try calibrationWeights()
        let sample = try PresortedSample(scores: data.scores, labels: data.labels, weights: w)
        let rng = RandomSource(seed: 5)
        for _ in 0..<5 {
            let copies = data.scores.indices.map { _ in Int32(rng.integer(below: 3)) }
            var m = [Int32](repeating: 0, count: copies.count)
            for i in copies.indices { m[sample.position(ofCase: i)] = copies[i] }
            var s: [Double] = [], y: [Bool] = [], ww: [Double] = []
            for i in copies.indices where copies[i] > 0 {
                s.append(data.scores[i]); y.append(data.labels[i]); ww.append(w[i] * Double(copies[i]))
            }
            for maxFPR in [0.05, 0.1, 0.5, 1] {
                let expected = try ThresholdSweep(scores: s, labels: y, weights: ww).partialArea(maxFalsePositiveRate: maxFPR)
                let got = try #require(sample.statistics(multiplicities: m, partialAUCMaxFalsePositiveRate: maxFPR).partialAUC)
                #expect(abs(got - expected) < 1e-12, "m = \(maxFPR)")
            }
        }
        #expect(sample.statistics(multiplicities: [Int32](repeating: 1, count: data.scores.count)).partialAUC == nil, "not requested")
    }

    @Test("risk --compare: both versions' partial AUCs and the paired bootstrap of their difference, with a p-value")
    func compare() throws {
        var options = RiskEvaluationOptions()
        options.replicates = 200
        let c = try VersionComparison.compare(store: simulated.store, versionA: "v1", versionB: "v2", options: options)
        let d = c.partialAUCDifference
        #expect(d.interval == "bootstrap percentile (messages)")
        #expect(abs(d.value! - (c.partialAUCB.value! - c.partialAUCA.value!)) < 1e-12)
        #expect((d.lower ?? 1) <= d.value! && d.value! <= (d.upper ?? -1))
        let p = try #require(c.partialAUCDifferenceP)
        #expect(p >= 0 && p <= 1)
        #expect(c.partialAUCB.value! > c.partialAUCA.value!, "the less noisy v2 ranks better at low false-positive rates too")
        #expect(c.partialAUCA.maxFalsePositiveRate == 0.1 && c.partialAUCA.lower != nil)
        #expect(try VersionComparison.compare(store: simulated.store, versionA: "v1", versionB: "v2", options: options) == c, "same seed")
    }
}

@Suite("Net benefit on the low-prevalence grid (issue 12)")
struct DecisionCurveTests {
    @Test("The grid runs from 0.005 by 0.005 to 0.05, by 0.01 to 0.10, by 0.05 to 0.50, as the reference script's")
    func grid() {
        let g = NetBenefit.lowPrevalenceGrid
        #expect(g.count == 23 && g.first == 0.005 && g.last == 0.5)
        let py = (object(pyReference["net_benefit"])["weighted"] as! [[String: Any]]).map { number($0["threshold"]) }
        #expect(g == py)
        #expect(zip(g, g.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("Weighted net benefit equals the hand computation TP_w/n_w − FP_w/n_w · t/(1 − t) (risk_reference.py)")
    func weightedAgainstHand() throws {
        let data = try calibrationData(groups: false), w = try calibrationWeights()
        for (weights, key) in [(Optional(w), "weighted"), (nil, "unweighted")] {
            let curve = try NetBenefit.curve(scores: data.scores, labels: data.labels, thresholds: NetBenefit.lowPrevalenceGrid, weights: weights)
            let reference = object(pyReference["net_benefit"])[key] as! [[String: Any]]
            for (n, r) in zip(curve, reference) {
                #expect(abs(n.model - number(r["model"])) < 1e-12 && abs(n.treatAll - number(r["treat_all"])) < 1e-12, "\(key) at \(n.thresholdProbability)")
            }
        }
    }

    @Test("Weighted net benefit by hand on four cases")
    func byHand() throws {
        // Scores 0.9 (positive, w 2), 0.6 (negative, w 1), 0.3 (positive, w 1), 0.1 (negative, w 4): n_w = 8.
        // At t = 0.5 the flagged cases are 0.9 and 0.6: TP_w = 2, FP_w = 1, odds 1 → NB = 2/8 − 1/8 = 0.125;
        // prevalence 3/8 → treat-all = 3/8 − 5/8 = −0.25. At t = 0.2: TP_w = 3, FP_w = 1, odds 0.25 →
        // NB = 3/8 − 0.25/8 = 0.34375; treat-all = 3/8 − 5/8 · 0.25 = 0.21875.
        let curve = try NetBenefit.curve(scores: [0.9, 0.6, 0.3, 0.1], labels: [true, false, true, false], thresholds: [0.5, 0.2], weights: [2, 1, 1, 4])
        #expect(abs(curve[0].model - 0.125) < 1e-15 && abs(curve[0].treatAll + 0.25) < 1e-15)
        #expect(abs(curve[1].model - 0.34375) < 1e-15 && abs(curve[1].treatAll - 0.21875) < 1e-15)
    }

    @Test("thresholds on the simulated store: the weighted decision curve starts at 0.005; a sum score has none")
    func inTuning() throws {
        var options = ThresholdTuningOptions()
        options.replicates = 0
        let t = try ThresholdTuning.tune(store: simulated.store, options: options)
        #expect(t.weighted && t.netBenefit.map(\.thresholdProbability) == NetBenefit.lowPrevalenceGrid)
        let suicide = try Predictions(path: safetyFixture("suicide.csv"), scoreColumn: "dsi", labelColumn: "suicide", positiveLabel: "yes")
        #expect(try ThresholdTuning.tune(predictions: suicide, name: "dsi", perDay: nil, days: nil, options: options).netBenefit.isEmpty)
    }
}
