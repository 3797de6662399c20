import ArgumentParser
import Foundation
import PeerLensLog
import PeerLensStore

/// The log files named on the command line, shared by `ingest` and `validate`.
struct LogFileArguments: ParsableArguments {
    @Argument(help: "Log files: .jsonl, .jsonl.gz, or .csv/.csv.gz (one file per event type).")
    var files: [String]

    /// Every file must exist and have a known format before anything is read.
    func validate() throws {
        var problems: [String] = []
        for file in files {
            if !FileManager.default.fileExists(atPath: file) {
                problems.append("\(file): no such file")
            } else if LogFormat.detect(path: file) == nil {
                problems.append("\(file): unknown format (expected .jsonl, .jsonl.gz, .csv or .csv.gz)")
            }
        }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "\n") + "\nNothing was read.") }
    }

    /// Runs `work` on each file in turn, showing progress on a terminal, printing each summary (text) or one
    /// report (JSON), and exiting 1 if any file failed. A failed file does not stop the others.
    func forEachFile(format: OutputFormat, verb: String, pastTense: String,
                     _ work: (String, @escaping (IngestProgress) -> Void) throws -> FileSummary) throws {
        let progress = ProgressLine()
        var summaries: [FileSummary] = []
        var failures: [String] = []
        for file in files {
            do {
                let summary = try work(file) { progress.update(Formatting.progressText($0, verb: verb)) }
                progress.finish()
                summaries.append(summary)
                if summary.records > 0, summary.accepted + summary.duplicates == 0 { failures.append("\(file): no valid records") }
                if format == .text { print(SummaryText.render(summary, verb: pastTense)) }
            } catch {
                progress.finish()
                failures.append("\(error)")
                printError("error: \(error)")
            }
        }
        if format == .json { try JSONOutput.print(IngestReport(files: summaries, errors: failures)) }
        if !failures.isEmpty { throw ExitCode(1) }
    }
}

/// `peerlens ingest FILE…`
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate log files and load them into the store.",
        discussion: """
        Each file is one transaction: it is stored completely or not at all. Bad records are \
        quarantined (see `peerlens quarantine`) and never stop the run; events already stored are \
        counted as duplicates. Exit status is non-zero if any file is missing, unreadable or wholly invalid.
        """
    )

    @OptionGroup var store: WritableStoreOptions
    @OptionGroup var output: FormatOptions
    @OptionGroup var input: LogFileArguments

    func run() throws {
        let eventStore = try store.openCreatingIfMissing()
        let ingestor = Ingestor(decoder: try ProjectConfig.load().decoder(), toolVersion: PeerLensVersion.current)
        try input.forEachFile(format: output.format, verb: "ingest", pastTense: "ingested") { file, progress in
            try ingestor.ingest(path: file, into: eventStore, progress: progress)
        }
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

    func run() throws {
        let ingestor = Ingestor(decoder: try ProjectConfig.load().decoder(), toolVersion: PeerLensVersion.current)
        try input.forEachFile(format: output.format, verb: "validate", pastTense: "validated") { file, progress in
            try ingestor.validate(path: file, progress: progress)
        }
    }
}

/// JSON document printed by `ingest`/`validate --format json`.
struct IngestReport: Encodable {
    var files: [FileSummary]
    var errors: [String]
}

enum SummaryText {
    static func render(_ s: FileSummary, verb: String) -> String {
        var lines: [String] = []
        let rate = Formatting.count(Int(s.recordsPerSecond))
        lines.append("\(s.file): \(verb) \(Formatting.count(s.records)) records in \(String(format: "%.2f", s.durationSeconds)) s (\(rate)/s)")
        let header = ["type", "accepted", "duplicates", "rejected"]
        var rows = s.byType.map { [$0.eventType, Formatting.count($0.accepted), Formatting.count($0.duplicates), Formatting.count($0.rejected)] }
        rows.append(["total", Formatting.count(s.accepted), Formatting.count(s.duplicates), Formatting.count(s.rejected)])
        let widths = (0..<4).map { c in ([header] + rows).map { $0[c].count }.max()! }
        func line(_ r: [String]) -> String {
            "  " + r.enumerated().map { i, v in i == 0 ? v.padding(toLength: widths[0], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[i] - v.count) + v }.joined(separator: "  ")
        }
        lines.append(line(header))
        lines.append(contentsOf: rows.map(line))
        if s.droppedFields > 0 {
            let names = s.droppedFieldNames.sorted { $0.key < $1.key }.map { "\($0.key) (\(Formatting.count($0.value)))" }
            lines.append("  dropped unknown fields: \(names.joined(separator: ", "))")
        }
        for r in s.firstRejections.prefix(5) {
            lines.append("  rejected line \(r.line): \(r.reason)")
        }
        if s.rejected > 5 { lines.append("  … \(Formatting.count(s.rejected - 5)) more; see `peerlens quarantine`") }
        if let run = s.runID { lines.append("  run \(run), sha256 \(s.sha256)") }
        return lines.joined(separator: "\n")
    }
}
