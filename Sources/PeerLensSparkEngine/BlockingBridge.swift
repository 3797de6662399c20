import Foundation
import Synchronization

/// Runs asynchronous work (the Spark Connect client) to completion for a synchronous caller (the analyses), on a
/// thread of its own.
///
/// The caller's thread blocks until the work is done. The work runs as a task whose executor preference is this
/// bridge's thread, so the task and every task it starts (the gRPC connection's) run there and never need a thread
/// of Swift's cooperative pool: a caller that is itself on the pool (an async test calling a synchronous analysis)
/// cannot starve the work it waits for. One thread serves every call; the work is waiting on the network, not
/// computing.
final class BlockingBridge: Sendable {
    /// The thread's executor (`SparkSessionHost` runs its session there too).
    let executor: ThreadExecutor

    /// A bridge whose thread is named `name`.
    init(name: String) {
        executor = ThreadExecutor(name: name)
    }

    /// Runs `work` and returns its result or throws its error.
    func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: executor) {
            do { outcome.set(.success(try await work())) } catch { outcome.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try outcome.get()
    }

    /// The result of one run, written by the task, read by the caller after the semaphore.
    private final class Outcome<T: Sendable>: Sendable {
        private let result = Mutex<Result<T, any Error>?>(nil)
        func set(_ value: Result<T, any Error>) { result.withLock { $0 = value } }
        func get() throws -> T {
            guard let value = result.withLock({ $0 }) else { preconditionFailure("the bridge's task ended without a result") }
            return try value.get()
        }
    }
}

/// A task executor of one thread: runs the jobs enqueued to it, in order.
final class ThreadExecutor: TaskExecutor, @unchecked Sendable {  // the job list is guarded by `condition`
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// Starts the thread (it lives as long as the process: bridges are few and long-lived).
    init(name: String) {
        let thread = Thread { [self] in runJobs() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
