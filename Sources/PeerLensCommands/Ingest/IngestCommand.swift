import ArgumentParser
import Foundation
import PeerLensDocument
import PeerLensLog
import PeerLensSpark
import PeerLensSparkEngine
import PeerLensStore

/// The log files of `ingest` and `validate`, and how their results are published.
public struct LogFileArguments: ParsableArguments, Sendable {
    /// The files, as given.
    @Argument(help: "Log files: .jsonl, .jsonl.gz, or .csv/.csv.gz (one file per event type).")
    public var files: [String]

    /// Defaults.
    public init() {}

    /// Every file must exist and have a known format before anything is read.
    public func validate() throws {
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
}

/// What an ingest or validation run did, file by file, and the files that failed.
public struct IngestOutcome: Sendable {
    /// One summary per file that could be read.
    public var summaries: [FileSummary]
    /// Files that failed as a whole (nothing of them was stored), with the reason.
    public var failures: [String]
}

/// `peerlens ingest` and `peerlens validate`: read log files (into the store, or only checking them) and
/// publish what happened as a document (records, not people: outside disclosure control).
public enum IngestRun {
    /// Ingests (`store` given) or validates each file in turn; a failed file does not stop the others.
    /// `progress` is called a few times per second; `failed` is called once per failed file, as it happens.
    public static func run(_ files: [String], into store: EventStore?, progress: @escaping (IngestProgress) -> Void,
                           failed: (String) -> Void) throws -> IngestOutcome {
        let ingestor = Ingestor(decoder: try ProjectConfig.load().decoder(), toolVersion: PeerLensVersion.current)
        var outcome = IngestOutcome(summaries: [], failures: [])
        for file in files {
            do {
                let summary = try store.map { try ingestor.ingest(path: file, into: $0, progress: progress) } ?? ingestor.validate(path: file, progress: progress)
                outcome.summaries.append(summary)
                if summary.records > 0, summary.accepted + summary.duplicates == 0 {
                    outcome.failures.append("\(file): no valid records")
                    failed("\(file): no valid records")
                }
            } catch {
                outcome.failures.append("\(error)")
                failed("\(error)")
            }
        }
        return outcome
    }

    /// Ingests each file in turn into the Spark warehouse behind `url` (database `database`), by the embedded
    /// ingest's rules (`SparkIngestor`), through one session; a file that fails does not stop the others, a
    /// server that fails stops the run (`SparkError`: nothing of the file it was ingesting is visible).
    ///
    /// - Parameters:
    ///   - progress: Called a few times per second while a file is read and validated.
    ///   - uploaded: Called after each part of a table sent to Spark, with a line for a person.
    ///   - failed: Called once per failed file, as it happens.
    /// - Returns: What each file did, and the fingerprint of the warehouse's committed runs.
    package static func runOnSpark(_ files: [String], url: SparkConnectURL, database: String, progress: @escaping (IngestProgress) -> Void,
                                   uploaded: @escaping (String) -> Void, failed: (String) -> Void) async throws -> (IngestOutcome, StoreFingerprint) {
        let ingestor = Ingestor(decoder: try ProjectConfig.load().decoder(), toolVersion: PeerLensVersion.current)
        return try await SparkConnectClient.withConnection(to: url) { client in
            let warehouse = SparkWarehouse(database: database)
            let engine = SparkIngestor(ingestor: ingestor, client: client, warehouse: warehouse)
            var outcome = IngestOutcome(summaries: [], failures: [])
            for file in files {
                do {
                    let summary = try await engine.ingest(path: file, progress: progress, uploadProgress: { part in
                        uploaded("ingest \(file): \(part.table) \(Formatter.grouped(part.rowsSent)) of \(Formatter.grouped(part.rows)) rows sent to Spark")
                    })
                    outcome.summaries.append(summary)
                } catch let error as SparkError {
                    throw error
                } catch {
                    outcome.failures.append("\(error)")
                    failed("\(error)")
                }
            }
            let runs = try await warehouse.ingestRuns(using: client)
            return (outcome, StoreFingerprint.of(runs, path: "\(url) (Spark database \(database))"))
        }
    }

    /// The document of a run: per file, its counts by event type, dropped fields and first rejections (line,
    /// category, reason — never content), and the files that failed.
    public static func document(_ outcome: IngestOutcome, store: EventStore?, verb: String, commandLine: String, generatedAt: String?) throws -> ReportDocument {
        document(outcome, fingerprint: try store.map { try StoreFingerprint.read($0) }, verb: verb, commandLine: commandLine, generatedAt: generatedAt)
    }

    /// The document of a run whose store has `fingerprint` (nil: validation, nothing written).
    package static func document(_ outcome: IngestOutcome, fingerprint: StoreFingerprint?, verb: String, commandLine: String,
                                 generatedAt: String?) -> ReportDocument {
        var sections: [Section] = outcome.summaries.map { section($0, verb: verb) }
        if !outcome.failures.isEmpty {
            sections.append(Section("Files that failed", id: "failures", blocks: [
                .note(Note("Nothing of these files was stored.", kind: .caveat)), .list(ListBlock(outcome.failures)),
            ]))
        }
        let fingerprint = fingerprint ?? StoreFingerprint(path: "(none: validate writes nothing)", files: [], combinedSHA256: "")
        let provenance = Provenance(toolVersion: PeerLensVersion.current, libraries: [:], store: fingerprint, command: commandLine,
                                    options: [:], generatedAt: generatedAt, disclosureThreshold: DisclosurePolicy.standard.threshold)
        return ReportDocument(title: verb == "ingested" ? "Ingest" : "Validation", command: verb == "ingested" ? "ingest" : "validate",
                              provenance: provenance, disclosure: .standard, sections: sections)
    }

    static func section(_ s: FileSummary, verb: String) -> Section {
        var blocks: [Block] = [.keyFigures([
            KeyFigure(label: "Records \(verb)", value: Formatter.grouped(s.records)),
            KeyFigure(label: "Accepted", value: Formatter.grouped(s.accepted), note: verb == "ingested" ? "New events stored." : "Valid records."),
            KeyFigure(label: "Duplicates", value: Formatter.grouped(s.duplicates), note: "Events already in the store (not an error)."),
            KeyFigure(label: "Rejected", value: Formatter.grouped(s.rejected), note: "Quarantined with file, line and reason: `peerlens quarantine`."),
            KeyFigure(label: "Time", value: Formatter.fixed(s.durationSeconds, 2) + " s", note: Formatter.grouped(Int(s.recordsPerSecond)) + " records/s."),
        ])]
        let rows: [[Cell]] = s.byType.map { [.text($0.eventType), .count($0.accepted), .count($0.duplicates), .count($0.rejected)] }
            + [[.text("total"), .count(s.accepted), .count(s.duplicates), .count(s.rejected)]]
        blocks.append(.table(Table(caption: "Records by event type", columns: [
            Column("Event type", alignment: .left), Column("Accepted", unit: "records"), Column("Duplicates", unit: "records"), Column("Rejected", unit: "records"),
        ], rows: rows, notes: ["Records of the log, not people: outside disclosure control."], disclosive: false)))
        if s.droppedFields > 0 {
            blocks.append(.table(Table(caption: "Unknown fields dropped (never stored)", columns: [Column("Field", alignment: .left), Column("Records", unit: "n")],
                                       rows: s.droppedFieldNames.sorted { $0.key < $1.key }.map { [.text($0.key), .count($0.value)] }, disclosive: false)))
        }
        if !s.firstRejections.isEmpty {
            blocks.append(.table(Table(caption: "First rejected records", columns: [
                Column("Line"), Column("Event type", alignment: .left), Column("Category", alignment: .left), Column("Reason", alignment: .left),
            ], rows: s.firstRejections.map { [.text("\($0.line)"), .text($0.eventType ?? "unknown"), .text($0.category), .text($0.reason)] },
            notes: s.rejected > s.firstRejections.count ? ["\(Formatter.grouped(s.rejected - s.firstRejections.count)) more: see `peerlens quarantine`."] : [],
            disclosive: false)))
        }
        var facts = ["Format: \(s.format)"]
        if let run = s.runID { facts.append("Ingest run \(run)") }
        if !s.sha256.isEmpty { facts.append("SHA-256 \(s.sha256)") }
        blocks.append(.list(ListBlock(facts)))
        return Section(s.file, blocks: blocks)
    }
}
