import Foundation
import Testing
@testable import PeerLensStore
import ProcessTestSupport

/// The built `peerlens` beside the test binary, if there is one.
func reportExecutable() -> URL? {
    let candidate = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("peerlens")
    return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
}

/// Runs `peerlens` in `directory`; returns the exit status and standard error.
func runReport(_ arguments: [String], in directory: URL) throws -> (status: Int32, err: String) {
    let result = try ChildProcess.run(try #require(reportExecutable()).path, arguments, in: directory.path)
    return (result.status, result.error)
}

@Suite("peerlens report", .serialized, .enabled(if: reportExecutable() != nil, "needs the peerlens executable"))
struct ReportCommandTests {
    func directory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("Same store, options and --generated-at: byte-identical files in every format")
    func byteIdentical() throws {
        let (a, b) = (try directory(), try directory())
        let arguments = ["report", "--db", simulatedStore.path, "--audience", "funder", "--format", "md", "--format", "html", "--format", "json",
                         "--out", "out", "--generated-at", "2026-03-01T00:00:00Z", "--cost", "1000"]
        for dir in [a, b] {
            let r = try runReport(arguments, in: dir)
            #expect(r.status == 0, "\(r.err)")
        }
        for name in ["funder-report.md", "funder-report.html", "funder-report.json"] {
            let x = try Data(contentsOf: a.appendingPathComponent("out/\(name)")), y = try Data(contentsOf: b.appendingPathComponent("out/\(name)"))
            #expect(!x.isEmpty && x == y, "\(name) differs")
        }
    }

    @Test("Arguments are checked before anything runs", arguments: [
        (["--audience", "safety", "--min-cell", "5"], "--allow-lower-min-cell"),
        (["--audience", "safety", "--min-cell", "5", "--allow-lower-min-cell"], "only the research report"),
        (["--audience", "research", "--generated-at", "yesterday"], "RFC 3339"),
        (["--audience", "safety", "--cost", "100"], "--cost goes with --audience funder"),
        (["--audience", "funder", "--cost", "0"], "--cost must be a positive amount"),
        (["--audience", "nobody"], "audience"),
    ])
    func validation(_ extra: [String], _ message: String) throws {
        let dir = try directory()
        let r = try runReport(["report", "--db", simulatedStore.path, "--out", "out"] + extra, in: dir)
        #expect(r.status != 0)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
}
