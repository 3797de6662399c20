import Foundation
import GRDB
import Testing
@testable import PeerLensLog
@testable import PeerLensStore

/// One row of `sqlite_master`.
struct MasterRow: Codable, Equatable, FetchableRecord {
    var type: String
    var name: String
    var tbl_name: String
    var rootpage: Int?
    var sql: String?
}

/// `Fixtures/schema-v<N>.json`: `sqlite_master` of a new store (rowid order, root pages included) as the code
/// that shipped schema version N created it, with the migrations it applied. Shipped migrations never change, so
/// these files never change either: when a new `SchemaVersion` ships, add its file, written from a new store by
/// the code that ships it (`SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY rowid`, and
/// `grdb_migrations`), beside the older ones.
struct ShippedSchema: Codable {
    var note: String
    var migrations: [String]
    var sqlite_master: [MasterRow]

    /// Every shipped schema, oldest first.
    static func all() throws -> [ShippedSchema] {
        let directory = URL(fileURLWithPath: fixture(""))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix("schema-v") && $0.hasSuffix(".json") }
        return try files.map { try JSONDecoder().decode(ShippedSchema.self, from: Data(contentsOf: directory.appendingPathComponent($0))) }
            .sorted { $0.migrations.count < $1.migrations.count }
    }

    /// The latest shipped schema.
    static func latest() throws -> ShippedSchema { try all().last! }
}

func sqliteMaster(_ db: Database) throws -> [MasterRow] {
    try MasterRow.fetchAll(db, sql: "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master ORDER BY rowid")
}

func appliedMigrations(_ db: Database) throws -> [String] {
    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
}

/// A new, empty database configured as `EventStore` configures one: the page size decides where sqlite_master
/// overflows, and so the root pages.
func emptyDatabase() throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = 8192") }
    return try DatabaseQueue(path: temporaryDirectory().appendingPathComponent("empty.sqlite").path, configuration: configuration)
}

@Suite("Schema")
struct SchemaTests {
    @Test("A new store has exactly the latest shipped schema, object by object and byte by byte")
    func newStoreMatchesShippedSchema() throws {
        let shipped = try ShippedSchema.latest()
        let store = try newStore()
        try store.queue.read { db in
            let applied = try appliedMigrations(db)
            #expect(applied == shipped.migrations, """
                migrations \(applied.dropFirst(shipped.migrations.count)) have no Fixtures/schema-v<N>.json: add one \
                when the version ships (see ShippedSchema)
                """)
            guard applied == shipped.migrations else { return }
            let rows = try sqliteMaster(db)
            #expect(rows.map(\.name) == shipped.sqlite_master.map(\.name))
            for (row, expected) in zip(rows, shipped.sqlite_master) {
                #expect(row == expected, "sqlite_master differs for \(expected.name)")
            }
        }
    }

    @Test("Every shipped schema is still created exactly, and reached from a store made up to any earlier migration")
    func shippedSchemasAndUpgrades() throws {
        let all = try ShippedSchema.all()
        #expect(!all.isEmpty)
        for shipped in all {
            let last = shipped.migrations.last!
            for (i, migration) in shipped.migrations.enumerated() {
                let queue = try emptyDatabase()
                try StoreSchema.migrator.migrate(queue, upTo: migration)
                let partial = try queue.read(sqliteMaster)
                #expect(try queue.read(appliedMigrations) == Array(shipped.migrations.prefix(i + 1)))
                // Compared with the oldest shipped schema that has this migration: a later version may alter a table
                // (ALTER TABLE rewrites its CREATE statement), so a later schema's rows are not a prefix of it.
                let applied = Array(shipped.migrations.prefix(i + 1))
                let reference = all.first { $0.migrations.count >= i + 1 && Array($0.migrations.prefix(i + 1)) == applied } ?? shipped
                #expect(partial == Array(reference.sqlite_master.prefix(partial.count)), "after \(migration)")
                #expect(partial.count < reference.sqlite_master.count || reference.migrations.count == i + 1)
                try StoreSchema.migrator.migrate(queue, upTo: last)
                #expect(try queue.read(sqliteMaster) == shipped.sqlite_master, "from \(migration) up to \(last)")
            }
        }
    }
}

/// The schema written once (`StoreSchema.tables`) against what is generated from it and what is written by hand
/// beside it: the binds of `RowLayout.bindRow` (reading rows back as events: `RecordTests`).
@Suite("Schema written once")
struct SchemaDescriptionTests {
    @Test("The migrations generated from the tables are the shipped statements, in order")
    func generatedStatementsAreShipped() throws {
        let latest = try ShippedSchema.latest()
        let versions = SchemaVersion.allCases.prefix(latest.migrations.count)
        #expect(versions.map(\.migration) == latest.migrations)
        let shipped = latest.sqlite_master.filter { $0.tbl_name != "grdb_migrations" }.compactMap(\.sql)
        // A later version's ALTER TABLE … ADD COLUMN rewrites its table's CREATE statement in sqlite_master: run the
        // generated statements, version by version, and compare what SQLite records.
        let queue = try DatabaseQueue()
        let generated = try queue.write { db -> [String] in
            for version in versions { for sql in StoreSchema.statements(for: version) { try db.execute(sql: sql) } }
            return try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
        }
        #expect(generated.count == shipped.count)
        for (statement, expected) in zip(generated, shipped) { #expect(statement == expected) }
        // Versions after the first add tables or columns only by statements that create or alter.
        for version in versions.dropFirst() {
            for sql in StoreSchema.statements(for: version) {
                #expect(sql.hasPrefix("CREATE TABLE") || sql.hasPrefix("CREATE INDEX") || sql.hasPrefix("ALTER TABLE"), "\(version): \(sql)")
            }
        }
    }

    @Test("A column added in a later version is added by that version's migration, after the older columns")
    func laterColumnIsAltered() throws {
        // A made-up event table of v1, then two columns added by v2.
        let v1 = TableSchema.event(.activity, key: ["member", "ts"], [.text("member", .notNull), .ts])
        let added: [ColumnSchema] = [
            .text("pronouns", since: .v2),
            .integer("visits", .notNull, .atLeastZero, default: "0", since: .v2),
        ]
        let changed = TableSchema(v1.name, key: v1.key, v1.columns + added)
        #expect(StoreSchema.statements(for: .v1, tables: [changed]) == [v1.createSQL])
        #expect(StoreSchema.statements(for: .v2, tables: [changed]) == [
            "ALTER TABLE activity ADD COLUMN pronouns TEXT",
            "ALTER TABLE activity ADD COLUMN visits INTEGER NOT NULL DEFAULT 0 CHECK (visits >= 0)",
        ])
        #expect(RowLayout.bindOrder(changed) == ["member", "ts", "pronouns", "visits", "run_id"])
        let queue = try DatabaseQueue()
        try queue.write { db in
            for version in SchemaVersion.allCases {
                for sql in StoreSchema.statements(for: version, tables: [changed]) { try db.execute(sql: sql) }
            }
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(activity)").map { $0["name"] as String }
            #expect(columns == ["member", "ts", "run_id", "pronouns", "visits"])
        }
    }

    @Test("Every key column exists, and no column is older than its table")
    func tablesAreWellFormed() {
        for table in StoreSchema.tables {
            #expect(Set(table.key).isSubset(of: table.columns.map(\.name)), "\(table.name) key \(table.key)")
            for column in table.columns {
                #expect((column.since ?? table.since) >= table.since, "\(table.name).\(column.name)")
            }
        }
    }

    @Test("Every event type has a table named after it, with ts and run_id")
    func eventTables() {
        for type in EventType.allCases {
            let table = StoreSchema.eventTables[type.index]
            #expect(table.name == type.rawValue && EventStore.table(for: type) == table.name)
            #expect(RowLayout.columns[type.index].contains("ts") && RowLayout.columns[type.index].last == "run_id")
        }
    }

    @Test("RowLayout.bindRow binds each event's columns in order, each with its SQL type, NULL only where allowed")
    func bindsMatchColumns() throws {
        let reader = try openLogReader(path: fixture("all-types.jsonl"))
        var seen = Set<EventType>()
        while let record = try reader.next() {
            let event = try EventDecoder().decode(try record.content.get()).get().event
            seen.insert(event.type)
            let table = StoreSchema.eventTables[event.type.index]
            var sink = RecordingSink()
            RowLayout.bindRow(event, &sink)
            let columns = RowLayout.columns[event.type.index].dropLast().map { name in table.columns.first { $0.name == name }! }
            #expect(sink.bound.map(\.type) == columns.map(\.type), "\(table.name): \(sink.bound.count) values for \(columns.map(\.name))")
            for (value, column) in zip(sink.bound, columns) where value.isNull {
                #expect(!table.isNotNull(column), "\(table.name).\(column.name) bound NULL")
            }
            #expect(RowBatch(type: event.type, capacity: 1).columns == columns.count)
        }
        #expect(seen.count == EventType.allCases.count)
    }
}

/// Notes what `RowLayout.bindRow` binds.
struct RecordingSink: RowSink {
    var bound: [(type: ColumnSchema.SQLType, isNull: Bool)] = []
    mutating func bind(_ value: String?) { bound.append((.text, value == nil)) }
    mutating func bind(_ value: Int64?) { bound.append((.integer, value == nil)) }
    mutating func bind(_ value: Double?) { bound.append((.real, value == nil)) }
}
