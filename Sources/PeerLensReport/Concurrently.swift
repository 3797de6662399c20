import Dispatch
import Synchronization

/// Runs the independent analyses of a report at the same time. Each analysis is serial in places (reading the
/// store, sweeping thresholds, building tables) and parallel in others (its bootstrap), so one at a time leaves
/// a core idle for much of a report; two or more at once keep both busy. Results come back in the order of
/// the parts, and each analysis seeds its own random numbers, so the report is the same bytes however the
/// parts were scheduled.
enum Concurrently {
    /// `body(0) … body(count − 1)`, run concurrently (as many at once as there are cores), returned in index
    /// order. `cost(i)` is a rough guess of part i's work: the costliest parts start first, so that a long part
    /// does not start last and run alone at the end (the parts are started in that order; which thread runs
    /// which part does not change any result).
    static func map<T: Sendable>(_ count: Int, cost: (Int) -> Int = { _ in 1 }, _ body: @Sendable (Int) -> T) -> [T] {
        let order = (0..<count).sorted { cost($0) > cost($1) || (cost($0) == cost($1) && $0 < $1) }
        let results = Mutex<[T?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { k in
            let i = order[k]
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
