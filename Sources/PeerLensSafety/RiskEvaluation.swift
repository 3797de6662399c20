import GRDB
import PeerLensLog
import PeerLensStats
import PeerLensStore

/// A point estimate with its interval and how the interval was obtained.
public struct Estimate: Sendable, Equatable, Codable {
    /// The estimate (nil when undefined for these data, e.g. PPV with no flagged cases).
    public let value: Double?
    /// Interval bounds (nil when not available).
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// How the interval was obtained: `delong`, `wilson`, `wald`, a design-based name (`linearised …`,
    /// `sandwich Wald …`), `bootstrap percentile (messages)`, `cluster bootstrap percentile (members)`, or `none`.
    public let interval: String

    /// Creates an estimate.
    public init(value: Double?, lower: Double?, upper: Double?, interval: String) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.interval = interval
    }

    /// 1 − the estimate, with the interval mirrored (e.g. a false-negative rate from a sensitivity).
    public var complement: Estimate {
        Estimate(value: value.map { 1 - $0 }, lower: upper.map { 1 - $0 }, upper: lower.map { 1 - $0 }, interval: interval)
    }
}

/// The partial area under the ROC curve over FPR ≤ `maxFalsePositiveRate`, raw and McClish-standardised,
/// with a bootstrap interval (`risk`'s `partial_auc`).
public struct PartialAUC: Sendable, Equatable, Codable {
    /// The upper end of the false-positive-rate range (`--max-fpr`, default 0.1).
    public let maxFalsePositiveRate: Double
    /// The raw partial area ∫₀ᵐ TPR d(FPR), in [0, m] (nil when undefined).
    public let raw: Double?
    /// McClish's standardised partial area: 0.5 is chance, 1 a perfect ranking over the range (as pROC's
    /// `partial.auc.correct = TRUE` and scikit-learn's `roc_auc_score(max_fpr = m)`).
    public let value: Double?
    /// Bounds of the interval of the standardised value (nil when there is none).
    public let lower: Double?
    /// Upper bound.
    public let upper: Double?
    /// How the interval was obtained (`bootstrap percentile (messages)`, `cluster bootstrap percentile
    /// (members)`), or `none`.
    public let interval: String

    /// Creates a partial AUC.
    public init(maxFalsePositiveRate: Double, raw: Double?, value: Double?, lower: Double?, upper: Double?, interval: String) {
        self.maxFalsePositiveRate = maxFalsePositiveRate
        self.raw = raw
        self.value = value
        self.lower = lower
        self.upper = upper
        self.interval = interval
    }

    /// The partial AUC of `raw` with the percentile interval of its bootstrap draws (raw areas), standardised
    /// (McClish's map is increasing and linear, so the interval of the standardised value is the image of the
    /// raw one).
    init(raw: Double?, draws: [Double], maxFalsePositiveRate m: Double, bootstrap: UnitBootstrap) {
        let e = bootstrap.estimate(raw, draws: draws)
        func standardize(_ x: Double?) -> Double? { x.map { PartialAUCResult.standardize($0, maxFalsePositiveRate: m) } }
        self.init(maxFalsePositiveRate: m, raw: raw, value: standardize(raw), lower: standardize(e.lower), upper: standardize(e.upper),
                  interval: e.interval)
    }

    enum CodingKeys: String, CodingKey { case maxFalsePositiveRate = "max_fpr", raw, value, lower, upper, interval }
}

/// Options of a risk-model evaluation.
public struct RiskEvaluationOptions: Sendable {
    /// How intervals treat correlated messages.
    public enum Cluster: String, Sendable, Codable { case message, member }
    /// Model name in score events (`crisis`, `toxicity`, `harmful_advice`).
    public var model = "crisis"
    /// Versions to evaluate (nil: every version present).
    public var versions: [String]? = nil
    /// For graded reviews, severities at or above this are positive.
    public var positiveAt: Severity = .moderate
    /// Operating threshold; nil: the threshold most alerts of the version used.
    public var threshold: Double? = nil
    /// Bootstrap replicates and seed.
    public var replicates = 1000
    /// Break the evaluation down by this member or message attribute (`risk --by`).
    public var by: RiskSubgroup? = nil
    /// Track drift over these periods (`risk --over`).
    public var over: DriftPeriod? = nil
    /// Evaluability minimum of a subgroup or drift period: with fewer positives than this its review-based
    /// estimates are not computed (not disclosure control: the real counts are returned either way).
    public var minimumPositives = 10
    /// Seed of the bootstrap stream.
    public var seed: UInt64 = 1
    /// Independent unit for intervals: messages, or members (clusters for linearisation and the bootstrap).
    public var cluster: Cluster = .message
    /// Confidence level.
    public var level = 0.95
    /// Upper end of the false-positive-rate range of the partial AUC (`risk --max-fpr`), in (0, 1].
    public var maxFalsePositiveRate = 0.1
    /// How reviews become labels and weights (`--review-rule`, `--unweighted-reviews-weight`).
    public var reviews = ReviewLabelling()
    /// Whether average precision, the expected calibration error and the partial AUC get their (resampled)
    /// intervals. False gives their point values with no interval ("not computed"): for outputs that do not
    /// print them, such as the safety report's subgroup tables, where the resampling was most of the work.
    public var resampledIntervals = true
    /// Creates default options.
    public init() {}
}

/// Discrimination and calibration of one model version against human reviews (issue 4, `peerlens risk`).
///
/// Reviews are joined to scores by message; several reviews of a message become one label by
/// `options.reviews.rule` (default: the latest review). When reviews carry sampling weights, every estimate is
/// inverse-probability weighted in Hájek form (Σw·x / Σw, assuming review selection depends only on the
/// recorded inclusion probability; `reviewDesign` states it) and intervals are
/// design-based (`IntervalDesign`); otherwise the evaluation assumes the reviews are a random sample of scored
/// messages and says so. With `cluster: .member`, variances treat each member's messages as one cluster
/// (linearisation) and the bootstrap resamples members, because messages of one member are not independent.
/// Each `Estimate` names its interval.
public struct RiskEvaluation: Sendable, Equatable, Codable {
    /// The model name.
    public let model: String
    /// The version evaluated.
    public let version: String
    /// Reviewed messages and how many are positive.
    public let reviewed: Int
    /// Positive reviews among them.
    public let positives: Int
    /// Whether estimates are weighted by review sampling weights.
    public let weighted: Bool
    /// What the evaluation assumes about how reviews were sampled (the `reviewDesign` statement), and how its
    /// intervals were obtained.
    public let samplingNote: String
    /// The estimator, its assumption, the review rule and any assumed weights.
    public let reviewDesign: ReviewDesign
    /// Share of positives (weighted when `weighted`).
    public let prevalence: Estimate
    /// Area under the ROC curve (DeLong interval when unweighted and unclustered).
    public let auc: Estimate
    /// Partial AUC over FPR ≤ `options.maxFalsePositiveRate`, raw and standardised, with a percentile
    /// bootstrap interval (weighted when the reviews are).
    public let partialAUC: PartialAUC
    /// Average precision (scikit-learn definition).
    public let averagePrecision: Estimate
    /// Brier score.
    public let brier: Estimate
    /// 1 − Brier / uncertainty.
    public let scaledBrier: Estimate
    /// Murphy decomposition of the Brier score (10 equal-width bins).
    public let brierReliability: Double?
    /// Resolution term.
    public let brierResolution: Double?
    /// Uncertainty term ō(1 − ō).
    public let brierUncertainty: Double?
    /// Expected calibration error over 10 equal-width bins.
    public let expectedCalibrationError: Estimate
    /// Maximum calibration error over the same bins.
    public let maximumCalibrationError: Double?
    /// Hosmer–Lemeshow over 10 groups with g = 10 degrees of freedom: the scores were not fitted on these
    /// reviews (external validation; its `note` says so). Unweighted data only: nil when weighted (its χ²
    /// reference assumes case counts), for non-probability scores, or when undefined.
    public let hosmerLemeshow: CalibrationTest?
    /// Spiegelhalter's z with its two-sided p-value: weighted by the review sampling weights when there are
    /// any, with a cluster-robust variance when intervals are clustered by member (its `note` names the
    /// variance); nil for non-probability scores or when undefined.
    public let spiegelhalter: CalibrationTest?
    /// Calibration-in-the-large (0 is ideal).
    public let calibrationIntercept: Estimate
    /// Calibration slope (1 is ideal).
    public let calibrationSlope: Estimate
    /// Equal-width reliability table (empty when scores are not probabilities).
    public let reliability: [ReliabilityBin]
    /// Whether every score lies in [0, 1]; calibration measures are only computed then.
    public let scoresAreProbabilities: Bool
    /// The operating threshold and where it came from (`alerts`, `option`), nil when unknown.
    public let threshold: Double?
    /// `alerts` or `option`.
    public let thresholdSource: String?
    /// The threshold as printed: `--threshold <text>` flags the same reviewed messages (`ThresholdText`).
    public let thresholdText: ThresholdText?
    /// Rates at the threshold (score ≥ threshold is flagged).
    public let sensitivity: Estimate?
    /// Specificity at the threshold.
    public let specificity: Estimate?
    /// Positive predictive value at the threshold.
    public let positivePredictiveValue: Estimate?
    /// Negative predictive value at the threshold.
    public let negativePredictiveValue: Estimate?
    /// False-positive rate at the threshold.
    public let falsePositiveRate: Estimate?

    enum CodingKeys: String, CodingKey {
        case model, version, reviewed, positives, weighted, samplingNote = "sampling_note", reviewDesign = "review_design", prevalence, auc, partialAUC = "partial_auc"
        case averagePrecision = "average_precision", brier, scaledBrier = "scaled_brier", brierReliability = "brier_reliability"
        case brierResolution = "brier_resolution", brierUncertainty = "brier_uncertainty"
        case expectedCalibrationError = "ece", maximumCalibrationError = "mce", hosmerLemeshow = "hosmer_lemeshow", spiegelhalter
        case calibrationIntercept = "calibration_intercept", calibrationSlope = "calibration_slope", reliability, threshold
        case thresholdSource = "threshold_source", thresholdText = "threshold_text", sensitivity, specificity, positivePredictiveValue = "ppv"
        case negativePredictiveValue = "npv", falsePositiveRate = "fpr", scoresAreProbabilities = "scores_are_probabilities"
    }
}

/// The reviewed, scored messages of a model, loaded from the store once so that several analyses of the
/// same options (`risk --by … --over …`) share one read.
public struct LoadedReviews: Sendable {
    /// Reviewed scores per version.
    let byVersion: [String: ReviewedScores]
    /// The threshold most alerts of each version used.
    let thresholds: [String: Double]

    /// Loads the reviews of `options.model` (and `options.versions`) with their scores.
    ///
    /// - Throws: as `RiskEvaluation.evaluate`.
    public static func load(store: any EventSource, options: RiskEvaluationOptions) throws -> LoadedReviews {
        let (byVersion, thresholds) = try RiskEvaluation.load(store: store, options: options)
        return LoadedReviews(byVersion: byVersion, thresholds: thresholds)
    }
}

/// Reviewed, scored messages of one version.
struct ReviewedScores: Sendable {
    var scores: [Double] = []
    var labels: [Bool] = []
    /// One sampling weight per case, or empty for cases that carry none (exported predictions: unweighted, so
    /// `anyWeight` is false). Empty saves a 10-million-element array of ones on large files.
    var weights: [Double] = []
    /// One member per case, or empty for independent cases without members (exported predictions).
    var members: [String] = []
    var messages: [String] = []
    /// Space of each message ("unknown" when the message event is missing).
    var spaces: [String] = []
    /// When each message was scored (microseconds since the epoch).
    var times: [Int64] = []
    var anyWeight = false
    /// How the reviewed messages were combined and weighted (exported predictions: unweighted, no rule).
    var design = ReviewDesign(rule: nil, weighted: false, unweightedReviewsWeight: nil, messagesGivenAssumedWeight: 0, multiplyReviewed: 0)
    /// Appends one reviewed message.
    mutating func append(score: Double, label: Bool, weight: Double?, member: String, message: String, space: String, time: Int64) {
        scores.append(score); labels.append(label); weights.append(weight ?? Self.missingWeight); anyWeight = anyWeight || weight != nil
        members.append(member); messages.append(message); spaces.append(space); times.append(time)
    }

    /// Marks a missing sampling weight until `load` has seen every message of the version: a version whose
    /// messages all lack one is unweighted (weight 1); a mix is refused or resolved by `assignWeight`.
    static let missingWeight = -1.0

    /// Gives every message without a sampling weight the weight `w` (`--unweighted-reviews-weight`).
    mutating func assignWeight(_ w: Double) {
        for i in weights.indices where weights[i] == Self.missingWeight { weights[i] = w }
    }

    /// Whether every score lies in [0, 1] (otherwise an ordinal risk score: no calibration).
    var scoresAreProbabilities: Bool { scores.allSatisfy { $0 >= 0 && $0 <= 1 } }
}

extension RiskEvaluation {
    /// Evaluates every requested version of `options.model`.
    ///
    /// - Throws: `UnknownValueError` when the model or a requested version has no scores in the store (naming
    ///   the ones that do, with a suggestion); `AnalysisError` when the model has no review kind, no reviewed
    ///   scores, or only one outcome class for a version; `StatsError`/`StoreError` for failures underneath.
    public static func evaluate(store: any EventSource, options: RiskEvaluationOptions = RiskEvaluationOptions()) throws -> [RiskEvaluation] {
        let (byVersion, thresholds) = try load(store: store, options: options)
        return try byVersion.keys.sorted().map { version in
            let (threshold, source) = RiskSupport.operatingThreshold(option: options.threshold, alerts: thresholds[version])
            return try evaluate(byVersion[version]!, model: options.model, version: version, threshold: threshold, source: source, options: options)
        }
    }

    /// Reviewed scores per version and each version's alert threshold.
    ///
    /// - Throws: `UnknownValueError` when the model, or a version in `options.versions` (given with
    ///   `versionOption`), has no scores in the store while others do; `AnalysisError` as `evaluate`.
    static func load(store: any EventSource, options: RiskEvaluationOptions,
                     versionOption: String = "--version") throws -> ([String: ReviewedScores], [String: Double]) {
        guard let kind = ReviewKind(rawValue: options.model) else {
            try requireKnown(store: store, options: options, versionOption: versionOption)
            throw AnalysisError("no human review kind matches model '\(options.model)' (expected crisis, toxicity or harmful_advice)")
        }
        var byVersion: [String: ReviewedScores] = [:]
        var thresholds: [String: Double] = [:]
        // Per version: reviewed messages without a sampling weight, and those with several reviews.
        var unweighted: [String: Int] = [:], multiplyReviewed: [String: Int] = [:]
        // Read once per report: the tuning, evaluations, subgroups, drift and version comparison all start here.
        let data = try store.reviewedScoreData(kind: kind.rawValue, model: options.model)
        let combined = CombinedReview.combine(data.reviews, rule: options.reviews.rule, positiveAt: options.positiveAt)
        for row in data.scores {
            if let wanted = options.versions, !wanted.contains(row.version) { continue }
            guard let review = combined[row.message] else { continue }
            if review.weight == nil { unweighted[row.version, default: 0] += 1 }
            if review.reviews > 1 { multiplyReviewed[row.version, default: 0] += 1 }
            // Mutate in place: copying the value out and back would copy every array per row (quadratic).
            byVersion[row.version, default: ReviewedScores()].append(
                score: row.score, label: review.label, weight: review.weight, member: row.member ?? "unknown",
                message: row.message, space: row.space ?? "unknown", time: row.scoredAt)
        }
        thresholds = data.alertThresholds
        for version in byVersion.keys.sorted() {
            let n = byVersion[version]!.labels.count, missing = unweighted[version] ?? 0
            var given = 0
            if missing > 0, missing < n {
                // Some reviewed messages have a weight and others not: weight 1 would claim they were certain to be
                // reviewed. Refuse unless the user says what their weight is.
                guard let w = options.reviews.unweightedReviewsWeight else {
                    throw AnalysisError("\(grouped(missing)) of \(grouped(n)) reviewed messages of \(options.model) \(version) have no sampling weight: "
                                        + "give --unweighted-reviews-weight W to weight them W, or fix the log")
                }
                byVersion[version]!.assignWeight(w)
                given = missing
            } else if missing == n {
                byVersion[version]!.assignWeight(1)
            }
            byVersion[version]!.design = ReviewDesign(rule: options.reviews.rule, weighted: byVersion[version]!.anyWeight,
                                                      unweightedReviewsWeight: given > 0 ? options.reviews.unweightedReviewsWeight : nil,
                                                      messagesGivenAssumedWeight: given, multiplyReviewed: multiplyReviewed[version] ?? 0)
        }
        // Only when something asked for is missing are the store's models and versions listed (a full scan of
        // the scores), to tell a mistyped name from one without reviews.
        if byVersion.isEmpty || options.versions.map({ $0.contains { byVersion[$0] == nil } }) == true {
            try requireKnown(store: store, options: options, versionOption: versionOption)
        }
        guard !byVersion.isEmpty else {
            throw AnalysisError("no reviewed \(options.model) scores in the store: reviews of kind \(kind.rawValue) are needed")
        }
        return (byVersion, thresholds)
    }

    /// `n` with thousands separators (4,210), for messages.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Throws `UnknownValueError` when `options.model`, or a version of `options.versions`, has no scores in the
    /// store while other models (versions) do. A store without any scores passes: the caller says so.
    static func requireKnown(store: any EventSource, options: RiskEvaluationOptions, versionOption: String) throws {
        let models = try store.scoredModels()
        guard !models.isEmpty else { return }
        try UnknownValueError.check(option: "--model", value: options.model, known: models, knownDescription: "models with scores in the store")
        guard let wanted = options.versions else { return }
        let versions = try store.versions(ofModel: options.model)
        for version in wanted {
            try UnknownValueError.check(option: versionOption, value: version, known: versions,
                                        knownDescription: "versions of \(options.model) with scores in the store")
        }
    }

    static func evaluate(_ d: ReviewedScores, model: String, version: String, threshold: Double?, source: String?,
                         options: RiskEvaluationOptions) throws -> RiskEvaluation {
        let positives = d.labels.filter { $0 }.count
        guard positives > 0, positives < d.labels.count else {
            throw AnalysisError("\(model) \(version): all \(d.labels.count) reviewed messages are \(positives > 0 ? "positive" : "negative"); discrimination and calibration need both")
        }
        let weighted = d.anyWeight
        let design = IntervalDesign(d, options: options)
        let n = d.labels.count
        let prevalence = design.simple ? design.share(hits: positives, of: n) : design.share(Array(d.labels.indices)) { d.labels[$0] }
        let probabilities = d.scoresAreProbabilities
        // The logistic calibration fit is the largest single cost on large samples: it runs beside the rest, on
        // the distinct scores with their counts when the design allows (the same fit).
        // One sort serves the sweep, DeLong's AUC and Hosmer–Lemeshow's groups.
        let order = ScoreOrder(d.scores)
        let sweep = try ThresholdSweep(scores: d.scores, labels: d.labels, weights: design.weights, order: order)
        let aggregate = design.simple && n >= Self.largeSample
        let calibrationFit = Background { probabilities ? (aggregate ? design.calibration(aggregating: sweep) : design.calibration(d)) : nil }
        let auc = try design.auc(d, order: order)
        let none = IntervalDesign.none
        let brierEstimates = probabilities ? try design.brier(d) : nil
        let w = design.weights
        let brier = probabilities ? try BrierScore(predictions: d.scores, outcomes: d.labels, weights: w) : nil
        let table = probabilities ? try ReliabilityTable(predictions: d.scores, outcomes: d.labels, level: options.level, weights: w) : nil
        let maxFPR = options.maxFalsePositiveRate
        let averagePrecision: Estimate, calibrationError: Estimate, partialAUC: PartialAUC, largeSample = design.simple && n >= Self.largeSample
        if !options.resampledIntervals {
            let skipped = "not computed"
            averagePrecision = Estimate(value: sweep.averagePrecision, lower: nil, upper: nil, interval: skipped)
            calibrationError = Estimate(value: table?.expectedCalibrationError, lower: nil, upper: nil, interval: skipped)
            let raw = sweep.partialArea(maxFalsePositiveRate: maxFPR)
            partialAUC = PartialAUC(maxFalsePositiveRate: maxFPR, raw: raw, value: PartialAUCResult.standardize(raw, maxFalsePositiveRate: maxFPR),
                                    lower: nil, upper: nil, interval: skipped)
        } else if largeSample {
            // A large sample of independent, unweighted cases: intervals whose cost does not grow with n per
            // replicate (a case bootstrap would cost replicates × n): the logit interval of AP and a bootstrap of
            // ECE on bins.
            let ap = try LargeSampleInterval.averagePrecision(sweep.averagePrecision, positives: positives, level: options.level)
            averagePrecision = Estimate(value: sweep.averagePrecision, lower: ap?.lower, upper: ap?.upper, interval: ap == nil ? "none" : "logit (Boyd et al. 2013)")
            let ece = try table.flatMap { _ in
                try LargeSampleInterval.expectedCalibrationError(predictions: d.scores, outcomes: d.labels, replicates: options.replicates,
                                                                 level: options.level, seed: options.seed)
            }
            calibrationError = Estimate(value: table?.expectedCalibrationError, lower: ece?.lower, upper: ece?.upper,
                                        interval: ece == nil ? "none" : "bin-level bootstrap percentile")
            let raw = sweep.partialArea(maxFalsePositiveRate: maxFPR)
            let pauc = try LargeSampleInterval.partialAUC(scores: d.scores, labels: d.labels, maxFalsePositiveRate: maxFPR, estimate: raw,
                                                          level: options.level, order: order)
            func standardize(_ x: Double?) -> Double? { x.map { PartialAUCResult.standardize($0, maxFalsePositiveRate: maxFPR) } }
            partialAUC = PartialAUC(maxFalsePositiveRate: maxFPR, raw: raw, value: standardize(raw), lower: standardize(pauc?.lower),
                                    upper: standardize(pauc?.upper), interval: pauc == nil ? "none" : "Wald, influence-function SE")
        } else {
            // Average precision and ECE have no convenient linearisation: percentile bootstrap over messages or
            // members, each replicate a vector of multiplicities over the presorted sample (one pass, no sort).
            let sample = try PresortedSample(scores: d.scores, labels: d.labels, weights: w)
            let bootstrap = UnitBootstrap(members: d.members, cases: n, options: options)
            let draws = bootstrap.multiplicityDraws(count: 3, slots: d.labels.indices.map { Int32(sample.position(ofCase: $0)) }) { m in
                let r = sample.statistics(multiplicities: m, partialAUCMaxFalsePositiveRate: maxFPR)
                return [r.averagePrecision, r.expectedCalibrationError, r.partialAUC]
            }
            averagePrecision = bootstrap.estimate(sweep.averagePrecision, draws: draws[0])
            calibrationError = bootstrap.estimate(table?.expectedCalibrationError, draws: draws[1])
            partialAUC = PartialAUC(raw: sweep.partialArea(maxFalsePositiveRate: maxFPR), draws: draws[2], maxFalsePositiveRate: maxFPR,
                                    bootstrap: bootstrap)
        }
        var rates: [Estimate?] = [nil, nil, nil, nil, nil]
        if let threshold, design.simple {
            // Counts are all the simple design needs: one pass, no index arrays.
            let c = RiskSupport.confusion(scores: d.scores, labels: d.labels, weights: nil, threshold: threshold)
            let tp = Int(c.truePositives), fp = Int(c.falsePositives), fn = Int(c.falseNegatives), tn = Int(c.trueNegatives)
            rates = [design.share(hits: tp, of: tp + fn), design.share(hits: tn, of: tn + fp), design.share(hits: tp, of: tp + fp),
                     design.share(hits: tn, of: tn + fn), design.share(hits: fp, of: fp + tn)]
        } else if let threshold {
            let all = Array(d.labels.indices)
            let positiveCases = all.filter { d.labels[$0] }, negativeCases = all.filter { !d.labels[$0] }
            let flagged = all.filter { d.scores[$0] >= threshold }, unflagged = all.filter { d.scores[$0] < threshold }
            rates = [design.share(positiveCases) { d.scores[$0] >= threshold }, design.share(negativeCases) { d.scores[$0] < threshold },
                     design.share(flagged) { d.labels[$0] }, design.share(unflagged) { !d.labels[$0] },
                     design.share(negativeCases) { d.scores[$0] >= threshold }]
        }
        let resampled = largeSample
            ? "large-sample (at least \(Self.largeSample) cases) logit (AP), bin-level bootstrap (ECE) and influence-function Wald (partial AUC)"
            : "bootstrap (AP, ECE, partial AUC)"
        let intervals = design.simple
            ? "intervals: Wilson (rates), DeLong (AUC), Wald (calibration), linearised Wald (Brier), \(resampled)"
            : "intervals: design-based linearisation\(design.clusters != nil ? " clustered by member" : "") (rates, AUC, Brier), sandwich (calibration), bootstrap (AP, ECE, partial AUC)"
        return RiskEvaluation(
            model: model, version: version, reviewed: n, positives: positives, weighted: weighted,
            samplingNote: d.design.statement + "; " + intervals, reviewDesign: d.design,
            prevalence: prevalence, auc: auc, partialAUC: partialAUC, averagePrecision: averagePrecision,
            brier: brierEstimates?.score ?? none, scaledBrier: brierEstimates?.scaled ?? none,
            brierReliability: brier?.reliability, brierResolution: brier?.resolution, brierUncertainty: brier?.uncertainty,
            expectedCalibrationError: calibrationError,
            maximumCalibrationError: table?.maximumCalibrationError,
            hosmerLemeshow: weighted || !probabilities ? nil : try? Calibration.hosmerLemeshow(predictions: d.scores, outcomes: d.labels, sample: .externalValidation, order: order),
            spiegelhalter: probabilities ? try? Calibration.spiegelhalter(predictions: d.scores, outcomes: d.labels, weights: w, clusters: design.clusters) : nil,
            calibrationIntercept: calibrationFit.value?.intercept ?? none, calibrationSlope: calibrationFit.value?.slope ?? none,
            reliability: table?.bins ?? [], scoresAreProbabilities: probabilities,
            threshold: threshold, thresholdSource: source,
            thresholdText: threshold.map { ThresholdText.printed($0, ascending: d.scores.sorted(), minimumPlaces: probabilities ? 2 : 0) },
            sensitivity: rates[0], specificity: rates[1], positivePredictiveValue: rates[2], negativePredictiveValue: rates[3],
            falsePositiveRate: rates[4])
    }

    /// From this many independent, unweighted cases on, average precision gets the logit interval and ECE the
    /// bin-level bootstrap (`LargeSampleInterval`) instead of a case bootstrap: at this size a case bootstrap
    /// costs seconds per statistic while the large-sample intervals are accurate.
    static let largeSample = 100_000

    /// Linear-interpolation quantile (R type 7) of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
