import Foundation
import PeerLensArrow
import PeerLensSpark
import PeerLensStore
import Synchronization

/// One Spark Connect session that serves every query of a `SparkEventSource`, for as long as the source lives.
///
/// Opening a connection and a session, setting the session's options and creating its views costs several round
/// trips and a fresh file listing of every table read; a report runs dozens of queries, so a session per query made
/// that fixed cost dominate (issue 16's benchmark). The host opens the connection on its first job, runs every job
/// in that one session (at the same time when they come at the same time: a report runs analyses concurrently, and
/// Spark Connect takes concurrent operations in one session), and releases the session and closes the connection
/// when the source goes away.
///
/// **What a session sees.** The first query that reads a table reads the ids of the committed ingest runs, once,
/// and every view the session creates keeps the rows of exactly those runs: all the queries of one source (one
/// command, one report) read the same runs, even when an ingest commits another run while they run.
///
/// If the connection cannot be opened or its options cannot be set, every job fails with that error.
///
/// **Release.** `close()` (called when the source goes away) ends the session and waits, up to 10 s, until it is
/// released and the connection closed: a command's process ends right after, and a session left behind keeps its
/// state in the server's driver until the server's idle timeout (an hour by default). The host's own `deinit` cannot
/// wait: the last reference may be a finished query's task on the host's thread.
final class SparkSessionHost: Sendable {
    /// A job: the work, given the session's client or the error that kept it from opening.
    private typealias Job = @Sendable (Result<SparkConnectClient, any Error>) async -> Void

    private let jobs: AsyncStream<Job>.Continuation
    /// Signalled when the host's task has ended: the session released (or never opened) and the connection closed.
    private let ended = DispatchSemaphore(value: 0)
    private let executor: ThreadExecutor
    private let warehouse: SparkWarehouse
    /// The reading of the committed runs, started by the first job that creates a view, awaited by every other.
    private let committedRuns = Mutex<Task<[Int64], any Error>?>(nil)
    /// The views the session has (two jobs may create one at the same time: the same statement, harmless).
    private let createdViews = Mutex<Set<String>>([])

    /// A host for the session on `url`; nothing is sent before the first job. Its tasks run on `executor`.
    init(url: SparkConnectURL, warehouse: SparkWarehouse, executor: ThreadExecutor,
         progress: (@Sendable (_ operation: String, _ progress: SparkProgress) -> Void)?) {
        self.warehouse = warehouse
        self.executor = executor
        let (stream, continuation) = AsyncStream.makeStream(of: Job.self)
        jobs = continuation
        Task(executorPreference: executor) { [ended] in
            defer { ended.signal() }
            var pending = stream.makeAsyncIterator()
            guard let first = await pending.next() else { return }  // never used: nothing to open
            var opened = false
            do {
                try await SparkConnectClient.withConnection(to: url, progress: progress) { client in
                    try await client.setConfiguration(["spark.sql.ansi.doubleQuotedIdentifiers": "true"])
                    opened = true
                    await withDiscardingTaskGroup { group in
                        group.addTask { await first(.success(client)) }
                        while let job = await pending.next() { group.addTask { await job(.success(client)) } }
                    }
                }
            } catch where !opened {
                // The session could not be opened: every job fails with that error.
                await first(.failure(error))
                while let job = await pending.next() { await job(.failure(error)) }
            } catch {
                // Closing a session whose jobs are all done failed: nobody is waiting for it (each job reported its
                // own errors).
            }
        }
    }

    deinit { jobs.finish() }

    /// Takes no more jobs, and waits (at most 10 s) until the jobs sent are done, the session is released and the
    /// connection closed. Not to be called from the host's own thread.
    func close() {
        jobs.finish()
        _ = ended.wait(timeout: .now() + 10)
    }

    /// Runs `body` in the session once each of `tables` is a view of its committed rows; `operation` names the work
    /// in errors.
    ///
    /// - Throws: `SparkError`; what `body` throws.
    func perform<T: Sendable>(_ operation: String, tables: [String],
                              _ body: @escaping @Sendable (SparkConnectClient) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job: Job = { [self] opened in
                do {
                    let client = try opened.get()
                    try await createViews(tables, operation: operation, client: client)
                    continuation.resume(returning: try await body(client))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            if case .terminated = jobs.yield(job) {
                preconditionFailure("a job was sent to the session of a source that is gone")
            }
        }
    }

    /// Creates the views of `tables` this session does not have yet.
    private func createViews(_ tables: [String], operation: String, client: SparkConnectClient) async throws {
        let missing = createdViews.withLock { created in tables.filter { !created.contains($0) } }
        guard !missing.isEmpty else { return }
        let runs = try await committedRuns(client)
        for name in missing {
            guard let table = SparkWarehouse.tables.first(where: { $0.name == name }) else { preconditionFailure("no table \(name)") }
            _ = try await client.sql(warehouse.viewStatement(table, runs: runs), label: operation)
            createdViews.withLock { _ = $0.insert(name) }
        }
    }

    /// The ids of the committed ingest runs, read once per session.
    private func committedRuns(_ client: SparkConnectClient) async throws -> [Int64] {
        let reading = committedRuns.withLock { reading in
            if let reading { return reading }
            let started = Task(executorPreference: executor) { [warehouse] in try await Self.readCommittedRuns(warehouse, client) }
            reading = started
            return started
        }
        return try await reading.value
    }

    /// Reads the ids of the committed runs; when the server's catalog has lost the warehouse's tables (a restarted
    /// server keeps its catalog in memory) but their files are there, registers them again first.
    ///
    /// - Throws: `SparkEngineError.noWarehouse` when the server has neither; `SparkError`.
    private static func readCommittedRuns(_ warehouse: SparkWarehouse, _ client: SparkConnectClient) async throws -> [Int64] {
        let operation = "reading the committed ingest runs"
        let query = "SELECT id FROM \(warehouse.qualified("ingest_run")) ORDER BY id"
        do {
            return try DecodedResult(try await client.sql(query, label: operation)).integers("id").compactMap { $0 }
        } catch let SparkError.server(failure) where ["TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND"].contains(failure.errorClass ?? "") {
            guard try await warehouse.hasFiles(using: client, operation: operation) else {
                throw SparkEngineError.noWarehouse(url: client.url.description, database: warehouse.database)
            }
            try await warehouse.prepare(using: client)
            return try DecodedResult(try await client.sql(query, label: operation)).integers("id").compactMap { $0 }
        }
    }
}
