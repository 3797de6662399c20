import ArgumentParser
import PeerLensDocument
import PeerLensLog
import PeerLensReport
import PeerLensSafety

/// `peerlens thresholds`: workload per threshold and a recommendation under a policy.
public struct ThresholdsCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "thresholds",
        abstract: "Threshold tuning with workload: alerts per day, missed positives per week, and a recommendation under a policy.",
        discussion: """
        Accuracy comes from human reviews (weighted by review sampling weights when present); workload from \
        every scored message. A message is flagged when score ≥ threshold, on the score's own scale \
        (probabilities, sum scores such as PHQ-9 or DSI totals, logits, ranks): probabilities get the grid \
        0.01 … 0.99, other scores their distinct values (or 99 quantiles). Every threshold is printed with \
        enough digits that `risk --threshold <printed value>` flags the same messages.

        Give at most one policy (default: maximum Youden J), except that --min-sensitivity and \
        --max-alerts-per-day go together: the most sensitive threshold within capacity, and whether it meets \
        the floor; if it does not, the trade-off (sensitivity reachable within capacity; alerts per day the floor \
        needs). --assurance lower applies a sensitivity floor to the lower confidence bound.

        Every row states the alert burden in staff terms: alerts per day, the share of alerts that are not \
        positives (1 − PPV), alerts per true positive (NNE = 1/PPV) and missed positives per week. Alerts per \
        responder-hour appear only with a declared rota: --responders-per-shift N [--shift-hours H, hours \
        covered per day, default 24], or --rota FILE, a CSV with the header weekday,start,end,responders and one \
        staffed period per line (weekday mon … sun or all; start and end HH:MM, an end at or before the start \
        runs past midnight, 24:00 allowed), e.g. `all,08:00,20:00,3` and `sat,20:00,08:00,1`. Responder-hours \
        per day are the rota's weekly responder-hours ÷ 7.

        The table with raw alert counts at every candidate threshold is the safety team's working view: it is \
        published only with --internal.
        """
    )

    @Option(help: "Model name in score events (crisis, toxicity, harmful_advice).")
    var model: String = "crisis"

    @Option(help: "The version to tune (default: the version with the most alerts).")
    var version: String?

    @Option(help: "Graded reviews at or above this severity are positive.")
    var positiveAt: Severity = .moderate

    @Option(help: "Policy: the fewest alerts that keep sensitivity at or above this (0–1); with --max-alerts-per-day, the floor checked within capacity.")
    var minSensitivity: Double?

    @Option(help: "Policy: the highest sensitivity within this many alerts per day (with --min-sensitivity: the capacity).")
    var maxAlertsPerDay: Double?

    @Option(help: "What a sensitivity floor applies to: point (the estimate) or lower (the lower 95% confidence bound).")
    var assurance: SensitivityAssurance = .point

    @Option(help: "Policy (with --cost-false-alarm): the cost of a missed positive.")
    var costMissed: Double?

    @Option(help: "Policy (with --cost-missed): the cost of a false alarm.")
    var costFalseAlarm: Double?

    @Flag(help: "Policy: maximum Youden J (the default).")
    var youden = false

    @Option(help: "The deployed threshold to compare with (default: the threshold of the version's alerts).")
    var deployedThreshold: Double?

    @OptionGroup var rota: RotaOptions

    @OptionGroup var bootstrap: BootstrapOptions<ThresholdsBootstrap>

    @OptionGroup var reviews: ReviewDesignOptions

    @Option(help: "Unit of the design-based intervals: message, or member (clustered).")
    var cluster: RiskEvaluationOptions.Cluster = .message

    @OptionGroup var exported: PredictionsOptions

    @Option(help: "With --predictions: cases arriving per day (for alerts per day).")
    var perDay: Double?

    @Option(help: "With --predictions: a column of RFC 3339 case times (for alerts per day).")
    var timeCol: String?

    /// Defaults.
    public init() {}

    public func validate() throws {
        // --min-sensitivity with --max-alerts-per-day is one policy: a floor checked within capacity.
        let policies = [minSensitivity != nil || maxAlertsPerDay != nil, costMissed != nil || costFalseAlarm != nil, youden].filter { $0 }.count
        guard policies <= 1 else {
            throw ValidationError("give one policy: --min-sensitivity, --max-alerts-per-day (or both: a floor within capacity), --cost-missed/--cost-false-alarm or --youden")
        }
        if assurance == .lower, minSensitivity == nil { throw ValidationError("--assurance lower applies to a sensitivity floor: give --min-sensitivity") }
        if (costMissed == nil) != (costFalseAlarm == nil) { throw ValidationError("--cost-missed and --cost-false-alarm go together") }
        if let s = minSensitivity, !(s > 0 && s <= 1) { throw ValidationError("--min-sensitivity must be in (0, 1]") }
        if let n = maxAlertsPerDay, !(n > 0 && n.isFinite) { throw ValidationError("--max-alerts-per-day must be positive") }
        for (name, c) in [("--cost-missed", costMissed), ("--cost-false-alarm", costFalseAlarm)] {
            if let c, !(c >= 0 && c.isFinite) { throw ValidationError("\(name) must be a non-negative number") }
        }
        if let m = costMissed, let f = costFalseAlarm, m + f == 0 { throw ValidationError("the costs cannot both be zero") }
        if let t = deployedThreshold, !(t.isFinite) { throw ValidationError("--deployed-threshold must be a number") }
        if cluster == .member, exported.given { throw ValidationError("--cluster member works on the store: exported predictions have no members") }
        if !exported.given, perDay != nil || timeCol != nil { throw ValidationError("--per-day and --time-col go with --predictions") }
        if perDay != nil, timeCol != nil { throw ValidationError("give --per-day or --time-col, not both") }
        if exported.given, reviews.reviewRule != .latest || reviews.unweightedReviewsWeight != nil {
            throw ValidationError("--review-rule and --unweighted-reviews-weight work on the store's reviews, not with --predictions")
        }
        if let p = perDay, !(p > 0 && p.isFinite) { throw ValidationError("--per-day must be positive") }
        if exported.given, maxAlertsPerDay != nil, perDay == nil, timeCol == nil {
            throw ValidationError("--max-alerts-per-day with --predictions needs --per-day or --time-col")
        }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        var options = ThresholdTuningOptions()
        options.model = model
        options.version = version
        options.positiveAt = positiveAt
        switch (minSensitivity, maxAlertsPerDay) {
        case let (s?, n?): options.policy = .sensitivityWithinCapacity(minimum: s, maxAlertsPerDay: n)
        case let (s?, nil): options.policy = .minimumSensitivity(s)
        case let (nil, n?): options.policy = .maximumAlertsPerDay(n)
        case (nil, nil): break
        }
        options.assurance = assurance
        if let m = costMissed, let f = costFalseAlarm { options.policy = .cost(missed: m, falseAlarm: f) }
        options.deployedThreshold = deployedThreshold
        options.rota = try rota.load()
        options.replicates = bootstrap.replicates
        options.seed = bootstrap.seed
        options.cluster = cluster
        options.reviews = reviews.labelling
        let result: ThresholdTuning
        var source: StoreFingerprint?
        if let data = try exported.load(timeColumn: timeCol) {
            result = try ThresholdTuning.tune(predictions: data, name: exported.scoreCol!, perDay: perDay, days: data.spanDays, options: options)
            source = try exported.source(data)
        } else {
            result = try ThresholdTuning.tune(store: try context.source(), options: options)
        }
        var described = exported.described
        described["model"] = model
        described["positive_at"] = positiveAt.rawValue
        described["policy"] = result.recommendation.policy
        described["replicates"] = "\(bootstrap.replicates)"
        described["seed"] = "\(bootstrap.seed)"
        described["cluster"] = cluster.rawValue
        if !exported.given { described.merge(reviews.described) { _, new in new } }
        if let version { described["version"] = version }
        if let deployedThreshold { described["deployed_threshold"] = "\(deployedThreshold)" }
        described.merge(rota.described) { a, _ in a }
        if minSensitivity != nil { described["assurance"] = assurance.rawValue }
        if let perDay { described["per_day"] = Formatter.fixed(perDay, 2) }
        if let timeCol { described["time_col"] = timeCol }
        var section = SafetyReport.thresholdSection(result)
        section.blocks.insert(.keyFigures(SafetyReport.tuningBasis(result, exported: exported.given)), at: 0)
        section.blocks += SafetyReport.decisionCurveBlocks(result)
        return Publication(title: "Threshold tuning", subtitle: "\(result.model) \(result.version)", sections: [section], options: described, source: source)
    }
}

/// `--replicates` of `thresholds`.
enum ThresholdsBootstrap: BootstrapDefaults {
    static let replicates = 500
    static let help = "Bootstrap replicates for the recommended threshold's interval (0: none)."
    static let allowsNone = true
}
