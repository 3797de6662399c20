import ArgumentParser
import Foundation
import PeerLensCommunity

extension HealthOptions.Period: ExpressibleByArgument {}

/// `peerlens health`
struct Health: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Community-health index per week and space: responsiveness, reciprocity, inclusion, safety, retention, capacity.",
        discussion: """
        Each component is shown on its own with its measures; each measure maps to 0–100 by a stated rule and \
        the index is the weighted mean of the components that have data (a component without data is shown as \
        unavailable, never as 0 or 100). Intervals: percentile bootstrap over the active members of each cell. \
        Cells with fewer active members than the disclosure threshold are suppressed. Definitions: docs/community-health.md.
        """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(help: "Cells per week (Monday, UTC) or over all the data.")
    var over: HealthOptions.Period = .week

    @Flag(inversion: .prefixedNo, help: "Also one row per space.")
    var bySpace = true

    @Option(help: "Component weights, e.g. responsiveness=2,safety=2 (others 1).")
    var weights: String?

    @Option(help: "Bootstrap replicates per cell.")
    var replicates: Int = 200

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 1

    @Option(help: "Cells with fewer active members, and measures with a smaller denominator, are suppressed.")
    var disclosureThreshold: Int = 10

    @Flag(help: "Count members without research consent as units (only when the data owner says so).")
    var includeNonConsenting = false

    func validate() throws {
        guard replicates >= 100 else { throw ValidationError("--replicates must be at least 100") }
        guard disclosureThreshold >= 1 else { throw ValidationError("--disclosure-threshold must be at least 1") }
        if let weights { do { _ = try HealthWeights(parsing: weights) } catch { throw ValidationError("--\(error)") } }
    }

    func run() throws {
        var options = HealthOptions()
        options.over = over
        options.bySpace = bySpace
        if let weights { options.weights = try HealthWeights(parsing: weights) }
        options.replicates = replicates
        options.seed = seed
        options.disclosureThreshold = disclosureThreshold
        options.includeNonConsenting = includeNonConsenting
        let r = try CommunityHealthReport.analyse(store: try store.openReadOnly(), options: options)
        if output.format == .json { try JSONOutput.print(r); return }
        let weightText = HealthComponent.allCases.map { "\($0.rawValue) \(String(format: "%g", r.weights.weight($0)))" }.joined(separator: ", ")
        print("Community health per \(r.over.rawValue) (data end \(r.dataEnd)); index = weighted mean of available components (\(weightText))")
        print("  \(r.consentNote) (\(r.membersWithoutConsent) members without consent)")
        print("  intervals: percentile bootstrap over active members, \(r.replicates) replicates, seed \(r.seed); cells under \(r.disclosureThreshold) active members suppressed")
        func score(_ v: Double?, _ l: Double?, _ u: Double?) -> String {
            guard let v else { return "unavailable" }
            guard let l, let u else { return String(format: "%.0f", v) }
            return String(format: "%.0f [%.0f–%.0f]", v, l, u)
        }
        var currentSpace = ""
        for cell in r.cells {
            if cell.space != currentSpace { currentSpace = cell.space; print("\nspace \(cell.space):") }
            guard !cell.suppressed, let members = cell.activeMembers else {
                print("  \(cell.period): \(cell.note ?? "suppressed")")
                continue
            }
            let parts = cell.components.map { "\($0.component.rawValue) \(score($0.score, $0.lower, $0.upper))" }.joined(separator: "; ")
            print("  \(cell.period): index \(score(cell.index, cell.indexLower, cell.indexUpper)) — \(members) members, \(cell.threads ?? 0) threads; \(parts)")
        }
    }
}
