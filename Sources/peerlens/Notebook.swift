import ArgumentParser
import Foundation
import PeerLensLog
import PeerLensReport

/// `peerlens notebook`
struct NotebookGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Executable Markdown notebooks: run their peerlens blocks and write the results.",
        subcommands: [NotebookRun.self]
    )
}

/// `peerlens notebook run FILE.md`
struct NotebookRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Markdown notebook's peerlens blocks against a store; write it with their outputs as Markdown and HTML.",
        discussion: """
        Each line of a ```peerlens block is a read-only peerlens command (check, quarantine, crisis, risk, \
        thresholds, moderation, health, impact, outcomes, engagement, matches, groups, skills), split like a \
        shell would split it but not run by a shell. The runner supplies --db (and --disclosure-threshold to \
        the commands that take one); commands may not set them, nor --out. Each command's text output is \
        inserted below its block. Commands whose output is not under disclosure control (crisis, thresholds, \
        risk without --by) need --internal, and the results then say they are for internal use. Writes DIR/<notebook>.md and DIR/<notebook>.html, both or neither: a failing \
        command stops the run with the notebook's file and line. Same store, notebook, options and \
        --generated-at give byte-identical files. The Markdown subset: notebooks-md/README.md.
        """
    )

    @Argument(help: "The notebook (Markdown).")
    var file: String

    @OptionGroup var store: StoreOptions

    @Option(help: "Directory to write the results into (created if missing).")
    var out: String = "reports"

    @Option(help: "Generation time written in the results (RFC 3339), for reproducible builds (default: now).")
    var generatedAt: String?

    @Option(help: "Minimum cell count (10 or more): passed as --disclosure-threshold to the commands that take one.")
    var minCell: Int = DisclosurePolicy.defaultThreshold

    @Flag(name: .customLong("internal"), help: "Allow commands whose output is not under disclosure control (crisis, thresholds, risk without --by); the results say they are for internal use.")
    var internalUse = false

    func validate() throws {
        if let g = generatedAt, Timestamp(rfc3339: g) == nil { throw ValidationError("--generated-at must be an RFC 3339 date-time, e.g. 2026-03-01T00:00:00Z") }
        guard minCell >= DisclosurePolicy.defaultThreshold else { throw ValidationError("--min-cell must be at least \(DisclosurePolicy.defaultThreshold) for a notebook") }
        guard !out.isEmpty else { throw ValidationError("--out needs a directory") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read the notebook \(file)") }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("\(file) is not UTF-8 text") }
        let notebook = try MarkdownNotebook.parse(text, file: file)
        // A notebook reads a store; it never creates one.
        guard FileManager.default.fileExists(atPath: store.db) else { throw ValidationError("no store at \(store.db) (build one with peerlens ingest)") }
        try notebook.checkDisclosure(internalUse: internalUse)
        let policy = try DisclosurePolicy(threshold: minCell)
        let generated = generatedAt.flatMap { Timestamp(rfc3339: $0)?.rfc3339 } ?? Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).rfc3339
        let provenance = try MarkdownNotebook.provenance(
            store: try store.openReadOnly(), notebookFile: file, notebookText: text,
            command: Provenance.commandLine(["peerlens"] + CommandLine.arguments.dropFirst()), generatedAt: generated,
            disclosure: policy, internalUse: internalUse, toolVersion: PeerLensVersion.current)
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        let runner = NotebookSubprocessRunner(executable: executable, store: store.db, minimumCell: minCell)
        let document = try notebook.document(provenance: provenance, disclosure: policy, audience: .research,
                                             subtitle: "Notebook \((file as NSString).lastPathComponent), run against the store \(store.db)"
                                                 + (internalUse && notebook.commands.contains { !MarkdownNotebook.isDisclosureControlled($0) }
                                                    ? ". For internal use: some outputs are not under disclosure control." : ""),
                                             run: runner.run)
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
            guard rename(s.temporary, s.final) == 0 else { throw ValidationError("cannot write \(s.final): \(String(cString: strerror(errno)))") }
            print(s.final)
        }
    }
}
