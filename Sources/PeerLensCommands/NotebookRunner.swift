import ArgumentParser
import Foundation
import PeerLensDocument
import PeerLensLog
import PeerLensReport
import PeerLensSpark
import PeerLensStore

/// Runs a Markdown notebook's `peerlens` commands in process: each line names a command registered in
/// `CommandRegistry` (commands that write, such as `ingest`, are not registered and so cannot run), parsed by
/// its own type, run through `CommandRunner` over the notebook's store under the notebook's disclosure policy,
/// and rendered as text into the notebook's output block. The store, the format and the policy are the
/// runner's: a command line cannot set them, since they are not options of the command types.
public struct NotebookRunner: Sendable {
    /// The notebook.
    public let notebook: MarkdownNotebook
    /// The policy every output passes (its `internalUse` shows internal-only working views, labelled).
    public let policy: DisclosurePolicy
    /// The tool version recorded in each command's provenance.
    public let toolVersion: String

    /// A runner for `notebook` under `policy`.
    public init(notebook: MarkdownNotebook, policy: DisclosurePolicy, toolVersion: String = PeerLensVersion.current) {
        self.notebook = notebook
        self.policy = policy
        self.toolVersion = toolVersion
    }

    /// The command of a notebook line, parsed by its registered type.
    ///
    /// - Throws: `NotebookError` at the line when the command is not registered, sets an option the runner
    ///   supplies (`--db`, `--format`, `--disclosure-threshold` …), or its type refuses the arguments.
    public static func resolve(_ c: NotebookCommand, file: String) throws -> any PublishedCommand {
        func fail(_ problem: String) -> NotebookError { NotebookError(file: file, line: c.line, problem: problem) }
        let name = c.arguments[0]
        guard let type = CommandRegistry.command(named: name) else {
            throw fail("`\(MarkdownNotebook.printable(name))` is not a command a notebook can run (commands that write are never run); notebooks run: "
                       + CommandRegistry.commands.map { $0.name }.sorted().joined(separator: ", "))
        }
        let arguments = Array(c.arguments.dropFirst())
        for w in arguments where isRunnerOption(w) {
            let option = MarkdownNotebook.printable(String(w.split(separator: "=", maxSplits: 1)[0]))
            throw fail("`\(option)` is set by the notebook runner (`peerlens notebook run --db … --min-cell … --internal`), not by a notebook command")
        }
        return try parse(type, arguments, fail: fail)
    }

    /// `C.parse(arguments)`, with the command's own message for a refusal (generic, so that the existential
    /// metatype is opened).
    static func parse<C: PublishedCommand>(_: C.Type, _ arguments: [String], fail: (String) -> NotebookError) throws -> any PublishedCommand {
        do {
            return try C.parse(arguments)
        } catch {
            throw fail("`peerlens \(C.name)`: \(CodeText.clean(C.message(for: error)))")
        }
    }

    /// Whether `word` is one of the shared publishing options (`PublishOptions`: store, format, policy), which
    /// the runner supplies: asked of `PublishOptions` itself, so that the list cannot drift.
    static func isRunnerOption(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word != "-", word != "--" else { return false }
        let name = String(word.split(separator: "=", maxSplits: 1)[0])
        for tail in [[], ["11"], ["text"], ["2026-01-01T00:00:00Z"], ["sc://127.0.0.1"]] where (try? PublishOptions.parse([name] + tail)) != nil {
            return true
        }
        return false
    }

    /// Every command of the notebook, parsed, in order: the first problem is reported before anything runs.
    ///
    /// - Throws: `NotebookError` at the first refused line.
    public func resolveAll() throws -> [(command: NotebookCommand, parsed: any PublishedCommand)] {
        try notebook.commands.map { ($0, try Self.resolve($0, file: notebook.file)) }
    }

    /// The text output of one command over `context`.
    static func output(_ command: some PublishedCommand, context: CommandContext, commandLine: String, toolVersion: String) throws -> String {
        let document = try CommandRunner.document(command, context: context, commandLine: commandLine, toolVersion: toolVersion)
        return try ReportRenderer.render(document, format: .text)
    }

    /// Runs every command against `store` and builds the notebook's document.
    ///
    /// - Throws: `NotebookError` at the line of the first command refused (before anything runs) or failing.
    public func document(store: EventStore, provenance: Provenance, subtitle: String?) throws -> ReportDocument {
        try document(context: CommandContext(store: store, policy: policy), provenance: provenance, subtitle: subtitle)
    }

    /// Runs every command over `context` (the store or a Spark warehouse) and builds the notebook's document.
    ///
    /// - Throws: `NotebookError` at the line of the first command refused (before anything runs) or failing.
    public func document(context: CommandContext, provenance: Provenance, subtitle: String?) throws -> ReportDocument {
        let resolved = try resolveAll()
        let byLine = Dictionary(uniqueKeysWithValues: resolved.map { ($0.command.line, $0.parsed) })
        return try notebook.document(provenance: provenance, disclosure: policy, audience: .research, subtitle: subtitle) { c in
            guard let command = byLine[c.line] else { throw NotebookError(file: notebook.file, line: c.line, problem: "command not resolved") }
            return try Self.output(command, context: context, commandLine: Provenance.commandLine(["peerlens"] + c.arguments), toolVersion: toolVersion)
        }
    }

    /// `peerlens notebook run`: reads `file`, runs it against the store at `storePath` (which must exist), and
    /// writes `<out>/<notebook>.md` and `.html`, both or neither. Returns the paths written.
    ///
    /// - Throws: `NotebookError` (file, line, problem) for the notebook; `CommandError` for the store, the
    ///   files or the policy.
    ///
    /// With `engine`, the commands read the Spark warehouse instead of the store (`--engine`); `progress` then
    /// receives a line for each progress report of a Spark query.
    public static func run(file: String, storePath: String, engine: SparkEngineTarget? = nil, out: String, policy: DisclosurePolicy,
                           generatedAt: String?, commandLine: String, toolVersion: String = PeerLensVersion.current,
                           progress: (@Sendable (String) -> Void)? = nil) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandError("cannot read the notebook \(file)") }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandError("\(file) is not UTF-8 text") }
        let runner = NotebookRunner(notebook: try MarkdownNotebook.parse(text, file: file), policy: policy, toolVersion: toolVersion)
        _ = try runner.resolveAll()
        // A notebook reads a store (it never creates one) or a Spark warehouse.
        let context = CommandContext(storePath: storePath, policy: policy, engine: engine, progress: progress)
        let generated = generatedAt.flatMap { Timestamp(rfc3339: $0)?.rfc3339 } ?? Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).rfc3339
        let provenance = try MarkdownNotebook.provenance(source: try context.source(), notebookFile: file, notebookText: text, command: commandLine,
                                                         generatedAt: generated, disclosure: policy, toolVersion: toolVersion)
        let against = engine.map { "the Spark warehouse \($0.database) at \($0.url)" } ?? "the store \(storePath)"
        let document = try runner.document(context: context, provenance: provenance,
                                           subtitle: "Notebook \((file as NSString).lastPathComponent), run against \(against)"
                                               + (policy.internalUse ? ". For internal use: internal working views are included." : ""))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        // Both files are written beside their final names and renamed only when both are complete: a failed
        // run leaves no half-written output.
        var staged: [(temporary: String, final: String)] = []
        defer { for s in staged { try? FileManager.default.removeItem(atPath: s.temporary) } }
        for format in [ReportFormat.markdown, .html] {
            let name = MarkdownNotebook.outputName(file, format: format)
            let final = (out as NSString).appendingPathComponent(name)
            let temporary = (out as NSString).appendingPathComponent(".\(name).partial-\(getpid())")
            staged.append((temporary, final))
            try Data(try ReportRenderer.render(document, format: format).utf8).write(to: URL(fileURLWithPath: temporary))
        }
        for s in staged {
            guard rename(s.temporary, s.final) == 0 else { throw CommandError("cannot write \(s.final): \(String(cString: strerror(errno)))") }
        }
        return staged.map(\.final)
    }
}
