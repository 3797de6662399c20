import Foundation
import PeerLensSpark

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", repositoryRoot.appendingPathComponent(".ci/spark-cluster").path, "start"]
        process.currentDirectoryURL = repositoryRoot
        // Awaited through the termination handler, not `waitUntilExit()`: the start takes minutes on a fresh machine
        // (it installs Java and pyspark), and a cooperative thread blocked that long starved the other async tests
        // of a 2-core machine past their time limits.
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { process.terminationHandler = nil; continuation.resume(throwing: error) }
        }
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
