import Foundation
import GRDB
import Testing
@testable import PeerLensStore
import ProcessTestSupport

/// Runs the built `peerlens` with `arguments`; returns exit status, stdout and stderr.
func runPeerLens(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
    let executable = try #require(peerlensExecutable(), "peerlens executable not found beside the tests")
    let result = try ChildProcess.run(executable.path, arguments, in: directory.path)
    return (result.status, result.output, result.error)
}

@Suite("peerlens command line", .enabled(if: InterruptedIngestTests.hasExecutable, "needs the peerlens executable"))
struct CommandLineTests {
    @Test("A missing file: non-zero exit, the file named, nothing ingested")
    func missingFile() throws {
        let dir = temporaryDirectory()
        let result = try runPeerLens(["ingest", fixture("all-types.jsonl"), "missing.jsonl"], in: dir)
        #expect(result.status != 0)
        #expect(result.err.contains("missing.jsonl: no such file"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("peerlens.sqlite").path))
    }

    @Test("A wholly invalid file: non-zero exit; valid files in the same run are still ingested")
    func whollyInvalid() throws {
        let dir = temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.jsonl")
        try "{\"type\":\"nonsense\"}\n".write(to: bad, atomically: true, encoding: .utf8)
        let result = try runPeerLens(["ingest", "--format", "json", fixture("all-types.jsonl"), bad.path], in: dir)
        #expect(result.status == 1)
        #expect(result.err.contains("no valid records"))
        // The output is the published document: a section per file read, and one listing the files that failed.
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(report["command"] as? String == "ingest")
        let sections = try #require(report["sections"] as? [[String: Any]])
        let files = sections.filter { $0["id"] as? String != "failures" }
        #expect(files.count == 1)
        let figures = (files.first?["blocks"] as? [[String: Any]])?.first?["key_figures"] as? [[String: Any]]
        #expect(figures?.first { $0["label"] as? String == "Accepted" }?["value"] as? String == "18")
        let failures = sections.first { $0["id"] as? String == "failures" }
        let failed = ((failures?["blocks"] as? [[String: Any]])?.last?["list"] as? [String: Any])?["items"] as? [String]
        #expect(failed?.count == 1)
    }

    @Test("Text summary, quarantine listing and check output")
    func textOutput() throws {
        let dir = temporaryDirectory()
        let ingest = try runPeerLens(["ingest", fixture("mixed.jsonl")], in: dir)
        #expect(ingest.status == 0)
        #expect(ingest.out.contains("Table: First rejected records"))
        #expect(ingest.out.contains("     2  score       out_of_range      score 1.7 is outside [0,1]"))
        #expect(ingest.out.contains("Table: Unknown fields dropped (never stored)"))
        #expect(ingest.out.contains("  client            1"))
        let quarantine = try runPeerLens(["quarantine"], in: dir)
        #expect(quarantine.out.contains("mixed.jsonl     6  message     field 'body' carries free text"))
        let check = try runPeerLens(["check"], in: dir)
        #expect(check.out.contains("  checkin_unknown_member      check-in from an unknown member                                  1  m0404"))
    }

    @Test("Read-only commands never create a store: a mistyped --db is refused and no file appears")
    func readOnlyCommands() throws {
        let dir = temporaryDirectory()
        for arguments in [["risk", "--db", "typo.sqlite"], ["check"], ["quarantine", "--db", "typo.sqlite"], ["outcomes", "--db", "typo.sqlite"],
                          ["report", "--db", "typo.sqlite", "--audience", "safety", "--out", "out"]] {
            let result = try runPeerLens(arguments, in: dir)
            #expect(result.status != 0, "\(arguments)")
            let path = arguments.contains("--db") ? "typo.sqlite" : "peerlens.sqlite"
            #expect(result.err.contains("no store at \(path): run `peerlens ingest"), "\(arguments): \(result.err)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sqlite") || $0.contains("journal") }.isEmpty)
        }
        // --db help: "created if missing" for ingest only.
        #expect(try runPeerLens(["ingest", "--help"], in: dir).out.contains("created if missing"))
        #expect(!(try runPeerLens(["risk", "--help"], in: dir).out.contains("created if missing")))
        // ingest creates the store; then read-only commands read it, and refuse unknown values with a suggestion.
        #expect(try runPeerLens(["ingest", fixture("all-types.jsonl")], in: dir).status == 0)
        #expect(try runPeerLens(["check"], in: dir).status == 0)
        let model = try runPeerLens(["risk", "--model", "crsis"], in: dir)
        #expect(model.status != 0)
        #expect(model.err.contains("unknown --model 'crsis': did you mean crisis?"), "\(model.err)")
        let by = try runPeerLens(["outcomes", "--by", "sesions"], in: dir)
        #expect(by.status != 0)
        #expect(by.err.contains("unknown --by 'sesions': did you mean sessions?"), "\(by.err)")
    }

    @Test("check --integrity reports SQLite's full check of a sound store, and refuses a damaged one naming it")
    func checkIntegrity() throws {
        let dir = temporaryDirectory()
        #expect(try runPeerLens(["ingest", fixture("all-types.jsonl")], in: dir).status == 0)
        let sound = try runPeerLens(["check", "--integrity", "--format", "json"], in: dir)
        #expect(sound.status == 0, "\(sound.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(sound.out.utf8)) as? [String: Any])
        let ids = (report["sections"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["store-integrity", "referential-problems"])
        #expect(!(try runPeerLens(["check", "--format", "json"], in: dir).out.contains("store-integrity")))

        // The message table's root page gets a garbage page header (the fixture's few messages leave most of the
        // page unused, so the header is what matters).
        let path = dir.appendingPathComponent("peerlens.sqlite").path
        let root = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'message'")
        }
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(try #require(root) - 1) * 8192)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8))
        try handle.close()
        for arguments in [["check", "--integrity"], ["check"], ["risk"], ["ingest", fixture("all-types.jsonl")]] {
            let damaged = try runPeerLens(arguments, in: dir)
            #expect(damaged.status != 0, "\(arguments)")
            #expect(damaged.err.contains("the store at peerlens.sqlite is damaged"), "\(arguments): \(damaged.err)")
        }
        #expect(try runPeerLens(["check", "--integrity"], in: dir).err.contains("integrity_check"))
    }

    @Test("ingest --backup copies an older store to STORE.backup-vN, says so, and upgrades it")
    func ingestBackup() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("old.sqlite").path
        try StoreSchema.migrator.migrate(try DatabaseQueue(path: path), upTo: SchemaVersion.v1.migration)
        let result = try runPeerLens(["ingest", "--backup", "--db", "old.sqlite", fixture("all-types.jsonl")], in: dir)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.err.contains("note: the store was backed up to old.sqlite.backup-v1 before it was upgraded"))
        let applied = try DatabaseQueue(path: path + ".backup-v1").read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == [SchemaVersion.v1.migration])
        #expect(try runPeerLens(["check", "--db", "old.sqlite"], in: dir).status == 0)
    }
}
