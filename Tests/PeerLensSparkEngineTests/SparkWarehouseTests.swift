import Foundation
import GRDB
import PeerLensArrow
import PeerLensStore
import Testing
@testable import PeerLensSparkEngine

@Suite("Spark warehouse statements")
struct SparkWarehouseStatementTests {
    static let statements = SparkWarehouse().createStatements(location: "file:/w/peerlens.db")

    /// An event table: the store's columns and types in Spark's words, `run_id` last and the partition column,
    /// an external table under the database's directory.
    @Test func anEventTableMirrorsTheStoreAndIsPartitionedByRun() throws {
        let message = try #require(Self.statements.first { $0.contains("`peerlens`.`message` ") })
        #expect(message == "CREATE TABLE IF NOT EXISTS `peerlens`.`message` (`id` STRING, `ts` BIGINT, `member` STRING, `space` STRING, "
                + "`thread` STRING, `reply_to` STRING, `chars` BIGINT, `run_id` BIGINT) USING parquet PARTITIONED BY (run_id) "
                + "LOCATION 'file:/w/peerlens.db/message'")
    }

    /// A child table has no `run_id` in SQLite; in Spark it gets one (visibility goes by committed runs).
    @Test func aChildTableGetsARunID() throws {
        let attendees = try #require(Self.statements.first { $0.contains("`peerlens`.`group_attendee` ") })
        #expect(attendees.contains("(`group_id` STRING, `session` STRING, `member` STRING, `run_id` BIGINT) USING parquet PARTITIONED BY (run_id)"))
    }

    /// Bookkeeping tables keep their columns, `run_id` moved last, unpartitioned; `ingest_run` as it is.
    @Test func bookkeepingTables() throws {
        let quarantine = try #require(Self.statements.first { $0.contains("`peerlens`.`quarantine` ") })
        #expect(quarantine.contains("(`id` BIGINT, `line` BIGINT, `event_type` STRING, `category` STRING, `reason` STRING, `run_id` BIGINT) USING parquet LOCATION"))
        let runs = try #require(Self.statements.first { $0.contains("`peerlens`.`ingest_run` ") })
        #expect(runs.hasPrefix("CREATE TABLE IF NOT EXISTS `peerlens`.`ingest_run` (`id` BIGINT, `file` STRING, `sha256` STRING, "))
        #expect(!runs.contains("PARTITIONED"))
    }

    /// The database first, then every table ingestion writes (not the derived ones), then the attempts.
    @Test func everyTableOnce() {
        #expect(Self.statements.first == "CREATE DATABASE IF NOT EXISTS `peerlens` LOCATION 'file:/w/peerlens.db'")
        #expect(Self.statements.count == 1 + SparkWarehouse.tables.count + 1)
        #expect(!Self.statements.contains { $0.contains("event_span") || $0.contains("score_version") })
        #expect(Self.statements.last?.contains("`peerlens`.`ingest_attempt` (id BIGINT, file STRING, started_at STRING)") == true)
        #expect(SparkWarehouse.tables.map(\.name).contains("member_condition"))
    }

    /// What is read goes through the committed runs.
    @Test func visibleRowsAreThoseOfCommittedRuns() {
        #expect(SparkWarehouse().committed("score")
                == "SELECT * FROM `peerlens`.`score` WHERE run_id IN (SELECT id FROM `peerlens`.`ingest_run`)")
        #expect(SparkWarehouse().committed("ingest_run") == "SELECT * FROM `peerlens`.`ingest_run`")
    }

    @Test(arguments: [("plain", "`plain`"), ("with`tick", "`with``tick`")])
    func identifiersAreQuoted(_ name: String, _ quoted: String) {
        #expect(SparkSQL.identifier(name) == quoted)
    }

    @Test(arguments: [("/w/x", "'/w/x'"), ("it's", "'it\\'s'"), ("a\\b", "'a\\\\b'")])
    func stringsAreEscaped(_ text: String, _ literal: String) {
        #expect(SparkSQL.string(text) == literal)
    }
}

@Suite("Rows sent to Spark as Arrow")
struct ArrowRowsTests {
    /// Text, integer and real columns with nulls survive the encoding; an integer stored in a REAL column is read
    /// as a double, as SQLite's affinity does.
    @Test func rowsRoundTripThroughArrow() throws {
        var rows = ArrowRows(columns: [.init(name: "id", type: .text, nullable: false), .init(name: "n", type: .integer, nullable: true),
                                       .init(name: "x", type: .real, nullable: true)])
        rows.append(values: ["a", 1, 0.5])
        rows.append(values: ["bé", nil, 2])
        rows.append(values: ["", Int64.max, nil])
        #expect(rows.count == 3)
        #expect(rows.bytes == (1 + 3 + 0) + 6 * 8)
        let stream = try ArrowStream.decode(rows.arrowStream())
        #expect(stream.schema.fields.map(\.type) == [.utf8, .int64, .float64])
        #expect(try stream.string("id") == ["a", "bé", ""])
        #expect(try stream.int64("n") == [1, nil, Int64.max])
        #expect(try stream.double("x") == [0.5, 2.0, nil])
    }

    /// Rows read from a statement keep the statement's column order.
    @Test func rowsFromAStatement() throws {
        let queue = try DatabaseQueue()
        var rows = ArrowRows(columns: [.init(name: "b", type: .integer, nullable: false), .init(name: "a", type: .text, nullable: true)])
        try queue.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT 7 AS b, 'x' AS a UNION ALL SELECT 8, NULL") { rows.append(row) }
        }
        let stream = try ArrowStream.decode(rows.arrowStream())
        #expect(try stream.int64("b") == [7, 8])
        #expect(try stream.string("a") == ["x", nil])
    }
}
