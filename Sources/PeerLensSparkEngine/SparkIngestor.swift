import Foundation
import GRDB
import PeerLensArrow
import PeerLensLog
import PeerLensSpark
import PeerLensStore

/// Ingests log files into a Spark warehouse (`peerlens ingest --engine sc://…`, issue 16) by the embedded
/// ingest's rules, a file wholly or not at all.
///
/// A file is first ingested into a scratch store of its own with the embedded `Ingestor`: the same decoder,
/// the same privacy refusals, the same quarantine (line, category, reason), the same SHA-256 and counts, and
/// the same rule for a key seen twice in the file (the first record wins). A file the embedded ingest refuses
/// whole never reaches Spark. Then, per table, the scratch store's rows go up as Arrow batches and are inserted
/// where their key is not already stored by a committed run (a left anti join; a child row, a member's
/// condition or a session's attendee, where its parent is not); the rows of the run are counted from its own
/// partitions, which turns the keys already stored into duplicates as the embedded ingest counts them. The
/// quarantine and counts follow, and the run's `ingest_run` row last: the commit point. Until it is written
/// nothing of the file is visible (`SparkWarehouse.committed(_:)`), so a server lost half-way leaves the tables
/// as they were to every reader; the next ingest of the file starts a new run.
///
/// One ingest at a time per warehouse: two at once are detected when they claim the same run id, and the
/// second fails.
package struct SparkIngestor: Sendable {
    /// The embedded ingest whose rules apply.
    package var ingestor: Ingestor
    /// The session with the server.
    package let client: SparkConnectClient
    /// Where the rows go.
    package let warehouse: SparkWarehouse
    /// The most rows one upload carries.
    package var rowsPerUpload = 100_000
    /// About the most bytes one upload carries (the server holds an upload in the driver's memory).
    package var bytesPerUpload = 16 << 20

    /// An ingestor applying `ingestor`'s rules, writing into `warehouse` through `client`.
    package init(ingestor: Ingestor, client: SparkConnectClient, warehouse: SparkWarehouse = SparkWarehouse()) {
        self.ingestor = ingestor
        self.client = client
        self.warehouse = warehouse
    }

    /// What an upload has done so far, for a progress line.
    package struct UploadProgress: Sendable {
        /// The table whose rows go up.
        package var table: String
        /// Rows of it sent so far.
        package var rowsSent: Int
        /// Its rows in all.
        package var rows: Int
    }

    /// Ingests `path`: validates it into a scratch store (reporting `progress` as the embedded ingest does),
    /// then stores its new rows in the warehouse (reporting `uploadProgress` per upload) and commits the run.
    ///
    /// - Returns: The file's summary, its counts as the warehouse saw them (an event already stored there is a
    ///   duplicate) and the run id of the warehouse.
    /// - Throws: `StoreError` when the file is refused (nothing reached Spark), `SparkError` when the warehouse
    ///   fails (nothing of the file is visible), `SparkEngineError.concurrentIngest` when another ingest took the run id.
    package func ingest(path: String, progress: ((IngestProgress) -> Void)? = nil,
                        uploadProgress: ((UploadProgress) -> Void)? = nil) async throws -> FileSummary {
        let clock = ContinuousClock.now
        let scratchDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("peerlens-spark-ingest-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratchDirectory) }
        let scratch = try EventStore(path: scratchDirectory.appendingPathComponent("file.sqlite").path, mode: .readWrite)
        var summary = try ingestor.ingest(path: path, into: scratch, progress: progress)
        guard let scratchRun = try scratch.ingestRuns().first else {
            preconditionFailure("the scratch store of \(path) has no ingest run after a successful ingest")
        }

        try await warehouse.prepare(using: client)
        let run = try await claimRun(file: path, startedAt: scratchRun.startedAt)
        var stored: [EventType: Int] = [:]
        for table in SparkWarehouse.tables where SparkWarehouse.isPartitioned(table) {
            let sent = try await upload(table, from: scratch, run: run, progress: uploadProgress)
            if sent > 0, let type = table.eventType {
                stored[type] = try await count("SELECT count(*) AS n FROM \(warehouse.qualified(table.name)) WHERE run_id = \(run)",
                                               label: "counting the new \(table.name) rows")
            }
        }

        // The warehouse's view of the counts: events new to the file but already stored there are duplicates.
        for index in summary.byType.indices {
            guard let type = EventType(rawValue: summary.byType[index].eventType) else { continue }
            let new = stored[type] ?? 0
            summary.byType[index].duplicates += summary.byType[index].accepted - new
            summary.byType[index].accepted = new
        }
        summary.accepted = summary.byType.reduce(0) { $0 + $1.accepted }
        summary.duplicates = summary.byType.reduce(0) { $0 + $1.duplicates }
        summary.runID = run
        summary.durationSeconds = (ContinuousClock.now - clock).seconds

        try await storeBookkeeping(of: summary, scratch: scratch, run: run, startedAt: scratchRun.startedAt)
        return summary
    }

    /// Claims the next run id by recording the attempt: ids are never reused, even after a failed attempt.
    private func claimRun(file: String, startedAt: String) async throws -> Int64 {
        let attempts = warehouse.qualified(SparkWarehouse.attemptTable)
        let run = try await count("SELECT coalesce(max(id), 0) AS n FROM \(attempts)", label: "reading the last ingest attempt") + 1
        var row = ArrowRows(columns: [.init(name: "id", type: .integer, nullable: false), .init(name: "file", type: .text, nullable: false),
                                      .init(name: "started_at", type: .text, nullable: false)])
        row.append(values: [run, file, startedAt])
        try await client.createTemporaryView("peerlens_attempt", arrowStream: try row.arrowStream(), label: "recording the ingest attempt")
        _ = try await client.sql("INSERT INTO \(attempts) SELECT id, file, started_at FROM peerlens_attempt",
                                           label: "recording the ingest attempt")
        // Afresh: another ingest's claim, written since this session last listed the table, must be seen.
        _ = try await client.sql("REFRESH TABLE \(attempts)", label: "checking the ingest attempt")
        let claims = try await count("SELECT count(*) AS n FROM \(attempts) WHERE id = \(run)", label: "checking the ingest attempt")
        guard claims == 1 else { throw SparkEngineError.concurrentIngest(file: file, run: Int64(run)) }
        return Int64(run)
    }

    /// Sends the rows of `table` in the scratch store up in parts and inserts those whose key (a child row: whose
    /// parent's key) no committed run stored. Returns the rows sent.
    private func upload(_ table: MirroredTable, from scratch: EventStore, run: Int64,
                        progress: ((UploadProgress) -> Void)?) async throws -> Int {
        let columns = SparkWarehouse.sparkColumns(table).filter { $0.name != "run_id" }
        let total = try scratch.read("counting the \(table.name) rows of the file") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(SparkSQL.sqliteIdentifier(table.name))") ?? 0
        }
        guard total > 0 else { return 0 }
        let selected = columns.map { SparkSQL.sqliteIdentifier($0.name) }.joined(separator: ", ")
        let keyList = table.key.map(SparkSQL.sqliteIdentifier).joined(separator: ", ")
        var after: [DatabaseValue]? = nil
        var sent = 0
        while sent < total {
            // Key order, one part after the other (keyset pagination on the primary key: no OFFSET rescans).
            var rows = ArrowRows(columns: columns)
            var lastKey: [DatabaseValue]? = nil
            try scratch.read("reading the \(table.name) rows of the file") { db in
                var sql = "SELECT \(selected) FROM \(SparkSQL.sqliteIdentifier(table.name))"
                var arguments = StatementArguments()
                if let after {
                    sql += " WHERE (\(keyList)) > (\(Array(repeating: "?", count: after.count).joined(separator: ", ")))"
                    arguments = StatementArguments(after.map { $0 as (any DatabaseValueConvertible)? })
                }
                sql += " ORDER BY \(keyList)"
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while rows.count < rowsPerUpload, rows.bytes < bytesPerUpload, let row = try cursor.next() {
                    rows.append(row)
                    lastKey = table.key.map { row[$0] as DatabaseValue }
                }
            }
            guard rows.count > 0, let lastKey else { break }
            after = lastKey
            try await insert(rows, into: table, run: run)
            sent += rows.count
            progress?(UploadProgress(table: table.name, rowsSent: sent, rows: total))
        }
        return sent
    }

    /// Uploads `rows` of `table` and inserts those not already stored by a committed run, as run `run`.
    private func insert(_ rows: ArrowRows, into table: MirroredTable, run: Int64) async throws {
        let stage = "peerlens_stage"
        try await client.createTemporaryView(stage, arrowStream: try rows.arrowStream(), label: "sending \(table.name) rows")
        let selected = rows.columns.map { "s." + SparkSQL.identifier($0.name) }.joined(separator: ", ")
        var statement = "INSERT INTO \(warehouse.qualified(table.name)) SELECT \(selected), CAST(\(run) AS BIGINT) AS run_id FROM \(stage) s"
        let keys: [String]
        let stored: String
        if let child = StoreSchema.childTables[table.name] {
            (keys, stored) = (child.columns, child.parent)
        } else {
            (keys, stored) = (table.key, table.name)
        }
        let keyList = keys.map(SparkSQL.identifier).joined(separator: ", ")
        let matches = keys.map { "s.\(SparkSQL.identifier($0)) = c.\(SparkSQL.identifier($0))" }.joined(separator: " AND ")
        statement += " LEFT ANTI JOIN (SELECT DISTINCT \(keyList) FROM (\(warehouse.committed(stored))) v) c ON \(matches)"
        _ = try await client.sql(statement, label: "storing the new \(table.name) rows")
    }

    /// Writes the run's bookkeeping rows (counts by event type, dropped fields, quarantine), then its
    /// `ingest_run` row: the commit point.
    private func storeBookkeeping(of summary: FileSummary, scratch: EventStore, run: Int64, startedAt: String) async throws {
        let byTable = Dictionary(uniqueKeysWithValues: SparkWarehouse.tables.map { ($0.name, $0) })
        // Counts by event type, as the warehouse saw them.
        var counts = ArrowRows(columns: SparkWarehouse.sparkColumns(byTable["ingest_count"]!).filter { $0.name != "run_id" })
        for type in summary.byType {
            counts.append(values: [type.eventType, type.accepted, type.duplicates, type.rejected])
        }
        try await insertBookkeeping(counts, into: "ingest_count", run: run)
        // Dropped fields and the quarantine, from the scratch store; quarantine ids continue the warehouse's.
        var dropped = ArrowRows(columns: SparkWarehouse.sparkColumns(byTable["dropped_field"]!).filter { $0.name != "run_id" })
        try scratch.read("reading the dropped fields of the file") { db in
            for row in try Row.fetchAll(db, sql: "SELECT field, count FROM dropped_field ORDER BY field") { dropped.append(row) }
        }
        try await insertBookkeeping(dropped, into: "dropped_field", run: run)
        let firstQuarantineID = try await count("SELECT coalesce(max(id), 0) AS n FROM (\(warehouse.committed("quarantine"))) q",
                                                label: "reading the last quarantine id")
        try await storeQuarantine(from: scratch, idOffset: firstQuarantineID, run: run)
        // The commit point.
        var runRow = ArrowRows(columns: SparkWarehouse.sparkColumns(byTable["ingest_run"]!))
        runRow.append(values: [run, summary.file, summary.sha256, summary.format, startedAt, summary.durationSeconds, ingestor.toolVersion,
                               summary.records, summary.accepted, summary.duplicates, summary.rejected, summary.droppedFields])
        try await client.createTemporaryView("peerlens_run", arrowStream: try runRow.arrowStream(), label: "committing the ingest run")
        _ = try await client.sql("INSERT INTO \(warehouse.qualified("ingest_run")) SELECT * FROM peerlens_run",
                                           label: "committing the ingest run")
    }

    /// The scratch store's quarantine, in parts, its ids continuing the warehouse's (after `idOffset`).
    private func storeQuarantine(from scratch: EventStore, idOffset: Int, run: Int64) async throws {
        let table = SparkWarehouse.tables.first { $0.name == "quarantine" }!
        var done = 0
        while true {
            var part = ArrowRows(columns: SparkWarehouse.sparkColumns(table).filter { $0.name != "run_id" })
            try scratch.read("reading the quarantine of the file") { db in
                let cursor = try Row.fetchCursor(db, sql: "SELECT id + ?, line, event_type, category, reason FROM quarantine ORDER BY id LIMIT ? OFFSET ?",
                                                 arguments: [idOffset, rowsPerUpload, done])
                while let row = try cursor.next() { part.append(row) }
            }
            if part.count == 0 { return }
            try await insertBookkeeping(part, into: "quarantine", run: run)
            done += part.count
        }
    }

    /// Uploads bookkeeping `rows` (all columns but `run_id`) and appends them to `table` as run `run`.
    private func insertBookkeeping(_ rows: ArrowRows, into table: String, run: Int64) async throws {
        guard rows.count > 0 else { return }
        try await client.createTemporaryView("peerlens_bookkeeping", arrowStream: try rows.arrowStream(), label: "sending the \(table) rows")
        let selected = rows.columns.map { SparkSQL.identifier($0.name) }.joined(separator: ", ")
        _ = try await client.sql(
            "INSERT INTO \(warehouse.qualified(table)) SELECT \(selected), CAST(\(run) AS BIGINT) AS run_id FROM peerlens_bookkeeping",
            label: "storing the \(table) rows")
    }

    /// The single integer column `n` of a one-row result.
    private func count(_ statement: String, label: String) async throws -> Int {
        let values = try DecodedResult(try await client.sql(statement, label: label)).integers("n")
        guard values.count == 1, let value = values[0] else {
            throw SparkError.protocolViolation(url: client.url.description, operation: label,
                                               detail: "expected one count, got \(values.count) rows")
        }
        return Int(value)
    }
}

extension SparkSQL {
    /// `name` quoted for SQLite (the scratch store): double quotes, doubled.
    static func sqliteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
