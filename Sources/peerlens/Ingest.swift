import ArgumentParser
import Foundation
import PeerLensCommands
import PeerLensDocument
import PeerLensSpark
import PeerLensStore

/// `peerlens ingest FILE…`
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate log files and load them into the store.",
        discussion: """
        Each file is one transaction: it is stored completely or not at all. Bad records are \
        quarantined (see `peerlens quarantine`) and never stop the run; events already stored are \
        counted as duplicates. Exit status is non-zero if any file is missing, unreadable or wholly invalid.

        A store written by an older PeerLens is upgraded first, all its pending migrations in one transaction (a \
        failure changes nothing); with --backup it is copied to STORE.backup-vN (N its schema version) before. \
        A store written by a newer PeerLens, or a damaged one, is refused and left as it is.

        With --engine sc://HOST[:PORT], the files go into the Spark warehouse behind that Spark Connect server \
        instead (--db is not used): validated by the same rules, a file's rows visible wholly or not at all.
        """
    )

    @OptionGroup var store: WritableStoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var input: LogFileArguments

    @Flag(help: "Before upgrading a store written by an older PeerLens, copy it to STORE.backup-vN (never overwritten).")
    var backup = false

    @Option(help: "Ingest into the Spark warehouse behind this Spark Connect server (sc://HOST[:PORT]) instead of the SQLite store.")
    var engine: String?

    @Option(help: "With --engine: the Spark database that holds PeerLens's tables.")
    var sparkDatabase = "peerlens"

    func validate() throws {
        if let engine {
            do { _ = try SparkConnectURL(engine) } catch { throw ValidationError("--engine: \(error)") }
        } else if sparkDatabase != "peerlens" {
            throw ValidationError("--spark-database goes with --engine")
        }
    }

    func run() async throws {
        if let engine {
            try await IngestOutput.runOnSpark(input.files, url: try SparkConnectURL(engine), database: sparkDatabase, format: output.format)
            return
        }
        let opened = try EventStore(path: store.db, mode: .readWrite, backupBeforeUpgrading: backup)
        if let copy = opened.backupPath { printError("note: the store was backed up to \(copy) before it was upgraded") }
        try IngestOutput.run(input.files, store: opened, verb: "ingest", format: output.format)
    }
}

/// `peerlens validate FILE…`
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check log files against format v1 without writing anything.",
        discussion: "The same checks as `ingest`. Duplicates cannot be known without a store and are reported as 0."
    )

    @OptionGroup var output: FormatOptions
    @OptionGroup var input: LogFileArguments

    func run() throws { try IngestOutput.run(input.files, store: nil, verb: "validate", format: output.format) }
}

/// Runs ingest or validate with a progress line on a terminal, prints the document, exits 1 if a file failed.
enum IngestOutput {
    static func run(_ files: [String], store: EventStore?, verb: String, format: ReportFormat) throws {
        let progress = ProgressLine()
        let outcome = try IngestRun.run(files, into: store, progress: { progress.update(Formatting.progressText($0, verb: verb)) },
                                        failed: { progress.finish(); printError("error: \($0)") })
        progress.finish()
        let document = try IngestRun.document(outcome, store: store, verb: verb == "ingest" ? "ingested" : "validated",
                                              commandLine: Provenance.commandLine(["peerlens"] + CommandLine.arguments.dropFirst()), generatedAt: nil)
        FileHandle.standardOutput.write(Data(try ReportRenderer.render(document, format: format).utf8))
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }

    /// `ingest --engine`: the same, into a Spark warehouse.
    static func runOnSpark(_ files: [String], url: SparkConnectURL, database: String, format: ReportFormat) async throws {
        let progress = ProgressLine()
        let (outcome, fingerprint) = try await IngestRun.runOnSpark(
            files, url: url, database: database, progress: { progress.update(Formatting.progressText($0, verb: "ingest")) },
            uploaded: { progress.update($0) }, failed: { progress.finish(); printError("error: \($0)") })
        progress.finish()
        let document = IngestRun.document(outcome, fingerprint: fingerprint, verb: "ingested",
                                          commandLine: Provenance.commandLine(["peerlens"] + CommandLine.arguments.dropFirst()), generatedAt: nil)
        FileHandle.standardOutput.write(Data(try ReportRenderer.render(document, format: format).utf8))
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }
}
