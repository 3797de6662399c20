import Foundation
import Testing
@testable import PeerLensCommands
import PeerLensDocument
import PeerLensReport
import PeerLensStore

@Suite("Notebooks run in process", .serialized)
struct NotebookRunnerTests {
    func resolveError(_ line: String) throws -> NotebookError {
        let nb = try MarkdownNotebook.parse("# T\n\nSome text.\n\n```peerlens\n\(line)\n```\n", file: "notebooks/x.md")
        return try #require(throws: NotebookError.self) { _ = try NotebookRunner(notebook: nb, policy: .standard).resolveAll() }
    }

    @Test("Refused commands name the file, the line and the problem", arguments: [
        ("ingest events.jsonl", "`ingest` is not a command a notebook can run"),
        ("peerlens simulate --members 10", "`simulate` is not a command a notebook can run"),
        ("notebook run other.md", "`notebook` is not a command a notebook can run"),
        ("report --audience safety", "`report` is not a command a notebook can run"),
        ("rm -rf /", "`rm` is not a command a notebook can run"),
        ("outcomes --db other.sqlite", "`--db` is set by the notebook runner"),
        ("outcomes --db=other.sqlite", "`--db` is set by the notebook runner"),
        ("outcomes --format json", "`--format` is set by the notebook runner"),
        ("health --disclosure-threshold 3", "`--disclosure-threshold` is set by the notebook runner"),
        ("impact --min-cell 3", "`--min-cell` is set by the notebook runner"),
        ("check --internal", "`--internal` is set by the notebook runner"),
        ("outcomes --out elsewhere", "`peerlens outcomes`:"),
        ("outcomes --by nowhere", "`peerlens outcomes`: unknown --by 'nowhere'; accepted values: cohort"),
        ("health --replicates 5", "`peerlens health`: --replicates must be at least 100"),
    ])
    func refusals(_ line: String, _ message: String) throws {
        let e = try resolveError(line)
        #expect(e.line == 6 && e.description.hasPrefix("notebooks/x.md:6: "), "\(e)")
        #expect(e.problem.contains(message), "\(e)")
    }

    @Test("Registered commands resolve to their own types")
    func resolves() throws {
        let nb = try MarkdownNotebook.parse("```peerlens\noutcomes --by sessions\nhealth --over all\nimpact --cost 100\ncheck\n```\n", file: "a.md")
        let resolved = try NotebookRunner(notebook: nb, policy: .standard).resolveAll()
        #expect(resolved.map { String(describing: type(of: $0.parsed)) } == ["OutcomesCommand", "HealthCommand", "ImpactCommand", "CheckCommand"])
    }

    static let notebook = """
        # Evidence

        Reach and outcomes.

        ```peerlens
        check
        impact --cost 250000
        ```

        ## Health

        ```peerlens
        health --over all --no-by-space --replicates 100
        outcomes
        ```
        """

    @Test("A notebook runs in process: one output block per command, both files, byte-identical twice")
    func runs() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("nb.md").path
        try Self.notebook.write(toFile: file, atomically: true, encoding: .utf8)
        var outputs: [[String]] = []
        for i in 0..<2 {
            let out = dir.appendingPathComponent("out\(i)").path
            let written = try NotebookRunner.run(file: file, storePath: commandsStore.path, out: out, policy: .standard,
                                                 generatedAt: "2026-03-01T00:00:00Z", commandLine: "peerlens notebook run nb.md", toolVersion: "test")
            #expect(written.map { ($0 as NSString).lastPathComponent } == ["nb.md", "nb.html"])
            outputs.append(try written.map { try String(contentsOfFile: $0, encoding: .utf8) })
        }
        #expect(outputs[0] == outputs[1])
        let md = outputs[0][0]
        #expect(md.components(separatedBy: "```text\n").count - 1 == 4)
        #expect(md.contains("Referential check") && md.contains("Community health") && md.contains("Mood outcomes"))
        #expect(md.contains("notebook_sha256=") && !md.contains("internal=true"))
    }

    @Test("A failing command stops the run at its line; nothing is written")
    func failing() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("bad.md").path
        try "# T\n\n```peerlens\ncheck\n```\n\n```peerlens\nhealth\n```\n".write(toFile: file, atomically: true, encoding: .utf8)
        // An empty store: the check runs, community health has no messages to work from.
        let empty = dir.appendingPathComponent("empty.sqlite").path
        _ = try EventStore(path: empty)
        let out = dir.appendingPathComponent("out").path
        let e = try #require(throws: NotebookError.self) {
            _ = try NotebookRunner.run(file: file, storePath: empty, out: out, policy: .standard, generatedAt: nil, commandLine: "x", toolVersion: "test")
        }
        #expect(e.line == 8 && e.description.hasPrefix("\(file):8: `peerlens health` failed: "), "\(e)")
        #expect(e.problem.contains("no messages"), "\(e)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).isEmpty)
    }

    @Test("No store: refused without creating one; --internal is the policy's internal use, recorded in the provenance")
    func storeAndInternal() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("nb.md").path
        try "```peerlens\ncheck\n```\n".write(toFile: file, atomically: true, encoding: .utf8)
        let missing = dir.appendingPathComponent("none.sqlite").path
        #expect(throws: StoreError.self) {
            _ = try NotebookRunner.run(file: file, storePath: missing, out: dir.path, policy: .standard, generatedAt: nil, commandLine: "x", toolVersion: "test")
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
        let written = try NotebookRunner.run(file: file, storePath: commandsStore.path, out: dir.appendingPathComponent("out").path,
                                             policy: try DisclosurePolicy(internalUse: true), generatedAt: "2026-03-01T00:00:00Z", commandLine: "x", toolVersion: "test")
        let md = try String(contentsOfFile: written[0], encoding: .utf8)
        #expect(md.contains("internal=true") && md.contains("For internal use"))
    }
}
