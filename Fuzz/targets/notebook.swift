// Fuzz target `notebook`: the notebook Markdown parser of PeerLensReport (`MarkdownNotebook.parse`: fences, headings,
// lists, quotes, the shell-style splitting of `peerlens` command lines) and its inline markup (`inline`, which
// builds the document's text runs), on arbitrary bytes as a notebook (invalid UTF-8 replaced, as a lossy read
// would). Nothing is run.
//
// Structural invariants, each a trap when broken:
// - an error names a line of the file;
// - headings are of level 1–6, and headings and `peerlens` blocks come in file order, at lines that exist, a
//   heading's line holding a `#` and a block's line an opening fence;
// - every command is on a line inside its block, in order, names a subcommand, and its text is what that line
//   ends with;
// - the splitter's round trip: each command's words, quoted again (single quotes, `'\''` for a quote) and split,
//   are the same words;
// - parsing is deterministic (the same elements twice), and inline markup yields no empty text run.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
    let notebook: MarkdownNotebook
    do {
        notebook = try MarkdownNotebook.parse(text, file: "fuzz.md")
    } catch let error as NotebookError {
        require((1...lines.count).contains(error.line), "error at line \(error.line) of \(lines.count)")
        _ = error.description.count
        return 0
    } catch {
        failure("parse threw something other than a NotebookError: \(error)")
    }
    var lastLine = 0
    for element in notebook.elements {
        switch element {
        case let .heading(level, heading, line):
            require((1...6).contains(level), "heading of level \(level)")
            require(line > lastLine && line <= lines.count && lines[line - 1].contains("#"), "heading at line \(line)")
            lastLine = line
            checkInline(heading)
        case let .commands(_, commands, line):
            require(line > lastLine && line <= lines.count, "block at line \(line)")
            let fence = lines[line - 1].drop { $0 == " " }
            require(fence.hasPrefix("```") || fence.hasPrefix("~~~"), "block at line \(line) without an opening fence")
            var previous = line
            for command in commands {
                require(command.line > previous && command.line <= lines.count, "command at line \(command.line) in a block at line \(line)")
                previous = command.line
                require(!command.arguments.isEmpty, "command without a subcommand")
                // By Unicode scalars: the text may begin with a combining mark that, on the line, joins the space
                // before it into one character (the parser trims scalars, as the splitter splits them).
                let lineScalars = Array(lines[command.line - 1].trimmingCharacters(in: .whitespaces).unicodeScalars)
                let textScalars = Array(command.text.unicodeScalars)
                require(lineScalars.count >= textScalars.count && Array(lineScalars.suffix(textScalars.count)) == textScalars,
                        "command text is not its line's")
                let quoted = command.arguments.map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }.joined(separator: " ")
                guard let again = try? MarkdownNotebook.split(quoted), again == command.arguments else {
                    failure("the words of line \(command.line), quoted again, split differently")
                }
                _ = MarkdownNotebook.printable(command.arguments[0]).count
            }
            lastLine = previous
        case let .paragraph(paragraph): checkInline(paragraph)
        case let .quote(quote): checkInline(quote)
        case let .list(items, _): items.forEach(checkInline)
        case .code: break
        }
    }
    guard let again = try? MarkdownNotebook.parse(text, file: "fuzz.md"), again == notebook else {
        failure("a second parse of the same text differs")
    }
    return 0
}

private func checkInline(_ text: String) {
    for run in MarkdownNotebook.inline(text) { require(!run.text.isEmpty, "an empty text run") }
}

/// `precondition` whose message survives `-O` (the fuzzer's report should say what broke).
private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}

/// `preconditionFailure` whose message survives `-O`.
private func failure(_ message: @autoclosure () -> String) -> Never { fatalError(message()) }
