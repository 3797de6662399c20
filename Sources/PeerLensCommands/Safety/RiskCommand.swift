import ArgumentParser
import PeerLensDocument
import PeerLensLog
import PeerLensReport
import PeerLensSafety

/// `peerlens risk`: discrimination and calibration of a risk model, per version; by subgroup; over time;
/// two versions compared; or exported predictions.
public struct RiskCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Discrimination and calibration of a risk model against human reviews, per version.",
        discussion: """
        Reviews are joined to scores by message. With review sampling weights every estimate is \
        inverse-probability weighted and intervals are design-based (linearised; sandwich for calibration); \
        otherwise reviews are assumed to be a random sample. Average precision and ECE use a percentile \
        bootstrap. Each interval says how it was obtained. A message is flagged when score ≥ threshold; the \
        score may be on any scale (probabilities, sum scores such as PHQ-9 or DSI totals, logits, ranks). \
        Calibration measures need probabilities: for scores outside [0, 1] they are absent and the output says \
        why. Thresholds are printed with enough digits to flag the same messages when passed back.

        Discrimination where the team operates: the partial AUC over false-positive rates up to --max-fpr \
        (default 0.1), raw and McClish-standardised (as pROC's partial.auc.correct and scikit-learn's \
        roc_auc_score(max_fpr=)), with a percentile bootstrap interval (an influence-function Wald interval \
        for 100,000 or more independent unweighted cases); --compare tests its difference with a paired \
        bootstrap. Calibration tests (probability scores only): Spiegelhalter's z (weighted by the review \
        sampling weights when there are any; cluster-robust with --cluster member) and, unweighted, \
        Hosmer–Lemeshow with g = 10 degrees of freedom, the external-validation rule (the scores were not \
        fitted on these data).

        Review design: with sampling weights the estimator is inverse-probability weighting in Hájek form \
        (Σw·x / Σw), assuming review selection depends only on the recorded inclusion probability; the output \
        says so. Reviews with a weight mixed with reviews without one are refused, naming the count, unless \
        --unweighted-reviews-weight W gives the missing weight. Several reviews of one message become one \
        label by --review-rule (latest, majority, most-severe); where messages have two or more reviews, \
        the agreement between the first and the second (Fleiss' and Cohen's κ on the label, weighted κ on \
        severity) is shown.
        """
    )

    @Option(help: "Model name in score events (crisis, toxicity, harmful_advice).")
    var model: String = "crisis"

    @Option(name: .customLong("version"), help: "A version to evaluate (repeatable; default: every version).")
    var versions: [String] = []

    @Option(help: "Graded reviews at or above this severity are positive (none, low, moderate, high, imminent).")
    var positiveAt: Severity = .moderate

    @Option(help: "Operating threshold on the score's own scale: a probability, a sum score, a logit or a rank (default: the threshold the version's alerts used; negative values as --threshold=-1.5).")
    var threshold: Double?

    @Option(help: "Independent unit for intervals: message, or member (messages of one member form a cluster).")
    var cluster: RiskEvaluationOptions.Cluster = .message

    @OptionGroup var bootstrap: BootstrapOptions<RiskBootstrap>

    @Option(parsing: .upToNextOption, help: "Compare two versions: --compare A B (paired on messages both scored).")
    var compare: [String] = []

    @Option(help: "Break down by language, region, culture, age_band, gender, condition, resource_setting or space, with a disparity summary.")
    var by: RiskSubgroup?

    @Option(help: "Drift of AUC, calibration-in-the-large and alert rate per week or month.")
    var over: String?

    @Option(help: "A subgroup or period (--by, --over; with --group-col, fewer positives or negatives) below this is not evaluated: too few to estimate.")
    var minPositives: Int = 10

    @OptionGroup var exported: PredictionsOptions

    @Option(help: "With --predictions: a column to evaluate groups separately.")
    var groupCol: String?

    @OptionGroup var reviews: ReviewDesignOptions

    @Option(help: "Partial AUC over false-positive rates 0 to this value, in (0, 1] (raw and McClish-standardised; also in --compare).")
    var maxFpr: Double = 0.1

    /// Defaults.
    public init() {}

    public func validate() throws {
        if let threshold, !threshold.isFinite { throw ValidationError("--threshold must be a finite number") }
        if !compare.isEmpty, compare.count != 2 { throw ValidationError("--compare takes exactly two versions") }
        if exported.given, reviews.reviewRule != .latest || reviews.unweightedReviewsWeight != nil {
            throw ValidationError("--review-rule and --unweighted-reviews-weight work on the store's reviews, not with --predictions")
        }
        if !compare.isEmpty, exported.given { throw ValidationError("--compare works on the store, not with --predictions") }
        if cluster == .member, exported.given { throw ValidationError("--cluster member works on the store: exported predictions have no members") }
        if let over, DriftPeriod(rawValue: over) == nil { throw ValidationError("--over takes week or month") }
        if by != nil || over != nil {
            if exported.given { throw ValidationError("--by and --over work on the store; with --predictions use --group-col") }
            if !compare.isEmpty { throw ValidationError("--by and --over cannot be combined with --compare") }
        }
        guard minPositives >= 2 else { throw ValidationError("--min-positives must be at least 2") }
        if !exported.given, groupCol != nil { throw ValidationError("--group-col goes with --predictions") }
        guard maxFpr > 0, maxFpr <= 1 else { throw ValidationError("--max-fpr must be in (0, 1]: the partial AUC covers false-positive rates from 0 to it") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        var options = RiskEvaluationOptions()
        options.model = model
        options.versions = versions.isEmpty ? nil : versions
        options.positiveAt = positiveAt
        options.threshold = threshold
        options.cluster = cluster
        options.replicates = bootstrap.replicates
        options.seed = bootstrap.seed
        options.by = by
        options.over = over.flatMap(DriftPeriod.init(rawValue:))
        options.minimumPositives = minPositives
        options.maxFalsePositiveRate = maxFpr
        options.reviews = reviews.labelling
        var described = exported.described
        described["model"] = model
        described["positive_at"] = positiveAt.rawValue
        described["cluster"] = cluster.rawValue
        described["replicates"] = "\(bootstrap.replicates)"
        described["seed"] = "\(bootstrap.seed)"
        if !versions.isEmpty { described["versions"] = versions.joined(separator: ",") }
        if let threshold { described["threshold"] = "\(threshold)" }
        if let by { described["by"] = by.rawValue }
        if let over { described["over"] = over }
        if by != nil || over != nil { described["min_positives"] = "\(minPositives)" }
        if !compare.isEmpty { described["compare"] = compare.joined(separator: ",") }
        if let groupCol { described["group_col"] = groupCol }
        described["max_fpr"] = "\(maxFpr)"
        if !exported.given { described.merge(reviews.described) { _, new in new } }

        if by != nil || over != nil {
            let report = try RiskBreakdown.analyse(store: try context.source(), options: options)
            let sections = (report.subgroups ?? []).map { s in
                var section = SafetyReport.subgroupSection(s)
                section.heading = "\(s.model) \(s.version) by \(s.by.rawValue.replacingOccurrences(of: "_", with: " "))"
                section.id = "subgroups-\(Section.slug(s.version))-\(s.by.rawValue)"
                return section
            } + (report.drift ?? []).map { d in
                var section = SafetyReport.driftSection(d)
                section.heading = "Drift of \(d.model) \(d.version)"
                section.id = "drift-\(Section.slug(d.version))"
                return section
            }
            return Publication(title: "Risk model breakdown", subtitle: model, sections: sections, options: described)
        }
        if compare.count == 2 {
            let c = try VersionComparison.compare(store: try context.source(), versionA: compare[0], versionB: compare[1], options: options)
            return Publication(title: "Risk model versions compared", subtitle: "\(c.model) \(c.versionB) against \(c.versionA)",
                               sections: [SafetyReport.comparisonSection(c)], options: described)
        }
        var results: [RiskEvaluation]
        var skipped: [String] = []
        var source: StoreFingerprint?
        if let data = try exported.load(groupColumn: groupCol) {
            (results, skipped) = try RiskEvaluation.evaluate(predictions: data, name: exported.scoreCol!, options: options, minimumPerClass: minPositives)
            source = try exported.source(data)
        } else {
            results = try RiskEvaluation.evaluate(store: try context.source(), options: options)
        }
        // Reviewer agreement of the model's review kind (store only: exported predictions carry one label per case).
        var agreement: [Section] = []
        if !exported.given, let kind = ReviewKind(rawValue: model) {
            agreement = [try ReviewerAgreement.measure(store: try context.source(), options: options)
                .map { SafetyReport.agreementSection($0, rule: options.reviews.rule) }
                ?? SafetyReport.noAgreementSection(kind: kind.rawValue, rule: options.reviews.rule)]
        }
        let name = exported.given ? (exported.scoreCol ?? model) : model
        var overview = Section("Discrimination and calibration", blocks: [
            .table(SafetyReport.evaluationTable(name, results, unit: exported.given ? "cases" : "messages")),
        ])
        if !skipped.isEmpty {
            overview.blocks.append(.table(Table(caption: "Groups not evaluated", columns: [Column("Group", alignment: .left), Column("Evaluation", alignment: .left)],
                                                rows: skipped.map { [.text($0), .notEvaluable("fewer than \(minPositives) positives or negatives")] })))
        }
        return Publication(title: "Risk model evaluation", subtitle: name, sections: [overview] + results.map(SafetyReport.evaluationSection) + agreement,
                           options: described, source: source)
    }
}

/// `--replicates` of `risk`.
enum RiskBootstrap: BootstrapDefaults {
    static let replicates = 1000
    static let help = "Bootstrap replicates (average precision, ECE; version comparison)."
    static let allowsNone = false
}
