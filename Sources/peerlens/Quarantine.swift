import ArgumentParser
import PeerLensStore

/// `peerlens quarantine`
struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List records refused at ingest: file, line, and why (never their content)."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOptions

    @Option(name: .customLong("run"), help: "Only this ingest run.")
    var runID: Int64?

    @Option(help: "At most this many records.")
    var limit: Int = 100

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() throws {
        let entries = try QuarantineEntry.list(in: try store.openReadOnly(), run: runID, limit: limit)
        if output.format == .json { try JSONOutput.print(entries); return }
        if entries.isEmpty { print("The quarantine is empty."); return }
        for e in entries {
            print("\(e.file):\(e.line): [\(e.eventType ?? "unknown")] \(e.reason)  (run \(e.runID), \(e.category))")
        }
    }
}
