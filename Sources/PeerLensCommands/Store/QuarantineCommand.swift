import ArgumentParser
import PeerLensDocument
import PeerLensStore

/// `peerlens quarantine`: records refused at ingest.
public struct QuarantineCommand: PublishedCommand {
    public static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List records refused at ingest: file, line, and why (never their content).",
        discussion: "One row per refused record (rows of input files, not people): outside the disclosure threshold."
    )

    @Option(name: .customLong("run"), help: "Only this ingest run.")
    var runID: Int64?

    @Option(help: "At most this many records.")
    var limit: Int = 100

    /// Defaults.
    public init() {}

    public func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    public func publish(_ context: CommandContext) throws -> Publication {
        let entries = try context.source().quarantine(run: runID, limit: limit)
        var blocks: [Block] = []
        if entries.isEmpty {
            blocks.append(.text("The quarantine is empty."))
        } else {
            let rows: [[Cell]] = entries.map { e in
                [.text(e.file), .text("\(e.line)"), .text(e.eventType ?? "unknown"), .text(e.reason),
                 .text("\(e.runID)"), .text(e.category)]
            }
            blocks.append(.table(Table(caption: "Records refused at ingest" + (entries.count == limit ? " (the first \(limit))" : ""),
                                       columns: [Column("File", alignment: .left), Column("Line"), Column("Event type", alignment: .left),
                                                 Column("Reason", alignment: .left), Column("Run"), Column("Category", alignment: .left)],
                                       rows: rows, notes: ["Rows of input files, not people: not subject to the disclosure threshold. Record contents are never stored."],
                                       disclosive: false)))
        }
        var options = ["limit": "\(limit)"]
        if let runID { options["run"] = "\(runID)" }
        return Publication(title: "Quarantine", sections: [Section("Refused records", blocks: blocks)], options: options)
    }
}
