import Foundation

/// Runs `body`, a synchronous call that blocks while Spark works (a `SparkEventSource` query), on a thread of its
/// own and returns its result to the awaiting test.
///
/// An async test that calls such a function directly holds one of the cooperative pool's threads (two on a 2-core
/// machine) for as long as the query runs; two such tests at once leave every other test of the run waiting, and
/// time limits of unrelated tests then expire.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
