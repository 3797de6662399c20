import ArgumentParser
import Foundation
import PeerLensCommands
import PeerLensDocument
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
        Each line of a ```peerlens block is a published (read-only) peerlens command, split like a shell would \
        split it but not run by a shell, and run in process against the store given here (or, with --engine, a \
        Spark warehouse), under one disclosure \
        policy (--min-cell, --internal); commands may not set --db, --format or the policy options. Each \
        command's text output is inserted below its block. With --internal, internal-only working views are \
        included and labelled, and the results say they are for internal use. Writes DIR/<notebook>.md and \
        DIR/<notebook>.html, both or neither: a refused or failing command stops the run with the notebook's \
        file and line. Same store, notebook, options and --generated-at give byte-identical files. The \
        Markdown subset: notebooks-md/README.md.
        """
    )

    @Argument(help: "The notebook (Markdown).")
    var file: String

    @Option(name: .long, help: "The SQLite store to read (it must exist).")
    var db: String = "peerlens.sqlite"

    @OptionGroup var engine: EngineOptions

    @Option(help: "Directory to write the results into (created if missing).")
    var out: String = "reports"

    @Option(help: "Generation time written in the results (RFC 3339), for reproducible builds (default: now).")
    var generatedAt: String?

    @OptionGroup var disclosure: PolicyOptions

    func validate() throws {
        if let g = generatedAt, Timestamp(rfc3339: g) == nil { throw ValidationError("--generated-at must be an RFC 3339 date-time, e.g. 2026-03-01T00:00:00Z") }
        guard !out.isEmpty else { throw ValidationError("--out needs a directory") }
    }

    func run() throws {
        let progress = ProgressLine()
        defer { progress.finish() }
        let written = try NotebookRunner.run(file: file, storePath: db, engine: try engine.target(), out: out, policy: try disclosure.policy(),
                                             generatedAt: generatedAt, commandLine: Provenance.commandLine(["peerlens"] + CommandLine.arguments.dropFirst()),
                                             progress: { progress.update($0) })
        progress.finish()
        for path in written { print(path) }
    }
}
