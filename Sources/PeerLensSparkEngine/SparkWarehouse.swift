import Foundation
import PeerLensArrow
import PeerLensLog
import PeerLensSpark
import PeerLensStore

/// PeerLens's tables in a Spark warehouse: their definitions and the SQL that reads and writes them.
///
/// Every table ingestion writes in the embedded store has a Spark table of the same name and columns, in one
/// database (`peerlens` by default), stored as Parquet: `TEXT` is `STRING`, `INTEGER` is `BIGINT` (times stay
/// microseconds, flags stay 0/1), `REAL` is `DOUBLE`. `run_id` comes last in every table that has it (Spark puts
/// partition columns last), and the two child tables, which have none in SQLite, get one. Event and child tables
/// are partitioned by `run_id`: an ingest writes one new partition per table, so counting what a run stored reads
/// only its own files.
///
/// **Visibility.** A run's rows become visible when its `ingest_run` row is written, last (see
/// `docs/spark-engine.md`): ingestion reads through ``committed(_:)``, which keeps the rows of committed runs, and
/// a reading session through views of the runs committed when it first read (``viewStatement(_:runs:)``).
/// Rows of a run that failed half-way stay in their partitions, invisible.
///
/// The tables are *external* (an explicit `LOCATION` under the server's warehouse directory): the Connect
/// server's catalog lives in memory, so after a restart `prepare()` registers the same files again instead of
/// failing on a managed table's existing directory.
package struct SparkWarehouse: Sendable {
    /// The Spark database holding the tables.
    package let database: String

    /// The tables, as ingestion writes them: the store's (without its derived tables), in its order.
    package static let tables: [MirroredTable] = StoreSchema.mirroredTables

    /// The table recording every ingest attempt as it starts (`id`, `file`, `started_at`): run ids are never
    /// reused, so the rows of a failed attempt can never become visible through a later run.
    static let attemptTable = "ingest_attempt"

    /// The warehouse's tables in `database`.
    package init(database: String = "peerlens") {
        self.database = database
    }

    /// `name` of this warehouse's database, quoted: `` `peerlens`.`message` ``.
    package func qualified(_ name: String) -> String { "\(SparkSQL.identifier(database)).\(SparkSQL.identifier(name))" }

    /// A query of the visible rows of `table`: those of committed runs (`ingest_run` holds only those). Callers
    /// put it in parentheses with an alias: `FROM (\(committed("message"))) m`.
    package func committed(_ table: String) -> String {
        if table == "ingest_run" { return "SELECT * FROM \(qualified(table))" }
        return "SELECT * FROM \(qualified(table)) WHERE run_id IN (SELECT id FROM \(qualified("ingest_run")))"
    }

    /// The statement that makes `table`'s name, in a session, a temporary view of the rows of runs `runs` (the
    /// committed runs as the session first read them) with the store's own columns: SQL written for the store then
    /// reads the warehouse (with double-quoted identifiers on).
    package func viewStatement(_ table: MirroredTable, runs: [Int64]) -> String {
        let columns = table.columns.map { SparkSQL.identifier($0.name) }.joined(separator: ", ")
        let key = table.name == "ingest_run" ? "id" : "run_id"
        let kept = runs.isEmpty ? "false" : "\(SparkSQL.identifier(key)) IN (\(runs.map(String.init).joined(separator: ", ")))"
        return "CREATE OR REPLACE TEMPORARY VIEW \(SparkSQL.identifier(table.name)) AS SELECT \(columns) FROM \(qualified(table.name)) WHERE \(kept)"
    }

    /// The Spark columns of `table`, in the order its rows are written: the store's columns without `run_id`,
    /// then `run_id` (added to the child tables); `ingest_run` as it is.
    package static func sparkColumns(_ table: MirroredTable) -> [MirroredTable.Column] {
        if table.name == "ingest_run" { return table.columns }
        return table.columns.filter { $0.name != "run_id" } + [MirroredTable.Column(name: "run_id", type: .integer, nullable: false)]
    }

    /// Whether `table` is partitioned by `run_id`: event and child tables (the large ones).
    package static func isPartitioned(_ table: MirroredTable) -> Bool {
        table.eventType != nil || StoreSchema.childTables[table.name] != nil
    }

    /// Spark SQL's type for a store column's storage type.
    package static func sparkType(_ type: MirroredTable.StorageType) -> String {
        switch type {
        case .text: "STRING"
        case .integer: "BIGINT"
        case .real: "DOUBLE"
        }
    }

    /// The Arrow type rows of a store column are sent as.
    package static func arrowType(_ type: MirroredTable.StorageType) -> ArrowType {
        switch type {
        case .text: .utf8
        case .integer: .int64
        case .real: .float64
        }
    }

    /// The statements that create the database and every table where they do not exist (all `IF NOT EXISTS`),
    /// under `location` (the database's directory, e.g. the server's `spark.sql.warehouse.dir` + `/peerlens.db`).
    package func createStatements(location: String) -> [String] {
        var statements = ["CREATE DATABASE IF NOT EXISTS \(SparkSQL.identifier(database)) LOCATION \(SparkSQL.string(location))"]
        for table in Self.tables {
            let columns = Self.sparkColumns(table).map { "\(SparkSQL.identifier($0.name)) \(Self.sparkType($0.type))" }
            let partitioning = Self.isPartitioned(table) ? " PARTITIONED BY (run_id)" : ""
            statements.append("CREATE TABLE IF NOT EXISTS \(qualified(table.name)) (\(columns.joined(separator: ", "))) USING parquet"
                              + partitioning + " LOCATION \(SparkSQL.string(location + "/" + table.name))")
        }
        statements.append("CREATE TABLE IF NOT EXISTS \(qualified(Self.attemptTable)) (id BIGINT, file STRING, started_at STRING) USING parquet"
                          + " LOCATION \(SparkSQL.string(location + "/" + Self.attemptTable))")
        return statements
    }

    /// The directory of this warehouse's database under the warehouse directory of the server `client` is connected
    /// to (its `spark.sql.warehouse.dir` + `/<database>.db`).
    ///
    /// - Throws: `SparkError`.
    package func location(using client: SparkConnectClient, operation: String) async throws(SparkError) -> String {
        let directory = try await client.configuration(["spark.sql.warehouse.dir"])["spark.sql.warehouse.dir"] ?? nil
        guard let directory, !directory.isEmpty else {
            throw SparkError.protocolViolation(url: client.url.description, operation: operation,
                                               detail: "the server did not report spark.sql.warehouse.dir")
        }
        return (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/\(database).db"
    }

    /// Creates the database and the tables where they do not exist, under the warehouse directory of the server
    /// `client` is connected to, and registers the partitions already on disk of every partitioned table it
    /// creates.
    ///
    /// The Connect server's catalog is in memory: after a restart the database and its tables are gone from it
    /// while their files remain. `CREATE TABLE IF NOT EXISTS … LOCATION` registers a table again, but a partitioned
    /// table then knows none of its partitions (its old runs would be invisible, and ingesting a file again would
    /// store its rows twice): `ALTER TABLE … RECOVER PARTITIONS` finds them in the table's directory.
    ///
    /// - Throws: `SparkError`.
    package func prepare(using client: SparkConnectClient) async throws(SparkError) {
        let operation = "creating the PeerLens tables"
        let location = try await location(using: client, operation: operation)
        let statements = createStatements(location: location)
        _ = try await client.sql(statements[0], label: operation)  // the database
        let listed = try await client.sql("SHOW TABLES IN \(SparkSQL.identifier(database))", label: operation)
        let registered: Set<String>
        do {
            let rows = try DecodedResult(listed)
            let names = try rows.strings("tableName"), temporary = try rows.bools("isTemporary")
            registered = Set(zip(names, temporary).compactMap { name, isTemporary in isTemporary == true ? nil : name })
        } catch {
            throw SparkError.protocolViolation(url: client.url.description, operation: operation,
                                               detail: "SHOW TABLES answered with unexpected columns (\(error))")
        }
        for statement in statements.dropFirst() {
            _ = try await client.sql(statement, label: operation)
        }
        for table in Self.tables where Self.isPartitioned(table) && !registered.contains(table.name) {
            do {
                _ = try await client.sql("ALTER TABLE \(qualified(table.name)) RECOVER PARTITIONS",
                                         label: "registering the partitions of \(table.name)")
            } catch let SparkError.server(failure) where Self.isMissingDirectory(failure) {
                continue  // a table never written to has no directory, and so no partitions
            }
        }
        // A session caches each table's file listing when it first reads it, and only its own writes renew it: a
        // session that read the tables before another ingest committed would not see that run (it read a stale
        // highest run id once, and claimed the id again). Every ingest starts from the files as they are.
        for table in Self.tables.map(\.name) + [Self.attemptTable] {
            _ = try await client.sql("REFRESH TABLE \(qualified(table))", label: "reading the PeerLens tables afresh")
        }
    }

    /// Whether `failure` says that a directory does not exist (Hadoop's `FileNotFoundException` has no error class).
    private static func isMissingDirectory(_ failure: SparkError.ServerFailure) -> Bool {
        failure.errorClass == "PATH_NOT_FOUND" || failure.exceptionClass == "java.io.FileNotFoundException"
    }

    /// Whether the server's warehouse directory holds this database's ingest runs (files that a restarted server's
    /// catalog may no longer list).
    ///
    /// - Throws: `SparkError` for anything but a missing directory.
    package func hasFiles(using client: SparkConnectClient, operation: String) async throws(SparkError) -> Bool {
        let directory = try await location(using: client, operation: operation) + "/ingest_run"
        do {
            _ = try await client.sql("SELECT count(*) AS n FROM parquet.\(SparkSQL.identifier(directory))", label: operation)
            return true
        } catch let SparkError.server(failure) where Self.isMissingDirectory(failure) {
            return false
        }
    }
}

extension SparkWarehouse {
    /// Every committed ingest run, in run order (what `EventStore.ingestRuns()` reads from SQLite): of the table, or
    /// of `relation` (a session's `ingest_run` view, which keeps the runs the session reads).
    ///
    /// - Throws: `SparkError`; `ArrowError` when a result is not what the query asks for.
    package func ingestRuns(using client: SparkConnectClient, relation: String? = nil) async throws -> [IngestRun] {
        let result = try await client.sql("""
            SELECT id, file, sha256, format, started_at, duration_s, tool_version, records, accepted, duplicates, rejected, dropped_fields
            FROM \(relation ?? qualified("ingest_run")) ORDER BY id
            """, label: "reading the ingest runs")
        var runs: [IngestRun] = []
        for batch in result.batches where batch.rowCount > 0 {
            let stream = try ArrowStream.decode(batch.ipcStream)
            let ids = try stream.int64("id"), files = try stream.string("file"), digests = try stream.string("sha256")
            let formats = try stream.string("format"), starts = try stream.string("started_at"), durations = try stream.double("duration_s")
            let versions = try stream.string("tool_version"), records = try stream.int64("records"), accepted = try stream.int64("accepted")
            let duplicates = try stream.int64("duplicates"), rejected = try stream.int64("rejected"), dropped = try stream.int64("dropped_fields")
            for row in 0..<stream.rowCount {
                runs.append(IngestRun(id: ids[row] ?? 0, file: files[row] ?? "", sha256: digests[row] ?? "", format: formats[row] ?? "",
                                      startedAt: starts[row] ?? "", durationSeconds: durations[row] ?? 0, toolVersion: versions[row] ?? "",
                                      records: Int(records[row] ?? 0), accepted: Int(accepted[row] ?? 0), duplicates: Int(duplicates[row] ?? 0),
                                      rejected: Int(rejected[row] ?? 0), droppedFields: Int(dropped[row] ?? 0)))
            }
        }
        return runs
    }
}

/// Writing Spark SQL text: identifiers and string literals. Values from the data never go into SQL text (they go
/// up as Arrow rows or named arguments); these quote PeerLens's own names and the warehouse's path.
package enum SparkSQL {
    /// `name` as a quoted identifier: `` `name` ``, a backtick doubled.
    package static func identifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// `text` as a string literal: single quotes, with `\` and `'` escaped by a backslash (Spark's escapes).
    package static func string(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
