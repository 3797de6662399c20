import Dispatch
import Synchronization

/// Runs the independent analyses of a report at the same time. Each analysis is serial in places (reading the
/// store, sweeping thresholds, building tables) and parallel in others (its bootstrap), so one at a time leaves
/// a core idle for much of a report; two or more at once keep both busy. Results come back in the order of
/// the parts, and each analysis seeds its own random numbers, so the report is the same bytes however the
/// parts were scheduled.
enum Concurrently {
    /// `body(0) … body(count − 1)`, run concurrently (as many at once as there are cores), in index order.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let value = body(i)
            results.withLock { $0[i] = value }
        }
        return results.withLock { $0.map { $0! } }
    }
}

extension Build {
    /// `body`'s value, or nil with why it failed under `name` (the concurrent form of `attempt`: each part keeps
    /// its own list of omissions, joined in part order afterwards).
    static func attempt<T>(_ name: String, _ body: () throws -> T) -> (value: T?, omitted: [String]) {
        var omitted: [String] = []
        let value = attempt(name, &omitted, body)
        return (value, omitted)
    }
}
