import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// Two versions of a risk model compared on the messages both scored and a human reviewed
/// (issue 4, `peerlens risk --compare A B`).
public struct VersionComparison: Sendable, Equatable, Codable {
    /// The model and the two versions.
    public let model: String
    /// The baseline version (A).
    public let versionA: String
    /// The version compared with it (B).
    public let versionB: String
    /// Reviewed messages scored by both versions, and positives among them.
    public let common: Int
    /// Positives among the shared reviewed messages.
    public let positives: Int
    /// Whether estimates are weighted by review sampling weights.
    public let weighted: Bool
    /// The estimator, its assumption, the review rule and any assumed weights (of version A's reviewed messages,
    /// whose labels and weights the comparison uses).
    public let reviewDesign: ReviewDesign
    /// AUC of each version and B − A, with the paired DeLong test when unweighted (otherwise a bootstrap
    /// interval of the difference and no p-value).
    public let aucA: Double
    /// AUC of version B on the shared messages.
    public let aucB: Double
    /// AUC(B) − AUC(A) with its interval.
    public let aucDifference: Estimate
    /// Two-sided p-value of the paired DeLong test (unweighted, unclustered data only).
    public let pairedDeLongP: Double?
    /// Partial AUC of A over FPR ≤ `options.maxFalsePositiveRate` on the shared messages (raw and
    /// standardised, percentile interval from the paired bootstrap).
    public let partialAUCA: PartialAUC
    /// Partial AUC of B, from the same resamples.
    public let partialAUCB: PartialAUC
    /// Standardised partial AUC(B) − partial AUC(A), with the percentile interval of the paired bootstrap
    /// (messages, or members with `--cluster member`: both versions' scores of a resampled unit move together).
    public let partialAUCDifference: Estimate
    /// Two-sided p-value of the paired bootstrap test of that difference: z = difference / SD of the bootstrap
    /// differences (n − 1), normal reference (pROC's `roc.test(method = "bootstrap")`); nil when the bootstrap
    /// gave too few usable replicates or no spread.
    public let partialAUCDifferenceP: Double?
    /// Calibration intercept and slope of each version (logistic recalibration; nil if undefined).
    public let calibrationInterceptA: Double?
    /// Calibration-in-the-large of B.
    public let calibrationInterceptB: Double?
    /// Calibration slope of A.
    public let calibrationSlopeA: Double?
    /// Calibration slope of B.
    public let calibrationSlopeB: Double?
    /// Operating points: each version at its own deployed threshold (when it has one), and B at the threshold
    /// that flags as many of all scored messages as A does at its threshold (matched alert volume).
    public let operatingPoints: [OperatingRow]

    /// FPR and FNR of one version at one threshold, on the reviewed messages (weighted when `weighted`).
    public struct OperatingRow: Sendable, Equatable, Codable {
        /// `A at its threshold`, `B at its threshold`, or `B at A's alert volume`.
        public let label: String
        /// The version and threshold.
        public let version: String
        /// The threshold (flagged when score ≥ threshold).
        public let threshold: Double
        /// The threshold as printed: it flags the same scored messages of the version (`ThresholdText`).
        public let thresholdText: ThresholdText
        /// Share of all scored messages (reviewed or not) flagged at this threshold.
        public let flaggedShare: Double
        /// False-positive and false-negative rates.
        public let falsePositiveRate: Double?
        /// False-negative rate (1 − sensitivity).
        public let falseNegativeRate: Double?

        enum CodingKeys: String, CodingKey {
            case label, version, threshold, thresholdText = "threshold_text", flaggedShare = "flagged_share"
            case falsePositiveRate = "false_positive_rate", falseNegativeRate = "false_negative_rate"
        }
    }

    enum CodingKeys: String, CodingKey {
        case model, versionA = "version_a", versionB = "version_b", common, positives, weighted, reviewDesign = "review_design"
        case aucA = "auc_a", aucB = "auc_b", aucDifference = "auc_difference", pairedDeLongP = "paired_delong_p"
        case partialAUCA = "partial_auc_a", partialAUCB = "partial_auc_b", partialAUCDifference = "partial_auc_difference"
        case partialAUCDifferenceP = "partial_auc_difference_p"
        case calibrationInterceptA = "calibration_intercept_a", calibrationInterceptB = "calibration_intercept_b"
        case calibrationSlopeA = "calibration_slope_a", calibrationSlopeB = "calibration_slope_b"
        case operatingPoints = "operating_points"
    }
}

extension VersionComparison {
    /// Compares `versionA` with `versionB` of `options.model`.
    ///
    /// - Throws: `UnknownValueError` when the model or a version has no scores in the store (naming the ones
    ///   that do); `AnalysisError` when a version has no reviewed scores, the versions share no reviewed
    ///   message, or the shared messages hold one outcome class only.
    public static func compare(store: any EventSource, versionA: String, versionB: String,
                               options: RiskEvaluationOptions = RiskEvaluationOptions()) throws -> VersionComparison {
        var loadOptions = options
        loadOptions.versions = [versionA, versionB]
        let (byVersion, thresholds) = try RiskEvaluation.load(store: store, options: loadOptions, versionOption: "--compare")
        guard let a = byVersion[versionA], let b = byVersion[versionB] else {
            throw AnalysisError("\(options.model): no reviewed scores for \(byVersion[versionA] == nil ? versionA : versionB)")
        }
        // Align on messages both versions scored.
        let indexB = Dictionary(b.messages.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var sa: [Double] = [], sb: [Double] = [], y: [Bool] = [], w: [Double] = [], members: [String] = []
        for (i, message) in a.messages.enumerated() {
            guard let j = indexB[message] else { continue }
            sa.append(a.scores[i]); sb.append(b.scores[j]); y.append(a.labels[i]); w.append(a.weights[i]); members.append(a.members[i])
        }
        guard !sa.isEmpty else { throw AnalysisError("\(options.model): \(versionA) and \(versionB) share no reviewed message") }
        let positives = y.filter { $0 }.count
        guard positives > 0, positives < y.count else {
            throw AnalysisError("\(options.model): the \(y.count) shared reviewed messages are all \(positives > 0 ? "positive" : "negative")")
        }
        let weighted = a.anyWeight || b.anyWeight
        let weights: [Double]? = weighted ? w : nil
        let sweepA = try ThresholdSweep(scores: sa, labels: y, weights: weights), sweepB = try ThresholdSweep(scores: sb, labels: y, weights: weights)
        let aucA = sweepA.areaUnderCurve, aucB = sweepB.areaUnderCurve
        var difference: Estimate
        var p: Double?
        if !weighted && options.cluster == .message {
            let test = try Discrimination.compareCorrelated(scoresA: sb, scoresB: sa, labels: y, level: options.level)
            difference = Estimate(value: test.difference, lower: test.interval.lower, upper: test.interval.upper, interval: "delong")
            p = test.pValue
        } else {
            // Bootstrap the paired difference over messages or members.
            let bootstrap = UnitBootstrap(members: members, cases: members.count, options: options)
            let draws = bootstrap.draws(count: 1) { idx -> [Double?]? in
                let yy = idx.map { y[$0] }, ww = weights.map { ws in idx.map { ws[$0] } }
                guard let da = try? ThresholdSweep(scores: idx.map { sa[$0] }, labels: yy, weights: ww).areaUnderCurve,
                      let db = try? ThresholdSweep(scores: idx.map { sb[$0] }, labels: yy, weights: ww).areaUnderCurve else { return nil }
                return [db - da]
            }
            difference = bootstrap.estimate(aucB - aucA, draws: draws[0])
        }
        let partial = try partialAUCs(sa, sb, y, weights: weights, members: members, sweeps: (sweepA, sweepB), options: options)
        let calA = sa.allSatisfy({ $0 >= 0 && $0 <= 1 }) ? try? Calibration.logistic(predictions: sa, outcomes: y, weights: weights) : nil
        let calB = sb.allSatisfy({ $0 >= 0 && $0 <= 1 }) ? try? Calibration.logistic(predictions: sb, outcomes: y, weights: weights) : nil

        // Alert volume on all scored messages, reviewed or not: asked of each version's score distribution (an
        // array in memory for the embedded store; queries for an engine that keeps the scores).
        var distributions: [String: any ScoreDistribution] = [:]
        for version in [versionA, versionB] {
            switch try store.versionScores(model: options.model, version: version) {
            case .all(let column):
                distributions[version] = SortedScores(descending: ScoreSorting.descending(column.scores),
                                                      firstTime: column.firstTime, lastTime: column.lastTime)
            case .distribution(let distribution):
                distributions[version] = distribution
            }
        }
        func flaggedShare(_ version: String, _ t: Double) throws -> Double {
            let s = distributions[version]!
            return s.count == 0 ? 0 : Double(try s.flagged(atOrAbove: t)) / Double(s.count)
        }
        // Whether every score of a version is a probability: its smallest and largest are within [0, 1].
        var probabilities: [String: Bool] = [:]
        for (version, s) in distributions {
            probabilities[version] = s.count == 0 ? true : try s.score(atDescendingIndex: 0) <= 1 && s.score(atDescendingIndex: s.count - 1) >= 0
        }
        func printed(_ version: String, _ t: Double) throws -> ThresholdText {
            ThresholdText.printed(t, above: try distributions[version]!.largestScore(below: t), minimumPlaces: probabilities[version]! ? 2 : 0)
        }
        func rates(_ scores: [Double], _ t: Double) -> (Double?, Double?) {
            let (tp, fp, fn, tn) = RiskSupport.confusion(scores: scores, labels: y, weights: weights, threshold: t)
            return (fp + tn > 0 ? fp / (fp + tn) : nil, fn + tp > 0 ? fn / (fn + tp) : nil)
        }
        var rows: [OperatingRow] = []
        let tA = options.threshold ?? thresholds[versionA]
        if let tA {
            let (fpr, fnr) = rates(sa, tA)
            rows.append(OperatingRow(label: "A at its threshold", version: versionA, threshold: tA, thresholdText: try printed(versionA, tA), flaggedShare: try flaggedShare(versionA, tA), falsePositiveRate: fpr, falseNegativeRate: fnr))
        }
        if let tB = thresholds[versionB] {
            let (fpr, fnr) = rates(sb, tB)
            rows.append(OperatingRow(label: "B at its threshold", version: versionB, threshold: tB, thresholdText: try printed(versionB, tB), flaggedShare: try flaggedShare(versionB, tB), falsePositiveRate: fpr, falseNegativeRate: fnr))
        }
        if let tA, let scoresB = distributions[versionB], scoresB.count > 0 {
            // The threshold at which B flags (at least) as many messages as A does at tA.
            let count = try distributions[versionA]!.flagged(atOrAbove: tA)
            let tB = count == 0 ? try scoresB.score(atDescendingIndex: 0).nextUp : try scoresB.score(atDescendingIndex: min(count, scoresB.count) - 1)
            let (fpr, fnr) = rates(sb, tB)
            rows.append(OperatingRow(label: "B at A's alert volume", version: versionB, threshold: tB, thresholdText: try printed(versionB, tB), flaggedShare: try flaggedShare(versionB, tB), falsePositiveRate: fpr, falseNegativeRate: fnr))
        }
        return VersionComparison(model: options.model, versionA: versionA, versionB: versionB, common: sa.count, positives: positives,
                                 weighted: weighted, reviewDesign: a.design, aucA: aucA, aucB: aucB, aucDifference: difference, pairedDeLongP: p,
                                 partialAUCA: partial.a, partialAUCB: partial.b, partialAUCDifference: partial.difference,
                                 partialAUCDifferenceP: partial.p,
                                 calibrationInterceptA: calA?.intercept, calibrationInterceptB: calB?.intercept,
                                 calibrationSlopeA: calA?.slope, calibrationSlopeB: calB?.slope, operatingPoints: rows)
    }

    /// Each version's partial AUC and the paired bootstrap of the difference of the standardised values:
    /// every replicate resamples units (messages or members) once and evaluates both versions on it, so the
    /// correlation between the versions is kept. Each version's cases are sorted once (`PresortedSample`).
    static func partialAUCs(_ sa: [Double], _ sb: [Double], _ y: [Bool], weights: [Double]?, members: [String],
                            sweeps: (ThresholdSweep, ThresholdSweep), options: RiskEvaluationOptions) throws
        -> (a: PartialAUC, b: PartialAUC, difference: Estimate, p: Double?) {
        let m = options.maxFalsePositiveRate
        let sampleA = try PresortedSample(scores: sa, labels: y, weights: weights), sampleB = try PresortedSample(scores: sb, labels: y, weights: weights)
        let positionA = sa.indices.map { Int32(sampleA.position(ofCase: $0)) }, positionB = sb.indices.map { Int32(sampleB.position(ofCase: $0)) }
        let bootstrap = UnitBootstrap(members: members, cases: members.count, options: options)
        let draws = bootstrap.multiplicityDraws(count: 3, slots: sa.indices.map { Int32($0) }) { counts in
            var countsA = [Int32](repeating: 0, count: counts.count), countsB = countsA
            for i in counts.indices {
                countsA[Int(positionA[i])] = counts[i]
                countsB[Int(positionB[i])] = counts[i]
            }
            guard let a = sampleA.statistics(multiplicities: countsA, partialAUCMaxFalsePositiveRate: m).partialAUC,
                  let b = sampleB.statistics(multiplicities: countsB, partialAUCMaxFalsePositiveRate: m).partialAUC else { return nil }
            return [a, b, PartialAUCResult.standardize(b, maxFalsePositiveRate: m) - PartialAUCResult.standardize(a, maxFalsePositiveRate: m)]
        }
        let rawA = sweeps.0.partialArea(maxFalsePositiveRate: m), rawB = sweeps.1.partialArea(maxFalsePositiveRate: m)
        let difference = PartialAUCResult.standardize(rawB, maxFalsePositiveRate: m) - PartialAUCResult.standardize(rawA, maxFalsePositiveRate: m)
        let estimate = bootstrap.estimate(difference, draws: draws[2])
        var p: Double?
        let d = draws[2]
        if estimate.lower != nil, d.count >= 2 {
            let mean = d.reduce(0, +) / Double(d.count)
            let sd = (d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.count - 1)).squareRoot()
            if sd > 0 { p = StandardNormal.twoSidedP(difference / sd) }
        }
        return (PartialAUC(raw: rawA, draws: draws[0], maxFalsePositiveRate: m, bootstrap: bootstrap),
                PartialAUC(raw: rawB, draws: draws[1], maxFalsePositiveRate: m, bootstrap: bootstrap), estimate, p)
    }
}
