import Foundation
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensReport
import PeerLensSpark
import PeerLensSparkEngine
import PeerLensStore
import ProcessTestSupport
import SparkTestSupport
import Synchronization
import Testing

/// The commands that run on Spark against the embedded store, on the same files (`PEERLENS_SPARK_TESTS=1`).
@Suite("Commands through Spark", .enabled(if: sparkTestsEnabled), .serialized)
struct SparkParityTests {
    /// The demo log, then a file with refused records and keys repeated within it.
    static let files = [
        LocalSparkCluster.repositoryRoot.appendingPathComponent("datasets/demo/events.jsonl.gz").path,
        LocalSparkCluster.repositoryRoot.appendingPathComponent("Tests/PeerLensStoreTests/Fixtures/mixed.jsonl").path,
    ]

    /// Every command that runs on Spark publishes the same document as on the embedded store, in every format,
    /// but for the provenance (which names the engine); the provenance's ingested files are the same too.
    @Test(.timeLimit(.minutes(20)))
    func commandsPublishWhatTheEmbeddedStorePublishes() async throws {
        let ingestor = Ingestor(toolVersion: "test")
        let directory = try temporaryDirectory()
        let store = try EventStore(path: directory.appendingPathComponent("store.sqlite").path)
        for file in Self.files { try ingestor.ingest(path: file, into: store) }
        let database = "peerlens_parity_" + UUID().uuidString.lowercased().prefix(8)
        try await LocalSparkCluster.withClient { client in
            let engine = SparkIngestor(ingestor: ingestor, client: client, warehouse: SparkWarehouse(database: database))
            for file in Self.files { _ = try await engine.ingest(path: file) }
        }
        // The comparisons call the commands synchronously, as the executable does: on a thread of their own, not
        // one of the test pool's two (`onOwnThread`).
        try await onOwnThread { [self] in try compareEveryOutput(store: store, database: String(database)) }

        _ = try await LocalSparkCluster.withClient { client in
            try await client.sql("DROP DATABASE IF EXISTS \(SparkSQL.identifier(database)) CASCADE")
        }
    }

    /// Every command, report and notebook through Spark against the embedded store (see
    /// `commandsPublishWhatTheEmbeddedStorePublishes`), and a command whose connection is cut.
    func compareEveryOutput(store: EventStore, database: String) throws {
        let target = SparkEngineTarget(url: LocalSparkCluster.url, database: database)
        let cases: [(name: String, arguments: [String])] = [
            ("check", []), ("quarantine", []), ("quarantine", ["--run", "2", "--limit", "3"]), ("moderation", []), ("moderation", ["--window-days", "7"]), ("crisis", []), ("risk", []), ("thresholds", []), ("thresholds", ["--max-alerts-per-day", "20"]),
            ("groups", []), ("skills", []), ("matches", []), ("matches", ["--success", "retained"]),
            ("outcomes", []), ("outcomes", ["--by", "sessions"]), ("outcomes", ["--by", "skills", "--at-days", "28"]), ("outcomes", ["--by", "matches"]),
            ("engagement", []), ("engagement", ["--over", "week", "--activity", "activity", "--activity", "group"]),
            ("impact", []), ("impact", ["--include-non-consenting"]), ("health", []), ("health", ["--no-by-space", "--over", "all"]),
            ("risk", ["--by", "language", "--over", "month"]), ("risk", ["--by", "condition"]), ("risk", ["--by", "space", "--over", "week"]),
            ("risk", ["--compare", "v1", "v2"]),
        ]
        for (name, arguments) in cases {
            let embedded = try document(name, arguments, context: CommandContext(store: store, policy: .standard))
            let progress = Mutex<[String]>([])
            let spark = try document(name, arguments, context: CommandContext(
                storePath: "(unused)", policy: .standard, engine: target, progress: { line in progress.withLock { $0.append(line) } }))
            // Spark Connect reports each operation's progress at least at its end: every command shows its work.
            let lines = progress.withLock { $0 }
            #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("Spark: ") }, "\(name) \(arguments): progress \(lines.prefix(3))")
            #expect(spark.sections == embedded.sections, "\(name) \(arguments)")
            #expect(spark.provenance.store.files == embedded.provenance.store.files, "\(name) \(arguments)")
            #expect(spark.provenance.options["engine"] == "spark")
            // Everything but the provenance, in every format: the Spark document with the store's provenance renders
            // byte for byte as the store's.
            var sameProvenance = spark
            sameProvenance.provenance = embedded.provenance
            for format in ReportFormat.allCases {
                #expect(try ReportRenderer.render(sameProvenance, format: format) == ReportRenderer.render(embedded, format: format),
                        "\(name) \(arguments) \(format)")
            }
        }

        // The three audience reports, on one context each, as `peerlens report` builds them.
        var options = ReportOptions(disclosure: .standard, generatedAt: "2026-03-01T00:00:00Z", command: "peerlens report", toolVersion: "test")
        options.replicates = 200
        let sparkSource = SparkEventSource(url: LocalSparkCluster.url, database: database)
        let embeddedReports = try ReportContext(store: store, options: options), sparkReports = try ReportContext(store: sparkSource, options: options)
        for audience in [Audience.safety, .research, .funder] {
            let embedded = try AudienceReport.build(audience, context: embeddedReports)
            var spark = try AudienceReport.build(audience, context: sparkReports)
            #expect(spark.provenance.options["engine"] == "spark" && embedded.provenance.options["engine"] == nil)
            #expect(spark.provenance.libraries["spark"] != nil && spark.provenance.libraries["sqlite"] == nil)
            // The research report's Software table names the engine's version, as the provenance does: set aside.
            var neutral = embedded
            neutral.sections = withoutSoftwareTable(embedded.sections)
            spark.sections = withoutSoftwareTable(spark.sections)
            #expect(spark.sections == neutral.sections, "\(audience) report")
            spark.provenance = embedded.provenance
            for format in ReportFormat.allCases {
                #expect(try ReportRenderer.render(spark, format: format) == ReportRenderer.render(neutral, format: format), "\(audience) report, \(format)")
            }
        }

        // The committed notebooks, run in process as `peerlens notebook run` runs them, on one provenance.
        for name in ["research-outcome-evidence.md", "funder-sdg-summary.md", "safety-threshold-tuning.md"] {
            let file = LocalSparkCluster.repositoryRoot.appendingPathComponent("notebooks-md/\(name)").path
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let runner = NotebookRunner(notebook: try MarkdownNotebook.parse(text, file: file), policy: .standard, toolVersion: "test")
            let provenance = try MarkdownNotebook.provenance(source: store, notebookFile: name, notebookText: text, command: "peerlens notebook run",
                                                             generatedAt: "2026-03-01T00:00:00Z", disclosure: .standard, toolVersion: "test")
            let embedded = try runner.document(context: CommandContext(store: store, policy: .standard), provenance: provenance, subtitle: nil)
            let spark = try runner.document(context: CommandContext(storePath: "(unused)", policy: .standard, engine: target),
                                            provenance: provenance, subtitle: nil)
            // Each command's output ends with its provenance line, which names where the events were read.
            for format in [ReportFormat.markdown, .html] {
                let sparkText = replacing(sparkSource.location, with: store.path, in: try ReportRenderer.render(spark, format: format))
                #expect(sparkText == (try ReportRenderer.render(embedded, format: format)), "notebook \(name), \(format)")
            }
        }

        // The server lost mid-command (a proxy cuts each connection once the client has sent 3 kB, within the
        // statements of the command's first session, or 2 s after it opened): the command fails with the
        // connection's error, naming the server and what was being done, and publishes nothing.
        let proxy = try CuttingProxy(targetPort: LocalSparkCluster.url.port, cutAfter: .seconds(2), cutAfterBytes: 3000)
        defer { proxy.stop() }
        let cutTarget = SparkEngineTarget(url: try SparkConnectURL("sc://127.0.0.1:\(proxy.port)"), database: database)
        #expect {
            try document("health", [], context: CommandContext(storePath: "(unused)", policy: .standard, engine: cutTarget))
        } throws: { error in
            guard let error = error as? SparkError else { return false }
            let text = String(describing: error)
            return text.contains("127.0.0.1:\(proxy.port)") && !text.contains("\n")
        }
    }

}

@Suite("Commands and --engine")
struct EngineOptionTests {
    /// `--spark-database` without `--engine`, and a URL that is not `sc://`, are refused.
    @Test func engineOptionsAreChecked() {
        #expect(throws: (any Error).self) { try PublishOptions.parse(["--spark-database", "other"]).validate() }
        #expect(throws: (any Error).self) { try PublishOptions.parse(["--engine", "http://example.org"]).validate() }
        #expect(throws: Never.self) { try PublishOptions.parse(["--engine", "sc://127.0.0.1:15002", "--spark-database", "x"]).validate() }
    }
}

/// `text` with `old` replaced by `new`, also inside the base64 data URLs of an HTML page's downloads.
func replacing(_ old: String, with new: String, in text: String) -> String {
    var parts = text.replacingOccurrences(of: old, with: new).components(separatedBy: ";base64,")
    for i in parts.indices.dropFirst() {
        let payload = parts[i].prefix { $0 != "\"" }
        guard let data = Data(base64Encoded: String(payload)), let plain = String(data: data, encoding: .utf8), plain.contains(old) else { continue }
        let decoded = plain.replacingOccurrences(of: old, with: new)
        parts[i] = Data(decoded.utf8).base64EncodedString() + parts[i].dropFirst(payload.count)
    }
    return parts.joined(separator: ";base64,")
}

/// `sections` without the research report's Software table (at any depth).
func withoutSoftwareTable(_ sections: [Section]) -> [Section] {
    sections.map { section in
        var section = section
        section.blocks = section.blocks.filter { block in
            if case .table(let table) = block, table.caption == "Software" { return false }
            return true
        }
        section.subsections = withoutSoftwareTable(section.subsections)
        return section
    }
}

/// The document of the registered command `name` with `arguments` over `context`.
func document(_ name: String, _ arguments: [String], context: CommandContext) throws -> ReportDocument {
    guard let type = CommandRegistry.command(named: name) else { throw CommandError("\(name) is not registered") }
    func run<C: PublishedCommand>(_: C.Type) throws -> ReportDocument {
        try CommandRunner.document(try C.parse(arguments), context: context, commandLine: "peerlens \(name)", toolVersion: "test")
    }
    return try run(type)
}
