import ArgumentParser
import Foundation
import PeerLensCommunity

/// `peerlens impact`
struct Impact: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "SDG impact indicators for funders: reach, conversations, trained supporters, crisis response, outcomes, equity.",
        discussion: """
        Each figure names the SDG targets it reports on (3.4, 3.4.2, 3.8, 5, 10.2, 17.18) and is stated in plain \
        words with its interval. Members without research consent are left out unless --include-non-consenting \
        says the data owner allows it. Counts below the disclosure threshold are withheld, with complementary \
        suppression so that none can be worked out from the totals.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(help: "Total programme cost, for cost per person reached and per reliable improvement.")
    var cost: Double?

    @Option(help: "Currency of --cost.")
    var currency = "USD"

    @Option(help: "Counts below this are withheld.")
    var disclosureThreshold: Int = 10

    @Flag(help: "Count members without research consent (only when the data owner says so).")
    var includeNonConsenting = false

    func validate() throws {
        guard disclosureThreshold >= 1 else { throw ValidationError("--disclosure-threshold must be at least 1") }
        if let cost, !(cost > 0 && cost.isFinite) { throw ValidationError("--cost must be a positive amount") }
    }

    func run() throws {
        var options = ImpactOptions()
        options.cost = cost
        options.currency = currency
        options.disclosureThreshold = disclosureThreshold
        options.includeNonConsenting = includeNonConsenting
        let r = try ImpactReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        print("Impact, \(r.from.prefix(10)) to \(r.to.prefix(10)) (\(r.consentNote); \(r.membersExcluded) members left out; counts under \(r.disclosureThreshold) withheld)")
        for f in r.headline { print("  [SDG \(f.sdg.joined(separator: ", "))] \(f.statement)") }
        for b in r.equity {
            let groups = b.groups.map { g -> String in
                guard let n = g.count else { return "\(g.group): withheld" }
                let rate = g.rate.map { String(format: " %.0f%%", $0 * 100) } ?? (b.measure == "reach" ? "" : " (rate withheld)")
                return "\(g.group) \(n)\(rate)"
            }.joined(separator: "; ")
            print("  \(b.measure) by \(b.by) [SDG \(b.sdg.joined(separator: ", "))]: \(groups)"
                  + (b.largestGap.map { String(format: " — largest gap from the overall rate %+.0f points", $0 * 100) } ?? ""))
        }
        print("  What these figures cannot tell:")
        for l in r.limitations { print("  - \(l)") }
    }
}
