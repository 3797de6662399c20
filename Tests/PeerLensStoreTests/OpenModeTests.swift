import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

@Suite("Opening a store read-only or read-write")
struct OpenModeTests {
    /// Every file in `dir`, by name.
    func files(in dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test("A read-only open of a missing path throws `missing`, says to run ingest, and creates no file")
    func missingPath() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("typo.sqlite").path
        #expect {
            _ = try EventStore(path: path, mode: .readOnly)
        } throws: { error in
            guard case StoreError.missing(let p) = error else { return false }
            return p == path
        }
        #expect(try files(in: dir).isEmpty)
        let message = "\(StoreError.missing(path: "typo.sqlite"))"
        #expect(message.hasPrefix("no store at typo.sqlite: run `peerlens ingest"))
    }

    @Test("A read-only open reads a real store, refuses to ingest into it and never writes the file")
    func readOnlyOnRealStore() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("s.sqlite").path
        let writable = try EventStore(path: path)
        try ingestor.ingest(path: fixture("all-types.jsonl"), into: writable)
        let counts = try writable.eventCounts()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let store = try EventStore(path: path, mode: .readOnly)
        #expect(store.mode == .readOnly)
        #expect(try store.eventCounts() == counts)
        #expect(try ReferentialCheck.run(on: store).count == ReferentialCheck.rules.count)
        #expect(try store.ingestRuns().count == 1)
        #expect {
            try ingestor.ingest(path: fixture("all-types.jsonl"), into: store)
        } throws: { error in
            guard case StoreError.readOnly = error else { return false }
            return true
        }
        // SQLite itself refuses writes on the connection; temporary tables still work (analyses may use them).
        #expect(throws: DatabaseError.self) { try store.queue.write { db in try db.execute(sql: "DELETE FROM member") } }
        let temp = try store.queue.inDatabase { db -> Int in
            try db.execute(sql: "CREATE TEMP TABLE t AS SELECT member FROM member")
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM t") ?? 0
        }
        #expect(temp == counts[.member])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try files(in: dir) == ["s.sqlite"])
    }

    @Test("A read-only open refuses an empty file and a file that is not SQLite as not a PeerLens store")
    func notAStore() throws {
        let dir = temporaryDirectory()
        let empty = dir.appendingPathComponent("empty.sqlite").path, text = dir.appendingPathComponent("notes.sqlite").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        try "not a database, but long enough to have a header of one: ".appending(String(repeating: "x", count: 200))
            .write(toFile: text, atomically: true, encoding: .utf8)
        for path in [empty, text] {
            #expect {
                _ = try EventStore(path: path, mode: .readOnly)
            } throws: { error in
                guard case StoreError.notAStore(let p) = error else { return false }
                return p == path
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
    }

    @Test("A read-only open refuses a store of an older schema (read-write migrates it) and of a newer one")
    func schemaVersions() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.migrator.migrations[0])
        }
        let expected = StoreSchema.migrator.migrations.count
        #expect {
            _ = try EventStore(path: path, mode: .readOnly)
        } throws: { error in
            guard case let StoreError.schemaMismatch(p, found, wanted, newer, _) = error else { return false }
            return p == path && found == 1 && wanted == expected && !newer
                && "\(error)".contains("written by an older PeerLens (schema v1; this version reads v\(expected))")
                && "\(error)".contains("run `peerlens ingest --db \(path)")
        }
        // The read-write open (ingest) migrates it; then read-only opens work.
        _ = try EventStore(path: path, mode: .readWrite)
        let store = try EventStore(path: path, mode: .readOnly)
        #expect(try store.eventCounts().values.allSatisfy { $0 == 0 })

        // A migration this version does not know: written by a newer PeerLens.
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99: from the future')") }
        #expect {
            _ = try EventStore(path: path, mode: .readOnly)
        } throws: { error in
            guard case let StoreError.schemaMismatch(_, found, _, newer, _) = error else { return false }
            return newer && found == expected + 1 && "\(error)".contains("newer PeerLens")
        }
    }

    @Test("A hot journal (an interrupted ingest) is refused read-only and rolled back by the next read-write open")
    func hotJournal() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try EventStore(path: path)
        try ingestor.ingest(path: fixture("all-types.jsonl"), into: store)
        let counts = try store.eventCounts()

        // Freeze a copy of the files in the middle of a write transaction whose dirty pages have spilled into the
        // database file: the copy has a hot journal, like a store whose ingest was killed.
        let copy = dir.appendingPathComponent("copy.sqlite").path
        let raw = try DatabaseQueue(path: path)
        try raw.inDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = 2")
            try db.execute(sql: "BEGIN IMMEDIATE")
            for i in 0..<2000 {
                try db.execute(sql: "INSERT INTO activity (member, ts, duration_s, run_id) VALUES (?, ?, 1, 1)",
                               arguments: ["spill-\(i)-" + String(repeating: "x", count: 200), Int64(i)])
            }
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try FileManager.default.copyItem(atPath: path + "-journal", toPath: copy + "-journal")
            try db.execute(sql: "ROLLBACK")
        }
        #expect {
            _ = try EventStore(path: copy, mode: .readOnly)
        } throws: { error in
            guard case StoreError.interruptedWrite(let p) = error else { return false }
            return p == copy && "\(error)".contains("peerlens ingest")
        }
        #expect(FileManager.default.fileExists(atPath: copy + "-journal"))
        // The ingest (read-write) open rolls the journal back: the store is as it was before the write.
        let recovered = try EventStore(path: copy, mode: .readWrite)
        #expect(try recovered.eventCounts() == counts)
        #expect(try EventStore(path: copy, mode: .readOnly).eventCounts() == counts)
    }
}
