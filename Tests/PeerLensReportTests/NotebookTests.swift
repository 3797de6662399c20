import Foundation
import Testing
@testable import PeerLensDocument
@testable import PeerLensReport

/// A document from `text` with each command's output given by `output` (by subcommand).
func notebookDocument(_ text: String, file: String = "nb.md", output: @escaping (NotebookCommand) throws -> String = { "out of \($0.text)" }) throws -> ReportDocument {
    try MarkdownNotebook.parse(text, file: file).document(provenance: testProvenance(), disclosure: try DisclosurePolicy(), audience: .research,
                                                          subtitle: nil, run: output)
}

/// Every block of a document, depth first.
func allBlocks(_ d: ReportDocument) -> [Block] {
    func walk(_ s: Section) -> [Block] { s.blocks + s.subsections.flatMap(walk) }
    return d.sections.flatMap(walk)
}

@Suite("Markdown notebooks: parsing")
struct NotebookParsingTests {
    @Test("Fences: backticks and tildes, a longer fence holding a shorter one, an unknown kind kept as code")
    func fences() throws {
        let text = """
        # Title

        Intro line one
        line two.

        ```peerlens
        # a comment, then two commands
        risk --by language

        peerlens thresholds --min-sensitivity 0.8
        ```

        ````markdown
        ```peerlens
        ingest not-run.jsonl
        ```
        ````

        ~~~python
        print("```")
        ~~~

        ```
        no kind
        ```
        """
        let nb = try MarkdownNotebook.parse(text, file: "nb.md")
        #expect(nb.commands.map(\.arguments) == [["risk", "--by", "language"], ["thresholds", "--min-sensitivity", "0.8"]])
        #expect(nb.commands.map(\.line) == [8, 10])
        #expect(nb.commands[1].text == "thresholds --min-sensitivity 0.8")
        let codes = nb.elements.compactMap { e -> (String?, String)? in if case let .code(l, t) = e { return (l, t) } else { return nil } }
        #expect(codes.map(\.0) == ["markdown", "python", nil])
        #expect(codes[0].1 == "```peerlens\ningest not-run.jsonl\n```")
        #expect(codes[1].1 == "print(\"```\")")
        #expect(nb.elements.contains(.paragraph("Intro line one line two.")))
        #expect(nb.title == "Title")
    }

    @Test("Headings, lists, quotes; sections nest by level and text before the first ## is an introduction")
    func structure() throws {
        let d = try notebookDocument("""
        # The title #

        Before any section.

        ## One
        - a
        - **b** item
          continued
        > a quote
        ### One point one
        1. first
        2. second
        ## Two
        Text with *em*, _em_, `code`, [a link](https://example.org) and snake_case_words.
        """)
        #expect(d.title == "The title")
        #expect(d.sections.map(\.heading) == ["Introduction", "One", "Two"])
        #expect(d.sections[1].subsections.map(\.heading) == ["One point one"])
        #expect(d.sections[1].blocks == [.list(ListBlock(["a", "b item continued"])), .note(Note("a quote"))])
        #expect(d.sections[1].subsections[0].blocks == [.list(ListBlock(["first", "second"], ordered: true))])
        guard case let .paragraph(p) = d.sections[2].blocks[0] else { Issue.record("no paragraph"); return }
        #expect(p.runs == [TextRun("Text with "), TextRun("em", emphasis: .emphasis), TextRun(", "), TextRun("em", emphasis: .emphasis),
                           TextRun(", code, a link (https://example.org) and snake_case_words.")])
    }

    @Test("Command lines are split shell-style")
    func splitting() throws {
        #expect(try MarkdownNotebook.split(#"risk --by 'a b' "c\"d" e\ f 'x''y'"#) == ["risk", "--by", "a b", "c\"d", "e f", "xy"])
        #expect(try MarkdownNotebook.split("  outcomes   --by\tsessions ") == ["outcomes", "--by", "sessions"])
        #expect(try MarkdownNotebook.split(#"groups --instrument """#) == ["groups", "--instrument", ""])
    }

    @Test("Refused command lines name the file, the line and the problem", arguments: [
        ("risk --by language | tee x", "`|` is a shell operator"),
        ("outcomes -- --by sessions", "`--` is not allowed"),
        ("risk; ingest x", "`;` is a shell operator"),
        ("risk --by 'language", "single quote is not closed"),
        ("risk --model \"crisis", "double quote is not closed"),
        ("peerlens", "needs a peerlens subcommand"),
    ])
    func refusals(_ command: String, _ message: String) throws {
        let text = "# T\n\nSome text.\n\n```peerlens\ncheck\n\(command)\n```\n"
        let error = try #require(throws: NotebookError.self) { try MarkdownNotebook.parse(text, file: "notebooks/x.md") }
        #expect(error.line == 7)
        #expect(error.description.hasPrefix("notebooks/x.md:7: "), "\(error)")
        #expect(error.problem.contains(message), "\(error)")
    }

    @Test("An unclosed fence and an empty peerlens block are errors at their opening line")
    func unclosed() throws {
        let e = try #require(throws: NotebookError.self) { try MarkdownNotebook.parse("# T\n\n````peerlens\nrisk\n```\n", file: "a.md") }
        #expect(e.line == 3 && e.problem.contains("never closed"))
        let empty = try #require(throws: NotebookError.self) { try MarkdownNotebook.parse("text\n\n```peerlens\n# nothing\n```\n", file: "a.md") }
        #expect(empty.line == 3 && empty.problem.contains("no command"))
    }
}

@Suite("Markdown notebooks: documents")
struct NotebookDocumentTests {
    static let hostileNotebook = """
    # Notebook <script>alert(1)</script>

    ## Section "><img src=x onerror=alert(1)>

    Prose with <b>raw HTML</b>, <!-- a comment --> and <script>alert(2)</script>.

    - item <iframe src=x>

    ```peerlens
    risk --by language
    ```

    ```html
    <script>alert(3)</script>
    ```
    """

    @Test("Hostile prose and command output render as text in HTML and cannot break out of the Markdown fence")
    func escaping() throws {
        let output = "group ```\n</code></pre><script>alert(4)</script>\n\u{1B}[31mred\u{1B}[0m & \"quotes\" 'single'\n````` more"
        let d = try notebookDocument(Self.hostileNotebook) { _ in output }
        let html = try ReportRenderer.render(d, format: .html)
        for bad in ["<script", "<img", "<iframe", "<b>", "<!--", "\u{1B}"] { #expect(!html.contains(bad), "\(bad) in HTML") }
        #expect(html.contains("&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt;"))
        #expect(html.contains("&lt;b&gt;raw HTML&lt;/b&gt;"))
        #expect(html.contains("<pre tabindex=\"0\" class=\"labelled\" data-label=\"Output\" aria-label=\"Output\"><code class=\"language-text\">"))
        let md = try ReportRenderer.render(d, format: .markdown)
        // The output holds a run of five backticks, so its fence has six: no line inside can close it.
        #expect(md.contains("``````text\ngroup ```\n</code></pre><script>alert(4)</script>\n"))
        #expect(md.contains("\n````` more\n``````\n"))
        #expect(!md.contains("\u{1B}"))
        // Prose outside code is escaped in Markdown too.
        #expect(md.contains("Prose with \\<b\\>raw HTML\\</b\\>"))
        #expect(md.contains("- item \\<iframe src=x\\>\n"))
    }

    @Test("Each peerlens block is kept as code, with each command's output below it")
    func outputs() throws {
        let d = try notebookDocument("## S\n\n```peerlens\nrisk --by language\noutcomes --by sessions\n```\n\n```peerlens\ncheck\n```\n") { c in
            c.arguments[0] == "check" ? "\n" : "printed by \(c.arguments.joined(separator: " "))\n"
        }
        #expect(allBlocks(d) == [
            .code(CodeBlock("risk --by language\noutcomes --by sessions", language: "peerlens")),
            .paragraph(Paragraph(runs: [TextRun("Output of "), TextRun("peerlens risk --by language", emphasis: .strong)])),
            .code(CodeBlock("printed by risk --by language", language: "text")),
            .paragraph(Paragraph(runs: [TextRun("Output of "), TextRun("peerlens outcomes --by sessions", emphasis: .strong)])),
            .code(CodeBlock("printed by outcomes --by sessions", language: "text")),
            .code(CodeBlock("check", language: "peerlens")),
            .paragraph(Paragraph(runs: [TextRun("(no output)", emphasis: .emphasis)])),
        ])
    }

    @Test("A failing command stops the run with the notebook's file and line and the command's error")
    func failure() throws {
        struct Failed: Error, CustomStringConvertible { var description: String { "The value 'nowhere' is invalid for '--by <by>'\n" } }
        var ran: [String] = []
        let text = "# T\n\n```peerlens\ncheck\n```\n\ntext\n\n```peerlens\nrisk --by nowhere\nskills\n```\n"
        let e = try #require(throws: NotebookError.self) {
            try notebookDocument(text, file: "dir/nb.md") { c in
                ran.append(c.arguments[0])
                if c.arguments[0] == "risk" { throw Failed() }
                return "ok"
            }
        }
        #expect(e.description == "dir/nb.md:10: `peerlens risk` failed: The value 'nowhere' is invalid for '--by <by>'")
        #expect(ran == ["check", "risk"])
    }

    @Test("A notebook document round-trips through JSON, code blocks included")
    func json() throws {
        let d = try notebookDocument(Self.hostileNotebook)
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(ReportDocument.self, from: data) == d)
        #expect(String(decoding: data, as: UTF8.self).contains(#""kind":"code""#))
    }

    @Test("Same notebook and outputs: identical Markdown and HTML")
    func determinism() throws {
        for format in [ReportFormat.markdown, .html] {
            let a = try ReportRenderer.render(try notebookDocument(Self.hostileNotebook), format: format)
            let b = try ReportRenderer.render(try notebookDocument(Self.hostileNotebook), format: format)
            #expect(a == b)
        }
    }
}
