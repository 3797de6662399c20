import Foundation
import Testing
@testable import PeerLensLog
import ProcessTestSupport

@Suite("Readers: JSON Lines, gzip, CSV")
struct ReaderTests {
    @Test("gzip input reads exactly like the plain file")
    func gzipMatchesPlain() throws {
        let plain = try readAll(fixture("all-types.jsonl")).map { try $0.result.get().event }
        let gz = try readAll(fixture("all-types.jsonl.gz")).map { try $0.result.get().event }
        #expect(plain == gz)
    }

    @Test("A truncated gzip file is a file-level error")
    func truncatedGzip() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("all-types.jsonl.gz")))
        let path = temporaryFile("", name: "cut.jsonl.gz")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: LogReadError.self) { _ = try readAll(path) }
    }

    @Test("Blank lines are skipped; CRLF line ends and a missing final newline are fine; line numbers count every line")
    func lineHandling() throws {
        let path = temporaryFile("\r\n{\"type\":\"activity\",\"ts\":\"2026-01-05T10:30:00Z\",\"member\":\"m1\",\"duration_s\":1}\r\n\n{\"type\":\"activity\",\"ts\":\"2026-01-05T10:31:00Z\",\"member\":\"m1\",\"duration_s\":2}")
        let results = try readAll(path)
        #expect(results.map(\.line) == [2, 4])
        #expect(results.allSatisfy { (try? $0.result.get()) != nil })
    }

    @Test("A record over 1 MiB is rejected and reading continues after it")
    func oversizeRecord() throws {
        let big = "{\"type\":\"activity\",\"pad\":\"" + String(repeating: "x", count: 3 << 20) + "\"}"
        let path = temporaryFile(big + "\n{\"type\":\"activity\",\"ts\":\"2026-01-05T10:30:00Z\",\"member\":\"m1\",\"duration_s\":1}\n")
        let results = try readAll(path)
        #expect(results.count == 2)
        #expect(results[0].line == 1)
        if case let .failure(r) = results[0].result { #expect(r.message == "record is longer than 1 MiB") } else { Issue.record("oversize accepted") }
        #expect(results[1].line == 2)
        #expect((try? results[1].result.get()) != nil)
    }

    @Test("Records spanning the 4 MiB read window are parsed whole")
    func windowBoundary() throws {
        let line = #"{"type":"activity","ts":"2026-01-05T10:30:00Z","member":"m1","duration_s":1}"# + "\n"
        let count = (5 << 20) / line.utf8.count
        let path = temporaryFile(String(repeating: line, count: count))
        let results = try readAll(path)
        #expect(results.count == count)
        #expect(results.allSatisfy { (try? $0.result.get()) != nil })
    }

    @Test("CSV: type from the file name, lists split on |, booleans and empty cells")
    func csvMembers() throws {
        let results = try readAll(fixture("csv/member.csv"))
        let events = try results.map { try $0.result.get().event }
        guard case let .member(a) = events[0], case let .member(b) = events[1] else { Issue.record("not members"); return }
        #expect(a.conditions == [.depression, .anxiety])
        #expect(a.researchConsent == false)
        #expect(a.region == "GB")
        #expect(b.conditions.isEmpty)
        #expect(b.researchConsent == true)
        #expect(results.map(\.line) == [2, 3])
    }

    @Test("CSV: out-of-range values are rejected with their line")
    func csvScores() throws {
        let results = try readAll(fixture("csv/score.csv"))
        #expect((try? results[0].result.get()) != nil)
        #expect(results[1].line == 3)
        if case let .failure(r) = results[1].result { #expect(r.message == "score 1.5 is outside [0,1]") } else { Issue.record("1.5 accepted") }
    }

    @Test("CSV: a type column and components.<name> columns")
    func csvMatch() throws {
        let event = try #require(try readAll(fixture("csv/match.csv")).first).result.get()
        guard case let .match(m) = event.event else { Issue.record("not a match"); return }
        #expect(m.components.values == [0.9, 0.8, 0.7, 0.5, 0.6, 1, 1, 0.4])
        #expect(event.droppedFields.isEmpty)
    }

    @Test("CSV: gzip-compressed files read like plain ones")
    func csvGzip() throws {
        let plain = fixture("csv/member.csv")
        let gz = temporaryFile("", name: "member.csv.gz")
        #expect(try ChildProcess.run("/bin/sh", ["-c", "gzip -cn '\(plain)' > '\(gz)'"]).status == 0)
        let a = try readAll(plain).map { try $0.result.get().event }
        let b = try readAll(gz).map { try $0.result.get().event }
        #expect(a == b)
        #expect(a.count == 2)
    }

    @Test("CSV: a file whose type cannot be known is refused")
    func csvUnknownType() throws {
        let path = temporaryFile("ts,member\n2026-01-05T10:30:00Z,m1\n", name: "things.csv")
        #expect(throws: LogReadError.self) { _ = try openLogReader(path: path) }
    }

    @Test("CSV: a row with the wrong number of cells is rejected, with line numbers that count quoted line breaks")
    func csvCellCount() throws {
        let path = temporaryFile("ts,member,duration_s,extra\n2026-01-05T10:30:00Z,m1,5,\"a\nb\"\n2026-01-05T10:30:00Z,m1\n", name: "activity.csv")
        let results = try readAll(path)
        #expect(results.map(\.line) == [2, 4])
        if case let .failure(r) = results[1].result { #expect(r.message == "row has 2 cells but the header has 4") } else { Issue.record("short row accepted") }
    }

    @Test("A missing file is a file-level error naming the file")
    func missingFile() {
        #expect(throws: LogReadError.self) { _ = try openLogReader(path: "/nonexistent/x.jsonl") }
        do { _ = try openLogReader(path: "/nonexistent/x.jsonl") } catch { #expect(error.description == "/nonexistent/x.jsonl: no such file") }
    }
}
