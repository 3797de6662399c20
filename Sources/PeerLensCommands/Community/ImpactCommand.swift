import ArgumentParser
import PeerLensCommunity
import PeerLensDocument
import PeerLensReport

/// `peerlens impact`: SDG impact indicators for funders.
public struct ImpactCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "SDG impact indicators for funders: reach, conversations, trained supporters, crisis response, outcomes, equity.",
        discussion: """
        Each figure names the SDG targets it reports on (3.4, 3.4.2, 3.8, 5, 10.2, 17.18) and is stated in plain \
        words with its interval. Members without research consent are left out unless --include-non-consenting \
        says the data owner allows it. The disclosure policy withholds small counts, with complementary \
        suppression in the breakdowns so that none can be worked out from the totals. The sections are the \
        funder report's (`peerlens report --audience funder`), built by the same functions.
        """
    )

    @Option(help: "Total programme cost, for cost per person reached and per reliable improvement.")
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
        let r = try ImpactReport.analyse(store: try context.store(), options: options)
        var sections = [FunderReport.glance(r), FunderReport.reach(r), FunderReport.outcomes(r), FunderReport.safety(r)]
        if let cost { sections.append(FunderReport.cost(r, cost: cost, currency: currency)) }
        sections.append(FunderReport.limitations(r))
        var described: [String: String] = [:]
        if let cost { described["cost"] = Formatter.fixed(cost, 2); described["currency"] = currency }
        if includeNonConsenting { described["include_non_consenting"] = "true" }
        return Publication(title: "Impact", subtitle: FunderReport.subtitle(r), sections: sections, options: described)
    }
}
