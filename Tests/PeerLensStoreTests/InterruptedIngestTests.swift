import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore
import ProcessTestSupport

/// The `peerlens` executable built beside the test bundle.
func peerlensExecutable() -> URL? {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("peerlens"),
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("peerlens"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

@Suite("Interrupted ingest")
struct InterruptedIngestTests {
    #if DEV_LEAD
    static let hasExecutable = false
    #else
    static let hasExecutable = true
    #endif

    @Test("Killing the ingest process mid-file leaves the store exactly as before that file",
          .enabled(if: hasExecutable, "needs the peerlens executable (built by `swift test` in the main package)"))
    func killMidFile() throws {
        let executable = try #require(peerlensExecutable(), "peerlens executable not found beside the tests")
        let dir = temporaryDirectory()
        let db = dir.appendingPathComponent("store.sqlite").path

        // A store that already holds one file.
        let store = try EventStore(path: db)
        try Ingestor(toolVersion: "test").ingest(path: fixture("all-types.jsonl"), into: store)
        let before = try store.eventCounts()
        let runsBefore = try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ingest_run") }

        // A file large enough that ingesting it takes a few seconds.
        let big = dir.appendingPathComponent("big.jsonl")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        var chunk = ""
        let start = Timestamp(rfc3339: "2026-01-01T00:00:00Z")!
        for i in 0..<600_000 {
            let ts = Timestamp(microseconds: start.microseconds + Int64(i) * 1_000_000)
            chunk += EventJSON.line(for: .activity(ActivityEvent(ts: ts, member: "m\(i % 5000)", durationSeconds: Double(i % 900)))) + "\n"
            if i % 50_000 == 49_999 { handle.write(Data(chunk.utf8)); chunk = "" }
        }
        try handle.close()

        let process = try ChildProcess(executable.path, ["ingest", "--db", db, big.path], standardOutput: "/dev/null", standardError: "/dev/null")

        // Wait until the transaction has written to the database (the rollback journal exists), then kill.
        let journal = db + "-journal"
        let deadline = Date().addingTimeInterval(60)
        var sawJournal = false
        while Date() < deadline, process.isRunning {
            if let size = try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int, size > 0 {
                sawJournal = true
                Thread.sleep(forTimeInterval: 0.3)
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try #require(process.isRunning, "the ingest finished before it could be interrupted; make the file bigger")
        #expect(sawJournal)
        process.signal(SIGKILL)
        #expect(process.waitUntilExit() == 128 + SIGKILL)

        // Reopening rolls back the hot journal: nothing of the big file remains.
        let reopened = try EventStore(path: db)
        #expect(try reopened.eventCounts() == before)
        let runsAfter = try reopened.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ingest_run") }
        #expect(runsAfter == runsBefore)
        let integrity = try reopened.queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
    }
}
