import ArgumentParser
import PeerLensDocument
import PeerLensLog
import PeerLensReport
import PeerLensResearch

/// `peerlens outcomes`: mood outcomes from first to last check-in.
public struct OutcomesCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Mood outcomes: change from first to last check-in, reliable change, recovery, attrition and disaggregation.",
        discussion: """
        Per instrument, members with two or more check-ins are compared first vs last (or, with --at-days, first vs \
        the check-in nearest that many days later, within --window days): mean change with its t interval, paired t \
        and Wilcoxon tests, the standardised change as d_z (over the SD of the differences) and as d over the \
        baseline SD with the Becker (1988) interval, the one comparable with published benchmarks. Reliable change \
        follows Jacobson & Truax (1991), RCI = (x₂ − x₁)/(√2·SD·√(1 − r)), with the instrument's published \
        reliability and the baseline SD of the analysed members unless given; the service definitions (reliable \
        improvement and deterioration, recovery, reliable recovery) use the NHS Talking Therapies thresholds for PHQ-9 \
        (6 points, caseness ≥ 10) and GAD-7 (4 points, caseness ≥ 8) and CORE-10's published ones (6 points, \
        cut-off 11; Barkham et al. 2013). PHQ-9 and GAD-7 are also scored together as NHS Talking Therapies does \
        (caseness on either at the start; recovered when below caseness on both at the end; reliable improvement on \
        at least one and deterioration on neither), for members whose two first check-ins are at most \
        --pair-within-days apart; JSON has it as the top-level object `combined`. A member with one check-in is \
        attrition only when a second was due (first check-in at least --min-days before the end of the data); \
        the others' follow-up was not yet due and they are left out. A last-observation-carried-forward analysis \
        sits beside the completers. Members without research consent are excluded. Instruments beyond the built-in \
        ones are declared in peerlens.json.
        """
    )

    @Option(name: .customLong("instrument"), help: "An instrument to analyse (repeatable; default: every instrument with check-ins).")
    var instruments: [String] = []

    @Option(help: "Disaggregate by \(OutcomeBreakdown.allValues.joined(separator: ", ")).")
    var by: String?

    @Option(help: "The follow-up that was due, in days: a single check-in at least this long before the end of the data is attrition, a later one's follow-up was not yet due; members whose first and last check-in are fewer days apart are left out.")
    var minDays: Double = 14

    @Option(help: "Use the last check-in within this many days of the first (default: the last one).")
    var maxDays: Double?

    @Option(help: "Outcomes at a fixed time: compare the first check-in with the one nearest this many days later.")
    var atDays: Double?

    @Option(help: "With --at-days: the follow-up check-in must be within this many days of it.")
    var window: Double = 7

    @Option(help: "Combined NHS Talking Therapies outcomes: pair PHQ-9 and GAD-7 only when their first check-ins are at most this many days apart.")
    var pairWithinDays: Double = 7

    @Option(help: "Reliability overrides, e.g. PHQ-9=0.84,GAD-7=0.9.")
    var reliability: String?

    @Option(help: "Reference SD overrides for the reliable change index, e.g. PHQ-9=5.7.")
    var sd: String?

    /// Defaults.
    public init() {}

    public func validate() throws {
        if let by, OutcomeBreakdown(by) == nil {
            throw ValidationError(UnknownValueError(option: "--by", value: by, known: OutcomeBreakdown.allValues, knownDescription: "accepted values").description)
        }
        guard minDays >= 0, minDays.isFinite else { throw ValidationError("--min-days must be zero or more") }
        if let maxDays { guard maxDays > 0, maxDays >= minDays else { throw ValidationError("--max-days must be positive and at least --min-days") } }
        if let atDays {
            guard atDays > 0, atDays.isFinite else { throw ValidationError("--at-days must be a positive number of days") }
            guard maxDays == nil else { throw ValidationError("--at-days and --max-days choose the follow-up check-in in different ways: give one of them") }
        }
        guard window >= 0, window.isFinite else { throw ValidationError("--window must be zero or more days") }
        guard pairWithinDays >= 0, pairWithinDays.isFinite else { throw ValidationError("--pair-within-days must be zero or more days") }
        if let reliability {
            for (name, r) in try NamedValues.parse(reliability, option: "--reliability") where !(r >= 0 && r < 1) {
                throw ValidationError("--reliability: \(name) must be in [0, 1)")
            }
        }
        if let sd { for (name, v) in try NamedValues.parse(sd, option: "--sd") where !(v > 0) { throw ValidationError("--sd: \(name) must be positive") } }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        var options = OutcomesOptions()
        options.instruments = instruments.isEmpty ? nil : instruments
        options.catalog = try ProjectConfig.load().catalog()
        options.by = by.flatMap(OutcomeBreakdown.init)
        options.minimumDays = minDays
        options.maximumDays = maxDays
        options.atDays = atDays
        options.atWindow = window
        options.pairWithinDays = pairWithinDays
        options.reliability = try reliability.map { try NamedValues.parse($0, option: "--reliability") } ?? [:]
        options.standardDeviation = try sd.map { try NamedValues.parse($0, option: "--sd") } ?? [:]
        let r = try OutcomesReport.analyse(store: try context.source(), options: options)
        var described = ["min_days": Formatter.fixed(minDays, 1)]
        if let by { described["by"] = by }
        if let maxDays { described["max_days"] = Formatter.fixed(maxDays, 1) }
        if let atDays {
            described["at_days"] = Formatter.fixed(atDays, 1)
            described["window"] = Formatter.fixed(window, 1)
        }
        described["pair_within_days"] = Formatter.fixed(pairWithinDays, 1)
        if !instruments.isEmpty { described["instruments"] = instruments.joined(separator: ",") }
        if let reliability { described["reliability"] = reliability }
        if let sd { described["sd"] = sd }
        return Publication(title: "Mood outcomes", subtitle: "\(r.from.prefix(10)) to \(r.to.prefix(10)): \(r.window)",
                           sections: try MoodOutcomesContribution.sections(r, by: by ?? "sessions"), options: described,
                           records: r.combined.map { [MoodOutcomesContribution.combinedRecord($0)] } ?? [])
    }
}
