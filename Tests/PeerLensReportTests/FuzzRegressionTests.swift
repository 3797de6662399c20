import Testing
@testable import PeerLensReport

/// Inputs found by the `notebook` fuzz target (Fuzz/targets/notebook.swift), kept so that what it found stays fixed.
@Suite("Fuzz findings: the notebook parser")
struct NotebookFuzzRegressionTests {
    @Test("A quote followed by a combining mark is still a quote (the splitter read characters, and a quote and a combining mark make one)")
    func quoteBeforeCombiningMark() throws {
        // The fuzzer's line: a word starting with U+0747 (a Syriac combining mark), which, quoted again, was not split
        // back to itself: `'` and U+0747 are one character, so the opening quote was not seen.
        let words = try MarkdownNotebook.split("a\t\t\t\t\t\t\t\t* y@**\u{0B}a\t\t\t\u{0747}*thon ")
        #expect(words == ["a", "*", "y@**\u{0B}a", "\u{0747}*thon"])
        #expect(try MarkdownNotebook.split(words.map { "'" + $0 + "'" }.joined(separator: " ")) == words)
        // Combining marks after quotes of every kind, and after a backslash.
        #expect(try MarkdownNotebook.split("risk --label '\u{0301}x' \"\u{0301}y\" \\\u{0301}z") == ["risk", "--label", "\u{0301}x", "\u{0301}y", "\u{0301}z"])
        #expect(try MarkdownNotebook.split("risk 'a'\u{0301}") == ["risk", "a\u{0301}"])
        // A whole notebook with the line parses, and the command keeps its words.
        let notebook = try MarkdownNotebook.parse("```peerlens\nrisk '\u{0747}*thon'\n```\n", file: "n.md")
        #expect(notebook.commands.map(\.arguments) == [["risk", "\u{0747}*thon"]])
    }
}
