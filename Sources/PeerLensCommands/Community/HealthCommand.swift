import ArgumentParser
import PeerLensCommunity
import PeerLensDocument
import PeerLensReport

extension HealthOptions.Period: ExpressibleByArgument {}

/// `peerlens health`: the community-health index per week and space.
public struct HealthCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Community-health index per week and space: responsiveness, reciprocity, inclusion, safety, retention, capacity.",
        discussion: """
        Each component is shown on its own with its measures; each measure maps to 0–100 by a stated rule and \
        the index is the weighted mean of the components. Every full week's index is made of the same measures: \
        one without data in some full week is left out of every week (never counted as 0 or 100); partial weeks \
        have no index. --over all gives the mean of the full weeks. Intervals: percentile bootstrap over the \
        active members of each week (across weeks for the mean). \
        Every value rests on the members who posted in its cell: the disclosure policy withholds those resting on \
        too few, and a measure with too few cases to publish is left out of the composite scores. Definitions: \
        docs/community-health.md.
        """
    )

    @Option(help: "Cells per week (Monday, UTC), or all: the mean of the full weeks.")
    var over: HealthOptions.Period = .week

    @Flag(inversion: .prefixedNo, help: "Also one row per space.")
    var bySpace = true

    @Option(help: "Component weights, e.g. responsiveness=2,safety=2 (others 1).")
    var weights: String?

    @OptionGroup var bootstrap: BootstrapOptions<HealthBootstrap>

    @Flag(help: "Count members without research consent as units (only when the data owner says so).")
    var includeNonConsenting = false

    /// Defaults.
    public init() {}

    public func validate() throws {
        if let weights { do { _ = try HealthWeights(parsing: weights) } catch { throw ValidationError("--\(error)") } }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        var options = HealthOptions()
        options.over = over
        options.bySpace = bySpace
        if let weights { options.weights = try HealthWeights(parsing: weights) }
        options.replicates = bootstrap.replicates
        options.seed = bootstrap.seed
        options.includeNonConsenting = includeNonConsenting
        // Measures the policy will withhold stay out of the composite scores, so that they cannot be worked out.
        options.compositeMinimum = context.policy.threshold
        let r = try CommunityHealthReport.analyse(store: try context.source(), options: options)
        let weightText = HealthComponent.allCases.map { "\($0.rawValue) \(Formatter.fixed(r.weights.weight($0), r.weights.weight($0).rounded() == r.weights.weight($0) ? 0 : 2))" }
            .joined(separator: ", ")
        var sections: [Section] = [Section("Community health", blocks: [
            .text(CommunityHealthContribution.introduction),
            .list(ListBlock([
                "Cells: \(r.over == .week ? "one per week (Monday, UTC)" : "the whole period as the mean of the full weeks")\(bySpace ? ", over all spaces and per space" : ", over all spaces"); data end \(r.dataEnd).",
                "Index weights: \(weightText).",
                "Intervals: \(CommunityHealthContribution.level(r.level)) percentile bootstrap over active members, \(r.replicates) replicates, seed \(r.seed).",
                r.consentNote.prefix(1).uppercased() + r.consentNote.dropFirst() + ".",
            ])),
            .keyFigures([KeyFigure(label: "Members without research consent", value: Formatter.grouped(r.membersWithoutConsent), count: r.membersWithoutConsent)]),
        ])]
        var spaces: [String] = []
        for c in r.cells where !spaces.contains(c.space) { spaces.append(c.space) }
        for space in spaces {
            var blocks: [Block] = []
            if r.over == .all {
                for cell in r.cells where cell.space == space { blocks += CommunityHealthContribution.wholePeriodBlocks(r, cell: cell) }
            } else {
                blocks.append(.table(CommunityHealthContribution.periodTable(r, space: space)))
                if let chart = CommunityHealthContribution.periodChart(r, space: space) { blocks.append(.chart(chart)) }
            }
            sections.append(Section(space == "all" ? "All spaces" : "Space \(space)", blocks: blocks))
        }
        var described = ["over": r.over.rawValue, "by_space": bySpace ? "true" : "false", "replicates": "\(bootstrap.replicates)", "seed": "\(bootstrap.seed)"]
        if let weights { described["weights"] = weights }
        if includeNonConsenting { described["include_non_consenting"] = "true" }
        return Publication(title: "Community health", subtitle: "Per \(r.over == .week ? "week" : "whole period"), data end \(r.dataEnd.prefix(10))",
                           sections: sections, options: described)
    }
}

/// `--replicates` of `health`.
enum HealthBootstrap: BootstrapDefaults {
    static let replicates = 200
    static let help = "Bootstrap replicates per cell."
    static let allowsNone = false
}
