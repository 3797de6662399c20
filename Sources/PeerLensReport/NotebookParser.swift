import Foundation
import PeerLensDocument

// The parser only (no store, no commands run): the fuzz target `notebook` (Fuzz/run.sh) compiles this file with
// PeerLensDocument outside the package build. Running a notebook is in Notebook.swift.

/// A problem with a notebook, at a line of its file: `notebooks-md/safety.md:12: …`.
public struct NotebookError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The notebook file as given.
    public let file: String
    /// 1-based line number.
    public let line: Int
    /// What is wrong, in a sentence.
    public let problem: String
    /// Creates an error.
    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }
    /// `file:line: problem`.
    public var description: String { "\(file):\(line): \(problem)" }
}

/// One command of a `peerlens` block: its line in the notebook, its text, and its arguments split
/// shell-style (without a leading `peerlens`).
public struct NotebookCommand: Sendable, Equatable {
    /// 1-based line number in the notebook.
    public let line: Int
    /// The command as written (a leading `peerlens` removed).
    public let text: String
    /// The arguments: the subcommand first.
    public let arguments: [String]
}

/// An executable Markdown notebook: prose in a small Markdown subset, and fenced blocks of kind `peerlens`
/// whose lines are `peerlens` command lines. `MarkdownNotebook.parse` reads the file; `document(…)` runs each
/// command (through the closure it is given: PeerLensCommands' `NotebookRunner` runs registered commands in
/// process, under the notebook's disclosure policy) and builds a `ReportDocument` with the outputs below their
/// blocks, which `ReportRenderer` writes as Markdown and HTML like any report.
///
/// The Markdown subset (everything else is text, never markup — a notebook cannot inject HTML):
/// - ATX headings `#` to `######`: the first `#` heading is the title, `##` a section, `###` and deeper
///   subsections (a later `#` counts as `##`); text before the first `##` goes into an "Introduction" section;
/// - paragraphs (consecutive lines, joined with spaces); `**strong**`, `*emphasis*` and `_emphasis_`;
///   `` `code` `` and `[text](address)` become plain text (`text (address)`: links are not made);
///   a backslash escapes the next character;
/// - lists (`-`, `*`, `+`, or `1.`), one line per item, as plain text;
/// - `>` quotes as notes;
/// - fenced blocks (three or more backticks or tildes, closed by a fence of the same character at least as
///   long): kind `peerlens` is run, any other kind is kept as a code block;
/// - HTML, tables, images, indented code and setext headings are not interpreted: their text is shown.
public struct MarkdownNotebook: Sendable, Equatable {
    /// One piece of a notebook, in file order.
    public enum Element: Sendable, Equatable {
        /// A heading of `level` (1–6).
        case heading(level: Int, text: String, line: Int)
        /// A paragraph's text (lines joined with spaces, inline markup still in it).
        case paragraph(String)
        /// List items.
        case list(items: [String], ordered: Bool)
        /// A `>` quote.
        case quote(String)
        /// A fenced block of another kind, kept as code.
        case code(language: String?, text: String)
        /// A `peerlens` block: its text and commands; `line` is the opening fence's line.
        case commands(text: String, commands: [NotebookCommand], line: Int)
    }

    /// The notebook file as given (for messages and the provenance).
    public let file: String
    /// Its elements, in order.
    public let elements: [Element]

    // MARK: Parsing

    /// Parses `text`, the contents of `file`.
    ///
    /// - Throws: `NotebookError` (file, line, problem) for an unclosed fence, an unterminated quote, a shell
    ///   operator or a line without a subcommand. Which commands may run, and with which options, is the
    ///   runner's check (`NotebookRunner.resolve`: registered commands, parsed by their own types).
    public static func parse(_ text: String, file: String) throws -> MarkdownNotebook {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var elements: [Element] = []
        var paragraph: [String] = []
        var list: (items: [String], ordered: Bool)?
        var quote: [String] = []
        func flush() {
            if !paragraph.isEmpty { elements.append(.paragraph(paragraph.joined(separator: " "))); paragraph = [] }
            if let l = list { elements.append(.list(items: l.items, ordered: l.ordered)); list = nil }
            if !quote.isEmpty { elements.append(.quote(quote.joined(separator: " "))); quote = [] }
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let fence = Fence(opening: line) {
                flush()
                var body: [String] = []
                var j = i + 1
                var closed = false
                while j < lines.count {
                    if fence.isClosed(by: lines[j]) { closed = true; break }
                    body.append(lines[j])
                    j += 1
                }
                guard closed else {
                    throw NotebookError(file: file, line: i + 1, problem: "the fenced block opened here is never closed (close it with \(String(repeating: fence.character, count: fence.length)))")
                }
                let content = body.map { fence.removingIndent($0) }.joined(separator: "\n")
                if fence.kind == "peerlens" {
                    var commands: [NotebookCommand] = []
                    for (k, commandLine) in body.enumerated() {
                        if let c = try command(commandLine, line: i + 2 + k, file: file) { commands.append(c) }
                    }
                    guard !commands.isEmpty else { throw NotebookError(file: file, line: i + 1, problem: "this peerlens block holds no command") }
                    elements.append(.commands(text: content, commands: commands, line: i + 1))
                } else {
                    elements.append(.code(language: fence.kind, text: content))
                }
                i = j + 1
                continue
            }
            if trimmed.isEmpty { flush(); i += 1; continue }
            if let (level, heading) = heading(line) {
                flush()
                elements.append(.heading(level: level, text: heading, line: i + 1))
            } else if let (item, ordered) = listItem(line) {
                if !paragraph.isEmpty || !quote.isEmpty || (list != nil && list!.ordered != ordered) { flush() }
                if list == nil { list = ([], ordered) }
                list!.items.append(item)
            } else if trimmed.hasPrefix(">") {
                if !paragraph.isEmpty || list != nil { flush() }
                quote.append(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces))
            } else if list != nil, line.hasPrefix("  ") {
                // A continuation line of a list item.
                list!.items[list!.items.count - 1] += " " + trimmed
            } else {
                if list != nil || !quote.isEmpty { flush() }
                paragraph.append(trimmed)
            }
            i += 1
        }
        flush()
        return MarkdownNotebook(file: file, elements: elements)
    }

    /// An opening code fence (CommonMark): up to three spaces, then three or more backticks or tildes, then
    /// an info string whose first word is the block's kind (a backtick fence's info may not hold backticks).
    struct Fence {
        let character: Character
        let length: Int
        let indent: Int
        let kind: String?

        init?(opening line: String) {
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { return nil }
            let rest = line.dropFirst(indent)
            guard let first = rest.first, first == "`" || first == "~" else { return nil }
            let length = rest.prefix { $0 == first }.count
            guard length >= 3 else { return nil }
            let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
            if first == "`", info.contains("`") { return nil }
            character = first
            self.length = length
            self.indent = indent
            kind = info.split(separator: " ").first.map(String.init)
        }

        /// Whether `line` closes this fence: the same character, at least as many, nothing after but spaces.
        func isClosed(by line: String) -> Bool {
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { return false }
            let rest = line.dropFirst(indent)
            let run = rest.prefix { $0 == character }.count
            return run >= length && rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
        }

        /// The line without up to `indent` leading spaces (the opening fence's indentation).
        func removingIndent(_ line: String) -> String {
            String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count)))
        }
    }

    static func heading(_ line: String) -> (Int, String)? {
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let after = rest.dropFirst(level)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = after.trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s (preceded by a space) is not part of the heading.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0, closing == text.count || text.dropLast(closing).hasSuffix(" ") {
            text = String(text.dropLast(closing)).trimmingCharacters(in: .whitespaces)
        }
        return (level, text)
    }

    static func listItem(_ line: String) -> (String, Bool)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard line.prefix(while: { $0 == " " }).count <= 3 else { return nil }
        if let first = trimmed.first, "-*+".contains(first), trimmed.dropFirst().first == " " {
            // `***` or `- - -` would be a thematic break; it is kept as text here.
            return (String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces), false)
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9 {
            let rest = trimmed.dropFirst(digits.count)
            if let d = rest.first, d == "." || d == ")", rest.dropFirst().first == " " {
                return (String(rest.dropFirst(2)).trimmingCharacters(in: .whitespaces), true)
            }
        }
        return nil
    }

    // MARK: Commands

    /// The command on one line of a `peerlens` block (nil for a blank line or a `#` comment), checked.
    static func command(_ raw: String, line: Int, file: String) throws -> NotebookCommand? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.hasPrefix("#") { return nil }
        func fail(_ problem: String) -> NotebookError { NotebookError(file: file, line: line, problem: problem) }
        var words: [String]
        do { words = try split(text) } catch let e as SplitError { throw fail(e.problem) }
        var shown = text
        if words.first == "peerlens" {
            words.removeFirst()
            shown = String(text.dropFirst("peerlens".count)).trimmingCharacters(in: .whitespaces)
        }
        guard words.first != nil else { throw fail("a command line needs a peerlens subcommand, e.g. `outcomes --by sessions`") }
        for w in words.dropFirst() where w == "--" { throw fail("`--` is not allowed in a notebook command") }
        return NotebookCommand(line: line, text: shown, arguments: words)
    }

    /// A word of a command line, for an error message: at most 40 characters, controls replaced.
    public static func printable(_ word: String) -> String {
        String(CodeText.clean(word).prefix(40))
    }

    struct SplitError: Error { let problem: String }

    /// Splits a command line shell-style: whitespace separates words; `'…'` is literal; `"…"` is literal but
    /// for `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes escapes the next character. Nothing is
    /// run by a shell, so unquoted `|`, `;`, `&`, `<`, `>`, `$`, `` ` ``, `(`, `)` are refused rather than
    /// passed on as words.
    static func split(_ line: String) throws -> [String] {
        // By Unicode scalar, not by character: a quote followed by a combining mark is still a quote (as characters
        // they would make one, and the quote would not be seen).
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var chars = Array(line.unicodeScalars)[...]
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t":
                if inWord { words.append(String(current)); current = String.UnicodeScalarView(); inWord = false }
            case "'":
                inWord = true
                guard let end = chars.firstIndex(of: "'") else { throw SplitError(problem: "a single quote is not closed") }
                current.append(contentsOf: chars[chars.startIndex..<end])
                chars = chars[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\"" { closed = true; break }
                    if d == "\\", let next = chars.first, "\"\\$`".unicodeScalars.contains(next) { current.append(next); chars.removeFirst(); continue }
                    current.append(d)
                }
                guard closed else { throw SplitError(problem: "a double quote is not closed") }
            case "\\":
                inWord = true
                guard let next = chars.popFirst() else { throw SplitError(problem: "a line may not end in a backslash (one command per line)") }
                current.append(next)
            case "|", ";", "&", "<", ">", "$", "`", "(", ")":
                throw SplitError(problem: "`\(c)` is a shell operator, and notebook commands are not run by a shell (quote it if it is part of a value)")
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(String(current)) }
        return words
    }

    /// Every command of the notebook, in order.
    public var commands: [NotebookCommand] {
        elements.flatMap { e -> [NotebookCommand] in
            if case let .commands(_, c, _) = e { return c } else { return [] }
        }
    }

    /// Inline markup of the subset as text runs: `**strong**`, `*em*`/`_em_`; code spans and links as plain
    /// text; backslash escapes. Unmatched markers stay as text.
    static func inline(_ text: String) -> [TextRun] {
        var runs: [TextRun] = []
        var buffer = ""
        func flush(_ emphasis: TextRun.Emphasis = .none) {
            if !buffer.isEmpty { runs.append(TextRun(buffer, emphasis: emphasis)); buffer = "" }
        }
        let chars = Array(text)
        var i = 0
        func find(_ marker: String, from start: Int) -> Int? {
            let m = Array(marker)
            var j = start
            while j + m.count <= chars.count {
                if chars[j] == "\\" { j += 2; continue }
                if Array(chars[j..<(j + m.count)]) == m, j > start { return j }
                j += 1
            }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count { buffer.append(chars[i + 1]); i += 2; continue }
            if c == "`", let end = chars[(i + 1)...].firstIndex(of: "`") {
                buffer += String(chars[(i + 1)..<end]); i = end + 1; continue
            }
            if c == "[", let close = chars[(i + 1)...].firstIndex(of: "]"), close + 1 < chars.count, chars[close + 1] == "(",
               let paren = chars[(close + 2)...].firstIndex(of: ")") {
                buffer += plain(String(chars[(i + 1)..<close])) + " (" + String(chars[(close + 2)..<paren]) + ")"
                i = paren + 1; continue
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*", let end = find("**", from: i + 2) {
                flush()
                buffer = plain(String(chars[(i + 2)..<end])); flush(.strong)
                i = end + 2; continue
            }
            let wordStart = i == 0 || chars[i - 1] == " " || chars[i - 1] == "("
            if (c == "*" || (c == "_" && wordStart)), i + 1 < chars.count, chars[i + 1] != " ", let end = find(String(c), from: i + 1),
               c == "*" || end + 1 == chars.count || !(chars[end + 1].isLetter || chars[end + 1].isNumber) {
                flush()
                buffer = plain(String(chars[(i + 1)..<end])); flush(.emphasis)
                i = end + 1; continue
            }
            buffer.append(c)
            i += 1
        }
        flush()
        return runs
    }

    /// Inline markup reduced to its text.
    static func plain(_ text: String) -> String { inline(text).map(\.text).joined() }
}
