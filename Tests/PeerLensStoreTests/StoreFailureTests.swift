import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

/// The store's own failure modes (issue 15, item 3): each is refused with a message that names the store, and
/// leaves nothing half-applied.
@Suite("Store failure modes: full, damaged, newer, older")
struct StoreFailureTests {
    /// A store at `dir/name` holding the fixture `all-types.jsonl` and a small simulated log, closed again.
    func builtStore(in dir: URL, name: String = "store.sqlite") throws -> String {
        let path = dir.appendingPathComponent(name).path
        let log = dir.appendingPathComponent("sim-\(name).jsonl").path
        try simulate(seed: 11, members: 150, days: 8, to: log)
        let store = try EventStore(path: path)
        try ingestor.ingest(path: fixture("all-types.jsonl"), into: store)
        try ingestor.ingest(path: log, into: store)
        return path
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Overwrites `count` bytes of the file at `offset` with `byte`.
    func overwrite(_ path: String, at offset: UInt64, count: Int, with byte: UInt8) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(repeating: byte, count: count))
        try handle.close()
    }

    // MARK: Disk full

    @Test("Disk full mid-ingest (SQLite's page limit): StoreError.full names the store and the file, the store is exactly as before, and still opens, analyses and ingests")
    func diskFullDuringIngest() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("store.sqlite").path
        let store = try EventStore(path: path)
        try ingestor.ingest(path: fixture("all-types.jsonl"), into: store)
        let before = try tableDump(store)
        let log = dir.appendingPathComponent("big.jsonl").path
        try simulate(seed: 3, members: 400, days: 14, to: log)

        // SQLite's limit on the database's pages stands in for a full disk: the same SQLITE_FULL, the same path.
        let pages = try store.pageCount()
        try store.queue.inDatabase { db in try db.execute(sql: "PRAGMA max_page_count = \(pages + 16)") }
        #expect {
            try ingestor.ingest(path: log, into: store)
        } throws: { error in
            guard case let StoreError.full(p, file) = error else { return false }
            let message = "\(error)"
            return p == path && file == log && message.contains(path) && message.contains("is full")
                && message.contains("nothing from \(log) was stored")
        }
        // Rolled back whole: no event, no ingest_run row, no quarantine row of the failed file.
        #expect(try tableDump(store) == before)
        #expect(try store.ingestRuns().count == 1)

        // The store still opens read-only (with its quick check), analyses, and takes the file once there is room.
        let reader = try EventStore(path: path, mode: .readOnly, integrityCheck: .always)
        #expect(try reader.eventCounts() == store.eventCounts())
        #expect(try ReferentialCheck.run(on: reader).count == ReferentialCheck.rules.count)
        #expect(try reader.integrityCheck().isEmpty)
        try store.queue.inDatabase { db in try db.execute(sql: "PRAGMA max_page_count = 4294967294") }
        let summary = try ingestor.ingest(path: log, into: store)
        #expect(summary.accepted > 0)
        #expect(try store.ingestRuns().count == 2)
    }

    // MARK: Damaged files

    @Test("A truncated store is refused as damaged by read-only and read-write opens, naming the store, and left unchanged")
    func truncatedStore() throws {
        let dir = temporaryDirectory()
        let path = try builtStore(in: dir)
        let size = try bytes(path).count
        #expect(size > 32 * 8192)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        let truncated = try bytes(path)
        for mode in [EventStore.Mode.readOnly, .readWrite] {
            #expect {
                _ = try EventStore(path: path, mode: mode)
            } throws: { error in
                guard case let StoreError.damaged(p, _) = error else { return false }
                return p == path && "\(error)".hasPrefix("the store at \(path) is damaged")
                    && "\(error)".contains("peerlens check --integrity --db \(path)")
            }
        }
        #expect(try bytes(path) == truncated)
    }

    @Test("Bytes overwritten in the middle: the quick check on open refuses the store, integrity_check lists the damage")
    func overwrittenMiddle() throws {
        let dir = temporaryDirectory()
        let path = try builtStore(in: dir)
        // The cell pointers of the message table's root page (pages are 8 KiB, numbered from 1) become garbage: the
        // header and the schema that an open reads are intact, so only the quick check can see the damage.
        let root = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'message'")
        }
        let page = UInt64(try #require(root) - 1) * 8192
        try overwrite(path, at: page + 12, count: 64, with: 0xA5)
        for mode in [EventStore.Mode.readOnly, .readWrite] {
            #expect {
                _ = try EventStore(path: path, mode: mode)
            } throws: { error in
                guard case let StoreError.damaged(p, detail) = error else { return false }
                return p == path && detail.contains("quick_check")
            }
        }
        // Above the size limit of the automatic quick check, only the header is checked on open; the full check finds it.
        // (SQLite either lists what it found or cannot walk the damaged b-tree at all: both are reported as damage.)
        let unchecked = try EventStore(path: path, mode: .readOnly, integrityCheck: .headerOnly)
        do {
            let findings = try unchecked.integrityCheck()
            #expect(!findings.isEmpty && findings.count <= 100)
        } catch let StoreError.damaged(p, detail) {
            #expect(p == path && detail.contains("integrity_check"))
        }
    }

    @Test("A garbage header: every open refuses the file as not a PeerLens store (or one with a damaged header) and writes nothing")
    func garbageHeader() throws {
        let dir = temporaryDirectory()
        let path = try builtStore(in: dir)
        try overwrite(path, at: 0, count: 100, with: 0x3F)
        let damaged = try bytes(path)
        for mode in [EventStore.Mode.readOnly, .readWrite] {
            #expect {
                _ = try EventStore(path: path, mode: mode)
            } throws: { error in
                guard case let StoreError.notAStore(p) = error else { return false }
                return p == path && "\(error)".contains("its header is damaged")
            }
        }
        #expect(try bytes(path) == damaged)
    }

    @Test("A foreign SQLite database (tables, no PeerLens migrations) is refused by a read-write open, not written into")
    func foreignDatabase() throws {
        let path = temporaryDirectory().appendingPathComponent("other.sqlite").path
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE notes (body TEXT)") }
        let before = try bytes(path)
        #expect {
            _ = try EventStore(path: path, mode: .readWrite)
        } throws: { error in
            guard case let StoreError.notAStore(p) = error else { return false }
            return p == path
        }
        #expect(try bytes(path) == before)
    }

    @Test("The automatic quick check runs on stores up to 128 MiB")
    func quickCheckLimit() {
        #expect(EventStore.quickCheckSizeLimit == 128 * 1024 * 1024)
    }

    // MARK: Newer and older stores

    @Test("A store written by a newer PeerLens is refused by every open, naming both schema versions and the writer, and left unchanged")
    func newerStore() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("future.sqlite").path
        do {
            let store = try EventStore(path: path)
            try Ingestor(toolVersion: "9.1.0").ingest(path: fixture("all-types.jsonl"), into: store)
            try store.queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v5: from the future')") }
        }
        let before = try bytes(path)
        let expected = SchemaVersion.allCases.count
        for mode in [EventStore.Mode.readOnly, .readWrite] {
            #expect {
                _ = try EventStore(path: path, mode: mode, backupBeforeUpgrading: true)
            } throws: { error in
                guard case let StoreError.schemaMismatch(p, found, wanted, newer, writer) = error else { return false }
                let message = "\(error)"
                return p == path && newer && found == expected + 1 && wanted == expected && writer == "9.1.0"
                    && message.contains("store schema v\(expected + 1), last ingest by PeerLens 9.1.0")
                    && message.contains("this PeerLens reads schema v\(expected) and older")
            }
        }
        #expect(try bytes(path) == before)
        #expect(!FileManager.default.fileExists(atPath: EventStore.backupPath(of: path, schemaVersion: expected + 1)))
    }

    /// A store of schema v1 holding one message, written by the v1 migration only.
    func v1Store(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: SchemaVersion.v1.migration)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO message (id, ts, member, space, thread, reply_to, chars, run_id) VALUES ('m1', 1000, 'a', 's', 't', NULL, 12, 1)
                """)
        }
    }

    func appliedMigrations(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    @Test("An older store is upgraded in one transaction: when a later migration fails, none of the earlier ones is applied")
    func upgradeIsAllOrNothing() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("v1.sqlite").path
        try v1Store(at: path)
        // Forced failure: v4's table already exists with other columns, so migration v4 fails after v2 and v3 ran.
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE score_version (unrelated INTEGER)") }
        let before = try bytes(path)
        #expect {
            _ = try EventStore(path: path, mode: .readWrite)
        } throws: { error in
            guard case let StoreError.migrationFailed(p, from, to, _) = error else { return false }
            let message = "\(error)"
            return p == path && from == 1 && to == SchemaVersion.allCases.count
                && message.contains("nothing of it was applied and the store is still at schema v1")
        }
        // Nothing of v2 or v3 is left: no event_span table, no risk_item column, only v1 recorded.
        #expect(try bytes(path) == before)
        #expect(try appliedMigrations(path) == [SchemaVersion.v1.migration])
        let (hasSpan, hasRiskItem) = try DatabaseQueue(path: path).read { db in
            (try db.tableExists("event_span"), try db.columns(in: "checkin").contains { $0.name == "risk_item" })
        }
        #expect(!hasSpan && !hasRiskItem)
        // Without the obstacle the same store upgrades, all migrations at once, and keeps its message.
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "DROP TABLE score_version") }
        let store = try EventStore(path: path)
        #expect(try appliedMigrations(path) == SchemaVersion.allCases.map(\.migration))
        #expect(try store.eventCounts()[.message] == 1)
        #expect(try EventStore(path: path, mode: .readOnly).eventCounts()[.message] == 1)
    }

    @Test("--backup copies an older store to STORE.backup-vN before upgrading it; the copy is the old store, intact")
    func backupBeforeUpgrade() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("old.sqlite").path
        try v1Store(at: path)
        let store = try EventStore(path: path, backupBeforeUpgrading: true)
        let backup = try #require(store.backupPath)
        #expect(backup == path + ".backup-v1")
        #expect(try appliedMigrations(backup) == [SchemaVersion.v1.migration])
        #expect(try DatabaseQueue(path: backup).read { db in try String.fetchAll(db, sql: "SELECT id FROM message") } == ["m1"])
        #expect(try appliedMigrations(path) == SchemaVersion.allCases.map(\.migration))
        // A current store is not copied again, with or without --backup.
        #expect(try EventStore(path: path, backupBeforeUpgrading: true).backupPath == nil)
        // Without --backup nothing is copied.
        let other = dir.appendingPathComponent("other.sqlite").path
        try v1Store(at: other)
        #expect(try EventStore(path: other).backupPath == nil)
        #expect(!FileManager.default.fileExists(atPath: other + ".backup-v1"))
    }

    @Test("--backup never overwrites an earlier backup: the open is refused and the store is not upgraded")
    func backupExists() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("old.sqlite").path
        try v1Store(at: path)
        let target = EventStore.backupPath(of: path, schemaVersion: 1)
        try "an earlier copy".write(toFile: target, atomically: true, encoding: .utf8)
        #expect {
            _ = try EventStore(path: path, backupBeforeUpgrading: true)
        } throws: { error in
            guard case let StoreError.backupExists(p, b) = error else { return false }
            return p == path && b == target && "\(error)".contains("never overwrites a backup")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "an earlier copy")
        #expect(try appliedMigrations(path) == [SchemaVersion.v1.migration])
    }
}
