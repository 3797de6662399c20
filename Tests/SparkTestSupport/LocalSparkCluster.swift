import Foundation
import PeerLensSpark
import ProcessTestSupport

/// Whether the tests that need a Spark cluster run: `PEERLENS_SPARK_TESTS=1` (set by `.ci/run`).
public let sparkTestsEnabled = ProcessInfo.processInfo.environment["PEERLENS_SPARK_TESTS"] == "1"

/// The local cluster of `.ci/spark-cluster`, started once for the whole test run when it is not running (and left
/// running: `bash .ci/spark-cluster stop` ends it).
public enum LocalSparkCluster {
    /// The Connect server's URL.
    public static let url = try! SparkConnectURL("sc://127.0.0.1:15002")
    /// The repository's root (this file is `Tests/SparkTestSupport/LocalSparkCluster.swift`).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `bash .ci/spark-cluster start` (a no-op when it runs), once.
    static let started: Task<Void, any Error> = Task.detached {
        // A `ChildProcess`, not Foundation's `Process`, whose end is never seen once SwiftNIO's threads run (the
        // start hung the CI run so). It writes to the test run's output as it goes; it is awaited on a thread of its
        // own: the start takes minutes on a fresh machine (it installs Java and pyspark), and a cooperative thread
        // blocked that long starves the other async tests of a 2-core machine.
        // Shuffles in 4 partitions, not Spark's 200: the test stores are small (see `.ci/spark-cluster`).
        let child = try ChildProcess("/bin/bash", [repositoryRoot.appendingPathComponent(".ci/spark-cluster").path, "start"],
                                     in: repositoryRoot.path, environment: ["PEERLENS_SPARK_SHUFFLE_PARTITIONS": "4"])
        let status = await child.terminationStatus()
        guard status == 0 else { throw ClusterStartFailure(status: status) }
    }

    struct ClusterStartFailure: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "bash .ci/spark-cluster start exited with \(status) (see .spark/logs/)" }
    }

    /// Starts the cluster if needed.
    public static func start() async throws { try await started.value }

    /// Starts the cluster if needed, then runs `body` with a client connected to it.
    public static func withClient<Result: Sendable>(_ body: (SparkConnectClient) async throws -> Result) async throws -> Result {
        try await start()
        return try await SparkConnectClient.withConnection(to: url, body)
    }
}
