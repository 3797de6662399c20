import GRDB
import PeerLensLog

/// The store's schema, written once: `StoreSchema.tables` describes every table (columns with SQL type,
/// nullability and CHECKs, keys, the migration that added each), and the GRDB migrations, the ingest row
/// layout (`RowLayout`) and the insert statements (`EventInserter`) are generated from it. `SchemaTests`
/// checks the binds of `RowLayout.bindRow` against it, and that the shipped migrations still create, byte for
/// byte, the schema they created when they shipped; `RecordTests` that every event read back from its row
/// (`StoredEvents.swift`) equals the event ingested.
///
/// Conventions: `ts` columns hold microseconds since 1970-01-01T00:00:00Z
/// (UTC); closed vocabularies are checked by `CHECK` constraints; every event
/// row records the ingest run (`run_id`) that stored it. Referential links
/// (a score's message, a reply's parent) are deliberately not foreign keys:
/// events may arrive in any order, and `peerlens check` reports gaps.
///
/// Adding a field to an event type (after the event type and its decoder in PeerLensLog): add its column to
/// the event's table below with `since:` a new case of `SchemaVersion`. Shipped migrations never change, so the
/// new version's migration adds the column with `ALTER TABLE … ADD COLUMN`: nullable, or with a `default:`. The
/// tests then name what else to update: the binds of `RowLayout.bindRow` (`bindsMatchColumns`), the event's
/// `init(row:)` in `StoredEvents.swift` (`RecordTests`) and, when the version ships, its schema fixture
/// (`newStoreMatchesShippedSchema`).
public enum StoreSchema {
    /// The migrator that brings any store up to the current schema: one migration per `SchemaVersion`.
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for version in SchemaVersion.allCases {
            migrator.registerMigration(version.migration) { db in try apply(version, db) }
        }
        return migrator
    }

    /// Runs `version`'s migration on `db` (without recording it in `grdb_migrations`): its statements, then the
    /// rows it fills from what is already stored. Used by `migrator` and by `EventStore`, which runs every
    /// pending migration in one transaction (GRDB's migrator commits each migration on its own).
    static func apply(_ version: SchemaVersion, _ db: Database) throws {
        for sql in statements(for: version) { try db.execute(sql: sql) }
        if version == .v2 { try fillEventSpan(db) }
        if version == .v4 { try fillScoreVersions(db) }
    }

    /// The statements of `version`'s migration: the tables it adds (with their indexes), then the columns it adds
    /// to older tables.
    static func statements(for version: SchemaVersion, tables: [TableSchema] = tables) -> [String] {
        var sql: [String] = []
        for table in tables where table.since == version {
            sql.append(table.createSQL)
            sql += table.indexes.map { table.indexSQL($0) }
        }
        for table in tables where table.since < version {
            for column in table.columns where column.since == version {
                sql.append("ALTER TABLE \(quoted(table.name)) ADD COLUMN \(table.definition(of: column))")
            }
        }
        return sql
    }

    /// Migration v2 fills `event_span` from the rows already stored.
    private static func fillEventSpan(_ db: Database) throws {
        for type in EventType.allCases {
            try db.execute(sql: """
                INSERT INTO event_span (event_type, first_ts, last_ts)
                SELECT ?, min(ts), max(ts) FROM "\(type.rawValue)" HAVING count(*) > 0
                """, arguments: [type.rawValue])
        }
    }

    /// Migration v4 fills `score_version` from the scores already stored (one scan, once).
    private static func fillScoreVersions(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO score_version (model, version, scores) SELECT model, version, count(*) FROM score GROUP BY model, version")
    }

    /// Every table, in the order the migrations create them.
    static let tables: [TableSchema] = [
        TableSchema("ingest_run", key: ["id"], [
            .integer("id"),
            .text("file", .notNull),
            .text("sha256", .notNull, .sql("length(sha256) = 64")),
            .text("format", .notNull, .oneOf(["jsonl", "csv"])),
            .text("started_at", .notNull),
            .real("duration_s", .notNull, .atLeastZero),
            .text("tool_version", .notNull),
            .integer("records", .notNull, .atLeastZero),
            .integer("accepted", .notNull, .atLeastZero),
            .integer("duplicates", .notNull, .atLeastZero),
            .integer("rejected", .notNull, .atLeastZero),
            .integer("dropped_fields", .notNull, .atLeastZero),
        ], checks: ["records = accepted + duplicates + rejected"], withoutRowID: false),
        TableSchema("ingest_count", key: ["run_id", "event_type"], [
            .runOfBookkeeping,
            .text("event_type", .notNull),
            .integer("accepted", .notNull, .atLeastZero),
            .integer("duplicates", .notNull, .atLeastZero),
            .integer("rejected", .notNull, .atLeastZero),
        ]),
        TableSchema("dropped_field", key: ["run_id", "field"], [
            .runOfBookkeeping,
            .text("field", .notNull),
            .integer("count", .notNull, .positive),
        ]),
        TableSchema("quarantine", key: ["id"], [
            .integer("id"),
            .runOfBookkeeping,
            .integer("line", .notNull, .positive),
            .text("event_type"),
            .text("category", .notNull),
            .text("reason", .notNull),
        ], withoutRowID: false, indexes: [("quarantine_run", ["run_id", "line"])]),

        .event(.member, key: ["member"], [
            .text("member"),
            .ts,
            .text("role", .notNull, .oneOf(Role.self)),
            .text("region", .nullable, .sql("(length(region) = 2 AND region = upper(region))")),
            .text("language"),
            .text("age_band", .nullable, .oneOf(AgeBand.self)),
            .text("gender"),
            .text("culture"),
            .text("resource_setting", .nullable, .oneOf(ResourceSetting.self)),
            .integer("research_consent", .notNull, .flag),
            .text("cohort"),
        ]),
        TableSchema("member_condition", key: ["member", "condition"], [
            .text("member", .notNull),
            .text("condition", .notNull, .oneOf(Condition.self)),
        ]),
        .event(.message, key: ["id"], [
            .text("id"),
            .ts,
            .text("member", .notNull),
            .text("space", .notNull),
            .text("thread", .notNull),
            .text("reply_to"),
            .integer("chars", .notNull, .atLeastZero),
        ]),
        .event(.score, key: ["message", "model", "version"], [
            .text("message", .notNull),
            .text("model", .notNull),
            .text("version", .notNull),
            .ts,
            .real("score", .notNull, .unitInterval),
        ]),
        .event(.review, key: ["message", "kind", "reviewer_role", "ts"], [
            .text("message", .notNull),
            .text("kind", .notNull, .oneOf(ReviewKind.self)),
            .text("reviewer_role", .notNull),
            .ts,
            .text("severity", .nullable, .oneOf(Severity.self)),
            .integer("positive", .nullable, .flag),
            .real("weight", .nullable, .positive),
        ], checks: ["severity IS NOT NULL OR positive IS NOT NULL"]),
        .event(.alert, key: ["id"], [
            .text("id"),
            .ts,
            .text("message", .notNull),
            .text("member", .notNull),
            .text("model", .notNull),
            .text("version", .notNull),
            .real("score", .notNull, .unitInterval),
            .real("threshold", .notNull, .unitInterval),
        ]),
        .event(.response, key: ["alert", "responder", "ts"], [
            .text("alert", .notNull),
            .text("responder", .notNull),
            .ts,
            .text("responder_role", .notNull, .oneOf(ResponderRole.self)),
            .text("outcome", .notNull, .oneOf(ResponseOutcome.self)),
        ]),
        .event(.followup, key: ["alert", "ts"], [
            .text("alert", .notNull),
            .ts,
            .integer("completed", .notNull, .flag),
        ]),
        .event(.moderation, key: ["id"], [
            .text("id"),
            .ts,
            .text("message"),
            .text("member"),
            .text("action", .notNull, .oneOf(ModerationAction.self)),
            .text("layer", .notNull, .oneOf(ModerationLayer.self)),
            .text("reason", .notNull, .oneOf(ModerationReason.self)),
        ], checks: ["message IS NOT NULL OR member IS NOT NULL"]),
        .event(.appeal, key: ["moderation", "ts"], [
            .text("moderation", .notNull),
            .ts,
            .text("outcome", .notNull, .oneOf(AppealOutcome.self)),
        ]),
        .event(.match, key: ["id"], [
            .text("id"),
            .ts,
            .text("seeker", .notNull),
            .text("peer", .notNull),
            .text("kind", .notNull, .oneOf(MatchKind.self)),
            .real("score", .notNull, .unitInterval),
        ] + MatchComponents.fieldNames.map { .real($0, .notNull, .unitInterval) } + [
            .integer("accepted", .notNull, .flag),
        ]),
        .event(.matchEnd, key: ["match"], [
            .text("match"),
            .ts,
            .integer("sessions", .notNull, .atLeastZero),
            .integer("rating", .nullable, .between("1", "5")),
            .text("reason", .notNull, .oneOf(MatchEndReason.self)),
        ]),
        .event(.groupSession, key: ["group_id", "session"], [
            .text("group_id", .notNull),
            .text("session", .notNull),
            .ts,
            .text("facilitator", .notNull),
            .text("focus", .notNull),
            .integer("attendee_count", .notNull, .atLeastZero),
        ]),
        TableSchema("group_attendee", key: ["group_id", "session", "member"], [
            .text("group_id", .notNull),
            .text("session", .notNull),
            .text("member", .notNull),
        ]),
        .event(.checkin, key: ["member", "instrument", "ts"], [
            .text("member", .notNull),
            .text("instrument", .notNull),
            .ts,
            .real("score", .notNull),
            // The instrument's self-harm item (PHQ-9 item 9 0–3, CORE-10 item 6 0–4); the decoder checks the
            // instrument's own range, the CHECK the widest one.
            .integer("risk_item", .nullable, .between("0", "100"), since: .v3),
        ]),
        .event(.skill, key: ["member", "framework", "skill", "ts"], [
            .text("member", .notNull),
            .text("framework", .notNull, .oneOf(SkillFramework.self)),
            .text("skill", .notNull),
            .ts,
            .integer("completed", .notNull, .flag),
        ]),
        .event(.training, key: ["member", "course", "ts"], [
            .text("member", .notNull),
            .text("course", .notNull),
            .ts,
            .integer("completed", .notNull, .flag),
        ]),
        .event(.activity, key: ["member", "ts"], [
            .text("member", .notNull),
            .ts,
            .real("duration_s", .notNull, .atLeastZero),
        ]),

        // The earliest and latest `ts` of each event table, kept by ingestion (`EventInserter`) in the same
        // transaction as the rows, so that the span of the data is read without scanning ten million rows.
        TableSchema("event_span", key: ["event_type"], [
            .text("event_type"),
            .integer("first_ts", .notNull),
            .integer("last_ts", .notNull),
        ], checks: ["first_ts <= last_ts"], since: .v2),

        // Every (model, version) with at least one score and how many it has, kept by ingestion (`EventInserter`)
        // in the same transaction as the scores: listing models or versions, or finding the most scored version,
        // would otherwise scan every score (the key of `score` starts with the message).
        TableSchema("score_version", key: ["model", "version"], [
            .text("model", .notNull),
            .text("version", .notNull),
            .integer("scores", .notNull, .atLeastZero),
        ], since: .v4),
    ]

    /// The table named `name`.
    static func table(_ name: String) -> TableSchema {
        guard let table = tables.first(where: { $0.name == name }) else { preconditionFailure("no table \(name)") }
        return table
    }

    /// The table holding events of each type (named as the type), indexed like `EventType.allCases`.
    static let eventTables: [TableSchema] = EventType.allCases.map { table($0.rawValue) }

    /// `name` as written in SQL: quoted where it is a keyword SQLite does not take bare (`match`).
    static func quoted(_ name: String) -> String { name == "match" ? "\"match\"" : name }
}

/// A version of the schema: one GRDB migration each, applied in order. Shipped migrations never change (see
/// `SchemaTests`); a change to the schema is a new version.
enum SchemaVersion: Int, CaseIterable, Comparable, Sendable {
    /// Log format v1.
    case v1 = 1
    /// The event time span (`event_span`).
    case v2
    /// The check-in's self-harm item (`checkin.risk_item`).
    case v3
    /// The scored models and versions (`score_version`).
    case v4

    /// The migration's identifier, as recorded in `grdb_migrations`.
    var migration: String {
        switch self {
        case .v1: "v1: log format v1"
        case .v2: "v2: event time span"
        case .v3: "v3: check-in risk item"
        case .v4: "v4: scored model versions"
        }
    }

    static func < (a: SchemaVersion, b: SchemaVersion) -> Bool { a.rawValue < b.rawValue }
}

/// One table of the store.
struct TableSchema: Sendable {
    /// The table's name (unquoted).
    let name: String
    /// The columns, in the order a row is bound (`RowLayout`) and, within one schema version, created.
    let columns: [ColumnSchema]
    /// The primary key: a single column is declared `PRIMARY KEY` on the column, several as a table constraint.
    let key: [String]
    /// Table-level CHECK conditions.
    let checks: [String]
    /// `WITHOUT ROWID` (every table but those with an integer row id).
    let withoutRowID: Bool
    /// Indexes: name and columns.
    let indexes: [(name: String, columns: [String])]
    /// The version whose migration creates the table.
    let since: SchemaVersion

    init(_ name: String, key: [String], _ columns: [ColumnSchema], checks: [String] = [], withoutRowID: Bool = true,
         indexes: [(name: String, columns: [String])] = [], since: SchemaVersion = .v1) {
        self.name = name
        self.key = key
        self.columns = columns
        self.checks = checks
        self.withoutRowID = withoutRowID
        self.indexes = indexes
        self.since = since
    }

    /// The table of an event type: named as the type, `columns`, then the ingest run that stored the row (`run_id`).
    static func event(_ type: EventType, key: [String], _ columns: [ColumnSchema], checks: [String] = []) -> TableSchema {
        TableSchema(type.rawValue, key: key, columns + [.integer("run_id", .notNull)], checks: checks)
    }

    /// Whether `column` is never NULL: declared NOT NULL, or part of the primary key.
    func isNotNull(_ column: ColumnSchema) -> Bool { column.notNull || key.contains(column.name) }

    /// The column's definition in CREATE TABLE and ALTER TABLE.
    func definition(of column: ColumnSchema) -> String {
        var parts = [StoreSchema.quoted(column.name), column.type.rawValue]
        let soleKey = key == [column.name]
        if soleKey { parts.append("PRIMARY KEY") } else if column.notNull { parts.append("NOT NULL") }
        if let value = column.defaultValue { parts.append("DEFAULT \(value)") }
        if let references = column.references { parts.append("REFERENCES \(references)") }
        if let check = column.check {
            let condition = check.condition(column.name)
            parts.append(isNotNull(column) ? "CHECK (\(condition))" : "CHECK (\(column.name) IS NULL OR \(condition))")
        }
        return parts.joined(separator: " ")
    }

    /// The CREATE TABLE statement of the table's own migration (columns added later are not in it).
    var createSQL: String {
        var lines = columns.filter { ($0.since ?? since) == since }.map(definition(of:))
        lines += checks.map { "CHECK (\($0))" }
        if key.count > 1 { lines.append("PRIMARY KEY (\(key.map(StoreSchema.quoted).joined(separator: ", ")))") }
        return "CREATE TABLE \(StoreSchema.quoted(name)) (\n" + lines.map { "    " + $0 }.joined(separator: ",\n") + "\n)"
            + (withoutRowID ? " WITHOUT ROWID" : "")
    }

    /// The CREATE INDEX statement of one of `indexes`.
    func indexSQL(_ index: (name: String, columns: [String])) -> String {
        "CREATE INDEX \(index.name) ON \(StoreSchema.quoted(name))(\(index.columns.map(StoreSchema.quoted).joined(separator: ", ")))"
    }
}

/// One column of a table.
struct ColumnSchema: Sendable {
    /// SQLite storage types used by the store.
    enum SQLType: String, Sendable { case text = "TEXT", integer = "INTEGER", real = "REAL" }
    /// Whether NULL is refused.
    enum Nullability: Sendable { case nullable, notNull }

    /// The column's name (unquoted).
    let name: String
    let type: SQLType
    let notNull: Bool
    /// The DEFAULT value, as SQL.
    let defaultValue: String?
    /// A CHECK on non-null values (a nullable column's CHECK lets NULL through).
    let check: Check?
    /// A foreign key: `table(column) …`.
    let references: String?
    /// The version whose migration adds the column; nil: its table's.
    let since: SchemaVersion?

    static func text(_ name: String, _ nullability: Nullability = .nullable, _ check: Check? = nil, default value: String? = nil,
                     since: SchemaVersion? = nil) -> ColumnSchema {
        ColumnSchema(name: name, type: .text, notNull: nullability == .notNull, defaultValue: value, check: check, references: nil, since: since)
    }
    static func integer(_ name: String, _ nullability: Nullability = .nullable, _ check: Check? = nil, default value: String? = nil,
                     since: SchemaVersion? = nil) -> ColumnSchema {
        ColumnSchema(name: name, type: .integer, notNull: nullability == .notNull, defaultValue: value, check: check, references: nil, since: since)
    }
    static func real(_ name: String, _ nullability: Nullability = .nullable, _ check: Check? = nil, default value: String? = nil,
                     since: SchemaVersion? = nil) -> ColumnSchema {
        ColumnSchema(name: name, type: .real, notNull: nullability == .notNull, defaultValue: value, check: check, references: nil, since: since)
    }
    /// The event's time, `ts`: microseconds since 1970-01-01T00:00:00Z (UTC).
    static let ts = ColumnSchema.integer("ts", .notNull)
    /// `run_id` of a bookkeeping table: its rows go with their run.
    static let runOfBookkeeping = ColumnSchema(name: "run_id", type: .integer, notNull: true, defaultValue: nil, check: nil,
                                               references: "ingest_run(id) ON DELETE CASCADE", since: nil)
}

/// A CHECK on one column's values.
enum Check: Sendable {
    /// One of the listed spellings (written as an OR chain: SQLite evaluates `x IN (…)` in a CHECK through an
    /// ephemeral index built per statement, which tripled the cost of a single-row insert).
    case oneOf([String])
    /// 0 or 1 (a boolean).
    case flag
    /// Between two values (inclusive), as written.
    case between(String, String)
    /// The column compared with a value: `.compare(">= 0")`.
    case compare(String)
    /// Any condition, written out with the column's name.
    case sql(String)

    /// One of the spellings of a closed vocabulary.
    static func oneOf<E: RawRepresentable & CaseIterable>(_: E.Type) -> Check where E.RawValue == String {
        .oneOf(E.allCases.map(\.rawValue))
    }
    /// In [0, 1].
    static let unitInterval = Check.between("\(0.0)", "\(1.0)")
    /// Not negative.
    static let atLeastZero = Check.compare(">= 0")
    /// Greater than 0.
    static let positive = Check.compare("> 0")

    /// The condition on `column`.
    func condition(_ column: String) -> String {
        switch self {
        case let .oneOf(values): values.map { "\(column) = '\($0)'" }.joined(separator: " OR ")
        case .flag: "\(column) = 0 OR \(column) = 1"
        case let .between(low, high): "\(column) BETWEEN \(low) AND \(high)"
        case let .compare(comparison): "\(column) \(comparison)"
        case let .sql(condition): condition
        }
    }
}
