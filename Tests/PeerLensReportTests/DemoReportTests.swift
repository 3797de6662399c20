import Foundation
import Testing

/// The repository's root (this file is Tests/PeerLensReportTests/DemoReportTests.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("The committed demo reports", .serialized, .enabled(if: reportExecutable() != nil, "needs the peerlens executable"))
struct DemoReportTests {
    /// The audiences and the options `.ci/demo` gives them.
    static let audiences: [(String, [String])] = [("safety", []), ("research", []), ("funder", ["--cost", "250000"])]

    @Test("reports/ holds exactly what the main job writes for the demo dataset: byte-identical Markdown, HTML and JSON")
    func regenerated() throws {
        // The main job's own paths, relative to a fresh working directory: the provenance records the file names and
        // the command line as given.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-demo-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("datasets"), withDestinationURL: repositoryRoot.appendingPathComponent("datasets"))
        defer { try? FileManager.default.removeItem(at: dir) }
        for arguments in [["ingest", "--db", "reports/demo.sqlite", "--format", "json", "datasets/demo/events.jsonl.gz"],
                          ["ingest", "--db", "reports/demo.sqlite", "datasets/demo/events.jsonl.gz"]] {
            let r = try runReport(arguments, in: dir)
            #expect(r.status == 0, "\(r.err)")
        }
        for (audience, extra) in Self.audiences {
            let r = try runReport(["report", "--db", "reports/demo.sqlite", "--audience", audience, "--format", "md", "--format", "html", "--format", "json",
                                   "--out", "reports", "--generated-at", "2026-03-06T00:00:00Z"] + extra, in: dir)
            #expect(r.status == 0, "\(r.err)")
            for suffix in ["md", "html", "json"] {
                let name = "reports/\(audience)-report.\(suffix)"
                let committed = try Data(contentsOf: repositoryRoot.appendingPathComponent(name))
                let written = try Data(contentsOf: dir.appendingPathComponent(name))
                #expect(!written.isEmpty && committed == written, "\(name) differs from the committed copy: regenerate it with `bash .ci/demo`")
            }
        }
    }
}
