import ArgumentParser
import Foundation
import PeerLensDocument
import PeerLensLog
import PeerLensReport
import PeerLensSpark
import PeerLensSparkEngine
import PeerLensStats
import PeerLensStore

extension ReportFormat: ExpressibleByArgument {}

/// A command whose result is published: its options (parsed by ArgumentParser, checked in `validate()`), its
/// analysis, and the document sections built from the analysis's typed result. The `peerlens` executable and
/// the notebook runner both run registered commands through `CommandRunner`, so a command's terminal text,
/// Markdown, HTML and JSON, and its output in a notebook, come from one document and pass one disclosure
/// policy.
public protocol PublishedCommand: ParsableArguments, Sendable {
    /// The subcommand's name and help (`outcomes`, its abstract and discussion).
    static var configuration: CommandConfiguration { get }
    /// Runs the analysis and returns what is published: title, subtitle and sections.
    func publish(_ context: CommandContext) throws -> Publication
}

extension PublishedCommand {
    /// The subcommand's name.
    public static var name: String { configuration.commandName ?? String(describing: Self.self).lowercased() }
}

/// What a command publishes: the content of its document (the runner adds provenance and policy).
public struct Publication: Sendable {
    /// The title (`Mood outcomes`).
    public var title: String
    /// A line under the title (the data period, the model), if any.
    public var subtitle: String?
    /// The sections, in reading order.
    public var sections: [Section]
    /// The options that shaped the figures, by snake_case name, for the provenance.
    public var options: [String: String]
    /// What the figures were computed from when it is not the store (`--predictions FILE`): replaces the
    /// store's fingerprint in the provenance.
    public var source: StoreFingerprint?
    /// Results also published as top-level JSON objects (`combined`), under the same disclosure policy.
    public var records: [FigureRecord]

    /// Creates a publication.
    public init(title: String, subtitle: String? = nil, sections: [Section], options: [String: String] = [:], source: StoreFingerprint? = nil,
                records: [FigureRecord] = []) {
        self.records = records
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
        self.options = options
        self.source = source
    }
}

/// What a command works from: the store (opened read-only on first use, never created) or a Spark warehouse
/// (`--engine`), and the disclosure policy its sections will pass (a builder may use it to skip work on groups that
/// will be suppressed; it never suppresses by itself).
public final class CommandContext: @unchecked Sendable {
    /// Path of the store (`--db`).
    public let storePath: String
    /// The disclosure policy of the output.
    public let policy: DisclosurePolicy
    /// The Spark warehouse read instead of the store (`--engine`, `--spark-database`), if any.
    public let engine: SparkEngineTarget?
    /// Where a Spark engine's progress goes, one line of text per report (`SparkProgressText`); `nil`: nowhere.
    public let progress: (@Sendable (String) -> Void)?
    private var opened: EventStore?
    private var openedSource: (any EventSource)?
    private let lock = NSLock()

    /// A context for the store at `storePath`, or the Spark warehouse `engine` when given, under `policy`;
    /// `progress` receives a line for each progress report of a Spark query.
    public init(storePath: String, policy: DisclosurePolicy, engine: SparkEngineTarget? = nil,
                progress: (@Sendable (String) -> Void)? = nil) {
        self.storePath = storePath
        self.policy = policy
        self.engine = engine
        self.progress = progress
    }

    /// A context over a store already open (tests, the notebook runner).
    public init(store: EventStore, policy: DisclosurePolicy) {
        storePath = store.path
        self.policy = policy
        engine = nil
        progress = nil
        opened = store
    }

    /// The store, opened read-only on first use, for work that needs the embedded store itself (every command reads
    /// through `source()`, which serves both engines).
    ///
    /// - Throws: `StoreError` when there is no store at the path ("run `peerlens ingest` first") or it cannot
    ///   be read; `CommandError` when the context reads a Spark warehouse.
    public func store() throws -> EventStore {
        if let engine {
            throw CommandError("this needs the embedded SQLite store (--db); it cannot read the Spark warehouse at \(engine.url)")
        }
        lock.lock()
        defer { lock.unlock() }
        if let opened { return opened }
        let s = try EventStore(path: storePath, mode: .readOnly)
        opened = s
        return s
    }

    /// Where the events are read: the Spark warehouse of `engine`, or the store (opened read-only on first use).
    ///
    /// - Throws: as `store()` for the store; nothing for Spark (nothing is sent before the first query).
    public func source() throws -> any EventSource {
        guard let engine else { return try store() }
        lock.lock()
        defer { lock.unlock() }
        if let openedSource { return openedSource }
        let source = engine.eventSource(progress: progress)
        openedSource = source
        return source
    }

    /// The store if a command opened it.
    var openedStore: EventStore? {
        lock.lock()
        defer { lock.unlock() }
        return opened
    }
}

/// The disclosure options of everything that publishes (commands, reports, notebooks).
public struct PolicyOptions: ParsableArguments, Sendable {
    /// The minimum cell count k.
    @Option(name: [.customLong("disclosure-threshold"), .customLong("min-cell")],
            help: "Minimum cell count k: counts of 1 to k − 1 people are suppressed (default 11; lower only with --allow-lower-min-cell).")
    public var disclosureThreshold: Int = DisclosurePolicy.defaultThreshold

    /// Whether k may go below the default.
    @Flag(help: "Allow --disclosure-threshold below 11; the output then says it was lowered.")
    public var allowLowerMinCell = false

    /// Rounding base for published counts.
    @Option(help: "Round every published count to the nearest multiple of this (5 is the NHS practice); totals are rounded independently.")
    public var roundTo: Int?

    /// Whether internal working views may be included.
    @Flag(name: .customLong("internal"), help: "Include the internal working views (raw counts outside disclosure control), labelled for internal use.")
    public var internalUse = false

    /// Defaults.
    public init() {}

    /// Refuses a threshold below 11 without `--allow-lower-min-cell`, and a rounding base below 2.
    public func validate() throws {
        do { _ = try policy() } catch { throw ValidationError(error.description) }
    }

    /// The disclosure policy these options ask for.
    public func policy() throws(DisclosureError) -> DisclosurePolicy {
        try DisclosurePolicy(threshold: disclosureThreshold, allowLowering: allowLowerMinCell, roundingBase: roundTo, internalUse: internalUse)
    }
}

/// `--engine sc://HOST[:PORT]` and `--spark-database`: read the events from a Spark warehouse instead of the
/// embedded store (issue 16). Shared by the published commands, `report` and `notebook run`.
public struct EngineOptions: ParsableArguments, Sendable {
    /// The Spark Connect server whose warehouse is read instead of the store.
    @Option(help: "Read the events from the Spark warehouse behind this Spark Connect server (sc://HOST[:PORT], default port 15002) instead of the SQLite store; see docs/spark-engine.md.")
    public var engine: String?

    /// The Spark database of `engine`.
    @Option(help: "With --engine: the Spark database that holds PeerLens's tables.")
    public var sparkDatabase: String = "peerlens"

    /// Defaults.
    public init() {}

    /// Refuses `--spark-database` without `--engine`, and a URL that is not `sc://`.
    public func validate() throws { _ = try target() }

    /// The Spark warehouse to read, when `--engine` is given.
    public func target() throws -> SparkEngineTarget? {
        guard let engine else {
            if sparkDatabase != "peerlens" { throw ValidationError("--spark-database goes with --engine") }
            return nil
        }
        do { return SparkEngineTarget(url: try SparkConnectURL(engine), database: sparkDatabase) } catch {
            throw ValidationError("--engine: \(error)")
        }
    }

    /// The warehouse's events when `--engine` is given (nothing is sent before the first query), with Spark's
    /// progress reports as lines to `progress`; nil for the embedded store.
    public func source(progress: (@Sendable (String) -> Void)? = nil) throws -> (any EventSource)? {
        try target().map { $0.eventSource(progress: progress) }
    }
}

/// Options every published command shares: the store, the output format and the disclosure policy.
public struct PublishOptions: ParsableArguments, Sendable {
    /// The store.
    @Option(name: .long, help: "The SQLite store to read (it must exist: `peerlens ingest` creates it).")
    public var db: String = "peerlens.sqlite"

    /// The output format.
    @Option(help: "text for a person, md (Markdown), html (one self-contained page) or json (docs/cli-json.md).")
    public var format: ReportFormat = .text

    /// The disclosure options.
    @OptionGroup public var disclosure: PolicyOptions

    /// Generation time for the provenance.
    @Option(help: "Generation time written in the provenance (RFC 3339); none is written otherwise, so the same store gives the same bytes.")
    public var generatedAt: String?

    /// Where the events are read instead of the store: a Spark warehouse.
    @OptionGroup public var engineOptions: EngineOptions

    /// Defaults.
    public init() {}

    /// Checks the generation time (the policy and engine options check themselves).
    public func validate() throws {
        if let g = generatedAt, Timestamp(rfc3339: g) == nil { throw ValidationError("--generated-at must be an RFC 3339 date-time, e.g. 2026-03-01T00:00:00Z") }
    }

    /// The Spark warehouse to read, when `--engine` is given.
    public func engineTarget() throws -> SparkEngineTarget? { try engineOptions.target() }

    /// The disclosure policy these options ask for.
    public func policy() throws(DisclosureError) -> DisclosurePolicy { try disclosure.policy() }
}

/// Runs a published command: analysis → sections → document with provenance and policy → renderer.
public enum CommandRunner {
    /// The document of `command` over `context`: its publication with provenance, under the context's policy
    /// (applied by the renderer).
    public static func document<C: PublishedCommand>(_ command: C, context: CommandContext, commandLine: String, toolVersion: String,
                                                     generatedAt: String? = nil) throws -> ReportDocument {
        var publication = try command.publish(context)
        publication.options.merge(context.policy.provenanceOptions) { _, policy in policy }
        let source: StoreFingerprint
        var libraries: [String: String] = [:]
        if let s = publication.source {
            source = s
        } else {
            // The events' runs, location and engine: the provenance is where the two engines' outputs differ.
            let events = try context.source()
            source = try StoreFingerprint.read(events)
            libraries = try Provenance.libraryVersions(source: events)
            if let engine = events.engineName { publication.options["engine"] = engine }
        }
        let provenance = Provenance(toolVersion: toolVersion, libraries: libraries, store: source, command: commandLine,
                                    options: publication.options, generatedAt: generatedAt.flatMap { Timestamp(rfc3339: $0)?.rfc3339 },
                                    disclosureThreshold: context.policy.threshold)
        return ReportDocument(title: publication.title, command: C.name, subtitle: publication.subtitle, provenance: provenance,
                              disclosure: context.policy, sections: publication.sections, records: publication.records)
    }

    /// Runs `command` with the shared `options` and returns its output in the requested format; `progress`
    /// receives a line for each progress report of a Spark query (`--engine`).
    public static func run<C: PublishedCommand>(_ command: C, options: PublishOptions, arguments: [String], toolVersion: String,
                                                progress: (@Sendable (String) -> Void)? = nil) throws -> String {
        let context = CommandContext(storePath: options.db, policy: try options.policy(), engine: try options.engineTarget(),
                                     progress: progress)
        let document = try document(command, context: context, commandLine: Provenance.commandLine(["peerlens"] + arguments),
                                    toolVersion: toolVersion, generatedAt: options.generatedAt)
        return try ReportRenderer.render(document, format: options.format)
    }
}

/// A command that cannot run as asked: a sentence a person understands (never a row value).
public struct CommandError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// The line a command shows for a progress report of a Spark query: the query's label, its finished and total
/// tasks over the stages reported so far, and the bytes its stages have read.
package enum SparkProgressText {
    /// E.g. `Spark: counting messages per week: 12 of 40 tasks (30%), 1.2 MB read`; before any task is known,
    /// `Spark: counting messages per week: starting`.
    package static func line(operation: String, progress: SparkProgress) -> String {
        guard let fraction = progress.fractionComplete else { return "Spark: \(operation): starting" }
        let percent = Int((fraction * 100).rounded(.down))
        var text = "Spark: \(operation): \(progress.completedTasks) of \(progress.totalTasks) tasks (\(percent)%)"
        if progress.inputBytesRead > 0 { text += ", \(ByteCount.text(progress.inputBytesRead)) read" }
        return text
    }

    /// A Spark progress observer that hands `line` the text of each report; nil when `line` is.
    package static func reporter(_ line: (@Sendable (String) -> Void)?) -> (@Sendable (String, SparkProgress) -> Void)? {
        guard let line else { return nil }
        return { @Sendable (operation: String, progress: SparkProgress) in line(Self.line(operation: operation, progress: progress)) }
    }

}

/// Byte counts as the progress lines print them (Spark queries, file ingest).
package enum ByteCount {
    /// Bytes in decimal units with one decimal (`1.2 MB`), plain below 1 kB (`512 B`).
    package static func text(_ bytes: Int64) -> String {
        let units = ["kB", "MB", "GB", "TB", "PB"]
        guard bytes >= 1000 else { return "\(bytes) B" }
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95, unit < units.count - 1 { value /= 1000; unit += 1 }
        return String(format: "%.1f %@", value, units[unit])
    }
}

/// A Spark warehouse to read instead of the store: the Spark Connect server and the database.
public struct SparkEngineTarget: Sendable, Equatable {
    /// The Spark Connect server.
    public var url: SparkConnectURL
    /// The database holding PeerLens's tables.
    public var database: String

    /// A warehouse target.
    public init(url: SparkConnectURL, database: String = "peerlens") {
        self.url = url
        self.database = database
    }

    /// The warehouse's events (nothing is sent before the first query); `progress` receives a line for each
    /// progress report of a query.
    public func eventSource(progress: (@Sendable (String) -> Void)? = nil) -> any EventSource {
        SparkEventSource(url: url, database: database, progress: SparkProgressText.reporter(progress))
    }
}
