import ArgumentParser
import PeerLensCommunity
import PeerLensDocument
import PeerLensReport
import PeerLensResearch

/// `peerlens impact`: SDG impact indicators for funders.
public struct ImpactCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "SDG impact figures for funders: seekers reached, supporters, conversations, training, crisis alerts, outcomes, equity, cost.",
        discussion: """
        Each figure names the SDG targets it contributes to (3.4, 3.8, 5, 10.2, 17.18; never indicator 3.4.2, \
        suicide mortality, which logs cannot measure) and says in plain words what it counts, with its interval. \
        People reached are help seekers; supporters are counted by role beside them. Members without research \
        consent are left out of every figure unless --include-non-consenting says the data owner allows it. The \
        disclosure policy withholds small counts, with complementary suppression in the breakdowns; a group's \
        outcome rate is published only when at least k of its people have the outcome and k do not (k = the \
        minimum cell count). The sections are the funder report's (`peerlens report --audience funder`), built \
        by the same functions.
        """
    )

    @Option(help: "Total programme cost, for cost per help seeker reached and per member who improved reliably.")
    var cost: Double?

    @Option(help: "Currency of --cost.")
    var currency = "USD"

    @Flag(help: "Count members without research consent (only when the data owner says so).")
    var includeNonConsenting = false

    /// Defaults.
    public init() {}

    public func validate() throws {
        if let cost, !(cost > 0 && cost.isFinite) { throw ValidationError("--cost must be a positive amount") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        var options = ImpactOptions()
        options.cost = cost
        options.currency = currency
        options.includeNonConsenting = includeNonConsenting
        options.groupRateMinimum = context.policy.threshold
        let r = try ImpactReport.analyse(store: try context.source(), options: options)
        // The combined NHS Talking Therapies figures, as in the funder report; a store without paired check-ins has
        // none. An engine failure is not "none": it fails the command, as it fails the report.
        var omitted: [String] = []
        let mood = try Build.attempt("NHS Talking Therapies outcomes", &omitted) { try OutcomesReport.analyse(store: try context.source(), options: OutcomesOptions()) }
        var sections = [FunderReport.glance(r), FunderReport.reach(r), FunderReport.outcomes(r, mood: mood), FunderReport.safety(r)]
        if let cost { sections.append(FunderReport.cost(r, cost: cost, currency: currency)) }
        sections.append(FunderReport.limitations(r))
        var described: [String: String] = [:]
        if let cost { described["cost"] = Formatter.fixed(cost, 2); described["currency"] = currency }
        if includeNonConsenting { described["include_non_consenting"] = "true" }
        return Publication(title: "Impact", subtitle: FunderReport.subtitle(r), sections: sections, options: described)
    }
}
