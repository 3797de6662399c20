import Foundation
import PeerLensDocument
import PeerLensStats
import PeerLensStore

extension MarkdownNotebook {
    // MARK: The document

    /// The notebook's title: its first `#` heading, else the file name without extension.
    public var title: String {
        for e in elements { if case let .heading(1, text, _) = e { return text } }
        return ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Runs every command with `run` (in file order) and builds the document: the prose as blocks, each
    /// `peerlens` block as code, and below it each command's output as preformatted text.
    ///
    /// - Throws: `NotebookError` naming the command's line when `run` throws (a `NotebookError` as it is, any
    ///   other error with its description).
    public func document(provenance: Provenance, disclosure: DisclosurePolicy, audience: Audience, subtitle: String?,
                         run: (NotebookCommand) throws -> String) throws -> ReportDocument {
        var root: [Section] = []
        var stack: [(level: Int, section: Section)] = []
        var sawTitle = false
        func close(downTo level: Int) {
            while let top = stack.last, top.level >= level {
                stack.removeLast()
                if stack.isEmpty { root.append(top.section) } else { stack[stack.count - 1].section.subsections.append(top.section) }
            }
        }
        func append(_ block: Block) {
            if stack.isEmpty { stack.append((2, Section("Introduction"))) }
            stack[stack.count - 1].section.blocks.append(block)
        }
        for e in elements {
            switch e {
            case let .heading(level, text, _):
                if level == 1, !sawTitle { sawTitle = true; continue }
                let level = max(level, 2)
                close(downTo: level)
                stack.append((level, Section(Self.plain(text))))
            case let .paragraph(text): append(.paragraph(Paragraph(runs: Self.inline(text))))
            case let .list(items, ordered): append(.list(ListBlock(items.map(Self.plain), ordered: ordered)))
            case let .quote(text): append(.note(Note(Self.plain(text))))
            case let .code(language, text): append(.code(CodeBlock(text, language: language)))
            case let .commands(text, commands, _):
                append(.code(CodeBlock(text, language: "peerlens")))
                for c in commands {
                    let output: String
                    do { output = try run(c) } catch let e as NotebookError {
                        throw e
                    } catch {
                        let message = String(describing: error).trimmingCharacters(in: .whitespacesAndNewlines)
                        throw NotebookError(file: file, line: c.line, problem: "`peerlens \(Self.printable(c.arguments[0]))` failed" + (message.isEmpty ? "" : ": \(CodeText.clean(message))"))
                    }
                    if commands.count > 1 { append(.paragraph(Paragraph(runs: [TextRun("Output of "), TextRun("peerlens \(c.text)", emphasis: .strong)]))) }
                    let trimmed = output.trimmingCharacters(in: .newlines)
                    append(trimmed.isEmpty ? .paragraph(Paragraph(runs: [TextRun("(no output)", emphasis: .emphasis)])) : .code(CodeBlock(trimmed, language: "text")))
                }
            }
        }
        close(downTo: 0)
        return ReportDocument(title: Self.plain(title), audience: audience, subtitle: subtitle, provenance: provenance, disclosure: disclosure, sections: root)
    }

    // MARK: Provenance

    /// The provenance block of a notebook run: tool and library versions, the store's fingerprint, the
    /// command, the notebook's file name and SHA-256, generation time, and the policy's options (minimum cell
    /// count; rounding and `internal` when set).
    ///
    /// - Throws: database errors reading the store.
    public static func provenance(store: EventStore, notebookFile: String, notebookText: String, command: String, generatedAt: String,
                                  disclosure: DisclosurePolicy, toolVersion: String) throws -> Provenance {
        try provenance(source: store, notebookFile: notebookFile, notebookText: notebookText, command: command, generatedAt: generatedAt,
                       disclosure: disclosure, toolVersion: toolVersion)
    }

    /// As `provenance(store:…)`, for the events of any engine: another engine's runs, location and version, and
    /// `engine` among the options.
    public static func provenance(source: any EventSource, notebookFile: String, notebookText: String, command: String, generatedAt: String,
                                  disclosure: DisclosurePolicy, toolVersion: String) throws -> Provenance {
        var options = ["notebook": notebookFile, "notebook_sha256": SHA256Digest.hex(Array(notebookText.utf8))]
            .merging(disclosure.provenanceOptions) { _, policy in policy }
        if let engine = source.engineName { options["engine"] = engine }
        return Provenance(toolVersion: toolVersion, libraries: try Provenance.libraryVersions(source: source), store: try StoreFingerprint.read(source),
                   command: command,
                   options: options,
                   generatedAt: generatedAt, disclosureThreshold: disclosure.threshold)
    }

    /// `safety-thresholds.md` → `safety-thresholds.md`/`.html`: the output file names for a notebook.
    public static func outputName(_ file: String, format: ReportFormat) -> String {
        (((file as NSString).lastPathComponent as NSString).deletingPathExtension) + "." + format.rawValue
    }
}
