import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

/// `shared/data/stackexchange-history-meta` beside the project root (present on developer machines and in CI).
let stackExchangeDump: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let dir = root.deletingLastPathComponent().appendingPathComponent("shared/data/stackexchange-history-meta").path
    return FileManager.default.fileExists(atPath: dir + "/posts.csv") ? dir : nil
}()

@Suite("Real community data", .enabled(if: stackExchangeDump != nil, "needs shared/data/stackexchange-history-meta beside the project"))
struct RealDataTests {
    @Test("The whole Stack Exchange dump ingests with nothing rejected and no dangling references")
    func ingestDump() throws {
        let (events, summary) = try StackExchangeAdapter.events(from: stackExchangeDump!)
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("se.jsonl").path
        try events.map { EventJSON.line(for: $0) + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        let store = try EventStore(path: dir.appendingPathComponent("se.sqlite").path)
        let ingested = try ingestor.ingest(path: path, into: store)
        #expect(ingested.rejected == 0)
        #expect(ingested.accepted == events.count)
        #expect(summary.written.values.reduce(0, +) == events.count)
        // Line counts of the CSVs (header excluded), computed independently of the adapter.
        func rows(_ file: String) throws -> Int { try String(contentsOfFile: stackExchangeDump! + "/" + file, encoding: .utf8).split(whereSeparator: \.isNewline).count - 1 }
        #expect(summary.written["member"] == (try rows("users.csv")) + 1)
        let skippedPosts = summary.skipped.values.reduce(0, +)
        #expect(summary.written["message"] == (try rows("posts.csv")) - skippedPosts + (try rows("comments.csv")))
        #expect(try ReferentialCheck.run(on: store).allSatisfy { $0.count == 0 })
    }
}
