import GRDB

extension EventStore {
    /// The tables that record how events arrived (ingest runs, their counts, dropped fields and quarantined
    /// records) rather than which events are stored.
    package static let bookkeepingTables: Set<String> = ["ingest_run", "ingest_count", "dropped_field", "quarantine"]

    /// The SHA-256 of the store's content: every row of every table but the bookkeeping ones (and SQLite's and
    /// GRDB's own), without the `run_id` column, each table's rows as text sorted, tables by name.
    ///
    /// Two stores holding the same events have the same fingerprint however the events arrived: in one file or
    /// several, in any order of files or records, compressed or not, as JSON Lines or CSV, ingested once or again.
    /// The property tests of ingestion (issue 15) compare stores by it. It reads every row: not for big stores.
    package func contentFingerprint() throws -> String {
        let text = try queue.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
                """).filter { !Self.bookkeepingTables.contains($0) }
            var parts: [String] = []
            for table in tables {
                let columns = try db.columns(in: table).map(\.name).filter { $0 != "run_id" }
                let list = columns.map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT \(list) FROM \(table.quotedDatabaseIdentifier)").map { row in
                    columns.indices.map { "\(row[$0] as DatabaseValue)" }.joined(separator: "\u{1F}")
                }.sorted()
                parts.append(table + "\n" + rows.joined(separator: "\n"))
            }
            return parts.joined(separator: "\n\u{1E}\n")
        }
        return SHA256Digest.hex(text)
    }
}
