import PeerLensLog

/// One table of the store as another engine mirrors it (issue 16: Spark): its name, its columns in the store's
/// order with their SQL storage type, and its key. Derived from `StoreSchema.tables`, so that a column added to
/// the store is added to every mirror.
package struct MirroredTable: Sendable, Equatable {
    /// A column: its name, SQL storage type and whether it may be NULL.
    package struct Column: Sendable, Equatable {
        /// A column named `name` of storage type `type`, NULL allowed or not.
        package init(name: String, type: StorageType, nullable: Bool) {
            (self.name, self.type, self.nullable) = (name, type, nullable)
        }

        /// The column's name (unquoted).
        package let name: String
        /// `TEXT`, `INTEGER` or `REAL`.
        package let type: StorageType
        /// Whether NULL is allowed (not NOT NULL and not part of the key).
        package let nullable: Bool
    }

    /// The store's three storage types.
    package enum StorageType: String, Sendable, Equatable {
        /// UTF-8 text.
        case text = "TEXT"
        /// 64-bit signed integer (times in microseconds, counts, 0/1 flags).
        case integer = "INTEGER"
        /// 64-bit IEEE 754 double.
        case real = "REAL"
    }

    /// The table's name (unquoted).
    package let name: String
    /// Every column, in the store's order.
    package let columns: [Column]
    /// The primary key's columns.
    package let key: [String]
    /// The event type whose events the table holds; nil for child and bookkeeping tables.
    package let eventType: EventType?

    /// Whether the table has a `run_id` column (event and bookkeeping tables; not the child tables
    /// `member_condition` and `group_attendee`, nor `ingest_run` and the derived tables).
    package var hasRunID: Bool { columns.contains { $0.name == "run_id" } }
}

extension StoreSchema {
    /// Every table that ingestion writes, in the order the migrations create them: bookkeeping (`ingest_run`,
    /// `ingest_count`, `dropped_field`, `quarantine`), event tables and their child tables. The derived tables
    /// (`event_span`, `score_version`) are left out: a mirror computes them from the rows.
    package static var mirroredTables: [MirroredTable] {
        tables.filter { !derivedTables.contains($0.name) }.map { table in
            MirroredTable(
                name: table.name,
                columns: table.columns.map { column in
                    MirroredTable.Column(name: column.name, type: MirroredTable.StorageType(rawValue: column.type.rawValue)!,
                                         nullable: !table.isNotNull(column))
                },
                key: table.key,
                eventType: EventType(rawValue: table.name))
        }
    }

    /// Tables ingestion keeps as summaries of other tables' rows.
    static let derivedTables: Set<String> = ["event_span", "score_version"]

    /// The parent of each child table: the event table whose new rows alone bring their children in (a member's
    /// conditions, a group session's attendees), and the columns that name the parent.
    package static let childTables: [String: (parent: String, columns: [String])] = [
        "member_condition": ("member", ["member"]),
        "group_attendee": ("group_session", ["group_id", "session"]),
    ]
}
