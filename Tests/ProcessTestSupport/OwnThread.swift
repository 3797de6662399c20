import Foundation

/// Runs `body`, a synchronous call that blocks (a `SparkEventSource` query while Spark works, a wait for a child
/// process), on a thread of its own and returns its result, or its error, to the awaiting test.
///
/// An async test that calls such a function directly holds one of the cooperative pool's threads (two on a 2-core
/// machine) for as long as the query runs; two such tests at once leave every other test of the run waiting, and
/// time limits of unrelated tests then expire.
public func onOwnThread<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
    }
    return try result.get()
}
