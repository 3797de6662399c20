import Foundation
import GRPCCore
import Synchronization
import Testing
@testable import PeerLensSpark
import SparkTestSupport

@Suite("Spark Connect client without a server")
struct SparkConnectClientOfflineTests {
    /// Nothing listens on port 1 of the loopback address: the first call fails at once, naming the URL.
    ///
    /// Alone it takes 0.03 s. The limit only catches a client that waits for the server to appear: in a full run
    /// with the Spark tests, the CPU-bound tests hold the cooperative pool's two threads for minutes and this test
    /// waited 272–296 s for a thread (1 minute failed it twice on 2026-12-07).
    @Test(.timeLimit(.minutes(10)))
    func anUnreachableServerFailsWithTheURL() async throws {
        let url = try SparkConnectURL("sc://127.0.0.1:1")
        await #expect {
            try await SparkConnectClient.withConnection(to: url) { client in
                try await client.sql("SELECT 1", label: "checking the connection")
            }
        } throws: { error in
            guard case .unreachable(let failedURL, let operation, _) = error as? SparkError else { return false }
            return failedURL == "sc://127.0.0.1:1" && operation == "checking the connection"
                && String(describing: error).hasPrefix("could not reach the Spark Connect server at sc://127.0.0.1:1 while checking the connection: ")
        }
    }

    /// A host name that cannot resolve (`.invalid` is reserved for that, RFC 2606) is unreachable too (time limit: as
    /// above).
    @Test(.timeLimit(.minutes(10)))
    func anUnknownHostIsUnreachable() async throws {
        let url = try SparkConnectURL("sc://no-such-host.invalid:15002")
        await #expect {
            try await SparkConnectClient.withConnection(to: url) { client in
                try await client.setConfiguration(["spark.sql.session.timeZone": "UTC"])
            }
        } throws: { error in
            guard case .unreachable(let failedURL, _, _) = error as? SparkError else { return false }
            return failedURL == "sc://no-such-host.invalid:15002"
        }
    }

    @Test func errorsOfTheBodyPassThrough() async throws {
        struct Marker: Error, Equatable {}
        let url = try SparkConnectURL("sc://127.0.0.1:1")
        await #expect(throws: Marker()) {
            try await SparkConnectClient.withConnection(to: url) { _ in throw Marker() }
        }
        let value = try await SparkConnectClient.withConnection(to: url) { client in client.sessionID.count }
        #expect(value == 36)
    }

    /// The transport bounds what a client reads by `maxRequestMessageBytes` (4 MiB when unset): both limits follow
    /// the URL's `grpc_max_message_size`.
    @Test(arguments: ["sc://127.0.0.1:1", "sc://127.0.0.1:1/;grpc_max_message_size=1000"])
    func bothMessageLimitsFollowTheURL(_ text: String) async throws {
        let url = try SparkConnectURL(text)
        let options = try await SparkConnectClient.withConnection(to: url) { client in client.callOptions() }
        #expect(options.maxRequestMessageBytes == url.maxMessageSize)
        #expect(options.maxResponseMessageBytes == url.maxMessageSize)
        #expect(options.waitForReady == false)
    }
}

/// Against the local cluster (`PEERLENS_SPARK_TESTS=1`; started by the first test when it is not running).
@Suite("Spark Connect client on the local cluster", .enabled(if: sparkTestsEnabled), .serialized)
struct SparkConnectClientServerTests {
    /// Every Arrow IPC stream message starts with the continuation marker 0xFFFFFFFF.
    func expectArrowStream(_ batch: SparkArrowBatch) {
        #expect(batch.ipcStream.count > 8)
        #expect(Array(batch.ipcStream.prefix(4)) == [0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test(.timeLimit(.minutes(10)))
    func aQueryReturnsItsRowsAsArrowBatches() async throws {
        let result = try await LocalSparkCluster.withClient { client in
            try await client.sql("SELECT id, id * 2 AS twice FROM range(0, 5)")
        }
        #expect(result.rowCount == 5)
        #expect(!result.batches.isEmpty)
        result.batches.forEach(expectArrowStream)
        #expect(result.operationID.count == 36)
    }

    @Test(.timeLimit(.minutes(5)))
    func smallBatchesSplitTheResultInOrder() async throws {
        let result = try await LocalSparkCluster.withClient { client in
            try await client.setConfiguration(["spark.sql.execution.arrow.maxRecordsPerBatch": "3"])
            let value = try await client.configuration(["spark.sql.execution.arrow.maxRecordsPerBatch", "peerlens.unset.key"])
            #expect(value["spark.sql.execution.arrow.maxRecordsPerBatch"] == .some("3"))
            #expect(value["peerlens.unset.key"] == .some(nil))
            return try await client.sql("SELECT id FROM range(0, 10, 1, 1)")
        }
        #expect(result.batches.map(\.rowCount) == [3, 3, 3, 1])
        #expect(result.batches.map(\.startOffset) == [0, 3, 6, 9])
        result.batches.forEach(expectArrowStream)
    }

    /// One row of 6 MB cannot be split, so its batch's response message is over gRPC's 4 MiB default: read whole.
    @Test(.timeLimit(.minutes(5)))
    func aResponseOverFourMebibytesIsRead() async throws {
        let result = try await LocalSparkCluster.withClient { client in
            try await client.sql("SELECT repeat('x', 6000000) AS s")
        }
        #expect(result.rowCount == 1)
        #expect(result.batches.map(\.ipcStream.count).max()! > 6_000_000)
    }

    @Test(.timeLimit(.minutes(5)))
    func namedArgumentsBindValues() async throws {
        let result = try await LocalSparkCluster.withClient { client in
            try await client.sql("SELECT id FROM range(0, 100) WHERE id < :limit AND :flag AND :name = 'a'",
                                 arguments: ["limit": .int64(7), "flag": .boolean(true), "name": .string("a")])
        }
        #expect(result.rowCount == 7)
        let typedNull = try await LocalSparkCluster.withClient { client in
            try await client.sql("SELECT id FROM range(0, 100) WHERE id < coalesce(:limit, 3)", arguments: ["limit": .null(.int64)])
        }
        #expect(typedNull.rowCount == 3)
    }

    @Test(.timeLimit(.minutes(5)))
    func anEmptyResultStillCarriesItsSchema() async throws {
        let result = try await LocalSparkCluster.withClient { client in
            try await client.sql("SELECT id FROM range(0, 10) WHERE id < 0")
        }
        #expect(result.rowCount == 0)
        #expect(result.batches.count == 1)
        result.batches.forEach(expectArrowStream)
    }

    /// Spark Connect reports progress every 2 s (`spark.connect.progress.reportInterval`) and at the end: a job of
    /// several seconds is reported with its stages.
    @Test(.timeLimit(.minutes(5)))
    func progressIsReportedWhileAJobRuns() async throws {
        let reports = Mutex<[SparkProgress]>([])
        let result = try await LocalSparkCluster.withClient { client in
            try await client.sql(
                "SELECT id % 7 AS k, count(*) AS n, sum(id * id % 13) AS s FROM range(0, 400000000, 1, 4) GROUP BY 1 ORDER BY 1",
                onProgress: { progress in reports.withLock { $0.append(progress) } })
        }
        #expect(result.rowCount == 7)
        let received = reports.withLock { $0 }
        #expect(!received.isEmpty)
        #expect(received.contains { $0.totalTasks > 0 })
    }

    /// A proxy in front of the server cuts the connection 2.5 s into a query of about 6 s, after the server's first
    /// responses (schema, progress): the query fails as a lost connection naming the URL, with no partial result.
    @Test(.timeLimit(.minutes(5)))
    func aConnectionLostMidQueryFailsClearly() async throws {
        try await LocalSparkCluster.start()
        let proxy = try CuttingProxy(targetPort: LocalSparkCluster.url.port, cutAfter: .milliseconds(2500))
        defer { proxy.stop() }
        let url = try SparkConnectURL("sc://127.0.0.1:\(proxy.port)")
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            try await SparkConnectClient.withConnection(to: url) { client in
                try await client.sql(
                    "SELECT id % 7 AS k, count(*) AS n, sum(id * id % 13) AS s FROM range(0, 400000000, 1, 4) GROUP BY 1 ORDER BY 1",
                    label: "counting a long range")
            }
        } throws: { error in
            guard case .connectionLost(let lostURL, let operation, _) = error as? SparkError else {
                print("expected a lost connection, got \(error)")
                return false
            }
            return lostURL == url.description && operation == "counting a long range"
                && String(describing: error).hasPrefix("lost the connection to the Spark Connect server at \(url.description) while counting a long range: ")
        }
        #expect(clock.now - start < .seconds(30))
    }

    /// An operation that makes no progress (its one task asleep for 60 s: no task finishes, no rows come back, the
    /// progress reports repeat) fails as stalled once the client's bound has passed, long before the task would
    /// end, and is interrupted on the server: the same session runs the next query.
    @Test(.timeLimit(.minutes(5)))
    func anOperationWithoutProgressFailsAsStalled() async throws {
        try await LocalSparkCluster.start()
        let clock = ContinuousClock()
        let start = clock.now
        try await SparkConnectClient.withConnection(to: LocalSparkCluster.url, stallLimit: .seconds(8)) { client in
            await #expect {
                try await client.sql("SELECT reflect('java.lang.Thread', 'sleep', CAST(60000 AS BIGINT)) AS s FROM range(0, 1, 1, 1)",
                                     label: "waiting for a sleeping task")
            } throws: { error in
                guard case .stalled(let url, let operation, let seconds) = error as? SparkError else {
                    print("expected a stalled operation, got \(error)")
                    return false
                }
                return url == LocalSparkCluster.url.description && operation == "waiting for a sleeping task" && seconds == 8
                    && String(describing: error).contains("PEERLENS_SPARK_STALL_SECONDS")
            }
            let stalledAfter = clock.now - start
            #expect(stalledAfter >= .seconds(8) && stalledAfter < .seconds(40))
            // One partition: the other worker's core is free even if the sleeping task has not been stopped yet.
            let next = try await client.sql("SELECT id FROM range(0, 3, 1, 1)")
            #expect(next.rowCount == 3)
            #expect(clock.now - start < .seconds(50))
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func serverErrorsNameTheirErrorClass() async throws {
        await #expect {
            try await LocalSparkCluster.withClient { client in
                try await client.sql("SELECT * FROM peerlens_no_such_table", label: "reading a missing table")
            }
        } throws: { error in
            guard case .server(let failure) = error as? SparkError else { return false }
            return failure.errorClass == "TABLE_OR_VIEW_NOT_FOUND" && failure.sqlState == "42P01"
                && failure.operation == "reading a missing table"
                && String(describing: error).contains("sc://127.0.0.1:15002")
        }
    }

    /// Spark quotes the offending value in CAST_INVALID_INPUT; the printed error must not.
    @Test(.timeLimit(.minutes(5)))
    func valuesQuotedByTheServerAreNotPrinted() async throws {
        await #expect {
            try await LocalSparkCluster.withClient { client in
                try await client.sql("SELECT CAST(:value AS INT)", arguments: ["value": .string("member-0042")])
            }
        } throws: { error in
            guard case .server(let failure) = error as? SparkError else { return false }
            return failure.errorClass == "CAST_INVALID_INPUT"
                && failure.serverMessage.contains("member-0042")
                && !String(describing: error).contains("member-0042")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func aSessionKeepsItsStateAcrossCalls() async throws {
        let result = try await LocalSparkCluster.withClient { client in
            _ = try await client.sql("CREATE OR REPLACE TEMPORARY VIEW peerlens_numbers AS SELECT id FROM range(0, 12)")
            return try await client.sql("SELECT * FROM peerlens_numbers WHERE id % 2 = 0")
        }
        #expect(result.rowCount == 6)
    }
}
