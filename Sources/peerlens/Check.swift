import ArgumentParser
import PeerLensStore

/// `peerlens check`
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Report referential problems in the store (a score for an unknown message, …) as counts with examples."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    func run() throws {
        let problems = try ReferentialCheck.run(on: try store.openReadOnly())
        if output.format == .json { try JSONOutput.print(problems); return }
        let found = problems.filter { $0.count > 0 }
        print("Checked \(problems.count) kinds of reference; \(found.count) with problems.")
        for p in found {
            print("  \(Formatting.count(p.count)) × \(p.description) [\(p.code)], e.g. \(p.examples.joined(separator: ", "))")
        }
    }
}
